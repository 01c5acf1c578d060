/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Attacks on PDF signatures, each built here in C from documents signed by teken-cli sign (or by
 * the test's own certification signer): Universal Signature Forgery, Incremental Saving Attacks,
 * Signature Wrapping, Shadow hide / replace / hide-and-replace, and the certification attacks
 * (evil annotation, sneaky signature). None may come out VALID.
 */
#include "verify-test-util.h"

#include "teken-core.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static char *
corpus (const char *name)
{
  return teken_test_corpus_path (name);
}

/* The victim: a letter signed once by teken-cli (cached). */
static char *
victim (void)
{
  char *out = tmp_path ("victim.pdf");
  g_autofree char *in = corpus ("naskah-dinas-libreoffice.pdf");

  if (!g_file_test (out, G_FILE_TEST_EXISTS))
    vt_sign_cli (in, out, "individu-rsa2048", NULL);
  return out;
}

/* Verifies, prints, asserts the document is not VALID and returns the result (signature 0 or the
 * one named). */
static TekenDocumentResult *
verify_attack (const char *path)
{
  g_autoptr(GError) error = NULL;
  TekenDocumentResult *result = vt_try_verify (path, &error);

  if (result == NULL)
    {
      /* Refusing to read the file is a safe outcome, but say so. */
      g_test_message ("%s: unreadable: %s", path, error->message);
      return NULL;
    }
  vt_print (result);
  g_assert_cmpint (teken_document_result_get_status (result), !=, TEKEN_DOCUMENT_STATUS_VALID);
  return result;
}

/* Verifies path and checks that its first signature is invalid; returns that signature
 * (owned by *result). */
static TekenSignatureResult *
expect_invalid (const char           *path,
                TekenDocumentResult **result)
{
  TekenSignatureResult *sig;

  *result = verify_attack (path);
  g_assert_nonnull (*result);
  sig = vt_sig (*result, 0);
  g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_INVALID);
  return sig;
}

static TekenSignatureResult *
find_sig (TekenDocumentResult *result,
          const char          *field)
{
  GListModel *sigs = teken_document_result_get_signatures (result);

  for (guint i = 0; i < g_list_model_get_n_items (sigs); i++)
    {
      g_autoptr(TekenSignatureResult) sig = g_list_model_get_item (sigs, i);

      if (g_strcmp0 (teken_signature_result_get_field_name (sig), field) == 0)
        return sig;
    }
  g_error ("no field %s", field);
  return NULL;
}

static gboolean
has_change (TekenSignatureResult *sig,
            TekenChangeRole       role,
            gboolean              allowed)
{
  GPtrArray *changes = teken_signature_result_get_changes (sig);

  for (guint i = 0; i < changes->len; i++)
    {
      TekenChange *c = g_ptr_array_index (changes, i);

      if (c->role == role && c->allowed == allowed)
        return TRUE;
    }
  return FALSE;
}

static TekenPdfObject *
get_obj (TekenPdfDocument *doc,
         guint             num)
{
  g_autoptr(GError) error = NULL;
  TekenPdfObject *obj = teken_pdf_document_get_object (doc, num, &error);

  g_assert_no_error (error);
  return obj;
}

static TekenPdfObject *
content_stream (const char *text)
{
  TekenPdfObject *dict = teken_pdf_dict_new ();

  return teken_pdf_stream_new (dict, g_bytes_new (text, strlen (text)));
}

#define FAKE_CONTENT "q 1 1 1 rg 0 0 1000 1000 re f Q BT /F1 36 Tf 72 500 Td (DIBATALKAN - PALSU) Tj ET"

/* ---------------------------------------------------------------------------------------- */
/* Universal Signature Forgery: a signature dictionary without usable values. */

typedef struct
{
  const char *name;
  const char *dict;            /* %s: real CMS hex (when used) */
  TekenSignatureReason reason;
} UsfCase;

static const UsfCase usf_cases[] = {
  { "contents-missing", "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] >>",
    TEKEN_SIGNATURE_REASON_CONTENTS_MISSING },
  { "contents-empty", "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] /Contents <> >>",
    TEKEN_SIGNATURE_REASON_CONTENTS_MISSING },
  { "contents-null", "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] /Contents null >>",
    TEKEN_SIGNATURE_REASON_CONTENTS_MISSING },
  { "byterange-missing", "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /Contents <%s> >>",
    TEKEN_SIGNATURE_REASON_BYTE_RANGE_MISSING },
  { "byterange-null", "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange null /Contents <%s> >>",
    TEKEN_SIGNATURE_REASON_BYTE_RANGE_MISSING },
  { "byterange-empty", "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [] /Contents <%s> >>",
    TEKEN_SIGNATURE_REASON_BYTE_RANGE_MISSING },
  { "byterange-elsewhere", "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 1000 2000 3000] /Contents <%s> >>",
    TEKEN_SIGNATURE_REASON_BYTE_RANGE_GAP },
  { "byterange-overlap", "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 2000 1000 2000] /Contents <%s> >>",
    TEKEN_SIGNATURE_REASON_BYTE_RANGE_MALFORMED },
  { "byterange-not-from-0", "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [5 1000 2000 3000] /Contents <%s> >>",
    TEKEN_SIGNATURE_REASON_BYTE_RANGE_MALFORMED },
  { "byterange-three", "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 1000 2000 3000 4000 10] /Contents <%s> >>",
    TEKEN_SIGNATURE_REASON_BYTE_RANGE_MALFORMED },
  { "byterange-beyond-file", "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 1000 2000 999999999] /Contents <%s> >>",
    TEKEN_SIGNATURE_REASON_BYTE_RANGE_MALFORMED },
};

