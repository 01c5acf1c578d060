/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-delivery.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <openssl/crypto.h>
#include <string.h>

#include "teken-atomic-file.h"

G_DEFINE_QUARK (teken-delivery-error-quark, teken_delivery_error)

gboolean
teken_delivery_error_is_transient (const GError *error)
{
  return error != NULL && error->domain == TEKEN_DELIVERY_ERROR &&
         (error->code == TEKEN_DELIVERY_ERROR_SERVER || error->code == TEKEN_DELIVERY_ERROR_TIMEOUT ||
          error->code == TEKEN_DELIVERY_ERROR_NETWORK);
}

/* ---- message -------------------------------------------------------------------------------- */

typedef struct
{
  char *filename;
  char *content_type;
  GBytes *bytes;
} DeliveryFile;

struct _TekenDeliveryMessage
{
  char *key;
  char *subject;
  char *body;
  char *name;
  char *email;
  char *phone;
  char *package_name;
  GPtrArray *files;
};

static void
delivery_file_free (DeliveryFile *f)
{
  g_free (f->filename);
  g_free (f->content_type);
  g_bytes_unref (f->bytes);
  g_free (f);
}

TekenDeliveryMessage *
teken_delivery_message_new (const char *idempotency_key,
                            const char *subject,
                            const char *body_text)
{
  TekenDeliveryMessage *self = g_new0 (TekenDeliveryMessage, 1);

  self->key = g_strdup (idempotency_key);
  self->subject = g_strdup (subject);
  self->body = g_strdup (body_text);
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) delivery_file_free);
  return self;
}

void
teken_delivery_message_set_sender (TekenDeliveryMessage *self,
                                   const char           *name,
                                   const char           *email,
                                   const char           *phone)
{
  g_free (self->name);
  g_free (self->email);
  g_free (self->phone);
  self->name = g_strdup (name);
  self->email = g_strdup (email);
  self->phone = g_strdup (phone);
}

void
teken_delivery_message_set_package_name (TekenDeliveryMessage *self,
                                         const char           *name)
{
  g_free (self->package_name);
  self->package_name = g_strdup (name);
}

void
teken_delivery_message_add_file (TekenDeliveryMessage *self,
                                 const char           *filename,
                                 const char           *content_type,
                                 GBytes               *bytes)
{
  DeliveryFile *f = g_new0 (DeliveryFile, 1);

  f->filename = g_strdup (filename);
  f->content_type = g_strdup (content_type);
  f->bytes = g_bytes_ref (bytes);
  g_ptr_array_add (self->files, f);
}

void
teken_delivery_message_free (TekenDeliveryMessage *self)
{
  if (self == NULL)
    return;
  g_free (self->key);
  g_free (self->subject);
  g_free (self->body);
  g_free (self->name);
  g_free (self->email);
  g_free (self->phone);
  g_free (self->package_name);
  g_ptr_array_unref (self->files);
  g_free (self);
}

char *
teken_delivery_message_id_for_key (const char *idempotency_key)
{
  return g_strdup_printf ("<%s@report.teken.invalid>", idempotency_key);
}

/* ---- the object ----------------------------------------------------------------------------- */

struct _TekenDelivery
{
  GObject parent_instance;
  TekenRaConfig *config;
};

G_DEFINE_FINAL_TYPE (TekenDelivery, teken_delivery, G_TYPE_OBJECT)

static void
teken_delivery_finalize (GObject *object)
{
  TekenDelivery *self = (TekenDelivery *) object;

  g_clear_object (&self->config);
  G_OBJECT_CLASS (teken_delivery_parent_class)->finalize (object);
}

static void
teken_delivery_class_init (TekenDeliveryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_delivery_finalize;
}

static void
teken_delivery_init (TekenDelivery *self)
{
}

TekenDelivery *
teken_delivery_new (TekenRaConfig *config)
{
  TekenDelivery *self = g_object_new (TEKEN_TYPE_DELIVERY, NULL);

  self->config = g_object_ref (config);
  return self;
}

