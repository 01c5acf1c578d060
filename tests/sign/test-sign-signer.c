/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TekenSigner on the corpus: the output re-opens with a signed field, its ByteRange digest
 * matches the CMS, existing fields are filled, bad inputs and cancellation leave no file.
 */
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "teken-core.h"
#include "teken-p12-key.h"
#include "teken-pdf-document.h"
#include "teken-pdf-update.h"
#include "teken-signer.h"
#include "teken-test-utils.h"

static char *passphrase;

static TekenKey *
load_key (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.p12", name);
  g_autofree char *path = teken_test_pki_path (file);
  g_autoptr(GError) error = NULL;
  TekenP12Key *key = teken_p12_key_new_from_file (path, passphrase, &error);

  g_assert_no_error (error);
  return TEKEN_KEY (key);
}

typedef struct
{
  char *name;
  TekenPdfObject *field;     /* the merged field/widget or field dict */
  TekenPdfObject *sig;       /* /V resolved, NULL when unsigned */
} SigField;

static void
sig_field_free (SigField *f)
{
  g_free (f->name);
  g_clear_pointer (&f->field, teken_pdf_object_unref);
  g_clear_pointer (&f->sig, teken_pdf_object_unref);
  g_free (f);
}

/* The signature fields of a document, read with Teken's own engine. */
static GPtrArray *
signature_fields (TekenPdfDocument *doc)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) sig_field_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfObject) catalog = teken_pdf_document_get_catalog (doc, NULL, &error);
  g_autoptr(TekenPdfObject) acroform = teken_pdf_document_lookup (doc, catalog, "AcroForm", &error);
  g_autoptr(TekenPdfObject) fields = acroform ? teken_pdf_document_lookup (doc, acroform, "Fields", &error) : NULL;

  g_assert_no_error (error);
  for (guint i = 0; fields != NULL && i < teken_pdf_array_get_length (fields); i++)
    {
      g_autoptr(TekenPdfObject) f = teken_pdf_document_resolve (doc, teken_pdf_array_get (fields, i), NULL);
      g_autoptr(TekenPdfObject) ft = teken_pdf_document_lookup (doc, f, "FT", NULL);
      SigField *sf;

      if (!teken_pdf_object_is_name (ft, "Sig"))
        continue;
      sf = g_new0 (SigField, 1);
      sf->name = teken_pdf_object_get_text (teken_pdf_dict_get (f, "T"));
      sf->field = teken_pdf_object_ref (f);
      sf->sig = teken_pdf_document_lookup (doc, f, "V", NULL);
      g_ptr_array_add (out, sf);
    }
  return out;
}

/* The digest of the ByteRange equals the CMS messageDigest; the range covers the whole file
 * except /Contents. */
