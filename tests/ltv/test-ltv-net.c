/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The network layers of long-term validation against real peers on 127.0.0.1: the HTTP client's
 * errors, the RFC 3161 client and token checks, OCSP and CRL checking, the cache, gathering.
 */
#include <openssl/pem.h>

#include "teken-core.h"
#include "teken-core-private.h"
#include "teken-http.h"
#include "teken-ltv-check.h"
#include "teken-revocation.h"
#include "teken-tsa.h"
#include "teken-test-utils.h"
#include "ltv-peers.h"

static LtvPeers *peers;

static X509 *
load_cert (const char *path)
{
  FILE *f = fopen (path, "r");
  X509 *cert;

  g_assert_nonnull (f);
  cert = PEM_read_X509 (f, NULL, NULL, NULL);
  fclose (f);
  g_assert_nonnull (cert);
  return cert;
}

static X509 *
pki_cert (const char *name)
{
  g_autofree char *path = teken_test_pki_path (name);

  return load_cert (path);
}

static X509 *
peer_cert (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".crt", NULL);
  g_autofree char *path = ltv_peers_path (peers, file);

  return load_cert (path);
}

static X509_STORE *
store_with (const char *anchor)
{
  X509_STORE *store = X509_STORE_new ();
  g_autoptr(X509) cert = pki_cert (anchor);

  X509_STORE_add_cert (store, cert);
  return store;
}

static TekenHttp *
short_http (void)
{
  TekenHttp *http = teken_http_new ();

  teken_http_set_timeout (http, 1);
  return http;
}

/* A GET of url (with a short timeout) that must fail with code; returns the error. */
static GError *
expect_get_error (const char   *url,
                  TekenNetError code)
{
  g_autoptr(TekenHttp) http = short_http ();
  GError *error = NULL;
  g_autoptr(GBytes) bytes = teken_http_get_sync (http, url, NULL, &error);

  g_assert_null (bytes);
  g_assert_error (error, TEKEN_NET_ERROR, code);
  return error;
}

