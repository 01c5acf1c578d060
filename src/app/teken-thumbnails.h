/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "teken-page-renderer.h"

G_BEGIN_DECLS

/* Page thumbnails in the sidebar; only the rows on screen are rendered. */
#define TEKEN_TYPE_THUMBNAILS (teken_thumbnails_get_type ())
G_DECLARE_FINAL_TYPE (TekenThumbnails, teken_thumbnails, TEKEN, THUMBNAILS, GtkWidget)

void teken_thumbnails_set_renderer (TekenThumbnails   *self,
                                    TekenPageRenderer *renderer);
void teken_thumbnails_select_page  (TekenThumbnails   *self,
                                    guint              page);

G_END_DECLS
