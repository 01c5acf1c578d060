/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teken-identity-store.h"
#include "teken-ltv-settings.h"

G_BEGIN_DECLS

/*
 * Signs one PDF: choose the identity, visible or invisible stamp with a preview, reason and
 * location (remembered), the passphrase or PIN, progress and cancel. Writes
 * "<name>-signed.pdf" (translated) next to the input, with a free name when that exists.
 *
 * Actions: sign-dialog.sign, sign-dialog.cancel (cancels signing, or closes), sign-dialog.create-demo,
 * sign-dialog.place.
 * Signals: "signed" (GFile *output) after the signed copy was written; "place-requested" when the
 * user wants to draw the stamp's rectangle on the page (the window hides the dialog meanwhile).
 */
#define TEKEN_TYPE_SIGN_DIALOG (teken_sign_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TekenSignDialog, teken_sign_dialog, TEKEN, SIGN_DIALOG, AdwWindow)

TekenSignDialog *teken_sign_dialog_new               (GtkWindow          *parent,
                                                      TekenIdentityStore *store,
                                                      GFile              *input);
/* TRUE once the identities are listed (the store is refreshed when the dialog opens). */
gboolean         teken_sign_dialog_get_ready         (TekenSignDialog    *self);
/* Selects an identity by teken_identity_get_id(); FALSE when it is not listed or not usable. */
gboolean         teken_sign_dialog_select_identity   (TekenSignDialog    *self,
                                                      const char         *id);
/* transfer none; NULL when none is selected. */
TekenIdentity   *teken_sign_dialog_get_identity      (TekenSignDialog    *self);
/* Why an identity cannot sign (translated), or NULL when it can. */
char            *teken_sign_dialog_dup_unusable_reason (TekenIdentity    *identity);
void             teken_sign_dialog_set_visible_stamp (TekenSignDialog    *self,
                                                      gboolean            visible);
/* Where the stamp goes: page (0-based) and a rectangle in points from the page's top-left
 * corner (as the document view measures). Without it: the lower right of the last page. */
void             teken_sign_dialog_set_rect          (TekenSignDialog    *self,
                                                      guint               page,
                                                      double              x,
                                                      double              y,
                                                      double              width,
                                                      double              height);
void             teken_sign_dialog_set_reason        (TekenSignDialog    *self,
                                                      const char         *reason);
void             teken_sign_dialog_set_location      (TekenSignDialog    *self,
                                                      const char         *location);
/* The document's empty signature fields (from its verification result: element type
 * TekenSignatureResult, the unsigned ones with a widget are offered); the first is chosen. */
void             teken_sign_dialog_set_empty_fields  (TekenSignDialog    *self,
                                                      GListModel         *signatures);
/* Chooses an empty field by name, NULL for a new stamp; FALSE when there is no such field. */
gboolean         teken_sign_dialog_select_field      (TekenSignDialog    *self,
                                                      const char         *name);
/* Fills the passphrase/PIN row (tests; the user types it). */
void             teken_sign_dialog_set_secret        (TekenSignDialog    *self,
                                                      const char         *secret);
void             teken_sign_dialog_set_trust_demo    (TekenSignDialog    *self,
                                                      gboolean            trust);
/* The output name for input: "<name>-signed.pdf" (translated), or the first free "<…>-N.pdf". */
GFile           *teken_sign_dialog_get_output_for    (GFile              *input);
/* TRUE when a rectangle was set (drawn or by set_rect), with its page and rectangle. */
gboolean         teken_sign_dialog_get_rect          (TekenSignDialog    *self,
                                                      guint              *page,
                                                      double             *x,
                                                      double             *y,
                                                      double             *width,
                                                      double             *height);
gboolean         teken_sign_dialog_get_busy          (TekenSignDialog    *self);
/* The error shown (empty when none); transfer none. */
const char      *teken_sign_dialog_get_message       (TekenSignDialog    *self);
/* Whether the passphrase/PIN row is shown, and its title (with the token's tries). */
gboolean         teken_sign_dialog_get_asks_secret   (TekenSignDialog    *self);
const char      *teken_sign_dialog_get_secret_prompt (TekenSignDialog    *self);
/* The stamp preview as rendered (a texture of the stamp PDF), or NULL. transfer none. */
GdkTexture      *teken_sign_dialog_get_preview       (TekenSignDialog    *self);
/* During "signed": the PAdES level the file reached (the preferences' level, or lower with
 * fallback) and, when lower, why (translated; NULL otherwise). */
TekenPadesLevel  teken_sign_dialog_get_reached_level (TekenSignDialog    *self);
const char      *teken_sign_dialog_get_level_warning (TekenSignDialog    *self);

G_END_DECLS
