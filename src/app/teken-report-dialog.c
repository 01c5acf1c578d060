/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-application.h"
#include "teken-report-dialog.h"
#include "teken-report-letter.h"
#include "teken-reports.h"
#include "teken-reports-window.h"

/* One field of the form: its row and the validation message under it. */
typedef struct
{
  const TekenReportField *field;
  GtkWidget *row;                /* AdwEntryRow or AdwComboRow */
  AdwActionRow *error_row;
  gboolean touched;
} FieldRow;

struct _TekenReportDialog
{
  AdwWindow parent_instance;

  AdwComboRow *kind_row;
  AdwComboRow *identity_row;
  AdwPasswordEntryRow *secret_row;
  AdwActionRow *signing_row;
  GtkImage *signing_icon;
  GtkBox *fields_box;
  AdwPreferencesGroup *attachments_group;
  AdwComboRow *role_row;
  AdwActionRow *attachments_error_row;
  AdwToastOverlay *toast_overlay;
  GtkSpinner *spinner;
  GtkScrolledWindow *scrolled;

  GtkApplication *app;
  TekenReportKind kind;
  GHashTable *values;            /* field id -> value, kept across kind changes */
  GPtrArray *field_rows;         /* FieldRow */
  GPtrArray *groups;             /* the AdwPreferencesGroups in fields_box */
  GListStore *attachments;       /* TekenReportAttachment */
  GPtrArray *attachment_rows;
  GPtrArray *identities;         /* TekenIdentity, index + 1 in identity_row */
  GPtrArray *extra_identities;   /* given by the caller, e.g. a .p12 file */
  char *wanted_identity;
  GCancellable *cancellable;
  gboolean filling;              /* values set by the program, not typed */
  gboolean show_all_problems;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (TekenReportDialog, teken_report_dialog, ADW_TYPE_WINDOW)

static const TekenReportKind kinds[] = {
  TEKEN_REPORT_KIND_RENEWAL, TEKEN_REPORT_KIND_LOSS, TEKEN_REPORT_KIND_REVOCATION,
  TEKEN_REPORT_KIND_NEW, TEKEN_REPORT_KIND_INCIDENT,
};

/* The owner's details the app remembers (GSettings key "report-" + the field id with dashes). */
static const char * const remembered_fields[] = {
  "owner_name", "owner_nip", "owner_position", "owner_unit", "owner_email", "owner_phone",
  "superior_name", "superior_nip", "superior_position", NULL,
};

static void field_row_free (FieldRow *row) { g_free (row); }

static GSettings *
get_settings (TekenReportDialog *self)
{
  if (TEKEN_IS_APPLICATION (self->app))
    return g_object_ref (teken_application_get_settings (TEKEN_APPLICATION (self->app)));
  return g_settings_new (APP_ID);
}

static char *
settings_key (const char *field_id)
{
  return g_strdelimit (g_strconcat ("report-", field_id, NULL), "_", '-');
}

static FieldRow *
find_field_row (TekenReportDialog *self,
                const char        *id)
{
  for (guint i = 0; i < self->field_rows->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->field_rows, i);
      if (g_str_equal (row->field->id, id))
        return row;
    }
  return NULL;
}

static TekenIdentity *
selected_identity (TekenReportDialog *self)
{
  guint i = adw_combo_row_get_selected (self->identity_row);

  if (i == GTK_INVALID_LIST_POSITION || i == 0 || i > self->identities->len)
    return NULL;
  return g_ptr_array_index (self->identities, i - 1);
}

static gboolean
identity_valid_now (TekenIdentity *identity)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_compare (teken_identity_get_not_before (identity), now) <= 0 &&
         g_date_time_compare (now, teken_identity_get_not_after (identity)) < 0;
}

/* Electronic signature when a valid identity is chosen and the kind's letter takes one. */
static gboolean
will_sign (TekenReportDialog *self)
{
  TekenIdentity *identity = selected_identity (self);

  return identity != NULL && identity_valid_now (identity) &&
         teken_report_letter_preferred_layout (self->kind) == TEKEN_REPORT_LETTER_ELECTRONIC;
}

