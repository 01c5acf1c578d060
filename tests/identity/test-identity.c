/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Identities against the real parts: a gnome-keyring-daemon on a private session bus and
 * softhsm2 tokens, both prepared by run-session.sh. Signatures are checked with OpenSSL
 * against the certificates of the test PKI.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "teken-core.h"
#include "teken-core-private.h"
#include "teken-identity-store.h"
#include "teken-keyring.h"
#include "teken-test-utils.h"

static const char *passphrase = "Rahasia-Uji-123";
static const guint8 message[] = "Surat Keputusan Bupati Contoh Nomor 1 Tahun 2026";

static X509 *
load_pki_cert (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.crt", name);
  g_autofree char *path = teken_test_pki_path (file);
  FILE *fp = fopen (path, "r");
  X509 *cert;

  g_assert_nonnull (fp);
  cert = PEM_read_X509 (fp, NULL, NULL, NULL);
  fclose (fp);
  g_assert_nonnull (cert);
  return cert;
}

static GBytes *
load_pki_file (const char *name)
{
  g_autofree char *path = teken_test_pki_path (name);
  g_autoptr(GError) error = NULL;
  char *data;
  gsize len;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static char *
fingerprint_of (X509 *cert)
{
  guint8 md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  GString *hex = g_string_new (NULL);

  g_assert_true (X509_digest (cert, EVP_sha256 (), md, &len));
  for (unsigned int i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", md[i]);
  return g_string_free (hex, FALSE);
}

/* OpenSSL verifies the signature with the public key of the PKI's certificate file. */
static void
assert_signature_valid (const char      *cert_name,
                        TekenSignScheme  scheme,
                        GBytes          *signature)
{
  X509 *cert = load_pki_cert (cert_name);
  EVP_PKEY *pub = X509_get0_pubkey (cert);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  EVP_PKEY_CTX *pctx = NULL;
  gsize len;
  const guint8 *sig = g_bytes_get_data (signature, &len);

  g_assert_cmpint (EVP_DigestVerifyInit (ctx, &pctx, EVP_sha256 (), NULL, pub), ==, 1);
  if (scheme == TEKEN_SIGN_SCHEME_RSA_PSS)
    {
      g_assert_cmpint (EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PSS_PADDING), ==, 1);
      g_assert_cmpint (EVP_PKEY_CTX_set_rsa_pss_saltlen (pctx, RSA_PSS_SALTLEN_DIGEST), ==, 1);
    }
  g_assert_cmpint (EVP_DigestVerify (ctx, sig, len, message, sizeof message), ==, 1);
  EVP_MD_CTX_free (ctx);
  X509_free (cert);
}

static TekenIdentityStore *
new_store (void)
{
  TekenIdentityStore *store = teken_identity_store_new ();
  g_autoptr(GError) error = NULL;

  /* Only the test's softhsm, not whatever else p11-kit has registered on this machine. */
  teken_identity_store_set_use_registered_modules (store, FALSE);
  teken_identity_store_add_module (store, g_getenv ("TEKEN_TEST_SOFTHSM_MODULE"), FALSE, &error);
  g_assert_no_error (error);
  teken_identity_store_refresh_sync (store, NULL, &error);
  g_assert_no_error (error);
  return store;
}

static TekenIdentity *
import (TekenIdentityStore *store,
        const char         *file,
        const char         *pass,
        TekenImportFlags    flags,
        GError            **error)
{
  g_autoptr(GBytes) p12 = load_pki_file (file);

  return teken_identity_store_import_p12_sync (store, p12, pass, flags, NULL, error);
}

static guint
count_kind (TekenIdentityStore *store,
            TekenIdentityKind   kind)
{
  GListModel *model = teken_identity_store_get_identities (store);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenIdentity) identity = g_list_model_get_item (model, i);

      n += teken_identity_get_kind (identity) == kind;
    }
  return n;
}

