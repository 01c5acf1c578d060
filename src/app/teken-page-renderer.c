/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "teken-page-renderer.h"

#include <math.h>

/* Textures wider or taller than this are rendered smaller and scaled up by the view. */
#define MAX_TEXTURE_SIDE 8192
#define MAX_TEXTURE_BYTES (64 * 1024 * 1024)
#define DEFAULT_CACHE_LIMIT (128 * 1024 * 1024)

typedef struct
{
  guint page;
  int width_px;
  TekenRenderPriority priority;
} Job;

typedef struct
{
  guint64 key;
  GdkTexture *texture;
  gsize bytes;
  GList link;
} CacheEntry;

struct _TekenPageRenderer
{
  GObject parent_instance;

  GMutex lock;
  PopplerDocument *document;
  guint n_pages;
  double *sizes;               /* width, height per page, in points */

  GHashTable *cache;           /* key -> CacheEntry */
  GQueue lru;                  /* most recently used first */
  gsize cache_size;
  gsize cache_limit;
  gsize cache_peak;

  GQueue queues[2];            /* Job*, one per TekenRenderPriority; newest first */
  Job *running;
  /* Thumbnails wait until the view's first page is done (or a moment has passed), so that
   * they never delay the first page on screen. */
  gboolean hold_thumbnails;
  guint release_id;
};

G_DEFINE_FINAL_TYPE (TekenPageRenderer, teken_page_renderer, G_TYPE_OBJECT)

enum {
  SIGNAL_PAGE_RENDERED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void schedule (TekenPageRenderer *self);

/* Textures alive (cached or not), for bench/bench-app.sh. */
static gint live_textures;

static void
texture_finalized_cb (gpointer  data,
                      GObject  *where_the_object_was)
{
  g_atomic_int_dec_and_test (&live_textures);
}

int
teken_page_renderer_get_live_textures (void)
{
  return g_atomic_int_get (&live_textures);
}

static inline guint64
make_key (guint page,
          int   width_px)
{
  return ((guint64) page << 32) | (guint32) width_px;
}

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_clear_object (&entry->texture);
  g_free (entry);
}

static void
evict (TekenPageRenderer *self,
       CacheEntry        *keep)
{
  while (self->cache_size > self->cache_limit && self->lru.tail != NULL)
    {
      CacheEntry *victim = self->lru.tail->data;

      if (victim == keep)
        break;
      g_queue_unlink (&self->lru, &victim->link);
      self->cache_size -= victim->bytes;
      g_hash_table_remove (self->cache, &victim->key);
    }
}

static void
cache_insert (TekenPageRenderer *self,
              guint              page,
              int                width_px,
              GdkTexture        *texture)
{
  CacheEntry *entry = g_new0 (CacheEntry, 1);

  entry->key = make_key (page, width_px);
  entry->texture = g_object_ref (texture);
  entry->bytes = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;
  entry->link.data = entry;
  if (g_hash_table_contains (self->cache, &entry->key))
    {
      cache_entry_free (entry);
      return;
    }
  g_hash_table_insert (self->cache, &entry->key, entry);
  g_queue_push_head_link (&self->lru, &entry->link);
  self->cache_size += entry->bytes;
  evict (self, entry);
  self->cache_peak = MAX (self->cache_peak, self->cache_size);
}

static CacheEntry *
cache_get (TekenPageRenderer *self,
           guint64            key)
{
  CacheEntry *entry = g_hash_table_lookup (self->cache, &key);

  if (entry != NULL)
    {
      g_queue_unlink (&self->lru, &entry->link);
      g_queue_push_head_link (&self->lru, &entry->link);
    }
  return entry;
}

static gboolean
job_equal (gconstpointer a,
           gconstpointer b)
{
  const Job *ja = a, *jb = b;

  return ja->page == jb->page && ja->width_px == jb->width_px;
}

