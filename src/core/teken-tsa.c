/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-tsa.h"
#include "teken-x509-util.h"

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/tserr.h>

G_DEFINE_QUARK (teken-tsa-error-quark, teken_tsa_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TS_MSG_IMPRINT, TS_MSG_IMPRINT_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_ALGOR, X509_ALGOR_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_INTEGER, ASN1_INTEGER_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TS_TST_INFO, TS_TST_INFO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS7, PKCS7_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TS_VERIFY_CTX, TS_VERIFY_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)

/* OPENSSL_free is a macro; GBytes needs a function. */
static void
crypto_free (gpointer p)
{
  OPENSSL_free (p);
}

/* A token is a few kilobytes; anything far bigger is not a TSA answering us. */
#define MAX_TSA_RESPONSE (1u << 20)

struct _TekenTsaClient
{
  GObject parent_instance;

  char *url;
  TekenHttp *http;
  TekenHttpAuth *auth;
};

G_DEFINE_FINAL_TYPE (TekenTsaClient, teken_tsa_client, G_TYPE_OBJECT)

static void
teken_tsa_client_finalize (GObject *object)
{
  TekenTsaClient *self = TEKEN_TSA_CLIENT (object);

  g_free (self->url);
  g_clear_object (&self->http);
  g_clear_pointer (&self->auth, teken_http_auth_free);
  G_OBJECT_CLASS (teken_tsa_client_parent_class)->finalize (object);
}

static void
teken_tsa_client_class_init (TekenTsaClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_tsa_client_finalize;
}

static void
teken_tsa_client_init (TekenTsaClient *self)
{
}

TekenTsaClient *
teken_tsa_client_new (const char *url,
                      TekenHttp  *http)
{
  TekenTsaClient *self = g_object_new (TEKEN_TYPE_TSA_CLIENT, NULL);

  self->url = g_strdup (url);
  if (http != NULL)
    self->http = g_object_ref (http);
  else
    {
      self->http = teken_http_new ();
      teken_http_set_max_size (self->http, MAX_TSA_RESPONSE);
    }
  return self;
}

const char *
teken_tsa_client_get_url (TekenTsaClient *self)
{
  g_return_val_if_fail (TEKEN_IS_TSA_CLIENT (self), NULL);
  return self->url;
}

TekenHttp *
teken_tsa_client_get_http (TekenTsaClient *self)
{
  g_return_val_if_fail (TEKEN_IS_TSA_CLIENT (self), NULL);
  return self->http;
}

void
teken_tsa_client_set_auth (TekenTsaClient *self,
                           TekenHttpAuth  *auth)
{
  g_return_if_fail (TEKEN_IS_TSA_CLIENT (self));
  g_clear_pointer (&self->auth, teken_http_auth_free);
  self->auth = auth;
}

static char *
tsa_host (TekenTsaClient *self)
{
  g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);

  return g_strdup (uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : self->url);
}

static TS_REQ *
build_request (const EVP_MD  *md,
               const guint8  *digest,
               gsize          digest_len,
               ASN1_INTEGER **nonce_out)
{
  g_autoptr(TS_REQ) req = TS_REQ_new ();
  g_autoptr(TS_MSG_IMPRINT) imprint = TS_MSG_IMPRINT_new ();
  g_autoptr(X509_ALGOR) algo = X509_ALGOR_new ();
  g_autoptr(BIGNUM) bn = BN_new ();
  g_autoptr(ASN1_INTEGER) nonce = NULL;

  if (req == NULL || imprint == NULL || algo == NULL || bn == NULL)
    return NULL;
  X509_ALGOR_set0 (algo, OBJ_nid2obj (EVP_MD_get_type (md)), V_ASN1_NULL, NULL);
  /* A 64-bit random nonce ties the answer to this request (RFC 3161 §2.4.1). */
  if (!BN_rand (bn, 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) ||
      (nonce = BN_to_ASN1_INTEGER (bn, NULL)) == NULL)
    return NULL;
  if (!TS_REQ_set_version (req, 1) ||
      !TS_MSG_IMPRINT_set_algo (imprint, algo) ||
      !TS_MSG_IMPRINT_set_msg (imprint, (unsigned char *) digest, digest_len) ||
      !TS_REQ_set_msg_imprint (req, imprint) ||
      !TS_REQ_set_nonce (req, nonce) ||
      !TS_REQ_set_cert_req (req, 1))
    return NULL;
  *nonce_out = g_steal_pointer (&nonce);
  return g_steal_pointer (&req);
}

