/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * teken-cli outbox list [--json]
 * teken-cli outbox send [ID…]          due reports, or the given ones (drafts are queued first)
 * teken-cli outbox retry ID            send a queued, failed or interrupted one now, whatever its backoff
 * teken-cli outbox remove ID           drop a draft or failed report
 * teken-cli outbox set-secret osticket|smtp [--passphrase-file F]   store the API key / password
 *
 * Exit status: 0 all attempted reports sent; 1 a report failed or an error; 75 some stay queued
 * for a retry; 64 usage.
 */
#include "teken-cli-private.h"

#include <json-glib/json-glib.h>

#include "teken-outbox.h"

#define EXIT_QUEUED 75

static char *
format_time (GDateTime *t)
{
  g_autoptr(GDateTime) local = NULL;

  if (t == NULL)
    return g_strdup ("-");
  local = g_date_time_to_local (t);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static int
list (TekenOutbox *outbox,
      gboolean     as_json)
{
  GListModel *entries = teken_outbox_get_entries (outbox);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(TekenOutboxEntry) e = g_list_model_get_item (entries, i);
      TekenOutboxState state = teken_outbox_entry_get_state (e);
      g_autofree char *updated = format_time (teken_outbox_entry_get_updated (e));
      g_autofree char *next = format_time (teken_outbox_entry_get_next_attempt (e));

      if (as_json)
        {
          g_autofree char *created = g_date_time_format_iso8601 (teken_outbox_entry_get_created (e));
          g_autofree char *upd = g_date_time_format_iso8601 (teken_outbox_entry_get_updated (e));
          g_autofree char *nxt = teken_outbox_entry_get_next_attempt (e) != NULL
                                 ? g_date_time_format_iso8601 (teken_outbox_entry_get_next_attempt (e)) : NULL;
          g_autofree char *letter = teken_outbox_entry_get_letter_path (e);

          json_builder_begin_object (b);
          teken_cli_json_add_string (b, "id", teken_outbox_entry_get_id (e));
          teken_cli_json_add_string (b, "kind", teken_report_kind_to_string (teken_outbox_entry_get_kind (e)));
          teken_cli_json_add_string (b, "state", teken_outbox_state_to_string (state));
          json_builder_set_member_name (b, "interrupted");
          json_builder_add_boolean_value (b, teken_outbox_entry_is_interrupted (e));
          teken_cli_json_add_string (b, "subject", teken_outbox_entry_get_subject (e));
          teken_cli_json_add_string (b, "channel", teken_outbox_entry_get_channel (e));
          teken_cli_json_add_string (b, "receipt", teken_outbox_entry_get_receipt (e));
          teken_cli_json_add_string (b, "last_error", teken_outbox_entry_get_last_error (e));
          json_builder_set_member_name (b, "attempts");
          json_builder_add_int_value (b, teken_outbox_entry_get_attempts (e));
          teken_cli_json_add_string (b, "next_attempt", nxt);
          teken_cli_json_add_string (b, "created", created);
          teken_cli_json_add_string (b, "updated", upd);
          teken_cli_json_add_string (b, "directory", teken_outbox_entry_get_directory (e));
          teken_cli_json_add_string (b, "letter", letter);
          json_builder_end_object (b);
          continue;
        }

      g_print ("%s  %-8s  %-10s  %s\n", teken_outbox_entry_get_id (e),
               teken_outbox_state_get_label (state),
               teken_report_kind_to_string (teken_outbox_entry_get_kind (e)), updated);
      if (state == TEKEN_OUTBOX_STATE_SENT)
        {
          /* translators: %s is a ticket number, Message-ID or folder */
          g_autofree char *line = g_strdup_printf (_("Receipt: %s"), teken_outbox_entry_get_receipt (e));
          g_print ("    %s\n", line);
        }
      else if (teken_outbox_entry_is_interrupted (e))
        g_print ("    %s\n", _("Interrupted while sending; will be sent again with the same key"));
      if (teken_outbox_entry_get_last_error (e) != NULL && state != TEKEN_OUTBOX_STATE_SENT)
        {
          /* translators: %s is the last error message */
          g_autofree char *line = g_strdup_printf (_("Last error: %s"), teken_outbox_entry_get_last_error (e));
          g_print ("    %s\n", line);
        }
      if (state == TEKEN_OUTBOX_STATE_QUEUED && teken_outbox_entry_get_next_attempt (e) != NULL)
        {
          /* translators: %s is a date and time */
          g_autofree char *line = g_strdup_printf (_("Next attempt: %s"), next);
          g_print ("    %s\n", line);
        }
    }
  json_builder_end_array (b);
  if (as_json)
    teken_cli_print_json (b);
  return TEKEN_CLI_EXIT_OK;
}

