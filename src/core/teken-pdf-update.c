/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-pdf-update.h"
#include "teken-atomic-file.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

struct _TekenPdfUpdate
{
  GObject parent_instance;

  TekenPdfDocument *base;
  guint next;
  GHashTable *objects;       /* num → TekenPdfObject */
  GHashTable *offsets;       /* num → file offset, filled by serialize */
};

G_DEFINE_FINAL_TYPE (TekenPdfUpdate, teken_pdf_update, G_TYPE_OBJECT)

static void
teken_pdf_update_finalize (GObject *object)
{
  TekenPdfUpdate *self = TEKEN_PDF_UPDATE (object);

  g_clear_object (&self->base);
  g_hash_table_unref (self->objects);
  g_hash_table_unref (self->offsets);

  G_OBJECT_CLASS (teken_pdf_update_parent_class)->finalize (object);
}

static void
teken_pdf_update_class_init (TekenPdfUpdateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_pdf_update_finalize;
}

static void
teken_pdf_update_init (TekenPdfUpdate *self)
{
  self->objects = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) teken_pdf_object_unref);
  self->offsets = g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

TekenPdfUpdate *
teken_pdf_update_new (TekenPdfDocument *base)
{
  TekenPdfUpdate *self;

  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (base), NULL);

  self = g_object_new (TEKEN_TYPE_PDF_UPDATE, NULL);
  self->base = g_object_ref (base);
  /* Past every number any section or /Size ever used, so compressed objects are never reused. */
  self->next = teken_pdf_document_get_next_object_number (base);
  return self;
}

TekenPdfDocument *
teken_pdf_update_get_base (TekenPdfUpdate *self)
{
  g_return_val_if_fail (TEKEN_IS_PDF_UPDATE (self), NULL);
  return self->base;
}

guint
teken_pdf_update_reserve (TekenPdfUpdate *self)
{
  g_return_val_if_fail (TEKEN_IS_PDF_UPDATE (self), 0);
  return self->next++;
}

void
teken_pdf_update_set_object (TekenPdfUpdate *self,
                             guint           num,
                             TekenPdfObject *obj)
{
  g_return_if_fail (TEKEN_IS_PDF_UPDATE (self));
  g_return_if_fail (num > 0 && obj != NULL);

  g_hash_table_insert (self->objects, GUINT_TO_POINTER (num), obj);
  if (num >= self->next)
    self->next = num + 1;
}

guint
teken_pdf_update_add_object (TekenPdfUpdate *self,
                             TekenPdfObject *obj)
{
  guint num;

  g_return_val_if_fail (TEKEN_IS_PDF_UPDATE (self), 0);

  num = teken_pdf_update_reserve (self);
  teken_pdf_update_set_object (self, num, obj);
  return num;
}

TekenPdfObject *
teken_pdf_update_get_object (TekenPdfUpdate *self,
                             guint           num,
                             GError        **error)
{
  TekenPdfObject *obj;

  g_return_val_if_fail (TEKEN_IS_PDF_UPDATE (self), NULL);

  obj = g_hash_table_lookup (self->objects, GUINT_TO_POINTER (num));
  if (obj != NULL)
    return teken_pdf_object_ref (obj);
  return teken_pdf_document_get_object (self->base, num, error);
}

goffset
teken_pdf_update_get_object_offset (TekenPdfUpdate *self,
                                    guint           num)
{
  goffset *offset;

  g_return_val_if_fail (TEKEN_IS_PDF_UPDATE (self), -1);

  offset = g_hash_table_lookup (self->offsets, GUINT_TO_POINTER (num));
  return offset != NULL ? *offset : -1;
}

/* Serialization */

/* A replaced object keeps its generation; a reused free number takes the free entry's. */
static guint
generation_for (TekenPdfUpdate *self,
                guint           num)
{
  TekenPdfXrefEntry entry;

  if (!teken_pdf_document_get_xref_entry (self->base, num, &entry))
    return 0;
  if (entry.kind == TEKEN_PDF_XREF_ENTRY_OFFSET ||
      (entry.kind == TEKEN_PDF_XREF_ENTRY_FREE && entry.gen < 65535))
    return entry.gen;
  return 0;
}

static gint
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

static GArray *
sorted_numbers (TekenPdfUpdate *self)
{
  GArray *nums = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint num = GPOINTER_TO_UINT (key);
      g_array_append_val (nums, num);
    }
  g_array_sort (nums, compare_uint);
  return nums;
}

static void
record_offset (TekenPdfUpdate *self,
               guint           num,
               goffset         offset)
{
  g_hash_table_insert (self->offsets, GUINT_TO_POINTER (num), g_memdup2 (&offset, sizeof offset));
}

