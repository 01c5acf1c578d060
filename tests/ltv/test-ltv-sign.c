/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `teken-cli sign --level`, `teken-cli ltv` and `teken-cli timestamp` end to end against the
 * local TSA, OCSP responder and CRL server; every output is checked with pdfsig, qpdf and openssl.
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <openssl/pem.h>

#include "teken-core.h"
#include "teken-core-private.h"
#include "teken-dss.h"
#include "teken-ltv.h"
#include "teken-timestamp.h"
#include "teken-tsa.h"
#include "teken-test-utils.h"
#include "ltv-peers.h"

static LtvPeers *peers;
static char *work;     /* outputs */
static char *config;   /* XDG_CONFIG_HOME/teken/teken.conf */

static void
write_config (const char *url,
              guint       timeout)
{
  g_autofree char *text = g_strdup_printf ("[timestamp]\nurl=%s\nlevel=B-T\ntimeout=%u\n", url, timeout);

  g_assert_true (g_file_set_contents (config, text, -1, NULL));
}

static int
cli (const char * const *args,
     char              **out,
     char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int status = -1;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) teken_test_cli_path ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (teken_test_run ((const char * const *) argv->pdata, out, err, &status, &error));
  g_assert_no_error (error);
  return status;
}

static char *
sign_at (const char *signer,
         const char *level,
         const char *tsa_path,
         gboolean    fallback,
         int        *status,
         char      **err_out)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *p12_name = g_strconcat (signer, ".p12", NULL);
  g_autofree char *p12 = ltv_peers_path (peers, p12_name);
  g_autofree char *pass = teken_test_pki_path ("passphrase.txt");
  g_autofree char *name = g_strdup_printf ("%s-%s-%s.pdf", signer, level, tsa_path + 1);
  char *out = g_build_filename (work, name, NULL);
  g_autofree char *tsa = ltv_peers_url (peers, tsa_path);
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *args[] = { "sign", "--p12", p12, "--passphrase-file", pass, "--level", level,
                         "--tsa", tsa, "-o", out, in, fallback ? "--fallback" : NULL, NULL };

  g_unlink (out);
  *status = cli (args, &stdout_text, &stderr_text);
  g_test_message ("sign %s %s: %d %s %s", level, tsa_path, *status, stdout_text, stderr_text);
  if (err_out)
    *err_out = g_steal_pointer (&stderr_text);
  return out;
}

/*
 * pdfsig must accept every signature; poppler 22.12 cannot validate document time stamps
 * (ETSI.RFC3161: "Unimplemented Feature … Unable to validate this type of signature"), so for
 * those it must at least list the TSA as signer and the whole document as signed; their token is
 * checked with `openssl ts -verify` instead.
 */
static void
assert_pdfsig_valid_ts (const char *path,
                        guint       signatures,
                        guint       doc_timestamps,
                        gboolean    whole_file)
{
  g_autofree char *output = NULL;
  guint valid = 0, trusted = 0;
  guint n = teken_test_pdfsig_check (path, &valid, &trusted, &output);

  g_test_message ("%s", output);
  g_assert_cmpuint (n, ==, signatures + doc_timestamps);
  g_assert_cmpuint (valid, ==, signatures);
  if (doc_timestamps > 0)
    {
      g_assert_nonnull (strstr (output, "Signer Certificate Common Name: Teken Test TSA"));
      if (whole_file)
        g_assert_nonnull (strstr (output, "Total document signed"));
    }
  g_assert_true (teken_test_qpdf_check (path, NULL));
}

static void
assert_pdfsig_valid (const char *path,
                     guint       expected)
{
  assert_pdfsig_valid_ts (path, expected, 0, FALSE);
}

static X509_STORE *
root_store (void)
{
  g_autofree char *path = teken_test_pki_path ("root.crt");
  FILE *f = fopen (path, "r");
  X509 *root = PEM_read_X509 (f, NULL, NULL, NULL);
  X509_STORE *store = X509_STORE_new ();

  fclose (f);
  X509_STORE_add_cert (store, root);
  X509_free (root);
  return store;
}

static GPtrArray *
signatures (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (path, &error);
  GPtrArray *sigs;

  g_assert_no_error (error);
  sigs = teken_ltv_find_signatures (doc, &error);
  g_assert_no_error (error);
  return sigs;
}

