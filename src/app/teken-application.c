/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-application.h"
#include "teken-reports.h"
#include "teken-window.h"

struct _TekenApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (TekenApplication, teken_application, ADW_TYPE_APPLICATION)

static TekenWindow *
find_window (TekenApplication *self,
             GFile            *file)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      GFile *shown;

      if (!TEKEN_IS_WINDOW (l->data))
        continue;
      shown = teken_window_get_file (l->data);
      if (file == NULL ? shown == NULL : (shown != NULL && g_file_equal (shown, file)))
        return l->data;
    }
  return NULL;
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (teken_window_new (user_data)));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "The Teken developers", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *about = adw_about_window_new ();

  /* adw_about_window_new_from_appdata() needs libadwaita 1.4: the fields are set here. */
  g_object_set (about,
                "transient-for", parent,
                "application-name", _("Teken"),
                "application-icon", APP_ID,
                "version", PACKAGE_VERSION,
                "developer-name", _("The Teken developers"),
                "developers", developers,
                "license-type", GTK_LICENSE_GPL_3_0,
                "comments", _("View PDF documents and check their electronic signatures"),
                "website", "https://github.com/teken/teken",
                "issue-url", "https://github.com/teken/teken/issues",
                /* translators: put your name here, one per line */
                "translator-credits", _("translator-credits"),
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Closing each window saves its state and cancels its work. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static const GActionEntry app_actions[] = {
  { "new-window", new_window_action },
  { "about", about_action },
  { "quit", quit_action },
};

static void
set_accels (GtkApplication *app)
{
  static const struct { const char *action; const char *accels[4]; } accels[] = {
    { "app.new-window", { "<primary>n", NULL } },
    { "app.quit", { "<primary>q", NULL } },
    { "win.open", { "<primary>o", NULL } },
    { "win.close", { "<primary>w", NULL } },
    { "win.find", { "<primary>f", NULL } },
    { "win.find-next", { "<primary>g", NULL } },
    { "win.find-previous", { "<shift><primary>g", NULL } },
    { "win.zoom-in", { "<primary>plus", "<primary>equal", "<primary>KP_Add", NULL } },
    { "win.zoom-out", { "<primary>minus", "<primary>KP_Subtract", NULL } },
    { "win.zoom-reset", { "<primary>0", "<primary>KP_0", NULL } },
    { "win.zoom-fit-width", { "<primary>1", NULL } },
    { "win.zoom-fit-page", { "<primary>2", NULL } },
    { "win.next-page", { "<primary>Page_Down", NULL } },
    { "win.previous-page", { "<primary>Page_Up", NULL } },
    { "win.first-page", { "<primary>Home", NULL } },
    { "win.last-page", { "<primary>End", NULL } },
    { "win.go-to-page", { "<primary>l", NULL } },
    { "win.show-sidebar", { "F9", NULL } },
    { "win.show-signatures", { "<primary><shift>s", NULL } },
    { "win.reverify", { "F5", NULL } },
    { "win.show-help-overlay", { "<primary>question", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (app, accels[i].action, accels[i].accels);
}

static void
teken_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (teken_application_parent_class)->startup (app);
  g_debug ("startup done at %" G_GINT64_FORMAT " µs", g_get_real_time ());

  gtk_window_set_default_icon_name (APP_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  set_accels (GTK_APPLICATION (app));
  teken_reports_install (GTK_APPLICATION (app));   /* app.reports, app.report(s), outbox retries */
}

static void
teken_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (teken_window_new (TEKEN_APPLICATION (app)));
  gtk_window_present (window);
}

static void
teken_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    teken_application_open_file (TEKEN_APPLICATION (app), files[i]);
  g_debug ("windows created at %" G_GINT64_FORMAT " µs", g_get_real_time ());
}

static void
teken_application_dispose (GObject *object)
{
  TekenApplication *self = TEKEN_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (teken_application_parent_class)->dispose (object);
}

static void
teken_application_class_init (TekenApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = teken_application_dispose;
  app_class->startup = teken_application_startup;
  app_class->activate = teken_application_activate;
  app_class->open = teken_application_open;
}

static void
teken_application_init (TekenApplication *self)
{
}

TekenApplication *
teken_application_new (void)
{
  return g_object_new (TEKEN_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/teken/Teken",
                       NULL);
}

void
teken_application_open_file (TekenApplication *self,
                             GFile            *file)
{
  TekenWindow *window;

  g_return_if_fail (TEKEN_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (file));

  window = find_window (self, file);
  if (window == NULL)
    {
      /* An empty window (the welcome page) is reused. */
      window = find_window (self, NULL);
      if (window == NULL)
        window = teken_window_new (self);
      teken_window_open (window, file);
    }
  gtk_window_present (GTK_WINDOW (window));
}

void
teken_application_open_revision (TekenApplication *self,
                                 GFile            *file,
                                 gsize             length,
                                 const char       *signer)
{
  TekenWindow *window;

  g_return_if_fail (TEKEN_IS_APPLICATION (self));

  window = teken_window_new (self);
  teken_window_open_revision (window, file, length, signer);
  gtk_window_present (GTK_WINDOW (window));
}

GSettings *
teken_application_get_settings (TekenApplication *self)
{
  g_return_val_if_fail (TEKEN_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  return self->settings;
}