/* A report of the chosen kind holding what the form holds. */
static TekenReport *
build_report (TekenReportDialog *self)
{
  TekenReport *report = teken_report_new (self->kind);
  guint n_fields;
  const TekenReportField *fields = teken_report_get_fields (&n_fields);

  for (guint i = 0; i < n_fields; i++)
    {
      const char *value = g_hash_table_lookup (self->values, fields[i].id);

      if (value != NULL && *value != '\0' && teken_report_field_applies (&fields[i], self->kind))
        teken_report_set_field (report, fields[i].id, value, NULL);
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->attachments)); i++)
    {
      g_autoptr(TekenReportAttachment) attachment = g_list_model_get_item (G_LIST_MODEL (self->attachments), i);
      teken_report_add_attachment (report, attachment, NULL);
    }
  return report;
}

/* Shows each problem under its field (only for fields already edited, until a send was tried). */
static guint
update_problems (TekenReportDialog *self)
{
  g_autoptr(TekenReport) report = build_report (self);
  g_autoptr(GPtrArray) problems = teken_report_validate (report);
  g_autoptr(GHashTable) by_field = g_hash_table_new (g_str_hash, g_str_equal);
  const char *attachments_problem;

  for (guint i = 0; i < problems->len; i++)
    {
      TekenReportProblem *problem = g_ptr_array_index (problems, i);
      if (!g_hash_table_contains (by_field, problem->field))
        g_hash_table_insert (by_field, problem->field, problem->message);
    }
  for (guint i = 0; i < self->field_rows->len; i++)
    {
      FieldRow *row = g_ptr_array_index (self->field_rows, i);
      const char *message = g_hash_table_lookup (by_field, row->field->id);
      gboolean show = message != NULL && (row->touched || self->show_all_problems);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->error_row), show ? message : "");
      gtk_widget_set_visible (GTK_WIDGET (row->error_row), show);
      if (show)
        gtk_widget_add_css_class (row->row, "error");
      else
        gtk_widget_remove_css_class (row->row, "error");
    }
  attachments_problem = g_hash_table_lookup (by_field, "attachments");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->attachments_error_row),
                                 attachments_problem != NULL ? attachments_problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_error_row),
                          attachments_problem != NULL && self->show_all_problems);
  return problems->len;
}

static void
update_signing (TekenReportDialog *self)
{
  TekenIdentity *identity = selected_identity (self);
  gboolean sign = will_sign (self);
  TekenIdentitySecretKind secret = identity != NULL ? teken_identity_get_secret_kind (identity)
                                                    : TEKEN_IDENTITY_SECRET_NONE;
  g_autofree char *text = NULL;

  if (sign)
    /* translators: %s is the certificate's name */
    text = g_strdup_printf (_("The letter is signed electronically with “%s”."), teken_identity_get_label (identity));
  else if (self->kind == TEKEN_REPORT_KIND_LOSS || self->kind == TEKEN_REPORT_KIND_NEW)
    text = g_strdup (_("The letter is laid out for handwritten signatures: print it, sign it, have your superior "
                       "countersign it, and hand it in."));
  else if (identity != NULL && !identity_valid_now (identity))
    text = g_strdup (_("The certificate is not valid today, so the letter is laid out for a handwritten signature: "
                       "print it, sign it and hand it in."));
  else
    text = g_strdup (_("No certificate chosen: the letter is laid out for a handwritten signature. Print it, sign it "
                       "and hand it in."));
  adw_action_row_set_subtitle (self->signing_row, text);
  gtk_image_set_from_icon_name (self->signing_icon, sign ? "channel-secure-symbolic" : "document-edit-symbolic");
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row),
                          sign && (secret == TEKEN_IDENTITY_SECRET_PASSPHRASE || secret == TEKEN_IDENTITY_SECRET_PIN));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row),
                                 secret == TEKEN_IDENTITY_SECRET_PIN ? _("Token PIN") : _("Passphrase"));
}

static void
set_value (TekenReportDialog *self,
           const char        *id,
           const char        *value)
{
  if (value == NULL || *value == '\0')
    g_hash_table_remove (self->values, id);
  else
    g_hash_table_insert (self->values, g_strdup (id), g_strdup (value));
}

static void
entry_changed_cb (GtkEditable       *editable,
                  TekenReportDialog *self)
{
  FieldRow *row = g_object_get_data (G_OBJECT (editable), "field-row");

  set_value (self, row->field->id, gtk_editable_get_text (editable));
  if (!self->filling)
    row->touched = TRUE;
  update_problems (self);
}

