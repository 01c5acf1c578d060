/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE   /* sync_file_range */
#include "teken-core-private.h"
#include "teken-signer.h"
#include "teken-x509-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "teken-appearance.h"
#include "teken-atomic-file.h"
#include "teken-cms.h"
#include "teken-pdf-update.h"

#define CHUNK_SIZE (1024 * 1024)
/* /Contents is reserved generously (platform-notes §8): never less than this many DER bytes … */
#define MIN_CONTENTS_SIZE 16384
/* … and always with room for an RFC 3161 token added later as an unsigned attribute. */
#define TIMESTAMP_ROOM 8192
#define MAX_FIELDS 10000
#define MAX_FIELD_DEPTH 32
#define BYTE_RANGE_PLACEHOLDER "[0 0000000000 0000000000 0000000000]"

struct _TekenSigner
{
  GObject parent_instance;

  TekenKey *key;
  TekenDigest digest;
  gboolean scheme_set;
  TekenSignScheme scheme;
  TekenSubFilter subfilter;
  char *reason;
  char *location;
  char *contact_info;
  char *name;
  char *field_name;
  char *new_field_name;
  gboolean visible;
  guint page;
  double x, y, width, height;
  char *image_path;
  char *qr_text;
  gboolean demo;
  GDateTime *signing_time;
  TekenSignerCmsHook cms_hook;
  gpointer cms_hook_data;
  GDestroyNotify cms_hook_destroy;
};

G_DEFINE_FINAL_TYPE (TekenSigner, teken_signer, G_TYPE_OBJECT)

G_DEFINE_QUARK (teken-signer-error-quark, teken_signer_error)

/* An AcroForm field found by walking /Fields. */
typedef struct
{
  guint num;                /* object number, 0 when the field is a direct object */
  TekenPdfObject *dict;
  char *full_name;
  gboolean is_signature;
  guint widget_num;         /* the widget annotation (the field itself when merged) */
} Field;

static void
field_free (Field *field)
{
  g_clear_pointer (&field->dict, teken_pdf_object_unref);
  g_free (field->full_name);
  g_free (field);
}

/* Everything one signing run needs; lives on the worker thread. */
typedef struct
{
  TekenSigner *signer;
  TekenPdfDocument *doc;
  TekenPdfUpdate *update;
  GDateTime *time;
  TekenDigest digest;
  gsize contents_size;      /* reserved DER bytes; the hex is twice this */
  GPtrArray *fields;        /* Field */
} Job;

static void
job_clear (Job *job)
{
  g_clear_object (&job->doc);
  g_clear_object (&job->update);
  g_clear_pointer (&job->time, g_date_time_unref);
  g_clear_pointer (&job->fields, g_ptr_array_unref);
}

static void
teken_signer_finalize (GObject *object)
{
  TekenSigner *self = TEKEN_SIGNER (object);

  g_clear_object (&self->key);
  g_free (self->reason);
  g_free (self->location);
  g_free (self->contact_info);
  g_free (self->name);
  g_free (self->field_name);
  g_free (self->new_field_name);
  g_free (self->image_path);
  g_free (self->qr_text);
  g_clear_pointer (&self->signing_time, g_date_time_unref);
  if (self->cms_hook_destroy != NULL)
    self->cms_hook_destroy (self->cms_hook_data);

  G_OBJECT_CLASS (teken_signer_parent_class)->finalize (object);
}

static void
teken_signer_class_init (TekenSignerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_signer_finalize;
}

static void
teken_signer_init (TekenSigner *self)
{
  self->digest = TEKEN_DIGEST_SHA256;
  self->subfilter = TEKEN_SUBFILTER_ETSI_CADES;
}

TekenSigner *
teken_signer_new (TekenKey *key)
{
  TekenSigner *self = g_object_new (TEKEN_TYPE_SIGNER, NULL);

  teken_signer_set_key (self, key);
  return self;
}

void
teken_signer_set_key (TekenSigner *self,
                      TekenKey    *key)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  g_return_if_fail (key == NULL || TEKEN_IS_KEY (key));
  g_set_object (&self->key, key);
}

TekenKey *
teken_signer_get_key (TekenSigner *self)
{
  g_return_val_if_fail (TEKEN_IS_SIGNER (self), NULL);
  return self->key;
}

void
teken_signer_set_digest (TekenSigner *self,
                         TekenDigest  digest)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  self->digest = digest;
}

void
teken_signer_set_scheme (TekenSigner     *self,
                         TekenSignScheme  scheme)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  self->scheme = scheme;
  self->scheme_set = TRUE;
}

void
teken_signer_set_subfilter (TekenSigner    *self,
                            TekenSubFilter  subfilter)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  self->subfilter = subfilter;
}

static void
replace_string (char       **field,
                const char  *value)
{
  g_free (*field);
  *field = value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

void
teken_signer_set_reason (TekenSigner *self,
                         const char  *reason)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  replace_string (&self->reason, reason);
}

void
teken_signer_set_location (TekenSigner *self,
                           const char  *location)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  replace_string (&self->location, location);
}

void
teken_signer_set_contact_info (TekenSigner *self,
                               const char  *contact_info)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  replace_string (&self->contact_info, contact_info);
}

void
teken_signer_set_name (TekenSigner *self,
                       const char  *name)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  replace_string (&self->name, name);
}

void
teken_signer_set_field_name (TekenSigner *self,
                             const char  *name)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  replace_string (&self->field_name, name);
}

void
teken_signer_set_new_field_name (TekenSigner *self,
                                 const char  *name)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  replace_string (&self->new_field_name, name);
}

void
teken_signer_set_visible (TekenSigner *self,
                          guint        page,
                          double       x,
                          double       y,
                          double       width,
                          double       height)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  self->visible = TRUE;
  self->page = page;
  self->x = x;
  self->y = y;
  self->width = width;
  self->height = height;
}

void
teken_signer_set_invisible (TekenSigner *self)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  self->visible = FALSE;
}

