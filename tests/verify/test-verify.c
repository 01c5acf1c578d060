/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Verifier: signatures made by Teken, pdfsig and mutool; certificates (expired, not yet valid,
 * untrusted, wrong key usage); unsigned and unreadable inputs; hostile CMS; the CLI (exit
 * statuses, JSON); certificate info and the trust store.
 */
#include "verify-test-util.h"

#include <json-glib/json-glib.h>
#include <openssl/x509.h>

#include "teken-core.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* A file signed once by teken-cli with the given PKI signer (cached per signer). */
static char *
signed_by (const char *signer)
{
  g_autofree char *name = g_strdup_printf ("signed-%s.pdf", signer);
  char *out = tmp_path (name);
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");

  if (!g_file_test (out, G_FILE_TEST_EXISTS))
    vt_sign_cli (in, out, signer, NULL);
  return out;
}

static int
cli_verify (const char  *path,
            char       **out,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;
  int status = -1;

  g_ptr_array_add (argv, (char *) teken_test_cli_path ());
  g_ptr_array_add (argv, "verify");
  va_start (args, out);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, (char *) path);
  g_ptr_array_add (argv, NULL);
  g_assert_true (teken_test_run ((const char * const *) argv->pdata, out, &err, &status, &error));
  g_test_message ("teken-cli verify %s → %d %s", path, status, err ? err : "");
  return status;
}

/* ---------------------------------------------------------------------------------------- */

typedef struct
{
  const char *signer;
  const char *algorithm;
  TekenCertificateKind kind;
} KeyCase;

static const KeyCase key_cases[] = {
  { "individu-rsa2048", "RSA", TEKEN_CERTIFICATE_KIND_INDIVIDU },
  { "individu-rsa4096", "RSA", TEKEN_CERTIFICATE_KIND_INDIVIDU },
  { "individu-p256", "ECDSA", TEKEN_CERTIFICATE_KIND_INDIVIDU },
  { "individu-p384", "ECDSA", TEKEN_CERTIFICATE_KIND_INDIVIDU },
  { "individu-rsapss", "RSA-PSS", TEKEN_CERTIFICATE_KIND_INDIVIDU },
  { "individu-ed25519", "Ed25519", TEKEN_CERTIFICATE_KIND_INDIVIDU },
  { "jabatan-rsa2048", "RSA", TEKEN_CERTIFICATE_KIND_JABATAN },
  { "jabatan-p256", "ECDSA", TEKEN_CERTIFICATE_KIND_JABATAN },
  { "sistem-rsa2048", "RSA", TEKEN_CERTIFICATE_KIND_SISTEM_ELEKTRONIK },
  { "sistem-p256", "ECDSA", TEKEN_CERTIFICATE_KIND_SISTEM_ELEKTRONIK },
};

static void
test_teken_signed (gconstpointer data)
{
  const KeyCase *kc = data;
  g_autofree char *path = signed_by (kc->signer);
  g_autoptr(TekenDocumentResult) result = vt_verify (path);
  TekenSignatureResult *sig;
  gint64 range[4];
  gsize size;

  vt_print (result);
  g_assert_cmpint (teken_document_result_get_status (result), ==, TEKEN_DOCUMENT_STATUS_VALID);
  g_assert_cmpint (teken_document_result_get_verdict (result), ==, TEKEN_VERDICT_SIGNED_VALID);
  g_assert_cmpuint (g_list_model_get_n_items (teken_document_result_get_signatures (result)), ==, 1);
  sig = vt_sig (result, 0);
  g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_VALID);
  g_assert_true (teken_signature_result_get_integrity (sig));
  g_assert_true (teken_signature_result_get_covers_whole_document (sig));
  g_assert_true (teken_signature_result_get_chain_trusted (sig));
  g_assert_cmpint (teken_signature_result_get_modified_after (sig), ==, TEKEN_MODIFICATION_NONE);
  g_assert_cmpstr (teken_signature_result_get_signature_algorithm (sig), ==, kc->algorithm);
  g_assert_cmpint (teken_signature_result_get_certificate_kind (sig), ==, kc->kind);
  g_assert_cmpstr (teken_signature_result_get_subfilter (sig), ==, "ETSI.CAdES.detached");
  g_assert_cmpuint (teken_signature_result_get_chain (sig)->len, ==, 3);
  g_assert_nonnull (teken_signature_result_get_signing_time (sig));
  g_assert_cmpint (teken_signature_result_get_time_source (sig), ==, TEKEN_TIME_SOURCE_CLAIMED);
  g_assert_true (teken_signature_result_has_reason (sig, TEKEN_SIGNATURE_REASON_REVOCATION_NOT_CHECKED));
  g_assert_cmpint (teken_signature_result_get_revocation_status (sig), ==, TEKEN_REVOCATION_STATUS_NOT_CHECKED);
  /* The signed length is the whole file: "view signed version" opens the same bytes. */
  g_assert_true (teken_signature_result_get_byte_range (sig, range));
  {
    g_autoptr(GBytes) bytes = vt_read (path);
    size = g_bytes_get_size (bytes);
  }
  g_assert_cmpuint (teken_signature_result_get_signed_length (sig), ==, size);
  g_assert_cmpint (range[0], ==, 0);

  /* Independent verdicts: pdfsig (NSS) for RSA PKCS#1 and ECDSA; openssl cms -verify for RSA-PSS
   * keys (NSS 3.87 rejects them); OpenSSL 3.0's CMS cannot verify Ed25519 at all. */
  if (g_str_equal (kc->algorithm, "RSA") || g_str_equal (kc->algorithm, "ECDSA"))
    {
      guint n_valid = 0, n_trusted = 0;
      g_autofree char *output = NULL;

      g_assert_cmpuint (teken_test_pdfsig_check (path, &n_valid, &n_trusted, &output), ==, 1);
      if (n_valid != 1 || n_trusted != 1)
        g_error ("pdfsig disagrees:\n%s", output);
    }
  else if (g_str_equal (kc->algorithm, "RSA-PSS"))
    {
      g_autofree char *chain = teken_test_pki_path ("chain.pem");
      g_autofree char *output = NULL;

      if (!teken_test_openssl_cms_verify (path, 0, chain, &output))
        g_error ("openssl cms -verify disagrees:\n%s", output);
    }

  /* Negative control for every algorithm: the last byte of the signature value flipped. */
  {
    g_autofree char *name = g_strdup_printf ("badsig-%s.pdf", kc->signer);
    g_autofree char *bad = tmp_path (name);
    g_autoptr(GBytes) bytes = vt_read (path);
    g_autofree guint8 *raw = g_memdup2 (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    g_autoptr(TekenDocumentResult) bad_result = NULL;
    gsize hex = range[1] + 1, der_len;
    TekenSignatureResult *bad_sig;

    /* A CMS without unsigned attributes ends with the signature value: 30 82 LL LL ... */
    g_assert_true (raw[hex] == '3' && raw[hex + 1] == '0' && raw[hex + 2] == '8' && raw[hex + 3] == '2');
    der_len = 4 + ((g_ascii_xdigit_value (raw[hex + 4]) << 12) | (g_ascii_xdigit_value (raw[hex + 5]) << 8) |
                   (g_ascii_xdigit_value (raw[hex + 6]) << 4) | g_ascii_xdigit_value (raw[hex + 7]));
    raw[hex + 2 * (der_len - 1)] = raw[hex + 2 * (der_len - 1)] == '0' ? '1' : '0';
    vt_write (bad, raw, g_bytes_get_size (bytes));
    bad_result = vt_verify (bad);
    bad_sig = vt_sig (bad_result, 0);
    g_assert_cmpint (teken_signature_result_get_status (bad_sig), ==, TEKEN_SIGNATURE_STATUS_INVALID);
    vt_assert_reasons (bad_sig, TEKEN_SIGNATURE_REASON_SIGNATURE_MISMATCH, -1);
    g_assert_false (teken_signature_result_get_integrity (bad_sig));
  }
}

