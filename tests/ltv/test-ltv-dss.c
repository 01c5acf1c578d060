/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * /DSS writing and reading, and document time stamps, on corpus files of every structure (table,
 * xref stream, hybrid, linearized, object streams, existing AcroForm): qpdf --check and pdfsig
 * judge the outputs, the DSS reader reads back what was written.
 */
#include <glib/gstdio.h>
#include <openssl/pem.h>

#include "teken-core.h"
#include "teken-core-private.h"
#include "teken-dss.h"
#include "teken-ltv.h"
#include "teken-timestamp.h"
#include "teken-test-utils.h"
#include "ltv-peers.h"

static LtvPeers *peers;
static char *work;

static const char *corpus[] = {
  "naskah-dinas-libreoffice.pdf",
  "naskah-dinas-hybrid-xref.pdf",
  "naskah-dinas-qpdf-linearized.pdf",
  "naskah-dinas-qpdf-objstm.pdf",
  "naskah-dinas-objstm-incremental-2rev.pdf",
  "naskah-dinas-empty-sigfield.pdf",
  "formulir-acroform-libreoffice.pdf",
  "keputusan-pdftex.pdf",
  "laporan-cairo.pdf",
  "laporan-pdf20-header.pdf",
};

static GBytes *
pki_der (const char *name)
{
  g_autofree char *path = teken_test_pki_path (name);
  FILE *f = fopen (path, "r");
  X509 *cert = PEM_read_X509 (f, NULL, NULL, NULL);
  unsigned char *der = NULL;
  int len = i2d_X509 (cert, &der);
  GBytes *bytes = g_bytes_new (der, len);

  fclose (f);
  OPENSSL_free (der);
  X509_free (cert);
  return bytes;
}

static void
test_dss_roundtrip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      g_autofree char *in = teken_test_corpus_path (corpus[i]);
      g_autofree char *out1 = g_strdup_printf ("%s/dss1-%s", work, corpus[i]);
      g_autofree char *out2 = g_strdup_printf ("%s/dss2-%s", work, corpus[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (in, &error);
      g_autoptr(TekenPdfUpdate) update = NULL;
      g_autoptr(TekenValidationData) data = teken_validation_data_new ();
      g_autoptr(GHashTable) vri = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) teken_validation_data_free);
      g_autoptr(TekenValidationData) entry = teken_validation_data_new ();
      g_autoptr(GBytes) ca = pki_der ("ca.crt");
      g_autoptr(GBytes) root = pki_der ("root.crt");
      g_autoptr(GBytes) tsa = pki_der ("tsa.crt");
      g_autoptr(GBytes) fake_ocsp = g_bytes_new_static ("\x30\x03\x0a\x01\x00", 5);
      g_autofree char *key = teken_dss_vri_key ((const guint8 *) "contents", 8);
      g_autofree char *qpdf = NULL;

      g_test_message ("%s", corpus[i]);
      g_assert_no_error (error);
      g_ptr_array_add (data->certs, g_bytes_ref (ca));
      g_ptr_array_add (data->certs, g_bytes_ref (root));
      g_ptr_array_add (data->ocsps, g_bytes_ref (fake_ocsp));
      g_ptr_array_add (entry->certs, g_bytes_ref (ca));
      g_ptr_array_add (entry->ocsps, g_bytes_ref (fake_ocsp));
      g_hash_table_insert (vri, g_strdup (key), g_steal_pointer (&entry));

      update = teken_pdf_update_new (doc);
      g_assert_true (teken_dss_add_to_update (update, data, vri, &error));
      g_assert_no_error (error);
      g_assert_true (teken_pdf_update_write_to_path (update, out1, &error));
      g_assert_no_error (error);
      g_assert_true (teken_test_file_has_prefix (out1, in));
      g_assert_true (teken_test_qpdf_check (out1, &qpdf));

      /* Read back. */
      {
        g_autoptr(TekenPdfDocument) d1 = teken_pdf_document_new_for_path (out1, &error);
        g_autoptr(TekenDss) dss = NULL;
        TekenValidationData *v;

        g_assert_no_error (error);
        dss = teken_dss_read (d1, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (dss->all->certs->len, ==, 2);
        g_assert_cmpuint (dss->all->ocsps->len, ==, 1);
        g_assert_cmpuint (dss->all->crls->len, ==, 0);
        g_assert_true (g_bytes_equal (g_ptr_array_index (dss->all->certs, 0), ca));
        v = g_hash_table_lookup (dss->vri, key);
        g_assert_nonnull (v);
        g_assert_cmpuint (v->certs->len, ==, 1);
        g_assert_cmpuint (v->ocsps->len, ==, 1);

        /* A second update: the existing entries stay, duplicates are not repeated. */
        {
          g_autoptr(TekenPdfUpdate) u2 = teken_pdf_update_new (d1);
          g_autoptr(TekenValidationData) more = teken_validation_data_new ();
          g_autoptr(TekenPdfDocument) d2 = NULL;
          g_autoptr(TekenDss) dss2 = NULL;

          g_ptr_array_add (more->certs, g_bytes_ref (ca));
          g_ptr_array_add (more->certs, g_bytes_ref (tsa));
          g_assert_true (teken_dss_add_to_update (u2, more, NULL, &error));
          g_assert_true (teken_pdf_update_write_to_path (u2, out2, &error));
          g_assert_no_error (error);
          g_assert_true (teken_test_qpdf_check (out2, NULL));
          g_assert_true (teken_test_file_has_prefix (out2, out1));
          d2 = teken_pdf_document_new_for_path (out2, &error);
          g_assert_no_error (error);
          dss2 = teken_dss_read (d2, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (dss2->all->certs->len, ==, 3);
          g_assert_cmpuint (dss2->all->ocsps->len, ==, 1);
          g_assert_nonnull (g_hash_table_lookup (dss2->vri, key));
        }
      }
    }
}

