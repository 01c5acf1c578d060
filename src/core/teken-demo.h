/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <openssl/x509.h>

#include "teken-identity.h"
#include "teken-identity-store.h"
#include "teken-x509-util.h"

G_BEGIN_DECLS

/*
 * The demo identity: a DEMO CA and a signer certificate made on this computer so that the
 * helpdesk can show signing and verifying to someone who has no BSrE certificate yet. The CA is
 * never added to the trust anchors by itself; every stamp signed with it says DEMO.
 */
#define TEKEN_DEMO_SIGNER_NAME "Pengguna Demo Teken"
#define TEKEN_DEMO_MARKER      "DEMO — TIDAK UNTUK PENGGUNAAN RESMI"

/* TRUE when cert is a demo certificate (issued by a Teken DEMO CA, or the CA itself). */
gboolean       teken_demo_identity_is_demo    (TekenIdentity       *identity);

/* The first demo identity of the store (transfer none), or NULL. */
TekenIdentity *teken_demo_find_identity       (TekenIdentityStore  *store);

/*
 * Creates the demo CA and signer (EC P-256, two years) in memory and imports them into the
 * keyring as a .p12 with a random passphrase remembered in the session collection, so that
 * signing asks for nothing. Returns the existing demo identity when there is one. transfer full.
 */
TekenIdentity *teken_demo_create_identity     (TekenIdentityStore  *store,
                                               GCancellable        *cancellable,
                                               GError             **error);

/* The same without blocking: the keys are made in a worker thread, the identity is added to
 * the store's model in the caller's thread (for the app). */
void           teken_demo_create_identity_async  (TekenIdentityStore  *store,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
TekenIdentity *teken_demo_create_identity_finish (TekenIdentityStore  *store,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* The demo CA certificate of a demo identity (transfer none), for "trust on this computer". */
X509          *teken_demo_identity_get_ca     (TekenIdentity       *identity);

/* The sample letter (transfer full). */
GBytes        *teken_demo_get_sample_letter   (GError             **error);

/*
 * Copies the sample letter into dir (NULL: the user's documents folder) as
 * "surat-contoh.pdf", or "surat-contoh-N.pdf" when that exists. Returns the path written.
 */
char          *teken_demo_copy_sample_letter  (const char          *dir,
                                               GError             **error);

G_END_DECLS
