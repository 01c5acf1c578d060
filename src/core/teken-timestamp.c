/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-timestamp.h"
#include "teken-atomic-file.h"
#include "teken-ltv.h"

#include <openssl/err.h>

#define TIMESTAMP_TOKEN_OID "1.2.840.113549.1.9.16.2.14"
#define BYTE_RANGE_PLACEHOLDER "[0 0000000000 0000000000 0000000000]"
#define COPY_CHUNK (1024 * 1024)

static gboolean
cms_error (GError    **error,
           const char *message)
{
  ERR_clear_error ();
  g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_INVALID_TOKEN, message);
  return FALSE;
}

gboolean
teken_timestamp_add_to_cms_builder (TekenCmsBuilder  *builder,
                                    TekenTsaClient   *tsa,
                                    GCancellable     *cancellable,
                                    GError          **error)
{
  g_autoptr(GBytes) value = teken_cms_builder_get_signature_value (builder);
  g_autoptr(GBytes) token = NULL;

  if (value == NULL)
    return cms_error (error, _("The signature has no value to time-stamp"));
  token = teken_tsa_client_stamp_sync (tsa, g_bytes_get_data (value, NULL), g_bytes_get_size (value),
                                       cancellable, error);
  if (token == NULL)
    return FALSE;
  return teken_cms_builder_add_unsigned_attribute (builder, TIMESTAMP_TOKEN_OID, token, error);
}

static CMS_ContentInfo *
parse_cms (GBytes  *cms,
           GError **error)
{
  const unsigned char *p = g_bytes_get_data (cms, NULL);
  CMS_ContentInfo *ci = d2i_CMS_ContentInfo (NULL, &p, g_bytes_get_size (cms));

  if (ci == NULL || OBJ_obj2nid (CMS_get0_type (ci)) != NID_pkcs7_signed ||
      sk_CMS_SignerInfo_num (CMS_get0_SignerInfos (ci)) < 1)
    {
      CMS_ContentInfo_free (ci);
      cms_error (error, _("The signature data cannot be read"));
      return NULL;
    }
  return ci;
}

gboolean
teken_timestamp_cms_get_token (GBytes  *cms,
                               GBytes **signature_value,
                               GBytes **token,
                               GError **error)
{
  g_autoptr(CMS_ContentInfo) ci = parse_cms (cms, error);
  CMS_SignerInfo *si;
  ASN1_OCTET_STRING *sig;
  int idx;

  if (ci == NULL)
    return FALSE;
  si = sk_CMS_SignerInfo_value (CMS_get0_SignerInfos (ci), 0);
  sig = CMS_SignerInfo_get0_signature (si);
  if (signature_value)
    *signature_value = g_bytes_new (ASN1_STRING_get0_data (sig), ASN1_STRING_length (sig));
  if (token)
    {
      *token = NULL;
      idx = CMS_unsigned_get_attr_by_NID (si, NID_id_smime_aa_timeStampToken, -1);
      if (idx >= 0)
        {
          X509_ATTRIBUTE *attr = CMS_unsigned_get_attr (si, idx);
          ASN1_TYPE *value = X509_ATTRIBUTE_get0_type (attr, 0);

          if (value != NULL && value->type == V_ASN1_SEQUENCE)
            *token = g_bytes_new (value->value.sequence->data, value->value.sequence->length);
        }
    }
  ERR_clear_error ();
  return TRUE;
}

GBytes *
teken_timestamp_add_to_cms (GBytes          *cms,
                            TekenTsaClient  *tsa,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr(CMS_ContentInfo) ci = parse_cms (cms, error);
  g_autoptr(GBytes) token = NULL;
  CMS_SignerInfo *si;
  ASN1_OCTET_STRING *sig;
  unsigned char *der = NULL;
  int len;
  GBytes *result;

  if (ci == NULL)
    return NULL;
  si = sk_CMS_SignerInfo_value (CMS_get0_SignerInfos (ci), 0);
  /* One signature time stamp: replacing would hide an older, maybe earlier one. */
  if (CMS_unsigned_get_attr_by_NID (si, NID_id_smime_aa_timeStampToken, -1) >= 0)
    {
      g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_INVALID_TOKEN,
                           _("The signature already has a time stamp"));
      return NULL;
    }
  sig = CMS_SignerInfo_get0_signature (si);
  token = teken_tsa_client_stamp_sync (tsa, ASN1_STRING_get0_data (sig), ASN1_STRING_length (sig),
                                       cancellable, error);
  if (token == NULL)
    return NULL;
  if (!CMS_unsigned_add1_attr_by_NID (si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
                                      g_bytes_get_data (token, NULL), g_bytes_get_size (token)) ||
      (len = i2d_CMS_ContentInfo (ci, &der)) <= 0)
    return cms_error (error, _("The time stamp could not be added to the signature")), NULL;
  result = g_bytes_new (der, len);
  OPENSSL_free (der);
  return result;
}