TekenRaConfig *
teken_delivery_get_config (TekenDelivery *self)
{
  return self->config;
}

static gboolean
config_error (GError     **error,
              const char  *group,
              const char  *key)
{
  /* translators: the first %s is a key, the second a group of teken.conf, e.g. "url" in [osticket] */
  g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_CONFIG,
               _("The setting “%s” in the [%s] group of teken.conf is missing"), key, group);
  return FALSE;
}

/* Maps GIO/TLS errors of a connection to our domain, keeping the original text. */
static void
network_error (GError     **error,
               GError      *local,
               const char  *server)
{
  TekenDeliveryError code = TEKEN_DELIVERY_ERROR_NETWORK;

  if (local->domain == G_TLS_ERROR)
    code = TEKEN_DELIVERY_ERROR_TLS;
  else if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    code = TEKEN_DELIVERY_ERROR_TIMEOUT;

  if (code == TEKEN_DELIVERY_ERROR_TLS)
    /* translators: the first %s is a server, the second the TLS library's reason */
    g_set_error (error, TEKEN_DELIVERY_ERROR, code,
                 _("The certificate of %s is not trusted or the secure connection failed: %s"), server, local->message);
  else if (code == TEKEN_DELIVERY_ERROR_TIMEOUT)
    /* translators: %s is a server */
    g_set_error (error, TEKEN_DELIVERY_ERROR, code, _("%s did not answer in time"), server);
  else
    /* translators: the first %s is a server, the second the reason */
    g_set_error (error, TEKEN_DELIVERY_ERROR, code, _("Could not reach %s: %s"), server, local->message);
}

static GTlsDatabase *
extra_database (TekenRaConfig  *config,
                const char     *group,
                GError        **error)
{
  g_autofree char *ca = teken_ra_config_get_string (config, group, "ca-file");
  g_autoptr(GError) local = NULL;
  GTlsDatabase *db;

  if (ca == NULL)
    return NULL;
  db = g_tls_file_database_new (ca, &local);
  if (db == NULL)
    /* translators: the first %s is a file, the second the reason */
    g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_CONFIG,
                 _("Could not read the CA certificates “%s”: %s"), ca, local->message);
  return db;
}

/* ---- osTicket ------------------------------------------------------------------------------- */

static char *
data_url (const char *content_type,
          GBytes     *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *b64 = g_base64_encode (data, len);

  return g_strdup_printf ("data:%s;base64,%s", content_type, b64);
}

static GBytes *
osticket_body (TekenDeliveryMessage *msg,
               TekenRaConfig        *config)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *topic = teken_ra_config_get_string (config, "osticket", "topic-id");
  g_autofree char *field = teken_ra_config_get_string (config, "osticket", "idempotency-field");
  g_autoptr(GBytes) text = g_bytes_new (msg->body, strlen (msg->body));
  g_autofree char *message = data_url ("text/plain;charset=utf-8", text);
  char *json;
  gsize len;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, msg->name != NULL ? msg->name : "");
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, msg->email != NULL ? msg->email : "");
  if (msg->phone != NULL)
    {
      json_builder_set_member_name (b, "phone");
      json_builder_add_string_value (b, msg->phone);
    }
  json_builder_set_member_name (b, "subject");
  json_builder_add_string_value (b, msg->subject);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, "API");
  if (topic != NULL)
    {
      json_builder_set_member_name (b, "topicId");
      json_builder_add_string_value (b, topic);
    }
  /* A custom form field of the helpdesk (its variable name), so staff and plug-ins see the key. */
  json_builder_set_member_name (b, field != NULL ? field : "idempotency_key");
  json_builder_add_string_value (b, msg->key);
  json_builder_set_member_name (b, "attachments");
  json_builder_begin_array (b);
  for (guint i = 0; i < msg->files->len; i++)
    {
      DeliveryFile *f = g_ptr_array_index (msg->files, i);
      g_autofree char *url = data_url (f->content_type, f->bytes);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, f->filename);
      json_builder_add_string_value (b, url);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json = json_generator_to_data (gen, &len);
  return g_bytes_new_take (json, len);
}

