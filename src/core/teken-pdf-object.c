/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-pdf-object.h"
#include "teken-pdf-document.h"

#include <math.h>
#include <string.h>
#include <zlib.h>

/* Dictionaries this big get a hash index, so that hostile files with many keys stay linear. */
#define DICT_INDEX_THRESHOLD 16

typedef struct
{
  char *key;
  TekenPdfObject *value;
} DictEntry;

struct _TekenPdfObject
{
  gint ref_count;
  TekenPdfKind kind;
  union
  {
    gboolean boolean;
    gint64 integer;
    double real;
    struct
    {
      guint8 *data;
      gsize len;
      gboolean hex;
    } string;
    char *name;
    GPtrArray *array;
    struct
    {
      GArray *entries;     /* DictEntry, in insertion order */
      GHashTable *index;   /* key → position, only for big dictionaries */
    } dict;
    struct
    {
      guint num;
      guint gen;
    } ref;
    struct
    {
      TekenPdfObject *dict;
      GBytes *data;
    } stream;
    struct
    {
      char *bytes;
      gsize len;
    } raw;
  } u;
};

G_DEFINE_BOXED_TYPE (TekenPdfObject, teken_pdf_object, teken_pdf_object_ref, teken_pdf_object_unref)

G_DEFINE_QUARK (teken-pdf-error-quark, teken_pdf_error)

static TekenPdfObject *
object_new (TekenPdfKind kind)
{
  TekenPdfObject *obj = g_new0 (TekenPdfObject, 1);

  obj->ref_count = 1;
  obj->kind = kind;
  return obj;
}

TekenPdfObject *
teken_pdf_object_ref (TekenPdfObject *obj)
{
  g_return_val_if_fail (obj != NULL, NULL);

  g_atomic_int_inc (&obj->ref_count);
  return obj;
}

static void
dict_entry_clear (gpointer data)
{
  DictEntry *entry = data;

  g_free (entry->key);
  teken_pdf_object_unref (entry->value);
}

static void
object_free (TekenPdfObject *obj)
{
  switch (obj->kind)
    {
    case TEKEN_PDF_STRING:
      g_free (obj->u.string.data);
      break;
    case TEKEN_PDF_NAME:
      g_free (obj->u.name);
      break;
    case TEKEN_PDF_ARRAY:
      g_ptr_array_unref (obj->u.array);
      break;
    case TEKEN_PDF_DICT:
      g_array_unref (obj->u.dict.entries);
      g_clear_pointer (&obj->u.dict.index, g_hash_table_unref);
      break;
    case TEKEN_PDF_STREAM:
      teken_pdf_object_unref (obj->u.stream.dict);
      g_bytes_unref (obj->u.stream.data);
      break;
    case TEKEN_PDF_RAW:
      g_free (obj->u.raw.bytes);
      break;
    case TEKEN_PDF_NULL:
    case TEKEN_PDF_BOOLEAN:
    case TEKEN_PDF_INTEGER:
    case TEKEN_PDF_REAL:
    case TEKEN_PDF_REFERENCE:
    default:
      break;
    }
  g_free (obj);
}

void
teken_pdf_object_unref (TekenPdfObject *obj)
{
  g_return_if_fail (obj != NULL);

  if (g_atomic_int_dec_and_test (&obj->ref_count))
    object_free (obj);
}

TekenPdfKind
teken_pdf_object_get_kind (const TekenPdfObject *obj)
{
  return obj != NULL ? obj->kind : TEKEN_PDF_NULL;
}

/* Constructors */

TekenPdfObject *
teken_pdf_null_new (void)
{
  return object_new (TEKEN_PDF_NULL);
}

TekenPdfObject *
teken_pdf_boolean_new (gboolean value)
{
  TekenPdfObject *obj = object_new (TEKEN_PDF_BOOLEAN);

  obj->u.boolean = !!value;
  return obj;
}

TekenPdfObject *
teken_pdf_integer_new (gint64 value)
{
  TekenPdfObject *obj = object_new (TEKEN_PDF_INTEGER);

  obj->u.integer = value;
  return obj;
}

TekenPdfObject *
teken_pdf_real_new (double value)
{
  TekenPdfObject *obj = object_new (TEKEN_PDF_REAL);

  obj->u.real = isfinite (value) ? value : 0.0;
  return obj;
}

TekenPdfObject *
teken_pdf_string_new (const guint8 *data,
                      gsize         len,
                      gboolean      hex)
{
  TekenPdfObject *obj = object_new (TEKEN_PDF_STRING);

  /* One spare NUL so that callers may treat short ASCII strings as C strings. */
  obj->u.string.data = g_malloc (len + 1);
  if (len > 0)
    memcpy (obj->u.string.data, data, len);
  obj->u.string.data[len] = '\0';
  obj->u.string.len = len;
  obj->u.string.hex = !!hex;
  return obj;
}

TekenPdfObject *
teken_pdf_name_new (const char *name)
{
  TekenPdfObject *obj = object_new (TEKEN_PDF_NAME);

  obj->u.name = g_strdup (name != NULL ? name : "");
  return obj;
}

TekenPdfObject *
teken_pdf_array_new (void)
{
  TekenPdfObject *obj = object_new (TEKEN_PDF_ARRAY);

  obj->u.array = g_ptr_array_new_with_free_func ((GDestroyNotify) teken_pdf_object_unref);
  return obj;
}

TekenPdfObject *
teken_pdf_dict_new (void)
{
  TekenPdfObject *obj = object_new (TEKEN_PDF_DICT);

  obj->u.dict.entries = g_array_new (FALSE, FALSE, sizeof (DictEntry));
  g_array_set_clear_func (obj->u.dict.entries, dict_entry_clear);
  return obj;
}

