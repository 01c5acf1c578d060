/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "teken-secret.h"

G_BEGIN_DECLS

/*
 * .p12 identities in the Secret Service (GNOME keyring), blocking calls for worker threads.
 * The .p12 is a binary secret in the default collection; its certificates are kept in a plain
 * attribute so that listing needs neither the passphrase nor an unlocked item. A passphrase,
 * when the user opts in, goes to the session collection only. Errors: TEKEN_IDENTITY_ERROR.
 */

/* Attributes (all strings): teken-item ("p12" | "passphrase"), fingerprint (SHA-256 hex),
 * subject, issuer, not-after (ISO 8601 UTC), kind (certificate kind), content-type,
 * certificates (PEM: the certificate, then its chain). */
const SecretSchema *teken_keyring_get_schema (void);

typedef struct
{
  char     *fingerprint;
  char     *label;              /* the item's label */
  char     *collection_label;   /* e.g. "Login" */
  char     *certificates_pem;   /* certificate first, then chain */
  gboolean  locked;
  gboolean  passphrase_remembered;  /* a passphrase item exists in the session collection */
} TekenKeyringEntry;

void        teken_keyring_entry_free       (TekenKeyringEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenKeyringEntry, teken_keyring_entry_free)

/* Every Teken .p12 item (GPtrArray of TekenKeyringEntry, transfer full). */
GPtrArray  *teken_keyring_list             (GCancellable       *cancellable,
                                            GError            **error);
/* TRUE when a .p12 with that fingerprint is stored (used to refuse duplicates). */
gboolean    teken_keyring_contains         (const char         *fingerprint,
                                            gboolean           *contains,
                                            GCancellable       *cancellable,
                                            GError            **error);
gboolean    teken_keyring_store_p12        (GBytes             *p12,
                                            const char         *fingerprint,
                                            const char         *label,
                                            const char         *subject,
                                            const char         *issuer,
                                            const char         *not_after,
                                            const char         *kind,
                                            const char         *certificates_pem,
                                            GCancellable       *cancellable,
                                            GError            **error);
/* The stored .p12 bytes. KEYRING_LOCKED when the item is locked, NOT_FOUND when absent. */
GBytes     *teken_keyring_load_p12         (const char         *fingerprint,
                                            GCancellable       *cancellable,
                                            GError            **error);
/* Stores the passphrase in the session collection (gone at logout). */
gboolean    teken_keyring_store_passphrase (const char         *fingerprint,
                                            const char         *label,
                                            const TekenSecret  *passphrase,
                                            GCancellable       *cancellable,
                                            GError            **error);
/* The remembered passphrase, or NULL without an error when none is remembered. */
TekenSecret *teken_keyring_load_passphrase (const char         *fingerprint,
                                            GCancellable       *cancellable,
                                            GError            **error);
/* Removes the .p12 and any remembered passphrase; NOT_FOUND when there was no .p12. */
gboolean    teken_keyring_remove           (const char         *fingerprint,
                                            GCancellable       *cancellable,
                                            GError            **error);

G_END_DECLS
