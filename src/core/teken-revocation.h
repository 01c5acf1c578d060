/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "teken-http.h"

G_BEGIN_DECLS

#define TEKEN_REVOCATION_ERROR (teken_revocation_error_quark ())
GQuark teken_revocation_error_quark (void);

typedef enum
{
  TEKEN_REVOCATION_ERROR_NO_SOURCE,     /* the certificate names no OCSP responder and no CRL */
  TEKEN_REVOCATION_ERROR_BAD_RESPONSE,  /* unreadable OCSP response or CRL, responder error status */
  TEKEN_REVOCATION_ERROR_UNTRUSTED,     /* not signed by the issuer or an authorised responder */
  TEKEN_REVOCATION_ERROR_STALE,         /* outside thisUpdate/nextUpdate */
  TEKEN_REVOCATION_ERROR_MISMATCH,      /* answers for another certificate, or nonce differs */
  TEKEN_REVOCATION_ERROR_OFFLINE,       /* network use not allowed and nothing cached */
} TekenRevocationError;

typedef enum
{
  TEKEN_CERT_STATUS_GOOD,
  TEKEN_CERT_STATUS_REVOKED,
  TEKEN_CERT_STATUS_UNKNOWN,    /* the responder does not know the certificate */
} TekenCertStatus;

typedef enum
{
  TEKEN_REVOCATION_KIND_OCSP,
  TEKEN_REVOCATION_KIND_CRL,
} TekenRevocationKind;

/* One checked piece of revocation data for one certificate. */
typedef struct
{
  TekenRevocationKind kind;
  TekenCertStatus status;
  GDateTime *revocation_time;   /* REVOKED only */
  GDateTime *this_update;
  GDateTime *next_update;       /* may be NULL */
  GDateTime *produced_at;       /* OCSP only */
  GBytes *data;                 /* the OCSPResponse or CRL DER */
  STACK_OF (X509) *certs;       /* certificates the OCSP response carries (responder chain); may be NULL */
  char *url;                    /* where it came from (NULL when embedded) */
  gboolean from_cache;
} TekenRevocationInfo;

void teken_revocation_info_free (TekenRevocationInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenRevocationInfo, teken_revocation_info_free)

/* AIA id-ad-ocsp URL (first http one) and CDP URLs of a certificate; NULL when none. */
char  *teken_cert_get_ocsp_url (X509 *cert);
GStrv  teken_cert_get_crl_urls (X509 *cert);

/*
 * Checks an OCSP response (RFC 6960) for cert: successful status, signed by the issuer itself
 * or by a responder certificate issued by it with the OCSPSigning EKU (checked at the response's
 * producedAt), an entry for cert, and, with `at` != NULL, thisUpdate <= at <= nextUpdate (with
 * 5 minutes of tolerance). With a request, its nonce must come back when the responder echoes one.
 */
TekenRevocationInfo *teken_ocsp_check_response (GBytes        *der,
                                                X509          *cert,
                                                X509          *issuer,
                                                OCSP_REQUEST  *request,
                                                GDateTime     *at,
                                                GError       **error);
/* Checks a CRL (DER or PEM) for cert: issued and signed by issuer, fresh at `at` when given. */
TekenRevocationInfo *teken_crl_check           (GBytes        *der,
                                                X509          *cert,
                                                X509          *issuer,
                                                GDateTime     *at,
                                                GError       **error);

/*
 * Online checks with an on-disk cache (g_get_user_cache_dir()/teken/revocation, atomic writes;
 * an entry is reused while it is fresh, i.e. before its nextUpdate). Blocking: worker threads.
 */
#define TEKEN_TYPE_REVOCATION_CHECKER (teken_revocation_checker_get_type ())
G_DECLARE_FINAL_TYPE (TekenRevocationChecker, teken_revocation_checker, TEKEN, REVOCATION_CHECKER, GObject)

TekenRevocationChecker *teken_revocation_checker_new            (TekenHttp              *http);
TekenHttp              *teken_revocation_checker_get_http       (TekenRevocationChecker *self);
/* NULL: the default; tests use a private directory. */
void                    teken_revocation_checker_set_cache_dir  (TekenRevocationChecker *self,
                                                                 const char             *dir);
/* Offline: only the cache is used. */
void                    teken_revocation_checker_set_offline    (TekenRevocationChecker *self,
                                                                 gboolean                offline);
TekenRevocationInfo    *teken_revocation_checker_check_ocsp     (TekenRevocationChecker *self,
                                                                 X509                   *cert,
                                                                 X509                   *issuer,
                                                                 GCancellable           *cancellable,
                                                                 GError                **error);
TekenRevocationInfo    *teken_revocation_checker_check_crl      (TekenRevocationChecker *self,
                                                                 X509                   *cert,
                                                                 X509                   *issuer,
                                                                 GCancellable           *cancellable,
                                                                 GError                **error);
/* OCSP first, the CRL as fallback; the error names both failures. */
TekenRevocationInfo    *teken_revocation_checker_check          (TekenRevocationChecker *self,
                                                                 X509                   *cert,
                                                                 X509                   *issuer,
                                                                 GCancellable           *cancellable,
                                                                 GError                **error);

/* Validation data for a DSS: DER blobs without duplicates. */
typedef struct
{
  GPtrArray *certs;   /* GBytes */
  GPtrArray *ocsps;   /* GBytes */
  GPtrArray *crls;    /* GBytes */
} TekenValidationData;

TekenValidationData *teken_validation_data_new      (void);
void                 teken_validation_data_free     (TekenValidationData *data);
/* Adds unless an identical blob is there; returns TRUE when added. */
gboolean             teken_validation_data_add_cert (TekenValidationData *data,
                                                     X509                *cert);
void                 teken_validation_data_add_info (TekenValidationData *data,
                                                     TekenRevocationInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenValidationData, teken_validation_data_free)

/*
 * Gathers validation data for a chain (leaf first; issuers found in chain and extra): every
 * certificate, and for each non-root certificate an OCSP response or a CRL. A certificate that
 * names no source (no AIA OCSP, no CDP) or carries id-pkix-ocsp-nocheck is skipped (the leaf
 * only when !require_leaf: a signer without any source cannot reach B-LT); the walk stops at an
 * intermediate whose issuer is not in pool (the leaf's issuer must be there); one whose
 * sources all fail is an error. The status is not judged here: data saying "revoked" is kept too
 * (it proves when the revocation happened).
 */
gboolean teken_revocation_checker_gather (TekenRevocationChecker *self,
                                          X509                   *leaf,
                                          STACK_OF (X509)        *pool,
                                          gboolean                require_leaf,
                                          TekenValidationData    *data,
                                          GCancellable           *cancellable,
                                          GError                **error);

/* Issuer of cert among pool (subject/issuer match and signature check), transfer none. */
X509 *teken_find_issuer (X509            *cert,
                         STACK_OF (X509) *pool);

G_END_DECLS
