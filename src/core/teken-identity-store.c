/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-identity-store.h"
#include "teken-identity-private.h"
#include "teken-atomic-file.h"
#include "teken-p12-key.h"

#define WATCH_INTERVAL_US (2 * G_TIME_SPAN_SECOND)

struct _TekenIdentityStore
{
  GObject       parent_instance;

  GListStore   *identities;
  GMainContext *context;
  GPtrArray    *module_paths;       /* char*, NULL-terminated for teken_pkcs11_get_modules */
  gboolean      use_registered;
  gboolean      loaded;
  GError       *keyring_error;

  /* Token watcher (a worker thread polling the slots). */
  GThread      *watch_thread;
  GMutex        watch_lock;
  GCond         watch_cond;
  gboolean      watch_stop;
};

G_DEFINE_FINAL_TYPE (TekenIdentityStore, teken_identity_store, G_TYPE_OBJECT)

enum
{
  SIGNAL_IDENTITIES_CHANGED,
  SIGNAL_TOKEN_ADDED,
  SIGNAL_TOKEN_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a refresh found, computed in a worker and applied on the store's context. */
typedef struct
{
  GPtrArray *identities;
  GError    *keyring_error;
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_ptr_array_unref (snapshot->identities);
  g_clear_error (&snapshot->keyring_error);
  g_free (snapshot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

static char *
modules_conf_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "teken", "modules.conf", NULL);
}

static void
read_modules_conf (TekenIdentityStore *self)
{
  g_autofree char *path = modules_conf_path ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line != '\0' && *line != '#')
        g_ptr_array_insert (self->module_paths, self->module_paths->len - 1, g_strdup (line));
    }
}

static void stop_watch (TekenIdentityStore *self);

static void
teken_identity_store_dispose (GObject *object)
{
  TekenIdentityStore *self = TEKEN_IDENTITY_STORE (object);

  stop_watch (self);
  G_OBJECT_CLASS (teken_identity_store_parent_class)->dispose (object);
}

static void
teken_identity_store_finalize (GObject *object)
{
  TekenIdentityStore *self = TEKEN_IDENTITY_STORE (object);

  g_clear_object (&self->identities);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->module_paths, g_ptr_array_unref);
  g_clear_error (&self->keyring_error);
  g_mutex_clear (&self->watch_lock);
  g_cond_clear (&self->watch_cond);

  G_OBJECT_CLASS (teken_identity_store_parent_class)->finalize (object);
}

