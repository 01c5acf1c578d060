/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader on every corpus file; page counts are checked against poppler's pdfinfo.
 */
#include "pdf-test-util.h"

typedef struct
{
  const char *name;
  int error;                 /* expected TekenPdfError, or -1 when the file opens */
  guint sections;
  guint revisions;
  TekenPdfXrefKind kind;     /* of the newest section */
  gboolean encrypted;
  gboolean linearized;
  const char *version;
} CorpusFile;

/* From tests/corpus/README.md ("sections / revisions", xref, PDF version). */
static const CorpusFile corpus[] = {
  { "naskah-dinas-libreoffice.pdf", -1, 1, 1, TEKEN_PDF_XREF_TABLE, FALSE, FALSE, "1.6" },
  { "naskah-dinas-pdfa2b-libreoffice.pdf", -1, 1, 1, TEKEN_PDF_XREF_TABLE, FALSE, FALSE, "1.6" },
  { "formulir-acroform-libreoffice.pdf", -1, 1, 1, TEKEN_PDF_XREF_TABLE, FALSE, FALSE, "1.6" },
  { "laporan-cairo.pdf", -1, 1, 1, TEKEN_PDF_XREF_TABLE, FALSE, FALSE, "1.5" },
  { "nota-dinas-ghostscript.pdf", -1, 1, 1, TEKEN_PDF_XREF_TABLE, FALSE, FALSE, "1.4" },
  { "keputusan-pdftex.pdf", -1, 1, 1, TEKEN_PDF_XREF_STREAM, FALSE, FALSE, "1.5" },
  { "pindaian-img2pdf.pdf", -1, 2, 1, TEKEN_PDF_XREF_TABLE, FALSE, TRUE, "1.3" },
  { "naskah-dinas-qpdf-objstm.pdf", -1, 1, 1, TEKEN_PDF_XREF_STREAM, FALSE, FALSE, "1.6" },
  { "naskah-dinas-qpdf-linearized.pdf", -1, 2, 1, TEKEN_PDF_XREF_TABLE, FALSE, TRUE, "1.6" },
  { "naskah-dinas-qpdf-qdf.pdf", -1, 1, 1, TEKEN_PDF_XREF_TABLE, FALSE, FALSE, "1.6" },
  { "naskah-dinas-hybrid-xref.pdf", -1, 2, 1, TEKEN_PDF_XREF_TABLE, FALSE, FALSE, "1.5" },
  { "naskah-dinas-incremental-3rev.pdf", -1, 3, 3, TEKEN_PDF_XREF_TABLE, FALSE, FALSE, "1.6" },
  { "naskah-dinas-objstm-incremental-2rev.pdf", -1, 2, 2, TEKEN_PDF_XREF_STREAM, FALSE, FALSE, "1.6" },
  { "naskah-dinas-empty-sigfield.pdf", -1, 1, 1, TEKEN_PDF_XREF_TABLE, FALSE, FALSE, "1.6" },
  { "laporan-rotated-cropbox.pdf", -1, 1, 1, TEKEN_PDF_XREF_TABLE, FALSE, FALSE, "1.5" },
  { "laporan-pdf20-header.pdf", -1, 1, 1, TEKEN_PDF_XREF_TABLE, FALSE, FALSE, "2.0" },
  { "register-200-halaman.pdf", -1, 1, 1, TEKEN_PDF_XREF_TABLE, FALSE, FALSE, "1.6" },
  { "bad-encrypted-user-aes256.pdf", -1, 1, 1, TEKEN_PDF_XREF_TABLE, TRUE, FALSE, "1.7" },
  { "bad-encrypted-owner-only-aes256.pdf", -1, 1, 1, TEKEN_PDF_XREF_TABLE, TRUE, FALSE, "1.7" },
  { "bad-truncated.pdf", TEKEN_PDF_ERROR_TRUNCATED },
  { "bad-broken-xref-offsets.pdf", TEKEN_PDF_ERROR_DAMAGED },
  { "bad-empty.pdf", TEKEN_PDF_ERROR_NOT_PDF },
  { "bad-not-pdf-html.pdf", TEKEN_PDF_ERROR_NOT_PDF },
  { "bad-not-pdf-odt.pdf", TEKEN_PDF_ERROR_NOT_PDF },
};