static gboolean
is_queued (TekenPageRenderer *self,
           const Job         *job)
{
  if (self->running != NULL && job_equal (self->running, job))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (self->queues); i++)
    for (GList *l = self->queues[i].head; l != NULL; l = l->next)
      if (job_equal (l->data, job))
        return TRUE;
  return FALSE;
}

GdkTexture *
teken_page_renderer_render_texture (PopplerPage *page,
                                    double       scale,
                                    int          width,
                                    int          height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GBytes) bytes = NULL;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* The texture keeps the surface's pixels: no copy. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * height,
                                      (GDestroyNotify) cairo_surface_destroy,
                                      surface);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes,
                                 cairo_image_surface_get_stride (surface));
}

/* Runs in the worker thread with the document lock held. */
static GdkTexture *
render_page (PopplerDocument *document,
             guint            index,
             double           page_width,
             double           page_height,
             int              width_px)
{
  PopplerPage *page = poppler_document_get_page (document, index);
  GdkTexture *texture;
  double scale;
  int w, h;

  if (page == NULL)
    return NULL;

  w = CLAMP (width_px, 1, MAX_TEXTURE_SIDE);
  scale = w / page_width;
  h = CLAMP ((int) ceil (page_height * scale), 1, MAX_TEXTURE_SIDE);
  while ((gsize) w * h * 4 > MAX_TEXTURE_BYTES)
    {
      w = MAX (1, w / 2);
      h = MAX (1, h / 2);
      scale /= 2;
    }

  texture = teken_page_renderer_render_texture (page, scale, w, h);
  g_object_unref (page);
  return texture;
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TekenPageRenderer *self = source_object;
  Job *job = task_data;
  GdkTexture *texture;

  g_mutex_lock (&self->lock);
  texture = render_page (self->document, job->page,
                         self->sizes[2 * job->page], self->sizes[2 * job->page + 1],
                         job->width_px);
  g_mutex_unlock (&self->lock);

  if (texture == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "page %u could not be rendered", job->page);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
render_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TekenPageRenderer *self = TEKEN_PAGE_RENDERER (object);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree Job *job = g_steal_pointer (&self->running);

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  g_debug ("page %u rendered at %" G_GINT64_FORMAT " µs", job->page, g_get_real_time ());
  if (texture == NULL)
    g_debug ("%s", error->message);
  else
    {
      g_atomic_int_inc (&live_textures);
      g_object_weak_ref (G_OBJECT (texture), texture_finalized_cb, NULL);
      if (job->priority == TEKEN_RENDER_VIEW)
        self->hold_thumbnails = FALSE;
      cache_insert (self, job->page, job->width_px, texture);
      g_signal_emit (self, signals[SIGNAL_PAGE_RENDERED], 0, job->page, job->width_px);
    }
  schedule (self);
}

static void
schedule (TekenPageRenderer *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job = NULL;

  if (self->running != NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (self->queues) && job == NULL; i++)
    if (i != TEKEN_RENDER_THUMBNAIL || !self->hold_thumbnails)
      job = g_queue_pop_head (&self->queues[i]);
  if (job == NULL)
    return;

  self->running = job;
  task = g_task_new (self, NULL, render_done_cb, NULL);
  g_task_set_source_tag (task, schedule);
  g_task_set_task_data (task, g_memdup2 (job, sizeof *job), g_free);
  g_task_run_in_thread (task, render_thread);
}