static void
teken_identity_store_class_init (TekenIdentityStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = teken_identity_store_dispose;
  object_class->finalize = teken_identity_store_finalize;

  signals[SIGNAL_IDENTITIES_CHANGED] =
    g_signal_new ("identities-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_TOKEN_ADDED] =
    g_signal_new ("token-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_TOKEN_REMOVED] =
    g_signal_new ("token-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
teken_identity_store_init (TekenIdentityStore *self)
{
  self->identities = g_list_store_new (TEKEN_TYPE_IDENTITY);
  self->context = g_main_context_ref_thread_default ();
  self->module_paths = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->module_paths, NULL);
  self->use_registered = TRUE;
  g_mutex_init (&self->watch_lock);
  g_cond_init (&self->watch_cond);
  read_modules_conf (self);
}

TekenIdentityStore *
teken_identity_store_new (void)
{
  return g_object_new (TEKEN_TYPE_IDENTITY_STORE, NULL);
}

static gboolean
has_module_path (TekenIdentityStore *self,
                 const char         *path)
{
  for (guint i = 0; i + 1 < self->module_paths->len; i++)
    if (g_str_equal (self->module_paths->pdata[i], path))
      return TRUE;
  return FALSE;
}

static gboolean
persist_module (const char  *path,
                GError     **error)
{
  g_autofree char *conf = modules_conf_path ();
  g_autofree char *dir = g_path_get_dirname (conf);
  g_autofree char *old = NULL;
  g_autoptr(GString) contents = g_string_new (NULL);

  if (g_file_get_contents (conf, &old, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (old, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        if (g_str_equal (g_strstrip (lines[i]), path))
          return TRUE;
      g_string_append (contents, old);
      if (contents->len > 0 && contents->str[contents->len - 1] != '\n')
        g_string_append_c (contents, '\n');
    }
  g_string_append_printf (contents, "%s\n", path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      /* translators: the first %s is a folder, the second the system's reason */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  return teken_atomic_file_set_contents (conf, contents->str, contents->len, TRUE, error);
}

gboolean
teken_identity_store_add_module (TekenIdentityStore  *self,
                                 const char          *module_path,
                                 gboolean             persist,
                                 GError             **error)
{
  g_autofree char *absolute = NULL;

  g_return_val_if_fail (TEKEN_IS_IDENTITY_STORE (self), FALSE);
  g_return_val_if_fail (module_path != NULL, FALSE);

  absolute = g_canonicalize_filename (module_path, NULL);
  /* Load it now so that a wrong path is reported here rather than ignored at refresh. */
  if (teken_pkcs11_load_module (absolute, error) == NULL)
    return FALSE;
  if (persist && !persist_module (absolute, error))
    return FALSE;
  g_mutex_lock (&self->watch_lock);
  if (!has_module_path (self, absolute))
    g_ptr_array_insert (self->module_paths, self->module_paths->len - 1, g_steal_pointer (&absolute));
  g_mutex_unlock (&self->watch_lock);
  return TRUE;
}

void
teken_identity_store_set_use_registered_modules (TekenIdentityStore *self,
                                                 gboolean            use)
{
  g_return_if_fail (TEKEN_IS_IDENTITY_STORE (self));
  g_mutex_lock (&self->watch_lock);
  self->use_registered = use;
  g_mutex_unlock (&self->watch_lock);
}

/* A copy of the settings the worker needs, so it never touches the store's fields. */
typedef struct
{
  gboolean  use_registered;
  GStrv     module_paths;
} ModuleSettings;

static ModuleSettings *
module_settings_new (TekenIdentityStore *self)
{
  ModuleSettings *settings = g_new0 (ModuleSettings, 1);

  settings->use_registered = self->use_registered;
  settings->module_paths = g_strdupv ((GStrv) self->module_paths->pdata);
  return settings;
}

static void
module_settings_free (ModuleSettings *settings)
{
  g_strfreev (settings->module_paths);
  g_free (settings);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ModuleSettings, module_settings_free)

static GPtrArray *
get_modules (const ModuleSettings *settings)
{
  g_autofree char *errors = NULL;
  GPtrArray *modules;

  modules = teken_pkcs11_get_modules (settings->use_registered,
                                      (const char * const *) settings->module_paths, &errors);
  if (errors != NULL)
    g_debug ("%s", errors);
  return modules;
}

static void
collect_tokens (const ModuleSettings *settings,
                GPtrArray            *identities)
{
  g_autoptr(GPtrArray) modules = get_modules (settings);
  g_autoptr(GPtrArray) tokens = teken_pkcs11_list_tokens (modules);

  for (guint t = 0; t < tokens->len; t++)
    {
      TekenPkcs11Token *token = tokens->pdata[t];
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) certs = teken_pkcs11_list_certificates (token, &error);

      if (certs == NULL)
        {
          g_debug ("Token %s skipped: %s", token->label, error->message);
          continue;
        }
      for (guint c = 0; c < certs->len; c++)
        g_ptr_array_add (identities, teken_identity_new_token (token, certs->pdata[c]));
    }
}

static Snapshot *
collect (const ModuleSettings *settings,
         GCancellable         *cancellable)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);
  g_autoptr(GPtrArray) entries = NULL;

  snapshot->identities = g_ptr_array_new_with_free_func (g_object_unref);
  entries = teken_keyring_list (cancellable, &snapshot->keyring_error);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      g_autoptr(GError) error = NULL;
      TekenIdentity *identity = teken_identity_new_keyring (entries->pdata[i], &error);

      if (identity == NULL)
        g_debug ("Keyring item skipped: %s", error->message);
      else
        g_ptr_array_add (snapshot->identities, identity);
      /* Listed all the same (the certificates are public), but the keys cannot be opened. */
      if (((TekenKeyringEntry *) entries->pdata[i])->locked && snapshot->keyring_error == NULL)
        g_set_error_literal (&snapshot->keyring_error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_KEYRING_LOCKED,
                             _("The keyring is locked; unlock it (for example by logging in again) and retry"));
    }
  collect_tokens (settings, snapshot->identities);
  return snapshot;
}

static void
apply_snapshot (TekenIdentityStore *self,
                Snapshot           *snapshot)
{
  g_clear_error (&self->keyring_error);
  self->keyring_error = g_steal_pointer (&snapshot->keyring_error);
  g_list_store_splice (self->identities, 0, g_list_model_get_n_items (G_LIST_MODEL (self->identities)),
                       snapshot->identities->pdata, snapshot->identities->len);
  self->loaded = TRUE;
  g_signal_emit (self, signals[SIGNAL_IDENTITIES_CHANGED], 0);
}

gboolean
teken_identity_store_refresh_sync (TekenIdentityStore  *self,
                                   GCancellable        *cancellable,
                                   GError             **error)
{
  g_autoptr(ModuleSettings) settings = NULL;
  g_autoptr(Snapshot) snapshot = NULL;

  g_return_val_if_fail (TEKEN_IS_IDENTITY_STORE (self), FALSE);

  settings = module_settings_new (self);
  snapshot = collect (settings, cancellable);
  if (g_error_matches (snapshot->keyring_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&snapshot->keyring_error));
      return FALSE;
    }
  apply_snapshot (self, snapshot);
  return TRUE;
}

static void
refresh_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Snapshot *snapshot = collect (task_data, cancellable);

  if (g_error_matches (snapshot->keyring_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&snapshot->keyring_error));
      snapshot_free (snapshot);
      return;
    }
  g_task_return_pointer (task, snapshot, (GDestroyNotify) snapshot_free);
}

