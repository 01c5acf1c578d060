/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "teken-application.h"
#include "teken-document-result.h"

G_BEGIN_DECLS

#define TEKEN_TYPE_WINDOW (teken_window_get_type ())
G_DECLARE_FINAL_TYPE (TekenWindow, teken_window, TEKEN, WINDOW, AdwApplicationWindow)

TekenWindow         *teken_window_new                  (TekenApplication *application);
/* Opens a PDF file; a password is asked for when it is encrypted. */
void                 teken_window_open                 (TekenWindow      *self,
                                                        GFile            *file);
/* Shows a signed revision (the first `length` bytes of file) read-only. */
void                 teken_window_open_revision        (TekenWindow      *self,
                                                        GFile            *file,
                                                        gsize             length,
                                                        const char       *signer);
/* The file shown (NULL on the welcome page); transfer none. */
GFile               *teken_window_get_file             (TekenWindow      *self);
/* TRUE while the document is being opened or its signatures checked. */
gboolean             teken_window_get_busy             (TekenWindow      *self);
/* "welcome", "loading", "error" or "document". */
const char          *teken_window_get_page_name        (TekenWindow      *self);
/* The last verification result, or NULL; transfer none. */
TekenDocumentResult *teken_window_get_result           (TekenWindow      *self);
/* The text on the signature bar (empty when hidden). */
const char          *teken_window_get_verdict_text     (TekenWindow      *self);
/* Opens the details window of a signature (index into the result's signatures). */
GtkWindow           *teken_window_show_signature_details (TekenWindow    *self,
                                                          guint           index);
/* Verifies the document again (after the trust store changed). */
void                 teken_window_reverify             (TekenWindow      *self);

G_END_DECLS
