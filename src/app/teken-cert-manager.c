/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-cert-info.h"
#include "teken-cert-manager.h"
#include "teken-demo.h"
#include "teken-pin-dialog.h"
#include "teken-identity-util.h"
#include "teken-reports.h"

struct _TekenCertManager
{
  AdwWindow parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  GtkListBox *identity_list;
  GtkBox *details_box;

  TekenIdentityStore *store;
  TekenIdentity *selected;
  GCancellable *cancellable;
  AdwMessageDialog *dialog;      /* remove confirmation or passphrase prompt */
  GtkFileChooserNative *chooser;
  char *message;
  guint ready : 1;
};

G_DEFINE_FINAL_TYPE (TekenCertManager, teken_cert_manager, ADW_TYPE_WINDOW)

static void
show_toast (TekenCertManager *self,
            const char       *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
update_actions (TekenCertManager *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cert-manager.remove",
                                 self->selected != NULL &&
                                 teken_identity_get_kind (self->selected) == TEKEN_IDENTITY_KIND_KEYRING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cert-manager.export", self->selected != NULL);
}

static char *
describe_expiry (TekenIdentity *identity)
{
  gint days = teken_identity_get_days_to_expiry (identity, NULL);
  g_autofree char *date = g_date_time_format (teken_identity_get_not_after (identity), "%Y-%m-%d");

  if (days < 0)
    /* translators: %s is a date */
    return g_strdup_printf (_("%s (expired)"), date);
  /* translators: %s is a date, %d a number of days */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (expires in %d day)", "%s (expires in %d days)", days),
                          date, days);
}

static GtkWidget *
add_group (TekenCertManager *self,
           const char       *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (self->details_box, group);
  return group;
}

static void
add_row (GtkWidget  *group,
         const char *title,
         const char *value)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static char *
name_values (TekenCertInfo *info,
             const char    *key)
{
  guint n = 0;
  const TekenCertNameRow *rows = teken_cert_info_get_subject_rows (info, &n);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (rows[i].key, key) == 0)
      g_ptr_array_add (values, (gpointer) rows[i].value);
  g_ptr_array_add (values, NULL);
  return g_strjoinv (", ", (char **) values->pdata);
}

static void
show_details (TekenCertManager *self)
{
  g_autoptr(TekenCertInfo) info = NULL;
  GtkWidget *child, *group;
  STACK_OF (X509) *chain;
  g_autofree char *unit = NULL;
  g_autofree char *usages = NULL;
  g_autofree char *ekus = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->details_box))) != NULL)
    gtk_box_remove (self->details_box, child);
  update_actions (self);
  if (self->selected == NULL)
    return;
  info = teken_cert_info_new (teken_identity_get_certificate (self->selected));
  if (info == NULL)
    return;

  group = add_group (self, _("Holder"));
  if (teken_demo_identity_is_demo (self->selected))
    add_row (group, _("Demo"), _("A demonstration certificate made on this computer: never use it for real letters"));
  add_row (group, _("Name"), teken_cert_info_get_common_name (info));
  add_row (group, _("Title"), teken_cert_info_get_title (info));
  unit = name_values (info, "OU");
  add_row (group, _("Unit"), unit);
  add_row (group, _("Organization"), teken_cert_info_get_organization (info));
  add_row (group, _("Kind"), teken_certificate_kind_get_label (teken_cert_info_get_kind (info)));

  group = add_group (self, _("Validity"));
  from = g_date_time_format (teken_identity_get_not_before (self->selected), "%Y-%m-%d");
  until = describe_expiry (self->selected);
  add_row (group, _("Valid from"), from);
  add_row (group, _("Valid until"), until);
  add_row (group, _("Issued by"), teken_cert_info_get_issuer_common_name (info));
  add_row (group, _("Serial number"), teken_cert_info_get_serial (info));
  /* Renewal, loss and revocation reports for this certificate (reportui). */
  if (!teken_demo_identity_is_demo (self->selected))
    gtk_box_append (self->details_box, teken_reports_new_identity_group (self->selected));

  group = add_group (self, _("Key"));
  add_row (group, _("Stored in"), teken_identity_get_location (self->selected));
  if (teken_identity_get_kind (self->selected) == TEKEN_IDENTITY_KIND_TOKEN)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), teken_pin_dialog_new_row (self->selected));
  add_row (group, _("Key type"), teken_cert_info_get_public_key_description (info));
  usages = g_strjoinv (", ", (char **) teken_cert_info_get_key_usages (info));
  add_row (group, _("Key usage"), usages);
  ekus = g_strjoinv (", ", (char **) teken_cert_info_get_extended_key_usages (info));
  add_row (group, _("Extended key usage"), ekus);

  group = add_group (self, _("Fingerprints"));
  add_row (group, _("SHA-256"), teken_cert_info_get_fingerprint_sha256 (info));
  add_row (group, _("SHA-1"), teken_cert_info_get_fingerprint_sha1 (info));

  group = add_group (self, _("Certificate Chain"));
  chain = teken_identity_get_chain (self->selected);
  for (int i = 0; i < sk_X509_num (chain); i++)
    {
      g_autoptr(TekenCertInfo) ca = teken_cert_info_new (sk_X509_value (chain, i));
      g_autofree char *issued = NULL;

      if (ca == NULL)
        continue;
      /* translators: %s is the name of a certification authority */
      issued = g_strdup_printf (_("issued by %s"), teken_cert_info_get_issuer_common_name (ca));
      add_row (group, teken_cert_info_get_common_name (ca), issued);
    }
  if (sk_X509_num (chain) == 0)
    add_row (group, _("No chain"), _("Only the certificate itself is stored; the verifier looks up its issuers"));
}