static void
choice_changed_cb (AdwComboRow       *combo,
                   GParamSpec        *pspec,
                   TekenReportDialog *self)
{
  FieldRow *row = g_object_get_data (G_OBJECT (combo), "field-row");
  guint i = adw_combo_row_get_selected (combo);

  /* Item 0 is "not chosen". */
  set_value (self, row->field->id, i == 0 || i == GTK_INVALID_LIST_POSITION ? NULL : row->field->choices[i - 1]);
  if (!self->filling)
    row->touched = TRUE;
  update_problems (self);
}

static GtkWidget *
make_choice_row (const TekenReportField *field,
                 const char             *value)
{
  GtkStringList *labels = gtk_string_list_new (NULL);
  GtkWidget *row = adw_combo_row_new ();
  guint selected = 0;

  gtk_string_list_append (labels, _("Not chosen"));
  for (guint i = 0; field->choices[i] != NULL; i++)
    {
      gtk_string_list_append (labels, teken_report_choice_get_label (field->choices[i]));
      if (g_strcmp0 (value, field->choices[i]) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_object_unref (labels);
  return row;
}

static GtkWidget *
make_entry_row (const TekenReportField *field,
                const char             *value)
{
  GtkWidget *row = adw_entry_row_new ();

  switch (field->type)
    {
    case TEKEN_REPORT_FIELD_NIP:
    case TEKEN_REPORT_FIELD_DATE:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
      break;
    case TEKEN_REPORT_FIELD_EMAIL:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_EMAIL);
      break;
    case TEKEN_REPORT_FIELD_PHONE:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_PHONE);
      break;
    case TEKEN_REPORT_FIELD_TEXT:
    case TEKEN_REPORT_FIELD_MULTILINE:
    case TEKEN_REPORT_FIELD_CHOICE:
    default:
      break;
    }
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
  return row;
}

static char *
field_title (const TekenReportField *field,
             TekenReportKind         kind)
{
  const char *label = teken_report_field_get_label (field);

  if (field->type == TEKEN_REPORT_FIELD_DATE)
    /* translators: %s is a field label; the date is typed as 2026-11-24 */
    return g_strdup_printf (_("%s (YYYY-MM-DD)"), label);
  if (teken_report_field_is_required (field, kind))
    /* translators: %s is a field label; the star marks a required field */
    return g_strdup_printf (_("%s *"), label);
  return g_strdup (label);
}

/* Which group of the form a field goes in. */
static const char *
field_group_title (const char *id)
{
  if (g_str_has_prefix (id, "owner_"))
    return _("Certificate Owner");
  if (g_str_has_prefix (id, "cert") )
    return _("Certificate");
  if (g_str_has_prefix (id, "superior_"))
    return _("Superior (Atasan Langsung)");
  if (g_str_has_prefix (id, "letter_"))
    return _("Letter");
  return _("Details");
}

static void
build_fields (TekenReportDialog *self)
{
  guint n_fields;
  const TekenReportField *fields = teken_report_get_fields (&n_fields);
  AdwPreferencesGroup *group = NULL;
  const char *group_title = NULL;

  for (guint i = 0; i < self->groups->len; i++)
    gtk_box_remove (self->fields_box, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  g_ptr_array_set_size (self->field_rows, 0);

  self->filling = TRUE;
  for (guint i = 0; i < n_fields; i++)
    {
      const TekenReportField *field = &fields[i];
      const char *value = g_hash_table_lookup (self->values, field->id);
      g_autofree char *title = NULL;
      FieldRow *row;
      GtkWidget *image;

      if (!teken_report_field_applies (field, self->kind))
        continue;
      if (group == NULL || g_strcmp0 (group_title, field_group_title (field->id)) != 0)
        {
          group_title = field_group_title (field->id);
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, group_title);
          gtk_box_append (self->fields_box, GTK_WIDGET (group));
          g_ptr_array_add (self->groups, group);
        }
      row = g_new0 (FieldRow, 1);
      row->field = field;
      row->row = field->type == TEKEN_REPORT_FIELD_CHOICE ? make_choice_row (field, value)
                                                          : make_entry_row (field, value);
      title = field_title (field, self->kind);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), title);
      g_object_set_data (G_OBJECT (row->row), "field-row", row);
      if (field->type == TEKEN_REPORT_FIELD_CHOICE)
        g_signal_connect (row->row, "notify::selected", G_CALLBACK (choice_changed_cb), self);
      else
        g_signal_connect (row->row, "changed", G_CALLBACK (entry_changed_cb), self);

      row->error_row = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->error_row), FALSE);
      adw_action_row_set_title_lines (row->error_row, 0);
      image = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      adw_action_row_add_prefix (row->error_row, image);
      gtk_widget_add_css_class (GTK_WIDGET (row->error_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (row->error_row), "teken-field-error");
      gtk_widget_set_visible (GTK_WIDGET (row->error_row), FALSE);

      adw_preferences_group_add (group, row->row);
      adw_preferences_group_add (group, GTK_WIDGET (row->error_row));
      g_ptr_array_add (self->field_rows, row);
    }
  self->filling = FALSE;
  update_problems (self);
}

