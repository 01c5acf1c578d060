/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-identity-private.h"
#include "teken-p12-key.h"
#include "teken-pkcs11-key.h"
#include "teken-x509-util.h"

#include <openssl/err.h>
#include <openssl/pem.h>

G_DEFINE_QUARK (teken-identity-error-quark, teken_identity_error)

struct _TekenIdentity
{
  GObject            parent_instance;

  TekenIdentityKind  kind;
  char              *id;
  char              *label;
  X509              *cert;
  STACK_OF (X509)   *chain;
  char              *fingerprint;
  char              *subject;
  char              *issuer;
  GDateTime         *not_before;
  GDateTime         *not_after;
  char              *location;

  /* KEYRING */
  char              *collection;
  gboolean           passphrase_remembered;
  /* P12_FILE */
  char              *path;
  /* TOKEN */
  TekenPkcs11Token  *token;
  GBytes            *object_id;
  char              *object_label;
  /* Written by worker threads (open_key) and read by the UI: atomic. */
  gint               pin_state;
};

G_DEFINE_FINAL_TYPE (TekenIdentity, teken_identity, G_TYPE_OBJECT)

static void
teken_identity_finalize (GObject *object)
{
  TekenIdentity *self = TEKEN_IDENTITY (object);

  g_free (self->id);
  g_free (self->label);
  X509_free (self->cert);
  sk_X509_pop_free (self->chain, X509_free);
  g_free (self->fingerprint);
  g_free (self->subject);
  g_free (self->issuer);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_free (self->location);
  g_free (self->collection);
  g_free (self->path);
  g_clear_pointer (&self->token, teken_pkcs11_token_free);
  g_clear_pointer (&self->object_id, g_bytes_unref);
  g_free (self->object_label);

  G_OBJECT_CLASS (teken_identity_parent_class)->finalize (object);
}

static void
teken_identity_class_init (TekenIdentityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_identity_finalize;
}

static void
teken_identity_init (TekenIdentity *self)
{
}

static GDateTime *
asn1_time_to_date_time (const ASN1_TIME *t)
{
  GDateTime *dt = teken_asn1_time_to_date_time (t);

  /* The identity always has validity dates: an unreadable one reads as the epoch. */
  return dt != NULL ? dt : g_date_time_new_from_unix_utc (0);
}

/* Fills the fields every kind shares. Takes references on cert and the chain's certificates. */
static void
set_certificate (TekenIdentity   *self,
                 X509            *cert,
                 STACK_OF (X509) *chain)
{
  X509_up_ref (cert);
  self->cert = cert;
  self->chain = chain != NULL ? X509_chain_up_ref (chain) : sk_X509_new_null ();
  self->fingerprint = teken_x509_digest_hex (cert, EVP_sha256 (), FALSE);
  self->subject = teken_x509_name_to_string (X509_get_subject_name (cert));
  self->issuer = teken_x509_name_to_string (X509_get_issuer_name (cert));
  self->not_before = asn1_time_to_date_time (X509_get0_notBefore (cert));
  self->not_after = asn1_time_to_date_time (X509_get0_notAfter (cert));
  self->label = teken_x509_name_get_entry (X509_get_subject_name (cert), NID_commonName);
  if (self->label == NULL)
    self->label = g_strdup (self->subject);
}

static void
set_keyring_location (TekenIdentity *self)
{
  g_free (self->location);
  if (self->collection != NULL && *self->collection != '\0')
    /* translators: %s is the keyring's name, e.g. "Login" */
    self->location = g_strdup_printf (_("GNOME keyring (%s)"), self->collection);
  else
    self->location = g_strdup (_("GNOME keyring"));
}

TekenIdentity *
teken_identity_new_keyring_import (X509            *cert,
                                   STACK_OF (X509) *chain,
                                   gboolean         passphrase_remembered)
{
  TekenIdentity *self = g_object_new (TEKEN_TYPE_IDENTITY, NULL);

  self->kind = TEKEN_IDENTITY_KIND_KEYRING;
  set_certificate (self, cert, chain);
  self->id = g_strconcat ("keyring:", self->fingerprint, NULL);
  self->passphrase_remembered = passphrase_remembered;
  set_keyring_location (self);
  return self;
}

