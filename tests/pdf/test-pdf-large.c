/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Memory stays bounded on a 100 MB file: the test writes one (1000 pages, a 100 KB content
 * stream each) straight to disk, reads every object, appends an update, and checks the
 * process's peak resident size (a resource bound, not a timing).
 */
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/resource.h>

#include "pdf-test-util.h"

#define N_PAGES 1000
#define CONTENT_SIZE (100 * 1024)
#define RSS_LIMIT_KB (32 * 1024)

/* Object numbers: 1 catalog, 2 pages, then page i = 3 + 2i and its content = 4 + 2i. */
static void
write_large_pdf (const char *path)
{
  FILE *fp = fopen (path, "wb");
  g_autofree goffset *offsets = g_new0 (goffset, 3 + 2 * N_PAGES);
  g_autofree char *content = g_malloc (CONTENT_SIZE);
  guint n = 3 + 2 * N_PAGES;
  goffset xref;

  g_assert_nonnull (fp);
  /* Plausible drawing operators, so that nothing looks like a keyword the reader searches for. */
  for (gsize i = 0; i < CONTENT_SIZE; i++)
    content[i] = "0123456789 re f q Q\n"[i % 20];

  fputs ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", fp);
  offsets[1] = ftell (fp);
  fputs ("1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\n", fp);
  offsets[2] = ftell (fp);
  fputs ("2 0 obj\n<</Type /Pages /Count 1000 /MediaBox [0 0 595 842] /Kids [", fp);
  for (guint i = 0; i < N_PAGES; i++)
    fprintf (fp, "%u 0 R ", 3 + 2 * i);
  fputs ("]>>\nendobj\n", fp);
  for (guint i = 0; i < N_PAGES; i++)
    {
      offsets[3 + 2 * i] = ftell (fp);
      fprintf (fp, "%u 0 obj\n<</Type /Page /Parent 2 0 R /Contents %u 0 R>>\nendobj\n", 3 + 2 * i, 4 + 2 * i);
      offsets[4 + 2 * i] = ftell (fp);
      fprintf (fp, "%u 0 obj\n<</Length %d>>\nstream\n", 4 + 2 * i, CONTENT_SIZE);
      fwrite (content, 1, CONTENT_SIZE, fp);
      fputs ("\nendstream\nendobj\n", fp);
    }
  xref = ftell (fp);
  fprintf (fp, "xref\n0 %u\n0000000000 65535 f\r\n", n);
  for (guint i = 1; i < n; i++)
    fprintf (fp, "%010ld 00000 n\r\n", (long) offsets[i]);
  fprintf (fp, "trailer\n<</Size %u /Root 1 0 R>>\nstartxref\n%ld\n%%%%EOF\n", n, (long) xref);
  g_assert_cmpint (fclose (fp), ==, 0);
}

static glong
peak_rss_kb (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss;
}

static void
test_large_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("teken-pdf-large-XXXXXX", NULL);
  g_autofree char *input = g_build_filename (dir, "large.pdf", NULL);
  g_autofree char *output = g_build_filename (dir, "large-updated.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(TekenPdfDocument) reread = NULL;
  g_autoptr(TekenPdfUpdate) update = NULL;
  g_autoptr(TekenPdfObject) catalog = NULL;
  TekenPdfObject *copy;
  guint catalog_num, num;
  gsize streamed = 0;

  write_large_pdf (input);
  doc = teken_pdf_document_new_for_path (input, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teken_pdf_document_get_size (doc), >, 100 * 1000 * 1000);
  g_assert_cmpuint (teken_pdf_document_get_n_pages (doc, &error), ==, N_PAGES);

  /* Every object, streams included, one after the other. */
  for (num = 1; num < teken_pdf_document_get_next_object_number (doc); num++)
    {
      g_autoptr(TekenPdfObject) obj = teken_pdf_document_get_object (doc, num, &error);
      g_assert_no_error (error);
      if (teken_pdf_object_get_kind (obj) == TEKEN_PDF_STREAM)
        streamed += g_bytes_get_size (teken_pdf_stream_get_raw (obj));
    }
  g_assert_cmpuint (streamed, ==, (gsize) N_PAGES * CONTENT_SIZE);

  update = teken_pdf_update_new (doc);
  catalog = teken_pdf_document_get_catalog (doc, &catalog_num, &error);
  copy = teken_pdf_object_copy (catalog);
  teken_pdf_dict_set (copy, "TekenTest", teken_pdf_boolean_new (TRUE));
  teken_pdf_update_set_object (update, catalog_num, copy);
  g_assert_true (teken_pdf_update_write_to_path (update, output, &error));
  g_assert_no_error (error);

  reread = teken_pdf_document_new_for_path (output, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teken_pdf_document_get_n_pages (reread, &error), ==, N_PAGES);
  g_assert_cmpuint (teken_pdf_document_get_sections (reread)->len, ==, 2);

  g_test_message ("peak RSS %ld KiB for a %" G_GSIZE_FORMAT " byte file", peak_rss_kb (),
                  teken_pdf_document_get_size (doc));
  g_assert_cmpint (peak_rss_kb (), <, RSS_LIMIT_KB);

  g_unlink (input);
  g_unlink (output);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pdf/large/bounded-memory", test_large_file);

  return g_test_run ();
}
