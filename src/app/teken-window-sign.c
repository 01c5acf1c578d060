/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "teken-batch-window.h"
#include "teken-cert-manager.h"
#include "teken-demo.h"
#include "teken-preferences.h"
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

/* Expiry reminders */

#define EXPIRY_BAR_KEY    "teken-expiry-bar"
#define EXPIRY_LABEL_KEY  "teken-expiry-label"
#define EXPIRY_SOURCE_KEY "teken-expiry-source"
#define NOTIFIED_KEY      "teken-expiry-notified"
#define EXPIRY_ID_KEY     "teken-expiry-identity"
#define EXPIRY_DELAY_S    3

static char *
describe_expiring (GPtrArray *expiring,
                   guint      days)
{
  TekenIdentity *first;
  gint left;

  if (expiring->len > 1)
    /* translators: %u is a number of certificates, the second %u a number of days */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u certificate expires within %u days: renew it in time",
                                         "%u certificates expire within %u days: renew them in time", expiring->len),
                            expiring->len, days);
  first = expiring->pdata[0];
  left = teken_identity_get_days_to_expiry (first, NULL);
  if (left < 0)
    /* translators: %s is the certificate holder's name */
    return g_strdup_printf (_("The certificate of %s has expired: it can no longer sign"), teken_identity_get_label (first));
  /* translators: %s is the certificate holder's name, %d a number of days */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The certificate of %s expires in %d day",
                                       "The certificate of %s expires in %d days", left),
                          teken_identity_get_label (first), left);
}

/* "Request Renewal…" opens the report form (app.report) prefilled with the expiring identity. */
static void
renewal_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     TekenWindow      *self)
{
  const char *id = g_object_get_data (G_OBJECT (self), EXPIRY_ID_KEY);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *target = NULL;

  if (!g_str_equal (response, "request") || id == NULL || app == NULL)
    return;
  target = g_strdup_printf ("renewal:%s", id);
  g_action_group_activate_action (G_ACTION_GROUP (app), "report", g_variant_new_string (target));
}

AdwMessageDialog *
teken_window_show_renewal (TekenWindow *self)
{
  g_autofree char *contact = g_settings_get_string (self->settings, "ra-contact");
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Renew Your Certificate"), NULL);
  g_autofree char *body = NULL;

  if (*contact != '\0')
    /* translators: %s is the Registration Authority's contact (address, phone, e-mail) */
    body = g_strdup_printf (_("Ask your Registration Authority (RA) to renew the certificate before it expires; "
                              "an expired certificate cannot sign.\n\n%s"), contact);
  else
    body = g_strdup (_("Ask your Registration Authority (RA) to renew the certificate before it expires; "
                       "an expired certificate cannot sign.\n\nNo RA contact is configured yet: ask your "
                       "administrator to set it in the preferences (ra-contact)."));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  if (g_object_get_data (G_OBJECT (self), EXPIRY_ID_KEY) != NULL)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "request", _("_Request Renewal…"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "request", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "request");
      g_signal_connect_object (dialog, "response", G_CALLBACK (renewal_response_cb), self, 0);
    }
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
renew_clicked_cb (TekenWindow *self)
{
  teken_window_show_renewal (self);
}

static void
dismiss_clicked_cb (TekenWindow *self)
{
  GtkRevealer *bar = g_object_get_data (G_OBJECT (self), EXPIRY_BAR_KEY);

  gtk_revealer_set_reveal_child (bar, FALSE);
}

/* A revealer bar above the signature bar (AdwBanner needs libadwaita 1.3). */
static void
ensure_expiry_bar (TekenWindow *self)
{
  GtkWidget *revealer, *box, *icon, *label, *renew, *dismiss;
  GtkWidget *anchor = GTK_WIDGET (self->signature_bar);

  if (anchor == NULL || g_object_get_data (G_OBJECT (self), EXPIRY_BAR_KEY) != NULL ||
      gtk_widget_get_parent (anchor) == NULL)
    return;
  revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (revealer), GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "signature-bar");
  gtk_widget_add_css_class (box, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Certificate expiry"), -1);
  icon = gtk_image_new_from_icon_name ("alarm-symbolic");
  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "verdict");
  renew = gtk_button_new_with_mnemonic (_("How to _Renew…"));
  gtk_widget_set_valign (renew, GTK_ALIGN_CENTER);
  dismiss = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (dismiss, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (dismiss, _("Hide"));
  gtk_widget_add_css_class (dismiss, "flat");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), renew);
  gtk_box_append (GTK_BOX (box), dismiss);
  gtk_revealer_set_child (GTK_REVEALER (revealer), box);
  g_signal_connect_swapped (renew, "clicked", G_CALLBACK (renew_clicked_cb), self);
  g_signal_connect_swapped (dismiss, "clicked", G_CALLBACK (dismiss_clicked_cb), self);
  gtk_widget_insert_before (revealer, gtk_widget_get_parent (anchor), anchor);
  g_object_set_data (G_OBJECT (self), EXPIRY_BAR_KEY, revealer);
  g_object_set_data (G_OBJECT (self), EXPIRY_LABEL_KEY, label);
}

