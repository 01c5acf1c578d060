/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "verify-test-util.h"

#include <stdarg.h>
#include <string.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ess.h>

#define CONTENTS_HEX 32768
#define BR_PLACEHOLDER "[0 0000000000 0000000000 0000000000]"

TekenTrustStore *
vt_store (void)
{
  TekenTrustStore *store = teken_trust_store_new ();
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autoptr(GError) error = NULL;

  g_assert_true (teken_trust_store_add_anchor_file (store, root, &error));
  g_assert_no_error (error);
  return store;
}

TekenDocumentResult *
vt_try_verify (const char  *path,
               GError     **error)
{
  g_autoptr(TekenVerifier) verifier = teken_verifier_new ();
  g_autoptr(TekenTrustStore) store = vt_store ();

  teken_verifier_set_trust_store (verifier, store);
  return teken_verifier_verify_file (verifier, path, NULL, error);
}

TekenDocumentResult *
vt_verify (const char *path)
{
  g_autoptr(GError) error = NULL;
  TekenDocumentResult *result = vt_try_verify (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

TekenSignatureResult *
vt_sig (TekenDocumentResult *result,
        guint                index)
{
  GListModel *sigs = teken_document_result_get_signatures (result);
  g_autoptr(TekenSignatureResult) sig = g_list_model_get_item (sigs, index);

  g_assert_nonnull (sig);
  return sig;  /* the model keeps a reference */
}

void
vt_print (TekenDocumentResult *result)
{
  GListModel *sigs = teken_document_result_get_signatures (result);

  g_test_message ("%s: %s", teken_document_result_get_path (result),
                  teken_document_status_to_string (teken_document_result_get_status (result)));
  for (guint i = 0; i < g_list_model_get_n_items (sigs); i++)
    {
      g_autoptr(TekenSignatureResult) sig = g_list_model_get_item (sigs, i);
      GArray *reasons = teken_signature_result_get_reasons (sig);
      GPtrArray *changes = teken_signature_result_get_changes (sig);
      g_autoptr(GString) str = g_string_new (NULL);

      for (guint k = 0; k < reasons->len; k++)
        g_string_append_printf (str, " %s", teken_signature_reason_to_string (g_array_index (reasons, TekenSignatureReason, k)));
      for (guint k = 0; k < changes->len; k++)
        {
          TekenChange *c = g_ptr_array_index (changes, k);
          g_string_append_printf (str, " [%u %s %s]", c->object_number, teken_change_role_to_string (c->role),
                                  c->allowed ? "allowed" : "DISALLOWED");
        }
      g_test_message ("  %s %s:%s", teken_signature_result_get_field_name (sig),
                      teken_signature_status_to_string (teken_signature_result_get_status (sig)), str->str);
    }
}

void
vt_assert_reasons (TekenSignatureResult *sig,
                   ...)
{
  va_list args;
  int reason;

  va_start (args, sig);
  while ((reason = va_arg (args, int)) >= 0)
    {
      if (!teken_signature_result_has_reason (sig, reason))
        g_error ("expected reason %s missing", teken_signature_reason_to_string (reason));
    }
  va_end (args);
}

void
vt_sign_cli (const char *in,
             const char *out,
             const char *name,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *p12 = g_strdup_printf ("%s/%s.p12", teken_test_pki_dir (), name);
  g_autofree char *pass = teken_test_pki_path ("passphrase.txt");
  g_autofree char *out_text = NULL, *err_text = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int status = -1;

  g_ptr_array_add (argv, g_strdup (teken_test_cli_path ()));
  g_ptr_array_add (argv, g_strdup ("sign"));
  g_ptr_array_add (argv, g_strdup ("--p12"));
  g_ptr_array_add (argv, g_strdup (p12));
  g_ptr_array_add (argv, g_strdup ("--passphrase-file"));
  g_ptr_array_add (argv, g_strdup (pass));
  va_start (args, name);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (out));
  g_ptr_array_add (argv, g_strdup (in));
  g_ptr_array_add (argv, NULL);
  g_assert_true (teken_test_run ((const char * const *) argv->pdata, &out_text, &err_text, &status, &error));
  if (status != 0)
    g_error ("teken-cli sign failed (%d): %s", status, err_text);
}

GBytes *
vt_read (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  return g_bytes_new_take (data, len);
}

void
vt_write (const char   *path,
          const guint8 *data,
          gsize         len)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, (const char *) data, len, &error));
}