/* The hex of the victim's real CMS (a genuine signature over other bytes). */
static char *
victim_cms_hex (void)
{
  g_autofree char *path = victim ();
  g_autoptr(GBytes) bytes = vt_read (path);
  gssize start = vt_rfind (bytes, "/Contents <");
  const char *d = g_bytes_get_data (bytes, NULL);
  gsize end;

  g_assert_cmpint (start, >, 0);
  start += strlen ("/Contents <");
  end = start;
  while (d[end] != '>')
    end++;
  return g_strndup (d + start, end - start);
}

typedef struct
{
  guint field_num;
  const char *dict_text;
} UsfData;

/* Fills the empty field of naskah-dinas-empty-sigfield.pdf with a forged signature dictionary. */
static void
test_usf (gconstpointer data)
{
  const UsfCase *uc = data;
  g_autofree char *in = corpus ("naskah-dinas-empty-sigfield.pdf");
  g_autofree char *name = g_strdup_printf ("usf-%s.pdf", uc->name);
  g_autofree char *out = tmp_path (name);
  g_autofree char *hex = victim_cms_hex ();
  g_autofree char *dict = g_strdup_printf (uc->dict, hex);
  g_autoptr(GBytes) base = vt_read (in);
  g_autoptr(GBytes) attacked = NULL;
  g_autoptr(TekenDocumentResult) result = NULL;
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(TekenPdfObject) cat = NULL;
  g_autoptr(TekenPdfObject) af = NULL;
  g_autoptr(TekenPdfObject) fields = NULL;
  g_autoptr(TekenPdfObject) field = NULL;
  g_autoptr(GString) field_text = g_string_new (NULL);
  guint field_num, sig_num;
  TekenSignatureResult *sig;

  doc = teken_pdf_document_new_for_path (in, NULL);
  cat = teken_pdf_document_get_catalog (doc, NULL, NULL);
  af = teken_pdf_document_lookup (doc, cat, "AcroForm", NULL);
  fields = teken_pdf_document_lookup (doc, af, "Fields", NULL);
  field_num = teken_pdf_object_get_ref_num (teken_pdf_array_get (fields, 0));
  field = teken_pdf_object_copy (get_obj (doc, field_num));
  sig_num = teken_pdf_document_get_next_object_number (doc);
  teken_pdf_dict_set (field, "V", teken_pdf_reference_new (sig_num, 0));
  teken_pdf_object_serialize (field, field_text);
  {
    VtRawObject objs[] = { { sig_num, dict, 0 }, { field_num, field_text->str, 0 } };

    attacked = vt_raw_update (base, objs, 2, 0, TRUE);
  }
  vt_write (out, g_bytes_get_data (attacked, NULL), g_bytes_get_size (attacked));
  sig = expect_invalid (out, &result);
  vt_assert_reasons (sig, uc->reason, -1);
}

