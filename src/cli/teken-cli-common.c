/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-cli-private.h"

#include "teken-p12-key.h"

#include <fcntl.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

void
teken_cli_print_error (const GError *error)
{
  g_printerr ("teken-cli: %s\n", error->message);
}

void
teken_cli_print_errorf (const char *format,
                        ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("teken-cli: %s\n", msg);
}

static TekenSecret *
prompt_secret (const char  *prompt,
               GError     **error)
{
  struct termios saved, quiet;
  TekenSecret *secret;
  int fd = open ("/dev/tty", O_RDWR | O_CLOEXEC);

  if (fd < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("No terminal to ask for the passphrase; use --passphrase-file or standard input"));
      return NULL;
    }
  if (write (fd, prompt, strlen (prompt)) < 0)
    { /* the prompt is a courtesy; reading still works */ }

  tcgetattr (fd, &saved);
  quiet = saved;
  quiet.c_lflag &= ~(ECHO | ECHONL);
  tcsetattr (fd, TCSAFLUSH, &quiet);
  secret = teken_secret_read_fd (fd, error);
  tcsetattr (fd, TCSAFLUSH, &saved);
  if (write (fd, "\n", 1) < 0)
    { /* ditto */ }
  close (fd);
  return secret;
}

TekenSecret *
teken_cli_read_secret (const char  *file,
                       const char  *prompt,
                       GError     **error)
{
  if (file != NULL)
    return teken_secret_read_file (file, error);
  if (!isatty (STDIN_FILENO))
    return teken_secret_read_fd (STDIN_FILENO, error);
  return prompt_secret (prompt, error);
}

gboolean
teken_cli_parse (GOptionContext   *context,
                 int              *argc,
                 char           ***argv)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      teken_cli_print_error (error);
      return FALSE;
    }
  return TRUE;
}

TekenKey *
teken_cli_open_p12_key (const char  *path,
                        const char  *passphrase_file,
                        GError     **error)
{
  g_autofree char *base = g_path_get_basename (path);
  /* translators: %s is the name of a .p12 file */
  g_autofree char *prompt = g_strdup_printf (_("Passphrase for %s: "), base);
  g_autoptr(TekenSecret) passphrase = teken_cli_read_secret (passphrase_file, prompt, error);

  if (passphrase == NULL)
    return NULL;
  return TEKEN_KEY (teken_p12_key_new_from_file (path, passphrase, error));
}

void
teken_cli_json_add_string (JsonBuilder *builder,
                           const char  *name,
                           const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
teken_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}
