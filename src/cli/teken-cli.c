/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-cli-private.h"

#include <locale.h>

#include "teken-core.h"

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
#ifdef TEKEN_CLI_HAVE_SIGN
  { "sign", teken_cli_sign, N_("Sign a PDF (PAdES)") },
#endif
#ifdef TEKEN_CLI_HAVE_VERIFY
  { "verify", teken_cli_verify, N_("Verify every signature in PDFs") },
#endif
#ifdef TEKEN_CLI_HAVE_CERTS
  { "certs", teken_cli_certs, N_("List, import, show, export and remove signing identities") },
#endif
#ifdef TEKEN_CLI_HAVE_LTV
  { "ltv", teken_cli_ltv, N_("Add or refresh long-term validation data") },
#endif
#ifdef TEKEN_CLI_HAVE_TIMESTAMP
  { "timestamp", teken_cli_timestamp, N_("Add a document timestamp") },
#endif
#ifdef TEKEN_CLI_HAVE_REPORT
  { "report", teken_cli_report, N_("Prepare a report to the Registration Authority") },
#endif
#ifdef TEKEN_CLI_HAVE_OUTBOX
  { "outbox", teken_cli_outbox, N_("List, send or retry queued reports") },
#endif
};

static void
print_usage (void)
{
  g_print ("%s\n", _("Usage: teken-cli COMMAND [OPTION…]"));
  g_print ("\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_print ("\n%s\n", _("Run “teken-cli COMMAND --help” for the options of a command."));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  textdomain (GETTEXT_PACKAGE);
  /* Debug messages (G_MESSAGES_DEBUG) on stderr, so that stdout (ids, --json) stays machine-readable. */
  g_log_writer_default_set_use_stderr (TRUE);
  teken_core_init ();

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage ();
      return argc < 2 ? TEKEN_CLI_EXIT_USAGE : TEKEN_CLI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("teken-cli %s\n", PACKAGE_VERSION);
      return TEKEN_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  /* translators: %s is what the user typed as a command */
  teken_cli_print_errorf (_("Unknown command “%s”; run “teken-cli --help”"), argv[1]);
  return TEKEN_CLI_EXIT_USAGE;
}