TekenPdfObject *
teken_pdf_reference_new (guint num,
                         guint gen)
{
  TekenPdfObject *obj = object_new (TEKEN_PDF_REFERENCE);

  obj->u.ref.num = num;
  obj->u.ref.gen = gen;
  return obj;
}

TekenPdfObject *
teken_pdf_stream_new (TekenPdfObject *dict,
                      GBytes         *data)
{
  TekenPdfObject *obj;

  g_return_val_if_fail (dict != NULL && dict->kind == TEKEN_PDF_DICT, NULL);

  obj = object_new (TEKEN_PDF_STREAM);
  obj->u.stream.dict = dict;
  obj->u.stream.data = data != NULL ? g_bytes_ref (data) : g_bytes_new (NULL, 0);
  return obj;
}

TekenPdfObject *
teken_pdf_raw_new (const char *bytes,
                   gsize       len)
{
  TekenPdfObject *obj = object_new (TEKEN_PDF_RAW);

  obj->u.raw.bytes = g_malloc (len + 1);
  if (len > 0)
    memcpy (obj->u.raw.bytes, bytes, len);
  obj->u.raw.bytes[len] = '\0';
  obj->u.raw.len = len;
  return obj;
}

/* Copy and equality */

TekenPdfObject *
teken_pdf_object_copy (const TekenPdfObject *obj)
{
  TekenPdfObject *copy;

  g_return_val_if_fail (obj != NULL, NULL);

  switch (obj->kind)
    {
    case TEKEN_PDF_NULL:
      return teken_pdf_null_new ();
    case TEKEN_PDF_BOOLEAN:
      return teken_pdf_boolean_new (obj->u.boolean);
    case TEKEN_PDF_INTEGER:
      return teken_pdf_integer_new (obj->u.integer);
    case TEKEN_PDF_REAL:
      return teken_pdf_real_new (obj->u.real);
    case TEKEN_PDF_STRING:
      return teken_pdf_string_new (obj->u.string.data, obj->u.string.len, obj->u.string.hex);
    case TEKEN_PDF_NAME:
      return teken_pdf_name_new (obj->u.name);
    case TEKEN_PDF_REFERENCE:
      return teken_pdf_reference_new (obj->u.ref.num, obj->u.ref.gen);
    case TEKEN_PDF_RAW:
      return teken_pdf_raw_new (obj->u.raw.bytes, obj->u.raw.len);
    case TEKEN_PDF_ARRAY:
      copy = teken_pdf_array_new ();
      for (guint i = 0; i < obj->u.array->len; i++)
        teken_pdf_array_append (copy, teken_pdf_object_copy (obj->u.array->pdata[i]));
      return copy;
    case TEKEN_PDF_DICT:
      copy = teken_pdf_dict_new ();
      for (guint i = 0; i < obj->u.dict.entries->len; i++)
        {
          DictEntry *e = &g_array_index (obj->u.dict.entries, DictEntry, i);
          teken_pdf_dict_set (copy, e->key, teken_pdf_object_copy (e->value));
        }
      return copy;
    case TEKEN_PDF_STREAM:
      return teken_pdf_stream_new (teken_pdf_object_copy (obj->u.stream.dict), obj->u.stream.data);
    default:
      return teken_pdf_null_new ();
    }
}

static gboolean
dict_equal (const TekenPdfObject *a,
            const TekenPdfObject *b)
{
  if (a->u.dict.entries->len != b->u.dict.entries->len)
    return FALSE;
  for (guint i = 0; i < a->u.dict.entries->len; i++)
    {
      DictEntry *e = &g_array_index (a->u.dict.entries, DictEntry, i);
      if (!teken_pdf_object_equal (e->value, teken_pdf_dict_get (b, e->key)))
        return FALSE;
    }
  return TRUE;
}

gboolean
teken_pdf_object_equal (const TekenPdfObject *a,
                        const TekenPdfObject *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  if (teken_pdf_object_is_number (a) && teken_pdf_object_is_number (b))
    return teken_pdf_object_get_number (a) == teken_pdf_object_get_number (b);
  if (a->kind != b->kind)
    return FALSE;

  switch (a->kind)
    {
    case TEKEN_PDF_NULL:
      return TRUE;
    case TEKEN_PDF_BOOLEAN:
      return a->u.boolean == b->u.boolean;
    case TEKEN_PDF_STRING:
      return a->u.string.len == b->u.string.len &&
             memcmp (a->u.string.data, b->u.string.data, a->u.string.len) == 0;
    case TEKEN_PDF_NAME:
      return g_str_equal (a->u.name, b->u.name);
    case TEKEN_PDF_REFERENCE:
      return a->u.ref.num == b->u.ref.num && a->u.ref.gen == b->u.ref.gen;
    case TEKEN_PDF_RAW:
      return a->u.raw.len == b->u.raw.len && memcmp (a->u.raw.bytes, b->u.raw.bytes, a->u.raw.len) == 0;
    case TEKEN_PDF_ARRAY:
      if (a->u.array->len != b->u.array->len)
        return FALSE;
      for (guint i = 0; i < a->u.array->len; i++)
        if (!teken_pdf_object_equal (a->u.array->pdata[i], b->u.array->pdata[i]))
          return FALSE;
      return TRUE;
    case TEKEN_PDF_DICT:
      return dict_equal (a, b);
    case TEKEN_PDF_STREAM:
      return dict_equal (a->u.stream.dict, b->u.stream.dict) &&
             g_bytes_equal (a->u.stream.data, b->u.stream.data);
    default:
      return FALSE;
    }
}

/* Accessors */

gboolean
teken_pdf_object_get_boolean (const TekenPdfObject *obj)
{
  return obj != NULL && obj->kind == TEKEN_PDF_BOOLEAN && obj->u.boolean;
}

