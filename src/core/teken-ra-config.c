/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-ra-config.h"

#include <errno.h>
#include <libsecret/secret.h>
#include <openssl/crypto.h>

#include "teken-atomic-file.h"

G_DEFINE_QUARK (teken-ra-config-error-quark, teken_ra_config_error)

static const char * const channel_ids[] = {
  [TEKEN_DELIVERY_CHANNEL_OSTICKET] = "osticket",
  [TEKEN_DELIVERY_CHANNEL_SMTP] = "smtp",
  [TEKEN_DELIVERY_CHANNEL_FOLDER] = "folder",
};

const char *
teken_delivery_channel_to_string (TekenDeliveryChannel channel)
{
  return channel < G_N_ELEMENTS (channel_ids) ? channel_ids[channel] : NULL;
}

gboolean
teken_delivery_channel_from_string (const char           *id,
                                    TekenDeliveryChannel *channel)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (channel_ids); i++)
    if (g_str_equal (id, channel_ids[i]))
      {
        *channel = i;
        return TRUE;
      }
  return FALSE;
}

struct _TekenRaConfig
{
  GObject parent_instance;
  GKeyFile *merged;
};

G_DEFINE_FINAL_TYPE (TekenRaConfig, teken_ra_config, G_TYPE_OBJECT)

static void
teken_ra_config_finalize (GObject *object)
{
  TekenRaConfig *self = (TekenRaConfig *) object;

  g_clear_pointer (&self->merged, g_key_file_unref);
  G_OBJECT_CLASS (teken_ra_config_parent_class)->finalize (object);
}

static void
teken_ra_config_class_init (TekenRaConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_ra_config_finalize;
}

static void
teken_ra_config_init (TekenRaConfig *self)
{
  self->merged = g_key_file_new ();
}

TekenRaConfig *
teken_ra_config_new (void)
{
  return g_object_new (TEKEN_TYPE_RA_CONFIG, NULL);
}

/* Copies every key of `path` over the merged settings; a missing file is not an error. */
static gboolean
merge_file (TekenRaConfig  *self,
            const char     *path,
            GError        **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      /* translators: the first %s is a file name, the second the reason */
      g_set_error (error, TEKEN_RA_CONFIG_ERROR, TEKEN_RA_CONFIG_ERROR_INVALID,
                   _("Could not read the settings file “%s”: %s"), path, local->message);
      return FALSE;
    }
  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i]; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (kf, groups[i], NULL, NULL);
      for (guint j = 0; keys != NULL && keys[j]; j++)
        {
          g_autofree char *v = g_key_file_get_value (kf, groups[i], keys[j], NULL);
          g_key_file_set_value (self->merged, groups[i], keys[j], v);
        }
    }
  return TRUE;
}

static char *
user_file (void)
{
  return g_build_filename (g_get_user_config_dir (), "teken", "teken.conf", NULL);
}

TekenRaConfig *
teken_ra_config_load (GError **error)
{
  g_autoptr(TekenRaConfig) self = teken_ra_config_new ();
  const char * const *dirs = g_get_system_config_dirs ();
  g_autofree char *user = user_file ();
  guint n = g_strv_length ((char **) dirs);

  /* XDG: earlier system dirs win, so merge from the last to the first, then the user's file. */
  for (guint i = n; i > 0; i--)
    {
      g_autofree char *path = g_build_filename (dirs[i - 1], "teken", "teken.conf", NULL);
      if (!merge_file (self, path, error))
        return NULL;
    }
  if (!merge_file (self, user, error))
    return NULL;
  return g_steal_pointer (&self);
}

TekenRaConfig *
teken_ra_config_load_from_file (const char  *path,
                                GError     **error)
{
  g_autoptr(TekenRaConfig) self = teken_ra_config_new ();

  if (!merge_file (self, path, error))
    return NULL;
  return g_steal_pointer (&self);
}

char *
teken_ra_config_get_string (TekenRaConfig *self,
                            const char    *group,
                            const char    *key)
{
  char *v = g_key_file_get_string (self->merged, group, key, NULL);

  if (v != NULL && *g_strstrip (v) == '\0')
    g_clear_pointer (&v, g_free);
  return v;
}

int
teken_ra_config_get_int (TekenRaConfig *self,
                         const char    *group,
                         const char    *key,
                         int            default_value)
{
  g_autoptr(GError) error = NULL;
  int v = g_key_file_get_integer (self->merged, group, key, &error);

  return error != NULL ? default_value : v;
}

void
teken_ra_config_set_string (TekenRaConfig *self,
                            const char    *group,
                            const char    *key,
                            const char    *value)
{
  if (value == NULL)
    g_key_file_remove_key (self->merged, group, key, NULL);
  else
    g_key_file_set_string (self->merged, group, key, value);
}