static void
test_pdfsig_signed (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *out = tmp_path ("pdfsig.pdf");
  g_autofree char *nss = g_strdup_printf ("sql:%s/nss-signer", teken_test_pki_dir ());
  const char *argv[] = { "pdfsig", "-nssdir", nss, "-add-signature", "-nick", "individu-rsa2048",
                         "-reason", "Setuju", in, out, NULL };
  g_autoptr(TekenDocumentResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TekenSignatureResult *sig;
  int status = -1;

  g_assert_true (teken_test_run (argv, NULL, NULL, &status, &error));
  g_assert_cmpint (status, ==, 0);
  result = vt_verify (out);
  vt_print (result);
  g_assert_cmpint (teken_document_result_get_status (result), ==, TEKEN_DOCUMENT_STATUS_VALID);
  sig = vt_sig (result, 0);
  g_assert_cmpstr (teken_signature_result_get_subfilter (sig), ==, "adbe.pkcs7.detached");
  g_assert_cmpstr (teken_signature_result_get_digest_algorithm (sig), ==, "SHA-256");
  g_assert_cmpstr (teken_signature_result_get_reason (sig), ==, "Setuju");
  g_assert_cmpstr (teken_signature_result_get_signer_name (sig), ==, "Budi Santoso");
}

/* mutool signs with SHA-1: integrity holds, but SHA-1 is reported weak and the signature
 * INDETERMINATE (as EU DSS / the ETSI algorithm catalogue do); see docs/verify-json.md. */
static void
test_mutool_signed (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-empty-sigfield.pdf");
  g_autofree char *out = tmp_path ("mutool.pdf");
  g_autofree char *p12 = teken_test_pki_path ("individu-rsa2048.p12");
  const char *argv[] = { "mutool", "sign", "-s", p12, "-P", "Rahasia-Uji-123", "-o", out, in, NULL };
  g_autoptr(TekenDocumentResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TekenSignatureResult *sig;
  int status = -1;

  g_assert_true (teken_test_run (argv, NULL, NULL, &status, &error));
  g_assert_cmpint (status, ==, 0);
  /* mutool embeds only the signer's certificate: give the CA as a known intermediate, so that
   * SHA-1 is the only thing that keeps the signature from being valid. */
  {
    g_autoptr(TekenVerifier) verifier = teken_verifier_new ();
    g_autoptr(TekenTrustStore) store = vt_store ();
    g_autofree char *ca = teken_test_pki_path ("ca.crt");
    g_autoptr(GBytes) ca_bytes = vt_read (ca);
    g_autoptr(TekenCertInfo) ca_info = teken_cert_info_new_from_data (g_bytes_get_data (ca_bytes, NULL),
                                                                      g_bytes_get_size (ca_bytes), NULL);

    teken_trust_store_add_intermediate (store, teken_cert_info_get_x509 (ca_info), TEKEN_TRUST_SOURCE_FILE);
    teken_verifier_set_trust_store (verifier, store);
    result = teken_verifier_verify_file (verifier, out, NULL, &error);
    g_assert_no_error (error);
  }
  vt_print (result);
  sig = vt_sig (result, 0);
  g_assert_true (teken_signature_result_get_chain_trusted (sig));
  g_assert_false (teken_signature_result_has_reason (sig, TEKEN_SIGNATURE_REASON_ISSUER_UNKNOWN));
  g_assert_cmpstr (teken_signature_result_get_field_name (sig), ==, "TTE_Bupati");
  g_assert_true (teken_signature_result_get_integrity (sig));
  g_assert_cmpstr (teken_signature_result_get_digest_algorithm (sig), ==, "SHA-1");
  vt_assert_reasons (sig, TEKEN_SIGNATURE_REASON_WEAK_DIGEST, -1);
  g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_INDETERMINATE);
  g_assert_false (teken_signature_result_has_reason (sig, TEKEN_SIGNATURE_REASON_DIGEST_MISMATCH));
}

static void
test_tampered (void)
{
  g_autofree char *path = signed_by ("individu-rsa2048");
  g_autofree char *out = tmp_path ("tampered.pdf");
  g_autoptr(GBytes) bytes = vt_read (path);
  g_autoptr(TekenDocumentResult) result = NULL;
  guint8 *data = g_memdup2 (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  gssize pos = vt_find_from (bytes, 0, "/Producer");
  TekenSignatureResult *sig;

  /* One byte of the signed text (a letter of a producer name), keeping the file parseable. */
  if (pos < 0)
    pos = vt_find_from (bytes, 0, "/Type");
  g_assert_cmpint (pos, >, 0);
  data[pos + 2] ^= 0x20;
  vt_write (out, data, g_bytes_get_size (bytes));
  g_free (data);
  result = vt_verify (out);
  vt_print (result);
  sig = vt_sig (result, 0);
  g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_INVALID);
  vt_assert_reasons (sig, TEKEN_SIGNATURE_REASON_DIGEST_MISMATCH, -1);
  g_assert_false (teken_signature_result_get_integrity (sig));
  g_assert_cmpint (teken_document_result_get_verdict (result), ==, TEKEN_VERDICT_CHANGED_AFTER_SIGNING);
}

typedef struct
{
  const char *signer;
  TekenSignatureStatus status;
  TekenSignatureReason reason;
} CertCase;

static const CertCase cert_cases[] = {
  { "expired", TEKEN_SIGNATURE_STATUS_INDETERMINATE, TEKEN_SIGNATURE_REASON_NOT_VALID_AT_SIGNING_TIME },
  { "notyet", TEKEN_SIGNATURE_STATUS_INDETERMINATE, TEKEN_SIGNATURE_REASON_CERTIFICATE_NOT_YET_VALID },
  { "untrusted", TEKEN_SIGNATURE_STATUS_INDETERMINATE, TEKEN_SIGNATURE_REASON_UNTRUSTED_ROOT },
  /* The CA forbade signatures with this key: no later evidence could make it valid, so INVALID. */
  { "wrongku", TEKEN_SIGNATURE_STATUS_INVALID, TEKEN_SIGNATURE_REASON_KEY_USAGE },
};

static void
test_certificates (gconstpointer data)
{
  const CertCase *cc = data;
  g_autofree char *path = signed_by (cc->signer);
  g_autoptr(TekenDocumentResult) result = vt_verify (path);
  TekenSignatureResult *sig = vt_sig (result, 0);

  vt_print (result);
  g_assert_true (teken_signature_result_get_integrity (sig));
  g_assert_cmpint (teken_signature_result_get_status (sig), ==, cc->status);
  vt_assert_reasons (sig, cc->reason, -1);
}

/* Without any trust anchor the signature is intact but the signer unknown. */
static void
test_no_trust (void)
{
  g_autofree char *path = signed_by ("individu-rsa2048");
  g_autoptr(TekenVerifier) verifier = teken_verifier_new ();
  g_autoptr(TekenTrustStore) store = teken_trust_store_new ();
  g_autoptr(TekenDocumentResult) result = NULL;
  TekenSignatureResult *sig;

  teken_verifier_set_trust_store (verifier, store);
  result = teken_verifier_verify_file (verifier, path, NULL, NULL);
  g_assert_nonnull (result);
  sig = vt_sig (result, 0);
  g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_INDETERMINATE);
  g_assert_true (teken_signature_result_get_integrity (sig));
  g_assert_false (teken_signature_result_get_chain_trusted (sig));
  g_assert_cmpint (teken_document_result_get_verdict (result), ==, TEKEN_VERDICT_IDENTITY_UNCONFIRMED);
}