static void
set_kind (TekenReportDialog *self,
          TekenReportKind    kind)
{
  self->kind = kind;
  /* translators: the title of the report form, %s is e.g. "Certificate renewal request" */
  gtk_window_set_title (GTK_WINDOW (self), teken_report_kind_get_label (kind));
  build_fields (self);
  update_signing (self);
}

static void
kind_changed_cb (AdwComboRow       *combo,
                 GParamSpec        *pspec,
                 TekenReportDialog *self)
{
  guint i = adw_combo_row_get_selected (combo);

  if (i < G_N_ELEMENTS (kinds) && kinds[i] != self->kind)
    set_kind (self, kinds[i]);
}

/* Puts a value into the form (and its row, when the kind shows that field). */
static void
fill_value (TekenReportDialog *self,
            const char        *id,
            const char        *value)
{
  FieldRow *row = find_field_row (self, id);

  set_value (self, id, value);
  if (row == NULL)
    return;
  self->filling = TRUE;
  if (ADW_IS_COMBO_ROW (row->row))
    {
      guint selected = 0;
      for (guint i = 0; row->field->choices[i] != NULL; i++)
        if (g_strcmp0 (value, row->field->choices[i]) == 0)
          selected = i + 1;
      adw_combo_row_set_selected (ADW_COMBO_ROW (row->row), selected);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (row->row), value != NULL ? value : "");
  self->filling = FALSE;
}

static void
prefill_from_identity (TekenReportDialog *self,
                       TekenIdentity     *identity)
{
  g_autoptr(TekenReport) report = teken_report_new (self->kind);
  static const char * const cert_fields[] = {
    "cert_serial", "cert_subject", "cert_issuer", "cert_fingerprint", "cert_expiry", NULL,
  };

  teken_report_prefill_from_certificate (report, teken_identity_get_certificate (identity));
  for (guint i = 0; cert_fields[i] != NULL; i++)
    fill_value (self, cert_fields[i], teken_report_get_field (report, cert_fields[i]));
  /* The owner's own typing wins over the certificate. */
  if (g_hash_table_lookup (self->values, "owner_name") == NULL)
    fill_value (self, "owner_name", teken_report_get_field (report, "owner_name"));
  if (g_hash_table_lookup (self->values, "owner_email") == NULL)
    fill_value (self, "owner_email", teken_report_get_field (report, "owner_email"));
  update_problems (self);
}

static void
identity_changed_cb (AdwComboRow       *combo,
                     GParamSpec        *pspec,
                     TekenReportDialog *self)
{
  TekenIdentity *identity = selected_identity (self);

  if (identity != NULL)
    prefill_from_identity (self, identity);
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  update_signing (self);
}

