/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built twice: teken-cli-full has every command; teken-cli (TEKEN_CLI_LIGHT) runs the everyday
 * `sign --p12` itself and hands everything else to teken-cli-full with execv(). Loading the
 * network, keyring and report libraries costs more than signing a letter, so the light binary
 * does not link them.
 */
#include "teken-cli-private.h"

#include <errno.h>
#include <locale.h>
#include <unistd.h>

#include "teken-core.h"

#ifdef TEKEN_CLI_LIGHT
# define FULL_ONLY(fn) NULL
#else
# define FULL_ONLY(fn) fn
#endif

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);   /* NULL: only teken-cli-full has it */
  const char *summary;
} Command;

static const Command commands[] = {
  { "sign", teken_cli_sign, N_("Sign a PDF (PAdES)") },
  { "verify", FULL_ONLY (teken_cli_verify), N_("Verify every signature in PDFs") },
  { "certs", FULL_ONLY (teken_cli_certs), N_("List, import, show, export and remove signing identities") },
  { "ltv", FULL_ONLY (teken_cli_ltv), N_("Add or refresh long-term validation data") },
  { "timestamp", FULL_ONLY (teken_cli_timestamp), N_("Add a document timestamp") },
  { "report", FULL_ONLY (teken_cli_report), N_("Prepare a report to the Registration Authority") },
  { "outbox", FULL_ONLY (teken_cli_outbox), N_("List, send or retry queued reports") },
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

#ifdef TEKEN_CLI_LIGHT
/* sign options that need the keyring, tokens or the network, and --help, which lists them all */
static gboolean
sign_needs_full (int    argc,
                 char **argv)
{
  static const char * const full_options[] = {
    "--identity", "--pin-file", "--level", "--tsa", "--fallback", "--trust", "--offline",
    "--help", "--help-all", "-h", "-?",
  };

  for (int i = 2; i < argc && !g_str_equal (argv[i], "--"); i++)
    for (guint j = 0; j < G_N_ELEMENTS (full_options); j++)
      {
        gsize len = strlen (full_options[j]);

        if (strncmp (argv[i], full_options[j], len) == 0 && (argv[i][len] == '\0' || argv[i][len] == '='))
          return TRUE;
      }
  return FALSE;
}

/* Next to this binary in a build tree, else where `meson install` puts it. */
static char *
find_full (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *beside = g_build_filename (dir, "teken-cli-full", NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }
  return g_build_filename (LIBEXECDIR, "teken", "teken-cli-full", NULL);
}

static int
exec_full (char **argv)
{
  g_autofree char *full = find_full ();
  int saved;

  execv (full, argv);
  saved = errno;
  /* translators: the first %s is a program's path, the second the system's reason */
  teken_cli_print_errorf (_("Could not start %s: %s"), full, g_strerror (saved));
  return TEKEN_CLI_EXIT_FAILED;
}
#endif

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("teken-cli");
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
      {
#ifdef TEKEN_CLI_LIGHT
        if (commands[i].run == NULL || (commands[i].run == teken_cli_sign && sign_needs_full (argc, argv)))
          return exec_full (argv);
#endif
        {
          /* usage lines read "teken-cli sign [OPTION…]" */
          g_autofree char *prgname = g_strdup_printf ("teken-cli %s", commands[i].name);

          g_set_prgname (prgname);
        }
        return commands[i].run (argc - 1, argv + 1);
      }

  /* translators: %s is what the user typed as a command */
  teken_cli_print_errorf (_("Unknown command “%s”; run “teken-cli --help”"), argv[1]);
  return TEKEN_CLI_EXIT_USAGE;
}
