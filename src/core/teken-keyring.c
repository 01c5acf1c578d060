/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-keyring.h"
#include "teken-identity.h"

#include <openssl/crypto.h>
#include <openssl/err.h>

#define ITEM_P12        "p12"
#define ITEM_PASSPHRASE "passphrase"
#define P12_CONTENT_TYPE "application/x-pkcs12"

const SecretSchema *
teken_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.teken.Teken.Identity", SECRET_SCHEMA_DONT_MATCH_NAME,
    {
      { "teken-item", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "fingerprint", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "subject", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "issuer", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "not-after", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "content-type", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "certificates", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

void
teken_keyring_entry_free (TekenKeyringEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->fingerprint);
  g_free (entry->label);
  g_free (entry->collection_label);
  g_free (entry->certificates_pem);
  g_free (entry);
}

static void
set_unavailable (GError     **error,
                 const GError *cause)
{
  /* translators: %s is the system's reason (a D-Bus error) */
  g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_KEYRING_UNAVAILABLE,
               _("The keyring is not available: %s"), cause->message);
}

static void
set_locked (GError **error)
{
  g_set_error_literal (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_KEYRING_LOCKED,
                       _("The keyring is locked; unlock it (for example by logging in again) and retry"));
}

/* Cancellation passes through unchanged; anything else from D-Bus means "no keyring". */
static gboolean
propagate_service_error (GError **error,
                         GError  *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, cause);
  else
    {
      set_unavailable (error, cause);
      g_error_free (cause);
    }
  return FALSE;
}

/*
 * A private SecretService per operation, created while a private main context is the thread's
 * default: the shared libsecret singleton used from worker threads while the main thread runs
 * its loop dispatched stale D-Bus callbacks there (a GTask returned twice). Nothing is ever
 * dispatched in the private context; it is dropped with the service.
 */
typedef struct
{
  GMainContext  *context;
  SecretService *service;
} Session;

static void
session_free (Session *session)
{
  g_clear_object (&session->service);
  /* GDBus frees signal subscriptions in the context they were made in: let it. */
  while (g_main_context_iteration (session->context, FALSE))
    ;
  g_main_context_pop_thread_default (session->context);
  g_main_context_unref (session->context);
  g_free (session);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Session, session_free)

static Session *
session_open (GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(Session) session = g_new0 (Session, 1);
  GError *local = NULL;

  session->context = g_main_context_new ();
  g_main_context_push_thread_default (session->context);
  session->service = secret_service_open_sync (SECRET_TYPE_SERVICE, NULL, SECRET_SERVICE_OPEN_SESSION,
                                               cancellable, &local);
  if (session->service == NULL)
    {
      propagate_service_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&session);
}

static GHashTable *
new_attributes (const char *item,
                const char *fingerprint)
{
  GHashTable *attrs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attrs, (gpointer) "teken-item", g_strdup (item));
  if (fingerprint != NULL)
    g_hash_table_insert (attrs, (gpointer) "fingerprint", g_strdup (fingerprint));
  return attrs;
}

/* All items of a kind (for one fingerprint, or any when NULL); *items is NULL on error and
 * for no match alike, so the result says which. */
static gboolean
search (SecretService  *service,
        const char     *item,
        const char     *fingerprint,
        GList         **items,
        GCancellable   *cancellable,
        GError        **error)
{
  g_autoptr(GHashTable) attrs = new_attributes (item, fingerprint);
  GError *local = NULL;

  *items = secret_service_search_sync (service, teken_keyring_get_schema (), attrs,
                                       SECRET_SEARCH_ALL, cancellable, &local);
  if (local != NULL)
    return propagate_service_error (error, local);
  return TRUE;
}

/* The default collection, checked to be there and unlocked (storing into a locked one would
 * start a prompt, which has no display in a headless session). */
static gboolean
check_default_collection (SecretService  *service,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_autoptr(SecretCollection) collection = NULL;
  GError *local = NULL;

  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, cancellable, &local);
  if (local != NULL)
    return propagate_service_error (error, local);
  if (collection == NULL)
    {
      g_set_error_literal (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_KEYRING_UNAVAILABLE,
                           _("There is no default keyring"));
      return FALSE;
    }
  if (secret_collection_get_locked (collection))
    {
      set_locked (error);
      return FALSE;
    }
  return TRUE;
}