static void
refresh_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  g_autoptr(Snapshot) snapshot = NULL;
  GError *error = NULL;

  snapshot = g_task_propagate_pointer (G_TASK (result), &error);
  if (snapshot == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  apply_snapshot (TEKEN_IDENTITY_STORE (source), snapshot);
  g_task_return_boolean (outer, TRUE);
}

void
teken_identity_store_refresh_async (TekenIdentityStore  *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *outer;
  g_autoptr(GTask) inner = NULL;

  g_return_if_fail (TEKEN_IS_IDENTITY_STORE (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, teken_identity_store_refresh_async);
  /* The inner task collects in a thread; its callback applies the result on this context. */
  inner = g_task_new (self, cancellable, refresh_done, outer);
  g_task_set_task_data (inner, module_settings_new (self), (GDestroyNotify) module_settings_free);
  g_task_run_in_thread (inner, refresh_thread);
}

gboolean
teken_identity_store_refresh_finish (TekenIdentityStore  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const GError *
teken_identity_store_get_keyring_error (TekenIdentityStore *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY_STORE (self), NULL);
  return self->keyring_error;
}

GListModel *
teken_identity_store_get_identities (TekenIdentityStore *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY_STORE (self), NULL);
  return G_LIST_MODEL (self->identities);
}

