/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-window-sign.h"
#include "teken-window-private.h"

static void
open_files (TekenWindow *self,
            GListModel  *files)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  guint n = g_list_model_get_n_items (files);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);

      if (i == 0 && self->file == NULL)
        teken_window_open (self, file);
      else
        teken_application_open_file (TEKEN_APPLICATION (app), file);
    }
}

static GtkFileFilter *
new_pdf_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("PDF Documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  return filter;
}

static GtkFileFilter *
new_all_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("All Files"));
  gtk_file_filter_add_pattern (filter, "*");
  return filter;
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
files_chosen_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TekenWindow) self = user_data;
  g_autoptr(GListModel) files = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (object), result, NULL);

  if (files != NULL)
    open_files (self, files);
}

void
_teken_window_choose_file (TekenWindow *self)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) pdf = new_pdf_filter ();
  g_autoptr(GtkFileFilter) all = new_all_filter ();

  g_list_store_append (filters, pdf);
  g_list_store_append (filters, all);
  gtk_file_dialog_set_title (dialog, _("Open Document"));
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_default_filter (dialog, pdf);
  gtk_file_dialog_open_multiple (dialog, GTK_WINDOW (self), NULL, files_chosen_cb, g_object_ref (self));
}
#else
static void
file_chosen_cb (GtkNativeDialog *native,
                int              response,
                TekenWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));

      open_files (self, files);
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

void
_teken_window_choose_file (TekenWindow *self)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) pdf = new_pdf_filter ();
  g_autoptr(GtkFileFilter) all = new_all_filter ();

  /* GTK 4.8 has no GtkFileDialog (4.10). */
  native = gtk_file_chooser_native_new (_("Open Document"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), pdf);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect (native, "response", G_CALLBACK (file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}
#endif

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _teken_window_choose_file (TEKEN_WINDOW (widget));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  teken_document_view_zoom_in (TEKEN_WINDOW (widget)->view);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  teken_document_view_zoom_out (TEKEN_WINDOW (widget)->view);
}

static void
zoom_level_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  teken_document_view_set_zoom (TEKEN_WINDOW (widget)->view, g_variant_get_double (parameter));
}

static void
zoom_reset_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  teken_document_view_set_zoom (TEKEN_WINDOW (widget)->view, 1.0);
}

static void
zoom_fit_width_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  teken_document_view_set_zoom_mode (TEKEN_WINDOW (widget)->view, TEKEN_ZOOM_FIT_WIDTH);
}

static void
zoom_fit_page_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  teken_document_view_set_zoom_mode (TEKEN_WINDOW (widget)->view, TEKEN_ZOOM_FIT_PAGE);
}

static void
go_to_page (TekenWindow *self,
            int          delta,
            gboolean     absolute)
{
  guint n_pages = teken_page_renderer_get_n_pages (self->renderer);
  int page = absolute ? delta : (int) teken_document_view_get_current_page (self->view) + delta;

  teken_document_view_set_current_page (self->view, CLAMP (page, 0, (int) n_pages - 1));
}

static void
next_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  go_to_page (TEKEN_WINDOW (widget), 1, FALSE);
}

static void
previous_page_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  go_to_page (TEKEN_WINDOW (widget), -1, FALSE);
}

static void
first_page_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  go_to_page (TEKEN_WINDOW (widget), 0, TRUE);
}

static void
last_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TekenWindow *self = TEKEN_WINDOW (widget);

  go_to_page (self, teken_page_renderer_get_n_pages (self->renderer) - 1, TRUE);
}

static void
go_to_page_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TekenWindow *self = TEKEN_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->page_entry));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  teken_find_bar_open (TEKEN_WINDOW (widget)->find_bar);
}

static void
find_next_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  teken_find_bar_next (TEKEN_WINDOW (widget)->find_bar, g_str_equal (action_name, "win.find-previous"));
}

static void
show_signatures_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  _teken_window_show_sidebar_page (TEKEN_WINDOW (widget), "signatures");
}

