/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-dss.h"

/* An OCSP response or a certificate is a few KiB; CRLs can be large. */
#define MAX_DSS_STREAM (32u << 20)
#define MAX_DSS_ENTRIES 10000

void
teken_dss_free (TekenDss *dss)
{
  if (dss == NULL)
    return;
  teken_validation_data_free (dss->all);
  g_hash_table_unref (dss->vri);
  g_free (dss);
}

static TekenDss *
dss_new (void)
{
  TekenDss *dss = g_new0 (TekenDss, 1);

  dss->all = teken_validation_data_new ();
  dss->vri = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) teken_validation_data_free);
  return dss;
}

char *
teken_dss_vri_key (const guint8 *contents,
                   gsize         len)
{
  g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA1, contents, len);

  return g_ascii_strup (hex, -1);
}

static GBytes *
stream_data (TekenPdfDocument *doc,
             TekenPdfObject   *ref)
{
  g_autoptr(TekenPdfObject) obj = teken_pdf_document_resolve (doc, ref, NULL);

  if (obj == NULL || teken_pdf_object_get_kind (obj) != TEKEN_PDF_STREAM)
    return NULL;
  return teken_pdf_stream_decode (obj, MAX_DSS_STREAM, NULL);
}

static void
read_array (TekenPdfDocument *doc,
            TekenPdfObject   *dict,
            const char       *key,
            GPtrArray        *out)
{
  g_autoptr(TekenPdfObject) array = teken_pdf_document_lookup (doc, dict, key, NULL);
  guint n;

  if (array == NULL || teken_pdf_object_get_kind (array) != TEKEN_PDF_ARRAY)
    return;
  n = MIN (teken_pdf_array_get_length (array), MAX_DSS_ENTRIES);
  for (guint i = 0; i < n; i++)
    {
      GBytes *blob = stream_data (doc, teken_pdf_array_get (array, i));

      if (blob != NULL)
        g_ptr_array_add (out, blob);
    }
}

TekenDss *
teken_dss_read (TekenPdfDocument  *document,
                GError           **error)
{
  g_autoptr(TekenDss) dss = dss_new ();
  g_autoptr(TekenPdfObject) catalog = teken_pdf_document_get_catalog (document, NULL, error);
  g_autoptr(TekenPdfObject) dict = NULL;
  g_autoptr(TekenPdfObject) vri = NULL;

  if (catalog == NULL)
    return NULL;
  dict = teken_pdf_document_lookup (document, catalog, "DSS", NULL);
  if (dict == NULL || teken_pdf_object_get_kind (dict) != TEKEN_PDF_DICT)
    return g_steal_pointer (&dss);

  read_array (document, dict, "Certs", dss->all->certs);
  read_array (document, dict, "OCSPs", dss->all->ocsps);
  read_array (document, dict, "CRLs", dss->all->crls);

  vri = teken_pdf_document_lookup (document, dict, "VRI", NULL);
  if (vri == NULL || teken_pdf_object_get_kind (vri) != TEKEN_PDF_DICT)
    return g_steal_pointer (&dss);
  for (guint i = 0; i < MIN (teken_pdf_dict_get_size (vri), MAX_DSS_ENTRIES); i++)
    {
      g_autoptr(TekenPdfObject) entry = teken_pdf_document_resolve (document, teken_pdf_dict_get_value (vri, i), NULL);
      TekenValidationData *data;

      if (entry == NULL || teken_pdf_object_get_kind (entry) != TEKEN_PDF_DICT)
        continue;
      data = teken_validation_data_new ();
      read_array (document, entry, "Cert", data->certs);
      read_array (document, entry, "OCSP", data->ocsps);
      read_array (document, entry, "CRL", data->crls);
      g_hash_table_replace (dss->vri, g_ascii_strup (teken_pdf_dict_get_key (vri, i), -1), data);
    }
  return g_steal_pointer (&dss);
}

/* --- Writing -------------------------------------------------------------------------------- */

typedef struct
{
  TekenPdfUpdate *update;
  TekenPdfDocument *doc;
  GHashTable *refs;   /* sha256 hex of a blob -> object number (GUINT_TO_POINTER) */
} Writer;

static char *
blob_id (GBytes *blob)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob);
}

/* An existing array (resolved and copied) or a new one; remembers what it holds. */
static TekenPdfObject *
existing_array (Writer         *w,
                TekenPdfObject *dict,
                const char     *key)
{
  g_autoptr(TekenPdfObject) array = dict ? teken_pdf_document_lookup (w->doc, dict, key, NULL) : NULL;
  TekenPdfObject *copy;

  if (array == NULL || teken_pdf_object_get_kind (array) != TEKEN_PDF_ARRAY)
    return teken_pdf_array_new ();
  copy = teken_pdf_object_copy (array);
  for (guint i = 0; i < MIN (teken_pdf_array_get_length (copy), MAX_DSS_ENTRIES); i++)
    {
      TekenPdfObject *item = teken_pdf_array_get (copy, i);
      g_autoptr(GBytes) blob = NULL;

      if (teken_pdf_object_get_kind (item) != TEKEN_PDF_REFERENCE)
        continue;
      blob = stream_data (w->doc, item);
      if (blob != NULL)
        g_hash_table_insert (w->refs, blob_id (blob), GUINT_TO_POINTER (teken_pdf_object_get_ref_num (item)));
    }
  return copy;
}

