/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-pin-dialog.h"

struct _TekenPinDialog
{
  AdwWindow parent_instance;

  /* Template children */
  AdwPreferencesGroup *group;
  AdwPasswordEntryRow *current_row;
  AdwPasswordEntryRow *new_row;
  AdwPasswordEntryRow *repeat_row;
  GtkWidget *change_button;
  GtkSpinner *spinner;
  GtkLabel *message_label;

  TekenIdentity *identity;
  GCancellable *cancellable;
  char *message;
  guint busy : 1;
};

enum { PIN_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TekenPinDialog, teken_pin_dialog, ADW_TYPE_WINDOW)

static void
set_message (TekenPinDialog *self,
             const char     *message)
{
  g_free (self->message);
  self->message = g_strdup (message != NULL ? message : "");
  gtk_label_set_text (self->message_label, self->message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), *self->message != '\0');
}

/* NULL when the entries are acceptable, else why not (translated). */
static const char *
check_entries (TekenPinDialog *self)
{
  const char *new_pin = gtk_editable_get_text (GTK_EDITABLE (self->new_row));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));

  if (*repeat != '\0' && g_strcmp0 (new_pin, repeat) != 0)
    return _("The new PINs do not match");
  return NULL;
}

static void
update_state (TekenPinDialog *self)
{
  gboolean filled = *gtk_editable_get_text (GTK_EDITABLE (self->current_row)) != '\0' &&
                    *gtk_editable_get_text (GTK_EDITABLE (self->new_row)) != '\0' &&
                    *gtk_editable_get_text (GTK_EDITABLE (self->repeat_row)) != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.change",
                                 !self->busy && filled && check_entries (self) == NULL);
  /* Not insensitive: a focused entry made insensitive upsets GtkText's focus tracking. */
  gtk_editable_set_editable (GTK_EDITABLE (self->current_row), !self->busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->new_row), !self->busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->repeat_row), !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

static void
entry_changed_cb (TekenPinDialog *self)
{
  const char *problem = check_entries (self);

  /* The mismatch is said at once; an earlier token error stays until the entries change. */
  set_message (self, problem);
  update_state (self);
}

