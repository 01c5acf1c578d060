/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "teken-secret.h"

G_BEGIN_DECLS

#define TEKEN_NET_ERROR (teken_net_error_quark ())
GQuark teken_net_error_quark (void);

/* Every message is translated and names the server (host) involved. */
typedef enum
{
  TEKEN_NET_ERROR_INVALID_URL,   /* not an http(s) URL */
  TEKEN_NET_ERROR_RESOLVE,       /* host name not found */
  TEKEN_NET_ERROR_REFUSED,       /* connection refused / host unreachable */
  TEKEN_NET_ERROR_TIMEOUT,       /* no answer within the timeout */
  TEKEN_NET_ERROR_TLS,           /* certificate or handshake problem */
  TEKEN_NET_ERROR_HTTP_STATUS,   /* the server answered with an error status */
  TEKEN_NET_ERROR_TOO_LARGE,     /* response larger than the limit */
  TEKEN_NET_ERROR_BAD_RESPONSE,  /* wrong content type, empty body */
  TEKEN_NET_ERROR_FAILED,        /* anything else; the message carries the detail */
} TekenNetError;

/*
 * A small HTTP client for the TSA, OCSP and CRL requests. Calls are synchronous and meant for
 * worker threads: each call makes its own SoupSession and GMainContext, so a TekenHttp can be
 * shared between threads. Proxies come from the default GProxyResolver (environment or
 * system settings). The _async variants run the sync call in a GTask thread.
 */
#define TEKEN_TYPE_HTTP (teken_http_get_type ())
G_DECLARE_FINAL_TYPE (TekenHttp, teken_http, TEKEN, HTTP, GObject)

#define TEKEN_HTTP_DEFAULT_TIMEOUT   30           /* seconds */
#define TEKEN_HTTP_DEFAULT_MAX_SIZE  (16u << 20)  /* bytes */

TekenHttp *teken_http_new                (void);
/* Seconds for connecting and for every read or write (0 = no limit). */
void       teken_http_set_timeout        (TekenHttp       *self,
                                          guint            seconds);
guint      teken_http_get_timeout        (TekenHttp       *self);
void       teken_http_set_max_size       (TekenHttp       *self,
                                          gsize            max_size);
/* For tests with a local HTTPS peer; NULL = system trust. */
void       teken_http_set_tls_database   (TekenHttp       *self,
                                          GTlsDatabase    *database);

/* Extra authentication for one request (e.g. a TSA): either basic credentials or one extra
 * header. The secrets are copied into wiped memory. */
typedef struct _TekenHttpAuth TekenHttpAuth;
TekenHttpAuth *teken_http_auth_new_basic  (const char    *username,
                                           const char    *password);
TekenHttpAuth *teken_http_auth_new_header (const char    *name,
                                           const char    *value);
void           teken_http_auth_free       (TekenHttpAuth *auth);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenHttpAuth, teken_http_auth_free)

/* POSTs body with content_type; the answer must have a 2xx status and, when expect_type is not
 * NULL, that content type (parameters ignored). Returns the body. */
GBytes    *teken_http_post_sync          (TekenHttp       *self,
                                          const char      *url,
                                          const char      *content_type,
                                          GBytes          *body,
                                          const char      *expect_type,
                                          TekenHttpAuth   *auth,
                                          GCancellable    *cancellable,
                                          GError         **error);
GBytes    *teken_http_get_sync           (TekenHttp       *self,
                                          const char      *url,
                                          GCancellable    *cancellable,
                                          GError         **error);
void       teken_http_get_async          (TekenHttp       *self,
                                          const char      *url,
                                          GCancellable    *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer         user_data);
GBytes    *teken_http_get_finish         (TekenHttp       *self,
                                          GAsyncResult    *result,
                                          GError         **error);

G_END_DECLS