gboolean
teken_signer_set_image_file (TekenSigner  *self,
                             const char   *png_path,
                             GError      **error)
{
  g_autoptr(TekenAppearance) probe = teken_appearance_new ();

  g_return_val_if_fail (TEKEN_IS_SIGNER (self), FALSE);

  /* decode now, so that a bad image is reported before the key is even unlocked */
  if (png_path != NULL && !teken_appearance_set_image_file (probe, png_path, error))
    return FALSE;
  replace_string (&self->image_path, png_path);
  return TRUE;
}

void
teken_signer_set_qr_text (TekenSigner *self,
                          const char  *text)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  replace_string (&self->qr_text, text);
}

void
teken_signer_set_demo (TekenSigner *self,
                       gboolean     demo)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  self->demo = !!demo;
}

void
teken_signer_set_signing_time (TekenSigner *self,
                               GDateTime   *time)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));
  g_clear_pointer (&self->signing_time, g_date_time_unref);
  if (time != NULL)
    self->signing_time = g_date_time_ref (time);
}

void
teken_signer_set_cms_hook (TekenSigner        *self,
                           TekenSignerCmsHook  hook,
                           gpointer            user_data,
                           GDestroyNotify      destroy)
{
  g_return_if_fail (TEKEN_IS_SIGNER (self));

  if (self->cms_hook_destroy != NULL)
    self->cms_hook_destroy (self->cms_hook_data);
  self->cms_hook = hook;
  self->cms_hook_data = user_data;
  self->cms_hook_destroy = destroy;
}

/* --- helpers --- */

static char *
certificate_common_name (TekenKey *key)
{
  X509 *cert = teken_key_get_certificate (key);

  return teken_x509_name_get_entry (cert != NULL ? X509_get_subject_name (cert) : NULL, NID_commonName);
}

/* D:YYYYMMDDHHmmSS+07'00' (ISO 32000-1 §7.9.4) */
static char *
pdf_date (GDateTime *time)
{
  GTimeSpan offset = g_date_time_get_utc_offset (time);
  gint64 minutes = ABS (offset) / G_TIME_SPAN_MINUTE;
  g_autofree char *stamp = g_date_time_format (time, "%Y%m%d%H%M%S");

  if (offset == 0)
    return g_strdup_printf ("D:%sZ", stamp);
  return g_strdup_printf ("D:%s%c%02d'%02d'", stamp, offset < 0 ? '-' : '+',
                          (int) (minutes / 60), (int) (minutes % 60));
}

static TekenPdfObject *
rect_array (double x1, double y1, double x2, double y2)
{
  TekenPdfObject *array = teken_pdf_array_new ();

  teken_pdf_array_append (array, teken_pdf_real_new (x1));
  teken_pdf_array_append (array, teken_pdf_real_new (y1));
  teken_pdf_array_append (array, teken_pdf_real_new (x2));
  teken_pdf_array_append (array, teken_pdf_real_new (y2));
  return array;
}

/* --- existing fields --- */

