/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "teken-key.h"

G_BEGIN_DECLS

#define TEKEN_CMS_ERROR (teken_cms_error_quark ())
GQuark teken_cms_error_quark (void);

typedef enum
{
  TEKEN_CMS_ERROR_UNSUPPORTED,  /* key type, scheme or digest combination not supported */
  TEKEN_CMS_ERROR_INVALID,      /* bad argument from the caller (digest length, attribute DER) */
  TEKEN_CMS_ERROR_FAILED,       /* OpenSSL failed; the message carries the detail */
} TekenCmsError;

/*
 * Builds a detached CMS SignedData (RFC 5652) for PAdES over a content digest computed by
 * the caller (the ByteRange bytes). Signed attributes: contentType, messageDigest,
 * signingCertificateV2 (ESS, with issuerSerial) and, in PKCS#7 mode only, signingTime
 * (PAdES/CAdES mode has none: the claimed time is the signature dictionary's /M).
 * The signature over the DER of the signed attributes is made by teken_key_sign(), so any
 * TekenKey (file, keyring, token) works.
 *
 * Use: new → (set_scheme, set_cades, set_signing_time) → sign → (add_unsigned_attribute,
 * e.g. an RFC 3161 token over get_signature_value) → serialize.
 */
#define TEKEN_TYPE_CMS_BUILDER (teken_cms_builder_get_type ())
G_DECLARE_FINAL_TYPE (TekenCmsBuilder, teken_cms_builder, TEKEN, CMS_BUILDER, GObject)

TekenCmsBuilder *teken_cms_builder_new                 (TekenKey         *key,
                                                        TekenDigest       digest);
TekenKey        *teken_cms_builder_get_key             (TekenCmsBuilder  *self);
TekenDigest      teken_cms_builder_get_digest          (TekenCmsBuilder  *self);
/* Default: teken_key_get_default_scheme(). */
void             teken_cms_builder_set_scheme          (TekenCmsBuilder  *self,
                                                        TekenSignScheme   scheme);
TekenSignScheme  teken_cms_builder_get_scheme          (TekenCmsBuilder  *self);
/* TRUE (default): ETSI.CAdES.detached, no signingTime. FALSE: adbe.pkcs7.detached. */
void             teken_cms_builder_set_cades           (TekenCmsBuilder  *self,
                                                        gboolean          cades);
/* The signingTime attribute's value in PKCS#7 mode (default: now); ignored in CAdES mode. */
void             teken_cms_builder_set_signing_time    (TekenCmsBuilder  *self,
                                                        GDateTime        *time);
/* content_digest: the digest (with the builder's digest) of the signed content. Blocks
 * while the key signs (token I/O): call it from a worker thread. */
gboolean         teken_cms_builder_sign                (TekenCmsBuilder  *self,
                                                        const guint8     *content_digest,
                                                        gsize             digest_len,
                                                        GCancellable     *cancellable,
                                                        GError          **error);
/* After sign(): SignerInfo.signature (what an RFC 3161 timestamp token is computed over). */
GBytes          *teken_cms_builder_get_signature_value (TekenCmsBuilder  *self);
/* After sign(): adds an unsigned attribute with one value, `value_der` being the complete
 * DER of the value (e.g. a TimeStampToken ContentInfo for "1.2.840.113549.1.9.16.2.14"). */
gboolean         teken_cms_builder_add_unsigned_attribute (TekenCmsBuilder *self,
                                                        const char       *oid,
                                                        GBytes           *value_der,
                                                        GError          **error);
/* After sign(): the DER of the ContentInfo. */
GBytes          *teken_cms_builder_serialize           (TekenCmsBuilder  *self,
                                                        GError          **error);

/* An upper bound of the DER size of the CMS for this key (certificates, chain, signature,
 * attributes) plus `extra` bytes (room for unsigned attributes such as a timestamp token). */
gsize            teken_cms_estimate_size               (TekenKey         *key,
                                                        gsize             extra);

G_END_DECLS
