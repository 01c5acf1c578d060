/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The incremental writer: every good corpus file gets a new object and a changed catalog; the
 * output must extend the input byte for byte, pass qpdf --check and read back with our reader.
 */
#include <glib/gstdio.h>

#include "pdf-test-util.h"

static const char * const good_files[] = {
  "naskah-dinas-libreoffice.pdf", "naskah-dinas-pdfa2b-libreoffice.pdf", "formulir-acroform-libreoffice.pdf",
  "laporan-cairo.pdf", "nota-dinas-ghostscript.pdf", "keputusan-pdftex.pdf", "pindaian-img2pdf.pdf",
  "naskah-dinas-qpdf-objstm.pdf", "naskah-dinas-qpdf-linearized.pdf", "naskah-dinas-qpdf-qdf.pdf",
  "naskah-dinas-hybrid-xref.pdf", "naskah-dinas-incremental-3rev.pdf", "naskah-dinas-objstm-incremental-2rev.pdf",
  "naskah-dinas-empty-sigfield.pdf", "laporan-rotated-cropbox.pdf", "laporan-pdf20-header.pdf",
  "register-200-halaman.pdf",
};

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("teken-pdf-update-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
assert_prefix (const char *input,
               const char *output)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize alen, blen;

  g_assert_true (g_file_get_contents (input, &a, &alen, NULL));
  g_assert_true (g_file_get_contents (output, &b, &blen, NULL));
  g_assert_cmpuint (blen, >, alen);
  g_assert_cmpmem (a, alen, b, alen);
}

static void
assert_qpdf_check (const char *path)
{
  const char *argv[] = { "qpdf", "--check", path, NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (run_tool (argv, &out), ==, 0);
  g_assert_nonnull (strstr (out, "No syntax or stream encoding errors"));
}

static guint
pdfinfo_pages (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *out = NULL;
  const char *line;

  g_assert_cmpint (run_tool (argv, &out), ==, 0);
  line = strstr (out, "\nPages:");
  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + 7, NULL, 10);
}

/* Adds a dictionary with a text string and points the copied catalog at it. */
static TekenPdfUpdate *
make_update (TekenPdfDocument *doc,
             guint            *new_num,
             guint            *catalog_num)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfObject) catalog = teken_pdf_document_get_catalog (doc, catalog_num, &error);
  TekenPdfUpdate *update = teken_pdf_update_new (doc);
  TekenPdfObject *copy;
  TekenPdfObject *added = teken_pdf_dict_new ();

  g_assert_no_error (error);
  teken_pdf_dict_set (added, "Note", teken_pdf_string_new_text ("Ditandatangani — Teken"));
  *new_num = teken_pdf_update_add_object (update, added);
  g_assert_cmpuint (*new_num, >=, teken_pdf_document_get_next_object_number (doc));

  copy = teken_pdf_object_copy (catalog);
  teken_pdf_dict_set (copy, "TekenTest", teken_pdf_reference_new (*new_num, 0));
  teken_pdf_update_set_object (update, *catalog_num, copy);
  return update;
}

static void
check_reread (TekenPdfDocument *base,
              const char       *output,
              guint             new_num,
              guint             catalog_num)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (output, &error);
  g_autoptr(TekenPdfObject) catalog = NULL;
  g_autoptr(TekenPdfObject) added = NULL;
  g_autofree char *note = NULL;
  GPtrArray *sections;
  TekenPdfSection *newest, *previous;
  guint num = 0;

  g_assert_no_error (error);
  catalog = teken_pdf_document_get_catalog (doc, &num, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (num, ==, catalog_num);
  added = teken_pdf_document_lookup (doc, catalog, "TekenTest", &error);
  g_assert_no_error (error);
  note = teken_pdf_object_get_text (teken_pdf_dict_get (added, "Note"));
  g_assert_cmpstr (note, ==, "Ditandatangani — Teken");

  /* One more section, a revision, whose /Prev is the base's startxref. */
  sections = teken_pdf_document_get_sections (doc);
  g_assert_cmpuint (sections->len, ==, teken_pdf_document_get_sections (base)->len + 1);
  newest = sections->pdata[0];
  previous = sections->pdata[1];
  g_assert_true (newest->is_revision);
  g_assert_cmpint (previous->xref_offset, ==, teken_pdf_document_get_startxref (base));
  g_assert_cmpuint (previous->end_offset, ==, teken_pdf_document_get_size (base));
  g_assert_cmpint (newest->kind, ==,
                   teken_pdf_document_has_xref_stream (base) ? TEKEN_PDF_XREF_STREAM : TEKEN_PDF_XREF_TABLE);
  g_assert_cmpuint (teken_pdf_document_get_n_pages (doc, NULL), ==, teken_pdf_document_get_n_pages (base, NULL));
  /* /ID keeps its first element. */
  {
    TekenPdfObject *old_id = teken_pdf_dict_get (teken_pdf_document_get_trailer (base), "ID");
    TekenPdfObject *new_id = teken_pdf_dict_get (teken_pdf_document_get_trailer (doc), "ID");
    g_assert_cmpuint (teken_pdf_array_get_length (new_id), ==, 2);
    if (old_id != NULL)
      g_assert_true (teken_pdf_object_equal (teken_pdf_array_get (old_id, 0), teken_pdf_array_get (new_id, 0)));
  }

  /* The base revision is still there, unchanged. */
  {
    g_autoptr(TekenPdfDocument) old = teken_pdf_document_new_for_revision (doc, previous->end_offset, &error);
    g_autoptr(TekenPdfObject) old_catalog = NULL;
    g_assert_no_error (error);
    old_catalog = teken_pdf_document_get_catalog (old, NULL, &error);
    g_assert_no_error (error);
    g_autoptr(TekenPdfObject) base_catalog = teken_pdf_document_get_catalog (base, NULL, &error);
    g_assert_true (teken_pdf_object_equal (old_catalog, base_catalog));
    g_assert_false (teken_pdf_object_equal (old_catalog, catalog));
  }
}

