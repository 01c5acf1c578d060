/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-pkcs11.h"

#include <openssl/err.h>
#include <stdlib.h>

/* Modules are process-wide: PKCS#11 allows one C_Initialize per process and module. */
static GMutex modules_lock;
static CK_FUNCTION_LIST **registered_modules;
static gboolean registered_loaded;
static GHashTable *path_modules;    /* realpath -> CK_FUNCTION_LIST* */

static char *
resolve (const char *path)
{
  char *real = realpath (path, NULL);
  char *copy;

  if (real == NULL)
    return g_strdup (path);
  copy = g_strdup (real);
  free (real);
  return copy;
}

char *
teken_pkcs11_module_path (CK_FUNCTION_LIST *module)
{
  char *path = p11_kit_module_get_filename (module);
  char *copy = g_strdup (path);

  free (path);
  return copy;
}

static void
ensure_registered_locked (void)
{
  if (registered_loaded)
    return;
  registered_loaded = TRUE;
  registered_modules = p11_kit_modules_load_and_initialize (0);
  if (registered_modules == NULL)
    g_debug ("No registered PKCS#11 modules could be loaded: %s", p11_kit_message ());
}

static gboolean
is_registered_locked (const char *real)
{
  for (guint i = 0; registered_modules != NULL && registered_modules[i] != NULL; i++)
    {
      g_autofree char *path = teken_pkcs11_module_path (registered_modules[i]);
      g_autofree char *rpath = path != NULL ? resolve (path) : NULL;

      if (g_strcmp0 (rpath, real) == 0)
        return TRUE;
    }
  return FALSE;
}

static CK_FUNCTION_LIST *
load_path_locked (const char  *path,
                  GError     **error)
{
  g_autofree char *real = resolve (path);
  CK_FUNCTION_LIST *module;
  CK_RV rv;

  if (path_modules == NULL)
    path_modules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  module = g_hash_table_lookup (path_modules, real);
  if (module != NULL)
    return module;

  module = p11_kit_module_load (real, 0);
  if (module == NULL)
    {
      /* translators: %s is a file name, then p11-kit's reason */
      g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_MODULE,
                   _("The PKCS#11 module “%s” could not be loaded: %s"), path, p11_kit_message ());
      return NULL;
    }
  rv = p11_kit_module_initialize (module);
  if (rv != CKR_OK)
    {
      p11_kit_module_release (module);
      /* translators: %s is a file name, then the module's error */
      g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_MODULE,
                   _("The PKCS#11 module “%s” could not be initialised: %s"), path, p11_kit_strerror (rv));
      return NULL;
    }
  g_hash_table_insert (path_modules, g_steal_pointer (&real), module);
  return module;
}

CK_FUNCTION_LIST *
teken_pkcs11_load_module (const char  *path,
                          GError     **error)
{
  CK_FUNCTION_LIST *module;

  g_mutex_lock (&modules_lock);
  module = load_path_locked (path, error);
  g_mutex_unlock (&modules_lock);
  return module;
}

GPtrArray *
teken_pkcs11_get_modules (gboolean            registered,
                          const char * const *extra_paths,
                          char              **module_errors)
{
  GPtrArray *modules = g_ptr_array_new ();
  g_autoptr(GString) errors = g_string_new (NULL);

  g_mutex_lock (&modules_lock);
  if (registered)
    {
      ensure_registered_locked ();
      for (guint i = 0; registered_modules != NULL && registered_modules[i] != NULL; i++)
        g_ptr_array_add (modules, registered_modules[i]);
    }
  for (guint i = 0; extra_paths != NULL && extra_paths[i] != NULL; i++)
    {
      g_autofree char *real = resolve (extra_paths[i]);
      g_autoptr(GError) error = NULL;
      CK_FUNCTION_LIST *module;

      /* A registered module added again by path would list its tokens twice. */
      if (registered && is_registered_locked (real))
        continue;
      module = load_path_locked (extra_paths[i], &error);
      if (module == NULL)
        g_string_append_printf (errors, "%s%s", errors->len > 0 ? "\n" : "", error->message);
      else if (!g_ptr_array_find (modules, module, NULL))
        g_ptr_array_add (modules, module);
    }
  g_mutex_unlock (&modules_lock);

  if (module_errors != NULL)
    *module_errors = errors->len > 0 ? g_strdup (errors->str) : NULL;
  return modules;
}