static TekenIdentity *
lookup_uri (TekenIdentityStore  *self,
            const char          *id,
            GError             **error)
{
  P11KitUri *uri = p11_kit_uri_new ();
  GListModel *model = G_LIST_MODEL (self->identities);
  g_autoptr(TekenIdentity) found = NULL;
  guint matches = 0;
  int res;

  res = p11_kit_uri_parse (id, P11_KIT_URI_FOR_ANY, uri);
  if (res != P11_KIT_URI_OK)
    {
      p11_kit_uri_free (uri);
      /* translators: the first %s is what the user typed, the second p11-kit's reason */
      g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_INVALID_ID,
                   _("“%s” is not a valid PKCS#11 URI: %s"), id, p11_kit_uri_message (res));
      return NULL;
    }
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenIdentity) identity = g_list_model_get_item (model, i);

      if (teken_identity_get_kind (identity) != TEKEN_IDENTITY_KIND_TOKEN ||
          !teken_pkcs11_uri_matches (uri, teken_identity_get_token (identity),
                                     teken_identity_get_object_id (identity),
                                     teken_identity_get_object_label (identity)))
        continue;
      matches++;
      g_set_object (&found, identity);
    }
  p11_kit_uri_free (uri);

  if (matches == 1)
    return g_steal_pointer (&found);   /* the model keeps a reference */
  if (matches == 0)
    /* translators: %s is a pkcs11: URI */
    g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_FOUND,
                 _("No certificate with a key on an inserted token matches “%s”"), id);
  else
    /* translators: %u is a count (2 or more), %s a pkcs11: URI */
    g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_FOUND,
                 _("%u certificates match “%s”; add id= or object= to choose one"), matches, id);
  return NULL;
}

TekenIdentity *
teken_identity_store_lookup (TekenIdentityStore  *self,
                             const char          *id,
                             GError             **error)
{
  GListModel *model;
  TekenIdentity *identity;

  g_return_val_if_fail (TEKEN_IS_IDENTITY_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  model = G_LIST_MODEL (self->identities);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenIdentity) candidate = g_list_model_get_item (model, i);

      if (g_str_equal (teken_identity_get_id (candidate), id))
        return candidate;   /* transfer none: the model holds it */
    }
  if (g_str_has_prefix (id, "pkcs11:"))
    {
      identity = lookup_uri (self, id, error);
      if (identity != NULL)
        g_object_unref (identity);   /* the model still holds it */
      return identity;
    }
  if (g_str_has_prefix (id, "keyring:") && self->keyring_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->keyring_error));
      return NULL;
    }
  /* translators: %s is an identity id as "teken-cli certs list" prints it */
  g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_FOUND,
               _("No identity “%s”; “teken-cli certs list” shows the ids"), id);
  return NULL;
}

/* ---- token watching ------------------------------------------------------------------------ */

typedef struct
{
  GWeakRef  store;
  gboolean  added;
  char     *label;
  char     *module_path;
} TokenEvent;

static void
token_event_free (TokenEvent *event)
{
  g_weak_ref_clear (&event->store);
  g_free (event->label);
  g_free (event->module_path);
  g_free (event);
}

static void
refresh_after_event (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!teken_identity_store_refresh_finish (TEKEN_IDENTITY_STORE (source), result, &error))
    g_debug ("Refresh after a token event failed: %s", error->message);
}

static gboolean
emit_token_event (gpointer data)
{
  TokenEvent *event = data;
  g_autoptr(TekenIdentityStore) self = g_weak_ref_get (&event->store);

  if (self == NULL)
    return G_SOURCE_REMOVE;
  g_signal_emit (self, signals[event->added ? SIGNAL_TOKEN_ADDED : SIGNAL_TOKEN_REMOVED], 0,
                 event->label, event->module_path);
  teken_identity_store_refresh_async (self, NULL, refresh_after_event, NULL);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  TekenIdentityStore *self;     /* not a reference: dispose joins the thread first */
  GMainContext       *context;
  ModuleSettings     *initial;  /* the modules when watching started: the baseline */
} WatchData;

/* "module\tserial\tlabel" -> label, of every present token. */
static GHashTable *
token_set (const ModuleSettings *settings)
{
  g_autoptr(GPtrArray) modules = get_modules (settings);
  g_autoptr(GPtrArray) tokens = teken_pkcs11_list_tokens (modules);
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) teken_pkcs11_token_free);

  for (guint i = 0; i < tokens->len; i++)
    {
      TekenPkcs11Token *token = tokens->pdata[i];

      g_hash_table_insert (set, g_strdup_printf ("%s\t%s\t%s", token->module_path, token->serial, token->label),
                           teken_pkcs11_token_copy (token));
    }
  return set;
}