static void
test_keyring_import_and_sign (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(TekenIdentityStore) store2 = NULL;
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(TekenKey) key = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(X509) expected = load_pki_cert ("individu-rsa2048");
  g_autofree char *fp = fingerprint_of (expected);
  g_autofree char *expected_id = g_strconcat ("keyring:", fp, NULL);
  TekenIdentity *listed;
  guint before = count_kind (store, TEKEN_IDENTITY_KIND_KEYRING);

  identity = import (store, "individu-rsa2048.p12", passphrase, TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teken_identity_get_id (identity), ==, expected_id);
  g_assert_cmpstr (teken_identity_get_label (identity), ==, "Budi Santoso");
  g_assert_cmpint (X509_cmp (teken_identity_get_certificate (identity), expected), ==, 0);
  g_assert_cmpint (teken_identity_get_secret_kind (identity), ==, TEKEN_IDENTITY_SECRET_PASSPHRASE);
  g_assert_cmpuint (count_kind (store, TEKEN_IDENTITY_KIND_KEYRING), ==, before + 1);

  /* A second store reads it back from the keyring daemon. */
  store2 = new_store ();
  listed = teken_identity_store_lookup (store2, expected_id, &error);
  g_assert_no_error (error);
  g_assert_true (strstr (teken_identity_get_subject (listed), "CN=Budi Santoso,O=Pemerintah Kabupaten Contoh,C=ID") != NULL);
  g_assert_true (strstr (teken_identity_get_issuer (listed), "CN=Teken Test BSrE CA DS G1") != NULL);
  g_assert_true (strstr (teken_identity_get_location (listed), "keyring") != NULL);
  g_assert_cmpint (teken_identity_get_kind (listed), ==, TEKEN_IDENTITY_KIND_KEYRING);
  g_assert_cmpint (sk_X509_num (teken_identity_get_chain (listed)), ==, 2);

  key = teken_identity_store_open_key_by_id (store2, expected_id, NULL, NULL, NULL, &error);
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NEEDS_SECRET);
  g_clear_error (&error);
  key = teken_identity_open_key_sync (listed, passphrase, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (X509_cmp (teken_key_get_certificate (key), expected), ==, 0);
  sig = teken_key_sign (key, TEKEN_DIGEST_SHA256, TEKEN_SIGN_SCHEME_RSA_PKCS1,
                        message, sizeof message, NULL, &error);
  g_assert_no_error (error);
  assert_signature_valid ("individu-rsa2048", TEKEN_SIGN_SCHEME_RSA_PKCS1, sig);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* The forms the app uses: import and open in worker threads, results on the main context. */
static void
test_keyring_async (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(GBytes) p12 = load_pki_file ("individu-p384.p12");
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(TekenKey) key = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(X509) expected = load_pki_cert ("individu-p384");
  GAsyncResult *result = NULL;
  guint before = count_kind (store, TEKEN_IDENTITY_KIND_KEYRING);

  teken_identity_store_import_p12_async (store, p12, passphrase, TEKEN_IMPORT_FLAGS_NONE, NULL,
                                         store_result, &result);
  identity = teken_identity_store_import_p12_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (X509_cmp (teken_identity_get_certificate (identity), expected), ==, 0);
  g_assert_cmpuint (count_kind (store, TEKEN_IDENTITY_KIND_KEYRING), ==, before + 1);

  teken_identity_open_key_async (identity, passphrase, NULL, store_result, &result);
  key = teken_identity_open_key_finish (identity, wait_for (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  sig = teken_key_sign (key, TEKEN_DIGEST_SHA256, TEKEN_SIGN_SCHEME_ECDSA, message, sizeof message, NULL, &error);
  g_assert_no_error (error);
  assert_signature_valid ("individu-p384", TEKEN_SIGN_SCHEME_ECDSA, sig);

  teken_identity_store_refresh_async (store, NULL, store_result, &result);
  teken_identity_store_refresh_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_nonnull (teken_identity_store_lookup (store, teken_identity_get_id (identity), NULL));

  teken_identity_store_remove_async (store, identity, NULL, store_result, &result);
  teken_identity_store_remove_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (count_kind (store, TEKEN_IDENTITY_KIND_KEYRING), ==, before);
}

static void
test_p12_file (void)
{
  g_autofree char *path = teken_test_pki_path ("individu-rsapss.p12");
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(TekenKey) key = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GError) error = NULL;

  identity = teken_identity_new_for_p12_file (path, "salah", &error);
  g_assert_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_BAD_PASSPHRASE);
  g_assert_null (identity);
  g_clear_error (&error);

  identity = teken_identity_new_for_p12_file (path, passphrase, &error);
  g_assert_no_error (error);
  g_assert_cmpint (teken_identity_get_kind (identity), ==, TEKEN_IDENTITY_KIND_P12_FILE);
  g_assert_true (g_str_has_prefix (teken_identity_get_id (identity), "file:/"));
  g_assert_cmpint (teken_identity_get_secret_kind (identity), ==, TEKEN_IDENTITY_SECRET_PASSPHRASE);
  g_assert_null (teken_identity_open_key_sync (identity, NULL, NULL, &error));
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NEEDS_SECRET);
  g_clear_error (&error);
  key = teken_identity_open_key_sync (identity, passphrase, NULL, &error);
  g_assert_no_error (error);
  sig = teken_key_sign (key, TEKEN_DIGEST_SHA256, TEKEN_SIGN_SCHEME_RSA_PSS, message, sizeof message, NULL, &error);
  g_assert_no_error (error);
  assert_signature_valid ("individu-rsapss", TEKEN_SIGN_SCHEME_RSA_PSS, sig);
}