static void
check_byte_range (const char     *path,
                  TekenPdfObject *sig,
                  const EVP_MD   *md)
{
  TekenPdfObject *br = teken_pdf_dict_get (sig, "ByteRange");
  TekenPdfObject *contents = teken_pdf_dict_get (sig, "Contents");
  g_autofree char *data = NULL;
  gsize len, cms_len;
  gint64 r[4];
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  const unsigned char *der;
  CMS_ContentInfo *cms;
  CMS_SignerInfo *si;
  ASN1_OCTET_STRING *md_attr;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (teken_pdf_array_get_length (br), ==, 4);
  for (int i = 0; i < 4; i++)
    r[i] = teken_pdf_object_get_integer (teken_pdf_array_get (br, i));
  g_assert_cmpint (r[0], ==, 0);
  g_assert_cmpint (r[2] + r[3], ==, (gint64) len);
  g_assert_cmpint (data[r[1]], ==, '<');
  g_assert_cmpint (data[r[2] - 1], ==, '>');
  g_assert_cmpint (r[2] - r[1], >=, 2 * 16384 + 2);

  EVP_DigestInit_ex (ctx, md, NULL);
  EVP_DigestUpdate (ctx, data, r[1]);
  EVP_DigestUpdate (ctx, data + r[2], r[3]);
  EVP_DigestFinal_ex (ctx, digest, &digest_len);
  EVP_MD_CTX_free (ctx);

  der = teken_pdf_object_get_string (contents, &cms_len);
  cms = d2i_CMS_ContentInfo (NULL, &der, cms_len);
  g_assert_nonnull (cms);
  si = sk_CMS_SignerInfo_value (CMS_get0_SignerInfos (cms), 0);
  md_attr = CMS_signed_get0_data_by_OBJ (si, OBJ_nid2obj (NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING);
  g_assert_nonnull (md_attr);
  g_assert_cmpmem (md_attr->data, md_attr->length, digest, digest_len);
  g_assert_cmpint (CMS_signed_get_attr_by_NID (si, NID_pkcs9_signingTime, -1) >= 0, ==,
                   teken_pdf_object_is_name (teken_pdf_dict_get (sig, "SubFilter"), "adbe.pkcs7.detached"));
  CMS_ContentInfo_free (cms);
}

static TekenPdfDocument *
open_doc (const char *path)
{
  g_autoptr(GError) error = NULL;
  TekenPdfDocument *doc = teken_pdf_document_new_for_path (path, &error);

  g_assert_no_error (error);
  return doc;
}

static void
sign_ok (TekenSigner *signer,
         const char  *in,
         const char  *out)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (teken_signer_sign_file (signer, in, out, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static const char *good_files[] = {
  "naskah-dinas-libreoffice.pdf", "naskah-dinas-pdfa2b-libreoffice.pdf", "formulir-acroform-libreoffice.pdf",
  "laporan-cairo.pdf", "nota-dinas-ghostscript.pdf", "keputusan-pdftex.pdf", "pindaian-img2pdf.pdf",
  "naskah-dinas-qpdf-objstm.pdf", "naskah-dinas-qpdf-linearized.pdf", "naskah-dinas-qpdf-qdf.pdf",
  "naskah-dinas-hybrid-xref.pdf", "naskah-dinas-incremental-3rev.pdf", "naskah-dinas-objstm-incremental-2rev.pdf",
  "naskah-dinas-empty-sigfield.pdf", "laporan-rotated-cropbox.pdf", "laporan-pdf20-header.pdf",
  "register-200-halaman.pdf",
};

static void
test_corpus (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autoptr(TekenKey) key = load_key ("individu-rsa2048");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);

  teken_signer_set_reason (signer, "Menyetujui");
  for (guint i = 0; i < G_N_ELEMENTS (good_files); i++)
    {
      g_autofree char *in = teken_test_corpus_path (good_files[i]);
      g_autofree char *out = g_build_filename (dir, good_files[i], NULL);
      g_autofree char *before = teken_test_file_sha256 (in);
      g_autofree char *after = NULL;
      g_autoptr(TekenPdfDocument) doc = NULL;
      g_autoptr(GPtrArray) fields = NULL;
      guint signed_fields = 0;

      g_test_message ("signing %s", good_files[i]);
      sign_ok (signer, in, out);
      after = teken_test_file_sha256 (in);
      g_assert_cmpstr (before, ==, after);
      g_assert_true (teken_test_file_has_prefix (out, in));

      doc = open_doc (out);
      fields = signature_fields (doc);
      for (guint j = 0; j < fields->len; j++)
        {
          SigField *f = g_ptr_array_index (fields, j);

          if (f->sig == NULL)
            continue;
          signed_fields++;
          g_assert_true (teken_pdf_object_is_name (teken_pdf_dict_get (f->sig, "Type"), "Sig"));
          g_assert_true (teken_pdf_object_is_name (teken_pdf_dict_get (f->sig, "Filter"), "Adobe.PPKLite"));
          g_assert_true (teken_pdf_object_is_name (teken_pdf_dict_get (f->sig, "SubFilter"), "ETSI.CAdES.detached"));
          check_byte_range (out, f->sig, EVP_sha256 ());
        }
      g_assert_cmpuint (signed_fields, ==, 1);
    }
}

static void
test_fill_existing_field (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-empty-sigfield.pdf");
  g_autofree char *out = g_build_filename (dir, "filled.pdf", NULL);
  g_autofree char *again = g_build_filename (dir, "again.pdf", NULL);
  g_autoptr(TekenKey) key = load_key ("jabatan-p256");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autoptr(TekenPdfDocument) before = open_doc (in);
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(GPtrArray) fields_before = signature_fields (before);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(TekenPdfObject) ap = NULL;
  g_autoptr(GError) error = NULL;
  SigField *f;

  g_assert_cmpuint (fields_before->len, ==, 1);
  teken_signer_set_field_name (signer, "TTE_Bupati");
  sign_ok (signer, in, out);
  doc = open_doc (out);
  fields = signature_fields (doc);
  g_assert_cmpuint (fields->len, ==, 1);   /* filled, not added */
  f = g_ptr_array_index (fields, 0);
  g_assert_cmpstr (f->name, ==, "TTE_Bupati");
  g_assert_nonnull (f->sig);
  check_byte_range (out, f->sig, EVP_sha256 ());
  /* the 200 x 66 pt widget got our stamp */
  ap = teken_pdf_document_lookup (doc, f->field, "AP", NULL);
  g_assert_nonnull (ap);
  g_assert_nonnull (teken_pdf_dict_get (ap, "N"));

  /* the field is now signed: filling it again is refused */
  g_assert_false (teken_signer_sign_file (signer, out, again, NULL, NULL, NULL, &error));
  g_assert_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FIELD);
  g_assert_false (g_file_test (again, G_FILE_TEST_EXISTS));
}

static void
test_named_and_second_signature (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *in = teken_test_corpus_path ("nota-dinas-ghostscript.pdf");
  g_autofree char *one = g_build_filename (dir, "one.pdf", NULL);
  g_autofree char *two = g_build_filename (dir, "two.pdf", NULL);
  g_autofree char *three = g_build_filename (dir, "three.pdf", NULL);
  g_autoptr(TekenKey) key = load_key ("individu-p384");
  g_autoptr(TekenKey) key2 = load_key ("jabatan-rsa2048");
  g_autoptr(TekenKey) key3 = load_key ("sistem-p256");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  guint n_valid = 0, n_trusted = 0;

  /* Three different certificates: poppler 22.12 reports "Unknown issue with Certificate" for
   * the second of two signatures by the same certificate when an OpenSSL-made CMS is involved
   * (seen with `openssl cms -sign` output too), so the trust check uses distinct signers. */
  teken_signer_set_new_field_name (signer, "Persetujuan Sekda");
  teken_signer_set_digest (signer, TEKEN_DIGEST_SHA384);
  sign_ok (signer, in, one);
  /* the name is taken now */
  g_assert_false (teken_signer_sign_file (signer, one, two, NULL, NULL, NULL, &error));
  g_assert_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FIELD);
  g_clear_error (&error);
  /* fill an existing field that is not there */
  teken_signer_set_new_field_name (signer, NULL);
  teken_signer_set_field_name (signer, "Tidak_Ada");
  g_assert_false (teken_signer_sign_file (signer, one, two, NULL, NULL, NULL, &error));
  g_assert_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_FIELD);
  g_clear_error (&error);
  g_assert_false (g_file_test (two, G_FILE_TEST_EXISTS));
  teken_signer_set_key (signer, key2);
  teken_signer_set_field_name (signer, NULL);
  teken_signer_set_subfilter (signer, TEKEN_SUBFILTER_PKCS7);
  sign_ok (signer, one, two);
  teken_signer_set_key (signer, key3);
  teken_signer_set_visible (signer, 0, 50, 50, 200, 60);
  sign_ok (signer, two, three);

  doc = open_doc (three);
  fields = signature_fields (doc);
  g_assert_cmpuint (fields->len, ==, 3);
  g_assert_cmpstr (((SigField *) g_ptr_array_index (fields, 0))->name, ==, "Persetujuan Sekda");
  g_assert_cmpstr (((SigField *) g_ptr_array_index (fields, 1))->name, ==, "Signature1");
  g_assert_cmpstr (((SigField *) g_ptr_array_index (fields, 2))->name, ==, "Signature2");
  g_assert_true (teken_pdf_object_is_name (teken_pdf_dict_get (((SigField *) g_ptr_array_index (fields, 1))->sig, "SubFilter"),
                                           "adbe.pkcs7.detached"));
  /* each signature still covers its own revision */
  g_assert_true (teken_test_file_has_prefix (three, two));
  g_assert_true (teken_test_file_has_prefix (two, one));

  /* independent check: poppler sees three valid signatures from a trusted chain */
  g_assert_cmpuint (teken_test_pdfsig_check (three, &n_valid, &n_trusted, &output), ==, 3);
  if (n_valid != 3 || n_trusted != 3)
    g_error ("pdfsig: %s", output);
}

