/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem */
#include "teken-test-utils.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

/* ---- environment ------------------------------------------------------------------------------- */

static const char *
require_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run this test through `meson test`", name);
  return value;
}

const char *
teken_test_pki_dir (void)
{
  return require_env ("TEKEN_TEST_PKI");
}

const char *
teken_test_corpus_dir (void)
{
  return require_env ("TEKEN_TEST_CORPUS");
}

const char *
teken_test_cli_path (void)
{
  return require_env ("TEKEN_CLI");
}

char *
teken_test_pki_path (const char *name)
{
  return g_build_filename (teken_test_pki_dir (), name, NULL);
}

char *
teken_test_corpus_path (const char *name)
{
  return g_build_filename (teken_test_corpus_dir (), name, NULL);
}

/* ---- temporary directories --------------------------------------------------------------------- */

static GPtrArray *tmp_dirs;

static void
rm_rf (const char *path)
{
  GDir *dir;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR) &&
      (dir = g_dir_open (path, 0, NULL)) != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
      g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
remove_tmp_dirs (void)
{
  if (tmp_dirs == NULL)
    return;
  if (g_getenv ("TEKEN_TEST_KEEP_TMP") != NULL)
    {
      for (guint i = 0; i < tmp_dirs->len; i++)
        g_printerr ("# kept %s\n", (const char *) g_ptr_array_index (tmp_dirs, i));
      return;
    }
  for (guint i = 0; i < tmp_dirs->len; i++)
    rm_rf (g_ptr_array_index (tmp_dirs, i));
  g_clear_pointer (&tmp_dirs, g_ptr_array_unref);
}

char *
teken_test_make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("teken-test-XXXXXX", &error);

  g_assert_no_error (error);
  if (tmp_dirs == NULL)
    {
      tmp_dirs = g_ptr_array_new_with_free_func (g_free);
      atexit (remove_tmp_dirs);
    }
  g_ptr_array_add (tmp_dirs, g_strdup (dir));
  return dir;
}

/* ---- running programs -------------------------------------------------------------------------- */

static int
decode_wait_status (int wait_status)
{
  if (WIFEXITED (wait_status))
    return WEXITSTATUS (wait_status);
  if (WIFSIGNALED (wait_status))
    return 128 + WTERMSIG (wait_status);
  return -1;
}

gboolean
teken_test_run (const char * const *argv,
                char              **out_stdout,
                char              **out_stderr,
                int                *exit_status,
                GError            **error)
{
  GSpawnFlags flags = G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL;
  int wait_status = 0;

  if (out_stdout == NULL)
    flags |= G_SPAWN_STDOUT_TO_DEV_NULL;
  if (out_stderr == NULL)
    flags |= G_SPAWN_STDERR_TO_DEV_NULL;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, flags, NULL, NULL,
                     out_stdout, out_stderr, &wait_status, error))
    return FALSE;
  if (exit_status != NULL)
    *exit_status = decode_wait_status (wait_status);
  return TRUE;
}

gboolean
teken_test_run_with_stdin (const char * const *argv,
                           const char         *stdin_data,
                           char              **out_stdout,
                           char              **out_stderr,
                           int                *exit_status,
                           GError            **error)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (stdin_data == NULL)
    return teken_test_run (argv, out_stdout, out_stderr, exit_status, error);

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  if (proc == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (proc, stdin_data, NULL, &out, &err, error))
    return FALSE;
  if (exit_status != NULL)
    {
      if (g_subprocess_get_if_exited (proc))
        *exit_status = g_subprocess_get_exit_status (proc);
      else
        *exit_status = 128 + g_subprocess_get_term_sig (proc);
    }
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);
  return TRUE;
}

/* ---- files ------------------------------------------------------------------------------------- */

char *
teken_test_file_sha256 (const char *path)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buf = g_malloc (1 << 20);
  FILE *f = fopen (path, "rb");
  size_t n;

  if (f == NULL)
    return NULL;
  while ((n = fread (buf, 1, 1 << 20, f)) > 0)
    g_checksum_update (sum, buf, n);
  if (ferror (f))
    {
      fclose (f);
      return NULL;
    }
  fclose (f);
  return g_strdup (g_checksum_get_string (sum));
}

