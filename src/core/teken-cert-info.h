/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

/*
 * The kind of a signing certificate, read from its subject (rule documented in
 * docs/certificate-kinds.md):
 *  - subject description (2.5.4.13) containing "Sistem Elektronik" -> SISTEM_ELEKTRONIK;
 *    containing "Jabatan", "Organisasi" or "Segel" -> JABATAN; containing
 *    "Tanda Tangan Elektronik" or "Tanda Tangan Digital" -> INDIVIDU (case-insensitive);
 *  - else a title (2.5.4.12) attribute -> JABATAN;
 *  - else a dNSName or iPAddress subjectAltName and no e-mail (SAN or subject) -> SISTEM_ELEKTRONIK;
 *  - else UNKNOWN.
 * The numeric values and the string ids are stable (JSON output).
 */
typedef enum
{
  TEKEN_CERTIFICATE_KIND_UNKNOWN,
  TEKEN_CERTIFICATE_KIND_INDIVIDU,
  TEKEN_CERTIFICATE_KIND_JABATAN,          /* jabatan / organisasi / segel */
  TEKEN_CERTIFICATE_KIND_SISTEM_ELEKTRONIK,
} TekenCertificateKind;

/* "unknown", "individu", "jabatan", "sistem_elektronik" (stable, untranslated). */
const char *teken_certificate_kind_to_string (TekenCertificateKind kind);
/* Translated label for people, e.g. "Personal (individu)". */
const char *teken_certificate_kind_get_label (TekenCertificateKind kind);

/* One readable row of a distinguished name, in the certificate's order. */
typedef struct
{
  const char *key;     /* short name as OpenSSL spells it: "CN", "O", "OU", "C", "title", "description", or the dotted OID */
  const char *label;   /* translated: "Common name", "Organization", ... */
  const char *value;   /* UTF-8 */
} TekenCertNameRow;

/*
 * Read-only, display-oriented view of one X.509 certificate: used by the verifier's results,
 * the CLI and the app's details dialog. Holds its own reference on the X509.
 */
#define TEKEN_TYPE_CERT_INFO (teken_cert_info_get_type ())
G_DECLARE_FINAL_TYPE (TekenCertInfo, teken_cert_info, TEKEN, CERT_INFO, GObject)

/* Takes a new reference on cert (X509_up_ref); cert must not be NULL. */
TekenCertInfo        *teken_cert_info_new                 (X509          *cert);
/* DER or PEM (the first certificate). Errors in G_IO_ERROR (G_IO_ERROR_INVALID_DATA). */
TekenCertInfo        *teken_cert_info_new_from_data       (const guint8  *data,
                                                           gsize          len,
                                                           GError       **error);

/* transfer none; valid while self lives. */
X509                 *teken_cert_info_get_x509            (TekenCertInfo *self);

/* One-line RFC 2253 style ("CN=Budi Santoso,O=Pemerintah Kabupaten Contoh,C=ID"), UTF-8. */
const char           *teken_cert_info_get_subject         (TekenCertInfo *self);
const char           *teken_cert_info_get_issuer          (TekenCertInfo *self);
/* The subject's CN, else O, else the whole subject. */
const char           *teken_cert_info_get_common_name     (TekenCertInfo *self);
/* Subject O, or NULL. */
const char           *teken_cert_info_get_organization    (TekenCertInfo *self);
const char           *teken_cert_info_get_issuer_common_name (TekenCertInfo *self);
/* Rows of the subject / issuer; transfer none; *n_rows receives the count. */
const TekenCertNameRow *teken_cert_info_get_subject_rows  (TekenCertInfo *self,
                                                           guint         *n_rows);
const TekenCertNameRow *teken_cert_info_get_issuer_rows   (TekenCertInfo *self,
                                                           guint         *n_rows);

/* Serial number as upper-case hex with colons ("01:A3:..."). */
const char           *teken_cert_info_get_serial          (TekenCertInfo *self);
/* transfer none; UTC. */
GDateTime            *teken_cert_info_get_not_before      (TekenCertInfo *self);
GDateTime            *teken_cert_info_get_not_after       (TekenCertInfo *self);
/* Upper-case hex with colons. */
const char           *teken_cert_info_get_fingerprint_sha256 (TekenCertInfo *self);
const char           *teken_cert_info_get_fingerprint_sha1   (TekenCertInfo *self);
/* Lower-case hex without separators (file names of the user trust store, JSON). */
const char           *teken_cert_info_get_sha256_hex      (TekenCertInfo *self);

/* Translated key usage names ("Digital signature", "Non-repudiation", ...); NULL-terminated, transfer none. */
const char * const   *teken_cert_info_get_key_usages      (TekenCertInfo *self);
/* Translated extended key usage names or dotted OIDs ("Adobe PDF signing", "E-mail protection"). */
const char * const   *teken_cert_info_get_extended_key_usages (TekenCertInfo *self);
/* Stable ids of the key usages: "digitalSignature", "nonRepudiation", ... (JSON output). */
const char * const   *teken_cert_info_get_key_usage_ids   (TekenCertInfo *self);
/* e.g. "RSA 2048 bits", "ECDSA P-256", "Ed25519". */
const char           *teken_cert_info_get_public_key_description (TekenCertInfo *self);
/* The certificate's signature algorithm, e.g. "sha256WithRSAEncryption". */
const char           *teken_cert_info_get_signature_algorithm (TekenCertInfo *self);

/* Subject description (2.5.4.13) and title (2.5.4.12), or NULL. */
const char           *teken_cert_info_get_description     (TekenCertInfo *self);
const char           *teken_cert_info_get_title           (TekenCertInfo *self);
/* subjectAltName e-mail addresses and DNS names; NULL-terminated, transfer none. */
const char * const   *teken_cert_info_get_emails          (TekenCertInfo *self);
const char * const   *teken_cert_info_get_dns_names       (TekenCertInfo *self);

TekenCertificateKind  teken_cert_info_get_kind            (TekenCertInfo *self);
gboolean              teken_cert_info_is_ca               (TekenCertInfo *self);
gboolean              teken_cert_info_is_self_signed      (TekenCertInfo *self);
/* TRUE when `at` (NULL: now) lies within notBefore..notAfter. */
gboolean              teken_cert_info_is_valid_at         (TekenCertInfo *self,
                                                           GDateTime     *at);
/* Whole days from `at` (NULL: now) to notAfter; negative when expired. */
gint                  teken_cert_info_get_days_left       (TekenCertInfo *self,
                                                           GDateTime     *at);

/* PEM text of the certificate; transfer full. */
char                 *teken_cert_info_to_pem              (TekenCertInfo *self);

/* The kind rule applied to any certificate (what teken_cert_info_get_kind() returns). */
TekenCertificateKind  teken_certificate_kind_classify     (X509          *cert);

G_END_DECLS