/* The server's own words, shortened and on one line, for error messages. */
static char *
server_text (GBytes *body)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (data == NULL || len == 0)
    return g_strdup ("");
  text = g_utf8_make_valid (data, MIN (len, 400));
  g_strdelimit (text, "\r\n\t", ' ');
  return g_strdup (g_strstrip (text));
}

static char *
send_osticket (TekenDelivery         *self,
               TekenDeliveryMessage  *msg,
               GCancellable          *cancellable,
               GError               **error)
{
  g_autofree char *url = teken_ra_config_get_string (self->config, "osticket", "url");
  g_autoptr(TekenSecret) key = NULL;
  g_autoptr(GTlsDatabase) db = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GUri) uri = NULL;
  g_autofree char *server = NULL;
  g_autofree char *said = NULL;
  guint status;

  if (url == NULL)
    return config_error (error, "osticket", "url"), NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      /* translators: %s is the configured URL */
      g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_CONFIG,
                   _("The helpdesk address “%s” is not an http(s) URL"), url);
      return NULL;
    }
  server = g_strdup (g_uri_get_host (uri));
  key = teken_ra_config_lookup_secret (TEKEN_DELIVERY_CHANNEL_OSTICKET, url, cancellable, &local);
  if (key == NULL)
    {
      g_set_error_literal (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_CONFIG, local->message);
      return NULL;
    }
  db = extra_database (self->config, "osticket", error);
  if (db == NULL && error != NULL && *error != NULL)
    return NULL;

  /* libsoup's sync API iterates the thread-default context: give this worker its own. */
  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("timeout", teken_ra_config_get_timeout (self->config),
                                           "idle-timeout", teken_ra_config_get_timeout (self->config),
                                           "user-agent", "Teken/" PACKAGE_VERSION, NULL);
  if (db != NULL)
    soup_session_set_tls_database (session, db);
  body = osticket_body (msg, self->config);
  message = soup_message_new_from_uri ("POST", uri);
  soup_message_headers_replace (soup_message_get_request_headers (message), "X-API-Key", key);
  soup_message_headers_replace (soup_message_get_request_headers (message), "X-Idempotency-Key", msg->key);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "text/plain, application/json");
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  response = soup_session_send_and_read (session, message, cancellable, &local);
  g_main_context_pop_thread_default (context);

  if (response == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        network_error (error, local, server);
      return NULL;
    }

  status = soup_message_get_status (message);
  said = server_text (response);
  if (status == 200 || status == 201)
    {
      if (*said == '\0')
        {
          /* translators: %s is a server */
          g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_SERVER,
                       _("%s accepted the report but returned no ticket number"), server);
          return NULL;
        }
      return g_steal_pointer (&said);
    }
  if (status == 401 || status == 403)
    /* translators: %s is a server, %u an HTTP status, the last %s what the server said */
    g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_AUTH,
                 _("%s refused the API key (HTTP %u): %s"), server, status, said);
  else if (status >= 400 && status < 500 && status != 408 && status != 429)
    /* translators: %s is a server, %u an HTTP status, the last %s what the server said */
    g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_REJECTED,
                 _("%s refused the report (HTTP %u): %s"), server, status, said);
  else
    /* translators: %s is a server, %u an HTTP status, the last %s what the server said */
    g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_SERVER,
                 _("%s could not take the report now (HTTP %u): %s"), server, status, said);
  return NULL;
}

/* ---- SMTP ----------------------------------------------------------------------------------- */

typedef struct
{
  GIOStream *stream;
  GDataInputStream *in;
  GOutputStream *out;
  const char *server;
  GCancellable *cancellable;
} Smtp;