static void
fill_identities (TekenReportDialog *self,
                 GListModel        *model)
{
  GtkStringList *labels = gtk_string_list_new (NULL);
  guint selected = 0;
  guint n_model = model != NULL ? g_list_model_get_n_items (model) : 0;
  TekenIdentity *current = selected_identity (self);
  g_autofree char *keep = g_strdup (current != NULL ? teken_identity_get_id (current) : self->wanted_identity);

  g_ptr_array_set_size (self->identities, 0);
  gtk_string_list_append (labels, _("None (type the certificate’s data)"));
  for (guint i = 0; i < n_model + self->extra_identities->len; i++)
    {
      g_autoptr(TekenIdentity) identity = i < n_model ? g_list_model_get_item (model, i)
                                                      : g_object_ref (g_ptr_array_index (self->extra_identities, i - n_model));
      g_autofree char *expiry = g_date_time_format (teken_identity_get_not_after (identity), "%Y-%m-%d");
      /* translators: a certificate in a list: its name and expiry date */
      g_autofree char *label = g_strdup_printf (_("%s (until %s)"), teken_identity_get_label (identity), expiry);

      gtk_string_list_append (labels, label);
      g_ptr_array_add (self->identities, g_object_ref (identity));
      if (g_strcmp0 (keep, teken_identity_get_id (identity)) == 0)
        selected = self->identities->len;
    }
  g_signal_handlers_block_by_func (self->identity_row, identity_changed_cb, self);
  adw_combo_row_set_model (self->identity_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->identity_row, selected);
  g_signal_handlers_unblock_by_func (self->identity_row, identity_changed_cb, self);
  g_object_unref (labels);
  if (selected > 0 && selected_identity (self) != current)
    prefill_from_identity (self, selected_identity (self));
  update_signing (self);
}

static void
identities_refreshed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(TekenReportDialog) self = user_data;
  TekenIdentityStore *store = TEKEN_IDENTITY_STORE (object);
  g_autoptr(GError) error = NULL;

  teken_identity_store_refresh_finish (store, result, &error);
  /* Closed meanwhile (the store may finish a refresh it had started). */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  fill_identities (self, teken_identity_store_get_identities (store));
  if (self->wanted_identity != NULL && selected_identity (self) == NULL)
    {
      /* translators: %s is an identity id; the form can still be filled in by hand */
      g_autofree char *message = g_strdup_printf (_("The certificate “%s” was not found"), self->wanted_identity);
      adw_toast_overlay_add_toast (self->toast_overlay, teken_reports_toast_new (message));
    }
}

static void
remove_attachment_clicked_cb (GtkButton         *button,
                              TekenReportDialog *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "attachment-row");
  guint i;

  if (!g_ptr_array_find (self->attachment_rows, row, &i))
    return;
  g_list_store_remove (self->attachments, i);
  g_ptr_array_remove_index (self->attachment_rows, i);
  adw_preferences_group_remove (self->attachments_group, row);
  update_problems (self);
}