gboolean
teken_test_file_has_prefix (const char *path,
                            const char *prefix_path)
{
  g_autofree guchar *a = g_malloc (1 << 16);
  g_autofree guchar *b = g_malloc (1 << 16);
  FILE *fp = fopen (prefix_path, "rb");
  FILE *f = fopen (path, "rb");
  gboolean ok = (fp != NULL && f != NULL);

  while (ok)
    {
      size_t na = fread (a, 1, 1 << 16, fp);
      size_t nb;

      if (na == 0)
        break;
      nb = fread (b, 1, na, f);
      ok = (nb == na && memcmp (a, b, na) == 0);
    }
  if (fp != NULL)
    fclose (fp);
  if (f != NULL)
    fclose (f);
  return ok;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

GPtrArray *
teken_test_list_dir (const char *path)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return names;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);
  return names;
}

/* ---- independent checkers ---------------------------------------------------------------------- */

guint
teken_test_pdfsig_check (const char *path,
                         guint      *n_valid,
                         guint      *n_trusted,
                         char      **output)
{
  g_autofree char *nss = g_strdup_printf ("sql:%s/nssdb", teken_test_pki_dir ());
  const char *argv[] = { "pdfsig", "-nssdir", nss, path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_sigs = 0, valid = 0, trusted = 0;
  int status = -1;

  if (!teken_test_run (argv, &out, &err, &status, &error))
    g_error ("cannot run pdfsig: %s", error->message);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = g_strstrip (lines[i]);

      if (g_str_has_prefix (l, "Signature #"))
        n_sigs++;
      else if (g_str_equal (l, "- Signature Validation: Signature is Valid."))
        valid++;
      else if (g_str_equal (l, "- Certificate Validation: Certificate is Trusted."))
        trusted++;
    }
  if (n_valid != NULL)
    *n_valid = valid;
  if (n_trusted != NULL)
    *n_trusted = trusted;
  if (output != NULL)
    *output = g_strdup_printf ("pdfsig exit %d\n%s%s", status, out, err);
  return n_sigs;
}

gboolean
teken_test_qpdf_check (const char *path,
                       char      **output)
{
  const char *argv[] = { "qpdf", "--check", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (!teken_test_run (argv, &out, &err, &status, &error))
    g_error ("cannot run qpdf: %s", error->message);
  if (output != NULL)
    *output = g_strdup_printf ("qpdf exit %d\n%s%s", status, out, err);
  return status == 0;
}

static gboolean
parse_uint (const char **p,
            const char  *end,
            gint64      *value)
{
  gint64 v = 0;
  const char *s = *p;

  while (s < end && g_ascii_isspace (*s))
    s++;
  if (s >= end || !g_ascii_isdigit (*s))
    return FALSE;
  while (s < end && g_ascii_isdigit (*s))
    {
      if (v > G_MAXINT64 / 10 - 10)
        return FALSE;
      v = v * 10 + (*s - '0');
      s++;
    }
  *p = s;
  *value = v;
  return TRUE;
}

static GArray *
byte_ranges_in (const char *data,
                gsize       len)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (TekenTestByteRange));
  const char *end = data + len;
  const char *p = data;
  static const char key[] = "/ByteRange";

  while ((p = memmem (p, end - p, key, sizeof key - 1)) != NULL)
    {
      TekenTestByteRange r;
      const char *s = p + sizeof key - 1;

      p = s;
      while (s < end && g_ascii_isspace (*s))
        s++;
      if (s >= end || *s != '[')
        continue;
      s++;
      if (!parse_uint (&s, end, &r.start1) || !parse_uint (&s, end, &r.len1) ||
          !parse_uint (&s, end, &r.start2) || !parse_uint (&s, end, &r.len2))
        continue;
      while (s < end && g_ascii_isspace (*s))
        s++;
      if (s >= end || *s != ']')
        continue;
      g_array_append_val (ranges, r);
    }
  return ranges;
}