gint64
teken_pdf_object_get_integer (const TekenPdfObject *obj)
{
  if (obj == NULL)
    return 0;
  if (obj->kind == TEKEN_PDF_INTEGER)
    return obj->u.integer;
  return 0;
}

double
teken_pdf_object_get_number (const TekenPdfObject *obj)
{
  if (obj == NULL)
    return 0.0;
  if (obj->kind == TEKEN_PDF_INTEGER)
    return (double) obj->u.integer;
  if (obj->kind == TEKEN_PDF_REAL)
    return obj->u.real;
  return 0.0;
}

gboolean
teken_pdf_object_is_number (const TekenPdfObject *obj)
{
  return obj != NULL && (obj->kind == TEKEN_PDF_INTEGER || obj->kind == TEKEN_PDF_REAL);
}

const guint8 *
teken_pdf_object_get_string (const TekenPdfObject *obj,
                             gsize                *len)
{
  if (obj == NULL || obj->kind != TEKEN_PDF_STRING)
    {
      if (len != NULL)
        *len = 0;
      return NULL;
    }
  if (len != NULL)
    *len = obj->u.string.len;
  return obj->u.string.data;
}

const char *
teken_pdf_object_get_name (const TekenPdfObject *obj)
{
  return obj != NULL && obj->kind == TEKEN_PDF_NAME ? obj->u.name : NULL;
}

gboolean
teken_pdf_object_is_name (const TekenPdfObject *obj,
                          const char           *name)
{
  return obj != NULL && obj->kind == TEKEN_PDF_NAME && g_strcmp0 (obj->u.name, name) == 0;
}

guint
teken_pdf_object_get_ref_num (const TekenPdfObject *obj)
{
  return obj != NULL && obj->kind == TEKEN_PDF_REFERENCE ? obj->u.ref.num : 0;
}

guint
teken_pdf_object_get_ref_gen (const TekenPdfObject *obj)
{
  return obj != NULL && obj->kind == TEKEN_PDF_REFERENCE ? obj->u.ref.gen : 0;
}

/* Arrays */

guint
teken_pdf_array_get_length (const TekenPdfObject *array)
{
  return array != NULL && array->kind == TEKEN_PDF_ARRAY ? array->u.array->len : 0;
}

TekenPdfObject *
teken_pdf_array_get (const TekenPdfObject *array,
                     guint                 index)
{
  if (array == NULL || array->kind != TEKEN_PDF_ARRAY || index >= array->u.array->len)
    return NULL;
  return array->u.array->pdata[index];
}

void
teken_pdf_array_append (TekenPdfObject *array,
                        TekenPdfObject *item)
{
  g_return_if_fail (item != NULL);

  if (array == NULL || array->kind != TEKEN_PDF_ARRAY)
    {
      g_critical ("teken_pdf_array_append: not an array");
      teken_pdf_object_unref (item);
      return;
    }
  g_ptr_array_add (array->u.array, item);
}

/* Dictionaries */

static const TekenPdfObject *
as_dict (const TekenPdfObject *obj)
{
  if (obj == NULL)
    return NULL;
  if (obj->kind == TEKEN_PDF_STREAM)
    return obj->u.stream.dict;
  return obj->kind == TEKEN_PDF_DICT ? obj : NULL;
}

static void
dict_rebuild_index (TekenPdfObject *dict)
{
  g_clear_pointer (&dict->u.dict.index, g_hash_table_unref);
  if (dict->u.dict.entries->len < DICT_INDEX_THRESHOLD)
    return;
  /* Keys point into the entries, which own them. */
  dict->u.dict.index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < dict->u.dict.entries->len; i++)
    {
      DictEntry *e = &g_array_index (dict->u.dict.entries, DictEntry, i);
      g_hash_table_insert (dict->u.dict.index, e->key, GUINT_TO_POINTER (i + 1));
    }
}

/* Position of key, or -1. */
static gssize
dict_find (const TekenPdfObject *dict,
           const char           *key)
{
  if (dict->u.dict.index != NULL)
    return (gssize) GPOINTER_TO_UINT (g_hash_table_lookup (dict->u.dict.index, key)) - 1;
  for (guint i = 0; i < dict->u.dict.entries->len; i++)
    if (g_str_equal (g_array_index (dict->u.dict.entries, DictEntry, i).key, key))
      return i;
  return -1;
}

TekenPdfObject *
teken_pdf_dict_get (const TekenPdfObject *dict,
                    const char           *key)
{
  const TekenPdfObject *d = as_dict (dict);
  gssize pos;

  if (d == NULL || key == NULL)
    return NULL;
  pos = dict_find (d, key);
  return pos >= 0 ? g_array_index (d->u.dict.entries, DictEntry, pos).value : NULL;
}

void
teken_pdf_dict_set (TekenPdfObject *dict,
                    const char     *key,
                    TekenPdfObject *value)
{
  TekenPdfObject *d = (TekenPdfObject *) as_dict (dict);
  DictEntry entry;
  gssize pos;

  g_return_if_fail (key != NULL && value != NULL);

  if (d == NULL)
    {
      g_critical ("teken_pdf_dict_set: not a dictionary");
      teken_pdf_object_unref (value);
      return;
    }

  pos = dict_find (d, key);
  if (pos >= 0)
    {
      DictEntry *e = &g_array_index (d->u.dict.entries, DictEntry, pos);
      teken_pdf_object_unref (e->value);
      e->value = value;
      return;
    }

  entry.key = g_strdup (key);
  entry.value = value;
  g_array_append_val (d->u.dict.entries, entry);
  if (d->u.dict.index != NULL)
    g_hash_table_insert (d->u.dict.index, entry.key, GUINT_TO_POINTER (d->u.dict.entries->len));
  else if (d->u.dict.entries->len >= DICT_INDEX_THRESHOLD)
    dict_rebuild_index (d);
}

