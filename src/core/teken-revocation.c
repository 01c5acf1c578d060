/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-revocation.h"
#include "teken-x509-util.h"
#include "teken-atomic-file.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>

G_DEFINE_QUARK (teken-revocation-error-quark, teken_revocation_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OCSP_CERTID, OCSP_CERTID_free)

/* Clock skew allowed between us, the responder and the CA. */
#define SKEW_SECONDS (5 * 60)
#define MAX_OCSP_RESPONSE (1u << 20)
#define MAX_CRL (32u << 20)
#define MAX_CHAIN 10

struct _TekenRevocationChecker
{
  GObject parent_instance;

  TekenHttp *http;
  char *cache_dir;
  gboolean offline;
};

G_DEFINE_FINAL_TYPE (TekenRevocationChecker, teken_revocation_checker, G_TYPE_OBJECT)

void
teken_revocation_info_free (TekenRevocationInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->revocation_time, g_date_time_unref);
  g_clear_pointer (&info->this_update, g_date_time_unref);
  g_clear_pointer (&info->next_update, g_date_time_unref);
  g_clear_pointer (&info->produced_at, g_date_time_unref);
  g_clear_pointer (&info->data, g_bytes_unref);
  sk_X509_pop_free (info->certs, X509_free);
  g_free (info->url);
  g_free (info);
}

static char *
cert_name (X509 *cert)
{
  X509_NAME *name = X509_get_subject_name (cert);
  char *result = teken_x509_name_get_entry (name, NID_commonName);
  char *line;

  if (result != NULL)
    return result;
  line = X509_NAME_oneline (name, NULL, 0);
  result = g_strdup (line);
  OPENSSL_free (line);
  return result;
}

/* --- Certificate fields -------------------------------------------------------------------- */

static gboolean
is_http_uri (const GENERAL_NAME *gn)
{
  const char *s;

  if (gn == NULL || gn->type != GEN_URI)
    return FALSE;
  s = (const char *) ASN1_STRING_get0_data (gn->d.uniformResourceIdentifier);
  return g_ascii_strncasecmp (s, "http://", 7) == 0 || g_ascii_strncasecmp (s, "https://", 8) == 0;
}

char *
teken_cert_get_ocsp_url (X509 *cert)
{
  AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i (cert, NID_info_access, NULL, NULL);
  char *url = NULL;

  for (int i = 0; aia != NULL && i < sk_ACCESS_DESCRIPTION_num (aia) && url == NULL; i++)
    {
      ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value (aia, i);

      if (OBJ_obj2nid (ad->method) == NID_ad_OCSP && is_http_uri (ad->location))
        url = g_strndup ((const char *) ASN1_STRING_get0_data (ad->location->d.uniformResourceIdentifier),
                         ASN1_STRING_length (ad->location->d.uniformResourceIdentifier));
    }
  AUTHORITY_INFO_ACCESS_free (aia);
  return url;
}

