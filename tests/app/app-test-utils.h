/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the UI tests of the app (tests/app): main-loop waiting, the test
 * environment, screenshots and opening a document window.
 */
#pragma once

#include <adwaita.h>

#include "teken-application.h"
#include "teken-window.h"

G_BEGIN_DECLS

gboolean          app_test_wait_until            (gboolean   (*done) (gpointer),
                                                  gpointer     data,
                                                  guint        seconds);
void              app_test_pump                  (guint        ms);
gboolean          app_test_is_drawable           (gpointer     data);
gboolean          app_test_window_idle           (gpointer     data);

char             *app_test_make_home             (const char  *tmpl);
void              app_test_set_display_env       (void);
void              app_test_init_screenshot_dir   (void);
void              app_test_save_screenshot       (GtkWidget   *widget,
                                                  const char  *name);

gpointer          app_test_find_toplevel         (GType        type,
                                                  gboolean     visible_only);
char             *app_test_openssl_fingerprint   (const char  *cert_path);

TekenApplication *app_test_new_application       (void);
void              app_test_show_and_open         (TekenWindow *window,
                                                  const char  *path,
                                                  int          height);

G_END_DECLS