static gboolean
walk_fields (Job             *job,
             TekenPdfObject  *kids,
             const char      *prefix,
             gboolean         inherited_sig,
             guint            depth,
             GError         **error)
{
  if (depth > MAX_FIELD_DEPTH)
    return TRUE;   /* a malformed tree: ignore what is too deep rather than refuse the file */

  for (guint i = 0; i < teken_pdf_array_get_length (kids) && job->fields->len < MAX_FIELDS; i++)
    {
      TekenPdfObject *item = teken_pdf_array_get (kids, i);
      g_autoptr(TekenPdfObject) dict = NULL;
      g_autoptr(TekenPdfObject) ft = NULL;
      g_autoptr(TekenPdfObject) sub = NULL;
      g_autoptr(TekenPdfObject) t = NULL;
      g_autofree char *partial = NULL;
      g_autofree char *full = NULL;
      gboolean is_sig;
      Field *field;

      dict = teken_pdf_document_resolve (job->doc, item, error);
      if (dict == NULL)
        return FALSE;
      if (teken_pdf_object_get_kind (dict) != TEKEN_PDF_DICT)
        continue;
      ft = teken_pdf_document_lookup (job->doc, dict, "FT", NULL);
      is_sig = ft != NULL ? teken_pdf_object_is_name (ft, "Sig") : inherited_sig;
      t = teken_pdf_document_lookup (job->doc, dict, "T", NULL);
      partial = t != NULL ? teken_pdf_object_get_text (t) : NULL;
      if (partial == NULL)
        continue;   /* a widget of its parent */
      full = prefix != NULL ? g_strdup_printf ("%s.%s", prefix, partial) : g_strdup (partial);

      field = g_new0 (Field, 1);
      field->num = teken_pdf_object_get_kind (item) == TEKEN_PDF_REFERENCE ? teken_pdf_object_get_ref_num (item) : 0;
      field->dict = teken_pdf_object_ref (dict);
      field->full_name = g_strdup (full);
      field->is_signature = is_sig;
      field->widget_num = field->num;
      g_ptr_array_add (job->fields, field);

      sub = teken_pdf_document_lookup (job->doc, dict, "Kids", NULL);
      if (sub != NULL && teken_pdf_object_get_kind (sub) == TEKEN_PDF_ARRAY)
        {
          TekenPdfObject *first = teken_pdf_array_get (sub, 0);
          g_autoptr(TekenPdfObject) kid = first != NULL ? teken_pdf_document_resolve (job->doc, first, NULL) : NULL;

          /* kids without /T are this field's widgets */
          if (kid != NULL && teken_pdf_dict_get (kid, "T") == NULL &&
              teken_pdf_object_get_kind (first) == TEKEN_PDF_REFERENCE)
            field->widget_num = teken_pdf_object_get_ref_num (first);
          if (!walk_fields (job, sub, full, is_sig, depth + 1, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
collect_fields (Job     *job,
                GError **error)
{
  g_autoptr(TekenPdfObject) catalog = teken_pdf_document_get_catalog (job->doc, NULL, error);
  g_autoptr(TekenPdfObject) acroform = NULL;
  g_autoptr(TekenPdfObject) fields = NULL;

  job->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  if (catalog == NULL)
    return FALSE;
  acroform = teken_pdf_document_lookup (job->doc, catalog, "AcroForm", error);
  if (acroform == NULL || teken_pdf_object_get_kind (acroform) != TEKEN_PDF_DICT)
    return error == NULL || *error == NULL;
  fields = teken_pdf_document_lookup (job->doc, acroform, "Fields", error);
  if (fields == NULL || teken_pdf_object_get_kind (fields) != TEKEN_PDF_ARRAY)
    return error == NULL || *error == NULL;
  return walk_fields (job, fields, NULL, FALSE, 0, error);
}

static Field *
find_field (Job        *job,
            const char *name)
{
  for (guint i = 0; i < job->fields->len; i++)
    {
      Field *f = g_ptr_array_index (job->fields, i);

      if (g_strcmp0 (f->full_name, name) == 0)
        return f;
    }
  return NULL;
}

static char *
next_free_name (Job *job)
{
  for (guint n = 1; ; n++)
    {
      g_autofree char *name = g_strdup_printf ("Signature%u", n);

      if (find_field (job, name) == NULL)
        return g_steal_pointer (&name);
    }
}

/* --- the update --- */

/* obj is the version of object num the update should hold; returns a deep copy to change. */
static TekenPdfObject *
copy_current (Job      *job,
              guint     num,
              GError  **error)
{
  g_autoptr(TekenPdfObject) current = teken_pdf_update_get_object (job->update, num, error);

  return current != NULL ? teken_pdf_object_copy (current) : NULL;
}

/* Appends item to the array at dict[key]: a direct array is changed in place (dict is
 * already a copy owned by the update), an indirect one is copied and replaced. */
static gboolean
append_to_array_entry (Job             *job,
                       TekenPdfObject  *dict,
                       const char      *key,
                       TekenPdfObject  *item,
                       GError         **error)
{
  TekenPdfObject *entry = teken_pdf_dict_get (dict, key);

  if (entry != NULL && teken_pdf_object_get_kind (entry) == TEKEN_PDF_REFERENCE)
    {
      guint num = teken_pdf_object_get_ref_num (entry);
      g_autoptr(GError) local_error = NULL;
      TekenPdfObject *array = copy_current (job, num, &local_error);

      if (array != NULL && teken_pdf_object_get_kind (array) == TEKEN_PDF_ARRAY)
        {
          teken_pdf_array_append (array, item);
          teken_pdf_update_set_object (job->update, num, array);
          return TRUE;
        }
      g_clear_pointer (&array, teken_pdf_object_unref);
      entry = NULL;   /* dangling or not an array: start a fresh direct one */
    }
  if (entry == NULL || teken_pdf_object_get_kind (entry) != TEKEN_PDF_ARRAY)
    {
      entry = teken_pdf_array_new ();
      teken_pdf_dict_set (dict, key, entry);
    }
  teken_pdf_array_append (entry, item);
  return TRUE;
}

/*
 * /NeedAppearances true asks viewers to regenerate every field's appearance, which changes
 * what a signed document shows and makes validators report a modification. We set it to
 * false only when every field widget already has a normal appearance (/AP /N), so nothing
 * visible depends on it; otherwise we leave it and the viewer's regeneration as they are.
 */
static void
settle_need_appearances (Job            *job,
                         TekenPdfObject *acroform)
{
  TekenPdfObject *need = teken_pdf_dict_get (acroform, "NeedAppearances");

  if (need == NULL || !teken_pdf_object_get_boolean (need))
    return;
  for (guint i = 0; i < job->fields->len; i++)
    {
      Field *f = g_ptr_array_index (job->fields, i);
      g_autoptr(TekenPdfObject) widget = NULL;
      g_autoptr(TekenPdfObject) ap = NULL;

      if (f->is_signature)
        continue;
      widget = f->widget_num != 0 ? teken_pdf_document_get_object (job->doc, f->widget_num, NULL)
                                  : teken_pdf_object_ref (f->dict);
      ap = widget != NULL ? teken_pdf_document_lookup (job->doc, widget, "AP", NULL) : NULL;
      if (ap == NULL || teken_pdf_dict_get (ap, "N") == NULL)
        return;
    }
  teken_pdf_dict_set (acroform, "NeedAppearances", teken_pdf_boolean_new (FALSE));
}

static void
prepare_acroform (Job            *job,
                  TekenPdfObject *acroform,
                  guint           new_field_num)
{
  teken_pdf_dict_set (acroform, "SigFlags", teken_pdf_integer_new (3));
  if (new_field_num != 0)
    append_to_array_entry (job, acroform, "Fields", teken_pdf_reference_new (new_field_num, 0), NULL);
  settle_need_appearances (job, acroform);
}

/* Creates or extends /AcroForm: SigFlags 3 and, for a new field, an entry in /Fields. */
static gboolean
update_acroform (Job      *job,
                 guint     new_field_num,
                 GError  **error)
{
  guint catalog_num = 0;
  g_autoptr(TekenPdfObject) catalog = teken_pdf_document_get_catalog (job->doc, &catalog_num, error);
  TekenPdfObject *entry;

  if (catalog == NULL)
    return FALSE;
  entry = teken_pdf_dict_get (catalog, "AcroForm");
  if (entry != NULL && teken_pdf_object_get_kind (entry) == TEKEN_PDF_REFERENCE)
    {
      guint num = teken_pdf_object_get_ref_num (entry);
      TekenPdfObject *acroform = copy_current (job, num, NULL);

      if (acroform != NULL && teken_pdf_object_get_kind (acroform) == TEKEN_PDF_DICT)
        {
          prepare_acroform (job, acroform, new_field_num);
          teken_pdf_update_set_object (job->update, num, acroform);
          return TRUE;
        }
      g_clear_pointer (&acroform, teken_pdf_object_unref);
    }

  {
    TekenPdfObject *cat_copy = copy_current (job, catalog_num, error);
    TekenPdfObject *acroform;

    if (cat_copy == NULL)
      return FALSE;
    acroform = teken_pdf_dict_get (cat_copy, "AcroForm");
    if (acroform == NULL || teken_pdf_object_get_kind (acroform) != TEKEN_PDF_DICT)
      {
        acroform = teken_pdf_dict_new ();
        teken_pdf_dict_set (cat_copy, "AcroForm", acroform);
      }
    prepare_acroform (job, acroform, new_field_num);
    teken_pdf_update_set_object (job->update, catalog_num, cat_copy);
  }
  return TRUE;
}

static TekenPdfObject *
signature_dictionary (Job *job)
{
  TekenSigner *self = job->signer;
  TekenPdfObject *sig = teken_pdf_dict_new ();
  g_autofree char *date = pdf_date (job->time);
  g_autofree char *cn = NULL;
  GString *contents = g_string_sized_new (job->contents_size * 2 + 2);

  g_string_append_c (contents, '<');
  for (gsize i = 0; i < job->contents_size * 2; i++)
    g_string_append_c (contents, '0');
  g_string_append_c (contents, '>');

  teken_pdf_dict_set (sig, "Type", teken_pdf_name_new ("Sig"));
  teken_pdf_dict_set (sig, "Filter", teken_pdf_name_new ("Adobe.PPKLite"));
  teken_pdf_dict_set (sig, "SubFilter",
                      teken_pdf_name_new (self->subfilter == TEKEN_SUBFILTER_PKCS7
                                          ? "adbe.pkcs7.detached" : "ETSI.CAdES.detached"));
  teken_pdf_dict_set (sig, "ByteRange", teken_pdf_raw_new (BYTE_RANGE_PLACEHOLDER,
                                                           strlen (BYTE_RANGE_PLACEHOLDER)));
  teken_pdf_dict_set (sig, "Contents", teken_pdf_raw_new (contents->str, contents->len));
  g_string_free (contents, TRUE);
  teken_pdf_dict_set (sig, "M", teken_pdf_string_new ((const guint8 *) date, strlen (date), FALSE));
  cn = self->name != NULL ? g_strdup (self->name) : certificate_common_name (self->key);
  if (cn != NULL)
    teken_pdf_dict_set (sig, "Name", teken_pdf_string_new_text (cn));
  if (self->reason != NULL)
    teken_pdf_dict_set (sig, "Reason", teken_pdf_string_new_text (self->reason));
  if (self->location != NULL)
    teken_pdf_dict_set (sig, "Location", teken_pdf_string_new_text (self->location));
  if (self->contact_info != NULL)
    teken_pdf_dict_set (sig, "ContactInfo", teken_pdf_string_new_text (self->contact_info));
  return sig;
}

static TekenAppearance *
make_appearance (Job *job)
{
  TekenSigner *self = job->signer;
  TekenAppearance *appearance = teken_appearance_new ();
  g_autofree char *cn = certificate_common_name (self->key);

  teken_appearance_set_signer_name (appearance, self->name != NULL ? self->name : cn);
  teken_appearance_set_time (appearance, job->time);
  teken_appearance_set_reason (appearance, self->reason);
  teken_appearance_set_location (appearance, self->location);
  teken_appearance_set_qr_text (appearance, self->qr_text);
  /* a demo certificate never makes a stamp without DEMO on it, whoever set up the signer */
  teken_appearance_set_demo (appearance, self->demo ||
                             (self->key != NULL && teken_x509_is_demo_certificate (teken_key_get_certificate (self->key))));
  if (self->image_path != NULL)
    teken_appearance_set_image_file (appearance, self->image_path, NULL);   /* checked when set */
  return appearance;
}

/* The visible rectangle, given on the page as shown, in default user space. */
static gboolean
user_space_rect (Job           *job,
                 TekenPdfRect  *rect,
                 int           *rotate,
                 GError       **error)
{
  TekenSigner *self = job->signer;
  TekenPdfRect crop;
  double cw, ch, vw, vh;
  guint n_pages = teken_pdf_document_get_n_pages (job->doc, NULL);

  if (self->page >= n_pages)
    {
      /* translators: the first %u is the page asked for (from 1), the second the number of pages */
      g_set_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_PLACEMENT,
                   _("Page %u does not exist: the document has %u pages"), self->page + 1, n_pages);
      return FALSE;
    }
  if (!teken_pdf_document_get_page_geometry (job->doc, self->page, &crop, rotate, error))
    return FALSE;
  cw = crop.x2 - crop.x1;
  ch = crop.y2 - crop.y1;
  vw = (*rotate == 90 || *rotate == 270) ? ch : cw;
  vh = (*rotate == 90 || *rotate == 270) ? cw : ch;
  if (self->width <= 0 || self->height <= 0 || self->x < 0 || self->y < 0 ||
      self->x + self->width > vw + 0.01 || self->y + self->height > vh + 0.01)
    {
      /* translators: %g are the page's width and height in points */
      g_set_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_PLACEMENT,
                   _("The signature rectangle does not lie on the page (%g × %g points)"), vw, vh);
      return FALSE;
    }
  switch (*rotate)
    {
    case 90:
      *rect = (TekenPdfRect) { crop.x1 + cw - self->y - self->height, crop.y1 + self->x, 0, 0 };
      rect->x2 = rect->x1 + self->height;
      rect->y2 = rect->y1 + self->width;
      break;
    case 180:
      *rect = (TekenPdfRect) { crop.x1 + cw - self->x - self->width, crop.y1 + ch - self->y - self->height, 0, 0 };
      rect->x2 = rect->x1 + self->width;
      rect->y2 = rect->y1 + self->height;
      break;
    case 270:
      *rect = (TekenPdfRect) { crop.x1 + self->y, crop.y1 + ch - self->x - self->width, 0, 0 };
      rect->x2 = rect->x1 + self->height;
      rect->y2 = rect->y1 + self->width;
      break;
    default:
      *rect = (TekenPdfRect) { crop.x1 + self->x, crop.y1 + self->y, 0, 0 };
      rect->x2 = rect->x1 + self->width;
      rect->y2 = rect->y1 + self->height;
      break;
    }
  return TRUE;
}

static void
add_appearance_entries (TekenPdfObject *widget,
                        guint           form_num,
                        int             rotate)
{
  TekenPdfObject *ap = teken_pdf_dict_new ();

  teken_pdf_dict_set (ap, "N", teken_pdf_reference_new (form_num, 0));
  teken_pdf_dict_set (widget, "AP", ap);
  if (rotate != 0)
    {
      TekenPdfObject *mk = teken_pdf_dict_new ();

      teken_pdf_dict_set (mk, "R", teken_pdf_integer_new (rotate));
      teken_pdf_dict_set (widget, "MK", mk);
    }
}

/* A new merged field + widget on the chosen page (or page 1 when invisible). */
static gboolean
add_new_field (Job         *job,
               const char  *name,
               guint        sig_num,
               GError     **error)
{
  TekenSigner *self = job->signer;
  guint page_index = self->visible ? self->page : 0;
  guint page_num = 0;
  g_autoptr(TekenPdfObject) page = NULL;
  TekenPdfObject *page_copy;
  TekenPdfObject *widget;
  TekenPdfRect rect = { 0, 0, 0, 0 };
  int rotate = 0;
  guint widget_num;

  if (self->visible && !user_space_rect (job, &rect, &rotate, error))
    return FALSE;
  page = teken_pdf_document_get_page (job->doc, page_index, &page_num, error);
  if (page == NULL)
    return FALSE;
  if (page_num == 0)
    {
      g_set_error_literal (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FAILED,
                           _("The page is not an indirect object and cannot be annotated"));
      return FALSE;
    }

  widget = teken_pdf_dict_new ();
  teken_pdf_dict_set (widget, "Type", teken_pdf_name_new ("Annot"));
  teken_pdf_dict_set (widget, "Subtype", teken_pdf_name_new ("Widget"));
  teken_pdf_dict_set (widget, "FT", teken_pdf_name_new ("Sig"));
  teken_pdf_dict_set (widget, "T", teken_pdf_string_new_text (name));
  teken_pdf_dict_set (widget, "V", teken_pdf_reference_new (sig_num, 0));
  teken_pdf_dict_set (widget, "F", teken_pdf_integer_new (132));   /* print + locked */
  teken_pdf_dict_set (widget, "Rect", rect_array (rect.x1, rect.y1, rect.x2, rect.y2));
  teken_pdf_dict_set (widget, "P", teken_pdf_reference_new (page_num, 0));
  if (self->visible)
    {
      g_autoptr(TekenAppearance) appearance = make_appearance (job);
      guint form_num = teken_appearance_add_to_update (appearance, job->update,
                                                       self->width, self->height, rotate, error);

      if (form_num == 0)
        {
          teken_pdf_object_unref (widget);
          return FALSE;
        }
      add_appearance_entries (widget, form_num, rotate);
    }
  widget_num = teken_pdf_update_add_object (job->update, widget);

  page_copy = copy_current (job, page_num, error);
  if (page_copy == NULL)
    return FALSE;
  append_to_array_entry (job, page_copy, "Annots", teken_pdf_reference_new (widget_num, 0), NULL);
  teken_pdf_update_set_object (job->update, page_num, page_copy);
  return update_acroform (job, widget_num, error);
}

static int
page_rotation_of (Job            *job,
                  TekenPdfObject *widget)
{
  TekenPdfObject *p = teken_pdf_dict_get (widget, "P");
  guint n = teken_pdf_document_get_n_pages (job->doc, NULL);

  if (p == NULL || teken_pdf_object_get_kind (p) != TEKEN_PDF_REFERENCE)
    return 0;
  for (guint i = 0; i < n; i++)
    {
      guint num = 0;
      g_autoptr(TekenPdfObject) page = teken_pdf_document_get_page (job->doc, i, &num, NULL);
      TekenPdfRect crop;
      int rotate = 0;

      if (page != NULL && num == teken_pdf_object_get_ref_num (p))
        return teken_pdf_document_get_page_geometry (job->doc, i, &crop, &rotate, NULL) ? rotate : 0;
    }
  return 0;
}

/* Fills an existing empty signature field; its widget keeps its place and gets our stamp
 * when it has an area. */
static gboolean
fill_field (Job      *job,
            Field    *field,
            guint     sig_num,
            GError  **error)
{
  TekenPdfObject *field_copy;
  TekenPdfObject *widget;
  TekenPdfObject *rect;
  double x1, y1, x2, y2;

  if (!field->is_signature)
    {
      /* translators: %s is a form field's name */
      g_set_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FIELD,
                   _("The form field “%s” is not a signature field"), field->full_name);
      return FALSE;
    }
  if (teken_pdf_dict_get (field->dict, "V") != NULL &&
      teken_pdf_object_get_kind (teken_pdf_dict_get (field->dict, "V")) != TEKEN_PDF_NULL)
    {
      /* translators: %s is a form field's name */
      g_set_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FIELD,
                   _("The signature field “%s” is already signed"), field->full_name);
      return FALSE;
    }
  if (field->num == 0)
    {
      g_set_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FIELD,
                   _("The signature field “%s” cannot be filled"), field->full_name);
      return FALSE;
    }

  field_copy = copy_current (job, field->num, error);
  if (field_copy == NULL)
    return FALSE;
  teken_pdf_dict_set (field_copy, "V", teken_pdf_reference_new (sig_num, 0));
  teken_pdf_update_set_object (job->update, field->num, field_copy);

  widget = field->widget_num == field->num ? field_copy
                                           : copy_current (job, field->widget_num, NULL);
  if (widget == NULL)
    return update_acroform (job, 0, error);
  rect = teken_pdf_dict_get (widget, "Rect");
  x1 = teken_pdf_object_get_number (teken_pdf_array_get (rect, 0));
  y1 = teken_pdf_object_get_number (teken_pdf_array_get (rect, 1));
  x2 = teken_pdf_object_get_number (teken_pdf_array_get (rect, 2));
  y2 = teken_pdf_object_get_number (teken_pdf_array_get (rect, 3));
  if (rect != NULL && teken_pdf_array_get_length (rect) == 4 && ABS (x2 - x1) >= 20 && ABS (y2 - y1) >= 10)
    {
      int rotate = page_rotation_of (job, widget);
      gboolean sideways = rotate == 90 || rotate == 270;
      double w = sideways ? ABS (y2 - y1) : ABS (x2 - x1);
      double h = sideways ? ABS (x2 - x1) : ABS (y2 - y1);
      g_autoptr(TekenAppearance) appearance = make_appearance (job);
      guint form_num = teken_appearance_add_to_update (appearance, job->update, w, h, rotate, error);

      if (form_num == 0)
        {
          if (widget != field_copy)
            teken_pdf_object_unref (widget);
          return FALSE;
        }
      add_appearance_entries (widget, form_num, rotate);
    }
  if (widget != field_copy)
    teken_pdf_update_set_object (job->update, field->widget_num, widget);
  return update_acroform (job, 0, error);
}

