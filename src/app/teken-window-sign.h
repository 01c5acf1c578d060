/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's signing actions (teken-window-sign.c): win.sign and win.demo.
 */
#pragma once

#include "teken-batch-window.h"
#include "teken-identity-store.h"
#include "teken-sign-dialog.h"
#include "teken-window.h"

G_BEGIN_DECLS

void                _teken_window_sign_class_init   (GtkWidgetClass *widget_class);
void                _teken_window_sign_update       (TekenWindow    *self);
/* The application's identity store (one per application, created on first use); transfer none. */
TekenIdentityStore *teken_window_get_identity_store (TekenWindow    *self);
/* The sign dialog that win.sign opened and that is still open, or NULL; transfer none. */
TekenSignDialog    *teken_window_get_sign_dialog    (TekenWindow    *self);

/* Places the stamp of the open sign dialog by a rectangle drawn between two points of the
 * document view (widget pixels), as the drag gesture does; FALSE when the first point is not
 * on a page. A click (tiny rectangle) places a stamp of the default size there. */
gboolean            teken_window_place_stamp        (TekenWindow    *self,
                                                     double          x1,
                                                     double          y1,
                                                     double          x2,
                                                     double          y2);

/* Opens the batch signing window for files (GFile: PDFs or folders); transfer none. */
TekenBatchWindow   *teken_window_sign_batch         (TekenWindow    *self,
                                                     GPtrArray      *files);

/* Expiry reminders: checks the identities now (otherwise done once, a few seconds after the
 * window opens) and shows the reminder bar and a desktop notification when one expires within
 * the "reminder-days" setting. */
void                teken_window_check_expiry       (TekenWindow    *self);
/* The reminder bar's text, empty when the bar is hidden; transfer none. */
const char         *teken_window_get_expiry_text    (TekenWindow    *self);
/* The renewal dialog the bar's button opens (shows the RA contact); transfer none, or NULL. */
AdwMessageDialog   *teken_window_show_renewal       (TekenWindow    *self);
/* TRUE while win.demo is creating the demo identity (off the main thread). */
gboolean            teken_window_get_demo_busy      (TekenWindow    *self);
/* The welcome page's "Try With a Demo Certificate" button (shows a spinner while busy); transfer none. */
GtkWidget          *teken_window_get_demo_button    (TekenWindow    *self);

G_END_DECLS