static void
smtp_set_streams (Smtp      *s,
                  GIOStream *stream)
{
  g_clear_object (&s->in);
  g_set_object (&s->stream, stream);
  s->in = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  g_data_input_stream_set_newline_type (s->in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (s->in), FALSE);
  s->out = g_io_stream_get_output_stream (stream);
}

static void
smtp_clear (Smtp *s)
{
  g_clear_object (&s->in);
  if (s->stream != NULL)
    g_io_stream_close (s->stream, NULL, NULL);
  g_clear_object (&s->stream);
}

/* Reads a (multi-line) reply; returns the code, fills *text with all lines. 0 on I/O error. */
static guint
smtp_read (Smtp     *s,
           char    **text,
           GError  **error)
{
  g_autoptr(GString) all = g_string_new (NULL);
  guint code = 0;

  for (;;)
    {
      g_autoptr(GError) local = NULL;
      g_autofree char *line = g_data_input_stream_read_line (s->in, NULL, s->cancellable, &local);

      if (line == NULL)
        {
          if (local == NULL)
            local = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, _("Connection closed"));
          network_error (error, local, s->server);
          return 0;
        }
      if (strlen (line) < 3 || !g_ascii_isdigit (line[0]))
        {
          /* translators: %s is a server */
          g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_NETWORK,
                       _("%s does not speak SMTP"), s->server);
          return 0;
        }
      code = atoi (line);
      if (all->len > 0)
        g_string_append_c (all, '\n');
      g_string_append (all, line + MIN (strlen (line), 4));
      if (line[3] != '-')
        break;
    }
  if (text != NULL)
    *text = g_string_free (g_steal_pointer (&all), FALSE);
  return code;
}

static gboolean
smtp_write (Smtp        *s,
            const char  *data,
            gsize        len,
            GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_output_stream_write_all (s->out, data, len, NULL, s->cancellable, &local) ||
      !g_output_stream_flush (s->out, s->cancellable, &local))
    {
      network_error (error, local, s->server);
      return FALSE;
    }
  return TRUE;
}

/* Sends a command (NULL: none, just read) and expects a reply code in [expect, expect+99]. */
static gboolean
smtp_command (Smtp        *s,
              const char  *command,
              guint        expect,
              char       **reply,
              GError     **error)
{
  g_autofree char *line = command != NULL ? g_strconcat (command, "\r\n", NULL) : NULL;
  g_autofree char *text = NULL;
  guint code;

  if (line != NULL && !smtp_write (s, line, strlen (line), error))
    return FALSE;
  code = smtp_read (s, &text, error);
  if (code == 0)
    return FALSE;
  if (code < expect || code >= expect + 100)
    {
      g_autofree char *said = g_strdelimit (g_strdup (text), "\n", ' ');
      TekenDeliveryError kind = code >= 500 ? TEKEN_DELIVERY_ERROR_REJECTED : TEKEN_DELIVERY_ERROR_SERVER;

      if (code == 535 || code == 534 || code == 530)
        kind = TEKEN_DELIVERY_ERROR_AUTH;
      /* translators: %s is a server, %u an SMTP code, the last %s what the server said */
      g_set_error (error, TEKEN_DELIVERY_ERROR, kind, _("%s answered %u: %s"), s->server, code, said);
      return FALSE;
    }
  if (reply != NULL)
    *reply = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
smtp_has (const char *ehlo,
          const char *capability)
{
  g_auto(GStrv) lines = g_strsplit (ehlo, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *up = g_ascii_strup (lines[i], -1);
      if (g_str_has_prefix (up, capability))
        return TRUE;
    }
  return FALSE;
}

static gboolean
smtp_starttls (Smtp          *s,
               GTlsDatabase  *db,
               GError       **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GSocketConnectable) identity = g_network_address_new (s->server, 0);
  g_autoptr(GIOStream) tls = g_tls_client_connection_new (s->stream, identity, &local);

  if (tls == NULL)
    {
      network_error (error, local, s->server);
      return FALSE;
    }
  if (db != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), db);
  /* The default validation flags are all on: an untrusted, expired or mismatched certificate ends the attempt. */
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), s->cancellable, &local))
    {
      if (local->domain != G_TLS_ERROR && !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          /* GnuTLS reports a refused certificate as a plain failure on some versions. */
          g_autoptr(GError) tls_error = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, local->message);
          network_error (error, tls_error, s->server);
        }
      else
        network_error (error, local, s->server);
      return FALSE;
    }
  g_clear_object (&s->in);
  smtp_set_streams (s, tls);
  return TRUE;
}

