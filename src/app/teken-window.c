/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-signature-details.h"
#include "teken-window-private.h"

G_DEFINE_FINAL_TYPE (TekenWindow, teken_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_SIDEBAR_VISIBLE,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void load_document (TekenWindow *self,
                           const char  *password);

static void
set_busy (TekenWindow *self,
          gboolean     loading,
          gboolean     verifying)
{
  gboolean was_busy = self->loading || self->verifying;

  self->loading = loading;
  self->verifying = verifying;
  if (was_busy != (loading || verifying))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static char *
get_display_name (GFile *file)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  if (info != NULL)
    return g_strdup (g_file_info_get_display_name (info));
  return g_file_get_basename (file);
}

void
_teken_window_toast (TekenWindow *self,
                     const char  *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

void
_teken_window_show_sidebar_page (TekenWindow *self,
                                 const char  *name)
{
  gtk_stack_set_visible_child_name (self->sidebar_stack, name);
  adw_flap_set_reveal_flap (self->flap, TRUE);
}

static void
update_page_entry (TekenWindow *self)
{
  g_autofree char *text = NULL;
  guint n_pages = self->renderer ? teken_page_renderer_get_n_pages (self->renderer) : 0;

  if (n_pages == 0)
    return;
  text = g_strdup_printf ("%u", teken_document_view_get_current_page (self->view) + 1);
  if (!gtk_widget_has_focus (GTK_WIDGET (self->page_entry)) &&
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->page_entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->page_entry), text);
}

static void
update_zoom_label (TekenWindow *self)
{
  g_autofree char *label = NULL;

  /* translators: the zoom level, e.g. "125%" */
  label = g_strdup_printf (_("%.0f%%"), teken_document_view_get_zoom (self->view) * 100);
  gtk_menu_button_set_label (self->zoom_button, label);
}

static void
show_error_page (TekenWindow  *self,
                 const char   *title,
                 const char   *description)
{
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_widget_set_visible (self->page_box, FALSE);
  teken_signature_bar_hide (self->signature_bar);
  _teken_window_actions_update (self);
}

static void
add_to_recent (TekenWindow *self)
{
  g_autofree char *uri = g_file_get_uri (self->file);
  GtkRecentData data = {
    .display_name = NULL,
    .description = NULL,
    .mime_type = (char *) "application/pdf",
    .app_name = (char *) "Teken",
    .app_exec = (char *) "teken %u",
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

/* A load or verification of a document that is no longer shown (or of a closed window)
 * may still finish successfully: its result is dropped. */
static gboolean
is_stale (TekenWindow  *self,
          GAsyncResult *result)
{
  GCancellable *cancellable = G_IS_TASK (result) ? g_task_get_cancellable (G_TASK (result)) : NULL;

  return self->view == NULL || (cancellable != NULL && g_cancellable_is_cancelled (cancellable));
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TekenWindow) self = user_data;
  g_autoptr(TekenDocumentResult) doc_result = NULL;
  g_autoptr(GError) error = NULL;

  doc_result = teken_verifier_verify_file_finish (TEKEN_VERIFIER (object), result, &error);
  if (is_stale (self, result) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, self->loading, FALSE);
  g_clear_object (&self->result);
  if (doc_result == NULL)
    {
      teken_signature_bar_set_error (self->signature_bar, error);
      teken_signature_list_set_result (self->signature_list, NULL, error);
    }
  else
    {
      self->result = g_steal_pointer (&doc_result);
      teken_signature_bar_set_result (self->signature_bar, self->result);
      teken_signature_list_set_result (self->signature_list, self->result, NULL);
      /* Signatures that need attention are shown at once. */
      if (teken_document_result_get_n_signed (self->result) > 0 &&
          teken_document_result_get_status (self->result) != TEKEN_DOCUMENT_STATUS_VALID)
        _teken_window_show_sidebar_page (self, "signatures");
    }
  _teken_window_actions_update (self);
}

static void
start_verification (TekenWindow *self)
{
  g_autofree char *path = NULL;
  g_autoptr(TekenTrustStore) store = NULL;

  g_clear_object (&self->result);
  if (self->file == NULL || self->revision_bytes != NULL || (path = g_file_get_path (self->file)) == NULL)
    return;

  /* A fresh verifier reads the user trust store again (it may have changed). */
  g_clear_object (&self->verifier);
  self->verifier = teken_verifier_new ();
  store = teken_trust_store_new_default ();
  teken_verifier_set_trust_store (self->verifier, store);

  set_busy (self, self->loading, TRUE);
  teken_signature_bar_set_checking (self->signature_bar);
  teken_signature_list_set_checking (self->signature_list);
  teken_verifier_verify_file_async (self->verifier, path, self->cancellable,
                                    verified_cb, g_object_ref (self));
}

static gboolean
deferred_verification_cb (gpointer data)
{
  TekenWindow *self = data;

  self->verify_source_id = 0;
  start_verification (self);
  return G_SOURCE_REMOVE;
}

/* Verification starts once the first page is on screen (both compete for the CPU), or after
 * a short delay when the page is not drawn (a hidden window). The bar says "Checking…" at once. */
static void
schedule_verification (TekenWindow *self)
{
  g_clear_handle_id (&self->verify_source_id, g_source_remove);
  if (self->file == NULL || self->revision_bytes != NULL)
    return;
  set_busy (self, self->loading, TRUE);
  teken_signature_bar_set_checking (self->signature_bar);
  teken_signature_list_set_checking (self->signature_list);
  self->verify_source_id = g_timeout_add (300, deferred_verification_cb, self);
}

static void
password_responded_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       TekenWindow      *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  /* Closing the dialog after a response emits the close response too: answer only once. */
  g_signal_handlers_disconnect_by_func (dialog, password_responded_cb, self);
  /* GTK 4.8 warns when a focused GtkPasswordEntry is finalized with its dialog. */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  if (g_strcmp0 (response, "unlock") == 0)
    {
      load_document (self, gtk_editable_get_text (entry));
      gtk_editable_set_text (entry, "");
      return;
    }
  show_error_page (self, _("Document Is Locked"),
                   _("This document is protected with a password. Open it again to enter the password."));
}

static void
ask_password (TekenWindow *self,
              gboolean     retry)
{
  g_autofree char *name = get_display_name (self->file);
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  if (retry)
    body = g_strdup (_("The password was not correct. Try again."));
  else
    /* translators: %s is a file name */
    body = g_strdup_printf (_("“%s” is protected with a password. Enter it to open the document."), name);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Password Required"), body);
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "activates-default", TRUE, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "unlock", _("_Unlock"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "unlock", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "unlock");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (dialog, "response", G_CALLBACK (password_responded_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* bench/bench-app.sh: TEKEN_BENCH_SCROLL=1 pages through the whole document, one page per
 * step, then reports the render cache's peak and quits. */
static gboolean
bench_scroll_cb (gpointer data)
{
  TekenWindow *self = data;
  guint page = teken_document_view_get_current_page (self->view);
  guint n_pages = self->renderer ? teken_page_renderer_get_n_pages (self->renderer) : 0;

  if (n_pages == 0 || page + 1 >= n_pages)
    {
      g_print ("teken-bench: scrolled %u pages, cache peak %" G_GSIZE_FORMAT " bytes (limit %" G_GSIZE_FORMAT "), "
               "%d page textures alive at the end\n",
               n_pages, self->renderer ? teken_page_renderer_get_cache_peak (self->renderer) : 0,
               self->renderer ? teken_page_renderer_get_cache_limit (self->renderer) : 0,
               teken_page_renderer_get_live_textures ());
      g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
      return G_SOURCE_REMOVE;
    }
  teken_document_view_set_current_page (self->view, page + 1);
  return G_SOURCE_CONTINUE;
}

static void
first_page_drawn_cb (TekenDocumentView *view,
                     TekenWindow       *self)
{
  const char *bench = g_getenv ("TEKEN_BENCH_FIRST_PAGE");

  if (self->verify_source_id != 0)
    {
      g_clear_handle_id (&self->verify_source_id, g_source_remove);
      start_verification (self);
    }
  if (g_getenv ("TEKEN_BENCH_SCROLL") != NULL)
    g_timeout_add (20, bench_scroll_cb, self);
  if (bench == NULL)
    return;
  /* Wall-clock microseconds, compared by bench/bench-app.sh with its own start time. */
  g_print ("teken-bench: first-page-drawn %" G_GINT64_FORMAT "\n", g_get_real_time ());
  if (g_str_equal (bench, "quit"))
    g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TekenWindow) self = user_data;
  g_autoptr(TekenPageRenderer) renderer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  renderer = teken_page_renderer_load_finish (result, &error);
  if (is_stale (self, result) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE, self->verifying);

  if (renderer == NULL)
    {
      if (g_error_matches (error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED) && self->file != NULL)
        {
          ask_password (self, self->password != NULL);
          return;
        }
      name = self->file ? get_display_name (self->file) : g_strdup (_("The document"));
      {
        /* translators: %s is a file name, the second line is the technical reason */
        g_autofree char *description =
          g_strdup_printf (_("“%s” is not a PDF document, or it is damaged.\n%s"), name, error->message);

        show_error_page (self, _("Could Not Open Document"), description);
      }
      return;
    }

  g_debug ("document loaded at %" G_GINT64_FORMAT " µs", g_get_real_time ());
  g_set_object (&self->renderer, renderer);
  teken_document_view_set_zoom_mode (self->view, g_settings_get_enum (self->settings, "zoom-mode"));
  if (g_settings_get_enum (self->settings, "zoom-mode") == TEKEN_ZOOM_FREE)
    teken_document_view_set_zoom (self->view, g_settings_get_double (self->settings, "zoom-level"));
  teken_document_view_set_renderer (self->view, renderer);
  teken_thumbnails_set_renderer (self->thumbnails, renderer);
  {
    g_autofree char *count = NULL;

    /* translators: after the page number entry: "of 12" (pages) */
    count = g_strdup_printf (_("of %u"), teken_page_renderer_get_n_pages (renderer));
    gtk_label_set_text (self->page_count_label, count);
  }
  gtk_widget_set_visible (self->page_box, TRUE);
  update_page_entry (self);
  update_zoom_label (self);
  gtk_stack_set_visible_child_name (self->stack, "document");
  gtk_widget_grab_focus (GTK_WIDGET (self->view));

  if (self->revision_bytes == NULL)
    {
      add_to_recent (self);
      schedule_verification (self);
    }
  _teken_window_actions_update (self);
}

static void
load_document (TekenWindow *self,
               const char  *password)
{
  if (self->password != NULL)
    {
      memset (self->password, 0, strlen (self->password));
      g_clear_pointer (&self->password, g_free);
    }
  self->password = g_strdup (password);

  set_busy (self, TRUE, self->verifying);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  teken_page_renderer_load_async (self->revision_bytes ? NULL : self->file, self->revision_bytes,
                                  password, self->cancellable, loaded_cb, g_object_ref (self));
}

static void
reset_document (TekenWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->verify_source_id, g_source_remove);
  set_busy (self, FALSE, FALSE);

  teken_document_view_set_renderer (self->view, NULL);
  teken_thumbnails_set_renderer (self->thumbnails, NULL);
  teken_signature_list_set_result (self->signature_list, NULL, NULL);
  teken_signature_bar_hide (self->signature_bar);
  teken_find_bar_reset (self->find_bar);
  g_clear_object (&self->renderer);
  g_clear_object (&self->result);
  g_clear_object (&self->file);
  g_clear_pointer (&self->revision_bytes, g_bytes_unref);
}

static void
set_titles (TekenWindow *self,
            const char  *title,
            const char  *subtitle)
{
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle ? subtitle : "");
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
recent_row_activated_cb (GtkListBox    *list,
                         GtkListBoxRow *row,
                         TekenWindow   *self)
{
  const char *uri = g_object_get_data (G_OBJECT (row), "uri");
  g_autoptr(GFile) file = g_file_new_for_uri (uri);

  teken_window_open (self, file);
}

static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GDateTime *ta = gtk_recent_info_get_modified ((GtkRecentInfo *) a);
  GDateTime *tb = gtk_recent_info_get_modified ((GtkRecentInfo *) b);

  return g_date_time_compare (tb, ta);
}

static void
fill_recent (TekenWindow *self)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  guint limit = g_settings_get_uint (self->settings, "recent-documents-limit");
  guint n = 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  /* Most recently visited first. */
  items = g_list_sort (items, compare_recent);
  for (GList *l = items; l != NULL && n < limit; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      GtkWidget *row;
      g_autofree char *path = NULL;

      if (g_strcmp0 (gtk_recent_info_get_mime_type (info), "application/pdf") != 0 ||
          !gtk_recent_info_exists (info))
        continue;
      row = adw_action_row_new ();
      /* File names are not markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gtk_recent_info_get_display_name (info));
      path = gtk_recent_info_get_uri_display (info);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), path);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("x-office-document-symbolic"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "uri", g_strdup (gtk_recent_info_get_uri (info)), g_free);
      gtk_list_box_append (self->recent_list, row);
      n++;
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  gtk_widget_set_visible (self->recent_group, n > 0);
}

static gboolean
update_controls_idle (gpointer data)
{
  TekenWindow *self = data;

  self->update_controls_id = 0;
  update_page_entry (self);
  update_zoom_label (self);
  teken_thumbnails_select_page (self->thumbnails, teken_document_view_get_current_page (self->view));
  _teken_window_actions_update (self);
  return G_SOURCE_REMOVE;
}

/* The view reports page and zoom changes while it is being allocated: changing the header
 * bar's widgets right then would leave them unallocated for this frame. */
static void
schedule_controls_update (TekenWindow *self)
{
  if (self->update_controls_id == 0)
    self->update_controls_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_controls_idle, self, NULL);
}

static void
current_page_changed_cb (TekenDocumentView *view,
                         GParamSpec        *pspec,
                         TekenWindow       *self)
{
  schedule_controls_update (self);
}

static void
zoom_changed_cb (TekenDocumentView *view,
                 GParamSpec        *pspec,
                 TekenWindow       *self)
{
  schedule_controls_update (self);
}

static void
page_entry_activated_cb (GtkEntry    *entry,
                         TekenWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  guint64 page = 0;

  if (g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &page, NULL))
    teken_document_view_set_current_page (self->view, (guint) page - 1);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
  update_page_entry (self);
}

