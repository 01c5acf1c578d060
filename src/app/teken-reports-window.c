/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-application.h"
#include "teken-reports.h"
#include "teken-reports-window.h"

struct _TekenReportsWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  GtkListView *list_view;

  TekenOutbox *outbox;
  GCancellable *cancellable;
  guint n_sending;
};

G_DEFINE_FINAL_TYPE (TekenReportsWindow, teken_reports_window, ADW_TYPE_APPLICATION_WINDOW)

/* Widgets of one row, kept on the row box. */
typedef struct
{
  GtkImage *icon;
  GtkLabel *title;
  GtkLabel *subtitle;
  GtkLabel *state;
  GtkButton *send;
  GtkButton *letter;
  GtkButton *folder;
  GtkButton *remove;
} Row;

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (time);
  /* translators: date and time of a report in the history, see strftime(3) */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M"));
}

char *
teken_reports_describe_state (TekenOutboxEntry *entry)
{
  const char *error = teken_outbox_entry_get_last_error (entry);
  g_autofree char *next = NULL;

  switch (teken_outbox_entry_get_state (entry))
    {
    case TEKEN_OUTBOX_STATE_DRAFT:
      return g_strdup (_("Draft · not sent"));
    case TEKEN_OUTBOX_STATE_QUEUED:
      next = format_time (teken_outbox_entry_get_next_attempt (entry));
      if (error != NULL)
        /* translators: the first %s is a date and time, the second the server's or network's message */
        return g_strdup_printf (_("Queued · next attempt %s · %s"), next, error);
      if (teken_outbox_entry_get_next_attempt (entry) != NULL)
        /* translators: %s is a date and time */
        return g_strdup_printf (_("Queued · next attempt %s"), next);
      return g_strdup (_("Queued"));
    case TEKEN_OUTBOX_STATE_SENDING:
      if (teken_outbox_entry_is_interrupted (entry))
        return g_strdup (_("Interrupted · will be sent again with the same key"));
      return g_strdup (_("Sending…"));
    case TEKEN_OUTBOX_STATE_SENT:
      /* translators: %s is the ticket number, e-mail Message-ID or folder the report went to */
      return g_strdup_printf (_("Sent · ticket %s"), teken_outbox_entry_get_receipt (entry));
    case TEKEN_OUTBOX_STATE_FAILED:
      /* translators: %s is the server's message */
      return g_strdup_printf (_("Failed · %s"), error != NULL ? error : _("no reason given"));
    default:
      return g_strdup (teken_outbox_state_get_label (teken_outbox_entry_get_state (entry)));
    }
}

static const char *
state_icon (TekenOutboxState state)
{
  switch (state)
    {
    case TEKEN_OUTBOX_STATE_DRAFT:
      return "document-edit-symbolic";
    case TEKEN_OUTBOX_STATE_QUEUED:
    case TEKEN_OUTBOX_STATE_SENDING:
      return "mail-send-symbolic";
    case TEKEN_OUTBOX_STATE_SENT:
      return "emblem-ok-symbolic";
    case TEKEN_OUTBOX_STATE_FAILED:
    default:
      return "dialog-warning-symbolic";
    }
}

static const char *
state_class (TekenOutboxState state)
{
  switch (state)
    {
    case TEKEN_OUTBOX_STATE_SENT:
      return "success";
    case TEKEN_OUTBOX_STATE_FAILED:
      return "error";
    case TEKEN_OUTBOX_STATE_QUEUED:
    case TEKEN_OUTBOX_STATE_SENDING:
      return "warning";
    case TEKEN_OUTBOX_STATE_DRAFT:
    default:
      return "dim-label";
    }
}

static GtkButton *
row_button (GtkBox     *box,
            const char *icon,
            const char *tooltip)
{
  GtkWidget *button = icon != NULL ? gtk_button_new_from_icon_name (icon) : gtk_button_new ();

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  if (icon != NULL)
    gtk_widget_add_css_class (button, "flat");
  gtk_box_append (box, button);
  return GTK_BUTTON (button);
}