/* --at after the certificate's end: no timestamp proves the signature was made in time. */
static void
test_validation_time (void)
{
  g_autofree char *path = signed_by ("individu-rsa2048");
  g_autoptr(TekenVerifier) verifier = teken_verifier_new ();
  g_autoptr(TekenTrustStore) store = vt_store ();
  g_autoptr(TekenDocumentResult) result = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_years (now, 5);
  g_autoptr(GDateTime) earlier = g_date_time_add_days (now, -10);
  TekenSignatureResult *sig;

  teken_verifier_set_trust_store (verifier, store);
  teken_verifier_set_validation_time (verifier, later);
  result = teken_verifier_verify_file (verifier, path, NULL, NULL);
  sig = vt_sig (result, 0);
  vt_print (result);
  vt_assert_reasons (sig, TEKEN_SIGNATURE_REASON_CERTIFICATE_EXPIRED, -1);
  g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_INDETERMINATE);
  g_clear_object (&result);

  /* Before the claimed signing time: the claim lies in the future. */
  teken_verifier_set_validation_time (verifier, earlier);
  result = teken_verifier_verify_file (verifier, path, NULL, NULL);
  sig = vt_sig (result, 0);
  vt_assert_reasons (sig, TEKEN_SIGNATURE_REASON_SIGNING_TIME_IN_FUTURE, -1);
  g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_INDETERMINATE);
}