static void
show_attachment (TekenReportDialog     *self,
                 TekenReportAttachment *attachment)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gsize size = g_bytes_get_size (teken_report_attachment_get_bytes (attachment));
  g_autofree char *size_text = g_format_size (size);
  /* translators: an attachment's kind and size, e.g. "Scan of the e-KTP · 120 kB" */
  g_autofree char *subtitle = g_strdup_printf (_("%s · %s"),
                                               teken_report_attachment_role_get_label (teken_report_attachment_get_role (attachment)),
                                               size_text);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), teken_report_attachment_get_filename (attachment));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("mail-attachment-symbolic"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove this attachment"));
  g_object_set_data (G_OBJECT (button), "attachment-row", row);
  g_signal_connect (button, "clicked", G_CALLBACK (remove_attachment_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_preferences_group_add (self->attachments_group, row);
  g_ptr_array_add (self->attachment_rows, row);
}

static const char *
selected_role (TekenReportDialog *self)
{
  const char * const *roles = teken_report_get_attachment_roles ();
  guint i = adw_combo_row_get_selected (self->role_row);

  return i < g_strv_length ((char **) roles) ? roles[i] : "other";
}

static void
chooser_response_cb (GtkNativeDialog   *chooser,
                     int                response,
                     TekenReportDialog *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = file != NULL ? g_file_get_path (file) : NULL;
      if (path != NULL)
        teken_report_dialog_add_attachment (self, path, selected_role (self), NULL);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
add_attachment_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TekenReportDialog *self = TEKEN_REPORT_DIALOG (widget);
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter = gtk_file_filter_new ();

  /* GtkFileDialog needs GTK 4.10. */
  chooser = gtk_file_chooser_native_new (_("Attach a File"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Attach"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PDF documents and images"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- writing the letter ---------------------------------------------------------------------- */

typedef struct
{
  TekenReport *report;
  TekenIdentity *identity;       /* NULL: wet signature */
  TekenSecret *secret;
  gboolean queue;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->report);
  g_clear_object (&job->identity);
  g_clear_pointer (&job->secret, teken_secret_free);
  g_free (job);
}

/* Worker thread: renders (and signs) the letter. */
static void
write_letter_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenRaConfig) config = teken_ra_config_load (&error);
  g_autoptr(TekenKey) key = NULL;
  g_autoptr(GBytes) letter = NULL;
  g_autofree char *city = NULL;
  TekenReportLetterStampArea area = { 0 };

  if (config == NULL)
    goto fail;
  if (job->identity != NULL)
    {
      key = teken_identity_open_key_sync (job->identity, job->secret, cancellable, &error);
      if (key == NULL)
        goto fail;
    }
  letter = teken_report_letter_render (job->report, config,
                                       key != NULL ? TEKEN_REPORT_LETTER_ELECTRONIC : TEKEN_REPORT_LETTER_WET,
                                       &area, &error);
  if (letter == NULL)
    goto fail;
  if (key != NULL)
    {
      GBytes *signed_letter;

      city = teken_ra_config_get_string (config, "letterhead", "city");
      signed_letter = teken_report_letter_sign (letter, key, &area,
                                                teken_report_kind_get_perihal (teken_report_get_kind (job->report)),
                                                city, cancellable, &error);
      if (signed_letter == NULL)
        goto fail;
      g_bytes_unref (letter);
      letter = signed_letter;
    }
  g_task_return_pointer (task, g_steal_pointer (&letter), (GDestroyNotify) g_bytes_unref);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
set_busy (TekenReportDialog *self,
          gboolean           busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.send", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.save-draft", !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scrolled), !busy);
}

static void
remember_owner (TekenReportDialog *self)
{
  g_autoptr(GSettings) settings = get_settings (self);

  for (guint i = 0; remembered_fields[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (self->values, remembered_fields[i]);
      g_autofree char *key = settings_key (remembered_fields[i]);

      if (value != NULL)
        g_settings_set_string (settings, key, value);
    }
}

static TekenReportsWindow *
present_reports_window (TekenReportDialog *self)
{
  g_action_group_activate_action (G_ACTION_GROUP (self->app), "reports", NULL);
  for (GList *l = gtk_application_get_windows (self->app); l != NULL; l = l->next)
    if (TEKEN_IS_REPORTS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
letter_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TekenReportDialog) self = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GBytes) letter = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenOutboxEntry) entry = NULL;
  TekenOutbox *outbox;
  TekenReportsWindow *window;

  letter = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_cancellable_is_cancelled (self->cancellable))   /* the form was closed */
    return;
  set_busy (self, FALSE);
  if (letter == NULL)
    {
      if (job->identity != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->secret_row), "error");
      adw_toast_overlay_add_toast (self->toast_overlay, teken_reports_toast_new (error->message));
      return;
    }
  outbox = teken_reports_get_outbox (self->app, &error);
  if (outbox != NULL)
    entry = teken_outbox_add (outbox, job->report, letter, job->queue, &error);
  if (entry == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, teken_reports_toast_new (error->message));
      return;
    }
  remember_owner (self);
  window = present_reports_window (self);
  if (window != NULL)
    {
      if (job->queue)
        teken_reports_window_send (window, teken_outbox_entry_get_id (entry), FALSE);
      else
        teken_reports_window_add_toast (window, _("Draft saved in the outbox"));
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
write_report (TekenReportDialog *self,
              gboolean           queue)
{
  g_autoptr(GTask) task = NULL;
  Job *job = g_new0 (Job, 1);

  job->report = build_report (self);
  job->queue = queue;
  if (queue && will_sign (self))
    {
      job->identity = g_object_ref (selected_identity (self));
      if (gtk_widget_get_visible (GTK_WIDGET (self->secret_row)))
        job->secret = teken_secret_new (gtk_editable_get_text (GTK_EDITABLE (self->secret_row)));
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->secret_row), "error");
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, letter_written_cb, g_object_ref (self));
  g_task_set_source_tag (task, write_report);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, write_letter_thread);
}