static void
thumbnail_activated_cb (TekenThumbnails *thumbnails,
                        guint            page,
                        TekenWindow     *self)
{
  teken_document_view_set_current_page (self->view, page);
}

static void
signature_activated_cb (TekenSignatureList   *list,
                        TekenSignatureResult *signature,
                        TekenWindow          *self)
{
  int page = teken_signature_result_get_page_index (signature);
  TekenPdfRect rect;
  double page_height;
  TekenPageRect target;

  if (self->renderer == NULL || page < 0 || (guint) page >= teken_page_renderer_get_n_pages (self->renderer))
    {
      _teken_window_toast (self, _("This signature is not shown on any page"));
      return;
    }
  teken_page_renderer_get_page_size (self->renderer, page, NULL, &page_height);
  target.page = page;
  if (teken_signature_result_get_rect (signature, &rect) && rect.x2 > rect.x1 && rect.y2 > rect.y1)
    {
      /* PDF user space has its origin at the bottom left. */
      target.x1 = rect.x1;
      target.x2 = rect.x2;
      target.y1 = page_height - rect.y2;
      target.y2 = page_height - rect.y1;
      teken_document_view_set_emphasis (self->view, &target);
      teken_document_view_scroll_to_rect (self->view, &target);
    }
  else
    {
      teken_document_view_set_emphasis (self->view, NULL);
      teken_document_view_set_current_page (self->view, page);
    }
}