gboolean
teken_ra_config_get_channel (TekenRaConfig         *self,
                             TekenDeliveryChannel  *channel,
                             GError               **error)
{
  g_autofree char *id = teken_ra_config_get_string (self, "delivery", "channel");

  if (id == NULL)
    {
      g_set_error_literal (error, TEKEN_RA_CONFIG_ERROR, TEKEN_RA_CONFIG_ERROR_MISSING,
                           _("No delivery channel is configured; set “channel” in the [delivery] group of teken.conf"));
      return FALSE;
    }
  if (!teken_delivery_channel_from_string (id, channel))
    {
      /* translators: %s is the configured value; osticket, smtp and folder are not translated */
      g_set_error (error, TEKEN_RA_CONFIG_ERROR, TEKEN_RA_CONFIG_ERROR_INVALID,
                   _("Unknown delivery channel “%s”; use osticket, smtp or folder"), id);
      return FALSE;
    }
  return TRUE;
}

guint
teken_ra_config_get_timeout (TekenRaConfig *self)
{
  int t = teken_ra_config_get_int (self, "delivery", "timeout", 30);

  return t > 0 ? t : 30;
}

gboolean
teken_ra_config_save_user (TekenRaConfig  *self,
                           GError        **error)
{
  g_autofree char *path = user_file ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  gsize len;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  data = g_key_file_to_data (self->merged, &len, NULL);
  return teken_atomic_file_set_contents (path, data, len, TRUE, error);
}

/* ---- keyring -------------------------------------------------------------------------------- */

static const SecretSchema *
delivery_schema (void)
{
  static const SecretSchema schema = {
    "io.github.teken.Teken.Delivery", SECRET_SCHEMA_NONE,
    {
      { "channel", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static void
keyring_error (GError     **error,
               GError      *local)
{
  /* translators: %s is the keyring's own error message */
  g_set_error (error, TEKEN_RA_CONFIG_ERROR, TEKEN_RA_CONFIG_ERROR_KEYRING,
               _("The keyring could not be used: %s"), local->message);
}

gboolean
teken_ra_config_store_secret (TekenDeliveryChannel  channel,
                              const char           *account,
                              const char           *secret,
                              GCancellable         *cancellable,
                              GError              **error)
{
  g_autoptr(GError) local = NULL;
  /* translators: the label of the keyring item; %s is osticket or smtp, then an account */
  g_autofree char *label = g_strdup_printf (_("Teken report delivery (%s, %s)"),
                                            teken_delivery_channel_to_string (channel), account);

  if (!secret_password_store_sync (delivery_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                                   cancellable, &local,
                                   "channel", teken_delivery_channel_to_string (channel),
                                   "account", account, NULL))
    {
      keyring_error (error, local);
      return FALSE;
    }
  return TRUE;
}

TekenSecret *
teken_ra_config_lookup_secret (TekenDeliveryChannel  channel,
                               const char           *account,
                               GCancellable         *cancellable,
                               GError              **error)
{
  g_autoptr(GError) local = NULL;
  char *pw = secret_password_lookup_nonpageable_sync (delivery_schema (), cancellable, &local,
                                                      "channel", teken_delivery_channel_to_string (channel),
                                                      "account", account, NULL);
  TekenSecret *secret;

  if (local != NULL)
    {
      keyring_error (error, local);
      return NULL;
    }
  if (pw == NULL)
    {
      /* translators: %s is an account such as an URL or user@host */
      g_set_error (error, TEKEN_RA_CONFIG_ERROR, TEKEN_RA_CONFIG_ERROR_NO_SECRET,
                   channel == TEKEN_DELIVERY_CHANNEL_OSTICKET
                   ? _("No helpdesk API key for “%s” in the keyring; run “teken-cli outbox set-secret osticket”")
                   : _("No SMTP password for “%s” in the keyring; run “teken-cli outbox set-secret smtp”"),
                   account);
      return NULL;
    }
  secret = teken_secret_new (pw);
  secret_password_free (pw);
  return secret;
}

gboolean
teken_ra_config_clear_secret (TekenDeliveryChannel  channel,
                              const char           *account,
                              GCancellable         *cancellable,
                              GError              **error)
{
  g_autoptr(GError) local = NULL;

  secret_password_clear_sync (delivery_schema (), cancellable, &local,
                              "channel", teken_delivery_channel_to_string (channel),
                              "account", account, NULL);
  if (local != NULL)
    {
      keyring_error (error, local);
      return FALSE;
    }
  return TRUE;
}
