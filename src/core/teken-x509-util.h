/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Certificate loading, name, digest and time conversions shared by the core's areas and the CLI.
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

/* One certificate from PEM text (the first one) or DER bytes; NULL when it is neither. */
X509      *teken_x509_new_from_data     (const guint8      *data,
                                         gsize              len);
/* An ASN.1 string as valid UTF-8; NULL when OpenSSL cannot convert it. */
char      *teken_asn1_string_to_utf8    (const ASN1_STRING *str);
/* The first entry of type nid (e.g. NID_commonName) as valid UTF-8; NULL when absent. */
char      *teken_x509_name_get_entry    (const X509_NAME   *name,
                                         int                nid);
/* RFC 2253 order (most specific first) with UTF-8 kept readable; "" on failure. */
char      *teken_x509_name_to_string    (const X509_NAME   *name);
/* "AB:CD:…" (upper case, colons), as certificate viewers print serials and fingerprints. */
char      *teken_hex_colon              (const guint8      *data,
                                         gsize              len);
/* The digest of the certificate: "AB:CD:…" with colons, else lower-case "abcd…" (the form of
 * identity ids and trust-store names); "" when OpenSSL cannot compute it. */
char      *teken_x509_digest_hex        (X509              *cert,
                                         const EVP_MD      *md,
                                         gboolean           colons);
/* A UTC GDateTime; NULL when t is NULL or unreadable. */
GDateTime *teken_asn1_time_to_date_time (const ASN1_TIME   *t);

/* The common name of the demo CA ("Coba dengan sertifikat demo"); it is never a trust anchor. */
#define TEKEN_DEMO_CA_NAME "Teken DEMO CA — TIDAK UNTUK PENGGUNAAN RESMI"

/* Whether name has a common name equal to cn. */
gboolean teken_x509_name_has_cn             (const X509_NAME *name,
                                             const char      *cn);
/* A certificate of the demo CA or issued by it: every stamp it makes says DEMO. */
gboolean teken_x509_is_demo_certificate     (X509            *cert);

G_END_DECLS