static GtkLabel *
row_label (GtkBox *box)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (box, label);
  return GTK_LABEL (label);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  Row *row = g_new0 (Row, 1);

  g_object_set (box, "margin-top", 10, "margin-bottom", 10, "margin-start", 12, "margin-end", 8, NULL);
  row->icon = GTK_IMAGE (gtk_image_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->icon));
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), text);
  row->title = row_label (GTK_BOX (text));
  gtk_widget_add_css_class (GTK_WIDGET (row->title), "heading");
  row->subtitle = row_label (GTK_BOX (text));
  gtk_widget_add_css_class (GTK_WIDGET (row->subtitle), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (row->subtitle), "caption");
  row->state = row_label (GTK_BOX (text));
  gtk_label_set_selectable (row->state, TRUE);
  row->send = row_button (GTK_BOX (box), NULL, _("Send this report now"));
  row->letter = row_button (GTK_BOX (box), "x-office-document-symbolic", _("Open the letter"));
  row->folder = row_button (GTK_BOX (box), "folder-open-symbolic", _("Show the report’s folder"));
  row->remove = row_button (GTK_BOX (box), "user-trash-symbolic", _("Remove"));
  g_object_set_data_full (G_OBJECT (box), "row", row, g_free);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  TekenOutboxEntry *entry = gtk_list_item_get_item (item);
  Row *row = g_object_get_data (G_OBJECT (gtk_list_item_get_child (item)), "row");
  TekenOutboxState state = teken_outbox_entry_get_state (entry);
  GVariant *target = g_variant_new_string (teken_outbox_entry_get_id (entry));
  g_autofree char *created = format_time (teken_outbox_entry_get_created (entry));
  g_autofree char *subtitle = NULL;
  g_autofree char *text = teken_reports_describe_state (entry);
  static const char *classes[] = { "success", "error", "warning", "dim-label" };
  gboolean busy = state == TEKEN_OUTBOX_STATE_SENDING && !teken_outbox_entry_is_interrupted (entry);

  gtk_image_set_from_icon_name (row->icon, state_icon (state));
  gtk_label_set_label (row->title, teken_report_kind_get_label (teken_outbox_entry_get_kind (entry)));
  /* translators: %s is the date and time the report was written */
  subtitle = g_strdup_printf (_("Written %s"), created);
  gtk_label_set_label (row->subtitle, subtitle);
  gtk_label_set_label (row->state, text);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (row->state), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (row->state), state_class (state));

  /* The target first: an action name with no target would not match the "s" parameter. */
  g_variant_ref_sink (target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row->send), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row->letter), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row->folder), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row->remove), target);
  g_variant_unref (target);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row->send), "reports.send");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row->letter), "reports.open-letter");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row->folder), "reports.show-folder");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row->remove), "reports.remove");

  gtk_button_set_label (row->send, state == TEKEN_OUTBOX_STATE_FAILED || state == TEKEN_OUTBOX_STATE_SENDING
                                   ? _("Retry") : _("Send Now"));
  gtk_widget_set_visible (GTK_WIDGET (row->send), state != TEKEN_OUTBOX_STATE_SENT && !busy);
  gtk_widget_set_visible (GTK_WIDGET (row->remove),
                          state == TEKEN_OUTBOX_STATE_DRAFT || state == TEKEN_OUTBOX_STATE_FAILED);
}

static void
update_page (TekenReportsWindow *self)
{
  GListModel *entries = teken_outbox_get_entries (self->outbox);

  gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (entries) > 0 ? "list" : "empty");
}

static void
entries_changed_cb (GListModel         *model,
                    guint               position,
                    guint               removed,
                    guint               added,
                    TekenReportsWindow *self)
{
  update_page (self);
}

static TekenOutboxEntry *
lookup (TekenReportsWindow *self,
        GVariant           *parameter)
{
  g_autoptr(GError) error = NULL;
  TekenOutboxEntry *entry = teken_outbox_lookup (self->outbox, g_variant_get_string (parameter, NULL), &error);

  if (entry == NULL)
    teken_reports_window_add_toast (self, error->message);
  return entry;
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TekenReportsWindow *self = TEKEN_REPORTS_WINDOW (widget);
  g_autoptr(TekenOutboxEntry) entry = lookup (self, parameter);
  g_autoptr(GError) error = NULL;

  if (entry == NULL)
    return;
  /* A draft is checked and queued first; the outbox refuses an incomplete one. */
  if (teken_outbox_entry_get_state (entry) == TEKEN_OUTBOX_STATE_DRAFT &&
      !teken_outbox_queue (self->outbox, teken_outbox_entry_get_id (entry), &error))
    {
      teken_reports_window_add_toast (self, error->message);
      return;
    }
  teken_reports_window_send (self, teken_outbox_entry_get_id (entry), TRUE);
}

static void
open_letter_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TekenReportsWindow *self = TEKEN_REPORTS_WINDOW (widget);
  g_autoptr(TekenOutboxEntry) entry = lookup (self, parameter);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (entry == NULL)
    return;
  path = teken_outbox_entry_get_letter_path (entry);
  file = g_file_new_for_path (path);
  /* Teken's own window shows the letter with its signature checked. */
  if (TEKEN_IS_APPLICATION (app))
    teken_application_open_file (TEKEN_APPLICATION (app), file);
  else
    {
      g_autofree char *uri = g_file_get_uri (file);
      gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
    }
}

static void
show_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TekenReportsWindow *self = TEKEN_REPORTS_WINDOW (widget);
  g_autoptr(TekenOutboxEntry) entry = lookup (self, parameter);
  g_autofree char *uri = NULL;

  if (entry == NULL)
    return;
  uri = g_filename_to_uri (teken_outbox_entry_get_directory (entry), NULL, NULL);
  if (uri != NULL)
    gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static void
