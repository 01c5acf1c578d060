/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `teken-cli sign` option handling: usage errors (exit 64, one line), bad files refused before
 * the passphrase is read, the output path printed on success.
 */
#include <string.h>

#include "teken-test-utils.h"

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_sign (const char * const *args,
          const char         *stdin_data,
          Run                *run)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) teken_test_cli_path ());
  g_ptr_array_add (argv, (char *) "sign");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (teken_test_run_with_stdin ((const char * const *) argv->pdata, stdin_data != NULL ? stdin_data : "",
                                            &run->out, &run->err, &run->status, &error));
  g_assert_no_error (error);
}

static void
assert_one_line (const char *text)
{
  const char *nl = strchr (text, '\n');

  g_assert_true (g_str_has_prefix (text, "teken-cli: "));
  g_assert_nonnull (nl);
  g_assert_cmpstr (nl + 1, ==, "");
}

static void
test_usage_errors (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  g_autofree char *in = teken_test_corpus_path ("laporan-cairo.pdf");
  g_autofree char *p12 = teken_test_pki_path ("individu-rsa2048.p12");
  const char *cases[][12] = {
    { "-o", out, in, NULL },                                               /* no key */
    { "--p12", p12, in, NULL },                                            /* no -o */
    { "--p12", p12, "-o", out, NULL },                                     /* no input */
    { "--p12", p12, "-o", out, in, in, NULL },                             /* two inputs */
    { "--p12", p12, "--page", "1", "-o", out, in, NULL },                  /* page without rect */
    { "--p12", p12, "--rect", "1,2,3,4", "-o", out, in, NULL },            /* rect without page */
    { "--p12", p12, "--page", "0", "--rect", "1,2,3,4", "-o", out, in, NULL },
    { "--p12", p12, "--page", "1", "--rect", "1,2,3", "-o", out, in, NULL },
    { "--p12", p12, "--page", "1", "--rect", "1,2,-3,4", "-o", out, in, NULL },
    { "--p12", p12, "--page", "1", "--rect", "1,x,3,4", "-o", out, in, NULL },
    { "--p12", p12, "--digest", "md5", "-o", out, in, NULL },
    { "--p12", p12, "--subfilter", "cades", "-o", out, in, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_sign (cases[i], "Rahasia-Uji-123\n", &run);
      g_test_message ("case %u: %s", i, run.err);
      g_assert_cmpint (run.status, ==, 64);
      assert_one_line (run.err);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
}

/* An encrypted or damaged input is refused before the passphrase is read: with an empty
 * standard input the error is about the file, not about the passphrase. */
static void
test_refused_before_passphrase (void)
{
  const char *files[] = { "bad-encrypted-user-aes256.pdf", "bad-broken-xref-offsets.pdf", "bad-not-pdf-html.pdf" };
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  g_autofree char *p12 = teken_test_pki_path ("individu-rsa2048.p12");

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *in = teken_test_corpus_path (files[i]);
      const char *args[] = { "--p12", p12, "-o", out, in, NULL };
      g_auto(Run) run = { 0 };

      run_sign (args, "", &run);
      g_assert_cmpint (run.status, ==, 1);
      assert_one_line (run.err);
      g_assert_null (strstr (run.err, "assphrase"));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
}

static void
test_success_prints_path (void)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "ditandatangani.pdf", NULL);
  g_autofree char *in = teken_test_corpus_path ("nota-dinas-ghostscript.pdf");
  g_autofree char *p12 = teken_test_pki_path ("jabatan-p256.p12");
  g_autofree char *pass = teken_test_pki_path ("passphrase.txt");
  g_autofree char *expect = g_strconcat (out, "\n", NULL);
  const char *args[] = { "--p12", p12, "--passphrase-file", pass, "--page", "1", "--rect", "300.5, 60, 220, 70",
                         "--reason", "Disetujui", "--digest", "sha384", "--subfilter", "pkcs7", "-o", out, in, NULL };
  g_auto(Run) run = { 0 };
  guint valid = 0, trusted = 0;
  g_autofree char *text = NULL;

  run_sign (args, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, expect);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpuint (teken_test_pdfsig_check (out, &valid, &trusted, &text), ==, 1);
  if (valid != 1 || trusted != 1)
    g_error ("%s", text);
  g_assert_nonnull (strstr (text, "adbe.pkcs7.detached"));
  g_assert_nonnull (strstr (text, "SHA-384"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sign/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/sign/cli/refused-before-passphrase", test_refused_before_passphrase);
  g_test_add_func ("/sign/cli/success-prints-path", test_success_prints_path);

  return g_test_run ();
}