gboolean
teken_pdf_dict_remove (TekenPdfObject *dict,
                       const char     *key)
{
  TekenPdfObject *d = (TekenPdfObject *) as_dict (dict);
  gssize pos;

  if (d == NULL || key == NULL)
    return FALSE;
  pos = dict_find (d, key);
  if (pos < 0)
    return FALSE;
  g_clear_pointer (&d->u.dict.index, g_hash_table_unref);
  g_array_remove_index (d->u.dict.entries, pos);
  dict_rebuild_index (d);
  return TRUE;
}

guint
teken_pdf_dict_get_size (const TekenPdfObject *dict)
{
  const TekenPdfObject *d = as_dict (dict);

  return d != NULL ? d->u.dict.entries->len : 0;
}

const char *
teken_pdf_dict_get_key (const TekenPdfObject *dict,
                        guint                 index)
{
  const TekenPdfObject *d = as_dict (dict);

  if (d == NULL || index >= d->u.dict.entries->len)
    return NULL;
  return g_array_index (d->u.dict.entries, DictEntry, index).key;
}

TekenPdfObject *
teken_pdf_dict_get_value (const TekenPdfObject *dict,
                          guint                 index)
{
  const TekenPdfObject *d = as_dict (dict);

  if (d == NULL || index >= d->u.dict.entries->len)
    return NULL;
  return g_array_index (d->u.dict.entries, DictEntry, index).value;
}

/* Streams */

TekenPdfObject *
teken_pdf_stream_get_dict (const TekenPdfObject *stream)
{
  return stream != NULL && stream->kind == TEKEN_PDF_STREAM ? stream->u.stream.dict : NULL;
}

GBytes *
teken_pdf_stream_get_raw (const TekenPdfObject *stream)
{
  return stream != NULL && stream->kind == TEKEN_PDF_STREAM ? stream->u.stream.data : NULL;
}

/* Serialization */

static gboolean
is_pdf_whitespace (guint8 c)
{
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static gboolean
is_pdf_delimiter (guint8 c)
{
  return strchr ("()<>[]{}/%", c) != NULL && c != '\0';
}

static void
serialize_name (const char *name,
                GString    *out)
{
  g_string_append_c (out, '/');
  for (const guint8 *p = (const guint8 *) name; *p != '\0'; p++)
    {
      if (*p < 0x21 || *p > 0x7e || *p == '#' || is_pdf_delimiter (*p))
        g_string_append_printf (out, "#%02X", *p);
      else
        g_string_append_c (out, *p);
    }
}

/* Marks the parentheses that have no partner: only those need a backslash. */
static guint8 *
find_unbalanced_parens (const guint8 *data,
                        gsize         len)
{
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (gsize));
  guint8 *escape = g_malloc0 (len + 1);

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '(')
        g_array_append_val (open, i);
      else if (data[i] == ')')
        {
          if (open->len > 0)
            g_array_set_size (open, open->len - 1);
          else
            escape[i] = 1;
        }
    }
  for (guint i = 0; i < open->len; i++)
    escape[g_array_index (open, gsize, i)] = 1;
  return escape;
}

static void
serialize_literal_string (const guint8 *data,
                          gsize         len,
                          GString      *out)
{
  g_autofree guint8 *escape = find_unbalanced_parens (data, len);

  g_string_append_c (out, '(');
  for (gsize i = 0; i < len; i++)
    {
      switch (data[i])
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        /* A raw CR would be read back as LF (§7.3.4.2), so these are escaped. */
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '(':
        case ')':
          if (escape[i])
            g_string_append_c (out, '\\');
          g_string_append_c (out, data[i]);
          break;
        default:
          g_string_append_c (out, data[i]);
          break;
        }
    }
  g_string_append_c (out, ')');
}

static void
serialize_hex_string (const guint8 *data,
                      gsize         len,
                      GString      *out)
{
  static const char digits[] = "0123456789ABCDEF";

  g_string_append_c (out, '<');
  for (gsize i = 0; i < len; i++)
    {
      g_string_append_c (out, digits[data[i] >> 4]);
      g_string_append_c (out, digits[data[i] & 0xf]);
    }
  g_string_append_c (out, '>');
}

static void
serialize_real (double value,
                GString *out)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *end;

  /* PDF has no exponent syntax; four decimals are far below a device pixel. */
  if (!isfinite (value) || fabs (value) >= 1e15)
    value = isfinite (value) ? copysign (1e15 - 1, value) : 0.0;
  g_ascii_formatd (buf, sizeof buf, "%.4f", value);
  end = buf + strlen (buf);
  if (strchr (buf, '.') != NULL)
    {
      while (end > buf && end[-1] == '0')
        *--end = '\0';
      if (end > buf && end[-1] == '.')
        *--end = '\0';
    }
  if (g_str_equal (buf, "-0") || buf[0] == '\0')
    g_strlcpy (buf, "0", sizeof buf);
  g_string_append (out, buf);
}

static void serialize_dict_entries (const TekenPdfObject *dict,
                                    GString              *out,
                                    gboolean              skip_length);