GStrv
teken_cert_get_crl_urls (X509 *cert)
{
  STACK_OF (DIST_POINT) *cdp = X509_get_ext_d2i (cert, NID_crl_distribution_points, NULL, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean any = FALSE;

  for (int i = 0; cdp != NULL && i < sk_DIST_POINT_num (cdp); i++)
    {
      DIST_POINT *dp = sk_DIST_POINT_value (cdp, i);

      if (dp->distpoint == NULL || dp->distpoint->type != 0)
        continue;
      for (int j = 0; j < sk_GENERAL_NAME_num (dp->distpoint->name.fullname); j++)
        {
          GENERAL_NAME *gn = sk_GENERAL_NAME_value (dp->distpoint->name.fullname, j);

          if (is_http_uri (gn))
            {
              g_autofree char *u = g_strndup ((const char *) ASN1_STRING_get0_data (gn->d.uniformResourceIdentifier),
                                              ASN1_STRING_length (gn->d.uniformResourceIdentifier));
              g_strv_builder_add (builder, u);
              any = TRUE;
            }
        }
    }
  sk_DIST_POINT_pop_free (cdp, DIST_POINT_free);
  return any ? g_strv_builder_end (builder) : NULL;
}

X509 *
teken_find_issuer (X509            *cert,
                   STACK_OF (X509) *pool)
{
  for (int i = 0; pool != NULL && i < sk_X509_num (pool); i++)
    {
      X509 *candidate = sk_X509_value (pool, i);

      if (X509_check_issued (candidate, cert) == X509_V_OK &&
          X509_verify (cert, X509_get0_pubkey (candidate)) == 1)
        return candidate;
    }
  ERR_clear_error ();
  return NULL;
}

/* --- Freshness ----------------------------------------------------------------------------- */

static gboolean
check_fresh (GDateTime   *this_update,
             GDateTime   *next_update,
             GDateTime   *at,
             const char  *what,
             X509        *cert,
             GError     **error)
{
  gint64 t = g_date_time_to_unix (at);
  g_autofree char *name = NULL;

  if (this_update != NULL && g_date_time_to_unix (this_update) <= t + SKEW_SECONDS &&
      (next_update == NULL || g_date_time_to_unix (next_update) >= t - SKEW_SECONDS))
    return TRUE;
  name = cert_name (cert);
  /* translators: the first %s is "OCSP response" or "revocation list (CRL)", the second a certificate name */
  g_set_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_STALE,
               _("The %s for “%s” is out of date or not yet valid"), what, name);
  return FALSE;
}

/* --- OCSP ---------------------------------------------------------------------------------- */

static gboolean
ocsp_error (GError             **error,
            TekenRevocationError code,
            X509                *cert,
            const char          *why)
{
  g_autofree char *name = cert_name (cert);

  ERR_clear_error ();
  /* translators: the first %s is a certificate name, the second the problem */
  g_set_error (error, TEKEN_REVOCATION_ERROR, code,
               _("The OCSP response for “%s” cannot be used: %s"), name, why);
  return FALSE;
}

static gboolean
verify_ocsp_signer (OCSP_BASICRESP  *bs,
                    X509            *issuer,
                    GDateTime       *produced_at,
                    X509            *cert,
                    GError         **error)
{
  g_autoptr(X509_STORE) store = X509_STORE_new ();
  g_autoptr(TekenX509Stack) certs = sk_X509_new_null ();
  X509_VERIFY_PARAM *param = X509_STORE_get0_param (store);

  /* The issuer is the only anchor: the answer must come from it or from a responder it
   * authorised (OCSPSigning EKU), checked when the answer was produced. */
  X509_STORE_add_cert (store, issuer);
  X509_VERIFY_PARAM_set_flags (param, X509_V_FLAG_PARTIAL_CHAIN);
  if (produced_at != NULL)
    X509_VERIFY_PARAM_set_time (param, g_date_time_to_unix (produced_at));
  X509_up_ref (issuer);
  sk_X509_push (certs, issuer);

  if (OCSP_basic_verify (bs, certs, store, OCSP_NOEXPLICIT) != 1)
    return ocsp_error (error, TEKEN_REVOCATION_ERROR_UNTRUSTED, cert,
                       _("it is not signed by the certificate’s issuer or a responder it authorised"));
  return TRUE;
}