/* The signature time stamp: imprint over the signature value, TSA chain to the test root. */
static void
assert_signature_timestamp (TekenLtvSignature *sig)
{
  g_autoptr(GBytes) value = NULL;
  g_autoptr(GBytes) token = NULL;
  g_autoptr(X509_STORE) store = root_store ();
  g_autoptr(GError) error = NULL;

  g_assert_true (teken_timestamp_cms_get_token (sig->contents, &value, &token, &error));
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_true (teken_tsa_token_verify (token, g_bytes_get_data (value, NULL), g_bytes_get_size (value),
                                         store, NULL, &error));
  g_assert_no_error (error);
}

static void
test_level_b_b (void)
{
  int status;
  g_autofree char *out = sign_at ("lvl-signer", "B-B", "/tsa", FALSE, &status, NULL);
  g_autoptr(GPtrArray) sigs = NULL;
  guint before = ltv_peers_count (peers, "/tsa");

  g_assert_cmpint (status, ==, 0);
  assert_pdfsig_valid (out, 1);
  sigs = signatures (out);
  g_assert_cmpuint (sigs->len, ==, 1);
  /* No time stamp, and no TSA request made. */
  {
    g_autoptr(GBytes) token = NULL;

    g_assert_true (teken_timestamp_cms_get_token (((TekenLtvSignature *) sigs->pdata[0])->contents, NULL, &token, NULL));
    g_assert_null (token);
  }
  g_assert_cmpuint (ltv_peers_count (peers, "/tsa"), ==, before);
}

static void
test_level_b_t (void)
{
  int status;
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) sigs = NULL;
  g_autofree char *ca = teken_test_pki_path ("chain.pem");
  g_autofree char *cms_out = NULL;

  out = sign_at ("lvl-signer", "B-T", "/tsa", FALSE, &status, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_pdfsig_valid (out, 1);
  sigs = signatures (out);
  g_assert_cmpuint (sigs->len, ==, 1);
  assert_signature_timestamp (sigs->pdata[0]);
  /* The CMS still verifies with openssl after the unsigned attribute was added. */
  g_assert_true (teken_test_openssl_cms_verify (out, 0, ca, &cms_out));
}

static void
test_level_b_lt (void)
{
  int status;
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) sigs = NULL;
  g_autoptr(TekenPdfDocument) doc = NULL;
  g_autoptr(TekenDss) dss = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  TekenValidationData *vri;
  TekenLtvSignature *sig;
  guint ocsp_before = ltv_peers_count (peers, "/ocsp");

  out = sign_at ("lvl-signer", "B-LT", "/tsa", FALSE, &status, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_pdfsig_valid (out, 1);
  g_assert_cmpuint (ltv_peers_count (peers, "/ocsp"), >, ocsp_before);

  sigs = signatures (out);
  g_assert_cmpuint (sigs->len, ==, 1);
  sig = sigs->pdata[0];
  assert_signature_timestamp (sig);

  doc = teken_pdf_document_new_for_path (out, &error);
  g_assert_no_error (error);
  dss = teken_dss_read (doc, &error);
  g_assert_no_error (error);
  /* signer, CA, root, TSA, OCSP responder */
  g_assert_cmpuint (dss->all->certs->len, >=, 5);
  g_assert_cmpuint (dss->all->ocsps->len, ==, 1);
  key = teken_dss_vri_key (g_bytes_get_data (sig->contents, NULL), g_bytes_get_size (sig->contents));
  vri = g_hash_table_lookup (dss->vri, key);
  g_assert_nonnull (vri);
  g_assert_cmpuint (vri->ocsps->len, ==, 1);

  /* The OCSP response in the DSS is good for the signer (independent: openssl ocsp). */
  {
    g_autofree char *resp = g_build_filename (work, "dss-ocsp.der", NULL);
    g_autofree char *signer = ltv_peers_path (peers, "lvl-signer.crt");
    g_autofree char *issuer = teken_test_pki_path ("ca.crt");
    g_autofree char *chain = teken_test_pki_path ("chain.pem");
    g_autofree char *text = NULL;
    GBytes *o = g_ptr_array_index (dss->all->ocsps, 0);
    const char *argv[] = { "openssl", "ocsp", "-no_nonce", "-respin", resp, "-issuer", issuer, "-cert", signer,
                           "-CAfile", chain, NULL };
    int st = -1;

    g_assert_true (g_file_set_contents (resp, g_bytes_get_data (o, NULL), g_bytes_get_size (o), NULL));
    g_assert_true (teken_test_run (argv, &text, NULL, &st, NULL));
    g_test_message ("%s", text);
    g_assert_cmpint (st, ==, 0);
    g_assert_nonnull (strstr (text, ": good"));
  }
}