void
teken_pdf_object_serialize (const TekenPdfObject *obj,
                            GString              *out)
{
  g_return_if_fail (obj != NULL && out != NULL);

  switch (obj->kind)
    {
    case TEKEN_PDF_NULL:
      g_string_append (out, "null");
      break;
    case TEKEN_PDF_BOOLEAN:
      g_string_append (out, obj->u.boolean ? "true" : "false");
      break;
    case TEKEN_PDF_INTEGER:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, obj->u.integer);
      break;
    case TEKEN_PDF_REAL:
      serialize_real (obj->u.real, out);
      break;
    case TEKEN_PDF_STRING:
      if (obj->u.string.hex)
        serialize_hex_string (obj->u.string.data, obj->u.string.len, out);
      else
        serialize_literal_string (obj->u.string.data, obj->u.string.len, out);
      break;
    case TEKEN_PDF_NAME:
      serialize_name (obj->u.name, out);
      break;
    case TEKEN_PDF_REFERENCE:
      g_string_append_printf (out, "%u %u R", obj->u.ref.num, obj->u.ref.gen);
      break;
    case TEKEN_PDF_RAW:
      g_string_append_len (out, obj->u.raw.bytes, obj->u.raw.len);
      break;
    case TEKEN_PDF_ARRAY:
      g_string_append_c (out, '[');
      for (guint i = 0; i < obj->u.array->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
          teken_pdf_object_serialize (obj->u.array->pdata[i], out);
        }
      g_string_append_c (out, ']');
      break;
    case TEKEN_PDF_DICT:
      g_string_append (out, "<<");
      serialize_dict_entries (obj, out, FALSE);
      g_string_append (out, ">>");
      break;
    case TEKEN_PDF_STREAM:
      {
        gsize len = g_bytes_get_size (obj->u.stream.data);
        g_string_append (out, "<<");
        serialize_dict_entries (obj->u.stream.dict, out, TRUE);
        if (out->str[out->len - 1] != '<')
          g_string_append_c (out, ' ');
        g_string_append_printf (out, "/Length %" G_GSIZE_FORMAT ">>\nstream\n", len);
        g_string_append_len (out, g_bytes_get_data (obj->u.stream.data, NULL), len);
        g_string_append (out, "\nendstream");
      }
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

static void
serialize_dict_entries (const TekenPdfObject *dict,
                        GString              *out,
                        gboolean              skip_length)
{
  for (guint i = 0; i < dict->u.dict.entries->len; i++)
    {
      DictEntry *e = &g_array_index (dict->u.dict.entries, DictEntry, i);

      if (skip_length && g_str_equal (e->key, "Length"))
        continue;
      if (out->len > 0 && out->str[out->len - 1] != '<')
        g_string_append_c (out, ' ');
      serialize_name (e->key, out);
      g_string_append_c (out, ' ');
      teken_pdf_object_serialize (e->value, out);
    }
}

/* Text strings (§7.9.2.2) */

/* PDFDocEncoding bytes 0x18–0x1F and 0x80–0xA0 (Annex D.2); 0 marks an undefined code. */
static const gunichar pdfdoc_low[8] = {
  0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC,
};
static const gunichar pdfdoc_high[33] = {
  0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
  0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
  0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
  0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0x0000,
  0x20AC,
};

static gunichar
pdfdoc_to_unicode (guint8 c)
{
  if (c >= 0x18 && c <= 0x1f)
    return pdfdoc_low[c - 0x18];
  if (c >= 0x80 && c <= 0xa0)
    return pdfdoc_high[c - 0x80];
  if (c == 0x7f || c == 0xad)
    return 0;
  return c;
}

/* The PDFDocEncoding byte for ch, or -1. Control codes other than TAB, LF, CR are refused. */
static int
unicode_to_pdfdoc (gunichar ch)
{
  if (ch == '\t' || ch == '\n' || ch == '\r')
    return ch;
  if ((ch >= 0x20 && ch < 0x7f) || (ch >= 0xa1 && ch <= 0xff && ch != 0xad))
    return ch;
  for (guint i = 0; i < G_N_ELEMENTS (pdfdoc_low); i++)
    if (pdfdoc_low[i] == ch)
      return 0x18 + i;
  for (guint i = 0; i < G_N_ELEMENTS (pdfdoc_high); i++)
    if (pdfdoc_high[i] != 0 && pdfdoc_high[i] == ch)
      return 0x80 + i;
  return -1;
}

static TekenPdfObject *
text_as_utf16 (const char *utf8)
{
  glong n_units = 0;
  g_autofree gunichar2 *units = g_utf8_to_utf16 (utf8, -1, NULL, &n_units, NULL);
  g_autofree guint8 *bytes = NULL;

  if (units == NULL)
    return teken_pdf_string_new (NULL, 0, FALSE);
  bytes = g_malloc (2 + 2 * (gsize) n_units);
  bytes[0] = 0xfe;
  bytes[1] = 0xff;
  for (glong i = 0; i < n_units; i++)
    {
      bytes[2 + 2 * i] = units[i] >> 8;
      bytes[3 + 2 * i] = units[i] & 0xff;
    }
  return teken_pdf_string_new (bytes, 2 + 2 * (gsize) n_units, FALSE);
}

TekenPdfObject *
teken_pdf_string_new_text (const char *utf8)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  if (utf8 == NULL || !g_utf8_validate (utf8, -1, NULL))
    return teken_pdf_string_new (NULL, 0, FALSE);

  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    {
      int c = unicode_to_pdfdoc (g_utf8_get_char (p));
      guint8 b = (guint8) c;

      if (c < 0)
        return text_as_utf16 (utf8);
      g_byte_array_append (bytes, &b, 1);
    }
  /* Bytes that would read back as a byte order mark force UTF-16. */
  if ((bytes->len >= 2 && bytes->data[0] == 0xfe && bytes->data[1] == 0xff) ||
      (bytes->len >= 3 && bytes->data[0] == 0xef && bytes->data[1] == 0xbb && bytes->data[2] == 0xbf))
    return text_as_utf16 (utf8);
  return teken_pdf_string_new (bytes->data, bytes->len, FALSE);
}