/* The page count poppler reports (with the user password where there is one). */
static guint
pdfinfo_pages (const char *path,
               const char *name)
{
  const char *argv_plain[] = { "pdfinfo", path, NULL };
  const char *argv_pw[] = { "pdfinfo", "-upw", "rahasia", path, NULL };
  g_autofree char *out = NULL;
  const char *line;
  gboolean with_pw = g_str_equal (name, "bad-encrypted-user-aes256.pdf");

  g_assert_cmpint (run_tool (with_pw ? argv_pw : argv_plain, &out), ==, 0);
  line = strstr (out, "\nPages:");
  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + 7, NULL, 10);
}

static void
check_sections (TekenPdfDocument *doc,
                const CorpusFile *file)
{
  GPtrArray *sections = teken_pdf_document_get_sections (doc);
  guint revisions = 0;

  g_assert_cmpuint (sections->len, ==, file->sections);
  for (guint i = 0; i < sections->len; i++)
    {
      TekenPdfSection *s = sections->pdata[i];
      revisions += s->is_revision;
      g_assert_cmpuint (s->end_offset, <=, teken_pdf_document_get_size (doc));
      g_assert_cmpuint (s->end_offset, >, s->xref_offset);
    }
  g_assert_cmpuint (revisions, ==, file->revisions);
  /* The newest revision ends where the file ends. */
  g_assert_cmpuint (((TekenPdfSection *) sections->pdata[0])->end_offset, ==, teken_pdf_document_get_size (doc));
  g_assert_cmpint (((TekenPdfSection *) sections->pdata[0])->xref_offset, ==,
                   teken_pdf_document_get_startxref (doc));
  g_assert_cmpint (teken_pdf_document_get_xref_kind (doc), ==, file->kind);
}

/* Every object the cross-reference data lists loads. */
static void
check_all_objects (TekenPdfDocument *doc)
{
  guint loaded = 0;

  for (guint num = 1; num < teken_pdf_document_get_next_object_number (doc); num++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TekenPdfObject) obj = NULL;
      TekenPdfXrefEntry entry;

      if (!teken_pdf_document_get_xref_entry (doc, num, &entry) || entry.kind == TEKEN_PDF_XREF_ENTRY_FREE)
        continue;
      obj = teken_pdf_document_get_object (doc, num, &error);
      g_assert_no_error (error);
      g_assert_nonnull (obj);
      loaded++;
    }
  g_assert_cmpuint (loaded, >, 3);
}

static void
check_file (gconstpointer data)
{
  const CorpusFile *file = data;
  g_autofree char *path = corpus_path (file->name);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (path, &error);
  g_autoptr(TekenPdfObject) catalog = NULL;
  guint catalog_num = 0;

  if (file->error >= 0)
    {
      g_assert_error (error, TEKEN_PDF_ERROR, file->error);
      g_assert_null (doc);
      g_test_message ("%s: %s", file->name, error->message);
      return;
    }
  g_assert_no_error (error);

  g_assert_cmpint (teken_pdf_document_is_encrypted (doc), ==, file->encrypted);
  g_assert_cmpint (teken_pdf_document_is_linearized (doc), ==, file->linearized);
  g_assert_cmpstr (teken_pdf_document_get_version (doc), ==, file->version);
  g_assert_cmpstr (teken_pdf_document_get_path (doc), ==, path);
  check_sections (doc, file);

  catalog = teken_pdf_document_get_catalog (doc, &catalog_num, &error);
  g_assert_no_error (error);
  g_assert_true (teken_pdf_object_is_name (teken_pdf_dict_get (catalog, "Type"), "Catalog"));
  g_assert_cmpuint (catalog_num, ==, teken_pdf_object_get_ref_num (
                      teken_pdf_dict_get (teken_pdf_document_get_trailer (doc), "Root")));

  g_assert_cmpuint (teken_pdf_document_get_n_pages (doc, &error), ==, pdfinfo_pages (path, file->name));
  g_assert_no_error (error);
  for (guint i = 0; i < teken_pdf_document_get_n_pages (doc, NULL); i++)
    {
      TekenPdfRect crop;
      int rotate;
      guint num = 0;
      g_autoptr(TekenPdfObject) page = teken_pdf_document_get_page (doc, i, &num, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (num, >, 0);
      g_assert_true (teken_pdf_document_get_page_geometry (doc, i, &crop, &rotate, &error));
      g_assert_cmpfloat (crop.x2 - crop.x1, >, 100);
      g_assert_cmpfloat (crop.y2 - crop.y1, >, 100);
    }
  check_all_objects (doc);
}

/* Opening from memory gives the same structure as from the path. */
static void
test_bytes_equals_path (void)
{
  g_autofree char *path = corpus_path ("naskah-dinas-objstm-incremental-2rev.pdf");
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) a = teken_pdf_document_new_for_path (path, &error);
  g_autoptr(TekenPdfDocument) b = NULL;
  gsize len;
  guint8 head[8];

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  bytes = g_bytes_new (contents, len);
  b = teken_pdf_document_new_for_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_null (teken_pdf_document_get_path (b));
  g_assert_cmpuint (teken_pdf_document_get_size (a), ==, teken_pdf_document_get_size (b));
  g_assert_cmpuint (teken_pdf_document_get_next_object_number (a), ==,
                    teken_pdf_document_get_next_object_number (b));
  g_assert_true (teken_pdf_object_equal (teken_pdf_document_get_trailer (a), teken_pdf_document_get_trailer (b)));
  g_assert_true (teken_pdf_document_read (b, 0, head, sizeof head, &error));
  g_assert_cmpmem (head, 5, "%PDF-", 5);
  g_assert_false (teken_pdf_document_read (b, len - 2, head, sizeof head, &error));
  g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_IO);
}

