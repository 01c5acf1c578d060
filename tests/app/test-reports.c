/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Reports window and the report form (issue 8), driven through their actions under Xvfb:
 * validation messages, drafts in the history, delivery to the test helpdesk (tests/report/helpdesk-server.c)
 * with the ticket number shown, a refusing server with its message shown, removing a draft.
 * Argument 1: the helpdesk-server executable.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "app-test-utils.h"
#include "teken-application.h"
#include "teken-core.h"
#include "teken-identity.h"
#include "teken-ra-config.h"
#include "teken-report-dialog.h"
#include "teken-reports.h"
#include "teken-reports-window.h"
#include "teken-test-utils.h"
#include "teken-window.h"

static TekenApplication *app;
static char *home;
static const char *helpdesk_bin;
static const char *api_key = "test-api-key-5678";

/* ---- helpers -------------------------------------------------------------------------------- */

static void
pump (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE));
      g_usleep (2000);
    }
}

static gboolean
has_no_dialog (gpointer data)
{
  return app_test_find_toplevel (TEKEN_TYPE_REPORT_DIALOG, TRUE) == NULL;
}

static TekenReportDialog *
open_form (const char *target)
{
  TekenReportDialog *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (app), "report", g_variant_new_string (target));
  pump (100);
  dialog = app_test_find_toplevel (TEKEN_TYPE_REPORT_DIALOG, TRUE);
  g_assert_nonnull (dialog);
  return dialog;
}

static void
set_text (TekenReportDialog *dialog,
          const char        *id,
          const char        *text)
{
  GtkWidget *row = teken_report_dialog_get_field_row (dialog, id);

  g_assert_nonnull (row);
  g_assert_true (ADW_IS_ENTRY_ROW (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
fill_renewal (TekenReportDialog *dialog)
{
  set_text (dialog, "owner_name", "Budi Santoso");
  set_text (dialog, "owner_nip", "19800101 200501 1 001");
  set_text (dialog, "owner_position", "Kepala Bidang Aplikasi Informatika");
  set_text (dialog, "owner_unit", "Dinas Komunikasi dan Informatika");
  set_text (dialog, "owner_email", "budi@contoh.go.id");
  set_text (dialog, "owner_phone", "0812 3456 7890");
  set_text (dialog, "cert_serial", "04:3F:A1:22:9B");
  set_text (dialog, "reason", "Masa berlaku sertifikat akan berakhir");
}

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

/* Every label the window shows right now. */
static char *
shown_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_labels (widget, out);
  return g_string_free (out, FALSE);
}

static TekenOutbox *
outbox (void)
{
  TekenOutbox *outbox = teken_reports_get_outbox (GTK_APPLICATION (app), NULL);

  g_assert_nonnull (outbox);
  return outbox;
}

static TekenOutboxEntry *
newest_entry (void)
{
  GListModel *entries = teken_outbox_get_entries (outbox ());

  g_assert_cmpuint (g_list_model_get_n_items (entries), >, 0);
  return g_list_model_get_item (entries, 0);
}

typedef struct
{
  const char *id;
  TekenOutboxState state;
} WaitState;

static gboolean
entry_in_state (gpointer data)
{
  WaitState *w = data;
  GListModel *entries = teken_outbox_get_entries (outbox ());

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(TekenOutboxEntry) entry = g_list_model_get_item (entries, i);
      if (g_str_equal (teken_outbox_entry_get_id (entry), w->id))
        return teken_outbox_entry_get_state (entry) == w->state;
    }
  return FALSE;
}

static gboolean
not_sending (gpointer data)
{
  return teken_reports_window_get_n_sending (data) == 0;
}

static gboolean
viewer_idle (gpointer data)
{
  return !teken_window_get_busy (data);
}

static void
close_all (void)
{
  GtkWindow *window;

  while ((window = app_test_find_toplevel (GTK_TYPE_WINDOW, TRUE)) != NULL)
    gtk_window_destroy (window);
  pump (50);
}

/* ---- the helpdesk --------------------------------------------------------------------------- */

typedef struct
{
  GSubprocess *server;
  char *record;
  int port;
} Helpdesk;

static void
helpdesk_start (Helpdesk   *h,
                const char *mode)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *port_file = g_build_filename (dir, "port", NULL);
  g_autofree char *config_dir = g_build_filename (home, "config", "teken", NULL);
  g_autofree char *config = g_build_filename (config_dir, "teken.conf", NULL);
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  h->record = g_build_filename (dir, "record.txt", NULL);
  h->server = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, helpdesk_bin, "--port-file", port_file,
                                "--record", h->record, "--api-key", api_key, "--mode", mode,
                                "--lifetime", "120", NULL);
  g_assert_no_error (error);
  for (guint i = 0; i < 1000 && h->port == 0; i++)
    {
      g_autofree char *data = NULL;
      if (g_file_get_contents (port_file, &data, NULL, NULL))
        h->port = atoi (data);
      if (h->port == 0)
        g_usleep (10000);
    }
  g_assert_cmpint (h->port, >, 0);

  /* The installation's settings (teken.conf) and the API key in the (file-backed) keyring. */
  url = g_strdup_printf ("http://127.0.0.1:%d/api/tickets.json", h->port);
  text = g_strdup_printf ("[letterhead]\npemda=Pemerintah Kabupaten Contoh\ndinas=Dinas Komunikasi dan Informatika\n"
                          "city=Kabupaten Contoh\n\n[delivery]\nchannel=osticket\ntimeout=10\n\n[osticket]\nurl=%s\n", url);
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (config, text, -1, NULL));
  g_assert_true (teken_ra_config_store_secret (TEKEN_DELIVERY_CHANNEL_OSTICKET, url, api_key, NULL, &error));
  g_assert_no_error (error);
}

