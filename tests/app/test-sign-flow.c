/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sign flow of the app under Xvfb, driven through actions (win.sign, sign-dialog.sign,
 * sign-dialog.cancel, win.demo) with gnome-keyring and a softhsm2 token set up by
 * tests/identity/run-session.sh: keyring identity invisible and visible, token with a wrong
 * then the right PIN, cancel, unusable certificates, and the demo identity end to end (created
 * asynchronously). Preferences: signature level B-T against the loopback TSA of tests/ltv
 * (ltv-peers.c), TSA down (no output; with fallback: B-B and a warning), stamp defaults (image
 * and QR template, checked in the signed widget's appearance stream).
 * Screenshots go to <builddir>/tests/app/screenshots/ (copied to docs/screenshots/ by hand).
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <qrencode.h>

#include "../ltv/ltv-peers.h"
#include "app-test-utils.h"
#include "teken-application.h"
#include "teken-cert-manager.h"
#include "teken-cert-info.h"
#include "teken-core.h"
#include "teken-demo.h"
#include "teken-document-result.h"
#include "teken-ltv-settings.h"
#include "teken-pdf-document.h"
#include "teken-pin-dialog.h"
#include "teken-preferences.h"
#include "teken-report-dialog.h"
#include "teken-sign-dialog.h"
#include "teken-signature-result.h"
#include "teken-test-utils.h"
#include "teken-trust-store.h"
#include "teken-window-private.h"
#include "teken-window-sign.h"

static TekenApplication *app;
static char *work_dir;
static char *keyring_id;     /* individu-rsa2048.p12 imported without remembering the passphrase */

static TekenReportDialog *
find_report_dialog (void)
{
  return app_test_find_toplevel (TEKEN_TYPE_REPORT_DIALOG, FALSE);
}

static gboolean
has_report_dialog (gpointer data)
{
  return find_report_dialog () != NULL;
}

/* A fresh copy of the sample letter in its own folder, so output names are predictable. */
static char *
copy_letter (const char *subdir)
{
  g_autofree char *dir = g_build_filename (work_dir, subdir, NULL);
  g_autofree char *src = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "surat.pdf", NULL);
  gsize len;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_get_contents (src, &contents, &len, &error));
  g_assert_true (g_file_set_contents (path, contents, len, &error));
  return path;
}

static TekenWindow *
open_window (const char *path)
{
  TekenWindow *window = teken_window_new (app);
  TekenIdentityStore *store = teken_window_get_identity_store (window);
  static gboolean configured;
  g_autoptr(GError) error = NULL;

  if (!configured)
    {
      /* only the test token, not whatever p11-kit has registered on this machine */
      teken_identity_store_set_use_registered_modules (store, FALSE);
      g_assert_true (teken_identity_store_add_module (store, g_getenv ("TEKEN_TEST_SOFTHSM_MODULE"), FALSE, &error));
      configured = TRUE;
    }
  app_test_show_and_open (window, path, 760);
  return window;
}

static gboolean
dialog_ready (gpointer data)
{
  return teken_sign_dialog_get_ready (data);
}

static TekenSignDialog *
open_sign_dialog (TekenWindow *window)
{
  TekenSignDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign", NULL));
  dialog = teken_window_get_sign_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_true (app_test_wait_until (dialog_ready, dialog, 30));
  return dialog;
}

static gboolean
not_busy (gpointer data)
{
  return !teken_sign_dialog_get_busy (data);
}

typedef struct
{
  TekenWindow *window;
  char *expected;
} Reopened;

static gboolean
window_shows (gpointer data)
{
  Reopened *r = data;
  GFile *file = teken_window_get_file (r->window);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  return g_strcmp0 (path, r->expected) == 0 && app_test_window_idle (r->window) &&
         teken_window_get_result (r->window) != NULL;
}

/* Activates sign-dialog.sign and waits until the dialog is closed and the window shows output. */
static void
sign_and_wait_for_window (TekenWindow     *window,
                          TekenSignDialog *dialog,
                          const char      *output)
{
  Reopened r = { window, (char *) output };

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-dialog.sign", NULL));
  g_assert_true (app_test_wait_until (not_busy, dialog, 60) || dialog == NULL);
  if (dialog != NULL)
    {
      app_test_pump (100);
      if (dialog != NULL)
        g_error ("signing failed: %s", teken_sign_dialog_get_message (dialog));
    }
  g_assert_true (app_test_wait_until (window_shows, &r, 60));
}

static TekenSignatureResult *
last_signature (TekenWindow *window)
{
  GListModel *sigs = teken_document_result_get_signatures (teken_window_get_result (window));
  guint n = g_list_model_get_n_items (sigs);

  g_assert_cmpuint (n, >, 0);
  return g_list_model_get_item (sigs, n - 1);
}

static void
assert_pdfsig_valid_trusted (const char *path)
{
  guint valid = 0, trusted = 0;
  g_autofree char *out = NULL;

  g_assert_cmpuint (teken_test_pdfsig_check (path, &valid, &trusted, &out), ==, 1);
  if (valid != 1 || trusted != 1)
    g_error ("pdfsig: %s", out);
  g_assert_true (teken_test_qpdf_check (path, NULL));
}