static void
test_geometry (void)
{
  g_autofree char *path = corpus_path ("laporan-rotated-cropbox.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (path, &error);
  TekenPdfRect crop;
  int rotate = -1;

  g_assert_no_error (error);
  g_assert_true (teken_pdf_document_get_page_geometry (doc, 0, &crop, &rotate, &error));
  g_assert_cmpint (rotate, ==, 90);
  g_assert_cmpfloat_with_epsilon (crop.x1, 0, 0.01);
  g_assert_cmpfloat_with_epsilon (crop.x2, 595.28, 0.01);

  g_assert_true (teken_pdf_document_get_page_geometry (doc, 1, &crop, &rotate, &error));
  g_assert_cmpint (rotate, ==, 0);
  g_assert_cmpfloat_with_epsilon (crop.x1, 10, 0.001);
  g_assert_cmpfloat_with_epsilon (crop.y1, 20, 0.001);
  g_assert_cmpfloat_with_epsilon (crop.x2, 585.276, 0.001);
  g_assert_cmpfloat_with_epsilon (crop.y2, 836.89, 0.001);

  g_assert_false (teken_pdf_document_get_page_geometry (doc, 2, &crop, &rotate, &error));
  g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_NOT_FOUND);
}

static guint
count_annots (TekenPdfDocument *doc,
              guint             page_index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfObject) page = teken_pdf_document_get_page (doc, page_index, NULL, &error);
  g_autoptr(TekenPdfObject) annots = NULL;

  g_assert_no_error (error);
  annots = teken_pdf_document_lookup (doc, page, "Annots", &error);
  g_assert_no_error (error);
  return teken_pdf_array_get_length (annots);
}

/* Each revision of the 3-revision file is a complete document with fewer annotations. */
static void
test_revisions (void)
{
  g_autofree char *path = corpus_path ("naskah-dinas-incremental-3rev.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (path, &error);
  GPtrArray *sections = teken_pdf_document_get_sections (doc);
  guint annots[3];

  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      TekenPdfSection *s = sections->pdata[i];
      g_autoptr(TekenPdfDocument) rev = teken_pdf_document_new_for_revision (doc, s->end_offset, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (teken_pdf_document_get_size (rev), ==, s->end_offset);
      g_assert_cmpuint (teken_pdf_document_get_sections (rev)->len, ==, 3 - i);
      g_assert_cmpuint (teken_pdf_document_get_n_pages (rev, NULL), ==, 2);
      annots[i] = count_annots (rev, 0);
    }
  g_assert_cmpuint (annots[0], ==, 2);
  g_assert_cmpuint (annots[0], >, annots[1]);
  g_assert_cmpuint (annots[1], >, annots[2]);
  g_assert_cmpuint (count_annots (doc, 0), ==, annots[0]);

  {
    /* Older revisions end before newer ones, at a %%EOF. */
    TekenPdfSection *oldest = sections->pdata[2];
    guint8 tail[6];
    g_assert_true (teken_pdf_document_read (doc, oldest->end_offset - 6, tail, 6, &error));
    g_assert_cmpmem (tail, 5, "%%EOF", 5);
  }

  /* A length in the middle of a revision has no startxref at its end. */
  {
    g_autoptr(TekenPdfDocument) rev = teken_pdf_document_new_for_revision (doc, 30000, &error);
    g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_TRUNCATED);
    g_assert_null (rev);
  }
}

