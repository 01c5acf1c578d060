/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "teken-key.h"
#include "teken-pkcs11.h"
#include "teken-secret.h"

G_BEGIN_DECLS

/*
 * A private key on a PKCS#11 token, with its certificate. Holds a logged-in session for as long
 * as it lives (several signatures with one PIN entry); the PIN is not kept. Hashing is done here
 * with OpenSSL, so any token that can do CKM_RSA_PKCS / CKM_RSA_PKCS_PSS / CKM_ECDSA works.
 */
#define TEKEN_TYPE_PKCS11_KEY (teken_pkcs11_key_get_type ())
G_DECLARE_FINAL_TYPE (TekenPkcs11Key, teken_pkcs11_key, TEKEN, PKCS11_KEY, GObject)

/*
 * Logs in to `token` (found again by serial and label) and finds the private key with CKA_ID `id`.
 * pin NULL: the token's PIN pad when it has one (C_Login with a NULL PIN), else
 * TEKEN_IDENTITY_ERROR_NEEDS_SECRET. Errors: TEKEN_KEY_ERROR_PIN_INCORRECT (the message gives the
 * tries left when the token tells), PIN_LOCKED, NO_KEY, DEVICE_REMOVED; TEKEN_IDENTITY_ERROR_TOKEN_REMOVED.
 */
TekenPkcs11Key *teken_pkcs11_key_open     (const TekenPkcs11Token *token,
                                           GBytes                 *id,
                                           X509                   *cert,
                                           STACK_OF (X509)        *chain,
                                           const TekenSecret      *pin,
                                           GCancellable           *cancellable,
                                           GError                **error);
/* The token as it was at login (label, serial, flags). */
const TekenPkcs11Token *teken_pkcs11_key_get_token (TekenPkcs11Key *self);
/* Ends the session early (logs out); later sign() calls fail with TEKEN_KEY_ERROR_FAILED. */
void            teken_pkcs11_key_close    (TekenPkcs11Key         *self);

G_END_DECLS