TekenIdentity *
teken_identity_new_keyring (const TekenKeyringEntry  *entry,
                            GError                  **error)
{
  g_autoptr(BIO) bio = BIO_new_mem_buf (entry->certificates_pem, -1);
  g_autoptr(X509) cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  g_autoptr(TekenX509Stack) chain = sk_X509_new_null ();
  TekenIdentity *self;
  X509 *x;

  if (cert == NULL)
    {
      ERR_clear_error ();
      g_set_error_literal (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_FAILED,
                           _("A keyring item holds an unreadable certificate"));
      return NULL;
    }
  while ((x = PEM_read_bio_X509 (bio, NULL, NULL, NULL)) != NULL)
    sk_X509_push (chain, x);
  ERR_clear_error ();

  self = teken_identity_new_keyring_import (cert, chain, entry->passphrase_remembered);
  if (g_strcmp0 (self->fingerprint, entry->fingerprint) != 0)
    g_debug ("Keyring item fingerprint attribute does not match its certificate");
  self->collection = g_strdup (entry->collection_label);
  set_keyring_location (self);
  return self;
}

TekenIdentity *
teken_identity_new_token (const TekenPkcs11Token *token,
                          const TekenPkcs11Cert  *cert)
{
  TekenIdentity *self = g_object_new (TEKEN_TYPE_IDENTITY, NULL);
  g_autofree char *module = g_path_get_basename (token->module_path);

  self->kind = TEKEN_IDENTITY_KIND_TOKEN;
  set_certificate (self, cert->cert, cert->chain);
  self->token = teken_pkcs11_token_copy (token);
  self->object_id = g_bytes_ref (cert->id);
  self->object_label = g_strdup (cert->label);
  self->id = teken_pkcs11_object_uri (token, cert->id);
  self->pin_state = teken_pkcs11_token_pin_state (token);
  /* translators: the first %s is the token's label, the second its driver's file name */
  self->location = g_strdup_printf (_("Token “%s” (%s)"), token->label, module);
  return self;
}

TekenIdentity *
teken_identity_new_for_p12_file (const char         *path,
                                 const TekenSecret  *passphrase,
                                 GError            **error)
{
  g_autoptr(TekenP12Key) key = NULL;
  g_autofree char *absolute = NULL;
  TekenIdentity *self;

  g_return_val_if_fail (path != NULL, NULL);

  key = teken_p12_key_new_from_file (path, passphrase, error);
  if (key == NULL)
    return NULL;
  absolute = g_canonicalize_filename (path, NULL);
  self = g_object_new (TEKEN_TYPE_IDENTITY, NULL);
  self->kind = TEKEN_IDENTITY_KIND_P12_FILE;
  set_certificate (self, teken_key_get_certificate (TEKEN_KEY (key)),
                   teken_key_get_chain (TEKEN_KEY (key)));
  self->path = g_strdup (absolute);
  self->id = g_strconcat ("file:", absolute, NULL);
  /* translators: %s is a file name */
  self->location = g_strdup_printf (_("File “%s”"), absolute);
  return self;
}

const char *
teken_identity_get_id (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->id;
}

const char *
teken_identity_get_label (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->label;
}

TekenIdentityKind
teken_identity_get_kind (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), TEKEN_IDENTITY_KIND_KEYRING);
  return self->kind;
}

const char *
teken_identity_kind_to_string (TekenIdentityKind kind)
{
  switch (kind)
    {
    case TEKEN_IDENTITY_KIND_P12_FILE:
      return "p12-file";
    case TEKEN_IDENTITY_KIND_KEYRING:
      return "keyring";
    case TEKEN_IDENTITY_KIND_TOKEN:
      return "token";
    default:
      return "unknown";
    }
}

X509 *
teken_identity_get_certificate (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->cert;
}

STACK_OF (X509) *
teken_identity_get_chain (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->chain;
}

const char *
teken_identity_get_fingerprint (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->fingerprint;
}

const char *
teken_identity_get_subject (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->subject;
}

const char *
teken_identity_get_issuer (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->issuer;
}

