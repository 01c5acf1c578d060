/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * A PDF object (ISO 32000-1 §7.3): a reference-counted boxed value. Objects handed out by
 * a TekenPdfDocument are shared and must be treated as immutable: copy them
 * (teken_pdf_object_copy) before changing them for an update.
 */
typedef enum
{
  TEKEN_PDF_NULL,
  TEKEN_PDF_BOOLEAN,
  TEKEN_PDF_INTEGER,
  TEKEN_PDF_REAL,
  TEKEN_PDF_STRING,
  TEKEN_PDF_NAME,
  TEKEN_PDF_ARRAY,
  TEKEN_PDF_DICT,
  TEKEN_PDF_REFERENCE,
  TEKEN_PDF_STREAM,
  /* Bytes written verbatim by the serializer (the signer's /Contents and /ByteRange placeholders). */
  TEKEN_PDF_RAW,
} TekenPdfKind;

typedef struct _TekenPdfObject TekenPdfObject;

#define TEKEN_TYPE_PDF_OBJECT (teken_pdf_object_get_type ())
GType            teken_pdf_object_get_type      (void) G_GNUC_CONST;

TekenPdfObject  *teken_pdf_object_ref           (TekenPdfObject       *obj);
void             teken_pdf_object_unref         (TekenPdfObject       *obj);
TekenPdfKind     teken_pdf_object_get_kind      (const TekenPdfObject *obj);
/* Deep copy; stream data (GBytes) is shared, not duplicated. */
TekenPdfObject  *teken_pdf_object_copy          (const TekenPdfObject *obj);
/* Deep structural equality (numbers compare by value, names and strings by bytes). */
gboolean         teken_pdf_object_equal         (const TekenPdfObject *a,
                                                 const TekenPdfObject *b);
/* Appends the PDF syntax of obj; a stream writes "<<dict>>\nstream\n...\nendstream" and sets /Length. */
void             teken_pdf_object_serialize     (const TekenPdfObject *obj,
                                                 GString              *out);

/* Constructors: all return a new reference. */
TekenPdfObject  *teken_pdf_null_new             (void);
TekenPdfObject  *teken_pdf_boolean_new          (gboolean              value);
TekenPdfObject  *teken_pdf_integer_new          (gint64                value);
TekenPdfObject  *teken_pdf_real_new             (double                value);
/* A byte string; hex selects <..> rather than (..) when serialized. */
TekenPdfObject  *teken_pdf_string_new           (const guint8         *data,
                                                 gsize                 len,
                                                 gboolean              hex);
/* A text string (§7.9.2.2) from UTF-8: PDFDocEncoding when it fits, else UTF-16BE with a BOM. */
TekenPdfObject  *teken_pdf_string_new_text      (const char           *utf8);
/* name is the decoded name without the leading slash. */
TekenPdfObject  *teken_pdf_name_new             (const char           *name);
TekenPdfObject  *teken_pdf_array_new            (void);
TekenPdfObject  *teken_pdf_dict_new             (void);
TekenPdfObject  *teken_pdf_reference_new        (guint                 num,
                                                 guint                 gen);
/* dict is taken (transfer full); data are the stream's bytes as stored (already encoded). */
TekenPdfObject  *teken_pdf_stream_new           (TekenPdfObject       *dict,
                                                 GBytes               *data);
TekenPdfObject  *teken_pdf_raw_new              (const char           *bytes,
                                                 gsize                 len);

/* Accessors: on a wrong kind they return 0 / FALSE / NULL (document input is never trusted). */
gboolean         teken_pdf_object_get_boolean   (const TekenPdfObject *obj);
gint64           teken_pdf_object_get_integer   (const TekenPdfObject *obj);
/* An integer or a real as double. */
double           teken_pdf_object_get_number    (const TekenPdfObject *obj);
gboolean         teken_pdf_object_is_number     (const TekenPdfObject *obj);
const guint8    *teken_pdf_object_get_string    (const TekenPdfObject *obj,
                                                 gsize                *len);
/* A text string decoded to UTF-8 (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding). */
char            *teken_pdf_object_get_text      (const TekenPdfObject *obj);
const char      *teken_pdf_object_get_name      (const TekenPdfObject *obj);
/* NULL-safe: TRUE when obj is the name `name`. */
gboolean         teken_pdf_object_is_name       (const TekenPdfObject *obj,
                                                 const char           *name);
guint            teken_pdf_object_get_ref_num   (const TekenPdfObject *obj);
guint            teken_pdf_object_get_ref_gen   (const TekenPdfObject *obj);

guint            teken_pdf_array_get_length     (const TekenPdfObject *array);
/* transfer none; NULL when out of range. */
TekenPdfObject  *teken_pdf_array_get            (const TekenPdfObject *array,
                                                 guint                 index);
/* item is taken (transfer full). */
void             teken_pdf_array_append         (TekenPdfObject       *array,
                                                 TekenPdfObject       *item);

/* Dictionaries keep their keys in insertion order. On a stream these act on its dictionary. */
TekenPdfObject  *teken_pdf_dict_get             (const TekenPdfObject *dict,
                                                 const char           *key);
/* value is taken (transfer full); replaces an existing entry in place. */
void             teken_pdf_dict_set             (TekenPdfObject       *dict,
                                                 const char           *key,
                                                 TekenPdfObject       *value);
gboolean         teken_pdf_dict_remove          (TekenPdfObject       *dict,
                                                 const char           *key);
guint            teken_pdf_dict_get_size        (const TekenPdfObject *dict);
const char      *teken_pdf_dict_get_key         (const TekenPdfObject *dict,
                                                 guint                 index);
TekenPdfObject  *teken_pdf_dict_get_value       (const TekenPdfObject *dict,
                                                 guint                 index);

/* transfer none */
TekenPdfObject  *teken_pdf_stream_get_dict      (const TekenPdfObject *stream);
/* The stored (encoded) bytes; transfer none. */
GBytes          *teken_pdf_stream_get_raw       (const TekenPdfObject *stream);
/* Decodes /Filter (FlateDecode with PNG/TIFF predictors, ASCIIHexDecode, ASCII85Decode, chains of
 * these); fails with TEKEN_PDF_ERROR_UNSUPPORTED for other filters and TEKEN_PDF_ERROR_LIMIT when
 * the result would exceed max_size bytes. transfer full. */
GBytes          *teken_pdf_stream_decode        (const TekenPdfObject *stream,
                                                 gsize                 max_size,
                                                 GError              **error);
/* A new stream holding data FlateDecode-compressed (with /Filter and /Length set); dict taken. */
TekenPdfObject  *teken_pdf_stream_new_compressed (TekenPdfObject      *dict,
                                                  const guint8        *data,
                                                  gsize                len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenPdfObject, teken_pdf_object_unref)

G_END_DECLS