TekenRevocationInfo *
teken_ocsp_check_response (GBytes        *der,
                           X509          *cert,
                           X509          *issuer,
                           OCSP_REQUEST  *request,
                           GDateTime     *at,
                           GError       **error)
{
  const unsigned char *p = g_bytes_get_data (der, NULL);
  g_autoptr(OCSP_RESPONSE) resp = d2i_OCSP_RESPONSE (NULL, &p, g_bytes_get_size (der));
  g_autoptr(OCSP_BASICRESP) bs = NULL;
  g_autoptr(OCSP_CERTID) id = NULL;
  g_autoptr(TekenRevocationInfo) info = NULL;
  ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
  const STACK_OF (X509) *certs;
  int status, reason;

  if (resp == NULL)
    return ocsp_error (error, TEKEN_REVOCATION_ERROR_BAD_RESPONSE, cert, _("it is not an OCSP response")), NULL;
  if (OCSP_response_status (resp) != OCSP_RESPONSE_STATUS_SUCCESSFUL)
    {
      g_autofree char *why = g_strdup_printf (_("the responder reported an error (%s)"),
                                              OCSP_response_status_str (OCSP_response_status (resp)));
      return ocsp_error (error, TEKEN_REVOCATION_ERROR_BAD_RESPONSE, cert, why), NULL;
    }
  bs = OCSP_response_get1_basic (resp);
  if (bs == NULL)
    return ocsp_error (error, TEKEN_REVOCATION_ERROR_BAD_RESPONSE, cert, _("it is not a basic OCSP response")), NULL;
  if (request != NULL && OCSP_check_nonce (request, bs) == 0)
    return ocsp_error (error, TEKEN_REVOCATION_ERROR_MISMATCH, cert, _("it does not answer our request (nonce differs)")), NULL;

  info = g_new0 (TekenRevocationInfo, 1);
  info->kind = TEKEN_REVOCATION_KIND_OCSP;
  info->produced_at = teken_asn1_time_to_date_time (OCSP_resp_get0_produced_at (bs));
  if (!verify_ocsp_signer (bs, issuer, info->produced_at, cert, error))
    return NULL;

  id = OCSP_cert_to_id (EVP_sha1 (), cert, issuer);
  if (id == NULL || OCSP_resp_find_status (bs, id, &status, &reason, &rev, &thisupd, &nextupd) != 1)
    return ocsp_error (error, TEKEN_REVOCATION_ERROR_MISMATCH, cert, _("it does not mention this certificate")), NULL;

  info->status = status == V_OCSP_CERTSTATUS_GOOD ? TEKEN_CERT_STATUS_GOOD :
                 status == V_OCSP_CERTSTATUS_REVOKED ? TEKEN_CERT_STATUS_REVOKED : TEKEN_CERT_STATUS_UNKNOWN;
  info->this_update = teken_asn1_time_to_date_time (thisupd);
  info->next_update = teken_asn1_time_to_date_time (nextupd);
  if (rev != NULL)
    info->revocation_time = teken_asn1_time_to_date_time (rev);
  if (at != NULL && !check_fresh (info->this_update, info->next_update, at, _("OCSP response"), cert, error))
    return NULL;
  info->data = g_bytes_ref (der);
  certs = OCSP_resp_get0_certs (bs);
  if (certs != NULL && sk_X509_num (certs) > 0)
    info->certs = X509_chain_up_ref ((STACK_OF (X509) *) certs);
  ERR_clear_error ();
  return g_steal_pointer (&info);
}

/* --- CRL ----------------------------------------------------------------------------------- */

static X509_CRL *
parse_crl (GBytes *der)
{
  gsize len;
  const unsigned char *p = g_bytes_get_data (der, &len);

  if (len > 10 && memcmp (p, "-----BEGIN", 10) == 0)
    {
      g_autoptr(BIO) bio = BIO_new_mem_buf (p, len);

      return PEM_read_bio_X509_CRL (bio, NULL, NULL, NULL);
    }
  return d2i_X509_CRL (NULL, &p, len);
}

