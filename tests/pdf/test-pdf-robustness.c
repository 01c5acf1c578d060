/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hostile inputs built here (loops, cycles, deep nesting, lying lengths, self-containing object
 * streams) must end in an error, never a crash or a hang; then a deterministic mutation loop
 * over corpus files exercises every reader path on damaged bytes.
 */
#include <zlib.h>

#include "pdf-test-util.h"

static TekenPdfDocument *
open_builder (PdfBuilder *b,
              GError    **error)
{
  g_autoptr(GBytes) bytes = pdf_builder_bytes (b);

  return teken_pdf_document_new_for_bytes (bytes, error);
}

static void
assert_open_fails (PdfBuilder *b,
                   int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = open_builder (b, &error);

  g_assert_null (doc);
  g_assert_error (error, TEKEN_PDF_ERROR, code);
  g_test_message ("%s", error->message);
}

static void
test_sanity (void)
{
  g_autoptr(PdfBuilder) b = pdf_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = NULL;
  TekenPdfRect crop;

  pdf_builder_add_basic (b);
  pdf_builder_table (b, NULL);
  doc = open_builder (b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teken_pdf_document_get_n_pages (doc, &error), ==, 1);
  g_assert_true (teken_pdf_document_get_page_geometry (doc, 0, &crop, NULL, &error));
  g_assert_cmpfloat (crop.y2, ==, 300);
}

static void
test_prev_loops (void)
{
  {
    /* A table whose /Prev is itself. */
    g_autoptr(PdfBuilder) b = pdf_builder_new ();
    g_autofree char *prev = NULL;
    pdf_builder_add_basic (b);
    prev = g_strdup_printf ("/Prev %" G_GSIZE_FORMAT, b->buf->len);
    pdf_builder_table (b, prev);
    assert_open_fails (b, TEKEN_PDF_ERROR_LIMIT);
  }
  {
    /* Two tables pointing at each other. */
    g_autoptr(PdfBuilder) b = pdf_builder_new ();
    g_autofree char *prev = NULL;
    g_autofree char *patch = NULL;
    goffset first, second;
    char *placeholder;
    pdf_builder_add_basic (b);
    first = pdf_builder_table (b, "/Prev 0000000000");
    prev = g_strdup_printf ("/Prev %" G_GINT64_FORMAT, (gint64) first);
    second = pdf_builder_table (b, prev);
    placeholder = strstr (b->buf->str, "/Prev 0000000000");
    patch = g_strdup_printf ("/Prev %010" G_GINT64_FORMAT, (gint64) second);
    memcpy (placeholder, patch, strlen (patch));
    assert_open_fails (b, TEKEN_PDF_ERROR_LIMIT);
  }
}

static void
put_be (GString *s,
        guint64  value,
        guint    width)
{
  for (guint i = width; i-- > 0;)
    g_string_append_c (s, (char) ((value >> (8 * i)) & 0xff));
}

/* An uncompressed xref stream object `num` with W [1 4 1] over rows (type, f2, f3) for 0..n-1. */
static goffset
add_xref_stream (PdfBuilder    *b,
                 guint          num,
                 const guint64 (*rows)[3],
                 guint          n,
                 const char    *extra)
{
  g_autoptr(GString) data = g_string_new (NULL);
  goffset offset = b->buf->len;

  for (guint i = 0; i < n; i++)
    {
      put_be (data, rows[i][0], 1);
      put_be (data, rows[i][1], 4);
      put_be (data, rows[i][2], 1);
    }
  g_string_append_printf (b->buf, "%u 0 obj\n<</Type /XRef /Size %u /W [1 4 1] /Root 1 0 R /Length %" G_GSIZE_FORMAT
                          " %s>>\nstream\n", num, n, data->len, extra != NULL ? extra : "");
  g_string_append_len (b->buf, data->str, data->len);
  g_string_append_printf (b->buf, "\nendstream\nendobj\nstartxref\n%" G_GINT64_FORMAT "\n%%%%EOF\n", (gint64) offset);
  return offset;
}

