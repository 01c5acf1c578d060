/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>

#include "teken-appearance.h"
#include "teken-cert-info.h"
#include "teken-demo.h"
#include "teken-identity-util.h"
#include "teken-page-renderer.h"
#include "teken-sign-dialog.h"
#include "teken-sign-options.h"
#include "teken-signature-result.h"
#include "teken-signer.h"
#include "teken-trust-store.h"

/* The default stamp: lower right of the last page, in points. */
#define STAMP_WIDTH   200.0
#define STAMP_HEIGHT   70.0
#define STAMP_MARGIN   56.0
#define PREVIEW_SCALE   2.0

struct _TekenSignDialog
{
  AdwWindow parent_instance;

  /* Template children */
  AdwWindowTitle *window_title;
  GtkButton *sign_button;
  GtkStack *stack;
  GtkListBox *identity_list;
  GtkSwitch *visible_switch;
  AdwActionRow *position_row;
  AdwComboRow *field_row;
  GPtrArray *fields;             /* EmptyField, index + 1 in field_row */
  AdwEntryRow *reason_row;
  AdwEntryRow *location_row;
  GtkWidget *trust_demo_row;
  GtkSwitch *trust_demo_switch;
  GtkWidget *preview_group;
  GtkPicture *preview;
  GtkWidget *secret_group;
  AdwPasswordEntryRow *secret_row;
  GtkLabel *message_label;
  GtkWidget *progress_box;
  GtkLabel *progress_label;
  GtkProgressBar *progress_bar;

  TekenIdentityStore *store;
  GFile *input;
  GSettings *settings;
  TekenIdentity *identity;       /* selected */
  GtkCheckButton *group;         /* first radio of the list */
  GCancellable *cancellable;     /* signing */
  GCancellable *refresh_cancellable;
  TekenSigner *signer;
  TekenSecret *secret;           /* only while the key is being opened */
  GFile *output;
  GdkTexture *preview_texture;
  char *message;
  TekenPadesLevel reached;       /* after the last successful signing */
  char *level_warning;           /* fallback: why the level was not reached */
  guint page;
  double rect[4];                /* x, y (from the top), width, height in points */
  guint has_rect : 1;
  guint ready : 1;
  guint busy : 1;
};

G_DEFINE_FINAL_TYPE (TekenSignDialog, teken_sign_dialog, ADW_TYPE_WINDOW)

typedef struct
{
  char *name;
  guint page;
  double width, height;
} EmptyField;

static void
empty_field_free (gpointer data)
{
  EmptyField *field = data;

  g_free (field->name);
  g_free (field);
}

/* The chosen empty field, or NULL for a new one. */
static EmptyField *
selected_field (TekenSignDialog *self)
{
  guint index = adw_combo_row_get_selected (self->field_row);

  if (self->fields == NULL || index == 0 || index == GTK_INVALID_LIST_POSITION || index > self->fields->len)
    return NULL;
  return self->fields->pdata[index - 1];
}

enum { SIGNED, PLACE_REQUESTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void update_preview (TekenSignDialog *self);
static void update_actions (TekenSignDialog *self);

static void
show_message (TekenSignDialog *self,
              const char      *message)
{
  g_free (self->message);
  self->message = g_strdup (message ? message : "");
  gtk_label_set_text (self->message_label, self->message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL && *message);
}

char *
teken_sign_dialog_dup_unusable_reason (TekenIdentity *identity)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(TekenCertInfo) info = teken_cert_info_new (teken_identity_get_certificate (identity));
  const char * const *usages;
  gboolean can_sign = FALSE;

  if (g_date_time_compare (now, teken_identity_get_not_before (identity)) < 0)
    return g_strdup (_("Not valid yet"));
  if (g_date_time_compare (now, teken_identity_get_not_after (identity)) > 0)
    return g_strdup (_("Expired"));
  if (teken_identity_get_pin_state (identity) & TEKEN_PIN_STATE_LOCKED)
    return g_strdup (_("The token’s PIN is blocked"));
  usages = info ? teken_cert_info_get_key_usage_ids (info) : NULL;
  if (usages == NULL || usages[0] == NULL)
    return NULL;  /* no key usage extension: any use */
  for (guint i = 0; usages[i]; i++)
    if (g_str_equal (usages[i], "digitalSignature") || g_str_equal (usages[i], "nonRepudiation"))
      can_sign = TRUE;
  return can_sign ? NULL : g_strdup (_("This certificate is not for signing (key usage)"));
}

