/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-report-dialog.h"
#include "teken-reports.h"
#include "teken-reports-window.h"

#define OUTBOX_KEY "teken-reports-outbox"
#define STORE_KEY "teken-reports-identity-store"
#define TIMER_KEY "teken-reports-due-timer"

/* At most this long between two looks at the outbox (another process may have queued a report). */
#define MAX_DUE_WAIT_SECONDS (30 * 60)

static TekenReportsWindow *
find_reports_window (GtkApplication *app)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (TEKEN_IS_REPORTS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
reports_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = user_data;
  TekenReportsWindow *window = find_reports_window (app);

  if (window == NULL)
    window = teken_reports_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
}

static void
report_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *target = g_variant_get_string (parameter, NULL);
  g_auto(GStrv) parts = g_strsplit (target, ":", 2);   /* identity ids hold colons themselves */
  TekenReportKind kind = TEKEN_REPORT_KIND_RENEWAL;
  const char *identity_id = NULL;
  TekenReportDialog *dialog;

  if (parts[0] != NULL && *parts[0] != '\0' && !teken_report_kind_from_string (parts[0], &kind))
    {
      g_warning ("app.report: unknown report kind “%s”", parts[0]);
      return;
    }
  if (parts[0] != NULL && parts[1] != NULL && *parts[1] != '\0')
    identity_id = parts[1];
  dialog = teken_report_dialog_new (app, kind, identity_id);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), gtk_application_get_active_window (app));
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry report_actions[] = {
  { "reports", reports_action },
  { "report", report_action, "s" },
};

static gboolean due_timeout_cb (gpointer user_data);

static void
send_due_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GtkApplication *app = user_data;
  g_autoptr(GError) error = NULL;
  guint n_sent = 0;
  guint n;

  n = teken_outbox_send_due_finish (TEKEN_OUTBOX (object), result, &n_sent, &error);
  if (error != NULL)
    g_warning ("Could not send the queued reports: %s", error->message);
  else if (n > 0)
    g_debug ("outbox: %u reports attempted, %u sent", n, n_sent);
  teken_reports_schedule_due (app);
  g_application_release (G_APPLICATION (app));
  g_object_unref (app);
}

void
teken_reports_send_due (GtkApplication *app)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenDelivery) delivery = NULL;
  TekenOutbox *outbox = teken_reports_get_outbox (app, &error);

  if (outbox == NULL)
    {
      g_warning ("The report outbox cannot be opened: %s", error->message);
      return;
    }
  /* Nothing is sent until the installation names a channel (teken.conf). */
  delivery = teken_reports_new_delivery (&error);
  if (delivery == NULL)
    {
      g_debug ("outbox: not sending queued reports: %s", error->message);
      return;
    }
  g_application_hold (G_APPLICATION (app));
  teken_outbox_send_due_async (outbox, delivery, NULL, send_due_cb, g_object_ref (app));
}

static gboolean
due_timeout_cb (gpointer user_data)
{
  GtkApplication *app = user_data;

  g_object_set_data (G_OBJECT (app), TIMER_KEY, NULL);
  teken_reports_send_due (app);
  return G_SOURCE_REMOVE;
}

static void
remove_source (gpointer data)
{
  g_source_remove (GPOINTER_TO_UINT (data));
}

static void
app_shutdown_cb (GApplication *app)
{
  g_object_set_data (G_OBJECT (app), TIMER_KEY, NULL);
}

void
teken_reports_schedule_due (GtkApplication *app)
{
  TekenOutbox *outbox = teken_reports_get_outbox (app, NULL);
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan wait;
  guint id;

  g_return_if_fail (GTK_IS_APPLICATION (app));

  if (outbox == NULL)
    return;
  g_object_set_data (G_OBJECT (app), TIMER_KEY, NULL);
  next = teken_outbox_get_next_due (outbox);
  if (next == NULL)
    return;
  wait = CLAMP (g_date_time_difference (next, now) / G_TIME_SPAN_SECOND + 1, 1, MAX_DUE_WAIT_SECONDS);
  id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, (guint) wait, due_timeout_cb, app, NULL);
  g_object_set_data_full (G_OBJECT (app), TIMER_KEY, GUINT_TO_POINTER (id), remove_source);
}

