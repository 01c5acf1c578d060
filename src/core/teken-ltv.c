/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-ltv.h"
#include "teken-atomic-file.h"
#include "teken-pdf-update.h"
#include "teken-timestamp.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <openssl/err.h>

G_DEFINE_QUARK (teken-ltv-error-quark, teken_ltv_error)

#define MAX_FIELDS 10000
#define MAX_DEPTH 32

struct _TekenLtv
{
  GObject parent_instance;

  TekenTsaClient *tsa;
  TekenRevocationChecker *checker;
  STACK_OF (X509) *pool;
};

G_DEFINE_FINAL_TYPE (TekenLtv, teken_ltv, G_TYPE_OBJECT)

/* --- Finding signatures -------------------------------------------------------------------- */

void
teken_ltv_signature_free (TekenLtvSignature *sig)
{
  if (sig == NULL)
    return;
  g_free (sig->field_name);
  g_clear_pointer (&sig->contents, g_bytes_unref);
  g_free (sig);
}

static void
check_signature (TekenPdfDocument *doc,
                 TekenPdfObject   *field,
                 const char       *name,
                 GPtrArray        *out)
{
  g_autoptr(TekenPdfObject) v = teken_pdf_document_lookup (doc, field, "V", NULL);
  g_autoptr(TekenPdfObject) range = NULL;
  TekenPdfObject *contents;
  TekenLtvSignature *sig;
  const guint8 *data;
  gsize len = 0;

  if (v == NULL || teken_pdf_object_get_kind (v) != TEKEN_PDF_DICT)
    return;
  range = teken_pdf_document_lookup (doc, v, "ByteRange", NULL);
  contents = teken_pdf_dict_get (v, "Contents");
  data = contents ? teken_pdf_object_get_string (contents, &len) : NULL;
  if (range == NULL || teken_pdf_object_get_kind (range) != TEKEN_PDF_ARRAY ||
      teken_pdf_array_get_length (range) != 4 || data == NULL || len == 0)
    return;

  sig = g_new0 (TekenLtvSignature, 1);
  sig->field_name = g_strdup (name ? name : "");
  for (guint i = 0; i < 4; i++)
    sig->byte_range[i] = teken_pdf_object_get_integer (teken_pdf_array_get (range, i));
  sig->contents = g_bytes_new (data, len);
  sig->is_document_timestamp = teken_pdf_object_is_name (teken_pdf_dict_get (v, "Type"), "DocTimeStamp") ||
                               teken_pdf_object_is_name (teken_pdf_dict_get (v, "SubFilter"), "ETSI.RFC3161");
  g_ptr_array_add (out, sig);
}

static void
walk_fields (TekenPdfDocument *doc,
             TekenPdfObject   *fields,
             const char       *parent,
             gboolean          parent_is_sig,
             guint             depth,
             GHashTable       *seen,
             GPtrArray        *out)
{
  if (depth > MAX_DEPTH || fields == NULL || teken_pdf_object_get_kind (fields) != TEKEN_PDF_ARRAY)
    return;
  for (guint i = 0; i < teken_pdf_array_get_length (fields) && g_hash_table_size (seen) < MAX_FIELDS; i++)
    {
      TekenPdfObject *item = teken_pdf_array_get (fields, i);
      g_autoptr(TekenPdfObject) field = NULL;
      g_autoptr(TekenPdfObject) kids = NULL;
      g_autofree char *partial = NULL;
      g_autofree char *full = NULL;
      TekenPdfObject *ft;
      gboolean is_sig;

      if (teken_pdf_object_get_kind (item) == TEKEN_PDF_REFERENCE)
        {
          guint num = teken_pdf_object_get_ref_num (item);

          /* Loops in /Kids are possible in hostile files. */
          if (g_hash_table_contains (seen, GUINT_TO_POINTER (num)))
            continue;
          g_hash_table_add (seen, GUINT_TO_POINTER (num));
        }
      field = teken_pdf_document_resolve (doc, item, NULL);
      if (field == NULL || teken_pdf_object_get_kind (field) != TEKEN_PDF_DICT)
        continue;
      partial = teken_pdf_dict_get (field, "T") ? teken_pdf_object_get_text (teken_pdf_dict_get (field, "T")) : NULL;
      full = parent && partial ? g_strconcat (parent, ".", partial, NULL)
                               : g_strdup (partial ? partial : parent);
      ft = teken_pdf_dict_get (field, "FT");
      is_sig = ft ? teken_pdf_object_is_name (ft, "Sig") : parent_is_sig;
      kids = teken_pdf_document_lookup (doc, field, "Kids", NULL);
      if (is_sig)
        check_signature (doc, field, full, out);
      if (kids != NULL)
        walk_fields (doc, kids, full, is_sig, depth + 1, seen, out);
    }
}