void
teken_pkcs11_token_free (TekenPkcs11Token *token)
{
  if (token == NULL)
    return;
  g_free (token->module_path);
  g_free (token->label);
  g_free (token->serial);
  g_free (token);
}

TekenPkcs11Token *
teken_pkcs11_token_copy (const TekenPkcs11Token *token)
{
  TekenPkcs11Token *copy = g_memdup2 (token, sizeof *token);

  copy->module_path = g_strdup (token->module_path);
  copy->label = g_strdup (token->label);
  copy->serial = g_strdup (token->serial);
  return copy;
}

static char *
space_strdup (const unsigned char *field,
              gsize                len)
{
  char *s = p11_kit_space_strdup (field, len);
  char *copy = g_strdup (s);

  free (s);
  return copy;
}

static TekenPkcs11Token *
token_new (CK_FUNCTION_LIST    *module,
           CK_SLOT_ID           slot,
           const CK_TOKEN_INFO *info)
{
  TekenPkcs11Token *token = g_new0 (TekenPkcs11Token, 1);

  token->module = module;
  token->module_path = teken_pkcs11_module_path (module);
  token->slot = slot;
  token->info = *info;
  token->label = space_strdup (info->label, sizeof info->label);
  token->serial = space_strdup (info->serialNumber, sizeof info->serialNumber);
  return token;
}

static CK_SLOT_ID *
get_slots (CK_FUNCTION_LIST *module,
           CK_ULONG         *n_slots,
           CK_RV            *rv_out)
{
  CK_SLOT_ID *slots = NULL;
  CK_ULONG count = 0;
  CK_RV rv;

  /* The count may grow between the two calls (a token plugged in): retry. */
  for (int attempt = 0; attempt < 3; attempt++)
    {
      rv = module->C_GetSlotList (CK_TRUE, NULL, &count);
      if (rv != CKR_OK || count == 0)
        break;
      slots = g_renew (CK_SLOT_ID, slots, count);
      rv = module->C_GetSlotList (CK_TRUE, slots, &count);
      if (rv != CKR_BUFFER_TOO_SMALL)
        break;
    }
  *rv_out = rv;
  if (rv != CKR_OK)
    count = 0;
  *n_slots = count;
  return slots;
}

GPtrArray *
teken_pkcs11_list_tokens (GPtrArray *modules)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) teken_pkcs11_token_free);

  for (guint m = 0; m < modules->len; m++)
    {
      CK_FUNCTION_LIST *module = modules->pdata[m];
      g_autofree CK_SLOT_ID *slots = NULL;
      CK_ULONG n_slots;
      CK_RV rv;

      slots = get_slots (module, &n_slots, &rv);
      if (rv != CKR_OK)
        g_debug ("C_GetSlotList failed: %s", p11_kit_strerror (rv));
      for (CK_ULONG i = 0; i < n_slots; i++)
        {
          CK_TOKEN_INFO info;

          if (module->C_GetTokenInfo (slots[i], &info) != CKR_OK)
            continue;   /* pulled out between the two calls */
          if (!(info.flags & CKF_TOKEN_INITIALIZED))
            continue;
          g_ptr_array_add (tokens, token_new (module, slots[i], &info));
        }
    }
  return tokens;
}

gboolean
teken_pkcs11_token_refresh (TekenPkcs11Token  *token,
                            GError           **error)
{
  CK_FUNCTION_LIST *module = token->module;
  g_autofree CK_SLOT_ID *slots = NULL;
  CK_ULONG n_slots;
  CK_RV rv;

  slots = get_slots (module, &n_slots, &rv);
  for (CK_ULONG i = 0; i < n_slots; i++)
    {
      CK_TOKEN_INFO info;
      g_autofree char *label = NULL;
      g_autofree char *serial = NULL;

      if (module->C_GetTokenInfo (slots[i], &info) != CKR_OK)
        continue;
      label = space_strdup (info.label, sizeof info.label);
      serial = space_strdup (info.serialNumber, sizeof info.serialNumber);
      if (g_str_equal (label, token->label) && g_str_equal (serial, token->serial))
        {
          token->slot = slots[i];
          token->info = info;
          return TRUE;
        }
    }
  /* translators: %s is the token's label */
  g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_TOKEN_REMOVED,
               _("The token “%s” is not inserted"), token->label);
  return FALSE;
}