static gboolean
build_update (Job      *job,
              GError  **error)
{
  TekenSigner *self = job->signer;
  Field *field = NULL;
  g_autofree char *name = NULL;
  guint sig_num;

  if (!collect_fields (job, error))
    return FALSE;
  if (self->field_name != NULL)
    {
      field = find_field (job, self->field_name);
      if (field == NULL)
        {
          /* translators: %s is a form field's name */
          g_set_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FIELD,
                       _("The document has no signature field “%s”"), self->field_name);
          return FALSE;
        }
    }
  else if (self->new_field_name != NULL && find_field (job, self->new_field_name) != NULL)
    {
      /* translators: %s is a form field's name */
      g_set_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FIELD,
                   _("The document already has a field “%s”"), self->new_field_name);
      return FALSE;
    }
  job->update = teken_pdf_update_new (job->doc);
  sig_num = teken_pdf_update_add_object (job->update, signature_dictionary (job));
  if (field != NULL)
    return fill_field (job, field, sig_num, error);
  name = self->new_field_name != NULL ? g_strdup (self->new_field_name) : next_free_name (job);
  return add_new_field (job, name, sig_num, error);
}

/* --- placeholders and streaming --- */

static const guint8 *
find_bytes (const guint8 *haystack,
            gsize         len,
            const char   *needle,
            gsize         needle_len)
{
  if (needle_len == 0 || needle_len > len)
    return NULL;
  for (const guint8 *p = haystack; p + needle_len <= haystack + len; p++)
    {
      p = memchr (p, needle[0], haystack + len - p);
      if (p == NULL || p + needle_len > haystack + len)
        return NULL;
      if (memcmp (p, needle, needle_len) == 0)
        return p;
    }
  return NULL;
}