static char *
describe_identity (TekenIdentity *identity)
{
  g_autoptr(TekenCertInfo) info = teken_cert_info_new (teken_identity_get_certificate (identity));
  const char *kind = teken_certificate_kind_get_label (info ? teken_cert_info_get_kind (info)
                                                            : TEKEN_CERTIFICATE_KIND_UNKNOWN);
  gint days = teken_identity_get_days_to_expiry (identity, NULL);
  g_autofree char *expiry = NULL;

  if (days < 0)
    expiry = g_strdup (_("expired"));
  else
    /* translators: %d is a number of days */
    expiry = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "expires in %d day", "expires in %d days", days), days);
  const char *key = info ? teken_cert_info_get_public_key_description (info) : "";

  if (teken_demo_identity_is_demo (identity))
    /* translators: the certificate's kind, where the key lives, the key type, when it expires; the demo identity */
    return g_strdup_printf (_("DEMO · %s · %s · %s · %s"), kind, teken_identity_get_location (identity), key, expiry);
  /* translators: the certificate's kind, where the key lives, the key type (e.g. "RSA 2048 bits"), when it expires */
  return g_strdup_printf (_("%s · %s · %s · %s"), kind, teken_identity_get_location (identity), key, expiry);
}

static void
update_secret_row (TekenSignDialog *self)
{
  g_autofree char *prompt = NULL;
  TekenIdentitySecretKind kind;

  if (self->identity == NULL)
    return;
  kind = teken_identity_get_secret_kind (self->identity);
  if (kind == TEKEN_IDENTITY_SECRET_PIN)
    {
      /* ask the token itself right before asking for the PIN: tries left */
      teken_identity_refresh_pin_state (self->identity, NULL);
      prompt = teken_identity_dup_secret_prompt (self->identity);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row), prompt);
      gtk_widget_set_visible (self->secret_group, TRUE);
    }
  else
    {
      prompt = teken_identity_dup_secret_prompt (self->identity);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row),
                                     prompt ? prompt : _("Passphrase"));
    }
}

static void
select_identity (TekenSignDialog *self,
                 TekenIdentity   *identity)
{
  if (!g_set_object (&self->identity, identity))
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  /* a keyring identity usually has its passphrase remembered: ask only when needed */
  gtk_widget_set_visible (self->secret_group, FALSE);
  gtk_widget_set_visible (self->trust_demo_row, identity && teken_demo_identity_is_demo (identity));
  show_message (self, NULL);
  update_secret_row (self);
  update_preview (self);
  update_actions (self);
}

static void
radio_toggled_cb (GtkCheckButton  *button,
                  TekenSignDialog *self)
{
  if (gtk_check_button_get_active (button))
    select_identity (self, g_object_get_data (G_OBJECT (button), "identity"));
}

