/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-demo.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "teken-atomic-file.h"
#include "teken-x509-util.h"

#define SAMPLE_RESOURCE "/io/github/teken/Teken/sample/surat-contoh.pdf"
#define DEMO_DAYS 730

/* From data/meson.build (demo_resources); used directly, never registered globally. */
GResource *teken_demo_get_resource (void);

gboolean
teken_demo_identity_is_demo (TekenIdentity *identity)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (identity), FALSE);
  return teken_x509_is_demo_certificate (teken_identity_get_certificate (identity));
}

TekenIdentity *
teken_demo_find_identity (TekenIdentityStore *store)
{
  GListModel *model = teken_identity_store_get_identities (store);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenIdentity) identity = g_list_model_get_item (model, i);

      if (teken_identity_get_kind (identity) == TEKEN_IDENTITY_KIND_KEYRING &&
          teken_demo_identity_is_demo (identity))
        return identity;  /* the model keeps its reference */
    }
  return NULL;
}

X509 *
teken_demo_identity_get_ca (TekenIdentity *identity)
{
  STACK_OF (X509) *chain = teken_identity_get_chain (identity);

  for (int i = 0; i < sk_X509_num (chain); i++)
    {
      X509 *cert = sk_X509_value (chain, i);

      if (teken_x509_name_has_cn (X509_get_subject_name (cert), TEKEN_DEMO_CA_NAME) &&
          teken_x509_name_has_cn (X509_get_issuer_name (cert), TEKEN_DEMO_CA_NAME))
        return cert;
    }
  return NULL;
}

static gboolean
set_openssl_error (GError **error, const char *what)
{
  unsigned long code = ERR_get_error ();
  char buf[256] = "";

  if (code != 0)
    ERR_error_string_n (code, buf, sizeof buf);
  ERR_clear_error ();
  /* translators: %s is what failed, then OpenSSL's own message */
  g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_FAILED,
               _("Could not create the demo certificate (%s): %s"), what, buf);
  return FALSE;
}

static EVP_PKEY *
new_ec_key (void)
{
  return EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");
}

static gboolean
add_ext (X509 *cert, X509 *issuer, int nid, const char *value)
{
  X509V3_CTX ctx;
  X509_EXTENSION *ext;
  gboolean ok;

  X509V3_set_ctx_nodb (&ctx);
  X509V3_set_ctx (&ctx, issuer, cert, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, nid, value);
  if (ext == NULL)
    return FALSE;
  ok = X509_add_ext (cert, ext, -1) == 1;
  X509_EXTENSION_free (ext);
  return ok;
}

static gboolean
add_name_entry (X509_NAME *name, const char *field, const char *value)
{
  return X509_NAME_add_entry_by_txt (name, field, MBSTRING_UTF8,
                                     (const unsigned char *) value, -1, -1, 0) == 1;
}

