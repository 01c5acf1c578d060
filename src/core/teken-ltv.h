/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "teken-dss.h"
#include "teken-ltv-settings.h"
#include "teken-pdf-document.h"
#include "teken-revocation.h"
#include "teken-tsa.h"

G_BEGIN_DECLS

#define TEKEN_LTV_ERROR (teken_ltv_error_quark ())
GQuark teken_ltv_error_quark (void);

typedef enum
{
  TEKEN_LTV_ERROR_NO_SIGNATURES,   /* the document has no signature to work on */
  TEKEN_LTV_ERROR_TOO_LARGE,       /* the time stamp does not fit the signature's reserved space */
  TEKEN_LTV_ERROR_FAILED,
} TekenLtvError;

/* A signed signature field as found in a document (for long-term validation work). */
typedef struct
{
  char *field_name;
  gint64 byte_range[4];
  GBytes *contents;                 /* the /Contents string's bytes, padding included */
  gboolean is_document_timestamp;   /* /Type /DocTimeStamp or /SubFilter /ETSI.RFC3161 */
} TekenLtvSignature;

void       teken_ltv_signature_free    (TekenLtvSignature *sig);
/* Signed signature fields in /AcroForm order, element type TekenLtvSignature. */
GPtrArray *teken_ltv_find_signatures   (TekenPdfDocument  *document,
                                        GError           **error);

/*
 * Raising a signed PDF to a PAdES level, each step an incremental update (or, for B-T, the
 * newest signature's /Contents rewritten in place: the unsigned attribute is outside the
 * signed bytes). Output files appear only when complete.
 */
#define TEKEN_TYPE_LTV (teken_ltv_get_type ())
G_DECLARE_FINAL_TYPE (TekenLtv, teken_ltv, TEKEN, LTV, GObject)

TekenLtv   *teken_ltv_new                   (void);
/* Needed for B-T, B-LTA and `timestamp`. */
void        teken_ltv_set_tsa               (TekenLtv               *self,
                                             TekenTsaClient         *tsa);
/* Needed for B-LT and `ltv`; default: a checker with a default TekenHttp. */
void        teken_ltv_set_checker           (TekenLtv               *self,
                                             TekenRevocationChecker *checker);
/* Extra certificates to find issuers (trust anchors and intermediates of the trust store). */
void        teken_ltv_set_pool              (TekenLtv               *self,
                                             STACK_OF (X509)        *pool);

/* Adds a signature time stamp to the newest signature (it must not have one). */
gboolean    teken_ltv_timestamp_signature   (TekenLtv               *self,
                                             const char             *input,
                                             const char             *output,
                                             GCancellable           *cancellable,
                                             GError                **error);
/* Adds or refreshes /DSS for every signature and document time stamp. */
gboolean    teken_ltv_add_validation_data   (TekenLtv               *self,
                                             const char             *input,
                                             const char             *output,
                                             GCancellable           *cancellable,
                                             GError                **error);
/* Adds a document time stamp. */
gboolean    teken_ltv_timestamp_document    (TekenLtv               *self,
                                             const char             *input,
                                             const char             *output,
                                             GCancellable           *cancellable,
                                             GError                **error);
/*
 * From a freshly signed B-B file to `level`. With fallback, a failing step stops there and the
 * file of the last good level is written (then *reached says which, and *step_error why);
 * without it nothing is written on failure.
 */
gboolean    teken_ltv_raise                 (TekenLtv               *self,
                                             const char             *signed_input,
                                             const char             *output,
                                             TekenPadesLevel         level,
                                             gboolean                fallback,
                                             TekenPadesLevel        *reached,
                                             GError                **step_error,
                                             GCancellable           *cancellable,
                                             GError                **error);

G_END_DECLS
