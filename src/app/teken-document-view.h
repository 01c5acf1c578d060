/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "teken-page-renderer.h"

G_BEGIN_DECLS

typedef enum
{
  TEKEN_ZOOM_FIT_WIDTH,
  TEKEN_ZOOM_FIT_PAGE,
  TEKEN_ZOOM_FREE,
} TekenZoomMode;

#define TEKEN_ZOOM_MIN 0.1
#define TEKEN_ZOOM_MAX 8.0

/* A rectangle on a page, in points with the origin at the page's top-left corner. */
typedef struct
{
  guint page;
  double x1, y1, x2, y2;
} TekenPageRect;

#define TEKEN_TYPE_DOCUMENT_VIEW (teken_document_view_get_type ())
G_DECLARE_FINAL_TYPE (TekenDocumentView, teken_document_view, TEKEN, DOCUMENT_VIEW, GtkWidget)

GtkWidget         *teken_document_view_new              (void);
void               teken_document_view_set_renderer     (TekenDocumentView   *self,
                                                         TekenPageRenderer   *renderer);
TekenPageRenderer *teken_document_view_get_renderer     (TekenDocumentView   *self);

TekenZoomMode      teken_document_view_get_zoom_mode    (TekenDocumentView   *self);
void               teken_document_view_set_zoom_mode    (TekenDocumentView   *self,
                                                         TekenZoomMode        mode);
/* 1.0 is 100 %: one point is 96/72 logical pixels. Setting it switches to TEKEN_ZOOM_FREE. */
double             teken_document_view_get_zoom         (TekenDocumentView   *self);
void               teken_document_view_set_zoom         (TekenDocumentView   *self,
                                                         double               zoom);
void               teken_document_view_zoom_in          (TekenDocumentView   *self);
void               teken_document_view_zoom_out         (TekenDocumentView   *self);

guint              teken_document_view_get_current_page (TekenDocumentView   *self);
void               teken_document_view_set_current_page (TekenDocumentView   *self,
                                                         guint                page);
/* Scrolls so that the rectangle is visible (centred when it is not). */
void               teken_document_view_scroll_to_rect   (TekenDocumentView   *self,
                                                         const TekenPageRect *rect);
/* Find matches (element type TekenPageRect, sorted by page) and the current one (-1: none). */
void               teken_document_view_set_matches      (TekenDocumentView   *self,
                                                         GArray              *matches,
                                                         int                  current);
/* Outlines a rectangle (a signature field) until cleared with NULL. */
void               teken_document_view_set_emphasis     (TekenDocumentView   *self,
                                                         const TekenPageRect *rect);
/* The page under a point of the widget (x, y in widget pixels) and the point on it in points
 * from the page's top-left corner; FALSE between pages or without a document. */
gboolean           teken_document_view_point_to_page    (TekenDocumentView   *self,
                                                         double               x,
                                                         double               y,
                                                         guint               *page,
                                                         double              *page_x,
                                                         double              *page_y);
/* Pages drawn with their final texture so far (tests, bench). */
guint              teken_document_view_get_n_pages_drawn (TekenDocumentView  *self);

G_END_DECLS