static guint64
offset_of (PdfBuilder *b,
           guint       num)
{
  return (guint64) g_array_index (b->offsets, goffset, num);
}

static void
test_xref_stream_self_prev (void)
{
  g_autoptr(PdfBuilder) b = pdf_builder_new ();
  g_autofree char *prev = NULL;
  guint64 rows[5][3];

  pdf_builder_add_basic (b);
  rows[0][0] = 0, rows[0][1] = 0, rows[0][2] = 255;
  for (guint i = 1; i <= 3; i++)
    rows[i][0] = 1, rows[i][1] = offset_of (b, i), rows[i][2] = 0;
  rows[4][0] = 1, rows[4][1] = b->buf->len, rows[4][2] = 0;
  prev = g_strdup_printf ("/Prev %" G_GSIZE_FORMAT, b->buf->len);
  add_xref_stream (b, 4, (const guint64 (*)[3]) rows, 5, prev);
  assert_open_fails (b, TEKEN_PDF_ERROR_LIMIT);
}

/* Object streams: 4 contains itself; 5 and 6 contain each other; 7 is a sound one. */
static void
test_objstm_loops (void)
{
  g_autoptr(PdfBuilder) b = pdf_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = NULL;
  guint64 rows[10][3] = { { 0, 0, 255 } };

  pdf_builder_add_basic (b);
  pdf_builder_add (b, 7, "<</Type /ObjStm /N 1 /First 4 /Length 8>>\nstream\n8 0 (ok)\nendstream");
  for (guint i = 1; i <= 3; i++)
    rows[i][0] = 1, rows[i][1] = offset_of (b, i);
  rows[4][0] = 2, rows[4][1] = 4;
  rows[5][0] = 2, rows[5][1] = 6;
  rows[6][0] = 2, rows[6][1] = 5;
  rows[7][0] = 1, rows[7][1] = offset_of (b, 7);
  rows[8][0] = 2, rows[8][1] = 7, rows[8][2] = 0;
  rows[9][0] = 1, rows[9][1] = b->buf->len;
  add_xref_stream (b, 9, (const guint64 (*)[3]) rows, 10, NULL);

  doc = open_builder (b, &error);
  g_assert_no_error (error);
  for (guint num = 4; num <= 6; num++)
    {
      g_autoptr(TekenPdfObject) obj = teken_pdf_document_get_object (doc, num, &error);
      g_assert_null (obj);
      g_assert_nonnull (error);
      g_test_message ("object %u: %s", num, error->message);
      g_clear_error (&error);
    }
  {
    g_autoptr(TekenPdfObject) obj = teken_pdf_document_get_object (doc, 8, &error);
    gsize len;
    g_assert_no_error (error);
    g_assert_cmpmem (teken_pdf_object_get_string (obj, &len), len, "ok", 2);
  }
}

static TekenPdfDocument *
open_with_objects (const char * const *bodies,
                   guint                n)
{
  g_autoptr(PdfBuilder) b = pdf_builder_new ();
  g_autoptr(GError) error = NULL;
  TekenPdfDocument *doc;

  pdf_builder_add_basic (b);
  for (guint i = 0; i < n; i++)
    pdf_builder_add (b, 4 + i, bodies[i]);
  pdf_builder_table (b, NULL);
  doc = open_builder (b, &error);
  g_assert_no_error (error);
  return doc;
}