gssize
vt_rfind (GBytes     *bytes,
          const char *needle)
{
  gsize len, nlen = strlen (needle);
  const guint8 *d = g_bytes_get_data (bytes, &len);

  for (gssize i = (gssize) len - (gssize) nlen; i >= 0; i--)
    if (memcmp (d + i, needle, nlen) == 0)
      return i;
  return -1;
}

gssize
vt_find_from (GBytes     *bytes,
              gsize       from,
              const char *needle)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (bytes, &len);
  const guint8 *hit;

  if (from >= len)
    return -1;
  hit = memmem (d + from, len - from, needle, strlen (needle));
  return hit ? hit - d : -1;
}

void
vt_update (const char   *in,
           const char   *out,
           VtUpdateFunc  func,
           gpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (in, &error);
  g_autoptr(TekenPdfUpdate) update = NULL;

  g_assert_no_error (error);
  update = teken_pdf_update_new (doc);
  func (update, doc, data);
  g_assert_true (teken_pdf_update_write_to_path (update, out, &error));
  g_assert_no_error (error);
}

static TekenPdfDocument *
open_doc (const char *path)
{
  g_autoptr(GError) error = NULL;
  TekenPdfDocument *doc = teken_pdf_document_new_for_path (path, &error);

  g_assert_no_error (error);
  return doc;
}

guint
vt_page_num (const char *path,
             guint       index)
{
  g_autoptr(TekenPdfDocument) doc = open_doc (path);
  g_autoptr(TekenPdfObject) page = NULL;
  guint num = 0;

  page = teken_pdf_document_get_page (doc, index, &num, NULL);
  g_assert_nonnull (page);
  return num;
}

guint
vt_catalog_num (const char *path)
{
  g_autoptr(TekenPdfDocument) doc = open_doc (path);
  g_autoptr(TekenPdfObject) cat = NULL;
  guint num = 0;

  cat = teken_pdf_document_get_catalog (doc, &num, NULL);
  g_assert_nonnull (cat);
  return num;
}

guint
vt_sig_dict_num (const char *path,
                 guint       index)
{
  g_autoptr(TekenPdfDocument) doc = open_doc (path);
  g_autoptr(TekenPdfObject) cat = teken_pdf_document_get_catalog (doc, NULL, NULL);
  g_autoptr(TekenPdfObject) af = teken_pdf_document_lookup (doc, cat, "AcroForm", NULL);
  g_autoptr(TekenPdfObject) fields = teken_pdf_document_lookup (doc, af, "Fields", NULL);
  guint seen = 0;

  for (guint i = 0; fields && i < teken_pdf_array_get_length (fields); i++)
    {
      g_autoptr(TekenPdfObject) f = teken_pdf_document_resolve (doc, teken_pdf_array_get (fields, i), NULL);
      TekenPdfObject *v = f ? teken_pdf_dict_get (f, "V") : NULL;

      if (v != NULL && teken_pdf_object_get_kind (v) == TEKEN_PDF_REFERENCE && seen++ == index)
        return teken_pdf_object_get_ref_num (v);
    }
  g_assert_not_reached ();
  return 0;
}