static void
populate (TekenSignDialog *self)
{
  GListModel *model = teken_identity_store_get_identities (self->store);
  g_autofree char *selected_id = self->identity ? g_strdup (teken_identity_get_id (self->identity)) : NULL;
  GtkCheckButton *to_activate = NULL;
  GtkCheckButton *first_usable = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->identity_list))) != NULL)
    gtk_list_box_remove (self->identity_list, child);
  self->group = NULL;
  g_clear_object (&self->identity);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenIdentity) identity = g_list_model_get_item (model, i);
      g_autofree char *reason = teken_sign_dialog_dup_unusable_reason (identity);
      g_autofree char *subtitle = describe_identity (identity);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *radio = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), teken_identity_get_label (identity));
      if (reason != NULL)
        {
          g_autofree char *both = g_strdup_printf ("%s — %s", reason, subtitle);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), both);
          gtk_widget_set_sensitive (row, FALSE);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (radio, GTK_ALIGN_CENTER);
      if (self->group == NULL)
        self->group = GTK_CHECK_BUTTON (radio);
      else
        gtk_check_button_set_group (GTK_CHECK_BUTTON (radio), self->group);
      g_object_set_data_full (G_OBJECT (radio), "identity", g_object_ref (identity), g_object_unref);
      g_object_set_data_full (G_OBJECT (row), "identity", g_object_ref (identity), g_object_unref);
      g_signal_connect (radio, "toggled", G_CALLBACK (radio_toggled_cb), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), radio);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), radio);
      gtk_list_box_append (self->identity_list, row);

      if (reason == NULL && first_usable == NULL)
        first_usable = GTK_CHECK_BUTTON (radio);
      if (reason == NULL && g_strcmp0 (selected_id, teken_identity_get_id (identity)) == 0)
        to_activate = GTK_CHECK_BUTTON (radio);
    }
  if (to_activate == NULL)
    to_activate = first_usable;
  if (to_activate != NULL)
    gtk_check_button_set_active (to_activate, TRUE);

  gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (model) > 0 ? "form" : "empty");
  update_actions (self);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TekenSignDialog) self = user_data;
  g_autofree char *message = NULL;

  if (self->identity_list == NULL)  /* closed meanwhile */
    return;

  if (!teken_identity_refresh_finish_for_display (TEKEN_IDENTITY_STORE (object), result, &message))
    return;
  self->ready = TRUE;
  populate (self);
  if (message != NULL)
    show_message (self, message);
}

static void
identities_changed_cb (TekenSignDialog *self)
{
  if (self->ready && !self->busy)
    populate (self);
}

/* Page size in points (as shown) of the input's page, for the default rectangle and the
 * top-left to bottom-left conversion. */
static gboolean
get_page_size (TekenSignDialog *self,
               guint           *page,
               double          *width,
               double          *height,
               GError         **error)
{
  g_autoptr(GObject) doc_obj = (GObject *) poppler_document_new_from_gfile (self->input, NULL, NULL, error);
  PopplerDocument *doc = (PopplerDocument *) doc_obj;
  g_autoptr(GObject) p_obj = NULL;
  PopplerPage *p;
  int n;

  if (doc == NULL)
    return FALSE;
  n = poppler_document_get_n_pages (doc);
  if (!self->has_rect)
    *page = n > 0 ? n - 1 : 0;
  else
    *page = self->page;
  p = poppler_document_get_page (doc, *page);
  p_obj = (GObject *) p;
  if (p == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("The document has no page %u"), *page + 1);
      return FALSE;
    }
  poppler_page_get_size (p, width, height);
  return TRUE;
}