static void
test_visible_rotated (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *in = teken_test_corpus_path ("laporan-rotated-cropbox.pdf");
  g_autofree char *out = g_build_filename (dir, "rot.pdf", NULL);
  g_autoptr(TekenKey) key = load_key ("individu-rsa2048");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autoptr(TekenPdfDocument) src = open_doc (in);
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  TekenPdfRect crop;
  int rotate = -1;
  TekenPdfObject *rect, *mk;
  double r[4];
  SigField *f;

  g_assert_true (teken_pdf_document_get_page_geometry (src, 0, &crop, &rotate, &error));
  g_assert_cmpint (rotate, ==, 90);
  teken_signer_set_visible (signer, 0, 10, 20, 200, 60);
  teken_signer_set_qr_text (signer, "https://example.invalid/v");
  sign_ok (signer, in, out);

  doc = open_doc (out);
  fields = signature_fields (doc);
  g_assert_cmpuint (fields->len, ==, 1);
  f = g_ptr_array_index (fields, 0);
  rect = teken_pdf_dict_get (f->field, "Rect");
  for (int i = 0; i < 4; i++)
    r[i] = teken_pdf_object_get_number (teken_pdf_array_get (rect, i));
  /* shown 200 wide x 60 high on a page turned by 90°: 60 x 200 in user space, at the
   * visible lower left (x from the crop box's right edge, y from its bottom) */
  g_assert_cmpfloat_with_epsilon (r[2] - r[0], 60, 0.01);
  g_assert_cmpfloat_with_epsilon (r[3] - r[1], 200, 0.01);
  g_assert_cmpfloat_with_epsilon (r[2], crop.x2 - 20, 0.01);
  g_assert_cmpfloat_with_epsilon (r[1], crop.y1 + 10, 0.01);
  mk = teken_pdf_dict_get (f->field, "MK");
  g_assert_cmpint (teken_pdf_object_get_integer (teken_pdf_dict_get (mk, "R")), ==, 90);
  g_assert_cmpint (teken_pdf_object_get_integer (teken_pdf_dict_get (f->field, "F")), ==, 132);
  check_byte_range (out, f->sig, EVP_sha256 ());
}

