/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "teken-identity.h"
#include "teken-report.h"

G_BEGIN_DECLS

#define TEKEN_TYPE_REPORT_DIALOG (teken_report_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TekenReportDialog, teken_report_dialog, TEKEN, REPORT_DIALOG, AdwWindow)

/* The report form, prefilled from the owner's remembered details and, when identity_id is given,
 * from that identity's certificate (looked up when the identity store has been read). */
TekenReportDialog *teken_report_dialog_new             (GtkApplication    *app,
                                                        TekenReportKind    kind,
                                                        const char        *identity_id);
TekenReportKind    teken_report_dialog_get_kind        (TekenReportDialog *self);
void               teken_report_dialog_set_kind        (TekenReportDialog *self,
                                                        TekenReportKind    kind);
/* The row editing a field (an AdwEntryRow, or an AdwComboRow for choices), or NULL when the kind has no such field. */
GtkWidget         *teken_report_dialog_get_field_row   (TekenReportDialog *self,
                                                        const char        *id);
/* The value the form holds for a field, or NULL. */
const char        *teken_report_dialog_get_value       (TekenReportDialog *self,
                                                        const char        *id);
/* The validation message shown under a field right now, or NULL. */
const char        *teken_report_dialog_get_field_error (TekenReportDialog *self,
                                                        const char        *id);
/* Adds an attachment file; errors are shown in the form and returned. */
gboolean           teken_report_dialog_add_attachment  (TekenReportDialog *self,
                                                        const char        *path,
                                                        const char        *role,
                                                        GError           **error);
/* Offers (and chooses) an identity that is not in the identity store, e.g. a .p12 file. */
void               teken_report_dialog_add_identity    (TekenReportDialog *self,
                                                        TekenIdentity     *identity);
/* Whether the letter is being written (tests). */
gboolean           teken_report_dialog_is_busy         (TekenReportDialog *self);

G_END_DECLS
