/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-find-bar.h"

struct _TekenFindBar
{
  GtkWidget parent_instance;

  GtkSearchBar *search_bar;
  GtkSearchEntry *entry;
  GtkLabel *count_label;

  TekenDocumentView *view;
  GCancellable *cancellable;
  GArray *matches;
  int current;
  gboolean searching;
};

G_DEFINE_FINAL_TYPE (TekenFindBar, teken_find_bar, GTK_TYPE_WIDGET)

typedef struct
{
  TekenPageRenderer *renderer;
  char *text;
} SearchData;

static void
search_data_free (gpointer data)
{
  SearchData *search = data;

  g_clear_object (&search->renderer);
  g_free (search->text);
  g_free (search);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *search = task_data;
  guint n_pages = teken_page_renderer_get_n_pages (search->renderer);
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (TekenPageRect));

  for (guint i = 0; i < n_pages; i++)
    {
      GList *found;
      double height;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      teken_page_renderer_get_page_size (search->renderer, i, NULL, &height);
      /* One page at a time, so rendering is not held up for long. */
      teken_page_renderer_lock (search->renderer);
      {
        PopplerPage *page = poppler_document_get_page (teken_page_renderer_get_document (search->renderer), i);

        found = page ? poppler_page_find_text_with_options (page, search->text, POPPLER_FIND_DEFAULT) : NULL;
        g_clear_object (&page);
      }
      teken_page_renderer_unlock (search->renderer);

      for (GList *l = found; l != NULL; l = l->next)
        {
          PopplerRectangle *r = l->data;
          /* Poppler's rectangles have their origin at the bottom left. */
          TekenPageRect m = { i, r->x1, height - r->y2, r->x2, height - r->y1 };

          g_array_append_val (matches, m);
        }
      g_list_free_full (found, (GDestroyNotify) poppler_rectangle_free);
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, g_steal_pointer (&matches), (GDestroyNotify) g_array_unref);
}

static void
update_label (TekenFindBar *self)
{
  g_autofree char *text = NULL;

  if (self->searching)
    text = g_strdup (_("Searching…"));
  else if (self->matches == NULL)
    text = g_strdup ("");
  else if (self->matches->len == 0)
    text = g_strdup (_("No results"));
  else
    /* translators: position of the current match, e.g. "3 of 12" */
    text = g_strdup_printf (_("%d of %u"), self->current + 1, self->matches->len);
  gtk_label_set_text (self->count_label, text);
}

static void
show_current (TekenFindBar *self)
{
  if (self->view != NULL)
    teken_document_view_set_matches (self->view, self->matches, self->current);
  update_label (self);
}

static void
searched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  TekenFindBar *self = user_data;
  g_autoptr(GArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  guint current_page;

  matches = g_task_propagate_pointer (G_TASK (result), &error);
  if (matches == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->searching = FALSE;
          update_label (self);
        }
      g_object_unref (self);
      return;
    }

  self->searching = FALSE;
  g_clear_pointer (&self->matches, g_array_unref);
  self->matches = g_steal_pointer (&matches);
  /* Start at the first match from the page being read. */
  current_page = self->view ? teken_document_view_get_current_page (self->view) : 0;
  self->current = 0;
  for (guint i = 0; i < self->matches->len; i++)
    if (g_array_index (self->matches, TekenPageRect, i).page >= current_page)
      {
        self->current = i;
        break;
      }
  if (self->matches->len == 0)
    self->current = -1;
  show_current (self);
  g_object_unref (self);
}

static void
cancel_search (TekenFindBar *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->searching = FALSE;
}

static void search_changed_cb (GtkSearchEntry *entry,
                               TekenFindBar   *self);