/* A one-page PDF holding the stamp exactly as the appearance builds it for the signature. */
static GBytes *
build_stamp_pdf (TekenAppearance *appearance,
                 double           width,
                 double           height,
                 GError         **error)
{
  g_autoptr(GBytes) content = teken_appearance_build_content (appearance, width, height, error);
  GString *pdf;
  gsize offsets[5];

  if (content == NULL)
    return NULL;
  pdf = g_string_new ("%PDF-1.4\n");
  offsets[1] = pdf->len;
  g_string_append (pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  offsets[2] = pdf->len;
  g_string_append (pdf, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  offsets[3] = pdf->len;
  g_string_append_printf (pdf, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
                          "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                          "/Encoding /WinAnsiEncoding >> >> >> /Contents 4 0 R >>\nendobj\n",
                          width, height);
  offsets[4] = pdf->len;
  g_string_append_printf (pdf, "4 0 obj\n<< /Length %" G_GSIZE_FORMAT " >>\nstream\n",
                          g_bytes_get_size (content));
  g_string_append_len (pdf, g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  g_string_append (pdf, "\nendstream\nendobj\n");
  {
    gsize xref = pdf->len;

    g_string_append (pdf, "xref\n0 5\n0000000000 65535 f \n");
    for (guint i = 1; i < 5; i++)
      g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
    g_string_append_printf (pdf, "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n", xref);
  }
  return g_string_free_to_bytes (pdf);
}

static GdkTexture *
render_stamp (GBytes  *pdf,
              double   width,
              double   height,
              GError **error)
{
  g_autoptr(GObject) doc_obj = (GObject *) poppler_document_new_from_bytes (pdf, NULL, error);
  PopplerDocument *doc = (PopplerDocument *) doc_obj;
  g_autoptr(GObject) page_obj = NULL;
  PopplerPage *page;
  int w = (int) (width * PREVIEW_SCALE + 0.5);
  int h = (int) (height * PREVIEW_SCALE + 0.5);

  if (doc == NULL || (page = poppler_document_get_page (doc, 0)) == NULL)
    return NULL;
  page_obj = (GObject *) page;
  return teken_page_renderer_render_texture (page, PREVIEW_SCALE, w, h);
}

/* The stamp image and QR text from the preferences (teken-sign-options.h). */
static gboolean
apply_stamp_defaults (TekenSignDialog  *self,
                      TekenSigner      *signer,
                      TekenAppearance  *appearance,
                      GError          **error)
{
  g_autofree char *file = g_file_get_basename (self->input);

  return teken_sign_options_apply_stamp (self->settings, signer, appearance,
                                         teken_identity_get_label (self->identity), file,
                                         gtk_editable_get_text (GTK_EDITABLE (self->reason_row)),
                                         gtk_editable_get_text (GTK_EDITABLE (self->location_row)),
                                         error);
}

static void
update_preview (TekenSignDialog *self)
{
  g_autoptr(TekenAppearance) appearance = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  gboolean visible = gtk_switch_get_active (self->visible_switch);
  EmptyField *field = selected_field (self);
  double width = field ? field->width : self->has_rect ? self->rect[2] : STAMP_WIDTH;
  double height = field ? field->height : self->has_rect ? self->rect[3] : STAMP_HEIGHT;

  gtk_widget_set_visible (self->preview_group, visible && self->identity != NULL);
  g_clear_object (&self->preview_texture);
  if (!visible || self->identity == NULL)
    {
      gtk_picture_set_paintable (self->preview, NULL);
      return;
    }
  appearance = teken_appearance_new ();
  now = g_date_time_new_now_local ();
  teken_appearance_set_signer_name (appearance, teken_identity_get_label (self->identity));
  teken_appearance_set_time (appearance, now);
  teken_appearance_set_reason (appearance, gtk_editable_get_text (GTK_EDITABLE (self->reason_row)));
  teken_appearance_set_location (appearance, gtk_editable_get_text (GTK_EDITABLE (self->location_row)));
  teken_appearance_set_demo (appearance, teken_demo_identity_is_demo (self->identity));
  if (!apply_stamp_defaults (self, NULL, appearance, &error))
    {
      g_debug ("stamp defaults: %s", error->message);
      g_clear_error (&error);
    }
  pdf = build_stamp_pdf (appearance, width, height, &error);
  if (pdf != NULL)
    self->preview_texture = render_stamp (pdf, width, height, &error);
  if (self->preview_texture == NULL && error != NULL)
    g_debug ("stamp preview: %s", error->message);
  gtk_picture_set_paintable (self->preview, GDK_PAINTABLE (self->preview_texture));
  gtk_widget_set_size_request (GTK_WIDGET (self->preview), (int) width * 1.5, (int) height * 1.5);
}

static void
update_actions (TekenSignDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-dialog.sign",
                                 !self->busy && self->identity != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->identity_list), !self->busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->secret_row), !self->busy);
  gtk_widget_set_visible (self->progress_box, self->busy);
}

GFile *
teken_sign_dialog_get_output_for (GFile *input)
{
  g_autoptr(GFile) parent = g_file_get_parent (input);
  g_autofree char *base = g_file_get_basename (input);
  g_autofree char *stem = NULL;
  GFile *output = NULL;

  if (g_str_has_suffix (base, ".pdf") || g_str_has_suffix (base, ".PDF"))
    base[strlen (base) - 4] = '\0';
  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *name = NULL;

      g_free (stem);
      stem = n == 1 ? g_strdup (base) : g_strdup_printf ("%s (%u)", base, n);
      /* translators: the name of a signed copy; %s is the original name without ".pdf" */
      name = g_strdup_printf (_("%s-signed.pdf"), stem);
      g_clear_object (&output);
      output = g_file_get_child (parent, name);
      if (!g_file_query_exists (output, NULL))
        return output;
    }
  return output;  /* after 999 copies: the atomic writer refuses to overwrite */
}

