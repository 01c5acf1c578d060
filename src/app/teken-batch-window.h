/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teken-identity-store.h"

G_BEGIN_DECLS

/*
 * Batch signing: several PDFs (or every PDF of a folder) signed with one passphrase/PIN entry
 * (the key stays open for the whole batch), invisible or with the stamp at the same place, a row
 * per file with its progress and result, and a summary of the failures. Each output is
 * "<name>-signed.pdf" next to its input, written atomically: a failed file leaves nothing.
 * Actions: batch.sign, batch.cancel. Signal "finished" (guint n_signed, guint n_failed).
 */
#define TEKEN_TYPE_BATCH_WINDOW (teken_batch_window_get_type ())
G_DECLARE_FINAL_TYPE (TekenBatchWindow, teken_batch_window, TEKEN, BATCH_WINDOW, AdwWindow)

/* files: GFile array of PDFs or folders (a folder adds its *.pdf files, sorted). */
TekenBatchWindow *teken_batch_window_new            (GtkWindow          *parent,
                                                     TekenIdentityStore *store,
                                                     GPtrArray          *files);
gboolean          teken_batch_window_get_ready      (TekenBatchWindow   *self);
guint             teken_batch_window_get_n_files    (TekenBatchWindow   *self);
gboolean          teken_batch_window_select_identity (TekenBatchWindow  *self,
                                                      const char        *id);
void              teken_batch_window_set_secret     (TekenBatchWindow   *self,
                                                     const char         *secret);
void              teken_batch_window_set_visible_stamp (TekenBatchWindow *self,
                                                        gboolean          visible);
gboolean          teken_batch_window_get_busy       (TekenBatchWindow   *self);
/* The result line of file i ("" while waiting) and the summary; transfer none. */
const char       *teken_batch_window_get_status     (TekenBatchWindow   *self,
                                                     guint               i);
const char       *teken_batch_window_get_summary    (TekenBatchWindow   *self);

G_END_DECLS