static void
post_differences (WatchData  *data,
                  GHashTable *before,
                  GHashTable *after,
                  gboolean    added)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TekenPkcs11Token *token = value;
      TokenEvent *event;

      if (g_hash_table_contains (before, key))
        continue;
      event = g_new0 (TokenEvent, 1);
      g_weak_ref_init (&event->store, data->self);
      event->added = added;
      event->label = g_strdup (token->label);
      event->module_path = g_strdup (token->module_path);
      g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, emit_token_event, event,
                                  (GDestroyNotify) token_event_free);
    }
}

static gpointer
watch_thread (gpointer user_data)
{
  WatchData *data = user_data;
  TekenIdentityStore *self = data->self;
  g_autoptr(GHashTable) known = NULL;
  ModuleSettings *settings;

  known = token_set (data->initial);
  g_clear_pointer (&data->initial, module_settings_free);

  g_mutex_lock (&self->watch_lock);
  while (!self->watch_stop)
    {
      gint64 deadline = g_get_monotonic_time () + WATCH_INTERVAL_US;
      g_autoptr(GHashTable) now = NULL;

      while (!self->watch_stop && g_cond_wait_until (&self->watch_cond, &self->watch_lock, deadline))
        ;
      if (self->watch_stop)
        break;
      /* Read each round: a module added while watching brings its tokens in as "added". */
      settings = module_settings_new (self);
      g_mutex_unlock (&self->watch_lock);
      now = token_set (settings);
      module_settings_free (settings);
      post_differences (data, known, now, TRUE);
      post_differences (data, now, known, FALSE);
      g_hash_table_unref (known);
      known = g_steal_pointer (&now);
      g_mutex_lock (&self->watch_lock);
    }
  g_mutex_unlock (&self->watch_lock);

  g_main_context_unref (data->context);
  g_free (data);
  return NULL;
}

static void
stop_watch (TekenIdentityStore *self)
{
  if (self->watch_thread == NULL)
    return;
  g_mutex_lock (&self->watch_lock);
  self->watch_stop = TRUE;
  g_cond_signal (&self->watch_cond);
  g_mutex_unlock (&self->watch_lock);
  g_thread_join (g_steal_pointer (&self->watch_thread));
}

void
teken_identity_store_set_watch_tokens (TekenIdentityStore *self,
                                       gboolean            watch)
{
  WatchData *data;

  g_return_if_fail (TEKEN_IS_IDENTITY_STORE (self));

  if (!watch)
    {
      stop_watch (self);
      return;
    }
  if (self->watch_thread != NULL)
    return;
  data = g_new0 (WatchData, 1);
  data->self = self;
  data->initial = module_settings_new (self);
  data->context = g_main_context_ref (self->context);
  self->watch_stop = FALSE;
  self->watch_thread = g_thread_new ("teken-token-watch", watch_thread, data);
}

/* ---- import / remove ------------------------------------------------------------------------ */

static TekenIdentity *
import_p12 (GBytes             *p12,
            const TekenSecret  *passphrase,
            TekenImportFlags    flags,
            GCancellable       *cancellable,
            GError            **error)
{
  g_autoptr(TekenP12Key) key = NULL;
  g_autoptr(TekenIdentity) identity = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *not_after = NULL;
  gboolean remember = (flags & TEKEN_IMPORT_FLAGS_REMEMBER_PASSPHRASE) != 0;
  gboolean exists = FALSE;

  /* Parsing with the passphrase proves it right and that the file holds a key. */
  key = teken_p12_key_new_from_bytes (p12, passphrase != NULL ? passphrase : "", error);
  if (key == NULL)
    return NULL;
  identity = teken_identity_new_keyring_import (teken_key_get_certificate (TEKEN_KEY (key)),
                                                teken_key_get_chain (TEKEN_KEY (key)),
                                                remember && passphrase != NULL);
  if (!teken_keyring_contains (teken_identity_get_fingerprint (identity), &exists, cancellable, error))
    return NULL;
  if (exists)
    {
      /* translators: %s is the certificate holder's name */
      g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_DUPLICATE,
                   _("The certificate of “%s” is already in the keyring"), teken_identity_get_label (identity));
      return NULL;
    }
  pem = teken_identity_dup_certificates_pem (identity);
  not_after = teken_identity_dup_not_after_iso (identity);
  if (!teken_keyring_store_p12 (p12, teken_identity_get_fingerprint (identity),
                                teken_identity_get_label (identity),
                                teken_identity_get_subject (identity),
                                teken_identity_get_issuer (identity),
                                not_after, "", pem, cancellable, error))
    return NULL;
  if (remember && passphrase != NULL &&
      !teken_keyring_store_passphrase (teken_identity_get_fingerprint (identity),
                                       teken_identity_get_label (identity), passphrase,
                                       cancellable, error))
    {
      /* Leave nothing half-imported behind. */
      teken_keyring_remove (teken_identity_get_fingerprint (identity), NULL, NULL);
      return NULL;
    }
  return g_steal_pointer (&identity);
}

