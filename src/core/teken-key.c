/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-key.h"

G_DEFINE_QUARK (teken-key-error-quark, teken_key_error)

G_DEFINE_INTERFACE (TekenKey, teken_key, G_TYPE_OBJECT)

static const struct
{
  TekenDigest digest;
  const char *name;
  gsize size;
} digests[] = {
  { TEKEN_DIGEST_SHA256, "sha256", 32 },
  { TEKEN_DIGEST_SHA384, "sha384", 48 },
  { TEKEN_DIGEST_SHA512, "sha512", 64 },
};

const char *
teken_digest_to_string (TekenDigest digest)
{
  for (guint i = 0; i < G_N_ELEMENTS (digests); i++)
    if (digests[i].digest == digest)
      return digests[i].name;
  return NULL;
}

gboolean
teken_digest_from_string (const char  *name,
                          TekenDigest *digest)
{
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (digests); i++)
    {
      /* Accept "SHA-256" as well as "sha256". */
      g_autofree char *dashed = g_strdup_printf ("sha-%s", digests[i].name + 3);

      if (g_ascii_strcasecmp (name, digests[i].name) == 0 ||
          g_ascii_strcasecmp (name, dashed) == 0)
        {
          if (digest != NULL)
            *digest = digests[i].digest;
          return TRUE;
        }
    }
  return FALSE;
}

const EVP_MD *
teken_digest_get_md (TekenDigest digest)
{
  switch (digest)
    {
    case TEKEN_DIGEST_SHA256:
      return EVP_sha256 ();
    case TEKEN_DIGEST_SHA384:
      return EVP_sha384 ();
    case TEKEN_DIGEST_SHA512:
      return EVP_sha512 ();
    default:
      return NULL;
    }
}

gsize
teken_digest_get_size (TekenDigest digest)
{
  for (guint i = 0; i < G_N_ELEMENTS (digests); i++)
    if (digests[i].digest == digest)
      return digests[i].size;
  return 0;
}

static void
teken_key_default_init (TekenKeyInterface *iface)
{
}

X509 *
teken_key_get_certificate (TekenKey *self)
{
  g_return_val_if_fail (TEKEN_IS_KEY (self), NULL);

  return TEKEN_KEY_GET_IFACE (self)->get_certificate (self);
}

STACK_OF (X509) *
teken_key_get_chain (TekenKey *self)
{
  TekenKeyInterface *iface;

  g_return_val_if_fail (TEKEN_IS_KEY (self), NULL);

  iface = TEKEN_KEY_GET_IFACE (self);
  return iface->get_chain != NULL ? iface->get_chain (self) : NULL;
}

GBytes *
teken_key_sign (TekenKey         *self,
                TekenDigest       digest,
                TekenSignScheme   scheme,
                const guint8     *data,
                gsize             len,
                GCancellable     *cancellable,
                GError          **error)
{
  g_return_val_if_fail (TEKEN_IS_KEY (self), NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (teken_digest_get_md (digest) == NULL)
    {
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_UNSUPPORTED,
                           _("This digest algorithm is not supported"));
      return NULL;
    }
  if (!teken_key_supports_scheme (self, scheme))
    {
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_UNSUPPORTED,
                           _("This key cannot make this kind of signature"));
      return NULL;
    }
  return TEKEN_KEY_GET_IFACE (self)->sign (self, digest, scheme, data, len, cancellable, error);
}

static EVP_PKEY *
get_public_key (TekenKey *self)
{
  X509 *cert = teken_key_get_certificate (self);

  return cert != NULL ? X509_get0_pubkey (cert) : NULL;
}

TekenSignScheme
teken_key_get_default_scheme (TekenKey *self)
{
  EVP_PKEY *pub = get_public_key (self);

  if (pub == NULL)
    return TEKEN_SIGN_SCHEME_RSA_PKCS1;
  switch (EVP_PKEY_get_base_id (pub))
    {
    case EVP_PKEY_RSA_PSS:
      return TEKEN_SIGN_SCHEME_RSA_PSS;
    case EVP_PKEY_EC:
      return TEKEN_SIGN_SCHEME_ECDSA;
    case EVP_PKEY_ED25519:
    case EVP_PKEY_ED448:
      return TEKEN_SIGN_SCHEME_EDDSA;
    case EVP_PKEY_RSA:
    default:
      return TEKEN_SIGN_SCHEME_RSA_PKCS1;
    }
}

gboolean
teken_key_supports_scheme (TekenKey        *self,
                           TekenSignScheme  scheme)
{
  EVP_PKEY *pub = get_public_key (self);

  if (pub == NULL)
    return FALSE;
  switch (EVP_PKEY_get_base_id (pub))
    {
    case EVP_PKEY_RSA:
      return scheme == TEKEN_SIGN_SCHEME_RSA_PKCS1 || scheme == TEKEN_SIGN_SCHEME_RSA_PSS;
    case EVP_PKEY_RSA_PSS:
      return scheme == TEKEN_SIGN_SCHEME_RSA_PSS;
    case EVP_PKEY_EC:
      return scheme == TEKEN_SIGN_SCHEME_ECDSA;
    case EVP_PKEY_ED25519:
    case EVP_PKEY_ED448:
      return scheme == TEKEN_SIGN_SCHEME_EDDSA;
    default:
      return FALSE;
    }
}

gsize
teken_key_get_max_signature_size (TekenKey *self)
{
  EVP_PKEY *pub = get_public_key (self);
  int size;

  /* EVP_PKEY_get_size() is the modulus for RSA and the largest DER Ecdsa-Sig-Value for EC. */
  size = pub != NULL ? EVP_PKEY_get_size (pub) : 0;
  return size > 0 ? (gsize) size : 1024;
}