static void
test_reference_cycle (void)
{
  const char *bodies[] = { "5 0 R", "4 0 R", "<</Self 6 0 R /Loop 4 0 R>>" };
  g_autoptr(TekenPdfDocument) doc = open_with_objects (bodies, G_N_ELEMENTS (bodies));
  g_autoptr(TekenPdfObject) ref = teken_pdf_reference_new (4, 0);
  g_autoptr(TekenPdfObject) resolved = NULL;
  g_autoptr(TekenPdfObject) dict = NULL;
  g_autoptr(TekenPdfObject) loop = NULL;
  g_autoptr(GError) error = NULL;

  resolved = teken_pdf_document_resolve (doc, ref, &error);
  g_assert_null (resolved);
  g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT);
  g_clear_error (&error);

  dict = teken_pdf_document_get_object (doc, 6, &error);
  g_assert_no_error (error);
  loop = teken_pdf_document_lookup (doc, dict, "Loop", &error);
  g_assert_null (loop);
  g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT);
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) deep_dict = g_string_new (NULL);
  const char *bodies[2];
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 100000; i++)
    g_string_append (deep_dict, "<</A ");
  bodies[0] = deep->str;
  bodies[1] = deep_dict->str;
  doc = open_with_objects (bodies, 2);
  for (guint num = 4; num <= 5; num++)
    {
      g_autoptr(TekenPdfObject) obj = teken_pdf_document_get_object (doc, num, &error);
      g_assert_null (obj);
      g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT);
      g_clear_error (&error);
    }
}

static void
test_page_tree_loops (void)
{
  const struct { const char *pages; const char *extra; } cases[] = {
    { "<</Type /Pages /Kids [2 0 R] /Count 1>>", "null" },
    { "<</Type /Pages /Kids [4 0 R] /Count 1>>", "<</Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1>>" },
    { "<</Type /Pages /Kids [4 0 R 3 0 R] /Count 2>>", "<</Kids [4 0 R]>>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdfBuilder) b = pdf_builder_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(TekenPdfDocument) doc = NULL;
      g_autoptr(TekenPdfObject) page = NULL;

      pdf_builder_add (b, 1, "<</Type /Catalog /Pages 2 0 R>>");
      pdf_builder_add (b, 2, cases[i].pages);
      pdf_builder_add (b, 3, "<</Type /Page /Parent 2 0 R>>");
      pdf_builder_add (b, 4, cases[i].extra);
      pdf_builder_table (b, NULL);
      doc = open_builder (b, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (teken_pdf_document_get_n_pages (doc, &error), ==, 0);
      g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT);
      g_clear_error (&error);
      page = teken_pdf_document_get_page (doc, 0, NULL, &error);
      g_assert_null (page);
      g_assert_nonnull (error);
    }

  {
    /* A leaf with a /Parent loop: geometry lookups through /Parent stay bounded. */
    g_autoptr(PdfBuilder) b = pdf_builder_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(TekenPdfDocument) doc = NULL;
    TekenPdfRect crop;
    int rotate;
    pdf_builder_add (b, 1, "<</Type /Catalog /Pages 2 0 R>>");
    pdf_builder_add (b, 2, "<</Type /Pages /Kids [3 0 R] /Count 1 /Parent 4 0 R>>");
    pdf_builder_add (b, 3, "<</Type /Page /Parent 2 0 R /Rotate -270>>");
    pdf_builder_add (b, 4, "<</Type /Pages /Parent 2 0 R>>");
    pdf_builder_table (b, NULL);
    doc = open_builder (b, &error);
    g_assert_no_error (error);
    g_assert_true (teken_pdf_document_get_page_geometry (doc, 0, &crop, &rotate, &error));
    g_assert_cmpint (rotate, ==, 90);
    g_assert_cmpfloat (crop.x2, ==, 612);   /* no MediaBox anywhere: US Letter */
  }
}

static void
test_stream_lengths (void)
{
  const char *bodies[] = {
    "<</Length 99999999999>>\nstream\nhello\nendstream",          /* 4: huge /Length */
    "<</Length 8 0 R>>\nstream\nworld\r\nendstream",              /* 5: /Length missing object */
    "<</Length 6 0 R>>\nstream\nself\nendstream",                 /* 6: /Length is itself */
    "<</Length 3>>\nstream\nlonger than three\nendstream",        /* 7: too short */
    "<</Length -5>>\nstream\r\nneg\nendstream",                   /* 8 */
  };
  const char *expect[] = { "hello", "world", "self", "longer than three", "neg" };
  g_autoptr(TekenPdfDocument) doc = open_with_objects (bodies, G_N_ELEMENTS (bodies));

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TekenPdfObject) obj = teken_pdf_document_get_object (doc, 4 + i, &error);
      GBytes *raw;

      g_assert_no_error (error);
      raw = teken_pdf_stream_get_raw (obj);
      g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), expect[i], strlen (expect[i]));
    }
}