static char *
status_text (TS_STATUS_INFO *info)
{
  const STACK_OF (ASN1_UTF8STRING) *texts = TS_STATUS_INFO_get0_text (info);
  g_autoptr(GString) str = g_string_new (NULL);

  for (int i = 0; texts != NULL && i < sk_ASN1_UTF8STRING_num (texts); i++)
    {
      ASN1_UTF8STRING *s = sk_ASN1_UTF8STRING_value (texts, i);

      if (str->len)
        g_string_append (str, "; ");
      g_string_append_len (str, (const char *) ASN1_STRING_get0_data (s), ASN1_STRING_length (s));
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

static gboolean
bad_response (TekenTsaClient  *self,
              GError         **error)
{
  g_autofree char *host = tsa_host (self);

  ERR_clear_error ();
  /* translators: %s is the time-stamp server's name */
  g_set_error (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_BAD_RESPONSE,
               _("The time-stamp server %s sent an answer that is not a valid RFC 3161 time-stamp response"),
               host);
  return FALSE;
}

static gboolean
check_response (TekenTsaClient  *self,
                TS_RESP         *resp,
                const EVP_MD    *md,
                const guint8    *digest,
                gsize            digest_len,
                ASN1_INTEGER    *nonce,
                GError         **error)
{
  g_autofree char *host = tsa_host (self);
  TS_STATUS_INFO *info = TS_RESP_get_status_info (resp);
  long status = info ? ASN1_INTEGER_get (TS_STATUS_INFO_get0_status (info)) : -1;
  TS_TST_INFO *tst;
  TS_MSG_IMPRINT *imprint;
  ASN1_OCTET_STRING *msg;

  if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS)
    {
      g_autofree char *text = info ? status_text (info) : g_strdup ("");

      /* translators: the first %s is the server's name, %ld its status code, the last %s its explanation */
      g_set_error (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_REJECTED,
                   _("The time-stamp server %s refused the request (status %ld) %s"),
                   host, status, text);
      return FALSE;
    }
  tst = TS_RESP_get_tst_info (resp);
  if (TS_RESP_get_token (resp) == NULL || tst == NULL)
    return bad_response (self, error);
  if (TS_TST_INFO_get_nonce (tst) == NULL ||
      ASN1_INTEGER_cmp (TS_TST_INFO_get_nonce (tst), nonce) != 0)
    {
      /* translators: %s is the server's name */
      g_set_error (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_MISMATCH,
                   _("The time stamp from %s does not answer this request (nonce differs)"), host);
      return FALSE;
    }
  imprint = TS_TST_INFO_get_msg_imprint (tst);
  msg = TS_MSG_IMPRINT_get_msg (imprint);
  if (OBJ_obj2nid (TS_MSG_IMPRINT_get_algo (imprint)->algorithm) != EVP_MD_get_type (md) ||
      ASN1_STRING_length (msg) != (int) digest_len ||
      memcmp (ASN1_STRING_get0_data (msg), digest, digest_len) != 0)
    {
      /* translators: %s is the server's name */
      g_set_error (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_MISMATCH,
                   _("The time stamp from %s is for different data than was sent"), host);
      return FALSE;
    }
  return TRUE;
}

GBytes *
teken_tsa_client_stamp_digest_sync (TekenTsaClient  *self,
                                    const EVP_MD    *md,
                                    const guint8    *digest,
                                    gsize            digest_len,
                                    GCancellable    *cancellable,
                                    GError         **error)
{
  g_autoptr(ASN1_INTEGER) nonce = NULL;
  g_autoptr(TS_REQ) req = NULL;
  g_autoptr(TS_RESP) resp = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  const unsigned char *p;
  unsigned char *der = NULL;
  int len;

  g_return_val_if_fail (TEKEN_IS_TSA_CLIENT (self), NULL);

  if (self->url == NULL || *self->url == '\0')
    {
      g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_NOT_CONFIGURED,
                           _("No time-stamp server is configured; give one with --tsa or in the settings"));
      return NULL;
    }
  req = build_request (md, digest, digest_len, &nonce);
  if (req == NULL || (len = i2d_TS_REQ (req, &der)) <= 0)
    {
      g_autofree char *detail = teken_openssl_error_string ();

      /* translators: %s is a technical detail */
      g_set_error (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_BAD_RESPONSE,
                   _("Could not build the time-stamp request: %s"), detail);
      return NULL;
    }
  body = g_bytes_new_with_free_func (der, len, crypto_free, der);
  answer = teken_http_post_sync (self->http, self->url, "application/timestamp-query", body,
                                 NULL, self->auth, cancellable, error);
  if (answer == NULL)
    return NULL;

  p = g_bytes_get_data (answer, NULL);
  resp = d2i_TS_RESP (NULL, &p, g_bytes_get_size (answer));
  if (resp == NULL)
    return bad_response (self, error), NULL;
  if (!check_response (self, resp, md, digest, digest_len, nonce, error))
    return NULL;

  der = NULL;
  len = i2d_PKCS7 (TS_RESP_get_token (resp), &der);
  if (len <= 0)
    return bad_response (self, error), NULL;
  return g_bytes_new_with_free_func (der, len, crypto_free, der);
}