static void
helpdesk_stop (Helpdesk *h)
{
  g_subprocess_force_exit (h->server);
  g_subprocess_wait (h->server, NULL, NULL);
  g_clear_object (&h->server);
  g_free (h->record);
}

static guint
count_lines_with (const char *path,
                  const char *needle)
{
  g_autofree char *data = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &data, NULL, NULL))
    return 0;
  lines = g_strsplit (data, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n += strstr (lines[i], needle) != NULL;
  return n;
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void
test_menu_and_empty (void)
{
  GtkWidget *window;
  g_autofree char *text = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "reports", NULL);
  window = app_test_find_toplevel (TEKEN_TYPE_REPORTS_WINDOW, TRUE);
  g_assert_nonnull (window);
  pump (200);
  text = shown_text (window);
  g_assert_nonnull (strstr (text, "No Reports"));
  app_test_save_screenshot (window, "reports-empty.png");
  close_all ();
}

static void
test_validation (void)
{
  TekenReportDialog *dialog = open_form ("renewal");
  GtkWidget *nip = teken_report_dialog_get_field_row (dialog, "owner_nip");
  const char *message;

  g_assert_cmpint (teken_report_dialog_get_kind (dialog), ==, TEKEN_REPORT_KIND_RENEWAL);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 640, 900);
  /* Nothing is flagged before the owner typed anything. */
  g_assert_null (teken_report_dialog_get_field_error (dialog, "owner_nip"));
  g_assert_null (teken_report_dialog_get_field_error (dialog, "owner_name"));

  set_text (dialog, "owner_name", "Budi Santoso");
  set_text (dialog, "owner_nip", "1980 0101");
  message = teken_report_dialog_get_field_error (dialog, "owner_nip");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "18 digits"));
  g_assert_true (gtk_widget_has_css_class (nip, "error"));
  g_assert_null (teken_report_dialog_get_field_error (dialog, "owner_name"));
  app_test_save_screenshot (GTK_WIDGET (dialog), "report-form-invalid-nip.png");

  /* Fixed: the message goes away. */
  set_text (dialog, "owner_nip", "198001012005011001");
  g_assert_null (teken_report_dialog_get_field_error (dialog, "owner_nip"));
  g_assert_false (gtk_widget_has_css_class (nip, "error"));

  /* Send with required fields empty: each one says so, nothing is written. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "report.send", NULL);
  pump (100);
  g_assert_nonnull (teken_report_dialog_get_field_error (dialog, "owner_position"));
  g_assert_nonnull (teken_report_dialog_get_field_error (dialog, "cert_serial"));
  g_assert_false (teken_report_dialog_is_busy (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (teken_outbox_get_entries (outbox ())), ==, 0);

  /* Another kind shows its own fields, keeping what was typed. */
  teken_report_dialog_set_kind (dialog, TEKEN_REPORT_KIND_LOSS);
  g_assert_cmpint (teken_report_dialog_get_kind (dialog), ==, TEKEN_REPORT_KIND_LOSS);
  g_assert_nonnull (teken_report_dialog_get_field_row (dialog, "loss_type"));
  g_assert_true (ADW_IS_COMBO_ROW (teken_report_dialog_get_field_row (dialog, "loss_type")));
  g_assert_nonnull (teken_report_dialog_get_field_row (dialog, "police_report_number"));
  g_assert_null (teken_report_dialog_get_field_row (dialog, "revocation_reason"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (teken_report_dialog_get_field_row (dialog, "owner_name"))),
                   ==, "Budi Santoso");
  adw_combo_row_set_selected (ADW_COMBO_ROW (teken_report_dialog_get_field_row (dialog, "loss_type")), 1);
  g_assert_cmpstr (teken_report_dialog_get_value (dialog, "loss_type"), ==, "lost");
  close_all ();
}