static void
test_keyring_wrong_passphrase (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(TekenKey) key = NULL;
  g_autoptr(GError) error = NULL;
  guint before = count_kind (store, TEKEN_IDENTITY_KIND_KEYRING);

  identity = import (store, "jabatan-rsa2048.p12", "salah", TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_BAD_PASSPHRASE);
  g_assert_null (identity);
  g_clear_error (&error);
  g_assert_cmpuint (count_kind (store, TEKEN_IDENTITY_KIND_KEYRING), ==, before);

  /* Imported fine, then opened with a wrong passphrase. */
  identity = import (store, "jabatan-rsa2048.p12", passphrase, TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  key = teken_identity_open_key_sync (identity, "salah", NULL, &error);
  g_assert_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_BAD_PASSPHRASE);
  g_assert_null (key);
}

static void
test_keyring_nokey_refused (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  guint before = count_kind (store, TEKEN_IDENTITY_KIND_KEYRING);

  identity = import (store, "nokey.p12", passphrase, TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_NO_KEY);
  g_assert_null (identity);
  g_clear_object (&store);
  store = new_store ();
  g_assert_cmpuint (count_kind (store, TEKEN_IDENTITY_KIND_KEYRING), ==, before);
}

static void
test_keyring_chain_and_duplicate (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(TekenIdentityStore) store2 = NULL;
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(TekenIdentity) dup = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(X509) ca = load_pki_cert ("ca");
  g_autoptr(X509) root = load_pki_cert ("root");
  TekenIdentity *listed;
  STACK_OF (X509) *chain;

  identity = import (store, "individu-p256.p12", passphrase, TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  store2 = new_store ();
  listed = teken_identity_store_lookup (store2, teken_identity_get_id (identity), &error);
  g_assert_no_error (error);
  chain = teken_identity_get_chain (listed);
  g_assert_cmpint (sk_X509_num (chain), ==, 2);
  g_assert_true (X509_cmp (sk_X509_value (chain, 0), ca) == 0 || X509_cmp (sk_X509_value (chain, 1), ca) == 0);
  g_assert_true (X509_cmp (sk_X509_value (chain, 0), root) == 0 || X509_cmp (sk_X509_value (chain, 1), root) == 0);

  /* The same certificate again: refused. */
  dup = import (store2, "individu-p256.p12", passphrase, TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_DUPLICATE);
  g_assert_null (dup);
}

static void
test_keyring_nochain (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = import (store, "sistem-rsa2048.p12", passphrase, TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sk_X509_num (teken_identity_get_chain (identity)), ==, 2);
  /* nochain.p12 is individu-rsa2048 (imported by the first test): a duplicate, whatever its chain. */
  g_clear_object (&identity);
  identity = import (store, "nochain.p12", passphrase, TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_DUPLICATE);
}

static void
test_keyring_legacy (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  /* RC2-40/3DES, holding the certificate of the first test: DUPLICATE (rather than INVALID_FILE)
   * shows the file was decrypted through the legacy provider. */
  identity = import (store, "legacy-rc2.p12", passphrase, TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_null (identity);
}

static void
test_keyring_export (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(X509) expected = load_pki_cert ("individu-rsa2048");
  g_autofree char *fp = fingerprint_of (expected);
  g_autofree char *id = g_strconcat ("keyring:", fp, NULL);
  g_autoptr(GBytes) pem = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GBytes) crt = load_pki_file ("individu-rsa2048.crt");
  g_autoptr(GError) error = NULL;
  unsigned char *expected_der = NULL;
  int expected_len;

  pem = teken_identity_store_export_certificate (store, id, TEKEN_CERT_FORMAT_PEM, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (pem, crt));
  g_assert_null (g_strstr_len (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem), "PRIVATE KEY"));
  der = teken_identity_store_export_certificate (store, id, TEKEN_CERT_FORMAT_DER, &error);
  g_assert_no_error (error);
  expected_len = i2d_X509 (expected, &expected_der);
  g_assert_cmpmem (g_bytes_get_data (der, NULL), g_bytes_get_size (der), expected_der, expected_len);
  OPENSSL_free (expected_der);
}