TekenRevocationInfo *
teken_crl_check (GBytes     *der,
                 X509       *cert,
                 X509       *issuer,
                 GDateTime  *at,
                 GError    **error)
{
  g_autoptr(X509_CRL) crl = parse_crl (der);
  g_autoptr(TekenRevocationInfo) info = NULL;
  g_autofree char *name = cert_name (cert);
  X509_REVOKED *entry = NULL;
  unsigned char *out = NULL;
  int out_len;

  if (crl == NULL)
    {
      ERR_clear_error ();
      /* translators: %s is a certificate name */
      g_set_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_BAD_RESPONSE,
                   _("The revocation list (CRL) for “%s” cannot be read"), name);
      return NULL;
    }
  if (X509_NAME_cmp (X509_CRL_get_issuer (crl), X509_get_subject_name (issuer)) != 0 ||
      X509_CRL_verify (crl, X509_get0_pubkey (issuer)) != 1)
    {
      ERR_clear_error ();
      /* translators: %s is a certificate name */
      g_set_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_UNTRUSTED,
                   _("The revocation list (CRL) for “%s” is not signed by its issuer"), name);
      return NULL;
    }

  info = g_new0 (TekenRevocationInfo, 1);
  info->kind = TEKEN_REVOCATION_KIND_CRL;
  info->this_update = teken_asn1_time_to_date_time (X509_CRL_get0_lastUpdate (crl));
  info->next_update = teken_asn1_time_to_date_time (X509_CRL_get0_nextUpdate (crl));
  if (at != NULL && !check_fresh (info->this_update, info->next_update, at,
                                  _("revocation list (CRL)"), cert, error))
    return NULL;
  if (X509_CRL_get0_by_cert (crl, &entry, cert) == 1 && entry != NULL)
    {
      info->status = TEKEN_CERT_STATUS_REVOKED;
      info->revocation_time = teken_asn1_time_to_date_time (X509_REVOKED_get0_revocationDate (entry));
    }
  else
    info->status = TEKEN_CERT_STATUS_GOOD;

  /* Keep DER even when the server sent PEM: the DSS holds DER. */
  out_len = i2d_X509_CRL (crl, &out);
  if (out_len <= 0)
    {
      ERR_clear_error ();
      g_set_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_BAD_RESPONSE,
                   _("The revocation list (CRL) for “%s” cannot be read"), name);
      return NULL;
    }
  info->data = g_bytes_new (out, out_len);
  OPENSSL_free (out);
  return g_steal_pointer (&info);
}

/* --- Checker ------------------------------------------------------------------------------- */

static void
teken_revocation_checker_finalize (GObject *object)
{
  TekenRevocationChecker *self = TEKEN_REVOCATION_CHECKER (object);

  g_clear_object (&self->http);
  g_free (self->cache_dir);
  G_OBJECT_CLASS (teken_revocation_checker_parent_class)->finalize (object);
}

static void
teken_revocation_checker_class_init (TekenRevocationCheckerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_revocation_checker_finalize;
}

static void
teken_revocation_checker_init (TekenRevocationChecker *self)
{
}

TekenRevocationChecker *
teken_revocation_checker_new (TekenHttp *http)
{
  TekenRevocationChecker *self = g_object_new (TEKEN_TYPE_REVOCATION_CHECKER, NULL);

  self->http = http ? g_object_ref (http) : teken_http_new ();
  return self;
}

TekenHttp *
teken_revocation_checker_get_http (TekenRevocationChecker *self)
{
  g_return_val_if_fail (TEKEN_IS_REVOCATION_CHECKER (self), NULL);
  return self->http;
}

void
teken_revocation_checker_set_cache_dir (TekenRevocationChecker *self,
                                        const char             *dir)
{
  g_return_if_fail (TEKEN_IS_REVOCATION_CHECKER (self));
  g_free (self->cache_dir);
  self->cache_dir = g_strdup (dir);
}

void
teken_revocation_checker_set_offline (TekenRevocationChecker *self,
                                      gboolean                offline)
{
  g_return_if_fail (TEKEN_IS_REVOCATION_CHECKER (self));
  self->offline = offline;
}

static char *
cache_path (TekenRevocationChecker *self,
            const char             *prefix,
            const guint8           *key,
            gsize                   key_len)
{
  g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, key, key_len);
  g_autofree char *name = g_strdup_printf ("%s-%s.der", prefix, hex);

  if (self->cache_dir)
    return g_build_filename (self->cache_dir, name, NULL);
  return g_build_filename (g_get_user_cache_dir (), "teken", "revocation", name, NULL);
}

