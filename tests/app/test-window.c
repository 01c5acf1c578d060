/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * UI tests of the document window, driven through its actions under Xvfb: a validly signed
 * letter, the same letter tampered with, an unsigned one, an encrypted one and a file that is
 * not a PDF. Screenshots of each state go to <builddir>/tests/app/screenshots/.
 */
#define _GNU_SOURCE
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "app-test-utils.h"
#include "teken-application.h"
#include "teken-cert-info.h"
#include "teken-core.h"
#include "teken-document-view.h"
#include "teken-find-bar.h"
#include "teken-signature-bar.h"
#include "teken-signature-details.h"
#include "teken-signature-list.h"
#include "teken-test-utils.h"
#include "teken-trust-store.h"
#include "teken-window-private.h"

static TekenApplication *app;
static char *signed_path;
static char *untrusted_path;
static char *tampered_path;

static TekenWindow *
open_window (const char *path)
{
  TekenWindow *window = teken_window_new (app);

  app_test_show_and_open (window, path, 720);
  return window;
}

static void
close_window (TekenWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_pump (50);
}

/* Widget actions have no public query in GTK 4.8: a button bound to the action follows its state. */
static gboolean
action_enabled (TekenWindow *window,
                const char  *name)
{
  g_autofree char *full = g_strconcat ("win.", name, NULL);
  GtkWidget *button = gtk_button_new ();
  gboolean enabled;

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), full);
  gtk_box_append (GTK_BOX (window->page_box), button);
  app_test_pump (20);
  enabled = gtk_widget_get_sensitive (button);
  gtk_box_remove (GTK_BOX (window->page_box), button);
  return enabled;
}

static void
test_welcome (void)
{
  TekenWindow *window = teken_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  app_test_pump (100);
  g_assert_cmpstr (teken_window_get_page_name (window), ==, "welcome");
  g_assert_cmpstr (teken_window_get_verdict_text (window), ==, "");
  g_assert_true (action_enabled (window, "open"));
  g_assert_false (action_enabled (window, "zoom-in"));
  g_assert_false (action_enabled (window, "next-page"));
  app_test_save_screenshot (GTK_WIDGET (window), "app-welcome.png");
  close_window (window);
}

static void
test_signed_valid (void)
{
  TekenWindow *window = open_window (signed_path);
  TekenDocumentResult *result;
  g_autofree char *crt = teken_test_pki_path ("individu-rsa2048.crt");
  g_autofree char *fingerprint = app_test_openssl_fingerprint (crt);
  TekenSignatureDetails *details;

  g_assert_cmpstr (teken_window_get_page_name (window), ==, "document");
  result = teken_window_get_result (window);
  g_assert_nonnull (result);
  g_assert_cmpint (teken_document_result_get_verdict (result), ==, TEKEN_VERDICT_SIGNED_VALID);
  g_assert_cmpstr (teken_window_get_verdict_text (window), ==, teken_verdict_get_text (TEKEN_VERDICT_SIGNED_VALID));
  g_assert_cmpstr (teken_signature_bar_get_style (window->signature_bar), ==, "success");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-signatures", NULL);
  app_test_pump (100);
  g_assert_true (adw_flap_get_reveal_flap (window->flap));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->sidebar_stack), ==, "signatures");
  g_assert_cmpuint (teken_signature_list_get_n_rows (window->signature_list), ==, 1);
  g_assert_cmpstr (teken_signature_list_get_row_title (window->signature_list, 0), ==, "Budi Santoso");
  g_assert_nonnull (strstr (teken_signature_list_get_row_subtitle (window->signature_list, 0),
                            teken_signature_result_get_summary_text (g_list_model_get_item (teken_document_result_get_signatures (result), 0))));

  /* The visible field is at the bottom of page 1: activating the row scrolls down to it. */
  teken_signature_list_activate_row (window->signature_list, 0);
  app_test_pump (200);
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (window->scrolled)), >, 0);
  g_assert_cmpuint (teken_document_view_get_current_page (window->view), ==, 0);
  app_test_save_screenshot (GTK_WIDGET (window), "app-signed-valid.png");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.signature-details", "u", 0);
  app_test_pump (200);
  details = NULL;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (TEKEN_IS_SIGNATURE_DETAILS (l->data))
      details = l->data;
  g_assert_nonnull (details);
  g_assert_cmpstr (teken_signature_details_get_headline (details), ==,
                   teken_signature_result_get_summary_text (g_list_model_get_item (teken_document_result_get_signatures (result), 0)));
  /* The fingerprint matches what openssl computes from the signer's certificate. */
  g_assert_cmpstr (teken_signature_details_get_row_value (details, "SHA-256 fingerprint"), ==, fingerprint);
  g_assert_cmpstr (teken_signature_details_get_row_value (details, "Common name"), ==, "Budi Santoso");
  g_assert_nonnull (teken_signature_details_get_row_value (details, "Serial number"));
  g_assert_nonnull (strstr (teken_signature_details_get_row_value (details, "Field"), "page 1"));
  g_assert_cmpstr (teken_signature_details_get_row_value (details, "Reason"), ==, "Persetujuan");
  gtk_window_set_default_size (GTK_WINDOW (details), 600, 900);
  app_test_pump (200);
  app_test_save_screenshot (GTK_WIDGET (details), "app-signature-details.png");
  teken_signature_details_scroll_to_row (details, "Kind");
  app_test_save_screenshot (GTK_WIDGET (details), "app-signature-certificate.png");
  gtk_window_destroy (GTK_WINDOW (details));
  close_window (window);
}

