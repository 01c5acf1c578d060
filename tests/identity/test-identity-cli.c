/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `teken-cli certs` and `teken-cli sign --identity` against a real gnome-keyring and softhsm2
 * (prepared by run-session.sh); signed PDFs are checked with pdfsig. Every command runs with
 * G_MESSAGES_DEBUG=all and its output is kept: the last test checks that neither the passphrase
 * nor the PIN ever appears in it.
 */
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "teken-test-utils.h"

static GString *all_output;
static char *tmp;
static char *passphrase_file;
static char *pin_file;
static char *wrong_pin_file;
static char *keyring_id;          /* individu-rsa2048, imported by the first test */

#define PASSPHRASE "Rahasia-Uji-123"
#define WRONG_PIN "Salah-Pin-0000"

/* Runs teken-cli with the arguments (NULL-terminated) and stdin; returns the exit status. */
static int
cli (const char  *stdin_data,
     char       **out,
     char       **err,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *o = NULL;
  g_autofree char *e = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  int status = -1;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) teken_test_cli_path ());
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_assert_true (teken_test_run_with_stdin ((const char * const *) argv->pdata, stdin_data, &o, &e, &status, &error));
  g_assert_no_error (error);
  g_string_append_printf (all_output, "%s\n%s\n", o, e);
  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);
  return status;
}

static char *
write_tmp (const char *name,
           const char *contents)
{
  char *path = g_build_filename (tmp, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static JsonArray *
list_json (JsonParser *parser)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cli (NULL, &out, NULL, "certs", "list", "--json", NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

static JsonObject *
find_entry (JsonArray  *array,
            const char *id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (o, "id"), id) == 0)
        return o;
    }
  return NULL;
}

static void
assert_pdf_valid (const char *path)
{
  g_autofree char *out = NULL;
  guint valid = 0, trusted = 0;
  guint n = teken_test_pdfsig_check (path, &valid, &trusted, &out);

  if (n != 1 || valid != 1 || trusted != 1)
    g_test_message ("pdfsig: %s", out);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (valid, ==, 1);
  g_assert_cmpuint (trusted, ==, 1);
}

static void
test_import (void)
{
  g_autofree char *p12 = teken_test_pki_path ("individu-rsa2048.p12");
  g_autofree char *nokey = teken_test_pki_path ("nokey.p12");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (cli (NULL, &out, &err, "certs", "import", p12, "--passphrase-file", passphrase_file, NULL), ==, 0);
  g_strstrip (out);
  g_assert_true (g_str_has_prefix (out, "keyring:"));
  g_assert_cmpuint (strlen (out), ==, strlen ("keyring:") + 64);
  keyring_id = g_strdup (out);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Again: a duplicate. */
  g_assert_cmpint (cli (NULL, NULL, &err, "certs", "import", p12, "--passphrase-file", passphrase_file, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already in the keyring"));
  g_clear_pointer (&err, g_free);

  /* No private key. */
  g_assert_cmpint (cli (NULL, NULL, &err, "certs", "import", nokey, "--passphrase-file", passphrase_file, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "no private key"));
  g_clear_pointer (&err, g_free);

  /* Wrong passphrase, given on standard input. */
  g_clear_pointer (&p12, g_free);
  p12 = teken_test_pki_path ("jabatan-p256.p12");
  g_assert_cmpint (cli ("salah\n", NULL, &err, "certs", "import", p12, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "passphrase is wrong"));
}

static void
test_list_json (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array = list_json (parser);
  guint tokens = 0;
  JsonObject *entry;

  g_assert_nonnull (keyring_id);
  entry = find_entry (array, keyring_id);
  g_assert_nonnull (entry);
  g_assert_cmpstr (json_object_get_string_member (entry, "kind"), ==, "keyring");
  g_assert_cmpstr (json_object_get_string_member (entry, "label"), ==, "Budi Santoso");
  g_assert_cmpint (json_object_get_int_member (entry, "chain_length"), ==, 2);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      /* Every identity carries its days to expiry (the test certificates run two years). */
      g_assert_true (json_object_has_member (o, "days_to_expiry"));
      if (g_str_equal (json_object_get_string_member (o, "kind"), "token") &&
          g_strcmp0 (json_object_get_string_member (o, "token"), "teken-test") == 0)
        {
          tokens++;
          g_assert_cmpstr (json_object_get_string_member (o, "secret"), ==, "pin");
          g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "id"), "pkcs11:"));
        }
    }
  g_assert_cmpuint (tokens, ==, 2);
}