static gboolean
start_idle_cb (gpointer user_data)
{
  teken_reports_send_due (user_data);
  return G_SOURCE_REMOVE;
}

void
teken_reports_install (GtkApplication *app)
{
  g_return_if_fail (GTK_IS_APPLICATION (app));

  g_action_map_add_action_entries (G_ACTION_MAP (app), report_actions, G_N_ELEMENTS (report_actions), app);
  g_signal_connect (app, "shutdown", G_CALLBACK (app_shutdown_cb), NULL);
  /* Reports whose retry time has come go out once the first window is up. */
  g_idle_add_full (G_PRIORITY_LOW, start_idle_cb, g_object_ref (app), g_object_unref);
}

TekenOutbox *
teken_reports_get_outbox (GtkApplication  *app,
                          GError         **error)
{
  TekenOutbox *outbox;

  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);

  outbox = g_object_get_data (G_OBJECT (app), OUTBOX_KEY);
  if (outbox == NULL)
    {
      outbox = teken_outbox_new (NULL, error);
      if (outbox == NULL)
        return NULL;
      g_object_set_data_full (G_OBJECT (app), OUTBOX_KEY, outbox, g_object_unref);
    }
  return outbox;
}

TekenIdentityStore *
teken_reports_get_identity_store (GtkApplication *app)
{
  TekenIdentityStore *store;

  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);

  store = g_object_get_data (G_OBJECT (app), STORE_KEY);
  if (store == NULL)
    {
      store = teken_identity_store_new ();
      g_object_set_data_full (G_OBJECT (app), STORE_KEY, store, g_object_unref);
    }
  return store;
}

TekenDelivery *
teken_reports_new_delivery (GError **error)
{
  g_autoptr(TekenRaConfig) config = teken_ra_config_load (error);
  TekenDeliveryChannel channel;

  if (config == NULL)
    return NULL;
  if (!teken_ra_config_get_channel (config, &channel, error))
    return NULL;
  return teken_delivery_new (config);
}

AdwToast *
teken_reports_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);   /* AdwToast 1.2 titles are markup */
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 8);
  return toast;
}

static void
report_row_activated_cb (AdwActionRow *row,
                         gpointer      user_data)
{
  GApplication *app = g_application_get_default ();
  const char *target = g_object_get_data (G_OBJECT (row), "report-target");

  /* Through the application: the row may sit in a window that is not the application's. */
  if (app != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (app), "report", g_variant_new_string (target));
}

GtkWidget *
teken_reports_new_identity_group (TekenIdentity *identity)
{
  static const struct { TekenReportKind kind; const char *title; const char *subtitle; } rows[] = {
    { TEKEN_REPORT_KIND_RENEWAL, N_("Request _Renewal…"), N_("Before the certificate expires (Pembaruan)") },
    { TEKEN_REPORT_KIND_LOSS, N_("Report _Loss or Damage…"),
      N_("The key or token is lost, damaged or no longer accessible (Kehilangan/Kerusakan)") },
    { TEKEN_REPORT_KIND_REVOCATION, N_("Request Re_vocation…"),
      N_("Suspected compromise, leaving office, changed data (Pencabutan)") },
  };
  GtkWidget *group;

  g_return_val_if_fail (TEKEN_IS_IDENTITY (identity), NULL);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Registration Authority"));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(rows[i].title));
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(rows[i].subtitle));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "report-target",
                              g_strconcat (teken_report_kind_to_string (rows[i].kind), ":",
                                           teken_identity_get_id (identity), NULL),
                              g_free);
      g_signal_connect (row, "activated", G_CALLBACK (report_row_activated_cb), NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  return group;
}