void
teken_find_bar_search (TekenFindBar *self,
                       const char   *text)
{
  g_autoptr(GTask) task = NULL;
  TekenPageRenderer *renderer;
  SearchData *search;

  g_return_if_fail (TEKEN_IS_FIND_BAR (self));

  cancel_search (self);
  g_clear_pointer (&self->matches, g_array_unref);
  self->current = -1;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), text ? text : "") != 0)
    {
      g_signal_handlers_block_by_func (self->entry, search_changed_cb, self);
      gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
      g_signal_handlers_unblock_by_func (self->entry, search_changed_cb, self);
    }
  renderer = self->view ? teken_document_view_get_renderer (self->view) : NULL;
  if (renderer == NULL || text == NULL || text[0] == '\0')
    {
      show_current (self);
      return;
    }

  search = g_new0 (SearchData, 1);
  search->renderer = g_object_ref (renderer);
  search->text = g_strdup (text);
  self->cancellable = g_cancellable_new ();
  self->searching = TRUE;
  update_label (self);

  task = g_task_new (self, self->cancellable, searched_cb, g_object_ref (self));
  g_task_set_source_tag (task, teken_find_bar_search);
  g_task_set_task_data (task, search, search_data_free);
  g_task_run_in_thread (task, search_thread);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   TekenFindBar   *self)
{
  teken_find_bar_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
next_match_cb (GtkWidget    *widget,
               TekenFindBar *self)
{
  teken_find_bar_next (self, FALSE);
}

static void
previous_match_cb (GtkWidget    *widget,
                   TekenFindBar *self)
{
  teken_find_bar_next (self, TRUE);
}

static void
stop_search_cb (GtkSearchEntry *entry,
                TekenFindBar   *self)
{
  teken_find_bar_reset (self);
  if (self->view != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static void
teken_find_bar_dispose (GObject *object)
{
  TekenFindBar *self = TEKEN_FIND_BAR (object);

  cancel_search (self);
  g_clear_pointer (&self->matches, g_array_unref);
  g_clear_weak_pointer (&self->view);
  gtk_widget_dispose_template (GTK_WIDGET (object), TEKEN_TYPE_FIND_BAR);
  /* Template children without an id are not cleared by dispose_template (GTK 4.8). */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (teken_find_bar_parent_class)->dispose (object);
}

static void
teken_find_bar_class_init (TekenFindBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_find_bar_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-find-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenFindBar, search_bar);
  gtk_widget_class_bind_template_child (widget_class, TekenFindBar, entry);
  gtk_widget_class_bind_template_child (widget_class, TekenFindBar, count_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_match_cb);
  gtk_widget_class_bind_template_callback (widget_class, previous_match_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
}

static void
teken_find_bar_init (TekenFindBar *self)
{
  self->current = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
teken_find_bar_set_view (TekenFindBar      *self,
                         TekenDocumentView *view)
{
  g_return_if_fail (TEKEN_IS_FIND_BAR (self));

  g_set_weak_pointer (&self->view, view);
}

void
teken_find_bar_open (TekenFindBar *self)
{
  g_return_if_fail (TEKEN_IS_FIND_BAR (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

void
teken_find_bar_reset (TekenFindBar *self)
{
  g_return_if_fail (TEKEN_IS_FIND_BAR (self));

  cancel_search (self);
  g_clear_pointer (&self->matches, g_array_unref);
  self->current = -1;
  if (self->view != NULL)
    teken_document_view_set_matches (self->view, NULL, -1);
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  update_label (self);
}

void
teken_find_bar_next (TekenFindBar *self,
                     gboolean      backwards)
{
  g_return_if_fail (TEKEN_IS_FIND_BAR (self));

  if (self->matches == NULL || self->matches->len == 0)
    {
      teken_find_bar_open (self);
      return;
    }
  self->current = (self->current + (backwards ? self->matches->len - 1 : 1)) % self->matches->len;
  show_current (self);
}

guint
teken_find_bar_get_n_matches (TekenFindBar *self)
{
  g_return_val_if_fail (TEKEN_IS_FIND_BAR (self), 0);

  return self->matches ? self->matches->len : 0;
}

gboolean
teken_find_bar_get_searching (TekenFindBar *self)
{
  g_return_val_if_fail (TEKEN_IS_FIND_BAR (self), FALSE);

  return self->searching;
}
