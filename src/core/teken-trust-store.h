/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <openssl/x509.h>

#include "teken-cert-info.h"

G_BEGIN_DECLS

#define TEKEN_TRUST_ERROR (teken_trust_error_quark ())
GQuark teken_trust_error_quark (void);

typedef enum
{
  TEKEN_TRUST_ERROR_INVALID_CERTIFICATE,  /* the file holds no readable certificate */
  TEKEN_TRUST_ERROR_NOT_FOUND,            /* removing a certificate that is not in the user store */
  TEKEN_TRUST_ERROR_IO,                   /* reading or writing the store failed */
} TekenTrustError;

/* Where a certificate of the store came from. */
typedef enum
{
  TEKEN_TRUST_SOURCE_SHIPPED,   /* compiled into Teken (GResource /io/github/teken/Teken/trust/) */
  TEKEN_TRUST_SOURCE_USER,      /* the user's persistent store */
  TEKEN_TRUST_SOURCE_FILE,      /* added for this run (teken-cli verify --trust) */
  TEKEN_TRUST_SOURCE_SYSTEM,    /* the system's TLS roots (off by default) */
} TekenTrustSource;

/*
 * The certificates a verification may rely on:
 *  - anchors: roots (or any certificate) whose chains are trusted;
 *  - intermediates: known CA certificates used to build chains but never trusted by themselves.
 * Shipped: Root CA Indonesia DS G1 and OSD LU Kelas 2 as anchors, BSrE CA DS G1 and the BSrE
 * TSA 2023 certificate as intermediates.
 * The user store is a directory, g_get_user_data_dir()/teken/trust/, of PEM files named
 * <sha256-hex>.pem; teken_trust_store_user_add()/remove() change it.
 * Not thread-safe for modification; once set up it can be shared by verifications in threads.
 */
#define TEKEN_TYPE_TRUST_STORE (teken_trust_store_get_type ())
G_DECLARE_FINAL_TYPE (TekenTrustStore, teken_trust_store, TEKEN, TRUST_STORE, GObject)

/* An empty store. */
TekenTrustStore *teken_trust_store_new               (void);
/* Shipped anchors and intermediates plus the user store (a broken user file is skipped with a
 * warning, never fatal). */
TekenTrustStore *teken_trust_store_new_default       (void);

gboolean         teken_trust_store_add_shipped       (TekenTrustStore  *self,
                                                      GError          **error);
/* Every certificate in the user store directory. */
gboolean         teken_trust_store_add_user_store    (TekenTrustStore  *self,
                                                      GError          **error);
/* Anchors from a file: PEM (any number of certificates) or DER (one). */
gboolean         teken_trust_store_add_anchor_file   (TekenTrustStore  *self,
                                                      const char       *path,
                                                      GError          **error);
/* Takes a new reference on cert. Duplicates (same SHA-256) are ignored. */
void             teken_trust_store_add_anchor        (TekenTrustStore  *self,
                                                      X509             *cert,
                                                      TekenTrustSource  source);
void             teken_trust_store_add_intermediate  (TekenTrustStore  *self,
                                                      X509             *cert,
                                                      TekenTrustSource  source);
/* Also trust the system's default certificate store (OpenSSL default paths); FALSE by default:
 * TLS roots are not document-signing roots. */
void             teken_trust_store_set_use_system    (TekenTrustStore  *self,
                                                      gboolean          use_system);
gboolean         teken_trust_store_get_use_system    (TekenTrustStore  *self);

/* element type TekenCertInfo; transfer none. */
GPtrArray       *teken_trust_store_get_anchors       (TekenTrustStore  *self);
GPtrArray       *teken_trust_store_get_intermediates (TekenTrustStore  *self);
TekenTrustSource teken_trust_store_get_source        (TekenTrustStore  *self,
                                                      TekenCertInfo    *info);
/* TRUE when cert (by SHA-256) is an anchor. */
gboolean         teken_trust_store_is_anchor         (TekenTrustStore  *self,
                                                      X509             *cert);

/* A new X509_STORE holding the anchors (and the system store when enabled); transfer full. */
X509_STORE      *teken_trust_store_create_x509_store (TekenTrustStore  *self,
                                                      GError          **error);
/* The intermediates as a new stack (certificates up-ref'ed); transfer full (sk_X509_pop_free). */
STACK_OF (X509) *teken_trust_store_dup_intermediates (TekenTrustStore  *self);

/* The persistent user store: g_get_user_data_dir()/teken/trust (transfer full). */
char            *teken_trust_store_get_user_dir      (void);
/* Writes cert to the user store (atomically, 0644) and adds it to self when self is not NULL.
 * Returns the SHA-256 hex id. */
char            *teken_trust_store_user_add          (TekenTrustStore  *self,
                                                      X509             *cert,
                                                      GError          **error);
/* Removes <sha256_hex>.pem from the user store (and from self when not NULL). */
gboolean         teken_trust_store_user_remove       (TekenTrustStore  *self,
                                                      const char       *sha256_hex,
                                                      GError          **error);
/* The user store's certificates, element type TekenCertInfo, transfer full. */
GPtrArray       *teken_trust_store_user_list         (GError          **error);

G_END_DECLS