remove_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    TekenReportsWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "report-id");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "remove") != 0)
    return;
  if (!teken_outbox_remove (self->outbox, id, &error))
    teken_reports_window_add_toast (self, error->message);
  else
    teken_reports_window_add_toast (self, _("Report removed"));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TekenReportsWindow *self = TEKEN_REPORTS_WINDOW (widget);
  g_autoptr(TekenOutboxEntry) entry = lookup (self, parameter);
  GtkWidget *dialog;
  gboolean draft;

  if (entry == NULL)
    return;
  draft = teken_outbox_entry_get_state (entry) == TEKEN_OUTBOX_STATE_DRAFT;
  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   draft ? _("Remove the Draft?") : _("Remove the Failed Report?"),
                                   NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* translators: %s is a report kind, e.g. "Certificate renewal request" */
                                  _("“%s” and its letter will be deleted. This cannot be undone."),
                                  teken_report_kind_get_label (teken_outbox_entry_get_kind (entry)));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "report-id", g_strdup (teken_outbox_entry_get_id (entry)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TekenReportsWindow) self = user_data;
  g_autoptr(TekenOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GtkApplication *app;

  self->n_sending--;
  entry = teken_outbox_send_finish (TEKEN_OUTBOX (object), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))   /* the window was closed */
    return;
  if (entry == NULL)
    message = g_strdup (error->message);
  else if (teken_outbox_entry_get_state (entry) == TEKEN_OUTBOX_STATE_SENT)
    /* translators: %s is the ticket number (or Message-ID, or folder) */
    message = g_strdup_printf (_("Report delivered: ticket %s"), teken_outbox_entry_get_receipt (entry));
  else if (teken_outbox_entry_get_state (entry) == TEKEN_OUTBOX_STATE_FAILED)
    /* translators: %s is the server's message */
    message = g_strdup_printf (_("The report was refused: %s"), teken_outbox_entry_get_last_error (entry));
  else
    message = g_strdup (_("Not delivered yet; it will be retried automatically"));
  teken_reports_window_add_toast (self, message);
  app = gtk_window_get_application (GTK_WINDOW (self));
  if (app != NULL)
    teken_reports_schedule_due (app);
}

static void
teken_reports_window_dispose (GObject *object)
{
  TekenReportsWindow *self = TEKEN_REPORTS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (teken_outbox_get_entries (self->outbox), self);
  g_clear_object (&self->outbox);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEKEN_TYPE_REPORTS_WINDOW);

  G_OBJECT_CLASS (teken_reports_window_parent_class)->dispose (object);
}

static void
teken_reports_window_class_init (TekenReportsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_reports_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-reports-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenReportsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TekenReportsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TekenReportsWindow, list_view);

  gtk_widget_class_install_action (widget_class, "reports.send", "s", send_action);
  gtk_widget_class_install_action (widget_class, "reports.open-letter", "s", open_letter_action);
  gtk_widget_class_install_action (widget_class, "reports.show-folder", "s", show_folder_action);
  gtk_widget_class_install_action (widget_class, "reports.remove", "s", remove_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
teken_reports_window_init (TekenReportsWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
}

TekenReportsWindow *
teken_reports_window_new (GtkApplication *app)
{
  TekenReportsWindow *self;
  g_autoptr(GError) error = NULL;
  GListModel *entries;

  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);

  self = g_object_new (TEKEN_TYPE_REPORTS_WINDOW, "application", app, NULL);
  self->outbox = teken_reports_get_outbox (app, &error);
  if (self->outbox == NULL)
    {
      teken_reports_window_add_toast (self, error->message);
      return self;
    }
  g_object_ref (self->outbox);
  /* Another process (teken-cli) may have changed the outbox since the app started. */
  if (!teken_outbox_reload (self->outbox, &error))
    teken_reports_window_add_toast (self, error->message);
  entries = teken_outbox_get_entries (self->outbox);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (entries))));
  g_signal_connect (entries, "items-changed", G_CALLBACK (entries_changed_cb), self);
  update_page (self);
  return self;
}

void
teken_reports_window_send (TekenReportsWindow *self,
                           const char         *id,
                           gboolean            force)
{
  g_autoptr(TekenDelivery) delivery = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_return_if_fail (TEKEN_IS_REPORTS_WINDOW (self));
  g_return_if_fail (id != NULL);

  if (self->outbox == NULL)
    return;
  delivery = teken_reports_new_delivery (&error);
  if (delivery == NULL)
    {
      /* translators: %s says which setting is missing; the report stays in the outbox */
      message = g_strdup_printf (_("Not sent: %s. The report stays in the outbox."), error->message);
      teken_reports_window_add_toast (self, message);
      return;
    }
  self->n_sending++;
  teken_outbox_send_async (self->outbox, id, delivery, force, self->cancellable, sent_cb, g_object_ref (self));
}

void
teken_reports_window_add_toast (TekenReportsWindow *self,
                                const char         *title)
{
  AdwToast *toast;

  g_return_if_fail (TEKEN_IS_REPORTS_WINDOW (self));

  toast = teken_reports_toast_new (title);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

guint
teken_reports_window_get_n_sending (TekenReportsWindow *self)
{
  g_return_val_if_fail (TEKEN_IS_REPORTS_WINDOW (self), 0);

  return self->n_sending;
}