static void
change_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TekenPinDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!teken_identity_change_pin_finish (TEKEN_IDENTITY (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  update_state (self);
  if (error != NULL)
    {
      set_message (self, error->message);
      return;
    }
  g_free (self->message);
  self->message = g_strdup (_("The token's PIN was changed"));
  g_signal_emit (self, signals[PIN_CHANGED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
change_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TekenPinDialog *self = TEKEN_PIN_DIALOG (widget);
  const char *problem = check_entries (self);
  g_autoptr(TekenSecret) old_pin = NULL;
  g_autoptr(TekenSecret) new_pin = NULL;

  if (self->busy)
    return;
  if (problem != NULL)
    {
      set_message (self, problem);
      return;
    }
  old_pin = teken_secret_new (gtk_editable_get_text (GTK_EDITABLE (self->current_row)));
  new_pin = teken_secret_new (gtk_editable_get_text (GTK_EDITABLE (self->new_row)));
  self->busy = TRUE;
  set_message (self, NULL);
  update_state (self);
  teken_identity_change_pin_async (self->identity, old_pin, new_pin, self->cancellable,
                                   change_cb, g_object_ref (self));
}

static void
repeat_activated_cb (TekenPinDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "pin.change", NULL);
}

static void
teken_pin_dialog_dispose (GObject *object)
{
  TekenPinDialog *self = TEKEN_PIN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (teken_pin_dialog_parent_class)->dispose (object);
}

static void
teken_pin_dialog_finalize (GObject *object)
{
  TekenPinDialog *self = TEKEN_PIN_DIALOG (object);

  g_clear_object (&self->identity);
  g_clear_object (&self->cancellable);
  g_free (self->message);
  G_OBJECT_CLASS (teken_pin_dialog_parent_class)->finalize (object);
}

static void
teken_pin_dialog_class_init (TekenPinDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_pin_dialog_dispose;
  object_class->finalize = teken_pin_dialog_finalize;

  signals[PIN_CHANGED] = g_signal_new ("pin-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-pin-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenPinDialog, group);
  gtk_widget_class_bind_template_child (widget_class, TekenPinDialog, current_row);
  gtk_widget_class_bind_template_child (widget_class, TekenPinDialog, new_row);
  gtk_widget_class_bind_template_child (widget_class, TekenPinDialog, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, TekenPinDialog, change_button);
  gtk_widget_class_bind_template_child (widget_class, TekenPinDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, TekenPinDialog, message_label);
  gtk_widget_class_bind_template_callback (widget_class, repeat_activated_cb);
  gtk_widget_class_install_action (widget_class, "pin.change", NULL, change_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
teken_pin_dialog_init (TekenPinDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->message = g_strdup ("");
  g_signal_connect_swapped (self->current_row, "changed", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->new_row, "changed", G_CALLBACK (entry_changed_cb), self);
  g_signal_connect_swapped (self->repeat_row, "changed", G_CALLBACK (entry_changed_cb), self);
  update_state (self);
}

static char *
describe_length (TekenIdentity *identity)
{
  guint min = 0, max = 0;

  if (!teken_identity_get_pin_length (identity, &min, &max))
    return NULL;
  if (max > 0)
    /* translators: %u are numbers of characters */
    return g_strdup_printf (_("The token accepts a PIN of %u to %u characters."), min, max);
  /* translators: %u is a number of characters */
  return g_strdup_printf (_("The token accepts a PIN of at least %u characters."), min);
}

TekenPinDialog *
teken_pin_dialog_new (GtkWindow     *parent,
                      TekenIdentity *identity)
{
  TekenPinDialog *self;
  g_autofree char *length = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (TEKEN_IS_IDENTITY (identity), NULL);

  self = g_object_new (TEKEN_TYPE_PIN_DIALOG, "transient-for", parent, NULL);
  self->identity = g_object_ref (identity);
  /* translators: %s is the token's label */
  title = g_strdup_printf (_("Token “%s”"), teken_identity_get_token_label (identity));
  adw_preferences_group_set_title (self->group, title);
  length = describe_length (identity);
  adw_preferences_group_set_description (self->group, length);
  return self;
}

void
teken_pin_dialog_set_pins (TekenPinDialog *self,
                           const char     *current,
                           const char     *new_pin,
                           const char     *repeat)
{
  g_return_if_fail (TEKEN_IS_PIN_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->current_row), current);
  gtk_editable_set_text (GTK_EDITABLE (self->new_row), new_pin);
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), repeat);
}

gboolean
teken_pin_dialog_get_busy (TekenPinDialog *self)
{
  g_return_val_if_fail (TEKEN_IS_PIN_DIALOG (self), FALSE);
  return self->busy;
}

const char *
teken_pin_dialog_get_message (TekenPinDialog *self)
{
  g_return_val_if_fail (TEKEN_IS_PIN_DIALOG (self), NULL);
  return self->message;
}

static void
pin_changed_cb (TekenPinDialog *dialog,
                GtkWidget      *row)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (row, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay),
                                 adw_toast_new (teken_pin_dialog_get_message (dialog)));
}

static void
change_clicked_cb (GtkWidget     *button,
                   TekenIdentity *identity)
{
  GtkWidget *row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
  TekenPinDialog *dialog;

  dialog = teken_pin_dialog_new (GTK_WINDOW (gtk_widget_get_root (button)), identity);
  g_signal_connect_object (dialog, "pin-changed", G_CALLBACK (pin_changed_cb), row, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWidget *
teken_pin_dialog_new_row (TekenIdentity *identity)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("Change _PIN…"));
  gboolean allowed = teken_identity_can_change_pin (identity);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("PIN"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               allowed ? _("The token's user PIN, asked before each signing session")
                                       : _("This token does not let Teken change its PIN"));
  gtk_widget_set_name (button, "change_pin_button");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (button, allowed);
  if (!allowed)
    gtk_widget_set_tooltip_text (button, _("The token is write-protected or takes its PIN on its own keypad"));
  g_signal_connect_data (button, "clicked", G_CALLBACK (change_clicked_cb),
                         g_object_ref (identity), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}
