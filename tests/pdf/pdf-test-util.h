/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the pdf tests: corpus paths, external tools and a small builder for
 * hand-made (often hostile) PDF files with correct cross-reference offsets.
 */
#pragma once

#include <string.h>

#include "teken-pdf-document.h"
#include "teken-pdf-update.h"

static inline char *
corpus_path (const char *name)
{
  const char *dir = g_getenv ("TEKEN_TEST_CORPUS");

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

/* Runs argv; returns the exit status and the captured stdout. */
static inline int
run_tool (const char * const *argv,
          char              **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &status, &error))
    g_error ("could not run %s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s: exit status %d; stderr: %s", argv[0], status, err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* A PDF under construction: objects are appended, offsets recorded for the table. */
typedef struct
{
  GString *buf;
  GArray *offsets;   /* goffset per object number, 0 when absent */
} PdfBuilder;

static inline PdfBuilder *
pdf_builder_new (void)
{
  PdfBuilder *b = g_new0 (PdfBuilder, 1);

  b->buf = g_string_new ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
  b->offsets = g_array_new (FALSE, TRUE, sizeof (goffset));
  return b;
}

static inline void
pdf_builder_free (PdfBuilder *b)
{
  g_string_free (b->buf, TRUE);
  g_array_unref (b->offsets);
  g_free (b);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdfBuilder, pdf_builder_free)

static inline void
pdf_builder_add (PdfBuilder *b,
                 guint       num,
                 const char *body)
{
  goffset offset = b->buf->len;

  if (b->offsets->len <= num)
    g_array_set_size (b->offsets, num + 1);
  g_array_index (b->offsets, goffset, num) = offset;
  g_string_append_printf (b->buf, "%u 0 obj\n%s\nendobj\n", num, body);
}

/* A classic table for every object added so far; returns its offset. */
static inline goffset
pdf_builder_table (PdfBuilder *b,
                   const char *trailer_extra)
{
  goffset xref = b->buf->len;

  g_string_append_printf (b->buf, "xref\n0 %u\n0000000000 65535 f\r\n", b->offsets->len);
  for (guint i = 1; i < b->offsets->len; i++)
    {
      goffset off = g_array_index (b->offsets, goffset, i);
      if (off == 0)
        g_string_append (b->buf, "0000000000 00000 f\r\n");
      else
        g_string_append_printf (b->buf, "%010" G_GINT64_FORMAT " 00000 n\r\n", (gint64) off);
    }
  g_string_append_printf (b->buf, "trailer\n<</Size %u /Root 1 0 R %s>>\nstartxref\n%" G_GINT64_FORMAT "\n%%%%EOF\n",
                          b->offsets->len, trailer_extra != NULL ? trailer_extra : "", (gint64) xref);
  return xref;
}

static inline GBytes *
pdf_builder_bytes (PdfBuilder *b)
{
  return g_bytes_new (b->buf->str, b->buf->len);
}

/* A minimal valid document: catalog 1, pages 2, one page 3. */
static inline void
pdf_builder_add_basic (PdfBuilder *b)
{
  pdf_builder_add (b, 1, "<</Type /Catalog /Pages 2 0 R>>");
  pdf_builder_add (b, 2, "<</Type /Pages /Kids [3 0 R] /Count 1>>");
  pdf_builder_add (b, 3, "<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 300]>>");
}