static void
test_level_b_lta (void)
{
  int status;
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) sigs = NULL;
  TekenLtvSignature *ts;

  out = sign_at ("lvl-signer", "B-LTA", "/tsa", FALSE, &status, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_pdfsig_valid_ts (out, 1, 1, TRUE);
  sigs = signatures (out);
  g_assert_cmpuint (sigs->len, ==, 2);
  ts = sigs->pdata[1];
  g_assert_true (ts->is_document_timestamp);
  /* The ByteRange covers the whole file, the token's imprint is its SHA-256 (openssl ts -verify). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) ranges = teken_test_pdf_byte_ranges (out, &error);
    TekenTestByteRange *r;
    g_autofree char *data = NULL;
    gsize len;
    g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
    g_autofree char *token_path = g_build_filename (work, "doc-ts.der", NULL);
    g_autofree char *root = teken_test_pki_path ("root.crt");
    g_autofree char *ca = teken_test_pki_path ("ca.crt");
    g_autofree char *text = NULL;
    int st = -1;

    g_assert_no_error (error);
    g_assert_cmpuint (ranges->len, ==, 2);
    r = &g_array_index (ranges, TekenTestByteRange, 1);
    g_assert_true (g_file_get_contents (out, &data, &len, NULL));
    g_assert_cmpint (r->start2 + r->len2, ==, len);
    g_checksum_update (sum, (guchar *) data + r->start1, r->len1);
    g_checksum_update (sum, (guchar *) data + r->start2, r->len2);
    {
      const char *t = g_bytes_get_data (ts->contents, NULL);
      const unsigned char *p = (const unsigned char *) t;
      PKCS7 *p7 = d2i_PKCS7 (NULL, &p, g_bytes_get_size (ts->contents));

      g_assert_nonnull (p7);
      g_assert_true (g_file_set_contents (token_path, t, (const char *) p - t, NULL));
      PKCS7_free (p7);
    }
    {
      const char *argv[] = { "openssl", "ts", "-verify", "-digest", g_checksum_get_string (sum), "-in", token_path,
                             "-token_in", "-CAfile", root, "-untrusted", ca, NULL };

      g_assert_true (teken_test_run (argv, &text, NULL, &st, NULL));
      g_assert_cmpint (st, ==, 0);
      g_assert_nonnull (strstr (text, "Verification: OK"));
    }
  }
}

static void
assert_no_output (const char *out)
{
  g_autoptr(GPtrArray) files = teken_test_list_dir (work);

  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  /* No temporary files left behind either. */
  for (guint i = 0; i < files->len; i++)
    g_assert_false (g_str_has_prefix (g_ptr_array_index (files, i), ".teken"));
}

static void
test_tsa_failures (void)
{
  struct { const char *path; const char *words; } cases[] = {
    { "/tsa-garbage", "not a valid RFC 3161" },
    { "/tsa-slow", "did not answer in time" },
    { "/tsa-error", "HTTP 500" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int status;
      g_autofree char *err = NULL;
      g_autofree char *out = sign_at ("lvl-signer", "B-T", cases[i].path, FALSE, &status, &err);

      g_assert_cmpint (status, ==, 1);
      g_assert_nonnull (strstr (err, cases[i].words));
      assert_no_output (out);
    }

  /* Connection refused. */
  {
    g_autofree char *url = ltv_peers_refused_url ();
    g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
    g_autofree char *p12 = ltv_peers_path (peers, "lvl-signer.p12");
    g_autofree char *pass = teken_test_pki_path ("passphrase.txt");
    g_autofree char *out = g_build_filename (work, "refused.pdf", NULL);
    g_autofree char *err = NULL;
    const char *args[] = { "sign", "--p12", p12, "--passphrase-file", pass, "--level", "B-LTA",
                           "--tsa", url, "-o", out, in, NULL };

    g_assert_cmpint (cli (args, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "refused"));
    assert_no_output (out);
  }
}

static void
test_fallback (void)
{
  int status;
  g_autofree char *err = NULL;
  g_autofree char *out = sign_at ("lvl-signer", "B-LTA", "/tsa-garbage", TRUE, &status, &err);
  g_autoptr(GPtrArray) sigs = NULL;

  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err, "B-B"));
  assert_pdfsig_valid (out, 1);
  sigs = signatures (out);
  g_assert_cmpuint (sigs->len, ==, 1);
}

