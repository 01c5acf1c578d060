/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-appearance.h"
#include "teken-cert-info.h"
#include "teken-ltv-settings.h"
#include "teken-preferences.h"
#include "teken-trust-store.h"

struct _TekenPreferences
{
  AdwPreferencesWindow parent_instance;

  GtkSpinButton *reminder_spin;
  AdwEntryRow *ra_contact_row;
  GtkListBox *trust_list;
  AdwPreferencesPage *signing_page;
  AdwComboRow *level_row;
  AdwEntryRow *tsa_row;
  GtkSwitch *fallback_switch;
  AdwActionRow *image_row;
  GtkPicture *image_picture;
  AdwEntryRow *qr_row;

  GSettings *settings;
  GtkFileChooserNative *chooser;
  GtkFileChooserNative *image_chooser;
  guint loading : 1;
  guint n_anchors;
};

G_DEFINE_FINAL_TYPE (TekenPreferences, teken_preferences, ADW_TYPE_PREFERENCES_WINDOW)

enum { TRUST_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void populate_anchors (TekenPreferences *self);

static void
remove_clicked_cb (GtkButton        *button,
                   TekenPreferences *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "sha256");
  g_autoptr(GError) error = NULL;

  if (!teken_preferences_remove_anchor (self, id, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
}

static void
populate_anchors (TekenPreferences *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) anchors = teken_trust_store_user_list (&error);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->trust_list))) != NULL)
    gtk_list_box_remove (self->trust_list, child);
  self->n_anchors = anchors ? anchors->len : 0;
  if (anchors == NULL || anchors->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     error ? error->message : _("No additional authorities"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->trust_list, row);
      return;
    }
  for (guint i = 0; i < anchors->len; i++)
    {
      TekenCertInfo *info = anchors->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *until = g_date_time_format (teken_cert_info_get_not_after (info), "%Y-%m-%d");
      /* translators: %s is the organisation, the second %s a date */
      g_autofree char *subtitle = g_strdup_printf (_("%s · valid until %s"),
                                                   teken_cert_info_get_organization (info)
                                                   ? teken_cert_info_get_organization (info) : "",
                                                   until);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), teken_cert_info_get_common_name (info));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Stop Trusting"));
      g_object_set_data_full (G_OBJECT (remove), "sha256", g_strdup (teken_cert_info_get_sha256_hex (info)), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->trust_list, row);
    }
}

gboolean
teken_preferences_add_anchor_file (TekenPreferences  *self,
                                   GFile             *file,
                                   GError           **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(TekenCertInfo) info = NULL;
  g_autofree char *id = NULL;

  if (!g_file_load_contents (file, NULL, &data, &len, NULL, error))
    return FALSE;
  info = teken_cert_info_new_from_data ((const guint8 *) data, len, error);
  if (info == NULL)
    return FALSE;
  id = teken_trust_store_user_add (NULL, teken_cert_info_get_x509 (info), error);
  if (id == NULL)
    return FALSE;
  populate_anchors (self);
  g_signal_emit (self, signals[TRUST_CHANGED], 0);
  return TRUE;
}

gboolean
teken_preferences_remove_anchor (TekenPreferences  *self,
                                 const char        *sha256_hex,
                                 GError           **error)
{
  if (!teken_trust_store_user_remove (NULL, sha256_hex, error))
    return FALSE;
  populate_anchors (self);
  g_signal_emit (self, signals[TRUST_CHANGED], 0);
  return TRUE;
}

static void
chooser_response_cb (GtkNativeDialog  *chooser,
                     int               response,
                     TekenPreferences *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (!teken_preferences_add_anchor_file (self, file, &error))
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
    }
  g_clear_object (&self->chooser);
}

