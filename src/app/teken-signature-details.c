/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-application.h"
#include "teken-signature-details.h"
#include "teken-signature-util.h"
#include "teken-trust-store.h"

struct _TekenSignatureDetails
{
  AdwWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkBox *content;
  GtkImage *status_icon;
  GtkLabel *headline;
  GtkLabel *subheadline;

  TekenSignatureResult *signature;
  GFile *file;
  GHashTable *rows;              /* title -> AdwActionRow (first one), for tests */
  gboolean subject_expanded;
};

G_DEFINE_FINAL_TYPE (TekenSignatureDetails, teken_signature_details, ADW_TYPE_WINDOW)

static void
copy_clicked_cb (GtkButton             *button,
                 TekenSignatureDetails *self)
{
  const char *value = g_object_get_data (G_OBJECT (button), "value");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), value);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Copied to clipboard")));
}

static GtkWidget *
new_group (TekenSignatureDetails *self,
           const char            *title,
           const char            *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (self->content, group);
  return group;
}

static GtkWidget *
new_value_row (TekenSignatureDetails *self,
               const char            *title,
               const char            *value,
               gboolean               copyable)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value ? value : _("None"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  if (copyable && value != NULL)
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
      g_autofree char *label = NULL;

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Copy"));
      /* translators: accessible name of a copy button; %s is what is copied */
      label = g_strdup_printf (_("Copy %s"), title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data_full (G_OBJECT (button), "value", g_strdup (value), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (copy_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  if (!g_hash_table_contains (self->rows, title))
    g_hash_table_insert (self->rows, g_strdup (title), row);
  return row;
}

static void
add_value_row (TekenSignatureDetails *self,
               GtkWidget             *group,
               const char            *title,
               const char            *value,
               gboolean               copyable)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), new_value_row (self, title, value, copyable));
}