static char *
collection_label_of (SecretService *service,
                     SecretItem    *item,
                     GHashTable    *cache)
{
  g_autofree char *path = g_path_get_dirname (g_dbus_proxy_get_object_path (G_DBUS_PROXY (item)));
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  char *label = g_hash_table_lookup (cache, path);

  if (label != NULL)
    return g_strdup (label);
  /* The collection's Label property, read directly (libsecret's collection-by-path is unstable API). */
  reply = g_dbus_connection_call_sync (g_dbus_proxy_get_connection (G_DBUS_PROXY (service)),
                                       g_dbus_proxy_get_name (G_DBUS_PROXY (service)), path,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Label"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(v)", &value);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return NULL;
  label = g_variant_dup_string (value, NULL);
  g_hash_table_insert (cache, g_steal_pointer (&path), g_strdup (label));
  return label;
}

/* Fingerprints with a passphrase in the session collection (best effort: none on errors). */
static GHashTable *
remembered_fingerprints (SecretService *service,
                         GCancellable  *cancellable)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GList *items = NULL;

  search (service, ITEM_PASSPHRASE, NULL, &items, cancellable, NULL);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attrs = secret_item_get_attributes (l->data);
      const char *fingerprint = g_hash_table_lookup (attrs, "fingerprint");

      if (fingerprint != NULL && !secret_item_get_locked (l->data))
        g_hash_table_add (set, g_strdup (fingerprint));
    }
  g_list_free_full (items, g_object_unref);
  return set;
}

GPtrArray *
teken_keyring_list (GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(Session) session = NULL;
  SecretService *service;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) teken_keyring_entry_free);
  g_autoptr(GHashTable) remembered = NULL;
  g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GList *items;

  session = session_open (cancellable, error);
  if (session == NULL)
    return NULL;
  service = session->service;
  if (!search (service, ITEM_P12, NULL, &items, cancellable, error))
    return NULL;
  remembered = remembered_fingerprints (service, cancellable);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attrs = secret_item_get_attributes (l->data);
      const char *fingerprint = g_hash_table_lookup (attrs, "fingerprint");
      const char *pem = g_hash_table_lookup (attrs, "certificates");
      TekenKeyringEntry *entry;

      if (fingerprint == NULL || pem == NULL)
        continue;
      entry = g_new0 (TekenKeyringEntry, 1);
      entry->fingerprint = g_strdup (fingerprint);
      entry->certificates_pem = g_strdup (pem);
      entry->label = secret_item_get_label (l->data);
      entry->collection_label = collection_label_of (service, l->data, labels);
      entry->locked = secret_item_get_locked (l->data);
      entry->passphrase_remembered = g_hash_table_contains (remembered, fingerprint);
      g_ptr_array_add (entries, entry);
    }
  g_list_free_full (items, g_object_unref);
  return g_steal_pointer (&entries);
}

gboolean
teken_keyring_contains (const char    *fingerprint,
                        gboolean      *contains,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(Session) session = NULL;
  SecretService *service;
  GList *items;

  session = session_open (cancellable, error);
  if (session == NULL)
    return FALSE;
  service = session->service;
  if (!search (service, ITEM_P12, fingerprint, &items, cancellable, error))
    return FALSE;
  *contains = items != NULL;
  g_list_free_full (items, g_object_unref);
  return TRUE;
}

gboolean
teken_keyring_store_p12 (GBytes        *p12,
                         const char    *fingerprint,
                         const char    *label,
                         const char    *subject,
                         const char    *issuer,
                         const char    *not_after,
                         const char    *kind,
                         const char    *certificates_pem,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(Session) session = NULL;
  SecretService *service;
  g_autoptr(GHashTable) attrs = new_attributes (ITEM_P12, fingerprint);
  g_autoptr(SecretValue) value = NULL;
  GError *local = NULL;
  gsize len;
  const char *data = g_bytes_get_data (p12, &len);

  session = session_open (cancellable, error);
  if (session == NULL)
    return FALSE;
  service = session->service;
  if (!check_default_collection (service, cancellable, error))
    return FALSE;

  g_hash_table_insert (attrs, (gpointer) "subject", g_strdup (subject));
  g_hash_table_insert (attrs, (gpointer) "issuer", g_strdup (issuer));
  g_hash_table_insert (attrs, (gpointer) "not-after", g_strdup (not_after));
  g_hash_table_insert (attrs, (gpointer) "kind", g_strdup (kind));
  /* The service reports every secret back as text/plain, so the real type is kept here. */
  g_hash_table_insert (attrs, (gpointer) "content-type", g_strdup (P12_CONTENT_TYPE));
  g_hash_table_insert (attrs, (gpointer) "certificates", g_strdup (certificates_pem));

  value = secret_value_new (data, len, P12_CONTENT_TYPE);
  if (!secret_service_store_sync (service, teken_keyring_get_schema (), attrs,
                                  SECRET_COLLECTION_DEFAULT, label, value, cancellable, &local))
    return propagate_service_error (error, local);
  return TRUE;
}