GPtrArray *
teken_ltv_find_signatures (TekenPdfDocument  *document,
                           GError           **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) teken_ltv_signature_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(TekenPdfObject) catalog = teken_pdf_document_get_catalog (document, NULL, error);
  g_autoptr(TekenPdfObject) acroform = NULL;
  g_autoptr(TekenPdfObject) fields = NULL;

  if (catalog == NULL)
    return NULL;
  acroform = teken_pdf_document_lookup (document, catalog, "AcroForm", NULL);
  if (acroform != NULL && teken_pdf_object_get_kind (acroform) == TEKEN_PDF_DICT)
    fields = teken_pdf_document_lookup (document, acroform, "Fields", NULL);
  walk_fields (document, fields, NULL, FALSE, 0, seen, out);
  return g_steal_pointer (&out);
}

/* --- Object -------------------------------------------------------------------------------- */

static void
teken_ltv_finalize (GObject *object)
{
  TekenLtv *self = TEKEN_LTV (object);

  g_clear_object (&self->tsa);
  g_clear_object (&self->checker);
  sk_X509_pop_free (self->pool, X509_free);
  G_OBJECT_CLASS (teken_ltv_parent_class)->finalize (object);
}

static void
teken_ltv_class_init (TekenLtvClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_ltv_finalize;
}

static void
teken_ltv_init (TekenLtv *self)
{
}

TekenLtv *
teken_ltv_new (void)
{
  return g_object_new (TEKEN_TYPE_LTV, NULL);
}

void
teken_ltv_set_tsa (TekenLtv       *self,
                   TekenTsaClient *tsa)
{
  g_return_if_fail (TEKEN_IS_LTV (self));
  g_set_object (&self->tsa, tsa);
}

void
teken_ltv_set_checker (TekenLtv               *self,
                       TekenRevocationChecker *checker)
{
  g_return_if_fail (TEKEN_IS_LTV (self));
  g_set_object (&self->checker, checker);
}

void
teken_ltv_set_pool (TekenLtv        *self,
                    STACK_OF (X509) *pool)
{
  g_return_if_fail (TEKEN_IS_LTV (self));
  sk_X509_pop_free (self->pool, X509_free);
  self->pool = pool ? X509_chain_up_ref (pool) : NULL;
}

static gboolean
need_tsa (TekenLtv  *self,
          GError   **error)
{
  if (self->tsa != NULL)
    return TRUE;
  g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_NOT_CONFIGURED,
                       _("No time-stamp server is configured; give one with --tsa or in the settings"));
  return FALSE;
}

static GPtrArray *
open_signatures (const char        *input,
                 TekenPdfDocument **doc_out,
                 GError           **error)
{
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (input, error);
  g_autoptr(GPtrArray) sigs = NULL;

  if (doc == NULL)
    return NULL;
  sigs = teken_ltv_find_signatures (doc, error);
  if (sigs == NULL)
    return NULL;
  if (sigs->len == 0)
    {
      g_set_error_literal (error, TEKEN_LTV_ERROR, TEKEN_LTV_ERROR_NO_SIGNATURES,
                           _("The document has no signatures"));
      return NULL;
    }
  *doc_out = g_steal_pointer (&doc);
  return g_steal_pointer (&sigs);
}