static void
signature_details_requested_cb (TekenSignatureList   *list,
                                guint                 index,
                                TekenWindow          *self)
{
  teken_window_show_signature_details (self, index);
}

static gboolean
files_dropped_cb (GtkDropTarget *target,
                  const GValue  *value,
                  double         x,
                  double         y,
                  TekenWindow   *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;

  teken_window_open (self, files->data);
  for (GSList *l = files->next; l != NULL; l = l->next)
    teken_application_open_file (TEKEN_APPLICATION (app), l->data);
  g_slist_free (files);
  return TRUE;
}

static gboolean
teken_window_close_request (GtkWindow *window)
{
  TekenWindow *self = TEKEN_WINDOW (window);
  int width, height;

  /* Verification and rendering stop with the window. */
  g_cancellable_cancel (self->cancellable);

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set (self->settings, "window-size", "(ii)", width, height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_set_boolean (self->settings, "sidebar-visible", adw_flap_get_reveal_flap (self->flap));
  if (self->renderer != NULL)
    {
      g_settings_set_enum (self->settings, "zoom-mode", teken_document_view_get_zoom_mode (self->view));
      g_settings_set_double (self->settings, "zoom-level", teken_document_view_get_zoom (self->view));
    }

  return GTK_WINDOW_CLASS (teken_window_parent_class)->close_request (window);
}

static void
teken_window_dispose (GObject *object)
{
  TekenWindow *self = TEKEN_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->update_controls_id, g_source_remove);
  g_clear_handle_id (&self->verify_source_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEKEN_TYPE_WINDOW);

  G_OBJECT_CLASS (teken_window_parent_class)->dispose (object);
}