/* A header value: line breaks (header injection) become spaces; non-ASCII becomes an RFC 2047 word. */
static char *
encode_header (const char *text)
{
  g_autofree char *flat = g_strdelimit (g_strdup (text), "\r\n", ' ');
  g_autofree char *b64 = NULL;

  for (const char *p = flat; *p; p++)
    if ((guchar) *p >= 0x80)
      {
        b64 = g_base64_encode ((const guchar *) flat, strlen (flat));
        return g_strdup_printf ("=?UTF-8?B?%s?=", b64);
      }
  return g_steal_pointer (&flat);
}

/* RFC 5322 date, independent of the locale. */
static char *
mail_date (void)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *rest = g_date_time_format (now, "%Y %H:%M:%S %z");

  return g_strdup_printf ("%s, %02d %s %s", days[g_date_time_get_day_of_week (now) - 1],
                          g_date_time_get_day_of_month (now), months[g_date_time_get_month (now) - 1], rest);
}

static void
append_base64 (GString *out,
               GBytes  *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *b64 = g_base64_encode (data, len);
  gsize n = strlen (b64);

  for (gsize i = 0; i < n; i += 76)
    {
      g_string_append_len (out, b64 + i, MIN (76, n - i));
      g_string_append (out, "\r\n");
    }
}

static char *
build_mime (TekenDeliveryMessage *msg,
            const char           *from,
            const char           *to)
{
  g_autoptr(GString) m = g_string_new (NULL);
  g_autofree char *boundary = g_strdup_printf ("teken-%s", msg->key);
  g_autofree char *subject = encode_header (msg->subject);
  g_autofree char *message_id = teken_delivery_message_id_for_key (msg->key);
  g_autofree char *date = mail_date ();
  g_autoptr(GBytes) text = g_bytes_new (msg->body, strlen (msg->body));

  g_string_append_printf (m, "From: %s\r\n", from);
  g_string_append_printf (m, "To: %s\r\n", to);
  if (msg->email != NULL && strpbrk (msg->email, "\r\n<>\" ") == NULL)
    {
      g_autofree char *name = msg->name != NULL ? encode_header (msg->name) : g_strdup ("");
      g_string_append_printf (m, "Reply-To: %s <%s>\r\n", name, msg->email);
    }
  g_string_append_printf (m, "Subject: %s\r\n", subject);
  g_string_append_printf (m, "Date: %s\r\n", date);
  g_string_append_printf (m, "Message-ID: %s\r\n", message_id);
  g_string_append_printf (m, "X-Teken-Report-Id: %s\r\n", msg->key);
  g_string_append (m, "MIME-Version: 1.0\r\n");
  g_string_append_printf (m, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary);
  g_string_append (m, "This is a MIME message.\r\n");

  g_string_append_printf (m, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                          "Content-Transfer-Encoding: base64\r\n\r\n", boundary);
  append_base64 (m, text);
  for (guint i = 0; i < msg->files->len; i++)
    {
      DeliveryFile *f = g_ptr_array_index (msg->files, i);

      g_string_append_printf (m, "--%s\r\nContent-Type: %s; name=\"%s\"\r\n"
                              "Content-Disposition: attachment; filename=\"%s\"\r\n"
                              "Content-Transfer-Encoding: base64\r\n\r\n",
                              boundary, f->content_type, f->filename, f->filename);
      append_base64 (m, f->bytes);
    }
  g_string_append_printf (m, "--%s--\r\n", boundary);
  return g_string_free (g_steal_pointer (&m), FALSE);
}