static GtkWidget *
add_icon_row (GtkWidget  *group,
              const char *icon_name,
              const char *style_class,
              const char *title,
              const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (style_class != NULL)
    gtk_widget_add_css_class (icon, style_class);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static void
add_name_expander (TekenSignatureDetails  *self,
                   GtkWidget              *group,
                   const char             *title,
                   const char             *summary,
                   const TekenCertNameRow *rows,
                   guint                   n_rows)
{
  GtkWidget *expander = adw_expander_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), summary);
  for (guint i = 0; i < n_rows; i++)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                              new_value_row (self, rows[i].label, rows[i].value, FALSE));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), expander);
  /* Who signed matters most: the subject is open from the start. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), self->subject_expanded == FALSE);
  self->subject_expanded = TRUE;
}

static const char *
status_severity_icon (TekenSignatureStatus severity)
{
  return teken_signature_status_get_icon_name (severity == TEKEN_SIGNATURE_STATUS_VALID
                                               ? TEKEN_SIGNATURE_STATUS_UNSIGNED : severity);
}

static void
build_reasons (TekenSignatureDetails *self)
{
  GArray *reasons = teken_signature_result_get_reasons (self->signature);
  GtkWidget *group;

  if (reasons == NULL || reasons->len == 0)
    return;
  group = new_group (self, _("Findings"), NULL);
  for (guint i = 0; i < reasons->len; i++)
    {
      TekenSignatureReason reason = g_array_index (reasons, guint, i);
      TekenSignatureStatus severity = teken_signature_reason_get_severity (reason);

      add_icon_row (group, severity == TEKEN_SIGNATURE_STATUS_VALID ? "dialog-information-symbolic"
                                                                    : status_severity_icon (severity),
                    severity == TEKEN_SIGNATURE_STATUS_VALID ? "dim-label"
                                                             : teken_signature_status_get_style_class (severity),
                    teken_signature_reason_get_message (reason), NULL);
    }
}

static void
view_signed_version_cb (GtkButton             *button,
                        TekenSignatureDetails *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app == NULL)
    app = GTK_APPLICATION (g_application_get_default ());
  teken_application_open_revision (TEKEN_APPLICATION (app), self->file,
                                   teken_signature_result_get_signed_length (self->signature),
                                   teken_signature_result_get_signer_name (self->signature));
}

static void
build_signature_group (TekenSignatureDetails *self)
{
  TekenSignatureResult *sig = self->signature;
  GtkWidget *group = new_group (self, _("Signature"), NULL);
  g_autofree char *time = NULL;
  g_autofree char *place = NULL;
  g_autofree char *format = NULL;
  const char *time_note;
  int page = teken_signature_result_get_page_index (sig);

  time = teken_format_date_time (teken_signature_result_get_signing_time (sig));
  switch (teken_signature_result_get_time_source (sig))
    {
    case TEKEN_TIME_SOURCE_TIMESTAMP:
      time_note = _("Confirmed by a timestamp authority");
      break;
    case TEKEN_TIME_SOURCE_CLAIMED:
      time_note = _("Claimed by the signer’s computer");
      break;
    case TEKEN_TIME_SOURCE_NONE:
    default:
      time_note = NULL;
      break;
    }
  if (time_note != NULL)
    {
      g_autofree char *value = g_strdup_printf ("%s\n%s", time, time_note);

      add_value_row (self, group, _("Signing time"), value, FALSE);
    }
  else
    add_value_row (self, group, _("Signing time"), _("Unknown"), FALSE);

  if (teken_signature_result_get_reason (sig) != NULL)
    add_value_row (self, group, _("Reason"), teken_signature_result_get_reason (sig), FALSE);
  if (teken_signature_result_get_location (sig) != NULL)
    add_value_row (self, group, _("Location"), teken_signature_result_get_location (sig), FALSE);

  if (page >= 0)
    /* translators: the signature field's name and its page */
    place = g_strdup_printf (_("“%s” on page %d"), teken_signature_result_get_field_name (sig), page + 1);
  else
    place = g_strdup_printf (_("“%s” (invisible)"), teken_signature_result_get_field_name (sig));
  add_value_row (self, group, _("Field"), place, FALSE);

  format = g_strdup_printf ("%s · %s · %s",
                            teken_signature_result_get_format (sig) ? teken_signature_result_get_format (sig) : "?",
                            teken_signature_result_get_digest_algorithm (sig) ? teken_signature_result_get_digest_algorithm (sig) : "?",
                            teken_signature_result_get_signature_algorithm (sig) ? teken_signature_result_get_signature_algorithm (sig) : "?");
  add_value_row (self, group, _("Format"), format, FALSE);
  add_value_row (self, group, _("Signed content"),
                 teken_signature_result_get_integrity (sig) ? _("Intact: the signed bytes are unchanged")
                                                            : _("Changed or not verifiable"), FALSE);
}

static void
build_changes_group (TekenSignatureDetails *self)
{
  TekenSignatureResult *sig = self->signature;
  GPtrArray *changes = teken_signature_result_get_changes (sig);
  GtkWidget *group = new_group (self, _("Changes After Signing"), NULL);
  const char *summary;

  switch (teken_signature_result_get_modified_after (sig))
    {
    case TEKEN_MODIFICATION_NONE:
      summary = teken_signature_result_get_covers_whole_document (sig)
                ? _("None: the signature covers the whole document")
                : _("None found");
      break;
    case TEKEN_MODIFICATION_ALLOWED:
      summary = _("Only permitted changes, such as further signatures");
      break;
    case TEKEN_MODIFICATION_DISALLOWED:
    default:
      summary = _("The document was changed in ways a signed document must not be");
      break;
    }
  add_value_row (self, group, _("Changes"), summary, FALSE);

  if (changes != NULL && changes->len > 0)
    {
      GtkWidget *expander = adw_expander_row_new ();
      g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u changed object", "%u changed objects", changes->len), changes->len);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _("What changed"));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), count);
      for (guint i = 0; i < changes->len && i < 200; i++)
        {
          TekenChange *change = g_ptr_array_index (changes, i);
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *icon = gtk_image_new_from_icon_name (change->allowed ? "emblem-ok-symbolic" : "dialog-error-symbolic");
          g_autofree char *title = NULL;

          /* translators: a changed PDF object: its role and object number */
          title = g_strdup_printf (_("%s (object %u)"), teken_change_role_get_label (change->role), change->object_number);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          if (change->detail != NULL)
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), change->detail);
          gtk_widget_add_css_class (icon, change->allowed ? "success" : "error");
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), expander);
    }

  if (self->file != NULL && teken_signature_result_get_signed_length (sig) > 0)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_View Signed Version"));

      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Open the document as it was when this signature was made"));
      g_signal_connect (button, "clicked", G_CALLBACK (view_signed_version_cb), self);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), button);
    }
}