static void
test_two_signatures (void)
{
  g_autofree char *first = signed_by ("individu-rsa2048");
  g_autofree char *out = tmp_path ("two.pdf");
  g_autoptr(TekenDocumentResult) result = NULL;
  TekenSignatureResult *s1, *s2;

  vt_sign_cli (first, out, "jabatan-p256", "--page", "1", "--rect", "300,100,150,60", NULL);
  result = vt_verify (out);
  vt_print (result);
  g_assert_cmpint (teken_document_result_get_status (result), ==, TEKEN_DOCUMENT_STATUS_VALID);
  g_assert_cmpuint (teken_document_result_get_n_revisions (result), ==, 3);
  s1 = vt_sig (result, 0);
  s2 = vt_sig (result, 1);
  g_assert_false (teken_signature_result_get_covers_whole_document (s1));
  g_assert_cmpint (teken_signature_result_get_modified_after (s1), ==, TEKEN_MODIFICATION_ALLOWED);
  g_assert_cmpint (teken_signature_result_get_revision_index (s1), ==, 1);
  g_assert_true (teken_signature_result_get_covers_whole_document (s2));
  g_assert_cmpint (teken_signature_result_get_revision_index (s2), ==, 2);
  g_assert_cmpint (teken_signature_result_get_page_index (s2), ==, 0);
  g_assert_true (teken_signature_result_is_visible (s2));
  g_assert_cmpint (teken_signature_result_get_certificate_kind (s2), ==, TEKEN_CERTIFICATE_KIND_JABATAN);
}

static void
test_unsigned (void)
{
  g_autofree char *plain = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *empty = teken_test_corpus_path ("naskah-dinas-empty-sigfield.pdf");
  g_autoptr(TekenDocumentResult) r1 = vt_verify (plain);
  g_autoptr(TekenDocumentResult) r2 = vt_verify (empty);

  g_assert_cmpint (teken_document_result_get_status (r1), ==, TEKEN_DOCUMENT_STATUS_UNSIGNED);
  g_assert_cmpuint (g_list_model_get_n_items (teken_document_result_get_signatures (r1)), ==, 0);
  g_assert_cmpint (teken_document_result_get_status (r2), ==, TEKEN_DOCUMENT_STATUS_UNSIGNED);
  g_assert_cmpuint (g_list_model_get_n_items (teken_document_result_get_signatures (r2)), ==, 1);
  g_assert_cmpint (teken_signature_result_get_status (vt_sig (r2, 0)), ==, TEKEN_SIGNATURE_STATUS_UNSIGNED);
  g_assert_cmpint (teken_document_result_get_verdict (r2), ==, TEKEN_VERDICT_UNSIGNED);
  g_assert_cmpint (cli_verify (plain, NULL, NULL), ==, 3);
}

static void
test_bad_corpus (void)
{
  const char *bad[] = { "bad-empty.pdf", "bad-not-pdf-html.pdf", "bad-not-pdf-odt.pdf", "bad-truncated.pdf",
                        "bad-broken-xref-offsets.pdf", "bad-encrypted-user-aes256.pdf",
                        "bad-encrypted-owner-only-aes256.pdf" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = teken_test_corpus_path (bad[i]);
      g_autoptr(TekenVerifier) verifier = teken_verifier_new ();
      g_autoptr(TekenTrustStore) store = vt_store ();
      g_autoptr(GError) error = NULL;
      g_autoptr(TekenDocumentResult) result = NULL;
      g_autofree char *json = NULL;

      teken_verifier_set_trust_store (verifier, store);
      result = teken_verifier_verify_file (verifier, path, NULL, &error);
      g_assert_null (result);
      g_assert_nonnull (error);
      g_test_message ("%s: %s", bad[i], error->message);
      g_assert_cmpint (cli_verify (path, &json, "--json", NULL), ==, 4);
      g_assert_nonnull (strstr (json, "\"unreadable\""));
    }
}

/* Hostile CMS in /Contents (same length, so the file stays well-formed): an error, never a crash. */
static void
test_hostile_cms (void)
{
  g_autofree char *path = signed_by ("individu-rsa2048");
  g_autoptr(GBytes) bytes = vt_read (path);
  gssize br = vt_rfind (bytes, "/Contents <");
  gsize len = g_bytes_get_size (bytes);
  const char *names[] = { "garbage", "truncated", "nested", "zero" };

  g_assert_cmpint (br, >, 0);
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (bytes, NULL), len);
      g_autofree char *name = g_strdup_printf ("hostile-%s.pdf", names[k]);
      g_autofree char *out = tmp_path (name);
      g_autoptr(TekenDocumentResult) result = NULL;
      gsize start = br + strlen ("/Contents <"), end = start;
      TekenSignatureResult *sig;

      while (data[end] != '>')
        end++;
      switch (k)
        {
        case 0:  /* random hex */
          for (gsize i = start; i < end; i++)
            data[i] = "0123456789ABCDEF"[g_random_int_range (0, 16)];
          break;
        case 1:  /* the CMS cut after 200 bytes */
          for (gsize i = start + 400; i < end; i++)
            data[i] = '0';
          break;
        case 2:  /* 3000 nested SEQUENCEs with indefinite length */
          for (gsize i = start; i + 4 <= end; i += 4)
            memcpy (data + i, "3080", 4);
          break;
        default:  /* all zero: an unsigned placeholder */
          for (gsize i = start; i < end; i++)
            data[i] = '0';
        }
      vt_write (out, data, len);
      result = vt_verify (out);
      vt_print (result);
      sig = vt_sig (result, 0);
      g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_INVALID);
      g_assert_true (teken_signature_result_has_reason (sig, TEKEN_SIGNATURE_REASON_CMS_MALFORMED) ||
                     teken_signature_result_has_reason (sig, TEKEN_SIGNATURE_REASON_CONTENTS_MISSING));
    }
}