/* --- Document time stamps ------------------------------------------------------------------ */

typedef struct
{
  gsize contents_start;   /* offset of '<' inside the update bytes */
  gsize contents_end;     /* just after '>' */
  gsize range_start;      /* offset of '[' of the ByteRange placeholder */
} Layout;

static gboolean
find_placeholders (GBytes   *update,
                   gsize     from,
                   Layout   *layout,
                   GError  **error)
{
  gsize len;
  const char *data = g_bytes_get_data (update, &len);
  const char *end = data + len;
  const char *p = g_strstr_len (data + from, len - from, "/ByteRange");
  const char *q;

  if (p != NULL)
    p = g_strstr_len (p, end - p, BYTE_RANGE_PLACEHOLDER);
  q = g_strstr_len (data + from, len - from, "/Contents");
  if (q != NULL)
    q = memchr (q, '<', end - q);
  if (p == NULL || q == NULL)
    {
      g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_INVALID_TOKEN,
                           _("Internal error: the time-stamp placeholders were not written"));
      return FALSE;
    }
  layout->range_start = p - data;
  layout->contents_start = q - data;
  layout->contents_end = layout->contents_start + 2 + 2 * TEKEN_DOC_TIMESTAMP_CONTENTS_SIZE;
  return layout->contents_end <= len;
}

/* "DocTimeStamp<N>", N one more than the signed fields so far (and not taken by one of them). */
static char *
free_field_name (TekenPdfDocument *doc)
{
  g_autoptr(GPtrArray) sigs = teken_ltv_find_signatures (doc, NULL);
  guint n = sigs ? sigs->len + 1 : 1;

  for (;; n++)
    {
      g_autofree char *name = g_strdup_printf ("DocTimeStamp%u", n);
      gboolean taken = FALSE;

      for (guint i = 0; sigs != NULL && i < sigs->len && !taken; i++)
        taken = g_strcmp0 (((TekenLtvSignature *) g_ptr_array_index (sigs, i))->field_name, name) == 0;
      if (!taken)
        return g_steal_pointer (&name);
    }
}