static void
test_keyring_remember_passphrase (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(TekenIdentityStore) store2 = NULL;
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(TekenKey) key = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attrs = NULL;
  GList *items;
  TekenIdentity *listed;

  identity = import (store, "individu-rsa4096.p12", passphrase, TEKEN_IMPORT_FLAGS_REMEMBER_PASSPHRASE, &error);
  g_assert_no_error (error);
  store2 = new_store ();
  listed = teken_identity_store_lookup (store2, teken_identity_get_id (identity), &error);
  g_assert_no_error (error);
  g_assert_cmpint (teken_identity_get_secret_kind (listed), ==, TEKEN_IDENTITY_SECRET_NONE);
  key = teken_identity_store_open_key_by_id (store2, teken_identity_get_id (identity), NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sig = teken_key_sign (key, TEKEN_DIGEST_SHA256, TEKEN_SIGN_SCHEME_RSA_PKCS1, message, sizeof message, NULL, &error);
  g_assert_no_error (error);
  assert_signature_valid ("individu-rsa4096", TEKEN_SIGN_SCHEME_RSA_PKCS1, sig);

  /* The passphrase lives in the session collection only, never in the login keyring. */
  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  attrs = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attrs, "teken-item", "passphrase");
  g_hash_table_insert (attrs, "fingerprint", (gpointer) teken_identity_get_fingerprint (identity));
  items = secret_service_search_sync (service, teken_keyring_get_schema (), attrs, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_assert_true (g_str_has_prefix (g_dbus_proxy_get_object_path (items->data),
                                   "/org/freedesktop/secrets/collection/session/"));
  g_list_free_full (items, g_object_unref);

  /* Removing the identity removes the remembered passphrase too. */
  teken_identity_store_remove_sync (store2, listed, NULL, &error);
  g_assert_no_error (error);
  items = secret_service_search_sync (service, teken_keyring_get_schema (), attrs, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (items);
}

static void
test_keyring_remove (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(TekenIdentityStore) store2 = NULL;
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  TekenIdentity *token_identity;

  identity = import (store, "jabatan-p256.p12", passphrase, TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  id = g_strdup (teken_identity_get_id (identity));
  teken_identity_store_remove_sync (store, identity, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (teken_identity_store_lookup (store, id, NULL));
  store2 = new_store ();
  g_assert_null (teken_identity_store_lookup (store2, id, &error));
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Gone from the daemon: removing it again says so. */
  g_assert_false (teken_identity_store_remove_sync (store2, identity, NULL, &error));
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Token identities stay on the token. */
  token_identity = teken_identity_store_lookup (store2, "pkcs11:token=teken-test;id=%01", &error);
  g_assert_no_error (error);
  g_assert_false (teken_identity_store_remove_sync (store2, token_identity, NULL, &error));
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_SUPPORTED);
}

static void
test_days_to_expiry (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(TekenIdentity) expiring = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(X509) cert = load_pki_cert ("expiring");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 20);
  GListModel *model;
  int days = 0, secs = 0;

  expiring = import (store, "expiring.p12", passphrase, TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  /* OpenSSL's own count of the time left, rounded down to whole days. */
  g_assert_true (ASN1_TIME_diff (&days, &secs, NULL, X509_get0_notAfter (cert)));
  if (days > 0 && secs < 0)
    days--;
  g_assert_cmpint (teken_identity_get_days_to_expiry (expiring, now), ==, days);
  g_assert_cmpint (days, <=, 10);
  g_assert_cmpint (days, >=, 8);
  g_assert_cmpint (teken_identity_get_days_to_expiry (expiring, later), ==, days - 20);

  /* Every identity, keyring or token, has its count, consistent with its notAfter. */
  model = teken_identity_store_get_identities (store);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 3);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenIdentity) identity = g_list_model_get_item (model, i);
      X509 *x = teken_identity_get_certificate (identity);

      g_assert_true (ASN1_TIME_diff (&days, &secs, NULL, X509_get0_notAfter (x)));
      if (days > 0 && secs < 0)
        days--;
      g_assert_cmpint (teken_identity_get_days_to_expiry (identity, NULL), ==, days);
    }
}