static void
test_cli_json (void)
{
  g_autofree char *path = signed_by ("individu-rsa2048");
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *doc, *sig, *signer;
  JsonArray *chain;

  g_assert_cmpint (cli_verify (path, &out, "--json", "--trust", root, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  doc = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (doc, "file"), ==, path);
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "valid");
  sig = json_array_get_object_element (json_object_get_array_member (doc, "signatures"), 0);
  g_assert_cmpstr (json_object_get_string_member (sig, "status"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (sig, "time_source"), ==, "claimed");
  g_assert_true (json_object_get_boolean_member (sig, "integrity"));
  g_assert_true (json_object_get_boolean_member (sig, "covers_whole_document"));
  g_assert_cmpstr (json_object_get_string_member (sig, "modified_after"), ==, "none");
  g_assert_cmpstr (json_object_get_string_member (sig, "certificate_kind"), ==, "individu");
  g_assert_cmpstr (json_object_get_string_member (sig, "subfilter"), ==, "ETSI.CAdES.detached");
  g_assert_cmpstr (json_object_get_string_member (sig, "digest_algorithm"), ==, "SHA-256");
  g_assert_nonnull (json_object_get_string_member (sig, "signing_time"));
  g_assert_nonnull (json_object_get_array_member (sig, "reasons"));
  signer = json_object_get_object_member (sig, "signer");
  g_assert_cmpstr (json_object_get_string_member (signer, "common_name"), ==, "Budi Santoso");
  g_assert_nonnull (strstr (json_object_get_string_member (signer, "subject"), "O=Pemerintah Kabupaten Contoh"));
  chain = json_object_get_array_member (sig, "chain");
  g_assert_cmpuint (json_array_get_length (chain), ==, 3);
  {
    /* The root's SHA-256 matches openssl's. */
    const char *argv[] = { "openssl", "x509", "-in", root, "-noout", "-fingerprint", "-sha256", NULL };
    g_autofree char *fp = NULL;
    int status;
    JsonObject *last = json_array_get_object_element (chain, 2);

    g_assert_true (teken_test_run (argv, &fp, NULL, &status, NULL));
    g_assert_nonnull (strstr (fp, json_object_get_string_member (last, "sha256")));
  }

  /* Exit statuses: untrusted (no default trust, no --trust) → 2. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli_verify (path, &out, "--no-default-trust", NULL), ==, 2);
  g_assert_nonnull (strstr (out, "identity could not be confirmed"));
}

static void
test_cli_exit_codes (void)
{
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autofree char *good = signed_by ("individu-p256");
  g_autofree char *wrongku = signed_by ("wrongku");
  g_autofree char *bad = teken_test_corpus_path ("bad-empty.pdf");
  g_autofree char *plain = teken_test_corpus_path ("laporan-cairo.pdf");

  g_assert_cmpint (cli_verify (good, NULL, "--trust", root, NULL), ==, 0);
  g_assert_cmpint (cli_verify (wrongku, NULL, "--trust", root, NULL), ==, 1);
  g_assert_cmpint (cli_verify (plain, NULL, "--trust", root, NULL), ==, 3);
  g_assert_cmpint (cli_verify (bad, NULL, "--trust", root, NULL), ==, 4);
  g_assert_cmpint (cli_verify (good, NULL, "--trust", root, "--at", "2040-01-01T00:00:00Z", NULL), ==, 2);
  g_assert_cmpint (cli_verify (good, NULL, "--at", "not-a-time", NULL), ==, 64);
}

static void
test_cert_info (void)
{
  const struct { const char *name; TekenCertificateKind kind; } cases[] = {
    { "individu-rsa2048.crt", TEKEN_CERTIFICATE_KIND_INDIVIDU },
    { "jabatan-rsa2048.crt", TEKEN_CERTIFICATE_KIND_JABATAN },
    { "sistem-p256.crt", TEKEN_CERTIFICATE_KIND_SISTEM_ELEKTRONIK },
    { "root.crt", TEKEN_CERTIFICATE_KIND_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = teken_test_pki_path (cases[i].name);
      g_autoptr(GBytes) bytes = vt_read (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(TekenCertInfo) info = teken_cert_info_new_from_data (g_bytes_get_data (bytes, NULL),
                                                                     g_bytes_get_size (bytes), &error);
      const char *argv[] = { "openssl", "x509", "-in", path, "-noout", "-fingerprint", "-sha1", NULL };
      g_autofree char *fp = NULL;
      guint n_rows = 0;
      const TekenCertNameRow *rows;
      int status;

      g_assert_no_error (error);
      g_assert_cmpint (teken_cert_info_get_kind (info), ==, cases[i].kind);
      g_assert_true (teken_test_run (argv, &fp, NULL, &status, NULL));
      g_assert_nonnull (strstr (fp, teken_cert_info_get_fingerprint_sha1 (info)));
      rows = teken_cert_info_get_subject_rows (info, &n_rows);
      g_assert_cmpuint (n_rows, >=, 3);
      g_assert_nonnull (rows[0].label);
      g_assert_nonnull (teken_cert_info_get_not_after (info));
      if (i < 3)
        {
          const char * const *ku = teken_cert_info_get_key_usage_ids (info);

          g_assert_true (g_strv_contains (ku, "digitalSignature"));
          g_assert_true (g_strv_contains (ku, "nonRepudiation"));
          g_assert_false (teken_cert_info_is_ca (info));
        }
      else
        g_assert_true (teken_cert_info_is_self_signed (info));
    }
}

static void
test_trust_store (void)
{
  g_autofree char *data_home = tmp_path ("xdg-data");
  g_autofree char *root = teken_test_pki_path ("root.crt");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(TekenCertInfo) info = NULL;
  g_autoptr(TekenTrustStore) shipped = teken_trust_store_new ();
  g_autoptr(TekenTrustStore) store = teken_trust_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = signed_by ("individu-rsa2048");
  g_autoptr(TekenVerifier) verifier = teken_verifier_new ();
  g_autoptr(TekenDocumentResult) result = NULL;

  /* The shipped anchors and intermediates load from the GResource. */
  g_assert_true (teken_trust_store_add_shipped (shipped, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (teken_trust_store_get_anchors (shipped)->len, ==, 2);
  g_assert_cmpuint (teken_trust_store_get_intermediates (shipped)->len, ==, 2);

  /* The user store: add, list, verify with it, remove. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  bytes = vt_read (root);
  info = teken_cert_info_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  id = teken_trust_store_user_add (NULL, teken_cert_info_get_x509 (info), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, teken_cert_info_get_sha256_hex (info));
  list = teken_trust_store_user_list (&error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_true (teken_trust_store_add_user_store (store, &error));
  teken_verifier_set_trust_store (verifier, store);
  result = teken_verifier_verify_file (verifier, path, NULL, &error);
  g_assert_cmpint (teken_document_result_get_status (result), ==, TEKEN_DOCUMENT_STATUS_VALID);
  g_assert_true (teken_trust_store_user_remove (store, id, &error));
  g_assert_no_error (error);
  g_assert_false (teken_trust_store_user_remove (NULL, id, &error));
  g_assert_error (error, TEKEN_TRUST_ERROR, TEKEN_TRUST_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (teken_trust_store_user_remove (NULL, "../../etc/passwd", &error));
  g_clear_error (&error);
  g_clear_object (&result);
  result = teken_verifier_verify_file (verifier, path, NULL, &error);
  g_assert_cmpint (teken_document_result_get_status (result), ==, TEKEN_DOCUMENT_STATUS_INDETERMINATE);
  g_unsetenv ("XDG_DATA_HOME");
}

static void
async_done (GObject      *source,
            GAsyncResult *res,
            gpointer      data)
{
  TekenDocumentResult **out = data;
  g_autoptr(GError) error = NULL;

  *out = teken_verifier_verify_file_finish (TEKEN_VERIFIER (source), res, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autofree char *path = signed_by ("individu-rsa2048");
  g_autoptr(TekenVerifier) verifier = teken_verifier_new ();
  g_autoptr(TekenTrustStore) store = vt_store ();
  TekenDocumentResult *result = NULL;

  teken_verifier_set_trust_store (verifier, store);
  teken_verifier_verify_file_async (verifier, path, NULL, async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (teken_document_result_get_status (result), ==, TEKEN_DOCUMENT_STATUS_VALID);
  g_object_unref (result);
}

/* The legacy subfilters (made by the test's own signer): verified, reported legacy and SHA-1. */
static void
test_legacy_subfilters (void)
{
  const char *subfilters[] = { "adbe.pkcs7.sha1", "adbe.x509.rsa_sha1" };

  for (guint i = 0; i < G_N_ELEMENTS (subfilters); i++)
    {
      g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
      g_autofree char *name = g_strdup_printf ("legacy-%u.pdf", i);
      g_autofree char *out = tmp_path (name);
      VtSignOptions o = { "individu-rsa2048", 0, subfilters[i], "Lama", NULL };
      g_autoptr(TekenDocumentResult) result = NULL;
      TekenSignatureResult *sig;

      vt_sign_own (in, out, &o);
      result = vt_verify (out);
      vt_print (result);
      sig = vt_sig (result, 0);
      g_assert_cmpstr (teken_signature_result_get_subfilter (sig), ==, subfilters[i]);
      g_assert_true (teken_signature_result_get_integrity (sig));
      vt_assert_reasons (sig, TEKEN_SIGNATURE_REASON_LEGACY_SUBFILTER, TEKEN_SIGNATURE_REASON_WEAK_DIGEST, -1);
      g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_INDETERMINATE);
      g_assert_cmpstr (teken_signature_result_get_signer_name (sig), ==, "Budi Santoso");
    }
}

/* ESS signingCertificateV2 naming another certificate than the one that signed. */
static void
test_signing_certificate_mismatch (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *good = tmp_path ("ess-good.pdf");
  g_autofree char *bad = tmp_path ("ess-bad.pdf");
  VtSignOptions ok = { "individu-rsa2048", 0, NULL, "Ess", NULL, "individu-rsa2048" };
  VtSignOptions wrong = { "individu-rsa2048", 0, NULL, "Ess", NULL, "jabatan-rsa2048" };
  g_autoptr(TekenDocumentResult) r1 = NULL;
  g_autoptr(TekenDocumentResult) r2 = NULL;

  vt_sign_own (in, good, &ok);
  r1 = vt_verify (good);
  g_assert_cmpint (teken_document_result_get_status (r1), ==, TEKEN_DOCUMENT_STATUS_VALID);
  vt_sign_own (in, bad, &wrong);
  r2 = vt_verify (bad);
  vt_print (r2);
  g_assert_cmpint (teken_signature_result_get_status (vt_sig (r2, 0)), ==, TEKEN_SIGNATURE_STATUS_INVALID);
  vt_assert_reasons (vt_sig (r2, 0), TEKEN_SIGNATURE_REASON_SIGNING_CERTIFICATE_MISMATCH, -1);
}

static void
run_ok (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_true (teken_test_run (argv, NULL, &err, &status, &error));
  if (status != 0)
    g_error ("%s failed (%d): %s", argv[0], status, err);
}

/* Real multi-signer workflows must not be called "changed": Teken into the existing empty field,
 * then pdfsig adds a field (it rewrites the page and adds a font to /DR), then Teken again with a
 * visible stamp; and Teken then mutool into the empty field. */
static void
test_interop_workflows (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-empty-sigfield.pdf");
  g_autofree char *a1 = tmp_path ("wf-a1.pdf"), *a2 = tmp_path ("wf-a2.pdf"), *a3 = tmp_path ("wf-a3.pdf");
  g_autofree char *b1 = tmp_path ("wf-b1.pdf"), *b2 = tmp_path ("wf-b2.pdf");
  g_autofree char *nss = g_strdup_printf ("sql:%s/nss-signer", teken_test_pki_dir ());
  g_autofree char *p12 = teken_test_pki_path ("jabatan-rsa2048.p12");
  const char *pdfsig_argv[] = { "pdfsig", "-nssdir", nss, "-add-signature", "-nick", "individu-rsa2048", a1, a2, NULL };
  g_autofree char *field_num = NULL;
  const char *mutool_argv[] = { "mutool", "sign", "-s", p12, "-P", "Rahasia-Uji-123", "-o", b2, b1, NULL, NULL };
  g_autoptr(TekenDocumentResult) ra = NULL;
  g_autoptr(TekenDocumentResult) rb = NULL;
  GListModel *sigs;

  vt_sign_cli (in, a1, "individu-rsa2048", "--field", "TTE_Bupati", NULL);
  run_ok (pdfsig_argv);
  vt_sign_cli (a2, a3, "sistem-p256", "--page", "1", "--rect", "300,100,150,60", NULL);
  ra = vt_verify (a3);
  vt_print (ra);
  sigs = teken_document_result_get_signatures (ra);
  g_assert_cmpuint (g_list_model_get_n_items (sigs), ==, 3);
  g_assert_cmpint (teken_document_result_get_status (ra), ==, TEKEN_DOCUMENT_STATUS_VALID);
  g_assert_cmpint (teken_signature_result_get_modified_after (vt_sig (ra, 0)), ==, TEKEN_MODIFICATION_ALLOWED);
  g_assert_cmpint (teken_signature_result_get_modified_after (vt_sig (ra, 1)), ==, TEKEN_MODIFICATION_ALLOWED);

  vt_sign_cli (in, b1, "individu-rsa2048", NULL);
  {
    /* Name the empty field's object: without it mutool re-signs every field, Teken's too (which
     * the verifier rightly reports as a replaced signature). */
    g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (b1, NULL);
    g_autoptr(TekenPdfObject) cat = teken_pdf_document_get_catalog (doc, NULL, NULL);
    g_autoptr(TekenPdfObject) af = teken_pdf_document_lookup (doc, cat, "AcroForm", NULL);
    g_autoptr(TekenPdfObject) fields = teken_pdf_document_lookup (doc, af, "Fields", NULL);

    field_num = g_strdup_printf ("%u", teken_pdf_object_get_ref_num (teken_pdf_array_get (fields, 0)));
    mutool_argv[9] = field_num;
  }
  run_ok (mutool_argv);
  rb = vt_verify (b2);
  vt_print (rb);
  for (guint i = 0; i < 2; i++)
    {
      TekenSignatureResult *sig = vt_sig (rb, i);

      g_assert_true (teken_signature_result_get_integrity (sig));
      if (g_str_equal (teken_signature_result_get_field_name (sig), "TTE_Bupati"))
        g_assert_true (teken_signature_result_has_reason (sig, TEKEN_SIGNATURE_REASON_WEAK_DIGEST));
      else
        {
          g_assert_cmpint (teken_signature_result_get_status (sig), ==, TEKEN_SIGNATURE_STATUS_VALID);
          g_assert_cmpint (teken_signature_result_get_modified_after (sig), ==, TEKEN_MODIFICATION_ALLOWED);
        }
    }
}

/* Two signatures on every corpus input (xref tables and streams, object streams, hybrid,
 * linearized, earlier incremental updates, forms): both valid, the first "changed in permitted ways". */
static void
test_corpus_two_signatures (void)
{
  const char *inputs[] = { "naskah-dinas-pdfa2b-libreoffice.pdf", "formulir-acroform-libreoffice.pdf", "laporan-cairo.pdf",
                           "nota-dinas-ghostscript.pdf", "keputusan-pdftex.pdf", "pindaian-img2pdf.pdf",
                           "naskah-dinas-qpdf-objstm.pdf", "naskah-dinas-qpdf-linearized.pdf", "naskah-dinas-qpdf-qdf.pdf",
                           "naskah-dinas-hybrid-xref.pdf", "naskah-dinas-incremental-3rev.pdf",
                           "naskah-dinas-objstm-incremental-2rev.pdf", "laporan-rotated-cropbox.pdf",
                           "laporan-pdf20-header.pdf", "register-200-halaman.pdf" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *in = teken_test_corpus_path (inputs[i]);
      g_autofree char *n1 = g_strdup_printf ("c1-%s", inputs[i]), *n2 = g_strdup_printf ("c2-%s", inputs[i]);
      g_autofree char *o1 = tmp_path (n1), *o2 = tmp_path (n2);
      g_autoptr(TekenDocumentResult) result = NULL;

      vt_sign_cli (in, o1, "individu-rsa2048", NULL);
      vt_sign_cli (o1, o2, "jabatan-p256", "--page", "1", "--rect", "100,100,150,50", NULL);
      result = vt_verify (o2);
      vt_print (result);
      g_assert_cmpint (teken_document_result_get_status (result), ==, TEKEN_DOCUMENT_STATUS_VALID);
      g_assert_cmpint (teken_signature_result_get_modified_after (vt_sig (result, 0)), ==, TEKEN_MODIFICATION_ALLOWED);
    }
}

static void
add_dss_with_ca (TekenPdfUpdate   *update,
                 TekenPdfDocument *base,
                 gpointer          data)
{
  g_autofree char *ca = teken_test_pki_path ("ca.crt");
  g_autoptr(GBytes) pem = vt_read (ca);
  g_autoptr(TekenCertInfo) info = teken_cert_info_new_from_data (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem), NULL);
  guint cat_num = 0;
  g_autoptr(TekenPdfObject) cat = teken_pdf_document_get_catalog (base, &cat_num, NULL);
  TekenPdfObject *copy = teken_pdf_object_copy (cat);
  TekenPdfObject *dss = teken_pdf_dict_new ();
  TekenPdfObject *certs = teken_pdf_array_new ();
  unsigned char *der = NULL;
  int len = i2d_X509 (teken_cert_info_get_x509 (info), &der);
  guint num;

  num = teken_pdf_update_add_object (update, teken_pdf_stream_new (teken_pdf_dict_new (), g_bytes_new (der, len)));
  OPENSSL_free (der);
  teken_pdf_array_append (certs, teken_pdf_reference_new (num, 0));
  teken_pdf_dict_set (dss, "Certs", certs);
  num = teken_pdf_update_add_object (update, dss);
  teken_pdf_dict_set (copy, "DSS", teken_pdf_reference_new (num, 0));
  teken_pdf_update_set_object (update, cat_num, copy);
}

/* The CA certificate only in the document's /DSS (a signature that embeds just the signer's
 * certificate, as mutool's do): the chain is complete with the DSS, not without it; adding the
 * DSS after signing is a permitted change. */
static void
test_dss_certificates (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-empty-sigfield.pdf");
  g_autofree char *signed_path = tmp_path ("dss-mutool.pdf");
  g_autofree char *out = tmp_path ("dss-added.pdf");
  g_autofree char *p12 = teken_test_pki_path ("individu-rsa2048.p12");
  const char *argv[] = { "mutool", "sign", "-s", p12, "-P", "Rahasia-Uji-123", "-o", signed_path, in, NULL };
  g_autoptr(TekenVerifier) verifier = teken_verifier_new ();
  g_autoptr(TekenTrustStore) store = vt_store ();
  g_autoptr(TekenDocumentResult) with = NULL;
  g_autoptr(TekenDocumentResult) without = NULL;
  TekenSignatureResult *sig;

  run_ok (argv);
  vt_update (signed_path, out, add_dss_with_ca, NULL);
  teken_verifier_set_trust_store (verifier, store);
  with = teken_verifier_verify_file (verifier, out, NULL, NULL);
  vt_print (with);
  sig = vt_sig (with, 0);
  g_assert_false (teken_signature_result_has_reason (sig, TEKEN_SIGNATURE_REASON_ISSUER_UNKNOWN));
  g_assert_true (teken_signature_result_get_chain_trusted (sig));
  g_assert_cmpuint (teken_signature_result_get_chain (sig)->len, ==, 3);
  g_assert_cmpint (teken_signature_result_get_modified_after (sig), ==, TEKEN_MODIFICATION_ALLOWED);
  g_assert_true (teken_signature_result_has_reason (sig, TEKEN_SIGNATURE_REASON_WEAK_DIGEST));

  teken_verifier_set_use_dss (verifier, FALSE);
  without = teken_verifier_verify_file (verifier, out, NULL, NULL);
  g_assert_true (teken_signature_result_has_reason (vt_sig (without, 0), TEKEN_SIGNATURE_REASON_ISSUER_UNKNOWN));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  teken_core_init ();
  tmp_dir = teken_test_make_tmp_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (key_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/verify/teken/%s", key_cases[i].signer);
      g_test_add_data_func (name, &key_cases[i], test_teken_signed);
    }
  g_test_add_func ("/verify/pdfsig", test_pdfsig_signed);
  g_test_add_func ("/verify/mutool-sha1", test_mutool_signed);
  g_test_add_func ("/verify/tampered", test_tampered);
  g_test_add_func ("/verify/legacy-subfilters", test_legacy_subfilters);
  g_test_add_func ("/verify/signing-certificate-mismatch", test_signing_certificate_mismatch);
  for (guint i = 0; i < G_N_ELEMENTS (cert_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/verify/certificate/%s", cert_cases[i].signer);
      g_test_add_data_func (name, &cert_cases[i], test_certificates);
    }
  g_test_add_func ("/verify/no-trust", test_no_trust);
  g_test_add_func ("/verify/validation-time", test_validation_time);
  g_test_add_func ("/verify/two-signatures", test_two_signatures);
  g_test_add_func ("/verify/interop-workflows", test_interop_workflows);
  g_test_add_func ("/verify/dss-certificates", test_dss_certificates);
  g_test_add_func ("/verify/corpus-two-signatures", test_corpus_two_signatures);
  g_test_add_func ("/verify/unsigned", test_unsigned);
  g_test_add_func ("/verify/bad-corpus", test_bad_corpus);
  g_test_add_func ("/verify/hostile-cms", test_hostile_cms);
  g_test_add_func ("/verify/cli-json", test_cli_json);
  g_test_add_func ("/verify/cli-exit-codes", test_cli_exit_codes);
  g_test_add_func ("/verify/cert-info", test_cert_info);
  g_test_add_func ("/verify/trust-store", test_trust_store);
  g_test_add_func ("/verify/async", test_async);
  return g_test_run ();
}