GDateTime *
teken_identity_get_not_before (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->not_before;
}

GDateTime *
teken_identity_get_not_after (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->not_after;
}

gint
teken_identity_get_days_to_expiry (TekenIdentity *self,
                                   GDateTime     *now)
{
  g_autoptr(GDateTime) current = NULL;
  GTimeSpan span;
  gint64 days;

  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), 0);

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();
  span = g_date_time_difference (self->not_after, now);
  /* Rounded down, also below zero: one second past notAfter is day -1. */
  days = span / G_TIME_SPAN_DAY;
  if (span < 0 && span % G_TIME_SPAN_DAY != 0)
    days--;
  return (gint) CLAMP (days, G_MININT, G_MAXINT);
}

const char *
teken_identity_get_location (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->location;
}

const char *
teken_identity_get_collection (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->collection;
}

const char *
teken_identity_get_token_label (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->token != NULL ? self->token->label : NULL;
}

const char *
teken_identity_get_module_path (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->token != NULL ? self->token->module_path : NULL;
}

const char *
teken_identity_get_path (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);
  return self->path;
}

TekenIdentitySecretKind
teken_identity_get_secret_kind (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), TEKEN_IDENTITY_SECRET_NONE);

  switch (self->kind)
    {
    case TEKEN_IDENTITY_KIND_KEYRING:
      return self->passphrase_remembered ? TEKEN_IDENTITY_SECRET_NONE : TEKEN_IDENTITY_SECRET_PASSPHRASE;
    case TEKEN_IDENTITY_KIND_TOKEN:
      if (teken_pkcs11_token_has_pin_pad (self->token))
        return TEKEN_IDENTITY_SECRET_PIN_PAD;
      return (self->token->info.flags & CKF_LOGIN_REQUIRED) ? TEKEN_IDENTITY_SECRET_PIN
                                                            : TEKEN_IDENTITY_SECRET_NONE;
    case TEKEN_IDENTITY_KIND_P12_FILE:
    default:
      return TEKEN_IDENTITY_SECRET_PASSPHRASE;
    }
}

TekenPinState
teken_identity_get_pin_state (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), 0);
  return (TekenPinState) g_atomic_int_get (&self->pin_state);
}

char *
teken_identity_dup_secret_prompt (TekenIdentity *self)
{
  TekenPinState state;

  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);

  switch (teken_identity_get_secret_kind (self))
    {
    case TEKEN_IDENTITY_SECRET_PASSPHRASE:
      /* translators: %s is the certificate holder's name */
      return g_strdup_printf (_("Passphrase for “%s”: "), self->label);
    case TEKEN_IDENTITY_SECRET_PIN:
      state = teken_identity_get_pin_state (self);
      if (state & TEKEN_PIN_STATE_LOCKED)
        /* translators: %s is the token's label */
        return g_strdup_printf (_("The PIN of the token “%s” is locked"), self->token->label);
      if (state & TEKEN_PIN_STATE_FINAL_TRY)
        /* translators: %s is the token's label */
        return g_strdup_printf (_("PIN for the token “%s” (last try before the PIN locks): "),
                                self->token->label);
      if (state & TEKEN_PIN_STATE_COUNT_LOW)
        /* translators: %s is the token's label */
        return g_strdup_printf (_("PIN for the token “%s” (earlier attempts failed; few tries may be left): "),
                                self->token->label);
      /* translators: %s is the token's label */
      return g_strdup_printf (_("PIN for the token “%s”: "), self->token->label);
    case TEKEN_IDENTITY_SECRET_PIN_PAD:
    case TEKEN_IDENTITY_SECRET_NONE:
    default:
      return NULL;
    }
}

GBytes *
teken_identity_export_certificate (TekenIdentity    *self,
                                   TekenCertFormat   format,
                                   GError          **error)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  char *data;
  long len;
  int ok;

  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);

  if (format == TEKEN_CERT_FORMAT_DER)
    ok = i2d_X509_bio (bio, self->cert);
  else
    ok = PEM_write_bio_X509 (bio, self->cert);
  if (!ok)
    {
      ERR_clear_error ();
      g_set_error_literal (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_FAILED,
                           _("The certificate could not be encoded"));
      return NULL;
    }
  len = BIO_get_mem_data (bio, &data);
  return g_bytes_new (data, len);
}

