/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "teken-identity.h"
#include "teken-key.h"
#include "teken-secret.h"

G_BEGIN_DECLS

/*
 * Asks the user for a passphrase or PIN. `prompt` is translated and names what is asked for
 * (the token label, the tries left). Return NULL with error set to give up (e.g. G_IO_ERROR_CANCELLED).
 */
typedef TekenSecret *(*TekenAskSecretFunc) (const char  *prompt,
                                            gpointer     user_data,
                                            GError     **error);

typedef enum /*< flags >*/
{
  TEKEN_IMPORT_FLAGS_NONE              = 0,
  /* Keep the passphrase in the keyring's SESSION collection (forgotten at logout). */
  TEKEN_IMPORT_FLAGS_REMEMBER_PASSPHRASE = 1 << 0,
} TekenImportFlags;

/*
 * Keyring identities and token identities in one list. Nothing is read until refresh; token
 * insertion/removal is noticed only while watching (a worker polls the slots every ~2 s), and the
 * signals are emitted on the thread-default main context the store was created in.
 *
 * Signals:
 *  - "identities-changed" ()                 the model was updated (after refresh, import, remove, token events)
 *  - "token-added" (const char *token_label, const char *module_path)
 *  - "token-removed" (const char *token_label, const char *module_path)
 */
#define TEKEN_TYPE_IDENTITY_STORE (teken_identity_store_get_type ())
G_DECLARE_FINAL_TYPE (TekenIdentityStore, teken_identity_store, TEKEN, IDENTITY_STORE, GObject)

TekenIdentityStore *teken_identity_store_new              (void);

/*
 * Extra PKCS#11 module (a .so path) next to the p11-kit registered ones. Loaded at the next
 * refresh. With `persist`, also appended to g_get_user_config_dir()/teken/modules.conf (one
 * path a line), which new stores read.
 */
gboolean            teken_identity_store_add_module       (TekenIdentityStore  *self,
                                                           const char          *module_path,
                                                           gboolean             persist,
                                                           GError             **error);
/* Do not load the p11-kit registered modules (tests: only the modules added by path). */
void                teken_identity_store_set_use_registered_modules (TekenIdentityStore *self,
                                                                     gboolean            use);

/*
 * Re-reads the keyring and every token. A keyring that is locked or unavailable does not fail the
 * refresh (tokens are still listed): its error is kept in teken_identity_store_get_keyring_error().
 */
gboolean            teken_identity_store_refresh_sync     (TekenIdentityStore  *self,
                                                           GCancellable        *cancellable,
                                                           GError             **error);
void                teken_identity_store_refresh_async    (TekenIdentityStore  *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean            teken_identity_store_refresh_finish   (TekenIdentityStore  *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/* transfer none; NULL when the last refresh read the keyring fine; KEYRING_LOCKED when its items
 * are listed but locked, KEYRING_UNAVAILABLE when there is no Secret Service. */
const GError       *teken_identity_store_get_keyring_error (TekenIdentityStore *self);

/* A GListModel of TekenIdentity (keyring first, then tokens); transfer none; live. */
GListModel         *teken_identity_store_get_identities   (TekenIdentityStore  *self);

/*
 * By id as teken_identity_get_id() gives it, or by any RFC 7512 pkcs11: URI that matches
 * exactly one token identity (e.g. "pkcs11:token=teken-test;id=%01"). transfer none: valid until
 * the next refresh replaces the model's objects (take a reference to keep it longer).
 * Errors: INVALID_ID (unparsable URI), NOT_FOUND (no match, or an ambiguous URI: the message says so).
 */
TekenIdentity      *teken_identity_store_lookup           (TekenIdentityStore  *self,
                                                           const char          *id,
                                                           GError             **error);

/* Start/stop polling the tokens (the app's certificate manager; the CLI never watches). */
void                teken_identity_store_set_watch_tokens (TekenIdentityStore  *self,
                                                           gboolean             watch);

/*
 * Import a .p12/.pfx (also legacy RC2/3DES) into the default keyring collection. Refuses files
 * without a private key (TEKEN_KEY_ERROR_NO_KEY), wrong passphrases (TEKEN_KEY_ERROR_BAD_PASSPHRASE)
 * and certificates already there (TEKEN_IDENTITY_ERROR_DUPLICATE). Returns the new identity
 * (transfer full), also added to the model.
 */
TekenIdentity      *teken_identity_store_import_p12_sync  (TekenIdentityStore  *self,
                                                           GBytes              *p12,
                                                           const TekenSecret   *passphrase,
                                                           TekenImportFlags     flags,
                                                           GCancellable        *cancellable,
                                                           GError             **error);
TekenIdentity      *teken_identity_store_import_p12_file_sync (TekenIdentityStore *self,
                                                               GFile             *file,
                                                               const TekenSecret *passphrase,
                                                               TekenImportFlags   flags,
                                                               GCancellable      *cancellable,
                                                               GError           **error);
void                teken_identity_store_import_p12_async (TekenIdentityStore  *self,
                                                           GBytes              *p12,
                                                           const TekenSecret   *passphrase,
                                                           TekenImportFlags     flags,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
TekenIdentity      *teken_identity_store_import_p12_finish (TekenIdentityStore *self,
                                                            GAsyncResult       *result,
                                                            GError            **error);

/* Removes a keyring identity (and its remembered passphrase). Token identities: NOT_SUPPORTED. */
gboolean            teken_identity_store_remove_sync      (TekenIdentityStore  *self,
                                                           TekenIdentity       *identity,
                                                           GCancellable        *cancellable,
                                                           GError             **error);
void                teken_identity_store_remove_async     (TekenIdentityStore  *self,
                                                           TekenIdentity       *identity,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean            teken_identity_store_remove_finish    (TekenIdentityStore  *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* Convenience: the certificate of the identity `id` (PEM or DER; never the key). */
GBytes             *teken_identity_store_export_certificate (TekenIdentityStore *self,
                                                             const char         *id,
                                                             TekenCertFormat     format,
                                                             GError            **error);

/*
 * For the CLI (blocking): refreshes if needed, looks up `id` (keyring id or pkcs11: URI) and opens
 * its key, calling `ask` when a passphrase/PIN is needed (not for a PIN pad or a remembered
 * passphrase). `ask` may be NULL: then NEEDS_SECRET. Returns transfer full.
 */
TekenKey           *teken_identity_store_open_key_by_id   (TekenIdentityStore  *self,
                                                           const char          *id,
                                                           TekenAskSecretFunc   ask,
                                                           gpointer             user_data,
                                                           GCancellable        *cancellable,
                                                           GError             **error);

G_END_DECLS