static char *
utf16_to_utf8 (const guint8 *data,
               gsize         len,
               gboolean      big_endian)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean in_language_code = FALSE;

  for (gsize i = 0; i + 1 < len; i += 2)
    {
      gunichar u = big_endian ? (data[i] << 8 | data[i + 1]) : (data[i + 1] << 8 | data[i]);

      /* U+001B brackets a language tag (§7.9.2.2.1), which is not text. */
      if (u == 0x1b)
        {
          in_language_code = !in_language_code;
          continue;
        }
      if (in_language_code)
        continue;
      if (u >= 0xd800 && u < 0xdc00 && i + 3 < len)
        {
          gunichar lo = big_endian ? (data[i + 2] << 8 | data[i + 3]) : (data[i + 3] << 8 | data[i + 2]);
          if (lo >= 0xdc00 && lo < 0xe000)
            {
              g_string_append_unichar (out, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
              i += 2;
              continue;
            }
        }
      if ((u >= 0xd800 && u < 0xe000) || u == 0)
        u = u == 0 ? 0 : 0xfffd;
      if (u != 0)
        g_string_append_unichar (out, u);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
teken_pdf_object_get_text (const TekenPdfObject *obj)
{
  const guint8 *data;
  gsize len;
  GString *out;

  if (obj == NULL || obj->kind != TEKEN_PDF_STRING)
    return NULL;
  data = obj->u.string.data;
  len = obj->u.string.len;

  if (len >= 2 && data[0] == 0xfe && data[1] == 0xff)
    return utf16_to_utf8 (data + 2, len - 2, TRUE);
  /* Not in the standard, but written by some Windows tools. */
  if (len >= 2 && data[0] == 0xff && data[1] == 0xfe)
    return utf16_to_utf8 (data + 2, len - 2, FALSE);
  if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
    return g_utf8_make_valid ((const char *) data + 3, len - 3);

  out = g_string_sized_new (len);
  for (gsize i = 0; i < len; i++)
    {
      gunichar u = pdfdoc_to_unicode (data[i]);
      if (data[i] == 0)
        continue;
      g_string_append_unichar (out, u != 0 ? u : 0xfffd);
    }
  return g_string_free (out, FALSE);
}

/* Stream filters */

static gboolean
limit_error (GError **error,
             gsize    max_size)
{
  g_autofree char *size = g_format_size (max_size);

  g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT,
               /* translators: %s is a size such as "16.8 MB" */
               _("A stream in the document would be larger than %s when decoded"), size);
  return FALSE;
}

static GByteArray *
decode_flate (const guint8 *in,
              gsize         in_len,
              gsize         max_size,
              GError      **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  z_stream zs = { 0 };
  guint8 chunk[16384];
  int ret = Z_OK;

  if (inflateInit (&zs) != Z_OK)
    {
      g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX,
                   _("A compressed stream could not be decoded"));
      return NULL;
    }

  zs.next_in = (Bytef *) in;
  /* Streams bigger than 4 GiB are refused earlier by the size limits. */
  zs.avail_in = (uInt) MIN (in_len, G_MAXUINT);
  while (ret == Z_OK)
    {
      zs.next_out = chunk;
      zs.avail_out = sizeof chunk;
      ret = inflate (&zs, Z_NO_FLUSH);
      if (out->len + (sizeof chunk - zs.avail_out) > max_size)
        {
          inflateEnd (&zs);
          limit_error (error, max_size);
          return NULL;
        }
      g_byte_array_append (out, chunk, sizeof chunk - zs.avail_out);
      /* Input used up without an end marker: keep what was decoded, as poppler does. */
      if (ret == Z_BUF_ERROR && zs.avail_in == 0)
        ret = Z_STREAM_END;
    }

  /* A bad or missing Adler-32 checksum after complete data is tolerated too. */
  if (ret == Z_DATA_ERROR && zs.msg != NULL && g_str_equal (zs.msg, "incorrect data check"))
    ret = Z_STREAM_END;
  inflateEnd (&zs);

  if (ret != Z_STREAM_END)
    {
      g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX,
                   _("A compressed stream in the document is corrupt"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

static GByteArray *
decode_ascii_hex (const guint8 *in,
                  gsize         in_len,
                  gsize         max_size,
                  GError      **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  int high = -1;

  for (gsize i = 0; i < in_len && in[i] != '>'; i++)
    {
      int v;

      if (is_pdf_whitespace (in[i]))
        continue;
      v = g_ascii_xdigit_value (in[i]);
      if (v < 0)
        {
          g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX,
                       _("A hexadecimal stream contains an invalid character"));
          return NULL;
        }
      if (high < 0)
        high = v;
      else
        {
          guint8 b = high << 4 | v;
          if (out->len >= max_size)
            {
              limit_error (error, max_size);
              return NULL;
            }
          g_byte_array_append (out, &b, 1);
          high = -1;
        }
    }
  if (high >= 0)
    {
      guint8 b = high << 4;
      g_byte_array_append (out, &b, 1);
    }
  return g_steal_pointer (&out);
}

static gboolean
ascii85_flush (GByteArray *out,
               guint32     value,
               guint       n_bytes,
               gsize       max_size,
               GError    **error)
{
  guint8 b[4] = { value >> 24, value >> 16, value >> 8, value };

  if (out->len + n_bytes > max_size)
    return limit_error (error, max_size);
  g_byte_array_append (out, b, n_bytes);
  return TRUE;
}

static GByteArray *
decode_ascii85 (const guint8 *in,
                gsize         in_len,
                gsize         max_size,
                GError      **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint64 value = 0;
  guint count = 0;

  for (gsize i = 0; i < in_len; i++)
    {
      guint8 c = in[i];

      if (is_pdf_whitespace (c))
        continue;
      if (c == '~')
        break;
      if (c == 'z' && count == 0)
        {
          if (!ascii85_flush (out, 0, 4, max_size, error))
            return NULL;
          continue;
        }
      if (c < '!' || c > 'u')
        goto bad;
      value = value * 85 + (c - '!');
      if (++count == 5)
        {
          if (value > G_MAXUINT32)
            goto bad;
          if (!ascii85_flush (out, (guint32) value, 4, max_size, error))
            return NULL;
          value = 0;
          count = 0;
        }
    }

  if (count == 1)
    goto bad;
  if (count > 1)
    {
      /* Pad the last group with 'u' (84) and keep count - 1 bytes. */
      for (guint k = count; k < 5; k++)
        value = value * 85 + 84;
      if (value > G_MAXUINT32)
        goto bad;
      if (!ascii85_flush (out, (guint32) value, count - 1, max_size, error))
        return NULL;
    }
  return g_steal_pointer (&out);

bad:
  g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX,
               _("An ASCII85 stream in the document is corrupt"));
  return NULL;
}

static GByteArray *
decode_run_length (const guint8 *in,
                   gsize         in_len,
                   gsize         max_size,
                   GError      **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize i = 0;

  while (i < in_len && in[i] != 128)
    {
      guint len = in[i++];

      if (len < 128)
        {
          len += 1;
          if (i + len > in_len)
            len = in_len - i;
          if (out->len + len > max_size)
            {
              limit_error (error, max_size);
              return NULL;
            }
          g_byte_array_append (out, in + i, len);
          i += len;
        }
      else if (i < in_len)
        {
          len = 257 - len;
          if (out->len + len > max_size)
            {
              limit_error (error, max_size);
              return NULL;
            }
          for (guint k = 0; k < len; k++)
            g_byte_array_append (out, in + i, 1);
          i++;
        }
    }
  return g_steal_pointer (&out);
}

typedef struct
{
  int predictor;
  guint colors;
  guint bpc;
  guint columns;
} PredictorParams;

static gboolean
read_predictor_params (const TekenPdfObject *parms,
                       PredictorParams      *p,
                       GError              **error)
{
  TekenPdfObject *v;

  p->predictor = 1;
  p->colors = 1;
  p->bpc = 8;
  p->columns = 1;
  if (parms == NULL || parms->kind != TEKEN_PDF_DICT)
    return TRUE;
  if ((v = teken_pdf_dict_get (parms, "Predictor")) != NULL)
    p->predictor = (int) CLAMP (teken_pdf_object_get_integer (v), 0, 100);
  if ((v = teken_pdf_dict_get (parms, "Colors")) != NULL)
    p->colors = (guint) CLAMP (teken_pdf_object_get_integer (v), 1, 32);
  if ((v = teken_pdf_dict_get (parms, "BitsPerComponent")) != NULL)
    p->bpc = (guint) CLAMP (teken_pdf_object_get_integer (v), 1, 16);
  if ((v = teken_pdf_dict_get (parms, "Columns")) != NULL)
    p->columns = (guint) CLAMP (teken_pdf_object_get_integer (v), 1, 1 << 24);

  if (p->bpc != 1 && p->bpc != 2 && p->bpc != 4 && p->bpc != 8 && p->bpc != 16)
    {
      g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX,
                   _("A stream in the document has invalid decoding parameters"));
      return FALSE;
    }
  return TRUE;
}

