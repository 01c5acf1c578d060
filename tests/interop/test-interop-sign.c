/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Integration tests of `teken-cli sign` ($TEKEN_CLI): every output is checked by tools that share no
 * code with Teken: pdfsig (signature valid, certificate trusted via the test root in an NSS db),
 * qpdf --check, and openssl cms -verify over the /ByteRange bytes. tests/interop/meson.build runs
 * groups of these cases in parallel with `--group=NAME` (see main).
 */
#define _GNU_SOURCE /* memmem */
#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "teken-test-utils.h"

#define MAX_INVISIBLE_GROWTH 40000   /* issue 2 target: an invisible signature adds at most 40 KB */

typedef struct
{
  int status;
  char *err;
} SignRun;

static void
sign_run_clear (SignRun *run)
{
  g_clear_pointer (&run->err, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SignRun, sign_run_clear)

/*
 * teken-cli sign --p12 PKI/<identity>.p12 [--passphrase-file PKI/passphrase.txt] [extra…] -o out in.
 * pass_file NULL means the default passphrase file; "" means none (stdin_data then supplies it).
 */
static void
sign_full (const char         *identity,
           const char         *pass_file,
           const char         *stdin_data,
           const char * const *extra,
           const char         *in,
           const char         *out,
           SignRun            *run)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *sout = NULL;

  g_ptr_array_add (argv, g_strdup (teken_test_cli_path ()));
  g_ptr_array_add (argv, g_strdup ("sign"));
  g_ptr_array_add (argv, g_strdup ("--p12"));
  g_ptr_array_add (argv, g_strconcat (teken_test_pki_dir (), "/", identity, ".p12", NULL));
  if (pass_file == NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--passphrase-file"));
      g_ptr_array_add (argv, teken_test_pki_path ("passphrase.txt"));
    }
  else if (*pass_file != '\0')
    {
      g_ptr_array_add (argv, g_strdup ("--passphrase-file"));
      g_ptr_array_add (argv, g_strdup (pass_file));
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (out));
  g_ptr_array_add (argv, g_strdup (in));
  g_ptr_array_add (argv, NULL);

  run->status = -1;
  if (!teken_test_run_with_stdin ((const char * const *) argv->pdata, stdin_data,
                                  &sout, &run->err, &run->status, &error))
    g_error ("cannot run %s: %s", teken_test_cli_path (), error->message);
}

static void
sign_ok (const char         *identity,
         const char * const *extra,
         const char         *in,
         const char         *out)
{
  g_auto(SignRun) run = { 0 };

  sign_full (identity, NULL, NULL, extra, in, out, &run);
  if (run.status != 0)
    g_error ("teken-cli sign %s -> %s failed (exit %d): %s", in, out, run.status, run.err);
}

