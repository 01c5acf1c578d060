/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-x509-util.h"

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