static void
add_anchor_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TekenPreferences *self = TEKEN_PREFERENCES (widget);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Trust a Certificate File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Trust"), _("_Cancel"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Level and TSA address live in teken.conf (shared with teken-cli): load, change one key, save. */
static gboolean
save_ltv (TekenPreferences  *self,
          gboolean           set_level,
          TekenPadesLevel    level,
          const char        *tsa_url,
          GError           **error)
{
  g_autoptr(TekenLtvSettings) settings = teken_ltv_settings_load (NULL, error);

  if (settings == NULL)
    return FALSE;
  if (set_level)
    settings->level = level;
  else
    {
      g_autofree char *url = g_strstrip (g_strdup (tsa_url));

      g_clear_pointer (&settings->tsa_url, g_free);
      if (*url)
        settings->tsa_url = g_steal_pointer (&url);
    }
  return teken_ltv_settings_save (settings, NULL, error);
}

static void
toast_error (TekenPreferences *self,
             GError           *error)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
}

static void
level_selected_cb (TekenPreferences *self)
{
  g_autoptr(GError) error = NULL;
  guint selected = adw_combo_row_get_selected (self->level_row);

  if (self->loading || selected > TEKEN_PADES_LEVEL_B_LTA)
    return;
  if (!save_ltv (self, TRUE, (TekenPadesLevel) selected, NULL, &error))
    toast_error (self, error);
}

static void
tsa_apply_cb (TekenPreferences *self)
{
  g_autoptr(GError) error = NULL;

  if (!save_ltv (self, FALSE, 0, gtk_editable_get_text (GTK_EDITABLE (self->tsa_row)), &error))
    toast_error (self, error);
}

static void
load_ltv (TekenPreferences *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenLtvSettings) settings = teken_ltv_settings_load (NULL, &error);

  if (settings == NULL)
    {
      /* translators: %s says why the settings file could not be read */
      g_autofree char *text = g_strdup_printf (_("The signature level settings could not be read: %s"),
                                               error->message);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
      return;
    }
  self->loading = TRUE;
  adw_combo_row_set_selected (self->level_row, settings->level);
  gtk_editable_set_text (GTK_EDITABLE (self->tsa_row), settings->tsa_url ? settings->tsa_url : "");
  self->loading = FALSE;
}

static void
update_image_row (TekenPreferences *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "stamp-image");

  adw_action_row_set_subtitle (self->image_row, *path ? path : _("None"));
  gtk_picture_set_filename (self->image_picture, *path ? path : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->image_picture), *path != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.remove-image", *path != '\0');
}

gboolean
teken_preferences_set_stamp_image (TekenPreferences  *self,
                                   GFile             *file,
                                   GError           **error)
{
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (file != NULL)
    {
      g_autoptr(TekenAppearance) check = teken_appearance_new ();

      /* refuse what the signer would refuse, now rather than when signing */
      if (path == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Choose a local PNG file"));
          return FALSE;
        }
      if (!teken_appearance_set_image_file (check, path, error))
        return FALSE;
    }
  g_settings_set_string (self->settings, "stamp-image", path ? path : "");
  update_image_row (self);
  return TRUE;
}

static void
image_chooser_response_cb (GtkNativeDialog  *chooser,
                           int               response,
                           TekenPreferences *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (!teken_preferences_set_stamp_image (self, file, &error))
        toast_error (self, error);
    }
  g_clear_object (&self->image_chooser);
}

static void
choose_image_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TekenPreferences *self = TEKEN_PREFERENCES (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->image_chooser != NULL)
    return;
  gtk_file_filter_set_name (filter, _("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_suffix (filter, "png");
  self->image_chooser = gtk_file_chooser_native_new (_("Choose the Stamp Image"), GTK_WINDOW (self),
                                                     GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->image_chooser), filter);
  g_signal_connect (self->image_chooser, "response", G_CALLBACK (image_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->image_chooser));
}

static void
remove_image_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  teken_preferences_set_stamp_image (TEKEN_PREFERENCES (widget), NULL, NULL);
}

static void
qr_apply_cb (TekenPreferences *self)
{
  g_settings_set_string (self->settings, "stamp-qr-template", gtk_editable_get_text (GTK_EDITABLE (self->qr_row)));
}