TekenPinState
teken_pkcs11_token_pin_state (const TekenPkcs11Token *token)
{
  TekenPinState state = 0;

  if (token->info.flags & CKF_USER_PIN_COUNT_LOW)
    state |= TEKEN_PIN_STATE_COUNT_LOW;
  if (token->info.flags & CKF_USER_PIN_FINAL_TRY)
    state |= TEKEN_PIN_STATE_FINAL_TRY;
  if (token->info.flags & CKF_USER_PIN_LOCKED)
    state |= TEKEN_PIN_STATE_LOCKED;
  if (token->info.flags & CKF_USER_PIN_TO_BE_CHANGED)
    state |= TEKEN_PIN_STATE_TO_BE_CHANGED;
  return state;
}

gboolean
teken_pkcs11_token_has_pin_pad (const TekenPkcs11Token *token)
{
  return (token->info.flags & CKF_PROTECTED_AUTHENTICATION_PATH) != 0;
}

void
teken_pkcs11_cert_free (TekenPkcs11Cert *cert)
{
  if (cert == NULL)
    return;
  g_clear_pointer (&cert->id, g_bytes_unref);
  g_free (cert->label);
  X509_free (cert->cert);
  sk_X509_pop_free (cert->chain, X509_free);
  g_free (cert);
}

/* One attribute's value (NULL when absent or unreadable). */
static GBytes *
get_attribute (CK_FUNCTION_LIST  *module,
               CK_SESSION_HANDLE  session,
               CK_OBJECT_HANDLE   object,
               CK_ATTRIBUTE_TYPE  type)
{
  CK_ATTRIBUTE attr = { type, NULL, 0 };
  guint8 *buf;

  if (module->C_GetAttributeValue (session, object, &attr, 1) != CKR_OK ||
      attr.ulValueLen == (CK_ULONG) -1)
    return NULL;
  buf = g_malloc (attr.ulValueLen + 1);
  attr.pValue = buf;
  if (module->C_GetAttributeValue (session, object, &attr, 1) != CKR_OK)
    {
      g_free (buf);
      return NULL;
    }
  return g_bytes_new_take (buf, attr.ulValueLen);
}

/* Handles of the objects matching `tmpl`; rv in *rv_out. */
static GArray *
find_objects (CK_FUNCTION_LIST  *module,
              CK_SESSION_HANDLE  session,
              CK_ATTRIBUTE      *tmpl,
              CK_ULONG           n_tmpl,
              CK_RV             *rv_out)
{
  GArray *handles = g_array_new (FALSE, FALSE, sizeof (CK_OBJECT_HANDLE));
  CK_OBJECT_HANDLE batch[32];
  CK_ULONG n;
  CK_RV rv;

  rv = module->C_FindObjectsInit (session, tmpl, n_tmpl);
  while (rv == CKR_OK)
    {
      rv = module->C_FindObjects (session, batch, G_N_ELEMENTS (batch), &n);
      if (rv != CKR_OK || n == 0)
        break;
      g_array_append_vals (handles, batch, n);
    }
  if (rv != CKR_OPERATION_NOT_INITIALIZED)
    {
      CK_RV frv = module->C_FindObjectsFinal (session);
      if (rv == CKR_OK)
        rv = frv;
    }
  *rv_out = rv;
  return handles;
}

static gboolean
has_private_key (CK_FUNCTION_LIST  *module,
                 CK_SESSION_HANDLE  session,
                 GBytes            *id)
{
  CK_OBJECT_CLASS klass = CKO_PRIVATE_KEY;
  gsize id_len;
  const void *id_data = g_bytes_get_data (id, &id_len);
  CK_ATTRIBUTE tmpl[] = {
    { CKA_CLASS, &klass, sizeof klass },
    { CKA_ID, (void *) id_data, id_len },
  };
  g_autoptr(GArray) handles = NULL;
  CK_RV rv;

  handles = find_objects (module, session, tmpl, G_N_ELEMENTS (tmpl), &rv);
  return rv == CKR_OK && handles->len > 0;
}

