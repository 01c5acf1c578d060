/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-ltv-settings.h"
#include "teken-atomic-file.h"

#include <errno.h>
#include <libsecret/secret.h>

static const char *level_names[] = { "B-B", "B-T", "B-LT", "B-LTA" };
static const char *auth_names[] = { "none", "basic", "header" };

const char *
teken_pades_level_to_string (TekenPadesLevel level)
{
  if ((guint) level < G_N_ELEMENTS (level_names))
    return level_names[level];
  return NULL;
}

gboolean
teken_pades_level_from_string (const char      *text,
                               TekenPadesLevel *level)
{
  g_autofree char *norm = NULL;

  if (text == NULL)
    return FALSE;
  norm = g_ascii_strup (text, -1);
  g_strdelimit (norm, "_", '-');
  for (guint i = 0; i < G_N_ELEMENTS (level_names); i++)
    if (g_str_equal (norm, level_names[i]) || g_str_equal (norm, level_names[i] + 2))
      {
        *level = i;
        return TRUE;
      }
  return FALSE;
}

char *
teken_ltv_settings_get_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "teken", "teken.conf", NULL);
}

void
teken_ltv_settings_free (TekenLtvSettings *settings)
{
  if (settings == NULL)
    return;
  g_free (settings->tsa_url);
  g_free (settings->username);
  g_free (settings->header_name);
  g_free (settings);
}

static char *
get_string (GKeyFile   *kf,
            const char *key)
{
  g_autofree char *value = g_key_file_get_string (kf, TEKEN_LTV_SETTINGS_GROUP, key, NULL);

  if (value == NULL)
    return NULL;
  g_strstrip (value);
  return *value ? g_steal_pointer (&value) : NULL;
}

static gboolean
settings_error (GError    **error,
                const char *path,
                const char *key)
{
  /* translators: the first %s is a setting's name, the second a file name */
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               _("The setting “%s” in %s has an invalid value"), key, path);
  return FALSE;
}

TekenLtvSettings *
teken_ltv_settings_load (const char  *path,
                         GError     **error)
{
  g_autoptr(TekenLtvSettings) settings = g_new0 (TekenLtvSettings, 1);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *default_path = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *level = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *timeout = NULL;

  settings->timeout = TEKEN_HTTP_DEFAULT_TIMEOUT;
  if (path == NULL)
    path = default_path = teken_ltv_settings_get_path ();

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&settings);
      /* translators: the first %s is a file name, the second the reason */
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE,
                   _("Could not read the settings file %s: %s"), path, local_error->message);
      return NULL;
    }

  settings->tsa_url = get_string (kf, "url");
  settings->username = get_string (kf, "username");
  settings->header_name = get_string (kf, "header");
  settings->level = settings->tsa_url ? TEKEN_PADES_LEVEL_B_T : TEKEN_PADES_LEVEL_B_B;

  level = get_string (kf, "level");
  if (level != NULL && !teken_pades_level_from_string (level, &settings->level))
    return settings_error (error, path, "level"), NULL;

  auth = get_string (kf, "auth");
  if (auth != NULL)
    {
      guint i;

      for (i = 0; i < G_N_ELEMENTS (auth_names); i++)
        if (g_ascii_strcasecmp (auth, auth_names[i]) == 0)
          break;
      if (i == G_N_ELEMENTS (auth_names))
        return settings_error (error, path, "auth"), NULL;
      settings->auth = i;
    }
  if ((settings->auth == TEKEN_TSA_AUTH_BASIC && settings->username == NULL) ||
      (settings->auth == TEKEN_TSA_AUTH_HEADER && settings->header_name == NULL))
    return settings_error (error, path, "auth"), NULL;

  timeout = get_string (kf, "timeout");
  if (timeout != NULL)
    {
      guint64 v;

      if (!g_ascii_string_to_unsigned (timeout, 10, 1, 600, &v, NULL))
        return settings_error (error, path, "timeout"), NULL;
      settings->timeout = v;
    }
  return g_steal_pointer (&settings);
}

