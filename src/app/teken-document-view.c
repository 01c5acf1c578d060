/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "teken-document-view.h"

#include <math.h>

#define PT_TO_PX (96.0 / 72.0)
#define MARGIN 16
#define SPACING 16
#define ZOOM_STEP 1.2

struct _TekenDocumentView
{
  GtkWidget parent_instance;

  TekenPageRenderer *renderer;
  gulong rendered_id;

  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint hscroll_policy : 1;
  guint vscroll_policy : 1;

  TekenZoomMode zoom_mode;
  double zoom;
  double pinch_start_zoom;

  /* Layout in logical pixels at the current zoom. */
  guint n_pages;
  double *page_y;
  double *page_w;
  double *page_h;
  double doc_width;
  double doc_height;
  int laid_out_width;
  int laid_out_height;

  guint current_page;
  GArray *matches;
  int current_match;
  TekenPageRect emphasis;
  gboolean has_emphasis;

  guint n_pages_drawn;
  gboolean first_page_drawn;
};

enum {
  PROP_0,
  PROP_ZOOM,
  PROP_ZOOM_MODE,
  PROP_CURRENT_PAGE,
  /* GtkScrollable */
  PROP_HADJUSTMENT,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
  N_PROPS = PROP_HADJUSTMENT,
};

enum {
  SIGNAL_FIRST_PAGE_DRAWN,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE_WITH_CODE (TekenDocumentView, teken_document_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

static double
max_page_width_pt (TekenDocumentView *self)
{
  double max = 1;

  for (guint i = 0; i < self->n_pages; i++)
    {
      double w;

      teken_page_renderer_get_page_size (self->renderer, i, &w, NULL);
      max = MAX (max, w);
    }
  return max;
}

static double
max_page_height_pt (TekenDocumentView *self)
{
  double max = 1;

  for (guint i = 0; i < self->n_pages; i++)
    {
      double h;

      teken_page_renderer_get_page_size (self->renderer, i, NULL, &h);
      max = MAX (max, h);
    }
  return max;
}

static double
fit_zoom (TekenDocumentView *self,
          int                width,
          int                height)
{
  double zw, zh;

  if (self->renderer == NULL || width <= 2 * MARGIN)
    return self->zoom;
  /* Leave room for the overlay scrollbar. */
  zw = (width - 2 * MARGIN) / (max_page_width_pt (self) * PT_TO_PX);
  if (self->zoom_mode == TEKEN_ZOOM_FIT_WIDTH)
    return CLAMP (zw, TEKEN_ZOOM_MIN, TEKEN_ZOOM_MAX);
  zh = (height - 2 * MARGIN) / (max_page_height_pt (self) * PT_TO_PX);
  return CLAMP (MIN (zw, zh), TEKEN_ZOOM_MIN, TEKEN_ZOOM_MAX);
}

/* Index of the last page whose top is at or above y. */
static guint
page_at_y (TekenDocumentView *self,
           double             y)
{
  guint lo = 0, hi = self->n_pages;

  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (self->page_y[mid] <= y)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

static void
relayout (TekenDocumentView *self)
{
  double y = MARGIN;

  self->doc_width = 0;
  for (guint i = 0; i < self->n_pages; i++)
    {
      double w, h;

      teken_page_renderer_get_page_size (self->renderer, i, &w, &h);
      self->page_w[i] = round (w * self->zoom * PT_TO_PX);
      self->page_h[i] = round (h * self->zoom * PT_TO_PX);
      self->page_y[i] = y;
      y += self->page_h[i] + SPACING;
      self->doc_width = MAX (self->doc_width, self->page_w[i] + 2 * MARGIN);
    }
  self->doc_height = y - SPACING + MARGIN;
}

static void
configure_adjustments (TekenDocumentView *self,
                       double             anchor_page,
                       double             anchor_fraction)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double vvalue, hvalue;

  if (self->vadjustment == NULL || self->hadjustment == NULL)
    return;

  if (anchor_page >= 0 && self->n_pages > 0)
    vvalue = self->page_y[(guint) anchor_page] + anchor_fraction * self->page_h[(guint) anchor_page] - MARGIN;
  else
    vvalue = gtk_adjustment_get_value (self->vadjustment);
  hvalue = gtk_adjustment_get_value (self->hadjustment);

  gtk_adjustment_configure (self->vadjustment,
                            CLAMP (vvalue, 0, MAX (0, self->doc_height - height)),
                            0, MAX (self->doc_height, height),
                            height * 0.1, height * 0.9, height);
  gtk_adjustment_configure (self->hadjustment,
                            CLAMP (hvalue, 0, MAX (0, self->doc_width - width)),
                            0, MAX (self->doc_width, width),
                            width * 0.1, width * 0.9, width);
}

/* The page at the top of the view and how far into it the view starts, to keep that
 * spot in place across zoom changes. */
static void
get_anchor (TekenDocumentView *self,
            double            *page,
            double            *fraction)
{
  double top;
  guint i;

  *page = -1;
  *fraction = 0;
  if (self->n_pages == 0 || self->vadjustment == NULL || self->page_h[0] <= 0)
    return;
  top = gtk_adjustment_get_value (self->vadjustment) + MARGIN;
  i = page_at_y (self, top);
  *page = i;
  *fraction = (top - self->page_y[i]) / MAX (1, self->page_h[i]);
}

static void
update_current_page (TekenDocumentView *self)
{
  guint page;
  double probe;

  if (self->n_pages == 0 || self->vadjustment == NULL)
    return;
  /* The page crossing the upper third of the view is the one being read. */
  probe = gtk_adjustment_get_value (self->vadjustment) + gtk_adjustment_get_page_size (self->vadjustment) / 3;
  page = page_at_y (self, probe);
  if (gtk_adjustment_get_value (self->vadjustment) <= 0)
    page = 0;
  else if (gtk_adjustment_get_value (self->vadjustment) >= gtk_adjustment_get_upper (self->vadjustment) - gtk_adjustment_get_page_size (self->vadjustment) - 1)
    page = self->n_pages - 1;
  if (page != self->current_page)
    {
      self->current_page = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
    }
}

static void
apply_zoom (TekenDocumentView *self,
            double             zoom)
{
  double anchor_page, anchor_fraction;

  zoom = CLAMP (zoom, TEKEN_ZOOM_MIN, TEKEN_ZOOM_MAX);
  if (fabs (zoom - self->zoom) < 1e-6 && self->laid_out_width > 0)
    return;
  get_anchor (self, &anchor_page, &anchor_fraction);
  self->zoom = zoom;
  if (self->renderer != NULL)
    {
      relayout (self);
      configure_adjustments (self, anchor_page, anchor_fraction);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
adjustment_value_changed_cb (GtkAdjustment     *adjustment,
                             TekenDocumentView *self)
{
  update_current_page (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (TekenDocumentView  *self,
                GtkAdjustment     **slot,
                GtkAdjustment      *adjustment)
{
  if (*slot == adjustment)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, adjustment_value_changed_cb, self);
      g_clear_object (slot);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb), self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
page_rendered_cb (TekenPageRenderer *renderer,
                  guint              page,
                  int                width_px,
                  TekenDocumentView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
scrolled_cb (GtkEventControllerScroll *controller,
             double                    dx,
             double                    dy,
             TekenDocumentView        *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if ((state & GDK_CONTROL_MASK) == 0 || self->renderer == NULL)
    return FALSE;
  teken_document_view_set_zoom (self, self->zoom * pow (ZOOM_STEP, -CLAMP (dy, -3, 3)));
  return TRUE;
}

static void
pinch_began_cb (GtkGesture        *gesture,
                GdkEventSequence  *sequence,
                TekenDocumentView *self)
{
  self->pinch_start_zoom = self->zoom;
}

static void
pinch_scale_changed_cb (GtkGestureZoom    *gesture,
                        double             scale,
                        TekenDocumentView *self)
{
  teken_document_view_set_zoom (self, self->pinch_start_zoom * scale);
}

static void
append_page_frame (GtkSnapshot           *snapshot,
                   const graphene_rect_t *bounds)
{
  GskRoundedRect outline;

  gsk_rounded_rect_init_from_rect (&outline, bounds, 0);
  gtk_snapshot_append_outset_shadow (snapshot, &outline,
                                     &(GdkRGBA) { 0, 0, 0, 0.18 }, 0, 1, 0, 3);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 1 }, bounds);
}

static void
append_rect (GtkSnapshot           *snapshot,
             const graphene_rect_t *page_bounds,
             double                 scale,
             const TekenPageRect   *rect,
             const GdkRGBA         *fill,
             const GdkRGBA         *border)
{
  graphene_rect_t r = GRAPHENE_RECT_INIT (page_bounds->origin.x + rect->x1 * scale,
                                          page_bounds->origin.y + rect->y1 * scale,
                                          (rect->x2 - rect->x1) * scale,
                                          (rect->y2 - rect->y1) * scale);

  if (fill != NULL)
    gtk_snapshot_append_color (snapshot, fill, &r);
  if (border != NULL)
    {
      GskRoundedRect outline;

      gsk_rounded_rect_init_from_rect (&outline, &r, 2);
      gtk_snapshot_append_border (snapshot, &outline,
                                  (float[4]) { 2, 2, 2, 2 },
                                  (GdkRGBA[4]) { *border, *border, *border, *border });
    }
}

static void
append_overlays (TekenDocumentView     *self,
                 GtkSnapshot           *snapshot,
                 guint                  page,
                 const graphene_rect_t *bounds)
{
  static const GdkRGBA match_fill = { 0.96, 0.83, 0.18, 0.4 };
  static const GdkRGBA current_fill = { 0.98, 0.55, 0.1, 0.45 };
  static const GdkRGBA emphasis_border = { 0.21, 0.52, 0.89, 1 };
  double scale = self->zoom * PT_TO_PX;

  for (guint i = 0; self->matches != NULL && i < self->matches->len; i++)
    {
      const TekenPageRect *m = &g_array_index (self->matches, TekenPageRect, i);

      if (m->page == page)
        append_rect (snapshot, bounds, scale, m, (int) i == self->current_match ? &current_fill : &match_fill, NULL);
    }
  if (self->has_emphasis && self->emphasis.page == page)
    append_rect (snapshot, bounds, scale, &self->emphasis, NULL, &emphasis_border);
}

static void
snapshot_page (TekenDocumentView *self,
               GtkSnapshot       *snapshot,
               guint              page,
               double             x,
               double             y,
               int                scale_factor)
{
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (x, y, self->page_w[page], self->page_h[page]);
  int width_px = (int) round (self->page_w[page] * scale_factor);
  GdkTexture *texture;

  append_page_frame (snapshot, &bounds);
  texture = teken_page_renderer_lookup (self->renderer, page, width_px);
  if (texture == NULL)
    {
      /* A blurry page is better than a blank one while the sharp one renders. */
      GdkTexture *placeholder = teken_page_renderer_lookup_any (self->renderer, page);

      if (placeholder != NULL)
        gtk_snapshot_append_texture (snapshot, placeholder, &bounds);
      teken_page_renderer_request (self->renderer, page, width_px, TEKEN_RENDER_VIEW);
    }
  else
    {
      gtk_snapshot_append_texture (snapshot, texture, &bounds);
      self->n_pages_drawn++;
      if (page == 0 && !self->first_page_drawn)
        {
          self->first_page_drawn = TRUE;
          g_signal_emit (self, signals[SIGNAL_FIRST_PAGE_DRAWN], 0);
        }
    }
  append_overlays (self, snapshot, page, &bounds);
}

static void
teken_document_view_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  TekenDocumentView *self = TEKEN_DOCUMENT_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale_factor = gtk_widget_get_scale_factor (widget);
  double top, hvalue;
  guint first;

  if (self->renderer == NULL || self->n_pages == 0)
    return;

  top = gtk_adjustment_get_value (self->vadjustment);
  hvalue = gtk_adjustment_get_value (self->hadjustment);
  first = page_at_y (self, top);

  /* The queue always holds exactly the pages now on screen (the newest first). */
  teken_page_renderer_clear_queue (self->renderer, TEKEN_RENDER_VIEW);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (guint i = first; i < self->n_pages && self->page_y[i] < top + height; i++)
    {
      double x = (MAX (self->doc_width, width) - self->page_w[i]) / 2 - hvalue;

      if (self->page_y[i] + self->page_h[i] < top)
        continue;
      snapshot_page (self, snapshot, i, round (x), round (self->page_y[i] - top), scale_factor);
    }
  gtk_snapshot_pop (snapshot);
}

static void
teken_document_view_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  TekenDocumentView *self = TEKEN_DOCUMENT_VIEW (widget);

  *minimum = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = self->renderer ? (int) MIN (self->doc_width, 900) : 0;
  else
    *natural = self->renderer ? (int) MIN (self->doc_height, 700) : 0;
}

static void
teken_document_view_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  TekenDocumentView *self = TEKEN_DOCUMENT_VIEW (widget);
  double anchor_page, anchor_fraction;
  gboolean first = self->laid_out_width == 0;

  get_anchor (self, &anchor_page, &anchor_fraction);
  if (self->renderer != NULL && self->zoom_mode != TEKEN_ZOOM_FREE &&
      (width != self->laid_out_width || height != self->laid_out_height))
    {
      double zoom = fit_zoom (self, width, height);

      if (fabs (zoom - self->zoom) > 1e-6)
        {
          self->zoom = zoom;
          relayout (self);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
        }
    }
  self->laid_out_width = width;
  self->laid_out_height = height;
  configure_adjustments (self, first ? -1 : anchor_page, anchor_fraction);
  update_current_page (self);
}

static void
teken_document_view_dispose (GObject *object)
{
  TekenDocumentView *self = TEKEN_DOCUMENT_VIEW (object);

  teken_document_view_set_renderer (self, NULL);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, adjustment_value_changed_cb, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_value_changed_cb, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (teken_document_view_parent_class)->dispose (object);
}

static void
teken_document_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TekenDocumentView *self = TEKEN_DOCUMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_ZOOM_MODE:
      g_value_set_int (value, self->zoom_mode);
      break;
    case PROP_CURRENT_PAGE:
      g_value_set_uint (value, self->current_page);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teken_document_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TekenDocumentView *self = TEKEN_DOCUMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      teken_document_view_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_ZOOM_MODE:
      teken_document_view_set_zoom_mode (self, g_value_get_int (value));
      break;
    case PROP_CURRENT_PAGE:
      teken_document_view_set_current_page (self, g_value_get_uint (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Keyboard scrolling: "(sd)": "step", "page" or "end" and a direction (-1 or 1). */
static gboolean
scroll_activated (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  TekenDocumentView *self = TEKEN_DOCUMENT_VIEW (widget);
  const char *unit;
  double direction, value, amount;

  if (self->renderer == NULL || self->vadjustment == NULL)
    return FALSE;
  g_variant_get (args, "(&sd)", &unit, &direction);
  value = gtk_adjustment_get_value (self->vadjustment);
  if (g_str_equal (unit, "end"))
    amount = direction * gtk_adjustment_get_upper (self->vadjustment);
  else if (g_str_equal (unit, "page"))
    amount = direction * gtk_adjustment_get_page_size (self->vadjustment) * 0.9;
  else
    amount = direction * 48;
  gtk_adjustment_set_value (self->vadjustment, value + amount);
  return TRUE;
}

static gboolean
page_activated (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  TekenDocumentView *self = TEKEN_DOCUMENT_VIEW (widget);
  int delta = g_variant_get_int32 (args);
  int page = (int) self->current_page + delta;

  if (self->n_pages == 0)
    return FALSE;
  teken_document_view_set_current_page (self, CLAMP (page, 0, (int) self->n_pages - 1));
  return TRUE;
}

static void
add_scroll_bindings (GtkWidgetClass *widget_class)
{
  static const struct { guint key; GdkModifierType mods; const char *unit; double dir; } keys[] = {
    { GDK_KEY_Up, 0, "step", -1 }, { GDK_KEY_Down, 0, "step", 1 },
    { GDK_KEY_KP_Up, 0, "step", -1 }, { GDK_KEY_KP_Down, 0, "step", 1 },
    { GDK_KEY_Page_Up, 0, "page", -1 }, { GDK_KEY_Page_Down, 0, "page", 1 },
    { GDK_KEY_space, 0, "page", 1 }, { GDK_KEY_space, GDK_SHIFT_MASK, "page", -1 },
    { GDK_KEY_BackSpace, 0, "page", -1 },
    { GDK_KEY_Home, 0, "end", -1 }, { GDK_KEY_End, 0, "end", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_widget_class_add_binding (widget_class, keys[i].key, keys[i].mods, scroll_activated,
                                  "(sd)", keys[i].unit, keys[i].dir);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, page_activated, "i", -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, page_activated, "i", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_p, 0, page_activated, "i", -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_n, 0, page_activated, "i", 1);
}

static void
teken_document_view_class_init (TekenDocumentViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_document_view_dispose;
  object_class->get_property = teken_document_view_get_property;
  object_class->set_property = teken_document_view_set_property;

  widget_class->snapshot = teken_document_view_snapshot;
  widget_class->measure = teken_document_view_measure;
  widget_class->size_allocate = teken_document_view_size_allocate;

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, TEKEN_ZOOM_MIN, TEKEN_ZOOM_MAX, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM_MODE] =
    g_param_spec_int ("zoom-mode", NULL, NULL, TEKEN_ZOOM_FIT_WIDTH, TEKEN_ZOOM_FREE, TEKEN_ZOOM_FIT_WIDTH,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_PAGE] =
    g_param_spec_uint ("current-page", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  signals[SIGNAL_FIRST_PAGE_DRAWN] =
    g_signal_new ("first-page-drawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  add_scroll_bindings (widget_class);
  gtk_widget_class_set_css_name (widget_class, "tekendocumentview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DOCUMENT);
}

static void
teken_document_view_init (TekenDocumentView *self)
{
  GtkEventController *scroll;
  GtkGesture *pinch;

  self->zoom = 1.0;
  self->zoom_mode = TEKEN_ZOOM_FIT_WIDTH;
  self->current_match = -1;
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scrolled_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  pinch = gtk_gesture_zoom_new ();
  g_signal_connect (pinch, "begin", G_CALLBACK (pinch_began_cb), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (pinch_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pinch));
}

GtkWidget *
teken_document_view_new (void)
{
  return g_object_new (TEKEN_TYPE_DOCUMENT_VIEW, NULL);
}

void
teken_document_view_set_renderer (TekenDocumentView *self,
                                  TekenPageRenderer *renderer)
{
  g_return_if_fail (TEKEN_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (renderer == NULL || TEKEN_IS_PAGE_RENDERER (renderer));

  if (self->renderer == renderer)
    return;
  if (self->renderer != NULL)
    {
      teken_page_renderer_clear_queue (self->renderer, TEKEN_RENDER_VIEW);
      g_clear_signal_handler (&self->rendered_id, self->renderer);
      g_clear_object (&self->renderer);
    }
  g_clear_pointer (&self->page_y, g_free);
  g_clear_pointer (&self->page_w, g_free);
  g_clear_pointer (&self->page_h, g_free);
  g_clear_pointer (&self->matches, g_array_unref);
  self->has_emphasis = FALSE;
  self->n_pages = 0;
  self->current_page = 0;
  self->first_page_drawn = FALSE;
  self->n_pages_drawn = 0;
  self->laid_out_width = 0;
  self->laid_out_height = 0;

  if (renderer != NULL)
    {
      self->renderer = g_object_ref (renderer);
      self->rendered_id = g_signal_connect (renderer, "page-rendered", G_CALLBACK (page_rendered_cb), self);
      self->n_pages = teken_page_renderer_get_n_pages (renderer);
      self->page_y = g_new0 (double, self->n_pages);
      self->page_w = g_new0 (double, self->n_pages);
      self->page_h = g_new0 (double, self->n_pages);
      relayout (self);
      if (self->vadjustment != NULL)
        gtk_adjustment_set_value (self->vadjustment, 0);
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
}

TekenPageRenderer *
teken_document_view_get_renderer (TekenDocumentView *self)
{
  g_return_val_if_fail (TEKEN_IS_DOCUMENT_VIEW (self), NULL);

  return self->renderer;
}

TekenZoomMode
teken_document_view_get_zoom_mode (TekenDocumentView *self)
{
  g_return_val_if_fail (TEKEN_IS_DOCUMENT_VIEW (self), TEKEN_ZOOM_FIT_WIDTH);

  return self->zoom_mode;
}

void
teken_document_view_set_zoom_mode (TekenDocumentView *self,
                                   TekenZoomMode      mode)
{
  g_return_if_fail (TEKEN_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (mode <= TEKEN_ZOOM_FREE);

  if (self->zoom_mode != mode)
    {
      self->zoom_mode = mode;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
    }
  if (mode != TEKEN_ZOOM_FREE && gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    apply_zoom (self, fit_zoom (self, gtk_widget_get_width (GTK_WIDGET (self)),
                                gtk_widget_get_height (GTK_WIDGET (self))));
}

double
teken_document_view_get_zoom (TekenDocumentView *self)
{
  g_return_val_if_fail (TEKEN_IS_DOCUMENT_VIEW (self), 1.0);

  return self->zoom;
}

void
teken_document_view_set_zoom (TekenDocumentView *self,
                              double             zoom)
{
  g_return_if_fail (TEKEN_IS_DOCUMENT_VIEW (self));

  if (self->zoom_mode != TEKEN_ZOOM_FREE)
    {
      self->zoom_mode = TEKEN_ZOOM_FREE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
    }
  apply_zoom (self, zoom);
}

void
teken_document_view_zoom_in (TekenDocumentView *self)
{
  teken_document_view_set_zoom (self, self->zoom * ZOOM_STEP);
}

void
teken_document_view_zoom_out (TekenDocumentView *self)
{
  teken_document_view_set_zoom (self, self->zoom / ZOOM_STEP);
}

guint
teken_document_view_get_current_page (TekenDocumentView *self)
{
  g_return_val_if_fail (TEKEN_IS_DOCUMENT_VIEW (self), 0);

  return self->current_page;
}

void
teken_document_view_set_current_page (TekenDocumentView *self,
                                      guint              page)
{
  g_return_if_fail (TEKEN_IS_DOCUMENT_VIEW (self));

  if (self->n_pages == 0)
    return;
  page = MIN (page, self->n_pages - 1);
  gtk_adjustment_set_value (self->vadjustment, self->page_y[page] - MARGIN);
  /* The last pages may not reach the top of the view: report the page that was asked for. */
  if (self->current_page != page)
    {
      self->current_page = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
    }
}

void
teken_document_view_scroll_to_rect (TekenDocumentView   *self,
                                    const TekenPageRect *rect)
{
  double scale, top, bottom, left, right, view_h, view_w, x0;

  g_return_if_fail (TEKEN_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (rect != NULL);

  if (rect->page >= self->n_pages)
    return;
  scale = self->zoom * PT_TO_PX;
  top = self->page_y[rect->page] + rect->y1 * scale;
  bottom = self->page_y[rect->page] + rect->y2 * scale;
  view_h = gtk_adjustment_get_page_size (self->vadjustment);
  if (top < gtk_adjustment_get_value (self->vadjustment) ||
      bottom > gtk_adjustment_get_value (self->vadjustment) + view_h)
    gtk_adjustment_set_value (self->vadjustment, (top + bottom) / 2 - view_h / 2);

  view_w = gtk_adjustment_get_page_size (self->hadjustment);
  x0 = (MAX (self->doc_width, view_w) - self->page_w[rect->page]) / 2;
  left = x0 + rect->x1 * scale;
  right = x0 + rect->x2 * scale;
  if (left < gtk_adjustment_get_value (self->hadjustment) ||
      right > gtk_adjustment_get_value (self->hadjustment) + view_w)
    gtk_adjustment_set_value (self->hadjustment, (left + right) / 2 - view_w / 2);
}

void
teken_document_view_set_matches (TekenDocumentView *self,
                                 GArray            *matches,
                                 int                current)
{
  g_return_if_fail (TEKEN_IS_DOCUMENT_VIEW (self));

  g_clear_pointer (&self->matches, g_array_unref);
  if (matches != NULL)
    self->matches = g_array_ref (matches);
  self->current_match = (matches != NULL && current >= 0 && (guint) current < matches->len) ? current : -1;
  if (self->current_match >= 0)
    teken_document_view_scroll_to_rect (self, &g_array_index (matches, TekenPageRect, current));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
teken_document_view_set_emphasis (TekenDocumentView   *self,
                                  const TekenPageRect *rect)
{
  g_return_if_fail (TEKEN_IS_DOCUMENT_VIEW (self));

  self->has_emphasis = rect != NULL;
  if (rect != NULL)
    self->emphasis = *rect;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
teken_document_view_get_n_pages_drawn (TekenDocumentView *self)
{
  g_return_val_if_fail (TEKEN_IS_DOCUMENT_VIEW (self), 0);

  return self->n_pages_drawn;
}

/* Added for the sign flow (teken-window-sign.c): the inverse of the layout snapshot() uses. */
gboolean
teken_document_view_point_to_page (TekenDocumentView *self,
                                   double             x,
                                   double             y,
                                   guint             *page,
                                   double            *page_x,
                                   double            *page_y)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  double top, hvalue, scale;

  if (self->renderer == NULL || self->n_pages == 0 || self->vadjustment == NULL || self->hadjustment == NULL)
    return FALSE;
  top = gtk_adjustment_get_value (self->vadjustment);
  hvalue = gtk_adjustment_get_value (self->hadjustment);
  scale = self->zoom * PT_TO_PX;
  for (guint i = 0; i < self->n_pages; i++)
    {
      double left = round ((MAX (self->doc_width, width) - self->page_w[i]) / 2 - hvalue);
      double ptop = round (self->page_y[i] - top);

      if (x >= left && x <= left + self->page_w[i] && y >= ptop && y <= ptop + self->page_h[i])
        {
          *page = i;
          *page_x = (x - left) / scale;
          *page_y = (y - ptop) / scale;
          return TRUE;
        }
    }
  return FALSE;
}
