/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Self-test of the checkers in teken-test-utils: they must accept a PDF signed by a peer (pdfsig)
 * and reject the same file with one signed byte changed, or the interop tests prove nothing.
 */
#include <string.h>
#include <glib/gstdio.h>

#include "teken-test-utils.h"

static char *signed_path;

static void
sign_with_pdfsig (const char *dir)
{
  g_autofree char *in = teken_test_corpus_path ("nota-dinas-ghostscript.pdf");
  g_autofree char *nss = g_strdup_printf ("sql:%s/nss-signer", teken_test_pki_dir ());
  const char *argv[] = { "pdfsig", "-nssdir", nss, "-add-signature", "-nick", "individu-rsa2048",
                         in, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  signed_path = g_build_filename (dir, "pdfsig-signed.pdf", NULL);
  argv[7] = signed_path;
  g_assert_true (teken_test_run (argv, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (status != 0)
    g_error ("pdfsig -add-signature failed (%d): %s", status, err);
}

static void
test_good (void)
{
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autofree char *other = teken_test_pki_path ("other-root.crt");
  g_autofree char *in = teken_test_corpus_path ("nota-dinas-ghostscript.pdf");
  g_autofree char *out = NULL;
  g_autoptr(GArray) ranges = NULL;
  g_autoptr(GError) error = NULL;
  guint valid = 0, trusted = 0;
  GStatBuf st;

  g_assert_cmpuint (teken_test_pdfsig_check (signed_path, &valid, &trusted, &out), ==, 1);
  g_test_message ("%s", out);
  g_assert_cmpuint (valid, ==, 1);
  g_assert_cmpuint (trusted, ==, 1);
  g_clear_pointer (&out, g_free);

  g_assert_true (teken_test_qpdf_check (signed_path, &out));
  g_clear_pointer (&out, g_free);

  ranges = teken_test_pdf_byte_ranges (signed_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ranges->len, ==, 1);
  g_assert_cmpint (g_stat (signed_path, &st), ==, 0);
  g_assert_cmpint (g_array_index (ranges, TekenTestByteRange, 0).start2 +
                   g_array_index (ranges, TekenTestByteRange, 0).len2, ==, st.st_size);

  if (!teken_test_openssl_cms_verify (signed_path, 0, root, &out))
    g_error ("%s", out);
  g_clear_pointer (&out, g_free);
  /* Wrong trust anchor and missing signature index must fail. */
  g_assert_false (teken_test_openssl_cms_verify (signed_path, 0, other, &out));
  g_clear_pointer (&out, g_free);
  g_assert_false (teken_test_openssl_cms_verify (signed_path, 1, root, &out));

  g_assert_true (teken_test_file_has_prefix (signed_path, in));
  g_assert_false (teken_test_file_has_prefix (in, signed_path));
}

static void
test_tampered (void)
{
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *bad = g_build_filename (dir, "tampered.pdf", NULL);
  g_autofree char *data = NULL;
  g_autofree char *out = NULL;
  g_autofree char *sum1 = NULL;
  g_autofree char *sum2 = NULL;
  g_autoptr(GError) error = NULL;
  guint valid = 99, trusted = 99;
  char *hit;
  gsize len;

  g_assert_true (g_file_get_contents (signed_path, &data, &len, &error));
  /* Change one byte inside the first signed range: the minor version in the header. */
  g_assert_true (g_str_has_prefix (data, "%PDF-1."));
  hit = data + 7;
  *hit = *hit == '4' ? '5' : '4';
  g_assert_true (g_file_set_contents (bad, data, len, &error));

  g_assert_cmpuint (teken_test_pdfsig_check (bad, &valid, &trusted, &out), ==, 1);
  g_test_message ("%s", out);
  g_assert_cmpuint (valid, ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_false (teken_test_openssl_cms_verify (bad, 0, root, &out));

  sum1 = teken_test_file_sha256 (signed_path);
  sum2 = teken_test_file_sha256 (bad);
  g_assert_cmpuint (strlen (sum1), ==, 64);
  g_assert_cmpstr (sum1, !=, sum2);
}

static void
test_big_pdf (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *a = g_build_filename (dir, "a.pdf", NULL);
  g_autofree char *b = g_build_filename (dir, "b.pdf", NULL);
  g_autofree char *sa = NULL;
  g_autofree char *sb = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  /* Small version of the benchmark file: valid and reproducible. */
  g_assert_true (teken_test_make_big_pdf (a, 3, 100000, &error));
  g_assert_no_error (error);
  g_assert_true (teken_test_make_big_pdf (b, 3, 100000, &error));
  sa = teken_test_file_sha256 (a);
  sb = teken_test_file_sha256 (b);
  g_assert_cmpstr (sa, ==, sb);
  if (!teken_test_qpdf_check (a, &out))
    g_error ("%s", out);
}

static void
test_run (void)
{
  const char *argv[] = { "sh", "-c", "read x; echo \"out:$x\"; echo err >&2; exit 7", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (teken_test_run_with_stdin (argv, "abc\n", &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 7);
  g_assert_cmpstr (out, ==, "out:abc\n");
  g_assert_cmpstr (err, ==, "err\n");
  g_clear_pointer (&out, g_free);
  g_assert_true (teken_test_run (argv, &out, NULL, &status, &error));
  g_assert_cmpstr (out, ==, "out:\n");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;

  g_test_init (&argc, &argv, NULL);
  dir = teken_test_make_tmp_dir ();
  sign_with_pdfsig (dir);
  g_test_add_func ("/utils/run", test_run);
  g_test_add_func ("/utils/checkers/good", test_good);
  g_test_add_func ("/utils/checkers/tampered", test_tampered);
  g_test_add_func ("/utils/big-pdf", test_big_pdf);
  return g_test_run ();
}
