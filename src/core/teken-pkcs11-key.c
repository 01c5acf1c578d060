/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-pkcs11-key.h"

#include <openssl/ec.h>

struct _TekenPkcs11Key
{
  GObject            parent_instance;

  /* Sessions must not be used by two threads at once. */
  GMutex             lock;
  TekenPkcs11Token  *token;
  CK_SESSION_HANDLE  session;
  gboolean           logged_in;     /* by us: then we log out at the end */
  CK_OBJECT_HANDLE   key;
  CK_KEY_TYPE        key_type;
  X509              *cert;
  STACK_OF (X509)   *chain;
};

static void teken_pkcs11_key_iface_init (TekenKeyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TekenPkcs11Key, teken_pkcs11_key, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TEKEN_TYPE_KEY, teken_pkcs11_key_iface_init))

static void
close_session (TekenPkcs11Key *self)
{
  if (self->session == CK_INVALID_HANDLE)
    return;
  /* Logging out ends the login for every session of this process on the token, which is the
   * point: the PIN's effect does not outlive the key. */
  if (self->logged_in)
    self->token->module->C_Logout (self->session);
  self->token->module->C_CloseSession (self->session);
  self->logged_in = FALSE;
  self->session = CK_INVALID_HANDLE;
}

static void
teken_pkcs11_key_finalize (GObject *object)
{
  TekenPkcs11Key *self = TEKEN_PKCS11_KEY (object);

  close_session (self);
  g_clear_pointer (&self->token, teken_pkcs11_token_free);
  X509_free (self->cert);
  sk_X509_pop_free (self->chain, X509_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (teken_pkcs11_key_parent_class)->finalize (object);
}

static void
teken_pkcs11_key_class_init (TekenPkcs11KeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_pkcs11_key_finalize;
}

static void
teken_pkcs11_key_init (TekenPkcs11Key *self)
{
  g_mutex_init (&self->lock);
  self->session = CK_INVALID_HANDLE;
}

static X509 *
get_certificate (TekenKey *key)
{
  return TEKEN_PKCS11_KEY (key)->cert;
}

static STACK_OF (X509) *
get_chain (TekenKey *key)
{
  return TEKEN_PKCS11_KEY (key)->chain;
}

/* DER prefixes of DigestInfo { AlgorithmIdentifier { hash OID, NULL }, OCTET STRING } (RFC 8017 §9.2). */
static const guint8 digest_info_sha256[] = {
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 };
static const guint8 digest_info_sha384[] = {
  0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30 };
static const guint8 digest_info_sha512[] = {
  0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40 };

static GBytes *
digest_info (TekenDigest   digest,
             const guint8 *hash,
             gsize         hash_len)
{
  const guint8 *prefix = digest_info_sha256;
  gsize prefix_len = sizeof digest_info_sha256;
  guint8 *buf;

  if (digest == TEKEN_DIGEST_SHA384)
    prefix = digest_info_sha384, prefix_len = sizeof digest_info_sha384;
  else if (digest == TEKEN_DIGEST_SHA512)
    prefix = digest_info_sha512, prefix_len = sizeof digest_info_sha512;
  buf = g_malloc (prefix_len + hash_len);
  memcpy (buf, prefix, prefix_len);
  memcpy (buf + prefix_len, hash, hash_len);
  return g_bytes_new_take (buf, prefix_len + hash_len);
}

/* A token's raw ECDSA signature is r || s, each as long as the order; CMS wants DER. */
static GBytes *
ecdsa_raw_to_der (const guint8  *raw,
                  gsize          len,
                  GError       **error)
{
  ECDSA_SIG *sig;
  BIGNUM *r, *s;
  unsigned char *der = NULL;
  int der_len;
  GBytes *bytes;

  if (len == 0 || len % 2 != 0)
    {
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_FAILED,
                           _("The token returned a malformed ECDSA signature"));
      return NULL;
    }
  r = BN_bin2bn (raw, (int) (len / 2), NULL);
  s = BN_bin2bn (raw + len / 2, (int) (len / 2), NULL);
  sig = ECDSA_SIG_new ();
  if (r == NULL || s == NULL || sig == NULL || !ECDSA_SIG_set0 (sig, r, s))
    {
      BN_free (r);
      BN_free (s);
      ECDSA_SIG_free (sig);
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_FAILED,
                           _("The ECDSA signature could not be encoded"));
      return NULL;
    }
  der_len = i2d_ECDSA_SIG (sig, &der);
  ECDSA_SIG_free (sig);
  if (der_len <= 0)
    {
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_FAILED,
                           _("The ECDSA signature could not be encoded"));
      return NULL;
    }
  bytes = g_bytes_new (der, der_len);
  OPENSSL_free (der);
  return bytes;
}