/* The first unlocked item found, its secret loaded; KEYRING_LOCKED / NOT_FOUND otherwise. */
static SecretValue *
load_value (const char    *item_kind,
            const char    *fingerprint,
            gboolean       missing_is_error,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(Session) session = NULL;
  SecretService *service;
  GError *local = NULL;
  GList *items;
  SecretValue *value = NULL;
  gboolean locked = FALSE;

  session = session_open (cancellable, error);
  if (session == NULL)
    return NULL;
  service = session->service;
  if (!search (service, item_kind, fingerprint, &items, cancellable, error))
    return NULL;
  for (GList *l = items; l != NULL && value == NULL; l = l->next)
    {
      if (secret_item_get_locked (l->data))
        {
          locked = TRUE;
          continue;
        }
      if (!secret_item_load_secret_sync (l->data, cancellable, &local))
        {
          g_list_free_full (items, g_object_unref);
          propagate_service_error (error, local);
          return NULL;
        }
      value = secret_item_get_secret (l->data);
    }
  g_list_free_full (items, g_object_unref);

  if (value == NULL && locked)
    set_locked (error);
  else if (value == NULL && missing_is_error)
    g_set_error_literal (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_FOUND,
                         _("The identity is no longer in the keyring"));
  return value;
}

GBytes *
teken_keyring_load_p12 (const char    *fingerprint,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(SecretValue) value = load_value (ITEM_P12, fingerprint, TRUE, cancellable, error);
  const char *data;
  gsize len;

  if (value == NULL)
    return NULL;
  data = secret_value_get (value, &len);
  return g_bytes_new (data, len);
}

gboolean
teken_keyring_store_passphrase (const char         *fingerprint,
                                const char         *label,
                                const TekenSecret  *passphrase,
                                GCancellable       *cancellable,
                                GError            **error)
{
  g_autoptr(Session) session = NULL;
  SecretService *service;
  g_autoptr(GHashTable) attrs = new_attributes (ITEM_PASSPHRASE, fingerprint);
  g_autoptr(SecretValue) value = NULL;
  g_autofree char *item_label = NULL;
  GError *local = NULL;

  session = session_open (cancellable, error);
  if (session == NULL)
    return FALSE;
  service = session->service;
  g_hash_table_insert (attrs, (gpointer) "content-type", g_strdup ("text/plain"));
  value = secret_value_new (passphrase, -1, "text/plain");
  /* translators: the keyring item's label; %s is the certificate holder's name */
  item_label = g_strdup_printf (_("Passphrase of the Teken identity “%s”"), label);
  if (!secret_service_store_sync (service, teken_keyring_get_schema (), attrs,
                                  SECRET_COLLECTION_SESSION, item_label, value, cancellable, &local))
    return propagate_service_error (error, local);
  return TRUE;
}

TekenSecret *
teken_keyring_load_passphrase (const char    *fingerprint,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(SecretValue) value = NULL;
  GError *local = NULL;
  const char *text;

  value = load_value (ITEM_PASSPHRASE, fingerprint, FALSE, cancellable, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (value == NULL)
    return NULL;
  text = secret_value_get_text (value);
  return text != NULL ? teken_secret_new (text) : NULL;
}

static gboolean
delete_all (SecretService *service,
            GList         *items,
            GCancellable  *cancellable,
            GError       **error)
{
  for (GList *l = items; l != NULL; l = l->next)
    {
      GError *local = NULL;

      if (!secret_item_delete_sync (l->data, cancellable, &local))
        return propagate_service_error (error, local);
    }
  return TRUE;
}

gboolean
teken_keyring_remove (const char    *fingerprint,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(Session) session = NULL;
  SecretService *service;
  GList *p12_items, *pass_items;
  gboolean ok = FALSE;

  session = session_open (cancellable, error);
  if (session == NULL)
    return FALSE;
  service = session->service;
  if (!search (service, ITEM_P12, fingerprint, &p12_items, cancellable, error))
    return FALSE;
  if (!search (service, ITEM_PASSPHRASE, fingerprint, &pass_items, cancellable, error))
    ok = FALSE;
  else if (p12_items == NULL)
    g_set_error_literal (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_FOUND,
                         _("The identity is not in the keyring"));
  else if (secret_item_get_locked (p12_items->data))
    set_locked (error);
  else
    ok = delete_all (service, pass_items, cancellable, error) &&
         delete_all (service, p12_items, cancellable, error);

  g_list_free_full (p12_items, g_object_unref);
  g_list_free_full (pass_items, g_object_unref);
  return ok;
}