static void
ra_contact_apply_cb (TekenPreferences *self)
{
  g_settings_set_string (self->settings, "ra-contact", gtk_editable_get_text (GTK_EDITABLE (self->ra_contact_row)));
}

static void
teken_preferences_dispose (GObject *object)
{
  TekenPreferences *self = TEKEN_PREFERENCES (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->image_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->image_chooser));
  g_clear_object (&self->image_chooser);
  gtk_widget_dispose_template (GTK_WIDGET (object), TEKEN_TYPE_PREFERENCES);
  G_OBJECT_CLASS (teken_preferences_parent_class)->dispose (object);
}

static void
teken_preferences_finalize (GObject *object)
{
  TekenPreferences *self = TEKEN_PREFERENCES (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (teken_preferences_parent_class)->finalize (object);
}

static void
teken_preferences_class_init (TekenPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_preferences_dispose;
  object_class->finalize = teken_preferences_finalize;
  signals[TRUST_CHANGED] = g_signal_new ("trust-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenPreferences, reminder_spin);
  gtk_widget_class_bind_template_child (widget_class, TekenPreferences, ra_contact_row);
  gtk_widget_class_bind_template_child (widget_class, TekenPreferences, trust_list);
  gtk_widget_class_install_action (widget_class, "preferences.add-anchor", NULL, add_anchor_action);
  gtk_widget_class_bind_template_child (widget_class, TekenPreferences, signing_page);
  gtk_widget_class_bind_template_child (widget_class, TekenPreferences, level_row);
  gtk_widget_class_bind_template_child (widget_class, TekenPreferences, tsa_row);
  gtk_widget_class_bind_template_child (widget_class, TekenPreferences, fallback_switch);
  gtk_widget_class_bind_template_child (widget_class, TekenPreferences, image_row);
  gtk_widget_class_bind_template_child (widget_class, TekenPreferences, image_picture);
  gtk_widget_class_bind_template_child (widget_class, TekenPreferences, qr_row);
  gtk_widget_class_install_action (widget_class, "preferences.choose-image", NULL, choose_image_action);
  gtk_widget_class_install_action (widget_class, "preferences.remove-image", NULL, remove_image_action);
}

static void
teken_preferences_init (TekenPreferences *self)
{
  g_autofree char *contact = NULL;
  g_autofree char *qr = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "reminder-days", self->reminder_spin, "value", G_SETTINGS_BIND_DEFAULT);
  contact = g_settings_get_string (self->settings, "ra-contact");
  gtk_editable_set_text (GTK_EDITABLE (self->ra_contact_row), contact);
  g_signal_connect_swapped (self->ra_contact_row, "apply", G_CALLBACK (ra_contact_apply_cb), self);
  populate_anchors (self);

  load_ltv (self);
  g_signal_connect_swapped (self->level_row, "notify::selected", G_CALLBACK (level_selected_cb), self);
  g_signal_connect_swapped (self->tsa_row, "apply", G_CALLBACK (tsa_apply_cb), self);
  g_settings_bind (self->settings, "timestamp-fallback", self->fallback_switch, "active", G_SETTINGS_BIND_DEFAULT);
  qr = g_settings_get_string (self->settings, "stamp-qr-template");
  gtk_editable_set_text (GTK_EDITABLE (self->qr_row), qr);
  g_signal_connect_swapped (self->qr_row, "apply", G_CALLBACK (qr_apply_cb), self);
  update_image_row (self);
}

TekenPreferences *
teken_preferences_new (GtkWindow *parent)
{
  return g_object_new (TEKEN_TYPE_PREFERENCES, "transient-for", parent, "modal", TRUE, NULL);
}

guint
teken_preferences_get_n_anchors (TekenPreferences *self)
{
  return self->n_anchors;
}

/* Shows the Signing page (level, time-stamp server, stamp defaults). */
void
teken_preferences_show_signing (TekenPreferences *self)
{
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), self->signing_page);
}
