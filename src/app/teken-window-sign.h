/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's signing actions (teken-window-sign.c): win.sign and win.demo.
 */
#pragma once

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

G_END_DECLS