static void
finish_busy (TekenSignDialog *self)
{
  self->busy = FALSE;
  g_clear_object (&self->cancellable);
  g_clear_object (&self->signer);
  g_clear_pointer (&self->secret, teken_secret_free);
  update_actions (self);
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  TekenSignDialog *self = user_data;

  if (self->progress_bar == NULL)  /* closed meanwhile */
    return;
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
}

static void
trust_demo_ca (TekenSignDialog *self)
{
  X509 *ca = teken_demo_identity_get_ca (self->identity);
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  if (ca == NULL)
    return;
  id = teken_trust_store_user_add (NULL, ca, &error);
  if (id == NULL)
    g_warning ("Could not trust the demo CA: %s", error->message);
}

static void
sign_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TekenSignDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) output = g_steal_pointer (&self->output);
  if (self->identity_list == NULL)  /* closed meanwhile */
    return;

  g_clear_pointer (&self->level_warning, g_free);
  if (!teken_sign_options_sign_finish (result, &self->reached, &self->level_warning, &error))
    {
      finish_busy (self);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, _("Signing was cancelled; nothing was written"));
      else
        show_message (self, error->message);
      return;
    }
  if (gtk_switch_get_active (self->trust_demo_switch) && gtk_widget_get_visible (self->trust_demo_row))
    trust_demo_ca (self);
  finish_busy (self);
  g_signal_emit (self, signals[SIGNED], 0, output);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
open_key_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TekenSignDialog) self = user_data;
  TekenIdentity *identity = TEKEN_IDENTITY (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenKey) key = teken_identity_open_key_finish (identity, result, &error);
  g_autofree char *in_path = g_file_get_path (self->input);
  g_autofree char *out_path = NULL;
  if (self->identity_list == NULL)  /* closed meanwhile */
    return;

  g_clear_pointer (&self->secret, teken_secret_free);
  if (key == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      gboolean cancelled = key != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      finish_busy (self);
      if (cancelled)
        {
          show_message (self, _("Signing was cancelled; nothing was written"));
          return;
        }
      gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
      gtk_widget_set_visible (self->secret_group, TRUE);
      update_secret_row (self);
      if (g_error_matches (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NEEDS_SECRET))
        show_message (self, NULL);
      else
        show_message (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->secret_row));
      return;
    }

  teken_signer_set_key (self->signer, key);
  g_clear_object (&self->output);
  self->output = teken_sign_dialog_get_output_for (self->input);
  out_path = g_file_get_path (self->output);
  gtk_label_set_text (self->progress_label, _("Signing…"));
  teken_sign_options_sign_async (self->signer, in_path, out_path,
                                 g_settings_get_boolean (self->settings, "timestamp-fallback"),
                                 self->cancellable, progress_cb, self, sign_cb, g_object_ref (self));
}

