/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "teken-cms.h"
#include "teken-key.h"
#include "teken-pdf-document.h"

G_BEGIN_DECLS

#define TEKEN_SIGNER_ERROR (teken_signer_error_quark ())
GQuark teken_signer_error_quark (void);

typedef enum
{
  TEKEN_SIGNER_ERROR_NO_KEY,          /* no key was set */
  TEKEN_SIGNER_ERROR_SAME_FILE,       /* output is the input */
  TEKEN_SIGNER_ERROR_ENCRYPTED,       /* encrypted input */
  TEKEN_SIGNER_ERROR_FIELD,           /* the named field is not an empty signature field */
  TEKEN_SIGNER_ERROR_PLACEMENT,       /* no such page, or the rectangle is outside it */
  TEKEN_SIGNER_ERROR_TOO_LARGE,       /* the signature does not fit the space reserved for it */
  TEKEN_SIGNER_ERROR_CHANGED,         /* the input changed while it was being signed */
  TEKEN_SIGNER_ERROR_LOCKED,          /* a certification signature (DocMDP P=1) forbids any change */
  TEKEN_SIGNER_ERROR_FAILED,
} TekenSignerError;

typedef enum
{
  TEKEN_SUBFILTER_ETSI_CADES,         /* /ETSI.CAdES.detached (PAdES baseline) */
  TEKEN_SUBFILTER_PKCS7,              /* /adbe.pkcs7.detached */
} TekenSubFilter;

/* fraction: 0.0 … 1.0 of the work done. */
typedef void (*TekenSignerProgressFunc) (double   fraction,
                                         gpointer user_data);

/* Runs in the signing thread after the signature value exists and before the CMS is
 * serialised into /Contents, e.g. to add an RFC 3161 timestamp token over
 * teken_cms_builder_get_signature_value() with teken_cms_builder_add_unsigned_attribute().
 * The reserved /Contents leaves room for about 8 KiB of such attributes. */
typedef gboolean (*TekenSignerCmsHook) (TekenCmsBuilder  *builder,
                                        GCancellable     *cancellable,
                                        gpointer          user_data,
                                        GError          **error);

/*
 * Signs a PDF with PAdES as an incremental update: a signature field (new, or an existing
 * empty one by name), optional visible stamp, the CMS from TekenCmsBuilder. The input is
 * streamed (hashed with OpenSSL while copied) so memory stays small for big files; the output
 * appears only when complete.
 */
#define TEKEN_TYPE_SIGNER (teken_signer_get_type ())
G_DECLARE_FINAL_TYPE (TekenSigner, teken_signer, TEKEN, SIGNER, GObject)

TekenSigner *teken_signer_new               (TekenKey        *key);
void         teken_signer_set_key           (TekenSigner     *self,
                                             TekenKey        *key);
TekenKey    *teken_signer_get_key           (TekenSigner     *self);
/* Default SHA-256. Ed25519 keys always use SHA-512 (RFC 8419). */
void         teken_signer_set_digest        (TekenSigner     *self,
                                             TekenDigest      digest);
/* Default: the key's default scheme; RSA keys may choose RSA-PSS. */
void         teken_signer_set_scheme        (TekenSigner     *self,
                                             TekenSignScheme  scheme);
void         teken_signer_set_subfilter     (TekenSigner     *self,
                                             TekenSubFilter   subfilter);
void         teken_signer_set_reason        (TekenSigner     *self,
                                             const char      *reason);
void         teken_signer_set_location      (TekenSigner     *self,
                                             const char      *location);
void         teken_signer_set_contact_info  (TekenSigner     *self,
                                             const char      *contact_info);
/* /Name of the signature dictionary; default: the certificate's common name. */
void         teken_signer_set_name          (TekenSigner     *self,
                                             const char      *name);
/* An existing empty signature field to fill (by its full name); signing fails with
 * TEKEN_SIGNER_ERROR_FIELD when there is none. The placement options are then ignored:
 * the field's widget keeps its place. */
void         teken_signer_set_field_name    (TekenSigner     *self,
                                             const char      *name);
/* The name of the new field when no field_name is set (default "Signature1", or the next
 * free "SignatureN"); must not exist yet. */
void         teken_signer_set_new_field_name (TekenSigner    *self,
                                             const char      *name);
/* A visible stamp on page `page` (0-based) at rect, in PDF points measured from the lower
 * left corner of the page as it is shown (CropBox, after /Rotate). */
void         teken_signer_set_visible       (TekenSigner     *self,
                                             guint            page,
                                             double           x,
                                             double           y,
                                             double           width,
                                             double           height);
void         teken_signer_set_invisible     (TekenSigner     *self);
gboolean     teken_signer_set_image_file    (TekenSigner     *self,
                                             const char      *png_path,
                                             GError         **error);
void         teken_signer_set_qr_text       (TekenSigner     *self,
                                             const char      *text);
/* "DEMO — TIDAK SAH" on the stamp. */
void         teken_signer_set_demo          (TekenSigner     *self,
                                             gboolean         demo);
void         teken_signer_set_cms_hook      (TekenSigner     *self,
                                             TekenSignerCmsHook hook,
                                             gpointer         user_data,
                                             GDestroyNotify   destroy);
/* Default: the current local time when signing. */
void         teken_signer_set_signing_time  (TekenSigner     *self,
                                             GDateTime       *time);

/* The checks sign_file makes before it needs the key (output is not the input, the input is
 * a readable, unencrypted PDF), so that a front end can refuse a file before asking for a
 * passphrase or PIN. */
gboolean     teken_signer_check_input       (TekenSigner              *self,
                                             const char               *input,
                                             const char               *output,
                                             GError                  **error);
gboolean     teken_signer_sign_file         (TekenSigner              *self,
                                             const char               *input,
                                             const char               *output,
                                             GCancellable             *cancellable,
                                             TekenSignerProgressFunc   progress,
                                             gpointer                  progress_data,
                                             GError                  **error);
/* Runs sign_file in a worker thread; progress is called in the caller's thread-default main
 * context. Do not change the signer's options until it finishes. */
void         teken_signer_sign_file_async   (TekenSigner              *self,
                                             const char               *input,
                                             const char               *output,
                                             GCancellable             *cancellable,
                                             TekenSignerProgressFunc   progress,
                                             gpointer                  progress_data,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
gboolean     teken_signer_sign_file_finish  (TekenSigner              *self,
                                             GAsyncResult             *result,
                                             GError                  **error);

G_END_DECLS
