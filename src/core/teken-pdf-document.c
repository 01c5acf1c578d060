/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-pdf-document.h"
#include "teken-pdf-parser-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER_SEARCH 1024
#define TAIL_SEARCH 2048
#define CACHE_BLOCK (64 * 1024)
#define MAX_WINDOW (16u << 20)
#define MAX_SECTIONS 1024
#define MAX_OBJECT_NUMBER (8u << 20)
#define MAX_STREAM_LENGTH (256u << 20)
#define MAX_OBJSTM_SIZE (16u << 20)
#define MAX_XREF_STREAM_SIZE (16u << 20)
#define MAX_OBJSTM_CACHE 4
#define MAX_LOADING_DEPTH 32
#define MAX_REFERENCE_CHAIN 32
#define MAX_PAGE_TREE_DEPTH 64
#define MAX_PAGE_TREE_VISITS (1u << 22)
#define MAX_CACHED_STREAM (1u << 20)
#define MAX_CACHED_STREAM_BYTES (8u << 20)
#define EOF_SEARCH (64 * 1024)

/* The bytes behind a document; shared by the views that new_for_revision() makes. */
typedef struct
{
  gint ref_count;
  int fd;          /* -1 when bytes is set */
  GBytes *bytes;
  char *path;
  gsize size;
} Source;

/* A section with what the reader needs beyond the public part (which comes first). */
typedef struct
{
  TekenPdfSection pub;
  TekenPdfObject *trailer;
  goffset prev;              /* -1 when none */
  goffset xref_stm;          /* hybrid files: the /XRefStm offset, else -1 */
  guint n_in_use;            /* in-use entries of the table or stream itself */
  gsize raw_end;             /* just after the first %%EOF after this section */
} Section;

typedef struct
{
  guint num;
  GBytes *data;              /* decoded */
  GArray *offsets;           /* guint pairs: object number, offset relative to /First */
  gsize first;
} ObjStm;

struct _TekenPdfDocument
{
  GObject parent_instance;

  Source *source;
  gsize size;                /* this view's length */
  GRecMutex lock;

  guint8 *cache;             /* one block of the file, for small reads */
  goffset cache_start;
  gsize cache_len;

  char header_version[8];
  char *version;
  gboolean encrypted;
  gboolean linearized;

  goffset startxref;
  GHashTable *xref;          /* num → TekenPdfXrefEntry, newest definition */
  guint next_number;
  GPtrArray *sections;       /* Section, newest first */
  TekenPdfObject *trailer;

  GHashTable *objects;       /* num → TekenPdfObject, loaded objects */
  GHashTable *loading;       /* nums being loaded: detects loops */
  GQueue objstms;            /* ObjStm, most recently used first */
  gsize objstm_bytes;
  gsize cached_stream_bytes; /* stream data held by the object cache */

  gboolean pages_loaded;
  GArray *page_nums;
  GPtrArray *pages;
};

G_DEFINE_FINAL_TYPE (TekenPdfDocument, teken_pdf_document, G_TYPE_OBJECT)

static TekenPdfObject *load_object (TekenPdfDocument *self,
                                    guint             num,
                                    GError          **error);

/* Errors */

static gboolean
set_damaged (GError **error,
             guint    num)
{
  g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_DAMAGED,
               /* translators: %u is an object number inside the PDF file */
               _("The file’s cross-reference table is damaged (object %u is not where the table says); "
                 "open it in its original program and save it again before signing"), num);
  return FALSE;
}

static gboolean
set_xref_damaged (GError **error)
{
  g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_DAMAGED,
                       _("The file’s cross-reference table is damaged and cannot be read; "
                         "open it in its original program and save it again before signing"));
  return FALSE;
}

static gboolean
set_loop_error (GError **error)
{
  g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT,
                       _("The document is damaged: its internal references form a loop"));
  return FALSE;
}

static gboolean
set_not_found (GError **error,
               guint    num)
{
  g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_NOT_FOUND,
               /* translators: %u is an object number inside the PDF file */
               _("The document refers to object %u, which does not exist"), num);
  return FALSE;
}

/* Source */

static Source *
source_ref (Source *source)
{
  g_atomic_int_inc (&source->ref_count);
  return source;
}

static void
source_unref (Source *source)
{
  if (!g_atomic_int_dec_and_test (&source->ref_count))
    return;
  if (source->fd >= 0)
    close (source->fd);
  g_clear_pointer (&source->bytes, g_bytes_unref);
  g_free (source->path);
  g_free (source);
}

static gboolean
set_short_read (GError **error)
{
  g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_IO,
                       _("The file could not be read: it is shorter than expected (was it changed while open?)"));
  return FALSE;
}

