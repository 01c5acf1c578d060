/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checks the generated test PKI (tests/common/make-test-pki.sh) with openssl and the NSS tools,
 * so that a broken PKI shows up here and not as puzzling failures in other suites.
 */
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "teken-test-utils.h"

static const char *signers[] = {
  "individu-rsa2048", "individu-rsa4096", "individu-p256", "individu-p384", "individu-rsapss",
  "individu-ed25519", "jabatan-rsa2048", "jabatan-p256", "sistem-rsa2048", "sistem-p256",
  "expired", "notyet", "wrongku", "expiring", "untrusted",
};

/* Runs argv; returns its exit status and keeps stdout+stderr for messages. */
static int
run (const char * const *argv,
     char              **output)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  if (!teken_test_run (argv, &out, &err, &status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  if (output != NULL)
    *output = g_strconcat (out, err, NULL);
  return status;
}

static void
assert_file (const char *name)
{
  g_autofree char *path = teken_test_pki_path (name);
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    g_error ("missing PKI file %s", path);
  if (S_ISREG (st.st_mode) && st.st_size == 0)
    g_error ("empty PKI file %s", path);
}

static void
test_files (void)
{
  static const char *fixed[] = {
    ".complete", "passphrase.txt", "root.crt", "root.key", "ca.crt", "ca.key", "other-root.crt",
    "other-root.key", "nokey.p12", "legacy-rc2.p12", "nochain.p12", "tsa.crt", "tsa.key", "ocsp.crt",
    "ocsp.key", "nssdb", "nssdb/cert9.db", "nssdb/key4.db", "nss-signer", "nss-signer/cert9.db",
    "nss-signer/nicks.txt", "home/.pki/nssdb/cert9.db",
  };
  g_autofree char *pass_path = teken_test_pki_path ("passphrase.txt");
  g_autofree char *pass = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    assert_file (fixed[i]);
  for (guint i = 0; i < G_N_ELEMENTS (signers); i++)
    {
      const char *suffixes[] = { ".crt", ".key", ".p12", "-chain.pem" };

      for (guint j = 0; j < G_N_ELEMENTS (suffixes); j++)
        {
          g_autofree char *name = g_strconcat (signers[i], suffixes[j], NULL);
          assert_file (name);
        }
    }
  g_assert_true (g_file_get_contents (pass_path, &pass, NULL, NULL));
  g_assert_cmpstr (pass, ==, "Rahasia-Uji-123\n");
}

static int
verify_cert (const char *name,
             const char *root,
             char      **output)
{
  g_autofree char *root_path = teken_test_pki_path (root);
  g_autofree char *ca = teken_test_pki_path ("ca.crt");
  g_autofree char *crt = g_strconcat (teken_test_pki_dir (), "/", name, ".crt", NULL);
  const char *argv[] = { "openssl", "verify", "-CAfile", root_path, "-untrusted", ca, crt, NULL };

  return run (argv, output);
}

static void
test_chains (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (signers); i++)
    {
      g_autofree char *out = NULL;
      const char *name = signers[i];
      gboolean bad = g_str_equal (name, "expired") || g_str_equal (name, "notyet") ||
                     g_str_equal (name, "untrusted");
      int status = verify_cert (name, "root.crt", &out);

      g_test_message ("%s: exit %d: %s", name, status, out);
      if (bad)
        g_assert_cmpint (status, !=, 0);
      else
        g_assert_cmpint (status, ==, 0);
    }

  /* The failures are for the stated reasons, not broken files. */
  {
    g_autofree char *out = NULL;

    g_assert_cmpint (verify_cert ("expired", "root.crt", &out), !=, 0);
    g_assert_nonnull (strstr (out, "certificate has expired"));
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (verify_cert ("notyet", "root.crt", &out), !=, 0);
    g_assert_nonnull (strstr (out, "certificate is not yet valid"));
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (verify_cert ("untrusted", "other-root.crt", &out), ==, 0);
  }

  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "tsa" : "ocsp";
      g_autofree char *out = NULL;

      g_assert_cmpint (verify_cert (name, "root.crt", &out), ==, 0);
    }
}

static char *
cert_text (const char *name)
{
  g_autofree char *crt = g_strconcat (teken_test_pki_dir (), "/", name, ".crt", NULL);
  const char *argv[] = { "openssl", "x509", "-in", crt, "-noout", "-text", "-nameopt", "RFC2253", NULL };
  char *out = NULL;

  g_assert_cmpint (run (argv, &out), ==, 0);
  return out;
}

