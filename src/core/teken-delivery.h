/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "teken-ra-config.h"

G_BEGIN_DECLS

#define TEKEN_DELIVERY_ERROR (teken_delivery_error_quark ())
GQuark teken_delivery_error_quark (void);

/* Every message is translated and, where the server said something, quotes it. */
typedef enum
{
  TEKEN_DELIVERY_ERROR_CONFIG,     /* settings or keyring secret missing/invalid (permanent) */
  TEKEN_DELIVERY_ERROR_REJECTED,   /* the server refused the report: HTTP 4xx, SMTP 5xx (permanent) */
  TEKEN_DELIVERY_ERROR_AUTH,       /* wrong API key or SMTP credentials (permanent) */
  TEKEN_DELIVERY_ERROR_TLS,        /* untrusted or invalid certificate, handshake failure (permanent) */
  TEKEN_DELIVERY_ERROR_SERVER,     /* HTTP 5xx, SMTP 4xx: try again later (transient) */
  TEKEN_DELIVERY_ERROR_TIMEOUT,    /* no answer in time (transient) */
  TEKEN_DELIVERY_ERROR_NETWORK,    /* cannot connect, connection lost, folder not writable (transient) */
} TekenDeliveryError;

/* TRUE for errors worth retrying automatically (server, timeout, network). */
gboolean teken_delivery_error_is_transient (const GError *error);

/* What is sent: the same content for every channel. */
typedef struct _TekenDeliveryMessage TekenDeliveryMessage;

TekenDeliveryMessage *teken_delivery_message_new      (const char           *idempotency_key,
                                                       const char           *subject,
                                                       const char           *body_text);
/* The person the report is from (the certificate owner). */
void                  teken_delivery_message_set_sender (TekenDeliveryMessage *self,
                                                         const char           *name,
                                                         const char           *email,
                                                         const char           *phone);
/* The folder name for the folder channel, e.g. "2026-11-24-renewal-1a2b3c4d". */
void                  teken_delivery_message_set_package_name (TekenDeliveryMessage *self,
                                                               const char           *name);
void                  teken_delivery_message_add_file (TekenDeliveryMessage *self,
                                                       const char           *filename,
                                                       const char           *content_type,
                                                       GBytes               *bytes);
void                  teken_delivery_message_free     (TekenDeliveryMessage *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenDeliveryMessage, teken_delivery_message_free)

/* The Message-ID an e-mail of this key carries: "<KEY@report.teken.invalid>" (stable across retries). */
char *teken_delivery_message_id_for_key (const char *idempotency_key);

/*
 * Delivers a report through the installation's channel ([delivery] channel in teken.conf):
 *  - osticket: POST JSON to [osticket] url with X-API-Key (keyring) and X-Idempotency-Key;
 *    the receipt is the ticket number the server returns;
 *  - smtp: STARTTLS (or implicit TLS), AUTH PLAIN/LOGIN, a multipart/mixed mail to [smtp] to
 *    whose Message-ID derives from the idempotency key; the receipt is the Message-ID;
 *  - folder: a package directory in [folder] path, written atomically; the receipt is its path.
 * TLS certificates are always verified (system trust, plus [osticket]/[smtp] ca-file when set).
 */
#define TEKEN_TYPE_DELIVERY (teken_delivery_get_type ())
G_DECLARE_FINAL_TYPE (TekenDelivery, teken_delivery, TEKEN, DELIVERY, GObject)

TekenDelivery        *teken_delivery_new          (TekenRaConfig        *config);
TekenRaConfig        *teken_delivery_get_config   (TekenDelivery        *self);

/* Blocking: call from a worker thread (the outbox does). Returns the receipt. */
char                 *teken_delivery_send_sync    (TekenDelivery        *self,
                                                   TekenDeliveryMessage *message,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
/* Takes ownership of message. */
void                  teken_delivery_send_async   (TekenDelivery        *self,
                                                   TekenDeliveryMessage *message,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
char                 *teken_delivery_send_finish  (TekenDelivery        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