static void
test_truncated_stream (void)
{
  g_autoptr(PdfBuilder) b = pdf_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(TekenPdfObject) obj = NULL;

  pdf_builder_add_basic (b);
  /* The stream never ends: no "endstream" anywhere after it. */
  g_array_set_size (b->offsets, 5);
  g_array_index (b->offsets, goffset, 4) = b->buf->len;
  g_string_append (b->buf, "4 0 obj\n<</Length 1000>>\nstream\nshort data that stops here\n");
  pdf_builder_table (b, NULL);
  doc = open_builder (b, &error);
  g_assert_no_error (error);
  obj = teken_pdf_document_get_object (doc, 4, &error);
  g_assert_null (obj);
  g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX);
}

static void
test_objstm_bomb (void)
{
  g_autoptr(PdfBuilder) b = pdf_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(TekenPdfObject) obj = NULL;
  gsize plain_len = 40u << 20;
  g_autofree guint8 *plain = g_malloc0 (plain_len);
  uLongf zlen = compressBound (plain_len);
  g_autofree guint8 *z = g_malloc (zlen);
  guint64 rows[7][3] = { { 0, 0, 255 } };

  memcpy (plain, "5 0 ", 4);
  g_assert_cmpint (compress (z, &zlen, plain, plain_len), ==, Z_OK);
  pdf_builder_add_basic (b);
  g_array_set_size (b->offsets, 5);
  g_array_index (b->offsets, goffset, 4) = b->buf->len;
  g_string_append_printf (b->buf, "4 0 obj\n<</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %lu>>\nstream\n",
                          (unsigned long) zlen);
  g_string_append_len (b->buf, (const char *) z, zlen);
  g_string_append (b->buf, "\nendstream\nendobj\n");
  for (guint i = 1; i <= 4; i++)
    rows[i][0] = 1, rows[i][1] = offset_of (b, i);
  rows[5][0] = 2, rows[5][1] = 4;
  rows[6][0] = 1, rows[6][1] = b->buf->len;
  add_xref_stream (b, 6, (const guint64 (*)[3]) rows, 7, NULL);

  doc = open_builder (b, &error);
  g_assert_no_error (error);
  obj = teken_pdf_document_get_object (doc, 5, &error);
  g_assert_null (obj);
  g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT);
}

