/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "teken-identity.h"

G_BEGIN_DECLS

/*
 * Changes a token's user PIN: current PIN, new PIN and its repetition (which must match), the
 * length the token accepts, a spinner while the token works and the error inline. On success it
 * emits ::pin-changed and closes. Action: pin.change.
 */
#define TEKEN_TYPE_PIN_DIALOG (teken_pin_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TekenPinDialog, teken_pin_dialog, TEKEN, PIN_DIALOG, AdwWindow)

TekenPinDialog *teken_pin_dialog_new          (GtkWindow      *parent,
                                               TekenIdentity  *identity);
/* Fills the three entries (tests). */
void            teken_pin_dialog_set_pins     (TekenPinDialog *self,
                                               const char     *current,
                                               const char     *new_pin,
                                               const char     *repeat);
gboolean        teken_pin_dialog_get_busy     (TekenPinDialog *self);
/* The inline error or the success message (empty when none); transfer none. */
const char     *teken_pin_dialog_get_message  (TekenPinDialog *self);

/*
 * The certificate manager's "PIN" row for a token identity: a "Change PIN…" button (insensitive,
 * with a tooltip saying why, when the token does not allow it) that opens the dialog; success is
 * shown as a toast in the nearest AdwToastOverlay.
 */
GtkWidget      *teken_pin_dialog_new_row      (TekenIdentity  *identity);

G_END_DECLS