typedef struct
{
  guint8 *update;           /* serialised update, ByteRange patched */
  gsize update_len;
  gsize contents_offset;    /* of '<' inside update */
  gsize contents_len;       /* '<' … '>' inclusive */
  goffset base_size;
} Layout;

static gboolean
locate_placeholders (Job      *job,
                     GBytes   *serialized,
                     Layout   *layout,
                     GError  **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (serialized, &len);
  g_autofree char *zeros = g_strnfill (64, '0');
  g_autofree char *needle = g_strconcat ("<", zeros, NULL);
  const guint8 *range = find_bytes (data, len, BYTE_RANGE_PLACEHOLDER, strlen (BYTE_RANGE_PLACEHOLDER));
  const guint8 *contents = find_bytes (data, len, needle, strlen (needle));
  goffset start, end, total;
  g_autofree char *text = NULL;
  gsize width = strlen (BYTE_RANGE_PLACEHOLDER);

  layout->contents_len = job->contents_size * 2 + 2;
  if (range == NULL || contents == NULL || contents + layout->contents_len > data + len ||
      contents[layout->contents_len - 1] != '>')
    {
      g_set_error_literal (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FAILED,
                           _("Internal error: the signature placeholders were not written"));
      return FALSE;
    }
  layout->base_size = teken_pdf_document_get_size (job->doc);
  layout->contents_offset = contents - data;
  layout->update = g_memdup2 (data, len);
  layout->update_len = len;
  start = layout->base_size + layout->contents_offset;
  end = start + layout->contents_len;
  total = layout->base_size + len;
  text = g_strdup_printf ("[0 %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                          (gint64) start, (gint64) end, (gint64) (total - end));
  if (strlen (text) + 1 > width)
    {
      g_set_error_literal (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FAILED,
                           _("The document is too large to be signed"));
      return FALSE;
    }
  /* pad with spaces inside the brackets so nothing after it moves */
  memset (layout->update + (range - data), ' ', width);
  memcpy (layout->update + (range - data), text, strlen (text));
  layout->update[(range - data) + width - 1] = ']';
  return TRUE;
}

static void
report (TekenSignerProgressFunc progress,
        gpointer                data,
        double                  fraction)
{
  if (progress != NULL)
    progress (fraction, data);
}

/* Starts writing each finished 8 MiB to disk while we go on hashing, so that the final
 * fsync() of a big output has little left to do. */
static void
start_writeback (TekenAtomicFile *out,
                 goffset          written)
{
#ifdef SYNC_FILE_RANGE_WRITE
  const goffset step = 8 * CHUNK_SIZE;

  if (written % step == 0)
    sync_file_range (teken_atomic_file_get_fd (out), written - step, step, SYNC_FILE_RANGE_WRITE);
#endif
}

/* Copies the input into out while hashing it, then the update without /Contents' hex. */
static gboolean
copy_and_hash (Job                      *job,
               const char               *input,
               Layout                   *layout,
               TekenAtomicFile          *out,
               EVP_MD_CTX               *md_ctx,
               GCancellable             *cancellable,
               TekenSignerProgressFunc   progress,
               gpointer                  progress_data,
               GError                  **error)
{
  g_autofree guint8 *buf = g_malloc (CHUNK_SIZE);
  goffset done = 0;
  struct stat st;
  int fd = g_open (input, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      /* translators: the first %s is a file name, the second the system's reason */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not read “%s”: %s"), input, g_strerror (saved));
      return FALSE;
    }
#ifdef POSIX_FADV_SEQUENTIAL
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  if (st.st_size != layout->base_size)
    goto changed;

  while (done < layout->base_size)
    {
      gsize want = MIN ((goffset) CHUNK_SIZE, layout->base_size - done);
      gssize n = read (fd, buf, want);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        goto changed;
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !EVP_DigestUpdate (md_ctx, buf, n) ||
          !teken_atomic_file_write (out, buf, n, error))
        {
          close (fd);
          return FALSE;
        }
      done += n;
      start_writeback (out, done);
      report (progress, progress_data, 0.9 * done / MAX (layout->base_size, 1));
    }
  close (fd);

  if (!EVP_DigestUpdate (md_ctx, layout->update, layout->contents_offset) ||
      !EVP_DigestUpdate (md_ctx, layout->update + layout->contents_offset + layout->contents_len,
                         layout->update_len - layout->contents_offset - layout->contents_len))
    {
      g_set_error_literal (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FAILED, _("Hashing failed"));
      return FALSE;
    }
  return teken_atomic_file_write (out, layout->update, layout->update_len, error);

changed:
  close (fd);
  g_set_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_CHANGED,
               _("“%s” changed while it was being signed"), input);
  return FALSE;
}