static gboolean
source_pread (Source  *source,
              goffset  offset,
              guint8  *buffer,
              gsize    len,
              GError **error)
{
  gsize done = 0;

  if (offset < 0 || (gsize) offset > source->size || len > source->size - (gsize) offset)
    return set_short_read (error);

  if (source->bytes != NULL)
    {
      memcpy (buffer, (const guint8 *) g_bytes_get_data (source->bytes, NULL) + offset, len);
      return TRUE;
    }

  while (done < len)
    {
      ssize_t n = pread (source->fd, buffer + done, len - done, offset + done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_IO,
                       /* translators: %s is the system's reason */
                       _("The file could not be read: %s"), g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        return set_short_read (error);
      done += n;
    }
  return TRUE;
}

/* Reading */

/* memmem() without _GNU_SOURCE. */
static const guint8 *
find_bytes (const guint8 *haystack,
            gsize         len,
            const char   *needle,
            gsize         nlen)
{
  const guint8 *p = haystack, *end = haystack + len;

  while (nlen > 0 && (gsize) (end - p) >= nlen)
    {
      p = memchr (p, needle[0], (end - p) - nlen + 1);
      if (p == NULL)
        return NULL;
      if (memcmp (p, needle, nlen) == 0)
        return p;
      p++;
    }
  return NULL;
}

static gboolean
read_at (TekenPdfDocument *self,
         goffset           offset,
         guint8           *buffer,
         gsize             len,
         GError          **error)
{
  goffset block;

  if (offset < 0 || (gsize) offset > self->size || len > self->size - (gsize) offset)
    return set_short_read (error);

  if (len > CACHE_BLOCK / 4)
    return source_pread (self->source, offset, buffer, len, error);

  if (self->cache_len == 0 || offset < self->cache_start ||
      (gsize) (offset - self->cache_start) + len > self->cache_len)
    {
      block = offset - offset % (CACHE_BLOCK / 2);
      self->cache_len = MIN ((gsize) CACHE_BLOCK, self->size - (gsize) block);
      if (!source_pread (self->source, block, self->cache, self->cache_len, error))
        {
          self->cache_len = 0;
          return FALSE;
        }
      self->cache_start = block;
    }
  memcpy (buffer, self->cache + (offset - self->cache_start), len);
  return TRUE;
}

/* Reads up to len bytes (fewer at the end of the view); returns a new buffer. */
static guint8 *
read_window (TekenPdfDocument *self,
             goffset           offset,
             gsize             len,
             gsize            *out_len,
             GError          **error)
{
  g_autofree guint8 *buf = NULL;

  if (offset < 0 || (gsize) offset > self->size)
    {
      set_xref_damaged (error);
      return NULL;
    }
  len = MIN (len, self->size - (gsize) offset);
  buf = g_malloc (len + 1);
  if (!read_at (self, offset, buf, len, error))
    return NULL;
  buf[len] = '\0';
  *out_len = len;
  return g_steal_pointer (&buf);
}

/* First occurrence of needle in [from, limit), or -1. Reads in chunks that overlap. */
static goffset
find_forward (TekenPdfDocument *self,
              goffset           from,
              goffset           limit,
              const char       *needle)
{
  gsize nlen = strlen (needle);
  g_autofree guint8 *buf = g_malloc (CACHE_BLOCK);

  limit = MIN (limit, (goffset) self->size);
  while (from + (goffset) nlen <= limit)
    {
      gsize len = MIN ((gsize) CACHE_BLOCK, (gsize) (limit - from));
      const guint8 *hit;

      if (!source_pread (self->source, from, buf, len, NULL))
        return -1;
      hit = find_bytes (buf, len, needle, nlen);
      if (hit != NULL)
        return from + (hit - buf);
      if (from + (goffset) len >= limit)
        break;
      from += len - (nlen - 1);
    }
  return -1;
}

/* Object parsing through a window that grows when an object does not fit. */

typedef struct
{
  guint num;
  guint gen;
  gboolean is_stream;
  goffset data_start;
  goffset end;               /* after "endobj" (or the object when it is missing) */
} IndirectInfo;

static TekenPdfObject *
parse_indirect (TekenPdfLexer *lexer,
                IndirectInfo  *info,
                GError       **error)
{
  g_autoptr(TekenPdfObject) obj = NULL;

  memset (info, 0, sizeof *info);
  if (!teken_pdf_parse_object_header (lexer, &info->num, &info->gen, error))
    return NULL;
  obj = teken_pdf_parse_object (lexer, error);
  if (obj == NULL)
    return NULL;

  if (teken_pdf_object_get_kind (obj) == TEKEN_PDF_DICT && teken_pdf_lexer_accept_keyword (lexer, "stream"))
    {
      /* "stream" is followed by CRLF or LF (a lone CR is tolerated); spaces before it too. */
      while (lexer->pos < lexer->len && (lexer->data[lexer->pos] == ' ' || lexer->data[lexer->pos] == '\t'))
        lexer->pos++;
      if (lexer->pos < lexer->len && lexer->data[lexer->pos] == '\r')
        lexer->pos++;
      if (lexer->pos < lexer->len && lexer->data[lexer->pos] == '\n')
        lexer->pos++;
      if (lexer->pos >= lexer->len)
        lexer->hit_end = TRUE;
      info->is_stream = TRUE;
      info->data_start = lexer->base + lexer->pos;
    }
  else
    {
      /* A missing "endobj" is tolerated, as other readers do. */
      teken_pdf_lexer_accept_keyword (lexer, "endobj");
      info->end = lexer->base + lexer->pos;
    }
  return g_steal_pointer (&obj);
}

static TekenPdfObject *
parse_indirect_at (TekenPdfDocument *self,
                   goffset           offset,
                   IndirectInfo     *info,
                   GError          **error)
{
  gsize want = 4096;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree guint8 *buf = NULL;
      TekenPdfLexer lexer;
      TekenPdfObject *obj;
      gsize len;

      buf = read_window (self, offset, want, &len, error);
      if (buf == NULL)
        return NULL;
      teken_pdf_lexer_init (&lexer, buf, len, offset);
      obj = parse_indirect (&lexer, info, &local_error);

      /* Ran into the window's end before the end of the file: try again with more. */
      if (lexer.hit_end && len == want && want < MAX_WINDOW)
        {
          g_clear_pointer (&obj, teken_pdf_object_unref);
          want *= 4;
          continue;
        }
      if (obj == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return obj;
    }
}

/* Streams */

static gboolean
endstream_at (TekenPdfDocument *self,
              goffset           offset)
{
  guint8 buf[32];
  gsize avail = self->size - MIN ((gsize) offset, self->size);
  gsize len = MIN (sizeof buf, avail), i = 0;

  if (len < 9 || !read_at (self, offset, buf, len, NULL))
    return FALSE;
  while (i < len && teken_pdf_is_whitespace (buf[i]))
    i++;
  return len - i >= 9 && memcmp (buf + i, "endstream", 9) == 0;
}

/* The stream's /Length when it is usable, else -1. */
static gint64
stream_declared_length (TekenPdfDocument *self,
                        TekenPdfObject   *dict)
{
  TekenPdfObject *length = teken_pdf_dict_get (dict, "Length");
  g_autoptr(TekenPdfObject) resolved = NULL;

  if (teken_pdf_object_get_kind (length) == TEKEN_PDF_REFERENCE)
    {
      resolved = load_object (self, teken_pdf_object_get_ref_num (length), NULL);
      length = resolved;
    }
  if (teken_pdf_object_get_kind (length) != TEKEN_PDF_INTEGER || teken_pdf_object_get_integer (length) < 0)
    return -1;
  return teken_pdf_object_get_integer (length);
}

static gint64
stream_length_by_search (TekenPdfDocument *self,
                         goffset           data_start)
{
  goffset end = find_forward (self, data_start, self->size, "endstream");
  guint8 eol[2];

  if (end < 0)
    return -1;
  /* The end-of-line before "endstream" is not part of the data. */
  if (end - data_start >= 2 && read_at (self, end - 2, eol, 2, NULL))
    {
      if (eol[0] == '\r' && eol[1] == '\n')
        end -= 2;
      else if (eol[1] == '\n' || eol[1] == '\r')
        end -= 1;
    }
  else if (end - data_start == 1 && read_at (self, end - 1, eol, 1, NULL) && (eol[0] == '\n' || eol[0] == '\r'))
    end -= 1;
  return end - data_start;
}

static GBytes *
read_stream_data (TekenPdfDocument *self,
                  TekenPdfObject   *dict,
                  goffset           data_start,
                  GError          **error)
{
  gint64 length = stream_declared_length (self, dict);
  g_autofree guint8 *buf = NULL;

  /* A wrong /Length is common; "endstream" where the length says is the proof. */
  if (length < 0 || (guint64) length > self->size - MIN ((gsize) data_start, self->size) ||
      !endstream_at (self, data_start + length))
    length = stream_length_by_search (self, data_start);

  if (length < 0)
    {
      g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX,
                           _("A stream in the document has no end; the file is damaged or incomplete"));
      return NULL;
    }
  if (length > MAX_STREAM_LENGTH)
    {
      g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT,
                           _("A stream in the document is too large to be read"));
      return NULL;
    }

  buf = g_malloc (MAX (length, 1));
  if (!read_at (self, data_start, buf, length, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&buf), length);
}

/* A complete indirect object at offset (stream data included). */
static TekenPdfObject *
read_indirect_object (TekenPdfDocument *self,
                      goffset           offset,
                      IndirectInfo     *info,
                      GError          **error)
{
  g_autoptr(TekenPdfObject) obj = parse_indirect_at (self, offset, info, error);
  g_autoptr(GBytes) data = NULL;

  if (obj == NULL || !info->is_stream)
    return g_steal_pointer (&obj);

  data = read_stream_data (self, obj, info->data_start, error);
  if (data == NULL)
    return NULL;
  info->end = info->data_start + g_bytes_get_size (data);
  return teken_pdf_stream_new (g_steal_pointer (&obj), data);
}

/* Object streams (§7.5.7) */

static void
objstm_free (ObjStm *stm)
{
  g_clear_pointer (&stm->data, g_bytes_unref);
  g_array_unref (stm->offsets);
  g_free (stm);
}

static gboolean
objstm_parse_offsets (ObjStm  *stm,
                      gint64   n,
                      GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (stm->data, &len);
  TekenPdfLexer lexer;

  teken_pdf_lexer_init (&lexer, data, MIN (len, stm->first), 0);
  for (gint64 i = 0; i < n * 2; i++)
    {
      TekenPdfToken token = { 0 };
      guint value;
      gboolean ok = teken_pdf_lexer_next (&lexer, &token, NULL) && token.type == TEKEN_PDF_TOKEN_INTEGER &&
                    token.integer >= 0 && token.integer <= G_MAXINT32;

      value = (guint) token.integer;
      teken_pdf_token_clear (&token);
      if (!ok)
        {
          g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_DAMAGED,
                               _("An object stream in the document is damaged"));
          return FALSE;
        }
      g_array_append_val (stm->offsets, value);
    }
  return TRUE;
}

static ObjStm *
objstm_load (TekenPdfDocument *self,
             guint             num,
             GError          **error)
{
  g_autoptr(TekenPdfObject) stream = load_object (self, num, error);
  ObjStm *stm;
  gint64 n, first;

  if (stream == NULL)
    return NULL;
  n = teken_pdf_object_get_integer (teken_pdf_dict_get (stream, "N"));
  first = teken_pdf_object_get_integer (teken_pdf_dict_get (stream, "First"));
  if (teken_pdf_object_get_kind (stream) != TEKEN_PDF_STREAM || n < 0 || n > (1 << 20) || first < 0)
    {
      g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_DAMAGED,
                           _("An object stream in the document is damaged"));
      return NULL;
    }

  stm = g_new0 (ObjStm, 1);
  stm->num = num;
  stm->first = first;
  stm->offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  stm->data = teken_pdf_stream_decode (stream, MAX_OBJSTM_SIZE, error);
  if (stm->data == NULL || !objstm_parse_offsets (stm, n, error))
    {
      objstm_free (stm);
      return NULL;
    }
  return stm;
}

