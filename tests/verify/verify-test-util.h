/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers for the verifier tests: producing signed files (teken-cli sign, pdfsig, mutool, and a
 * small certification signer of the test's own built on TekenPdfUpdate + OpenSSL), byte
 * surgery, and raw incremental updates for attacks that a correct writer would never produce.
 */
#pragma once

#include "teken-pdf-update.h"
#include "teken-test-utils.h"
#include "teken-verifier.h"

G_BEGIN_DECLS

/* A trust store holding only the test PKI root. */
TekenTrustStore     *vt_store                (void);
/* Verifies path against vt_store (); vt_verify also asserts that the file could be read. */
TekenDocumentResult *vt_try_verify           (const char  *path,
                                              GError     **error);
TekenDocumentResult *vt_verify               (const char  *path);
/* The only signature (or the index-th); transfer none, valid while result lives. */
TekenSignatureResult *vt_sig                 (TekenDocumentResult *result,
                                              guint                index);
/* Asserts the document status and that sig has every reason listed (terminated by -1). */
void                 vt_assert_reasons       (TekenSignatureResult *sig,
                                              ...);
void                 vt_print                (TekenDocumentResult *result);

/* teken-cli sign with PKI signer NAME (e.g. "individu-rsa2048"); extra args NULL-terminated. */
void                 vt_sign_cli             (const char  *in,
                                              const char  *out,
                                              const char  *name,
                                              ...) G_GNUC_NULL_TERMINATED;

typedef struct
{
  const char *signer;      /* PKI name */
  int docmdp;              /* 0: approval; 1-3: certification */
  const char *subfilter;   /* default ETSI.CAdES.detached */
  const char *field;       /* default "Cert1" */
  const char *lock_field;  /* FieldMDP /Include [lock_field] in the signature's /Reference */
  const char *ess_cert;    /* PKI name: put this certificate (not the signer's) in signingCertificateV2 */
} VtSignOptions;

/* The test's own signer: new invisible field, optional DocMDP certification. */
void                 vt_sign_own             (const char          *in,
                                              const char          *out,
                                              const VtSignOptions *options);

/* File helpers */
GBytes              *vt_read                 (const char  *path);
void                 vt_write                (const char  *path,
                                              const guint8 *data,
                                              gsize        len);
/* Offset of the last occurrence of needle, -1 when absent. */
gssize               vt_rfind                (GBytes      *bytes,
                                              const char  *needle);
gssize               vt_find_from            (GBytes      *bytes,
                                              gsize        from,
                                              const char  *needle);

/* Incremental update with the project's writer: callback sets objects on the update. */
typedef void (*VtUpdateFunc) (TekenPdfUpdate   *update,
                              TekenPdfDocument *base,
                              gpointer          data);
void                 vt_update               (const char   *in,
                                              const char   *out,
                                              VtUpdateFunc  func,
                                              gpointer      data);

/* A raw update: base bytes + objects + (with_xref) a classic xref table and trailer with /Prev.
 * An object with body NULL is already in the bytes at `offset` (only an xref entry is written).
 * root_num 0 keeps the base /Root. */
typedef struct
{
  guint num;
  const char *body;   /* without "N 0 obj" / "endobj" */
  gsize offset;
} VtRawObject;

GBytes              *vt_raw_update           (GBytes            *base,
                                              const VtRawObject *objects,
                                              guint              n,
                                              guint              root_num,
                                              gboolean           with_xref);

/* Object numbers of a document's pieces */
guint                vt_page_num             (const char  *path,
                                              guint        index);
guint                vt_catalog_num          (const char  *path);
/* Number of the signature dictionary of the index-th signature field (by /V). */
guint                vt_sig_dict_num         (const char  *path,
                                              guint        index);

G_END_DECLS