static X509 *
new_cert (X509_NAME *subject, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, gboolean ca)
{
  g_autoptr(X509) cert = X509_new ();
  unsigned char serial[16];
  BIGNUM *bn = NULL;
  ASN1_INTEGER *ok;

  if (RAND_bytes (serial, sizeof serial) != 1)
    return NULL;
  serial[0] &= 0x7f;
  bn = BN_bin2bn (serial, sizeof serial, NULL);
  if (bn == NULL)
    return NULL;
  ok = BN_to_ASN1_INTEGER (bn, X509_get_serialNumber (cert));
  BN_free (bn);
  if (ok == NULL)
    return NULL;
  if (X509_set_version (cert, 2) != 1 ||
      X509_set_subject_name (cert, subject) != 1 ||
      X509_set_issuer_name (cert, issuer ? X509_get_subject_name (issuer) : subject) != 1 ||
      X509_set_pubkey (cert, key) != 1 ||
      X509_gmtime_adj (X509_getm_notBefore (cert), -3600) == NULL ||
      X509_time_adj_ex (X509_getm_notAfter (cert), DEMO_DAYS, 0, NULL) == NULL)
    return NULL;

  if (!add_ext (cert, issuer ? issuer : cert, NID_subject_key_identifier, "hash") ||
      !add_ext (cert, issuer ? issuer : cert, NID_authority_key_identifier, "keyid:always"))
    return NULL;
  if (ca)
    {
      if (!add_ext (cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
          !add_ext (cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign"))
        return NULL;
    }
  else
    {
      if (!add_ext (cert, issuer, NID_basic_constraints, "critical,CA:FALSE") ||
          !add_ext (cert, issuer, NID_key_usage, "critical,digitalSignature,nonRepudiation") ||
          !add_ext (cert, issuer, NID_ext_key_usage, "1.2.840.113583.1.1.5,emailProtection"))
        return NULL;
    }
  if (X509_sign (cert, issuer_key, EVP_sha256 ()) <= 0)
    return NULL;
  return g_steal_pointer (&cert);
}

/* The .p12 (AES-256/PBKDF2) of the demo signer with the demo CA in its chain. */
static GBytes *
build_demo_p12 (const TekenSecret *passphrase, GError **error)
{
  g_autoptr(EVP_PKEY) ca_key = new_ec_key ();
  g_autoptr(EVP_PKEY) key = new_ec_key ();
  g_autoptr(X509_NAME) ca_name = X509_NAME_new ();
  g_autoptr(X509_NAME) name = X509_NAME_new ();
  g_autoptr(X509) ca = NULL;
  g_autoptr(X509) cert = NULL;
  g_autoptr(TekenX509Stack) chain = sk_X509_new_null ();
  g_autoptr(PKCS12) p12 = NULL;
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long len;

  if (ca_key == NULL || key == NULL)
    return set_openssl_error (error, "key"), NULL;

  if (!add_name_entry (ca_name, "C", "ID") ||
      !add_name_entry (ca_name, "O", "Teken DEMO") ||
      !add_name_entry (ca_name, "CN", TEKEN_DEMO_CA_NAME) ||
      !add_name_entry (name, "C", "ID") ||
      !add_name_entry (name, "O", "Teken DEMO") ||
      !add_name_entry (name, "OU", TEKEN_DEMO_MARKER) ||
      !add_name_entry (name, "CN", TEKEN_DEMO_SIGNER_NAME) ||
      !add_name_entry (name, "description", "DEMO_Tanda Tangan Elektronik"))
    return set_openssl_error (error, "name"), NULL;

  ca = new_cert (ca_name, ca_key, NULL, ca_key, TRUE);
  if (ca == NULL)
    return set_openssl_error (error, "CA"), NULL;
  cert = new_cert (name, key, ca, ca_key, FALSE);
  if (cert == NULL)
    return set_openssl_error (error, "certificate"), NULL;

  if (sk_X509_push (chain, ca) <= 0)
    return set_openssl_error (error, "chain"), NULL;
  X509_up_ref (ca);

  p12 = PKCS12_create (passphrase, TEKEN_DEMO_SIGNER_NAME, key, cert, chain,
                       NID_aes_256_cbc, NID_aes_256_cbc, 0, 0, 0);
  if (p12 == NULL || i2d_PKCS12_bio (bio, p12) != 1)
    return set_openssl_error (error, "PKCS#12"), NULL;
  len = BIO_get_mem_data (bio, &data);
  return g_bytes_new (data, len);
}

static TekenSecret *
random_passphrase (void)
{
  guint8 raw[24];
  g_autofree char *b64 = NULL;
  TekenSecret *secret;

  if (RAND_bytes (raw, sizeof raw) != 1)
    return NULL;
  b64 = g_base64_encode (raw, sizeof raw);
  secret = teken_secret_new (b64);
  OPENSSL_cleanse (raw, sizeof raw);
  OPENSSL_cleanse (b64, strlen (b64));
  return secret;
}

TekenIdentity *
teken_demo_create_identity (TekenIdentityStore  *store,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autoptr(TekenSecret) passphrase = NULL;
  g_autoptr(GBytes) p12 = NULL;
  TekenIdentity *existing;

  g_return_val_if_fail (TEKEN_IS_IDENTITY_STORE (store), NULL);

  existing = teken_demo_find_identity (store);
  if (existing != NULL)
    return g_object_ref (existing);

  passphrase = random_passphrase ();
  if (passphrase == NULL)
    return set_openssl_error (error, "random"), NULL;
  p12 = build_demo_p12 (passphrase, error);
  if (p12 == NULL)
    return NULL;
  return teken_identity_store_import_p12_sync (store, p12, passphrase,
                                               TEKEN_IMPORT_FLAGS_REMEMBER_PASSPHRASE,
                                               cancellable, error);
}

/* The asynchronous variant: key generation in a worker thread, then the store's own
 * import_p12_async (which adds the identity to the model in the caller's thread). */
typedef struct
{
  GBytes *p12;
  TekenSecret *passphrase;
} DemoBuild;

static void
demo_build_free (DemoBuild *build)
{
  g_clear_pointer (&build->p12, g_bytes_unref);
  g_clear_pointer (&build->passphrase, teken_secret_free);
  g_free (build);
}

static void
demo_build_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  DemoBuild *build = task_data;
  GError *error = NULL;

  build->passphrase = random_passphrase ();
  if (build->passphrase == NULL)
    {
      set_openssl_error (&error, "random");
      g_task_return_error (task, error);
      return;
    }
  build->p12 = build_demo_p12 (build->passphrase, &error);
  if (build->p12 == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
demo_import_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  TekenIdentity *identity = teken_identity_store_import_p12_finish (TEKEN_IDENTITY_STORE (object), result, &error);

  if (identity == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, identity, g_object_unref);
}

static void
demo_built_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DemoBuild *build = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  teken_identity_store_import_p12_async (g_task_get_source_object (task), build->p12, build->passphrase,
                                         TEKEN_IMPORT_FLAGS_REMEMBER_PASSPHRASE,
                                         g_task_get_cancellable (task), demo_import_cb,
                                         g_object_ref (task));
}

void
teken_demo_create_identity_async (TekenIdentityStore  *store,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) build_task = NULL;
  TekenIdentity *existing;

  g_return_if_fail (TEKEN_IS_IDENTITY_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, teken_demo_create_identity_async);
  existing = teken_demo_find_identity (store);
  if (existing != NULL)
    {
      g_task_return_pointer (task, g_object_ref (existing), g_object_unref);
      return;
    }
  build_task = g_task_new (NULL, cancellable, demo_built_cb, g_object_ref (task));
  g_task_set_task_data (build_task, g_new0 (DemoBuild, 1), (GDestroyNotify) demo_build_free);
  g_task_run_in_thread (build_task, demo_build_thread);
}

TekenIdentity *
teken_demo_create_identity_finish (TekenIdentityStore  *store,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GBytes *
teken_demo_get_sample_letter (GError **error)
{
  g_autofree char *path = NULL;
  GBytes *bytes;
  char *data = NULL;
  gsize len = 0;

  bytes = g_resource_lookup_data (teken_demo_get_resource (), SAMPLE_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes != NULL)
    return bytes;
  path = g_build_filename (PKGDATADIR, "sample", "surat-contoh.pdf", NULL);
  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  return g_bytes_new_take (data, len);
}

char *
teken_demo_copy_sample_letter (const char  *dir,
                               GError     **error)
{
  g_autoptr(GBytes) bytes = teken_demo_get_sample_letter (error);
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *base = dir;

  if (bytes == NULL)
    return NULL;
  if (base == NULL)
    base = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  if (base == NULL)
    base = g_get_home_dir ();
  if (g_mkdir_with_parents (base, 0755) != 0)
    {
      int saved = errno;
      /* translators: %s is a folder, then the system's error message */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), base, g_strerror (saved));
      return NULL;
    }

  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup ("surat-contoh.pdf")
                                     : g_strdup_printf ("surat-contoh-%u.pdf", n);
      g_free (path);
      path = g_build_filename (base, name, NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        break;
      g_clear_pointer (&path, g_free);
    }
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("There is no free file name for the sample letter"));
      return NULL;
    }
  if (!teken_atomic_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                       FALSE, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&path);
}
