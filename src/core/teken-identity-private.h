/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to the identity area: constructors used by the store.
 */
#pragma once

#include "teken-identity.h"
#include "teken-keyring.h"
#include "teken-pkcs11.h"

G_BEGIN_DECLS

/* From a keyring entry (its certificates attribute); NULL + error when unreadable. */
TekenIdentity          *teken_identity_new_keyring        (const TekenKeyringEntry *entry,
                                                           GError                 **error);
/* From a certificate and chain about to be imported (collection label not known yet). */
TekenIdentity          *teken_identity_new_keyring_import (X509                    *cert,
                                                           STACK_OF (X509)         *chain,
                                                           gboolean                 passphrase_remembered);
TekenIdentity          *teken_identity_new_token          (const TekenPkcs11Token  *token,
                                                           const TekenPkcs11Cert   *cert);

/* TOKEN identities: the token (transfer none), the object's CKA_ID and CKA_LABEL. */
const TekenPkcs11Token *teken_identity_get_token          (TekenIdentity           *self);
GBytes                 *teken_identity_get_object_id      (TekenIdentity           *self);
const char             *teken_identity_get_object_label   (TekenIdentity           *self);

/* Certificate (then chain) as PEM text: the keyring's "certificates" attribute. */
char                   *teken_identity_dup_certificates_pem (TekenIdentity         *self);
/* notAfter as ISO 8601 UTC ("2028-11-23T10:00:00Z"). */
char                   *teken_identity_dup_not_after_iso  (TekenIdentity           *self);

G_END_DECLS