char *
teken_identity_dup_certificates_pem (TekenIdentity *self)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  char *data;
  long len;

  PEM_write_bio_X509 (bio, self->cert);
  for (int i = 0; i < sk_X509_num (self->chain); i++)
    PEM_write_bio_X509 (bio, sk_X509_value (self->chain, i));
  len = BIO_get_mem_data (bio, &data);
  return g_strndup (data, len);
}

char *
teken_identity_dup_not_after_iso (TekenIdentity *self)
{
  return g_date_time_format (self->not_after, "%Y-%m-%dT%H:%M:%SZ");
}

const TekenPkcs11Token *
teken_identity_get_token (TekenIdentity *self)
{
  return self->token;
}

GBytes *
teken_identity_get_object_id (TekenIdentity *self)
{
  return self->object_id;
}

const char *
teken_identity_get_object_label (TekenIdentity *self)
{
  return self->object_label;
}

gboolean
teken_identity_refresh_pin_state (TekenIdentity  *self,
                                  GError        **error)
{
  g_autoptr(TekenPkcs11Token) token = NULL;

  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), FALSE);

  if (self->token == NULL)
    return TRUE;
  token = teken_pkcs11_token_copy (self->token);
  if (!teken_pkcs11_token_refresh (token, error))
    return FALSE;
  g_atomic_int_set (&self->pin_state, teken_pkcs11_token_pin_state (token));
  return TRUE;
}

static TekenKey *
open_keyring (TekenIdentity      *self,
              const TekenSecret  *secret,
              GCancellable       *cancellable,
              GError            **error)
{
  g_autoptr(GBytes) p12 = NULL;
  g_autoptr(TekenSecret) remembered = NULL;

  if (secret == NULL)
    {
      remembered = teken_keyring_load_passphrase (self->fingerprint, cancellable, error);
      if (remembered == NULL && error != NULL && *error != NULL)
        return NULL;
      if (remembered == NULL)
        {
          /* translators: %s is the certificate holder's name */
          g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NEEDS_SECRET,
                       _("The passphrase for “%s” is needed"), self->label);
          return NULL;
        }
      secret = remembered;
    }
  p12 = teken_keyring_load_p12 (self->fingerprint, cancellable, error);
  if (p12 == NULL)
    return NULL;
  return (TekenKey *) teken_p12_key_new_from_bytes (p12, secret, error);
}

static TekenKey *
open_token (TekenIdentity      *self,
            const TekenSecret  *secret,
            GCancellable       *cancellable,
            GError            **error)
{
  TekenPkcs11Key *key;

  key = teken_pkcs11_key_open (self->token, self->object_id, self->cert, self->chain, secret,
                               cancellable, error);
  /* The token's counters changed either way (a failure sets COUNT_LOW, a success clears it). */
  teken_identity_refresh_pin_state (self, NULL);
  return (TekenKey *) key;
}

TekenKey *
teken_identity_open_key_sync (TekenIdentity      *self,
                              const TekenSecret  *secret_or_null,
                              GCancellable       *cancellable,
                              GError            **error)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  switch (self->kind)
    {
    case TEKEN_IDENTITY_KIND_KEYRING:
      return open_keyring (self, secret_or_null, cancellable, error);
    case TEKEN_IDENTITY_KIND_TOKEN:
      return open_token (self, secret_or_null, cancellable, error);
    case TEKEN_IDENTITY_KIND_P12_FILE:
    default:
      if (secret_or_null == NULL)
        {
          /* translators: %s is the certificate holder's name */
          g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NEEDS_SECRET,
                       _("The passphrase for “%s” is needed"), self->label);
          return NULL;
        }
      return (TekenKey *) teken_p12_key_new_from_file (self->path, secret_or_null, error);
    }
}

static void
open_key_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  TekenKey *key = teken_identity_open_key_sync (source, task_data, cancellable, &error);

  if (key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, g_object_unref);
}