typedef struct
{
  GFile *file;
  GBytes *bytes;
  char *password;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->file);
  g_clear_pointer (&load->bytes, g_bytes_unref);
  if (load->password != NULL)
    {
      memset (load->password, 0, strlen (load->password));
      g_free (load->password);
    }
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  PopplerDocument *document = NULL;
  g_autoptr(TekenPageRenderer) self = NULL;
  GError *error = NULL;

  if (load->file != NULL)
    document = poppler_document_new_from_gfile (load->file, load->password, cancellable, &error);
  else
    document = poppler_document_new_from_bytes (load->bytes, load->password, &error);
  if (document == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  self = g_object_new (TEKEN_TYPE_PAGE_RENDERER, NULL);
  self->document = g_steal_pointer (&document);
  self->n_pages = MAX (0, poppler_document_get_n_pages (self->document));
  if (self->n_pages == 0)
    {
      g_task_return_new_error (task, POPPLER_ERROR, POPPLER_ERROR_DAMAGED, "no pages");
      return;
    }
  self->sizes = g_new0 (double, 2 * self->n_pages);
  for (guint i = 0; i < self->n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (self->document, i);
      double w = 0, h = 0;

      if (page != NULL)
        {
          poppler_page_get_size (page, &w, &h);
          g_object_unref (page);
        }
      /* A page without a usable box still gets a place in the layout. */
      self->sizes[2 * i] = (w >= 1 && isfinite (w)) ? w : 595;
      self->sizes[2 * i + 1] = (h >= 1 && isfinite (h)) ? h : 842;
    }
  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

static gboolean
release_thumbnails_cb (gpointer data)
{
  TekenPageRenderer *self = data;

  self->release_id = 0;
  self->hold_thumbnails = FALSE;
  schedule (self);
  return G_SOURCE_REMOVE;
}

static void
teken_page_renderer_finalize (GObject *object)
{
  TekenPageRenderer *self = (TekenPageRenderer *) object;

  g_clear_handle_id (&self->release_id, g_source_remove);
  for (guint i = 0; i < G_N_ELEMENTS (self->queues); i++)
    g_queue_clear_full (&self->queues[i], g_free);
  g_hash_table_destroy (self->cache);
  g_clear_object (&self->document);
  g_free (self->sizes);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (teken_page_renderer_parent_class)->finalize (object);
}

static void
teken_page_renderer_class_init (TekenPageRendererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = teken_page_renderer_finalize;

  signals[SIGNAL_PAGE_RENDERED] =
    g_signal_new ("page-rendered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT);
}

static void
teken_page_renderer_init (TekenPageRenderer *self)
{
  g_mutex_init (&self->lock);
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, cache_entry_free);
  self->cache_limit = DEFAULT_CACHE_LIMIT;
  /* bench/bench-app.sh compares cache sizes. */
  if (g_getenv ("TEKEN_RENDER_CACHE_MB") != NULL)
    self->cache_limit = (gsize) g_ascii_strtoull (g_getenv ("TEKEN_RENDER_CACHE_MB"), NULL, 10) * 1024 * 1024;
  self->hold_thumbnails = TRUE;
}

void
teken_page_renderer_load_async (GFile               *file,
                                GBytes              *bytes,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (file != NULL || bytes != NULL);

  load = g_new0 (LoadData, 1);
  load->file = file ? g_object_ref (file) : NULL;
  load->bytes = bytes ? g_bytes_ref (bytes) : NULL;
  load->password = g_strdup (password);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, teken_page_renderer_load_async);
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

TekenPageRenderer *
teken_page_renderer_load_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
teken_page_renderer_lock (TekenPageRenderer *self)
{
  g_mutex_lock (&self->lock);
}

void
teken_page_renderer_unlock (TekenPageRenderer *self)
{
  g_mutex_unlock (&self->lock);
}

PopplerDocument *
teken_page_renderer_get_document (TekenPageRenderer *self)
{
  g_return_val_if_fail (TEKEN_IS_PAGE_RENDERER (self), NULL);

  return self->document;
}

guint
teken_page_renderer_get_n_pages (TekenPageRenderer *self)
{
  g_return_val_if_fail (TEKEN_IS_PAGE_RENDERER (self), 0);

  return self->n_pages;
}

void
teken_page_renderer_get_page_size (TekenPageRenderer *self,
                                   guint              page,
                                   double            *width,
                                   double            *height)
{
  g_return_if_fail (TEKEN_IS_PAGE_RENDERER (self));
  g_return_if_fail (page < self->n_pages);

  if (width != NULL)
    *width = self->sizes[2 * page];
  if (height != NULL)
    *height = self->sizes[2 * page + 1];
}

GdkTexture *
teken_page_renderer_lookup (TekenPageRenderer *self,
                            guint              page,
                            int                width_px)
{
  CacheEntry *entry;

  g_return_val_if_fail (TEKEN_IS_PAGE_RENDERER (self), NULL);

  entry = cache_get (self, make_key (page, width_px));
  return entry ? entry->texture : NULL;
}

GdkTexture *
teken_page_renderer_lookup_any (TekenPageRenderer *self,
                                guint              page)
{
  CacheEntry *best = NULL;

  g_return_val_if_fail (TEKEN_IS_PAGE_RENDERER (self), NULL);

  for (GList *l = self->lru.head; l != NULL; l = l->next)
    {
      CacheEntry *entry = l->data;

      if ((entry->key >> 32) == page &&
          (best == NULL || gdk_texture_get_width (entry->texture) > gdk_texture_get_width (best->texture)))
        best = entry;
    }
  return best ? best->texture : NULL;
}

void
teken_page_renderer_request (TekenPageRenderer   *self,
                             guint                page,
                             int                  width_px,
                             TekenRenderPriority  priority)
{
  Job job = { page, width_px, priority };

  g_return_if_fail (TEKEN_IS_PAGE_RENDERER (self));
  g_return_if_fail (priority <= TEKEN_RENDER_THUMBNAIL);

  if (page >= self->n_pages || width_px <= 0)
    return;
  if (g_hash_table_contains (self->cache, &(guint64) { make_key (page, width_px) }))
    return;
  if (is_queued (self, &job))
    return;
  /* Newest first: while scrolling fast the pages now on screen come before the ones passed by. */
  g_queue_push_head (&self->queues[priority], g_memdup2 (&job, sizeof job));
  if (self->hold_thumbnails && priority == TEKEN_RENDER_THUMBNAIL && self->release_id == 0)
    self->release_id = g_timeout_add (400, release_thumbnails_cb, self);
  schedule (self);
}

void
teken_page_renderer_clear_queue (TekenPageRenderer   *self,
                                 TekenRenderPriority  priority)
{
  g_return_if_fail (TEKEN_IS_PAGE_RENDERER (self));
  g_return_if_fail (priority <= TEKEN_RENDER_THUMBNAIL);

  g_queue_clear_full (&self->queues[priority], g_free);
}

void
teken_page_renderer_cancel (TekenPageRenderer *self,
                            guint              page,
                            int                width_px)
{
  Job job = { page, width_px, TEKEN_RENDER_VIEW };

  g_return_if_fail (TEKEN_IS_PAGE_RENDERER (self));

  for (guint i = 0; i < G_N_ELEMENTS (self->queues); i++)
    {
      for (GList *l = self->queues[i].head; l != NULL; l = l->next)
        if (job_equal (l->data, &job))
          {
            g_free (l->data);
            g_queue_delete_link (&self->queues[i], l);
            break;
          }
    }
}

gsize
teken_page_renderer_get_cache_size (TekenPageRenderer *self)
{
  g_return_val_if_fail (TEKEN_IS_PAGE_RENDERER (self), 0);

  return self->cache_size;
}

gsize
teken_page_renderer_get_cache_limit (TekenPageRenderer *self)
{
  g_return_val_if_fail (TEKEN_IS_PAGE_RENDERER (self), 0);

  return self->cache_limit;
}

void
teken_page_renderer_set_cache_limit (TekenPageRenderer *self,
                                     gsize              bytes)
{
  g_return_if_fail (TEKEN_IS_PAGE_RENDERER (self));

  self->cache_limit = bytes;
  evict (self, NULL);
}

gsize
teken_page_renderer_get_cache_peak (TekenPageRenderer *self)
{
  g_return_val_if_fail (TEKEN_IS_PAGE_RENDERER (self), 0);

  return self->cache_peak;
}
