/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * teken-cli timestamp [--tsa URL] -o OUT IN     add a document time stamp (archive renewal)
 * teken-cli timestamp --store-credentials [--tsa URL]   keep the TSA password in the keyring
 */
#include "teken-cli-private.h"

#include "teken-ltv.h"
#include "teken-ltv-settings.h"

static int
store_credentials (const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenLtvSettings) settings = teken_ltv_settings_load (NULL, &error);
  g_autoptr(TekenSecret) secret = NULL;

  if (settings == NULL)
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  if (url == NULL)
    url = settings->tsa_url;
  if (url == NULL)
    {
      teken_cli_print_errorf ("%s", _("No time-stamp server is configured; give one with --tsa or in the settings"));
      return TEKEN_CLI_EXIT_USAGE;
    }
  /* From a file descriptor or the terminal, never from the command line. */
  secret = teken_cli_read_secret (NULL, _("Password (or header value) for the time-stamp server: "), &error);
  if (secret == NULL || !teken_tsa_secret_store (url, secret, NULL, &error))
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  return TEKEN_CLI_EXIT_OK;
}

int
teken_cli_timestamp (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenLtvSettings) settings = NULL;
  g_autoptr(TekenTsaClient) tsa = NULL;
  g_autoptr(TekenLtv) ltv = NULL;
  g_autofree char *output = NULL;
  g_autofree char *url = NULL;
  g_auto(GStrv) inputs = NULL;
  gboolean store = FALSE;
  const GOptionEntry entries[] = {
    { "tsa", 0, 0, G_OPTION_ARG_STRING, &url, N_("Time-stamp server address (default from the settings)"), N_("URL") },
    { "store-credentials", 0, 0, G_OPTION_ARG_NONE, &store,
      N_("Read the time-stamp server’s password from standard input or the terminal and keep it in the keyring"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the time-stamped PDF to OUT"), N_("OUT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_("IN") },
    { NULL }
  };

  context = g_option_context_new (_("-o OUT IN — add a document time stamp"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!teken_cli_parse (context, &argc, &argv))
    return TEKEN_CLI_EXIT_USAGE;
  if (store)
    return store_credentials (url);
  if (output == NULL || inputs == NULL || g_strv_length (inputs) != 1)
    {
      teken_cli_print_errorf ("%s", _("Give exactly one PDF and the result file with -o OUT"));
      return TEKEN_CLI_EXIT_USAGE;
    }

  settings = teken_ltv_settings_load (NULL, &error);
  if (settings != NULL)
    tsa = teken_ltv_settings_create_tsa_client (settings, url, NULL, &error);
  if (tsa != NULL)
    {
      ltv = teken_ltv_new ();
      teken_ltv_set_tsa (ltv, tsa);
    }
  if (ltv == NULL || !teken_ltv_timestamp_document (ltv, inputs[0], output, NULL, &error))
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  g_print ("%s\n", output);
  return TEKEN_CLI_EXIT_OK;
}