/* USF on a signed document: the real signature dictionary overridden by one with null values. */
static void
test_usf_override (void)
{
  g_autofree char *in = victim ();
  g_autofree char *out = tmp_path ("usf-override.pdf");
  g_autoptr(GBytes) base = vt_read (in);
  g_autoptr(GBytes) attacked = NULL;
  g_autoptr(TekenDocumentResult) result = NULL;
  guint sig_num = vt_sig_dict_num (in, 0);
  VtRawObject objs[] = {
    { sig_num, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange null /Contents null >>", 0 },
  };

  attacked = vt_raw_update (base, objs, 1, 0, TRUE);
  vt_write (out, g_bytes_get_data (attacked, NULL), g_bytes_get_size (attacked));
  expect_invalid (out, &result);
}

/* ---------------------------------------------------------------------------------------- */
/* Incremental Saving Attacks */

static guint
page_content_num (const char *path)
{
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (path, NULL);
  g_autoptr(TekenPdfObject) page = teken_pdf_document_get_page (doc, 0, NULL, NULL);
  TekenPdfObject *c = teken_pdf_dict_get (page, "Contents");

  if (teken_pdf_object_get_kind (c) == TEKEN_PDF_ARRAY)
    c = teken_pdf_array_get (c, 0);
  g_assert_cmpint (teken_pdf_object_get_kind (c), ==, TEKEN_PDF_REFERENCE);
  return teken_pdf_object_get_ref_num (c);
}

static void
replace_content (TekenPdfUpdate   *update,
                 TekenPdfDocument *base,
                 gpointer          data)
{
  teken_pdf_update_set_object (update, GPOINTER_TO_UINT (data), content_stream (FAKE_CONTENT));
}

static void
test_isa_page_content (void)
{
  g_autofree char *in = victim ();
  g_autofree char *out = tmp_path ("isa-content.pdf");
  g_autoptr(TekenDocumentResult) result = NULL;
  TekenSignatureResult *sig;

  vt_update (in, out, replace_content, GUINT_TO_POINTER (page_content_num (in)));
  result = verify_attack (out);
  g_assert_nonnull (result);
  sig = vt_sig (result, 0);
  g_assert_true (teken_signature_result_get_integrity (sig));  /* the signed revision is intact */
  g_assert_cmpint (teken_signature_result_get_modified_after (sig), ==, TEKEN_MODIFICATION_DISALLOWED);
  vt_assert_reasons (sig, TEKEN_SIGNATURE_REASON_MODIFIED_DISALLOWED, -1);
  g_assert_true (has_change (sig, TEKEN_CHANGE_ROLE_PAGE_CONTENT, FALSE));
  g_assert_cmpint (teken_document_result_get_verdict (result), ==, TEKEN_VERDICT_CHANGED_AFTER_SIGNING);
}

static void
override_signature (TekenPdfUpdate   *update,
                    TekenPdfDocument *base,
                    gpointer          data)
{
  guint num = GPOINTER_TO_UINT (data);
  g_autoptr(TekenPdfObject) sig = get_obj (base, num);
  TekenPdfObject *copy = teken_pdf_object_copy (sig);

  teken_pdf_dict_set (copy, "Reason", teken_pdf_string_new_text ("Disetujui oleh Bupati"));
  teken_pdf_dict_set (copy, "M", teken_pdf_string_new_text ("D:20200101000000+07'00'"));
  teken_pdf_update_set_object (update, num, copy);
}

static void
test_isa_override_signature (void)
{
  g_autofree char *in = victim ();
  g_autofree char *out = tmp_path ("isa-override-sig.pdf");
  g_autoptr(TekenDocumentResult) result = NULL;
  TekenSignatureResult *sig;

  vt_update (in, out, override_signature, GUINT_TO_POINTER (vt_sig_dict_num (in, 0)));
  sig = expect_invalid (out, &result);
  /* The dictionary now lives after the signed bytes: it is not the one that was signed. */
  vt_assert_reasons (sig, TEKEN_SIGNATURE_REASON_BYTE_RANGE_GAP, -1);
}

/* An update without a cross-reference section: objects appended after %%EOF. */
static void
test_isa_no_xref (void)
{
  g_autofree char *in = victim ();
  g_autofree char *out = tmp_path ("isa-no-xref.pdf");
  g_autoptr(GBytes) base = vt_read (in);
  g_autoptr(GBytes) attacked = NULL;
  g_autoptr(TekenDocumentResult) result = NULL;
  g_autofree char *body = g_strdup_printf ("<< /Length %zu >>\nstream\n%s\nendstream", strlen (FAKE_CONTENT), FAKE_CONTENT);
  VtRawObject objs[] = { { page_content_num (in), body, 0 } };

  attacked = vt_raw_update (base, objs, 1, 0, FALSE);
  vt_write (out, g_bytes_get_data (attacked, NULL), g_bytes_get_size (attacked));
  result = verify_attack (out);
  if (result != NULL)
    {
      TekenSignatureResult *sig = vt_sig (result, 0);

      g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_INVALID);
      g_assert_true (has_change (sig, TEKEN_CHANGE_ROLE_FILE_STRUCTURE, FALSE));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Signature Wrapping: malicious objects hidden in the /Contents gap, referenced by an update whose
 * new signature dictionary keeps the original ByteRange (so the digest still matches). */

static void
test_swa_gap_injection (void)
{
  g_autofree char *in = victim ();
  g_autofree char *out = tmp_path ("swa-gap.pdf");
  g_autoptr(GBytes) base = vt_read (in);
  g_autoptr(GByteArray) wrapped = g_byte_array_new ();
  g_autoptr(GBytes) wrapped_bytes = NULL;
  g_autoptr(GBytes) attacked = NULL;
  g_autoptr(TekenDocumentResult) result = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (in, NULL);
  g_autoptr(TekenPdfObject) sig_dict = NULL;
  g_autoptr(TekenPdfObject) page = NULL;
  g_autoptr(GString) sig_text = g_string_new (NULL);
  g_autoptr(GString) page_text = g_string_new (NULL);
  g_autofree char *hex = victim_cms_hex ();
  g_autofree char *evil = NULL;
  const guint8 *d = g_bytes_get_data (base, NULL);
  gsize len = g_bytes_get_size (base), used_hex, evil_off;
  gssize gap_start = vt_rfind (base, "/Contents <") + strlen ("/Contents ");
  gsize gap_end = gap_start;
  guint sig_num = vt_sig_dict_num (in, 0), page_num = 0, evil_num;
  TekenSignatureResult *sig;

  while (d[gap_end] != '>')
    gap_end++;
  gap_end++;
  /* The real CMS without its zero padding, then the injected object, then spaces. */
  used_hex = strlen (hex);
  while (used_hex > 2 && hex[used_hex - 1] == '0' && hex[used_hex - 2] == '0')
    used_hex -= 2;
  evil_num = teken_pdf_document_get_next_object_number (doc);
  evil = g_strdup_printf ("\n%u 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n", evil_num,
                          strlen (FAKE_CONTENT), FAKE_CONTENT);
  g_assert_cmpuint (1 + used_hex + 1 + strlen (evil), <, gap_end - gap_start);
  g_byte_array_append (wrapped, d, gap_start);
  g_byte_array_append (wrapped, (const guint8 *) "<", 1);
  g_byte_array_append (wrapped, (const guint8 *) hex, used_hex);
  g_byte_array_append (wrapped, (const guint8 *) ">", 1);
  evil_off = wrapped->len + 1;
  g_byte_array_append (wrapped, (const guint8 *) evil, strlen (evil));
  while (wrapped->len < gap_end)
    g_byte_array_append (wrapped, (const guint8 *) " ", 1);
  g_byte_array_append (wrapped, d + gap_end, len - gap_end);
  g_assert_cmpuint (wrapped->len, ==, len);

  /* The new signature dictionary: same ByteRange, the trimmed CMS; the page shows the injected object. */
  sig_dict = teken_pdf_object_copy (get_obj (doc, sig_num));
  {
    g_autofree char *trimmed = g_strndup (hex, used_hex);
    g_autofree char *raw = g_strdup_printf ("<%s>", trimmed);

    teken_pdf_dict_set (sig_dict, "Contents", teken_pdf_raw_new (raw, strlen (raw)));
  }
  teken_pdf_object_serialize (sig_dict, sig_text);
  page = teken_pdf_object_copy (teken_pdf_document_get_page (doc, 0, &page_num, NULL));
  teken_pdf_dict_set (page, "Contents", teken_pdf_reference_new (evil_num, 0));
  teken_pdf_object_serialize (page, page_text);
  wrapped_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&wrapped));
  {
    VtRawObject objs[] = {
      { evil_num, NULL, evil_off },
      { sig_num, sig_text->str, 0 },
      { page_num, page_text->str, 0 },
    };

    attacked = vt_raw_update (wrapped_bytes, objs, 3, 0, TRUE);
  }
  vt_write (out, g_bytes_get_data (attacked, NULL), g_bytes_get_size (attacked));
  sig = expect_invalid (out, &result);
  vt_assert_reasons (sig, TEKEN_SIGNATURE_REASON_BYTE_RANGE_GAP, -1);
}