static void
add_identity (TekenIdentityStore *self,
              TekenIdentity      *identity)
{
  g_list_store_append (self->identities, identity);
  g_signal_emit (self, signals[SIGNAL_IDENTITIES_CHANGED], 0);
}

TekenIdentity *
teken_identity_store_import_p12_sync (TekenIdentityStore  *self,
                                      GBytes              *p12,
                                      const TekenSecret   *passphrase,
                                      TekenImportFlags     flags,
                                      GCancellable        *cancellable,
                                      GError             **error)
{
  TekenIdentity *identity;

  g_return_val_if_fail (TEKEN_IS_IDENTITY_STORE (self), NULL);
  g_return_val_if_fail (p12 != NULL, NULL);

  identity = import_p12 (p12, passphrase, flags, cancellable, error);
  if (identity != NULL)
    add_identity (self, identity);
  return identity;
}

TekenIdentity *
teken_identity_store_import_p12_file_sync (TekenIdentityStore  *self,
                                           GFile               *file,
                                           const TekenSecret   *passphrase,
                                           TekenImportFlags     flags,
                                           GCancellable        *cancellable,
                                           GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  bytes = g_file_load_bytes (file, cancellable, NULL, error);
  if (bytes == NULL)
    return NULL;
  return teken_identity_store_import_p12_sync (self, bytes, passphrase, flags, cancellable, error);
}

typedef struct
{
  GBytes           *p12;
  TekenSecret      *passphrase;
  TekenImportFlags  flags;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_bytes_unref (data->p12);
  teken_secret_free (data->passphrase);
  g_free (data);
}

static void
import_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  GError *error = NULL;
  TekenIdentity *identity = import_p12 (data->p12, data->passphrase, data->flags, cancellable, &error);

  if (identity == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, identity, g_object_unref);
}

void
teken_identity_store_import_p12_async (TekenIdentityStore  *self,
                                       GBytes              *p12,
                                       const TekenSecret   *passphrase,
                                       TekenImportFlags     flags,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (TEKEN_IS_IDENTITY_STORE (self));
  g_return_if_fail (p12 != NULL);

  data = g_new0 (ImportData, 1);
  data->p12 = g_bytes_ref (p12);
  data->passphrase = passphrase != NULL ? teken_secret_new (passphrase) : NULL;
  data->flags = flags;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teken_identity_store_import_p12_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_thread);
}

TekenIdentity *
teken_identity_store_import_p12_finish (TekenIdentityStore  *self,
                                        GAsyncResult        *result,
                                        GError             **error)
{
  TekenIdentity *identity;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  identity = g_task_propagate_pointer (G_TASK (result), error);
  if (identity != NULL)
    add_identity (self, identity);
  return identity;
}

static gboolean
remove_identity (TekenIdentity  *identity,
                 GCancellable   *cancellable,
                 GError        **error)
{
  if (teken_identity_get_kind (identity) != TEKEN_IDENTITY_KIND_KEYRING)
    {
      g_set_error_literal (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_SUPPORTED,
                           _("Only identities in the keyring can be removed; a token's keys stay on the token"));
      return FALSE;
    }
  return teken_keyring_remove (teken_identity_get_fingerprint (identity), cancellable, error);
}