static void
show_thumbnails_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  _teken_window_show_sidebar_page (TEKEN_WINDOW (widget), "pages");
}

static void
signature_details_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  teken_window_show_signature_details (TEKEN_WINDOW (widget), g_variant_get_uint32 (parameter));
}

static void
reverify_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  teken_window_reverify (TEKEN_WINDOW (widget));
}

void
_teken_window_actions_update (TekenWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_document = self->renderer != NULL &&
                          g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "document") == 0;
  guint n_pages = has_document ? teken_page_renderer_get_n_pages (self->renderer) : 0;
  guint page = teken_document_view_get_current_page (self->view);
  double zoom = teken_document_view_get_zoom (self->view);

  gtk_widget_action_set_enabled (widget, "win.zoom-in", has_document && zoom < TEKEN_ZOOM_MAX);
  gtk_widget_action_set_enabled (widget, "win.zoom-out", has_document && zoom > TEKEN_ZOOM_MIN);
  gtk_widget_action_set_enabled (widget, "win.zoom-level", has_document);
  gtk_widget_action_set_enabled (widget, "win.zoom-reset", has_document);
  gtk_widget_action_set_enabled (widget, "win.zoom-fit-width", has_document);
  gtk_widget_action_set_enabled (widget, "win.zoom-fit-page", has_document);
  gtk_widget_action_set_enabled (widget, "win.next-page", has_document && page + 1 < n_pages);
  gtk_widget_action_set_enabled (widget, "win.previous-page", has_document && page > 0);
  gtk_widget_action_set_enabled (widget, "win.first-page", has_document && page > 0);
  gtk_widget_action_set_enabled (widget, "win.last-page", has_document && page + 1 < n_pages);
  gtk_widget_action_set_enabled (widget, "win.go-to-page", has_document);
  gtk_widget_action_set_enabled (widget, "win.find", has_document);
  gtk_widget_action_set_enabled (widget, "win.find-next", has_document);
  gtk_widget_action_set_enabled (widget, "win.find-previous", has_document);
  gtk_widget_action_set_enabled (widget, "win.show-signatures", has_document);
  gtk_widget_action_set_enabled (widget, "win.show-thumbnails", has_document);
  gtk_widget_action_set_enabled (widget, "win.show-sidebar", has_document);
  gtk_widget_action_set_enabled (widget, "win.signature-details", self->result != NULL);
  _teken_window_sign_update (self);
  gtk_widget_action_set_enabled (widget, "win.reverify", has_document && !self->verifying &&
                                                         self->revision_bytes == NULL);
}

void
_teken_window_class_actions_init (TekenWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  _teken_window_sign_class_init (widget_class);  /* win.sign, win.demo (teken-window-sign.c) */
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_reset_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-level", "d", zoom_level_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit-width", NULL, zoom_fit_width_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit-page", NULL, zoom_fit_page_action);
  gtk_widget_class_install_action (widget_class, "win.next-page", NULL, next_page_action);
  gtk_widget_class_install_action (widget_class, "win.previous-page", NULL, previous_page_action);
  gtk_widget_class_install_action (widget_class, "win.first-page", NULL, first_page_action);
  gtk_widget_class_install_action (widget_class, "win.last-page", NULL, last_page_action);
  gtk_widget_class_install_action (widget_class, "win.go-to-page", NULL, go_to_page_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.find-next", NULL, find_next_action);
  gtk_widget_class_install_action (widget_class, "win.find-previous", NULL, find_next_action);
  gtk_widget_class_install_property_action (widget_class, "win.show-sidebar", "sidebar-visible");
  gtk_widget_class_install_action (widget_class, "win.show-signatures", NULL, show_signatures_action);
  gtk_widget_class_install_action (widget_class, "win.show-thumbnails", NULL, show_thumbnails_action);
  gtk_widget_class_install_action (widget_class, "win.signature-details", "u", signature_details_action);
  gtk_widget_class_install_action (widget_class, "win.reverify", NULL, reverify_action);
}