/* The ByteRange of an overriding dictionary shifted so that the gap is not the /Contents string. */
static void
test_swa_shifted_range (void)
{
  g_autofree char *in = victim ();
  g_autofree char *out = tmp_path ("swa-shift.pdf");
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (in, NULL);
  guint sig_num = vt_sig_dict_num (in, 0);
  g_autoptr(TekenPdfObject) sig_dict = teken_pdf_object_copy (get_obj (doc, sig_num));
  TekenPdfObject *br = teken_pdf_dict_get (sig_dict, "ByteRange");
  TekenPdfObject *shifted = teken_pdf_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) base = vt_read (in);
  g_autoptr(GBytes) attacked = NULL;
  g_autoptr(TekenDocumentResult) result = NULL;
  gint64 v[4];

  for (int i = 0; i < 4; i++)
    v[i] = teken_pdf_object_get_integer (teken_pdf_array_get (br, i));
  teken_pdf_array_append (shifted, teken_pdf_integer_new (0));
  teken_pdf_array_append (shifted, teken_pdf_integer_new (v[1] + 1));
  teken_pdf_array_append (shifted, teken_pdf_integer_new (v[2] - 1));
  teken_pdf_array_append (shifted, teken_pdf_integer_new (v[3] + 1));
  teken_pdf_dict_set (sig_dict, "ByteRange", shifted);
  teken_pdf_object_serialize (sig_dict, text);
  {
    VtRawObject objs[] = { { sig_num, text->str, 0 } };

    attacked = vt_raw_update (base, objs, 1, 0, TRUE);
  }
  vt_write (out, g_bytes_get_data (attacked, NULL), g_bytes_get_size (attacked));
  expect_invalid (out, &result);
}

/* ---------------------------------------------------------------------------------------- */
/* Shadow attacks */

static void
add_hidden_content (TekenPdfUpdate   *update,
                    TekenPdfDocument *base,
                    gpointer          data)
{
  guint *num = data;

  *num = teken_pdf_update_add_object (update, content_stream (FAKE_CONTENT));
}

typedef struct
{
  guint page_num;
  guint content_num;
} HideData;

static void
reveal_hidden (TekenPdfUpdate   *update,
               TekenPdfDocument *base,
               gpointer          data)
{
  HideData *hd = data;
  g_autoptr(TekenPdfObject) page = get_obj (base, hd->page_num);
  TekenPdfObject *copy = teken_pdf_object_copy (page);

  teken_pdf_dict_set (copy, "Contents", teken_pdf_reference_new (hd->content_num, 0));
  teken_pdf_update_set_object (update, hd->page_num, copy);
}

/* Hide: content prepared (unused) before signing, revealed by an update that only changes a reference. */
static void
test_shadow_hide (void)
{
  g_autofree char *in = corpus ("naskah-dinas-libreoffice.pdf");
  g_autofree char *prepared = tmp_path ("shadow-prepared.pdf");
  g_autofree char *signed_path = tmp_path ("shadow-signed.pdf");
  g_autofree char *out = tmp_path ("shadow-hide.pdf");
  g_autoptr(TekenDocumentResult) before = NULL;
  g_autoptr(TekenDocumentResult) result = NULL;
  HideData hd = { 0, 0 };
  TekenSignatureResult *sig;

  vt_update (in, prepared, add_hidden_content, &hd.content_num);
  vt_sign_cli (prepared, signed_path, "individu-rsa2048", NULL);
  before = vt_verify (signed_path);
  g_assert_cmpint (teken_document_result_get_status (before), ==, TEKEN_DOCUMENT_STATUS_VALID);
  hd.page_num = vt_page_num (signed_path, 0);
  vt_update (signed_path, out, reveal_hidden, &hd);
  sig = expect_invalid (out, &result);
  g_assert_true (has_change (sig, TEKEN_CHANGE_ROLE_PAGE, FALSE));
}

typedef struct
{
  const char *name;   /* NULL: the first text field */
  gboolean done;
} FieldEdit;

static void
replace_field_value (TekenPdfUpdate   *update,
                     TekenPdfDocument *base,
                     gpointer          data)
{
  g_autoptr(TekenPdfObject) cat = teken_pdf_document_get_catalog (base, NULL, NULL);
  g_autoptr(TekenPdfObject) af = teken_pdf_document_lookup (base, cat, "AcroForm", NULL);
  g_autoptr(TekenPdfObject) fields = teken_pdf_document_lookup (base, af, "Fields", NULL);
  FieldEdit *edit = data;

  for (guint i = 0; i < teken_pdf_array_get_length (fields) && !edit->done; i++)
    {
      TekenPdfObject *ref = teken_pdf_array_get (fields, i);
      g_autoptr(TekenPdfObject) field = teken_pdf_document_resolve (base, ref, NULL);
      g_autofree char *t = NULL;
      TekenPdfObject *copy;

      if (!teken_pdf_object_is_name (teken_pdf_dict_get (field, "FT"), "Tx"))
        continue;
      t = teken_pdf_object_get_text (teken_pdf_dict_get (field, "T"));
      if (edit->name != NULL && g_strcmp0 (t, edit->name) != 0)
        continue;
      copy = teken_pdf_object_copy (field);
      teken_pdf_dict_set (copy, "V", teken_pdf_string_new_text ("Rp 1.000.000.000"));
      teken_pdf_update_set_object (update, teken_pdf_object_get_ref_num (ref), copy);
      edit->done = TRUE;
    }
}

