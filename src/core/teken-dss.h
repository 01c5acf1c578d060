/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "teken-pdf-update.h"
#include "teken-revocation.h"

G_BEGIN_DECLS

/*
 * The Document Security Store (ISO 32000-2 §12.8.4.3, ETSI EN 319 142-1 §5.4): /DSS in the
 * catalog with /Certs, /OCSPs and /CRLs (arrays of streams holding DER) and /VRI, a dictionary
 * keyed by the uppercase hex SHA-1 of a signature's /Contents string, each value naming the
 * streams that validate that signature (/Cert, /OCSP, /CRL) and when they were gathered (/TU).
 */
typedef struct
{
  TekenValidationData *all;   /* everything in /Certs, /OCSPs, /CRLs */
  GHashTable *vri;            /* char *KEY -> TekenValidationData * */
} TekenDss;

void      teken_dss_free        (TekenDss         *dss);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenDss, teken_dss_free)

/* The document's DSS; an empty one (never NULL) when the document has none. Broken entries are
 * skipped (a verifier must not trip over them); an error only when the catalog is unreadable. */
TekenDss *teken_dss_read        (TekenPdfDocument *document,
                                 GError          **error);

/* VRI key for a signature: uppercase hex SHA-1 of the /Contents string's bytes (as stored,
 * including the zero padding). */
char     *teken_dss_vri_key     (const guint8     *contents,
                                 gsize             len);

/*
 * Adds the data to the update's DSS: existing entries are kept, blobs already present are not
 * repeated, the catalog (as the update has it) gets /DSS. vri: char *KEY -> TekenValidationData *
 * (may be NULL); their blobs should also be in `data`.
 */
gboolean  teken_dss_add_to_update (TekenPdfUpdate      *update,
                                   TekenValidationData *data,
                                   GHashTable          *vri,
                                   GError             **error);

G_END_DECLS
