/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Certificate-name and time conversions shared by every area (private to the core).
 */
#pragma once

#include <glib.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

/* An ASN.1 string as valid UTF-8; NULL when OpenSSL cannot convert it. */
char      *teken_asn1_string_to_utf8    (const ASN1_STRING *str);
/* The first entry of type nid (e.g. NID_commonName) as valid UTF-8; NULL when absent. */
char      *teken_x509_name_get_entry    (const X509_NAME   *name,
                                         int                nid);
/* RFC 2253 order (most specific first) with UTF-8 kept readable; "" on failure. */
char      *teken_x509_name_to_string    (const X509_NAME   *name);
/* A UTC GDateTime; NULL when t is NULL or unreadable. */
GDateTime *teken_asn1_time_to_date_time (const ASN1_TIME   *t);

G_END_DECLS