static guint8
paeth (guint8 a,
       guint8 b,
       guint8 c)
{
  int p = (int) a + b - c;
  int pa = ABS (p - a), pb = ABS (p - b), pc = ABS (p - c);

  if (pa <= pb && pa <= pc)
    return a;
  return pb <= pc ? b : c;
}

static void
png_unfilter_row (guint8       *row,
                  const guint8 *prev,
                  gsize         row_len,
                  guint         bpp,
                  guint8        type)
{
  for (gsize i = 0; i < row_len; i++)
    {
      guint8 left = i >= bpp ? row[i - bpp] : 0;
      guint8 up = prev[i];
      guint8 up_left = i >= bpp ? prev[i - bpp] : 0;

      switch (type)
        {
        case 1: row[i] += left; break;
        case 2: row[i] += up; break;
        case 3: row[i] += (guint8) (((guint) left + up) / 2); break;
        case 4: row[i] += paeth (left, up, up_left); break;
        default: break;
        }
    }
}

static GByteArray *
undo_png_predictor (const GByteArray     *in,
                    const PredictorParams *p,
                    gsize                  row_len)
{
  GByteArray *out = g_byte_array_sized_new (in->len);
  g_autofree guint8 *prev = g_malloc0 (row_len);
  guint bpp = MAX (1, (p->colors * p->bpc + 7) / 8);
  gsize pos = 0;

  /* A short last row is decoded as far as it goes. */
  while (pos < in->len)
    {
      guint8 type = in->data[pos++];
      gsize len = MIN (row_len, in->len - pos);
      gsize start = out->len;

      g_byte_array_append (out, in->data + pos, len);
      if (len < row_len)
        {
          g_byte_array_set_size (out, start + row_len);
          memset (out->data + start + len, 0, row_len - len);
        }
      png_unfilter_row (out->data + start, prev, row_len, bpp, type);
      memcpy (prev, out->data + start, row_len);
      g_byte_array_set_size (out, start + len);
      pos += len;
    }
  return out;
}

static guint
get_bits (const guint8 *row,
          gsize         index,
          guint         bits)
{
  gsize bit = index * bits;
  return (row[bit / 8] >> (8 - bits - bit % 8)) & ((1u << bits) - 1);
}

static void
set_bits (guint8 *row,
          gsize   index,
          guint   bits,
          guint   value)
{
  gsize bit = index * bits;
  guint shift = 8 - bits - bit % 8;
  guint mask = ((1u << bits) - 1) << shift;

  row[bit / 8] = (row[bit / 8] & ~mask) | ((value << shift) & mask);
}