static GBytes *
make_cms (Job           *job,
          const guint8  *digest,
          gsize          digest_len,
          GCancellable  *cancellable,
          GError       **error)
{
  TekenSigner *self = job->signer;
  g_autoptr(TekenCmsBuilder) builder = teken_cms_builder_new (self->key, job->digest);

  if (self->scheme_set)
    teken_cms_builder_set_scheme (builder, self->scheme);
  teken_cms_builder_set_cades (builder, self->subfilter == TEKEN_SUBFILTER_ETSI_CADES);
  teken_cms_builder_set_signing_time (builder, job->time);
  if (!teken_cms_builder_sign (builder, digest, digest_len, cancellable, error))
    return NULL;
  if (self->cms_hook != NULL && !self->cms_hook (builder, cancellable, self->cms_hook_data, error))
    return NULL;
  return teken_cms_builder_serialize (builder, error);
}

static gboolean
write_contents (Job              *job,
                Layout           *layout,
                TekenAtomicFile  *out,
                GBytes           *cms,
                GError          **error)
{
  static const char hex[] = "0123456789abcdef";
  gsize len;
  const guint8 *der = g_bytes_get_data (cms, &len);
  g_autofree char *text = NULL;

  if (len > job->contents_size)
    {
      /* translators: both are sizes in bytes */
      g_set_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_TOO_LARGE,
                   _("The signature (%lu bytes) does not fit the space reserved for it (%lu bytes)"),
                   (gulong) len, (gulong) job->contents_size);
      return FALSE;
    }
  text = g_malloc (len * 2);
  for (gsize i = 0; i < len; i++)
    {
      text[2 * i] = hex[der[i] >> 4];
      text[2 * i + 1] = hex[der[i] & 15];
    }
  /* the rest of the reserved hex stays '0' (padding after the DER, as other signers do) */
  return teken_atomic_file_pwrite (out, text, len * 2,
                                   layout->base_size + layout->contents_offset + 1, error);
}