/* A signer whose certificate names no OCSP responder and no CRL cannot reach B-LT. */
static void
test_b_lt_without_sources (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *p12 = teken_test_pki_path ("individu-rsa2048.p12");
  g_autofree char *pass = teken_test_pki_path ("passphrase.txt");
  g_autofree char *out = g_build_filename (work, "nosource.pdf", NULL);
  g_autofree char *tsa = ltv_peers_url (peers, "/tsa");
  g_autofree char *err = NULL;
  g_autofree char *std = NULL;
  const char *strict[] = { "sign", "--p12", p12, "--passphrase-file", pass, "--level", "B-LT",
                           "--tsa", tsa, "-o", out, in, NULL };
  const char *fallback[] = { "sign", "--p12", p12, "--passphrase-file", pass, "--level", "B-LTA",
                             "--tsa", tsa, "--fallback", "-o", out, in, NULL };
  g_autoptr(GPtrArray) sigs = NULL;

  g_assert_cmpint (cli (strict, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "names no OCSP responder"));
  assert_no_output (out);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fallback, &std, &err), ==, 0);
  g_assert_nonnull (strstr (std, "Level: B-T"));
  g_assert_nonnull (strstr (err, "B-LTA was not reached"));
  assert_pdfsig_valid (out, 1);
  sigs = signatures (out);
  assert_signature_timestamp (sigs->pdata[0]);
}

static void
test_ltv_and_timestamp_commands (void)
{
  int status;
  g_autofree char *bt = sign_at ("lvl-signer", "B-T", "/tsa", FALSE, &status, NULL);
  g_autofree char *lt = g_build_filename (work, "cmd-lt.pdf", NULL);
  g_autofree char *lta = g_build_filename (work, "cmd-lta.pdf", NULL);
  g_autofree char *lta2 = g_build_filename (work, "cmd-lta2.pdf", NULL);
  g_autofree char *url = ltv_peers_url (peers, "/tsa");
  const char *ltv_args[] = { "ltv", "-o", lt, bt, NULL };
  const char *ts_args[] = { "timestamp", "--tsa", url, "-o", lta, lt, NULL };
  const char *ltv2_args[] = { "ltv", "-o", lta2, lta, NULL };
  g_autoptr(GPtrArray) sigs = NULL;

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (cli (ltv_args, NULL, NULL), ==, 0);
  assert_pdfsig_valid (lt, 1);
  g_assert_true (teken_test_file_has_prefix (lt, bt));
  g_assert_cmpint (cli (ts_args, NULL, NULL), ==, 0);
  assert_pdfsig_valid_ts (lta, 1, 1, TRUE);
  g_assert_true (teken_test_file_has_prefix (lta, lt));
  /* Renewal: validation data for the document time stamp's TSA too, kept incremental. */
  g_assert_cmpint (cli (ltv2_args, NULL, NULL), ==, 0);
  assert_pdfsig_valid_ts (lta2, 1, 1, FALSE);
  g_assert_true (teken_test_file_has_prefix (lta2, lta));
  sigs = signatures (lta2);
  g_assert_cmpuint (sigs->len, ==, 2);
}

static void
test_no_tsa_configured (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *out = g_build_filename (work, "nourl.pdf", NULL);
  g_autofree char *err = NULL;
  const char *args[] = { "timestamp", "-o", out, in, NULL };
  g_autofree char *saved = NULL;

  g_assert_true (g_file_get_contents (config, &saved, NULL, NULL));
  g_assert_true (g_file_set_contents (config, "[timestamp]\nlevel=B-B\n", -1, NULL));
  g_assert_cmpint (cli (args, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "--tsa"));
  assert_no_output (out);
  g_assert_true (g_file_set_contents (config, saved, -1, NULL));
}