/* The decoded object stream num, from a small most-recently-used cache. */
static ObjStm *
objstm_get (TekenPdfDocument *self,
            guint             num,
            GError          **error)
{
  ObjStm *stm;

  for (GList *l = self->objstms.head; l != NULL; l = l->next)
    {
      stm = l->data;
      if (stm->num == num)
        {
          g_queue_unlink (&self->objstms, l);
          g_queue_push_head_link (&self->objstms, l);
          return stm;
        }
    }

  stm = objstm_load (self, num, error);
  if (stm == NULL)
    return NULL;
  g_queue_push_head (&self->objstms, stm);
  self->objstm_bytes += g_bytes_get_size (stm->data);
  while (self->objstms.length > 1 &&
         (self->objstms.length > MAX_OBJSTM_CACHE || self->objstm_bytes > MAX_OBJSTM_SIZE))
    {
      ObjStm *old = g_queue_pop_tail (&self->objstms);
      self->objstm_bytes -= g_bytes_get_size (old->data);
      objstm_free (old);
    }
  return stm;
}

static TekenPdfObject *
load_compressed (TekenPdfDocument        *self,
                 guint                    num,
                 const TekenPdfXrefEntry *entry,
                 GError                 **error)
{
  ObjStm *stm = objstm_get (self, entry->stream_num, error);
  gsize len, start, end;
  const guint8 *data;
  TekenPdfLexer lexer;
  guint index;

  if (stm == NULL)
    return NULL;
  index = entry->stream_index;
  /* The index should match; if the number is elsewhere in the stream, use that. */
  if (index >= stm->offsets->len / 2 || g_array_index (stm->offsets, guint, 2 * index) != num)
    {
      index = G_MAXUINT;
      for (guint i = 0; i < stm->offsets->len / 2; i++)
        if (g_array_index (stm->offsets, guint, 2 * i) == num)
          index = i;
      if (index == G_MAXUINT)
        {
          set_not_found (error, num);
          return NULL;
        }
    }

  data = g_bytes_get_data (stm->data, &len);
  start = stm->first + (gsize) g_array_index (stm->offsets, guint, 2 * index + 1);
  end = len;
  if (start >= len)
    {
      set_not_found (error, num);
      return NULL;
    }
  teken_pdf_lexer_init (&lexer, data + start, end - start, 0);
  return teken_pdf_parse_object (&lexer, error);
}

static TekenPdfObject *
load_uncompressed (TekenPdfDocument        *self,
                   guint                    num,
                   const TekenPdfXrefEntry *entry,
                   GError                 **error)
{
  IndirectInfo info;
  g_autoptr(TekenPdfObject) obj = read_indirect_object (self, entry->offset, &info, error);

  if (obj == NULL)
    return NULL;
  if (info.num != num || info.gen != entry->gen)
    {
      set_damaged (error, num);
      return NULL;
    }
  return g_steal_pointer (&obj);
}

/* Stream data is cached only within a budget, so that memory stays bounded however many
 * streams a caller reads; other objects are small and always kept. */
static void
cache_object (TekenPdfDocument *self,
              guint             num,
              TekenPdfObject   *obj)
{
  if (teken_pdf_object_get_kind (obj) == TEKEN_PDF_STREAM)
    {
      gsize size = g_bytes_get_size (teken_pdf_stream_get_raw (obj));
      if (size > MAX_CACHED_STREAM || self->cached_stream_bytes + size > MAX_CACHED_STREAM_BYTES)
        return;
      self->cached_stream_bytes += size;
    }
  g_hash_table_insert (self->objects, GUINT_TO_POINTER (num), teken_pdf_object_ref (obj));
}

/* The object num, from the cache or the file. Loops through /Length or object streams are errors. */
static TekenPdfObject *
load_object (TekenPdfDocument *self,
             guint             num,
             GError          **error)
{
  TekenPdfXrefEntry *entry;
  TekenPdfObject *obj;

  obj = g_hash_table_lookup (self->objects, GUINT_TO_POINTER (num));
  if (obj != NULL)
    return teken_pdf_object_ref (obj);

  entry = g_hash_table_lookup (self->xref, GUINT_TO_POINTER (num));
  if (entry == NULL || entry->kind == TEKEN_PDF_XREF_ENTRY_FREE)
    {
      set_not_found (error, num);
      return NULL;
    }
  if (g_hash_table_contains (self->loading, GUINT_TO_POINTER (num)) ||
      g_hash_table_size (self->loading) >= MAX_LOADING_DEPTH)
    {
      set_loop_error (error);
      return NULL;
    }

  g_hash_table_add (self->loading, GUINT_TO_POINTER (num));
  if (entry->kind == TEKEN_PDF_XREF_ENTRY_COMPRESSED)
    obj = load_compressed (self, num, entry, error);
  else
    obj = load_uncompressed (self, num, entry, error);
  g_hash_table_remove (self->loading, GUINT_TO_POINTER (num));

  if (obj == NULL)
    return NULL;
  cache_object (self, num, obj);
  return obj;
}

/* Cross-reference sections */

static void
section_free (gpointer data)
{
  Section *section = data;

  g_clear_pointer (&section->trailer, teken_pdf_object_unref);
  g_clear_pointer (&section->pub.object_numbers, g_array_unref);
  g_free (section);
}

static void
section_add_entry (GHashTable              *entries,
                   guint                    num,
                   const TekenPdfXrefEntry *entry)
{
  g_hash_table_insert (entries, GUINT_TO_POINTER (num), g_memdup2 (entry, sizeof *entry));
}

/* A cursor over the file for the line-oriented table, refilled as it advances. */
typedef struct
{
  TekenPdfDocument *doc;
  guint8 *buf;
  TekenPdfLexer lexer;
} Cursor;

static gboolean
cursor_load (Cursor  *cursor,
             goffset  offset,
             GError **error)
{
  gsize len;

  g_free (cursor->buf);
  cursor->buf = read_window (cursor->doc, offset, CACHE_BLOCK, &len, error);
  if (cursor->buf == NULL)
    return FALSE;
  teken_pdf_lexer_init (&cursor->lexer, cursor->buf, len, offset);
  return TRUE;
}

static goffset
cursor_tell (Cursor *cursor)
{
  return cursor->lexer.base + cursor->lexer.pos;
}

/* Makes sure `need` bytes are in the window, unless the file ends first. */
static gboolean
cursor_ensure (Cursor  *cursor,
               gsize    need,
               GError **error)
{
  if (cursor->lexer.len - cursor->lexer.pos >= need ||
      (gsize) (cursor->lexer.base + cursor->lexer.len) >= cursor->doc->size)
    return TRUE;
  return cursor_load (cursor, cursor_tell (cursor), error);
}

static gboolean
cursor_read_uint (Cursor *cursor,
                  guint64 *value)
{
  TekenPdfLexer *lx = &cursor->lexer;
  gsize digits = 0;

  *value = 0;
  while (lx->pos < lx->len && teken_pdf_is_whitespace (lx->data[lx->pos]))
    lx->pos++;
  while (lx->pos < lx->len && g_ascii_isdigit (lx->data[lx->pos]) && digits < 12)
    {
      *value = *value * 10 + (lx->data[lx->pos++] - '0');
      digits++;
    }
  return digits > 0;
}

