/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-trust-store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "teken-atomic-file.h"

#define SHIPPED_PREFIX "/io/github/teken/Teken/trust/"

/* From data/meson.build (core_resources); registered by hand because a static library's
 * constructor may be dropped by the linker. */
GResource *teken_core_get_resource (void);

struct _TekenTrustStore
{
  GObject parent_instance;

  GPtrArray *anchors;        /* TekenCertInfo */
  GPtrArray *intermediates;  /* TekenCertInfo */
  GHashTable *sources;       /* sha256 hex → TekenTrustSource */
  gboolean use_system;
};

G_DEFINE_FINAL_TYPE (TekenTrustStore, teken_trust_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (teken-trust-error-quark, teken_trust_error)

static void
teken_trust_store_finalize (GObject *object)
{
  TekenTrustStore *self = TEKEN_TRUST_STORE (object);

  g_ptr_array_unref (self->anchors);
  g_ptr_array_unref (self->intermediates);
  g_hash_table_unref (self->sources);

  G_OBJECT_CLASS (teken_trust_store_parent_class)->finalize (object);
}

static void
teken_trust_store_class_init (TekenTrustStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_trust_store_finalize;
}

static void
teken_trust_store_init (TekenTrustStore *self)
{
  self->anchors = g_ptr_array_new_with_free_func (g_object_unref);
  self->intermediates = g_ptr_array_new_with_free_func (g_object_unref);
  self->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

TekenTrustStore *
teken_trust_store_new (void)
{
  return g_object_new (TEKEN_TYPE_TRUST_STORE, NULL);
}

TekenTrustStore *
teken_trust_store_new_default (void)
{
  TekenTrustStore *self = teken_trust_store_new ();
  g_autoptr(GError) error = NULL;

  if (!teken_trust_store_add_shipped (self, &error))
    {
      g_warning ("Shipped trust anchors unavailable: %s", error->message);
      g_clear_error (&error);
    }
  if (!teken_trust_store_add_user_store (self, &error))
    g_warning ("User trust store unreadable: %s", error->message);
  return self;
}

static gboolean
contains (GPtrArray  *array,
          const char *sha256_hex)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (teken_cert_info_get_sha256_hex (g_ptr_array_index (array, i)), sha256_hex))
      return TRUE;
  return FALSE;
}

static void
add_to (TekenTrustStore  *self,
        GPtrArray        *array,
        X509             *cert,
        TekenTrustSource  source)
{
  g_autoptr(TekenCertInfo) info = teken_cert_info_new (cert);
  const char *id = teken_cert_info_get_sha256_hex (info);

  if (contains (array, id))
    return;
  g_hash_table_insert (self->sources, g_strdup (id), GINT_TO_POINTER (source));
  g_ptr_array_add (array, g_steal_pointer (&info));
}

void
teken_trust_store_add_anchor (TekenTrustStore  *self,
                              X509             *cert,
                              TekenTrustSource  source)
{
  g_return_if_fail (TEKEN_IS_TRUST_STORE (self));
  g_return_if_fail (cert != NULL);
  add_to (self, self->anchors, cert, source);
}

void
teken_trust_store_add_intermediate (TekenTrustStore  *self,
                                    X509             *cert,
                                    TekenTrustSource  source)
{
  g_return_if_fail (TEKEN_IS_TRUST_STORE (self));
  g_return_if_fail (cert != NULL);
  add_to (self, self->intermediates, cert, source);
}

/* Every certificate in data (PEM, any number; or one DER); transfer full; NULL with error. */
static STACK_OF (X509) *
parse_certificates (const guint8  *data,
                    gsize          len,
                    const char    *what,
                    GError       **error)
{
  g_autoptr(TekenX509Stack) certs = sk_X509_new_null ();

  if (len > G_MAXINT)
    len = 0;
  if (g_strstr_len ((const char *) data, MIN (len, 65536), "-----BEGIN") != NULL)
    {
      g_autoptr(BIO) bio = BIO_new_mem_buf (data, (int) len);
      X509 *cert;

      while ((cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL)) != NULL)
        sk_X509_push (certs, cert);
      ERR_clear_error ();
    }
  else
    {
      const unsigned char *p = data;
      X509 *cert = d2i_X509 (NULL, &p, (long) len);

      if (cert != NULL)
        sk_X509_push (certs, cert);
      ERR_clear_error ();
    }
  if (sk_X509_num (certs) == 0)
    {
      /* translators: %s is a file name */
      g_set_error (error, TEKEN_TRUST_ERROR, TEKEN_TRUST_ERROR_INVALID_CERTIFICATE,
                   _("“%s” holds no certificate (PEM or DER expected)"), what);
      return NULL;
    }
  return g_steal_pointer (&certs);
}