/* `teken-cli verify --json` of a file; returns the first signature's object (ref'ed). */
static JsonObject *
verify_json (const char *path,
             gboolean    offline,
             int        *status,
             JsonObject **doc_out)
{
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *args[] = { "verify", "--json", "--no-default-trust", "--trust", root, path,
                         offline ? "--offline" : NULL, NULL };
  JsonObject *doc;
  JsonArray *sigs;

  *status = cli (args, &out, NULL);
  g_test_message ("verify %s: %d\n%s", path, *status, out);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  doc = json_node_get_object (json_parser_get_root (parser));
  sigs = json_object_get_array_member (doc, "signatures");
  g_assert_cmpuint (json_array_get_length (sigs), >=, 1);
  if (doc_out)
    *doc_out = json_object_ref (doc);
  return json_object_ref (json_array_get_object_element (sigs, 0));
}

static gboolean
has_reason (JsonObject *sig,
            const char *code)
{
  JsonArray *reasons = json_object_get_array_member (sig, "reasons");

  for (guint i = 0; i < json_array_get_length (reasons); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (reasons, i), "code"), code) == 0)
      return TRUE;
  return FALSE;
}

static void
test_verify_b_lta_offline (void)
{
  int status;
  g_autofree char *out = sign_at ("lvl-signer", "B-LTA", "/tsa", FALSE, &status, NULL);
  g_autoptr(JsonObject) sig = NULL;
  JsonObject *ts, *rev;
  guint before = ltv_peers_count (peers, "/ocsp") + ltv_peers_count (peers, "/crl/ca.crl") +
                 ltv_peers_count (peers, "/tsa");
  g_autofree char *cache = teken_test_make_tmp_dir ();
  g_autofree char *saved_cache = g_strdup (g_getenv ("XDG_CACHE_HOME"));

  g_assert_cmpint (status, ==, 0);
  /* An empty cache and --offline: only what the document carries. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  sig = verify_json (out, TRUE, &status, NULL);
  g_setenv ("XDG_CACHE_HOME", saved_cache, TRUE);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (sig, "status"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (sig, "time_source"), ==, "timestamp");
  g_assert_cmpstr (json_object_get_string_member (sig, "format"), ==, "PAdES-B-LTA");
  ts = json_object_get_object_member (sig, "timestamp");
  g_assert_nonnull (ts);
  g_assert_cmpstr (json_object_get_string_member (ts, "status"), ==, "valid");
  g_assert_nonnull (strstr (json_object_get_string_member (ts, "authority"), "Teken Test TSA"));
  rev = json_object_get_object_member (sig, "revocation");
  g_assert_cmpstr (json_object_get_string_member (rev, "status"), ==, "good");
  g_assert_cmpstr (json_object_get_string_member (rev, "source"), ==, "embedded");
  g_assert_true (json_object_get_boolean_member (sig, "ltv"));
  g_assert_false (has_reason (sig, "no-timestamp"));
  /* Nothing was fetched. */
  g_assert_cmpuint (ltv_peers_count (peers, "/ocsp") + ltv_peers_count (peers, "/crl/ca.crl") +
                    ltv_peers_count (peers, "/tsa"), ==, before);
}