static void
test_http_refused (void)
{
  g_autofree char *url = ltv_peers_refused_url ();
  g_autoptr(GError) error = expect_get_error (url, TEKEN_NET_ERROR_REFUSED);

  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

static void
test_http_timeout (void)
{
  g_autofree char *url = ltv_peers_url (peers, "/tsa-slow");

  g_error_free (expect_get_error (url, TEKEN_NET_ERROR_TIMEOUT));
}

static void
test_http_status (void)
{
  g_autofree char *url = ltv_peers_url (peers, "/tsa-error");
  g_autoptr(GError) error = expect_get_error (url, TEKEN_NET_ERROR_HTTP_STATUS);

  g_assert_nonnull (strstr (error->message, "500"));
}

static void
test_http_too_large (void)
{
  g_autoptr(TekenHttp) http = short_http ();
  g_autofree char *url = ltv_peers_url (peers, "/big");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  teken_http_set_max_size (http, 1u << 20);
  bytes = teken_http_get_sync (http, url, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_TOO_LARGE);

  /* Within the limit the same answer is fine. */
  g_clear_error (&error);
  teken_http_set_max_size (http, 4u << 20);
  bytes = teken_http_get_sync (http, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 3u << 20);
}

static void
test_http_bad_url (void)
{
  g_error_free (expect_get_error ("ftp://127.0.0.1/x", TEKEN_NET_ERROR_INVALID_URL));
}

static void
test_http_tls (void)
{
  g_autoptr(TekenHttp) http = short_http ();
  g_autofree char *url = ltv_peers_https_url (peers, "/tsa-error");
  g_autofree char *crt = ltv_peers_path (peers, "https.crt");
  g_autoptr(GTlsDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  /* A certificate nobody vouches for: a TLS error naming the server. */
  bytes = teken_http_get_sync (http, url, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_clear_error (&error);

  /* Trusted: the request goes through (and the server's HTTP 500 comes back). */
  db = g_tls_file_database_new (crt, &error);
  g_assert_no_error (error);
  teken_http_set_tls_database (http, db);
  bytes = teken_http_get_sync (http, url, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_HTTP_STATUS);
}

static void
test_tsa_good (void)
{
  g_autofree char *url = ltv_peers_url (peers, "/tsa");
  g_autoptr(TekenHttp) http = short_http ();
  g_autoptr(TekenTsaClient) client = teken_tsa_client_new (url, http);
  g_autoptr(GError) error = NULL;
  static const char data[] = "signature value bytes";
  g_autoptr(GBytes) token = NULL;
  g_autoptr(TekenTsaTokenInfo) info = NULL;
  g_autoptr(X509_STORE) trust = store_with ("root.crt");
  g_autoptr(X509_STORE) other = store_with ("other-root.crt");
  g_autoptr(TekenX509Stack) extra = sk_X509_new_null ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *data_path = g_build_filename (dir, "data", NULL);
  g_autofree char *token_path = g_build_filename (dir, "token.der", NULL);
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autofree char *ca = teken_test_pki_path ("ca.crt");
  g_autofree char *out = NULL;
  int status = -1;
  guint before = ltv_peers_count (peers, "/tsa");

  token = teken_tsa_client_stamp_sync (client, (const guint8 *) data, strlen (data), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpuint (ltv_peers_count (peers, "/tsa"), ==, before + 1);

  info = teken_tsa_token_parse (token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->policy, ==, "1.2.3.4.1");
  g_assert_true (info->md == EVP_sha256 () || EVP_MD_get_type (info->md) == NID_sha256);
  g_assert_nonnull (info->tsa_name);
  g_assert_nonnull (strstr (info->tsa_name, "TSA"));
  g_assert_cmpint (ABS (g_date_time_difference (now, info->gen_time)), <, 120 * G_TIME_SPAN_SECOND);

  sk_X509_push (extra, pki_cert ("ca.crt"));
  g_assert_true (teken_tsa_token_verify (token, (const guint8 *) data, strlen (data), trust, extra, &error));
  g_assert_no_error (error);
  g_assert_false (teken_tsa_token_verify (token, (const guint8 *) "other", 5, trust, extra, &error));
  g_assert_error (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_INVALID_TOKEN);
  g_clear_error (&error);
  g_assert_false (teken_tsa_token_verify (token, (const guint8 *) data, strlen (data), other, extra, &error));
  g_assert_error (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_UNTRUSTED);
  g_clear_error (&error);
  /* No trust wanted: only the token's own signature and imprint. */
  g_assert_true (teken_tsa_token_verify (token, (const guint8 *) data, strlen (data), NULL, NULL, &error));
  g_assert_no_error (error);

  /* Independent check: openssl ts -verify. */
  g_assert_true (g_file_set_contents (data_path, data, strlen (data), NULL));
  g_assert_true (g_file_set_contents (token_path, g_bytes_get_data (token, NULL), g_bytes_get_size (token), NULL));
  {
    const char *argv[] = { "openssl", "ts", "-verify", "-data", data_path, "-in", token_path,
                           "-token_in", "-CAfile", root, "-untrusted", ca, NULL };

    g_assert_true (teken_test_run (argv, &out, NULL, &status, NULL));
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "Verification: OK"));
  }
}

static void
test_tsa_failures (void)
{
  struct { const char *path; GQuark domain; int code; } cases[] = {
    { "/tsa-garbage", 0, TEKEN_TSA_ERROR_BAD_RESPONSE },
    { "/tsa-slow", 0, TEKEN_NET_ERROR_TIMEOUT },
    { "/tsa-error", 0, TEKEN_NET_ERROR_HTTP_STATUS },
    { NULL, 0, TEKEN_NET_ERROR_REFUSED },
  };

  cases[0].domain = TEKEN_TSA_ERROR;
  cases[1].domain = cases[2].domain = cases[3].domain = TEKEN_NET_ERROR;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = cases[i].path ? ltv_peers_url (peers, cases[i].path) : ltv_peers_refused_url ();
      g_autoptr(TekenHttp) http = short_http ();
      g_autoptr(TekenTsaClient) client = teken_tsa_client_new (url, http);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) token = teken_tsa_client_stamp_sync (client, (const guint8 *) "x", 1, NULL, &error);

      g_test_message ("%s: %s", url, error ? error->message : "(no error)");
      g_assert_null (token);
      g_assert_error (error, cases[i].domain, cases[i].code);
    }
}

