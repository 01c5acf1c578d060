/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "teken-document-view.h"

G_BEGIN_DECLS

/* Find text in the document (poppler_page_find_text in a worker thread). */
#define TEKEN_TYPE_FIND_BAR (teken_find_bar_get_type ())
G_DECLARE_FINAL_TYPE (TekenFindBar, teken_find_bar, TEKEN, FIND_BAR, GtkWidget)

void     teken_find_bar_set_view      (TekenFindBar      *self,
                                       TekenDocumentView *view);
void     teken_find_bar_open          (TekenFindBar      *self);
void     teken_find_bar_reset         (TekenFindBar      *self);
void     teken_find_bar_next          (TekenFindBar      *self,
                                       gboolean           backwards);
/* Starts a search as typing would (tests). */
void     teken_find_bar_search        (TekenFindBar      *self,
                                       const char        *text);
guint    teken_find_bar_get_n_matches (TekenFindBar      *self);
gboolean teken_find_bar_get_searching (TekenFindBar      *self);

G_END_DECLS
