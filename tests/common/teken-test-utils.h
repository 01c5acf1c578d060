/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Helpers shared by Teken's test programs. They check results with tools that are independent of
 * Teken's own PDF and CMS code (pdfsig, qpdf, openssl), and they never use a shell.
 */

/* Directories and programs named by the test environment (tests/meson.build); abort when unset. */
const char *teken_test_pki_dir       (void);
const char *teken_test_corpus_dir    (void);
const char *teken_test_cli_path      (void);
char       *teken_test_pki_path      (const char *name);
char       *teken_test_corpus_path   (const char *name);

/* A fresh, empty directory; it and everything in it are removed when the program exits. */
char       *teken_test_make_tmp_dir  (void);

/* argv[0] is looked up in PATH; stdin is /dev/null unless stdin_data is given. Any out-pointer may be NULL.
 * Returns FALSE only when the program could not be run; *exit_status is the exit code
 * (128 + N when killed by signal N). */
gboolean    teken_test_run           (const char * const *argv,
                                      char              **out_stdout,
                                      char              **out_stderr,
                                      int                *exit_status,
                                      GError            **error);
gboolean    teken_test_run_with_stdin (const char * const *argv,
                                       const char         *stdin_data,
                                       char              **out_stdout,
                                       char              **out_stderr,
                                       int                *exit_status,
                                       GError            **error);

/* Lower-case hex SHA-256 of a whole file, or NULL when it cannot be read. */
char       *teken_test_file_sha256   (const char *path);
/* TRUE when both files exist and `path` starts with every byte of `prefix_path`. */
gboolean    teken_test_file_has_prefix (const char *path,
                                        const char *prefix_path);
/* Names of the entries of a directory, sorted. */
GPtrArray  *teken_test_list_dir      (const char *dir);

/*
 * Runs `pdfsig -nssdir sql:$TEKEN_TEST_PKI/nssdb FILE` and parses its text (pdfsig exits 0 even on a
 * digest mismatch). Returns the number of signature entries listed (unsigned fields count too),
 * with how many say "Signature is Valid." and "Certificate is Trusted.". OCSP is not disabled:
 * poppler 22.12 reports every certificate as "Unknown issue" with -no-ocsp; the test certificates
 * carry no AIA, so nothing is fetched.
 */
guint       teken_test_pdfsig_check  (const char *path,
                                      guint      *n_valid,
                                      guint      *n_trusted,
                                      char      **output);

/* `qpdf --check FILE` exits 0 (no errors and no warnings). */
gboolean    teken_test_qpdf_check    (const char *path,
                                      char      **output);

typedef struct
{
  gint64 start1, len1, start2, len2;
} TekenTestByteRange;

/* Every well-formed `/ByteRange [a b c d]` in the file, in file order (found textually). */
GArray     *teken_test_pdf_byte_ranges (const char *path,
                                        GError    **error);

/*
 * Extracts the bytes covered by the sig_index-th (0-based, file order) /ByteRange and the DER CMS in
 * the /Contents hex string between the two ranges, then runs `openssl cms -verify -binary` on them
 * with ca_file as the only trust anchor. Own textual extraction, independent of Teken's PDF engine.
 */
gboolean    teken_test_openssl_cms_verify (const char *pdf_path,
                                           guint       sig_index,
                                           const char *ca_file,
                                           char      **output);

/* Writes the DER CMS of the sig_index-th signature to der_path (for `openssl cms -cmsout -print`). */
gboolean    teken_test_extract_cms   (const char *pdf_path,
                                      guint       sig_index,
                                      const char *der_path,
                                      GError    **error);

/*
 * Writes a valid PDF of n_pages pages, each showing one image of bytes_per_page pseudo-random
 * (incompressible, seeded, so reproducible) RGB bytes; 10 pages x 10 MiB makes the ~100 MB
 * benchmark/stress file.
 */
gboolean    teken_test_make_big_pdf  (const char *path,
                                      guint       n_pages,
                                      gsize       bytes_per_page,
                                      GError    **error);

G_END_DECLS
