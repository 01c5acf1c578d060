/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <openssl/x509.h>

#include "teken-key.h"
#include "teken-secret.h"

G_BEGIN_DECLS

/* One error domain for identities, the keyring and tokens (key/sign errors use TEKEN_KEY_ERROR). */
#define TEKEN_IDENTITY_ERROR (teken_identity_error_quark ())
GQuark teken_identity_error_quark (void);

typedef enum
{
  TEKEN_IDENTITY_ERROR_DUPLICATE,           /* the certificate is already in the keyring */
  TEKEN_IDENTITY_ERROR_NOT_FOUND,           /* no identity with that id / URI */
  TEKEN_IDENTITY_ERROR_KEYRING_LOCKED,      /* the keyring collection is locked */
  TEKEN_IDENTITY_ERROR_KEYRING_UNAVAILABLE, /* no Secret Service (no session bus, no daemon) */
  TEKEN_IDENTITY_ERROR_TOKEN_REMOVED,       /* the token holding the identity is gone */
  TEKEN_IDENTITY_ERROR_MODULE,              /* a PKCS#11 module could not be loaded/initialised */
  TEKEN_IDENTITY_ERROR_INVALID_ID,          /* an id or pkcs11: URI that cannot be parsed */
  TEKEN_IDENTITY_ERROR_NEEDS_SECRET,        /* a passphrase/PIN is needed and none was given */
  TEKEN_IDENTITY_ERROR_NOT_SUPPORTED,       /* e.g. removing a token identity */
  TEKEN_IDENTITY_ERROR_FAILED,              /* anything else; message carries the detail */
  TEKEN_IDENTITY_ERROR_PIN_LEN_RANGE,       /* change_pin: the new PIN is too short or too long */
  TEKEN_IDENTITY_ERROR_PIN_INVALID,         /* change_pin: the token refuses the new PIN's characters */
} TekenIdentityError;

typedef enum
{
  TEKEN_IDENTITY_KIND_P12_FILE,             /* a .p12/.pfx file on disk */
  TEKEN_IDENTITY_KIND_KEYRING,              /* a .p12 kept in the GNOME keyring */
  TEKEN_IDENTITY_KIND_TOKEN,                /* a key on a PKCS#11 token */
} TekenIdentityKind;

/* What open_key needs from the user. */
typedef enum
{
  TEKEN_IDENTITY_SECRET_NONE,               /* nothing (e.g. passphrase remembered for the session) */
  TEKEN_IDENTITY_SECRET_PASSPHRASE,         /* the .p12 passphrase */
  TEKEN_IDENTITY_SECRET_PIN,                /* the token's user PIN */
  TEKEN_IDENTITY_SECRET_PIN_PAD,            /* the token's own PIN pad (protected authentication path) */
} TekenIdentitySecretKind;

/* A token's user-PIN state as the token reports it (CKF_USER_PIN_*); 0 for non-token identities. */
typedef enum /*< flags >*/
{
  TEKEN_PIN_STATE_COUNT_LOW = 1 << 0,       /* at least one wrong PIN since the last success */
  TEKEN_PIN_STATE_FINAL_TRY = 1 << 1,       /* one more wrong PIN locks it */
  TEKEN_PIN_STATE_LOCKED    = 1 << 2,       /* locked; only the SO/issuer can unblock */
  TEKEN_PIN_STATE_TO_BE_CHANGED = 1 << 3,   /* the token asks for a new PIN */
} TekenPinState;

typedef enum
{
  TEKEN_CERT_FORMAT_PEM,
  TEKEN_CERT_FORMAT_DER,
} TekenCertFormat;

/*
 * A certificate with a private key somewhere: a .p12 file, a .p12 in the keyring, or a key on a
 * token. Immutable snapshot (the PIN state is refreshed by the store and by open_key).
 */
#define TEKEN_TYPE_IDENTITY (teken_identity_get_type ())
G_DECLARE_FINAL_TYPE (TekenIdentity, teken_identity, TEKEN, IDENTITY, GObject)

/* A .p12 file: the passphrase is needed to read the certificates (they are usually encrypted). */
TekenIdentity      *teken_identity_new_for_p12_file   (const char          *path,
                                                       const TekenSecret   *passphrase,
                                                       GError             **error);

/* "keyring:<sha256 hex>", "pkcs11:<RFC 7512 URI>" or "file:<path>"; stable across runs. */
const char         *teken_identity_get_id             (TekenIdentity       *self);
/* For people: the subject CN (or the keyring item label). */
const char         *teken_identity_get_label          (TekenIdentity       *self);
TekenIdentityKind   teken_identity_get_kind           (TekenIdentity       *self);
/* "p12-file", "keyring", "token" (stable, untranslated: JSON). */
const char         *teken_identity_kind_to_string     (TekenIdentityKind    kind);

