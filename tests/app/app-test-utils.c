/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "app-test-utils.h"
#include "teken-document-view.h"
#include "teken-test-utils.h"
#include "teken-window-private.h"

static char *screenshot_dir;

/* Runs the main context until done (data) or the timeout; FALSE on timeout. */
gboolean
app_test_wait_until (gboolean (*done) (gpointer),
                     gpointer   data,
                     guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

void
app_test_pump (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

gboolean
app_test_is_drawable (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* A TekenWindow that is not busy and, if it shows a document, has its first page on screen. */
gboolean
app_test_window_idle (gpointer data)
{
  TekenWindow *window = data;

  if (teken_window_get_busy (window))
    return FALSE;
  return g_strcmp0 (teken_window_get_page_name (window), "document") != 0 ||
         teken_document_view_get_n_pages_drawn (window->view) > 0;
}

/* A throw-away HOME (also XDG_DATA_HOME and XDG_CACHE_HOME); the caller frees it. */
char *
app_test_make_home (const char *tmpl)
{
  char *home = g_dir_make_tmp (tmpl, NULL);

  g_assert_nonnull (home);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  return home;
}

/* Deterministic rendering under Xvfb (each can be overridden from outside) and the built schemas. */
void
app_test_set_display_env (void)
{
  g_setenv ("GDK_BACKEND", "x11", FALSE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  if (g_getenv ("TEKEN_TEST_BUILDDIR") != NULL)
    {
      g_autofree char *schemas = g_build_filename (g_getenv ("TEKEN_TEST_BUILDDIR"), "..", "data", NULL);

      g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, FALSE);
    }
}

/* <builddir>/tests/app/screenshots/ */
void
app_test_init_screenshot_dir (void)
{
  g_free (screenshot_dir);
  screenshot_dir = g_build_filename (g_getenv ("TEKEN_TEST_BUILDDIR") ? g_getenv ("TEKEN_TEST_BUILDDIR") : ".",
                                     "app", "screenshots", NULL);
  g_mkdir_with_parents (screenshot_dir, 0755);
}

void
app_test_save_screenshot (GtkWidget  *widget,
                          const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  g_assert_nonnull (screenshot_dir);
  path = g_build_filename (screenshot_dir, name, NULL);
  app_test_pump (300);
  g_assert_true (app_test_wait_until (app_test_is_drawable, widget, 10));
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  /* Dialogs fade in: an empty node means nothing is visible yet. */
  for (guint i = 0; i < 100 && node == NULL; i++)
    {
      g_autoptr(GtkSnapshot) attempt = gtk_snapshot_new ();

      app_test_pump (20);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (attempt), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&attempt));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* The first toplevel window of type (only a visible one if visible_only), or NULL; transfer none. */
gpointer
app_test_find_toplevel (GType    type,
                        gboolean visible_only)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) &&
          (!visible_only || gtk_widget_get_visible (GTK_WIDGET (window))))
        return window;
    }
  return NULL;
}

/* SHA-256 fingerprint of a PEM certificate by `openssl x509`, as "AB:CD:…". */
char *
app_test_openssl_fingerprint (const char *cert_path)
{
  const char *argv[] = { "openssl", "x509", "-in", cert_path, "-noout", "-fingerprint", "-sha256", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;
  char *eq;

  g_assert_true (teken_test_run (argv, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  eq = strchr (out, '=');
  g_assert_nonnull (eq);
  return g_strstrip (g_strdup (eq + 1));
}

/* A registered, non-unique application that opens files. */
TekenApplication *
app_test_new_application (void)
{
  TekenApplication *app = teken_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  return app;
}

/* Presents the window at 1100×height, opens path in it and waits until it is idle. */
void
app_test_show_and_open (TekenWindow *window,
                        const char  *path,
                        int          height)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, height);
  gtk_window_present (GTK_WINDOW (window));
  teken_window_open (window, file);
  g_assert_true (app_test_wait_until (app_test_window_idle, window, 60));
}