static void
test_token_list (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  GListModel *model = teken_identity_store_get_identities (store);
  g_autoptr(GError) error = NULL;
  guint on_test = 0, on_rm = 0;
  TekenIdentity *rsa, *ec;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenIdentity) identity = g_list_model_get_item (model, i);

      if (teken_identity_get_kind (identity) != TEKEN_IDENTITY_KIND_TOKEN)
        continue;
      g_assert_true (g_str_has_prefix (teken_identity_get_id (identity), "pkcs11:"));
      g_assert_cmpint (teken_identity_get_secret_kind (identity), ==, TEKEN_IDENTITY_SECRET_PIN);
      if (g_strcmp0 (teken_identity_get_token_label (identity), "teken-test") == 0)
        on_test++;
      else if (g_strcmp0 (teken_identity_get_token_label (identity), "teken-rm") == 0)
        on_rm++;
    }
  /* The CA certificate (id 03) has no key: not an identity. */
  g_assert_cmpuint (on_test, ==, 2);
  g_assert_cmpuint (on_rm, ==, 1);

  rsa = teken_identity_store_lookup (store, "pkcs11:token=teken-test;id=%01", &error);
  g_assert_no_error (error);
  ec = teken_identity_store_lookup (store, "pkcs11:token=teken-test;object=eckey", &error);
  g_assert_no_error (error);
  g_assert_true (strstr (teken_identity_get_id (rsa), "token=teken-test") != NULL);
  g_assert_true (strstr (teken_identity_get_id (rsa), "id=%01") != NULL);
  g_assert_true (strstr (teken_identity_get_id (ec), "id=%02") != NULL);
  /* Its own id finds it again. */
  g_assert_true (teken_identity_store_lookup (store, teken_identity_get_id (ec), &error) == ec);
  g_assert_true (strstr (teken_identity_get_location (rsa), "teken-test") != NULL);
  g_assert_cmpstr (teken_identity_get_module_path (rsa), !=, NULL);

  g_assert_null (teken_identity_store_lookup (store, "pkcs11:token=teken-test", &error));
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (teken_identity_store_lookup (store, "pkcs11:token=teken-test;id=%03", &error));
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (teken_identity_store_lookup (store, "pkcs11:token=%zz", &error));
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_INVALID_ID);
}

static TekenSecret *
ask_pin (const char  *prompt,
         gpointer     user_data,
         GError     **error)
{
  char **last_prompt = user_data;

  g_free (*last_prompt);
  *last_prompt = g_strdup (prompt);
  return teken_secret_new (g_getenv ("TEKEN_TEST_TOKEN_PIN"));
}