static void
test_tsa_not_configured (void)
{
  g_autoptr(TekenTsaClient) client = teken_tsa_client_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) token = teken_tsa_client_stamp_sync (client, (const guint8 *) "x", 1, NULL, &error);

  g_assert_null (token);
  g_assert_error (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_NOT_CONFIGURED);
}

static TekenRevocationChecker *
new_checker (char **cache_out)
{
  g_autoptr(TekenHttp) http = short_http ();
  TekenRevocationChecker *checker = teken_revocation_checker_new (http);
  char *cache = teken_test_make_tmp_dir ();

  teken_revocation_checker_set_cache_dir (checker, cache);
  if (cache_out)
    *cache_out = cache;
  else
    g_free (cache);
  return checker;
}

static void
test_ocsp (void)
{
  g_autoptr(TekenRevocationChecker) checker = new_checker (NULL);
  g_autoptr(X509) ca = pki_cert ("ca.crt");
  g_autoptr(X509) good = NULL;
  g_autoptr(X509) revoked = NULL;
  g_autoptr(TekenRevocationInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gint64 when = g_get_real_time () / G_USEC_PER_SEC - 3600;

  ltv_peers_issue (peers, "ocsp-good", TRUE, FALSE);
  ltv_peers_issue (peers, "ocsp-revoked", TRUE, FALSE);
  ltv_peers_revoke (peers, "ocsp-revoked", when);
  good = peer_cert ("ocsp-good");
  revoked = peer_cert ("ocsp-revoked");

  url = teken_cert_get_ocsp_url (good);
  g_assert_nonnull (url);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_null (teken_cert_get_crl_urls (good));

  info = teken_revocation_checker_check (checker, good, ca, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->kind, ==, TEKEN_REVOCATION_KIND_OCSP);
  g_assert_cmpint (info->status, ==, TEKEN_CERT_STATUS_GOOD);
  g_assert_false (info->from_cache);
  g_assert_nonnull (info->next_update);
  g_assert_nonnull (info->certs);   /* the delegated responder's certificate */
  g_clear_pointer (&info, teken_revocation_info_free);

  info = teken_revocation_checker_check (checker, revoked, ca, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->status, ==, TEKEN_CERT_STATUS_REVOKED);
  g_assert_nonnull (info->revocation_time);
  g_assert_cmpint (g_date_time_to_unix (info->revocation_time), ==, when);
  g_clear_pointer (&info, teken_revocation_info_free);

  /* A response for another certificate is refused. */
  {
    g_autoptr(TekenRevocationInfo) g = teken_revocation_checker_check (checker, good, ca, NULL, &error);
    g_autoptr(TekenRevocationInfo) wrong = NULL;

    g_assert_no_error (error);
    wrong = teken_ocsp_check_response (g->data, revoked, ca, NULL, NULL, &error);
    g_assert_null (wrong);
    g_assert_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_MISMATCH);
    g_clear_error (&error);

    /* Checked against another issuer: not signed by it or its responder. */
    {
      g_autoptr(X509) other = pki_cert ("other-root.crt");

      wrong = teken_ocsp_check_response (g->data, good, other, NULL, NULL, &error);
      g_assert_null (wrong);
      g_assert_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_UNTRUSTED);
      g_clear_error (&error);
    }

    /* Stale: far after nextUpdate. */
    {
      g_autoptr(GDateTime) later = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) much_later = g_date_time_add_days (later, 10);

      wrong = teken_ocsp_check_response (g->data, good, ca, NULL, much_later, &error);
      g_assert_null (wrong);
      g_assert_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_STALE);
    }
  }
}