GBytes *
teken_tsa_client_stamp_sync (TekenTsaClient  *self,
                             const guint8    *data,
                             gsize            len,
                             GCancellable    *cancellable,
                             GError         **error)
{
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;

  if (!EVP_Digest (data, len, digest, &digest_len, EVP_sha256 (), NULL))
    {
      g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_BAD_RESPONSE,
                           _("Could not compute the SHA-256 hash for the time stamp"));
      return NULL;
    }
  return teken_tsa_client_stamp_digest_sync (self, EVP_sha256 (), digest, digest_len,
                                             cancellable, error);
}

static void
stamp_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GBytes *data = task_data;
  GError *error = NULL;
  GBytes *token = teken_tsa_client_stamp_sync (source_object, g_bytes_get_data (data, NULL),
                                               g_bytes_get_size (data), cancellable, &error);

  if (token == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify) g_bytes_unref);
}

void
teken_tsa_client_stamp_async (TekenTsaClient      *self,
                              GBytes              *data,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, teken_tsa_client_stamp_async);
  g_task_set_task_data (task, g_bytes_ref (data), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, stamp_thread);
}

GBytes *
teken_tsa_client_stamp_finish (TekenTsaClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Tokens ------------------------------------------------------------------------------- */

void
teken_tsa_token_info_free (TekenTsaTokenInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->gen_time, g_date_time_unref);
  g_free (info->tsa_name);
  g_free (info->policy);
  g_free (info->serial);
  g_clear_pointer (&info->imprint, g_bytes_unref);
  X509_free (info->signer);
  sk_X509_pop_free (info->certs, X509_free);
  g_free (info);
}

static PKCS7 *
token_to_pkcs7 (GBytes  *token,
                GError **error)
{
  const unsigned char *p = g_bytes_get_data (token, NULL);
  PKCS7 *p7 = token ? d2i_PKCS7 (NULL, &p, g_bytes_get_size (token)) : NULL;

  if (p7 == NULL || !PKCS7_type_is_signed (p7))
    {
      PKCS7_free (p7);
      ERR_clear_error ();
      g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_INVALID_TOKEN,
                           _("The time stamp cannot be read: it is not an RFC 3161 time-stamp token"));
      return NULL;
    }
  return p7;
}