static void
row_selected_cb (TekenCertManager *self,
                 GtkListBoxRow    *row)
{
  TekenIdentity *identity = row ? g_object_get_data (G_OBJECT (row), "identity") : NULL;

  g_set_object (&self->selected, identity);
  show_details (self);
}

static void
populate (TekenCertManager *self)
{
  GListModel *model = teken_identity_store_get_identities (self->store);
  g_autofree char *selected_id = self->selected ? g_strdup (teken_identity_get_id (self->selected)) : NULL;
  GtkListBoxRow *to_select = NULL;
  GtkWidget *child;

  g_signal_handlers_block_by_func (self->identity_list, row_selected_cb, self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->identity_list))) != NULL)
    gtk_list_box_remove (self->identity_list, child);
  g_signal_handlers_unblock_by_func (self->identity_list, row_selected_cb, self);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenIdentity) identity = g_list_model_get_item (model, i);
      g_autofree char *expiry = describe_expiry (identity);
      g_autofree char *subtitle = g_strdup_printf ("%s\n%s", teken_identity_get_location (identity), expiry);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (teken_identity_get_kind (identity) == TEKEN_IDENTITY_KIND_TOKEN
                                                      ? "media-removable-symbolic" : "dialog-password-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), teken_identity_get_label (identity));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      if (teken_identity_get_days_to_expiry (identity, NULL) < 0)
        gtk_widget_add_css_class (row, "dim-label");
      g_object_set_data_full (G_OBJECT (row), "identity", g_object_ref (identity), g_object_unref);
      gtk_list_box_append (self->identity_list, row);
      if (to_select == NULL || g_strcmp0 (selected_id, teken_identity_get_id (identity)) == 0)
        to_select = GTK_LIST_BOX_ROW (row);
    }
  gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (model) > 0 ? "list" : "empty");
  g_clear_object (&self->selected);
  gtk_list_box_select_row (self->identity_list, to_select);
  if (to_select == NULL)
    show_details (self);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TekenCertManager) self = user_data;
  g_autofree char *message = NULL;

  if (self->identity_list == NULL)  /* closed meanwhile */
    return;

  if (!teken_identity_refresh_finish_for_display (TEKEN_IDENTITY_STORE (object), result, &message))
    return;
  self->ready = TRUE;
  populate (self);
  if (message != NULL)
    show_toast (self, message);
}

static void
identities_changed_cb (TekenCertManager *self)
{
  if (self->ready)
    populate (self);
}

static void
token_added_cb (TekenCertManager *self,
                const char       *label)
{
  /* translators: %s is a token's label */
  g_autofree char *message = g_strdup_printf (_("Token “%s” inserted"), label);

  show_toast (self, message);
}

static void
token_removed_cb (TekenCertManager *self,
                  const char       *label)
{
  /* translators: %s is a token's label */
  g_autofree char *message = g_strdup_printf (_("Token “%s” removed"), label);

  show_toast (self, message);
}

