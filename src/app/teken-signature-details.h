/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "teken-signature-result.h"

G_BEGIN_DECLS

/* Everything known about one signature: status and reasons, the signer certificate in readable
 * rows, the chain, time, revocation, changes after signing. */
#define TEKEN_TYPE_SIGNATURE_DETAILS (teken_signature_details_get_type ())
G_DECLARE_FINAL_TYPE (TekenSignatureDetails, teken_signature_details, TEKEN, SIGNATURE_DETAILS, AdwWindow)

/* file: the document (for "View Signed Version"), may be NULL. */
GtkWindow  *teken_signature_details_new            (GtkWindow            *parent,
                                                    TekenSignatureResult *signature,
                                                    GFile                *file);
/* The value (subtitle) of the first row titled `title`, or NULL; for tests. */
const char *teken_signature_details_get_row_value  (TekenSignatureDetails *self,
                                                    const char            *title);
/* Scrolls the row titled `title` to the top (tests, screenshots). */
void        teken_signature_details_scroll_to_row  (TekenSignatureDetails *self,
                                                    const char            *title);
/* Asks whether to trust the top certificate of the chain, as the "Trust…" button does;
 * FALSE when the chain is already trusted (no button). */
gboolean    teken_signature_details_ask_trust      (TekenSignatureDetails *self);
/* The headline (status summary). */
const char *teken_signature_details_get_headline   (TekenSignatureDetails *self);

G_END_DECLS