/* DATA payload: dot-stuffed, ending with CRLF.CRLF. */
static char *
dot_stuff (const char *mime)
{
  g_autoptr(GString) s = g_string_new (NULL);
  gboolean line_start = TRUE;

  for (const char *p = mime; *p; p++)
    {
      if (line_start && *p == '.')
        g_string_append_c (s, '.');
      g_string_append_c (s, *p);
      line_start = *p == '\n';
    }
  g_string_append (s, ".\r\n");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
smtp_auth (Smtp        *s,
           const char  *ehlo,
           const char  *user,
           const char  *password,
           GError     **error)
{
  gsize ulen = strlen (user), plen = strlen (password);

  if (smtp_has (ehlo, "AUTH") && strstr (ehlo, "PLAIN") != NULL)
    {
      gsize len = ulen + plen + 2;
      guchar *raw = g_malloc (len);
      char *b64, *cmd;
      gboolean ok;

      raw[0] = '\0';
      memcpy (raw + 1, user, ulen);
      raw[ulen + 1] = '\0';
      memcpy (raw + ulen + 2, password, plen);
      b64 = g_base64_encode (raw, len);
      cmd = g_strconcat ("AUTH PLAIN ", b64, NULL);
      ok = smtp_command (s, cmd, 200, NULL, error);
      /* The credentials in memory are wiped, as every secret of ours. */
      OPENSSL_cleanse (raw, len);
      OPENSSL_cleanse (b64, strlen (b64));
      OPENSSL_cleanse (cmd, strlen (cmd));
      g_free (raw);
      g_free (b64);
      g_free (cmd);
      return ok;
    }
  if (smtp_has (ehlo, "AUTH") && strstr (ehlo, "LOGIN") != NULL)
    {
      g_autofree char *u64 = g_base64_encode ((const guchar *) user, ulen);
      char *p64;
      gboolean ok;

      if (!smtp_command (s, "AUTH LOGIN", 300, NULL, error) || !smtp_command (s, u64, 300, NULL, error))
        return FALSE;
      p64 = g_base64_encode ((const guchar *) password, plen);
      ok = smtp_command (s, p64, 200, NULL, error);
      OPENSSL_cleanse (p64, strlen (p64));
      g_free (p64);
      return ok;
    }
  /* translators: %s is a server */
  g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_CONFIG,
               _("%s offers neither AUTH PLAIN nor AUTH LOGIN"), s->server);
  return FALSE;
}