static void
test_bad_xref_data (void)
{
  const char *bad_tables[] = {
    "xref\n0 99999999\n0000000000 65535 f\r\n",
    "xref\n0 4\n0000000000 65535 f\r\nbroken\n",
    "xref\n-1 4\n",
    "xref\n0 1\n0000000000 65535 f\r\ntrailer\n<</Size 1>>\n",     /* no /Root */
    "nothing here\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_tables); i++)
    {
      g_autoptr(PdfBuilder) b = pdf_builder_new ();
      goffset xref;
      pdf_builder_add_basic (b);
      xref = b->buf->len;
      g_string_append (b->buf, bad_tables[i]);
      g_string_append_printf (b->buf, "startxref\n%" G_GINT64_FORMAT "\n%%%%EOF\n", (gint64) xref);
      assert_open_fails (b, TEKEN_PDF_ERROR_DAMAGED);
    }

  {
    /* startxref beyond the end of the file. */
    g_autoptr(PdfBuilder) b = pdf_builder_new ();
    pdf_builder_add_basic (b);
    g_string_append (b->buf, "startxref\n99999999\n%%EOF\n");
    assert_open_fails (b, TEKEN_PDF_ERROR_DAMAGED);
  }
  {
    /* An xref stream with impossible /W. */
    g_autoptr(PdfBuilder) b = pdf_builder_new ();
    goffset xref;
    pdf_builder_add_basic (b);
    xref = b->buf->len;
    g_string_append (b->buf, "9 0 obj\n<</Type /XRef /Size 4 /W [1 99 1] /Root 1 0 R /Length 0>>\nstream\n\nendstream\n"
                             "endobj\n");
    g_string_append_printf (b->buf, "startxref\n%" G_GINT64_FORMAT "\n%%%%EOF\n", (gint64) xref);
    assert_open_fails (b, TEKEN_PDF_ERROR_DAMAGED);
  }
}

/* Everything a caller might do with a document; errors are fine, crashes are not. */
/* Returns TRUE when the document opened. */
static gboolean
exercise (GBytes *bytes)
{
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_bytes (bytes, NULL);
  GPtrArray *sections;
  guint n_pages, next;

  if (doc == NULL)
    return FALSE;

  n_pages = MIN (teken_pdf_document_get_n_pages (doc, NULL), 50);
  for (guint i = 0; i < n_pages; i++)
    {
      TekenPdfRect crop;
      int rotate;
      teken_pdf_document_get_page_geometry (doc, i, &crop, &rotate, NULL);
    }
  next = MIN (teken_pdf_document_get_next_object_number (doc), 5000);
  for (guint num = 0; num < next; num++)
    {
      g_autoptr(TekenPdfObject) obj = teken_pdf_document_get_object (doc, num, NULL);
      g_autoptr(GBytes) decoded = NULL;
      if (teken_pdf_object_get_kind (obj) == TEKEN_PDF_STREAM)
        decoded = teken_pdf_stream_decode (obj, 1 << 20, NULL);
    }
  teken_pdf_document_get_version (doc);

  sections = teken_pdf_document_get_sections (doc);
  for (guint i = 0; i < sections->len; i++)
    {
      TekenPdfSection *s = sections->pdata[i];
      g_autoptr(TekenPdfDocument) rev = teken_pdf_document_new_for_revision (doc, s->end_offset, NULL);
      if (rev != NULL)
        teken_pdf_document_get_n_pages (rev, NULL);
    }

  {
    g_autoptr(TekenPdfUpdate) update = teken_pdf_update_new (doc);
    g_autoptr(GBytes) out = NULL;
    teken_pdf_update_add_object (update, teken_pdf_integer_new (1));
    out = teken_pdf_update_serialize (update, NULL);
  }
  return TRUE;
}

static GBytes *
mutate (GRand        *rand,
        const guint8 *data,
        gsize         len)
{
  GByteArray *m = g_byte_array_new ();
  /* Half of the edits land in the last 2 KiB, where the cross-reference data lives. */
  gsize tail = len > 2048 ? len - 2048 : 0;
  gboolean near_end = g_rand_boolean (rand);
  gsize pos = near_end ? g_rand_int_range (rand, tail, len) : g_rand_int_range (rand, 0, len);

  g_byte_array_append (m, data, len);
  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0:   /* flip a few bytes */
      for (int k = g_rand_int_range (rand, 1, 9); k > 0; k--)
        {
          /* MIN() evaluates its arguments twice: draw the numbers first. */
          gsize at = pos + g_rand_int_range (rand, 0, 64);
          m->data[MIN (at, len - 1)] ^= g_rand_int_range (rand, 1, 256);
        }
      break;
    case 1:   /* insert bytes */
      {
        guint n = g_rand_int_range (rand, 1, 17);
        g_byte_array_set_size (m, len + n);
        memmove (m->data + pos + n, m->data + pos, len - pos);
        for (guint k = 0; k < n; k++)
          m->data[pos + k] = g_rand_int_range (rand, 0, 256);
      }
      break;
    case 2:   /* delete a range */
      {
        gsize n = g_rand_int_range (rand, 1, 65);
        g_byte_array_remove_range (m, pos, MIN (n, len - pos));
      }
      break;
    case 3:   /* truncate */
      g_byte_array_set_size (m, pos);
      break;
    default:  /* change a digit: offsets, lengths, counts */
      for (gsize k = pos; k < m->len; k++)
        if (g_ascii_isdigit (m->data[k]))
          {
            m->data[k] = '0' + g_rand_int_range (rand, 0, 10);
            break;
          }
      break;
    }
  return g_byte_array_free_to_bytes (m);
}