/* Refusal tests would pass against a CLI without `sign` at all: make sure the command exists. */
static void
require_sign_command (void)
{
  static int status = -1;

  if (status < 0)
    {
      const char *argv[] = { teken_test_cli_path (), "sign", "--help", NULL };

      g_assert_true (teken_test_run (argv, NULL, NULL, &status, NULL));
    }
  if (status != 0)
    g_error ("`teken-cli sign --help` exits %d: the sign command is missing", status);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

/*
 * Everything a freshly signed `out` (made from `in`) must satisfy: an incremental update of `in`
 * whose newest /ByteRange covers the whole file, n_new more valid + trusted signatures than `in`
 * had (pdfsig), a clean qpdf --check, and openssl cms -verify of every signature made by Teken
 * (indexes first_own…). Returns the pdfsig text for further checks.
 */
static char *
check_signed_full (const char *in,
                   const char *out,
                   guint       first_own,
                   gboolean    pdfsig_validates)
{
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autofree char *text = NULL;
  g_autofree char *qpdf = NULL;
  g_autoptr(GArray) ranges = NULL;
  g_autoptr(GError) error = NULL;
  guint before, valid_before = 0, after, valid = 0, trusted = 0;
  const TekenTestByteRange *last;

  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  if (!teken_test_file_has_prefix (out, in))
    g_error ("%s does not start with the bytes of %s (not an incremental update)", out, in);

  before = teken_test_pdfsig_check (in, &valid_before, NULL, NULL);
  after = teken_test_pdfsig_check (out, &valid, &trusted, &text);
  g_test_message ("%s", text);
  if (!pdfsig_validates)
    {
      /* Only the count: openssl below is the judge for this key type. */
      g_assert_cmpuint (after, ==, before + 1);
    }
  else if (after != before + 1 || valid != valid_before + 1 || trusted != valid)
    g_error ("pdfsig on %s: %u signatures (%u valid, %u trusted), expected %u (all new ones valid and trusted):\n%s",
             out, after, valid, trusted, before + 1, text);

  if (!teken_test_qpdf_check (out, &qpdf))
    g_error ("qpdf --check %s:\n%s", out, qpdf);

  ranges = teken_test_pdf_byte_ranges (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ranges->len, >, first_own);
  last = &g_array_index (ranges, TekenTestByteRange, ranges->len - 1);
  g_assert_cmpint (last->start1, ==, 0);
  g_assert_cmpint (last->start2 + last->len2, ==, file_size (out));
  g_assert_cmpint (last->start1 + last->len1, >=, file_size (in));

  for (guint i = first_own; i < ranges->len; i++)
    {
      g_autofree char *cms = NULL;

      if (!teken_test_openssl_cms_verify (out, i, root, &cms))
        g_error ("openssl cms -verify of signature %u in %s:\n%s", i, out, cms);
    }
  return g_steal_pointer (&text);
}

static char *
check_signed (const char *in,
              const char *out,
              guint       first_own)
{
  return check_signed_full (in, out, first_own, TRUE);
}

/*
 * NSS 3.87 (pdfsig) reports "Signature is Invalid" for every CMS signed by a key whose certificate has
 * an id-RSASSA-PSS public key, even one made by `openssl cms -sign` (checked by hand); PSS padding with
 * an ordinary RSA key verifies. For such keys openssl cms -verify is the check.
 */
static gboolean
pdfsig_validates (const char *identity)
{
  return !g_str_has_suffix (identity, "-rsapss");
}

/* ---- every signable corpus file ---------------------------------------------------------------- */

/* Offset after the last "startxref" in data[from, len), or -1. */
static gint64
last_startxref (const char *data,
                gsize       from,
                gsize       len)
{
  const char *hit = NULL;
  gint64 value = 0;

  for (const char *p = data + from; (p = memmem (p, data + len - p, "startxref", 9)) != NULL; p += 9)
    hit = p;
  if (hit == NULL)
    return -1;
  hit += 9;
  while (hit < data + len && g_ascii_isspace (*hit))
    hit++;
  if (hit >= data + len || !g_ascii_isdigit (*hit))
    return -1;
  while (hit < data + len && g_ascii_isdigit (*hit))
    value = value * 10 + (*hit++ - '0');
  return value;
}

static gboolean
is_xref_table (const char *data,
               gsize       len,
               gint64      offset)
{
  return offset >= 0 && (gsize) offset + 4 <= len && memcmp (data + offset, "xref", 4) == 0;
}

/*
 * The appended revision's cross-reference section suits the base (a table after a table, a stream
 * after a stream; either after a hybrid file) and its /Prev points to the base's last section.
 */
static void
check_xref_chain (const char *in,
                  const char *out)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize alen, blen;
  gint64 prev, next, prev_value = -1;
  const char *tail, *p, *last_prev = NULL;

  g_assert_true (g_file_get_contents (in, &a, &alen, NULL));
  g_assert_true (g_file_get_contents (out, &b, &blen, NULL));
  prev = last_startxref (a, 0, alen);
  next = last_startxref (b, alen, blen);
  g_assert_cmpint (prev, >, 0);
  g_assert_cmpint (next, >=, (gint64) alen);
  if (memmem (a, alen, "/XRefStm", 8) == NULL)
    g_assert_cmpint (is_xref_table (a, alen, prev), ==, is_xref_table (b, blen, next));

  tail = b + next;
  for (p = tail; (p = memmem (p, b + blen - p, "/Prev", 5)) != NULL; p += 5)
    last_prev = p;
  g_assert_nonnull (last_prev);
  p = last_prev + 5;
  while (p < b + blen && g_ascii_isspace (*p))
    p++;
  if (p < b + blen && g_ascii_isdigit (*p))
    for (prev_value = 0; p < b + blen && g_ascii_isdigit (*p); p++)
      prev_value = prev_value * 10 + (*p - '0');
  g_assert_cmpint (prev_value, ==, prev);
}

