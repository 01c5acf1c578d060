/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-http.h"

#include <libsoup/soup.h>
#include <openssl/crypto.h>

G_DEFINE_QUARK (teken-net-error-quark, teken_net_error)

struct _TekenHttp
{
  GObject parent_instance;

  GMutex lock;
  guint timeout;
  gsize max_size;
  GTlsDatabase *tls_database;
};

G_DEFINE_FINAL_TYPE (TekenHttp, teken_http, G_TYPE_OBJECT)

struct _TekenHttpAuth
{
  char *header_name;
  TekenSecret *header_value;
};

static void
teken_http_finalize (GObject *object)
{
  TekenHttp *self = TEKEN_HTTP (object);

  g_clear_object (&self->tls_database);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (teken_http_parent_class)->finalize (object);
}

static void
teken_http_class_init (TekenHttpClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_http_finalize;
}

static void
teken_http_init (TekenHttp *self)
{
  g_mutex_init (&self->lock);
  self->timeout = TEKEN_HTTP_DEFAULT_TIMEOUT;
  self->max_size = TEKEN_HTTP_DEFAULT_MAX_SIZE;
}

TekenHttp *
teken_http_new (void)
{
  return g_object_new (TEKEN_TYPE_HTTP, NULL);
}

void
teken_http_set_timeout (TekenHttp *self,
                        guint      seconds)
{
  g_return_if_fail (TEKEN_IS_HTTP (self));
  self->timeout = seconds;
}

guint
teken_http_get_timeout (TekenHttp *self)
{
  g_return_val_if_fail (TEKEN_IS_HTTP (self), 0);
  return self->timeout;
}

void
teken_http_set_max_size (TekenHttp *self,
                         gsize      max_size)
{
  g_return_if_fail (TEKEN_IS_HTTP (self));
  self->max_size = max_size;
}

void
teken_http_set_tls_database (TekenHttp    *self,
                             GTlsDatabase *database)
{
  g_return_if_fail (TEKEN_IS_HTTP (self));
  g_mutex_lock (&self->lock);
  g_set_object (&self->tls_database, database);
  g_mutex_unlock (&self->lock);
}

TekenHttpAuth *
teken_http_auth_new_basic (const char *username,
                           const char *password)
{
  TekenHttpAuth *auth = g_new0 (TekenHttpAuth, 1);
  g_autofree char *pair = g_strdup_printf ("%s:%s", username, password ? password : "");
  g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));

  auth->header_name = g_strdup ("Authorization");
  auth->header_value = g_strconcat ("Basic ", b64, NULL);
  OPENSSL_cleanse (pair, strlen (pair));
  OPENSSL_cleanse (b64, strlen (b64));
  return auth;
}

TekenHttpAuth *
teken_http_auth_new_header (const char *name,
                            const char *value)
{
  TekenHttpAuth *auth = g_new0 (TekenHttpAuth, 1);

  auth->header_name = g_strdup (name);
  auth->header_value = teken_secret_new (value);
  return auth;
}

void
teken_http_auth_free (TekenHttpAuth *auth)
{
  if (auth == NULL)
    return;
  g_free (auth->header_name);
  teken_secret_free (auth->header_value);
  g_free (auth);
}

/* The host for messages; the whole URL could carry credentials. */
static char *
url_host (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

/* Turns GIO/libsoup errors into TEKEN_NET_ERROR with a message for people. */
static void
set_transport_error (GError     **error,
                     const char  *url,
                     GError      *cause)
{
  g_autofree char *host = url_host (url);

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (cause));
      return;
    }
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    /* translators: %s is a server name such as tsa-bsre.bssn.go.id */
    g_set_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_REFUSED,
                 _("Could not connect to %s: the server refused the connection or cannot be reached"), host);
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    /* translators: %s is a server name */
    g_set_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_TIMEOUT,
                 _("%s did not answer in time"), host);
  else if (cause->domain == G_RESOLVER_ERROR)
    /* translators: %s is a server name */
    g_set_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_RESOLVE,
                 _("The server name %s was not found; check the address and the network connection"), host);
  else if (cause->domain == G_TLS_ERROR)
    /* translators: the first %s is a server name, the second the technical reason */
    g_set_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_TLS,
                 _("The secure connection to %s failed: %s"), host, cause->message);
  else
    /* translators: the first %s is a server name, the second the technical reason */
    g_set_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_FAILED,
                 _("Talking to %s failed: %s"), host, cause->message);
}

static gboolean
check_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      /* translators: %s is what was given as a server address */
      g_set_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_INVALID_URL,
                   _("“%s” is not a valid http:// or https:// address"), url);
      return FALSE;
    }
  return TRUE;
}