static void
save_draft_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  write_report (TEKEN_REPORT_DIALOG (widget), FALSE);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TekenReportDialog *self = TEKEN_REPORT_DIALOG (widget);

  self->show_all_problems = TRUE;
  if (update_problems (self) > 0)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   teken_reports_toast_new (_("Some fields need attention before the report can be sent")));
      return;
    }
  write_report (self, TRUE);
}

static void
teken_report_dialog_dispose (GObject *object)
{
  TekenReportDialog *self = TEKEN_REPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEKEN_TYPE_REPORT_DIALOG);

  G_OBJECT_CLASS (teken_report_dialog_parent_class)->dispose (object);
}

static void
teken_report_dialog_finalize (GObject *object)
{
  TekenReportDialog *self = TEKEN_REPORT_DIALOG (object);

  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->field_rows, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->attachment_rows, g_ptr_array_unref);
  g_clear_pointer (&self->identities, g_ptr_array_unref);
  g_clear_pointer (&self->extra_identities, g_ptr_array_unref);
  g_clear_object (&self->attachments);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->app);
  g_free (self->wanted_identity);

  G_OBJECT_CLASS (teken_report_dialog_parent_class)->finalize (object);
}

static void
teken_report_dialog_class_init (TekenReportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_report_dialog_dispose;
  object_class->finalize = teken_report_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-report-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenReportDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TekenReportDialog, identity_row);
  gtk_widget_class_bind_template_child (widget_class, TekenReportDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, TekenReportDialog, signing_row);
  gtk_widget_class_bind_template_child (widget_class, TekenReportDialog, signing_icon);
  gtk_widget_class_bind_template_child (widget_class, TekenReportDialog, fields_box);
  gtk_widget_class_bind_template_child (widget_class, TekenReportDialog, attachments_group);
  gtk_widget_class_bind_template_child (widget_class, TekenReportDialog, role_row);
  gtk_widget_class_bind_template_child (widget_class, TekenReportDialog, attachments_error_row);
  gtk_widget_class_bind_template_child (widget_class, TekenReportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TekenReportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, TekenReportDialog, scrolled);

  gtk_widget_class_install_action (widget_class, "report.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "report.save-draft", NULL, save_draft_action);
  gtk_widget_class_install_action (widget_class, "report.add-attachment", NULL, add_attachment_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
teken_report_dialog_init (TekenReportDialog *self)
{
  GtkStringList *kind_labels = gtk_string_list_new (NULL);
  GtkStringList *role_labels = gtk_string_list_new (NULL);
  const char * const *roles = teken_report_get_attachment_roles ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->field_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) field_row_free);
  self->groups = g_ptr_array_new ();
  self->attachment_rows = g_ptr_array_new ();
  self->identities = g_ptr_array_new_with_free_func (g_object_unref);
  self->extra_identities = g_ptr_array_new_with_free_func (g_object_unref);
  self->attachments = g_list_store_new (TEKEN_TYPE_REPORT_ATTACHMENT);
  self->cancellable = g_cancellable_new ();
  self->kind = G_N_ELEMENTS (kinds);   /* none yet: set_kind() builds the fields */

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_string_list_append (kind_labels, teken_report_kind_get_label (kinds[i]));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kind_labels));
  g_object_unref (kind_labels);
  for (guint i = 0; roles[i] != NULL; i++)
    gtk_string_list_append (role_labels, teken_report_attachment_role_get_label (roles[i]));
  adw_combo_row_set_model (self->role_row, G_LIST_MODEL (role_labels));
  g_object_unref (role_labels);
  fill_identities (self, NULL);

  g_signal_connect (self->kind_row, "notify::selected", G_CALLBACK (kind_changed_cb), self);
  g_signal_connect (self->identity_row, "notify::selected", G_CALLBACK (identity_changed_cb), self);
}