static void
test_corpus_file (gconstpointer data)
{
  const char *name = data;
  g_autofree char *in = teken_test_corpus_path (name);
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "signed.pdf", NULL);
  g_autofree char *sum_before = teken_test_file_sha256 (in);
  g_autofree char *sum_after = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GArray) in_ranges = teken_test_pdf_byte_ranges (in, NULL);
  g_autoptr(GPtrArray) left = NULL;

  sign_ok ("individu-rsa2048", NULL, in, out);
  text = check_signed (in, out, in_ranges->len);
  check_xref_chain (in, out);
  g_assert_nonnull (strstr (text, "Signature Type: ETSI.CAdES.detached"));
  g_assert_nonnull (strstr (text, "Signing Hash Algorithm: SHA-256"));

  sum_after = teken_test_file_sha256 (in);
  g_assert_cmpstr (sum_before, ==, sum_after);

  /* Only the output is left in the output directory (no temporary file). */
  left = teken_test_list_dir (dir);
  g_assert_cmpuint (left->len, ==, 1);
}

/* ---- options ----------------------------------------------------------------------------------- */

static char *
render_page1 (const char *pdf,
              const char *dir,
              const char *stem)
{
  g_autofree char *root = g_build_filename (dir, stem, NULL);
  const char *argv[] = { "pdftoppm", "-r", "36", "-f", "1", "-l", "1", "-singlefile", "-png", pdf, root, NULL };
  g_autofree char *png = g_strconcat (root, ".png", NULL);
  int status = -1;

  g_assert_true (teken_test_run (argv, NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  return teken_test_file_sha256 (png);
}

static void
check_visible (const char         *in,
               const char * const *extra)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "visible.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *page_in = NULL;
  g_autofree char *page_out = NULL;

  sign_ok ("individu-rsa2048", extra, in, out);
  text = check_signed (in, out, 0);
  /* Something was drawn on page 1: its rendering changed. */
  page_in = render_page1 (in, dir, "in");
  page_out = render_page1 (out, dir, "out");
  g_assert_cmpstr (page_in, !=, page_out);
}

static void
test_visible_qr (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  const char *extra[] = { "--page", "1", "--rect", "307,184,200,66", "--reason", "Menyetujui isi naskah",
                          "--location", "Kota Contoh", "--contact", "bupati@contoh.go.id",
                          "--qr", "https://tte.komdigi.go.id/verifyPDF?id=TEKEN-UJI-001", NULL };

  check_visible (in, extra);
}

static void
test_visible_image (void)
{
  g_autofree char *in = teken_test_corpus_path ("nota-dinas-ghostscript.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *png = g_build_filename (dir, "logo.png", NULL);
  const char *convert[] = { "convert", "-size", "64x64", "gradient:navy-gold", png, NULL };
  const char *extra[] = { "--page", "1", "--rect", "300,100,200,80", "--image", png, NULL };
  int status = -1;

  g_assert_true (teken_test_run (convert, NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  check_visible (in, extra);
}

static void
test_field (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-empty-sigfield.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "field.pdf", NULL);
  const char *extra[] = { "--field", "TTE_Bupati", "--reason", "Disetujui", NULL };
  g_autofree char *text = NULL;
  guint valid = 0, trusted = 0;

  sign_ok ("jabatan-rsa2048", extra, in, out);
  /* Filled in place: still one field, now signed. */
  g_assert_cmpuint (teken_test_pdfsig_check (out, &valid, &trusted, &text), ==, 1);
  g_test_message ("%s", text);
  g_assert_cmpuint (valid, ==, 1);
  g_assert_cmpuint (trusted, ==, 1);
  g_assert_nonnull (strstr (text, "Signature Field Name: TTE_Bupati"));
  g_clear_pointer (&text, g_free);
  {
    g_autofree char *root = teken_test_pki_path ("root.crt");
    g_autofree char *qpdf = NULL;
    g_autofree char *cms = NULL;

    if (!teken_test_qpdf_check (out, &qpdf))
      g_error ("%s", qpdf);
    if (!teken_test_openssl_cms_verify (out, 0, root, &cms))
      g_error ("%s", cms);
    g_assert_true (teken_test_file_has_prefix (out, in));
  }
}

static void
test_field_missing (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-empty-sigfield.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "nofield.pdf", NULL);
  const char *extra[] = { "--field", "Tidak_Ada", NULL };
  g_auto(SignRun) run = { 0 };

  require_sign_command ();
  sign_full ("individu-rsa2048", NULL, NULL, extra, in, out, &run);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_key_type (gconstpointer data)
{
  const char *identity = data;
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "key.pdf", NULL);
  g_autofree char *text = NULL;

  sign_ok (identity, NULL, in, out);
  text = check_signed_full (in, out, 0, pdfsig_validates (identity));
}

typedef struct
{
  const char *identity, *digest, *pdfsig_name;
} DigestCase;

static const DigestCase digest_cases[] = {
  { "individu-rsa2048", "sha256", "SHA-256" }, { "individu-rsa2048", "sha384", "SHA-384" },
  { "individu-rsa2048", "sha512", "SHA-512" }, { "individu-p256", "sha256", "SHA-256" },
  { "individu-p384", "sha384", "SHA-384" }, { "individu-p256", "sha512", "SHA-512" },
  { "individu-rsapss", "sha384", "SHA-384" },
};

static void
test_digest (gconstpointer data)
{
  const DigestCase *c = data;
  g_autofree char *in = teken_test_corpus_path ("nota-dinas-ghostscript.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "digest.pdf", NULL);
  g_autofree char *expect = g_strconcat ("Signing Hash Algorithm: ", c->pdfsig_name, NULL);
  const char *extra[] = { "--digest", c->digest, NULL };
  g_autofree char *text = NULL;

  sign_ok (c->identity, extra, in, out);
  text = check_signed_full (in, out, 0, pdfsig_validates (c->identity));
  g_assert_nonnull (strstr (text, expect));
}

static void
test_subfilter (gconstpointer data)
{
  const char *subfilter = data;
  g_autofree char *in = teken_test_corpus_path ("laporan-cairo.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "subfilter.pdf", NULL);
  const char *extra[] = { "--subfilter", subfilter, NULL };
  const char *expect = g_str_equal (subfilter, "pkcs7") ? "Signature Type: adbe.pkcs7.detached"
                                                         : "Signature Type: ETSI.CAdES.detached";
  g_autofree char *text = NULL;

  sign_ok ("individu-p256", extra, in, out);
  text = check_signed (in, out, 0);
  g_assert_nonnull (strstr (text, expect));
}

static void
test_size (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "size.pdf", NULL);
  gint64 growth;

  sign_ok ("individu-rsa4096", NULL, in, out);
  growth = file_size (out) - file_size (in);
  g_test_message ("invisible RSA-4096 signature added %" G_GINT64_FORMAT " bytes", growth);
  g_assert_cmpint (growth, >, 0);
  g_assert_cmpint (growth, <=, MAX_INVISIBLE_GROWTH);
}

/* PAdES baseline CMS (issue 2 item 4): the signed attributes and the full chain, read by openssl. */
static void
test_cms_contents (void)
{
  g_autofree char *in = teken_test_corpus_path ("nota-dinas-ghostscript.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "cms.pdf", NULL);
  g_autofree char *der = g_build_filename (dir, "sig.der", NULL);
  const char *argv[] = { "openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", der, NULL };
  static const char *expect[] = {
    "object: contentType (1.2.840.113549.1.9.3)",
    "object: messageDigest (1.2.840.113549.1.9.4)",
    "object: id-smime-aa-signingCertificateV2 (1.2.840.113549.1.9.16.2.47)",
    "subject: C=ID, O=Badan Uji Sandi Negara, CN=Teken Test BSrE CA DS G1",
    "subject: C=ID, O=Kementerian Uji, CN=Teken Test Root CA",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int status = -1;

  sign_ok ("individu-rsa2048", NULL, in, out);
  g_assert_true (teken_test_extract_cms (out, 0, der, &error));
  g_assert_no_error (error);
  g_assert_true (teken_test_run (argv, &text, NULL, &status, &error));
  g_assert_cmpint (status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    if (strstr (text, expect[i]) == NULL)
      g_error ("CMS lacks “%s”:\n%s", expect[i], text);
  /* ETSI.CAdES.detached: the claimed time is /M, never a CMS signingTime attribute. */
  g_assert_null (strstr (text, "signingTime (1.2.840.113549.1.9.5)"));
}

static void
test_passphrase_stdin (void)
{
  g_autofree char *in = teken_test_corpus_path ("nota-dinas-ghostscript.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "stdin.pdf", NULL);
  g_autofree char *text = NULL;
  g_auto(SignRun) run = { 0 };

  sign_full ("individu-rsa2048", "", "Rahasia-Uji-123\n", NULL, in, out, &run);
  if (run.status != 0)
    g_error ("passphrase on stdin: exit %d: %s", run.status, run.err);
  text = check_signed (in, out, 0);
}

/* ---- several signatures on one document -------------------------------------------------------- */

static void
test_multi (gconstpointer data)
{
  guint n = GPOINTER_TO_UINT (data);
  static const char *identities[] = { "individu-rsa2048", "jabatan-p256", "sistem-rsa2048" };
  g_autofree char *orig = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *prev = g_strdup (orig);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *out = g_strdup_printf ("%s/signed-%u.pdf", dir, i + 1);
      g_autofree char *text = NULL;
      guint valid = 0, trusted = 0;

      sign_ok (identities[i], NULL, prev, out);
      g_free (check_signed (prev, out, 0));
      /* Every earlier signature is still valid after the new revision. */
      g_assert_cmpuint (teken_test_pdfsig_check (out, &valid, &trusted, &text), ==, i + 1);
      g_assert_cmpuint (valid, ==, i + 1);
      g_assert_cmpuint (trusted, ==, i + 1);
      g_assert_true (teken_test_file_has_prefix (out, orig));
      g_free (prev);
      prev = g_steal_pointer (&out);
    }
}

/* ---- 100 ECDSA signatures in a row (the peers fail about half of these) ------------------------- */

static void
test_ecdsa_100 (void)
{
  g_autofree char *in = teken_test_corpus_path ("nota-dinas-ghostscript.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  guint good = 0;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *out = g_strdup_printf ("%s/ecdsa-%03u.pdf", dir, i);
      g_autofree char *text = NULL;
      g_auto(SignRun) run = { 0 };
      guint valid = 0, trusted = 0;

      sign_full ("individu-p256", NULL, NULL, NULL, in, out, &run);
      if (run.status != 0)
        {
          g_test_message ("run %u: exit %d: %s", i, run.status, run.err);
          continue;
        }
      if (teken_test_pdfsig_check (out, &valid, &trusted, &text) == 1 && valid == 1 && trusted == 1)
        good++;
      else
        g_test_message ("run %u: pdfsig:\n%s", i, text);
      g_unlink (out);
    }
  g_test_message ("%u/100 ECDSA P-256 signatures valid", good);
  g_assert_cmpuint (good, ==, 100);
}

/* ---- refusals ---------------------------------------------------------------------------------- */

/* A failed run: non-zero exit, one line on stderr, nothing in the output directory. */
static void
check_refused (const SignRun *run,
               const char    *dir,
               const char    *what)
{
  require_sign_command ();
  g_autofree char *msg = g_strstrip (g_strdup (run->err != NULL ? run->err : ""));
  g_autoptr(GPtrArray) left = teken_test_list_dir (dir);

  g_test_message ("%s: exit %d: %s", what, run->status, msg);
  g_assert_cmpint (run->status, !=, 0);
  g_assert_cmpint (run->status, <, 128);   /* no crash */
  g_assert_cmpstr (msg, !=, "");
  if (strchr (msg, '\n') != NULL)
    g_error ("%s: error message is not one line:\n%s", what, msg);
  if (left->len != 0)
    g_error ("%s: left %s in the output directory", what, (const char *) g_ptr_array_index (left, 0));
}

static void
test_bad_file (gconstpointer data)
{
  const char *name = data;
  g_autofree char *in = teken_test_corpus_path (name);
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  g_autofree char *sum_before = teken_test_file_sha256 (in);
  g_autofree char *sum_after = NULL;
  g_auto(SignRun) run = { 0 };

  sign_full ("individu-rsa2048", NULL, NULL, NULL, in, out, &run);
  check_refused (&run, dir, name);
  if (g_str_has_prefix (name, "bad-encrypted"))
    g_assert_true (g_regex_match_simple ("encrypt|password|protect", run.err, G_REGEX_CASELESS, 0));
  sum_after = teken_test_file_sha256 (in);
  g_assert_cmpstr (sum_before, ==, sum_after);
}

static void
test_wrong_passphrase (void)
{
  g_autofree char *in = teken_test_corpus_path ("nota-dinas-ghostscript.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *pass_dir = teken_test_make_tmp_dir ();
  g_autofree char *pass = g_build_filename (pass_dir, "wrong.txt", NULL);
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  g_auto(SignRun) run = { 0 };

  g_assert_true (g_file_set_contents (pass, "Salah-Sandi-999\n", -1, NULL));
  sign_full ("individu-rsa2048", pass, NULL, NULL, in, out, &run);
  check_refused (&run, dir, "wrong passphrase");
  g_assert_true (g_regex_match_simple ("passphrase|password|sandi", run.err, G_REGEX_CASELESS, 0));
  /* The passphrase itself never appears in the message. */
  g_assert_null (strstr (run.err, "Salah-Sandi-999"));
}

static void
test_no_key (void)
{
  g_autofree char *in = teken_test_corpus_path ("nota-dinas-ghostscript.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  g_auto(SignRun) run = { 0 };

  sign_full ("nokey", NULL, NULL, NULL, in, out, &run);
  check_refused (&run, dir, "PKCS#12 without a key");
}

static void
test_out_equals_in (gconstpointer data)
{
  gboolean other_spelling = GPOINTER_TO_INT (data);
  g_autofree char *orig = teken_test_corpus_path ("nota-dinas-ghostscript.pdf");
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *in = g_build_filename (dir, "surat.pdf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sum_before = NULL;
  g_autofree char *sum_after = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_auto(SignRun) run = { 0 };
  gsize len;

  g_assert_true (g_file_get_contents (orig, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (in, contents, len, NULL));
  sum_before = teken_test_file_sha256 (in);
  out = other_spelling ? g_build_filename (dir, ".", "surat.pdf", NULL) : g_strdup (in);

  require_sign_command ();
  sign_full ("individu-rsa2048", NULL, NULL, NULL, in, out, &run);
  g_test_message ("exit %d: %s", run.status, run.err);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_cmpint (run.status, <, 128);
  sum_after = teken_test_file_sha256 (in);
  g_assert_cmpstr (sum_before, ==, sum_after);
  left = teken_test_list_dir (dir);
  g_assert_cmpuint (left->len, ==, 1);
}

/* ---- registration ------------------------------------------------------------------------------ */

static void
add_corpus_tests (gboolean good,
                  gboolean bad)
{
  g_autoptr(GPtrArray) names = teken_test_list_dir (teken_test_corpus_dir ());

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      gboolean is_bad = g_str_has_prefix (name, "bad-");
      g_autofree char *path = NULL;

      if (!g_str_has_suffix (name, ".pdf") || (is_bad ? !bad : !good))
        continue;
      path = g_strconcat (is_bad ? "/sign/bad/" : "/sign/corpus/", name, NULL);
      g_test_add_data_func_full (path, g_strdup (name), is_bad ? test_bad_file : test_corpus_file, g_free);
    }
}

static void
add_option_tests (void)
{
  static const char *key_types[] = {
    "individu-rsa2048", "individu-rsa4096", "individu-p256", "individu-p384", "individu-rsapss",
    "jabatan-rsa2048", "jabatan-p256", "sistem-rsa2048", "sistem-p256",
  };

  g_test_add_func ("/sign/options/visible-qr", test_visible_qr);
  g_test_add_func ("/sign/options/visible-image", test_visible_image);
  g_test_add_func ("/sign/options/field", test_field);
  g_test_add_func ("/sign/options/field-missing", test_field_missing);
  for (guint i = 0; i < G_N_ELEMENTS (key_types); i++)
    {
      g_autofree char *path = g_strconcat ("/sign/options/key/", key_types[i], NULL);
      g_test_add_data_func (path, key_types[i], test_key_type);
    }
  for (guint i = 0; i < G_N_ELEMENTS (digest_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sign/options/digest/%s-%s", digest_cases[i].identity,
                                               digest_cases[i].digest);
      g_test_add_data_func (path, &digest_cases[i], test_digest);
    }
  g_test_add_data_func ("/sign/options/subfilter/pkcs7", "pkcs7", test_subfilter);
  g_test_add_data_func ("/sign/options/subfilter/etsi", "etsi", test_subfilter);
  g_test_add_func ("/sign/options/invisible-size", test_size);
  g_test_add_func ("/sign/options/passphrase-stdin", test_passphrase_stdin);
  g_test_add_func ("/sign/options/cms-contents", test_cms_contents);
}

/*
 * `--group=corpus|options|multi|ecdsa|errors` registers one group only (meson runs the groups as
 * separate tests in parallel); without it every case is registered. GTest's own -p filter is not
 * used because GLib 2.74 skips nested paths with it and prints one TAP plan per -p.
 */
int
main (int    argc,
      char **argv)
{
  const char *group = NULL;
  int n = 0;

  for (int i = 0; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--group="))
        group = argv[i] + strlen ("--group=");
      else
        argv[n++] = argv[i];
    }
  argv[n] = NULL;
  argc = n;

  setlocale (LC_ALL, "");   /* readable messages from teken-cli in the log */

  g_test_init (&argc, &argv, NULL);

#define IN_GROUP(name) (group == NULL || g_str_equal (group, name))
  add_corpus_tests (IN_GROUP ("corpus"), IN_GROUP ("errors"));
  if (IN_GROUP ("options"))
    add_option_tests ();
  if (IN_GROUP ("multi"))
    {
      g_test_add_data_func ("/sign/multi/two", GUINT_TO_POINTER (2), test_multi);
      g_test_add_data_func ("/sign/multi/three", GUINT_TO_POINTER (3), test_multi);
    }
  if (IN_GROUP ("ecdsa"))
    g_test_add_func ("/sign/ecdsa-100", test_ecdsa_100);
  if (IN_GROUP ("errors"))
    {
      g_test_add_func ("/sign/errors/wrong-passphrase", test_wrong_passphrase);
      g_test_add_func ("/sign/errors/no-key", test_no_key);
      g_test_add_data_func ("/sign/errors/out-equals-in", GINT_TO_POINTER (FALSE), test_out_equals_in);
      g_test_add_data_func ("/sign/errors/out-equals-in-other-spelling", GINT_TO_POINTER (TRUE),
                            test_out_equals_in);
    }
#undef IN_GROUP

  return g_test_run ();
}