static void
test_attachment_checked (void)
{
  TekenReportDialog *dialog = open_form ("loss");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *png = g_build_filename (dir, "ktp.png", NULL);
  static const guint8 png_bytes[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  g_assert_true (g_file_set_contents (text, "not a scan", -1, NULL));
  g_assert_true (g_file_set_contents (png, (const char *) png_bytes, sizeof png_bytes, NULL));
  g_assert_false (teken_report_dialog_add_attachment (dialog, text, "evidence", &error));
  g_assert_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_ATTACHMENT);
  g_assert_true (teken_report_dialog_add_attachment (dialog, png, "police_report", NULL));
  pump (100);
  shown = shown_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (shown, "ktp.png"));
  close_all ();
}

static void
test_draft_in_history (void)
{
  TekenReportDialog *dialog = open_form ("revocation");
  g_autoptr(TekenOutboxEntry) entry = NULL;
  TekenReportsWindow *window;
  g_autofree char *text = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  set_text (dialog, "owner_name", "Budi Santoso");
  set_text (dialog, "owner_nip", "198001012005011001");
  /* Incomplete is fine for a draft. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "report.save-draft", NULL);
  g_assert_true (app_test_wait_until (has_no_dialog, NULL, 30));
  window = app_test_find_toplevel (TEKEN_TYPE_REPORTS_WINDOW, TRUE);
  g_assert_nonnull (window);
  entry = newest_entry ();
  g_assert_cmpint (teken_outbox_entry_get_state (entry), ==, TEKEN_OUTBOX_STATE_DRAFT);
  g_assert_cmpint (teken_outbox_entry_get_kind (entry), ==, TEKEN_REPORT_KIND_REVOCATION);
  g_assert_true (g_file_test (teken_outbox_entry_get_directory (entry), G_FILE_TEST_IS_DIR));
  pump (200);
  text = shown_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Certificate revocation request"));
  g_assert_nonnull (strstr (text, "Draft"));
  /* The owner's details are remembered for the next report. */
  g_assert_cmpstr (g_settings_get_string (settings, "report-owner-nip"), ==, "198001012005011001");
  close_all ();

  dialog = open_form ("renewal");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (teken_report_dialog_get_field_row (dialog, "owner_nip"))),
                   ==, "198001012005011001");
  close_all ();
}