TekenTsaTokenInfo *
teken_tsa_token_parse (GBytes  *token,
                       GError **error)
{
  g_autoptr(PKCS7) p7 = token_to_pkcs7 (token, error);
  g_autoptr(TS_TST_INFO) tst = NULL;
  g_autoptr(TekenTsaTokenInfo) info = NULL;
  STACK_OF (X509) *signers;
  STACK_OF (X509) *certs;
  TS_MSG_IMPRINT *imprint;
  ASN1_OCTET_STRING *msg;
  char oid[128];

  if (p7 == NULL)
    return NULL;
  tst = PKCS7_to_TS_TST_INFO (p7);
  if (tst == NULL)
    {
      ERR_clear_error ();
      g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_INVALID_TOKEN,
                           _("The time stamp cannot be read: it is not an RFC 3161 time-stamp token"));
      return NULL;
    }

  info = g_new0 (TekenTsaTokenInfo, 1);
  info->gen_time = teken_asn1_time_to_date_time (TS_TST_INFO_get_time (tst));
  if (info->gen_time == NULL)
    {
      g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_INVALID_TOKEN,
                           _("The time stamp has no readable time"));
      return NULL;
    }
  if (TS_TST_INFO_get_policy_id (tst) &&
      OBJ_obj2txt (oid, sizeof oid, TS_TST_INFO_get_policy_id (tst), 1) > 0)
    info->policy = g_strdup (oid);
  if (TS_TST_INFO_get_serial (tst))
    {
      g_autoptr(BIGNUM) bn = ASN1_INTEGER_to_BN (TS_TST_INFO_get_serial (tst), NULL);
      char *hex = bn ? BN_bn2hex (bn) : NULL;

      info->serial = g_strdup (hex);
      OPENSSL_free (hex);
    }
  imprint = TS_TST_INFO_get_msg_imprint (tst);
  msg = TS_MSG_IMPRINT_get_msg (imprint);
  info->md = EVP_get_digestbyobj (TS_MSG_IMPRINT_get_algo (imprint)->algorithm);
  info->imprint = g_bytes_new (ASN1_STRING_get0_data (msg), ASN1_STRING_length (msg));

  certs = p7->d.sign->cert;
  if (certs != NULL)
    info->certs = X509_chain_up_ref (certs);
  signers = PKCS7_get0_signers (p7, NULL, 0);
  if (signers != NULL && sk_X509_num (signers) > 0)
    {
      info->signer = X509_dup (sk_X509_value (signers, 0));
      info->tsa_name = teken_x509_name_to_string (X509_get_subject_name (info->signer));
    }
  sk_X509_free (signers);
  ERR_clear_error ();
  if (info->tsa_name == NULL && TS_TST_INFO_get_tsa (tst) != NULL &&
      TS_TST_INFO_get_tsa (tst)->type == GEN_DIRNAME)
    info->tsa_name = teken_x509_name_to_string (TS_TST_INFO_get_tsa (tst)->d.directoryName);
  return g_steal_pointer (&info);
}

/* A private copy of the trust store whose verification time is `at` (the caller's store is shared). */
static X509_STORE *
store_at_time (X509_STORE *trust,
               GDateTime  *at)
{
  X509_STORE *store = X509_STORE_new ();
  STACK_OF (X509_OBJECT) *objs = X509_STORE_get0_objects (trust);

  for (int i = 0; i < sk_X509_OBJECT_num (objs); i++)
    {
      X509 *cert = X509_OBJECT_get0_X509 (sk_X509_OBJECT_value (objs, i));

      if (cert != NULL)
        X509_STORE_add_cert (store, cert);
    }
  X509_VERIFY_PARAM_set_time (X509_STORE_get0_param (store), g_date_time_to_unix (at));
  return store;
}