/* One "oooooooooo ggggg n" entry; whitespace is read leniently. */
static gboolean
cursor_read_entry (Cursor            *cursor,
                   TekenPdfXrefEntry *entry)
{
  TekenPdfLexer *lx = &cursor->lexer;
  guint64 offset, gen;
  guint8 type;

  if (!cursor_read_uint (cursor, &offset) || !cursor_read_uint (cursor, &gen))
    return FALSE;
  while (lx->pos < lx->len && (lx->data[lx->pos] == ' ' || lx->data[lx->pos] == '\t'))
    lx->pos++;
  if (lx->pos >= lx->len)
    return FALSE;
  type = lx->data[lx->pos++];
  if ((type != 'n' && type != 'f') || gen > 65535)
    return FALSE;

  memset (entry, 0, sizeof *entry);
  entry->kind = type == 'n' ? TEKEN_PDF_XREF_ENTRY_OFFSET : TEKEN_PDF_XREF_ENTRY_FREE;
  entry->gen = (guint) gen;
  entry->offset = (goffset) offset;
  return TRUE;
}

static gboolean
parse_table_subsection (Cursor     *cursor,
                        guint64     start,
                        guint64     count,
                        Section    *section,
                        GHashTable *entries,
                        GError    **error)
{
  for (guint64 i = 0; i < count; i++)
    {
      TekenPdfXrefEntry entry;

      if (!cursor_ensure (cursor, 64, error))
        return FALSE;
      if (!cursor_read_entry (cursor, &entry))
        return set_xref_damaged (error);
      /* Object 0 is the head of the free list, never an object. */
      if (start + i == 0)
        continue;
      if (entry.kind == TEKEN_PDF_XREF_ENTRY_OFFSET && entry.offset == 0)
        entry.kind = TEKEN_PDF_XREF_ENTRY_FREE;
      if (entry.kind == TEKEN_PDF_XREF_ENTRY_OFFSET)
        section->n_in_use++;
      section_add_entry (entries, start + i, &entry);
    }
  return TRUE;
}

static TekenPdfObject *
parse_trailer_at (TekenPdfDocument *self,
                  goffset           offset,
                  goffset          *end,
                  GError          **error)
{
  gsize want = 4096;

  for (;;)
    {
      g_autofree guint8 *buf = NULL;
      g_autoptr(GError) local_error = NULL;
      TekenPdfLexer lexer;
      TekenPdfObject *obj;
      gsize len;

      buf = read_window (self, offset, want, &len, error);
      if (buf == NULL)
        return NULL;
      teken_pdf_lexer_init (&lexer, buf, len, offset);
      obj = teken_pdf_parse_object (&lexer, &local_error);
      if (lexer.hit_end && len == want && want < MAX_WINDOW)
        {
          g_clear_pointer (&obj, teken_pdf_object_unref);
          want *= 4;
          continue;
        }
      if (obj == NULL || teken_pdf_object_get_kind (obj) != TEKEN_PDF_DICT)
        {
          g_clear_pointer (&obj, teken_pdf_object_unref);
          set_xref_damaged (error);
          return NULL;
        }
      *end = lexer.base + lexer.pos;
      return obj;
    }
}

static gboolean
parse_table (TekenPdfDocument *self,
             goffset           offset,
             Section          *section,
             GHashTable       *entries,
             goffset          *end,
             GError          **error)
{
  Cursor cursor = { self, NULL, { 0 } };
  gboolean ok = FALSE;

  if (!cursor_load (&cursor, offset, error))
    return FALSE;
  if (!teken_pdf_lexer_accept_keyword (&cursor.lexer, "xref"))
    {
      set_xref_damaged (error);
      goto out;
    }

  for (;;)
    {
      guint64 start, count;

      if (!cursor_ensure (&cursor, 64, error))
        goto out;
      if (teken_pdf_lexer_accept_keyword (&cursor.lexer, "trailer"))
        break;
      if (!cursor_read_uint (&cursor, &start) || !cursor_read_uint (&cursor, &count) ||
          start + count > MAX_OBJECT_NUMBER)
        {
          set_xref_damaged (error);
          goto out;
        }
      if (!parse_table_subsection (&cursor, start, count, section, entries, error))
        goto out;
    }

  section->trailer = parse_trailer_at (self, cursor_tell (&cursor), end, error);
  ok = section->trailer != NULL;

out:
  g_free (cursor.buf);
  return ok;
}

typedef struct
{
  guint w[3];
  gsize row;
} XrefStreamLayout;

static guint64
read_field (const guint8 *p,
            guint         width)
{
  guint64 v = 0;

  for (guint i = 0; i < width; i++)
    v = v << 8 | p[i];
  return v;
}

static gboolean
xref_stream_entry (const guint8           *row,
                   const XrefStreamLayout *layout,
                   TekenPdfXrefEntry      *entry)
{
  guint64 type = layout->w[0] == 0 ? 1 : read_field (row, layout->w[0]);
  guint64 f2 = read_field (row + layout->w[0], layout->w[1]);
  guint64 f3 = read_field (row + layout->w[0] + layout->w[1], layout->w[2]);

  memset (entry, 0, sizeof *entry);
  switch (type)
    {
    case 0:
      entry->kind = TEKEN_PDF_XREF_ENTRY_FREE;
      entry->gen = (guint) MIN (f3, 65535);
      return TRUE;
    case 1:
      entry->kind = TEKEN_PDF_XREF_ENTRY_OFFSET;
      entry->offset = (goffset) MIN (f2, G_MAXINT64);
      entry->gen = (guint) MIN (f3, 65535);
      return f2 > 0;
    case 2:
      entry->kind = TEKEN_PDF_XREF_ENTRY_COMPRESSED;
      entry->stream_num = (guint) MIN (f2, G_MAXUINT);
      entry->stream_index = (guint) MIN (f3, G_MAXUINT);
      return TRUE;
    default:
      /* Other types are reserved and read as null objects (§7.5.8.3). */
      return FALSE;
    }
}

static gboolean
xref_stream_layout (TekenPdfObject   *dict,
                    XrefStreamLayout *layout)
{
  TekenPdfObject *w = teken_pdf_dict_get (dict, "W");

  if (teken_pdf_array_get_length (w) < 3)
    return FALSE;
  layout->row = 0;
  for (guint i = 0; i < 3; i++)
    {
      TekenPdfObject *item = teken_pdf_array_get (w, i);
      gint64 width = teken_pdf_object_get_integer (item);
      if (teken_pdf_object_get_kind (item) != TEKEN_PDF_INTEGER || width < 0 || width > 8)
        return FALSE;
      layout->w[i] = (guint) width;
      layout->row += width;
    }
  return layout->row > 0;
}

/* /Index as pairs of (first, count), defaulting to [0 Size]; FALSE when malformed or too big. */
static GArray *
xref_stream_index (TekenPdfObject *dict,
                   guint64        *total)
{
  TekenPdfObject *index = teken_pdf_dict_get (dict, "Index");
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint n = teken_pdf_array_get_length (index);

  *total = 0;
  if (index == NULL)
    {
      guint64 size = (guint64) MAX (0, teken_pdf_object_get_integer (teken_pdf_dict_get (dict, "Size")));
      guint64 zero = 0;
      g_array_append_val (pairs, zero);
      g_array_append_val (pairs, size);
      n = 0;
    }
  if (n % 2 != 0)
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      TekenPdfObject *item = teken_pdf_array_get (index, i);
      gint64 v = teken_pdf_object_get_integer (item);
      guint64 u;
      if (teken_pdf_object_get_kind (item) != TEKEN_PDF_INTEGER || v < 0 || v > MAX_OBJECT_NUMBER)
        return NULL;
      u = (guint64) v;
      g_array_append_val (pairs, u);
    }
  for (guint i = 0; i < pairs->len; i += 2)
    {
      guint64 first = g_array_index (pairs, guint64, i), count = g_array_index (pairs, guint64, i + 1);
      if (first + count > MAX_OBJECT_NUMBER)
        return NULL;
      *total += count;
    }
  return *total <= MAX_OBJECT_NUMBER ? g_steal_pointer (&pairs) : NULL;
}

