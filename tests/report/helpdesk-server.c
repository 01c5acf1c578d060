/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A test helpdesk implementing the contract of osTicket's ticket API, loopback only:
 *   POST /api/tickets.json, header X-API-Key, JSON body {name, email, subject, message (data URL or text),
 *   attachments: [{"name": "data:TYPE;base64,…"}], …}; answers 201 with the ticket number as the body.
 * Beyond osTicket it honours X-Idempotency-Key: a key seen before gets the first ticket's number again.
 *
 * helpdesk-server --port-file F --record F --api-key K [--mode 201|400|401|500|hang|hang-after-record]
 *                 [--tls-cert C --tls-key K] [--lifetime SECONDS]
 * The record file gets one line per ticket: "TICKET KEY N_ATTACHMENTS NAME,NAME,…".
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

static char *mode = NULL;
static char *record = NULL;
static char *api_key = NULL;

static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

/* The ticket already opened for `key`, or NULL. */
static char *
find_ticket (const char *key)
{
  g_autofree char *data = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (record, &data, NULL, NULL))
    return NULL;
  lines = g_strsplit (data, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], " ", 4);
      if (g_strv_length (parts) >= 2 && g_str_equal (parts[1], key))
        return g_strdup (parts[0]);
    }
  return NULL;
}

static guint
count_tickets (void)
{
  g_autofree char *data = NULL;
  guint n = 0;

  if (!g_file_get_contents (record, &data, NULL, NULL))
    return 0;
  for (char *p = data; *p; p++)
    n += *p == '\n';
  return n;
}

/* Checks one "data:TYPE;base64,…" value; returns the decoded size or -1. */
static gssize
check_data_url (const char  *url,
                char       **type)
{
  const char *comma = strchr (url, ',');
  g_autofree guchar *raw = NULL;
  gsize len = 0;

  if (!g_str_has_prefix (url, "data:") || comma == NULL || !g_strstr_len (url, comma - url, ";base64"))
    return -1;
  *type = g_strndup (url + 5, strchr (url, ';') - (url + 5));
  raw = g_base64_decode (comma + 1, &len);
  if (len == 0)
    return -1;
  if (g_str_equal (*type, "application/pdf") && (len < 5 || memcmp (raw, "%PDF-", 5) != 0))
    return -1;
  return len;
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *key = soup_message_headers_get_one (headers, "X-API-Key");
  const char *idem = soup_message_headers_get_one (headers, "X-Idempotency-Key");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *existing = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *line = NULL;
  JsonObject *obj;
  JsonArray *attachments;
  gboolean has_pdf = FALSE;

  if (!g_str_equal (soup_server_message_get_method (msg), "POST") || !g_str_equal (path, "/api/tickets.json"))
    return answer (msg, 404, "Not found");
  if (key == NULL || !g_str_equal (key, api_key))
    return answer (msg, 401, "API key not authorized");
  if (g_str_equal (mode, "401"))
    return answer (msg, 401, "API key not authorized");
  if (g_str_equal (mode, "500"))
    return answer (msg, 500, "Internal error: database unavailable");
  if (g_str_equal (mode, "hang"))
    {
      soup_server_message_pause (msg);   /* never answers */
      return;
    }
  if (!json_parser_load_from_data (parser, body->data, body->length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return answer (msg, 400, "Invalid JSON body");
  obj = json_node_get_object (json_parser_get_root (parser));
  for (const char * const *m = (const char *[]) { "name", "email", "subject", "message", NULL }; *m; m++)
    if (json_object_get_string_member_with_default (obj, *m, NULL) == NULL ||
        *json_object_get_string_member_with_default (obj, *m, "") == '\0')
      {
        g_autofree char *t = g_strdup_printf ("%s: Required argument missing", *m);
        return answer (msg, 400, t);
      }
  if (g_str_equal (mode, "400"))
    return answer (msg, 400, "Unable to create ticket: email: Valid email address required");
  if (idem == NULL || g_strcmp0 (json_object_get_string_member_with_default (obj, "idempotency_key", NULL), idem) != 0)
    return answer (msg, 400, "idempotency_key field and X-Idempotency-Key header differ");
  if (!json_object_has_member (obj, "attachments") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "attachments")))
    return answer (msg, 400, "attachments: expected an array");
  attachments = json_object_get_array_member (obj, "attachments");
  for (guint i = 0; i < json_array_get_length (attachments); i++)
    {
      JsonNode *n = json_array_get_element (attachments, i);
      JsonObject *a;
      g_autoptr(GList) members = NULL;
      g_autofree char *type = NULL;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (n) || json_object_get_size ((a = json_node_get_object (n))) != 1)
        return answer (msg, 400, "attachments: each item is {\"name\": \"data:…\"}");
      members = json_object_get_members (a);
      name = members->data;
      if (check_data_url (json_object_get_string_member_with_default (a, name, ""), &type) < 0)
        return answer (msg, 400, "attachments: invalid data URL");
      has_pdf |= g_str_equal (type, "application/pdf");
      g_string_append_printf (names, "%s%s", names->len ? "," : "", name);
    }
  if (!has_pdf)
    return answer (msg, 400, "attachments: the letter PDF is missing");

  existing = find_ticket (idem);
  if (existing != NULL)
    return answer (msg, 201, existing);
  ticket = g_strdup_printf ("%u", 100001 + count_tickets ());
  line = g_strdup_printf ("%s %s %u %s\n", ticket, idem, json_array_get_length (attachments), names->str);
  {
    g_autoptr(GFile) file = g_file_new_for_path (record);
    g_autoptr(GFileOutputStream) out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, NULL);
    g_output_stream_write_all (G_OUTPUT_STREAM (out), line, strlen (line), NULL, NULL, NULL);
    g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
  }
  if (g_str_equal (mode, "hang-after-record"))
    {
      soup_server_message_pause (msg);   /* the ticket exists, but the client never hears of it */
      return;
    }
  answer (msg, 201, ticket);
}

static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *port_file = NULL, *cert = NULL, *key = NULL;
  int lifetime = 60;
  GOptionEntry entries[] = {
    { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file, "", NULL },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &record, "", NULL },
    { "api-key", 0, 0, G_OPTION_ARG_STRING, &api_key, "", NULL },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, "", NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, "", NULL },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, "", NULL },
    { "lifetime", 0, 0, G_OPTION_ARG_INT, &lifetime, "", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GTlsCertificate) tls = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *port = NULL;
  GSList *uris;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || port_file == NULL || record == NULL || api_key == NULL)
    {
      g_printerr ("helpdesk-server: bad arguments\n");
      return 2;
    }
  if (mode == NULL)
    mode = g_strdup ("201");
  if (cert != NULL)
    {
      tls = g_tls_certificate_new_from_files (cert, key, &error);
      if (tls == NULL)
        {
          g_printerr ("helpdesk-server: %s\n", error->message);
          return 2;
        }
    }
  server = soup_server_new ("tls-certificate", tls, NULL);
  soup_server_add_handler (server, NULL, handle, NULL, NULL);
  if (!soup_server_listen (server, addr, tls != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, &error))
    {
      g_printerr ("helpdesk-server: %s\n", error->message);
      return 2;
    }
  uris = soup_server_get_uris (server);
  port = g_strdup_printf ("%d\n", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (!g_file_set_contents (port_file, port, -1, &error))
    return 2;
  g_timeout_add_seconds (lifetime, quit, loop);   /* never outlives a broken test */
  g_main_loop_run (loop);
  return 0;
}