static void
write_objects (TekenPdfUpdate *self,
               GArray         *nums,
               goffset         base_offset,
               GString        *out)
{
  for (guint i = 0; i < nums->len; i++)
    {
      guint num = g_array_index (nums, guint, i);

      record_offset (self, num, base_offset + out->len);
      g_string_append_printf (out, "%u %u obj\n", num, generation_for (self, num));
      teken_pdf_object_serialize (g_hash_table_lookup (self->objects, GUINT_TO_POINTER (num)), out);
      g_string_append (out, "\nendobj\n");
    }
}

/* /ID: the first element stays (it names the document); the second changes with each update. */
static TekenPdfObject *
make_id (TekenPdfUpdate *self,
         const GString  *body)
{
  TekenPdfObject *old = teken_pdf_dict_get (teken_pdf_document_get_trailer (self->base), "ID");
  TekenPdfObject *first = teken_pdf_array_get (old, 0);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  guint8 digest[16];
  gsize digest_len = sizeof digest;
  goffset startxref = teken_pdf_document_get_startxref (self->base);
  TekenPdfObject *id = teken_pdf_array_new ();

  if (teken_pdf_object_get_kind (first) == TEKEN_PDF_STRING)
    {
      gsize len;
      const guint8 *data = teken_pdf_object_get_string (first, &len);
      g_checksum_update (checksum, data, len);
    }
  g_checksum_update (checksum, (const guint8 *) &startxref, sizeof startxref);
  g_checksum_update (checksum, (const guint8 *) body->str, body->len);
  g_checksum_get_digest (checksum, digest, &digest_len);

  if (teken_pdf_object_get_kind (first) == TEKEN_PDF_STRING)
    teken_pdf_array_append (id, teken_pdf_object_copy (first));
  else
    teken_pdf_array_append (id, teken_pdf_string_new (digest, digest_len, TRUE));
  teken_pdf_array_append (id, teken_pdf_string_new (digest, digest_len, TRUE));
  return id;
}

/* /Size, /Root, /Info, /ID and /Prev for a table trailer or an xref stream's dictionary. */
static void
fill_trailer (TekenPdfUpdate *self,
              TekenPdfObject *dict,
              guint           size,
              const GString  *body)
{
  TekenPdfObject *base_trailer = teken_pdf_document_get_trailer (self->base);
  static const char * const carried[] = { "Root", "Info" };

  teken_pdf_dict_set (dict, "Size", teken_pdf_integer_new (size));
  for (guint i = 0; i < G_N_ELEMENTS (carried); i++)
    {
      TekenPdfObject *value = teken_pdf_dict_get (base_trailer, carried[i]);
      if (value != NULL)
        teken_pdf_dict_set (dict, carried[i], teken_pdf_object_copy (value));
    }
  teken_pdf_dict_set (dict, "ID", make_id (self, body));
  teken_pdf_dict_set (dict, "Prev", teken_pdf_integer_new (teken_pdf_document_get_startxref (self->base)));
}

static guint
trailer_size (TekenPdfUpdate *self,
              guint           highest)
{
  return MAX (MAX (self->next, highest + 1), teken_pdf_document_get_next_object_number (self->base));
}

static void
write_table (TekenPdfUpdate *self,
             GArray         *nums,
             GString        *out,
             goffset         base_offset)
{
  g_autoptr(TekenPdfObject) trailer = teken_pdf_dict_new ();
  goffset xref_offset = base_offset + out->len;
  guint highest = nums->len > 0 ? g_array_index (nums, guint, nums->len - 1) : 0;
  g_autoptr(GString) body = g_string_new_len (out->str, out->len);

  g_string_append (out, "xref\n");
  for (guint i = 0; i < nums->len;)
    {
      guint start = g_array_index (nums, guint, i), run = 1;

      while (i + run < nums->len && g_array_index (nums, guint, i + run) == start + run)
        run++;
      g_string_append_printf (out, "%u %u\n", start, run);
      for (guint k = 0; k < run; k++)
        {
          guint num = start + k;
          goffset *offset = g_hash_table_lookup (self->offsets, GUINT_TO_POINTER (num));
          /* Exactly 20 bytes per entry (§7.5.4). */
          g_string_append_printf (out, "%010" G_GINT64_FORMAT " %05u n\r\n",
                                  (gint64) *offset, generation_for (self, num));
        }
      i += run;
    }

  fill_trailer (self, trailer, trailer_size (self, highest), body);
  g_string_append (out, "trailer\n");
  teken_pdf_object_serialize (trailer, out);
  g_string_append_printf (out, "\nstartxref\n%" G_GINT64_FORMAT "\n%%%%EOF\n", (gint64) xref_offset);
}

static guint
bytes_needed (guint64 value)
{
  guint n = 1;

  while (n < 8 && (value >> (8 * n)) != 0)
    n++;
  return n;
}

static void
put_field (GByteArray *row,
           guint64     value,
           guint       width)
{
  for (guint i = width; i-- > 0;)
    {
      guint8 b = (value >> (8 * i)) & 0xff;
      g_byte_array_append (row, &b, 1);
    }
}