static void
notify_expiry (TekenWindow *self,
               const char  *text)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;

  if (app == NULL || g_object_get_data (G_OBJECT (app), NOTIFIED_KEY) != NULL)
    return;  /* once per run */
  notification = g_notification_new (_("Certificate Expires Soon"));
  g_notification_set_body (notification, text);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_application_send_notification (app, "certificate-expiry", notification);
  g_object_set_data (G_OBJECT (app), NOTIFIED_KEY, GINT_TO_POINTER (1));
}

static void
expiry_refresh_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TekenWindow) self = user_data;
  GListModel *model = teken_identity_store_get_identities (TEKEN_IDENTITY_STORE (object));
  guint days = g_settings_get_uint (self->settings, "reminder-days");
  g_autoptr(GPtrArray) expiring = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *text = NULL;
  GtkRevealer *bar;

  /* a locked or missing keyring is not an error here: check what is listed */
  teken_identity_store_refresh_finish (TEKEN_IDENTITY_STORE (object), result, NULL);
  bar = g_object_get_data (G_OBJECT (self), EXPIRY_BAR_KEY);
  if (self->signature_bar == NULL || bar == NULL || days == 0)  /* closed meanwhile, or off */
    return;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenIdentity) identity = g_list_model_get_item (model, i);
      gint left = teken_identity_get_days_to_expiry (identity, NULL);

      /* the demo identity is not worth a reminder */
      if (left <= (gint) days && !teken_demo_identity_is_demo (identity))
        g_ptr_array_add (expiring, g_steal_pointer (&identity));
    }
  if (expiring->len == 0)
    {
      gtk_revealer_set_reveal_child (bar, FALSE);
      return;
    }
  /* the renewal request is prefilled with the first one; the form lets the user pick another */
  g_object_set_data_full (G_OBJECT (self), EXPIRY_ID_KEY,
                          g_strdup (teken_identity_get_id (expiring->pdata[0])), g_free);
  text = describe_expiring (expiring, days);
  gtk_label_set_text (g_object_get_data (G_OBJECT (self), EXPIRY_LABEL_KEY), text);
  gtk_revealer_set_reveal_child (bar, TRUE);
  notify_expiry (self, text);
}

void
teken_window_check_expiry (TekenWindow *self)
{
  ensure_expiry_bar (self);
  teken_identity_store_refresh_async (teken_window_get_identity_store (self), NULL, expiry_refresh_cb,
                                      g_object_ref (self));
}

const char *
teken_window_get_expiry_text (TekenWindow *self)
{
  GtkRevealer *bar = g_object_get_data (G_OBJECT (self), EXPIRY_BAR_KEY);

  if (bar == NULL || !gtk_revealer_get_reveal_child (bar))
    return "";
  return gtk_label_get_text (g_object_get_data (G_OBJECT (self), EXPIRY_LABEL_KEY));
}

static gboolean
expiry_timeout_cb (gpointer data)
{
  TekenWindow *self = data;

  g_object_steal_data (G_OBJECT (self), EXPIRY_SOURCE_KEY);
  teken_window_check_expiry (self);
  return G_SOURCE_REMOVE;
}

static void
remove_source (gpointer data)
{
  g_source_remove (GPOINTER_TO_UINT (data));
}

/* Once per window, a little after it opened; only in a desktop session (keyring, notifications). */
static void
schedule_expiry_check (TekenWindow *self)
{
  guint id;

  if (g_object_get_data (G_OBJECT (self), "teken-expiry-scheduled") != NULL)
    return;
  g_object_set_data (G_OBJECT (self), "teken-expiry-scheduled", GINT_TO_POINTER (1));
  ensure_expiry_bar (self);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL || g_settings_get_uint (self->settings, "reminder-days") == 0)
    return;
  id = g_timeout_add_seconds (EXPIRY_DELAY_S, expiry_timeout_cb, self);
  g_object_set_data_full (G_OBJECT (self), EXPIRY_SOURCE_KEY, GUINT_TO_POINTER (id), remove_source);
}

void
_teken_window_sign_update (TekenWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign", can_sign (self));
  schedule_expiry_check (self);
}