/* The invisible widget + field, added to /AcroForm /Fields and the first page's /Annots. */
static gboolean
add_field (TekenPdfUpdate  *update,
           guint            sig_num,
           GError         **error)
{
  TekenPdfDocument *doc = teken_pdf_update_get_base (update);
  g_autoptr(TekenPdfObject) catalog = NULL;
  g_autoptr(TekenPdfObject) page = NULL;
  g_autoptr(TekenPdfObject) acroform = NULL;
  g_autoptr(TekenPdfObject) fields = NULL;
  g_autoptr(TekenPdfObject) annots = NULL;
  TekenPdfObject *acro_ref;
  TekenPdfObject *widget;
  TekenPdfObject *rect;
  TekenPdfObject *new_acro, *new_fields, *new_page, *new_catalog = NULL;
  guint catalog_num = 0, page_num = 0, widget_num;
  g_autofree char *name = NULL;

  catalog = teken_pdf_document_get_catalog (doc, &catalog_num, error);
  if (catalog == NULL)
    return FALSE;
  {
    g_autoptr(TekenPdfObject) current = teken_pdf_update_get_object (update, catalog_num, error);

    if (current == NULL)
      return FALSE;
    g_clear_pointer (&catalog, teken_pdf_object_unref);
    catalog = teken_pdf_object_ref (current);
  }
  page = teken_pdf_document_get_page (doc, 0, &page_num, error);
  if (page == NULL)
    return FALSE;

  widget = teken_pdf_dict_new ();
  rect = teken_pdf_array_new ();
  for (int i = 0; i < 4; i++)
    teken_pdf_array_append (rect, teken_pdf_integer_new (0));
  name = free_field_name (doc);
  teken_pdf_dict_set (widget, "Type", teken_pdf_name_new ("Annot"));
  teken_pdf_dict_set (widget, "Subtype", teken_pdf_name_new ("Widget"));
  teken_pdf_dict_set (widget, "FT", teken_pdf_name_new ("Sig"));
  teken_pdf_dict_set (widget, "T", teken_pdf_string_new_text (name));
  teken_pdf_dict_set (widget, "F", teken_pdf_integer_new (132));   /* Hidden | Locked */
  teken_pdf_dict_set (widget, "Rect", rect);
  teken_pdf_dict_set (widget, "P", teken_pdf_reference_new (page_num, 0));
  teken_pdf_dict_set (widget, "V", teken_pdf_reference_new (sig_num, 0));
  widget_num = teken_pdf_update_add_object (update, widget);

  /* AcroForm: indirect -> replace that object; direct or absent -> a new catalog copy. */
  acro_ref = teken_pdf_dict_get (catalog, "AcroForm");
  acroform = teken_pdf_document_lookup (doc, catalog, "AcroForm", NULL);
  new_acro = acroform && teken_pdf_object_get_kind (acroform) == TEKEN_PDF_DICT
             ? teken_pdf_object_copy (acroform) : teken_pdf_dict_new ();
  fields = teken_pdf_document_lookup (doc, new_acro, "Fields", NULL);
  new_fields = fields && teken_pdf_object_get_kind (fields) == TEKEN_PDF_ARRAY
               ? teken_pdf_object_copy (fields) : teken_pdf_array_new ();
  teken_pdf_array_append (new_fields, teken_pdf_reference_new (widget_num, 0));
  teken_pdf_dict_set (new_acro, "Fields", new_fields);
  teken_pdf_dict_set (new_acro, "SigFlags", teken_pdf_integer_new (3));
  if (acro_ref != NULL && teken_pdf_object_get_kind (acro_ref) == TEKEN_PDF_REFERENCE &&
      acroform != NULL && teken_pdf_object_get_kind (acroform) == TEKEN_PDF_DICT)
    teken_pdf_update_set_object (update, teken_pdf_object_get_ref_num (acro_ref), new_acro);
  else
    {
      new_catalog = teken_pdf_object_copy (catalog);
      teken_pdf_dict_set (new_catalog, "AcroForm", new_acro);
      teken_pdf_update_set_object (update, catalog_num, new_catalog);
    }

  /* The first page's /Annots (an indirect array is replaced in place). */
  {
    TekenPdfObject *annots_ref;
    g_autoptr(TekenPdfObject) current_page = teken_pdf_update_get_object (update, page_num, error);

    if (current_page == NULL)
      return FALSE;
    annots_ref = teken_pdf_dict_get (current_page, "Annots");
    annots = teken_pdf_document_lookup (doc, current_page, "Annots", NULL);
    if (annots_ref != NULL && teken_pdf_object_get_kind (annots_ref) == TEKEN_PDF_REFERENCE &&
        annots != NULL && teken_pdf_object_get_kind (annots) == TEKEN_PDF_ARRAY)
      {
        TekenPdfObject *copy = teken_pdf_object_copy (annots);

        teken_pdf_array_append (copy, teken_pdf_reference_new (widget_num, 0));
        teken_pdf_update_set_object (update, teken_pdf_object_get_ref_num (annots_ref), copy);
      }
    else
      {
        TekenPdfObject *array = annots && teken_pdf_object_get_kind (annots) == TEKEN_PDF_ARRAY
                                ? teken_pdf_object_copy (annots) : teken_pdf_array_new ();

        new_page = teken_pdf_object_copy (current_page);
        teken_pdf_array_append (array, teken_pdf_reference_new (widget_num, 0));
        teken_pdf_dict_set (new_page, "Annots", array);
        teken_pdf_update_set_object (update, page_num, new_page);
      }
  }
  return TRUE;
}

static gboolean
hash_ranges (TekenPdfDocument  *doc,
             GBytes            *update,
             const Layout      *layout,
             const EVP_MD      *md,
             guint8            *digest,
             unsigned int      *digest_len,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autoptr(EVP_MD_CTX) ctx = EVP_MD_CTX_new ();
  g_autofree guint8 *buf = g_malloc (COPY_CHUNK);
  gsize size = teken_pdf_document_get_size (doc);
  gsize ulen;
  const guint8 *udata = g_bytes_get_data (update, &ulen);

  EVP_DigestInit_ex (ctx, md, NULL);
  for (gsize off = 0; off < size; off += COPY_CHUNK)
    {
      gsize n = MIN (COPY_CHUNK, size - off);

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !teken_pdf_document_read (doc, off, buf, n, error))
        return FALSE;
      EVP_DigestUpdate (ctx, buf, n);
    }
  EVP_DigestUpdate (ctx, udata, layout->contents_start);
  EVP_DigestUpdate (ctx, udata + layout->contents_end, ulen - layout->contents_end);
  return EVP_DigestFinal_ex (ctx, digest, digest_len) == 1;
}