static void
test_send_delivered (void)
{
  Helpdesk h = { 0 };
  TekenReportDialog *dialog;
  TekenReportsWindow *window;
  g_autoptr(TekenOutboxEntry) entry = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  WaitState w;

  helpdesk_start (&h, "201");
  dialog = open_form ("renewal");
  fill_renewal (dialog);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "report.send", NULL);
  g_assert_true (app_test_wait_until (has_no_dialog, NULL, 30));
  window = app_test_find_toplevel (TEKEN_TYPE_REPORTS_WINDOW, TRUE);
  g_assert_nonnull (window);
  entry = newest_entry ();
  g_assert_cmpint (teken_outbox_entry_get_kind (entry), ==, TEKEN_REPORT_KIND_RENEWAL);
  w.id = teken_outbox_entry_get_id (entry);
  w.state = TEKEN_OUTBOX_STATE_SENT;
  g_assert_true (app_test_wait_until (entry_in_state, &w, 60));
  g_assert_true (app_test_wait_until (not_sending, window, 30));
  g_clear_object (&entry);
  entry = newest_entry ();
  g_assert_cmpstr (teken_outbox_entry_get_receipt (entry), ==, "100001");
  /* The helpdesk holds exactly one ticket for this report, with the letter. */
  g_assert_cmpuint (count_lines_with (h.record, teken_outbox_entry_get_id (entry)), ==, 1);
  g_assert_cmpuint (count_lines_with (h.record, "surat-pembaruan.pdf,report.json"), ==, 1);
  pump (300);
  text = shown_text (GTK_WIDGET (window));
  expected = teken_reports_describe_state (entry);
  g_assert_cmpstr (expected, ==, "Sent · ticket 100001");
  g_assert_nonnull (strstr (text, expected));
  g_assert_nonnull (strstr (text, "Report delivered: ticket 100001"));   /* the toast */
  app_test_save_screenshot (GTK_WIDGET (window), "reports-sent.png");

  /* "Open the letter" shows it in a Teken window. */
  {
    g_autofree char *letter = teken_outbox_entry_get_letter_path (entry);
    g_autofree char *shown_path = NULL;
    TekenWindow *viewer;

    gtk_widget_activate_action (GTK_WIDGET (window), "reports.open-letter", "s", teken_outbox_entry_get_id (entry));
    pump (100);
    viewer = app_test_find_toplevel (TEKEN_TYPE_WINDOW, TRUE);
    g_assert_nonnull (viewer);
    g_assert_nonnull (teken_window_get_file (viewer));
    shown_path = g_file_get_path (teken_window_get_file (viewer));
    g_assert_cmpstr (shown_path, ==, letter);
    g_assert_true (app_test_wait_until (viewer_idle, viewer, 60));
  }
  close_all ();
  helpdesk_stop (&h);
}