static void
test_token_sign (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  struct { const char *uri; const char *cert; TekenSignScheme scheme; } cases[] = {
    { "pkcs11:token=teken-test;id=%01", "individu-rsa2048", TEKEN_SIGN_SCHEME_RSA_PKCS1 },
    { "pkcs11:token=teken-test;id=%01", "individu-rsa2048", TEKEN_SIGN_SCHEME_RSA_PSS },
    { "pkcs11:token=teken-test;id=%02", "individu-p256", TEKEN_SIGN_SCHEME_ECDSA },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TekenKey) key = NULL;
      g_autoptr(GBytes) sig = NULL;
      g_autoptr(GBytes) sig2 = NULL;
      g_autoptr(X509) cert = load_pki_cert (cases[i].cert);

      key = teken_identity_store_open_key_by_id (store, cases[i].uri, ask_pin, &prompt, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (strstr (prompt, "teken-test") != NULL);
      g_assert_cmpint (X509_cmp (teken_key_get_certificate (key), cert), ==, 0);
      sig = teken_key_sign (key, TEKEN_DIGEST_SHA256, cases[i].scheme, message, sizeof message, NULL, &error);
      g_assert_no_error (error);
      assert_signature_valid (cases[i].cert, cases[i].scheme, sig);
      /* Still logged in: a second signature needs no PIN. */
      sig2 = teken_key_sign (key, TEKEN_DIGEST_SHA256, cases[i].scheme, message, sizeof message, NULL, &error);
      g_assert_no_error (error);
      assert_signature_valid (cases[i].cert, cases[i].scheme, sig2);
    }
}

static void
test_token_wrong_pin (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenKey) key = NULL;
  g_autofree char *prompt = NULL;
  TekenIdentity *identity;

  identity = teken_identity_store_lookup (store, "pkcs11:token=teken-test;id=%02", &error);
  g_assert_no_error (error);
  g_assert_cmpint (teken_identity_get_pin_state (identity) & TEKEN_PIN_STATE_COUNT_LOW, ==, 0);

  key = teken_identity_open_key_sync (identity, NULL, NULL, &error);
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NEEDS_SECRET);
  g_clear_error (&error);

  key = teken_identity_open_key_sync (identity, "9999", NULL, &error);
  g_assert_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_INCORRECT);
  g_assert_null (key);
  /* softhsm2 sets CKF_USER_PIN_COUNT_LOW after a failed login (it never locks the PIN, so
   * FINAL_TRY/LOCKED cannot be seen with it); the message and the next prompt say so. */
  g_assert_true (strstr (error->message, "failed attempts") != NULL);
  g_assert_cmpint (teken_identity_get_pin_state (identity), ==, TEKEN_PIN_STATE_COUNT_LOW);
  prompt = teken_identity_dup_secret_prompt (identity);
  g_assert_true (strstr (prompt, "earlier attempts failed") != NULL);
  g_clear_error (&error);

  /* The right PIN works and the token clears the flag. */
  key = teken_identity_open_key_sync (identity, g_getenv ("TEKEN_TEST_TOKEN_PIN"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (teken_identity_get_pin_state (identity), ==, 0);
}

static void
on_pin_changed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **error = user_data;

  teken_identity_change_pin_finish (TEKEN_IDENTITY (source), result, error);
  if (*error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "done");  /* marks completion */
}

static void
test_token_change_pin (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenKey) key = NULL;
  g_autoptr(GBytes) sig = NULL;
  const char *pin = g_getenv ("TEKEN_TEST_TOKEN_PIN");
  const char *new_pin = "Pin-Baru-5531";
  TekenIdentity *identity;

  identity = teken_identity_store_lookup (store, "pkcs11:token=teken-test;id=%01", &error);
  g_assert_no_error (error);
  g_assert_true (teken_identity_can_change_pin (identity));

  /* A wrong old PIN is refused and the PIN stays as it was. */
  g_assert_false (teken_identity_change_pin_sync (identity, "0000", new_pin, NULL, &error));
  g_assert_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_INCORRECT);
  g_assert_true (strstr (error->message, "current PIN is wrong") != NULL);
  g_clear_error (&error);

  /* Too short for the token (softhsm2: 4 to 255): the message says the allowed length. */
  g_assert_false (teken_identity_change_pin_sync (identity, pin, "12", NULL, &error));
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_PIN_LEN_RANGE);
  g_assert_true (strstr (error->message, "4 to 255") != NULL);
  g_clear_error (&error);

  /* The async form, on the main context. */
  teken_identity_change_pin_async (identity, pin, new_pin, NULL, on_pin_changed, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (teken_identity_get_pin_state (identity), ==, 0);

  /* The old PIN no longer opens the key; the new one does and signs. */
  key = teken_identity_open_key_sync (identity, pin, NULL, &error);
  g_assert_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_INCORRECT);
  g_assert_null (key);
  g_clear_error (&error);
  key = teken_identity_open_key_sync (identity, new_pin, NULL, &error);
  g_assert_no_error (error);
  sig = teken_key_sign (key, TEKEN_DIGEST_SHA256, TEKEN_SIGN_SCHEME_RSA_PKCS1,
                        message, sizeof message, NULL, &error);
  g_assert_no_error (error);
  assert_signature_valid ("individu-rsa2048", TEKEN_SIGN_SCHEME_RSA_PKCS1, sig);
  /* While our key is logged in the change still works (the old PIN is checked by C_SetPIN). */
  g_assert_false (teken_identity_change_pin_sync (identity, "0000", pin, NULL, &error));
  g_assert_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_INCORRECT);
  g_clear_error (&error);
  g_clear_object (&key);

  /* Back to the session's PIN for the other tests. */
  g_assert_true (teken_identity_change_pin_sync (identity, new_pin, pin, NULL, &error));
  g_assert_no_error (error);
  key = teken_identity_open_key_sync (identity, pin, NULL, &error);
  g_assert_no_error (error);
}

