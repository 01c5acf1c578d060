/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-thumbnails.h"

#define THUMBNAIL_WIDTH 120

struct _TekenThumbnails
{
  GtkWidget parent_instance;

  GtkListView *list_view;

  TekenPageRenderer *renderer;
  gulong rendered_id;
  GtkSingleSelection *selection;
  GHashTable *bound;            /* page -> GtkListItem shown */
  gboolean selecting;
};

G_DEFINE_FINAL_TYPE (TekenThumbnails, teken_thumbnails, GTK_TYPE_WIDGET)

enum {
  SIGNAL_PAGE_ACTIVATED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static int
thumbnail_width_px (TekenThumbnails *self)
{
  return THUMBNAIL_WIDTH * gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

static void
update_item (TekenThumbnails *self,
             GtkListItem     *item)
{
  guint page = gtk_list_item_get_position (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkPicture *picture = GTK_PICTURE (gtk_widget_get_first_child (box));
  /* Only the thumbnail itself: a picture keeps its texture alive for as long as the row is
   * bound (GtkListView keeps up to 200 rows), so borrowing the view's full-size page here
   * would hold it outside the cache's budget. */
  GdkTexture *texture = teken_page_renderer_lookup (self->renderer, page, thumbnail_width_px (self));

  gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          TekenThumbnails          *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_add_css_class (picture, "thumbnail");
  gtk_widget_set_halign (picture, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         TekenThumbnails          *self)
{
  guint page = gtk_list_item_get_position (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *picture = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_last_child (box);
  g_autofree char *text = g_strdup_printf ("%u", page + 1);
  g_autofree char *accessible = NULL;
  double w, h;

  if (self->renderer == NULL)
    return;
  teken_page_renderer_get_page_size (self->renderer, page, &w, &h);
  gtk_widget_set_size_request (picture, THUMBNAIL_WIDTH, (int) (THUMBNAIL_WIDTH * h / w));
  gtk_label_set_text (GTK_LABEL (label), text);
  /* translators: accessible name of a thumbnail; %u is a page number */
  accessible = g_strdup_printf (_("Page %u"), page + 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  g_hash_table_insert (self->bound, GUINT_TO_POINTER (page), item);
  update_item (self, item);
  teken_page_renderer_request (self->renderer, page, thumbnail_width_px (self), TEKEN_RENDER_THUMBNAIL);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           TekenThumbnails          *self)
{
  guint page = gtk_list_item_get_position (item);
  GtkWidget *box = gtk_list_item_get_child (item);

  if (g_hash_table_lookup (self->bound, GUINT_TO_POINTER (page)) == item)
    g_hash_table_remove (self->bound, GUINT_TO_POINTER (page));
  gtk_picture_set_paintable (GTK_PICTURE (gtk_widget_get_first_child (box)), NULL);
  if (self->renderer != NULL)
    teken_page_renderer_cancel (self->renderer, page, thumbnail_width_px (self));
}

static void
page_rendered_cb (TekenPageRenderer *renderer,
                  guint              page,
                  int                width_px,
                  TekenThumbnails   *self)
{
  GtkListItem *item = g_hash_table_lookup (self->bound, GUINT_TO_POINTER (page));

  if (item != NULL)
    update_item (self, item);
}

static void
selection_changed_cb (GtkSelectionModel *model,
                      guint              position,
                      guint              n_items,
                      TekenThumbnails   *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (!self->selecting && selected != GTK_INVALID_LIST_POSITION)
    g_signal_emit (self, signals[SIGNAL_PAGE_ACTIVATED], 0, selected);
}

static void
teken_thumbnails_dispose (GObject *object)
{
  TekenThumbnails *self = TEKEN_THUMBNAILS (object);

  teken_thumbnails_set_renderer (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), TEKEN_TYPE_THUMBNAILS);
  /* Template children without an id are not cleared by dispose_template (GTK 4.8). */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->bound, g_hash_table_unref);

  G_OBJECT_CLASS (teken_thumbnails_parent_class)->dispose (object);
}

static void
teken_thumbnails_class_init (TekenThumbnailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_thumbnails_dispose;

  signals[SIGNAL_PAGE_ACTIVATED] =
    g_signal_new ("page-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-thumbnails.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenThumbnails, list_view);
}

static void
teken_thumbnails_init (TekenThumbnails *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->bound = g_hash_table_new (NULL, NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
}

void
teken_thumbnails_set_renderer (TekenThumbnails   *self,
                               TekenPageRenderer *renderer)
{
  g_autoptr(GtkStringList) pages = NULL;

  g_return_if_fail (TEKEN_IS_THUMBNAILS (self));

  if (self->renderer != NULL)
    {
      teken_page_renderer_clear_queue (self->renderer, TEKEN_RENDER_THUMBNAIL);
      g_clear_signal_handler (&self->rendered_id, self->renderer);
      g_clear_object (&self->renderer);
    }
  if (self->bound != NULL)
    g_hash_table_remove_all (self->bound);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, selection_changed_cb, self);
  g_clear_object (&self->selection);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  if (renderer == NULL)
    return;

  self->renderer = g_object_ref (renderer);
  self->rendered_id = g_signal_connect (renderer, "page-rendered", G_CALLBACK (page_rendered_cb), self);
  pages = gtk_string_list_new (NULL);
  for (guint i = 0; i < teken_page_renderer_get_n_pages (renderer); i++)
    {
      char number[16];

      g_snprintf (number, sizeof number, "%u", i + 1);
      gtk_string_list_append (pages, number);
    }
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_steal_pointer (&pages)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

void
teken_thumbnails_select_page (TekenThumbnails *self,
                              guint            page)
{
  g_return_if_fail (TEKEN_IS_THUMBNAILS (self));

  if (self->selection == NULL || gtk_single_selection_get_selected (self->selection) == page)
    return;
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, page);
  self->selecting = FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", page);
}