/* The newest definition wins: page 1 of the 2-revision objstm file is uncompressed now. */
static void
test_newest_definition (void)
{
  g_autofree char *path = corpus_path ("naskah-dinas-objstm-incremental-2rev.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (path, &error);
  g_autoptr(TekenPdfDocument) old = NULL;
  g_autoptr(TekenPdfObject) page = NULL;
  TekenPdfSection *oldest;
  TekenPdfXrefEntry entry;
  guint num = 0;

  g_assert_no_error (error);
  page = teken_pdf_document_get_page (doc, 0, &num, &error);
  g_assert_no_error (error);
  g_assert_true (teken_pdf_document_get_xref_entry (doc, num, &entry));
  g_assert_cmpint (entry.kind, ==, TEKEN_PDF_XREF_ENTRY_OFFSET);
  g_assert_cmpuint (count_annots (doc, 0), ==, 1);
  g_assert_true (teken_pdf_document_has_xref_stream (doc));

  oldest = teken_pdf_document_get_sections (doc)->pdata[1];
  old = teken_pdf_document_new_for_revision (doc, oldest->end_offset, &error);
  g_assert_no_error (error);
  g_assert_true (teken_pdf_document_get_xref_entry (old, num, &entry));
  g_assert_cmpint (entry.kind, ==, TEKEN_PDF_XREF_ENTRY_COMPRESSED);
  g_assert_cmpuint (count_annots (old, 0), ==, 0);
}

/* The hybrid file: compressed objects come from /XRefStm, the stub is no revision. */
static void
test_hybrid (void)
{
  g_autofree char *path = corpus_path ("naskah-dinas-hybrid-xref.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (path, &error);
  GPtrArray *sections;
  guint compressed = 0;

  g_assert_no_error (error);
  sections = teken_pdf_document_get_sections (doc);
  g_assert_false (((TekenPdfSection *) sections->pdata[0])->is_revision);
  g_assert_true (((TekenPdfSection *) sections->pdata[1])->is_revision);
  g_assert_true (teken_pdf_document_has_xref_stream (doc));
  for (guint num = 1; num < teken_pdf_document_get_next_object_number (doc); num++)
    {
      TekenPdfXrefEntry entry;
      if (teken_pdf_document_get_xref_entry (doc, num, &entry) && entry.kind == TEKEN_PDF_XREF_ENTRY_COMPRESSED)
        {
          g_autoptr(TekenPdfObject) obj = teken_pdf_document_get_object (doc, num, &error);
          g_assert_no_error (error);
          compressed++;
        }
    }
  g_assert_cmpuint (compressed, >, 0);
  g_assert_nonnull (teken_pdf_dict_get (teken_pdf_document_get_trailer (doc), "Info"));
}

static void
test_resolve (void)
{
  g_autofree char *path = corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (path, &error);
  g_autoptr(TekenPdfObject) dangling = teken_pdf_reference_new (9999, 0);
  g_autoptr(TekenPdfObject) resolved = NULL;
  g_autoptr(TekenPdfObject) missing = NULL;
  g_autoptr(TekenPdfObject) info = NULL;

  g_assert_no_error (error);
  resolved = teken_pdf_document_resolve (doc, dangling, &error);
  g_assert_no_error (error);
  g_assert_cmpint (teken_pdf_object_get_kind (resolved), ==, TEKEN_PDF_NULL);
  missing = teken_pdf_document_get_object (doc, 9999, &error);
  g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (teken_pdf_document_lookup (doc, teken_pdf_document_get_trailer (doc), "NoSuchKey", &error));
  g_assert_no_error (error);
  info = teken_pdf_document_lookup (doc, teken_pdf_document_get_trailer (doc), "Info", &error);
  g_assert_no_error (error);
  g_assert_cmpint (teken_pdf_object_get_kind (info), ==, TEKEN_PDF_DICT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      g_autofree char *name = g_strdup_printf ("/pdf/document/corpus/%s", corpus[i].name);
      g_test_add_data_func (name, &corpus[i], check_file);
    }
  g_test_add_func ("/pdf/document/bytes", test_bytes_equals_path);
  g_test_add_func ("/pdf/document/geometry", test_geometry);
  g_test_add_func ("/pdf/document/revisions", test_revisions);
  g_test_add_func ("/pdf/document/newest-definition", test_newest_definition);
  g_test_add_func ("/pdf/document/hybrid", test_hybrid);
  g_test_add_func ("/pdf/document/resolve", test_resolve);

  return g_test_run ();
}