gboolean
teken_tsa_token_verify_digest (GBytes          *token,
                               const guint8    *digest,
                               gsize            digest_len,
                               X509_STORE      *trust,
                               STACK_OF (X509) *extra,
                               GError         **error)
{
  g_autoptr(PKCS7) p7 = token_to_pkcs7 (token, error);
  g_autoptr(TekenTsaTokenInfo) info = NULL;
  g_autoptr(TS_VERIFY_CTX) ctx = NULL;
  int flags = TS_VFY_VERSION | TS_VFY_IMPRINT;
  gboolean untrusted = FALSE;
  unsigned long err;

  if (p7 == NULL || (info = teken_tsa_token_parse (token, error)) == NULL)
    return FALSE;

  if (g_bytes_get_size (info->imprint) != digest_len ||
      memcmp (g_bytes_get_data (info->imprint, NULL), digest, digest_len) != 0)
    {
      g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_INVALID_TOKEN,
                           _("The time stamp belongs to other data: its message imprint does not match"));
      return FALSE;
    }

  ctx = TS_VERIFY_CTX_new ();
  TS_VERIFY_CTX_set_imprint (ctx, OPENSSL_memdup (digest, digest_len), digest_len);
  if (trust != NULL)
    {
      flags |= TS_VFY_SIGNATURE;
      TS_VERIFY_CTX_set_store (ctx, store_at_time (trust, info->gen_time));
      if (extra != NULL)
        TS_VERIFY_CTX_set_certs (ctx, X509_chain_up_ref (extra));
    }
  else
    {
      /* No trust decision wanted (a freshly received token): still check the CMS signature. */
      g_autoptr(BIO) out = BIO_new (BIO_s_null ());

      if (PKCS7_verify (p7, NULL, NULL, NULL, out, PKCS7_NOVERIFY | PKCS7_NOCHAIN) != 1)
        {
          ERR_clear_error ();
          g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_INVALID_TOKEN,
                               _("The time stamp’s own signature is not valid"));
          return FALSE;
        }
    }
  TS_VERIFY_CTX_add_flags (ctx, flags);

  if (TS_RESP_verify_token (ctx, p7) == 1)
    return TRUE;

  while ((err = ERR_get_error ()) != 0)
    if (ERR_GET_LIB (err) == ERR_LIB_TS &&
        (ERR_GET_REASON (err) == TS_R_CERTIFICATE_VERIFY_ERROR ||
         ERR_GET_REASON (err) == TS_R_ESS_SIGNING_CERTIFICATE_ERROR ||
         ERR_GET_REASON (err) == TS_R_INVALID_SIGNER_CERTIFICATE_PURPOSE))
      untrusted = TRUE;
  if (untrusted)
    {
      /* translators: %s is the time-stamp authority's name */
      g_set_error (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_UNTRUSTED,
                   _("The time-stamp authority “%s” is not trusted (its certificate does not lead to a trusted root or is not for time stamping)"),
                   info->tsa_name ? info->tsa_name : "?");
      return FALSE;
    }
  g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_INVALID_TOKEN,
                       _("The time stamp is not valid: its signature or content does not check out"));
  return FALSE;
}

gboolean
teken_tsa_token_verify (GBytes          *token,
                        const guint8    *data,
                        gsize            len,
                        X509_STORE      *trust,
                        STACK_OF (X509) *extra,
                        GError         **error)
{
  g_autoptr(TekenTsaTokenInfo) info = teken_tsa_token_parse (token, error);
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;

  if (info == NULL)
    return FALSE;
  if (info->md == NULL || !EVP_Digest (data, len, digest, &digest_len, info->md, NULL))
    {
      ERR_clear_error ();
      g_set_error_literal (error, TEKEN_TSA_ERROR, TEKEN_TSA_ERROR_INVALID_TOKEN,
                           _("The time stamp uses an unknown hash algorithm"));
      return FALSE;
    }
  return teken_tsa_token_verify_digest (token, digest, digest_len, trust, extra, error);
}