static void
on_token_removed (TekenIdentityStore *store,
                  const char         *label,
                  const char         *module,
                  gpointer            user_data)
{
  char **removed = user_data;

  g_free (*removed);
  *removed = g_strdup (label);
}

static void
on_token_added (TekenIdentityStore *store,
                const char         *label,
                const char         *module,
                gpointer            user_data)
{
  char **added = user_data;

  g_free (*added);
  *added = g_strdup (label);
}

static gboolean
give_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_token_removed (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenKey) key = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *prompt = NULL;
  const char *dir = g_getenv ("TEKEN_TEST_RM_TOKEN_DIR");
  g_autofree char *argv_dir = g_strdup (dir);
  const char *rm_argv[] = { "rm", "-rf", argv_dir, NULL };
  gboolean timed_out = FALSE;
  guint timeout_id;
  int status = -1;

  g_assert_nonnull (dir);
  teken_identity_store_set_watch_tokens (store, TRUE);
  g_signal_connect (store, "token-removed", G_CALLBACK (on_token_removed), &removed);

  key = teken_identity_store_open_key_by_id (store, "pkcs11:token=teken-rm;id=%01", ask_pin, &prompt, NULL, &error);
  g_assert_no_error (error);

  /* Pull the token out between login and signing: softhsm2 keeps each token in a directory. */
  g_assert_true (teken_test_run (rm_argv, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);

  sig = teken_key_sign (key, TEKEN_DIGEST_SHA256, TEKEN_SIGN_SCHEME_RSA_PKCS1, message, sizeof message, NULL, &error);
  g_assert_null (sig);
  g_assert_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_DEVICE_REMOVED);
  g_assert_cmpstr (error->message, ==, "The token was removed");
  g_clear_error (&error);

  /* The watcher notices (polling every ~2 s); 20 s is only a guard against a hang. */
  timeout_id = g_timeout_add_seconds (20, give_up, &timed_out);
  while (removed == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  g_assert_cmpstr (removed, ==, "teken-rm");
  teken_identity_store_set_watch_tokens (store, FALSE);
  g_signal_handlers_disconnect_by_data (store, &removed);
}

static void
on_identities_changed (TekenIdentityStore *store,
                       gpointer            user_data)
{
  (*(guint *) user_data)++;
}