static gboolean
array_has_ref (TekenPdfObject *array,
               guint           num)
{
  for (guint i = 0; i < teken_pdf_array_get_length (array); i++)
    {
      TekenPdfObject *item = teken_pdf_array_get (array, i);

      if (teken_pdf_object_get_kind (item) == TEKEN_PDF_REFERENCE && teken_pdf_object_get_ref_num (item) == num)
        return TRUE;
    }
  return FALSE;
}

/* The object number of a stream holding blob: an existing one, or a new one. */
static guint
blob_ref (Writer *w,
          GBytes *blob)
{
  g_autofree char *id = blob_id (blob);
  gpointer num = g_hash_table_lookup (w->refs, id);
  TekenPdfObject *stream;
  guint n;

  if (num != NULL)
    return GPOINTER_TO_UINT (num);
  stream = teken_pdf_stream_new_compressed (teken_pdf_dict_new (), g_bytes_get_data (blob, NULL),
                                            g_bytes_get_size (blob));
  n = teken_pdf_update_add_object (w->update, stream);
  g_hash_table_insert (w->refs, g_steal_pointer (&id), GUINT_TO_POINTER (n));
  return n;
}

static void
add_blobs (Writer         *w,
           TekenPdfObject *array,
           GPtrArray      *blobs)
{
  for (guint i = 0; i < blobs->len; i++)
    {
      guint n = blob_ref (w, g_ptr_array_index (blobs, i));

      if (!array_has_ref (array, n))
        teken_pdf_array_append (array, teken_pdf_reference_new (n, 0));
    }
}

static TekenPdfObject *
refs_array (Writer    *w,
            GPtrArray *blobs)
{
  TekenPdfObject *array = teken_pdf_array_new ();

  add_blobs (w, array, blobs);
  return array;
}

static TekenPdfObject *
now_string (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *s = g_date_time_format (now, "D:%Y%m%d%H%M%SZ");

  return teken_pdf_string_new ((const guint8 *) s, strlen (s), FALSE);
}

gboolean
teken_dss_add_to_update (TekenPdfUpdate       *update,
                         TekenValidationData  *data,
                         GHashTable           *vri,
                         GError              **error)
{
  Writer w = { update, teken_pdf_update_get_base (update), NULL };
  g_autoptr(GHashTable) refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(TekenPdfObject) base_catalog = NULL;
  g_autoptr(TekenPdfObject) catalog = NULL;
  g_autoptr(TekenPdfObject) current = NULL;
  g_autoptr(TekenPdfObject) old_dss = NULL;
  g_autoptr(TekenPdfObject) old_vri = NULL;
  TekenPdfObject *dss;
  TekenPdfObject *certs, *ocsps, *crls, *vri_dict;
  guint catalog_num = 0;

  w.refs = refs;
  base_catalog = teken_pdf_document_get_catalog (w.doc, &catalog_num, error);
  if (base_catalog == NULL)
    return FALSE;
  /* The catalog as this update has it (another step may have replaced it already). */
  current = teken_pdf_update_get_object (update, catalog_num, error);
  if (current == NULL)
    return FALSE;
  catalog = teken_pdf_object_copy (current);

  old_dss = teken_pdf_document_lookup (w.doc, catalog, "DSS", NULL);
  if (old_dss != NULL && teken_pdf_object_get_kind (old_dss) != TEKEN_PDF_DICT)
    g_clear_pointer (&old_dss, teken_pdf_object_unref);
  dss = old_dss ? teken_pdf_object_copy (old_dss) : teken_pdf_dict_new ();
  teken_pdf_dict_set (dss, "Type", teken_pdf_name_new ("DSS"));

  certs = existing_array (&w, old_dss, "Certs");
  ocsps = existing_array (&w, old_dss, "OCSPs");
  crls = existing_array (&w, old_dss, "CRLs");
  add_blobs (&w, certs, data->certs);
  add_blobs (&w, ocsps, data->ocsps);
  add_blobs (&w, crls, data->crls);

  old_vri = old_dss ? teken_pdf_document_lookup (w.doc, old_dss, "VRI", NULL) : NULL;
  vri_dict = old_vri && teken_pdf_object_get_kind (old_vri) == TEKEN_PDF_DICT
             ? teken_pdf_object_copy (old_vri) : teken_pdf_dict_new ();
  if (vri != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, vri);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          TekenValidationData *d = value;
          TekenPdfObject *entry = teken_pdf_dict_new ();

          if (d->certs->len)
            teken_pdf_dict_set (entry, "Cert", refs_array (&w, d->certs));
          if (d->ocsps->len)
            teken_pdf_dict_set (entry, "OCSP", refs_array (&w, d->ocsps));
          if (d->crls->len)
            teken_pdf_dict_set (entry, "CRL", refs_array (&w, d->crls));
          teken_pdf_dict_set (entry, "TU", now_string ());
          teken_pdf_dict_set (vri_dict, key, entry);
        }
    }

  /* Arrays and VRI as direct objects of a new DSS object: simple and valid (ISO 32000-2 allows both). */
  teken_pdf_dict_set (dss, "Certs", certs);
  teken_pdf_dict_set (dss, "OCSPs", ocsps);
  teken_pdf_dict_set (dss, "CRLs", crls);
  teken_pdf_dict_set (dss, "VRI", vri_dict);
  teken_pdf_dict_set (catalog, "DSS", teken_pdf_reference_new (teken_pdf_update_add_object (update, dss), 0));
  teken_pdf_update_set_object (update, catalog_num, g_steal_pointer (&catalog));
  return TRUE;
}
