/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The [timestamp] settings file and TSA credentials in the keyring (libsecret's file backend, so
 * no D-Bus is needed), sent to a TSA behind HTTP basic authentication on 127.0.0.1.
 */
#include <glib/gstdio.h>

#include "teken-core.h"
#include "teken-ltv-settings.h"
#include "teken-test-utils.h"
#include "ltv-peers.h"

static LtvPeers *peers;
static char *dir;

static void
test_defaults (void)
{
  g_autofree char *path = g_build_filename (dir, "missing.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenLtvSettings) s = teken_ltv_settings_load (path, &error);

  g_assert_no_error (error);
  g_assert_null (s->tsa_url);
  g_assert_cmpint (s->level, ==, TEKEN_PADES_LEVEL_B_B);
  g_assert_cmpint (s->auth, ==, TEKEN_TSA_AUTH_NONE);
  g_assert_cmpuint (s->timeout, ==, TEKEN_HTTP_DEFAULT_TIMEOUT);
}

static void
test_load_save (void)
{
  g_autofree char *path = g_build_filename (dir, "a", "teken.conf", NULL);
  g_autofree char *sub = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenLtvSettings) s = NULL;
  g_autoptr(TekenLtvSettings) again = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "# mine\n[app]\nkeep=1\n[timestamp]\nurl=http://127.0.0.1:9/tsa\n"
                                      "level=b-lta\ntimeout=7\nauth=basic\nusername=u\n", -1, NULL));
  s = teken_ltv_settings_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->tsa_url, ==, "http://127.0.0.1:9/tsa");
  g_assert_cmpint (s->level, ==, TEKEN_PADES_LEVEL_B_LTA);
  g_assert_cmpuint (s->timeout, ==, 7);
  g_assert_cmpint (s->auth, ==, TEKEN_TSA_AUTH_BASIC);
  g_assert_cmpstr (s->username, ==, "u");

  s->level = TEKEN_PADES_LEVEL_B_LT;
  g_assert_true (teken_ltv_settings_save (s, path, &error));
  g_assert_no_error (error);
  again = teken_ltv_settings_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->level, ==, TEKEN_PADES_LEVEL_B_LT);
  g_assert_cmpstr (again->tsa_url, ==, s->tsa_url);
  /* Other groups survive. */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "keep=1"));
}

static void
test_invalid (void)
{
  const char *bad[] = {
    "[timestamp]\nlevel=B-X\n",
    "[timestamp]\ntimeout=0\n",
    "[timestamp]\nauth=kerberos\n",
    "[timestamp]\nauth=basic\n",        /* no username */
    "not a key file",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_build_filename (dir, "bad.conf", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(TekenLtvSettings) s = NULL;

      g_assert_true (g_file_set_contents (path, bad[i], -1, NULL));
      s = teken_ltv_settings_load (path, &error);
      g_assert_null (s);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
    }
}

static void
test_levels (void)
{
  TekenPadesLevel level;

  g_assert_true (teken_pades_level_from_string ("B-LT", &level));
  g_assert_cmpint (level, ==, TEKEN_PADES_LEVEL_B_LT);
  g_assert_true (teken_pades_level_from_string ("b_t", &level));
  g_assert_cmpint (level, ==, TEKEN_PADES_LEVEL_B_T);
  g_assert_true (teken_pades_level_from_string ("LTA", &level));
  g_assert_cmpint (level, ==, TEKEN_PADES_LEVEL_B_LTA);
  g_assert_false (teken_pades_level_from_string ("C", &level));
  g_assert_cmpstr (teken_pades_level_to_string (TEKEN_PADES_LEVEL_B_B), ==, "B-B");
}

static void
test_keyring_credentials (void)
{
  g_autofree char *url = ltv_peers_url (peers, "/tsa-auth");
  g_autoptr(TekenLtvSettings) s = g_new0 (TekenLtvSettings, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenTsaClient) client = NULL;
  g_autoptr(GBytes) token = NULL;
  g_autoptr(TekenSecret) back = NULL;

  s->tsa_url = g_strdup (url);
  s->timeout = 5;
  s->auth = TEKEN_TSA_AUTH_BASIC;
  s->username = g_strdup ("tsa-user");

  /* No password stored yet: a clear error before any request. */
  client = teken_ltv_settings_create_tsa_client (s, NULL, NULL, &error);
  g_assert_null (client);
  g_assert_error (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "--store-credentials"));
  g_clear_error (&error);

  g_assert_true (teken_tsa_secret_store (url, "rahasia", NULL, &error));
  g_assert_no_error (error);
  back = teken_tsa_secret_lookup (url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back, ==, "rahasia");

  client = teken_ltv_settings_create_tsa_client (s, NULL, NULL, &error);
  g_assert_no_error (error);
  token = teken_tsa_client_stamp_sync (client, (const guint8 *) "x", 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_clear_object (&client);

  /* Another address (e.g. --tsa): the configured server's credentials are not sent. */
  {
    g_autofree char *other = g_strconcat (url, "?other", NULL);
    g_autoptr(GBytes) t2 = NULL;

    client = teken_ltv_settings_create_tsa_client (s, other, NULL, &error);
    g_assert_no_error (error);
    t2 = teken_tsa_client_stamp_sync (client, (const guint8 *) "x", 1, NULL, &error);
    g_assert_null (t2);
    g_assert_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_HTTP_STATUS);
    g_assert_nonnull (strstr (error->message, "401"));
    g_clear_error (&error);
  }

  /* The secret is not in the settings file. */
  {
    g_autofree char *path = g_build_filename (dir, "saved.conf", NULL);
    g_autofree char *text = NULL;

    g_assert_true (teken_ltv_settings_save (s, path, &error));
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_assert_null (strstr (text, "rahasia"));
  }
  g_assert_true (teken_tsa_secret_clear (url, NULL, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *keyring = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  dir = teken_test_make_tmp_dir ();
  keyring = g_build_filename (dir, "keyring", NULL);
  /* libsecret's file backend: no D-Bus, no user keyring touched. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  teken_core_init ();
  peers = ltv_peers_start ();

  g_test_add_func ("/ltv/settings/defaults", test_defaults);
  g_test_add_func ("/ltv/settings/load-save", test_load_save);
  g_test_add_func ("/ltv/settings/invalid", test_invalid);
  g_test_add_func ("/ltv/settings/levels", test_levels);
  g_test_add_func ("/ltv/settings/keyring-credentials", test_keyring_credentials);

  ret = g_test_run ();
  ltv_peers_stop (peers);
  return ret;
}