/* The token's other certificates that issue `cert`, nearest first. */
static STACK_OF (X509) *
build_chain (X509      *cert,
             GPtrArray *all)
{
  STACK_OF (X509) *chain = sk_X509_new_null ();
  X509 *current = cert;

  for (guint depth = 0; depth < 8; depth++)
    {
      X509 *issuer = NULL;

      if (X509_check_issued (current, current) == X509_V_OK)
        break;  /* self-signed: the top */
      for (guint i = 0; i < all->len && issuer == NULL; i++)
        {
          X509 *candidate = all->pdata[i];

          if (candidate != current && X509_check_issued (candidate, current) == X509_V_OK)
            issuer = candidate;
        }
      if (issuer == NULL || issuer == cert)
        break;
      X509_up_ref (issuer);
      sk_X509_push (chain, issuer);
      current = issuer;
    }
  return chain;
}

GPtrArray *
teken_pkcs11_list_certificates (const TekenPkcs11Token  *token,
                                GError                 **error)
{
  CK_FUNCTION_LIST *module = token->module;
  CK_SESSION_HANDLE session;
  CK_OBJECT_CLASS klass = CKO_CERTIFICATE;
  CK_CERTIFICATE_TYPE ctype = CKC_X_509;
  CK_ATTRIBUTE tmpl[] = {
    { CKA_CLASS, &klass, sizeof klass },
    { CKA_CERTIFICATE_TYPE, &ctype, sizeof ctype },
  };
  g_autoptr(GArray) handles = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *certs;
  gboolean login_required = (token->info.flags & CKF_LOGIN_REQUIRED) != 0;
  CK_RV rv;

  rv = module->C_OpenSession (token->slot, CKF_SERIAL_SESSION, NULL, NULL, &session);
  if (rv != CKR_OK)
    {
      teken_pkcs11_set_error (error, rv, _("Could not open a session with the token"));
      return NULL;
    }
  handles = find_objects (module, session, tmpl, G_N_ELEMENTS (tmpl), &rv);
  for (guint i = 0; rv == CKR_OK && i < handles->len; i++)
    {
      CK_OBJECT_HANDLE h = g_array_index (handles, CK_OBJECT_HANDLE, i);
      g_autoptr(GBytes) value = get_attribute (module, session, h, CKA_VALUE);
      g_autoptr(GBytes) label = get_attribute (module, session, h, CKA_LABEL);
      const guint8 *der;
      gsize len;
      X509 *x;

      if (value == NULL)
        continue;
      der = g_bytes_get_data (value, &len);
      x = d2i_X509 (NULL, &der, (long) len);
      if (x == NULL)
        continue;   /* unreadable certificate object: not ours to judge */
      g_ptr_array_add (all, x);
      g_ptr_array_add (ids, get_attribute (module, session, h, CKA_ID));
      g_ptr_array_add (labels, label != NULL ? g_strndup (g_bytes_get_data (label, NULL),
                                                           g_bytes_get_size (label)) : NULL);
    }
  ERR_clear_error ();

  certs = g_ptr_array_new_with_free_func ((GDestroyNotify) teken_pkcs11_cert_free);
  for (guint i = 0; rv == CKR_OK && i < all->len; i++)
    {
      X509 *x = all->pdata[i];
      GBytes *id = ids->pdata[i];
      TekenPkcs11Cert *c;

      if (id == NULL || g_bytes_get_size (id) == 0)
        continue;
      if (!has_private_key (module, session, id) && (!login_required || X509_check_ca (x) != 0))
        continue;
      c = g_new0 (TekenPkcs11Cert, 1);
      c->id = g_bytes_ref (id);
      c->label = g_strdup (labels->pdata[i]);
      X509_up_ref (x);
      c->cert = x;
      c->chain = build_chain (x, all);
      g_ptr_array_add (certs, c);
    }
  module->C_CloseSession (session);

  if (rv != CKR_OK)
    {
      g_ptr_array_unref (certs);
      teken_pkcs11_set_error (error, rv, _("Could not read the token's certificates"));
      return NULL;
    }
  return certs;
}

