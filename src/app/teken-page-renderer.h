/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <poppler.h>

G_BEGIN_DECLS

/* Who asked for a page: the document view's requests are served before the thumbnails'. */
typedef enum
{
  TEKEN_RENDER_VIEW,
  TEKEN_RENDER_THUMBNAIL,
} TekenRenderPriority;

#define TEKEN_TYPE_PAGE_RENDERER (teken_page_renderer_get_type ())
G_DECLARE_FINAL_TYPE (TekenPageRenderer, teken_page_renderer, TEKEN, PAGE_RENDERER, GObject)

/* Opens file (or bytes, when file is NULL) in a worker thread and reads every page size.
 * Errors are POPPLER_ERROR (POPPLER_ERROR_ENCRYPTED when a password is needed) or G_IO_ERROR. */
void               teken_page_renderer_load_async        (GFile                *file,
                                                          GBytes               *bytes,
                                                          const char           *password,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
TekenPageRenderer *teken_page_renderer_load_finish       (GAsyncResult         *result,
                                                          GError              **error);

/* Poppler documents are not thread-safe: hold this lock around any use of the document. */
void               teken_page_renderer_lock              (TekenPageRenderer    *self);
void               teken_page_renderer_unlock            (TekenPageRenderer    *self);
PopplerDocument   *teken_page_renderer_get_document      (TekenPageRenderer    *self);

guint              teken_page_renderer_get_n_pages       (TekenPageRenderer    *self);
/* In points, rotation applied. */
void               teken_page_renderer_get_page_size     (TekenPageRenderer    *self,
                                                          guint                 page,
                                                          double               *width,
                                                          double               *height);
/* A cached texture exactly width_px wide, or NULL; transfer none. */
GdkTexture        *teken_page_renderer_lookup            (TekenPageRenderer    *self,
                                                          guint                 page,
                                                          int                   width_px);
/* The widest cached texture of the page (a placeholder while the right one renders), or NULL. */
GdkTexture        *teken_page_renderer_lookup_any        (TekenPageRenderer    *self,
                                                          guint                 page);
/* Queues a render unless it is cached or queued; "page-rendered" is emitted when it is ready. */
void               teken_page_renderer_request           (TekenPageRenderer    *self,
                                                          guint                 page,
                                                          int                   width_px,
                                                          TekenRenderPriority   priority);
/* Forgets queued (not yet started) requests of that priority. */
void               teken_page_renderer_clear_queue       (TekenPageRenderer    *self,
                                                          TekenRenderPriority   priority);
void               teken_page_renderer_cancel            (TekenPageRenderer    *self,
                                                          guint                 page,
                                                          int                   width_px);

/* page drawn on white at scale into a width × height texture; any thread, page not kept. */
GdkTexture        *teken_page_renderer_render_texture    (PopplerPage          *page,
                                                          double                scale,
                                                          int                   width,
                                                          int                   height);
gsize              teken_page_renderer_get_cache_size    (TekenPageRenderer    *self);
gsize              teken_page_renderer_get_cache_limit   (TekenPageRenderer    *self);
void               teken_page_renderer_set_cache_limit   (TekenPageRenderer    *self,
                                                          gsize                 bytes);
/* Largest cache size seen (bench and tests). */
gsize              teken_page_renderer_get_cache_peak    (TekenPageRenderer    *self);
/* Page textures still alive in the process, cached or not (bench). */
int                teken_page_renderer_get_live_textures (void);

G_END_DECLS
