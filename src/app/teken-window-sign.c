/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-cert-manager.h"
#include "teken-demo.h"
#include "teken-window-private.h"
#include "teken-window-sign.h"

#define STORE_KEY  "teken-identity-store"
#define DIALOG_KEY "teken-sign-dialog"

TekenIdentityStore *
teken_window_get_identity_store (TekenWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  GObject *owner = app ? G_OBJECT (app) : G_OBJECT (self);
  TekenIdentityStore *store = g_object_get_data (owner, STORE_KEY);

  if (store == NULL)
    {
      store = teken_identity_store_new ();
      g_object_set_data_full (owner, STORE_KEY, store, g_object_unref);
    }
  return store;
}

TekenSignDialog *
teken_window_get_sign_dialog (TekenWindow *self)
{
  return g_object_get_data (G_OBJECT (self), DIALOG_KEY);
}

static gboolean
can_sign (TekenWindow *self)
{
  return self->file != NULL && self->renderer != NULL && self->revision_bytes == NULL &&
         !self->loading &&
         g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "document") == 0;
}

void
_teken_window_sign_update (TekenWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign", can_sign (self));
}

static void
signed_cb (TekenSignDialog *dialog,
           GFile           *output,
           TekenWindow     *self)
{
  g_autofree char *name = g_file_get_basename (output);
  /* translators: %s is the file name of the signed copy */
  g_autofree char *message = g_strdup_printf (_("Signed and saved as “%s”"), name);

  teken_window_open (self, output);
  _teken_window_toast (self, message);
}

static void
dialog_destroy_cb (TekenWindow *self)
{
  g_object_set_data (G_OBJECT (self), DIALOG_KEY, NULL);
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TekenWindow *self = TEKEN_WINDOW (widget);
  TekenSignDialog *dialog;

  if (!can_sign (self))
    return;
  dialog = teken_window_get_sign_dialog (self);
  if (dialog == NULL)
    {
      dialog = teken_sign_dialog_new (GTK_WINDOW (self), teken_window_get_identity_store (self), self->file);
      g_object_set_data (G_OBJECT (self), DIALOG_KEY, dialog);
      g_signal_connect_object (dialog, "signed", G_CALLBACK (signed_cb), self, 0);
      g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_destroy_cb), self, G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The helpdesk path: demo identity, the sample letter in Documents, then the sign dialog. */
static void
demo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TekenWindow *self = TEKEN_WINDOW (widget);
  TekenIdentityStore *store = teken_window_get_identity_store (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenIdentity) identity = NULL;
  g_autofree char *letter = NULL;
  g_autoptr(GFile) file = NULL;

  if (!teken_identity_store_refresh_sync (store, NULL, &error) ||
      (identity = teken_demo_create_identity (store, NULL, &error)) == NULL ||
      (letter = teken_demo_copy_sample_letter (NULL, &error)) == NULL)
    {
      _teken_window_toast (self, error->message);
      return;
    }
  file = g_file_new_for_path (letter);
  teken_window_open (self, file);
  _teken_window_toast (self, _("Demo certificate ready: open “Sign” to sign the sample letter"));
}

static void
certificates_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TekenWindow *self = TEKEN_WINDOW (widget);
  TekenCertManager *manager = teken_cert_manager_new (GTK_WINDOW (self), teken_window_get_identity_store (self));

  gtk_window_present (GTK_WINDOW (manager));
}

void
_teken_window_sign_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "win.demo", NULL, demo_action);
  gtk_widget_class_install_action (widget_class, "win.certificates", NULL, certificates_action);
}