static void
drop_identity (TekenIdentityStore *self,
               TekenIdentity      *identity)
{
  GListModel *model = G_LIST_MODEL (self->identities);

  /* By id: after a refresh the model holds new objects for the same identities. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenIdentity) item = g_list_model_get_item (model, i);

      if (g_str_equal (teken_identity_get_id (item), teken_identity_get_id (identity)))
        {
          g_list_store_remove (self->identities, i);
          g_signal_emit (self, signals[SIGNAL_IDENTITIES_CHANGED], 0);
          return;
        }
    }
}

gboolean
teken_identity_store_remove_sync (TekenIdentityStore  *self,
                                  TekenIdentity       *identity,
                                  GCancellable        *cancellable,
                                  GError             **error)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY_STORE (self), FALSE);
  g_return_val_if_fail (TEKEN_IS_IDENTITY (identity), FALSE);

  if (!remove_identity (identity, cancellable, error))
    return FALSE;
  drop_identity (self, identity);
  return TRUE;
}

static void
remove_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (!remove_identity (task_data, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
teken_identity_store_remove_async (TekenIdentityStore  *self,
                                   TekenIdentity       *identity,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEKEN_IS_IDENTITY_STORE (self));
  g_return_if_fail (TEKEN_IS_IDENTITY (identity));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teken_identity_store_remove_async);
  g_task_set_task_data (task, g_object_ref (identity), g_object_unref);
  g_task_run_in_thread (task, remove_thread);
}

gboolean
teken_identity_store_remove_finish (TekenIdentityStore  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  drop_identity (self, g_task_get_task_data (G_TASK (result)));
  return TRUE;
}

GBytes *
teken_identity_store_export_certificate (TekenIdentityStore  *self,
                                         const char          *id,
                                         TekenCertFormat      format,
                                         GError             **error)
{
  TekenIdentity *identity;

  g_return_val_if_fail (TEKEN_IS_IDENTITY_STORE (self), NULL);

  if (!self->loaded && !teken_identity_store_refresh_sync (self, NULL, error))
    return NULL;
  identity = teken_identity_store_lookup (self, id, error);
  if (identity == NULL)
    return NULL;
  return teken_identity_export_certificate (identity, format, error);
}

TekenKey *
teken_identity_store_open_key_by_id (TekenIdentityStore  *self,
                                     const char          *id,
                                     TekenAskSecretFunc   ask,
                                     gpointer             user_data,
                                     GCancellable        *cancellable,
                                     GError             **error)
{
  TekenIdentity *identity;
  g_autoptr(TekenSecret) secret = NULL;
  g_autofree char *prompt = NULL;
  TekenIdentitySecretKind kind;

  g_return_val_if_fail (TEKEN_IS_IDENTITY_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!self->loaded && !teken_identity_store_refresh_sync (self, cancellable, error))
    return NULL;
  identity = teken_identity_store_lookup (self, id, error);
  if (identity == NULL)
    return NULL;

  /* The PIN state as the token reports it now, before asking (tries left, locked). */
  if (!teken_identity_refresh_pin_state (identity, error))
    return NULL;
  if (teken_identity_get_pin_state (identity) & TEKEN_PIN_STATE_LOCKED)
    {
      g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_LOCKED,
                           _("The token's PIN is locked; ask your Registration Authority to unblock it"));
      return NULL;
    }
  kind = teken_identity_get_secret_kind (identity);
  if (kind == TEKEN_IDENTITY_SECRET_PASSPHRASE || kind == TEKEN_IDENTITY_SECRET_PIN)
    {
      prompt = teken_identity_dup_secret_prompt (identity);
      if (ask == NULL)
        {
          g_set_error_literal (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NEEDS_SECRET,
                               kind == TEKEN_IDENTITY_SECRET_PIN ? _("The token's PIN is needed")
                                                                 : _("The passphrase is needed"));
          return NULL;
        }
      secret = ask (prompt, user_data, error);
      if (secret == NULL)
        return NULL;
    }
  return teken_identity_open_key_sync (identity, secret, cancellable, error);
}
