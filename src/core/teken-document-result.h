/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "teken-signature-result.h"

G_BEGIN_DECLS

/*
 * The verdict for a whole document, as the status bar shows it (wording follows what users
 * know from the national portal; bsre-facts §3):
 *  SIGNED_VALID          "Signed and all signatures are valid"
 *  CHANGED_AFTER_SIGNING "The document was changed after it was signed" (a disallowed change or
 *                        a digest mismatch: the signed content is not what is shown)
 *  SIGNATURE_INVALID     "Signature is not valid" (other INVALID reasons)
 *  IDENTITY_UNCONFIRMED  "The signer's identity could not be confirmed" (INDETERMINATE)
 *  UNSIGNED              "The document is not signed"
 *  UNREADABLE            "The document could not be read"
 * Values are stable.
 */
typedef enum
{
  TEKEN_VERDICT_SIGNED_VALID,
  TEKEN_VERDICT_CHANGED_AFTER_SIGNING,
  TEKEN_VERDICT_SIGNATURE_INVALID,
  TEKEN_VERDICT_IDENTITY_UNCONFIRMED,
  TEKEN_VERDICT_UNSIGNED,
  TEKEN_VERDICT_UNREADABLE,
} TekenVerdict;

/* Document status. VALID/INVALID/INDETERMINATE/UNSIGNED mirror TekenSignatureStatus; UNREADABLE
 * is a file that could not be verified at all (teken_document_result_get_error() says why). */
typedef enum
{
  TEKEN_DOCUMENT_STATUS_VALID,
  TEKEN_DOCUMENT_STATUS_INVALID,
  TEKEN_DOCUMENT_STATUS_INDETERMINATE,
  TEKEN_DOCUMENT_STATUS_UNSIGNED,
  TEKEN_DOCUMENT_STATUS_UNREADABLE,
} TekenDocumentStatus;

/* "valid", "invalid", "indeterminate", "unsigned", "unreadable" (stable). */
const char *teken_document_status_to_string (TekenDocumentStatus status);

/*
 * Exit status of `teken-cli verify` for a status: 0 valid, 1 invalid, 2 indeterminate,
 * 3 unsigned, 4 unreadable (several files: the worst, in the order 4 > 1 > 2 > 3 > 0).
 */
int         teken_document_status_get_exit_code (TekenDocumentStatus status);

#define TEKEN_TYPE_DOCUMENT_RESULT (teken_document_result_get_type ())
G_DECLARE_FINAL_TYPE (TekenDocumentResult, teken_document_result, TEKEN, DOCUMENT_RESULT, GObject)

/* Rules: no signed field -> UNSIGNED; any INVALID -> INVALID; else any INDETERMINATE ->
 * INDETERMINATE; else VALID. Unsigned fields next to signed ones do not lower the status. */
TekenDocumentStatus   teken_document_result_get_status       (TekenDocumentResult *self);
TekenVerdict          teken_document_result_get_verdict      (TekenDocumentResult *self);
/* Translated verdict sentence (see TekenVerdict). */
const char           *teken_document_result_get_verdict_text (TekenDocumentResult *self);
const char           *teken_verdict_get_text                 (TekenVerdict         verdict);

const char           *teken_document_result_get_path         (TekenDocumentResult *self);
/* Every signature field, signed or not, in document order (/AcroForm /Fields depth-first),
 * item type TekenSignatureResult; transfer none. */
GListModel           *teken_document_result_get_signatures   (TekenDocumentResult *self);
guint                 teken_document_result_get_n_signed     (TekenDocumentResult *self);
/* Number of revisions (incremental sections that are user revisions). */
guint                 teken_document_result_get_n_revisions  (TekenDocumentResult *self);
gsize                 teken_document_result_get_file_size    (TekenDocumentResult *self);
/* When UNREADABLE: why; transfer none. */
const GError         *teken_document_result_get_error        (TekenDocumentResult *self);

/* Building (verifier only). */
TekenDocumentResult  *teken_document_result_new              (const char           *path);
/* For callers that keep one result per input file: an UNREADABLE result carrying error. */
TekenDocumentResult  *teken_document_result_new_for_error    (const char           *path,
                                                              const GError         *error);
void                  teken_document_result_add_signature    (TekenDocumentResult  *self,
                                                              TekenSignatureResult *signature);
void                  teken_document_result_set_file_info    (TekenDocumentResult  *self,
                                                              gsize                 size,
                                                              guint                 n_revisions);

G_END_DECLS