GArray *
teken_test_pdf_byte_ranges (const char *path,
                            GError    **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  return byte_ranges_in (data, len);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The signed bytes and the DER CMS of one signature, found from its /ByteRange alone. */
static gboolean
extract_signature (const char  *pdf_path,
                   guint        sig_index,
                   GByteArray **out_data,
                   GByteArray **out_cms,
                   GError     **error)
{
  g_autofree char *file = NULL;
  g_autoptr(GArray) ranges = NULL;
  g_autoptr(GByteArray) cms = NULL;
  g_autoptr(GByteArray) data = NULL;
  const TekenTestByteRange *r;
  const char *gap, *gap_end, *k;
  gsize len = 0;
  int hi = -1;

  if (!g_file_get_contents (pdf_path, &file, &len, error))
    return FALSE;
  ranges = byte_ranges_in (file, len);
  if (sig_index >= ranges->len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: no /ByteRange #%u (found %u)",
                   pdf_path, sig_index, ranges->len);
      return FALSE;
    }
  r = &g_array_index (ranges, TekenTestByteRange, sig_index);
  if (r->start1 != 0 || r->start1 + r->len1 >= r->start2 || r->start2 + r->len2 > (gint64) len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: /ByteRange [%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                   " %" G_GINT64_FORMAT "] does not fit the file (%" G_GSIZE_FORMAT " bytes)",
                   pdf_path, r->start1, r->len1, r->start2, r->len2, len);
      return FALSE;
    }

  /* The gap must be exactly the hex string of the /Contents entry. */
  gap = file + r->start1 + r->len1;
  gap_end = file + r->start2;
  k = gap;
  while (k > file && g_ascii_isspace (k[-1]))
    k--;
  if (*gap != '<' || gap_end[-1] != '>' || k - file < 9 || memcmp (k - 9, "/Contents", 9) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: the gap of /ByteRange #%u is not a /Contents <hex> string", pdf_path, sig_index);
      return FALSE;
    }

  cms = g_byte_array_new ();
  for (const char *c = gap + 1; c < gap_end - 1; c++)
    {
      int v = hex_value (*c);

      if (v < 0)
        {
          if (g_ascii_isspace (*c))
            continue;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: non-hex byte in /Contents", pdf_path);
          return FALSE;
        }
      if (hi < 0)
        hi = v;
      else
        {
          guint8 byte = (guint8) (hi << 4 | v);
          g_byte_array_append (cms, &byte, 1);
          hi = -1;
        }
    }

  /* Drop the zero padding after the DER SEQUENCE (definite length). */
  if (cms->len >= 2 && cms->data[0] == 0x30 && cms->data[1] != 0x80)
    {
      gsize body = 0, hdr = 2;

      if (cms->data[1] < 0x80)
        body = cms->data[1];
      else
        {
          guint n = cms->data[1] & 0x7f;

          if (n > 4 || cms->len < 2 + n)
            n = 0;
          for (guint i = 0; i < n; i++)
            body = body << 8 | cms->data[2 + i];
          hdr += n;
        }
      if (hdr + body <= cms->len)
        g_byte_array_set_size (cms, hdr + body);
    }

  data = g_byte_array_sized_new (r->len1 + r->len2);
  g_byte_array_append (data, (const guint8 *) file + r->start1, r->len1);
  g_byte_array_append (data, (const guint8 *) file + r->start2, r->len2);
  *out_data = g_steal_pointer (&data);
  *out_cms = g_steal_pointer (&cms);
  return TRUE;
}

gboolean
teken_test_extract_cms (const char *pdf_path,
                        guint       sig_index,
                        const char *der_path,
                        GError    **error)
{
  g_autoptr(GByteArray) data = NULL;
  g_autoptr(GByteArray) cms = NULL;

  if (!extract_signature (pdf_path, sig_index, &data, &cms, error))
    return FALSE;
  return g_file_set_contents (der_path, (const char *) cms->data, cms->len, error);
}

