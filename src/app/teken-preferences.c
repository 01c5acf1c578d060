/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-cert-info.h"
#include "teken-preferences.h"
#include "teken-trust-store.h"

struct _TekenPreferences
{
  AdwPreferencesWindow parent_instance;

  GtkSpinButton *reminder_spin;
  AdwEntryRow *ra_contact_row;
  GtkListBox *trust_list;

  GSettings *settings;
  GtkFileChooserNative *chooser;
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
}

static void
teken_preferences_init (TekenPreferences *self)
{
  g_autofree char *contact = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "reminder-days", self->reminder_spin, "value", G_SETTINGS_BIND_DEFAULT);
  contact = g_settings_get_string (self->settings, "ra-contact");
  gtk_editable_set_text (GTK_EDITABLE (self->ra_contact_row), contact);
  g_signal_connect_swapped (self->ra_contact_row, "apply", G_CALLBACK (ra_contact_apply_cb), self);
  populate_anchors (self);
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
