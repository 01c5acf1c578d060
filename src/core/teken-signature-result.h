/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <openssl/x509.h>

#include "teken-cert-info.h"
#include "teken-modification.h"
#include "teken-pdf-document.h"

G_BEGIN_DECLS

/*
 * Status of one signature field (and, via TekenDocumentResult, of a document):
 *  VALID          integrity and signature verified, the signer chains to a trusted anchor
 *                 (valid at the signing time, suitable key usage) and nothing disallowed changed after it;
 *  INVALID        integrity, signature or coverage failure, or a disallowed change after signing;
 *  INDETERMINATE  the signature is intact but the signer could not be confirmed (unknown or
 *                 untrusted issuer, expired certificate without a timestamp, ...);
 *  UNSIGNED       an empty signature field.
 * Values are stable.
 */
typedef enum
{
  TEKEN_SIGNATURE_STATUS_VALID,
  TEKEN_SIGNATURE_STATUS_INVALID,
  TEKEN_SIGNATURE_STATUS_INDETERMINATE,
  TEKEN_SIGNATURE_STATUS_UNSIGNED,
} TekenSignatureStatus;

/* "valid", "invalid", "indeterminate", "unsigned" (stable). */
const char *teken_signature_status_to_string (TekenSignatureStatus status);

/*
 * Why a signature has its status. Each reason has a stable string id (JSON, scripts) and a
 * translated message, and a severity: the status it forces at least (INVALID beats
 * INDETERMINATE beats VALID). Informational reasons (severity VALID) do not lower the status.
 * New codes are only ever appended.
 */
typedef enum
{
  /* structure of the signature dictionary: INVALID */
  TEKEN_SIGNATURE_REASON_BYTE_RANGE_MISSING,        /* "byte-range-missing": /ByteRange absent, null or empty */
  TEKEN_SIGNATURE_REASON_BYTE_RANGE_MALFORMED,      /* "byte-range-malformed": not 4 non-negative integers, not from 0, outside the file */
  TEKEN_SIGNATURE_REASON_BYTE_RANGE_GAP,            /* "byte-range-gap": the gap is not exactly the /Contents string */
  TEKEN_SIGNATURE_REASON_BYTE_RANGE_NOT_REVISION,   /* "byte-range-not-revision": the signed part does not end at the end of a revision */
  TEKEN_SIGNATURE_REASON_CONTENTS_MISSING,          /* "contents-missing": /Contents absent, null, empty or all zero */
  TEKEN_SIGNATURE_REASON_CMS_MALFORMED,             /* "cms-malformed": the signature data cannot be decoded */
  TEKEN_SIGNATURE_REASON_SUBFILTER_UNSUPPORTED,     /* "subfilter-unsupported" */
  /* cryptography: INVALID */
  TEKEN_SIGNATURE_REASON_DIGEST_MISMATCH,           /* "digest-mismatch": the signed bytes were changed */
  TEKEN_SIGNATURE_REASON_SIGNATURE_MISMATCH,        /* "signature-mismatch": the signature value does not verify */
  TEKEN_SIGNATURE_REASON_SIGNER_CERTIFICATE_MISSING,/* "signer-certificate-missing" */
  TEKEN_SIGNATURE_REASON_SIGNING_CERTIFICATE_MISMATCH, /* "signing-certificate-mismatch": ESS signingCertificate(V2) names another certificate */
  TEKEN_SIGNATURE_REASON_UNSUPPORTED_ALGORITHM,     /* "unsupported-algorithm" */
  TEKEN_SIGNATURE_REASON_MULTIPLE_SIGNERS,          /* "multiple-signers": not exactly one SignerInfo */
  /* changes after signing */
  TEKEN_SIGNATURE_REASON_MODIFIED_DISALLOWED,       /* "modified-disallowed": INVALID */
  TEKEN_SIGNATURE_REASON_MODIFIED_ALLOWED,          /* "modified-allowed": informational */
  /* certificate and trust: INDETERMINATE unless said otherwise */
  TEKEN_SIGNATURE_REASON_ISSUER_UNKNOWN,            /* "issuer-unknown": no chain to any known certificate */
  TEKEN_SIGNATURE_REASON_UNTRUSTED_ROOT,            /* "untrusted-root": chain ends at a root that is not trusted */
  TEKEN_SIGNATURE_REASON_CERTIFICATE_EXPIRED,       /* "certificate-expired": expired at the validation time, no timestamp */
  TEKEN_SIGNATURE_REASON_CERTIFICATE_NOT_YET_VALID, /* "certificate-not-yet-valid": not valid yet at the signing time */
  TEKEN_SIGNATURE_REASON_NOT_VALID_AT_SIGNING_TIME, /* "not-valid-at-signing-time": expired at the signing time */
  TEKEN_SIGNATURE_REASON_CHAIN_INVALID,             /* "chain-invalid": a chain certificate is not a CA, bad chain signature, ... */
  TEKEN_SIGNATURE_REASON_KEY_USAGE,                 /* "key-usage": neither digitalSignature nor nonRepudiation (INVALID) */
  TEKEN_SIGNATURE_REASON_EXTENDED_KEY_USAGE,        /* "extended-key-usage": an EKU that excludes document signing (INDETERMINATE) */
  TEKEN_SIGNATURE_REASON_SIGNING_TIME_IN_FUTURE,    /* "signing-time-in-future": claimed time after the validation time */
  TEKEN_SIGNATURE_REASON_CERTIFICATE_REVOKED,       /* "certificate-revoked": reserved for LTV (INVALID) */
  TEKEN_SIGNATURE_REASON_TIMESTAMP_INVALID,         /* "timestamp-invalid": reserved for LTV (INDETERMINATE) */
  /* informational (VALID) */
  TEKEN_SIGNATURE_REASON_LEGACY_SUBFILTER,          /* "legacy-subfilter": adbe.pkcs7.sha1 or adbe.x509.rsa_sha1 */
  TEKEN_SIGNATURE_REASON_WEAK_DIGEST,               /* "weak-digest": SHA-1 (MD5 is refused: unsupported-algorithm) */
  TEKEN_SIGNATURE_REASON_NO_TIMESTAMP,              /* "no-timestamp": the signing time is the signer's claim */
  TEKEN_SIGNATURE_REASON_REVOCATION_NOT_CHECKED,    /* "revocation-not-checked" */
  TEKEN_SIGNATURE_REASON_UNSIGNED_FIELD,            /* "unsigned-field" (status UNSIGNED) */
  TEKEN_SIGNATURE_REASON_INTERNAL_ERROR,            /* "internal-error": verification could not run (INDETERMINATE) */
} TekenSignatureReason;

