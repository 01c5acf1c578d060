/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "teken-secret.h"

G_BEGIN_DECLS

#define TEKEN_RA_CONFIG_ERROR (teken_ra_config_error_quark ())
GQuark teken_ra_config_error_quark (void);

typedef enum
{
  TEKEN_RA_CONFIG_ERROR_MISSING,     /* a setting the chosen channel needs is not configured */
  TEKEN_RA_CONFIG_ERROR_INVALID,     /* a setting has a wrong value */
  TEKEN_RA_CONFIG_ERROR_NO_SECRET,   /* the API key or password is not in the keyring */
  TEKEN_RA_CONFIG_ERROR_KEYRING,     /* the keyring could not be used */
} TekenRaConfigError;

typedef enum
{
  TEKEN_DELIVERY_CHANNEL_OSTICKET,   /* helpdesk ticket API (osTicket-compatible) */
  TEKEN_DELIVERY_CHANNEL_SMTP,       /* e-mail to the RA */
  TEKEN_DELIVERY_CHANNEL_FOLDER,     /* report package in a folder, uploaded by hand */
} TekenDeliveryChannel;

/* "osticket", "smtp", "folder". */
const char *teken_delivery_channel_to_string   (TekenDeliveryChannel  channel);
gboolean    teken_delivery_channel_from_string (const char           *id,
                                                TekenDeliveryChannel *channel);

/*
 * The installation's settings for reports to the Registration Authority: a key file
 * teken/teken.conf in the system config dirs (/etc/xdg/teken/teken.conf, preset by a Dinas),
 * overridden key by key by g_get_user_config_dir()/teken/teken.conf. Groups and keys are
 * documented in docs/ra-integration.md. (The app's GSettings may wrap this later.)
 * Secrets never live here: they are in the keyring (schema io.github.teken.Teken.Delivery).
 */
#define TEKEN_TYPE_RA_CONFIG (teken_ra_config_get_type ())
G_DECLARE_FINAL_TYPE (TekenRaConfig, teken_ra_config, TEKEN, RA_CONFIG, GObject)

/* Loads the system and user files; missing files are fine, malformed ones are errors. */
TekenRaConfig *teken_ra_config_load            (GError        **error);
/* For tests and tools: only this file. */
TekenRaConfig *teken_ra_config_load_from_file  (const char     *path,
                                                GError        **error);
/* An empty configuration (every value at its default). */
TekenRaConfig *teken_ra_config_new             (void);

/* NULL when unset; transfer full. */
char          *teken_ra_config_get_string      (TekenRaConfig  *self,
                                                const char     *group,
                                                const char     *key);
/* The default when unset or malformed. */
int            teken_ra_config_get_int         (TekenRaConfig  *self,
                                                const char     *group,
                                                const char     *key,
                                                int             default_value);
void           teken_ra_config_set_string      (TekenRaConfig  *self,
                                                const char     *group,
                                                const char     *key,
                                                const char     *value);
/* [delivery] channel; fails when unset or unknown. */
gboolean       teken_ra_config_get_channel     (TekenRaConfig        *self,
                                                TekenDeliveryChannel *channel,
                                                GError              **error);
/* [delivery] timeout in seconds (default 30). */
guint          teken_ra_config_get_timeout     (TekenRaConfig  *self);
/* Writes the user file atomically (the system file is never written). */
gboolean       teken_ra_config_save_user       (TekenRaConfig  *self,
                                                GError        **error);

/*
 * The secret of a channel (osTicket API key, SMTP password) for `account` (the API URL, or
 * "user@host" for SMTP) in the default keyring collection. Blocking (D-Bus): call from a worker
 * thread in UIs.
 */
gboolean       teken_ra_config_store_secret    (TekenDeliveryChannel  channel,
                                                const char           *account,
                                                const char           *secret,
                                                GCancellable         *cancellable,
                                                GError              **error);
TekenSecret   *teken_ra_config_lookup_secret   (TekenDeliveryChannel  channel,
                                                const char           *account,
                                                GCancellable         *cancellable,
                                                GError              **error);
gboolean       teken_ra_config_clear_secret    (TekenDeliveryChannel  channel,
                                                const char           *account,
                                                GCancellable         *cancellable,
                                                GError              **error);

G_END_DECLS
