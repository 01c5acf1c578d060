/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teken-identity-store.h"

G_BEGIN_DECLS

/*
 * The certificate manager: keyring and token identities (live while open: tokens are watched),
 * readable details, import of .p12/.pfx (button or drag and drop) with a passphrase prompt,
 * remove with confirmation, export of the certificate.
 * Actions: cert-manager.import, cert-manager.remove, cert-manager.export.
 */
#define TEKEN_TYPE_CERT_MANAGER (teken_cert_manager_get_type ())
G_DECLARE_FINAL_TYPE (TekenCertManager, teken_cert_manager, TEKEN, CERT_MANAGER, AdwWindow)

TekenCertManager *teken_cert_manager_new              (GtkWindow          *parent,
                                                       TekenIdentityStore *store);
gboolean          teken_cert_manager_get_ready        (TekenCertManager   *self);
guint             teken_cert_manager_get_n_rows       (TekenCertManager   *self);
gboolean          teken_cert_manager_select           (TekenCertManager   *self,
                                                       const char         *id);
/* transfer none */
TekenIdentity    *teken_cert_manager_get_selected     (TekenCertManager   *self);
/* The detail rows shown, as "title\tsubtitle" lines (tests and accessibility checks). */
char             *teken_cert_manager_dup_details_text (TekenCertManager   *self);
/* Imports file; without a passphrase the manager asks for it. */
void              teken_cert_manager_import_file      (TekenCertManager   *self,
                                                       GFile              *file,
                                                       const char         *passphrase_or_null);
/* The confirmation dialog of cert-manager.remove while it is open; transfer none. */
AdwMessageDialog *teken_cert_manager_get_dialog       (TekenCertManager   *self);
gboolean          teken_cert_manager_export_to        (TekenCertManager   *self,
                                                       GFile              *file,
                                                       GError            **error);
/* The last error or confirmation shown as a toast (empty when none); transfer none. */
const char       *teken_cert_manager_get_message      (TekenCertManager   *self);

G_END_DECLS