gboolean
teken_test_openssl_cms_verify (const char *pdf_path,
                               guint       sig_index,
                               const char *ca_file,
                               char      **output)
{
  g_autoptr(GByteArray) data = NULL;
  g_autoptr(GByteArray) cms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data_path = NULL;
  g_autofree char *cms_path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  if (!extract_signature (pdf_path, sig_index, &data, &cms, &error))
    {
      if (output != NULL)
        *output = g_strdup (error->message);
      return FALSE;
    }
  dir = teken_test_make_tmp_dir ();
  data_path = g_build_filename (dir, "data.bin", NULL);
  cms_path = g_build_filename (dir, "sig.der", NULL);
  if (!g_file_set_contents (data_path, (const char *) data->data, data->len, &error) ||
      !g_file_set_contents (cms_path, (const char *) cms->data, cms->len, &error))
    g_error ("%s", error->message);

  {
    const char *argv[] = { "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", cms_path,
                           "-content", data_path, "-CAfile", ca_file, "-purpose", "any",
                           "-out", "/dev/null", NULL };

    if (!teken_test_run (argv, &out, &err, &status, &error))
      g_error ("cannot run openssl: %s", error->message);
  }
  if (output != NULL)
    *output = g_strdup_printf ("openssl cms -verify exit %d\n%s%s", status, out, err);
  /* Large inputs should not pile up in /tmp while a test runs (or after it aborts). */
  g_unlink (data_path);
  g_unlink (cms_path);
  g_rmdir (dir);
  return status == 0;
}

/* ---- generated inputs -------------------------------------------------------------------------- */

/* xorshift64*: fast, seeded, incompressible enough for deflate and for every PDF writer. */
static guint64
next_random (guint64 *state)
{
  guint64 x = *state;

  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * G_GUINT64_CONSTANT (2685821657736338717);
}

gboolean
teken_test_make_big_pdf (const char *path,
                         guint       n_pages,
                         gsize       bytes_per_page,
                         GError    **error)
{
  const guint width = 1024;
  guint height = MAX (1, bytes_per_page / (3 * width));
  gsize image_len = (gsize) width * height * 3;
  guint n_objects = 2 + 3 * n_pages;
  g_autofree gint64 *offsets = g_new0 (gint64, n_objects + 1);
  g_autofree guint64 *buf = g_new (guint64, 8192);
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);
  gint64 xref;
  FILE *f;

  f = fopen (tmp, "wb");
  if (f == NULL)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", tmp, g_strerror (saved));
      return FALSE;
    }

  fputs ("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", f);
  offsets[1] = ftello (f);
  fputs ("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n", f);
  offsets[2] = ftello (f);
  fputs ("2 0 obj\n<< /Type /Pages /Kids [", f);
  for (guint i = 0; i < n_pages; i++)
    fprintf (f, " %u 0 R", 3 + 3 * i);
  fprintf (f, " ] /Count %u >>\nendobj\n", n_pages);

  for (guint i = 0; i < n_pages; i++)
    {
      guint page = 3 + 3 * i, content = page + 1, image = page + 2;
      g_autofree char *ops = g_strdup ("q 595 0 0 842 0 0 cm /Im0 Do Q\n");
      guint64 state = G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) ^ (i + 1);
      gsize left = image_len;

      offsets[page] = ftello (f);
      fprintf (f, "%u 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                  "/Resources << /XObject << /Im0 %u 0 R >> >> /Contents %u 0 R >>\nendobj\n",
               page, image, content);
      offsets[content] = ftello (f);
      fprintf (f, "%u 0 obj\n<< /Length %zu >>\nstream\n%sendstream\nendobj\n", content, strlen (ops), ops);
      offsets[image] = ftello (f);
      fprintf (f, "%u 0 obj\n<< /Type /XObject /Subtype /Image /Width %u /Height %u /ColorSpace /DeviceRGB "
                  "/BitsPerComponent 8 /Length %zu >>\nstream\n", image, width, height, image_len);
      while (left > 0)
        {
          gsize chunk = MIN (left, 8192 * sizeof (guint64));

          for (guint j = 0; j < 8192; j++)
            buf[j] = next_random (&state);
          fwrite (buf, 1, chunk, f);
          left -= chunk;
        }
      fputs ("\nendstream\nendobj\n", f);
    }

  xref = ftello (f);
  fprintf (f, "xref\n0 %u\n0000000000 65535 f \n", n_objects + 1);
  for (guint i = 1; i <= n_objects; i++)
    fprintf (f, "%010" G_GINT64_FORMAT " 00000 n \n", offsets[i]);
  fprintf (f, "trailer\n<< /Size %u /Root 1 0 R >>\nstartxref\n%" G_GINT64_FORMAT "\n%%%%EOF\n",
           n_objects + 1, xref);

  if (ferror (f) | (fclose (f) != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: write error", tmp);
      g_unlink (tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path, g_strerror (saved));
      g_unlink (tmp);
      return FALSE;
    }
  return TRUE;
}