static char *
send_smtp (TekenDelivery         *self,
           TekenDeliveryMessage  *msg,
           GCancellable          *cancellable,
           GError               **error)
{
  g_autofree char *host = teken_ra_config_get_string (self->config, "smtp", "host");
  g_autofree char *user = teken_ra_config_get_string (self->config, "smtp", "username");
  g_autofree char *from = teken_ra_config_get_string (self->config, "smtp", "from");
  g_autofree char *to = teken_ra_config_get_string (self->config, "smtp", "to");
  g_autofree char *security = teken_ra_config_get_string (self->config, "smtp", "security");
  int port = teken_ra_config_get_int (self->config, "smtp", "port", 587);
  g_autoptr(TekenSecret) password = NULL;
  g_autoptr(GTlsDatabase) db = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) rcpts = NULL;
  g_autofree char *ehlo = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *data = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *account = NULL;
  gboolean implicit_tls;
  Smtp s = { 0 };

  if (host == NULL)
    return config_error (error, "smtp", "host"), NULL;
  if (from == NULL)
    return config_error (error, "smtp", "from"), NULL;
  if (to == NULL)
    return config_error (error, "smtp", "to"), NULL;
  if (security != NULL && !g_str_equal (security, "starttls") && !g_str_equal (security, "tls"))
    {
      /* translators: %s is the configured value; starttls and tls are not translated */
      g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_CONFIG,
                   _("Unknown SMTP security “%s”; use starttls or tls (plain text is never used)"), security);
      return NULL;
    }
  if (strpbrk (from, "\r\n<> ") != NULL || strpbrk (to, "\r\n<>") != NULL)
    {
      g_set_error_literal (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_CONFIG,
                           _("The “from” or “to” address in the [smtp] group of teken.conf is not a plain address"));
      return NULL;
    }
  implicit_tls = g_strcmp0 (security, "tls") == 0;
  if (user != NULL)
    {
      account = g_strdup_printf ("%s@%s", user, host);
      password = teken_ra_config_lookup_secret (TEKEN_DELIVERY_CHANNEL_SMTP, account, cancellable, &local);
      if (password == NULL)
        {
          g_set_error_literal (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_CONFIG, local->message);
          return NULL;
        }
    }
  db = extra_database (self->config, "smtp", error);
  if (db == NULL && error != NULL && *error != NULL)
    return NULL;

  s.server = host;
  s.cancellable = cancellable;
  g_socket_client_set_timeout (client, teken_ra_config_get_timeout (self->config));
  conn = g_socket_client_connect_to_host (client, host, port, cancellable, &local);
  if (conn == NULL)
    {
      network_error (error, local, host);
      return NULL;
    }
  smtp_set_streams (&s, G_IO_STREAM (conn));
  if (implicit_tls && !smtp_starttls (&s, db, error))
    goto fail;
  if (!smtp_command (&s, NULL, 200, NULL, error) ||
      !smtp_command (&s, "EHLO teken.invalid", 200, &ehlo, error))
    goto fail;
  if (!implicit_tls)
    {
      if (!smtp_has (ehlo, "STARTTLS"))
        {
          /* translators: %s is a server */
          g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_TLS,
                       _("%s does not offer STARTTLS; Teken never sends reports unencrypted"), host);
          goto fail;
        }
      g_clear_pointer (&ehlo, g_free);
      if (!smtp_command (&s, "STARTTLS", 200, NULL, error) || !smtp_starttls (&s, db, error) ||
          !smtp_command (&s, "EHLO teken.invalid", 200, &ehlo, error))
        goto fail;
    }
  if (user != NULL && !smtp_auth (&s, ehlo, user, password, error))
    goto fail;

  cmd = g_strdup_printf ("MAIL FROM:<%s>", from);
  if (!smtp_command (&s, cmd, 200, NULL, error))
    goto fail;
  rcpts = g_strsplit_set (to, ",;", -1);
  for (guint i = 0; rcpts[i]; i++)
    {
      g_autofree char *rcpt = NULL;
      if (*g_strstrip (rcpts[i]) == '\0')
        continue;
      rcpt = g_strdup_printf ("RCPT TO:<%s>", rcpts[i]);
      if (!smtp_command (&s, rcpt, 200, NULL, error))
        goto fail;
    }
  if (!smtp_command (&s, "DATA", 300, NULL, error))
    goto fail;
  mime = build_mime (msg, from, to);
  data = dot_stuff (mime);
  if (!smtp_write (&s, data, strlen (data), error) || !smtp_command (&s, NULL, 200, NULL, error))
    goto fail;
  smtp_command (&s, "QUIT", 200, NULL, NULL);   /* the mail is accepted; a rude QUIT changes nothing */
  smtp_clear (&s);
  return teken_delivery_message_id_for_key (msg->key);

fail:
  smtp_clear (&s);
  return NULL;
}

/* ---- folder --------------------------------------------------------------------------------- */

