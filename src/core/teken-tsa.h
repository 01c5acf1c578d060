/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <openssl/x509.h>

#include "teken-http.h"

G_BEGIN_DECLS

#define TEKEN_TSA_ERROR (teken_tsa_error_quark ())
GQuark teken_tsa_error_quark (void);

typedef enum
{
  TEKEN_TSA_ERROR_NOT_CONFIGURED,  /* no TSA address in the settings or on the command line */
  TEKEN_TSA_ERROR_REJECTED,        /* the TSA answered with a status other than granted */
  TEKEN_TSA_ERROR_BAD_RESPONSE,    /* not an RFC 3161 answer */
  TEKEN_TSA_ERROR_MISMATCH,        /* nonce or message imprint differ from the request */
  TEKEN_TSA_ERROR_INVALID_TOKEN,   /* token unreadable, bad signature, imprint mismatch on verify */
  TEKEN_TSA_ERROR_UNTRUSTED,       /* TSA certificate does not chain to a trusted root / no timeStamping EKU */
} TekenTsaError;

/*
 * An RFC 3161 client: sends a TimeStampReq (SHA-256 imprint, random nonce, certReq TRUE) as
 * application/timestamp-query and returns the TimeStampToken (DER ContentInfo) after checking
 * that the answer is granted and carries our nonce and imprint. Blocking: call from a worker
 * thread (or use the _async variant).
 */
#define TEKEN_TYPE_TSA_CLIENT (teken_tsa_client_get_type ())
G_DECLARE_FINAL_TYPE (TekenTsaClient, teken_tsa_client, TEKEN, TSA_CLIENT, GObject)

/* http may be NULL (a default client is made). */
TekenTsaClient *teken_tsa_client_new          (const char      *url,
                                               TekenHttp       *http);
const char     *teken_tsa_client_get_url      (TekenTsaClient  *self);
TekenHttp      *teken_tsa_client_get_http     (TekenTsaClient  *self);
/* auth is taken (transfer full); NULL for none. */
void            teken_tsa_client_set_auth     (TekenTsaClient  *self,
                                               TekenHttpAuth   *auth);
/* Stamps SHA-256 (data). */
GBytes         *teken_tsa_client_stamp_sync   (TekenTsaClient  *self,
                                               const guint8    *data,
                                               gsize            len,
                                               GCancellable    *cancellable,
                                               GError         **error);
/* Stamps a digest already computed with md (e.g. over a document's ByteRange). */
GBytes         *teken_tsa_client_stamp_digest_sync (TekenTsaClient *self,
                                                    const EVP_MD   *md,
                                                    const guint8   *digest,
                                                    gsize           digest_len,
                                                    GCancellable   *cancellable,
                                                    GError        **error);
void            teken_tsa_client_stamp_async  (TekenTsaClient  *self,
                                               GBytes          *data,
                                               GCancellable    *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer         user_data);
GBytes         *teken_tsa_client_stamp_finish (TekenTsaClient  *self,
                                               GAsyncResult    *result,
                                               GError         **error);

/* What a TimeStampToken says. */
typedef struct
{
  GDateTime *gen_time;     /* UTC */
  char *tsa_name;          /* signer certificate's subject (one line, RFC 2253), or the token's tsa field */
  char *policy;            /* dotted OID */
  char *serial;            /* hex */
  const EVP_MD *md;        /* message-imprint hash (NULL when OpenSSL does not know it) */
  GBytes *imprint;
  X509 *signer;            /* the TSA certificate when the token carries it (owned), else NULL */
  STACK_OF (X509) *certs;  /* every certificate in the token (owned, may be NULL) */
} TekenTsaTokenInfo;

void               teken_tsa_token_info_free  (TekenTsaTokenInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenTsaTokenInfo, teken_tsa_token_info_free)

/* Parses a token (ContentInfo with a TSTInfo) without judging it. */
TekenTsaTokenInfo *teken_tsa_token_parse      (GBytes          *token,
                                               GError         **error);
/*
 * Full check of a token: its CMS signature, the imprint equals md(data) (md from the token),
 * and, with trust != NULL, the TSA certificate chains to a trusted root at the token's time
 * with the critical timeStamping EKU (extra: untrusted intermediates, may be NULL).
 */
gboolean           teken_tsa_token_verify     (GBytes          *token,
                                               const guint8    *data,
                                               gsize            len,
                                               X509_STORE      *trust,
                                               STACK_OF (X509) *extra,
                                               GError         **error);
/* The same with an imprint the caller computed with info->md (for data too large for memory). */
gboolean           teken_tsa_token_verify_digest (GBytes          *token,
                                                  const guint8    *digest,
                                                  gsize            digest_len,
                                                  X509_STORE      *trust,
                                                  STACK_OF (X509) *extra,
                                                  GError         **error);

G_END_DECLS