static CK_MECHANISM_TYPE
pkcs11_hash_mechanism (TekenDigest digest,
                       CK_ULONG   *mgf)
{
  switch (digest)
    {
    case TEKEN_DIGEST_SHA384:
      *mgf = CKG_MGF1_SHA384;
      return CKM_SHA384;
    case TEKEN_DIGEST_SHA512:
      *mgf = CKG_MGF1_SHA512;
      return CKM_SHA512;
    case TEKEN_DIGEST_SHA256:
    default:
      *mgf = CKG_MGF1_SHA256;
      return CKM_SHA256;
    }
}

static gboolean
check_scheme (TekenPkcs11Key   *self,
              TekenSignScheme   scheme,
              GError          **error)
{
  gboolean ok;

  switch (scheme)
    {
    case TEKEN_SIGN_SCHEME_RSA_PKCS1:
    case TEKEN_SIGN_SCHEME_RSA_PSS:
      ok = self->key_type == CKK_RSA;
      break;
    case TEKEN_SIGN_SCHEME_ECDSA:
      ok = self->key_type == CKK_EC;
      break;
    case TEKEN_SIGN_SCHEME_EDDSA:
    default:
      ok = FALSE;
      break;
    }
  if (!ok)
    g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_UNSUPPORTED,
                         _("The token key cannot sign with this signature scheme"));
  return ok;
}

static gboolean
token_still_present (TekenPkcs11Key *self)
{
  g_autoptr(TekenPkcs11Token) token = teken_pkcs11_token_copy (self->token);

  return teken_pkcs11_token_refresh (token, NULL);
}

/* C_SignInit + C_Sign (asking for the length first). Called with the lock held. */
static GBytes *
token_sign (TekenPkcs11Key  *self,
            CK_MECHANISM    *mech,
            GBytes          *input,
            GError         **error)
{
  CK_FUNCTION_LIST *module = self->token->module;
  gsize in_len;
  const guint8 *in = g_bytes_get_data (input, &in_len);
  g_autofree guint8 *sig = NULL;
  CK_ULONG sig_len = 0;
  CK_RV rv;

  rv = module->C_SignInit (self->session, mech, self->key);
  if (rv == CKR_OK)
    rv = module->C_Sign (self->session, (CK_BYTE_PTR) in, in_len, NULL, &sig_len);
  if (rv == CKR_OK)
    {
      sig = g_malloc (sig_len);
      rv = module->C_Sign (self->session, (CK_BYTE_PTR) in, in_len, sig, &sig_len);
    }
  if (rv != CKR_OK)
    {
      /* Tokens report a pulled-out device in many ways (softhsm2: the key handle is invalid);
       * when the token is no longer there, say so rather than pass on the symptom. */
      if (!teken_pkcs11_rv_is_removal (rv) && !token_still_present (self))
        rv = CKR_DEVICE_REMOVED;
      teken_pkcs11_set_error (error, rv, _("The token could not sign"));
      return NULL;
    }
  return g_bytes_new (sig, sig_len);
}