static void
test_dss_absent (void)
{
  g_autofree char *in = teken_test_corpus_path ("laporan-cairo.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (in, &error);
  g_autoptr(TekenDss) dss = teken_dss_read (doc, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (dss->all->certs->len, ==, 0);
  g_assert_cmpuint (g_hash_table_size (dss->vri), ==, 0);
}

static void
test_document_timestamp (void)
{
  g_autofree char *url = ltv_peers_url (peers, "/tsa");
  g_autoptr(TekenTsaClient) tsa = teken_tsa_client_new (url, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      g_autofree char *in = teken_test_corpus_path (corpus[i]);
      g_autofree char *out = g_strdup_printf ("%s/ts-%s", work, corpus[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (in, &error);
      g_autofree char *pdfsig = NULL;
      g_autoptr(GPtrArray) sigs = NULL;
      g_autoptr(TekenPdfDocument) d = NULL;
      guint valid = 0, trusted = 0, n;

      g_test_message ("%s", corpus[i]);
      g_assert_no_error (error);
      g_assert_true (teken_timestamp_document (doc, out, tsa, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (teken_test_file_has_prefix (out, in));
      g_assert_true (teken_test_qpdf_check (out, NULL));

      /* pdfsig 22.12 lists document time stamps but cannot validate them. */
      n = teken_test_pdfsig_check (out, &valid, &trusted, &pdfsig);
      g_assert_cmpuint (n, >=, 1);
      g_assert_nonnull (strstr (pdfsig, "Teken Test TSA"));
      g_assert_nonnull (strstr (pdfsig, "Total document signed"));

      d = teken_pdf_document_new_for_path (out, &error);
      g_assert_no_error (error);
      sigs = teken_ltv_find_signatures (d, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sigs->len, ==, 1);
      g_assert_true (((TekenLtvSignature *) sigs->pdata[0])->is_document_timestamp);
    }
}

static void
test_document_timestamp_tsa_down (void)
{
  g_autofree char *url = ltv_peers_refused_url ();
  g_autoptr(TekenTsaClient) tsa = teken_tsa_client_new (url, NULL);
  g_autofree char *in = teken_test_corpus_path ("laporan-cairo.pdf");
  g_autofree char *out = g_build_filename (work, "down.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (in, &error);

  g_assert_false (teken_timestamp_document (doc, out, tsa, NULL, &error));
  g_assert_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_REFUSED);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  teken_core_init ();
  peers = ltv_peers_start ();
  work = teken_test_make_tmp_dir ();

  g_test_add_func ("/ltv/dss/roundtrip", test_dss_roundtrip);
  g_test_add_func ("/ltv/dss/absent", test_dss_absent);
  g_test_add_func ("/ltv/doc-timestamp/corpus", test_document_timestamp);
  g_test_add_func ("/ltv/doc-timestamp/tsa-down", test_document_timestamp_tsa_down);

  ret = g_test_run ();
  ltv_peers_stop (peers);
  return ret;
}