/* Prints one outcome; returns the exit status it implies. */
static int
report_outcome (TekenOutboxEntry *e)
{
  const char *id = teken_outbox_entry_get_id (e);

  switch (teken_outbox_entry_get_state (e))
    {
    case TEKEN_OUTBOX_STATE_SENT:
      /* translators: the first %s is a report id, the second a ticket number, Message-ID or folder */
      g_print (_("%s: sent (%s)\n"), id, teken_outbox_entry_get_receipt (e));
      return TEKEN_CLI_EXIT_OK;
    case TEKEN_OUTBOX_STATE_QUEUED:
      /* translators: the first %s is a report id, the second the reason */
      teken_cli_print_errorf (_("%s: not sent yet, kept for a retry: %s"), id, teken_outbox_entry_get_last_error (e));
      return EXIT_QUEUED;
    default:
      /* translators: the first %s is a report id, the second the server's message */
      teken_cli_print_errorf (_("%s: failed: %s"), id, teken_outbox_entry_get_last_error (e));
      return TEKEN_CLI_EXIT_FAILED;
    }
}

static int
worst (int a,
       int b)
{
  /* failed > queued > ok */
  if (a == TEKEN_CLI_EXIT_FAILED || b == TEKEN_CLI_EXIT_FAILED)
    return TEKEN_CLI_EXIT_FAILED;
  return MAX (a, b);
}

static TekenDelivery *
load_delivery (GError **error)
{
  g_autoptr(TekenRaConfig) config = teken_ra_config_load (error);

  return config != NULL ? teken_delivery_new (config) : NULL;
}

static int
send_ids (TekenOutbox  *outbox,
          char        **ids,
          int           n,
          gboolean      retry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenDelivery) delivery = load_delivery (&error);
  int status = TEKEN_CLI_EXIT_OK;

  if (delivery == NULL)
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  if (n == 0)
    {
      guint sent = 0, attempted;

      attempted = teken_outbox_send_due_sync (outbox, delivery, &sent, NULL, &error);
      if (error != NULL)
        {
          teken_cli_print_error (error);
          return TEKEN_CLI_EXIT_FAILED;
        }
      teken_outbox_reload (outbox, NULL);
      for (guint i = 0; i < g_list_model_get_n_items (teken_outbox_get_entries (outbox)); i++)
        {
          g_autoptr(TekenOutboxEntry) e = g_list_model_get_item (teken_outbox_get_entries (outbox), i);
          /* Report what this run touched: entries updated in the last attempts. */
          if (teken_outbox_entry_get_state (e) == TEKEN_OUTBOX_STATE_FAILED ||
              (teken_outbox_entry_get_state (e) == TEKEN_OUTBOX_STATE_QUEUED && teken_outbox_entry_get_attempts (e) > 0))
            status = worst (status, teken_outbox_entry_get_state (e) == TEKEN_OUTBOX_STATE_FAILED
                                    ? TEKEN_CLI_EXIT_FAILED : EXIT_QUEUED);
        }
      /* translators: the first %u counts reports attempted, the second those sent */
      g_print (_("%u attempted, %u sent\n"), attempted, sent);
      return attempted == sent ? TEKEN_CLI_EXIT_OK : status;
    }
  for (int i = 0; i < n; i++)
    {
      g_autoptr(TekenOutboxEntry) e = NULL;
      g_autoptr(GError) local = NULL;

      if (!retry)
        {
          g_autoptr(TekenOutboxEntry) current = teken_outbox_lookup (outbox, ids[i], &local);
          if (current != NULL && teken_outbox_entry_get_state (current) == TEKEN_OUTBOX_STATE_DRAFT)
            teken_outbox_queue (outbox, ids[i], &local);
        }
      if (local == NULL)
        e = teken_outbox_send_sync (outbox, ids[i], delivery, TRUE, NULL, &local);
      if (e == NULL)
        {
          teken_cli_print_error (local);
          status = TEKEN_CLI_EXIT_FAILED;
          continue;
        }
      status = worst (status, report_outcome (e));
    }
  return status;
}