GBytes *
vt_raw_update (GBytes            *base,
               const VtRawObject *objects,
               guint              n,
               guint              root_num,
               gboolean           with_xref)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_bytes (base, &error);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  TekenPdfObject *trailer;
  gsize len, xref;
  const guint8 *d = g_bytes_get_data (base, &len);
  guint size;

  g_assert_no_error (error);
  g_byte_array_append (out, d, len);
  if (len > 0 && d[len - 1] != '\n')
    g_byte_array_append (out, (const guint8 *) "\n", 1);
  for (guint i = 0; i < n; i++)
    {
      gsize off = objects[i].offset;

      if (objects[i].body != NULL)
        {
          g_autofree char *text = g_strdup_printf ("%u 0 obj\n%s\nendobj\n", objects[i].num, objects[i].body);

          off = out->len;
          g_byte_array_append (out, (const guint8 *) text, strlen (text));
        }
      g_array_append_val (offsets, off);
    }
  if (with_xref)
    {
      g_autoptr(GString) s = g_string_new ("xref\n");

      xref = out->len;
      size = teken_pdf_document_get_next_object_number (doc);
      for (guint i = 0; i < n; i++)
        {
          g_string_append_printf (s, "%u 1\n%010" G_GSIZE_FORMAT " 00000 n \n", objects[i].num,
                                  g_array_index (offsets, gsize, i));
          size = MAX (size, objects[i].num + 1);
        }
      trailer = teken_pdf_document_get_trailer (doc);
      g_string_append_printf (s, "trailer\n<< /Size %u /Root %u 0 R /Prev %" G_GINT64_FORMAT " >>\nstartxref\n%"
                              G_GSIZE_FORMAT "\n%%%%EOF\n", size,
                              root_num ? root_num : teken_pdf_object_get_ref_num (teken_pdf_dict_get (trailer, "Root")),
                              (gint64) teken_pdf_document_get_startxref (doc), xref);
      g_byte_array_append (out, (const guint8 *) s->str, s->len);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ------------------------------------------------------------------------------------------ */
/* The test's own signer (certification signatures: teken-cli sign makes approval ones only). */

static TekenPdfObject *
dict_copy_or_new (TekenPdfDocument *doc,
                  TekenPdfObject   *holder,
                  const char       *key)
{
  g_autoptr(TekenPdfObject) v = teken_pdf_document_lookup (doc, holder, key, NULL);

  return v ? teken_pdf_object_copy (v) : NULL;
}

void
vt_sign_own (const char          *in,
             const char          *out,
             const VtSignOptions *o)
{
  g_autoptr(TekenPdfDocument) doc = open_doc (in);
  g_autoptr(TekenPdfUpdate) update = teken_pdf_update_new (doc);
  g_autoptr(TekenPdfObject) catalog = NULL;
  g_autoptr(TekenPdfObject) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) base = vt_read (in);
  g_autoptr(GBytes) tail = NULL;
  g_autoptr(GByteArray) full = g_byte_array_new ();
  g_autoptr(GString) contents = g_string_new ("<");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *m = g_date_time_format (now, "D:%Y%m%d%H%M%S+00'00'");
  g_autofree char *key_path = g_strdup_printf ("%s/%s.key", teken_test_pki_dir (), o->signer);
  g_autofree char *crt_path = g_strdup_printf ("%s/%s.crt", teken_test_pki_dir (), o->signer);
  g_autofree char *chain_path = g_strdup_printf ("%s/%s-chain.pem", teken_test_pki_dir (), o->signer);
  TekenPdfObject *sig, *field, *annots, *acroform, *fields, *raw_af;
  guint cat_num = 0, page_num = 0, sig_num, field_num;
  gssize br_pos, gap_start, gap_end;
  gsize base_len = g_bytes_get_size (base);
  BIO *bio;
  FILE *f;
  X509 *cert;
  EVP_PKEY *key;
  STACK_OF (X509) *chain = sk_X509_new_null ();
  CMS_ContentInfo *cms;
  unsigned char *der = NULL;
  int der_len;
  char br_text[64];
  X509 *c;

  catalog = teken_pdf_document_get_catalog (doc, &cat_num, &error);
  g_assert_no_error (error);
  page = teken_pdf_document_get_page (doc, 0, &page_num, &error);
  g_assert_no_error (error);
  catalog = teken_pdf_object_copy (g_steal_pointer (&catalog)) ;
  page = teken_pdf_object_copy (g_steal_pointer (&page));

  sig_num = teken_pdf_update_reserve (update);
  field_num = teken_pdf_update_reserve (update);

  sig = teken_pdf_dict_new ();
  teken_pdf_dict_set (sig, "Type", teken_pdf_name_new ("Sig"));
  teken_pdf_dict_set (sig, "Filter", teken_pdf_name_new ("Adobe.PPKLite"));
  teken_pdf_dict_set (sig, "SubFilter", teken_pdf_name_new (o->subfilter ? o->subfilter : "ETSI.CAdES.detached"));
  teken_pdf_dict_set (sig, "M", teken_pdf_string_new_text (m));
  teken_pdf_dict_set (sig, "ByteRange", teken_pdf_raw_new (BR_PLACEHOLDER, strlen (BR_PLACEHOLDER)));
  if (g_strcmp0 (o->subfilter, "adbe.x509.rsa_sha1") == 0)
    {
      /* The signer's certificate goes into /Cert (ISO 32000-1 §12.8.3.2). */
      FILE *cf = fopen (crt_path, "r");
      X509 *cc = cf ? PEM_read_X509 (cf, NULL, NULL, NULL) : NULL;
      unsigned char *cder = NULL;
      int clen;

      g_assert_nonnull (cc);
      fclose (cf);
      clen = i2d_X509 (cc, &cder);
      teken_pdf_dict_set (sig, "Cert", teken_pdf_string_new (cder, clen, TRUE));
      OPENSSL_free (cder);
      X509_free (cc);
    }
  for (int i = 0; i < CONTENTS_HEX; i++)
    g_string_append_c (contents, '0');
  g_string_append_c (contents, '>');
  teken_pdf_dict_set (sig, "Contents", teken_pdf_raw_new (contents->str, contents->len));
  if (o->docmdp > 0 || o->lock_field != NULL)
    {
      TekenPdfObject *arr = teken_pdf_array_new ();

      if (o->docmdp > 0)
        {
          TekenPdfObject *ref = teken_pdf_dict_new ();
          TekenPdfObject *params = teken_pdf_dict_new ();

          teken_pdf_dict_set (params, "Type", teken_pdf_name_new ("TransformParams"));
          teken_pdf_dict_set (params, "P", teken_pdf_integer_new (o->docmdp));
          teken_pdf_dict_set (params, "V", teken_pdf_name_new ("1.2"));
          teken_pdf_dict_set (ref, "Type", teken_pdf_name_new ("SigRef"));
          teken_pdf_dict_set (ref, "TransformMethod", teken_pdf_name_new ("DocMDP"));
          teken_pdf_dict_set (ref, "TransformParams", params);
          teken_pdf_array_append (arr, ref);
        }
      if (o->lock_field != NULL)
        {
          TekenPdfObject *ref = teken_pdf_dict_new ();
          TekenPdfObject *params = teken_pdf_dict_new ();
          TekenPdfObject *names = teken_pdf_array_new ();

          teken_pdf_array_append (names, teken_pdf_string_new_text (o->lock_field));
          teken_pdf_dict_set (params, "Type", teken_pdf_name_new ("TransformParams"));
          teken_pdf_dict_set (params, "Action", teken_pdf_name_new ("Include"));
          teken_pdf_dict_set (params, "Fields", names);
          teken_pdf_dict_set (params, "V", teken_pdf_name_new ("1.2"));
          teken_pdf_dict_set (ref, "Type", teken_pdf_name_new ("SigRef"));
          teken_pdf_dict_set (ref, "TransformMethod", teken_pdf_name_new ("FieldMDP"));
          teken_pdf_dict_set (ref, "TransformParams", params);
          teken_pdf_array_append (arr, ref);
        }
      teken_pdf_dict_set (sig, "Reference", arr);
    }
  teken_pdf_update_set_object (update, sig_num, sig);

  field = teken_pdf_dict_new ();
  teken_pdf_dict_set (field, "FT", teken_pdf_name_new ("Sig"));
  teken_pdf_dict_set (field, "Type", teken_pdf_name_new ("Annot"));
  teken_pdf_dict_set (field, "Subtype", teken_pdf_name_new ("Widget"));
  teken_pdf_dict_set (field, "T", teken_pdf_string_new_text (o->field ? o->field : "Cert1"));
  teken_pdf_dict_set (field, "V", teken_pdf_reference_new (sig_num, 0));
  teken_pdf_dict_set (field, "F", teken_pdf_integer_new (132));
  {
    TekenPdfObject *rect = teken_pdf_array_new ();
    for (int i = 0; i < 4; i++)
      teken_pdf_array_append (rect, teken_pdf_integer_new (0));
    teken_pdf_dict_set (field, "Rect", rect);
  }
  teken_pdf_dict_set (field, "P", teken_pdf_reference_new (page_num, 0));
  teken_pdf_update_set_object (update, field_num, field);

  annots = dict_copy_or_new (doc, page, "Annots");
  if (annots == NULL)
    annots = teken_pdf_array_new ();
  teken_pdf_array_append (annots, teken_pdf_reference_new (field_num, 0));
  teken_pdf_dict_set (page, "Annots", annots);
  teken_pdf_update_set_object (update, page_num, g_steal_pointer (&page));

  raw_af = teken_pdf_dict_get (catalog, "AcroForm");
  acroform = dict_copy_or_new (doc, catalog, "AcroForm");
  if (acroform == NULL)
    acroform = teken_pdf_dict_new ();
  fields = dict_copy_or_new (doc, acroform, "Fields");
  if (fields == NULL)
    fields = teken_pdf_array_new ();
  teken_pdf_array_append (fields, teken_pdf_reference_new (field_num, 0));
  teken_pdf_dict_set (acroform, "Fields", fields);
  teken_pdf_dict_set (acroform, "SigFlags", teken_pdf_integer_new (3));
  if (raw_af != NULL && teken_pdf_object_get_kind (raw_af) == TEKEN_PDF_REFERENCE)
    teken_pdf_update_set_object (update, teken_pdf_object_get_ref_num (raw_af), acroform);
  else
    teken_pdf_dict_set (catalog, "AcroForm", acroform);
  if (o->docmdp > 0)
    {
      TekenPdfObject *perms = teken_pdf_dict_new ();

      teken_pdf_dict_set (perms, "DocMDP", teken_pdf_reference_new (sig_num, 0));
      teken_pdf_dict_set (catalog, "Perms", perms);
    }
  teken_pdf_update_set_object (update, cat_num, g_steal_pointer (&catalog));

  tail = teken_pdf_update_serialize (update, &error);
  g_assert_no_error (error);
  g_byte_array_append (full, g_bytes_get_data (base, NULL), base_len);
  g_byte_array_append (full, g_bytes_get_data (tail, NULL), g_bytes_get_size (tail));

  {
    g_autoptr(GBytes) view = g_bytes_new_static (full->data, full->len);

    br_pos = vt_find_from (view, base_len, BR_PLACEHOLDER);
    gap_start = vt_find_from (view, base_len, "<0000000000000000");
    g_assert_cmpint (br_pos, >, 0);
    g_assert_cmpint (gap_start, >, 0);
    gap_end = gap_start + CONTENTS_HEX + 2;
    g_assert_cmpint (full->data[gap_end - 1], ==, '>');
  }
  g_snprintf (br_text, sizeof br_text, "[0 %-10" G_GSSIZE_FORMAT " %-10" G_GSSIZE_FORMAT " %-10" G_GSSIZE_FORMAT "]",
              gap_start, gap_end, (gssize) full->len - gap_end);
  g_assert_cmpuint (strlen (br_text), ==, strlen (BR_PLACEHOLDER));
  memcpy (full->data + br_pos, br_text, strlen (br_text));

  /* CMS over the two ranges (OpenSSL's own CMS_sign: independent of Teken's signer). */
  bio = BIO_new (BIO_s_mem ());
  BIO_write (bio, full->data, gap_start);
  BIO_write (bio, full->data + gap_end, full->len - gap_end);
  f = fopen (key_path, "r");
  g_assert_nonnull (f);
  key = PEM_read_PrivateKey (f, NULL, NULL, NULL);
  fclose (f);
  f = fopen (crt_path, "r");
  g_assert_nonnull (f);
  cert = PEM_read_X509 (f, NULL, NULL, NULL);
  fclose (f);
  f = fopen (chain_path, "r");
  g_assert_nonnull (f);
  while ((c = PEM_read_X509 (f, NULL, NULL, NULL)) != NULL)
    sk_X509_push (chain, c);
  ERR_clear_error ();
  fclose (f);
  g_assert_nonnull (key);
  g_assert_nonnull (cert);
  if (g_strcmp0 (o->subfilter, "adbe.x509.rsa_sha1") == 0)
    {
      /* A bare PKCS#1 v1.5 signature over the SHA-1 of the ranges, as an OCTET STRING. */
      unsigned char md[EVP_MAX_MD_SIZE], sigbuf[1024];
      unsigned int md_len = 0;
      size_t sig_len = sizeof sigbuf;
      char *mem = NULL;
      long mem_len = BIO_get_mem_data (bio, &mem);
      EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new (key, NULL);
      ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new ();

      g_assert_true (EVP_Digest (mem, mem_len, md, &md_len, EVP_sha1 (), NULL) == 1);
      g_assert_true (EVP_PKEY_sign_init (pctx) == 1);
      g_assert_true (EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PADDING) == 1);
      g_assert_true (EVP_PKEY_CTX_set_signature_md (pctx, EVP_sha1 ()) == 1);
      g_assert_true (EVP_PKEY_sign (pctx, sigbuf, &sig_len, md, md_len) == 1);
      ASN1_OCTET_STRING_set (os, sigbuf, (int) sig_len);
      der_len = i2d_ASN1_OCTET_STRING (os, &der);
      ASN1_OCTET_STRING_free (os);
      EVP_PKEY_CTX_free (pctx);
      cms = NULL;
    }
  else if (g_strcmp0 (o->subfilter, "adbe.pkcs7.sha1") == 0)
    {
      /* The CMS signs (and embeds) the 20-byte SHA-1 of the ranges. */
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned int md_len = 0;
      char *mem = NULL;
      long mem_len = BIO_get_mem_data (bio, &mem);
      BIO *digest_bio;

      g_assert_true (EVP_Digest (mem, mem_len, md, &md_len, EVP_sha1 (), NULL) == 1);
      digest_bio = BIO_new_mem_buf (md, md_len);
      cms = CMS_sign (cert, key, chain, digest_bio, CMS_BINARY | CMS_NOSMIMECAP);
      BIO_free (digest_bio);
      g_assert_nonnull (cms);
      der_len = i2d_CMS_ContentInfo (cms, &der);
    }
  else if (o->ess_cert != NULL)
    {
      /* signingCertificateV2 naming another certificate, signed by the real key. */
      int flags = CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP | CMS_PARTIAL;
      g_autofree char *other_path = g_strdup_printf ("%s/%s.crt", teken_test_pki_dir (), o->ess_cert);
      FILE *of = fopen (other_path, "r");
      X509 *other = of ? PEM_read_X509 (of, NULL, NULL, NULL) : NULL;
      ESS_SIGNING_CERT_V2 *ess;
      CMS_SignerInfo *si;
      unsigned char *ess_der = NULL;
      int ess_len;

      g_assert_nonnull (other);
      fclose (of);
      cms = CMS_sign (NULL, NULL, chain, NULL, flags);
      si = CMS_add1_signer (cms, cert, key, EVP_sha256 (), flags);
      g_assert_nonnull (si);
      ess = OSSL_ESS_signing_cert_v2_new_init (EVP_sha256 (), other, NULL, 0);
      ess_len = i2d_ESS_SIGNING_CERT_V2 (ess, &ess_der);
      g_assert_true (CMS_signed_add1_attr_by_NID (si, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE,
                                                  ess_der, ess_len) == 1);
      g_assert_true (CMS_final (cms, bio, NULL, flags) == 1);
      OPENSSL_free (ess_der);
      ESS_SIGNING_CERT_V2_free (ess);
      X509_free (other);
      der_len = i2d_CMS_ContentInfo (cms, &der);
    }
  else
    {
      cms = CMS_sign (cert, key, chain, bio, CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES);
      g_assert_nonnull (cms);
      der_len = i2d_CMS_ContentInfo (cms, &der);
    }
  g_assert_cmpint (der_len, >, 0);
  g_assert_cmpint (der_len * 2, <=, CONTENTS_HEX);
  for (int i = 0; i < der_len; i++)
    {
      static const char hex[] = "0123456789ABCDEF";
      full->data[gap_start + 1 + 2 * i] = hex[der[i] >> 4];
      full->data[gap_start + 2 + 2 * i] = hex[der[i] & 15];
    }
  OPENSSL_free (der);
  CMS_ContentInfo_free (cms);
  BIO_free (bio);
  EVP_PKEY_free (key);
  X509_free (cert);
  sk_X509_pop_free (chain, X509_free);
  vt_write (out, full->data, full->len);
}
