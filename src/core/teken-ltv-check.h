/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <openssl/cms.h>

#include "teken-dss.h"
#include "teken-revocation.h"

G_BEGIN_DECLS

/*
 * Long-term-validation checks for the verifier (plain data in and out, so the verifier maps
 * them into its results). Thread-safe; blocking only when a revocation checker is given.
 */

typedef enum
{
  TEKEN_LTV_CHECK_VALID,
  TEKEN_LTV_CHECK_INVALID,        /* token broken or for other data */
  TEKEN_LTV_CHECK_INDETERMINATE,  /* token fine but its TSA is not trusted */
} TekenLtvCheckStatus;

typedef struct
{
  TekenLtvCheckStatus status;
  GDateTime *time;        /* genTime (UTC), also for an invalid token when readable */
  char *tsa_name;
  STACK_OF (X509) *certs; /* the token's certificates (owned, may be NULL) */
  char *message;          /* why it is not valid (translated), NULL when valid */
} TekenTimestampCheck;

void                 teken_timestamp_check_free (TekenTimestampCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenTimestampCheck, teken_timestamp_check_free)

/*
 * The signature time stamp of a SignerInfo (unsigned attribute id-aa-timeStampToken): NULL when
 * there is none. Valid when the token's signature checks, its imprint is the hash of the
 * signature value, and its TSA chains to trust (X509_STORE of anchors; extra: intermediates)
 * with the critical timeStamping EKU at the token's time.
 */
TekenTimestampCheck *teken_ltv_check_signature_timestamp (CMS_SignerInfo  *si,
                                                          X509_STORE      *trust,
                                                          STACK_OF (X509) *extra);

/* The same for a document time stamp's token over a ByteRange digest. */
TekenTimestampCheck *teken_ltv_check_document_timestamp  (GBytes          *token,
                                                          const guint8    *digest,
                                                          gsize            digest_len,
                                                          X509_STORE      *trust,
                                                          STACK_OF (X509) *extra);

typedef enum
{
  TEKEN_LTV_REVOCATION_NOT_CHECKED,
  TEKEN_LTV_REVOCATION_GOOD,
  TEKEN_LTV_REVOCATION_REVOKED,
  TEKEN_LTV_REVOCATION_UNKNOWN,     /* checked, no usable answer */
} TekenLtvRevocationStatus;

typedef struct
{
  TekenLtvRevocationStatus status;
  gboolean embedded;            /* from /DSS or adbe-revocationInfoArchival (else online) */
  GDateTime *time;              /* revocation time when revoked, else thisUpdate of the data used */
  /* REVOKED only: TRUE when the revocation is at or before the signing time (the signature is
   * INVALID); FALSE when it came after a time-stamped signing time (still VALID). */
  gboolean revoked_before_signing;
  /* Everything needed later is in the document: embedded data for the signer and, when there is
   * a signature time stamp, for its TSA chain too (a certificate naming no source needs none). */
  gboolean ltv;
  char *message;                /* translated detail for UNKNOWN / NOT_CHECKED */
} TekenRevocationCheck;

void                  teken_revocation_check_free (TekenRevocationCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenRevocationCheck, teken_revocation_check_free)

/*
 * Revocation status of `signer` at `signing_time` (the time stamp's time when there is a valid
 * one, else the claimed time or now). Data, in this order: the DSS (may be NULL), the
 * adbe-revocationInfoArchival signed attribute of si (may be NULL), then online through
 * `checker` (NULL = offline). pool: certificates to find issuers (CMS, DSS, trust store).
 * tsa_certs: the signature time stamp's certificates (for the ltv flag; may be NULL).
 * With `timestamped` FALSE a revocation at any time before now makes the signature INVALID.
 */
TekenRevocationCheck *teken_ltv_check_revocation   (X509                   *signer,
                                                    STACK_OF (X509)        *pool,
                                                    TekenDss               *dss,
                                                    CMS_SignerInfo         *si,
                                                    STACK_OF (X509)        *tsa_certs,
                                                    GDateTime              *signing_time,
                                                    gboolean                timestamped,
                                                    TekenRevocationChecker *checker,
                                                    GCancellable           *cancellable);

/* OCSP responses and CRLs in an adbe-revocationInfoArchival attribute (1.2.840.113583.1.1.8). */
TekenValidationData  *teken_ltv_read_revocation_archival (CMS_SignerInfo *si);

G_END_DECLS