/* Replace: a form field's value changed after an approval signature (no certification). */
static void
test_shadow_replace_field (void)
{
  g_autofree char *in = corpus ("formulir-acroform-libreoffice.pdf");
  g_autofree char *signed_path = tmp_path ("form-signed.pdf");
  g_autofree char *out = tmp_path ("shadow-replace-field.pdf");
  g_autoptr(TekenDocumentResult) result = NULL;
  FieldEdit edit = { NULL, FALSE };
  TekenSignatureResult *sig;

  vt_sign_cli (in, signed_path, "individu-rsa2048", NULL);
  vt_update (signed_path, out, replace_field_value, &edit);
  g_assert_true (edit.done);
  sig = expect_invalid (out, &result);
  g_assert_true (has_change (sig, TEKEN_CHANGE_ROLE_FORM_FIELD, FALSE));
}

static void
replace_font (TekenPdfUpdate   *update,
              TekenPdfDocument *base,
              gpointer          data)
{
  g_autoptr(TekenPdfObject) page = teken_pdf_document_get_page (base, 0, NULL, NULL);
  g_autoptr(TekenPdfObject) res = teken_pdf_document_lookup (base, page, "Resources", NULL);
  g_autoptr(TekenPdfObject) fonts = teken_pdf_document_lookup (base, res, "Font", NULL);
  TekenPdfObject *ref = teken_pdf_dict_get_value (fonts, 0);
  TekenPdfObject *font = teken_pdf_dict_new ();

  g_assert_cmpint (teken_pdf_object_get_kind (ref), ==, TEKEN_PDF_REFERENCE);
  teken_pdf_dict_set (font, "Type", teken_pdf_name_new ("Font"));
  teken_pdf_dict_set (font, "Subtype", teken_pdf_name_new ("Type1"));
  teken_pdf_dict_set (font, "BaseFont", teken_pdf_name_new ("Courier"));
  teken_pdf_update_set_object (update, teken_pdf_object_get_ref_num (ref), font);
}

/* Replace: a font of the signed page swapped after signing. */
static void
test_shadow_replace_font (void)
{
  g_autofree char *in = victim ();
  g_autofree char *out = tmp_path ("shadow-replace-font.pdf");
  g_autoptr(TekenDocumentResult) result = NULL;
  TekenSignatureResult *sig;

  vt_update (in, out, replace_font, NULL);
  sig = expect_invalid (out, &result);
  g_assert_true (has_change (sig, TEKEN_CHANGE_ROLE_FONT, FALSE));
}

/* Hide-and-replace: a whole new catalog, page tree and page appended; the trailer points at it. */
static void
test_shadow_hide_and_replace (void)
{
  g_autofree char *in = victim ();
  g_autofree char *out = tmp_path ("shadow-hide-replace.pdf");
  g_autoptr(GBytes) base = vt_read (in);
  g_autoptr(GBytes) attacked = NULL;
  g_autoptr(TekenDocumentResult) result = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (in, NULL);
  g_autoptr(TekenPdfObject) cat = teken_pdf_document_get_catalog (doc, NULL, NULL);
  g_autoptr(GString) acro = g_string_new (NULL);
  guint n = teken_pdf_document_get_next_object_number (doc);
  g_autofree char *cat_body = NULL;
  g_autofree char *pages_body = g_strdup_printf ("<< /Type /Pages /Kids [%u 0 R] /Count 1 >>", n + 2);
  g_autofree char *page_body = g_strdup_printf ("<< /Type /Page /Parent %u 0 R /MediaBox [0 0 595 842] /Contents %u 0 R "
                                                "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
                                                n + 1, n + 3);
  g_autofree char *content_body = g_strdup_printf ("<< /Length %zu >>\nstream\n%s\nendstream", strlen (FAKE_CONTENT), FAKE_CONTENT);
  TekenSignatureResult *sig;

  /* Keep the signature field so that viewers still show "signed". */
  teken_pdf_object_serialize (teken_pdf_dict_get (cat, "AcroForm"), acro);
  cat_body = g_strdup_printf ("<< /Type /Catalog /Pages %u 0 R /AcroForm %s >>", n + 1, acro->str);
  {
    VtRawObject objs[] = {
      { n, cat_body, 0 }, { n + 1, pages_body, 0 }, { n + 2, page_body, 0 }, { n + 3, content_body, 0 },
    };

    attacked = vt_raw_update (base, objs, 4, n, TRUE);
  }
  vt_write (out, g_bytes_get_data (attacked, NULL), g_bytes_get_size (attacked));
  sig = expect_invalid (out, &result);
  g_assert_true (has_change (sig, TEKEN_CHANGE_ROLE_CATALOG, FALSE));
}

/* ---------------------------------------------------------------------------------------- */
/* Certification attacks */

static char *
certified (int docmdp)
{
  g_autofree char *name = g_strdup_printf ("certified-p%d.pdf", docmdp);
  char *out = tmp_path (name);
  g_autofree char *in = corpus ("naskah-dinas-libreoffice.pdf");
  VtSignOptions o = { "jabatan-rsa2048", docmdp, NULL, "Sertifikasi" };

  if (!g_file_test (out, G_FILE_TEST_EXISTS))
    vt_sign_own (in, out, &o);
  return out;
}