static GBytes *
cache_read (const char *path)
{
  char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return NULL;
  return g_bytes_new_take (data, len);
}

static void
cache_write (const char *path,
             GBytes     *data)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  /* A cache failure never fails the check. */
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !teken_atomic_file_set_contents (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                       TRUE, &error))
    g_debug ("Could not cache revocation data in %s: %s", path, error ? error->message : g_strerror (errno));
}

static gboolean
still_fresh (TekenRevocationInfo *info)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return info->next_update != NULL && g_date_time_compare (info->next_update, now) > 0;
}

static gboolean
offline_error (GError **error,
               X509    *cert)
{
  g_autofree char *name = cert_name (cert);

  /* translators: %s is a certificate name */
  g_set_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_OFFLINE,
               _("The revocation status of “%s” was not checked: working offline and nothing is cached"), name);
  return FALSE;
}

TekenRevocationInfo *
teken_revocation_checker_check_ocsp (TekenRevocationChecker  *self,
                                     X509                    *cert,
                                     X509                    *issuer,
                                     GCancellable            *cancellable,
                                     GError                 **error)
{
  g_autofree char *url = teken_cert_get_ocsp_url (cert);
  g_autoptr(OCSP_REQUEST) req = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *path = NULL;
  g_autoptr(TekenRevocationInfo) info = NULL;
  OCSP_CERTID *id;
  unsigned char *der = NULL;
  int len;

  g_return_val_if_fail (TEKEN_IS_REVOCATION_CHECKER (self), NULL);

  if (url == NULL)
    {
      g_autofree char *name = cert_name (cert);

      /* translators: %s is a certificate name */
      g_set_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_NO_SOURCE,
                   _("The certificate “%s” names no OCSP responder"), name);
      return NULL;
    }

  id = OCSP_cert_to_id (EVP_sha1 (), cert, issuer);
  req = OCSP_REQUEST_new ();
  if (id == NULL || req == NULL || OCSP_request_add0_id (req, id) == NULL)
    {
      OCSP_CERTID_free (id);
      return ocsp_error (error, TEKEN_REVOCATION_ERROR_BAD_RESPONSE, cert, _("the request cannot be built")), NULL;
    }

  /* The cache key is the certificate id (issuer name and key hashes, serial). */
  len = i2d_OCSP_CERTID (id, &der);
  path = cache_path (self, "ocsp", der, len > 0 ? len : 0);
  OPENSSL_free (der);
  der = NULL;
  {
    g_autoptr(GBytes) cached = cache_read (path);

    if (cached != NULL)
      {
        info = teken_ocsp_check_response (cached, cert, issuer, NULL, now, NULL);
        if (info != NULL && still_fresh (info))
          {
            info->from_cache = TRUE;
            info->url = g_strdup (url);
            return g_steal_pointer (&info);
          }
        g_clear_pointer (&info, teken_revocation_info_free);
      }
  }
  if (self->offline)
    return offline_error (error, cert), NULL;

  OCSP_request_add1_nonce (req, NULL, 16);
  len = i2d_OCSP_REQUEST (req, &der);
  if (len <= 0)
    return ocsp_error (error, TEKEN_REVOCATION_ERROR_BAD_RESPONSE, cert, _("the request cannot be built")), NULL;
  body = g_bytes_new (der, len);
  OPENSSL_free (der);

  answer = teken_http_post_sync (self->http, url, "application/ocsp-request", body,
                                 NULL, NULL, cancellable, error);
  if (answer == NULL)
    return NULL;
  if (g_bytes_get_size (answer) > MAX_OCSP_RESPONSE)
    return ocsp_error (error, TEKEN_REVOCATION_ERROR_BAD_RESPONSE, cert, _("it is too large")), NULL;
  info = teken_ocsp_check_response (answer, cert, issuer, req, now, error);
  if (info == NULL)
    return NULL;
  info->url = g_strdup (url);
  if (info->next_update != NULL)
    cache_write (path, answer);
  return g_steal_pointer (&info);
}