static gboolean
write_output (TekenPdfDocument  *doc,
              const char        *output,
              GBytes            *update,
              GError           **error)
{
  g_autoptr(TekenAtomicFile) file = teken_atomic_file_new (output, error);

  if (file == NULL || !teken_pdf_document_copy_to (doc, file, error))
    return FALSE;
  if (!teken_atomic_file_write (file, g_bytes_get_data (update, NULL), g_bytes_get_size (update), error))
    return FALSE;
  return teken_atomic_file_commit (file, TRUE, error);
}

gboolean
teken_timestamp_document (TekenPdfDocument  *input,
                          const char        *output,
                          TekenTsaClient    *tsa,
                          GCancellable      *cancellable,
                          GError           **error)
{
  g_autoptr(TekenPdfUpdate) update = teken_pdf_update_new (input);
  g_autoptr(GBytes) serialized = NULL;
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GString) contents = g_string_sized_new (2 * TEKEN_DOC_TIMESTAMP_CONTENTS_SIZE + 2);
  g_autofree char *range = NULL;
  TekenPdfObject *sig;
  guint sig_num;
  gsize base = teken_pdf_document_get_size (input);
  gsize total;
  Layout layout;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  guint8 *bytes;
  gsize token_len;

  if (teken_pdf_document_is_encrypted (input))
    {
      g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_ENCRYPTED,
                           _("Encrypted documents cannot be time-stamped yet"));
      return FALSE;
    }

  g_string_append_c (contents, '<');
  for (guint i = 0; i < 2 * TEKEN_DOC_TIMESTAMP_CONTENTS_SIZE; i++)
    g_string_append_c (contents, '0');
  g_string_append_c (contents, '>');

  sig = teken_pdf_dict_new ();
  teken_pdf_dict_set (sig, "Type", teken_pdf_name_new ("DocTimeStamp"));
  teken_pdf_dict_set (sig, "Filter", teken_pdf_name_new ("Adobe.PPKLite"));
  teken_pdf_dict_set (sig, "SubFilter", teken_pdf_name_new ("ETSI.RFC3161"));
  teken_pdf_dict_set (sig, "ByteRange", teken_pdf_raw_new (BYTE_RANGE_PLACEHOLDER, strlen (BYTE_RANGE_PLACEHOLDER)));
  teken_pdf_dict_set (sig, "Contents", teken_pdf_raw_new (contents->str, contents->len));
  sig_num = teken_pdf_update_add_object (update, sig);
  if (!add_field (update, sig_num, error))
    return FALSE;

  serialized = teken_pdf_update_serialize (update, error);
  if (serialized == NULL)
    return FALSE;
  if (!find_placeholders (serialized, teken_pdf_update_get_object_offset (update, sig_num) - base,
                          &layout, error))
    return FALSE;
  total = base + g_bytes_get_size (serialized);

  range = g_strdup_printf ("[0 %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT,
                           base + layout.contents_start, base + layout.contents_end,
                           total - (base + layout.contents_end));
  if (strlen (range) + 1 > strlen (BYTE_RANGE_PLACEHOLDER))
    return cms_error (error, _("The document is too large to time-stamp")), FALSE;

  /* Patch the ByteRange (padded with spaces) in a private copy of the update. */
  bytes = g_bytes_unref_to_data (g_steal_pointer (&serialized), &token_len);
  serialized = g_bytes_new_take (bytes, token_len);
  memset (bytes + layout.range_start, ' ', strlen (BYTE_RANGE_PLACEHOLDER));
  memcpy (bytes + layout.range_start, range, strlen (range));
  bytes[layout.range_start + strlen (BYTE_RANGE_PLACEHOLDER) - 1] = ']';

  if (!hash_ranges (input, serialized, &layout, EVP_sha256 (), digest, &digest_len, cancellable, error))
    return FALSE;
  token = teken_tsa_client_stamp_digest_sync (tsa, EVP_sha256 (), digest, digest_len, cancellable, error);
  if (token == NULL)
    return FALSE;
  if (g_bytes_get_size (token) > TEKEN_DOC_TIMESTAMP_CONTENTS_SIZE)
    return cms_error (error, _("The time stamp is larger than the space reserved for it")), FALSE;

  {
    const guint8 *t = g_bytes_get_data (token, &token_len);
    static const char hex[] = "0123456789ABCDEF";

    for (gsize i = 0; i < token_len; i++)
      {
        bytes[layout.contents_start + 1 + 2 * i] = hex[t[i] >> 4];
        bytes[layout.contents_start + 2 + 2 * i] = hex[t[i] & 15];
      }
  }
  return write_output (input, output, serialized, error);
}
