/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "teken-document-result.h"

G_BEGIN_DECLS

/* The verdict bar at the top of a document (libadwaita 1.2 has no AdwBanner). */
#define TEKEN_TYPE_SIGNATURE_BAR (teken_signature_bar_get_type ())
G_DECLARE_FINAL_TYPE (TekenSignatureBar, teken_signature_bar, TEKEN, SIGNATURE_BAR, GtkWidget)

void        teken_signature_bar_set_checking (TekenSignatureBar   *self);
void        teken_signature_bar_set_result   (TekenSignatureBar   *self,
                                              TekenDocumentResult *result);
/* The verifier could not check the file at all (an encrypted document, for one). */
void        teken_signature_bar_set_error    (TekenSignatureBar   *self,
                                              const GError        *error);
/* A signed revision shown read-only. */
void        teken_signature_bar_set_revision (TekenSignatureBar   *self,
                                              const char          *signer);
void        teken_signature_bar_hide         (TekenSignatureBar   *self);
/* The verdict shown; "" when hidden. */
const char *teken_signature_bar_get_text     (TekenSignatureBar   *self);
/* "success", "warning", "error", "neutral", "checking" or NULL when hidden. */
const char *teken_signature_bar_get_style    (TekenSignatureBar   *self);

G_END_DECLS
