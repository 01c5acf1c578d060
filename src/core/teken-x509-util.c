/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem */
#include "teken-core-private.h"
#include "teken-x509-util.h"

#include <string.h>
#include <openssl/pem.h>

X509 *
teken_x509_new_from_data (const guint8 *data,
                          gsize         len)
{
  const unsigned char *p = data;

  if (len > G_MAXINT)
    len = G_MAXINT;
  if (len > 10 && memmem (data, len, "-----BEGIN", 10) != NULL)
    {
      g_autoptr(BIO) bio = BIO_new_mem_buf (data, (int) len);

      return PEM_read_bio_X509 (bio, NULL, NULL, NULL);
    }
  return d2i_X509 (NULL, &p, (long) len);
}

char *
teken_asn1_string_to_utf8 (const ASN1_STRING *str)
{
  unsigned char *utf8 = NULL;
  char *ret;
  int len = ASN1_STRING_to_UTF8 (&utf8, str);

  if (len < 0)
    return NULL;
  ret = g_utf8_make_valid ((const char *) utf8, len);
  OPENSSL_free (utf8);
  return ret;
}

char *
teken_x509_name_get_entry (const X509_NAME *name,
                           int              nid)
{
  int idx = name != NULL ? X509_NAME_get_index_by_NID (name, nid, -1) : -1;

  if (idx < 0)
    return NULL;
  return teken_asn1_string_to_utf8 (X509_NAME_ENTRY_get_data (X509_NAME_get_entry (name, idx)));
}

char *
teken_x509_name_to_string (const X509_NAME *name)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long len;

  if (X509_NAME_print_ex (bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0)
    return g_strdup ("");
  len = BIO_get_mem_data (bio, &data);
  return g_utf8_make_valid (data, len);
}

GDateTime *
teken_asn1_time_to_date_time (const ASN1_TIME *t)
{
  struct tm tm = { 0 };

  if (t == NULL || ASN1_TIME_to_tm (t, &tm) != 1)
    return NULL;
  return g_date_time_new_utc (tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                              tm.tm_hour, tm.tm_min, tm.tm_sec);
}

char *
teken_hex_colon (const guint8 *data,
                 gsize         len)
{
  GString *str = g_string_sized_new (len * 3);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (str, i ? ":%02X" : "%02X", data[i]);
  return g_string_free (str, FALSE);
}

char *
teken_x509_digest_hex (X509         *cert,
                       const EVP_MD *md,
                       gboolean      colons)
{
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  GString *hex;

  if (X509_digest (cert, md, buf, &len) != 1)
    return g_strdup ("");
  if (colons)
    return teken_hex_colon (buf, len);
  hex = g_string_sized_new (2 * len);
  for (unsigned int i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", buf[i]);
  return g_string_free (hex, FALSE);
}

gboolean
teken_x509_name_has_cn (const X509_NAME *name,
                        const char      *cn)
{
  int idx = X509_NAME_get_index_by_NID (name, NID_commonName, -1);

  while (idx >= 0)
    {
      g_autofree char *utf8 = teken_asn1_string_to_utf8 (X509_NAME_ENTRY_get_data (X509_NAME_get_entry (name, idx)));

      if (g_strcmp0 (utf8, cn) == 0)
        return TRUE;
      idx = X509_NAME_get_index_by_NID (name, NID_commonName, idx);
    }
  return FALSE;
}

gboolean
teken_x509_is_demo_certificate (X509 *cert)
{
  return cert != NULL &&
         (teken_x509_name_has_cn (X509_get_issuer_name (cert), TEKEN_DEMO_CA_NAME) ||
          teken_x509_name_has_cn (X509_get_subject_name (cert), TEKEN_DEMO_CA_NAME));
}