/* The raw /Prev of the new section, read from the file's last bytes. */
static void
check_raw_prev (TekenPdfDocument *base,
                const char       *output)
{
  g_autofree char *contents = NULL;
  g_autofree char *expect = g_strdup_printf ("/Prev %" G_GINT64_FORMAT,
                                             (gint64) teken_pdf_document_get_startxref (base));
  gsize len;
  gsize base_size = teken_pdf_document_get_size (base);

  g_assert_true (g_file_get_contents (output, &contents, &len, NULL));
  if (!teken_pdf_document_has_xref_stream (base))
    g_assert_nonnull (g_strstr_len (contents + base_size, len - base_size, expect));
}

static void
test_update_file (Fixture       *f,
                  gconstpointer  data)
{
  const char *name = data;
  g_autofree char *input = corpus_path (name);
  g_autofree char *output = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) base = teken_pdf_document_new_for_path (input, &error);
  g_autoptr(TekenPdfUpdate) update = NULL;
  guint new_num, catalog_num;

  g_assert_no_error (error);
  update = make_update (base, &new_num, &catalog_num);
  g_assert_true (teken_pdf_update_write_to_path (update, output, &error));
  g_assert_no_error (error);
  g_assert_cmpint (teken_pdf_update_get_object_offset (update, new_num), >, teken_pdf_document_get_size (base));

  assert_prefix (input, output);
  assert_qpdf_check (output);
  g_assert_cmpuint (pdfinfo_pages (output), ==, teken_pdf_document_get_n_pages (base, NULL));
  check_reread (base, output, new_num, catalog_num);
  check_raw_prev (base, output);
}