static void
signed_cb (TekenSignDialog *dialog,
           GFile           *output,
           TekenWindow     *self)
{
  g_autofree char *name = g_file_get_basename (output);
  const char *level = teken_pades_level_to_string (teken_sign_dialog_get_reached_level (dialog));
  const char *warning = teken_sign_dialog_get_level_warning (dialog);
  /* translators: the first %s is the file name of the signed copy, the second a PAdES level such as B-T */
  g_autofree char *message = g_strdup_printf (_("Signed at level %2$s and saved as “%1$s”"), name, level);

  teken_window_open (self, output);
  _teken_window_toast (self, warning ? warning : message);
}

static void
dialog_destroy_cb (TekenWindow *self)
{
  g_object_set_data (G_OBJECT (self), DIALOG_KEY, NULL);
  g_object_set_data (G_OBJECT (self), "teken-placing", NULL);
  if (self->view != NULL)
    teken_document_view_set_emphasis (self->view, NULL);
}

/* Placing the stamp: a drag on the document view while the sign dialog is hidden. */

#define MIN_STAMP_W  60.0
#define MIN_STAMP_H  24.0
#define DEF_STAMP_W 200.0
#define DEF_STAMP_H  70.0

static gboolean
rect_from_points (TekenWindow   *self,
                  double         x1,
                  double         y1,
                  double         x2,
                  double         y2,
                  TekenPageRect *rect)
{
  guint page1, page2;
  double px1, py1, px2, py2, pw = 0, ph = 0;

  if (!teken_document_view_point_to_page (self->view, x1, y1, &page1, &px1, &py1))
    return FALSE;
  teken_page_renderer_get_page_size (self->renderer, page1, &pw, &ph);
  if (!teken_document_view_point_to_page (self->view, x2, y2, &page2, &px2, &py2) || page2 != page1 ||
      fabs (px2 - px1) < MIN_STAMP_W || fabs (py2 - py1) < MIN_STAMP_H)
    {
      /* a click: the default size, kept on the page */
      px2 = MIN (px1 + DEF_STAMP_W, pw);
      py2 = MIN (py1 + DEF_STAMP_H, ph);
      px1 = MAX (0, px2 - DEF_STAMP_W);
      py1 = MAX (0, py2 - DEF_STAMP_H);
    }
  rect->page = page1;
  rect->x1 = MIN (px1, px2);
  rect->y1 = MIN (py1, py2);
  rect->x2 = MAX (px1, px2);
  rect->y2 = MAX (py1, py2);
  return TRUE;
}

gboolean
teken_window_place_stamp (TekenWindow *self,
                          double       x1,
                          double       y1,
                          double       x2,
                          double       y2)
{
  TekenSignDialog *dialog = teken_window_get_sign_dialog (self);
  TekenPageRect rect;

  g_object_set_data (G_OBJECT (self), "teken-placing", NULL);
  if (dialog == NULL)
    return FALSE;
  if (!rect_from_points (self, x1, y1, x2, y2, &rect))
    {
      gtk_widget_set_visible (GTK_WIDGET (dialog), TRUE);
      return FALSE;
    }
  teken_document_view_set_emphasis (self->view, &rect);
  teken_sign_dialog_set_rect (dialog, rect.page, rect.x1, rect.y1, rect.x2 - rect.x1, rect.y2 - rect.y1);
  teken_sign_dialog_set_visible_stamp (dialog, TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               TekenWindow    *self)
{
  if (g_object_get_data (G_OBJECT (self), "teken-placing") == NULL)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
  else
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                TekenWindow    *self)
{
  double x, y;
  TekenPageRect rect;

  if (g_object_get_data (G_OBJECT (self), "teken-placing") == NULL ||
      !gtk_gesture_drag_get_start_point (gesture, &x, &y))
    return;
  if (rect_from_points (self, x, y, x + dx, y + dy, &rect))
    teken_document_view_set_emphasis (self->view, &rect);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             TekenWindow    *self)
{
  double x, y;

  if (g_object_get_data (G_OBJECT (self), "teken-placing") == NULL ||
      !gtk_gesture_drag_get_start_point (gesture, &x, &y))
    return;
  teken_window_place_stamp (self, x, y, x + dx, y + dy);
}

static void
place_requested_cb (TekenSignDialog *dialog,
                    TekenWindow     *self)
{
  if (g_object_get_data (G_OBJECT (self->view), "teken-place-gesture") == NULL)
    {
      GtkGesture *drag = gtk_gesture_drag_new ();

      gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
      g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
      g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
      g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (self->view), GTK_EVENT_CONTROLLER (drag));
      g_object_set_data (G_OBJECT (self->view), "teken-place-gesture", drag);
    }
  g_object_set_data (G_OBJECT (self), "teken-placing", GINT_TO_POINTER (1));
  gtk_widget_set_visible (GTK_WIDGET (dialog), FALSE);
  _teken_window_toast (self, _("Drag a rectangle on the page where the stamp goes"));
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
      g_signal_connect_object (dialog, "place-requested", G_CALLBACK (place_requested_cb), self, 0);
      if (self->result != NULL)
        teken_sign_dialog_set_empty_fields (dialog, teken_document_result_get_signatures (self->result));
      g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_destroy_cb), self, G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The helpdesk path: demo identity, the sample letter in Documents, then the sign dialog.
 * Key generation and the keyring run off the main thread; the welcome page's button shows a
 * spinner meanwhile. */