static void
test_verify_b_t_not_ltv (void)
{
  int status;
  g_autofree char *out = sign_at ("lvl-signer", "B-T", "/tsa", FALSE, &status, NULL);
  g_autoptr(JsonObject) sig = NULL;
  g_autofree char *cache = teken_test_make_tmp_dir ();
  g_autofree char *saved_cache = g_strdup (g_getenv ("XDG_CACHE_HOME"));
  JsonObject *rev;

  g_assert_cmpint (status, ==, 0);
  /* Offline with an empty cache: a B-T file carries no revocation data. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  sig = verify_json (out, TRUE, &status, NULL);
  g_setenv ("XDG_CACHE_HOME", saved_cache, TRUE);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (sig, "status"), ==, "valid");
  g_assert_true (has_reason (sig, "revocation-not-checked"));
  g_assert_false (json_object_get_boolean_member (sig, "ltv"));
  rev = json_object_get_object_member (sig, "revocation");
  g_assert_cmpstr (json_object_get_string_member (rev, "status"), ==, "not_checked");
}

static void
test_verify_revoked_before (void)
{
  int status;
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) sig = NULL;
  JsonObject *rev;

  ltv_peers_issue (peers, "rev-before", TRUE, TRUE);
  ltv_peers_revoke (peers, "rev-before", g_get_real_time () / G_USEC_PER_SEC - 3600);
  out = sign_at ("rev-before", "B-T", "/tsa", FALSE, &status, NULL);
  g_assert_cmpint (status, ==, 0);
  sig = verify_json (out, FALSE, &status, NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (sig, "status"), ==, "invalid");
  g_assert_true (has_reason (sig, "certificate-revoked"));
  rev = json_object_get_object_member (sig, "revocation");
  g_assert_cmpstr (json_object_get_string_member (rev, "status"), ==, "revoked");
  g_assert_cmpstr (json_object_get_string_member (rev, "source"), ==, "online");
}

static void
test_verify_revoked_after (void)
{
  int status;
  g_autofree char *out = NULL;
  g_autofree char *bb = NULL;
  g_autoptr(JsonObject) sig = NULL;
  g_autoptr(JsonObject) sig_bb = NULL;
  JsonObject *rev;

  ltv_peers_issue (peers, "rev-after", TRUE, TRUE);
  out = sign_at ("rev-after", "B-T", "/tsa", FALSE, &status, NULL);
  g_assert_cmpint (status, ==, 0);
  bb = sign_at ("rev-after", "B-B", "/tsa", FALSE, &status, NULL);
  g_assert_cmpint (status, ==, 0);
  /* Revoked two seconds after the time stamp. */
  g_usleep (2 * G_USEC_PER_SEC);
  ltv_peers_revoke (peers, "rev-after", g_get_real_time () / G_USEC_PER_SEC);

  sig = verify_json (out, FALSE, &status, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (sig, "status"), ==, "valid");
  g_assert_false (has_reason (sig, "certificate-revoked"));
  rev = json_object_get_object_member (sig, "revocation");
  g_assert_cmpstr (json_object_get_string_member (rev, "status"), ==, "revoked");

  /* Without a time stamp nothing proves the signature came first: invalid. */
  sig_bb = verify_json (bb, FALSE, &status, NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_true (has_reason (sig_bb, "certificate-revoked"));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  g_autofree char *conf_dir = NULL;
  g_autofree char *tsa = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  teken_core_init ();
  peers = ltv_peers_start ();
  ltv_peers_issue (peers, "lvl-signer", TRUE, TRUE);

  /* A private configuration and cache for the CLI. */
  home = teken_test_make_tmp_dir ();
  work = teken_test_make_tmp_dir ();
  conf_dir = g_build_filename (home, "config", "teken", NULL);
  g_assert_cmpint (g_mkdir_with_parents (conf_dir, 0700), ==, 0);
  config = g_build_filename (conf_dir, "teken.conf", NULL);
  g_setenv ("XDG_CONFIG_HOME", g_build_filename (home, "config", NULL), TRUE);
  g_setenv ("XDG_CACHE_HOME", g_build_filename (home, "cache", NULL), TRUE);
  tsa = ltv_peers_url (peers, "/tsa");
  write_config (tsa, 2);

  g_test_add_func ("/ltv/sign/b-b", test_level_b_b);
  g_test_add_func ("/ltv/sign/b-t", test_level_b_t);
  g_test_add_func ("/ltv/sign/b-lt", test_level_b_lt);
  g_test_add_func ("/ltv/sign/b-lta", test_level_b_lta);
  g_test_add_func ("/ltv/sign/tsa-failures", test_tsa_failures);
  g_test_add_func ("/ltv/sign/fallback", test_fallback);
  g_test_add_func ("/ltv/sign/b-lt-without-sources", test_b_lt_without_sources);
  g_test_add_func ("/ltv/cli/ltv-and-timestamp", test_ltv_and_timestamp_commands);
  g_test_add_func ("/ltv/cli/no-tsa", test_no_tsa_configured);
  g_test_add_func ("/ltv/verify/b-lta-offline", test_verify_b_lta_offline);
  g_test_add_func ("/ltv/verify/b-t-not-ltv", test_verify_b_t_not_ltv);
  g_test_add_func ("/ltv/verify/revoked-before-signing", test_verify_revoked_before);
  g_test_add_func ("/ltv/verify/revoked-after-timestamp", test_verify_revoked_after);

  ret = g_test_run ();
  ltv_peers_stop (peers);
  return ret;
}