TekenRevocationInfo *
teken_revocation_checker_check_crl (TekenRevocationChecker  *self,
                                    X509                    *cert,
                                    X509                    *issuer,
                                    GCancellable            *cancellable,
                                    GError                 **error)
{
  g_auto(GStrv) urls = teken_cert_get_crl_urls (cert);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) first_error = NULL;

  g_return_val_if_fail (TEKEN_IS_REVOCATION_CHECKER (self), NULL);

  if (urls == NULL)
    {
      g_autofree char *name = cert_name (cert);

      /* translators: %s is a certificate name */
      g_set_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_NO_SOURCE,
                   _("The certificate “%s” names no revocation list (CRL)"), name);
      return NULL;
    }

  for (guint i = 0; urls[i] != NULL; i++)
    {
      g_autofree char *path = cache_path (self, "crl", (const guint8 *) urls[i], strlen (urls[i]));
      g_autoptr(GBytes) cached = cache_read (path);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) local_error = NULL;
      TekenRevocationInfo *info;

      if (cached != NULL)
        {
          info = teken_crl_check (cached, cert, issuer, now, NULL);
          if (info != NULL && still_fresh (info))
            {
              info->from_cache = TRUE;
              info->url = g_strdup (urls[i]);
              return info;
            }
          teken_revocation_info_free (info);
        }
      if (self->offline)
        continue;

      answer = teken_http_get_sync (self->http, urls[i], cancellable, &local_error);
      if (answer != NULL && g_bytes_get_size (answer) > MAX_CRL)
        g_set_error (&local_error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_BAD_RESPONSE,
                     _("The revocation list (CRL) is too large"));
      info = local_error ? NULL : teken_crl_check (answer, cert, issuer, now, &local_error);
      if (info != NULL)
        {
          info->url = g_strdup (urls[i]);
          if (info->next_update != NULL)
            cache_write (path, info->data);
          return info;
        }
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (first_error == NULL)
        first_error = g_steal_pointer (&local_error);
    }
  if (first_error != NULL)
    g_propagate_error (error, g_steal_pointer (&first_error));
  else
    offline_error (error, cert);
  return NULL;
}

TekenRevocationInfo *
teken_revocation_checker_check (TekenRevocationChecker  *self,
                                X509                    *cert,
                                X509                    *issuer,
                                GCancellable            *cancellable,
                                GError                 **error)
{
  g_autoptr(GError) ocsp_err = NULL;
  g_autoptr(GError) crl_err = NULL;
  TekenRevocationInfo *info;

  info = teken_revocation_checker_check_ocsp (self, cert, issuer, cancellable, &ocsp_err);
  if (info != NULL)
    return info;
  if (g_error_matches (ocsp_err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&ocsp_err));
      return NULL;
    }
  info = teken_revocation_checker_check_crl (self, cert, issuer, cancellable, &crl_err);
  if (info != NULL)
    return info;

  if (g_error_matches (ocsp_err, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_NO_SOURCE) &&
      g_error_matches (crl_err, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_NO_SOURCE))
    {
      g_autofree char *name = cert_name (cert);

      /* translators: %s is a certificate name */
      g_set_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_NO_SOURCE,
                   _("The certificate “%s” names no OCSP responder and no revocation list (CRL), so its revocation status cannot be checked"),
                   name);
    }
  else if (g_error_matches (ocsp_err, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_NO_SOURCE))
    g_propagate_error (error, g_steal_pointer (&crl_err));
  else if (g_error_matches (crl_err, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_NO_SOURCE))
    g_propagate_error (error, g_steal_pointer (&ocsp_err));
  else
    /* translators: two sentences explaining why OCSP and the CRL failed */
    g_set_error (error, ocsp_err->domain, ocsp_err->code, _("%s; the revocation list also failed: %s"),
                 ocsp_err->message, crl_err->message);
  return NULL;
}

/* --- Validation data ----------------------------------------------------------------------- */