static gboolean
configure_signer (TekenSignDialog *self,
                  GError         **error)
{
  const char *reason = gtk_editable_get_text (GTK_EDITABLE (self->reason_row));
  const char *location = gtk_editable_get_text (GTK_EDITABLE (self->location_row));
  g_autofree char *in_path = g_file_get_path (self->input);
  g_autoptr(GFile) output = teken_sign_dialog_get_output_for (self->input);
  g_autofree char *out_path = g_file_get_path (output);

  self->signer = teken_signer_new (NULL);
  if (*reason)
    teken_signer_set_reason (self->signer, reason);
  if (*location)
    teken_signer_set_location (self->signer, location);
  if (selected_field (self) != NULL)
    /* the field's widget keeps its place and size */
    teken_signer_set_field_name (self->signer, selected_field (self)->name);
  else if (gtk_switch_get_active (self->visible_switch))
    {
      guint page = 0;
      double pw = 0, ph = 0;
      double x, y, w, h;

      if (!get_page_size (self, &page, &pw, &ph, error))
        return FALSE;
      w = self->has_rect ? self->rect[2] : STAMP_WIDTH;
      h = self->has_rect ? self->rect[3] : STAMP_HEIGHT;
      x = self->has_rect ? self->rect[0] : pw - w - STAMP_MARGIN;
      y = self->has_rect ? ph - self->rect[1] - h : STAMP_MARGIN;  /* PDF y grows upwards */
      teken_signer_set_visible (self->signer, page, x, y, w, h);
    }
  else
    teken_signer_set_invisible (self->signer);
  if ((selected_field (self) != NULL || gtk_switch_get_active (self->visible_switch)) &&
      !apply_stamp_defaults (self, self->signer, NULL, error))
    return FALSE;
  return teken_signer_check_input (self->signer, in_path, out_path, error);
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TekenSignDialog *self = TEKEN_SIGN_DIALOG (widget);
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  g_autoptr(GError) error = NULL;

  if (self->busy || self->identity == NULL)
    return;
  g_settings_set_string (self->settings, "sign-reason", gtk_editable_get_text (GTK_EDITABLE (self->reason_row)));
  g_settings_set_string (self->settings, "sign-location", gtk_editable_get_text (GTK_EDITABLE (self->location_row)));
  g_settings_set_boolean (self->settings, "sign-visible", gtk_switch_get_active (self->visible_switch));

  show_message (self, NULL);
  g_clear_object (&self->signer);
  if (!configure_signer (self, &error))
    {
      g_clear_object (&self->signer);
      show_message (self, error->message);
      return;
    }
  self->busy = TRUE;
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_label_set_text (self->progress_label,
                      teken_identity_get_kind (self->identity) == TEKEN_IDENTITY_KIND_TOKEN
                      ? _("Logging in to the token…") : _("Opening the key…"));
  update_actions (self);

  self->secret = gtk_widget_get_visible (self->secret_group) && *typed ? teken_secret_new (typed) : NULL;
  teken_identity_open_key_async (self->identity, self->secret, self->cancellable,
                                 open_key_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TekenSignDialog *self = TEKEN_SIGN_DIALOG (widget);

  if (self->busy)
    {
      gtk_label_set_text (self->progress_label, _("Cancelling…"));
      g_cancellable_cancel (self->cancellable);
    }
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
create_demo_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TekenSignDialog *self = TEKEN_SIGN_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenIdentity) identity = teken_demo_create_identity (self->store, NULL, &error);

  if (identity == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "form");
      show_message (self, error->message);
      return;
    }
  populate (self);
  teken_sign_dialog_select_identity (self, teken_identity_get_id (identity));
}

static void
place_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TekenSignDialog *self = TEKEN_SIGN_DIALOG (widget);

  if (!self->busy)
    g_signal_emit (self, signals[PLACE_REQUESTED], 0);
}

static void
field_selected_cb (TekenSignDialog *self)
{
  gboolean field = selected_field (self) != NULL;

  /* an empty field always gets the stamp, where the document puts it */
  if (field)
    gtk_switch_set_active (self->visible_switch, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->visible_switch), !field);
  gtk_widget_set_visible (GTK_WIDGET (self->position_row), !field);
  update_preview (self);
}

void
teken_sign_dialog_set_empty_fields (TekenSignDialog *self,
                                    GListModel      *signatures)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->fields, g_ptr_array_unref);
  self->fields = g_ptr_array_new_with_free_func (empty_field_free);
  gtk_string_list_append (names, _("None: place a new stamp"));
  for (guint i = 0; signatures != NULL && i < g_list_model_get_n_items (signatures); i++)
    {
      g_autoptr(TekenSignatureResult) sig = g_list_model_get_item (signatures, i);
      TekenPdfRect rect;
      EmptyField *field;
      g_autofree char *label = NULL;

      if (teken_signature_result_get_status (sig) != TEKEN_SIGNATURE_STATUS_UNSIGNED ||
          teken_signature_result_get_page_index (sig) < 0 || !teken_signature_result_get_rect (sig, &rect) ||
          rect.x2 - rect.x1 < 20 || rect.y2 - rect.y1 < 10)
        continue;
      field = g_new0 (EmptyField, 1);
      field->name = g_strdup (teken_signature_result_get_field_name (sig));
      field->page = teken_signature_result_get_page_index (sig);
      field->width = rect.x2 - rect.x1;
      field->height = rect.y2 - rect.y1;
      g_ptr_array_add (self->fields, field);
      /* translators: a signature field's name and its page number */
      label = g_strdup_printf (_("“%s” on page %u"), field->name, field->page + 1);
      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->field_row, G_LIST_MODEL (names));
  gtk_widget_set_visible (GTK_WIDGET (self->field_row), self->fields->len > 0);
  /* a document prepared with a field for the signature: use it */
  adw_combo_row_set_selected (self->field_row, self->fields->len > 0 ? 1 : 0);
  field_selected_cb (self);
}