static gboolean
parse_xref_stream_entries (TekenPdfObject *stream,
                           Section        *section,
                           GHashTable     *entries,
                           GError        **error)
{
  XrefStreamLayout layout;
  g_autoptr(GArray) index = NULL;
  g_autoptr(GBytes) data = NULL;
  const guint8 *p;
  gsize len, pos = 0;
  guint64 total;

  if (!xref_stream_layout (stream, &layout) ||
      (index = xref_stream_index (teken_pdf_stream_get_dict (stream), &total)) == NULL)
    return set_xref_damaged (error);

  /* Sized by /Index, and capped: a small compressed stream must not claim millions of entries. */
  data = teken_pdf_stream_decode (stream, MIN (total * layout.row + 4096, MAX_XREF_STREAM_SIZE), error);
  if (data == NULL)
    return FALSE;
  p = g_bytes_get_data (data, &len);

  for (guint i = 0; i < index->len; i += 2)
    {
      guint64 first = g_array_index (index, guint64, i), count = g_array_index (index, guint64, i + 1);
      /* Short data: the entries that are there are used, as other readers do. */
      for (guint64 k = 0; k < count && pos + layout.row <= len; k++, pos += layout.row)
        {
          TekenPdfXrefEntry entry;
          if (!xref_stream_entry (p + pos, &layout, &entry) || first + k == 0)
            continue;
          if (entry.kind != TEKEN_PDF_XREF_ENTRY_FREE)
            section->n_in_use++;
          section_add_entry (entries, first + k, &entry);
        }
    }
  return TRUE;
}

static gboolean
parse_xref_stream (TekenPdfDocument *self,
                   goffset           offset,
                   Section          *section,
                   GHashTable       *entries,
                   goffset          *end,
                   GError          **error)
{
  IndirectInfo info;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TekenPdfObject) stream = read_indirect_object (self, offset, &info, &local_error);

  if (stream == NULL || teken_pdf_object_get_kind (stream) != TEKEN_PDF_STREAM)
    return set_xref_damaged (error);
  if (!parse_xref_stream_entries (stream, section, entries, error))
    return FALSE;
  section->trailer = teken_pdf_object_ref (teken_pdf_stream_get_dict (stream));
  *end = info.end;
  return TRUE;
}

/* Looks at the bytes at offset: "xref" starts a table, "N G obj" a stream. */
static gboolean
section_is_table (TekenPdfDocument *self,
                  goffset           offset)
{
  guint8 buf[64];
  gsize len = MIN (sizeof buf, self->size - MIN ((gsize) offset, self->size)), i = 0;

  if (!read_at (self, offset, buf, len, NULL))
    return FALSE;
  while (i < len && teken_pdf_is_whitespace (buf[i]))
    i++;
  return len - i >= 4 && memcmp (buf + i, "xref", 4) == 0;
}

static gsize
find_section_end (TekenPdfDocument *self,
                  goffset           after)
{
  goffset eof = find_forward (self, after, after + EOF_SEARCH, "%%EOF");
  guint8 eol[2];
  gsize end;

  if (eof < 0)
    return self->size;
  end = eof + 5;
  if (end < self->size && read_at (self, end, eol, MIN (2, self->size - end), NULL))
    {
      if (eol[0] == '\r' && end + 1 < self->size && eol[1] == '\n')
        end += 2;
      else if (eol[0] == '\r' || eol[0] == '\n')
        end += 1;
    }
  return end;
}

static goffset
trailer_offset (TekenPdfObject *trailer,
                const char     *key)
{
  TekenPdfObject *value = teken_pdf_dict_get (trailer, key);

  if (teken_pdf_object_get_kind (value) != TEKEN_PDF_INTEGER || teken_pdf_object_get_integer (value) < 0)
    return -1;
  return teken_pdf_object_get_integer (value);
}

/* A hybrid file's /XRefStm: its entries fill the table's gaps and free entries (§7.5.8.4). */
static gboolean
merge_hybrid_stream (TekenPdfDocument *self,
                     Section          *section,
                     GHashTable       *entries,
                     GError          **error)
{
  g_autoptr(GHashTable) stm_entries = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  Section scratch = { { 0 }, NULL, -1, -1, 0, 0 };
  GHashTableIter iter;
  gpointer key, value;
  goffset end;

  if (!parse_xref_stream (self, section->xref_stm, &scratch, stm_entries, &end, error))
    return FALSE;
  g_clear_pointer (&scratch.trailer, teken_pdf_object_unref);

  g_hash_table_iter_init (&iter, stm_entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TekenPdfXrefEntry *old = g_hash_table_lookup (entries, key);
      if (old == NULL || old->kind == TEKEN_PDF_XREF_ENTRY_FREE)
        g_hash_table_insert (entries, key, g_memdup2 (value, sizeof (TekenPdfXrefEntry)));
    }
  return TRUE;
}

static gint
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

/* Newest definition wins: entries only fill numbers no newer section defined. */
static void
apply_section_entries (TekenPdfDocument *self,
                       Section          *section,
                       GHashTable       *entries)
{
  GHashTableIter iter;
  gpointer key, value;

  section->pub.object_numbers = g_array_sized_new (FALSE, FALSE, sizeof (guint), g_hash_table_size (entries));
  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint num = GPOINTER_TO_UINT (key);
      g_array_append_val (section->pub.object_numbers, num);
      if (!g_hash_table_contains (self->xref, key))
        {
          g_hash_table_iter_steal (&iter);
          g_hash_table_insert (self->xref, key, value);
        }
      self->next_number = MAX (self->next_number, num + 1);
    }
  g_array_sort (section->pub.object_numbers, compare_uint);
}

static Section *
read_section (TekenPdfDocument *self,
              goffset           offset,
              GError          **error)
{
  g_autoptr(GHashTable) entries = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  Section *section = g_new0 (Section, 1);
  gboolean ok;
  goffset end = offset;
  gint64 size;

  section->pub.xref_offset = offset;
  section->prev = section->xref_stm = -1;
  section->pub.kind = section_is_table (self, offset) ? TEKEN_PDF_XREF_TABLE : TEKEN_PDF_XREF_STREAM;
  if (section->pub.kind == TEKEN_PDF_XREF_TABLE)
    ok = parse_table (self, offset, section, entries, &end, error);
  else
    ok = parse_xref_stream (self, offset, section, entries, &end, error);

  if (ok && section->pub.kind == TEKEN_PDF_XREF_TABLE)
    {
      section->xref_stm = trailer_offset (section->trailer, "XRefStm");
      if (section->xref_stm >= 0)
        ok = merge_hybrid_stream (self, section, entries, error);
    }
  if (!ok)
    {
      section_free (section);
      return NULL;
    }

  section->prev = trailer_offset (section->trailer, "Prev");
  section->raw_end = find_section_end (self, end);
  size = teken_pdf_object_get_integer (teken_pdf_dict_get (section->trailer, "Size"));
  if (size > 0 && size <= MAX_OBJECT_NUMBER)
    self->next_number = MAX (self->next_number, (guint) size);
  apply_section_entries (self, section, entries);
  return section;
}

/* A linearized file's first-page section lies before the section it points to, and a
 * Word-style hybrid stub ("xref 0 0" + /XRefStm) defines nothing of its own: neither is a
 * revision. Each belongs to the revision of the older section, which ends where the
 * latest of its sections ends. */
static void
classify_sections (TekenPdfDocument *self)
{
  gsize group_end = 0;
  guint group_start = self->sections->len;

  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *s = self->sections->pdata[i];
      gboolean has_prev = i + 1 < self->sections->len;
      gboolean first_page = has_prev && s->prev > s->pub.xref_offset;
      gboolean stub = has_prev && s->pub.kind == TEKEN_PDF_XREF_TABLE && s->xref_stm >= 0 &&
                      s->n_in_use == 0;
      s->pub.is_revision = !(first_page || stub);
    }

  /* Oldest to newest: a non-revision section extends the revision below it. */
  for (guint i = self->sections->len; i-- > 0;)
    {
      Section *s = self->sections->pdata[i];

      if (s->pub.is_revision || group_start == self->sections->len)
        {
          group_start = i;
          group_end = s->raw_end;
        }
      group_end = MAX (group_end, s->raw_end);
      for (guint k = i; k <= group_start; k++)
        ((Section *) self->sections->pdata[k])->pub.end_offset = group_end;
    }
}

static gboolean
read_sections (TekenPdfDocument *self,
               GError          **error)
{
  g_autoptr(GHashTable) visited = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 offset = self->startxref;

  while (offset >= 0)
    {
      Section *section;

      if (g_hash_table_contains (visited, &offset) || self->sections->len >= MAX_SECTIONS)
        return set_loop_error (error);
      g_hash_table_add (visited, g_memdup2 (&offset, sizeof offset));

      section = read_section (self, offset, error);
      if (section == NULL)
        return FALSE;
      g_ptr_array_add (self->sections, section);
      offset = section->prev;
    }
  classify_sections (self);
  return TRUE;
}