static gboolean
add_shipped_one (TekenTrustStore  *self,
                 const char       *name,
                 gboolean          anchor,
                 GError          **error)
{
  g_autofree char *path = g_strconcat (SHIPPED_PREFIX, name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_autoptr(TekenX509Stack) certs = NULL;
  gsize len;
  const guint8 *data;

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  certs = parse_certificates (data, len, name, error);
  if (certs == NULL)
    return FALSE;
  for (int i = 0; i < sk_X509_num (certs); i++)
    {
      if (anchor)
        teken_trust_store_add_anchor (self, sk_X509_value (certs, i), TEKEN_TRUST_SOURCE_SHIPPED);
      else
        teken_trust_store_add_intermediate (self, sk_X509_value (certs, i), TEKEN_TRUST_SOURCE_SHIPPED);
    }
  return TRUE;
}

gboolean
teken_trust_store_add_shipped (TekenTrustStore  *self,
                               GError          **error)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      g_autoptr(GBytes) probe = g_resources_lookup_data (SHIPPED_PREFIX "root-ca-indonesia-ds-g1.pem",
                                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      if (probe == NULL)
        g_resources_register (teken_core_get_resource ());
      g_once_init_leave (&registered, 1);
    }
  return add_shipped_one (self, "root-ca-indonesia-ds-g1.pem", TRUE, error) &&
         add_shipped_one (self, "osd-lu-kelas-2.pem", TRUE, error) &&
         add_shipped_one (self, "bsre-ca-ds-g1.pem", FALSE, error) &&
         add_shipped_one (self, "bsre-tsa-2023.pem", FALSE, error);
}

static gboolean
add_file (TekenTrustStore   *self,
          const char        *path,
          TekenTrustSource   source,
          GError           **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(TekenX509Stack) certs = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  certs = parse_certificates ((const guint8 *) contents, len, path, error);
  if (certs == NULL)
    return FALSE;
  for (int i = 0; i < sk_X509_num (certs); i++)
    teken_trust_store_add_anchor (self, sk_X509_value (certs, i), source);
  return TRUE;
}

gboolean
teken_trust_store_add_anchor_file (TekenTrustStore  *self,
                                   const char       *path,
                                   GError          **error)
{
  return add_file (self, path, TEKEN_TRUST_SOURCE_FILE, error);
}

char *
teken_trust_store_get_user_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "teken", "trust", NULL);
}

gboolean
teken_trust_store_add_user_store (TekenTrustStore  *self,
                                  GError          **error)
{
  g_autofree char *dir_path = teken_trust_store_get_user_dir ();
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (dir_path, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;  /* no user store yet */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) file_error = NULL;

      if (!g_str_has_suffix (name, ".pem") && !g_str_has_suffix (name, ".crt") &&
          !g_str_has_suffix (name, ".der") && !g_str_has_suffix (name, ".cer"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      if (!add_file (self, path, TEKEN_TRUST_SOURCE_USER, &file_error))
        g_warning ("Skipping %s: %s", path, file_error->message);
    }
  return TRUE;
}

void
teken_trust_store_set_use_system (TekenTrustStore *self,
                                  gboolean         use_system)
{
  self->use_system = use_system;
}

gboolean teken_trust_store_get_use_system (TekenTrustStore *self) { return self->use_system; }
GPtrArray *teken_trust_store_get_anchors (TekenTrustStore *self) { return self->anchors; }
GPtrArray *teken_trust_store_get_intermediates (TekenTrustStore *self) { return self->intermediates; }

TekenTrustSource
teken_trust_store_get_source (TekenTrustStore *self,
                              TekenCertInfo   *info)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (self->sources, teken_cert_info_get_sha256_hex (info)));
}