/* TEKEN_TEST_MUTANTS, TEKEN_TEST_MUTANT_SEED and TEKEN_TEST_MUTANT_FILES (comma-separated corpus
 * names) widen the loop for exploratory runs; the defaults are what CI runs. */
static void
test_mutations (void)
{
  const char *env_n = g_getenv ("TEKEN_TEST_MUTANTS");
  const char *env_seed = g_getenv ("TEKEN_TEST_MUTANT_SEED");
  const char *env_files = g_getenv ("TEKEN_TEST_MUTANT_FILES");
  guint n_mutants = env_n != NULL ? (guint) g_ascii_strtoull (env_n, NULL, 10) : 300;
  guint32 seed = env_seed != NULL ? (guint32) g_ascii_strtoull (env_seed, NULL, 10) : 20261124;
  g_auto(GStrv) names = g_strsplit (env_files != NULL ? env_files
                                    : "naskah-dinas-libreoffice.pdf,keputusan-pdftex.pdf,naskah-dinas-hybrid-xref.pdf",
                                    ",", -1);
  guint n_files = g_strv_length (names);
  g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GRand *rand = g_rand_new_with_seed (seed);
  guint opened = 0;

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *path = corpus_path (names[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, &error);
      g_assert_no_error (error);
      g_ptr_array_add (contents, g_mapped_file_get_bytes (file));
    }
  for (guint i = 0; i < n_mutants; i++)
    {
      GBytes *original = contents->pdata[i % n_files];
      g_autoptr(GBytes) mutant = mutate (rand, g_bytes_get_data (original, NULL), g_bytes_get_size (original));
      opened += exercise (mutant);
    }
  g_rand_free (rand);
  g_test_message ("%u mutants read without a crash, %u of them opened", n_mutants, opened);
  /* The loop is only useful when many mutants get past the opening checks. */
  g_assert_cmpuint (opened, >, n_mutants / 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pdf/robustness/sanity", test_sanity);
  g_test_add_func ("/pdf/robustness/prev-loops", test_prev_loops);
  g_test_add_func ("/pdf/robustness/xref-stream-self-prev", test_xref_stream_self_prev);
  g_test_add_func ("/pdf/robustness/objstm-loops", test_objstm_loops);
  g_test_add_func ("/pdf/robustness/reference-cycle", test_reference_cycle);
  g_test_add_func ("/pdf/robustness/deep-nesting", test_deep_nesting);
  g_test_add_func ("/pdf/robustness/page-tree-loops", test_page_tree_loops);
  g_test_add_func ("/pdf/robustness/stream-lengths", test_stream_lengths);
  g_test_add_func ("/pdf/robustness/truncated-stream", test_truncated_stream);
  g_test_add_func ("/pdf/robustness/objstm-bomb", test_objstm_bomb);
  g_test_add_func ("/pdf/robustness/bad-xref-data", test_bad_xref_data);
  g_test_add_func ("/pdf/robustness/mutations", test_mutations);

  return g_test_run ();
}