static TekenCertInfo *
get_top_certificate (TekenSignatureResult *sig)
{
  GPtrArray *chain = teken_signature_result_get_chain (sig);

  if (chain != NULL && chain->len > 0)
    return g_ptr_array_index (chain, chain->len - 1);
  return teken_signature_result_get_signer (sig);
}

static void
trust_responded_cb (AdwMessageDialog      *dialog,
                    const char            *response,
                    TekenSignatureDetails *self)
{
  TekenCertInfo *top = get_top_certificate (self->signature);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GtkWindow *parent;

  if (g_strcmp0 (response, "trust") != 0 || top == NULL)
    return;
  id = teken_trust_store_user_add (NULL, teken_cert_info_get_x509 (top), &error);
  if (id == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Certificate trusted. Checking the signatures again…")));
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.reverify", NULL);
}

static void
trust_clicked_cb (GtkButton             *button,
                  TekenSignatureDetails *self)
{
  TekenCertInfo *top = get_top_certificate (self->signature);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (top == NULL)
    return;
  body = g_strdup_printf (
    /* translators: %s: a certificate name, then its SHA-256 fingerprint */
    _("Signatures from certificates issued under “%s” will be reported as valid on this computer, "
      "as if it were an official certification authority such as BSrE.\n\n"
      "Only continue if you have confirmed with its owner, by a channel you trust, "
      "that the SHA-256 fingerprint is:\n%s"),
    teken_cert_info_get_common_name (top), teken_cert_info_get_fingerprint_sha256 (top));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Trust This Certificate?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "trust", _("_Trust Certificate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "trust", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (trust_responded_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
join_strv (const char * const *strv)
{
  if (strv == NULL || strv[0] == NULL)
    return NULL;
  return g_strjoinv (", ", (char **) strv);
}

static void
build_certificate_group (TekenSignatureDetails *self)
{
  TekenCertInfo *cert = teken_signature_result_get_signer (self->signature);
  const TekenCertNameRow *rows;
  guint n_rows = 0;
  GtkWidget *group;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *usages = NULL;
  g_autofree char *ext_usages = NULL;

  if (cert == NULL)
    return;
  group = new_group (self, _("Signer Certificate"), NULL);
  if (!teken_signature_result_get_chain_trusted (self->signature))
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Trust…"));

      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Trust this certificate on this computer"));
      g_signal_connect (button, "clicked", G_CALLBACK (trust_clicked_cb), self);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), button);
    }

  add_value_row (self, group, _("Kind"), teken_certificate_kind_get_label (teken_cert_info_get_kind (cert)), FALSE);
  rows = teken_cert_info_get_subject_rows (cert, &n_rows);
  add_name_expander (self, group, _("Subject"), teken_cert_info_get_common_name (cert), rows, n_rows);
  rows = teken_cert_info_get_issuer_rows (cert, &n_rows);
  add_name_expander (self, group, _("Issuer"), teken_cert_info_get_issuer_common_name (cert), rows, n_rows);
  add_value_row (self, group, _("Serial number"), teken_cert_info_get_serial (cert), TRUE);
  from = teken_format_date_time (teken_cert_info_get_not_before (cert));
  until = teken_format_date_time (teken_cert_info_get_not_after (cert));
  add_value_row (self, group, _("Valid from"), from, FALSE);
  add_value_row (self, group, _("Valid until"), until, FALSE);
  usages = join_strv (teken_cert_info_get_key_usages (cert));
  add_value_row (self, group, _("Key usage"), usages, FALSE);
  ext_usages = join_strv (teken_cert_info_get_extended_key_usages (cert));
  if (ext_usages != NULL)
    add_value_row (self, group, _("Extended key usage"), ext_usages, FALSE);
  add_value_row (self, group, _("Public key"), teken_cert_info_get_public_key_description (cert), FALSE);
  add_value_row (self, group, _("SHA-256 fingerprint"), teken_cert_info_get_fingerprint_sha256 (cert), TRUE);
  add_value_row (self, group, _("SHA-1 fingerprint"), teken_cert_info_get_fingerprint_sha1 (cert), TRUE);
}