static void
teken_window_finalize (GObject *object)
{
  TekenWindow *self = TEKEN_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->file);
  g_clear_pointer (&self->revision_bytes, g_bytes_unref);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_clear_object (&self->renderer);
  g_clear_object (&self->result);
  g_clear_object (&self->verifier);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (teken_window_parent_class)->finalize (object);
}

static void
teken_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TekenWindow *self = TEKEN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, teken_window_get_busy (self));
      break;
    case PROP_SIDEBAR_VISIBLE:
      /* The action state is read before the template exists. */
      g_value_set_boolean (value, self->flap != NULL && adw_flap_get_reveal_flap (self->flap));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teken_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TekenWindow *self = TEKEN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR_VISIBLE:
      if (self->flap != NULL)
        adw_flap_set_reveal_flap (self->flap, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
flap_revealed_cb (AdwFlap     *flap,
                  GParamSpec  *pspec,
                  TekenWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDEBAR_VISIBLE]);
}

static void
teken_window_class_init (TekenWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = teken_window_dispose;
  object_class->finalize = teken_window_finalize;
  object_class->get_property = teken_window_get_property;
  object_class->set_property = teken_window_set_property;
  window_class->close_request = teken_window_close_request;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIDEBAR_VISIBLE] =
    g_param_spec_boolean ("sidebar-visible", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TEKEN_TYPE_DOCUMENT_VIEW);
  g_type_ensure (TEKEN_TYPE_FIND_BAR);
  g_type_ensure (TEKEN_TYPE_SIGNATURE_BAR);
  g_type_ensure (TEKEN_TYPE_SIGNATURE_LIST);
  g_type_ensure (TEKEN_TYPE_THUMBNAILS);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, page_box);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, page_entry);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, page_count_label);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, find_button);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, signature_bar);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, find_bar);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, thumbnails);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, signature_list);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, scrolled);
  gtk_widget_class_bind_template_child (widget_class, TekenWindow, view);
  gtk_widget_class_bind_template_callback (widget_class, recent_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, current_page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, thumbnail_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, signature_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, signature_details_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, first_page_drawn_cb);
  gtk_widget_class_bind_template_callback (widget_class, flap_revealed_cb);

  _teken_window_class_actions_init (klass);
}

