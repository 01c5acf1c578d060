/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PKCS#12 keys and the CMS builder, checked with OpenSSL's own verification (library and CLI).
 */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <glib/gstdio.h>

#include "teken-core.h"
#include "teken-cms.h"
#include "teken-p12-key.h"

static char *passphrase;
static char *tmp_dir;

static char *
pki_path (const char *name)
{
  const char *dir = g_getenv ("TEKEN_TEST_PKI");

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

static TekenKey *
load_key (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.p12", name);
  g_autofree char *path = pki_path (file);
  g_autoptr(GError) error = NULL;
  TekenP12Key *key = teken_p12_key_new_from_file (path, passphrase, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return TEKEN_KEY (key);
}

static void
test_p12_good (void)
{
  g_autoptr(TekenKey) key = load_key ("individu-rsa2048");
  X509 *cert = teken_key_get_certificate (key);
  g_autofree char *subject = X509_NAME_oneline (X509_get_subject_name (cert), NULL, 0);

  g_assert_nonnull (strstr (subject, "CN=Budi Santoso"));
  /* ca + root, without the signer itself */
  g_assert_cmpint (sk_X509_num (teken_key_get_chain (key)), ==, 2);
  g_assert_cmpint (teken_key_get_default_scheme (key), ==, TEKEN_SIGN_SCHEME_RSA_PKCS1);
  g_assert_true (teken_key_supports_scheme (key, TEKEN_SIGN_SCHEME_RSA_PSS));
  g_assert_false (teken_key_supports_scheme (key, TEKEN_SIGN_SCHEME_ECDSA));
  g_assert_cmpuint (teken_key_get_max_signature_size (key), ==, 256);
}

static void
expect_p12_error (const char *file,
                  const char *pass,
                  int         code)
{
  g_autofree char *path = pki_path (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenP12Key) key = teken_p12_key_new_from_file (path, pass, &error);

  g_assert_null (key);
  g_assert_error (error, TEKEN_KEY_ERROR, code);
}

static void
test_p12_errors (void)
{
  g_autofree char *pdf = g_build_filename (g_getenv ("TEKEN_TEST_CORPUS"), "laporan-cairo.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenP12Key) key = NULL;

  expect_p12_error ("individu-rsa2048.p12", "salah", TEKEN_KEY_ERROR_BAD_PASSPHRASE);
  expect_p12_error ("individu-rsa2048.p12", "", TEKEN_KEY_ERROR_BAD_PASSPHRASE);
  expect_p12_error ("nokey.p12", passphrase, TEKEN_KEY_ERROR_NO_KEY);
  expect_p12_error ("does-not-exist.p12", passphrase, TEKEN_KEY_ERROR_INVALID_FILE);

  key = teken_p12_key_new_from_file (pdf, passphrase, &error);
  g_assert_null (key);
  g_assert_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_INVALID_FILE);
}

static void
test_p12_message (void)
{
  g_autofree char *path = pki_path ("individu-p256.p12");
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenP12Key) key = teken_p12_key_new_from_file (path, "wrong", &error);

  g_assert_null (key);
  g_assert_cmpstr (error->message, ==, "The passphrase is wrong");
}

static void
test_p12_legacy_and_nochain (void)
{
  g_autoptr(TekenKey) legacy = load_key ("legacy-rc2");
  g_autoptr(TekenKey) nochain = load_key ("nochain");
  g_autoptr(TekenKey) modern = load_key ("individu-rsa2048");
  STACK_OF (X509) *chain = teken_key_get_chain (nochain);

  g_assert_cmpint (X509_cmp (teken_key_get_certificate (legacy), teken_key_get_certificate (modern)), ==, 0);
  g_assert_true (chain == NULL || sk_X509_num (chain) == 0);
}

static void
test_p12_from_bytes (void)
{
  g_autofree char *path = pki_path ("individu-p384.p12");
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenP12Key) key = NULL;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  bytes = g_bytes_new (data, len);
  key = teken_p12_key_new_from_bytes (bytes, passphrase, &error);
  g_assert_no_error (error);
  g_assert_cmpint (teken_key_get_default_scheme (TEKEN_KEY (key)), ==, TEKEN_SIGN_SCHEME_ECDSA);
}