static GBytes *
sign (TekenKey         *key,
      TekenDigest       digest,
      TekenSignScheme   scheme,
      const guint8     *data,
      gsize             len,
      GCancellable     *cancellable,
      GError          **error)
{
  TekenPkcs11Key *self = TEKEN_PKCS11_KEY (key);
  guint8 hash[EVP_MAX_MD_SIZE];
  unsigned int hash_len = 0;
  CK_RSA_PKCS_PSS_PARAMS pss = { 0 };
  CK_MECHANISM mech = { 0 };
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GMutexLocker) locker = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error) || !check_scheme (self, scheme, error))
    return NULL;
  /* Hashing here rather than with CKM_SHA256_RSA_PKCS etc.: every token has the raw mechanisms. */
  if (!EVP_Digest (data, len, hash, &hash_len, teken_digest_get_md (digest), NULL))
    {
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_FAILED, _("Hashing failed"));
      return NULL;
    }

  switch (scheme)
    {
    case TEKEN_SIGN_SCHEME_RSA_PKCS1:
      mech.mechanism = CKM_RSA_PKCS;
      input = digest_info (digest, hash, hash_len);
      break;
    case TEKEN_SIGN_SCHEME_RSA_PSS:
      pss.hashAlg = pkcs11_hash_mechanism (digest, &pss.mgf);
      pss.sLen = hash_len;
      mech.mechanism = CKM_RSA_PKCS_PSS;
      mech.pParameter = &pss;
      mech.ulParameterLen = sizeof pss;
      input = g_bytes_new (hash, hash_len);
      break;
    case TEKEN_SIGN_SCHEME_ECDSA:
    default:
      mech.mechanism = CKM_ECDSA;
      input = g_bytes_new (hash, hash_len);
      break;
    }

  locker = g_mutex_locker_new (&self->lock);
  if (self->session == CK_INVALID_HANDLE)
    {
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_FAILED,
                           _("The token session was closed"));
      return NULL;
    }
  raw = token_sign (self, &mech, input, error);
  if (raw == NULL)
    return NULL;
  if (scheme == TEKEN_SIGN_SCHEME_ECDSA)
    return ecdsa_raw_to_der (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), error);
  return g_steal_pointer (&raw);
}

static void
teken_pkcs11_key_iface_init (TekenKeyInterface *iface)
{
  iface->get_certificate = get_certificate;
  iface->get_chain = get_chain;
  iface->sign = sign;
}

/* The PIN was refused: say how many tries remain as far as the token tells. */
static void
set_pin_incorrect (GError           **error,
                   TekenPkcs11Token  *token)
{
  TekenPinState state = 0;

  if (teken_pkcs11_token_refresh (token, NULL))
    state = teken_pkcs11_token_pin_state (token);
  if (state & TEKEN_PIN_STATE_LOCKED)
    teken_pkcs11_set_error (error, CKR_PIN_LOCKED, NULL);
  else if (state & TEKEN_PIN_STATE_FINAL_TRY)
    g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_INCORRECT,
                         _("The PIN is wrong; one try is left before the token locks the PIN"));
  else if (state & TEKEN_PIN_STATE_COUNT_LOW)
    g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_INCORRECT,
                         _("The PIN is wrong; the token reports failed attempts, so few tries may be left"));
  else
    g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_INCORRECT,
                         _("The PIN is wrong"));
}

static gboolean
login (TekenPkcs11Key     *self,
       const TekenSecret  *pin,
       GError            **error)
{
  CK_FUNCTION_LIST *module = self->token->module;
  CK_RV rv;

  /* Logging in only when needed keeps a token without CKF_LOGIN_REQUIRED usable. */
  if (!(self->token->info.flags & CKF_LOGIN_REQUIRED) && pin == NULL)
    return TRUE;
  if (pin != NULL)
    rv = module->C_Login (self->session, CKU_USER, (CK_UTF8CHAR_PTR) pin, strlen (pin));
  else
    rv = module->C_Login (self->session, CKU_USER, NULL, 0);   /* the PIN pad */
  self->logged_in = rv == CKR_OK;
  if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN)
    return TRUE;
  if (rv == CKR_PIN_INCORRECT)
    set_pin_incorrect (error, self->token);
  else
    teken_pkcs11_set_error (error, rv, _("Logging in to the token failed"));
  return FALSE;
}