/* Opening */

static gboolean
set_not_pdf (GError     **error,
             const guint8 *head,
             gsize         len)
{
  const char *message = _("This file is not a PDF document");

  if (len == 0)
    message = _("This file is empty; it is not a PDF document");
  else if (len >= 4 && memcmp (head, "PK\003\004", 4) == 0)
    message = _("This file is not a PDF document (it is a ZIP archive or an office document; "
                "convert it to PDF first)");
  else if (g_strstr_len ((const char *) head, len, "<html") != NULL ||
           g_strstr_len ((const char *) head, len, "<!DOCTYPE") != NULL ||
           g_strstr_len ((const char *) head, len, "<!doctype") != NULL)
    message = _("This file is not a PDF document (it is a web page; download the document again)");
  g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_NOT_PDF, message);
  return FALSE;
}

/* "%PDF-x.y" within the first 1024 bytes. */
static gboolean
check_header (TekenPdfDocument *self,
              GError          **error)
{
  gsize len = MIN ((gsize) HEADER_SEARCH, self->size);
  g_autofree guint8 *head = g_malloc (len + 1);
  const guint8 *p;

  if (!read_at (self, 0, head, len, error))
    return FALSE;
  head[len] = '\0';
  p = find_bytes (head, len, "%PDF-", 5);
  if (p == NULL || p + 8 > head + len || !g_ascii_isdigit (p[5]) || p[6] != '.' || !g_ascii_isdigit (p[7]))
    return set_not_pdf (error, head, len);

  g_snprintf (self->header_version, sizeof self->header_version, "%c.%c", p[5], p[7]);
  self->linearized = find_bytes (head, len, "/Linearized", 11) != NULL;
  return TRUE;
}

static gboolean
set_truncated (GError **error)
{
  g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_TRUNCATED,
                       _("The file is incomplete (it may have been cut off while downloading or copying)"));
  return FALSE;
}

/* The offset after the last "startxref" near the end of the file. */
static gboolean
find_startxref (TekenPdfDocument *self,
                GError          **error)
{
  gsize len = MIN ((gsize) TAIL_SEARCH, self->size);
  g_autofree guint8 *tail = g_malloc (len + 1);
  const guint8 *hit = NULL;
  TekenPdfLexer lexer;
  TekenPdfToken token = { 0 };
  gboolean ok;

  if (!read_at (self, self->size - len, tail, len, error))
    return FALSE;
  tail[len] = '\0';
  for (const guint8 *p = tail; (p = find_bytes (p, len - (p - tail), "startxref", 9)) != NULL; p++)
    hit = p;
  if (hit == NULL)
    return set_truncated (error);

  teken_pdf_lexer_init (&lexer, hit + 9, len - (hit + 9 - tail), self->size - len + (hit + 9 - tail));
  ok = teken_pdf_lexer_next (&lexer, &token, NULL) && token.type == TEKEN_PDF_TOKEN_INTEGER;
  self->startxref = token.integer;
  teken_pdf_token_clear (&token);
  if (!ok)
    return set_truncated (error);
  if (self->startxref <= 0 || (gsize) self->startxref >= self->size)
    return set_xref_damaged (error);
  return TRUE;
}

/* Every in-use offset must point at its own "N G obj" header (cheap: a few bytes each). */
static gboolean
check_offsets (TekenPdfDocument *self,
               GError          **error)
{
  g_autoptr(GArray) nums = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->xref);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((TekenPdfXrefEntry *) value)->kind == TEKEN_PDF_XREF_ENTRY_OFFSET)
      {
        guint num = GPOINTER_TO_UINT (key);
        g_array_append_val (nums, num);
      }
  g_array_sort (nums, compare_uint);

  for (guint i = 0; i < nums->len; i++)
    {
      guint num = g_array_index (nums, guint, i), n, g;
      TekenPdfXrefEntry *entry = g_hash_table_lookup (self->xref, GUINT_TO_POINTER (num));
      guint8 buf[48];
      gsize len;
      TekenPdfLexer lexer;

      if (entry->offset <= 0 || (gsize) entry->offset >= self->size)
        return set_damaged (error, num);
      len = MIN (sizeof buf, self->size - (gsize) entry->offset);
      if (!read_at (self, entry->offset, buf, len, error))
        return FALSE;
      teken_pdf_lexer_init (&lexer, buf, len, entry->offset);
      if (!teken_pdf_parse_object_header (&lexer, &n, &g, NULL) || n != num || g != entry->gen)
        return set_damaged (error, num);
    }
  return TRUE;
}

static void
merge_trailers (TekenPdfDocument *self)
{
  static const char * const inherited[] = { "Root", "Info", "ID", "Encrypt" };
  static const char * const stream_keys[] = { "Type", "Length", "Filter", "DecodeParms", "W", "Index",
                                              "XRefStm", "Prev" };
  Section *newest = self->sections->pdata[0];

  self->trailer = teken_pdf_object_copy (newest->trailer);
  for (guint k = 0; k < G_N_ELEMENTS (stream_keys); k++)
    teken_pdf_dict_remove (self->trailer, stream_keys[k]);
  for (guint i = 1; i < self->sections->len; i++)
    {
      Section *s = self->sections->pdata[i];
      for (guint k = 0; k < G_N_ELEMENTS (inherited); k++)
        if (teken_pdf_dict_get (self->trailer, inherited[k]) == NULL &&
            teken_pdf_dict_get (s->trailer, inherited[k]) != NULL)
          teken_pdf_dict_set (self->trailer, inherited[k],
                              teken_pdf_object_copy (teken_pdf_dict_get (s->trailer, inherited[k])));
    }
  self->encrypted = teken_pdf_dict_get (self->trailer, "Encrypt") != NULL;
}

static gboolean
document_load (TekenPdfDocument *self,
               GError          **error)
{
  if (!check_header (self, error) || !find_startxref (self, error) || !read_sections (self, error))
    return FALSE;
  merge_trailers (self);
  if (teken_pdf_dict_get (self->trailer, "Root") == NULL)
    return set_xref_damaged (error);
  return check_offsets (self, error);
}

static TekenPdfDocument *
document_new (Source  *source,
              gsize    size,
              GError **error)
{
  g_autoptr(TekenPdfDocument) self = g_object_new (TEKEN_TYPE_PDF_DOCUMENT, NULL);

  self->source = source;
  self->size = size;
  if (!document_load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

TekenPdfDocument *
teken_pdf_document_new_for_path (const char  *path,
                                 GError     **error)
{
  Source *source;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      int saved = fd < 0 ? errno : S_ISREG (st.st_mode) ? errno : EISDIR;
      g_autofree char *name = g_filename_display_name (path);
      if (fd >= 0)
        close (fd);
      g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_IO,
                   /* translators: the first %s is a file name, the second the system's reason */
                   _("Could not open “%s”: %s"), name, g_strerror (saved));
      return NULL;
    }

  source = g_new0 (Source, 1);
  source->ref_count = 1;
  source->fd = fd;
  source->path = g_strdup (path);
  source->size = st.st_size;
  return document_new (source, source->size, error);
}

TekenPdfDocument *
teken_pdf_document_new_for_bytes (GBytes  *bytes,
                                  GError **error)
{
  Source *source;

  g_return_val_if_fail (bytes != NULL, NULL);

  source = g_new0 (Source, 1);
  source->ref_count = 1;
  source->fd = -1;
  source->bytes = g_bytes_ref (bytes);
  source->size = g_bytes_get_size (bytes);
  return document_new (source, source->size, error);
}

TekenPdfDocument *
teken_pdf_document_new_for_revision (TekenPdfDocument *self,
                                     gsize             length,
                                     GError          **error)
{
  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), NULL);

  if (length > self->size)
    {
      g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_NOT_FOUND,
                           _("The requested revision lies beyond the end of the file"));
      return NULL;
    }
  return document_new (source_ref (self->source), length, error);
}

/* GObject */