static void
test_serialize_details (void)
{
  g_autofree char *input = corpus_path ("laporan-cairo.pdf");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(TekenPdfDocument) base = NULL;
  g_autoptr(TekenPdfUpdate) update = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(TekenPdfObject) got = NULL;
  const char *text;
  gsize len, out_len;
  guint a, b;

  /* The base without its final end-of-line: the update starts with one. */
  g_assert_true (g_file_get_contents (input, &contents, &len, NULL));
  g_assert_cmpint (contents[len - 1], ==, '\n');
  bytes = g_bytes_new (contents, len - 1);
  base = teken_pdf_document_new_for_bytes (bytes, &error);
  g_assert_no_error (error);

  update = teken_pdf_update_new (base);
  g_assert_true (teken_pdf_update_get_base (update) == base);
  a = teken_pdf_update_reserve (update);
  b = teken_pdf_update_add_object (update, teken_pdf_integer_new (42));
  g_assert_cmpuint (b, ==, a + 1);
  teken_pdf_update_set_object (update, a, teken_pdf_name_new ("First"));
  got = teken_pdf_update_get_object (update, b, &error);
  g_assert_cmpint (teken_pdf_object_get_integer (got), ==, 42);
  g_clear_pointer (&got, teken_pdf_object_unref);
  got = teken_pdf_update_get_object (update, 1, &error);   /* from the base */
  g_assert_no_error (error);
  g_assert_nonnull (got);

  out = teken_pdf_update_serialize (update, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (out, &out_len);
  g_assert_cmpint (text[0], ==, '\n');
  g_assert_cmpint (teken_pdf_update_get_object_offset (update, a), ==, (goffset) len);

  {
    /* Exactly 20-byte entries in one subsection for the two consecutive numbers. */
    g_autofree char *sub = g_strdup_printf ("xref\n%u 2\n%010u 00000 n\r\n", a, (guint) len);
    g_assert_nonnull (g_strstr_len (text, out_len, sub));
    g_autofree char *copy = g_strndup (text, out_len);
    g_assert_true (g_str_has_suffix (copy, "%%EOF\n"));
  }

  {
    /* The result reads back. */
    g_autoptr(GByteArray) all = g_byte_array_new ();
    g_autoptr(GBytes) joined = NULL;
    g_autoptr(TekenPdfDocument) doc = NULL;
    g_autoptr(TekenPdfObject) first = NULL;
    g_byte_array_append (all, (const guint8 *) contents, len - 1);
    g_byte_array_append (all, (const guint8 *) text, out_len);
    joined = g_byte_array_free_to_bytes (g_steal_pointer (&all));
    doc = teken_pdf_document_new_for_bytes (joined, &error);
    g_assert_no_error (error);
    first = teken_pdf_document_get_object (doc, a, &error);
    g_assert_true (teken_pdf_object_is_name (first, "First"));
  }
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *encrypted = corpus_path ("bad-encrypted-owner-only-aes256.pdf");
  g_autofree char *plain = corpus_path ("laporan-cairo.pdf");
  g_autofree char *output = g_build_filename (f->dir, "out.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (encrypted, &error);
  g_autoptr(TekenPdfUpdate) update = NULL;
  g_autoptr(GBytes) out = NULL;

  g_assert_no_error (error);
  update = teken_pdf_update_new (doc);
  teken_pdf_update_add_object (update, teken_pdf_null_new ());
  out = teken_pdf_update_serialize (update, &error);
  g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_ENCRYPTED);
  g_clear_error (&error);
  g_assert_false (teken_pdf_update_write_to_path (update, output, &error));
  g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_ENCRYPTED);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_clear_object (&update);
  g_clear_object (&doc);

  /* Never over the input file. */
  {
    g_autofree char *copy = g_build_filename (f->dir, "input.pdf", NULL);
    g_autofree char *contents = NULL;
    g_autofree char *after = NULL;
    gsize len, after_len;
    g_assert_true (g_file_get_contents (plain, &contents, &len, NULL));
    g_assert_true (g_file_set_contents (copy, contents, len, NULL));
    doc = teken_pdf_document_new_for_path (copy, &error);
    g_assert_no_error (error);
    update = teken_pdf_update_new (doc);
    teken_pdf_update_add_object (update, teken_pdf_null_new ());
    g_assert_false (teken_pdf_update_write_to_path (update, copy, &error));
    g_assert_nonnull (error);
    g_assert_true (g_file_get_contents (copy, &after, &after_len, NULL));
    g_assert_cmpmem (contents, len, after, after_len);
  }
}

/* Two updates in a row: the second chains to the first. */
static void
test_chained_updates (Fixture       *f,
                      gconstpointer  data)
{
  const char *names[] = { "naskah-dinas-libreoffice.pdf", "keputusan-pdftex.pdf" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *input = corpus_path (names[i]);
      g_autofree char *first = g_build_filename (f->dir, "first.pdf", NULL);
      g_autofree char *second = g_build_filename (f->dir, "second.pdf", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(TekenPdfDocument) base = teken_pdf_document_new_for_path (input, &error);
      g_autoptr(TekenPdfDocument) mid = NULL;
      g_autoptr(TekenPdfUpdate) u1 = NULL;
      g_autoptr(TekenPdfUpdate) u2 = NULL;
      guint n1, n2, cat;

      g_assert_no_error (error);
      u1 = make_update (base, &n1, &cat);
      g_assert_true (teken_pdf_update_write_to_path (u1, first, &error));
      mid = teken_pdf_document_new_for_path (first, &error);
      g_assert_no_error (error);
      u2 = make_update (mid, &n2, &cat);
      g_assert_cmpuint (n2, >, n1);
      g_assert_true (teken_pdf_update_write_to_path (u2, second, &error));
      g_assert_no_error (error);
      assert_prefix (first, second);
      assert_qpdf_check (second);
      check_reread (mid, second, n2, cat);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (good_files); i++)
    {
      g_autofree char *name = g_strdup_printf ("/pdf/update/corpus/%s", good_files[i]);
      g_test_add (name, Fixture, good_files[i], fixture_set_up, test_update_file, fixture_tear_down);
    }
  g_test_add_func ("/pdf/update/serialize", test_serialize_details);
  g_test_add ("/pdf/update/refusals", Fixture, NULL, fixture_set_up, test_refusals, fixture_tear_down);
  g_test_add ("/pdf/update/chained", Fixture, NULL, fixture_set_up, test_chained_updates, fixture_tear_down);

  return g_test_run ();
}