static void
test_contents (void)
{
  struct { const char *name, *expect[3]; } cases[] = {
    { "individu-rsa2048", { "CN=Budi Santoso,O=Pemerintah Kabupaten Contoh,C=ID", "_Tanda Tangan Elektronik",
                            "Public-Key: (2048 bit)" } },
    { "individu-rsa4096", { "Public-Key: (4096 bit)", NULL } },
    { "individu-p256", { "NIST CURVE: P-256", NULL } },
    { "individu-p384", { "NIST CURVE: P-384", NULL } },
    { "individu-rsapss", { "rsassaPss", NULL } },
    { "individu-ed25519", { "ED25519", NULL } },
    { "jabatan-rsa2048", { "CN=Bupati Contoh,title=Bupati,OU=Sekretariat Daerah,O=Pemerintah Kabupaten Contoh,C=ID",
                           "_Tanda Tangan Jabatan", NULL } },
    { "sistem-p256", { "_Sistem Elektronik", "DNS:sipd.contoh.go.id", NULL } },
    { "wrongku", { "Key Encipherment", NULL } },
    { "tsa", { "Time Stamping", NULL } },
    { "ocsp", { "OCSP Signing", NULL } },
    { "ca", { "CA:TRUE, pathlen:0", "CN=Teken Test Root CA,O=Kementerian Uji,C=ID", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cert_text (cases[i].name);

      for (guint j = 0; j < 3 && cases[i].expect[j] != NULL; j++)
        if (strstr (text, cases[i].expect[j]) == NULL)
          g_error ("%s.crt lacks “%s”:\n%s", cases[i].name, cases[i].expect[j], text);
    }

  /* Signers carry the Adobe PDF-signing EKU and non-repudiation like BSrE's certificates. */
  {
    g_autofree char *text = cert_text ("individu-p256");

    g_assert_nonnull (strstr (text, "1.2.840.113583.1.1.5"));
    g_assert_nonnull (strstr (text, "Non Repudiation"));
  }

  /* expiring: still valid in 9 days, no longer in 11. */
  {
    g_autofree char *crt = teken_test_pki_path ("expiring.crt");
    const char *in9[] = { "openssl", "x509", "-in", crt, "-noout", "-checkend", "777600", NULL };
    const char *in11[] = { "openssl", "x509", "-in", crt, "-noout", "-checkend", "950400", NULL };

    g_assert_cmpint (run (in9, NULL), ==, 0);
    g_assert_cmpint (run (in11, NULL), !=, 0);
  }
}

static int
open_p12 (const char *name,
          const char *pass_arg,
          const char *extra,
          char      **output)
{
  g_autofree char *p12 = teken_test_pki_path (name);
  const char *argv[] = { "openssl", "pkcs12", "-in", p12, "-passin", pass_arg, "-nodes",
                         extra, NULL, NULL };

  return run (argv, output);
}

static void
test_p12 (void)
{
  g_autofree char *pass_path = teken_test_pki_path ("passphrase.txt");
  g_autofree char *pass_arg = g_strconcat ("file:", pass_path, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (signers); i++)
    {
      g_autofree char *name = g_strconcat (signers[i], ".p12", NULL);
      g_autofree char *out = NULL;

      g_assert_cmpint (open_p12 (name, pass_arg, NULL, &out), ==, 0);
      g_assert_nonnull (strstr (out, "PRIVATE KEY"));
      g_clear_pointer (&out, g_free);
      /* A wrong passphrase must fail, so the check above means something. */
      g_assert_cmpint (open_p12 (name, "pass:salah", NULL, &out), !=, 0);
    }

  {
    g_autofree char *out = NULL;

    /* nokey: certificates only. */
    g_assert_cmpint (open_p12 ("nokey.p12", pass_arg, NULL, &out), ==, 0);
    g_assert_null (strstr (out, "PRIVATE KEY"));
    g_assert_nonnull (strstr (out, "CERTIFICATE"));
    g_clear_pointer (&out, g_free);

    /* nochain: key + leaf only. */
    g_assert_cmpint (open_p12 ("nochain.p12", pass_arg, "-cacerts", &out), ==, 0);
    g_assert_null (strstr (out, "CERTIFICATE"));
    g_clear_pointer (&out, g_free);

    /* legacy-rc2: OpenSSL 3 needs the legacy provider. */
    g_assert_cmpint (open_p12 ("legacy-rc2.p12", pass_arg, NULL, &out), !=, 0);
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (open_p12 ("legacy-rc2.p12", pass_arg, "-legacy", &out), ==, 0);
    g_assert_nonnull (strstr (out, "PRIVATE KEY"));
  }
}

static void
test_nss (void)
{
  g_autofree char *nssdb = g_strdup_printf ("sql:%s/nssdb", teken_test_pki_dir ());
  g_autofree char *signer_db = g_strdup_printf ("sql:%s/nss-signer", teken_test_pki_dir ());
  g_autofree char *nicks_path = teken_test_pki_path ("nss-signer/nicks.txt");
  g_autofree char *nicks = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  const char *list[] = { "certutil", "-L", "-d", nssdb, NULL };

  g_assert_cmpint (run (list, &out), ==, 0);
  g_assert_true (g_regex_match_simple ("Teken Test Root CA\\s+CT,C,C", out, 0, 0));
  g_assert_nonnull (strstr (out, "Teken Test BSrE CA DS G1"));

  g_assert_true (g_file_get_contents (nicks_path, &nicks, NULL, NULL));
  lines = g_strsplit (g_strstrip (nicks), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* Each nickname has a private key and validates for signing against the trusted root. */
      const char *verify[] = { "certutil", "-V", "-d", signer_db, "-n", lines[i], "-u", "S", NULL };
      const char *keys[] = { "certutil", "-K", "-d", signer_db, NULL };
      g_autofree char *vout = NULL;
      g_autofree char *kout = NULL;

      g_assert_cmpint (run (verify, &vout), ==, 0);
      g_assert_nonnull (strstr (vout, "certificate is valid"));
      g_assert_cmpint (run (keys, &kout), ==, 0);
      g_assert_nonnull (strstr (kout, lines[i]));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pki/files", test_files);
  g_test_add_func ("/pki/chains", test_chains);
  g_test_add_func ("/pki/contents", test_contents);
  g_test_add_func ("/pki/p12", test_p12);
  g_test_add_func ("/pki/nss", test_nss);
  return g_test_run ();
}
