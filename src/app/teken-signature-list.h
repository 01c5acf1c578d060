/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "teken-document-result.h"

G_BEGIN_DECLS

/* The sidebar listing each signature field: signer, time, status. */
#define TEKEN_TYPE_SIGNATURE_LIST (teken_signature_list_get_type ())
G_DECLARE_FINAL_TYPE (TekenSignatureList, teken_signature_list, TEKEN, SIGNATURE_LIST, GtkWidget)

void        teken_signature_list_set_checking  (TekenSignatureList  *self);
/* result NULL and error NULL: nothing to show. */
void        teken_signature_list_set_result    (TekenSignatureList  *self,
                                                TekenDocumentResult *result,
                                                const GError        *error);
guint       teken_signature_list_get_n_rows    (TekenSignatureList  *self);
/* Title (signer or field) and subtitle of a row, for tests; transfer none. */
const char *teken_signature_list_get_row_title (TekenSignatureList  *self,
                                                guint                index);
const char *teken_signature_list_get_row_subtitle (TekenSignatureList *self,
                                                   guint               index);
/* Activates a row as a click would. */
void        teken_signature_list_activate_row  (TekenSignatureList  *self,
                                                guint                index);

G_END_DECLS
