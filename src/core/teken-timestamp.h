/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "teken-cms.h"
#include "teken-pdf-update.h"
#include "teken-tsa.h"

G_BEGIN_DECLS

/* Room for a signature time-stamp token in a signature's /Contents (DER bytes). */
#define TEKEN_TIMESTAMP_RESERVE 8192
/* DER bytes reserved for a document time stamp's /Contents. */
#define TEKEN_DOC_TIMESTAMP_CONTENTS_SIZE 16384

/*
 * Signature time stamps (PAdES B-T): an RFC 3161 token over SignerInfo.signature, added as the
 * unsigned attribute id-aa-timeStampToken (1.2.840.113549.1.9.16.2.14).
 */
/* For the signer: after teken_cms_builder_sign(), before serialize(). Blocks (network). */
gboolean  teken_timestamp_add_to_cms_builder (TekenCmsBuilder  *builder,
                                              TekenTsaClient   *tsa,
                                              GCancellable     *cancellable,
                                              GError          **error);
/* The same on a finished CMS (DER ContentInfo, trailing zero padding allowed): returns the new DER. */
GBytes   *teken_timestamp_add_to_cms         (GBytes           *cms,
                                              TekenTsaClient   *tsa,
                                              GCancellable     *cancellable,
                                              GError          **error);
/* From a CMS (DER, padding allowed): the first SignerInfo's signature value and its
 * signature time-stamp token (NULL when there is none); FALSE when the CMS is unreadable. */
gboolean  teken_timestamp_cms_get_token      (GBytes           *cms,
                                              GBytes          **signature_value,
                                              GBytes          **token,
                                              GError          **error);

/*
 * A document time stamp (PAdES B-LTA, ISO 32000-2 §12.8.5): a new invisible signature field
 * whose value is /Type /DocTimeStamp /SubFilter /ETSI.RFC3161 with /Contents = the token over
 * the ByteRange of the whole file, appended as a new incremental update of `input` and
 * written atomically to `output`. Nothing is written when the TSA fails.
 */
gboolean  teken_timestamp_document           (TekenPdfDocument *input,
                                              const char       *output,
                                              TekenTsaClient   *tsa,
                                              GCancellable     *cancellable,
                                              GError          **error);

G_END_DECLS