const char           *teken_signature_reason_to_string    (TekenSignatureReason reason);
/* Translated sentence for people. */
const char           *teken_signature_reason_get_message  (TekenSignatureReason reason);
/* The status the reason forces at least (VALID for informational ones). */
TekenSignatureStatus  teken_signature_reason_get_severity (TekenSignatureReason reason);

typedef enum
{
  TEKEN_TIME_SOURCE_NONE,       /* "none": no signing time at all */
  TEKEN_TIME_SOURCE_CLAIMED,    /* "claimed": /M or the CMS signingTime (the signer's clock) */
  TEKEN_TIME_SOURCE_TIMESTAMP,  /* "timestamp": a verified RFC 3161 timestamp */
} TekenTimeSource;

const char *teken_time_source_to_string (TekenTimeSource source);

typedef enum
{
  TEKEN_REVOCATION_STATUS_NOT_CHECKED,  /* "not_checked" */
  TEKEN_REVOCATION_STATUS_GOOD,         /* "good" */
  TEKEN_REVOCATION_STATUS_REVOKED,      /* "revoked" */
  TEKEN_REVOCATION_STATUS_UNKNOWN,      /* "unknown": checked, no answer */
} TekenRevocationStatus;

const char *teken_revocation_status_to_string (TekenRevocationStatus status);

typedef enum
{
  TEKEN_REVOCATION_SOURCE_NONE,      /* "none" */
  TEKEN_REVOCATION_SOURCE_EMBEDDED,  /* "embedded": DSS or adbe-revocationInfoArchival */
  TEKEN_REVOCATION_SOURCE_ONLINE,    /* "online" */
} TekenRevocationSource;

const char *teken_revocation_source_to_string (TekenRevocationSource source);

/* What the field holds. */
typedef enum
{
  TEKEN_SIGNATURE_TYPE_SIGNATURE,           /* approval signature */
  TEKEN_SIGNATURE_TYPE_CERTIFICATION,       /* signature with a DocMDP transform (/Perms /DocMDP) */
  TEKEN_SIGNATURE_TYPE_DOCUMENT_TIMESTAMP,  /* /Type /DocTimeStamp, ETSI.RFC3161 */
} TekenSignatureType;

const char *teken_signature_type_to_string (TekenSignatureType type);

/*
 * The verification result of one signature field. Immutable once the verifier returns it.
 * Strings are UTF-8; getters return transfer none unless said otherwise; absent values are
 * NULL (strings, objects) or -1 (indexes).
 */
