/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Real RFC 3161 / OCSP / CRL peers on 127.0.0.1 for the ltv tests, served by a SoupServer in its
 * own thread (own GMainContext, so synchronous clients in the test thread cannot deadlock it):
 *   /tsa          TSA (OpenSSL TS_RESP_CTX with $TEKEN_TEST_PKI/tsa.crt/.key)
 *   /tsa-auth     the TSA behind HTTP basic authentication (tsa-user / rahasia)
 *   /tsa-slow     answers only after 4 s (for client timeouts)
 *   /tsa-garbage  200 with bytes that are not a TimeStampResp
 *   /tsa-error    HTTP 500
 *   /big          3 MiB of zeros
 *   /ocsp         spawns `openssl ocsp -index … -reqin … -respout …` per request (ocsp.crt as responder)
 *   /crl/ca.crl   a CRL made by `openssl ca -gencrl` from the same index
 * Signer certificates with AIA/CDP pointing at these URLs are issued from $TEKEN_TEST_PKI/ca.
 */
typedef struct _LtvPeers LtvPeers;

LtvPeers   *ltv_peers_start     (void);
void        ltv_peers_stop      (LtvPeers   *peers);
const char *ltv_peers_dir       (LtvPeers   *peers);
/* http://127.0.0.1:PORT/path */
char       *ltv_peers_url       (LtvPeers   *peers,
                                 const char *path);
/* https://127.0.0.1:PORT/path: the same handlers behind TLS with the self-signed DIR/https.crt. */
char       *ltv_peers_https_url (LtvPeers   *peers,
                                 const char *path);
/* A URL on a loopback port where nothing listens. */
char       *ltv_peers_refused_url (void);
/* Requests served on a path so far. */
guint       ltv_peers_count     (LtvPeers   *peers,
                                 const char *path);
/* Issues DIR/name.{crt,key,p12,-chain.pem} from the test CA, with AIA OCSP (with_ocsp) and CDP
 * (with_crl) pointing at the peers, and records it as valid in the index. */
void        ltv_peers_issue     (LtvPeers   *peers,
                                 const char *name,
                                 gboolean    with_ocsp,
                                 gboolean    with_crl);
/* Marks name revoked at `when` (UTC seconds) and regenerates the CRL. */
void        ltv_peers_revoke    (LtvPeers   *peers,
                                 const char *name,
                                 gint64      when);
char       *ltv_peers_path      (LtvPeers   *peers,
                                 const char *file);

G_END_DECLS