static void
test_crl_and_fallback (void)
{
  g_autoptr(TekenRevocationChecker) checker = new_checker (NULL);
  g_autoptr(X509) ca = pki_cert ("ca.crt");
  g_autoptr(X509) good = NULL;
  g_autoptr(X509) revoked = NULL;
  g_autoptr(TekenRevocationInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  gint64 when = g_get_real_time () / G_USEC_PER_SEC - 7200;
  g_auto(GStrv) urls = NULL;
  guint crl_before;

  ltv_peers_issue (peers, "crl-good", FALSE, TRUE);
  ltv_peers_issue (peers, "crl-revoked", FALSE, TRUE);
  ltv_peers_revoke (peers, "crl-revoked", when);
  good = peer_cert ("crl-good");
  revoked = peer_cert ("crl-revoked");
  urls = teken_cert_get_crl_urls (good);
  g_assert_nonnull (urls);
  g_assert_cmpuint (g_strv_length (urls), ==, 1);

  crl_before = ltv_peers_count (peers, "/crl/ca.crl");
  /* No AIA: OCSP is skipped, the CRL answers. */
  info = teken_revocation_checker_check (checker, good, ca, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->kind, ==, TEKEN_REVOCATION_KIND_CRL);
  g_assert_cmpint (info->status, ==, TEKEN_CERT_STATUS_GOOD);
  g_clear_pointer (&info, teken_revocation_info_free);
  g_assert_cmpuint (ltv_peers_count (peers, "/crl/ca.crl"), ==, crl_before + 1);

  /* The next check with the same CRL URL comes from the cache. */
  info = teken_revocation_checker_check (checker, revoked, ca, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->kind, ==, TEKEN_REVOCATION_KIND_CRL);
  g_assert_true (info->from_cache);
  g_assert_cmpint (info->status, ==, TEKEN_CERT_STATUS_REVOKED);
  g_assert_cmpint (g_date_time_to_unix (info->revocation_time), ==, when);
  g_assert_cmpuint (ltv_peers_count (peers, "/crl/ca.crl"), ==, crl_before + 1);
  g_clear_pointer (&info, teken_revocation_info_free);

  /* Independent check of the CRL we stored: openssl crl -verify. */
  {
    g_autoptr(TekenRevocationInfo) i2 = teken_revocation_checker_check_crl (checker, good, ca, NULL, &error);
    g_autofree char *dir = teken_test_make_tmp_dir ();
    g_autofree char *path = g_build_filename (dir, "c.crl", NULL);
    g_autofree char *ca_path = teken_test_pki_path ("ca.crt");
    g_autofree char *err = NULL;
    const char *argv[] = { "openssl", "crl", "-inform", "DER", "-in", path, "-CAfile", ca_path,
                           "-noout", "-verify", NULL };
    int status = -1;

    g_assert_no_error (error);
    g_assert_true (g_file_set_contents (path, g_bytes_get_data (i2->data, NULL), g_bytes_get_size (i2->data), NULL));
    g_assert_true (teken_test_run (argv, NULL, &err, &status, NULL));
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (err, "verify OK"));
  }

  /* A certificate naming neither: a clear error. */
  {
    g_autoptr(X509) plain = pki_cert ("individu-rsa2048.crt");

    info = teken_revocation_checker_check (checker, plain, ca, NULL, &error);
    g_assert_null (info);
    g_assert_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_NO_SOURCE);
  }
}