static gboolean
io_error (GError     **error,
          int          saved,
          const char  *path)
{
  /* translators: the first %s is a folder or file, the second the reason */
  g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_NETWORK,
               _("Could not write the report package “%s”: %s"), path, g_strerror (saved));
  return FALSE;
}

static char *
send_folder (TekenDelivery         *self,
             TekenDeliveryMessage  *msg,
             GError               **error)
{
  g_autofree char *base = teken_ra_config_get_string (self->config, "folder", "path");
  g_autofree char *target = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *text_path = NULL;

  if (base == NULL)
    return config_error (error, "folder", "path"), NULL;
  if (g_mkdir_with_parents (base, 0755) != 0)
    return io_error (error, errno, base), NULL;
  target = g_build_filename (base, msg->package_name != NULL ? msg->package_name : msg->key, NULL);

  /* Already delivered by an attempt that was interrupted before the state was saved. */
  marker = g_build_filename (target, "idempotency-key.txt", NULL);
  if (g_file_get_contents (marker, &existing, NULL, NULL))
    {
      if (g_str_equal (g_strstrip (existing), msg->key))
        return g_steal_pointer (&target);
      /* translators: %s is a folder */
      g_set_error (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_REJECTED,
                   _("The folder “%s” already holds another report"), target);
      return NULL;
    }

  tmp = g_build_filename (base, ".teken-package-XXXXXX", NULL);
  if (g_mkdtemp (tmp) == NULL)
    return io_error (error, errno, base), NULL;
  for (guint i = 0; i < msg->files->len; i++)
    {
      DeliveryFile *f = g_ptr_array_index (msg->files, i);
      g_autofree char *path = g_build_filename (tmp, f->filename, NULL);
      gsize len;
      const void *data = g_bytes_get_data (f->bytes, &len);

      if (!teken_atomic_file_set_contents (path, data, len, FALSE, error))
        return NULL;
    }
  text_path = g_build_filename (tmp, "pesan.txt", NULL);
  if (!teken_atomic_file_set_contents (text_path, msg->body, strlen (msg->body), FALSE, error))
    return NULL;
  g_clear_pointer (&text_path, g_free);
  text_path = g_build_filename (tmp, "idempotency-key.txt", NULL);
  if (!teken_atomic_file_set_contents (text_path, msg->key, strlen (msg->key), FALSE, error))
    return NULL;
  if (g_rename (tmp, target) != 0)
    return io_error (error, errno, target), NULL;
  return g_steal_pointer (&target);
}

/* ---- dispatch ------------------------------------------------------------------------------- */

char *
teken_delivery_send_sync (TekenDelivery         *self,
                          TekenDeliveryMessage  *message,
                          GCancellable          *cancellable,
                          GError               **error)
{
  TekenDeliveryChannel channel;
  g_autoptr(GError) local = NULL;

  if (!teken_ra_config_get_channel (self->config, &channel, &local))
    {
      g_set_error_literal (error, TEKEN_DELIVERY_ERROR, TEKEN_DELIVERY_ERROR_CONFIG, local->message);
      return NULL;
    }
  switch (channel)
    {
    case TEKEN_DELIVERY_CHANNEL_OSTICKET:
      return send_osticket (self, message, cancellable, error);
    case TEKEN_DELIVERY_CHANNEL_SMTP:
      return send_smtp (self, message, cancellable, error);
    case TEKEN_DELIVERY_CHANNEL_FOLDER:
    default:
      return send_folder (self, message, error);
    }
}

static void
send_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  char *receipt = teken_delivery_send_sync (source, task_data, cancellable, &error);

  if (receipt == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, receipt, g_free);
}

void
teken_delivery_send_async (TekenDelivery        *self,
                           TekenDeliveryMessage *message,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, teken_delivery_send_async);
  g_task_set_task_data (task, message, (GDestroyNotify) teken_delivery_message_free);
  g_task_run_in_thread (task, send_thread);
}

char *
teken_delivery_send_finish (TekenDelivery  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