static void
test_certified_control (void)
{
  for (int p = 1; p <= 3; p++)
    {
      g_autofree char *path = certified (p);
      g_autoptr(TekenDocumentResult) result = vt_verify (path);
      TekenSignatureResult *sig = vt_sig (result, 0);

      vt_print (result);
      g_assert_cmpint (teken_document_result_get_status (result), ==, TEKEN_DOCUMENT_STATUS_VALID);
      g_assert_cmpint (teken_signature_result_get_signature_type (sig), ==, TEKEN_SIGNATURE_TYPE_CERTIFICATION);
      g_assert_cmpint (teken_signature_result_get_docmdp_level (sig), ==, p);
    }
}

static void
add_annotation (TekenPdfUpdate   *update,
                TekenPdfDocument *base,
                gpointer          data)
{
  guint page_num = 0;
  g_autoptr(TekenPdfObject) page = teken_pdf_document_get_page (base, 0, &page_num, NULL);
  g_autoptr(TekenPdfObject) annots = teken_pdf_document_lookup (base, page, "Annots", NULL);
  TekenPdfObject *copy = teken_pdf_object_copy (page);
  TekenPdfObject *list = annots ? teken_pdf_object_copy (annots) : teken_pdf_array_new ();
  TekenPdfObject *annot = teken_pdf_dict_new ();
  TekenPdfObject *rect = teken_pdf_array_new ();
  guint num;

  teken_pdf_dict_set (annot, "Type", teken_pdf_name_new ("Annot"));
  teken_pdf_dict_set (annot, "Subtype", teken_pdf_name_new ("FreeText"));
  teken_pdf_array_append (rect, teken_pdf_integer_new (50));
  teken_pdf_array_append (rect, teken_pdf_integer_new (400));
  teken_pdf_array_append (rect, teken_pdf_integer_new (550));
  teken_pdf_array_append (rect, teken_pdf_integer_new (500));
  teken_pdf_dict_set (annot, "Rect", rect);
  teken_pdf_dict_set (annot, "Contents", teken_pdf_string_new_text ("Nilai kontrak: Rp 9.000.000.000"));
  teken_pdf_dict_set (annot, "DA", teken_pdf_string_new_text ("/Helv 24 Tf 0 g"));
  num = teken_pdf_update_add_object (update, annot);
  teken_pdf_array_append (list, teken_pdf_reference_new (num, 0));
  teken_pdf_dict_set (copy, "Annots", list);
  teken_pdf_update_set_object (update, page_num, copy);
}

static void
test_evil_annotation (gconstpointer data)
{
  int p = GPOINTER_TO_INT (data);
  g_autofree char *in = certified (p);
  g_autofree char *name = g_strdup_printf ("evil-annotation-p%d.pdf", p);
  g_autofree char *out = tmp_path (name);
  g_autoptr(TekenDocumentResult) result = NULL;
  TekenSignatureResult *sig;

  vt_update (in, out, add_annotation, NULL);
  if (p == 3)
    {
      /* Control: P=3 permits annotations; the certification stays valid, the change is reported. */
      result = vt_verify (out);
      vt_print (result);
      sig = vt_sig (result, 0);
      g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_VALID);
      g_assert_cmpint (teken_signature_result_get_modified_after (sig), ==, TEKEN_MODIFICATION_ALLOWED);
      g_assert_true (has_change (sig, TEKEN_CHANGE_ROLE_ANNOTATION, TRUE));
      return;
    }
  sig = expect_invalid (out, &result);
  vt_assert_reasons (sig, TEKEN_SIGNATURE_REASON_MODIFIED_DISALLOWED, -1);
}

/* Sneaky signature: a new, unsigned signature field whose appearance puts text on the page. */
static void
add_sneaky_field (TekenPdfUpdate   *update,
                  TekenPdfDocument *base,
                  gpointer          data)
{
  guint page_num = 0, cat_num = 0;
  g_autoptr(TekenPdfObject) page = teken_pdf_document_get_page (base, 0, &page_num, NULL);
  g_autoptr(TekenPdfObject) cat = teken_pdf_document_get_catalog (base, &cat_num, NULL);
  g_autoptr(TekenPdfObject) annots = teken_pdf_document_lookup (base, page, "Annots", NULL);
  g_autoptr(TekenPdfObject) af = teken_pdf_document_lookup (base, cat, "AcroForm", NULL);
  TekenPdfObject *page_copy = teken_pdf_object_copy (page);
  TekenPdfObject *cat_copy = teken_pdf_object_copy (cat);
  TekenPdfObject *af_copy = teken_pdf_object_copy (af);
  TekenPdfObject *fields = teken_pdf_object_copy (teken_pdf_dict_get (af, "Fields"));
  TekenPdfObject *list = annots ? teken_pdf_object_copy (annots) : teken_pdf_array_new ();
  TekenPdfObject *widget = teken_pdf_dict_new ();
  TekenPdfObject *rect = teken_pdf_array_new ();
  TekenPdfObject *ap = teken_pdf_dict_new ();
  TekenPdfObject *xobj_dict = teken_pdf_dict_new ();
  TekenPdfObject *bbox = teken_pdf_array_new ();
  const char *text = "q 1 1 1 rg 0 0 400 200 re f Q BT /Helv 20 Tf 10 100 Td (PALSU) Tj ET";
  guint ap_num, widget_num;

  teken_pdf_dict_set (xobj_dict, "Type", teken_pdf_name_new ("XObject"));
  teken_pdf_dict_set (xobj_dict, "Subtype", teken_pdf_name_new ("Form"));
  teken_pdf_array_append (bbox, teken_pdf_integer_new (0));
  teken_pdf_array_append (bbox, teken_pdf_integer_new (0));
  teken_pdf_array_append (bbox, teken_pdf_integer_new (400));
  teken_pdf_array_append (bbox, teken_pdf_integer_new (200));
  teken_pdf_dict_set (xobj_dict, "BBox", bbox);
  ap_num = teken_pdf_update_add_object (update, teken_pdf_stream_new (xobj_dict, g_bytes_new (text, strlen (text))));
  teken_pdf_dict_set (ap, "N", teken_pdf_reference_new (ap_num, 0));
  teken_pdf_dict_set (widget, "FT", teken_pdf_name_new ("Sig"));
  teken_pdf_dict_set (widget, "Type", teken_pdf_name_new ("Annot"));
  teken_pdf_dict_set (widget, "Subtype", teken_pdf_name_new ("Widget"));
  teken_pdf_dict_set (widget, "T", teken_pdf_string_new_text ("Sneaky"));
  teken_pdf_dict_set (widget, "F", teken_pdf_integer_new (4));
  teken_pdf_array_append (rect, teken_pdf_integer_new (100));
  teken_pdf_array_append (rect, teken_pdf_integer_new (300));
  teken_pdf_array_append (rect, teken_pdf_integer_new (500));
  teken_pdf_array_append (rect, teken_pdf_integer_new (500));
  teken_pdf_dict_set (widget, "Rect", rect);
  teken_pdf_dict_set (widget, "P", teken_pdf_reference_new (page_num, 0));
  teken_pdf_dict_set (widget, "AP", ap);
  widget_num = teken_pdf_update_add_object (update, widget);
  teken_pdf_array_append (list, teken_pdf_reference_new (widget_num, 0));
  teken_pdf_dict_set (page_copy, "Annots", list);
  teken_pdf_update_set_object (update, page_num, page_copy);
  teken_pdf_array_append (fields, teken_pdf_reference_new (widget_num, 0));
  teken_pdf_dict_set (af_copy, "Fields", fields);
  teken_pdf_dict_set (cat_copy, "AcroForm", af_copy);
  teken_pdf_update_set_object (update, cat_num, cat_copy);
}