gboolean
teken_sign_dialog_select_field (TekenSignDialog *self,
                                const char      *name)
{
  for (guint i = 0; self->fields != NULL && i < self->fields->len; i++)
    if (name != NULL && g_strcmp0 (((EmptyField *) self->fields->pdata[i])->name, name) == 0)
      {
        adw_combo_row_set_selected (self->field_row, i + 1);
        return TRUE;
      }
  adw_combo_row_set_selected (self->field_row, 0);
  return name == NULL;
}

static void
update_position_row (TekenSignDialog *self)
{
  g_autofree char *text = NULL;

  if (self->has_rect)
    /* translators: %u is a page number */
    text = g_strdup_printf (_("Drawn on page %u"), self->page + 1);
  else
    text = g_strdup (_("Lower right of the last page"));
  adw_action_row_set_subtitle (self->position_row, text);
}

static void
secret_activated_cb (TekenSignDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-dialog.sign", NULL);
}

static gboolean
close_request_cb (TekenSignDialog *self)
{
  /* closing while signing cancels; the atomic writer leaves nothing behind */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
teken_sign_dialog_dispose (GObject *object)
{
  TekenSignDialog *self = TEKEN_SIGN_DIALOG (object);

  if (self->refresh_cancellable != NULL)
    g_cancellable_cancel (self->refresh_cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), TEKEN_TYPE_SIGN_DIALOG);
  G_OBJECT_CLASS (teken_sign_dialog_parent_class)->dispose (object);
}

static void
teken_sign_dialog_finalize (GObject *object)
{
  TekenSignDialog *self = TEKEN_SIGN_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->input);
  g_clear_object (&self->settings);
  g_clear_object (&self->identity);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_clear_object (&self->signer);
  g_clear_object (&self->output);
  g_clear_object (&self->preview_texture);
  g_clear_pointer (&self->secret, teken_secret_free);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_free (self->level_warning);
  g_free (self->message);
  G_OBJECT_CLASS (teken_sign_dialog_parent_class)->finalize (object);
}

static void
teken_sign_dialog_class_init (TekenSignDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_sign_dialog_dispose;
  object_class->finalize = teken_sign_dialog_finalize;

  signals[SIGNED] = g_signal_new ("signed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  signals[PLACE_REQUESTED] = g_signal_new ("place-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-sign-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, sign_button);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, identity_list);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, visible_switch);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, position_row);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, field_row);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, location_row);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, trust_demo_row);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, trust_demo_switch);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, preview_group);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, preview);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, secret_group);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, TekenSignDialog, progress_bar);

  gtk_widget_class_install_action (widget_class, "sign-dialog.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "sign-dialog.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "sign-dialog.create-demo", NULL, create_demo_action);
  gtk_widget_class_install_action (widget_class, "sign-dialog.place", NULL, place_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "sign-dialog.cancel", NULL);
}

static void
teken_sign_dialog_init (TekenSignDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  gtk_switch_set_active (self->visible_switch, g_settings_get_boolean (self->settings, "sign-visible"));
  {
    g_autofree char *reason = g_settings_get_string (self->settings, "sign-reason");
    g_autofree char *location = g_settings_get_string (self->settings, "sign-location");

    gtk_editable_set_text (GTK_EDITABLE (self->reason_row), reason);
    gtk_editable_set_text (GTK_EDITABLE (self->location_row), location);
  }
  g_signal_connect_swapped (self->visible_switch, "notify::active", G_CALLBACK (update_preview), self);
  g_signal_connect_swapped (self->field_row, "notify::selected", G_CALLBACK (field_selected_cb), self);
  g_signal_connect_swapped (self->reason_row, "changed", G_CALLBACK (update_preview), self);
  g_signal_connect_swapped (self->location_row, "changed", G_CALLBACK (update_preview), self);
  g_signal_connect_swapped (self->secret_row, "entry-activated", G_CALLBACK (secret_activated_cb), self);
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  update_position_row (self);
  update_actions (self);
}

