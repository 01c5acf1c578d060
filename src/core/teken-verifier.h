/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "teken-document-result.h"
#include "teken-signature-result.h"
#include "teken-trust-store.h"

G_BEGIN_DECLS

#define TEKEN_VERIFY_ERROR (teken_verify_error_quark ())
GQuark teken_verify_error_quark (void);

/* Errors of verify_file: the file could not be verified at all (exit status 4).
 * Problems of single signatures are never errors: they are reasons in the results.
 * Errors from the PDF reader (TEKEN_PDF_ERROR) and G_IO_ERROR are passed through. */
typedef enum
{
  TEKEN_VERIFY_ERROR_ENCRYPTED,   /* encrypted PDFs are not verified yet */
  TEKEN_VERIFY_ERROR_FAILED,      /* anything else */
} TekenVerifyError;

/*
 * Verifies every signature field of a PDF (issue 3):
 *  1. strict /ByteRange checks (starts at 0, exactly two ranges, the gap is exactly the /Contents
 *     hex string with its delimiters, inside the file, the signed part ends at the end of a
 *     revision);
 *  2. one sequential pass over the file (pread, 1 MiB chunks) feeding every signature's digest;
 *  3. CMS (OpenSSL): messageDigest, the signature over the signed attributes (or the raw digest),
 *     signer by issuer+serial or SKI, ESS signingCertificate(V2);
 *  4. chain from the CMS certificates, the DSS /Certs (when enabled) and the trust store, checked
 *     at the signing time, key usage and basic constraints; revocation not checked yet;
 *  5. modification analysis after each signature (teken-modification.h).
 *
 * Properties (set before verifying; a verifier can run several verifications at once):
 *  "trust-store"      TekenTrustStore; default: teken_trust_store_new_default() on first use.
 *  "validation-time"  GDateTime; NULL = now (the --at option): the time at which the certificates of a
 *                     signature without a timestamp must still be valid and before which a claimed
 *                     signing time must lie.
 *  "use-dss"          gboolean, default TRUE: use certificates from the document's /DSS to build chains.
 */
#define TEKEN_TYPE_VERIFIER (teken_verifier_get_type ())
G_DECLARE_FINAL_TYPE (TekenVerifier, teken_verifier, TEKEN, VERIFIER, GObject)

TekenVerifier       *teken_verifier_new                 (void);

void                 teken_verifier_set_trust_store     (TekenVerifier        *self,
                                                         TekenTrustStore      *store);
/* transfer none; creates the default store when none was set. */
TekenTrustStore     *teken_verifier_get_trust_store     (TekenVerifier        *self);
void                 teken_verifier_set_validation_time (TekenVerifier        *self,
                                                         GDateTime            *time);
/* transfer none; NULL means now. */
GDateTime           *teken_verifier_get_validation_time (TekenVerifier        *self);
void                 teken_verifier_set_use_dss         (TekenVerifier        *self,
                                                         gboolean              use_dss);
gboolean             teken_verifier_get_use_dss         (TekenVerifier        *self);
/* Long-term validation: online OCSP/CRL checks through checker (teken-revocation.h) when the
 * document carries no revocation data; NULL (default) = embedded data only (offline). */
struct _TekenRevocationChecker;
void                 teken_verifier_set_revocation_checker (TekenVerifier                 *self,
                                                            struct _TekenRevocationChecker *checker);

/* Blocking; returns NULL with error when the file cannot be read as a PDF (or is encrypted). */
TekenDocumentResult *teken_verifier_verify_file         (TekenVerifier        *self,
                                                         const char           *path,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
/* The same on an already opened document (the app's); the document must be a file on disk
 * or in memory and is only read. */
TekenDocumentResult *teken_verifier_verify_document     (TekenVerifier        *self,
                                                         TekenPdfDocument     *document,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
/* Runs verify_file in a worker thread (GTask). */
void                 teken_verifier_verify_file_async   (TekenVerifier        *self,
                                                         const char           *path,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
TekenDocumentResult *teken_verifier_verify_file_finish  (TekenVerifier        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

G_END_DECLS
