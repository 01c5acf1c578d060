/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "teken-appearance.h"
#include "teken-ltv-settings.h"
#include "teken-signer.h"

G_BEGIN_DECLS

/*
 * What the preferences add to every signature made in the app (sign dialog and batch):
 * the stamp defaults (GSettings stamp-image, stamp-qr-template) and the PAdES level
 * (teken.conf [timestamp] level/url, the file teken-cli reads; GSettings timestamp-fallback).
 *
 * QR template placeholders: {name} (signer), {date} (YYYY-MM-DD), {file} (the document's
 * name), {reason}, {location}.
 */
char     *teken_sign_options_expand_qr   (const char       *template_text,
                                          const char       *name,
                                          GDateTime        *date,
                                          const char       *file,
                                          const char       *reason,
                                          const char       *location);
/* Applies the stamp image and QR text from settings to the signer and/or the appearance
 * (either may be NULL). FALSE with error when the image cannot be used. */
gboolean  teken_sign_options_apply_stamp (GSettings        *settings,
                                          TekenSigner      *signer,
                                          TekenAppearance  *appearance,
                                          const char       *name,
                                          const char       *file,
                                          const char       *reason,
                                          const char       *location,
                                          GError          **error);

/*
 * Signs input into output at the level of the settings in one worker thread: the B-B
 * signature (into a temporary file next to output) and then teken_ltv_raise(), as
 * `teken-cli sign --level` does. Nothing is written when a step fails, unless fallback is
 * set: then the file of the last good level is written and *warning says why the level
 * was not reached. progress_data must be a GObject (it is kept alive while progress is
 * reported); progress runs in the caller's thread-default main context.
 */
void      teken_sign_options_sign_async  (TekenSigner             *signer,
                                          const char              *input,
                                          const char              *output,
                                          gboolean                 fallback,
                                          GCancellable            *cancellable,
                                          TekenSignerProgressFunc  progress,
                                          gpointer                 progress_data,
                                          GAsyncReadyCallback      callback,
                                          gpointer                 user_data);
gboolean  teken_sign_options_sign_finish (GAsyncResult            *result,
                                          TekenPadesLevel         *reached,
                                          char                   **warning,
                                          GError                 **error);
/* The same, blocking (for a caller that already is in a worker thread). */
gboolean  teken_sign_options_sign_sync   (TekenSigner             *signer,
                                          const char              *input,
                                          const char              *output,
                                          gboolean                 fallback,
                                          TekenPadesLevel         *reached,
                                          char                   **warning,
                                          GCancellable            *cancellable,
                                          TekenSignerProgressFunc  progress,
                                          gpointer                 progress_data,
                                          GError                 **error);
G_END_DECLS