static void
teken_pdf_document_finalize (GObject *object)
{
  TekenPdfDocument *self = TEKEN_PDF_DOCUMENT (object);

  g_clear_pointer (&self->source, source_unref);
  g_free (self->cache);
  g_free (self->version);
  g_hash_table_unref (self->xref);
  g_ptr_array_unref (self->sections);
  g_clear_pointer (&self->trailer, teken_pdf_object_unref);
  g_hash_table_unref (self->objects);
  g_hash_table_unref (self->loading);
  g_queue_clear_full (&self->objstms, (GDestroyNotify) objstm_free);
  g_array_unref (self->page_nums);
  g_ptr_array_unref (self->pages);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (teken_pdf_document_parent_class)->finalize (object);
}

static void
teken_pdf_document_class_init (TekenPdfDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_pdf_document_finalize;
}

static void
teken_pdf_document_init (TekenPdfDocument *self)
{
  g_rec_mutex_init (&self->lock);
  self->cache = g_malloc (CACHE_BLOCK);
  self->xref = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->sections = g_ptr_array_new_with_free_func (section_free);
  self->objects = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) teken_pdf_object_unref);
  self->loading = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->objstms);
  self->page_nums = g_array_new (FALSE, FALSE, sizeof (guint));
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) teken_pdf_object_unref);
}

/* Simple getters */

const char *
teken_pdf_document_get_path (TekenPdfDocument *self)
{
  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), NULL);
  return self->source->path;
}

gsize
teken_pdf_document_get_size (TekenPdfDocument *self)
{
  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), 0);
  return self->size;
}

gboolean
teken_pdf_document_is_encrypted (TekenPdfDocument *self)
{
  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), FALSE);
  return self->encrypted;
}

gboolean
teken_pdf_document_is_linearized (TekenPdfDocument *self)
{
  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), FALSE);
  return self->linearized;
}

TekenPdfObject *
teken_pdf_document_get_trailer (TekenPdfDocument *self)
{
  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), NULL);
  return self->trailer;
}

TekenPdfXrefKind
teken_pdf_document_get_xref_kind (TekenPdfDocument *self)
{
  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), TEKEN_PDF_XREF_TABLE);
  return ((Section *) self->sections->pdata[0])->pub.kind;
}

gboolean
teken_pdf_document_has_xref_stream (TekenPdfDocument *self)
{
  Section *newest;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), FALSE);
  newest = self->sections->pdata[0];
  return newest->pub.kind == TEKEN_PDF_XREF_STREAM || newest->xref_stm >= 0;
}

goffset
teken_pdf_document_get_startxref (TekenPdfDocument *self)
{
  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), 0);
  return self->startxref;
}

guint
teken_pdf_document_get_next_object_number (TekenPdfDocument *self)
{
  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), 0);
  return MAX (self->next_number, 1);
}

GPtrArray *
teken_pdf_document_get_sections (TekenPdfDocument *self)
{
  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), NULL);
  return self->sections;
}

gboolean
teken_pdf_document_get_xref_entry (TekenPdfDocument  *self,
                                   guint              num,
                                   TekenPdfXrefEntry *entry)
{
  TekenPdfXrefEntry *found;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), FALSE);

  found = g_hash_table_lookup (self->xref, GUINT_TO_POINTER (num));
  if (found == NULL)
    return FALSE;
  if (entry != NULL)
    *entry = *found;
  return TRUE;
}

/* Raw reads */

gboolean
teken_pdf_document_read (TekenPdfDocument *self,
                         goffset           offset,
                         guint8           *buffer,
                         gsize             len,
                         GError          **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (offset < 0 || (gsize) offset > self->size || len > self->size - (gsize) offset)
    {
      g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_IO,
                           _("The file could not be read: the position is beyond its end"));
      return FALSE;
    }
  return read_at (self, offset, buffer, len, error);
}

GBytes *
teken_pdf_document_read_bytes (TekenPdfDocument *self,
                               goffset           offset,
                               gsize             len,
                               GError          **error)
{
  g_autofree guint8 *buf = g_malloc (MAX (len, 1));

  if (!teken_pdf_document_read (self, offset, buf, len, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&buf), len);
}

#define COPY_CHUNK (1024 * 1024)

gboolean
teken_pdf_document_copy_to (TekenPdfDocument  *self,
                            TekenAtomicFile   *file,
                            GError           **error)
{
  g_autofree guint8 *buf = NULL;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), FALSE);

  buf = g_malloc (COPY_CHUNK);
  for (gsize done = 0; done < self->size;)
    {
      gsize len = MIN ((gsize) COPY_CHUNK, self->size - done);

      if (!teken_pdf_document_read (self, done, buf, len, error) ||
          !teken_atomic_file_write (file, buf, len, error))
        return FALSE;
      done += len;
    }
  return TRUE;
}

/* Objects */

TekenPdfObject *
teken_pdf_document_get_object (TekenPdfDocument *self,
                               guint             num,
                               GError          **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  return load_object (self, num, error);
}

TekenPdfObject *
teken_pdf_document_resolve (TekenPdfDocument *self,
                            TekenPdfObject   *obj,
                            GError          **error)
{
  g_autoptr(TekenPdfObject) current = NULL;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), NULL);
  g_return_val_if_fail (obj != NULL, NULL);

  current = teken_pdf_object_ref (obj);
  for (guint i = 0; teken_pdf_object_get_kind (current) == TEKEN_PDF_REFERENCE; i++)
    {
      g_autoptr(GError) local_error = NULL;
      TekenPdfObject *next;

      if (i >= MAX_REFERENCE_CHAIN)
        {
          set_loop_error (error);
          return NULL;
        }
      next = teken_pdf_document_get_object (self, teken_pdf_object_get_ref_num (current), &local_error);
      if (next == NULL)
        {
          /* A dangling reference is the null object (§7.3.10); other failures are errors. */
          if (g_error_matches (local_error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_NOT_FOUND))
            return teken_pdf_null_new ();
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      teken_pdf_object_unref (current);
      current = next;
    }
  return g_steal_pointer (&current);
}

TekenPdfObject *
teken_pdf_document_lookup (TekenPdfDocument *self,
                           TekenPdfObject   *dict,
                           const char       *key,
                           GError          **error)
{
  TekenPdfObject *value;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), NULL);

  value = teken_pdf_dict_get (dict, key);
  if (value == NULL)
    return NULL;
  return teken_pdf_document_resolve (self, value, error);
}

TekenPdfObject *
teken_pdf_document_get_catalog (TekenPdfDocument *self,
                                guint            *num,
                                GError          **error)
{
  TekenPdfObject *root;
  g_autoptr(TekenPdfObject) catalog = NULL;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), NULL);

  root = teken_pdf_dict_get (self->trailer, "Root");
  if (teken_pdf_object_get_kind (root) == TEKEN_PDF_REFERENCE)
    catalog = teken_pdf_document_get_object (self, teken_pdf_object_get_ref_num (root), NULL);
  if (teken_pdf_object_get_kind (catalog) != TEKEN_PDF_DICT)
    {
      g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_DAMAGED,
                           _("The document is damaged: its catalog (the root object) cannot be read"));
      return NULL;
    }
  if (num != NULL)
    *num = teken_pdf_object_get_ref_num (root);
  return g_steal_pointer (&catalog);
}

const char *
teken_pdf_document_get_version (TekenPdfDocument *self)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TekenPdfObject) catalog = NULL;
  const char *version;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (self->version != NULL)
    return self->version;

  /* A catalog /Version newer than the header wins (§7.7.2). */
  version = self->header_version;
  catalog = teken_pdf_document_get_catalog (self, NULL, NULL);
  if (catalog != NULL)
    {
      const char *v = teken_pdf_object_get_name (teken_pdf_dict_get (catalog, "Version"));
      if (v != NULL && strlen (v) == 3 && g_ascii_isdigit (v[0]) && v[1] == '.' && g_ascii_isdigit (v[2]) &&
          strcmp (v, version) > 0)
        version = v;
    }
  self->version = g_strdup (version);
  return self->version;
}

/* Page tree (§7.7.3) */

typedef struct
{
  GHashTable *ancestors;     /* node numbers on the current path: a repeat is a loop */
  guint visits;
} PageWalk;