static GBytes *
read_limited (GInputStream  *stream,
              gsize          max_size,
              const char    *url,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  guint8 chunk[16384];

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable, &local_error);

      if (n < 0)
        {
          set_transport_error (error, url, local_error);
          return NULL;
        }
      if (n == 0)
        break;
      if (buf->len + (gsize) n > max_size)
        {
          g_autofree char *host = url_host (url);
          g_autofree char *limit = g_format_size (max_size);

          /* translators: the first %s is a server name, the second a size such as "16.8 MB" */
          g_set_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_TOO_LARGE,
                       _("The answer from %s is larger than the limit of %s"), host, limit);
          return NULL;
        }
      g_byte_array_append (buf, chunk, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

static gboolean
check_response (SoupMessage  *msg,
                const char   *url,
                const char   *expect_type,
                gsize         max_size,
                GError      **error)
{
  guint status = soup_message_get_status (msg);
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  g_autofree char *host = url_host (url);
  goffset length;

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* translators: %s is a server name, %u an HTTP status code, the last %s its reason text */
      g_set_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_HTTP_STATUS,
                   _("%s answered with an error (HTTP %u %s)"), host, status,
                   soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "");
      return FALSE;
    }
  length = soup_message_headers_get_content_length (headers);
  if (length > 0 && (guint64) length > max_size)
    {
      g_autofree char *limit = g_format_size (max_size);

      g_set_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_TOO_LARGE,
                   _("The answer from %s is larger than the limit of %s"), host, limit);
      return FALSE;
    }
  if (expect_type != NULL)
    {
      const char *type = soup_message_headers_get_content_type (headers, NULL);

      if (type == NULL || g_ascii_strcasecmp (type, expect_type) != 0)
        {
          /* translators: %s is a server name, then the expected and the received content type */
          g_set_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_BAD_RESPONSE,
                       _("%s answered with the wrong kind of data (expected %s, got %s)"),
                       host, expect_type, type ? type : "-");
          return FALSE;
        }
    }
  return TRUE;
}

static GBytes *
http_request (TekenHttp      *self,
              const char     *method,
              const char     *url,
              const char     *content_type,
              GBytes         *body,
              const char     *expect_type,
              TekenHttpAuth  *auth,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GTlsDatabase) tls_database = NULL;
  GBytes *result = NULL;

  if (!check_url (url, error))
    return NULL;

  g_mutex_lock (&self->lock);
  if (self->tls_database)
    tls_database = g_object_ref (self->tls_database);
  g_mutex_unlock (&self->lock);

  /* Our own context: the session and its sources never touch the caller's main loop. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);

  session = soup_session_new_with_options ("timeout", self->timeout,
                                           "user-agent", "Teken/" PACKAGE_VERSION " ",
                                           "max-conns-per-host", 2,
                                           NULL);
  if (tls_database)
    soup_session_set_tls_database (session, tls_database);

  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      check_url ("", error);
      goto out;
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  auth->header_name, auth->header_value);

  stream = soup_session_send (session, msg, cancellable, &local_error);
  if (stream == NULL)
    {
      set_transport_error (error, url, local_error);
      goto out;
    }
  if (check_response (msg, url, expect_type, self->max_size, error))
    result = read_limited (stream, self->max_size, url, cancellable, error);
  if (result != NULL && g_bytes_get_size (result) == 0)
    {
      g_autofree char *host = url_host (url);

      /* translators: %s is a server name */
      g_set_error (error, TEKEN_NET_ERROR, TEKEN_NET_ERROR_BAD_RESPONSE,
                   _("%s sent an empty answer"), host);
      g_clear_pointer (&result, g_bytes_unref);
    }
  g_input_stream_close (stream, NULL, NULL);

out:
  g_clear_object (&stream);
  g_clear_object (&msg);
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return result;
}

GBytes *
teken_http_post_sync (TekenHttp      *self,
                      const char     *url,
                      const char     *content_type,
                      GBytes         *body,
                      const char     *expect_type,
                      TekenHttpAuth  *auth,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_return_val_if_fail (TEKEN_IS_HTTP (self), NULL);
  g_return_val_if_fail (url != NULL && body != NULL && content_type != NULL, NULL);

  return http_request (self, SOUP_METHOD_POST, url, content_type, body, expect_type, auth,
                       cancellable, error);
}

GBytes *
teken_http_get_sync (TekenHttp     *self,
                     const char    *url,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_return_val_if_fail (TEKEN_IS_HTTP (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  return http_request (self, SOUP_METHOD_GET, url, NULL, NULL, NULL, NULL, cancellable, error);
}

static void
get_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *bytes = teken_http_get_sync (source_object, task_data, cancellable, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

void
teken_http_get_async (TekenHttp           *self,
                      const char          *url,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, teken_http_get_async);
  g_task_set_task_data (task, g_strdup (url), g_free);
  g_task_run_in_thread (task, get_thread);
}

GBytes *
teken_http_get_finish (TekenHttp     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