static void
teken_window_init (TekenWindow *self)
{
  GtkDropTarget *drop;
  int width = 0, height = 0;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), MAX (width, 360), MAX (height, 360));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  adw_flap_set_reveal_flap (self->flap, g_settings_get_boolean (self->settings, "sidebar-visible"));
  teken_find_bar_set_view (self->find_bar, self->view);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (files_dropped_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  set_titles (self, _("Teken"), NULL);
  fill_recent (self);
  gtk_widget_set_visible (self->page_box, FALSE);
  _teken_window_actions_update (self);
}

TekenWindow *
teken_window_new (TekenApplication *application)
{
  return g_object_new (TEKEN_TYPE_WINDOW, "application", application, NULL);
}

void
teken_window_open (TekenWindow *self,
                   GFile       *file)
{
  g_autofree char *name = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autofree char *folder = NULL;

  g_return_if_fail (TEKEN_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_object_ref (file);
  reset_document (self);
  self->file = file;

  name = get_display_name (file);
  parent = g_file_get_parent (file);
  folder = parent ? g_file_get_parse_name (parent) : NULL;
  set_titles (self, name, folder);
  load_document (self, NULL);
}

void
teken_window_open_revision (TekenWindow *self,
                            GFile       *file,
                            gsize        length,
                            const char  *signer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  gsize size = 0;

  g_return_if_fail (TEKEN_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_object_ref (file);
  reset_document (self);
  self->file = file;
  name = get_display_name (file);
  /* translators: window subtitle; %s is a file name */
  title = g_strdup_printf (_("Signed version of “%s”"), name);
  set_titles (self, title, _("Read-only"));

  if (!g_file_load_contents (file, NULL, &contents, &size, NULL, &error) || length == 0 || length > size)
    {
      show_error_page (self, _("Could Not Open the Signed Version"),
                       error ? error->message : _("The signed part of the file could not be found."));
      return;
    }
  self->revision_bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  teken_signature_bar_set_revision (self->signature_bar, signer);
  load_document (self, NULL);
}

GFile *
teken_window_get_file (TekenWindow *self)
{
  g_return_val_if_fail (TEKEN_IS_WINDOW (self), NULL);

  return self->file;
}

gboolean
teken_window_get_busy (TekenWindow *self)
{
  g_return_val_if_fail (TEKEN_IS_WINDOW (self), FALSE);

  return self->loading || self->verifying;
}

const char *
teken_window_get_page_name (TekenWindow *self)
{
  g_return_val_if_fail (TEKEN_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

TekenDocumentResult *
teken_window_get_result (TekenWindow *self)
{
  g_return_val_if_fail (TEKEN_IS_WINDOW (self), NULL);

  return self->result;
}

const char *
teken_window_get_verdict_text (TekenWindow *self)
{
  g_return_val_if_fail (TEKEN_IS_WINDOW (self), NULL);

  return teken_signature_bar_get_text (self->signature_bar);
}

GtkWindow *
teken_window_show_signature_details (TekenWindow *self,
                                     guint        index)
{
  g_autoptr(TekenSignatureResult) signature = NULL;
  GtkWindow *details;

  g_return_val_if_fail (TEKEN_IS_WINDOW (self), NULL);

  if (self->result == NULL)
    return NULL;
  signature = g_list_model_get_item (teken_document_result_get_signatures (self->result), index);
  if (signature == NULL)
    return NULL;

  details = teken_signature_details_new (GTK_WINDOW (self), signature, self->file);
  gtk_window_present (details);
  return details;
}

void
teken_window_reverify (TekenWindow *self)
{
  g_return_if_fail (TEKEN_IS_WINDOW (self));

  if (self->renderer != NULL)
    start_verification (self);
}