static void
test_send_refused_then_remove (void)
{
  Helpdesk h = { 0 };
  TekenReportDialog *dialog;
  TekenReportsWindow *window;
  g_autoptr(TekenOutboxEntry) entry = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  AdwMessageDialog *confirm;
  WaitState w;

  helpdesk_start (&h, "400");
  dialog = open_form ("renewal");
  fill_renewal (dialog);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "report.send", NULL);
  g_assert_true (app_test_wait_until (has_no_dialog, NULL, 30));
  window = app_test_find_toplevel (TEKEN_TYPE_REPORTS_WINDOW, TRUE);
  entry = newest_entry ();
  id = g_strdup (teken_outbox_entry_get_id (entry));
  w.id = id;
  w.state = TEKEN_OUTBOX_STATE_FAILED;
  g_assert_true (app_test_wait_until (entry_in_state, &w, 60));
  g_assert_true (app_test_wait_until (not_sending, window, 30));
  pump (300);
  text = shown_text (GTK_WIDGET (window));
  /* The server's own words, in the list and in the toast. */
  g_assert_nonnull (strstr (text, "Failed · "));
  g_assert_nonnull (strstr (text, "Valid email address required"));
  g_assert_nonnull (strstr (text, "The report was refused"));
  app_test_save_screenshot (GTK_WIDGET (window), "reports-failed.png");

  /* Removing asks first; "Remove" deletes it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "reports.remove", "s", id);
  pump (100);
  confirm = app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, TRUE);
  g_assert_nonnull (confirm);
  g_assert_nonnull (teken_outbox_lookup (outbox (), id, NULL));
  app_test_save_screenshot (GTK_WIDGET (confirm), "reports-remove-confirm.png");
  adw_message_dialog_response (confirm, "remove");
  pump (100);
  g_assert_null (teken_outbox_lookup (outbox (), id, NULL));
  g_assert_false (g_file_test (teken_outbox_entry_get_directory (entry), G_FILE_TEST_EXISTS));
  close_all ();
  helpdesk_stop (&h);
}

/* A server error (5xx) keeps the report queued, with the message and the time of the next attempt. */
static void
test_send_server_error_queued (void)
{
  Helpdesk h = { 0 };
  TekenReportDialog *dialog;
  TekenReportsWindow *window;
  g_autoptr(TekenOutboxEntry) entry = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;

  helpdesk_start (&h, "500");
  dialog = open_form ("renewal");
  fill_renewal (dialog);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "report.send", NULL);
  g_assert_true (app_test_wait_until (has_no_dialog, NULL, 30));
  window = app_test_find_toplevel (TEKEN_TYPE_REPORTS_WINDOW, TRUE);
  g_assert_nonnull (window);
  g_assert_true (app_test_wait_until (not_sending, window, 60));
  entry = newest_entry ();
  id = g_strdup (teken_outbox_entry_get_id (entry));
  g_assert_cmpint (teken_outbox_entry_get_state (entry), ==, TEKEN_OUTBOX_STATE_QUEUED);
  g_assert_cmpuint (teken_outbox_entry_get_attempts (entry), ==, 1);
  g_assert_nonnull (teken_outbox_entry_get_next_attempt (entry));
  pump (300);
  text = shown_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Queued · next attempt "));
  g_assert_nonnull (strstr (text, "database unavailable"));
  g_assert_nonnull (strstr (text, "retried automatically"));   /* the toast */
  app_test_save_screenshot (GTK_WIDGET (window), "reports-queued.png");
  close_all ();
  helpdesk_stop (&h);
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
not_busy (gpointer data)
{
  return !teken_report_dialog_is_busy (data);
}