static gboolean
is_page_tree_node (TekenPdfObject *node)
{
  if (teken_pdf_object_is_name (teken_pdf_dict_get (node, "Type"), "Pages"))
    return TRUE;
  return !teken_pdf_object_is_name (teken_pdf_dict_get (node, "Type"), "Page") &&
         teken_pdf_dict_get (node, "Kids") != NULL;
}

static gboolean walk_page_node (TekenPdfDocument *self,
                                TekenPdfObject   *ref,
                                guint             depth,
                                PageWalk         *walk,
                                GError          **error);

static gboolean
walk_kids (TekenPdfDocument *self,
           TekenPdfObject   *node,
           guint             depth,
           PageWalk         *walk,
           GError          **error)
{
  g_autoptr(TekenPdfObject) kids = teken_pdf_document_lookup (self, node, "Kids", error);

  if (kids == NULL)
    return error == NULL || *error == NULL;
  for (guint i = 0; i < teken_pdf_array_get_length (kids); i++)
    if (!walk_page_node (self, teken_pdf_array_get (kids, i), depth + 1, walk, error))
      return FALSE;
  return TRUE;
}

static gboolean
set_page_tree_error (GError **error)
{
  g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT,
                       _("The document’s list of pages is damaged (it contains a loop or is too deep)"));
  return FALSE;
}

static gboolean
walk_page_node (TekenPdfDocument *self,
                TekenPdfObject   *ref,
                guint             depth,
                PageWalk         *walk,
                GError          **error)
{
  guint num = teken_pdf_object_get_ref_num (ref);
  g_autoptr(TekenPdfObject) node = NULL;
  gboolean ok;

  if (depth > MAX_PAGE_TREE_DEPTH || ++walk->visits > MAX_PAGE_TREE_VISITS ||
      (num != 0 && g_hash_table_contains (walk->ancestors, GUINT_TO_POINTER (num))))
    return set_page_tree_error (error);

  node = teken_pdf_document_resolve (self, ref, error);
  if (node == NULL)
    return FALSE;
  /* Broken kids (null, numbers, streams) are skipped, as viewers do. */
  if (teken_pdf_object_get_kind (node) != TEKEN_PDF_DICT)
    return TRUE;

  if (!is_page_tree_node (node))
    {
      g_array_append_val (self->page_nums, num);
      g_ptr_array_add (self->pages, g_steal_pointer (&node));
      return TRUE;
    }

  if (num != 0)
    g_hash_table_add (walk->ancestors, GUINT_TO_POINTER (num));
  ok = walk_kids (self, node, depth, walk, error);
  if (num != 0)
    g_hash_table_remove (walk->ancestors, GUINT_TO_POINTER (num));
  return ok;
}

static gboolean
ensure_pages (TekenPdfDocument *self,
              GError          **error)
{
  g_autoptr(TekenPdfObject) catalog = NULL;
  g_autoptr(GHashTable) ancestors = NULL;
  TekenPdfObject *pages;
  PageWalk walk;

  if (self->pages_loaded)
    return TRUE;
  catalog = teken_pdf_document_get_catalog (self, NULL, error);
  if (catalog == NULL)
    return FALSE;
  pages = teken_pdf_dict_get (catalog, "Pages");
  if (pages == NULL)
    {
      g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_DAMAGED,
                           _("The document is damaged: it has no list of pages"));
      return FALSE;
    }

  ancestors = g_hash_table_new (NULL, NULL);
  walk.ancestors = ancestors;
  walk.visits = 0;
  if (!walk_page_node (self, pages, 0, &walk, error))
    {
      g_array_set_size (self->page_nums, 0);
      g_ptr_array_set_size (self->pages, 0);
      return FALSE;
    }
  self->pages_loaded = TRUE;
  return TRUE;
}

guint
teken_pdf_document_get_n_pages (TekenPdfDocument *self,
                                GError          **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), 0);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!ensure_pages (self, error))
    return 0;
  return self->pages->len;
}

TekenPdfObject *
teken_pdf_document_get_page (TekenPdfDocument *self,
                             guint             index,
                             guint            *num,
                             GError          **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!ensure_pages (self, error))
    return NULL;
  if (index >= self->pages->len)
    {
      g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_NOT_FOUND,
                   /* translators: %u is a page number */
                   _("The document has no page %u"), index + 1);
      return NULL;
    }
  if (num != NULL)
    *num = g_array_index (self->page_nums, guint, index);
  return teken_pdf_object_ref (self->pages->pdata[index]);
}

/* Page geometry */

/* A page attribute, looked up through /Parent for the inheritable ones (§7.7.3.4). */
static TekenPdfObject *
lookup_inherited (TekenPdfDocument *self,
                  TekenPdfObject   *page,
                  const char       *key)
{
  g_autoptr(TekenPdfObject) node = teken_pdf_object_ref (page);

  for (guint depth = 0; node != NULL && depth <= MAX_PAGE_TREE_DEPTH; depth++)
    {
      TekenPdfObject *parent;
      TekenPdfObject *value = teken_pdf_document_lookup (self, node, key, NULL);

      if (value != NULL && teken_pdf_object_get_kind (value) != TEKEN_PDF_NULL)
        return value;
      g_clear_pointer (&value, teken_pdf_object_unref);
      parent = teken_pdf_document_lookup (self, node, "Parent", NULL);
      teken_pdf_object_unref (node);
      node = teken_pdf_object_get_kind (parent) == TEKEN_PDF_DICT ? parent : NULL;
      if (node == NULL && parent != NULL)
        teken_pdf_object_unref (parent);
    }
  return NULL;
}

static gboolean
read_rect (TekenPdfDocument *self,
           TekenPdfObject   *array,
           TekenPdfRect     *rect)
{
  double v[4];

  if (teken_pdf_array_get_length (array) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(TekenPdfObject) item = teken_pdf_document_resolve (self, teken_pdf_array_get (array, i), NULL);
      if (!teken_pdf_object_is_number (item))
        return FALSE;
      v[i] = teken_pdf_object_get_number (item);
    }
  rect->x1 = MIN (v[0], v[2]);
  rect->x2 = MAX (v[0], v[2]);
  rect->y1 = MIN (v[1], v[3]);
  rect->y2 = MAX (v[1], v[3]);
  return TRUE;
}

static int
normalize_rotate (gint64 rotate)
{
  rotate %= 360;
  if (rotate < 0)
    rotate += 360;
  return (int) (rotate - rotate % 90);
}

gboolean
teken_pdf_document_get_page_geometry (TekenPdfDocument *self,
                                      guint             index,
                                      TekenPdfRect     *crop_box,
                                      int              *rotate,
                                      GError          **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TekenPdfObject) page = NULL;
  g_autoptr(TekenPdfObject) media_obj = NULL;
  g_autoptr(TekenPdfObject) crop_obj = NULL;
  g_autoptr(TekenPdfObject) rotate_obj = NULL;
  TekenPdfRect media = { 0, 0, 612, 792 };  /* US Letter when /MediaBox is missing, as viewers do */
  TekenPdfRect crop;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  page = teken_pdf_document_get_page (self, index, NULL, error);
  if (page == NULL)
    return FALSE;

  media_obj = lookup_inherited (self, page, "MediaBox");
  if (!read_rect (self, media_obj, &media) || media.x2 - media.x1 <= 0 || media.y2 - media.y1 <= 0)
    media = (TekenPdfRect) { 0, 0, 612, 792 };
  crop_obj = lookup_inherited (self, page, "CropBox");
  if (!read_rect (self, crop_obj, &crop))
    crop = media;
  /* The crop box is clipped to the media box; an empty result falls back to the media box. */
  crop.x1 = MAX (crop.x1, media.x1);
  crop.y1 = MAX (crop.y1, media.y1);
  crop.x2 = MIN (crop.x2, media.x2);
  crop.y2 = MIN (crop.y2, media.y2);
  if (crop.x2 <= crop.x1 || crop.y2 <= crop.y1)
    crop = media;

  rotate_obj = lookup_inherited (self, page, "Rotate");
  if (crop_box != NULL)
    *crop_box = crop;
  if (rotate != NULL)
    *rotate = normalize_rotate ((gint64) teken_pdf_object_get_number (rotate_obj));
  return TRUE;
}