static int
set_secret (const char *channel_id,
            const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenRaConfig) config = teken_ra_config_load (&error);
  g_autoptr(TekenSecret) secret = NULL;
  g_autofree char *account = NULL;
  TekenDeliveryChannel channel;

  if (config == NULL)
    goto fail;
  if (!teken_delivery_channel_from_string (channel_id, &channel) || channel == TEKEN_DELIVERY_CHANNEL_FOLDER)
    {
      teken_cli_print_errorf (_("Choose osticket or smtp"));
      return TEKEN_CLI_EXIT_USAGE;
    }
  if (channel == TEKEN_DELIVERY_CHANNEL_OSTICKET)
    {
      account = teken_ra_config_get_string (config, "osticket", "url");
      if (account == NULL)
        {
          teken_cli_print_errorf (_("Set “url” in the [osticket] group of teken.conf first"));
          return TEKEN_CLI_EXIT_FAILED;
        }
    }
  else
    {
      g_autofree char *user = teken_ra_config_get_string (config, "smtp", "username");
      g_autofree char *host = teken_ra_config_get_string (config, "smtp", "host");
      if (user == NULL || host == NULL)
        {
          teken_cli_print_errorf (_("Set “host” and “username” in the [smtp] group of teken.conf first"));
          return TEKEN_CLI_EXIT_FAILED;
        }
      account = g_strdup_printf ("%s@%s", user, host);
    }
  secret = teken_cli_read_secret (file, channel == TEKEN_DELIVERY_CHANNEL_OSTICKET ? _("API key: ") : _("Password: "),
                                  &error);
  if (secret == NULL || !teken_ra_config_store_secret (channel, account, secret, NULL, &error))
    goto fail;
  /* translators: %s is an account (URL or user@host) */
  g_print (_("Stored in the keyring for %s\n"), account);
  return TEKEN_CLI_EXIT_OK;

fail:
  teken_cli_print_error (error);
  return TEKEN_CLI_EXIT_FAILED;
}

int
teken_cli_outbox (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TekenOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *passphrase_file = NULL;
  gboolean as_json = FALSE;
  const char *cmd;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("list: print JSON"), NULL },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("set-secret: read the secret from the first line of FILE (default: standard input or a prompt)"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("list|send [ID…]|retry ID|remove ID|set-secret osticket|smtp — the reports outbox"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!teken_cli_parse (context, &argc, &argv))
    return TEKEN_CLI_EXIT_USAGE;
  if (argc < 2)
    {
      teken_cli_print_errorf (_("Choose list, send, retry, remove or set-secret"));
      return TEKEN_CLI_EXIT_USAGE;
    }
  cmd = argv[1];
  if (g_str_equal (cmd, "set-secret"))
    {
      if (argc != 3)
        {
          teken_cli_print_errorf (_("Choose osticket or smtp"));
          return TEKEN_CLI_EXIT_USAGE;
        }
      return set_secret (argv[2], passphrase_file);
    }

  outbox = teken_outbox_new (NULL, &error);
  if (outbox == NULL)
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  if (g_str_equal (cmd, "list") && argc == 2)
    return list (outbox, as_json);
  if (g_str_equal (cmd, "send"))
    return send_ids (outbox, argv + 2, argc - 2, FALSE);
  if (g_str_equal (cmd, "retry") && argc == 3)
    return send_ids (outbox, argv + 2, 1, TRUE);
  if (g_str_equal (cmd, "remove") && argc == 3)
    {
      if (!teken_outbox_remove (outbox, argv[2], &error))
        {
          teken_cli_print_error (error);
          return TEKEN_CLI_EXIT_FAILED;
        }
      return TEKEN_CLI_EXIT_OK;
    }
  teken_cli_print_errorf (_("Choose list, send, retry ID, remove ID or set-secret"));
  return TEKEN_CLI_EXIT_USAGE;
}
