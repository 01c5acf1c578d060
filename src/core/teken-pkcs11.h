/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to the identity area: PKCS#11 modules and tokens through p11-kit (raw PKCS#11).
 */
#pragma once

#include <gio/gio.h>
#include <openssl/x509.h>
#include <p11-kit/p11-kit.h>
#include <p11-kit/uri.h>

#include "teken-identity.h"

G_BEGIN_DECLS

/*
 * The modules to look at: the p11-kit registered ones (when `registered`) plus each path in
 * `extra_paths`. Modules are loaded and initialised once per process and never unloaded.
 * A module that fails to load is skipped (g_debug) unless it is an extra path: then its error is
 * put in *module_errors (one line per module, may be NULL). Array of CK_FUNCTION_LIST*, transfer container.
 */
GPtrArray        *teken_pkcs11_get_modules       (gboolean             registered,
                                                  const char * const  *extra_paths,
                                                  char               **module_errors);
/* Loads one module by path (for `add-module` checks). transfer none. */
CK_FUNCTION_LIST *teken_pkcs11_load_module       (const char          *path,
                                                  GError             **error);
/* The module's file (transfer full). */
char             *teken_pkcs11_module_path       (CK_FUNCTION_LIST    *module);

typedef struct
{
  CK_FUNCTION_LIST *module;
  char             *module_path;
  CK_SLOT_ID        slot;
  CK_TOKEN_INFO     info;
  char             *label;          /* blank padding removed */
  char             *serial;
} TekenPkcs11Token;

void              teken_pkcs11_token_free        (TekenPkcs11Token    *token);
TekenPkcs11Token *teken_pkcs11_token_copy        (const TekenPkcs11Token *token);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenPkcs11Token, teken_pkcs11_token_free)

/* Every present token of these modules (GPtrArray of TekenPkcs11Token). */
GPtrArray        *teken_pkcs11_list_tokens       (GPtrArray           *modules);
/*
 * Finds the token again (same module, serial and label; its slot may have changed) and re-reads
 * its info into *token. TEKEN_IDENTITY_ERROR_TOKEN_REMOVED when it is gone.
 */
gboolean          teken_pkcs11_token_refresh     (TekenPkcs11Token    *token,
                                                  GError             **error);
TekenPinState     teken_pkcs11_token_pin_state   (const TekenPkcs11Token *token);
gboolean          teken_pkcs11_token_has_pin_pad (const TekenPkcs11Token *token);

typedef struct
{
  GBytes          *id;              /* CKA_ID */
  char            *label;           /* CKA_LABEL, may be NULL */
  X509            *cert;
  STACK_OF (X509) *chain;           /* the token's other certificates that issue it */
} TekenPkcs11Cert;

void              teken_pkcs11_cert_free         (TekenPkcs11Cert     *cert);

/*
 * Certificates of the token that have a private key with the same CKA_ID. Private keys are
 * usually private objects, invisible before login: on a token that requires login, an end-entity
 * certificate with a CKA_ID is listed and the key is confirmed at login (NO_KEY otherwise).
 * GPtrArray of TekenPkcs11Cert.
 */
GPtrArray        *teken_pkcs11_list_certificates (const TekenPkcs11Token *token,
                                                  GError             **error);

/* RFC 7512 URI of a token object: "pkcs11:model=…;manufacturer=…;serial=…;token=…;id=%01". */
char             *teken_pkcs11_object_uri        (const TekenPkcs11Token *token,
                                                  GBytes              *id);
/* Whether the URI (parsed with P11_KIT_URI_FOR_ANY) names this token object (module, token, id, object label). */
gboolean          teken_pkcs11_uri_matches       (P11KitUri           *uri,
                                                  const TekenPkcs11Token *token,
                                                  GBytes              *id,
                                                  const char          *label);

/* A CK_RV as a GError: PIN errors and removal in TEKEN_KEY_ERROR, the rest FAILED with `what`. */
void              teken_pkcs11_set_error         (GError             **error,
                                                  CK_RV                rv,
                                                  const char          *what);
/*
 * Changes the user PIN (PKCS#11 v2.40 §5.6): read-write session, C_Login (CKU_USER, old), C_SetPIN,
 * C_Logout. Refreshes *token first; refuses write-protected and PIN-pad tokens.
 */
gboolean          teken_pkcs11_token_change_pin  (TekenPkcs11Token    *token,
                                                  const char          *old_pin,
                                                  const char          *new_pin,
                                                  GError             **error);

/* Whether rv means the token (or its session) went away. */
gboolean          teken_pkcs11_rv_is_removal     (CK_RV                rv);

G_END_DECLS