#define TEKEN_TYPE_SIGNATURE_RESULT (teken_signature_result_get_type ())
G_DECLARE_FINAL_TYPE (TekenSignatureResult, teken_signature_result, TEKEN, SIGNATURE_RESULT, GObject)

/* Overall */
TekenSignatureStatus  teken_signature_result_get_status         (TekenSignatureResult *self);
TekenSignatureType    teken_signature_result_get_signature_type (TekenSignatureResult *self);
/* element type TekenSignatureReason (guint-sized enum values), most severe first. */
GArray               *teken_signature_result_get_reasons        (TekenSignatureResult *self);
gboolean              teken_signature_result_has_reason         (TekenSignatureResult *self,
                                                                 TekenSignatureReason  reason);
/* Translated one-line summary for this signature, e.g. "Signature is valid". */
const char           *teken_signature_result_get_summary_text   (TekenSignatureResult *self);

/* The field */
/* Fully qualified field name (parent names joined with "."). */
const char           *teken_signature_result_get_field_name     (TekenSignatureResult *self);
/* 0-based page of the widget, -1 when the widget is on no page. */
int                   teken_signature_result_get_page_index     (TekenSignatureResult *self);
/* The widget's /Rect in PDF user space of that page; FALSE when there is none. */
gboolean              teken_signature_result_get_rect           (TekenSignatureResult *self,
                                                                 TekenPdfRect         *rect);
/* TRUE when the widget has a non-empty rectangle. */
gboolean              teken_signature_result_is_visible         (TekenSignatureResult *self);

/* The signer */
/* transfer none; NULL when no signer certificate was found (or the field is unsigned). */
TekenCertInfo        *teken_signature_result_get_signer         (TekenSignatureResult *self);
X509                 *teken_signature_result_get_signer_certificate (TekenSignatureResult *self);
/* Signer CN (or /Name of the dictionary when no certificate); NULL when unsigned. */
const char           *teken_signature_result_get_signer_name    (TekenSignatureResult *self);
/* Full one-line subject of the signer certificate. */
const char           *teken_signature_result_get_signer_subject (TekenSignatureResult *self);
/* The chain as built: signer first, anchor last (may be partial when untrusted); element type TekenCertInfo. */
GPtrArray            *teken_signature_result_get_chain          (TekenSignatureResult *self);
/* TRUE when the chain ended at a trust anchor. */
gboolean              teken_signature_result_get_chain_trusted  (TekenSignatureResult *self);
TekenCertificateKind  teken_signature_result_get_certificate_kind (TekenSignatureResult *self);

/* Time */
/* transfer none; NULL when there is none. */
GDateTime            *teken_signature_result_get_signing_time   (TekenSignatureResult *self);
TekenTimeSource       teken_signature_result_get_time_source    (TekenSignatureResult *self);

/* Integrity and coverage */
/* TRUE when the digest of the signed bytes matches and the signature value verifies. */
gboolean              teken_signature_result_get_integrity      (TekenSignatureResult *self);
/* TRUE when the signed bytes reach the end of the file (the signature covers every byte but /Contents). */
gboolean              teken_signature_result_get_covers_whole_document (TekenSignatureResult *self);
TekenModificationLevel teken_signature_result_get_modified_after (TekenSignatureResult *self);
/* element type TekenChange (see teken-modification.h); empty when nothing changed. */
GPtrArray            *teken_signature_result_get_changes        (TekenSignatureResult *self);
/* 0-based index (oldest = 0) of the revision the signature covers, -1 when unknown. */
int                   teken_signature_result_get_revision_index (TekenSignatureResult *self);
/* Byte length of the signed revision (ByteRange[2] + ByteRange[3]): open that prefix of the file
 * read-only (teken_pdf_document_new_for_revision) to "view the signed version". 0 when unknown. */
gsize                 teken_signature_result_get_signed_length  (TekenSignatureResult *self);
/* The four ByteRange numbers as found (when well-formed), else FALSE. */
gboolean              teken_signature_result_get_byte_range     (TekenSignatureResult *self,
                                                                 gint64                range[4]);

/* Format */
/* "/SubFilter" value, e.g. "ETSI.CAdES.detached", "adbe.pkcs7.detached"; NULL when absent. */
const char           *teken_signature_result_get_subfilter      (TekenSignatureResult *self);
/* e.g. "SHA-256", "SHA-1"; NULL when unknown. */
const char           *teken_signature_result_get_digest_algorithm (TekenSignatureResult *self);
/* e.g. "RSA", "RSA-PSS", "ECDSA", "Ed25519"; NULL when unknown. */
const char           *teken_signature_result_get_signature_algorithm (TekenSignatureResult *self);
/* PAdES level reached as far as known: "PAdES-B-B", "PAdES-B-T", "PAdES-B-LT", "PAdES-B-LTA",
 * "PKCS#7" for adbe subfilters; NULL unknown. */