/* Import */

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TekenCertManager) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenIdentity) identity = teken_identity_store_import_p12_finish (TEKEN_IDENTITY_STORE (object),
                                                                             result, &error);
  g_autofree char *message = NULL;

  if (self->identity_list == NULL)  /* closed meanwhile */
    return;

  if (identity == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }
  populate (self);
  teken_cert_manager_select (self, teken_identity_get_id (identity));
  /* translators: %s is the certificate holder's name */
  message = g_strdup_printf (_("Imported “%s”"), teken_identity_get_label (identity));
  show_toast (self, message);
}

static void
start_import (TekenCertManager *self,
              GFile            *file,
              const char       *passphrase)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_autoptr(TekenSecret) secret = NULL;

  if (bytes == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  secret = teken_secret_new (passphrase);
  teken_identity_store_import_p12_async (self->store, bytes, secret, TEKEN_IMPORT_FLAGS_NONE,
                                         self->cancellable, import_cb, g_object_ref (self));
}

static void
passphrase_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        TekenCertManager *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  GFile *file = g_object_get_data (G_OBJECT (dialog), "file");

  if (g_strcmp0 (response, "import") == 0)
    start_import (self, file, gtk_editable_get_text (entry));
  gtk_editable_set_text (entry, "");
  self->dialog = NULL;
}

static void
entry_activate_cb (GtkWidget        *entry,
                   AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "import");  /* also closes it */
}

void
teken_cert_manager_import_file (TekenCertManager *self,
                                GFile            *file,
                                const char       *passphrase_or_null)
{
  GtkWidget *dialog, *entry;
  g_autofree char *name = NULL;

  if (passphrase_or_null != NULL)
    {
      start_import (self, file, passphrase_or_null);
      return;
    }
  name = g_file_get_basename (file);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Passphrase of the Certificate File"), NULL);
  /* translators: %s is a file name */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Enter the passphrase you received with “%s”. The certificate and its key "
                                    "are stored in your keyring."), name);
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "import", _("_Import"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "import");
  g_object_set_data_full (G_OBJECT (dialog), "file", g_object_ref (file), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (passphrase_response_cb), self);
  g_signal_connect (entry, "activate", G_CALLBACK (entry_activate_cb), dialog);
  self->dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
chooser_response_cb (GtkNativeDialog  *chooser,
                     int               response,
                     TekenCertManager *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      teken_cert_manager_import_file (self, file, NULL);
    }
  g_clear_object (&self->chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TekenCertManager *self = TEKEN_CERT_MANAGER (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Import Certificate"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Certificate files (.p12, .pfx)"));
  gtk_file_filter_add_suffix (filter, "p12");
  gtk_file_filter_add_suffix (filter, "pfx");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
drop_cb (GtkDropTarget    *target,
         const GValue     *value,
         double            x,
         double            y,
         TekenCertManager *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;
  teken_cert_manager_import_file (self, files->data, NULL);
  g_slist_free (files);
  return TRUE;
}

/* Remove */

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TekenCertManager) self = user_data;
  g_autoptr(GError) error = NULL;
  if (self->identity_list == NULL)  /* closed meanwhile */
    return;

  if (!teken_identity_store_remove_finish (TEKEN_IDENTITY_STORE (object), result, &error))
    {
      show_toast (self, error->message);
      return;
    }
  populate (self);
  show_toast (self, _("Certificate removed from the keyring"));
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    TekenCertManager *self)
{
  TekenIdentity *identity = g_object_get_data (G_OBJECT (dialog), "identity");

  self->dialog = NULL;
  if (g_strcmp0 (response, "remove") == 0)
    teken_identity_store_remove_async (self->store, identity, self->cancellable, remove_cb, g_object_ref (self));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TekenCertManager *self = TEKEN_CERT_MANAGER (widget);
  GtkWidget *dialog;

  if (self->selected == NULL || self->dialog != NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove Certificate?"), NULL);
  /* translators: %s is the certificate holder's name */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The certificate of “%s” and its private key will be deleted from this "
                                    "computer’s keyring. You can sign with it again only after importing the "
                                    ".p12 file again."), teken_identity_get_label (self->selected));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "identity", g_object_ref (self->selected), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (remove_response_cb), self);
  self->dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Export */

