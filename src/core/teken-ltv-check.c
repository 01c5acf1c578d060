/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-ltv-check.h"
#include "teken-tsa.h"

#include <openssl/err.h>

#define ADBE_REVOCATION_ARCHIVAL "1.2.840.113583.1.1.8"

void
teken_timestamp_check_free (TekenTimestampCheck *check)
{
  if (check == NULL)
    return;
  g_clear_pointer (&check->time, g_date_time_unref);
  g_free (check->tsa_name);
  sk_X509_pop_free (check->certs, X509_free);
  g_free (check->message);
  g_free (check);
}

void
teken_revocation_check_free (TekenRevocationCheck *check)
{
  if (check == NULL)
    return;
  g_clear_pointer (&check->time, g_date_time_unref);
  g_free (check->message);
  g_free (check);
}

static TekenTimestampCheck *
check_token (GBytes          *token,
             const guint8    *digest,
             gsize            digest_len,
             const guint8    *data,
             gsize            data_len,
             X509_STORE      *trust,
             STACK_OF (X509) *extra)
{
  TekenTimestampCheck *check = g_new0 (TekenTimestampCheck, 1);
  g_autoptr(TekenTsaTokenInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  info = teken_tsa_token_parse (token, &error);
  if (info == NULL)
    {
      check->status = TEKEN_LTV_CHECK_INVALID;
      check->message = g_strdup (error->message);
      return check;
    }
  check->time = g_date_time_ref (info->gen_time);
  check->tsa_name = g_strdup (info->tsa_name);
  if (info->certs != NULL)
    check->certs = X509_chain_up_ref (info->certs);

  if (digest != NULL)
    ok = teken_tsa_token_verify_digest (token, digest, digest_len, trust, extra, &error);
  else
    ok = teken_tsa_token_verify (token, data, data_len, trust, extra, &error);
  if (ok)
    check->status = TEKEN_LTV_CHECK_VALID;
  else
    {
      check->status = g_error_matches (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_UNTRUSTED)
                      ? TEKEN_LTV_CHECK_INDETERMINATE : TEKEN_LTV_CHECK_INVALID;
      check->message = g_strdup (error->message);
    }
  return check;
}

TekenTimestampCheck *
teken_ltv_check_signature_timestamp (CMS_SignerInfo  *si,
                                     X509_STORE      *trust,
                                     STACK_OF (X509) *extra)
{
  int idx = si ? CMS_unsigned_get_attr_by_NID (si, NID_id_smime_aa_timeStampToken, -1) : -1;
  ASN1_TYPE *value;
  ASN1_OCTET_STRING *sig;
  g_autoptr(GBytes) token = NULL;

  if (idx < 0)
    return NULL;
  value = X509_ATTRIBUTE_get0_type (CMS_unsigned_get_attr (si, idx), 0);
  if (value == NULL || value->type != V_ASN1_SEQUENCE)
    {
      TekenTimestampCheck *check = g_new0 (TekenTimestampCheck, 1);

      check->status = TEKEN_LTV_CHECK_INVALID;
      check->message = g_strdup (_("The time stamp cannot be read: it is not an RFC 3161 time-stamp token"));
      return check;
    }
  token = g_bytes_new (value->value.sequence->data, value->value.sequence->length);
  sig = CMS_SignerInfo_get0_signature (si);
  return check_token (token, NULL, 0, ASN1_STRING_get0_data (sig), ASN1_STRING_length (sig), trust, extra);
}

TekenTimestampCheck *
teken_ltv_check_document_timestamp (GBytes          *token,
                                    const guint8    *digest,
                                    gsize            digest_len,
                                    X509_STORE      *trust,
                                    STACK_OF (X509) *extra)
{
  return check_token (token, digest, digest_len, NULL, 0, trust, extra);
}

/* --- adbe-revocationInfoArchival -------------------------------------------------------- */

/* Appends every element of the SEQUENCE OF at p (len bytes, a full TLV) to out. */
static void
read_sequence_of (const unsigned char *p,
                  long                 len,
                  GPtrArray           *out)
{
  const unsigned char *end = p + len;
  long inner;
  int tag, cls;

  if (ASN1_get_object (&p, &inner, &tag, &cls, len) & 0x80 || tag != V_ASN1_SEQUENCE)
    return;
  end = MIN (end, p + inner);
  while (p < end)
    {
      const unsigned char *start = p;
      long item;

      if (ASN1_get_object (&p, &item, &tag, &cls, end - p) & 0x80 || p + item > end)
        return;
      p += item;
      g_ptr_array_add (out, g_bytes_new (start, p - start));
    }
}

TekenValidationData *
teken_ltv_read_revocation_archival (CMS_SignerInfo *si)
{
  g_autoptr(ASN1_OBJECT) oid = OBJ_txt2obj (ADBE_REVOCATION_ARCHIVAL, 1);
  TekenValidationData *data = teken_validation_data_new ();
  int idx = si && oid ? CMS_signed_get_attr_by_OBJ (si, oid, -1) : -1;
  ASN1_TYPE *value;
  const unsigned char *p, *end;
  long len;
  int tag, cls;

  if (idx < 0)
    return data;
  value = X509_ATTRIBUTE_get0_type (CMS_signed_get_attr (si, idx), 0);
  if (value == NULL || value->type != V_ASN1_SEQUENCE)
    return data;
  p = value->value.sequence->data;
  end = p + value->value.sequence->length;
  /* RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL OPTIONAL,
   *   ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL, otherRevInfo [2] … OPTIONAL } */
  if (ASN1_get_object (&p, &len, &tag, &cls, end - p) & 0x80)
    return data;
  end = MIN (end, p + len);
  while (p < end)
    {
      long item;

      if (ASN1_get_object (&p, &item, &tag, &cls, end - p) & 0x80 || p + item > end)
        break;
      if (cls == V_ASN1_CONTEXT_SPECIFIC && tag == 0)
        read_sequence_of (p, item, data->crls);
      else if (cls == V_ASN1_CONTEXT_SPECIFIC && tag == 1)
        read_sequence_of (p, item, data->ocsps);
      p += item;
    }
  ERR_clear_error ();
  return data;
}

/* --- Revocation ---------------------------------------------------------------------------- */

/* The newest usable embedded answer about cert among the blobs. */
static TekenRevocationInfo *
best_embedded (TekenValidationData *data,
               X509                *cert,
               X509                *issuer)
{
  TekenRevocationInfo *best = NULL;

  for (guint kind = 0; data != NULL && kind < 2; kind++)
    {
      GPtrArray *blobs = kind == 0 ? data->ocsps : data->crls;

      for (guint i = 0; i < blobs->len; i++)
        {
          GBytes *blob = g_ptr_array_index (blobs, i);
          TekenRevocationInfo *info = kind == 0
            ? teken_ocsp_check_response (blob, cert, issuer, NULL, NULL, NULL)
            : teken_crl_check (blob, cert, issuer, NULL, NULL);

          if (info == NULL)
            continue;
          /* A revocation wins; otherwise the newest answer. */
          if (best == NULL ||
              (info->status == TEKEN_CERT_STATUS_REVOKED && best->status != TEKEN_CERT_STATUS_REVOKED) ||
              (info->status == best->status && info->this_update && best->this_update &&
               g_date_time_compare (info->this_update, best->this_update) > 0))
            {
              teken_revocation_info_free (best);
              best = info;
            }
          else
            teken_revocation_info_free (info);
        }
    }
  ERR_clear_error ();
  return best;
}

static gboolean
has_sources (X509 *cert)
{
  g_autofree char *ocsp = teken_cert_get_ocsp_url (cert);
  g_auto(GStrv) crls = teken_cert_get_crl_urls (cert);

  return ocsp != NULL || crls != NULL;
}

/* The TSA's certificates that need embedded data have it. */
static gboolean
tsa_covered (STACK_OF (X509) *tsa_certs,
             STACK_OF (X509) *pool,
             TekenDss        *dss)
{
  for (int i = 0; tsa_certs != NULL && i < sk_X509_num (tsa_certs); i++)
    {
      X509 *cert = sk_X509_value (tsa_certs, i);
      X509 *issuer;
      g_autoptr(TekenRevocationInfo) info = NULL;

      if (X509_check_issued (cert, cert) == X509_V_OK || !has_sources (cert))
        continue;
      issuer = teken_find_issuer (cert, tsa_certs);
      if (issuer == NULL)
        issuer = teken_find_issuer (cert, pool);
      if (issuer == NULL || dss == NULL || (info = best_embedded (dss->all, cert, issuer)) == NULL)
        return FALSE;
    }
  return TRUE;
}

TekenRevocationCheck *
teken_ltv_check_revocation (X509                   *signer,
                            STACK_OF (X509)        *pool,
                            TekenDss               *dss,
                            CMS_SignerInfo         *si,
                            STACK_OF (X509)        *tsa_certs,
                            GDateTime              *signing_time,
                            gboolean                timestamped,
                            TekenRevocationChecker *checker,
                            GCancellable           *cancellable)
{
  g_autoptr(TekenRevocationCheck) check = g_new0 (TekenRevocationCheck, 1);
  g_autoptr(TekenRevocationInfo) info = NULL;
  g_autoptr(TekenValidationData) archival = teken_ltv_read_revocation_archival (si);
  g_autoptr(GError) error = NULL;
  X509 *issuer = teken_find_issuer (signer, pool);

  if (issuer == NULL)
    {
      check->message = g_strdup (_("The issuer of the signer’s certificate is not known, so its revocation status cannot be checked"));
      return g_steal_pointer (&check);
    }

  if (dss != NULL)
    info = best_embedded (dss->all, signer, issuer);
  if (info == NULL)
    info = best_embedded (archival, signer, issuer);
  check->embedded = info != NULL;
  if (info == NULL && checker != NULL)
    {
      info = teken_revocation_checker_check (checker, signer, issuer, cancellable, &error);
      if (info == NULL)
        {
          /* Offline, or a certificate naming no OCSP responder and no CRL: nothing was asked. */
          check->status = g_error_matches (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_OFFLINE) ||
                          g_error_matches (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_NO_SOURCE)
                          ? TEKEN_LTV_REVOCATION_NOT_CHECKED : TEKEN_LTV_REVOCATION_UNKNOWN;
          check->message = g_strdup (error->message);
          return g_steal_pointer (&check);
        }
    }
  if (info == NULL)
    {
      check->message = g_strdup (_("No revocation data in the document, and online checks are off"));
      return g_steal_pointer (&check);
    }

  switch (info->status)
    {
    case TEKEN_CERT_STATUS_GOOD:
      check->status = TEKEN_LTV_REVOCATION_GOOD;
      check->time = info->this_update ? g_date_time_ref (info->this_update) : NULL;
      break;
    case TEKEN_CERT_STATUS_REVOKED:
      check->status = TEKEN_LTV_REVOCATION_REVOKED;
      check->time = info->revocation_time ? g_date_time_ref (info->revocation_time) : NULL;
      /* After a time-stamped signing time the signature stays valid; otherwise nothing proves
       * the signature predates the revocation. */
      check->revoked_before_signing = !timestamped || signing_time == NULL || check->time == NULL ||
                                      g_date_time_compare (check->time, signing_time) <= 0;
      break;
    case TEKEN_CERT_STATUS_UNKNOWN:
    default:
      check->status = TEKEN_LTV_REVOCATION_UNKNOWN;
      check->message = g_strdup (_("The revocation service does not know the signer’s certificate"));
      break;
    }
  check->ltv = check->embedded && dss != NULL && tsa_covered (tsa_certs, pool, dss);
  return g_steal_pointer (&check);
}