TekenReportDialog *
teken_report_dialog_new (GtkApplication  *app,
                         TekenReportKind  kind,
                         const char      *identity_id)
{
  TekenReportDialog *self;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TekenReport) fresh = teken_report_new (kind);

  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);

  self = g_object_new (TEKEN_TYPE_REPORT_DIALOG, NULL);
  self->app = g_object_ref (app);
  self->wanted_identity = g_strdup (identity_id);
  /* The owner's remembered details, and today's date. */
  settings = get_settings (self);
  for (guint i = 0; remembered_fields[i] != NULL; i++)
    {
      g_autofree char *key = settings_key (remembered_fields[i]);
      g_autofree char *value = g_settings_get_string (settings, key);

      set_value (self, remembered_fields[i], value);
    }
  set_value (self, "letter_date", teken_report_get_field (fresh, "letter_date"));

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i] == kind)
      adw_combo_row_set_selected (self->kind_row, i);
  if (self->kind != kind)
    set_kind (self, kind);

  teken_identity_store_refresh_async (teken_reports_get_identity_store (app), self->cancellable,
                                      identities_refreshed_cb, g_object_ref (self));
  return self;
}

TekenReportKind
teken_report_dialog_get_kind (TekenReportDialog *self)
{
  g_return_val_if_fail (TEKEN_IS_REPORT_DIALOG (self), TEKEN_REPORT_KIND_RENEWAL);

  return self->kind;
}

void
teken_report_dialog_set_kind (TekenReportDialog *self,
                              TekenReportKind    kind)
{
  g_return_if_fail (TEKEN_IS_REPORT_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i] == kind)
      adw_combo_row_set_selected (self->kind_row, i);
}

GtkWidget *
teken_report_dialog_get_field_row (TekenReportDialog *self,
                                   const char        *id)
{
  FieldRow *row;

  g_return_val_if_fail (TEKEN_IS_REPORT_DIALOG (self), NULL);

  row = find_field_row (self, id);
  return row != NULL ? row->row : NULL;
}

const char *
teken_report_dialog_get_value (TekenReportDialog *self,
                               const char        *id)
{
  g_return_val_if_fail (TEKEN_IS_REPORT_DIALOG (self), NULL);

  return g_hash_table_lookup (self->values, id);
}

const char *
teken_report_dialog_get_field_error (TekenReportDialog *self,
                                     const char        *id)
{
  FieldRow *row;

  g_return_val_if_fail (TEKEN_IS_REPORT_DIALOG (self), NULL);

  row = find_field_row (self, id);
  if (row == NULL || !gtk_widget_get_visible (GTK_WIDGET (row->error_row)))
    return NULL;
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row->error_row));
}

gboolean
teken_report_dialog_add_attachment (TekenReportDialog  *self,
                                    const char         *path,
                                    const char         *role,
                                    GError            **error)
{
  g_autoptr(TekenReportAttachment) attachment = NULL;
  g_autoptr(TekenReport) report = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TEKEN_IS_REPORT_DIALOG (self), FALSE);

  /* The core checks the type (by content) and the size limits. */
  attachment = teken_report_attachment_new_from_file (path, role, &local_error);
  if (attachment != NULL)
    {
      report = build_report (self);
      if (!teken_report_add_attachment (report, attachment, &local_error))
        g_clear_object (&attachment);
    }
  if (attachment == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, teken_reports_toast_new (local_error->message));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_list_store_append (self->attachments, attachment);
  show_attachment (self, attachment);
  update_problems (self);
  return TRUE;
}

void
teken_report_dialog_add_identity (TekenReportDialog *self,
                                  TekenIdentity     *identity)
{
  TekenIdentityStore *store;

  g_return_if_fail (TEKEN_IS_REPORT_DIALOG (self));
  g_return_if_fail (TEKEN_IS_IDENTITY (identity));

  g_ptr_array_add (self->extra_identities, g_object_ref (identity));
  g_free (self->wanted_identity);
  self->wanted_identity = g_strdup (teken_identity_get_id (identity));
  store = teken_reports_get_identity_store (self->app);
  /* Chosen now; kept chosen when the store's list arrives. */
  g_signal_handlers_block_by_func (self->identity_row, identity_changed_cb, self);
  adw_combo_row_set_selected (self->identity_row, 0);
  g_signal_handlers_unblock_by_func (self->identity_row, identity_changed_cb, self);
  fill_identities (self, teken_identity_store_get_identities (store));
}

gboolean
teken_report_dialog_is_busy (TekenReportDialog *self)
{
  g_return_val_if_fail (TEKEN_IS_REPORT_DIALOG (self), FALSE);

  return self->busy;
}