static void
write_xref_stream (TekenPdfUpdate *self,
                   GArray         *nums,
                   GString        *out,
                   goffset         base_offset)
{
  guint xref_num = self->next;
  goffset xref_offset = base_offset + out->len;
  guint w2 = MAX (4, bytes_needed (xref_offset));
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GArray) all = g_array_copy (nums);
  g_autoptr(TekenPdfObject) stream = NULL;
  TekenPdfObject *dict = teken_pdf_dict_new ();
  TekenPdfObject *index = teken_pdf_array_new ();
  TekenPdfObject *w = teken_pdf_array_new ();
  g_autoptr(GString) body = g_string_new_len (out->str, out->len);

  record_offset (self, xref_num, xref_offset);
  g_array_append_val (all, xref_num);
  for (guint i = 0; i < all->len;)
    {
      guint start = g_array_index (all, guint, i), run = 1;

      while (i + run < all->len && g_array_index (all, guint, i + run) == start + run)
        run++;
      teken_pdf_array_append (index, teken_pdf_integer_new (start));
      teken_pdf_array_append (index, teken_pdf_integer_new (run));
      for (guint k = 0; k < run; k++)
        {
          goffset *offset = g_hash_table_lookup (self->offsets, GUINT_TO_POINTER (start + k));
          put_field (data, 1, 1);
          put_field (data, (guint64) *offset, w2);
          put_field (data, start + k == xref_num ? 0 : generation_for (self, start + k), 2);
        }
      i += run;
    }

  teken_pdf_array_append (w, teken_pdf_integer_new (1));
  teken_pdf_array_append (w, teken_pdf_integer_new (w2));
  teken_pdf_array_append (w, teken_pdf_integer_new (2));
  teken_pdf_dict_set (dict, "Type", teken_pdf_name_new ("XRef"));
  fill_trailer (self, dict, trailer_size (self, xref_num), body);
  teken_pdf_dict_set (dict, "Index", index);
  teken_pdf_dict_set (dict, "W", w);
  stream = teken_pdf_stream_new_compressed (dict, data->data, data->len);

  g_string_append_printf (out, "%u 0 obj\n", xref_num);
  teken_pdf_object_serialize (stream, out);
  g_string_append_printf (out, "\nendobj\nstartxref\n%" G_GINT64_FORMAT "\n%%%%EOF\n", (gint64) xref_offset);
}

static gboolean
base_ends_with_eol (TekenPdfDocument *base,
                    gboolean         *ends,
                    GError          **error)
{
  gsize size = teken_pdf_document_get_size (base);
  guint8 last = '\n';

  if (size > 0 && !teken_pdf_document_read (base, size - 1, &last, 1, error))
    return FALSE;
  *ends = last == '\n' || last == '\r';
  return TRUE;
}

GBytes *
teken_pdf_update_serialize (TekenPdfUpdate *self,
                            GError        **error)
{
  g_autoptr(GArray) nums = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  goffset base_offset;
  gboolean ends_with_eol;

  g_return_val_if_fail (TEKEN_IS_PDF_UPDATE (self), NULL);

  if (teken_pdf_document_is_encrypted (self->base))
    {
      g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_ENCRYPTED,
                           _("The document is password-protected; remove the protection before changing it"));
      return NULL;
    }
  if (!base_ends_with_eol (self->base, &ends_with_eol, error))
    return NULL;

  /* Offsets count from the start of the file, so from the base's end. */
  base_offset = teken_pdf_document_get_size (self->base);
  if (!ends_with_eol)
    g_string_append_c (out, '\n');

  g_hash_table_remove_all (self->offsets);
  nums = sorted_numbers (self);
  write_objects (self, nums, base_offset, out);
  if (teken_pdf_document_has_xref_stream (self->base))
    write_xref_stream (self, nums, out, base_offset);
  else
    write_table (self, nums, out, base_offset);

  return g_bytes_new (out->str, out->len);
}

static gboolean
is_same_file (const char *a,
              const char *b)
{
  struct stat sa, sb;

  if (a == NULL || b == NULL || g_stat (a, &sa) != 0 || g_stat (b, &sb) != 0)
    return FALSE;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

gboolean
teken_pdf_update_write_to_path (TekenPdfUpdate *self,
                                const char     *path,
                                GError        **error)
{
  g_autoptr(GBytes) update = NULL;
  g_autoptr(TekenAtomicFile) file = NULL;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (TEKEN_IS_PDF_UPDATE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (is_same_file (path, teken_pdf_document_get_path (self->base)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("The output file must not be the input file; choose another name"));
      return FALSE;
    }

  update = teken_pdf_update_serialize (self, error);
  if (update == NULL)
    return FALSE;
  file = teken_atomic_file_new (path, error);
  if (file == NULL || !teken_pdf_document_copy_to (self->base, file, error))
    return FALSE;
  data = g_bytes_get_data (update, &len);
  if (!teken_atomic_file_write (file, data, len, error))
    return FALSE;
  return teken_atomic_file_commit (file, TRUE, error);
}