static void
bytes_unref0 (gpointer p)
{
  g_bytes_unref (p);
}

TekenValidationData *
teken_validation_data_new (void)
{
  TekenValidationData *data = g_new0 (TekenValidationData, 1);

  data->certs = g_ptr_array_new_with_free_func (bytes_unref0);
  data->ocsps = g_ptr_array_new_with_free_func (bytes_unref0);
  data->crls = g_ptr_array_new_with_free_func (bytes_unref0);
  return data;
}

void
teken_validation_data_free (TekenValidationData *data)
{
  if (data == NULL)
    return;
  g_ptr_array_unref (data->certs);
  g_ptr_array_unref (data->ocsps);
  g_ptr_array_unref (data->crls);
  g_free (data);
}

static gboolean
add_unique (GPtrArray *array,
            GBytes    *blob)
{
  for (guint i = 0; i < array->len; i++)
    if (g_bytes_equal (g_ptr_array_index (array, i), blob))
      return FALSE;
  g_ptr_array_add (array, g_bytes_ref (blob));
  return TRUE;
}

gboolean
teken_validation_data_add_cert (TekenValidationData *data,
                                X509                *cert)
{
  unsigned char *der = NULL;
  int len = i2d_X509 (cert, &der);
  g_autoptr(GBytes) blob = NULL;

  if (len <= 0)
    return FALSE;
  blob = g_bytes_new (der, len);
  OPENSSL_free (der);
  return add_unique (data->certs, blob);
}

void
teken_validation_data_add_info (TekenValidationData *data,
                                TekenRevocationInfo *info)
{
  add_unique (info->kind == TEKEN_REVOCATION_KIND_OCSP ? data->ocsps : data->crls, info->data);
  for (int i = 0; info->certs != NULL && i < sk_X509_num (info->certs); i++)
    teken_validation_data_add_cert (data, sk_X509_value (info->certs, i));
}

static gboolean
has_ocsp_nocheck (X509 *cert)
{
  return X509_get_ext_by_NID (cert, NID_id_pkix_OCSP_noCheck, -1) >= 0;
}

gboolean
teken_revocation_checker_gather (TekenRevocationChecker  *self,
                                 X509                    *leaf,
                                 STACK_OF (X509)         *pool,
                                 gboolean                 require_leaf,
                                 TekenValidationData     *data,
                                 GCancellable            *cancellable,
                                 GError                 **error)
{
  X509 *cur = leaf;

  for (guint depth = 0; cur != NULL && depth < MAX_CHAIN; depth++)
    {
      g_autoptr(TekenRevocationInfo) info = NULL;
      g_autofree char *ocsp_url = NULL;
      g_auto(GStrv) crl_urls = NULL;
      X509 *issuer;

      teken_validation_data_add_cert (data, cur);
      if (X509_check_issued (cur, cur) == X509_V_OK)
        break;  /* a root: nothing revokes it */
      issuer = teken_find_issuer (cur, pool);
      if (issuer == NULL && cur != leaf)
        break;  /* an intermediate whose root we do not have: nothing more to check or add */
      if (issuer == NULL)
        {
          g_autofree char *name = cert_name (cur);

          /* translators: %s is a certificate name */
          g_set_error (error, TEKEN_REVOCATION_ERROR, TEKEN_REVOCATION_ERROR_NO_SOURCE,
                       _("The issuer of “%s” is not known, so its revocation status cannot be checked"), name);
          return FALSE;
        }
      ocsp_url = teken_cert_get_ocsp_url (cur);
      crl_urls = teken_cert_get_crl_urls (cur);
      if (has_ocsp_nocheck (cur) || (ocsp_url == NULL && crl_urls == NULL && (cur != leaf || !require_leaf)))
        {
          cur = issuer;
          continue;
        }
      info = teken_revocation_checker_check (self, cur, issuer, cancellable, error);
      if (info == NULL)
        return FALSE;
      teken_validation_data_add_info (data, info);
      cur = issuer;
    }
  return TRUE;
}