#define DEMO_BUSY_KEY "teken-demo-busy"

/* The welcome page's button for win.demo (not a bound template child of the window). */
static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
teken_window_get_demo_button (TekenWindow *self)
{
  return find_action_button (GTK_WIDGET (self), "win.demo");
}

static void
demo_set_busy (TekenWindow *self,
               gboolean     busy)
{
  GtkWidget *button = teken_window_get_demo_button (self);

  g_object_set_data (G_OBJECT (self), DEMO_BUSY_KEY, GINT_TO_POINTER (busy));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.demo", !busy);
  if (button == NULL)
    return;
  if (busy)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *spinner = gtk_spinner_new ();

      g_object_set_data_full (G_OBJECT (button), "teken-label",
                              g_strdup (gtk_button_get_label (GTK_BUTTON (button))), g_free);
      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_box_append (GTK_BOX (box), spinner);
      gtk_box_append (GTK_BOX (box), gtk_label_new (_("Creating the demo certificate…")));
      gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
      gtk_button_set_child (GTK_BUTTON (button), box);
    }
  else if (g_object_get_data (G_OBJECT (button), "teken-label") != NULL)
    {
      gtk_button_set_label (GTK_BUTTON (button), g_object_get_data (G_OBJECT (button), "teken-label"));
      gtk_button_set_use_underline (GTK_BUTTON (button), TRUE);
    }
}

static void
demo_failed (TekenWindow *self,
             GError      *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The Demo Certificate Could Not Be Created"),
                                              error->message);

  demo_set_busy (self, FALSE);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
demo_created_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TekenWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenIdentity) identity = teken_demo_create_identity_finish (TEKEN_IDENTITY_STORE (object), result, &error);
  g_autofree char *letter = NULL;
  g_autoptr(GFile) file = NULL;

  if (self->view == NULL)  /* closed meanwhile */
    return;
  if (identity == NULL || (letter = teken_demo_copy_sample_letter (NULL, &error)) == NULL)
    {
      demo_failed (self, error);
      return;
    }
  demo_set_busy (self, FALSE);
  file = g_file_new_for_path (letter);
  teken_window_open (self, file);
  _teken_window_toast (self, _("Demo certificate ready: open “Sign” to sign the sample letter"));
}

static void
demo_refreshed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TekenWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!teken_identity_store_refresh_finish (TEKEN_IDENTITY_STORE (object), result, &error))
    {
      demo_failed (self, error);
      return;
    }
  teken_demo_create_identity_async (TEKEN_IDENTITY_STORE (object), NULL, demo_created_cb, g_object_ref (self));
}

static void
demo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TekenWindow *self = TEKEN_WINDOW (widget);

  if (g_object_get_data (G_OBJECT (self), DEMO_BUSY_KEY) != NULL)
    return;
  demo_set_busy (self, TRUE);
  teken_identity_store_refresh_async (teken_window_get_identity_store (self), NULL,
                                      demo_refreshed_cb, g_object_ref (self));
}

/* TRUE while the demo identity is being created (tests wait on the main loop for this). */
gboolean
teken_window_get_demo_busy (TekenWindow *self)
{
  return g_object_get_data (G_OBJECT (self), DEMO_BUSY_KEY) != NULL;
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

static void
batch_chooser_response_cb (GtkNativeDialog *chooser,
                           int              response,
                           TekenWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (list, g_list_model_get_item (files, i));
      teken_window_sign_batch (self, list);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

TekenBatchWindow *
teken_window_sign_batch (TekenWindow *self,
                         GPtrArray   *files)
{
  TekenBatchWindow *batch = teken_batch_window_new (GTK_WINDOW (self), teken_window_get_identity_store (self), files);

  gtk_window_present (GTK_WINDOW (batch));
  return batch;
}

/* Several PDFs, or folders of them. */
static void
batch_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TekenWindow *self = TEKEN_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Sign Several Documents"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (batch_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TekenWindow *self = TEKEN_WINDOW (widget);
  TekenPreferences *prefs = teken_preferences_new (GTK_WINDOW (self));

  /* a new trust anchor changes the verdict of the document shown */
  g_signal_connect_object (prefs, "trust-changed", G_CALLBACK (teken_window_reverify), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (prefs));
}

void
_teken_window_sign_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "win.demo", NULL, demo_action);
  gtk_widget_class_install_action (widget_class, "win.certificates", NULL, certificates_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.sign-batch", NULL, batch_action);
}