static void
test_placement_errors (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *in = teken_test_corpus_path ("laporan-cairo.pdf");
  g_autofree char *out = g_build_filename (dir, "x.pdf", NULL);
  g_autoptr(TekenKey) key = load_key ("individu-p256");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autoptr(GError) error = NULL;

  teken_signer_set_visible (signer, 5, 10, 10, 100, 50);
  g_assert_false (teken_signer_sign_file (signer, in, out, NULL, NULL, NULL, &error));
  g_assert_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_PLACEMENT);
  g_clear_error (&error);
  teken_signer_set_visible (signer, 0, 500, 10, 200, 50);   /* A4 is 595 wide */
  g_assert_false (teken_signer_sign_file (signer, in, out, NULL, NULL, NULL, &error));
  g_assert_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_PLACEMENT);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
expect_refused (const char *file,
                GQuark      domain,
                int         code)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *in = teken_test_corpus_path (file);
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  g_autofree char *before = teken_test_file_sha256 (in);
  g_autofree char *after = NULL;
  g_autoptr(TekenKey) key = load_key ("individu-rsa2048");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_assert_false (teken_signer_sign_file (signer, in, out, NULL, NULL, NULL, &error));
  g_assert_error (error, domain, code);
  g_test_message ("%s: %s", file, error->message);
  entries = teken_test_list_dir (dir);
  g_assert_cmpuint (entries->len, ==, 0);
  after = teken_test_file_sha256 (in);
  g_assert_cmpstr (before, ==, after);
}

static void
test_bad_inputs (void)
{
  g_autoptr(GError) error = NULL;

  expect_refused ("bad-encrypted-user-aes256.pdf", TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_ENCRYPTED);
  expect_refused ("bad-encrypted-owner-only-aes256.pdf", TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_ENCRYPTED);
  expect_refused ("bad-broken-xref-offsets.pdf", TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_DAMAGED);
  expect_refused ("bad-truncated.pdf", TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_TRUNCATED);
  expect_refused ("bad-empty.pdf", TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_NOT_PDF);
  expect_refused ("bad-not-pdf-html.pdf", TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_NOT_PDF);
  expect_refused ("bad-not-pdf-odt.pdf", TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_NOT_PDF);
}