/* A renewal signed with the owner's .p12: wrong passphrase refused in the form, right one signs and sends. */
static void
test_send_signed (void)
{
  Helpdesk h = { 0 };
  g_autofree char *p12 = teken_test_pki_path ("individu-rsa2048.p12");
  g_autofree char *pass_file = teken_test_pki_path ("passphrase.txt");
  g_autofree char *pass = NULL;
  g_autoptr(TekenSecret) secret = NULL;
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(TekenOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *letter = NULL;
  g_autofree char *pdfsig = NULL;
  g_autofree char *serial = NULL;
  TekenReportDialog *dialog;
  GtkWidget *secret_row;
  guint n_valid = 0, n_trusted = 0, n_before;
  WaitState w;

  g_assert_true (g_file_get_contents (pass_file, &pass, NULL, NULL));
  g_strchomp (pass);
  secret = teken_secret_new (pass);
  identity = teken_identity_new_for_p12_file (p12, secret, &error);
  g_assert_no_error (error);

  helpdesk_start (&h, "201");
  dialog = open_form ("renewal");
  teken_report_dialog_add_identity (dialog, identity);
  /* Prefilled from the certificate. */
  g_assert_nonnull (teken_report_dialog_get_value (dialog, "cert_serial"));
  g_assert_nonnull (teken_report_dialog_get_value (dialog, "cert_fingerprint"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (teken_report_dialog_get_field_row (dialog, "cert_serial"))),
                   ==, teken_report_dialog_get_value (dialog, "cert_serial"));
  serial = g_strdup (teken_report_dialog_get_value (dialog, "cert_serial"));
  fill_renewal (dialog);
  set_text (dialog, "cert_serial", serial);   /* fill_renewal() typed another one */
  secret_row = find_widget (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW);
  g_assert_nonnull (secret_row);
  g_assert_true (gtk_widget_get_visible (secret_row));
  pump (100);
  text = shown_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "signed electronically"));
  g_clear_pointer (&text, g_free);

  /* A wrong passphrase: the form stays, nothing is written. */
  n_before = g_list_model_get_n_items (teken_outbox_get_entries (outbox ()));
  gtk_editable_set_text (GTK_EDITABLE (secret_row), "not the passphrase");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "report.send", NULL);
  pump (50);
  g_assert_true (app_test_wait_until (not_busy, dialog, 60));
  pump (100);
  g_assert_nonnull (app_test_find_toplevel (TEKEN_TYPE_REPORT_DIALOG, TRUE));
  g_assert_true (gtk_widget_has_css_class (secret_row, "error"));
  g_assert_cmpuint (count_lines_with (h.record, " "), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (teken_outbox_get_entries (outbox ())), ==, n_before);
  app_test_save_screenshot (GTK_WIDGET (dialog), "report-form-signed.png");

  gtk_editable_set_text (GTK_EDITABLE (secret_row), pass);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "report.send", NULL);
  g_assert_true (app_test_wait_until (has_no_dialog, NULL, 60));
  entry = newest_entry ();
  w.id = teken_outbox_entry_get_id (entry);
  w.state = TEKEN_OUTBOX_STATE_SENT;
  g_assert_true (app_test_wait_until (entry_in_state, &w, 60));
  g_assert_cmpuint (count_lines_with (h.record, teken_outbox_entry_get_id (entry)), ==, 1);

  /* The letter in the outbox carries one valid signature (checked by poppler's pdfsig). */
  letter = teken_outbox_entry_get_letter_path (entry);
  g_assert_cmpuint (teken_test_pdfsig_check (letter, &n_valid, &n_trusted, &pdfsig), ==, 1);
  g_assert_cmpuint (n_valid, ==, 1);
  g_test_message ("pdfsig: %s", pdfsig);
  close_all ();
  helpdesk_stop (&h);
}

/* The certificate manager's rows open the form for that certificate and kind (app.report "KIND:ID"). */
static void
test_identity_group (void)
{
  g_autofree char *p12 = teken_test_pki_path ("individu-rsa2048.p12");
  g_autofree char *pass_file = teken_test_pki_path ("passphrase.txt");
  g_autofree char *pass = NULL;
  g_autoptr(TekenSecret) secret = NULL;
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group, *window, *row;
  TekenReportDialog *dialog;
  guint n = 0;

  g_assert_true (g_file_get_contents (pass_file, &pass, NULL, NULL));
  g_strchomp (pass);
  secret = teken_secret_new (pass);
  identity = teken_identity_new_for_p12_file (p12, secret, &error);
  g_assert_no_error (error);
  group = teken_reports_new_identity_group (identity);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), group);
  gtk_window_present (GTK_WINDOW (window));
  pump (100);
  /* The rows in order: renewal, loss, revocation; activate the second. */
  for (row = find_widget (group, ADW_TYPE_ACTION_ROW); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && ++n == 2)
      break;
  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "activated");
  pump (100);
  dialog = app_test_find_toplevel (TEKEN_TYPE_REPORT_DIALOG, TRUE);
  g_assert_nonnull (dialog);
  g_assert_cmpint (teken_report_dialog_get_kind (dialog), ==, TEKEN_REPORT_KIND_LOSS);
  close_all ();
}