typedef struct
{
  const char *key;
  TekenSignScheme scheme;
  TekenDigest digest;
} SchemeCase;

static const SchemeCase scheme_cases[] = {
  { "individu-rsa2048", TEKEN_SIGN_SCHEME_RSA_PKCS1, TEKEN_DIGEST_SHA256 },
  { "individu-rsa2048", TEKEN_SIGN_SCHEME_RSA_PSS, TEKEN_DIGEST_SHA256 },
  { "individu-rsa4096", TEKEN_SIGN_SCHEME_RSA_PKCS1, TEKEN_DIGEST_SHA512 },
  { "individu-rsapss", TEKEN_SIGN_SCHEME_RSA_PSS, TEKEN_DIGEST_SHA256 },
  { "individu-rsapss", TEKEN_SIGN_SCHEME_RSA_PSS, TEKEN_DIGEST_SHA384 },
  { "individu-p256", TEKEN_SIGN_SCHEME_ECDSA, TEKEN_DIGEST_SHA256 },
  { "individu-p384", TEKEN_SIGN_SCHEME_ECDSA, TEKEN_DIGEST_SHA384 },
  { "individu-ed25519", TEKEN_SIGN_SCHEME_EDDSA, TEKEN_DIGEST_SHA512 },
};

static gboolean
verify_raw (X509            *cert,
            const SchemeCase *c,
            const guint8     *data,
            gsize             len,
            GBytes           *sig)
{
  EVP_MD_CTX *mctx = EVP_MD_CTX_new ();
  EVP_PKEY_CTX *pctx = NULL;
  const EVP_MD *md = c->scheme == TEKEN_SIGN_SCHEME_EDDSA ? NULL : teken_digest_get_md (c->digest);
  gsize sig_len;
  const guint8 *sig_data = g_bytes_get_data (sig, &sig_len);
  int ok;

  g_assert_cmpint (EVP_DigestVerifyInit (mctx, &pctx, md, NULL, X509_get0_pubkey (cert)), ==, 1);
  if (c->scheme == TEKEN_SIGN_SCHEME_RSA_PSS)
    {
      g_assert_cmpint (EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PSS_PADDING), >, 0);
      /* the exact salt length the scheme promises */
      g_assert_cmpint (EVP_PKEY_CTX_set_rsa_pss_saltlen (pctx, EVP_MD_get_size (md)), >, 0);
      g_assert_cmpint (EVP_PKEY_CTX_set_rsa_mgf1_md (pctx, md), >, 0);
    }
  else if (c->scheme == TEKEN_SIGN_SCHEME_RSA_PKCS1)
    g_assert_cmpint (EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PADDING), >, 0);
  ok = EVP_DigestVerify (mctx, sig_data, sig_len, data, len);
  EVP_MD_CTX_free (mctx);
  ERR_clear_error ();
  return ok == 1;
}

static void
test_key_schemes (void)
{
  static const guint8 data[] = "Surat Keputusan Bupati Contoh Nomor 1 Tahun 2026";

  for (guint i = 0; i < G_N_ELEMENTS (scheme_cases); i++)
    {
      const SchemeCase *c = &scheme_cases[i];
      g_autoptr(TekenKey) key = load_key (c->key);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) sig = NULL;
      guint8 tampered[sizeof data];

      g_test_message ("%s scheme %d digest %d", c->key, c->scheme, c->digest);
      g_assert_true (teken_key_supports_scheme (key, c->scheme));
      sig = teken_key_sign (key, c->digest, c->scheme, data, sizeof data, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (sig), <=, teken_key_get_max_signature_size (key));
      g_assert_true (verify_raw (teken_key_get_certificate (key), c, data, sizeof data, sig));
      memcpy (tampered, data, sizeof data);
      tampered[0] ^= 1;
      g_assert_false (verify_raw (teken_key_get_certificate (key), c, tampered, sizeof data, sig));
    }
}

