/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "teken-key.h"
#include "teken-ra-config.h"
#include "teken-report.h"

G_BEGIN_DECLS

#define TEKEN_REPORT_LETTER_ERROR (teken_report_letter_error_quark ())
GQuark teken_report_letter_error_quark (void);

typedef enum
{
  TEKEN_REPORT_LETTER_ERROR_RENDER,   /* cairo failed */
} TekenReportLetterError;

typedef enum
{
  /* Signature lines for a wet signature by the owner and, for loss reports and new applications,
   * "Mengetahui, Atasan Langsung" with the superior's line; loss statements get a meterai box. */
  TEKEN_REPORT_LETTER_WET,
  /* The owner's block keeps an empty area for the visible stamp of an electronic signature. */
  TEKEN_REPORT_LETTER_ELECTRONIC,
} TekenReportLetterLayout;

/* The layout a kind uses when a valid signing identity exists: electronic for renewal,
 * revocation and incidents; wet for loss (the superior must countersign) and new applications. */
TekenReportLetterLayout teken_report_letter_preferred_layout (TekenReportKind kind);

/*
 * Where the visible signature stamp goes: 0-based page index and a rectangle in PDF user space
 * (points, origin at the page's lower left), as the signer expects.
 */
typedef struct
{
  guint  page;
  double x;
  double y;
  double width;
  double height;
} TekenReportLetterStampArea;

/*
 * Renders the Indonesian official letter for `report` as an A4 PDF (cairo): letterhead from
 * config ([letterhead] pemda, dinas, address, city), Nomor, Lampiran, Perihal, the date line,
 * "Yth. Kepala … selaku Otoritas Pendaftaran", the body for the kind, the attachment list and
 * the signature block. `stamp_area` (may be NULL) receives the stamp rectangle for the
 * electronic layout. The report should be valid (teken_report_check()); missing values print as "-".
 */
GBytes *teken_report_letter_render (TekenReport                 *report,
                                    TekenRaConfig               *config,
                                    TekenReportLetterLayout      layout,
                                    TekenReportLetterStampArea  *stamp_area,
                                    GError                     **error);

/*
 * Signs a rendered letter electronically with `key` (PAdES through TekenSigner), the visible stamp
 * in `stamp_area`; `reason` goes into the signature (e.g. the Perihal). Blocking: call from a
 * worker thread in UIs. Returns the signed PDF.
 */
GBytes *teken_report_letter_sign (GBytes                            *pdf,
                                  TekenKey                          *key,
                                  const TekenReportLetterStampArea  *stamp_area,
                                  const char                        *reason,
                                  const char                        *location,
                                  GCancellable                      *cancellable,
                                  GError                           **error);

/* The same in a worker thread (for UIs); `pdf`, `key` and `stamp_area` are copied or referenced. */
void    teken_report_letter_sign_async  (GBytes                            *pdf,
                                         TekenKey                          *key,
                                         const TekenReportLetterStampArea  *stamp_area,
                                         const char                        *reason,
                                         const char                        *location,
                                         GCancellable                      *cancellable,
                                         GAsyncReadyCallback                callback,
                                         gpointer                           user_data);
GBytes *teken_report_letter_sign_finish (GAsyncResult                      *result,
                                         GError                           **error);

/* The letter's file name in the outbox and in packages, e.g. "surat-pembaruan.pdf". */
const char *teken_report_letter_get_filename (TekenReportKind kind);

G_END_DECLS