static void
test_tampered (void)
{
  TekenWindow *window = open_window (tampered_path);
  TekenDocumentResult *result = teken_window_get_result (window);
  g_autoptr(TekenSignatureResult) signature = NULL;
  GtkWindow *details;

  g_assert_nonnull (result);
  g_assert_cmpint (teken_document_result_get_verdict (result), ==, TEKEN_VERDICT_CHANGED_AFTER_SIGNING);
  g_assert_cmpstr (teken_window_get_verdict_text (window), ==, teken_verdict_get_text (TEKEN_VERDICT_CHANGED_AFTER_SIGNING));
  g_assert_cmpstr (teken_signature_bar_get_style (window->signature_bar), ==, "error");
  /* A document that needs attention opens with its signatures shown. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->sidebar_stack), ==, "signatures");
  g_assert_cmpuint (teken_signature_list_get_n_rows (window->signature_list), ==, 1);
  signature = g_list_model_get_item (teken_document_result_get_signatures (result), 0);
  g_assert_true (teken_signature_result_has_reason (signature, TEKEN_SIGNATURE_REASON_DIGEST_MISMATCH));
  app_test_save_screenshot (GTK_WIDGET (window), "app-tampered.png");

  details = teken_window_show_signature_details (window, 0);
  g_assert_nonnull (details);
  app_test_pump (100);
  g_assert_cmpstr (teken_signature_details_get_row_value (TEKEN_SIGNATURE_DETAILS (details), "Signed content"), ==,
                   "Changed or not verifiable");
  app_test_save_screenshot (GTK_WIDGET (details), "app-tampered-details.png");
  gtk_window_destroy (details);
  close_window (window);
}

static void
test_unsigned (void)
{
  g_autofree char *path = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  TekenWindow *window = open_window (path);

  g_assert_cmpstr (teken_window_get_page_name (window), ==, "document");
  g_assert_cmpstr (teken_window_get_verdict_text (window), ==, teken_verdict_get_text (TEKEN_VERDICT_UNSIGNED));
  g_assert_cmpstr (teken_signature_bar_get_style (window->signature_bar), ==, "neutral");
  g_assert_cmpuint (teken_signature_list_get_n_rows (window->signature_list), ==, 0);
  g_assert_true (action_enabled (window, "next-page"));
  g_assert_false (action_enabled (window, "previous-page"));
  app_test_save_screenshot (GTK_WIDGET (window), "app-unsigned.png");
  close_window (window);
}

static void
test_not_pdf (void)
{
  g_autofree char *bad = teken_test_corpus_path ("bad-not-pdf-html.pdf");
  g_autofree char *good = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autoptr(GFile) file = g_file_new_for_path (good);
  TekenWindow *window = open_window (bad);

  g_assert_cmpstr (teken_window_get_page_name (window), ==, "error");
  g_assert_cmpstr (teken_window_get_verdict_text (window), ==, "");
  g_assert_false (action_enabled (window, "zoom-in"));
  app_test_save_screenshot (GTK_WIDGET (window), "app-not-pdf.png");

  /* The window (and the app) keep working. */
  teken_window_open (window, file);
  g_assert_true (app_test_wait_until (app_test_window_idle, window, 60));
  g_assert_cmpstr (teken_window_get_page_name (window), ==, "document");
  close_window (window);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  /* No references taken: holding the last one of a closed dialog would finalize it here. */
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
has_message_dialog (gpointer data)
{
  return find_message_dialog () != NULL;
}

static gboolean
has_retry_dialog (gpointer data)
{
  AdwMessageDialog *dialog = find_message_dialog ();

  return dialog != NULL && strstr (adw_message_dialog_get_body (dialog), "not correct") != NULL;
}

static void
test_encrypted (void)
{
  g_autofree char *path = teken_test_corpus_path ("bad-encrypted-user-aes256.pdf");
  TekenWindow *window = teken_window_new (app);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AdwMessageDialog *dialog;
  GtkEditable *entry;

  gtk_window_present (GTK_WINDOW (window));
  teken_window_open (window, file);
  g_assert_true (app_test_wait_until (has_message_dialog, NULL, 30));
  dialog = find_message_dialog ();
  entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  app_test_save_screenshot (GTK_WIDGET (dialog), "app-password.png");

  /* A wrong password asks again. */
  /* As a click on a response button does: respond, then close. */
  gtk_editable_set_text (entry, "salah");
  adw_message_dialog_response (dialog, "unlock");
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (app_test_wait_until (has_retry_dialog, NULL, 30));
  dialog = find_message_dialog ();

  entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gtk_editable_set_text (entry, "rahasia");
  adw_message_dialog_response (dialog, "unlock");
  gtk_window_close (GTK_WINDOW (dialog));
  app_test_pump (100);
  g_assert_null (find_message_dialog ());
  g_assert_true (app_test_wait_until (app_test_window_idle, window, 60));
  g_assert_cmpstr (teken_window_get_page_name (window), ==, "document");
  /* The verifier does not read encrypted files: the bar must not claim a valid signature. */
  g_assert_cmpstr (teken_window_get_verdict_text (window), !=, "");
  g_assert_cmpstr (teken_window_get_verdict_text (window), !=, teken_verdict_get_text (TEKEN_VERDICT_SIGNED_VALID));
  close_window (window);
}

static void
test_navigation (void)
{
  g_autofree char *path = teken_test_corpus_path ("register-200-halaman.pdf");
  TekenWindow *window = open_window (path);
  double zoom;

  g_assert_cmpuint (teken_page_renderer_get_n_pages (window->renderer), ==, 200);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-page", NULL);
  app_test_pump (50);
  g_assert_cmpuint (teken_document_view_get_current_page (window->view), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.last-page", NULL);
  app_test_pump (50);
  g_assert_cmpuint (teken_document_view_get_current_page (window->view), ==, 199);
  g_assert_false (action_enabled (window, "next-page"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.first-page", NULL);
  app_test_pump (50);
  g_assert_cmpuint (teken_document_view_get_current_page (window->view), ==, 0);

  gtk_editable_set_text (GTK_EDITABLE (window->page_entry), "42");
  g_signal_emit_by_name (window->page_entry, "activate");
  app_test_pump (50);
  g_assert_cmpuint (teken_document_view_get_current_page (window->view), ==, 41);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-fit-width", NULL);
  zoom = teken_document_view_get_zoom (window->view);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
  g_assert_cmpfloat (teken_document_view_get_zoom (window->view), >, zoom);
  g_assert_cmpint (teken_document_view_get_zoom_mode (window->view), ==, TEKEN_ZOOM_FREE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-level", "d", 2.0);
  g_assert_cmpfloat_with_epsilon (teken_document_view_get_zoom (window->view), 2.0, 1e-9);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-fit-page", NULL);
  app_test_pump (50);
  g_assert_cmpint (teken_document_view_get_zoom_mode (window->view), ==, TEKEN_ZOOM_FIT_PAGE);
  g_assert_cmpfloat (teken_document_view_get_zoom (window->view), <, zoom);
  /* Zooming keeps the page being read. */
  g_assert_cmpuint (teken_document_view_get_current_page (window->view), ==, 41);
  close_window (window);
}

static gboolean
find_done (gpointer data)
{
  return !teken_find_bar_get_searching (data);
}

static void
test_find (void)
{
  g_autofree char *path = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  TekenWindow *window = open_window (path);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.find", NULL);
  teken_find_bar_search (window->find_bar, "Kabupaten Contoh");
  g_assert_true (app_test_wait_until (find_done, window->find_bar, 30));
  g_assert_cmpuint (teken_find_bar_get_n_matches (window->find_bar), >=, 2);
  app_test_save_screenshot (GTK_WIDGET (window), "app-find.png");
  teken_find_bar_search (window->find_bar, "kata-yang-tidak-ada");
  g_assert_true (app_test_wait_until (find_done, window->find_bar, 30));
  g_assert_cmpuint (teken_find_bar_get_n_matches (window->find_bar), ==, 0);
  close_window (window);
}


static gboolean
verdict_is_valid (gpointer data)
{
  TekenWindow *window = data;

  return !teken_window_get_busy (window) && teken_window_get_result (window) != NULL &&
         teken_document_result_get_verdict (teken_window_get_result (window)) == TEKEN_VERDICT_SIGNED_VALID;
}

static void
test_untrusted_then_trusted (void)
{
  TekenWindow *window = open_window (untrusted_path);
  TekenDocumentResult *result = teken_window_get_result (window);
  GtkWindow *details;
  AdwMessageDialog *dialog;

  g_assert_nonnull (result);
  g_assert_cmpint (teken_document_result_get_verdict (result), ==, TEKEN_VERDICT_IDENTITY_UNCONFIRMED);
  g_assert_cmpstr (teken_window_get_verdict_text (window), ==, teken_verdict_get_text (TEKEN_VERDICT_IDENTITY_UNCONFIRMED));
  g_assert_cmpstr (teken_signature_bar_get_style (window->signature_bar), ==, "warning");
  app_test_save_screenshot (GTK_WIDGET (window), "app-untrusted.png");

  details = teken_window_show_signature_details (window, 0);
  g_assert_true (teken_signature_details_ask_trust (TEKEN_SIGNATURE_DETAILS (details)));
  g_assert_true (app_test_wait_until (has_message_dialog, NULL, 10));
  dialog = find_message_dialog ();
  /* The warning names the fingerprint to compare. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "SHA-256"));
  app_test_save_screenshot (GTK_WIDGET (dialog), "app-trust-warning.png");
  adw_message_dialog_response (dialog, "trust");
  gtk_window_close (GTK_WINDOW (dialog));

  /* Trusting re-checks the document: now valid. */
  g_assert_true (app_test_wait_until (verdict_is_valid, window, 60));
  g_assert_cmpstr (teken_signature_bar_get_style (window->signature_bar), ==, "success");
  gtk_window_destroy (details);
  close_window (window);
}

static gboolean
revision_window_ready (gpointer data)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (TEKEN_IS_WINDOW (l->data) && app_test_window_idle (l->data) &&
        g_strcmp0 (teken_window_get_page_name (l->data), "document") == 0)
      {
        *(TekenWindow **) data = l->data;
        return TRUE;
      }
  return FALSE;
}

static void
test_signed_version (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (signed_path);
  g_autoptr(TekenSignatureResult) signature = NULL;
  TekenWindow *revision = NULL;
  TekenWindow *window = open_window (signed_path);
  gsize length;

  signature = g_list_model_get_item (teken_document_result_get_signatures (teken_window_get_result (window)), 0);
  length = teken_signature_result_get_signed_length (signature);
  g_assert_cmpuint (length, >, 0);
  close_window (window);

  teken_application_open_revision (app, file, length, "Budi Santoso");
  g_assert_true (app_test_wait_until (revision_window_ready, &revision, 60));
  g_assert_cmpuint (teken_page_renderer_get_n_pages (revision->renderer), ==, 2);
  /* Read-only: no verification, the bar says what is shown. */
  g_assert_null (teken_window_get_result (revision));
  g_assert_nonnull (strstr (teken_window_get_verdict_text (revision), "Budi Santoso"));
  close_window (revision);
}


static gboolean
has_about (gpointer data)
{
  return app_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW, TRUE) != NULL;
}

static gboolean
has_shortcuts (gpointer data)
{
  return app_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, TRUE) != NULL;
}

static void
test_about_and_shortcuts (void)
{
  TekenWindow *window = teken_window_new (app);
  GtkWindow *about;
  GtkWindow *shortcuts;

  gtk_window_present (GTK_WINDOW (window));
  app_test_pump (100);
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (app_test_wait_until (has_about, NULL, 10));
  about = app_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW, TRUE);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Teken");
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  app_test_save_screenshot (GTK_WIDGET (about), "app-about.png");
  gtk_window_destroy (about);

  /* The shortcuts window comes from the resource gtk/help-overlay.ui. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (app_test_wait_until (has_shortcuts, NULL, 10));
  shortcuts = app_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, TRUE);
  app_test_save_screenshot (GTK_WIDGET (shortcuts), "app-shortcuts.png");
  gtk_window_destroy (shortcuts);
  close_window (window);
}

static gboolean
renderer_idle (gpointer data)
{
  return GPOINTER_TO_UINT (g_object_get_data (data, "rendered")) >= 40;
}

static void
count_rendered_cb (TekenPageRenderer *renderer,
                   guint              page,
                   int                width,
                   gpointer           data)
{
  guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (renderer), "rendered"));

  g_object_set_data (G_OBJECT (renderer), "rendered", GUINT_TO_POINTER (n + 1));
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  TekenPageRenderer **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = teken_page_renderer_load_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_cache_bounded (void)
{
  g_autofree char *path = teken_test_corpus_path ("register-200-halaman.pdf");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TekenPageRenderer) renderer = NULL;
  gsize limit = 8 * 1024 * 1024;

  teken_page_renderer_load_async (file, NULL, NULL, NULL, loaded_cb, &renderer);
  g_assert_true (app_test_wait_until (is_set, &renderer, 30));
  teken_page_renderer_set_cache_limit (renderer, limit);
  g_signal_connect (renderer, "page-rendered", G_CALLBACK (count_rendered_cb), NULL);
  /* 40 pages of about 1.5 MB each would need 60 MB. */
  for (guint i = 0; i < 40; i++)
    teken_page_renderer_request (renderer, i, 600, TEKEN_RENDER_VIEW);
  g_assert_true (app_test_wait_until (renderer_idle, renderer, 60));
  g_assert_cmpuint (teken_page_renderer_get_cache_peak (renderer), <=, limit);
  g_assert_cmpuint (teken_page_renderer_get_cache_size (renderer), <=, limit);
  /* Some pages are still cached, the others were evicted. */
  {
    guint cached = 0;

    for (guint i = 0; i < 40; i++)
      cached += teken_page_renderer_lookup (renderer, i, 600) != NULL;
    g_assert_cmpuint (cached, >, 0);
    g_assert_cmpuint (cached, <, 40);
  }
}

static void
prepare_fixtures (void)
{
  g_autofree char *tmp = teken_test_make_tmp_dir ();
  g_autofree char *p12 = teken_test_pki_path ("individu-rsa2048.p12");
  g_autofree char *passphrase = teken_test_pki_path ("passphrase.txt");
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autofree char *letter = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *root_pem = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;
  g_autoptr(TekenCertInfo) anchor = NULL;
  g_autoptr(GError) error = NULL;
  char *producer;
  gsize len = 0;
  int status = -1;

  signed_path = g_build_filename (tmp, "surat-ditandatangani.pdf", NULL);
  tampered_path = g_build_filename (tmp, "surat-diubah.pdf", NULL);
  untrusted_path = g_build_filename (tmp, "surat-penanda-tangan-asing.pdf", NULL);
  {
    const char *argv[] = { teken_test_cli_path (), "sign", "--p12", p12, "--passphrase-file", passphrase,
                           "--page", "1", "--rect", "380,70,170,60", "--reason", "Persetujuan",
                           "--location", "Contoh Raya", "-o", signed_path, letter, NULL };

    g_assert_true (teken_test_run (argv, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, 0);
  }

  {
    g_autofree char *untrusted_p12 = teken_test_pki_path ("untrusted.p12");
    const char *argv[] = { teken_test_cli_path (), "sign", "--p12", untrusted_p12, "--passphrase-file", passphrase,
                           "-o", untrusted_path, letter, NULL };

    g_assert_true (teken_test_run (argv, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, 0);
  }

  /* Tampered: one character of /Producer (inside the signed bytes) changed. */
  g_assert_true (g_file_get_contents (signed_path, &contents, &len, &error));
  /* memmem: the file has NUL bytes. */
  producer = memmem (contents, len, "/Producer<FEFF004C", strlen ("/Producer<FEFF004C"));
  g_assert_nonnull (producer);
  producer[strlen ("/Producer<FEFF004")] = 'D';
  g_assert_true (g_file_set_contents (tampered_path, contents, len, &error));

  /* The test root is the user's own trust anchor (in the temporary XDG_DATA_HOME). */
  g_assert_true (g_file_get_contents (root, &root_pem, &len, &error));
  anchor = teken_cert_info_new_from_data ((const guint8 *) root_pem, len, &error);
  g_assert_no_error (error);
  id = teken_trust_store_user_add (NULL, teken_cert_info_get_x509 (anchor), &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  int ret;

  /* Settings, recent files and the user trust store live in a throw-away home. */
  home = app_test_make_home ("teken-app-test-XXXXXX");
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  app_test_set_display_env ();

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  teken_core_init ();

  app_test_init_screenshot_dir ();
  prepare_fixtures ();

  app = app_test_new_application ();

  g_test_add_func ("/app/window/welcome", test_welcome);
  g_test_add_func ("/app/window/signed-valid", test_signed_valid);
  g_test_add_func ("/app/window/tampered", test_tampered);
  g_test_add_func ("/app/window/unsigned", test_unsigned);
  g_test_add_func ("/app/window/not-pdf", test_not_pdf);
  g_test_add_func ("/app/window/encrypted", test_encrypted);
  g_test_add_func ("/app/window/untrusted-then-trusted", test_untrusted_then_trusted);
  g_test_add_func ("/app/window/signed-version", test_signed_version);
  g_test_add_func ("/app/window/navigation", test_navigation);
  g_test_add_func ("/app/window/find", test_find);
  g_test_add_func ("/app/window/about-and-shortcuts", test_about_and_shortcuts);
  g_test_add_func ("/app/renderer/cache-bounded", test_cache_bounded);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