static gboolean
check_files (const char  *input,
             const char  *output,
             GError     **error)
{
  GStatBuf in_st, out_st;
  g_autofree char *in_abs = g_canonicalize_filename (input, NULL);
  g_autofree char *out_abs = g_canonicalize_filename (output, NULL);

  if (g_strcmp0 (in_abs, out_abs) == 0 ||
      (g_stat (input, &in_st) == 0 && g_stat (output, &out_st) == 0 &&
       in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino))
    {
      g_set_error_literal (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_SAME_FILE,
                           _("The output file must not be the input file"));
      return FALSE;
    }
  return TRUE;
}

/* The /P of a certification signature's DocMDP transform (ISO 32000-1 §12.8.2.2), 0 if none. */
static gint64
docmdp_permissions (TekenPdfDocument *doc)
{
  g_autoptr(TekenPdfObject) catalog = teken_pdf_document_get_catalog (doc, NULL, NULL);
  g_autoptr(TekenPdfObject) perms = catalog ? teken_pdf_document_lookup (doc, catalog, "Perms", NULL) : NULL;
  g_autoptr(TekenPdfObject) sig = perms ? teken_pdf_document_lookup (doc, perms, "DocMDP", NULL) : NULL;
  g_autoptr(TekenPdfObject) refs = sig ? teken_pdf_document_lookup (doc, sig, "Reference", NULL) : NULL;

  for (guint i = 0; refs != NULL && i < teken_pdf_array_get_length (refs) && i < 16; i++)
    {
      g_autoptr(TekenPdfObject) ref = teken_pdf_document_resolve (doc, teken_pdf_array_get (refs, i), NULL);
      g_autoptr(TekenPdfObject) method = ref ? teken_pdf_document_lookup (doc, ref, "TransformMethod", NULL) : NULL;
      g_autoptr(TekenPdfObject) params = NULL;
      g_autoptr(TekenPdfObject) p = NULL;

      if (!teken_pdf_object_is_name (method, "DocMDP"))
        continue;
      params = teken_pdf_document_lookup (doc, ref, "TransformParams", NULL);
      p = params ? teken_pdf_document_lookup (doc, params, "P", NULL) : NULL;
      /* an absent /P means 2 */
      return p != NULL && teken_pdf_object_get_kind (p) == TEKEN_PDF_INTEGER ? teken_pdf_object_get_integer (p) : 2;
    }
  return 0;
}