char *
teken_pkcs11_object_uri (const TekenPkcs11Token *token,
                         GBytes                 *id)
{
  P11KitUri *uri = p11_kit_uri_new ();
  CK_TOKEN_INFO *info = p11_kit_uri_get_token_info (uri);
  gsize id_len;
  const void *id_data = g_bytes_get_data (id, &id_len);
  CK_ATTRIBUTE attr = { CKA_ID, (void *) id_data, id_len };
  char *string = NULL;
  char *copy;

  /* Only the identifying fields: the flags and counters change all the time. */
  memcpy (info->label, token->info.label, sizeof info->label);
  memcpy (info->manufacturerID, token->info.manufacturerID, sizeof info->manufacturerID);
  memcpy (info->model, token->info.model, sizeof info->model);
  memcpy (info->serialNumber, token->info.serialNumber, sizeof info->serialNumber);
  p11_kit_uri_set_attribute (uri, &attr);
  if (p11_kit_uri_format (uri, P11_KIT_URI_FOR_OBJECT_ON_TOKEN, &string) != P11_KIT_URI_OK)
    string = NULL;
  p11_kit_uri_free (uri);
  copy = g_strdup (string);
  free (string);
  return copy;
}

gboolean
teken_pkcs11_uri_matches (P11KitUri              *uri,
                          const TekenPkcs11Token *token,
                          GBytes                 *id,
                          const char             *label)
{
  CK_INFO module_info;
  CK_ATTRIBUTE *uri_id, *uri_label;

  if (token->module->C_GetInfo (&module_info) == CKR_OK &&
      !p11_kit_uri_match_module_info (uri, &module_info))
    return FALSE;
  if (!p11_kit_uri_match_token_info (uri, &token->info))
    return FALSE;
  uri_id = p11_kit_uri_get_attribute (uri, CKA_ID);
  if (uri_id != NULL &&
      (uri_id->ulValueLen != g_bytes_get_size (id) ||
       memcmp (uri_id->pValue, g_bytes_get_data (id, NULL), uri_id->ulValueLen) != 0))
    return FALSE;
  uri_label = p11_kit_uri_get_attribute (uri, CKA_LABEL);
  if (uri_label != NULL &&
      (label == NULL || strlen (label) != uri_label->ulValueLen ||
       memcmp (uri_label->pValue, label, uri_label->ulValueLen) != 0))
    return FALSE;
  return TRUE;
}

gboolean
teken_pkcs11_rv_is_removal (CK_RV rv)
{
  switch (rv)
    {
    case CKR_DEVICE_REMOVED:
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_SESSION_HANDLE_INVALID:
    case CKR_SESSION_CLOSED:
    case CKR_TOKEN_NOT_RECOGNIZED:
    case CKR_SLOT_ID_INVALID:
      return TRUE;
    default:
      return FALSE;
    }
}

void
teken_pkcs11_set_error (GError     **error,
                        CK_RV        rv,
                        const char  *what)
{
  if (teken_pkcs11_rv_is_removal (rv))
    g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_DEVICE_REMOVED,
                         _("The token was removed"));
  else if (rv == CKR_PIN_INCORRECT)
    g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_INCORRECT,
                         _("The PIN is wrong"));
  else if (rv == CKR_PIN_LOCKED)
    g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_LOCKED,
                         _("The token's PIN is locked; ask your Registration Authority to unblock it"));
  else if (rv == CKR_FUNCTION_CANCELED || rv == CKR_CANCEL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled on the token"));
  else if (rv == CKR_MECHANISM_INVALID || rv == CKR_KEY_TYPE_INCONSISTENT ||
           rv == CKR_MECHANISM_PARAM_INVALID || rv == CKR_KEY_FUNCTION_NOT_PERMITTED)
    /* translators: the first %s says what failed, the second is the PKCS#11 error */
    g_set_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_UNSUPPORTED,
                 _("%s: the token does not support this (%s)"), what, p11_kit_strerror (rv));
  else
    /* translators: the first %s says what failed, the second is the PKCS#11 error */
    g_set_error (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_FAILED, _("%s: %s"), what, p11_kit_strerror (rv));
}

/* A wrong old PIN: say how many tries remain as far as the token tells. */
static void
set_old_pin_incorrect (GError           **error,
                       TekenPkcs11Token  *token)
{
  TekenPinState state = 0;

  if (teken_pkcs11_token_refresh (token, NULL))
    state = teken_pkcs11_token_pin_state (token);
  if (state & TEKEN_PIN_STATE_LOCKED)
    teken_pkcs11_set_error (error, CKR_PIN_LOCKED, NULL);
  else if (state & TEKEN_PIN_STATE_FINAL_TRY)
    g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_INCORRECT,
                         _("The current PIN is wrong; one try is left before the token locks the PIN"));
  else if (state & TEKEN_PIN_STATE_COUNT_LOW)
    g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_INCORRECT,
                         _("The current PIN is wrong; the token reports failed attempts, so few tries may be left"));
  else
    g_set_error_literal (error, TEKEN_KEY_ERROR, TEKEN_KEY_ERROR_PIN_INCORRECT,
                         _("The current PIN is wrong"));
}