static void
test_sign_keyring (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *pdf = g_build_filename (tmp, "keyring-signed.pdf", NULL);
  g_autofree char *bad = g_build_filename (tmp, "keyring-bad.pdf", NULL);
  g_autofree char *err = NULL;

  g_assert_nonnull (keyring_id);
  g_assert_cmpint (cli (NULL, NULL, NULL, "sign", "--identity", keyring_id, "--passphrase-file", passphrase_file,
                        "-o", pdf, in, NULL), ==, 0);
  assert_pdf_valid (pdf);

  /* Wrong passphrase on standard input: refused, nothing written. */
  g_assert_cmpint (cli ("salah\n", NULL, &err, "sign", "--identity", keyring_id, "-o", bad, in, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "passphrase is wrong"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

static void
test_sign_token (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  const char *uris[] = { "pkcs11:token=teken-test;id=%01", "pkcs11:token=teken-test;id=%02" };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autofree char *name = g_strdup_printf ("token-signed-%u.pdf", i);
      g_autofree char *pdf = g_build_filename (tmp, name, NULL);

      g_assert_cmpint (cli (NULL, NULL, NULL, "sign", "--identity", uris[i], "--pin-file", pin_file,
                            "-o", pdf, in, NULL), ==, 0);
      assert_pdf_valid (pdf);
    }
}

static void
test_wrong_pin (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *bad = g_build_filename (tmp, "wrong-pin.pdf", NULL);
  g_autofree char *good = g_build_filename (tmp, "after-wrong-pin.pdf", NULL);
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array, *state = NULL;

  g_assert_cmpint (cli (NULL, NULL, &err, "sign", "--identity", "pkcs11:token=teken-test;id=%01",
                        "--pin-file", wrong_pin_file, "-o", bad, in, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "PIN is wrong"));
  /* softhsm2 raises CKF_USER_PIN_COUNT_LOW after a failure; the message passes it on. */
  g_assert_nonnull (strstr (err, "failed attempts"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  /* The token's PIN state, as reported before the next attempt. */
  array = list_json (parser);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (o, "token"), "teken-test") == 0)
        state = json_object_get_array_member (o, "pin_state");
    }
  g_assert_nonnull (state);
  g_assert_cmpuint (json_array_get_length (state), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (state, 0), ==, "count-low");
  g_assert_cmpint (cli (NULL, &out, NULL, "certs", "show", "pkcs11:token=teken-test;id=%01", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "earlier attempts failed"));

  g_assert_cmpint (cli (NULL, NULL, NULL, "sign", "--identity", "pkcs11:token=teken-test;id=%01",
                        "--pin-file", pin_file, "-o", good, in, NULL), ==, 0);
  assert_pdf_valid (good);
}

/* certs change-pin: PINs from files only; wrong old PIN and a too-short new PIN are refused;
 * after the change the token signs with the new PIN only. The PIN is put back. */
static void
test_change_pin (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *new_pin_file = write_tmp ("new-pin", "Pin-Cli-Baru-3391\n");
  g_autofree char *short_pin_file = write_tmp ("short-pin", "12\n");
  g_autofree char *old_fails = g_build_filename (tmp, "change-pin-old.pdf", NULL);
  g_autofree char *new_works = g_build_filename (tmp, "change-pin-new.pdf", NULL);
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *out = NULL;
  const char *uri = "pkcs11:token=teken-test;id=%01";

  g_assert_cmpint (cli (NULL, NULL, &err, "certs", "change-pin", uri, "--pin-file", wrong_pin_file,
                        "--new-pin-file", new_pin_file, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "current PIN is wrong"));
  g_assert_cmpint (cli (NULL, NULL, &err2, "certs", "change-pin", uri, "--pin-file", pin_file,
                        "--new-pin-file", short_pin_file, NULL), ==, 1);
  g_assert_nonnull (strstr (err2, "4 to 255"));

  g_assert_cmpint (cli (NULL, &out, NULL, "certs", "change-pin", uri, "--pin-file", pin_file,
                        "--new-pin-file", new_pin_file, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "was changed"));
  g_assert_cmpint (cli (NULL, NULL, NULL, "sign", "--identity", uri, "--pin-file", pin_file,
                        "-o", old_fails, in, NULL), ==, 1);
  g_assert_false (g_file_test (old_fails, G_FILE_TEST_EXISTS));
  g_assert_cmpint (cli (NULL, NULL, NULL, "sign", "--identity", uri, "--pin-file", new_pin_file,
                        "-o", new_works, in, NULL), ==, 0);
  assert_pdf_valid (new_works);

  g_assert_cmpint (cli (NULL, NULL, NULL, "certs", "change-pin", uri, "--pin-file", new_pin_file,
                        "--new-pin-file", pin_file, NULL), ==, 0);
}

static void
test_export (void)
{
  g_autofree char *pem = g_build_filename (tmp, "export.pem", NULL);
  g_autofree char *der = g_build_filename (tmp, "export.der", NULL);
  g_autofree char *ref_der = g_build_filename (tmp, "reference.der", NULL);
  g_autofree char *crt = teken_test_pki_path ("individu-rsa2048.crt");
  g_autofree char *pem_hash = NULL, *crt_hash = NULL, *der_hash = NULL, *ref_hash = NULL;
  g_autofree char *contents = NULL;
  const char *openssl[] = { "openssl", "x509", "-in", crt, "-outform", "DER", "-out", ref_der, NULL };
  int status = -1;

  g_assert_cmpint (cli (NULL, NULL, NULL, "certs", "export", keyring_id, "-o", pem, NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, NULL, "certs", "export", keyring_id, "-o", der, "--der", NULL), ==, 0);
  g_assert_true (teken_test_run (openssl, NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);

  pem_hash = teken_test_file_sha256 (pem);
  crt_hash = teken_test_file_sha256 (crt);
  der_hash = teken_test_file_sha256 (der);
  ref_hash = teken_test_file_sha256 (ref_der);
  g_assert_cmpstr (pem_hash, ==, crt_hash);
  g_assert_cmpstr (der_hash, ==, ref_hash);
  g_assert_true (g_file_get_contents (pem, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "PRIVATE"));
}

static void
test_expiring (void)
{
  g_autofree char *p12 = teken_test_pki_path ("expiring.p12");
  g_autofree char *id = NULL;
  g_autofree char *out30 = NULL;
  g_autofree char *out5 = NULL;
  g_autofree char *outdefault = NULL;

  g_assert_cmpint (cli (NULL, &id, NULL, "certs", "import", p12, "--passphrase-file", passphrase_file, NULL), ==, 0);
  g_strstrip (id);
  g_assert_cmpint (cli (NULL, &out30, NULL, "certs", "expiring", "--days", "30", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, &out5, NULL, "certs", "expiring", "--days", "5", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, &outdefault, NULL, "certs", "expiring", NULL), ==, 0);
  g_assert_nonnull (strstr (out30, id));
  g_assert_nonnull (strstr (outdefault, id));
  g_assert_null (strstr (out5, id));
  /* The two-year certificate is not expiring. */
  g_assert_null (strstr (out30, keyring_id));
}

static void
test_remove (void)
{
  g_autofree char *p12 = teken_test_pki_path ("sistem-p256.p12");
  g_autofree char *id = NULL;
  g_autofree char *list = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (cli (NULL, &id, NULL, "certs", "import", p12, "--passphrase-file", passphrase_file, NULL), ==, 0);
  g_strstrip (id);
  g_assert_cmpint (cli (NULL, NULL, NULL, "certs", "remove", id, NULL), ==, 0);
  g_assert_cmpint (cli (NULL, &list, NULL, "certs", "list", NULL), ==, 0);
  g_assert_null (strstr (list, id));
  g_assert_cmpint (cli (NULL, NULL, &err, "certs", "remove", id, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "No identity"));
}

static void
test_add_module (void)
{
  g_autofree char *err = NULL;
  g_autofree char *conf = g_build_filename (g_get_user_config_dir (), "teken", "modules.conf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *module = g_getenv ("TEKEN_TEST_SOFTHSM_MODULE");
  JsonArray *array;
  guint tokens = 0;

  g_assert_cmpint (cli (NULL, NULL, &err, "certs", "add-module", "/nonexistent/libnothing.so", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "could not be loaded"));
  g_assert_cmpint (cli (NULL, NULL, NULL, "certs", "add-module", module, NULL), ==, 0);
  g_assert_true (g_file_get_contents (conf, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "softhsm2.so"));
  /* softhsm2 is also registered with p11-kit: its tokens are still listed once. */
  array = list_json (parser);
  for (guint i = 0; i < json_array_get_length (array); i++)
    tokens += g_str_equal (json_object_get_string_member (json_array_get_object_element (array, i), "kind"), "token");
  g_assert_cmpuint (tokens, ==, 3);
}

/* Near the end: a locked keyring cannot be unlocked again without a prompter. */
static void
test_keyring_locked (void)
{
  g_autofree char *in = teken_test_corpus_path ("naskah-dinas-libreoffice.pdf");
  g_autofree char *pdf = g_build_filename (tmp, "locked.pdf", NULL);
  g_autofree char *p12 = teken_test_pki_path ("jabatan-p256.p12");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) login = NULL;
  g_autoptr(GError) error = NULL;
  GList *objects;

  /* (secret-tool lock crashes in libsecret 0.20.5, hence the API.) */
  service = secret_service_open_sync (SECRET_TYPE_SERVICE, NULL, SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  login = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  objects = g_list_append (NULL, login);
  g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_list_free (objects);

  /* Listing warns and still shows everything (certificates are public, tokens unaffected). */
  g_assert_cmpint (cli (NULL, &out, &err, "certs", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (err, "keyring is locked"));
  g_assert_nonnull (strstr (out, keyring_id));
  g_assert_nonnull (strstr (out, "token=teken-test"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Signing and importing fail at once with a clear message (no prompt, no hang). */
  g_assert_cmpint (cli (NULL, NULL, &err, "sign", "--identity", keyring_id, "--passphrase-file", passphrase_file,
                        "-o", pdf, in, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "keyring is locked"));
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, NULL, &err, "certs", "import", p12, "--passphrase-file", passphrase_file, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "keyring is locked"));
}

/* Last: everything above ran with G_MESSAGES_DEBUG=all. */
static void
test_no_secrets_in_output (void)
{
  g_assert_cmpuint (all_output->len, >, 0);
  /* Debug output really was on (GLib's own debug lines appear), so the check below means something. */
  g_assert_nonnull (strstr (all_output->str, "DEBUG"));
  g_assert_null (strstr (all_output->str, PASSPHRASE));
  g_assert_null (strstr (all_output->str, g_getenv ("TEKEN_TEST_TOKEN_PIN")));
  g_assert_null (strstr (all_output->str, WRONG_PIN));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* For the teken-cli children; this process's own debug lines must stay off stdout (TAP). */
  g_log_writer_default_set_use_stderr (TRUE);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_assert_nonnull (g_getenv ("TEKEN_TEST_TOKEN_PIN"));

  all_output = g_string_new (NULL);
  tmp = teken_test_make_tmp_dir ();
  passphrase_file = write_tmp ("passphrase", PASSPHRASE "\n");
  pin_file = write_tmp ("pin", g_getenv ("TEKEN_TEST_TOKEN_PIN"));
  wrong_pin_file = write_tmp ("wrong-pin", WRONG_PIN "\n");

  g_test_add_func ("/identity-cli/import", test_import);
  g_test_add_func ("/identity-cli/list-json", test_list_json);
  g_test_add_func ("/identity-cli/sign-keyring", test_sign_keyring);
  g_test_add_func ("/identity-cli/sign-token", test_sign_token);
  g_test_add_func ("/identity-cli/wrong-pin", test_wrong_pin);
  g_test_add_func ("/identity-cli/change-pin", test_change_pin);
  g_test_add_func ("/identity-cli/export", test_export);
  g_test_add_func ("/identity-cli/expiring", test_expiring);
  g_test_add_func ("/identity-cli/remove", test_remove);
  g_test_add_func ("/identity-cli/add-module", test_add_module);
  g_test_add_func ("/identity-cli/keyring-locked", test_keyring_locked);
  g_test_add_func ("/identity-cli/no-secrets-in-output", test_no_secrets_in_output);

  return g_test_run ();
}
