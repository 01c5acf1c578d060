/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-p12-key.h"

#include <openssl/err.h>
#include <openssl/rsa.h>

/* PKCS#12 files of signing certificates are a few KiB; anything huge is not one. */
#define MAX_P12_SIZE (16 * 1024 * 1024)

struct _TekenP12Key
{
  GObject parent_instance;

  EVP_PKEY *pkey;
  X509 *cert;
  STACK_OF (X509) *chain;
};

static void teken_p12_key_iface_init (TekenKeyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TekenP12Key, teken_p12_key, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TEKEN_TYPE_KEY, teken_p12_key_iface_init))

static gboolean
set_openssl_error (GError     **error,
                   TekenKeyError code,
                   const char  *message)
{
  g_autofree char *detail = teken_openssl_error_string ();

  if (detail != NULL && *detail != '\0')
    g_set_error (error, TEKEN_KEY_ERROR, code, "%s (%s)", message, detail);
  else
    g_set_error_literal (error, TEKEN_KEY_ERROR, code, message);
  return FALSE;
}

static gboolean
setup_scheme (EVP_PKEY_CTX     *pctx,
              TekenSignScheme   scheme,
              const EVP_MD     *md)
{
  if (scheme == TEKEN_SIGN_SCHEME_RSA_PKCS1)
    return EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PADDING) > 0;
  if (scheme == TEKEN_SIGN_SCHEME_RSA_PSS)
    return EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen (pctx, RSA_PSS_SALTLEN_DIGEST) > 0 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md (pctx, md) > 0;
  return TRUE;
}

static GBytes *
teken_p12_key_sign (TekenKey         *key,
                    TekenDigest       digest,
                    TekenSignScheme   scheme,
                    const guint8     *data,
                    gsize             len,
                    GCancellable     *cancellable,
                    GError          **error)
{
  TekenP12Key *self = TEKEN_P12_KEY (key);
  g_autoptr(EVP_MD_CTX) mctx = EVP_MD_CTX_new ();
  const EVP_MD *md = teken_digest_get_md (digest);
  EVP_PKEY_CTX *pctx = NULL;
  g_autofree guint8 *sig = NULL;
  size_t sig_len = 0;

  ERR_clear_error ();
  /* Pure EdDSA hashes internally: it takes no digest. */
  if (scheme == TEKEN_SIGN_SCHEME_EDDSA)
    md = NULL;
  if (mctx == NULL ||
      EVP_DigestSignInit (mctx, &pctx, md, NULL, self->pkey) <= 0 ||
      !setup_scheme (pctx, scheme, md))
    {
      set_openssl_error (error, TEKEN_KEY_ERROR_UNSUPPORTED,
                         _("The key cannot make this kind of signature"));
      return NULL;
    }
  if (EVP_DigestSign (mctx, NULL, &sig_len, data, len) <= 0)
    {
      set_openssl_error (error, TEKEN_KEY_ERROR_FAILED, _("Signing failed"));
      return NULL;
    }
  sig = g_malloc (sig_len);
  if (EVP_DigestSign (mctx, sig, &sig_len, data, len) <= 0)
    {
      set_openssl_error (error, TEKEN_KEY_ERROR_FAILED, _("Signing failed"));
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&sig), sig_len);
}

static X509 *
teken_p12_key_get_certificate (TekenKey *key)
{
  return TEKEN_P12_KEY (key)->cert;
}

static STACK_OF (X509) *
teken_p12_key_get_chain (TekenKey *key)
{
  return TEKEN_P12_KEY (key)->chain;
}

static void
teken_p12_key_iface_init (TekenKeyInterface *iface)
{
  iface->get_certificate = teken_p12_key_get_certificate;
  iface->get_chain = teken_p12_key_get_chain;
  iface->sign = teken_p12_key_sign;
}

static void
teken_p12_key_finalize (GObject *object)
{
  TekenP12Key *self = TEKEN_P12_KEY (object);

  g_clear_pointer (&self->pkey, EVP_PKEY_free);
  g_clear_pointer (&self->cert, X509_free);
  g_clear_pointer (&self->chain, teken_x509_stack_free);

  G_OBJECT_CLASS (teken_p12_key_parent_class)->finalize (object);
}