/* A queued report whose time has come goes out without the owner doing anything (as at start). */
static void
test_due_sent_automatically (void)
{
  Helpdesk h = { 0 };
  g_autoptr(TekenReport) report = teken_report_new (TEKEN_REPORT_KIND_REVOCATION);
  g_autoptr(TekenOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) letter = g_bytes_new_static ("%PDF-1.7\n%%EOF\n", 15);
  WaitState w;
  static const char * const fields[][2] = {
    { "owner_name", "Siti Aminah" }, { "owner_nip", "197501012000032002" }, { "owner_position", "Kepala Seksi" },
    { "owner_unit", "Dinas Kesehatan" }, { "owner_email", "siti@contoh.go.id" }, { "owner_phone", "0813 1111 2222" },
    { "cert_serial", "01:02:03" }, { "revocation_reason", "leaving_office" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_true (teken_report_set_field (report, fields[i][0], fields[i][1], NULL));
  /* Written by another process (e.g. teken-cli report … without --send): the app finds it on disk. */
  {
    g_autoptr(TekenOutbox) other = teken_outbox_new (NULL, &error);
    g_assert_no_error (error);
    entry = teken_outbox_add (other, report, letter, TRUE, &error);
    g_assert_no_error (error);
  }
  g_assert_true (teken_outbox_reload (outbox (), &error));
  helpdesk_start (&h, "201");
  teken_reports_send_due (GTK_APPLICATION (app));
  w.id = teken_outbox_entry_get_id (entry);
  w.state = TEKEN_OUTBOX_STATE_SENT;
  g_assert_true (app_test_wait_until (entry_in_state, &w, 60));
  g_assert_cmpuint (count_lines_with (h.record, w.id), ==, 1);
  helpdesk_stop (&h);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *keyring = NULL;
  g_autofree char *no_bus = NULL;
  int ret;

  home = app_test_make_home ("teken-reports-test-XXXXXX");
  keyring = g_build_filename (home, "keyring", NULL);
  no_bus = g_strdup_printf ("unix:path=%s/no-bus", home);
  {
    g_autofree char *config = g_build_filename (home, "config", NULL);
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  }
  g_setenv ("XDG_CONFIG_DIRS", home, TRUE);              /* no system-wide teken.conf */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* The keyring API without a D-Bus session (libsecret's file backend); no session bus at all. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", no_bus, TRUE);
  for (const char * const *v = (const char *[]) { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                                                 "all_proxy", "ALL_PROXY", "no_proxy", NULL }; *v; v++)
    g_unsetenv (*v);
  app_test_set_display_env ();

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  teken_core_init ();
  g_assert_cmpint (argc, >=, 2);
  helpdesk_bin = argv[1];

  app_test_init_screenshot_dir ();

  app = app_test_new_application ();
  /* Only the keyring (here: none) is listed: no p11-kit modules of the machine. */
  teken_identity_store_set_use_registered_modules (teken_reports_get_identity_store (GTK_APPLICATION (app)), FALSE);
  /* Open the (file-backed) keyring once here, before any worker thread uses it. */
  {
    g_autoptr(TekenSecret) none = teken_ra_config_lookup_secret (TEKEN_DELIVERY_CHANNEL_OSTICKET, "http://127.0.0.1:1/",
                                                                 NULL, NULL);
    teken_identity_store_refresh_sync (teken_reports_get_identity_store (GTK_APPLICATION (app)), NULL, NULL);
  }

  g_test_add_func ("/app/reports/empty", test_menu_and_empty);
  g_test_add_func ("/app/reports/validation", test_validation);
  g_test_add_func ("/app/reports/attachment-checked", test_attachment_checked);
  g_test_add_func ("/app/reports/draft-in-history", test_draft_in_history);
  g_test_add_func ("/app/reports/send-delivered", test_send_delivered);
  g_test_add_func ("/app/reports/send-refused-then-remove", test_send_refused_then_remove);
  g_test_add_func ("/app/reports/send-signed", test_send_signed);
  g_test_add_func ("/app/reports/identity-group", test_identity_group);
  g_test_add_func ("/app/reports/due-sent-automatically", test_due_sent_automatically);
  /* Last: its report stays queued (and due again in 30 s). */
  g_test_add_func ("/app/reports/send-server-error-queued", test_send_server_error_queued);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