static void
test_token_added (void)
{
  g_autoptr(TekenIdentityStore) store = teken_identity_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *added = NULL;
  gboolean timed_out = FALSE;
  guint changes = 0;
  guint timeout_id;

  /* Watching with no module, then the module comes: its tokens are announced as added and the
   * store refreshes itself (softhsm2 does not notice tokens created by another process after
   * C_Initialize, so a new module is the real way to make tokens appear here). */
  teken_identity_store_set_use_registered_modules (store, FALSE);
  teken_identity_store_refresh_sync (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_kind (store, TEKEN_IDENTITY_KIND_TOKEN), ==, 0);
  g_signal_connect (store, "token-added", G_CALLBACK (on_token_added), &added);
  g_signal_connect (store, "identities-changed", G_CALLBACK (on_identities_changed), &changes);
  teken_identity_store_set_watch_tokens (store, TRUE);
  teken_identity_store_add_module (store, g_getenv ("TEKEN_TEST_SOFTHSM_MODULE"), FALSE, &error);
  g_assert_no_error (error);

  timeout_id = g_timeout_add_seconds (20, give_up, &timed_out);
  while ((added == NULL || count_kind (store, TEKEN_IDENTITY_KIND_TOKEN) < 2) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  g_assert_true (g_strcmp0 (added, "teken-test") == 0 || g_strcmp0 (added, "teken-rm") == 0);
  g_assert_cmpuint (changes, >=, 1);
  g_assert_cmpuint (count_kind (store, TEKEN_IDENTITY_KIND_TOKEN), >=, 2);
  teken_identity_store_set_watch_tokens (store, FALSE);
  /* A refresh still in flight keeps the store alive beyond this frame. */
  g_signal_handlers_disconnect_by_data (store, &added);
  g_signal_handlers_disconnect_by_data (store, &changes);
}

/* Last: the keyring cannot be unlocked again without a prompter. */
static void
test_keyring_locked (void)
{
  g_autoptr(TekenIdentityStore) store = new_store ();
  g_autoptr(TekenIdentityStore) store2 = NULL;
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(TekenIdentity) other = NULL;
  g_autoptr(TekenKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) login = NULL;
  GList *objects;
  TekenIdentity *listed;

  identity = import (store, "sistem-p256.p12", passphrase, TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  login = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  objects = g_list_append (NULL, login);
  g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_list_free (objects);

  /* Opening the key: a clear error at once, no prompt, no hang. */
  key = teken_identity_open_key_sync (identity, passphrase, NULL, &error);
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_KEYRING_LOCKED);
  g_assert_null (key);
  g_clear_error (&error);

  /* Importing: the same. */
  other = import (store, "notyet.p12", passphrase, TEKEN_IMPORT_FLAGS_NONE, &error);
  g_assert_null (other);
  g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  /* Listing still works (tokens, and what the locked keyring shows). */
  store2 = new_store ();
  g_assert_cmpuint (count_kind (store2, TEKEN_IDENTITY_KIND_TOKEN), ==, 2);
  listed = teken_identity_store_lookup (store2, teken_identity_get_id (identity), &error);
  if (listed != NULL)
    {
      key = teken_identity_open_key_sync (listed, passphrase, NULL, &error);
      g_assert_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_KEYRING_LOCKED);
    }
  else
    g_assert_true (g_error_matches (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_KEYRING_LOCKED) ||
                   g_error_matches (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_FOUND));
  g_assert_error ((GError *) teken_identity_store_get_keyring_error (store2),
                  TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_KEYRING_LOCKED);
}

int
main (int    argc,
      char **argv)
{
  teken_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/identity/keyring/import-and-sign", test_keyring_import_and_sign);
  g_test_add_func ("/identity/keyring/async", test_keyring_async);
  g_test_add_func ("/identity/keyring/wrong-passphrase", test_keyring_wrong_passphrase);
  g_test_add_func ("/identity/keyring/nokey-refused", test_keyring_nokey_refused);
  g_test_add_func ("/identity/keyring/chain-and-duplicate", test_keyring_chain_and_duplicate);
  g_test_add_func ("/identity/keyring/nochain-duplicate", test_keyring_nochain);
  g_test_add_func ("/identity/keyring/legacy", test_keyring_legacy);
  g_test_add_func ("/identity/keyring/export", test_keyring_export);
  g_test_add_func ("/identity/keyring/remember-passphrase", test_keyring_remember_passphrase);
  g_test_add_func ("/identity/keyring/remove", test_keyring_remove);
  g_test_add_func ("/identity/days-to-expiry", test_days_to_expiry);
  g_test_add_func ("/identity/p12-file", test_p12_file);
  g_test_add_func ("/identity/token/list", test_token_list);
  g_test_add_func ("/identity/token/sign", test_token_sign);
  g_test_add_func ("/identity/token/wrong-pin", test_token_wrong_pin);
  g_test_add_func ("/identity/token/change-pin", test_token_change_pin);
  g_test_add_func ("/identity/token/added", test_token_added);
  g_test_add_func ("/identity/token/removed", test_token_removed);
  /* Its own suite, created last, so it runs last. */
  g_test_add_func ("/identity/last/keyring-locked", test_keyring_locked);

  return g_test_run ();
}