static void
teken_p12_key_class_init (TekenP12KeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_p12_key_finalize;
}

static void
teken_p12_key_init (TekenP12Key *self)
{
}

/* PKCS12_parse() verifies the MAC itself (and retries an empty passphrase as "no password");
 * its MAC failure is what tells a wrong passphrase apart from a damaged file. Checking the MAC
 * separately first would run the slow key derivation twice. */
static gboolean
is_wrong_passphrase (void)
{
  unsigned long code = ERR_peek_last_error ();

  if (ERR_GET_LIB (code) != ERR_LIB_PKCS12 || ERR_GET_REASON (code) != PKCS12_R_MAC_VERIFY_FAILURE)
    return FALSE;
  ERR_clear_error ();
  return TRUE;
}

/* Keeps the chain free of the signer itself and of duplicates. */
static STACK_OF (X509) *
clean_chain (STACK_OF (X509) *ca,
             X509            *cert)
{
  STACK_OF (X509) *chain = sk_X509_new_null ();

  for (int i = 0; ca != NULL && i < sk_X509_num (ca); i++)
    {
      X509 *c = sk_X509_value (ca, i);
      gboolean dup = X509_cmp (c, cert) == 0;

      for (int j = 0; !dup && j < sk_X509_num (chain); j++)
        dup = X509_cmp (c, sk_X509_value (chain, j)) == 0;
      if (!dup && X509_up_ref (c))
        sk_X509_push (chain, c);
    }
  return chain;
}

TekenP12Key *
teken_p12_key_new_from_bytes (GBytes      *bytes,
                              const char  *passphrase,
                              GError     **error)
{
  g_autoptr(TekenP12Key) self = NULL;
  g_autoptr(BIO) bio = NULL;
  g_autoptr(PKCS12) p12 = NULL;
  g_autoptr(EVP_PKEY) pkey = NULL;
  g_autoptr(X509) cert = NULL;
  g_autoptr(TekenX509Stack) ca = NULL;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (passphrase == NULL)
    passphrase = "";
  data = g_bytes_get_data (bytes, &len);
  ERR_clear_error ();
  bio = BIO_new_mem_buf (data, (int) MIN (len, (gsize) G_MAXINT));
  p12 = len > 0 && len <= MAX_P12_SIZE ? d2i_PKCS12_bio (bio, NULL) : NULL;
  if (p12 == NULL)
    {
      ERR_clear_error ();
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_INVALID_FILE,
                           _("This is not a PKCS#12 (.p12) certificate file"));
      return NULL;
    }
  if (!PKCS12_parse (p12, passphrase, &pkey, &cert, &ca))
    {
      if (is_wrong_passphrase ())
        g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_BAD_PASSPHRASE,
                             _("The passphrase is wrong"));
      else
        set_openssl_error (error, TEKEN_KEY_ERROR_INVALID_FILE,
                           _("The PKCS#12 file could not be read"));
      return NULL;
    }
  if (pkey == NULL)
    {
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_NO_KEY,
                           _("The PKCS#12 file holds no private key"));
      return NULL;
    }
  if (cert == NULL)
    {
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_NO_CERTIFICATE,
                           _("The PKCS#12 file holds no certificate for its key"));
      return NULL;
    }
  if (!X509_check_private_key (cert, pkey))
    {
      ERR_clear_error ();
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_NO_CERTIFICATE,
                           _("The certificate in the PKCS#12 file does not belong to its key"));
      return NULL;
    }

  self = g_object_new (TEKEN_TYPE_P12_KEY, NULL);
  self->pkey = g_steal_pointer (&pkey);
  self->cert = g_steal_pointer (&cert);
  self->chain = clean_chain (ca, self->cert);
  return g_steal_pointer (&self);
}

TekenP12Key *
teken_p12_key_new_from_file (const char  *path,
                             const char  *passphrase,
                             GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_INVALID_FILE,
                           local_error->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  return teken_p12_key_new_from_bytes (bytes, passphrase, error);
}
