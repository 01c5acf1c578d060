/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "teken-secret.h"
#include "teken-tsa.h"

G_BEGIN_DECLS

/* PAdES baseline levels (ETSI EN 319 142-1). */
typedef enum
{
  TEKEN_PADES_LEVEL_B_B,    /* signature only */
  TEKEN_PADES_LEVEL_B_T,    /* + signature time stamp */
  TEKEN_PADES_LEVEL_B_LT,   /* + /DSS with certificates, OCSP responses and CRLs */
  TEKEN_PADES_LEVEL_B_LTA,  /* + document time stamp over everything */
} TekenPadesLevel;

/* "B-B", "B-T", "B-LT", "B-LTA" and back (case-insensitive, "B_T" accepted). */
const char *teken_pades_level_to_string   (TekenPadesLevel  level);
gboolean    teken_pades_level_from_string (const char      *text,
                                           TekenPadesLevel *level);

typedef enum
{
  TEKEN_TSA_AUTH_NONE,
  TEKEN_TSA_AUTH_BASIC,     /* username in the settings, password in the keyring */
  TEKEN_TSA_AUTH_HEADER,    /* header name in the settings, its value in the keyring */
} TekenTsaAuthKind;

/*
 * Long-term-validation settings, shared by the CLI and (later) the app's preferences:
 * the key file g_get_user_config_dir()/teken/teken.conf, group [timestamp] (see docs/ltv.md).
 * Secrets are never in this file: they live in the keyring under the schema
 * io.github.teken.Teken.Tsa, attribute "url".
 */
typedef struct
{
  char *tsa_url;              /* url=          (NULL: none) */
  TekenPadesLevel level;      /* level=        default B-B when no TSA, else B-T */
  guint timeout;              /* timeout=      seconds for TSA, OCSP and CRL requests */
  TekenTsaAuthKind auth;      /* auth=         none | basic | header */
  char *username;             /* username= */
  char *header_name;          /* header= */
} TekenLtvSettings;

#define TEKEN_LTV_SETTINGS_GROUP "timestamp"

/* The settings file path (need not exist). */
char             *teken_ltv_settings_get_path (void);
/* Defaults when the file does not exist; an error only for an unreadable or malformed file. */
TekenLtvSettings *teken_ltv_settings_load     (const char        *path,
                                               GError           **error);
gboolean          teken_ltv_settings_save     (TekenLtvSettings  *settings,
                                               const char        *path,
                                               GError           **error);
void              teken_ltv_settings_free     (TekenLtvSettings  *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenLtvSettings, teken_ltv_settings_free)

/* TSA secrets in the keyring (blocking: D-Bus). lookup returns NULL without error when absent. */
gboolean     teken_tsa_secret_store   (const char    *url,
                                       const char    *secret,
                                       GCancellable  *cancellable,
                                       GError       **error);
TekenSecret *teken_tsa_secret_lookup  (const char    *url,
                                       GCancellable  *cancellable,
                                       GError       **error);
gboolean     teken_tsa_secret_clear   (const char    *url,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* A TSA client for url (NULL: the settings' URL) with the settings' timeout and credentials
 * (looked up in the keyring when auth is not none). */
TekenTsaClient *teken_ltv_settings_create_tsa_client (TekenLtvSettings  *settings,
                                                      const char        *url,
                                                      GCancellable      *cancellable,
                                                      GError           **error);

G_END_DECLS