void
teken_identity_open_key_async (TekenIdentity       *self,
                               const TekenSecret   *secret_or_null,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEKEN_IS_IDENTITY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teken_identity_open_key_async);
  /* A copy that is wiped when the task is done, so the caller may free theirs at once. */
  if (secret_or_null != NULL)
    g_task_set_task_data (task, teken_secret_new (secret_or_null), (GDestroyNotify) teken_secret_free);
  g_task_run_in_thread (task, open_key_thread);
}

TekenKey *
teken_identity_open_key_finish (TekenIdentity  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
teken_identity_can_change_pin (TekenIdentity *self)
{
  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), FALSE);

  if (self->kind != TEKEN_IDENTITY_KIND_TOKEN || self->token == NULL)
    return FALSE;
  return !(self->token->info.flags & CKF_WRITE_PROTECTED) && !teken_pkcs11_token_has_pin_pad (self->token);
}

gboolean
teken_identity_change_pin_sync (TekenIdentity      *self,
                                const TekenSecret  *old_pin,
                                const TekenSecret  *new_pin,
                                GCancellable       *cancellable,
                                GError            **error)
{
  g_autoptr(TekenPkcs11Token) token = NULL;
  gboolean ok;

  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), FALSE);
  g_return_val_if_fail (old_pin != NULL && new_pin != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (self->kind != TEKEN_IDENTITY_KIND_TOKEN || self->token == NULL)
    {
      g_set_error_literal (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_SUPPORTED,
                           _("Only a token has a PIN to change"));
      return FALSE;
    }
  token = teken_pkcs11_token_copy (self->token);
  ok = teken_pkcs11_token_change_pin (token, old_pin, new_pin, error);
  /* The counters changed either way (a wrong old PIN sets COUNT_LOW, a success clears it). */
  if (teken_pkcs11_token_refresh (token, NULL))
    g_atomic_int_set (&self->pin_state, teken_pkcs11_token_pin_state (token));
  return ok;
}

typedef struct
{
  TekenSecret *old_pin;
  TekenSecret *new_pin;
} ChangePinData;

static void
change_pin_data_free (ChangePinData *data)
{
  teken_secret_free (data->old_pin);
  teken_secret_free (data->new_pin);
  g_free (data);
}

static void
change_pin_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ChangePinData *data = task_data;
  GError *error = NULL;
  gboolean ok;

  ok = teken_identity_change_pin_sync (source, data->old_pin, data->new_pin, cancellable, &error);
  /* Wiped now, not when the task is eventually finalised. */
  g_clear_pointer (&data->old_pin, teken_secret_free);
  g_clear_pointer (&data->new_pin, teken_secret_free);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
teken_identity_change_pin_async (TekenIdentity       *self,
                                 const TekenSecret   *old_pin,
                                 const TekenSecret   *new_pin,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ChangePinData *data;

  g_return_if_fail (TEKEN_IS_IDENTITY (self));
  g_return_if_fail (old_pin != NULL && new_pin != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teken_identity_change_pin_async);
  /* Once the token has changed the PIN, say so even if cancelled meanwhile: it cannot be undone. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (ChangePinData, 1);
  data->old_pin = teken_secret_new (old_pin);
  data->new_pin = teken_secret_new (new_pin);
  g_task_set_task_data (task, data, (GDestroyNotify) change_pin_data_free);
  g_task_run_in_thread (task, change_pin_thread);
}

gboolean
teken_identity_change_pin_finish (TekenIdentity  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
teken_identity_get_pin_length (TekenIdentity *self,
                               guint         *min_len,
                               guint         *max_len)
{
  CK_ULONG min, max;

  g_return_val_if_fail (TEKEN_IS_IDENTITY (self), FALSE);

  if (self->kind != TEKEN_IDENTITY_KIND_TOKEN || self->token == NULL)
    return FALSE;
  min = self->token->info.ulMinPinLen;
  max = self->token->info.ulMaxPinLen;
  if (max == CK_UNAVAILABLE_INFORMATION || max < min)
    max = 0;
  *min_len = (guint) MIN (min, G_MAXUINT);
  *max_len = (guint) MIN (max, G_MAXUINT);
  return TRUE;
}