static gboolean
find_key (TekenPkcs11Key  *self,
          GBytes          *id,
          GError         **error)
{
  CK_FUNCTION_LIST *module = self->token->module;
  CK_OBJECT_CLASS klass = CKO_PRIVATE_KEY;
  gsize id_len;
  const void *id_data = g_bytes_get_data (id, &id_len);
  CK_ATTRIBUTE tmpl[] = {
    { CKA_CLASS, &klass, sizeof klass },
    { CKA_ID, (void *) id_data, id_len },
  };
  CK_ATTRIBUTE type_attr = { CKA_KEY_TYPE, &self->key_type, sizeof self->key_type };
  CK_OBJECT_HANDLE handle;
  CK_ULONG n = 0;
  CK_RV rv;

  rv = module->C_FindObjectsInit (self->session, tmpl, G_N_ELEMENTS (tmpl));
  if (rv == CKR_OK)
    {
      rv = module->C_FindObjects (self->session, &handle, 1, &n);
      module->C_FindObjectsFinal (self->session);
    }
  if (rv != CKR_OK)
    {
      teken_pkcs11_set_error (error, rv, _("Could not look for the key on the token"));
      return FALSE;
    }
  if (n == 0)
    {
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_NO_KEY,
                           _("The token has no private key for this certificate"));
      return FALSE;
    }
  self->key = handle;
  rv = module->C_GetAttributeValue (self->session, handle, &type_attr, 1);
  if (rv != CKR_OK)
    {
      teken_pkcs11_set_error (error, rv, _("Could not read the key type"));
      return FALSE;
    }
  return TRUE;
}

TekenPkcs11Key *
teken_pkcs11_key_open (const TekenPkcs11Token  *token,
                       GBytes                  *id,
                       X509                    *cert,
                       STACK_OF (X509)         *chain,
                       const TekenSecret       *pin,
                       GCancellable            *cancellable,
                       GError                 **error)
{
  g_autoptr(TekenPkcs11Key) self = g_object_new (TEKEN_TYPE_PKCS11_KEY, NULL);
  CK_RV rv;

  self->token = teken_pkcs11_token_copy (token);
  X509_up_ref (cert);
  self->cert = cert;
  self->chain = chain != NULL ? X509_chain_up_ref (chain) : sk_X509_new_null ();

  if (!teken_pkcs11_token_refresh (self->token, error))
    return NULL;
  if (teken_pkcs11_token_pin_state (self->token) & TEKEN_PIN_STATE_LOCKED)
    {
      teken_pkcs11_set_error (error, CKR_PIN_LOCKED, NULL);
      return NULL;
    }
  if (pin == NULL && (self->token->info.flags & CKF_LOGIN_REQUIRED) &&
      !teken_pkcs11_token_has_pin_pad (self->token))
    {
      /* translators: %s is the token's label */
      g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NEEDS_SECRET,
                   _("The PIN of the token “%s” is needed"), self->token->label);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  rv = self->token->module->C_OpenSession (self->token->slot, CKF_SERIAL_SESSION, NULL, NULL,
                                           &self->session);
  if (rv != CKR_OK)
    {
      self->session = CK_INVALID_HANDLE;
      teken_pkcs11_set_error (error, rv, _("Could not open a session with the token"));
      return NULL;
    }
  if (!login (self, pin, error) || !find_key (self, id, error))
    return NULL;
  return g_steal_pointer (&self);
}

const TekenPkcs11Token *
teken_pkcs11_key_get_token (TekenPkcs11Key *self)
{
  g_return_val_if_fail (TEKEN_IS_PKCS11_KEY (self), NULL);
  return self->token;
}

void
teken_pkcs11_key_close (TekenPkcs11Key *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (TEKEN_IS_PKCS11_KEY (self));
  locker = g_mutex_locker_new (&self->lock);
  close_session (self);
}