/* transfer none; valid while self lives. */
X509               *teken_identity_get_certificate    (TekenIdentity       *self);
/* transfer none; the other certificates (CA chain) that came with it; never NULL (may be empty). */
STACK_OF (X509)    *teken_identity_get_chain          (TekenIdentity       *self);
/* Lower-case SHA-256 hex of the certificate's DER. */
const char         *teken_identity_get_fingerprint    (TekenIdentity       *self);
/* One-line RFC 2253 UTF-8 ("CN=Budi Santoso,O=...,C=ID"). */
const char         *teken_identity_get_subject        (TekenIdentity       *self);
const char         *teken_identity_get_issuer         (TekenIdentity       *self);
/* transfer none; UTC. */
GDateTime          *teken_identity_get_not_before     (TekenIdentity       *self);
GDateTime          *teken_identity_get_not_after      (TekenIdentity       *self);
/* Whole days from now (NULL: the current time) to notAfter, rounded down; negative once expired. */
gint                teken_identity_get_days_to_expiry (TekenIdentity       *self,
                                                       GDateTime           *now);

/* Where the key lives, for people: "GNOME keyring (Login)", "Token “teken-test” (SoftHSM)". */
const char         *teken_identity_get_location       (TekenIdentity       *self);
/* KEYRING: the collection's label; NULL otherwise. */
const char         *teken_identity_get_collection     (TekenIdentity       *self);
/* TOKEN: the token label and the module's file path; NULL otherwise. */
const char         *teken_identity_get_token_label    (TekenIdentity       *self);
const char         *teken_identity_get_module_path    (TekenIdentity       *self);
/* P12_FILE: the file; NULL otherwise. */
const char         *teken_identity_get_path           (TekenIdentity       *self);

TekenIdentitySecretKind teken_identity_get_secret_kind (TekenIdentity      *self);
TekenPinState       teken_identity_get_pin_state      (TekenIdentity       *self);
/*
 * TOKEN: re-reads the PIN state from the token (one C_GetTokenInfo; call it right before asking
 * for the PIN). FALSE + TEKEN_IDENTITY_ERROR_TOKEN_REMOVED when the token is gone. TRUE for others.
 */
gboolean            teken_identity_refresh_pin_state  (TekenIdentity       *self,
                                                       GError             **error);
/*
 * A translated prompt for the secret open_key needs, with the PIN state when it matters:
 * "PIN for token “teken-test” (one try left before it locks)". NULL when no secret is needed.
 */
char               *teken_identity_dup_secret_prompt  (TekenIdentity       *self);

/* The certificate alone (never the key). */
GBytes             *teken_identity_export_certificate (TekenIdentity       *self,
                                                       TekenCertFormat      format,
                                                       GError             **error);

/*
 * Opens the private key: decrypts the .p12 (passphrase; NULL for a keyring identity whose
 * passphrase is remembered in the session collection) or logs in to the token (PIN; NULL with a
 * PIN pad). A token key stays logged in while the returned TekenKey lives (several signatures
 * with one PIN entry); the PIN itself is wiped right after C_Login. Errors: TEKEN_KEY_ERROR
 * (BAD_PASSPHRASE, PIN_INCORRECT, PIN_LOCKED, DEVICE_REMOVED, ...) and TEKEN_IDENTITY_ERROR
 * (NEEDS_SECRET, KEYRING_LOCKED, TOKEN_REMOVED, ...).
 */
void                teken_identity_open_key_async     (TekenIdentity       *self,
                                                       const TekenSecret   *secret_or_null,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
TekenKey           *teken_identity_open_key_finish    (TekenIdentity       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/* The blocking form (CLI, worker threads). */
TekenKey           *teken_identity_open_key_sync      (TekenIdentity       *self,
                                                       const TekenSecret   *secret_or_null,
                                                       GCancellable        *cancellable,
                                                       GError             **error);

/*
 * TOKEN identities whose token lets us change the user PIN: not write-protected and the PIN is
 * typed on the computer (no PIN pad). FALSE for other kinds.
 */
gboolean            teken_identity_can_change_pin     (TekenIdentity       *self);
/* TOKEN: the user-PIN lengths the token accepts (max 0 when unknown). FALSE for other kinds. */
gboolean            teken_identity_get_pin_length     (TekenIdentity       *self,
                                                       guint               *min_len,
                                                       guint               *max_len);
/*
 * Changes the token's user PIN (C_Login with the old PIN, then C_SetPIN, in a read-write session).
 * Errors: TEKEN_KEY_ERROR (PIN_INCORRECT for a wrong old PIN, PIN_LOCKED, DEVICE_REMOVED) and
 * TEKEN_IDENTITY_ERROR (PIN_LEN_RANGE with the allowed length, PIN_INVALID, NOT_SUPPORTED,
 * TOKEN_REMOVED). Both PINs are copied and wiped once used.
 */
void                teken_identity_change_pin_async   (TekenIdentity       *self,
                                                       const TekenSecret   *old_pin,
                                                       const TekenSecret   *new_pin,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            teken_identity_change_pin_finish  (TekenIdentity       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
gboolean            teken_identity_change_pin_sync    (TekenIdentity       *self,
                                                       const TekenSecret   *old_pin,
                                                       const TekenSecret   *new_pin,
                                                       GCancellable        *cancellable,
                                                       GError             **error);

G_END_DECLS