static void
set_pin_len_error (GError                 **error,
                   const TekenPkcs11Token  *token)
{
  CK_ULONG min = token->info.ulMinPinLen;
  CK_ULONG max = token->info.ulMaxPinLen;

  if (max >= min && max > 0 && max != CK_UNAVAILABLE_INFORMATION)
    /* translators: %lu are numbers of characters, e.g. "4 to 16" */
    g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_PIN_LEN_RANGE,
                 _("The new PIN must be %lu to %lu characters long"), (gulong) min, (gulong) max);
  else
    /* translators: %lu is a number of characters */
    g_set_error (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_PIN_LEN_RANGE,
                 _("The new PIN must be at least %lu characters long"), (gulong) min);
}

static void
set_change_pin_error (GError           **error,
                      CK_RV              rv,
                      TekenPkcs11Token  *token)
{
  if (rv == CKR_PIN_INCORRECT)
    set_old_pin_incorrect (error, token);
  else if (rv == CKR_PIN_LEN_RANGE)
    set_pin_len_error (error, token);
  else if (rv == CKR_PIN_INVALID)
    g_set_error_literal (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_PIN_INVALID,
                         _("The token does not accept some characters of the new PIN"));
  else if (rv == CKR_TOKEN_WRITE_PROTECTED)
    g_set_error_literal (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_SUPPORTED,
                         _("The token is write-protected; its PIN cannot be changed"));
  else
    teken_pkcs11_set_error (error, rv, _("Changing the token's PIN failed"));
}

gboolean
teken_pkcs11_token_change_pin (TekenPkcs11Token  *token,
                               const char        *old_pin,
                               const char        *new_pin,
                               GError           **error)
{
  CK_FUNCTION_LIST *module = token->module;
  CK_SESSION_HANDLE session;
  gboolean logged_in = FALSE;
  gsize new_len = strlen (new_pin);
  CK_RV rv;

  if (!teken_pkcs11_token_refresh (token, error))
    return FALSE;
  if (token->info.flags & CKF_WRITE_PROTECTED)
    {
      set_change_pin_error (error, CKR_TOKEN_WRITE_PROTECTED, token);
      return FALSE;
    }
  if (teken_pkcs11_token_has_pin_pad (token))
    {
      g_set_error_literal (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NOT_SUPPORTED,
                           _("This token takes its PIN on its own keypad; change the PIN with the token's own tool"));
      return FALSE;
    }
  if (token->info.flags & CKF_USER_PIN_LOCKED)
    {
      teken_pkcs11_set_error (error, CKR_PIN_LOCKED, NULL);
      return FALSE;
    }
  /* Checked here too so that a bad length does not cost a login attempt. */
  if (new_len < token->info.ulMinPinLen ||
      (token->info.ulMaxPinLen != CK_UNAVAILABLE_INFORMATION && token->info.ulMaxPinLen >= token->info.ulMinPinLen &&
       token->info.ulMaxPinLen > 0 && new_len > token->info.ulMaxPinLen))
    {
      set_pin_len_error (error, token);
      return FALSE;
    }

  rv = module->C_OpenSession (token->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &session);
  if (rv != CKR_OK)
    {
      set_change_pin_error (error, rv, token);
      return FALSE;
    }
  /* Logged in, C_SetPIN changes the user's PIN; the old PIN is checked by both calls. */
  rv = module->C_Login (session, CKU_USER, (CK_UTF8CHAR_PTR) old_pin, strlen (old_pin));
  if (rv == CKR_OK)
    logged_in = TRUE;
  if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN)
    rv = module->C_SetPIN (session, (CK_UTF8CHAR_PTR) old_pin, strlen (old_pin),
                           (CK_UTF8CHAR_PTR) new_pin, new_len);
  if (logged_in)
    module->C_Logout (session);
  module->C_CloseSession (session);
  if (rv != CKR_OK)
    {
      set_change_pin_error (error, rv, token);
      return FALSE;
    }
  return TRUE;
}