static void
test_sneaky_signature (void)
{
  g_autofree char *in = certified (2);
  g_autofree char *out = tmp_path ("sneaky.pdf");
  g_autoptr(TekenDocumentResult) result = NULL;
  TekenSignatureResult *sig;

  vt_update (in, out, add_sneaky_field, NULL);
  result = verify_attack (out);
  g_assert_nonnull (result);
  sig = find_sig (result, "Sertifikasi");
  g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_INVALID);
  g_assert_true (has_change (sig, TEKEN_CHANGE_ROLE_SIGNATURE_FIELD, FALSE));
}

/* Sneaky signature signed by an attacker's (untrusted) certificate: the certification stays valid
 * (a further signature is a permitted change at P=2) but the document is not. */
static void
test_sneaky_signature_signed (void)
{
  g_autofree char *in = certified (2);
  g_autofree char *out = tmp_path ("sneaky-signed.pdf");
  g_autoptr(TekenDocumentResult) result = NULL;

  vt_sign_cli (in, out, "untrusted", "--page", "1", "--rect", "100,300,400,200", NULL);
  result = verify_attack (out);
  g_assert_nonnull (result);
  g_assert_cmpint (teken_signature_result_get_status (vt_sig (result, 1)), ==,
                   TEKEN_SIGNATURE_STATUS_INDETERMINATE);
}

/* Control: P=2 then a trusted approval signature is fine; P=1 forbids it. */
static void
test_certified_then_signed (void)
{
  g_autofree char *p2 = certified (2);
  g_autofree char *p1 = certified (1);
  g_autofree char *out2 = tmp_path ("p2-then-signed.pdf");
  g_autofree char *out1 = tmp_path ("p1-then-signed.pdf");
  g_autoptr(TekenDocumentResult) r2 = NULL;
  g_autoptr(TekenDocumentResult) r1 = NULL;

  vt_sign_cli (p2, out2, "individu-p256", NULL);
  r2 = vt_verify (out2);
  vt_print (r2);
  g_assert_cmpint (teken_document_result_get_status (r2), ==, TEKEN_DOCUMENT_STATUS_VALID);
  g_assert_cmpint (teken_signature_result_get_modified_after (find_sig (r2, "Sertifikasi")), ==,
                   TEKEN_MODIFICATION_ALLOWED);

  /* teken-cli refuses to sign a P=1 document; an attacker's tool does not. */
  {
    VtSignOptions o = { "individu-p256", 0, NULL, "Signature1", NULL, NULL };

    vt_sign_own (p1, out1, &o);
  }
  r1 = verify_attack (out1);
  g_assert_nonnull (r1);
  g_assert_cmpint (teken_signature_result_get_status (find_sig (r1, "Sertifikasi")), ==,
                   TEKEN_SIGNATURE_STATUS_INVALID);
}

/* Form filling after a certification: permitted at P=2 (control), not at P=1, and not in a field
 * the certification locks with FieldMDP. */
static void
test_form_filling (void)
{
  g_autofree char *in = corpus ("formulir-acroform-libreoffice.pdf");
  const struct { int p; const char *lock; const char *edit; gboolean valid; } cases[] = {
    { 2, NULL, "nama_lengkap", TRUE },
    { 3, NULL, "nama_lengkap", TRUE },
    { 1, NULL, "nama_lengkap", FALSE },
    { 2, "nip", "nip", FALSE },
    { 2, "nip", "nama_lengkap", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cname = g_strdup_printf ("form-cert-%u.pdf", i);
      g_autofree char *fname = g_strdup_printf ("form-filled-%u.pdf", i);
      g_autofree char *certified_path = tmp_path (cname);
      g_autofree char *out = tmp_path (fname);
      VtSignOptions o = { "jabatan-rsa2048", cases[i].p, NULL, "Sertifikasi", cases[i].lock };
      FieldEdit edit = { cases[i].edit, FALSE };
      g_autoptr(TekenDocumentResult) result = NULL;
      TekenSignatureResult *sig;

      vt_sign_own (in, certified_path, &o);
      vt_update (certified_path, out, replace_field_value, &edit);
      g_assert_true (edit.done);
      result = vt_verify (out);
      vt_print (result);
      sig = find_sig (result, "Sertifikasi");
      g_assert_true (teken_signature_result_get_integrity (sig));
      if (cases[i].valid)
        {
          g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_VALID);
          g_assert_cmpint (teken_signature_result_get_modified_after (sig), ==, TEKEN_MODIFICATION_ALLOWED);
          g_assert_true (has_change (sig, TEKEN_CHANGE_ROLE_FORM_FIELD, TRUE));
        }
      else
        {
          g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_INVALID);
          g_assert_true (has_change (sig, TEKEN_CHANGE_ROLE_FORM_FIELD, FALSE));
        }
    }
}