static void
build_chain_group (TekenSignatureDetails *self)
{
  GPtrArray *chain = teken_signature_result_get_chain (self->signature);
  gboolean trusted = teken_signature_result_get_chain_trusted (self->signature);
  GtkWidget *group;

  if (chain == NULL || chain->len == 0)
    return;
  group = new_group (self, _("Certification Path"),
                     trusted ? _("The path ends at a certificate this computer trusts.")
                             : _("The path does not end at a certificate this computer trusts."));
  for (guint i = 0; i < chain->len; i++)
    {
      TekenCertInfo *info = g_ptr_array_index (chain, i);
      gboolean anchor = trusted && i == chain->len - 1;
      g_autofree char *until = teken_format_date (teken_cert_info_get_not_after (info));
      g_autofree char *subtitle = NULL;

      /* translators: issuer name and expiry date of a certificate in the path */
      subtitle = g_strdup_printf (_("Issued by %s · valid until %s"),
                                  teken_cert_info_get_issuer_common_name (info), until);
      add_icon_row (group,
                    anchor ? "channel-secure-symbolic" : (i == 0 ? "avatar-default-symbolic" : "application-certificate-symbolic"),
                    anchor ? "success" : NULL,
                    teken_cert_info_get_common_name (info), subtitle);
    }
}

static void
build_validation_group (TekenSignatureDetails *self)
{
  TekenSignatureResult *sig = self->signature;
  GtkWidget *group = new_group (self, _("Long-Term Validation"), NULL);
  const char *revocation;

  if (teken_signature_result_has_timestamp (sig))
    {
      g_autofree char *when = teken_format_date_time (teken_signature_result_get_timestamp_time (sig));
      g_autofree char *value = g_strdup_printf ("%s\n%s", when,
                                                teken_signature_result_get_timestamp_authority (sig)
                                                ? teken_signature_result_get_timestamp_authority (sig) : "");

      add_value_row (self, group, _("Timestamp"), value, FALSE);
    }
  else
    add_value_row (self, group, _("Timestamp"), _("None: the signing time is the signer’s own claim"), FALSE);

  switch (teken_signature_result_get_revocation_status (sig))
    {
    case TEKEN_REVOCATION_STATUS_GOOD:
      revocation = _("Not revoked");
      break;
    case TEKEN_REVOCATION_STATUS_REVOKED:
      revocation = _("Revoked");
      break;
    case TEKEN_REVOCATION_STATUS_UNKNOWN:
      revocation = _("Checked, but no answer was available");
      break;
    case TEKEN_REVOCATION_STATUS_NOT_CHECKED:
    default:
      revocation = _("Not checked");
      break;
    }
  add_value_row (self, group, _("Revocation"), revocation, FALSE);
}