gboolean
teken_ltv_settings_save (TekenLtvSettings  *settings,
                         const char        *path,
                         GError           **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *default_path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  gsize len;

  if (path == NULL)
    path = default_path = teken_ltv_settings_get_path ();
  /* Keep other groups (the app's own settings) intact. */
  g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_COMMENTS, NULL);

  if (settings->tsa_url)
    g_key_file_set_string (kf, TEKEN_LTV_SETTINGS_GROUP, "url", settings->tsa_url);
  else
    g_key_file_remove_key (kf, TEKEN_LTV_SETTINGS_GROUP, "url", NULL);
  g_key_file_set_string (kf, TEKEN_LTV_SETTINGS_GROUP, "level",
                         teken_pades_level_to_string (settings->level));
  g_key_file_set_integer (kf, TEKEN_LTV_SETTINGS_GROUP, "timeout", settings->timeout);
  g_key_file_set_string (kf, TEKEN_LTV_SETTINGS_GROUP, "auth", auth_names[settings->auth]);
  if (settings->username)
    g_key_file_set_string (kf, TEKEN_LTV_SETTINGS_GROUP, "username", settings->username);
  if (settings->header_name)
    g_key_file_set_string (kf, TEKEN_LTV_SETTINGS_GROUP, "header", settings->header_name);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      /* translators: the first %s is a folder, the second the reason */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  data = g_key_file_to_data (kf, &len, NULL);
  return teken_atomic_file_set_contents (path, data, len, TRUE, error);
}

/* --- Keyring ------------------------------------------------------------------------------ */

static const SecretSchema *
tsa_schema (void)
{
  static const SecretSchema schema = {
    "io.github.teken.Teken.Tsa", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

gboolean
teken_tsa_secret_store (const char    *url,
                        const char    *secret,
                        GCancellable  *cancellable,
                        GError       **error)
{
  /* translators: %s is a time-stamp server address; this labels the keyring entry */
  g_autofree char *label = g_strdup_printf (_("Teken time-stamp server %s"), url);

  return secret_password_store_sync (tsa_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                                     cancellable, error, "url", url, NULL);
}

TekenSecret *
teken_tsa_secret_lookup (const char    *url,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *pw = secret_password_lookup_sync (tsa_schema (), cancellable, &local_error,
                                          "url", url, NULL);
  TekenSecret *secret;

  if (local_error != NULL)
    {
      /* translators: %s is the keyring's explanation */
      g_set_error (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_NOT_CONFIGURED,
                   _("Could not read the time-stamp server’s password from the keyring: %s"),
                   local_error->message);
      return NULL;
    }
  if (pw == NULL)
    return NULL;
  secret = teken_secret_new (pw);
  secret_password_free (pw);
  return secret;
}

gboolean
teken_tsa_secret_clear (const char    *url,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  secret_password_clear_sync (tsa_schema (), cancellable, &local_error, "url", url, NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

TekenTsaClient *
teken_ltv_settings_create_tsa_client (TekenLtvSettings  *settings,
                                      const char        *url,
                                      GCancellable      *cancellable,
                                      GError           **error)
{
  g_autoptr(TekenHttp) http = teken_http_new ();
  g_autoptr(TekenTsaClient) client = NULL;
  gboolean same_url;

  if (url == NULL)
    url = settings->tsa_url;
  if (url == NULL)
    {
      g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_NOT_CONFIGURED,
                           _("No time-stamp server is configured; give one with --tsa or in the settings"));
      return NULL;
    }
  teken_http_set_timeout (http, settings->timeout);
  teken_http_set_max_size (http, 1u << 20);
  client = teken_tsa_client_new (url, http);

  /* Credentials belong to the configured server only: never send them elsewhere. */
  same_url = g_strcmp0 (url, settings->tsa_url) == 0;
  if (same_url && settings->auth != TEKEN_TSA_AUTH_NONE)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(TekenSecret) secret = teken_tsa_secret_lookup (url, cancellable, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (secret == NULL)
        {
          /* translators: %s is a time-stamp server address */
          g_set_error (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_NOT_CONFIGURED,
                       _("The keyring holds no password for the time-stamp server %s; store it with “teken-cli timestamp --store-credentials”"),
                       url);
          return NULL;
        }
      if (settings->auth == TEKEN_TSA_AUTH_BASIC)
        teken_tsa_client_set_auth (client, teken_http_auth_new_basic (settings->username, secret));
      else
        teken_tsa_client_set_auth (client, teken_http_auth_new_header (settings->header_name, secret));
    }
  return g_steal_pointer (&client);
}