static void
test_cache_offline (void)
{
  g_autofree char *cache = NULL;
  g_autoptr(TekenRevocationChecker) checker = new_checker (&cache);
  g_autoptr(TekenRevocationChecker) offline = NULL;
  g_autoptr(X509) ca = pki_cert ("ca.crt");
  g_autoptr(X509) cert = NULL;
  g_autoptr(TekenRevocationInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  guint ocsp_before;

  ltv_peers_issue (peers, "cached", TRUE, FALSE);
  cert = peer_cert ("cached");

  /* Offline with an empty cache: a clear error and no request. */
  offline = new_checker (NULL);
  teken_revocation_checker_set_offline (offline, TRUE);
  ocsp_before = ltv_peers_count (peers, "/ocsp");
  info = teken_revocation_checker_check (offline, cert, ca, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_OFFLINE);
  g_clear_error (&error);
  g_assert_cmpuint (ltv_peers_count (peers, "/ocsp"), ==, ocsp_before);

  info = teken_revocation_checker_check (checker, cert, ca, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (info->from_cache);
  g_clear_pointer (&info, teken_revocation_info_free);
  g_assert_cmpuint (ltv_peers_count (peers, "/ocsp"), ==, ocsp_before + 1);

  files = teken_test_list_dir (cache);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (files, 0), "ocsp-"));

  /* The same cache used offline answers without the network. */
  teken_revocation_checker_set_cache_dir (offline, cache);
  info = teken_revocation_checker_check (offline, cert, ca, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (info->from_cache);
  g_assert_cmpint (info->status, ==, TEKEN_CERT_STATUS_GOOD);
  g_assert_cmpuint (ltv_peers_count (peers, "/ocsp"), ==, ocsp_before + 1);
}

static void
test_gather (void)
{
  g_autoptr(TekenRevocationChecker) checker = new_checker (NULL);
  g_autoptr(TekenValidationData) data = teken_validation_data_new ();
  g_autoptr(TekenX509Stack) pool = sk_X509_new_null ();
  g_autoptr(X509) leaf = NULL;
  g_autoptr(GError) error = NULL;

  ltv_peers_issue (peers, "gather", TRUE, TRUE);
  leaf = peer_cert ("gather");
  sk_X509_push (pool, pki_cert ("ca.crt"));
  sk_X509_push (pool, pki_cert ("root.crt"));

  g_assert_true (teken_revocation_checker_gather (checker, leaf, pool, TRUE, data, NULL, &error));
  g_assert_no_error (error);
  /* leaf, CA, root and the OCSP responder's certificate; one OCSP response (the CA names no source). */
  g_assert_cmpuint (data->certs->len, ==, 4);
  g_assert_cmpuint (data->ocsps->len, ==, 1);
  g_assert_cmpuint (data->crls->len, ==, 0);

  /* A leaf without any source cannot reach B-LT. */
  {
    g_autoptr(X509) plain = pki_cert ("individu-rsa2048.crt");
    g_autoptr(TekenValidationData) d2 = teken_validation_data_new ();

    g_assert_false (teken_revocation_checker_gather (checker, plain, pool, TRUE, d2, NULL, &error));
    g_assert_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_NO_SOURCE);
  }
}


/* DER length of a complete TLV. */
static GBytes *
der_wrap (guint8        tag,
          const guint8 *content,
          gsize         len)
{
  GByteArray *out = g_byte_array_new ();
  guint8 hdr[6] = { tag };
  gsize n = 1;

  if (len < 128)
    hdr[n++] = len;
  else if (len < 256)
    {
      hdr[n++] = 0x81;
      hdr[n++] = len;
    }
  else
    {
      hdr[n++] = 0x82;
      hdr[n++] = len >> 8;
      hdr[n++] = len & 0xff;
    }
  g_byte_array_append (out, hdr, n);
  g_byte_array_append (out, content, len);
  return g_byte_array_free_to_bytes (out);
}