/* --- B-T: rewrite the newest signature's /Contents ------------------------------------------ */

static gboolean
copy_with_patch (TekenPdfDocument  *doc,
                 const char        *output,
                 goffset            patch_at,
                 const char        *patch,
                 gsize              patch_len,
                 GError           **error)
{
  g_autoptr(TekenAtomicFile) file = teken_atomic_file_new (output, error);

  if (file == NULL || !teken_pdf_document_copy_to (doc, file, error))
    return FALSE;
  if (!teken_atomic_file_pwrite (file, patch, patch_len, patch_at, error))
    return FALSE;
  return teken_atomic_file_commit (file, TRUE, error);
}

gboolean
teken_ltv_timestamp_signature (TekenLtv      *self,
                               const char    *input,
                               const char    *output,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(GPtrArray) sigs = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GString) hex = NULL;
  TekenLtvSignature *newest = NULL;
  guint8 delim[2];
  gsize slot;

  g_return_val_if_fail (TEKEN_IS_LTV (self), FALSE);
  if (!need_tsa (self, error) || (sigs = open_signatures (input, &doc, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < sigs->len; i++)
    {
      TekenLtvSignature *s = g_ptr_array_index (sigs, i);

      if (!s->is_document_timestamp &&
          (newest == NULL || s->byte_range[2] > newest->byte_range[2]))
        newest = s;
    }
  if (newest == NULL)
    {
      g_set_error_literal (error, TEKEN_LTV_ERROR, TEKEN_LTV_ERROR_NO_SIGNATURES,
                           _("The document has no signatures"));
      return FALSE;
    }

  /* The gap between the two ranges must be exactly the hex string <...>. */
  slot = newest->byte_range[2] - newest->byte_range[1];
  if (newest->byte_range[1] <= 0 || slot < 2 || slot - 2 != 2 * g_bytes_get_size (newest->contents) ||
      !teken_pdf_document_read (doc, newest->byte_range[1], delim, 1, NULL) ||
      !teken_pdf_document_read (doc, newest->byte_range[2] - 1, delim + 1, 1, NULL) ||
      delim[0] != '<' || delim[1] != '>')
    {
      g_set_error_literal (error, TEKEN_LTV_ERROR, TEKEN_LTV_ERROR_FAILED,
                           _("The signature’s byte range does not match its contents; it cannot be time-stamped"));
      return FALSE;
    }

  cms = teken_timestamp_add_to_cms (newest->contents, self->tsa, cancellable, error);
  if (cms == NULL)
    return FALSE;
  if (2 * g_bytes_get_size (cms) > slot - 2)
    {
      g_set_error_literal (error, TEKEN_LTV_ERROR, TEKEN_LTV_ERROR_TOO_LARGE,
                           _("The time stamp does not fit in the space the signature reserved"));
      return FALSE;
    }
  hex = g_string_sized_new (slot - 2);
  {
    gsize len;
    const guint8 *d = g_bytes_get_data (cms, &len);

    for (gsize i = 0; i < len; i++)
      g_string_append_printf (hex, "%02X", d[i]);
  }
  while (hex->len < slot - 2)
    g_string_append_c (hex, '0');
  return copy_with_patch (doc, output, newest->byte_range[1] + 1, hex->str, hex->len, error);
}

/* --- B-LT: DSS ------------------------------------------------------------------------------ */

static TekenRevocationChecker *
get_checker (TekenLtv *self)
{
  if (self->checker == NULL)
    self->checker = teken_revocation_checker_new (NULL);
  return self->checker;
}

/* Signer certificate and all certificates of a CMS SignedData (a signature or a token). */
static X509 *
cms_signer (GBytes           *der,
            STACK_OF (X509) **certs_out)
{
  const unsigned char *p = g_bytes_get_data (der, NULL);
  g_autoptr(CMS_ContentInfo) ci = d2i_CMS_ContentInfo (NULL, &p, g_bytes_get_size (der));
  STACK_OF (X509) *certs;
  CMS_SignerInfo *si;
  X509 *signer = NULL;

  if (ci == NULL || (certs = CMS_get1_certs (ci)) == NULL)
    {
      ERR_clear_error ();
      return NULL;
    }
  si = sk_CMS_SignerInfo_value (CMS_get0_SignerInfos (ci), 0);
  for (int i = 0; si != NULL && i < sk_X509_num (certs) && signer == NULL; i++)
    if (CMS_SignerInfo_cert_cmp (si, sk_X509_value (certs, i)) == 0)
      {
        signer = sk_X509_value (certs, i);
        X509_up_ref (signer);
      }
  *certs_out = certs;
  ERR_clear_error ();
  return signer;
}

static void
merge_data (TekenValidationData *into,
            TekenValidationData *from)
{
  for (guint i = 0; i < from->certs->len; i++)
    if (!g_ptr_array_find_with_equal_func (into->certs, g_ptr_array_index (from->certs, i), (GEqualFunc) g_bytes_equal, NULL))
      g_ptr_array_add (into->certs, g_bytes_ref (g_ptr_array_index (from->certs, i)));
  for (guint i = 0; i < from->ocsps->len; i++)
    if (!g_ptr_array_find_with_equal_func (into->ocsps, g_ptr_array_index (from->ocsps, i), (GEqualFunc) g_bytes_equal, NULL))
      g_ptr_array_add (into->ocsps, g_bytes_ref (g_ptr_array_index (from->ocsps, i)));
  for (guint i = 0; i < from->crls->len; i++)
    if (!g_ptr_array_find_with_equal_func (into->crls, g_ptr_array_index (from->crls, i), (GEqualFunc) g_bytes_equal, NULL))
      g_ptr_array_add (into->crls, g_bytes_ref (g_ptr_array_index (from->crls, i)));
}

/* Validation data for one CMS (signature or token): its signer's chain. */
static gboolean
gather_cms (TekenLtv             *self,
            GBytes               *der,
            gboolean              require_leaf,
            TekenValidationData  *data,
            GCancellable         *cancellable,
            GError              **error)
{
  g_autoptr(TekenX509Stack) certs = NULL;
  g_autoptr(X509) signer = cms_signer (der, &certs);

  if (signer == NULL)
    {
      g_set_error_literal (error, TEKEN_LTV_ERROR, TEKEN_LTV_ERROR_FAILED,
                           _("The signer’s certificate is not in the signature, so no validation data can be gathered"));
      return FALSE;
    }
  for (int i = 0; self->pool != NULL && i < sk_X509_num (self->pool); i++)
    {
      X509_up_ref (sk_X509_value (self->pool, i));
      sk_X509_push (certs, sk_X509_value (self->pool, i));
    }
  return teken_revocation_checker_gather (get_checker (self), signer, certs, require_leaf, data,
                                          cancellable, error);
}

gboolean
teken_ltv_add_validation_data (TekenLtv      *self,
                               const char    *input,
                               const char    *output,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(GPtrArray) sigs = NULL;
  g_autoptr(TekenValidationData) all = teken_validation_data_new ();
  g_autoptr(GHashTable) vri = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                     (GDestroyNotify) teken_validation_data_free);
  g_autoptr(TekenPdfUpdate) update = NULL;

  g_return_val_if_fail (TEKEN_IS_LTV (self), FALSE);
  if ((sigs = open_signatures (input, &doc, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < sigs->len; i++)
    {
      TekenLtvSignature *s = g_ptr_array_index (sigs, i);
      g_autoptr(TekenValidationData) data = teken_validation_data_new ();
      g_autoptr(GBytes) token = NULL;

      if (!gather_cms (self, s->contents, !s->is_document_timestamp, data, cancellable, error))
        return FALSE;
      /* The signature time stamp's TSA chain too. */
      if (!s->is_document_timestamp &&
          teken_timestamp_cms_get_token (s->contents, NULL, &token, NULL) && token != NULL &&
          !gather_cms (self, token, FALSE, data, cancellable, error))
        return FALSE;
      merge_data (all, data);
      g_hash_table_replace (vri, teken_dss_vri_key (g_bytes_get_data (s->contents, NULL),
                                                     g_bytes_get_size (s->contents)),
                            g_steal_pointer (&data));
    }

  update = teken_pdf_update_new (doc);
  if (!teken_dss_add_to_update (update, all, vri, error))
    return FALSE;
  return teken_pdf_update_write_to_path (update, output, error);
}

/* --- B-LTA ---------------------------------------------------------------------------------- */

gboolean
teken_ltv_timestamp_document (TekenLtv      *self,
                              const char    *input,
                              const char    *output,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(TekenPdfDocument) doc = NULL;

  g_return_val_if_fail (TEKEN_IS_LTV (self), FALSE);
  if (!need_tsa (self, error))
    return FALSE;
  doc = teken_pdf_document_new_for_path (input, error);
  if (doc == NULL)
    return FALSE;
  return teken_timestamp_document (doc, output, self->tsa, cancellable, error);
}

/* --- Levels --------------------------------------------------------------------------------- */

static gboolean
copy_file (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (from, error);

  return doc != NULL && copy_with_patch (doc, to, 0, "", 0, error);
}

gboolean
teken_ltv_raise (TekenLtv         *self,
                 const char       *signed_input,
                 const char       *output,
                 TekenPadesLevel   level,
                 gboolean          fallback,
                 TekenPadesLevel  *reached,
                 GError          **step_error,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autofree char *dir = g_path_get_dirname (output);
  g_autofree char *tmpl = g_build_filename (dir, ".teken-ltv-XXXXXX", NULL);
  g_autofree char *tmp_dir = NULL;
  g_autofree char *cur = g_strdup (signed_input);
  g_autoptr(GError) local_error = NULL;
  TekenPadesLevel got = TEKEN_PADES_LEVEL_B_B;
  gboolean ok = TRUE;
  static const char *names[] = { NULL, "b-t.pdf", "b-lt.pdf", "b-lta.pdf" };

  g_return_val_if_fail (TEKEN_IS_LTV (self), FALSE);
  tmp_dir = g_mkdtemp (g_steal_pointer (&tmpl));
  if (tmp_dir == NULL)
    {
      int saved = errno;

      /* translators: the first %s is a folder, the second the reason */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create a temporary file in %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  for (TekenPadesLevel step = TEKEN_PADES_LEVEL_B_T; step <= level && ok; step++)
    {
      g_autofree char *next = g_build_filename (tmp_dir, names[step], NULL);

      if (step == TEKEN_PADES_LEVEL_B_T)
        ok = teken_ltv_timestamp_signature (self, cur, next, cancellable, &local_error);
      else if (step == TEKEN_PADES_LEVEL_B_LT)
        ok = teken_ltv_add_validation_data (self, cur, next, cancellable, &local_error);
      else
        ok = teken_ltv_timestamp_document (self, cur, next, cancellable, &local_error);
      if (ok)
        {
          g_free (cur);
          cur = g_steal_pointer (&next);
          got = step;
        }
    }

  if (!ok && (!fallback || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    {
      if (local_error != NULL && step_error != NULL)
        *step_error = g_steal_pointer (&local_error);
      if (reached)
        *reached = got;
      if (g_strcmp0 (cur, signed_input) == 0)
        ok = copy_file (cur, output, error);
      else if (g_rename (cur, output) != 0)
        {
          int saved = errno;

          /* translators: the first %s is a file name, the second the reason */
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not write “%s”: %s"), output, g_strerror (saved));
          ok = FALSE;
        }
      else
        ok = TRUE;
    }

  /* Whatever is left in the temporary directory goes. */
  {
    g_autoptr(GDir) d = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  return ok;
}