gboolean
teken_cert_manager_export_to (TekenCertManager  *self,
                              GFile             *file,
                              GError           **error)
{
  g_autoptr(GBytes) pem = NULL;

  g_return_val_if_fail (self->selected != NULL, FALSE);
  pem = teken_identity_export_certificate (self->selected, TEKEN_CERT_FORMAT_PEM, error);
  if (pem == NULL)
    return FALSE;
  return g_file_replace_contents (file, g_bytes_get_data (pem, NULL), g_bytes_get_size (pem), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

static void
export_response_cb (GtkNativeDialog  *chooser,
                    int               response,
                    TekenCertManager *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (teken_cert_manager_export_to (self, file, &error))
        show_toast (self, _("Certificate saved"));
      else
        show_toast (self, error->message);
    }
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TekenCertManager *self = TEKEN_CERT_MANAGER (widget);
  g_autofree char *name = NULL;

  if (self->selected == NULL || self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Certificate"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("%s.pem", teken_identity_get_label (self->selected));
  g_strdelimit (name, "/\\:", '_');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
teken_cert_manager_dispose (GObject *object)
{
  TekenCertManager *self = TEKEN_CERT_MANAGER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->store, self);
      teken_identity_store_set_watch_tokens (self->store, FALSE);
    }
  if (self->identity_list != NULL)
    g_signal_handlers_disconnect_by_func (self->identity_list, row_selected_cb, self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (object), TEKEN_TYPE_CERT_MANAGER);
  G_OBJECT_CLASS (teken_cert_manager_parent_class)->dispose (object);
}

static void
teken_cert_manager_finalize (GObject *object)
{
  TekenCertManager *self = TEKEN_CERT_MANAGER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->selected);
  g_clear_object (&self->cancellable);
  g_free (self->message);
  G_OBJECT_CLASS (teken_cert_manager_parent_class)->finalize (object);
}

static void
teken_cert_manager_class_init (TekenCertManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_cert_manager_dispose;
  object_class->finalize = teken_cert_manager_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-cert-manager.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenCertManager, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TekenCertManager, stack);
  gtk_widget_class_bind_template_child (widget_class, TekenCertManager, identity_list);
  gtk_widget_class_bind_template_child (widget_class, TekenCertManager, details_box);

  gtk_widget_class_install_action (widget_class, "cert-manager.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "cert-manager.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "cert-manager.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
teken_cert_manager_init (TekenCertManager *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->identity_list, "row-selected", G_CALLBACK (row_selected_cb), self);
  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
  update_actions (self);
}

TekenCertManager *
teken_cert_manager_new (GtkWindow          *parent,
                        TekenIdentityStore *store)
{
  TekenCertManager *self = g_object_new (TEKEN_TYPE_CERT_MANAGER, "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  g_signal_connect_swapped (store, "identities-changed", G_CALLBACK (identities_changed_cb), self);
  g_signal_connect_swapped (store, "token-added", G_CALLBACK (token_added_cb), self);
  g_signal_connect_swapped (store, "token-removed", G_CALLBACK (token_removed_cb), self);
  teken_identity_store_set_watch_tokens (store, TRUE);
  teken_identity_store_refresh_async (store, self->cancellable, refresh_cb, g_object_ref (self));
  return self;
}

gboolean
teken_cert_manager_get_ready (TekenCertManager *self)
{
  return self->ready;
}

guint
teken_cert_manager_get_n_rows (TekenCertManager *self)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->identity_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

gboolean
teken_cert_manager_select (TekenCertManager *self,
                           const char       *id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->identity_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      TekenIdentity *identity = g_object_get_data (G_OBJECT (row), "identity");

      if (identity != NULL && g_strcmp0 (teken_identity_get_id (identity), id) == 0)
        {
          gtk_list_box_select_row (self->identity_list, GTK_LIST_BOX_ROW (row));
          return TRUE;
        }
    }
  return FALSE;
}

TekenIdentity *
teken_cert_manager_get_selected (TekenCertManager *self)
{
  return self->selected;
}

static void
collect_rows (GtkWidget *widget,
              GString   *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ACTION_ROW (child))
        g_string_append_printf (out, "%s\t%s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)),
                                adw_action_row_get_subtitle (ADW_ACTION_ROW (child)));
      else
        collect_rows (child, out);
    }
}

char *
teken_cert_manager_dup_details_text (TekenCertManager *self)
{
  GString *out = g_string_new (NULL);

  collect_rows (GTK_WIDGET (self->details_box), out);
  return g_string_free (out, FALSE);
}

AdwMessageDialog *
teken_cert_manager_get_dialog (TekenCertManager *self)
{
  return self->dialog;
}

const char *
teken_cert_manager_get_message (TekenCertManager *self)
{
  return self->message ? self->message : "";
}