static void
test_encrypted_message (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *in = teken_test_corpus_path ("bad-encrypted-user-aes256.pdf");
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  g_autoptr(TekenKey) key = load_key ("individu-rsa2048");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autoptr(GError) error = NULL;

  g_assert_false (teken_signer_sign_file (signer, in, out, NULL, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Encrypted PDFs cannot be signed yet");
}

static void
test_same_file (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *src = teken_test_corpus_path ("laporan-cairo.pdf");
  g_autofree char *in = g_build_filename (dir, "in.pdf", NULL);
  g_autofree char *hard = g_build_filename (dir, "link.pdf", NULL);
  g_autofree char *data = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize len;
  g_autoptr(TekenKey) key = load_key ("individu-rsa2048");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (src, &data, &len, NULL));
  g_assert_true (g_file_set_contents (in, data, len, NULL));
  g_assert_cmpint (link (in, hard), ==, 0);
  before = teken_test_file_sha256 (in);

  g_assert_false (teken_signer_sign_file (signer, in, in, NULL, NULL, NULL, &error));
  g_assert_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_SAME_FILE);
  g_clear_error (&error);
  g_assert_false (teken_signer_sign_file (signer, in, hard, NULL, NULL, NULL, &error));
  g_assert_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_SAME_FILE);
  after = teken_test_file_sha256 (in);
  g_assert_cmpstr (before, ==, after);
}

static void
cancel_on_progress (double   fraction,
                    gpointer user_data)
{
  if (fraction > 0)
    g_cancellable_cancel (user_data);
}