static void
test_revocation_archival (void)
{
  g_autoptr(TekenRevocationChecker) checker = new_checker (NULL);
  g_autoptr(X509) ca = pki_cert ("ca.crt");
  g_autoptr(X509) cert = NULL;
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(TekenRevocationInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) seq = NULL;
  g_autoptr(GBytes) tagged = NULL;
  g_autoptr(GBytes) archival = NULL;
  g_autoptr(CMS_ContentInfo) cms = NULL;
  g_autoptr(BIO) data = BIO_new_mem_buf ("signed data", -1);
  g_autoptr(ASN1_OBJECT) oid = OBJ_txt2obj ("1.2.840.113583.1.1.8", 1);
  g_autoptr(TekenValidationData) found = NULL;
  g_autoptr(TekenRevocationCheck) rc = NULL;
  g_autoptr(TekenX509Stack) pool = sk_X509_new_null ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *key_path = NULL;
  CMS_SignerInfo *si;
  FILE *f;

  ltv_peers_issue (peers, "archival", TRUE, FALSE);
  cert = peer_cert ("archival");
  key_path = ltv_peers_path (peers, "archival.key");
  f = fopen (key_path, "r");
  key = PEM_read_PrivateKey (f, NULL, NULL, NULL);
  fclose (f);
  g_assert_nonnull (key);

  info = teken_revocation_checker_check_ocsp (checker, cert, ca, NULL, &error);
  g_assert_no_error (error);

  /* RevocationInfoArchival ::= SEQUENCE { ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse } */
  seq = der_wrap (0x30, g_bytes_get_data (info->data, NULL), g_bytes_get_size (info->data));
  tagged = der_wrap (0xa1, g_bytes_get_data (seq, NULL), g_bytes_get_size (seq));
  archival = der_wrap (0x30, g_bytes_get_data (tagged, NULL), g_bytes_get_size (tagged));

  cms = CMS_sign (NULL, NULL, NULL, NULL, CMS_DETACHED | CMS_BINARY | CMS_PARTIAL);
  si = CMS_add1_signer (cms, cert, key, EVP_sha256 (), CMS_BINARY | CMS_PARTIAL);
  g_assert_nonnull (si);
  g_assert_true (CMS_signed_add1_attr_by_OBJ (si, oid, V_ASN1_SEQUENCE, g_bytes_get_data (archival, NULL),
                                              g_bytes_get_size (archival)));
  g_assert_true (CMS_final (cms, data, NULL, CMS_DETACHED | CMS_BINARY));

  found = teken_ltv_read_revocation_archival (si);
  g_assert_cmpuint (found->ocsps->len, ==, 1);
  g_assert_cmpuint (found->crls->len, ==, 0);
  g_assert_true (g_bytes_equal (g_ptr_array_index (found->ocsps, 0), info->data));

  /* The verifier's check finds it embedded: no checker, no network. */
  sk_X509_push (pool, X509_dup (ca));
  rc = teken_ltv_check_revocation (cert, pool, NULL, si, NULL, now, TRUE, NULL, NULL);
  g_assert_cmpint (rc->status, ==, TEKEN_LTV_REVOCATION_GOOD);
  g_assert_true (rc->embedded);
  g_assert_false (rc->ltv);   /* no DSS */

  /* Without the attribute and offline: not checked, with a reason. */
  {
    g_autoptr(TekenRevocationCheck) none = teken_ltv_check_revocation (cert, pool, NULL, NULL, NULL, now,
                                                                       TRUE, NULL, NULL);

    g_assert_cmpint (none->status, ==, TEKEN_LTV_REVOCATION_NOT_CHECKED);
    g_assert_nonnull (none->message);
  }
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  teken_core_init ();
  peers = ltv_peers_start ();

  g_test_add_func ("/ltv/http/refused", test_http_refused);
  g_test_add_func ("/ltv/http/timeout", test_http_timeout);
  g_test_add_func ("/ltv/http/status", test_http_status);
  g_test_add_func ("/ltv/http/too-large", test_http_too_large);
  g_test_add_func ("/ltv/http/bad-url", test_http_bad_url);
  g_test_add_func ("/ltv/http/tls", test_http_tls);
  g_test_add_func ("/ltv/tsa/good", test_tsa_good);
  g_test_add_func ("/ltv/tsa/failures", test_tsa_failures);
  g_test_add_func ("/ltv/tsa/not-configured", test_tsa_not_configured);
  g_test_add_func ("/ltv/ocsp/check", test_ocsp);
  g_test_add_func ("/ltv/crl/check-and-fallback", test_crl_and_fallback);
  g_test_add_func ("/ltv/revocation/cache-offline", test_cache_offline);
  g_test_add_func ("/ltv/revocation/gather", test_gather);
  g_test_add_func ("/ltv/revocation/archival-attribute", test_revocation_archival);

  ret = g_test_run ();
  ltv_peers_stop (peers);
  return ret;
}
