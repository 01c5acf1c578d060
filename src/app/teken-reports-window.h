/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "teken-outbox.h"

G_BEGIN_DECLS

#define TEKEN_TYPE_REPORTS_WINDOW (teken_reports_window_get_type ())
G_DECLARE_FINAL_TYPE (TekenReportsWindow, teken_reports_window, TEKEN, REPORTS_WINDOW, AdwApplicationWindow)

TekenReportsWindow *teken_reports_window_new        (GtkApplication     *app);
/* Sends (or retries) the report `id` in the background; a toast tells the result. */
void                teken_reports_window_send       (TekenReportsWindow *self,
                                                     const char         *id,
                                                     gboolean            force);
void                teken_reports_window_add_toast  (TekenReportsWindow *self,
                                                     const char         *title);
/* How a report's state reads in the list, e.g. "Sent · ticket 100001". */
char               *teken_reports_describe_state    (TekenOutboxEntry   *entry);
/* Number of sends under way (tests). */
guint               teken_reports_window_get_n_sending (TekenReportsWindow *self);

G_END_DECLS