static void
build (TekenSignatureDetails *self)
{
  TekenSignatureResult *sig = self->signature;
  TekenSignatureStatus status = teken_signature_result_get_status (sig);
  const char *signer = teken_signature_result_get_signer_name (sig);

  gtk_image_set_from_icon_name (self->status_icon, teken_signature_status_get_icon_name (status));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), teken_signature_status_get_style_class (status));
  gtk_label_set_text (self->headline, teken_signature_result_get_summary_text (sig));
  if (status == TEKEN_SIGNATURE_STATUS_UNSIGNED)
    gtk_label_set_text (self->subheadline, teken_signature_result_get_field_name (sig));
  else
    {
      /* translators: %s is the signer's name */
      g_autofree char *by = g_strdup_printf (_("Signed by %s"), signer ? signer : _("an unknown signer"));

      gtk_label_set_text (self->subheadline, by);
    }

  build_reasons (self);
  if (status == TEKEN_SIGNATURE_STATUS_UNSIGNED)
    return;
  build_signature_group (self);
  build_changes_group (self);
  build_certificate_group (self);
  build_chain_group (self);
  build_validation_group (self);
}

static void
teken_signature_details_dispose (GObject *object)
{
  TekenSignatureDetails *self = TEKEN_SIGNATURE_DETAILS (object);

  g_clear_object (&self->signature);
  g_clear_object (&self->file);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), TEKEN_TYPE_SIGNATURE_DETAILS);

  G_OBJECT_CLASS (teken_signature_details_parent_class)->dispose (object);
}

static void
teken_signature_details_class_init (TekenSignatureDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_signature_details_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-signature-details.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureDetails, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureDetails, content);
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureDetails, status_icon);
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureDetails, headline);
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureDetails, subheadline);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
teken_signature_details_init (TekenSignatureDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

GtkWindow *
teken_signature_details_new (GtkWindow            *parent,
                             TekenSignatureResult *signature,
                             GFile                *file)
{
  TekenSignatureDetails *self;

  g_return_val_if_fail (TEKEN_IS_SIGNATURE_RESULT (signature), NULL);

  self = g_object_new (TEKEN_TYPE_SIGNATURE_DETAILS,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->signature = g_object_ref (signature);
  self->file = file ? g_object_ref (file) : NULL;
  build (self);
  return GTK_WINDOW (self);
}

const char *
teken_signature_details_get_row_value (TekenSignatureDetails *self,
                                       const char            *title)
{
  GtkWidget *row;

  g_return_val_if_fail (TEKEN_IS_SIGNATURE_DETAILS (self), NULL);

  row = g_hash_table_lookup (self->rows, title);
  return row ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;
}

const char *
teken_signature_details_get_headline (TekenSignatureDetails *self)
{
  g_return_val_if_fail (TEKEN_IS_SIGNATURE_DETAILS (self), NULL);

  return gtk_label_get_text (self->headline);
}

void
teken_signature_details_scroll_to_row (TekenSignatureDetails *self,
                                       const char            *title)
{
  GtkWidget *row;
  GtkWidget *scrolled;
  graphene_point_t point;

  g_return_if_fail (TEKEN_IS_SIGNATURE_DETAILS (self));

  row = g_hash_table_lookup (self->rows, title);
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self->content), GTK_TYPE_SCROLLED_WINDOW);
  if (row == NULL || scrolled == NULL ||
      !gtk_widget_compute_point (row, GTK_WIDGET (self->content), &GRAPHENE_POINT_INIT (0, 0), &point))
    return;
  /* Leave room for the group title above the row. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)), point.y - 48);
}

gboolean
teken_signature_details_ask_trust (TekenSignatureDetails *self)
{
  g_return_val_if_fail (TEKEN_IS_SIGNATURE_DETAILS (self), FALSE);

  if (teken_signature_result_get_chain_trusted (self->signature) ||
      teken_signature_result_get_signer (self->signature) == NULL)
    return FALSE;
  trust_clicked_cb (NULL, self);
  return TRUE;
}