static void
test_keyring_invisible (void)
{
  g_autofree char *letter = copy_letter ("keyring-invisible");
  g_autofree char *expected = g_strdup_printf ("%s/keyring-invisible/surat-signed.pdf", work_dir);
  g_autofree char *passphrase = NULL;
  g_autofree char *pass_path = teken_test_pki_path ("passphrase.txt");
  g_autofree char *sha_before = teken_test_file_sha256 (letter);
  g_autofree char *sha_after = NULL;
  TekenWindow *window = open_window (letter);
  TekenSignDialog *dialog = open_sign_dialog (window);
  g_autoptr(TekenSignatureResult) sig = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (pass_path, &passphrase, NULL, &error));
  g_strchomp (passphrase);
  g_assert_true (teken_sign_dialog_select_identity (dialog, keyring_id));
  teken_sign_dialog_set_visible_stamp (dialog, FALSE);
  teken_sign_dialog_set_reason (dialog, "Persetujuan");
  teken_sign_dialog_set_location (dialog, "Kabupaten Contoh");
  g_assert_null (teken_sign_dialog_get_preview (dialog));
  app_test_save_screenshot (GTK_WIDGET (dialog), "sign-01-dialog-invisible.png");

  /* the passphrase is not remembered: the first attempt asks for it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-dialog.sign", NULL));
  g_assert_true (app_test_wait_until (not_busy, dialog, 60));
  g_assert_true (teken_sign_dialog_get_asks_secret (dialog));
  g_assert_false (g_file_test (expected, G_FILE_TEST_EXISTS));

  /* a wrong passphrase says so and writes nothing */
  teken_sign_dialog_set_secret (dialog, "salah-sandi");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-dialog.sign", NULL));
  g_assert_true (app_test_wait_until (not_busy, dialog, 60));
  g_assert_cmpstr (teken_sign_dialog_get_message (dialog), !=, "");
  g_test_message ("wrong passphrase: %s", teken_sign_dialog_get_message (dialog));
  g_assert_false (g_file_test (expected, G_FILE_TEST_EXISTS));
  app_test_save_screenshot (GTK_WIDGET (dialog), "sign-02-wrong-passphrase.png");

  teken_sign_dialog_set_secret (dialog, passphrase);
  sign_and_wait_for_window (window, dialog, expected);

  g_assert_cmpint (teken_document_result_get_verdict (teken_window_get_result (window)), ==, TEKEN_VERDICT_SIGNED_VALID);
  sig = last_signature (window);
  g_assert_cmpstr (teken_signature_result_get_signer_name (sig), ==, "Budi Santoso");
  assert_pdfsig_valid_trusted (expected);
  /* the original is untouched */
  sha_after = teken_test_file_sha256 (letter);
  g_assert_cmpstr (sha_before, ==, sha_after);
  app_test_save_screenshot (GTK_WIDGET (window), "sign-03-signed-invisible-verified.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_keyring_visible_free_name (void)
{
  g_autofree char *letter = copy_letter ("keyring-visible");
  g_autofree char *taken = g_strdup_printf ("%s/keyring-visible/surat-signed.pdf", work_dir);
  g_autofree char *expected = g_strdup_printf ("%s/keyring-visible/surat (2)-signed.pdf", work_dir);
  g_autofree char *passphrase = NULL;
  g_autofree char *pass_path = teken_test_pki_path ("passphrase.txt");
  g_autoptr(GError) error = NULL;
  TekenWindow *window;
  TekenSignDialog *dialog;
  GdkTexture *preview;
  g_autofree char *taken_sha = NULL;
  g_autofree char *taken_sha_after = NULL;
  double drawn_w = 0, drawn_h = 0;

  /* an existing "-signed" file is never overwritten */
  g_assert_true (g_file_set_contents (taken, "do not overwrite", -1, &error));
  taken_sha = teken_test_file_sha256 (taken);
  g_assert_true (g_file_get_contents (pass_path, &passphrase, NULL, &error));
  g_strchomp (passphrase);

  window = open_window (letter);
  dialog = open_sign_dialog (window);
  g_assert_true (teken_sign_dialog_select_identity (dialog, keyring_id));
  teken_sign_dialog_set_visible_stamp (dialog, TRUE);
  teken_sign_dialog_set_reason (dialog, "Persetujuan");
  teken_sign_dialog_set_location (dialog, "Kabupaten Contoh");
  /* draw the rectangle on the page: the dialog hides while the user drags on the view */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-dialog.place", NULL));
  app_test_pump (100);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  {
    int vw = gtk_widget_get_width (GTK_WIDGET (window->view));
    guint page = 99;
    double px, py, x, y, w, h;

    /* from a point on page 1 (an empty area left of the address block), 260 x 90 pixels */
    g_assert_true (teken_document_view_point_to_page (window->view, vw / 2.0 - 280, 320, &page, &px, &py));
    g_assert_cmpuint (page, ==, 0);
    g_assert_true (teken_window_place_stamp (window, vw / 2.0 - 280, 320, vw / 2.0 - 20, 410));
    app_test_pump (100);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
    g_assert_true (teken_sign_dialog_get_rect (dialog, &page, &x, &y, &w, &h));
    g_assert_cmpuint (page, ==, 0);
    g_assert_cmpfloat_with_epsilon (x, px, 0.01);
    g_assert_cmpfloat_with_epsilon (y, py, 0.01);
    g_assert_cmpfloat_with_epsilon (w / h, 260.0 / 90.0, 0.01);
    drawn_w = w;
    drawn_h = h;
  }
  app_test_save_screenshot (GTK_WIDGET (window), "sign-04a-stamp-drawn-on-page.png");
  preview = teken_sign_dialog_get_preview (dialog);
  g_assert_nonnull (preview);
  g_assert_cmpint (gdk_texture_get_width (preview), ==, (int) (drawn_w * 2 + 0.5));
  g_assert_cmpint (gdk_texture_get_height (preview), ==, (int) (drawn_h * 2 + 0.5));
  teken_sign_dialog_set_secret (dialog, passphrase);
  app_test_save_screenshot (GTK_WIDGET (dialog), "sign-04-dialog-visible-preview.png");
  sign_and_wait_for_window (window, dialog, expected);

  g_assert_cmpint (teken_document_result_get_verdict (teken_window_get_result (window)), ==, TEKEN_VERDICT_SIGNED_VALID);
  /* the widget is where it was drawn, with the drawn size */
  {
    g_autoptr(TekenSignatureResult) sig = last_signature (window);
    TekenPdfRect r;

    g_assert_cmpint (teken_signature_result_get_page_index (sig), ==, 0);
    g_assert_true (teken_signature_result_get_rect (sig, &r));
    g_assert_cmpfloat_with_epsilon (fabs (r.x2 - r.x1), drawn_w, 0.6);
    g_assert_cmpfloat_with_epsilon (fabs (r.y2 - r.y1), drawn_h, 0.6);
  }
  assert_pdfsig_valid_trusted (expected);
  taken_sha_after = teken_test_file_sha256 (taken);
  g_assert_cmpstr (taken_sha, ==, taken_sha_after);
  app_test_save_screenshot (GTK_WIDGET (window), "sign-05-signed-visible-verified.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_token_identity (gpointer data)
{
  TekenSignDialog *dialog = data;

  return teken_sign_dialog_select_identity (dialog, "pkcs11:token=teken-test;id=%01") ||
         FALSE;
}

static char *
token_identity_id (TekenWindow *window)
{
  g_autoptr(GError) error = NULL;
  TekenIdentity *identity = teken_identity_store_lookup (teken_window_get_identity_store (window),
                                                         "pkcs11:token=teken-test;id=%01", &error);

  g_assert_no_error (error);
  g_assert_nonnull (identity);
  return g_strdup (teken_identity_get_id (identity));
}

static void
test_token_wrong_pin_then_right (void)
{
  g_autofree char *letter = copy_letter ("token");
  g_autofree char *expected = g_strdup_printf ("%s/token/surat-signed.pdf", work_dir);
  TekenWindow *window = open_window (letter);
  TekenSignDialog *dialog = open_sign_dialog (window);
  g_autofree char *id = token_identity_id (window);
  g_autofree char *first_prompt = NULL;
  g_autoptr(TekenSignatureResult) sig = NULL;

  (void) has_token_identity;
  g_assert_true (teken_sign_dialog_select_identity (dialog, id));
  /* a token always asks for its PIN, with the token named */
  g_assert_true (teken_sign_dialog_get_asks_secret (dialog));
  first_prompt = g_strdup (teken_sign_dialog_get_secret_prompt (dialog));
  g_test_message ("PIN prompt: %s", first_prompt);
  g_assert_nonnull (strstr (first_prompt, "teken-test"));
  teken_sign_dialog_set_visible_stamp (dialog, TRUE);

  teken_sign_dialog_set_secret (dialog, "0000");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-dialog.sign", NULL));
  g_assert_true (app_test_wait_until (not_busy, dialog, 60));
  g_test_message ("wrong PIN: %s / prompt now: %s", teken_sign_dialog_get_message (dialog),
                  teken_sign_dialog_get_secret_prompt (dialog));
  g_assert_cmpstr (teken_sign_dialog_get_message (dialog), !=, "");
  g_assert_true (teken_sign_dialog_get_asks_secret (dialog));
  g_assert_false (g_file_test (expected, G_FILE_TEST_EXISTS));
  app_test_save_screenshot (GTK_WIDGET (dialog), "sign-06-token-wrong-pin.png");

  teken_sign_dialog_set_secret (dialog, g_getenv ("TEKEN_TEST_TOKEN_PIN"));
  sign_and_wait_for_window (window, dialog, expected);
  g_assert_cmpint (teken_document_result_get_verdict (teken_window_get_result (window)), ==, TEKEN_VERDICT_SIGNED_VALID);
  sig = last_signature (window);
  g_assert_cmpstr (teken_signature_result_get_signer_name (sig), ==, "Budi Santoso");
  assert_pdfsig_valid_trusted (expected);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_cancel (void)
{
  g_autofree char *letter = copy_letter ("cancel");
  g_autofree char *dir = g_build_filename (work_dir, "cancel", NULL);
  TekenWindow *window = open_window (letter);
  TekenSignDialog *dialog = open_sign_dialog (window);
  g_autofree char *id = token_identity_id (window);
  g_autoptr(GPtrArray) files = NULL;

  g_assert_true (teken_sign_dialog_select_identity (dialog, id));
  teken_sign_dialog_set_secret (dialog, g_getenv ("TEKEN_TEST_TOKEN_PIN"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-dialog.sign", NULL));
  g_assert_true (teken_sign_dialog_get_busy (dialog));
  /* cancel while the token login is under way */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-dialog.cancel", NULL));
  g_assert_true (app_test_wait_until (not_busy, dialog, 60));
  g_assert_nonnull (strstr (teken_sign_dialog_get_message (dialog), "cancelled"));
  /* nothing was written, not even a temporary file */
  files = teken_test_list_dir (dir);
  g_assert_cmpuint (files->len, ==, 1);
  app_test_save_screenshot (GTK_WIDGET (dialog), "sign-07-cancelled.png");
  /* the dialog stays usable: cancel again closes it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-dialog.cancel", NULL));
  app_test_pump (100);
  g_assert_null (teken_window_get_sign_dialog (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_unusable (void)
{
  g_autofree char *letter = copy_letter ("unusable");
  TekenWindow *window = open_window (letter);
  TekenIdentityStore *store = teken_window_get_identity_store (window);
  const char *names[] = { "expired", "notyet", "wrongku" };
  const char *reasons[] = { "Expired", "Not valid yet", "not for signing" };
  g_autofree char *pass_path = teken_test_pki_path ("passphrase.txt");
  g_autoptr(TekenSecret) passphrase = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  TekenSignDialog *dialog;

  passphrase = teken_secret_read_file (pass_path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.p12", names[i]);
      g_autofree char *path = teken_test_pki_path (name);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(TekenIdentity) identity = teken_identity_store_import_p12_file_sync (store, file, passphrase, 0,
                                                                                     NULL, &error);
      g_autofree char *reason = NULL;

      g_assert_no_error (error);
      reason = teken_sign_dialog_dup_unusable_reason (identity);
      g_assert_nonnull (reason);
      g_assert_nonnull (strstr (reason, reasons[i]));
      g_ptr_array_add (ids, g_strdup (teken_identity_get_id (identity)));
    }
  dialog = open_sign_dialog (window);
  for (guint i = 0; i < ids->len; i++)
    g_assert_false (teken_sign_dialog_select_identity (dialog, ids->pdata[i]));
  g_assert_true (teken_sign_dialog_select_identity (dialog, keyring_id));
  app_test_save_screenshot (GTK_WIDGET (dialog), "sign-08-unusable-certificates.png");
  /* clean up so later tests list only what they expect */
  gtk_window_destroy (GTK_WINDOW (dialog));
  for (guint i = 0; i < ids->len; i++)
    {
      TekenIdentity *identity = teken_identity_store_lookup (store, ids->pdata[i], &error);

      g_assert_no_error (error);
      g_assert_true (teken_identity_store_remove_sync (store, identity, NULL, &error));
      g_assert_no_error (error);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
window_has_document (gpointer data)
{
  return g_strcmp0 (teken_window_get_page_name (data), "document") == 0 && app_test_window_idle (data);
}

static void
demo_sign (TekenWindow *window,
           gboolean     trust,
           const char  *expected,
           const char  *screenshot)
{
  TekenSignDialog *dialog = open_sign_dialog (window);
  TekenIdentity *demo = teken_demo_find_identity (teken_window_get_identity_store (window));

  g_assert_nonnull (demo);
  g_assert_true (teken_sign_dialog_select_identity (dialog, teken_identity_get_id (demo)));
  teken_sign_dialog_set_visible_stamp (dialog, TRUE);
  teken_sign_dialog_set_reason (dialog, "Demonstrasi");
  teken_sign_dialog_set_location (dialog, "Meja Bantuan");
  teken_sign_dialog_set_rect (dialog, 0, 340, 640, 200, 80);
  teken_sign_dialog_set_trust_demo (dialog, trust);
  /* no passphrase to type: the demo identity's is remembered for the session */
  g_assert_false (teken_sign_dialog_get_asks_secret (dialog));
  g_assert_nonnull (teken_sign_dialog_get_preview (dialog));
  app_test_save_screenshot (GTK_WIDGET (dialog), screenshot);
  sign_and_wait_for_window (window, dialog, expected);
}

static void
test_demo_end_to_end (void)
{
  TekenWindow *window = teken_window_new (app);
  g_autofree char *documents = NULL;
  g_autofree char *letter = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *expected2 = NULL;
  g_autoptr(TekenSignatureResult) sig = NULL;
  g_autoptr(TekenSignatureResult) sig2 = NULL;
  GFile *file;
  TekenIdentity *demo;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (app_test_wait_until (app_test_window_idle, window, 30));
  app_test_save_screenshot (GTK_WIDGET (window), "demo-01-welcome.png");

  /* the welcome page's "Try With a Demo Certificate": the keys are made off the main thread,
   * so the action returns at once with a spinner on the button, and the main loop runs on */
  g_assert_null (teken_demo_find_identity (teken_window_get_identity_store (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.demo", NULL));
  g_assert_true (teken_window_get_demo_busy (window));
  g_assert_null (teken_demo_find_identity (teken_window_get_identity_store (window)));
  {
    GtkWidget *button = teken_window_get_demo_button (window);
    GtkWidget *box = gtk_button_get_child (GTK_BUTTON (button));

    g_assert_true (GTK_IS_BOX (box));
    g_assert_true (GTK_IS_SPINNER (gtk_widget_get_first_child (box)));
    g_assert_false (gtk_widget_is_sensitive (button));
  }
  g_assert_true (app_test_wait_until (window_has_document, window, 60));
  g_assert_false (teken_window_get_demo_busy (window));
  file = teken_window_get_file (window);
  letter = g_file_get_path (file);
  documents = g_path_get_dirname (letter);
  g_assert_true (g_str_has_suffix (letter, "surat-contoh.pdf"));
  demo = teken_demo_find_identity (teken_window_get_identity_store (window));
  g_assert_nonnull (demo);
  g_assert_cmpstr (teken_identity_get_label (demo), ==, TEKEN_DEMO_SIGNER_NAME);
  app_test_save_screenshot (GTK_WIDGET (window), "demo-02-sample-letter.png");

  /* signed with the demo certificate: valid signature, identity NOT confirmed */
  expected = g_build_filename (documents, "surat-contoh-signed.pdf", NULL);
  demo_sign (window, FALSE, expected, "demo-03-sign-dialog.png");
  g_assert_cmpint (teken_document_result_get_verdict (teken_window_get_result (window)), ==,
                   TEKEN_VERDICT_IDENTITY_UNCONFIRMED);
  sig = last_signature (window);
  g_assert_cmpstr (teken_signature_result_get_signer_name (sig), ==, TEKEN_DEMO_SIGNER_NAME);
  g_assert_true (teken_x509_is_demo_certificate (teken_signature_result_get_signer_certificate (sig)));
  app_test_save_screenshot (GTK_WIDGET (window), "demo-04-signed-untrusted.png");

  /* the helpdesk step: trust the demo CA on this computer only, then sign the signed copy */
  expected2 = g_build_filename (documents, "surat-contoh-signed-signed.pdf", NULL);
  demo_sign (window, TRUE, expected2, "demo-05-sign-dialog-trust.png");
  g_assert_cmpint (teken_document_result_get_verdict (teken_window_get_result (window)), ==,
                   TEKEN_VERDICT_SIGNED_VALID);
  sig2 = last_signature (window);
  g_assert_cmpstr (teken_signature_result_get_signer_name (sig2), ==, TEKEN_DEMO_SIGNER_NAME);
  app_test_save_screenshot (GTK_WIDGET (window), "demo-06-signed-demo-ca-trusted.png");
  /* pdfsig (its own NSS trust, without the demo CA) still sees an untrusted issuer */
  {
    guint valid = 0, trusted = 0;

    g_assert_cmpuint (teken_test_pdfsig_check (expected, &valid, &trusted, NULL), ==, 1);
    g_assert_cmpuint (valid, ==, 1);
    g_assert_cmpuint (trusted, ==, 0);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}


static gboolean
manager_ready (gpointer data)
{
  return teken_cert_manager_get_ready (data);
}

typedef struct
{
  TekenCertManager *manager;
  guint n;
} RowCount;

static gboolean
has_n_rows (gpointer data)
{
  RowCount *c = data;

  return teken_cert_manager_get_n_rows (c->manager) == c->n;
}

static gboolean
has_message (gpointer data)
{
  return *teken_cert_manager_get_message (data) != '\0';
}

static TekenCertManager *
find_manager (void)
{
  return app_test_find_toplevel (TEKEN_TYPE_CERT_MANAGER, FALSE);
}

static void
test_cert_manager (void)
{
  g_autofree char *letter = copy_letter ("certs");
  TekenWindow *window = open_window (letter);
  TekenIdentityStore *store = teken_window_get_identity_store (window);
  TekenCertManager *manager;
  g_autofree char *details = NULL;
  g_autofree char *crt = teken_test_pki_path ("individu-rsa2048.crt");
  g_autofree char *expected_fp = app_test_openssl_fingerprint (crt);
  g_autofree char *exported = g_build_filename (work_dir, "certs", "exported.pem", NULL);
  g_autofree char *exported_fp = NULL;
  g_autofree char *p12 = teken_test_pki_path ("jabatan-p256.p12");
  g_autofree char *p12_other = teken_test_pki_path ("jabatan-rsa2048.p12");
  g_autofree char *pass_path = teken_test_pki_path ("passphrase.txt");
  g_autofree char *passphrase = NULL;
  g_autoptr(GFile) export_file = g_file_new_for_path (exported);
  g_autoptr(GFile) p12_file = g_file_new_for_path (p12);
  g_autoptr(GFile) other_file = g_file_new_for_path (p12_other);
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  RowCount count;
  guint n;
  g_autofree char *imported_id = NULL;

  g_assert_true (g_file_get_contents (pass_path, &passphrase, NULL, &error));
  g_strchomp (passphrase);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.certificates", NULL));
  manager = find_manager ();
  g_assert_nonnull (manager);
  g_assert_true (app_test_wait_until (manager_ready, manager, 30));
  n = teken_cert_manager_get_n_rows (manager);
  g_assert_cmpuint (n, ==, g_list_model_get_n_items (teken_identity_store_get_identities (store)));
  g_assert_cmpuint (n, >=, 4);  /* the keyring identity and the three token keys */

  /* readable details; the fingerprint as openssl computes it */
  g_assert_true (teken_cert_manager_select (manager, keyring_id));
  details = teken_cert_manager_dup_details_text (manager);
  g_test_message ("%s", details);
  g_assert_nonnull (strstr (details, "Name\tBudi Santoso"));
  g_assert_nonnull (strstr (details, "Organization\tPemerintah Kabupaten Contoh"));
  g_assert_nonnull (strstr (details, "Kind\tPersonal (individu)"));
  g_assert_nonnull (strstr (details, "Issued by\tTeken Test BSrE CA DS G1"));
  g_assert_nonnull (strstr (details, "(expires in 7"));
  g_assert_nonnull (strstr (details, "Digital signature"));
  g_assert_nonnull (strstr (details, expected_fp));
  g_assert_nonnull (strstr (details, "Teken Test Root CA"));
  app_test_save_screenshot (GTK_WIDGET (manager), "certs-01-details.png");

  /* export: the file holds the same certificate */
  g_assert_true (teken_cert_manager_export_to (manager, export_file, &error));
  g_assert_no_error (error);
  exported_fp = app_test_openssl_fingerprint (exported);
  g_assert_cmpstr (exported_fp, ==, expected_fp);

  /* import with the passphrase prompt */
  teken_cert_manager_import_file (manager, p12_file, NULL);
  dialog = teken_cert_manager_get_dialog (manager);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), passphrase);
  app_test_save_screenshot (GTK_WIDGET (dialog), "certs-02-import-passphrase.png");
  adw_message_dialog_response (dialog, "import");  /* closes the dialog */
  count.manager = manager;
  count.n = n + 1;
  g_assert_true (app_test_wait_until (has_n_rows, &count, 30));
  g_assert_true (app_test_wait_until (has_message, manager, 5));
  g_assert_nonnull (teken_cert_manager_get_selected (manager));
  g_assert_cmpstr (teken_identity_get_label (teken_cert_manager_get_selected (manager)), ==, "Bupati Contoh");
  imported_id = g_strdup (teken_identity_get_id (teken_cert_manager_get_selected (manager)));
  g_clear_pointer (&details, g_free);
  details = teken_cert_manager_dup_details_text (manager);
  g_assert_nonnull (strstr (details, "Title\tBupati"));
  g_assert_nonnull (strstr (details, "Unit\tSekretariat Daerah"));

  /* a wrong passphrase imports nothing and says so */
  teken_cert_manager_import_file (manager, other_file, "salah");
  app_test_pump (200);
  g_assert_true (app_test_wait_until (has_message, manager, 5));
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (strstr (teken_cert_manager_get_message (manager), "Bupati") != NULL &&
           g_get_monotonic_time () < deadline)
      app_test_pump (20);
  }
  g_test_message ("wrong passphrase: %s", teken_cert_manager_get_message (manager));
  g_assert_null (strstr (teken_cert_manager_get_message (manager), "Imported"));
  g_assert_cmpuint (teken_cert_manager_get_n_rows (manager), ==, n + 1);

  /* remove, after confirmation */
  g_assert_true (teken_cert_manager_select (manager, imported_id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (manager), "cert-manager.remove", NULL));
  dialog = teken_cert_manager_get_dialog (manager);
  g_assert_nonnull (dialog);
  app_test_save_screenshot (GTK_WIDGET (dialog), "certs-03-remove-confirm.png");
  adw_message_dialog_response (dialog, "remove");
  count.n = n;
  g_assert_true (app_test_wait_until (has_n_rows, &count, 30));
  g_assert_null (teken_identity_store_lookup (store, imported_id, NULL));

  gtk_window_destroy (GTK_WINDOW (manager));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The widget named `name` under `widget` (depth first), or NULL. */
static GtkWidget *
find_named_widget (GtkWidget  *widget,
                   const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named_widget (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static TekenPinDialog *
find_pin_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (TEKEN_IS_PIN_DIALOG (w))
        return TEKEN_PIN_DIALOG (w);
    }
  return NULL;
}

static gboolean
pin_dialog_idle (gpointer data)
{
  return !teken_pin_dialog_get_busy (data) && *teken_pin_dialog_get_message (data) != '\0';
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
pin_changed_cb (TekenPinDialog *dialog,
                gboolean       *changed)
{
  *changed = TRUE;
}

/* Certificate manager → token identity → "Change PIN…": mismatch said inline, a wrong current
 * PIN said inline, then the change; the token then takes the new PIN only. The PIN is put back. */
static void
test_cert_manager_change_pin (void)
{
  g_autofree char *letter = copy_letter ("pin");
  TekenWindow *window = open_window (letter);
  const char *pin = g_getenv ("TEKEN_TEST_TOKEN_PIN");
  const char *new_pin = "Pin-Baru-7710";
  g_autofree char *id = NULL;
  g_autoptr(TekenPinDialog) dialog = NULL;
  g_autoptr(TekenKey) key = NULL;
  g_autoptr(GError) error = NULL;
  TekenCertManager *manager;
  TekenIdentity *identity;
  GtkWidget *button;
  gboolean changed = FALSE;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.certificates", NULL));
  manager = find_manager ();
  g_assert_nonnull (manager);
  g_assert_true (app_test_wait_until (manager_ready, manager, 30));
  id = token_identity_id (window);
  g_assert_true (teken_cert_manager_select (manager, id));
  identity = teken_cert_manager_get_selected (manager);
  g_assert_true (teken_identity_can_change_pin (identity));
  button = find_named_widget (GTK_WIDGET (manager), "change_pin_button");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  dialog = g_object_ref (find_pin_dialog ());
  g_assert_nonnull (dialog);
  g_signal_connect (dialog, "pin-changed", G_CALLBACK (pin_changed_cb), &changed);
  g_assert_true (app_test_wait_until (app_test_is_drawable, dialog, 30));

  /* The repetition does not match: said at once, and the change is not offered. */
  teken_pin_dialog_set_pins (dialog, pin, new_pin, "Pin-Baru-7711");
  g_assert_cmpstr (teken_pin_dialog_get_message (dialog), ==, "The new PINs do not match");
  g_assert_false (gtk_widget_get_sensitive (find_named_widget (GTK_WIDGET (dialog), "change_button")));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "pin.change", NULL);
  g_assert_false (teken_pin_dialog_get_busy (dialog));
  app_test_pump (300);
  app_test_save_screenshot (GTK_WIDGET (dialog), "certs-04-change-pin.png");

  /* A wrong current PIN: the token refuses, the dialog stays open and says so. */
  teken_pin_dialog_set_pins (dialog, "0000", new_pin, new_pin);
  g_assert_cmpstr (teken_pin_dialog_get_message (dialog), ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "pin.change", NULL));
  g_assert_true (teken_pin_dialog_get_busy (dialog));
  g_assert_true (app_test_wait_until (pin_dialog_idle, dialog, 30));
  g_test_message ("wrong current PIN: %s", teken_pin_dialog_get_message (dialog));
  g_assert_nonnull (strstr (teken_pin_dialog_get_message (dialog), "current PIN is wrong"));
  g_assert_false (changed);

  /* The right one: the PIN is changed, the dialog closes and the manager shows a toast. */
  teken_pin_dialog_set_pins (dialog, pin, new_pin, new_pin);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "pin.change", NULL));
  g_assert_true (app_test_wait_until (flag_set, &changed, 30));
  g_assert_cmpstr (teken_pin_dialog_get_message (dialog), ==, "The token's PIN was changed");
  g_assert_null (find_pin_dialog ());

  /* The token takes the new PIN and refuses the old one. */
  key = teken_identity_open_key_sync (identity, pin, NULL, &error);
  g_assert_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_INCORRECT);
  g_clear_error (&error);
  key = teken_identity_open_key_sync (identity, new_pin, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_clear_object (&key);

  /* Back to the session's PIN for the other tests. */
  g_assert_true (teken_identity_change_pin_sync (identity, new_pin, pin, NULL, &error));
  g_assert_no_error (error);

  gtk_window_destroy (GTK_WINDOW (manager));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A fake org.freedesktop.Notifications server on the private session bus: records what the
 * app sends, so the test checks the desktop notification itself. */
static GPtrArray *notifications;  /* "summary\nbody" */

static const char notify_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "</interface></node>";

static void
notify_method_cb (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *path,
                  const char            *interface,
                  const char            *method,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  if (g_str_equal (method, "Notify"))
    {
      const char *summary, *body;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_ptr_array_add (notifications, g_strdup_printf ("%s\n%s", summary, body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notifications->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_fake_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { notify_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notify_xml, NULL);
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
has_notification (gpointer data)
{
  return notifications->len > 0;
}

static gboolean
has_expiry_text (gpointer data)
{
  return *teken_window_get_expiry_text (data) != '\0';
}

static void
test_expiry_reminder (void)
{
  g_autofree char *letter = copy_letter ("expiry");
  TekenWindow *window = open_window (letter);
  TekenIdentityStore *store = teken_window_get_identity_store (window);
  g_autofree char *path = teken_test_pki_path ("expiring.p12");
  g_autofree char *pass_path = teken_test_pki_path ("passphrase.txt");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TekenSecret) passphrase = NULL;
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AdwMessageDialog *renewal;
  TekenReportDialog *report;
  const char *text;

  /* nothing expires within 30 days yet (the others have two years) */
  teken_window_check_expiry (window);
  app_test_pump (1500);
  g_assert_cmpstr (teken_window_get_expiry_text (window), ==, "");

  passphrase = teken_secret_read_file (pass_path, &error);
  g_assert_no_error (error);
  identity = teken_identity_store_import_p12_file_sync (store, file, passphrase, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (teken_identity_get_days_to_expiry (identity, NULL), <=, 10);

  g_settings_set_string (settings, "ra-contact", "RA Diskominfo Kabupaten Contoh, telp. (0000) 123457");
  teken_window_check_expiry (window);
  g_assert_true (app_test_wait_until (has_expiry_text, window, 30));
  text = teken_window_get_expiry_text (window);
  g_test_message ("reminder: %s", text);
  g_assert_nonnull (strstr (text, "expires in"));
  g_assert_nonnull (strstr (text, teken_identity_get_label (identity)));
  /* the desktop notification, as the notification server received it */
  g_assert_true (app_test_wait_until (has_notification, NULL, 10));
  g_test_message ("notification: %s", (char *) notifications->pdata[0]);
  g_assert_true (g_str_has_prefix (notifications->pdata[0], "Certificate Expires Soon\n"));
  g_assert_nonnull (strstr (notifications->pdata[0], "expires in"));
  app_test_save_screenshot (GTK_WIDGET (window), "reminder-01-bar.png");
  renewal = teken_window_show_renewal (window);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (renewal), "RA Diskominfo Kabupaten Contoh"));
  app_test_save_screenshot (GTK_WIDGET (renewal), "reminder-02-renewal.png");
  /* the reminder leads to the renewal report, prefilled with the expiring certificate */
  g_assert_true (adw_message_dialog_has_response (renewal, "request"));
  adw_message_dialog_response (renewal, "request");
  gtk_window_destroy (GTK_WINDOW (renewal));
  g_assert_true (app_test_wait_until (has_report_dialog, NULL, 10));
  report = find_report_dialog ();
  g_assert_cmpint (teken_report_dialog_get_kind (report), ==, TEKEN_REPORT_KIND_RENEWAL);
  g_assert_cmpstr (teken_report_dialog_get_value (report, "cert_serial"), !=, "");
  gtk_window_destroy (GTK_WINDOW (report));

  /* 0 turns the reminder off: the bar goes away */
  g_settings_set_uint (settings, "reminder-days", 5);
  teken_window_check_expiry (window);
  app_test_pump (1500);
  g_assert_cmpstr (teken_window_get_expiry_text (window), ==, "");
  g_settings_reset (settings, "reminder-days");

  g_assert_true (teken_identity_store_remove_sync (store, identity, NULL, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_preferences (void)
{
  g_autofree char *letter = copy_letter ("prefs");
  TekenWindow *window = open_window (letter);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *other = teken_test_pki_path ("other-root.crt");
  g_autoptr(GFile) other_file = g_file_new_for_path (other);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autofree char *other_id = NULL;
  TekenPreferences *prefs = NULL;
  GListModel *toplevels;
  guint n;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL));
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && prefs == NULL; i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (TEKEN_IS_PREFERENCES (w))
        prefs = TEKEN_PREFERENCES (w);
    }
  g_assert_nonnull (prefs);
  n = teken_preferences_get_n_anchors (prefs);
  g_assert_cmpuint (n, >=, 1);  /* the test root from the fixtures */

  g_assert_true (teken_preferences_add_anchor_file (prefs, other_file, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (teken_preferences_get_n_anchors (prefs), ==, n + 1);
  anchors = teken_trust_store_user_list (&error);
  g_assert_cmpuint (anchors->len, ==, n + 1);
  for (guint i = 0; i < anchors->len; i++)
    if (g_strcmp0 (teken_cert_info_get_common_name (anchors->pdata[i]), "Teken Test Other Root") == 0 ||
        strstr (teken_cert_info_get_subject (anchors->pdata[i]), "Other") != NULL)
      other_id = g_strdup (teken_cert_info_get_sha256_hex (anchors->pdata[i]));
  g_assert_nonnull (other_id);
  app_test_save_screenshot (GTK_WIDGET (prefs), "prefs-01-trust-anchors.png");
  g_assert_true (teken_preferences_remove_anchor (prefs, other_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (teken_preferences_get_n_anchors (prefs), ==, n);

  /* the reminder days are the GSettings key */
  g_settings_set_uint (settings, "reminder-days", 45);
  app_test_pump (50);
  g_assert_cmpuint (g_settings_get_uint (settings, "reminder-days"), ==, 45);
  g_settings_reset (settings, "reminder-days");
  gtk_window_destroy (GTK_WINDOW (prefs));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_empty_field (void)
{
  g_autofree char *dir = g_build_filename (work_dir, "field", NULL);
  g_autofree char *src = teken_test_corpus_path ("naskah-dinas-empty-sigfield.pdf");
  g_autofree char *letter = g_build_filename (dir, "surat-kolom.pdf", NULL);
  g_autofree char *expected = g_build_filename (dir, "surat-kolom-signed.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *field_name = NULL;
  g_autofree char *pass_path = teken_test_pki_path ("passphrase.txt");
  g_autofree char *passphrase = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *sigs;
  TekenWindow *window;
  TekenSignDialog *dialog;
  gsize len;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_get_contents (src, &contents, &len, &error));
  g_assert_true (g_file_set_contents (letter, contents, len, &error));
  g_assert_true (g_file_get_contents (pass_path, &passphrase, NULL, &error));
  g_strchomp (passphrase);

  window = open_window (letter);
  g_assert_nonnull (teken_window_get_result (window));
  sigs = teken_document_result_get_signatures (teken_window_get_result (window));
  for (guint i = 0; i < g_list_model_get_n_items (sigs) && field_name == NULL; i++)
    {
      g_autoptr(TekenSignatureResult) sig = g_list_model_get_item (sigs, i);

      if (teken_signature_result_get_status (sig) == TEKEN_SIGNATURE_STATUS_UNSIGNED)
        field_name = g_strdup (teken_signature_result_get_field_name (sig));
    }
  g_assert_nonnull (field_name);
  dialog = open_sign_dialog (window);
  g_assert_true (teken_sign_dialog_select_identity (dialog, keyring_id));
  /* the empty field is offered and chosen by default */
  g_assert_false (teken_sign_dialog_select_field (dialog, "NoSuchField"));
  g_assert_true (teken_sign_dialog_select_field (dialog, field_name));
  g_assert_nonnull (teken_sign_dialog_get_preview (dialog));
  teken_sign_dialog_set_secret (dialog, passphrase);
  app_test_save_screenshot (GTK_WIDGET (dialog), "sign-09-empty-field.png");
  sign_and_wait_for_window (window, dialog, expected);

  /* the field was filled: still one field, now signed and valid */
  sigs = teken_document_result_get_signatures (teken_window_get_result (window));
  g_assert_cmpuint (g_list_model_get_n_items (sigs), ==, 1);
  {
    g_autoptr(TekenSignatureResult) sig = g_list_model_get_item (sigs, 0);

    g_assert_cmpstr (teken_signature_result_get_field_name (sig), ==, field_name);
    g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_VALID);
  }
  assert_pdfsig_valid_trusted (expected);
  app_test_save_screenshot (GTK_WIDGET (window), "sign-10-empty-field-signed.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
batch_ready (gpointer data)
{
  return teken_batch_window_get_ready (data);
}

static gboolean
batch_done (gpointer data)
{
  return !teken_batch_window_get_busy (data) && *teken_batch_window_get_summary (data) != '\0';
}

static void
test_batch (void)
{
  g_autofree char *dir = g_build_filename (work_dir, "batch", NULL);
  g_autofree char *src = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *letter = copy_letter ("batch-window");
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) listing = NULL;
  g_autoptr(GError) error = NULL;
  TekenWindow *window = open_window (letter);
  TekenBatchWindow *batch;
  g_autofree char *token_id = token_identity_id (window);
  gsize len;

  /* five documents in a folder; the third is not a PDF */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_get_contents (src, &contents, &len, &error));
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("surat-%u.pdf", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (i == 3)
        g_assert_true (g_file_set_contents (path, "bukan PDF\n", -1, &error));
      else
        g_assert_true (g_file_set_contents (path, contents, len, &error));
    }
  g_ptr_array_add (files, g_file_new_for_path (dir));
  batch = teken_window_sign_batch (window, files);
  g_assert_true (app_test_wait_until (batch_ready, batch, 30));
  g_assert_cmpuint (teken_batch_window_get_n_files (batch), ==, 5);
  /* one PIN entry for the whole batch, from the token */
  g_assert_true (teken_batch_window_select_identity (batch, token_id));
  teken_batch_window_set_secret (batch, g_getenv ("TEKEN_TEST_TOKEN_PIN"));
  teken_batch_window_set_visible_stamp (batch, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (batch), "batch.sign", NULL));
  g_assert_true (app_test_wait_until (batch_done, batch, 120));
  g_test_message ("batch: %s", teken_batch_window_get_summary (batch));
  for (guint i = 0; i < 5; i++)
    g_test_message ("  %u: %s", i + 1, teken_batch_window_get_status (batch, i));
  g_assert_nonnull (strstr (teken_batch_window_get_summary (batch), "4 signed, 1 failed"));
  g_assert_true (g_str_has_prefix (teken_batch_window_get_status (batch, 2), "") &&
                 strstr (teken_batch_window_get_status (batch, 2), "Signed") == NULL);
  app_test_save_screenshot (GTK_WIDGET (batch), "batch-01-five-one-bad.png");

  /* four signed copies, valid and trusted; nothing for the bad file, no temporary leftovers */
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("surat-%u-signed.pdf", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (i == 3)
        g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      else
        assert_pdfsig_valid_trusted (path);
    }
  listing = teken_test_list_dir (dir);
  g_assert_cmpuint (listing->len, ==, 9);
  gtk_window_destroy (GTK_WINDOW (batch));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- Preferences: signature level (teken.conf, as teken-cli reads it) and stamp defaults ---- */

static TekenPreferences *
open_preferences (TekenWindow *window)
{
  GListModel *toplevels;
  TekenPreferences *prefs = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL));
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && prefs == NULL; i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (TEKEN_IS_PREFERENCES (w))
        prefs = TEKEN_PREFERENCES (w);
    }
  g_assert_nonnull (prefs);
  teken_preferences_show_signing (prefs);
  app_test_pump (50);
  return prefs;
}

static gpointer
prefs_child (TekenPreferences *prefs,
             const char       *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (prefs), TEKEN_TYPE_PREFERENCES, id);

  g_assert_nonnull (child);
  return child;
}

/* Sets level, TSA address and fallback through the preferences' own widgets. */
static void
set_level_in_preferences (TekenPreferences *prefs,
                          TekenPadesLevel   level,
                          const char       *url,
                          gboolean          fallback)
{
  AdwEntryRow *tsa_row = prefs_child (prefs, "tsa_row");
  g_autoptr(TekenLtvSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  gtk_editable_set_text (GTK_EDITABLE (tsa_row), url ? url : "");
  g_signal_emit_by_name (tsa_row, "apply");
  adw_combo_row_set_selected (prefs_child (prefs, "level_row"), level);
  gtk_switch_set_active (prefs_child (prefs, "fallback_switch"), fallback);
  app_test_pump (20);

  /* stored where teken-cli reads them */
  settings = teken_ltv_settings_load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (settings->level, ==, level);
  g_assert_cmpstr (settings->tsa_url, ==, url && *url ? url : NULL);
}

typedef struct
{
  gboolean signed_;
  TekenPadesLevel reached;
  char *warning;
} SignedRecord;

static void
record_signed_cb (TekenSignDialog *dialog,
                  GFile           *output,
                  SignedRecord    *record)
{
  record->signed_ = TRUE;
  record->reached = teken_sign_dialog_get_reached_level (dialog);
  g_free (record->warning);
  record->warning = g_strdup (teken_sign_dialog_get_level_warning (dialog));
}

static char *
read_passphrase (void)
{
  g_autofree char *pass_path = teken_test_pki_path ("passphrase.txt");
  g_autoptr(GError) error = NULL;
  char *passphrase = NULL;

  g_assert_true (g_file_get_contents (pass_path, &passphrase, NULL, &error));
  return g_strchomp (passphrase);
}

static void
reset_signing_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *conf = teken_ltv_settings_get_path ();

  g_settings_reset (settings, "stamp-image");
  g_settings_reset (settings, "stamp-qr-template");
  g_settings_reset (settings, "timestamp-fallback");
  g_unlink (conf);
}

static void
test_prefs_level_bt (void)
{
  g_autofree char *letter = copy_letter ("level-bt");
  g_autofree char *expected = g_strdup_printf ("%s/level-bt/surat-signed.pdf", work_dir);
  g_autofree char *passphrase = read_passphrase ();
  LtvPeers *peers = ltv_peers_start ();
  g_autofree char *url = ltv_peers_url (peers, "/tsa");
  TekenWindow *window = open_window (letter);
  TekenPreferences *prefs = open_preferences (window);
  g_autoptr(TekenSignatureResult) sig = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *conf_path = teken_ltv_settings_get_path ();
  SignedRecord record = { 0 };
  TekenSignDialog *dialog;

  set_level_in_preferences (prefs, TEKEN_PADES_LEVEL_B_T, url, FALSE);
  g_assert_true (g_file_get_contents (conf_path, &conf, NULL, NULL));
  g_assert_nonnull (strstr (conf, "level=B-T"));
  gtk_window_destroy (GTK_WINDOW (prefs));

  dialog = open_sign_dialog (window);
  g_signal_connect (dialog, "signed", G_CALLBACK (record_signed_cb), &record);
  g_assert_true (teken_sign_dialog_select_identity (dialog, keyring_id));
  teken_sign_dialog_set_visible_stamp (dialog, FALSE);
  teken_sign_dialog_set_secret (dialog, passphrase);
  sign_and_wait_for_window (window, dialog, expected);

  g_assert_true (record.signed_);
  g_assert_cmpint (record.reached, ==, TEKEN_PADES_LEVEL_B_T);
  g_assert_null (record.warning);
  g_assert_cmpuint (ltv_peers_count (peers, "/tsa"), ==, 1);
  /* the app's verifier sees the signature time stamp of the test TSA */
  g_assert_cmpint (teken_document_result_get_verdict (teken_window_get_result (window)), ==, TEKEN_VERDICT_SIGNED_VALID);
  sig = last_signature (window);
  g_assert_true (teken_signature_result_has_timestamp (sig));
  g_assert_cmpint (teken_signature_result_get_time_source (sig), ==, TEKEN_TIME_SOURCE_TIMESTAMP);
  g_test_message ("time stamp by %s", teken_signature_result_get_timestamp_authority (sig));
  g_assert_nonnull (strstr (teken_signature_result_get_timestamp_authority (sig), "TSA"));
  assert_pdfsig_valid_trusted (expected);
  app_test_save_screenshot (GTK_WIDGET (window), "prefs-03-signed-level-bt.png");

  gtk_window_destroy (GTK_WINDOW (window));
  g_free (record.warning);
  reset_signing_preferences ();
  ltv_peers_stop (peers);
}

static void
test_prefs_tsa_down (void)
{
  g_autofree char *letter = copy_letter ("tsa-down");
  g_autofree char *dir = g_path_get_dirname (letter);
  g_autofree char *expected = g_strdup_printf ("%s/tsa-down/surat-signed.pdf", work_dir);
  g_autofree char *passphrase = read_passphrase ();
  g_autofree char *refused = ltv_peers_refused_url ();
  TekenWindow *window = open_window (letter);
  TekenPreferences *prefs = open_preferences (window);
  g_autoptr(GPtrArray) listing = NULL;
  g_autoptr(TekenSignatureResult) sig = NULL;
  SignedRecord record = { 0 };
  TekenSignDialog *dialog;

  set_level_in_preferences (prefs, TEKEN_PADES_LEVEL_B_T, refused, FALSE);
  gtk_window_destroy (GTK_WINDOW (prefs));

  dialog = open_sign_dialog (window);
  g_signal_connect (dialog, "signed", G_CALLBACK (record_signed_cb), &record);
  g_assert_true (teken_sign_dialog_select_identity (dialog, keyring_id));
  teken_sign_dialog_set_visible_stamp (dialog, FALSE);
  teken_sign_dialog_set_secret (dialog, passphrase);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-dialog.sign", NULL));
  g_assert_true (app_test_wait_until (not_busy, dialog, 60));
  g_test_message ("TSA down: %s", teken_sign_dialog_get_message (dialog));
  g_assert_false (record.signed_);
  g_assert_nonnull (strstr (teken_sign_dialog_get_message (dialog), "refused the connection"));
  g_assert_nonnull (strstr (teken_sign_dialog_get_message (dialog), "level B-T could not be reached"));
  app_test_save_screenshot (GTK_WIDGET (dialog), "prefs-04-tsa-down.png");
  /* no output and no temporary leftovers: only the letter */
  g_assert_false (g_file_test (expected, G_FILE_TEST_EXISTS));
  listing = teken_test_list_dir (dir);
  g_assert_cmpuint (listing->len, ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* with fallback enabled the B-B signature is kept, and the dialog says which level */
  prefs = open_preferences (window);
  set_level_in_preferences (prefs, TEKEN_PADES_LEVEL_B_T, refused, TRUE);
  gtk_window_destroy (GTK_WINDOW (prefs));
  dialog = open_sign_dialog (window);
  g_signal_connect (dialog, "signed", G_CALLBACK (record_signed_cb), &record);
  g_assert_true (teken_sign_dialog_select_identity (dialog, keyring_id));
  teken_sign_dialog_set_visible_stamp (dialog, FALSE);
  teken_sign_dialog_set_secret (dialog, passphrase);
  sign_and_wait_for_window (window, dialog, expected);
  g_assert_true (record.signed_);
  g_assert_cmpint (record.reached, ==, TEKEN_PADES_LEVEL_B_B);
  g_test_message ("fallback: %s", record.warning);
  g_assert_nonnull (record.warning);
  g_assert_nonnull (strstr (record.warning, "B-T"));
  sig = last_signature (window);
  g_assert_false (teken_signature_result_has_timestamp (sig));
  assert_pdfsig_valid_trusted (expected);

  gtk_window_destroy (GTK_WINDOW (window));
  g_free (record.warning);
  reset_signing_preferences ();
}

static void
write_png (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 60, 60);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 0.8, 0.1, 0.1);
  cairo_arc (cr, 30, 30, 26, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

/* The runs of dark modules exactly as the appearance draws a QR code for text. */
static char *
expected_qr_runs (const char *text)
{
  QRcode *qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  GString *out = g_string_new (NULL);

  g_assert_nonnull (qr);
  for (int row = 0; row < qr->width; row++)
    for (int col = 0; col < qr->width;)
      {
        int run = 0;

        while (col + run < qr->width && (qr->data[row * qr->width + col + run] & 1))
          run++;
        if (run > 0)
          g_string_append_printf (out, "%d %d %d 1 re\n", col, qr->width - 1 - row, run);
        col += MAX (run, 1);
      }
  QRcode_free (qr);
  return g_string_free (out, FALSE);
}

/* Appends the decoded content of a form XObject and of the forms it uses; counts images. */
static void
collect_appearance (TekenPdfDocument *doc,
                    TekenPdfObject   *form,
                    GString          *content,
                    guint            *n_images,
                    guint             depth)
{
  g_autoptr(GBytes) data = NULL;
  g_autoptr(TekenPdfObject) resources = NULL;
  g_autoptr(TekenPdfObject) xobjects = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (depth, <, 5);
  if (teken_pdf_object_is_name (teken_pdf_dict_get (form, "Subtype"), "Image"))
    {
      (*n_images)++;
      return;
    }
  data = teken_pdf_stream_decode (form, 16 * 1024 * 1024, &error);
  g_assert_no_error (error);
  g_string_append_len (content, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  resources = teken_pdf_document_lookup (doc, form, "Resources", NULL);
  xobjects = resources ? teken_pdf_document_lookup (doc, resources, "XObject", NULL) : NULL;
  for (guint i = 0; xobjects != NULL && i < teken_pdf_dict_get_size (xobjects); i++)
    {
      g_autoptr(TekenPdfObject) x = teken_pdf_document_resolve (doc, teken_pdf_dict_get_value (xobjects, i), NULL);

      if (x != NULL)
        collect_appearance (doc, x, content, n_images, depth + 1);
    }
}

/* The normal appearance of the document's (only) signed signature field, decoded. */
static char *
signed_appearance (const char *path,
                   guint      *n_images)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (path, &error);
  g_autoptr(TekenPdfObject) catalog = NULL;
  g_autoptr(TekenPdfObject) acroform = NULL;
  g_autoptr(TekenPdfObject) fields = NULL;
  GString *content = g_string_new (NULL);

  g_assert_no_error (error);
  catalog = teken_pdf_document_get_catalog (doc, NULL, &error);
  acroform = teken_pdf_document_lookup (doc, catalog, "AcroForm", &error);
  fields = teken_pdf_document_lookup (doc, acroform, "Fields", &error);
  g_assert_nonnull (fields);
  *n_images = 0;
  for (guint i = 0; i < teken_pdf_array_get_length (fields); i++)
    {
      g_autoptr(TekenPdfObject) f = teken_pdf_document_resolve (doc, teken_pdf_array_get (fields, i), NULL);
      g_autoptr(TekenPdfObject) v = f ? teken_pdf_document_lookup (doc, f, "V", NULL) : NULL;
      g_autoptr(TekenPdfObject) ap = NULL;
      g_autoptr(TekenPdfObject) n = NULL;

      if (v == NULL)
        continue;
      ap = teken_pdf_document_lookup (doc, f, "AP", NULL);
      g_assert_nonnull (ap);
      n = teken_pdf_document_lookup (doc, ap, "N", NULL);
      g_assert_nonnull (n);
      collect_appearance (doc, n, content, n_images, 0);
    }
  return g_string_free (content, FALSE);
}

static void
test_prefs_stamp_defaults (void)
{
  g_autofree char *letter = copy_letter ("stamp-defaults");
  g_autofree char *expected = g_strdup_printf ("%s/stamp-defaults/surat-signed.pdf", work_dir);
  g_autofree char *png = g_build_filename (work_dir, "cap-dinas.png", NULL);
  g_autofree char *passphrase = read_passphrase ();
  g_autoptr(GFile) png_file = NULL;
  g_autoptr(GFile) not_png = g_file_new_for_path (letter);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (today, "%Y-%m-%d");
  g_autofree char *stored = NULL;
  g_autofree char *qr_text = NULL;
  g_autofree char *runs = NULL;
  g_autofree char *no_qr_runs = NULL;
  g_autofree char *content = NULL;
  LtvPeers *peers = ltv_peers_start ();
  g_autofree char *url = ltv_peers_url (peers, "/tsa");
  TekenWindow *window = open_window (letter);
  TekenPreferences *prefs = open_preferences (window);
  g_autoptr(TekenSignatureResult) sig = NULL;
  TekenSignDialog *dialog;
  AdwEntryRow *qr_row;
  guint n_images = 0;

  write_png (png);
  png_file = g_file_new_for_path (png);
  /* a file that is not a PNG is refused and changes nothing */
  g_assert_false (teken_preferences_set_stamp_image (prefs, not_png, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  stored = g_settings_get_string (settings, "stamp-image");
  g_assert_cmpstr (stored, ==, "");
  g_clear_pointer (&stored, g_free);
  g_assert_true (teken_preferences_set_stamp_image (prefs, png_file, &error));
  g_assert_no_error (error);
  stored = g_settings_get_string (settings, "stamp-image");
  g_assert_cmpstr (stored, ==, png);
  g_assert_true (gtk_widget_get_visible (prefs_child (prefs, "image_picture")));

  qr_row = prefs_child (prefs, "qr_row");
  gtk_editable_set_text (GTK_EDITABLE (qr_row), "{name} | {date} | {file} | {reason}");
  g_signal_emit_by_name (qr_row, "apply");
  g_clear_pointer (&stored, g_free);
  stored = g_settings_get_string (settings, "stamp-qr-template");
  g_assert_cmpstr (stored, ==, "{name} | {date} | {file} | {reason}");
  set_level_in_preferences (prefs, TEKEN_PADES_LEVEL_B_T, url, FALSE);
  app_test_pump (200);
  app_test_save_screenshot (GTK_WIDGET (prefs), "prefs-02-level-and-stamp.png");
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* sign visibly: the preview and the signature carry the image and the expanded QR text */
  dialog = open_sign_dialog (window);
  g_assert_true (teken_sign_dialog_select_identity (dialog, keyring_id));
  teken_sign_dialog_set_visible_stamp (dialog, TRUE);
  teken_sign_dialog_set_reason (dialog, "Persetujuan");
  teken_sign_dialog_set_location (dialog, "Kabupaten Contoh");
  teken_sign_dialog_set_rect (dialog, 0, 300, 620, 240, 90);
  g_assert_nonnull (teken_sign_dialog_get_preview (dialog));
  qr_text = g_strdup_printf ("%s | %s | surat.pdf | Persetujuan",
                             teken_identity_get_label (teken_sign_dialog_get_identity (dialog)), day);
  g_test_message ("QR text: %s", qr_text);
  teken_sign_dialog_set_secret (dialog, passphrase);
  app_test_save_screenshot (GTK_WIDGET (dialog), "prefs-05-sign-dialog-stamp-defaults.png");
  sign_and_wait_for_window (window, dialog, expected);

  content = signed_appearance (expected, &n_images);
  g_assert_cmpuint (n_images, >=, 1);
  g_assert_nonnull (strstr (content, " Do"));
  runs = expected_qr_runs (qr_text);
  g_assert_nonnull (strstr (content, runs));
  /* and not merely any QR code: the one for another text is not there */
  no_qr_runs = expected_qr_runs ("{name} | {date} | {file} | {reason}");
  g_assert_null (strstr (content, no_qr_runs));
  sig = last_signature (window);
  g_assert_true (teken_signature_result_has_timestamp (sig));
  g_assert_cmpint (teken_document_result_get_verdict (teken_window_get_result (window)), ==, TEKEN_VERDICT_SIGNED_VALID);
  assert_pdfsig_valid_trusted (expected);
  app_test_save_screenshot (GTK_WIDGET (window), "prefs-06-signed-stamp-defaults.png");

  gtk_window_destroy (GTK_WINDOW (window));
  reset_signing_preferences ();
  ltv_peers_stop (peers);
}

static void
prepare_fixtures (void)
{
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autofree char *p12 = teken_test_pki_path ("individu-rsa2048.p12");
  g_autofree char *pass_path = teken_test_pki_path ("passphrase.txt");
  g_autofree char *root_pem = NULL;
  g_autoptr(TekenCertInfo) anchor = NULL;
  g_autoptr(TekenIdentityStore) store = teken_identity_store_new ();
  g_autoptr(TekenSecret) passphrase = NULL;
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (p12);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gsize len;

  work_dir = teken_test_make_tmp_dir ();
  g_assert_true (g_file_get_contents (root, &root_pem, &len, &error));
  anchor = teken_cert_info_new_from_data ((const guint8 *) root_pem, len, &error);
  g_assert_no_error (error);
  id = teken_trust_store_user_add (NULL, teken_cert_info_get_x509 (anchor), &error);
  g_assert_no_error (error);

  passphrase = teken_secret_read_file (pass_path, &error);
  g_assert_no_error (error);
  teken_identity_store_set_use_registered_modules (store, FALSE);
  g_assert_true (teken_identity_store_refresh_sync (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (teken_identity_store_get_keyring_error (store));
  identity = teken_identity_store_import_p12_file_sync (store, file, passphrase, TEKEN_IMPORT_FLAGS_NONE,
                                                         NULL, &error);
  g_assert_no_error (error);
  keyring_id = g_strdup (teken_identity_get_id (identity));
}

/* GTK 4.8 under Xvfb without a window manager: a focused entry in a window that is hidden
 * or destroyed warns that it got no focus-out event. Harmless; everything else stays fatal. */
static gboolean
fatal_filter (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  return strstr (message, "did not receive a focus-out event") == NULL;
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  app_test_set_display_env ();
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  if (g_getenv ("TEKEN_TEST_SOFTHSM_MODULE") == NULL || g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_print ("1..0 # SKIP needs tests/identity/run-session.sh (keyring and token)\n");
      return 0;
    }

  gtk_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (fatal_filter, NULL);
  adw_init ();
  teken_core_init ();

  app_test_init_screenshot_dir ();
  prepare_fixtures ();
  start_fake_notification_server ();

  app = app_test_new_application ();

  g_test_add_func ("/app/sign/keyring-invisible", test_keyring_invisible);
  g_test_add_func ("/app/sign/keyring-visible-free-name", test_keyring_visible_free_name);
  g_test_add_func ("/app/sign/token-wrong-pin-then-right", test_token_wrong_pin_then_right);
  g_test_add_func ("/app/sign/cancel", test_cancel);
  g_test_add_func ("/app/sign/empty-field", test_empty_field);
  g_test_add_func ("/app/sign/unusable", test_unusable);
  g_test_add_func ("/app/sign/batch-five-one-bad", test_batch);
  g_test_add_func ("/app/certs/manager", test_cert_manager);
  g_test_add_func ("/app/certs/change-pin", test_cert_manager_change_pin);
  g_test_add_func ("/app/certs/expiry-reminder", test_expiry_reminder);
  g_test_add_func ("/app/certs/preferences", test_preferences);
  g_test_add_func ("/app/prefs/level-bt-local-tsa", test_prefs_level_bt);
  g_test_add_func ("/app/prefs/tsa-down", test_prefs_tsa_down);
  g_test_add_func ("/app/prefs/stamp-defaults", test_prefs_stamp_defaults);
  g_test_add_func ("/app/sign/demo-end-to-end", test_demo_end_to_end);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