const char           *teken_signature_result_get_format         (TekenSignatureResult *self);

/* From the signature dictionary (NULL when absent or empty). */
const char           *teken_signature_result_get_reason         (TekenSignatureResult *self);
const char           *teken_signature_result_get_location       (TekenSignatureResult *self);
const char           *teken_signature_result_get_contact_info   (TekenSignatureResult *self);
/* DocMDP P (1, 2, 3) of a certification signature, 0 otherwise. */
int                   teken_signature_result_get_docmdp_level   (TekenSignatureResult *self);

/* Revocation (NOT_CHECKED until long-term validation is implemented). */
TekenRevocationStatus teken_signature_result_get_revocation_status (TekenSignatureResult *self);
TekenRevocationSource teken_signature_result_get_revocation_source (TekenSignatureResult *self);
/* Time of the revocation data used (or of the revocation); transfer none; may be NULL. */
GDateTime            *teken_signature_result_get_revocation_time   (TekenSignatureResult *self);

/* Timestamp (reserved for long-term validation: FALSE / NULL for now). */
gboolean              teken_signature_result_has_timestamp       (TekenSignatureResult *self);
GDateTime            *teken_signature_result_get_timestamp_time  (TekenSignatureResult *self);
const char           *teken_signature_result_get_timestamp_authority (TekenSignatureResult *self);
/* VALID, INVALID or INDETERMINATE for a present token. */
TekenSignatureStatus  teken_signature_result_get_timestamp_status (TekenSignatureResult *self);
/* TRUE when the document carries everything needed to validate the signature later (DSS). */
gboolean              teken_signature_result_get_ltv             (TekenSignatureResult *self);

/*
 * Building results: for the verifier and the long-term-validation code only (the app and
 * the CLI never call these). teken_signature_result_add_reason() recomputes the status.
 */
TekenSignatureResult *teken_signature_result_new                 (const char           *field_name);
void                  teken_signature_result_add_reason          (TekenSignatureResult *self,
                                                                  TekenSignatureReason  reason);
void                  teken_signature_result_set_signature_type  (TekenSignatureResult *self,
                                                                  TekenSignatureType    type);
void                  teken_signature_result_set_unsigned        (TekenSignatureResult *self);
void                  teken_signature_result_set_widget          (TekenSignatureResult *self,
                                                                  int                   page_index,
                                                                  const TekenPdfRect   *rect);
/* chain: signer first; element type TekenCertInfo; a new reference is taken on the array. */
void                  teken_signature_result_set_certificates    (TekenSignatureResult *self,
                                                                  TekenCertInfo        *signer,
                                                                  GPtrArray            *chain,
                                                                  gboolean              trusted);
void                  teken_signature_result_set_signing_time    (TekenSignatureResult *self,
                                                                  GDateTime            *time,
                                                                  TekenTimeSource       source);
void                  teken_signature_result_set_integrity       (TekenSignatureResult *self,
                                                                  gboolean              integrity);
void                  teken_signature_result_set_coverage        (TekenSignatureResult *self,
                                                                  const gint64          range[4],
                                                                  gsize                 signed_length,
                                                                  int                   revision_index,
                                                                  gboolean              whole_document);
/* changes: element type TekenChange, a new reference is taken. */
void                  teken_signature_result_set_modifications   (TekenSignatureResult *self,
                                                                  TekenModificationLevel level,
                                                                  GPtrArray            *changes);
void                  teken_signature_result_set_format          (TekenSignatureResult *self,
                                                                  const char           *subfilter,
                                                                  const char           *digest_algorithm,
                                                                  const char           *signature_algorithm,
                                                                  const char           *format);
void                  teken_signature_result_set_dictionary_info (TekenSignatureResult *self,
                                                                  const char           *name,
                                                                  const char           *reason,
                                                                  const char           *location,
                                                                  const char           *contact_info,
                                                                  int                   docmdp_level);
void                  teken_signature_result_set_revocation      (TekenSignatureResult *self,
                                                                  TekenRevocationStatus status,
                                                                  TekenRevocationSource source,
                                                                  GDateTime            *time);
void                  teken_signature_result_set_timestamp       (TekenSignatureResult *self,
                                                                  GDateTime            *time,
                                                                  const char           *authority,
                                                                  TekenSignatureStatus  status);
void                  teken_signature_result_set_ltv             (TekenSignatureResult *self,
                                                                  gboolean              ltv);

G_END_DECLS