TekenSignDialog *
teken_sign_dialog_new (GtkWindow          *parent,
                       TekenIdentityStore *store,
                       GFile              *input)
{
  TekenSignDialog *self;
  g_autofree char *base = g_file_get_basename (input);

  g_return_val_if_fail (TEKEN_IS_IDENTITY_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (input), NULL);

  self = g_object_new (TEKEN_TYPE_SIGN_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->input = g_object_ref (input);
  adw_window_title_set_subtitle (self->window_title, base);
  g_signal_connect_swapped (store, "identities-changed", G_CALLBACK (identities_changed_cb), self);
  self->refresh_cancellable = g_cancellable_new ();
  teken_identity_store_refresh_async (store, self->refresh_cancellable, refresh_cb, g_object_ref (self));
  return self;
}

gboolean
teken_sign_dialog_get_ready (TekenSignDialog *self)
{
  return self->ready;
}

gboolean
teken_sign_dialog_select_identity (TekenSignDialog *self,
                                   const char      *id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->identity_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      TekenIdentity *identity = g_object_get_data (G_OBJECT (row), "identity");
      GtkWidget *radio;

      if (identity == NULL || g_strcmp0 (teken_identity_get_id (identity), id) != 0)
        continue;
      if (!gtk_widget_get_sensitive (row))
        return FALSE;
      radio = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (radio), TRUE);
      return self->identity == identity;
    }
  return FALSE;
}

TekenIdentity *
teken_sign_dialog_get_identity (TekenSignDialog *self)
{
  return self->identity;
}

void
teken_sign_dialog_set_visible_stamp (TekenSignDialog *self,
                                     gboolean         visible)
{
  gtk_switch_set_active (self->visible_switch, visible);
}

void
teken_sign_dialog_set_rect (TekenSignDialog *self,
                            guint            page,
                            double           x,
                            double           y,
                            double           width,
                            double           height)
{
  self->page = page;
  self->rect[0] = x;
  self->rect[1] = y;
  self->rect[2] = width;
  self->rect[3] = height;
  self->has_rect = TRUE;
  update_position_row (self);
  update_preview (self);
}

void
teken_sign_dialog_set_reason (TekenSignDialog *self,
                              const char      *reason)
{
  gtk_editable_set_text (GTK_EDITABLE (self->reason_row), reason ? reason : "");
}

void
teken_sign_dialog_set_location (TekenSignDialog *self,
                                const char      *location)
{
  gtk_editable_set_text (GTK_EDITABLE (self->location_row), location ? location : "");
}

void
teken_sign_dialog_set_secret (TekenSignDialog *self,
                              const char      *secret)
{
  gtk_widget_set_visible (self->secret_group, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), secret ? secret : "");
}

void
teken_sign_dialog_set_trust_demo (TekenSignDialog *self,
                                  gboolean         trust)
{
  gtk_switch_set_active (self->trust_demo_switch, trust);
}

gboolean
teken_sign_dialog_get_busy (TekenSignDialog *self)
{
  return self->busy;
}

const char *
teken_sign_dialog_get_message (TekenSignDialog *self)
{
  return self->message ? self->message : "";
}

gboolean
teken_sign_dialog_get_asks_secret (TekenSignDialog *self)
{
  return gtk_widget_get_visible (self->secret_group);
}

const char *
teken_sign_dialog_get_secret_prompt (TekenSignDialog *self)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->secret_row));
}

GdkTexture *
teken_sign_dialog_get_preview (TekenSignDialog *self)
{
  return self->preview_texture;
}

gboolean
teken_sign_dialog_get_rect (TekenSignDialog *self,
                            guint           *page,
                            double          *x,
                            double          *y,
                            double          *width,
                            double          *height)
{
  *page = self->page;
  *x = self->rect[0];
  *y = self->rect[1];
  *width = self->rect[2];
  *height = self->rect[3];
  return self->has_rect;
}

TekenPadesLevel
teken_sign_dialog_get_reached_level (TekenSignDialog *self)
{
  return self->reached;
}

const char *
teken_sign_dialog_get_level_warning (TekenSignDialog *self)
{
  return self->level_warning;
}