gboolean
teken_trust_store_is_anchor (TekenTrustStore *self,
                             X509            *cert)
{
  g_autoptr(TekenCertInfo) info = teken_cert_info_new (cert);

  return contains (self->anchors, teken_cert_info_get_sha256_hex (info));
}

X509_STORE *
teken_trust_store_create_x509_store (TekenTrustStore  *self,
                                     GError          **error)
{
  g_autoptr(X509_STORE) store = X509_STORE_new ();

  if (store == NULL)
    {
      g_set_error_literal (error, TEKEN_TRUST_ERROR, TEKEN_TRUST_ERROR_IO, _("Out of memory"));
      return NULL;
    }
  for (guint i = 0; i < self->anchors->len; i++)
    X509_STORE_add_cert (store, teken_cert_info_get_x509 (g_ptr_array_index (self->anchors, i)));
  if (self->use_system && X509_STORE_set_default_paths (store) != 1)
    ERR_clear_error ();
  return g_steal_pointer (&store);
}

STACK_OF (X509) *
teken_trust_store_dup_intermediates (TekenTrustStore *self)
{
  STACK_OF (X509) *stack = sk_X509_new_null ();

  for (guint i = 0; i < self->intermediates->len; i++)
    {
      X509 *cert = teken_cert_info_get_x509 (g_ptr_array_index (self->intermediates, i));

      X509_up_ref (cert);
      sk_X509_push (stack, cert);
    }
  return stack;
}

char *
teken_trust_store_user_add (TekenTrustStore  *self,
                            X509             *cert,
                            GError          **error)
{
  g_autoptr(TekenCertInfo) info = teken_cert_info_new (cert);
  g_autofree char *dir = teken_trust_store_get_user_dir ();
  g_autofree char *file = NULL;
  g_autofree char *pem = teken_cert_info_to_pem (info);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      /* translators: the first %s is a folder, the second the system's reason */
      g_set_error (error, TEKEN_TRUST_ERROR, TEKEN_TRUST_ERROR_IO,
                   _("Could not create “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }
  file = g_strdup_printf ("%s/%s.pem", dir, teken_cert_info_get_sha256_hex (info));
  if (!teken_atomic_file_set_contents (file, pem, strlen (pem), TRUE, error))
    return NULL;
  if (self != NULL)
    teken_trust_store_add_anchor (self, cert, TEKEN_TRUST_SOURCE_USER);
  return g_strdup (teken_cert_info_get_sha256_hex (info));
}

gboolean
teken_trust_store_user_remove (TekenTrustStore  *self,
                               const char       *sha256_hex,
                               GError          **error)
{
  g_autofree char *dir = teken_trust_store_get_user_dir ();
  g_autofree char *name = g_strdup_printf ("%s.pem", sha256_hex);
  g_autofree char *file = NULL;

  /* The id becomes a file name: only hex, never a path. */
  if (strlen (sha256_hex) != 64 || strspn (sha256_hex, "0123456789abcdef") != 64)
    {
      g_set_error (error, TEKEN_TRUST_ERROR, TEKEN_TRUST_ERROR_NOT_FOUND,
                   _("“%s” is not a certificate fingerprint"), sha256_hex);
      return FALSE;
    }
  file = g_build_filename (dir, name, NULL);
  if (g_unlink (file) != 0)
    {
      int saved = errno;
      if (saved == ENOENT)
        g_set_error (error, TEKEN_TRUST_ERROR, TEKEN_TRUST_ERROR_NOT_FOUND,
                     _("The certificate is not in your trusted certificates"));
      else
        g_set_error (error, TEKEN_TRUST_ERROR, TEKEN_TRUST_ERROR_IO,
                     _("Could not remove “%s”: %s"), file, g_strerror (saved));
      return FALSE;
    }
  if (self != NULL)
    for (guint i = 0; i < self->anchors->len; i++)
      if (g_str_equal (teken_cert_info_get_sha256_hex (g_ptr_array_index (self->anchors, i)), sha256_hex))
        {
          g_ptr_array_remove_index (self->anchors, i);
          break;
        }
  return TRUE;
}

GPtrArray *
teken_trust_store_user_list (GError **error)
{
  g_autoptr(TekenTrustStore) store = teken_trust_store_new ();

  if (!teken_trust_store_add_user_store (store, error))
    return NULL;
  return g_ptr_array_ref (store->anchors);
}