static void
tiff_unpredict_row (guint8                *row,
                    const PredictorParams *p)
{
  gsize samples = (gsize) p->columns * p->colors;

  for (gsize i = p->colors; i < samples; i++)
    {
      if (p->bpc == 8)
        row[i] += row[i - p->colors];
      else if (p->bpc == 16)
        {
          guint v = (row[2 * i] << 8 | row[2 * i + 1]) + (row[2 * (i - p->colors)] << 8 | row[2 * (i - p->colors) + 1]);
          row[2 * i] = v >> 8;
          row[2 * i + 1] = v;
        }
      else
        set_bits (row, i, p->bpc, get_bits (row, i, p->bpc) + get_bits (row, i - p->colors, p->bpc));
    }
}

static GByteArray *
undo_tiff_predictor (GByteArray            *in,
                     const PredictorParams *p,
                     gsize                  row_len)
{
  /* Only whole rows are predicted; a trailing fragment stays as it is. */
  for (gsize pos = 0; pos + row_len <= in->len; pos += row_len)
    tiff_unpredict_row (in->data + pos, p);
  return g_byte_array_ref (in);
}

static GByteArray *
apply_predictor (GByteArray           *data,
                 const TekenPdfObject *parms,
                 GError              **error)
{
  PredictorParams p;
  gsize row_len;

  if (!read_predictor_params (parms, &p, error))
    return NULL;
  row_len = ((gsize) p.colors * p.bpc * p.columns + 7) / 8;
  if (p.predictor >= 10)
    {
      /* Rows longer than the data cannot be complete: never allocate for more than is there. */
      row_len = MAX (1, MIN (row_len, data->len));
      return undo_png_predictor (data, &p, row_len);
    }
  if (p.predictor == 2)
    return undo_tiff_predictor (data, &p, row_len);
  return g_byte_array_ref (data);
}

static GByteArray *
apply_filter (const char           *filter,
              const TekenPdfObject *parms,
              const guint8         *in,
              gsize                 in_len,
              gsize                 max_size,
              GError              **error)
{
  g_autoptr(GByteArray) decoded = NULL;

  if (g_str_equal (filter, "FlateDecode") || g_str_equal (filter, "Fl"))
    decoded = decode_flate (in, in_len, max_size, error);
  else if (g_str_equal (filter, "ASCIIHexDecode") || g_str_equal (filter, "AHx"))
    return decode_ascii_hex (in, in_len, max_size, error);
  else if (g_str_equal (filter, "ASCII85Decode") || g_str_equal (filter, "A85"))
    return decode_ascii85 (in, in_len, max_size, error);
  else if (g_str_equal (filter, "RunLengthDecode") || g_str_equal (filter, "RL"))
    return decode_run_length (in, in_len, max_size, error);
  else
    {
      g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_UNSUPPORTED,
                   /* translators: %s is a PDF filter name such as DCTDecode */
                   _("The document uses a stream encoding that is not supported (%s)"), filter);
      return NULL;
    }

  if (decoded == NULL)
    return NULL;
  return apply_predictor (decoded, parms, error);
}

GBytes *
teken_pdf_stream_decode (const TekenPdfObject *stream,
                         gsize                 max_size,
                         GError              **error)
{
  TekenPdfObject *filters, *parms;
  g_autoptr(GBytes) current = NULL;
  guint n_filters;

  g_return_val_if_fail (stream != NULL, NULL);

  if (stream->kind != TEKEN_PDF_STREAM)
    {
      g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX,
                   _("The document contains an object that should be a stream but is not"));
      return NULL;
    }

  current = g_bytes_ref (stream->u.stream.data);
  filters = teken_pdf_dict_get (stream, "Filter");
  parms = teken_pdf_dict_get (stream, "DecodeParms");
  n_filters = filters == NULL ? 0 : filters->kind == TEKEN_PDF_ARRAY ? filters->u.array->len : 1;
  if (n_filters > 8)
    {
      g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT,
                   _("A stream in the document has too many encodings"));
      return NULL;
    }

  for (guint i = 0; i < n_filters; i++)
    {
      TekenPdfObject *f = filters->kind == TEKEN_PDF_ARRAY ? teken_pdf_array_get (filters, i) : filters;
      TekenPdfObject *p = parms != NULL && parms->kind == TEKEN_PDF_ARRAY ? teken_pdf_array_get (parms, i) : parms;
      g_autoptr(GByteArray) out = NULL;
      gsize len;
      const guint8 *data = g_bytes_get_data (current, &len);

      if (f == NULL || f->kind != TEKEN_PDF_NAME)
        {
          g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX,
                       _("A stream in the document names its encoding incorrectly"));
          return NULL;
        }
      out = apply_filter (f->u.name, p, data, len, max_size, error);
      if (out == NULL)
        return NULL;
      if (out->len > max_size)
        {
          limit_error (error, max_size);
          return NULL;
        }
      g_bytes_unref (current);
      current = g_byte_array_free_to_bytes (g_steal_pointer (&out));
    }

  if (g_bytes_get_size (current) > max_size)
    {
      limit_error (error, max_size);
      return NULL;
    }
  return g_steal_pointer (&current);
}

TekenPdfObject *
teken_pdf_stream_new_compressed (TekenPdfObject *dict,
                                 const guint8   *data,
                                 gsize           len)
{
  uLongf out_len = compressBound (len);
  g_autofree guint8 *out = g_malloc (out_len);
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (dict != NULL && dict->kind == TEKEN_PDF_DICT, NULL);

  if (compress2 (out, &out_len, data, len, Z_DEFAULT_COMPRESSION) != Z_OK)
    g_error ("zlib failed to compress %" G_GSIZE_FORMAT " bytes", len);

  teken_pdf_dict_remove (dict, "DecodeParms");
  teken_pdf_dict_set (dict, "Filter", teken_pdf_name_new ("FlateDecode"));
  teken_pdf_dict_set (dict, "Length", teken_pdf_integer_new (out_len));
  bytes = g_bytes_new_take (g_steal_pointer (&out), out_len);
  return teken_pdf_stream_new (dict, bytes);
}