/* Hostile structure: a field that is its own kid and parent, listed twice in /AcroForm /Fields.
 * The verifier must end with a result; the empty fields have no widget and show nothing, so
 * they are permitted additions (new signature fields) and the signature stays valid. */
static void
test_hostile_field_loops (void)
{
  g_autofree char *in = victim ();
  g_autofree char *out = tmp_path ("hostile-loops.pdf");
  g_autoptr(GBytes) base = vt_read (in);
  g_autoptr(GBytes) attacked = NULL;
  g_autoptr(TekenDocumentResult) result = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (in, NULL);
  guint n = teken_pdf_document_get_next_object_number (doc);
  guint cat = vt_catalog_num (in);
  g_autofree char *field = g_strdup_printf ("<< /FT /Sig /T (Loop) /Kids [%u 0 R %u 0 R] /Parent %u 0 R >>", n, n + 1, n + 1);
  g_autofree char *field2 = g_strdup_printf ("<< /T (Loop2) /Kids [%u 0 R] /Parent %u 0 R >>", n, n);
  g_autoptr(TekenPdfObject) catalog = NULL;
  g_autoptr(TekenPdfObject) af = NULL;
  g_autoptr(GString) cat_text = g_string_new (NULL);
  TekenPdfObject *fields;

  catalog = teken_pdf_object_copy (teken_pdf_document_get_catalog (doc, NULL, NULL));
  af = teken_pdf_object_copy (teken_pdf_document_lookup (doc, catalog, "AcroForm", NULL));
  fields = teken_pdf_object_copy (teken_pdf_dict_get (af, "Fields"));
  teken_pdf_array_append (fields, teken_pdf_reference_new (n, 0));
  teken_pdf_array_append (fields, teken_pdf_reference_new (n, 0));
  teken_pdf_array_append (fields, teken_pdf_reference_new (n + 1, 0));
  teken_pdf_dict_set (af, "Fields", fields);
  teken_pdf_dict_set (catalog, "AcroForm", teken_pdf_object_ref (af));
  teken_pdf_object_serialize (catalog, cat_text);
  {
    VtRawObject objs[] = { { n, field, 0 }, { n + 1, field2, 0 }, { cat, cat_text->str, 0 } };

    attacked = vt_raw_update (base, objs, 3, 0, TRUE);
  }
  vt_write (out, g_bytes_get_data (attacked, NULL), g_bytes_get_size (attacked));
  result = vt_verify (out);
  vt_print (result);
  g_assert_cmpuint (g_list_model_get_n_items (teken_document_result_get_signatures (result)), ==, 1);
  g_assert_cmpint (teken_signature_result_get_status (vt_sig (result, 0)), ==, TEKEN_SIGNATURE_STATUS_VALID);
  g_assert_cmpint (teken_signature_result_get_modified_after (vt_sig (result, 0)), ==, TEKEN_MODIFICATION_ALLOWED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  teken_core_init ();
  tmp_dir = teken_test_make_tmp_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (usf_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/verify/attack/usf/%s", usf_cases[i].name);
      g_test_add_data_func (name, &usf_cases[i], test_usf);
    }
  g_test_add_func ("/verify/attack/usf/override-signed", test_usf_override);
  g_test_add_func ("/verify/attack/isa/page-content", test_isa_page_content);
  g_test_add_func ("/verify/attack/isa/override-signature", test_isa_override_signature);
  g_test_add_func ("/verify/attack/isa/no-xref", test_isa_no_xref);
  g_test_add_func ("/verify/attack/swa/gap-injection", test_swa_gap_injection);
  g_test_add_func ("/verify/attack/swa/shifted-range", test_swa_shifted_range);
  g_test_add_func ("/verify/attack/shadow/hide", test_shadow_hide);
  g_test_add_func ("/verify/attack/shadow/replace-field", test_shadow_replace_field);
  g_test_add_func ("/verify/attack/shadow/replace-font", test_shadow_replace_font);
  g_test_add_func ("/verify/attack/shadow/hide-and-replace", test_shadow_hide_and_replace);
  g_test_add_func ("/verify/attack/certification/control", test_certified_control);
  g_test_add_data_func ("/verify/attack/certification/evil-annotation-p1", GINT_TO_POINTER (1), test_evil_annotation);
  g_test_add_data_func ("/verify/attack/certification/evil-annotation-p2", GINT_TO_POINTER (2), test_evil_annotation);
  g_test_add_data_func ("/verify/attack/certification/annotation-p3-allowed", GINT_TO_POINTER (3), test_evil_annotation);
  g_test_add_func ("/verify/attack/certification/sneaky-signature", test_sneaky_signature);
  g_test_add_func ("/verify/attack/certification/sneaky-signature-signed", test_sneaky_signature_signed);
  g_test_add_func ("/verify/attack/certification/then-signed", test_certified_then_signed);
  g_test_add_func ("/verify/attack/certification/form-filling", test_form_filling);
  g_test_add_func ("/verify/attack/hostile/field-loops", test_hostile_field_loops);
  return g_test_run ();
}