static void
test_key_wrong_scheme (void)
{
  g_autoptr(TekenKey) key = load_key ("individu-p256");
  g_autoptr(TekenKey) pss = load_key ("individu-rsapss");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sig = NULL;

  sig = teken_key_sign (key, TEKEN_DIGEST_SHA256, TEKEN_SIGN_SCHEME_RSA_PKCS1,
                        (const guint8 *) "x", 1, NULL, &error);
  g_assert_null (sig);
  g_assert_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_UNSUPPORTED);
  g_assert_false (teken_key_supports_scheme (pss, TEKEN_SIGN_SCHEME_RSA_PKCS1));
  g_assert_cmpint (teken_key_get_default_scheme (pss), ==, TEKEN_SIGN_SCHEME_RSA_PSS);
}

static void
test_key_cancelled (void)
{
  g_autoptr(TekenKey) key = load_key ("individu-p256");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sig = NULL;

  g_cancellable_cancel (cancellable);
  sig = teken_key_sign (key, TEKEN_DIGEST_SHA256, TEKEN_SIGN_SCHEME_ECDSA,
                        (const guint8 *) "x", 1, cancellable, &error);
  g_assert_null (sig);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_digest_helpers (void)
{
  TekenDigest d;

  g_assert_true (teken_digest_from_string ("sha384", &d));
  g_assert_cmpint (d, ==, TEKEN_DIGEST_SHA384);
  g_assert_true (teken_digest_from_string ("SHA-512", &d));
  g_assert_cmpint (d, ==, TEKEN_DIGEST_SHA512);
  g_assert_false (teken_digest_from_string ("sha1", &d));
  g_assert_false (teken_digest_from_string ("md5", &d));
  g_assert_cmpstr (teken_digest_to_string (TEKEN_DIGEST_SHA256), ==, "sha256");
  g_assert_cmpuint (teken_digest_get_size (TEKEN_DIGEST_SHA384), ==, 48);
  g_assert_true (teken_digest_get_md (TEKEN_DIGEST_SHA512) == EVP_sha512 ());
}

/* --- CMS --- */

static GBytes *
build_cms (TekenKey        *key,
           const SchemeCase *c,
           const guint8     *content,
           gsize             len,
           gboolean          cades)
{
  g_autoptr(TekenCmsBuilder) builder = teken_cms_builder_new (key, c->digest);
  g_autoptr(GError) error = NULL;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  GBytes *der;

  g_assert_cmpint (EVP_Digest (content, len, digest, &digest_len, teken_digest_get_md (c->digest), NULL), ==, 1);
  teken_cms_builder_set_scheme (builder, c->scheme);
  teken_cms_builder_set_cades (builder, cades);
  g_assert_true (teken_cms_builder_sign (builder, digest, digest_len, NULL, &error));
  g_assert_no_error (error);
  der = teken_cms_builder_serialize (builder, &error);
  g_assert_no_error (error);
  return der;
}

static gboolean
openssl_cms_verify (GBytes     *der,
                    const char *content_path,
                    char      **out_err)
{
  g_autofree char *cms_path = g_build_filename (tmp_dir, "sig.p7s", NULL);
  g_autofree char *root = pki_path ("root.crt");
  g_autofree char *ca = pki_path ("ca.crt");
  const char *argv[] = { "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", cms_path,
                         "-content", content_path, "-CAfile", root, "-purpose", "any",
                         "-out", "/dev/null", NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_file_set_contents (cms_path, g_bytes_get_data (der, NULL), g_bytes_get_size (der), NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, out_err, &status, &error));
  g_assert_no_error (error);
  (void) ca;
  return g_spawn_check_wait_status (status, NULL);
}

static CMS_ContentInfo *
parse_cms (GBytes *der)
{
  const unsigned char *p = g_bytes_get_data (der, NULL);
  CMS_ContentInfo *cms = d2i_CMS_ContentInfo (NULL, &p, g_bytes_get_size (der));

  g_assert_nonnull (cms);
  g_assert_true (p == (const unsigned char *) g_bytes_get_data (der, NULL) + g_bytes_get_size (der));
  return cms;
}

static CMS_ContentInfo *parse_cms (GBytes *der);

/* RFC 8419: messageDigest is SHA-512 of the content; the signature is pure Ed25519 over the DER
 * of the signed attributes (re-encoded from the parsed structure by OpenSSL). */
static void
verify_eddsa_by_hand (TekenKey     *key,
                      GBytes       *der,
                      const guint8 *content,
                      gsize         len)
{
  CMS_ContentInfo *cms = parse_cms (der);
  CMS_SignerInfo *si = sk_CMS_SignerInfo_value (CMS_get0_SignerInfos (cms), 0);
  ASN1_OCTET_STRING *md_attr, *sig;
  guint8 digest[64];
  unsigned int digest_len;
  unsigned char *attrs_der = NULL;
  int attrs_len;
  EVP_MD_CTX *mctx = EVP_MD_CTX_new ();
  X509 *signer = NULL;
  STACK_OF (X509) *certs = CMS_get1_certs (cms);

  md_attr = CMS_signed_get0_data_by_OBJ (si, OBJ_nid2obj (NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING);
  g_assert_nonnull (md_attr);
  EVP_Digest (content, len, digest, &digest_len, EVP_sha512 (), NULL);
  g_assert_cmpmem (md_attr->data, md_attr->length, digest, digest_len);
  {
    STACK_OF (X509_ATTRIBUTE) *attrs = sk_X509_ATTRIBUTE_new_null ();

    for (int i = 0; i < CMS_signed_get_attr_count (si); i++)
      sk_X509_ATTRIBUTE_push (attrs, CMS_signed_get_attr (si, i));
    attrs_len = ASN1_item_i2d ((ASN1_VALUE *) attrs, &attrs_der, ASN1_ITEM_rptr (PKCS7_ATTR_SIGN));
    sk_X509_ATTRIBUTE_free (attrs);
  }
  g_assert_cmpint (attrs_len, >, 0);
  for (int i = 0; i < sk_X509_num (certs); i++)
    if (CMS_SignerInfo_cert_cmp (si, sk_X509_value (certs, i)) == 0)
      signer = sk_X509_value (certs, i);
  g_assert_nonnull (signer);
  g_assert_cmpint (X509_cmp (signer, teken_key_get_certificate (key)), ==, 0);
  sig = CMS_SignerInfo_get0_signature (si);
  g_assert_cmpint (EVP_DigestVerifyInit (mctx, NULL, NULL, NULL, X509_get0_pubkey (signer)), ==, 1);
  g_assert_cmpint (EVP_DigestVerify (mctx, sig->data, sig->length, attrs_der, attrs_len), ==, 1);
  attrs_der[attrs_len - 1] ^= 1;
  g_assert_cmpint (EVP_DigestVerify (mctx, sig->data, sig->length, attrs_der, attrs_len), !=, 1);
  ERR_clear_error ();
  OPENSSL_free (attrs_der);
  EVP_MD_CTX_free (mctx);
  sk_X509_pop_free (certs, X509_free);
  CMS_ContentInfo_free (cms);
}

static void
test_cms_openssl_verify (void)
{
  static const char text[] = "%PDF-1.7 pretend ByteRange bytes\n";
  g_autofree char *content_path = g_build_filename (tmp_dir, "content.bin", NULL);

  g_assert_true (g_file_set_contents (content_path, text, strlen (text), NULL));
  for (guint i = 0; i < G_N_ELEMENTS (scheme_cases); i++)
    {
      const SchemeCase *c = &scheme_cases[i];
      g_autoptr(TekenKey) key = load_key (c->key);
      g_autoptr(GBytes) der = build_cms (key, c, (const guint8 *) text, strlen (text), TRUE);
      g_autofree char *err = NULL;
      g_autofree char *other = g_build_filename (tmp_dir, "other.bin", NULL);

      g_test_message ("CMS %s scheme %d digest %d", c->key, c->scheme, c->digest);
      if (c->scheme == TEKEN_SIGN_SCHEME_EDDSA)
        {
          /* OpenSSL 3.0's CMS_SignerInfo_verify() passes a digest name to Ed25519 and fails
           * ("eddsa_digest_signverify_init:invalid digest"); check the same things by hand. */
          verify_eddsa_by_hand (key, der, (const guint8 *) text, strlen (text));
          continue;
        }
      if (!openssl_cms_verify (der, content_path, &err))
        g_error ("openssl cms -verify failed for %s: %s", c->key, err);
      /* and it must fail for other content */
      g_assert_true (g_file_set_contents (other, "something else", -1, NULL));
      g_clear_pointer (&err, g_free);
      g_assert_false (openssl_cms_verify (der, other, &err));
    }
}

static gboolean
has_signed_attr (CMS_SignerInfo *si,
                 int             nid)
{
  return CMS_signed_get_attr_by_NID (si, nid, -1) >= 0;
}

static void
test_cms_attributes (void)
{
  static const guint8 content[] = "isi dokumen";
  const SchemeCase c = { "individu-p256", TEKEN_SIGN_SCHEME_ECDSA, TEKEN_DIGEST_SHA256 };
  g_autoptr(TekenKey) key = load_key (c.key);

  for (int cades = 0; cades <= 1; cades++)
    {
      g_autoptr(GBytes) der = build_cms (key, &c, content, sizeof content, cades);
      CMS_ContentInfo *cms = parse_cms (der);
      STACK_OF (CMS_SignerInfo) *sis = CMS_get0_SignerInfos (cms);
      CMS_SignerInfo *si;
      STACK_OF (X509) *certs = CMS_get1_certs (cms);
      X509_ALGOR *dig = NULL, *sig = NULL;

      g_assert_cmpint (sk_CMS_SignerInfo_num (sis), ==, 1);
      si = sk_CMS_SignerInfo_value (sis, 0);
      g_assert_true (has_signed_attr (si, NID_pkcs9_contentType));
      g_assert_true (has_signed_attr (si, NID_pkcs9_messageDigest));
      g_assert_true (has_signed_attr (si, NID_id_smime_aa_signingCertificateV2));
      g_assert_false (has_signed_attr (si, NID_id_smime_aa_signingCertificate));
      g_assert_false (has_signed_attr (si, NID_SMIMECapabilities));
      /* ETSI.CAdES.detached: no signingTime; adbe.pkcs7.detached: one */
      g_assert_cmpint (has_signed_attr (si, NID_pkcs9_signingTime), ==, !cades);
      g_assert_cmpint (CMS_signed_get_attr_count (si), ==, cades ? 3 : 4);
      /* signer + ca + root, each once */
      g_assert_cmpint (sk_X509_num (certs), ==, 3);
      for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
          g_assert_cmpint (X509_cmp (sk_X509_value (certs, i), sk_X509_value (certs, j)), !=, 0);
      g_assert_true (CMS_get0_content (cms) == NULL || *CMS_get0_content (cms) == NULL);
      CMS_SignerInfo_get0_algs (si, NULL, NULL, &dig, &sig);
      g_assert_cmpint (OBJ_obj2nid (dig->algorithm), ==, NID_sha256);
      g_assert_cmpint (OBJ_obj2nid (sig->algorithm), ==, NID_ecdsa_with_SHA256);
      sk_X509_pop_free (certs, X509_free);
      CMS_ContentInfo_free (cms);
    }
}

static void
test_cms_algorithms (void)
{
  static const guint8 content[] = "x";
  const struct { SchemeCase c; int sig_nid; int dig_nid; } cases[] = {
    { { "individu-rsa2048", TEKEN_SIGN_SCHEME_RSA_PKCS1, TEKEN_DIGEST_SHA384 }, NID_rsaEncryption, NID_sha384 },
    { { "individu-rsa2048", TEKEN_SIGN_SCHEME_RSA_PSS, TEKEN_DIGEST_SHA256 }, NID_rsassaPss, NID_sha256 },
    { { "individu-p384", TEKEN_SIGN_SCHEME_ECDSA, TEKEN_DIGEST_SHA384 }, NID_ecdsa_with_SHA384, NID_sha384 },
    { { "individu-p256", TEKEN_SIGN_SCHEME_ECDSA, TEKEN_DIGEST_SHA512 }, NID_ecdsa_with_SHA512, NID_sha512 },
    { { "individu-ed25519", TEKEN_SIGN_SCHEME_EDDSA, TEKEN_DIGEST_SHA512 }, NID_ED25519, NID_sha512 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TekenKey) key = load_key (cases[i].c.key);
      g_autoptr(GBytes) der = build_cms (key, &cases[i].c, content, 1, TRUE);
      CMS_ContentInfo *cms = parse_cms (der);
      CMS_SignerInfo *si = sk_CMS_SignerInfo_value (CMS_get0_SignerInfos (cms), 0);
      X509_ALGOR *dig = NULL, *sig = NULL;

      CMS_SignerInfo_get0_algs (si, NULL, NULL, &dig, &sig);
      g_assert_cmpint (OBJ_obj2nid (sig->algorithm), ==, cases[i].sig_nid);
      g_assert_cmpint (OBJ_obj2nid (dig->algorithm), ==, cases[i].dig_nid);
      if (cases[i].sig_nid == NID_rsassaPss)
        {
          const ASN1_STRING *params = NULL;
          int ptype;
          RSA_PSS_PARAMS *pss;

          X509_ALGOR_get0 (NULL, &ptype, (const void **) &params, sig);
          g_assert_cmpint (ptype, ==, V_ASN1_SEQUENCE);
          pss = ASN1_item_unpack (params, ASN1_ITEM_rptr (RSA_PSS_PARAMS));
          g_assert_nonnull (pss);
          g_assert_cmpint (ASN1_INTEGER_get (pss->saltLength), ==, 32);
          g_assert_cmpint (OBJ_obj2nid (pss->hashAlgorithm->algorithm), ==, NID_sha256);
          g_assert_cmpint (OBJ_obj2nid (pss->maskGenAlgorithm->algorithm), ==, NID_mgf1);
          RSA_PSS_PARAMS_free (pss);
        }
      CMS_ContentInfo_free (cms);
    }
}

static void
test_cms_bad_input (void)
{
  g_autoptr(TekenKey) ed = load_key ("individu-ed25519");
  g_autoptr(TekenKey) rsa = load_key ("individu-rsa2048");
  g_autoptr(TekenCmsBuilder) b1 = teken_cms_builder_new (ed, TEKEN_DIGEST_SHA256);
  g_autoptr(TekenCmsBuilder) b2 = teken_cms_builder_new (rsa, TEKEN_DIGEST_SHA256);
  g_autoptr(GError) error = NULL;
  guint8 digest[64] = { 0 };

  g_assert_false (teken_cms_builder_sign (b1, digest, 32, NULL, &error));
  g_assert_error (error, TEKEN_CMS_ERROR, TEKEN_CMS_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (teken_cms_builder_sign (b2, digest, 48, NULL, &error));
  g_assert_error (error, TEKEN_CMS_ERROR, TEKEN_CMS_ERROR_INVALID);
}

static void
test_cms_unsigned_attribute (void)
{
  static const char text[] = "konten";
  g_autofree char *content_path = g_build_filename (tmp_dir, "content2.bin", NULL);
  g_autoptr(TekenKey) key = load_key ("individu-rsa2048");
  g_autoptr(TekenCmsBuilder) builder = teken_cms_builder_new (key, TEKEN_DIGEST_SHA256);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sigval = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GBytes) bad = g_bytes_new_static ("\x30\x05\x02", 3);
  /* a stand-in SEQUENCE { INTEGER 5, OCTET STRING "ab" } */
  static const guint8 value[] = { 0x30, 0x07, 0x02, 0x01, 0x05, 0x04, 0x02, 'a', 'b' };
  g_autoptr(GBytes) value_bytes = g_bytes_new_static (value, sizeof value);
  guint8 digest[32];
  unsigned int digest_len;
  CMS_ContentInfo *cms;
  CMS_SignerInfo *si;
  X509_ATTRIBUTE *attr;
  ASN1_TYPE *t;
  g_autofree char *err = NULL;

  g_assert_true (g_file_set_contents (content_path, text, strlen (text), NULL));
  EVP_Digest (text, strlen (text), digest, &digest_len, EVP_sha256 (), NULL);
  g_assert_true (teken_cms_builder_sign (builder, digest, digest_len, NULL, &error));
  sigval = teken_cms_builder_get_signature_value (builder);
  g_assert_cmpuint (g_bytes_get_size (sigval), ==, 256);
  g_assert_false (teken_cms_builder_add_unsigned_attribute (builder, "1.2.840.113549.1.9.16.2.14", bad, &error));
  g_assert_error (error, TEKEN_CMS_ERROR, TEKEN_CMS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (teken_cms_builder_add_unsigned_attribute (builder, "1.2.840.113549.1.9.16.2.14", value_bytes, &error));
  g_assert_no_error (error);
  der = teken_cms_builder_serialize (builder, &error);
  g_assert_no_error (error);

  cms = parse_cms (der);
  si = sk_CMS_SignerInfo_value (CMS_get0_SignerInfos (cms), 0);
  g_assert_cmpint (CMS_unsigned_get_attr_count (si), ==, 1);
  attr = CMS_unsigned_get_attr (si, 0);
  g_assert_cmpint (OBJ_obj2nid (X509_ATTRIBUTE_get0_object (attr)), ==, NID_id_smime_aa_timeStampToken);
  t = X509_ATTRIBUTE_get0_type (attr, 0);
  g_assert_cmpint (ASN1_TYPE_get (t), ==, V_ASN1_SEQUENCE);
  g_assert_cmpmem (t->value.sequence->data, t->value.sequence->length, value, sizeof value);
  CMS_ContentInfo_free (cms);
  /* the unsigned attribute does not disturb the signature */
  if (!openssl_cms_verify (der, content_path, &err))
    g_error ("openssl cms -verify: %s", err);
}

static void
test_cms_estimate (void)
{
  const char *names[] = { "individu-rsa4096", "individu-p384", "individu-rsa2048" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TekenKey) key = load_key (names[i]);
      const SchemeCase c = { names[i], teken_key_get_default_scheme (key), TEKEN_DIGEST_SHA512 };
      g_autoptr(GBytes) der = NULL;

      for (int cades = 0; cades <= 1; cades++)
        {
          g_clear_pointer (&der, g_bytes_unref);
          der = build_cms (key, &c, (const guint8 *) "x", 1, cades);
          g_assert_cmpuint (g_bytes_get_size (der), <=, teken_cms_estimate_size (key, 0));
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *pass_path = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  teken_core_init ();

  pass_path = pki_path ("passphrase.txt");
  g_assert_true (g_file_get_contents (pass_path, &passphrase, NULL, NULL));
  g_strchomp (passphrase);
  tmp_dir = g_dir_make_tmp ("teken-sign-crypto-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/sign/digest/helpers", test_digest_helpers);
  g_test_add_func ("/sign/p12/good", test_p12_good);
  g_test_add_func ("/sign/p12/errors", test_p12_errors);
  g_test_add_func ("/sign/p12/message", test_p12_message);
  g_test_add_func ("/sign/p12/legacy-and-nochain", test_p12_legacy_and_nochain);
  g_test_add_func ("/sign/p12/from-bytes", test_p12_from_bytes);
  g_test_add_func ("/sign/key/schemes", test_key_schemes);
  g_test_add_func ("/sign/key/wrong-scheme", test_key_wrong_scheme);
  g_test_add_func ("/sign/key/cancelled", test_key_cancelled);
  g_test_add_func ("/sign/cms/openssl-verify", test_cms_openssl_verify);
  g_test_add_func ("/sign/cms/attributes", test_cms_attributes);
  g_test_add_func ("/sign/cms/algorithms", test_cms_algorithms);
  g_test_add_func ("/sign/cms/bad-input", test_cms_bad_input);
  g_test_add_func ("/sign/cms/unsigned-attribute", test_cms_unsigned_attribute);
  g_test_add_func ("/sign/cms/estimate", test_cms_estimate);

  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmp_dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  OPENSSL_cleanse (passphrase, strlen (passphrase));
  g_free (passphrase);
  return ret;
}
