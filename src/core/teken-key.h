/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

#define TEKEN_KEY_ERROR (teken_key_error_quark ())
GQuark teken_key_error_quark (void);

typedef enum
{
  TEKEN_KEY_ERROR_BAD_PASSPHRASE,   /* wrong .p12 passphrase */
  TEKEN_KEY_ERROR_PIN_INCORRECT,    /* wrong token PIN (message says the tries left when known) */
  TEKEN_KEY_ERROR_PIN_LOCKED,       /* token PIN blocked */
  TEKEN_KEY_ERROR_NO_KEY,           /* a file or token object without a private key */
  TEKEN_KEY_ERROR_NO_CERTIFICATE,   /* a key without a certificate */
  TEKEN_KEY_ERROR_UNSUPPORTED,      /* key type or mechanism not supported */
  TEKEN_KEY_ERROR_DEVICE_REMOVED,   /* token pulled out during the operation */
  TEKEN_KEY_ERROR_INVALID_FILE,     /* not a PKCS#12 file / corrupt */
  TEKEN_KEY_ERROR_FAILED,           /* anything else; message carries the detail */
} TekenKeyError;

typedef enum
{
  TEKEN_DIGEST_SHA256,
  TEKEN_DIGEST_SHA384,
  TEKEN_DIGEST_SHA512,
} TekenDigest;

typedef enum
{
  TEKEN_SIGN_SCHEME_RSA_PKCS1,      /* RSASSA-PKCS1-v1_5 */
  TEKEN_SIGN_SCHEME_RSA_PSS,        /* RSASSA-PSS, MGF1 with the same digest, salt = digest length */
  TEKEN_SIGN_SCHEME_ECDSA,          /* result is a DER Ecdsa-Sig-Value */
  TEKEN_SIGN_SCHEME_EDDSA,          /* Ed25519/Ed448: the digest is ignored (pure EdDSA) */
} TekenSignScheme;

/* "sha256" etc. and back; NULL / FALSE for unknown names. */
const char      *teken_digest_to_string   (TekenDigest  digest);
gboolean         teken_digest_from_string (const char  *name,
                                           TekenDigest *digest);
const EVP_MD    *teken_digest_get_md      (TekenDigest  digest);
gsize            teken_digest_get_size    (TekenDigest  digest);

/*
 * A private key and its certificate: "sign these bytes with this mechanism". PKCS#12 files,
 * keyring identities and PKCS#11 token keys all implement it, so the signer does not care
 * where the key lives. sign() may block (token I/O) and is called from a worker thread.
 */
#define TEKEN_TYPE_KEY (teken_key_get_type ())
G_DECLARE_INTERFACE (TekenKey, teken_key, TEKEN, KEY, GObject)

struct _TekenKeyInterface
{
  GTypeInterface parent_iface;

  /* transfer none */
  X509            *(*get_certificate) (TekenKey *self);
  /* transfer none; the other certificates that came with the key (may be NULL) */
  STACK_OF (X509) *(*get_chain)       (TekenKey *self);
  /* Hash `data` with `digest` and sign with `scheme`: the bytes for SignerInfo.signature. */
  GBytes          *(*sign)            (TekenKey        *self,
                                       TekenDigest      digest,
                                       TekenSignScheme  scheme,
                                       const guint8    *data,
                                       gsize            len,
                                       GCancellable    *cancellable,
                                       GError         **error);
};

X509            *teken_key_get_certificate    (TekenKey        *self);
STACK_OF (X509) *teken_key_get_chain          (TekenKey        *self);
GBytes          *teken_key_sign               (TekenKey        *self,
                                               TekenDigest      digest,
                                               TekenSignScheme  scheme,
                                               const guint8    *data,
                                               gsize            len,
                                               GCancellable    *cancellable,
                                               GError         **error);
/* The scheme the certificate's public key implies: RSA -> PKCS1, RSA-PSS -> PSS, EC -> ECDSA, Ed* -> EDDSA. */
TekenSignScheme  teken_key_get_default_scheme (TekenKey        *self);
/* Whether scheme can be used with this key's public key type. */
gboolean         teken_key_supports_scheme    (TekenKey        *self,
                                               TekenSignScheme  scheme);
/* Upper bound of the signature value's size in bytes (for sizing /Contents). */
gsize            teken_key_get_max_signature_size (TekenKey    *self);

G_END_DECLS