static gboolean
open_document (Job         *job,
               const char  *input,
               GError     **error)
{
  job->doc = teken_pdf_document_new_for_path (input, error);
  if (job->doc == NULL)
    return FALSE;
  if (teken_pdf_document_is_encrypted (job->doc))
    {
      g_set_error_literal (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_ENCRYPTED,
                           _("Encrypted PDFs cannot be signed yet"));
      return FALSE;
    }
  /* Another signature would break the certification; P=2 and P=3 allow signing. */
  if (docmdp_permissions (job->doc) == 1)
    {
      g_set_error_literal (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_LOCKED,
                           _("The document is certified against any change, so it cannot be signed again"));
      return FALSE;
    }
  return TRUE;
}

gboolean
teken_signer_check_input (TekenSigner  *self,
                          const char   *input,
                          const char   *output,
                          GError      **error)
{
  Job job = { 0 };
  gboolean ok;

  g_return_val_if_fail (TEKEN_IS_SIGNER (self), FALSE);
  g_return_val_if_fail (input != NULL && output != NULL, FALSE);

  ok = check_files (input, output, error) && open_document (&job, input, error);
  job_clear (&job);
  return ok;
}

static void
prepare_job (TekenSigner *self,
             Job         *job)
{
  X509 *cert = teken_key_get_certificate (self->key);
  gsize estimate = teken_cms_estimate_size (self->key, TIMESTAMP_ROOM);

  job->signer = self;
  job->time = self->signing_time != NULL ? g_date_time_ref (self->signing_time)
                                         : g_date_time_new_now_local ();
  job->digest = self->digest;
  /* RFC 8419: Ed25519 with signed attributes uses SHA-512 */
  if (cert != NULL && EVP_PKEY_get_base_id (X509_get0_pubkey (cert)) == EVP_PKEY_ED25519)
    job->digest = TEKEN_DIGEST_SHA512;
  job->contents_size = MAX (MIN_CONTENTS_SIZE, (estimate + 1023) / 1024 * 1024);
}

gboolean
teken_signer_sign_file (TekenSigner              *self,
                        const char               *input,
                        const char               *output,
                        GCancellable             *cancellable,
                        TekenSignerProgressFunc   progress,
                        gpointer                  progress_data,
                        GError                  **error)
{
  Job job = { 0 };
  Layout layout = { 0 };
  g_autoptr(GBytes) serialized = NULL;
  g_autoptr(TekenAtomicFile) out = NULL;
  g_autoptr(EVP_MD_CTX) md_ctx = EVP_MD_CTX_new ();
  g_autoptr(GBytes) cms = NULL;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (TEKEN_IS_SIGNER (self), FALSE);
  g_return_val_if_fail (input != NULL && output != NULL, FALSE);

  if (self->key == NULL)
    {
      g_set_error_literal (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_NO_KEY,
                           _("No signing key was chosen"));
      return FALSE;
    }
  if (!check_files (input, output, error))
    return FALSE;

  prepare_job (self, &job);
  report (progress, progress_data, 0.0);
  if (!open_document (&job, input, error) ||
      !build_update (&job, error) ||
      (serialized = teken_pdf_update_serialize (job.update, error)) == NULL ||
      !locate_placeholders (&job, serialized, &layout, error))
    goto out;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  out = teken_atomic_file_new (output, error);
  if (out == NULL)
    goto out;
  if (EVP_DigestInit_ex (md_ctx, teken_digest_get_md (job.digest), NULL) != 1)
    {
      g_set_error_literal (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FAILED, _("Hashing failed"));
      goto out;
    }
  if (!copy_and_hash (&job, input, &layout, out, md_ctx, cancellable, progress, progress_data, error))
    goto out;
  EVP_DigestFinal_ex (md_ctx, digest, &digest_len);

  cms = make_cms (&job, digest, digest_len, cancellable, error);
  if (cms == NULL ||
      !write_contents (&job, &layout, out, cms, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !teken_atomic_file_commit (out, TRUE, error))
    goto out;
  report (progress, progress_data, 1.0);
  ok = TRUE;

out:
  if (layout.update != NULL)
    g_free (layout.update);
  job_clear (&job);
  return ok;
}

/* --- async --- */

typedef struct
{
  char *input;
  char *output;
  TekenSignerProgressFunc progress;
  gpointer progress_data;
  GMainContext *context;
} AsyncData;

static void
async_data_free (AsyncData *data)
{
  g_free (data->input);
  g_free (data->output);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data);
}

typedef struct
{
  TekenSignerProgressFunc progress;
  gpointer progress_data;
  double fraction;
} ProgressCall;

static gboolean
progress_idle_cb (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->progress (call->fraction, call->progress_data);
  return G_SOURCE_REMOVE;
}

static void
thread_progress_cb (double   fraction,
                    gpointer user_data)
{
  AsyncData *data = user_data;
  ProgressCall *call = g_new0 (ProgressCall, 1);

  call->progress = data->progress;
  call->progress_data = data->progress_data;
  call->fraction = fraction;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, progress_idle_cb, call, g_free);
}

static void
sign_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AsyncData *data = task_data;
  GError *error = NULL;

  if (teken_signer_sign_file (TEKEN_SIGNER (source_object), data->input, data->output, cancellable,
                              data->progress != NULL ? thread_progress_cb : NULL, data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
teken_signer_sign_file_async (TekenSigner              *self,
                              const char               *input,
                              const char               *output,
                              GCancellable             *cancellable,
                              TekenSignerProgressFunc   progress,
                              gpointer                  progress_data,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *data;

  g_return_if_fail (TEKEN_IS_SIGNER (self));
  g_return_if_fail (input != NULL && output != NULL);

  data = g_new0 (AsyncData, 1);
  data->input = g_strdup (input);
  data->output = g_strdup (output);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teken_signer_sign_file_async);
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, sign_thread);
}

gboolean
teken_signer_sign_file_finish (TekenSigner   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