static void
test_cancel (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *in = teken_test_corpus_path ("register-200-halaman.pdf");
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  g_autoptr(TekenKey) key = load_key ("individu-rsa2048");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  /* cancelled in the middle of streaming */
  g_assert_false (teken_signer_sign_file (signer, in, out, cancellable, cancel_on_progress, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  entries = teken_test_list_dir (dir);
  g_assert_cmpuint (entries->len, ==, 0);

  /* cancelled before it starts */
  g_clear_error (&error);
  g_assert_false (teken_signer_sign_file (signer, in, out, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = teken_test_list_dir (dir);
  g_assert_cmpuint (entries->len, ==, 0);
}

typedef struct
{
  GMainLoop *loop;
  gboolean ok;
  GError *error;
  double last;
  guint calls;
  gboolean monotonic;
} AsyncState;

static void
async_progress (double   fraction,
                gpointer user_data)
{
  AsyncState *state = user_data;

  state->monotonic &= fraction >= state->last;
  state->last = fraction;
  state->calls++;
}

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncState *state = user_data;

  state->ok = teken_signer_sign_file_finish (TEKEN_SIGNER (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_async (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *in = teken_test_corpus_path ("keputusan-pdftex.pdf");
  g_autofree char *out = g_build_filename (dir, "async.pdf", NULL);
  g_autoptr(TekenKey) key = load_key ("sistem-p256");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncState state = { loop, FALSE, NULL, 0, 0, TRUE };
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(GPtrArray) fields = NULL;

  teken_signer_sign_file_async (signer, in, out, NULL, async_progress, &state, async_done, &state);
  g_main_loop_run (loop);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  /* progress reaches the caller's context; let queued calls run */
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_true (state.monotonic);
  g_assert_cmpuint (state.calls, >=, 2);
  g_assert_cmpfloat (state.last, ==, 1.0);
  doc = open_doc (out);
  fields = signature_fields (doc);
  g_assert_cmpuint (fields->len, ==, 1);
}

static void
test_signing_time (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *in = teken_test_corpus_path ("laporan-cairo.pdf");
  g_autofree char *out = g_build_filename (dir, "time.pdf", NULL);
  g_autoptr(TekenKey) key = load_key ("individu-ed25519");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) t = g_date_time_new (tz, 2026, 11, 24, 10, 40, 12);
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  SigField *f;
  gsize len;
  const guint8 *m;
  g_autofree char *name = NULL;

  teken_signer_set_signing_time (signer, t);
  teken_signer_set_location (signer, "Kabupaten Contoh");
  teken_signer_set_contact_info (signer, "sekda@contoh.go.id");
  sign_ok (signer, in, out);
  doc = open_doc (out);
  fields = signature_fields (doc);
  f = g_ptr_array_index (fields, 0);
  m = teken_pdf_object_get_string (teken_pdf_dict_get (f->sig, "M"), &len);
  g_assert_cmpmem (m, len, "D:20261124104012+08'00'", 23);
  name = teken_pdf_object_get_text (teken_pdf_dict_get (f->sig, "Name"));
  g_assert_cmpstr (name, ==, "Budi Santoso");
  g_assert_nonnull (teken_pdf_dict_get (f->sig, "Location"));
  g_assert_nonnull (teken_pdf_dict_get (f->sig, "ContactInfo"));
  /* Ed25519 always hashes with SHA-512 (RFC 8419) */
  check_byte_range (out, f->sig, EVP_sha512 ());
}

static void
test_openssl_verify_ranges (void)
{
  const char *keys[] = { "individu-rsa2048", "individu-rsapss", "individu-p256", "individu-p384", "individu-rsa4096" };
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-qpdf-objstm.pdf");
  g_autofree char *root = teken_test_pki_path ("root.crt");

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *out = g_strdup_printf ("%s/%s.pdf", dir, keys[i]);
      g_autoptr(TekenKey) key = load_key (keys[i]);
      g_autoptr(TekenSigner) signer = teken_signer_new (key);
      g_autofree char *output = NULL;

      teken_signer_set_digest (signer, i % 2 ? TEKEN_DIGEST_SHA384 : TEKEN_DIGEST_SHA256);
      sign_ok (signer, in, out);
      if (!teken_test_openssl_cms_verify (out, 0, root, &output))
        g_error ("%s: openssl cms -verify: %s", keys[i], output);
      g_clear_pointer (&output, g_free);
      g_assert_true (teken_test_qpdf_check (out, &output));
    }
}

/* A copy of a corpus file whose catalog claims a certification signature with DocMDP /P p
 * (the signature itself is a stub: only the permission matters here). */
static char *
make_certified (const char *dir,
                int         p)
{
  g_autofree char *in = teken_test_corpus_path ("laporan-cairo.pdf");
  g_autofree char *path = g_strdup_printf ("%s/certified-p%d.pdf", dir, p);
  g_autoptr(TekenPdfDocument) doc = open_doc (in);
  g_autoptr(TekenPdfUpdate) update = teken_pdf_update_new (doc);
  g_autoptr(GError) error = NULL;
  guint catalog_num = 0;
  g_autoptr(TekenPdfObject) catalog = teken_pdf_document_get_catalog (doc, &catalog_num, &error);
  TekenPdfObject *copy = teken_pdf_object_copy (catalog);
  TekenPdfObject *sig = teken_pdf_dict_new ();
  TekenPdfObject *refs = teken_pdf_array_new ();
  TekenPdfObject *ref = teken_pdf_dict_new ();
  TekenPdfObject *params = teken_pdf_dict_new ();
  TekenPdfObject *perms = teken_pdf_dict_new ();
  guint sig_num;

  g_assert_no_error (error);
  teken_pdf_dict_set (params, "Type", teken_pdf_name_new ("TransformParams"));
  teken_pdf_dict_set (params, "P", teken_pdf_integer_new (p));
  teken_pdf_dict_set (params, "V", teken_pdf_name_new ("1.2"));
  teken_pdf_dict_set (ref, "Type", teken_pdf_name_new ("SigRef"));
  teken_pdf_dict_set (ref, "TransformMethod", teken_pdf_name_new ("DocMDP"));
  teken_pdf_dict_set (ref, "TransformParams", params);
  teken_pdf_array_append (refs, ref);
  teken_pdf_dict_set (sig, "Type", teken_pdf_name_new ("Sig"));
  teken_pdf_dict_set (sig, "Reference", refs);
  sig_num = teken_pdf_update_add_object (update, sig);
  teken_pdf_dict_set (perms, "DocMDP", teken_pdf_reference_new (sig_num, 0));
  teken_pdf_dict_set (copy, "Perms", perms);
  teken_pdf_update_set_object (update, catalog_num, copy);
  g_assert_true (teken_pdf_update_write_to_path (update, path, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_certified (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *locked = make_certified (dir, 1);
  g_autofree char *fillable = make_certified (dir, 2);
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  g_autoptr(TekenKey) key = load_key ("individu-p256");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autoptr(GError) error = NULL;

  g_assert_false (teken_signer_sign_file (signer, locked, out, NULL, NULL, NULL, &error));
  g_assert_error (error, TEKEN_SIGNER_ERROR, TEKEN_SIGNER_ERROR_LOCKED);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  /* P=2 allows filling forms and signing */
  sign_ok (signer, fillable, out);
}

typedef struct
{
  guint calls;
  gboolean fail;
} HookState;

/* Stands in for a timestamp: an unsigned attribute over the signature value. */
static gboolean
add_fake_token (TekenCmsBuilder  *builder,
                GCancellable     *cancellable,
                gpointer          user_data,
                GError          **error)
{
  HookState *state = user_data;
  g_autoptr(GBytes) value = teken_cms_builder_get_signature_value (builder);
  static const guint8 token[] = { 0x30, 0x03, 0x02, 0x01, 0x07 };
  g_autoptr(GBytes) bytes = g_bytes_new_static (token, sizeof token);

  state->calls++;
  g_assert_nonnull (value);
  if (state->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "TSA did not answer");
      return FALSE;
    }
  return teken_cms_builder_add_unsigned_attribute (builder, "1.2.840.113549.1.9.16.2.14", bytes, error);
}

static void
test_cms_hook (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *in = teken_test_corpus_path ("laporan-cairo.pdf");
  g_autofree char *out = g_build_filename (dir, "hook.pdf", NULL);
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autofree char *output = NULL;
  g_autoptr(TekenKey) key = load_key ("individu-rsa2048");
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  HookState state = { 0, TRUE };

  teken_signer_set_cms_hook (signer, add_fake_token, &state, NULL);
  g_assert_false (teken_signer_sign_file (signer, in, out, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_clear_error (&error);
  entries = teken_test_list_dir (dir);
  g_assert_cmpuint (entries->len, ==, 0);

  state.fail = FALSE;
  sign_ok (signer, in, out);
  g_assert_cmpuint (state.calls, ==, 2);
  if (!teken_test_openssl_cms_verify (out, 0, root, &output))
    g_error ("openssl cms -verify: %s", output);
  g_clear_pointer (&output, g_free);
  {
    g_autofree char *der_path = g_build_filename (dir, "sig.der", NULL);
    g_autofree char *der = NULL;
    gsize len;
    const unsigned char *p;
    CMS_ContentInfo *cms;
    CMS_SignerInfo *si;

    g_assert_true (teken_test_extract_cms (out, 0, der_path, &error));
    g_assert_true (g_file_get_contents (der_path, &der, &len, NULL));
    p = (const unsigned char *) der;
    cms = d2i_CMS_ContentInfo (NULL, &p, len);
    si = sk_CMS_SignerInfo_value (CMS_get0_SignerInfos (cms), 0);
    g_assert_cmpint (CMS_unsigned_get_attr_by_NID (si, NID_id_smime_aa_timeStampToken, -1), >=, 0);
    CMS_ContentInfo_free (cms);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *pass_path = NULL;

  g_test_init (&argc, &argv, NULL);
  teken_core_init ();

  pass_path = teken_test_pki_path ("passphrase.txt");
  g_assert_true (g_file_get_contents (pass_path, &passphrase, NULL, NULL));
  g_strchomp (passphrase);

  g_test_add_func ("/sign/signer/corpus", test_corpus);
  g_test_add_func ("/sign/signer/fill-existing-field", test_fill_existing_field);
  g_test_add_func ("/sign/signer/named-and-second", test_named_and_second_signature);
  g_test_add_func ("/sign/signer/visible-rotated", test_visible_rotated);
  g_test_add_func ("/sign/signer/placement-errors", test_placement_errors);
  g_test_add_func ("/sign/signer/bad-inputs", test_bad_inputs);
  g_test_add_func ("/sign/signer/encrypted-message", test_encrypted_message);
  g_test_add_func ("/sign/signer/same-file", test_same_file);
  g_test_add_func ("/sign/signer/cancel", test_cancel);
  g_test_add_func ("/sign/signer/async", test_async);
  g_test_add_func ("/sign/signer/signing-time", test_signing_time);
  g_test_add_func ("/sign/signer/openssl-verify", test_openssl_verify_ranges);
  g_test_add_func ("/sign/signer/cms-hook", test_cms_hook);
  g_test_add_func ("/sign/signer/certified", test_certified);

  return g_test_run ();
}
