/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-cms.h"

#include <openssl/err.h>
#include <openssl/rsa.h>

struct _TekenCmsBuilder
{
  GObject parent_instance;

  TekenKey *key;
  TekenDigest digest;
  TekenSignScheme scheme;
  gboolean cades;
  GDateTime *signing_time;

  CMS_ContentInfo *cms;
  CMS_SignerInfo *si;      /* owned by cms */
  GBytes *signature;
};

G_DEFINE_FINAL_TYPE (TekenCmsBuilder, teken_cms_builder, G_TYPE_OBJECT)

G_DEFINE_QUARK (teken-cms-error-quark, teken_cms_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_ALGOR, X509_ALGOR_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RSA_PSS_PARAMS, RSA_PSS_PARAMS_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_STRING, ASN1_STRING_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_TYPE, ASN1_TYPE_free)

static gboolean
set_openssl_error (GError     **error,
                   const char  *message)
{
  g_autofree char *detail = teken_openssl_error_string ();

  if (detail != NULL && *detail != '\0')
    g_set_error (error, TEKEN_CMS_ERROR, TEKEN_CMS_ERROR_FAILED, "%s (%s)", message, detail);
  else
    g_set_error_literal (error, TEKEN_CMS_ERROR, TEKEN_CMS_ERROR_FAILED, message);
  return FALSE;
}

static void
teken_cms_builder_finalize (GObject *object)
{
  TekenCmsBuilder *self = TEKEN_CMS_BUILDER (object);

  g_clear_object (&self->key);
  g_clear_pointer (&self->signing_time, g_date_time_unref);
  g_clear_pointer (&self->cms, CMS_ContentInfo_free);
  g_clear_pointer (&self->signature, g_bytes_unref);

  G_OBJECT_CLASS (teken_cms_builder_parent_class)->finalize (object);
}

static void
teken_cms_builder_class_init (TekenCmsBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_cms_builder_finalize;
}

static void
teken_cms_builder_init (TekenCmsBuilder *self)
{
  self->cades = TRUE;
}

TekenCmsBuilder *
teken_cms_builder_new (TekenKey    *key,
                       TekenDigest  digest)
{
  TekenCmsBuilder *self;

  g_return_val_if_fail (TEKEN_IS_KEY (key), NULL);

  self = g_object_new (TEKEN_TYPE_CMS_BUILDER, NULL);
  self->key = g_object_ref (key);
  self->digest = digest;
  self->scheme = teken_key_get_default_scheme (key);
  return self;
}

TekenKey *
teken_cms_builder_get_key (TekenCmsBuilder *self)
{
  g_return_val_if_fail (TEKEN_IS_CMS_BUILDER (self), NULL);
  return self->key;
}

TekenDigest
teken_cms_builder_get_digest (TekenCmsBuilder *self)
{
  g_return_val_if_fail (TEKEN_IS_CMS_BUILDER (self), TEKEN_DIGEST_SHA256);
  return self->digest;
}

void
teken_cms_builder_set_scheme (TekenCmsBuilder *self,
                              TekenSignScheme  scheme)
{
  g_return_if_fail (TEKEN_IS_CMS_BUILDER (self));
  self->scheme = scheme;
}

TekenSignScheme
teken_cms_builder_get_scheme (TekenCmsBuilder *self)
{
  g_return_val_if_fail (TEKEN_IS_CMS_BUILDER (self), TEKEN_SIGN_SCHEME_RSA_PKCS1);
  return self->scheme;
}

void
teken_cms_builder_set_cades (TekenCmsBuilder *self,
                             gboolean         cades)
{
  g_return_if_fail (TEKEN_IS_CMS_BUILDER (self));
  self->cades = !!cades;
}

void
teken_cms_builder_set_signing_time (TekenCmsBuilder *self,
                                    GDateTime       *time)
{
  g_return_if_fail (TEKEN_IS_CMS_BUILDER (self));

  g_clear_pointer (&self->signing_time, g_date_time_unref);
  if (time != NULL)
    self->signing_time = g_date_time_ref (time);
}

/* RSASSA-PSS-params: hash = digest, MGF1 with the same digest, salt = digest length. */
static ASN1_STRING *
pss_params_new (const EVP_MD *md)
{
  g_autoptr(RSA_PSS_PARAMS) pss = RSA_PSS_PARAMS_new ();
  g_autoptr(X509_ALGOR) mgf_md = X509_ALGOR_new ();
  ASN1_STRING *mgf_param;

  if (pss == NULL || mgf_md == NULL)
    return NULL;
  X509_ALGOR_set_md (mgf_md, md);
  mgf_param = ASN1_item_pack (mgf_md, ASN1_ITEM_rptr (X509_ALGOR), NULL);
  pss->hashAlgorithm = X509_ALGOR_new ();
  pss->maskGenAlgorithm = X509_ALGOR_new ();
  pss->saltLength = ASN1_INTEGER_new ();
  if (mgf_param == NULL || pss->hashAlgorithm == NULL || pss->maskGenAlgorithm == NULL ||
      pss->saltLength == NULL)
    {
      ASN1_STRING_free (mgf_param);
      return NULL;
    }
  X509_ALGOR_set_md (pss->hashAlgorithm, md);
  X509_ALGOR_set0 (pss->maskGenAlgorithm, OBJ_nid2obj (NID_mgf1), V_ASN1_SEQUENCE, mgf_param);
  ASN1_INTEGER_set (pss->saltLength, EVP_MD_get_size (md));
  return ASN1_item_pack (pss, ASN1_ITEM_rptr (RSA_PSS_PARAMS), NULL);
}

/* SignerInfo.signatureAlgorithm, set explicitly for every scheme rather than left to
 * OpenSSL's key-type hooks (which need the private key). */
static gboolean
set_signature_algorithm (TekenCmsBuilder  *self,
                         GError          **error)
{
  const EVP_MD *md = teken_digest_get_md (self->digest);
  X509_ALGOR *alg = NULL;
  ASN1_STRING *params;
  int nid;

  /* digestAlgorithm stays as OpenSSL sets it: SHA-2 with absent parameters (RFC 5754 §2) */
  CMS_SignerInfo_get0_algs (self->si, NULL, NULL, NULL, &alg);
  switch (self->scheme)
    {
    case TEKEN_SIGN_SCHEME_RSA_PKCS1:
      return X509_ALGOR_set0 (alg, OBJ_nid2obj (NID_rsaEncryption), V_ASN1_NULL, NULL) ||
             set_openssl_error (error, _("Could not build the signature"));
    case TEKEN_SIGN_SCHEME_RSA_PSS:
      params = pss_params_new (md);
      if (params == NULL || !X509_ALGOR_set0 (alg, OBJ_nid2obj (NID_rsassaPss), V_ASN1_SEQUENCE, params))
        {
          ASN1_STRING_free (params);
          return set_openssl_error (error, _("Could not build the signature"));
        }
      return TRUE;
    case TEKEN_SIGN_SCHEME_ECDSA:
      nid = self->digest == TEKEN_DIGEST_SHA512 ? NID_ecdsa_with_SHA512 :
            self->digest == TEKEN_DIGEST_SHA384 ? NID_ecdsa_with_SHA384 : NID_ecdsa_with_SHA256;
      return X509_ALGOR_set0 (alg, OBJ_nid2obj (nid), V_ASN1_UNDEF, NULL) ||
             set_openssl_error (error, _("Could not build the signature"));
    case TEKEN_SIGN_SCHEME_EDDSA:
      return X509_ALGOR_set0 (alg, OBJ_nid2obj (NID_ED25519), V_ASN1_UNDEF, NULL) ||
             set_openssl_error (error, _("Could not build the signature"));
    default:
      g_set_error_literal (error, TEKEN_CMS_ERROR, TEKEN_CMS_ERROR_UNSUPPORTED,
                           _("This kind of signature is not supported"));
      return FALSE;
    }
}

static gboolean
check_combination (TekenCmsBuilder  *self,
                   GError          **error)
{
  X509 *cert = teken_key_get_certificate (self->key);

  if (cert == NULL)
    {
      g_set_error_literal (error, TEKEN_CMS_ERROR, TEKEN_CMS_ERROR_UNSUPPORTED,
                           _("The key has no certificate"));
      return FALSE;
    }
  if (teken_digest_get_md (self->digest) == NULL || !teken_key_supports_scheme (self->key, self->scheme))
    {
      g_set_error_literal (error, TEKEN_CMS_ERROR, TEKEN_CMS_ERROR_UNSUPPORTED,
                           _("This key cannot make this kind of signature"));
      return FALSE;
    }
  /* RFC 8419: Ed25519 with signed attributes uses SHA-512; Ed448 (SHAKE256) is not supported. */
  if (self->scheme == TEKEN_SIGN_SCHEME_EDDSA &&
      (EVP_PKEY_get_base_id (X509_get0_pubkey (cert)) != EVP_PKEY_ED25519 ||
       self->digest != TEKEN_DIGEST_SHA512))
    {
      g_set_error_literal (error, TEKEN_CMS_ERROR, TEKEN_CMS_ERROR_UNSUPPORTED,
                           _("Ed25519 signatures must use SHA-512; Ed448 is not supported"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_chain (TekenCmsBuilder  *self,
           GError          **error)
{
  X509 *cert = teken_key_get_certificate (self->key);
  STACK_OF (X509) *chain = teken_key_get_chain (self->key);
  g_autoptr(TekenX509Stack) added = sk_X509_new_null ();

  sk_X509_push (added, X509_dup (cert));
  for (int i = 0; chain != NULL && i < sk_X509_num (chain); i++)
    {
      X509 *c = sk_X509_value (chain, i);
      gboolean dup = FALSE;

      for (int j = 0; !dup && j < sk_X509_num (added); j++)
        dup = X509_cmp (c, sk_X509_value (added, j)) == 0;
      if (dup)
        continue;
      if (!CMS_add1_cert (self->cms, c))
        return set_openssl_error (error, _("Could not add the certificate chain to the signature"));
      sk_X509_push (added, X509_dup (c));
    }
  return TRUE;
}

static gboolean
add_signed_attributes (TekenCmsBuilder  *self,
                       const guint8     *content_digest,
                       gsize             digest_len,
                       GError          **error)
{
  if (!CMS_signed_add1_attr_by_NID (self->si, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                    OBJ_nid2obj (NID_pkcs7_data), -1) ||
      !CMS_signed_add1_attr_by_NID (self->si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING,
                                    content_digest, (int) digest_len))
    return set_openssl_error (error, _("Could not build the signature"));

  if (!self->cades)
    {
      g_autoptr(ASN1_TIME) tm = NULL;
      gint64 when = self->signing_time != NULL ? g_date_time_to_unix (self->signing_time)
                                               : g_get_real_time () / G_USEC_PER_SEC;

      tm = ASN1_TIME_set (NULL, (time_t) when);
      if (tm == NULL ||
          !CMS_signed_add1_attr_by_NID (self->si, NID_pkcs9_signingTime, tm->type, tm, -1))
        return set_openssl_error (error, _("Could not build the signature"));
    }
  return TRUE;
}

/* The DER of the signed attributes as a SET OF: the bytes the signature covers (RFC 5652 §5.4). */
static GBytes *
encode_signed_attributes (TekenCmsBuilder  *self,
                          GError          **error)
{
  STACK_OF (X509_ATTRIBUTE) *attrs = sk_X509_ATTRIBUTE_new_null ();
  unsigned char *der = NULL;
  int len;
  GBytes *bytes;

  for (int i = 0; i < CMS_signed_get_attr_count (self->si); i++)
    sk_X509_ATTRIBUTE_push (attrs, CMS_signed_get_attr (self->si, i));
  len = ASN1_item_i2d ((ASN1_VALUE *) attrs, &der, ASN1_ITEM_rptr (PKCS7_ATTR_SIGN));
  sk_X509_ATTRIBUTE_free (attrs);
  if (len <= 0)
    {
      set_openssl_error (error, _("Could not build the signature"));
      return NULL;
    }
  bytes = g_bytes_new (der, len);
  OPENSSL_free (der);
  return bytes;
}

gboolean
teken_cms_builder_sign (TekenCmsBuilder  *self,
                        const guint8     *content_digest,
                        gsize             digest_len,
                        GCancellable     *cancellable,
                        GError          **error)
{
  X509 *cert;
  g_autoptr(GBytes) tbs = NULL;
  g_autoptr(GBytes) sig = NULL;
  const guint8 *sig_data;
  gsize sig_len;

  g_return_val_if_fail (TEKEN_IS_CMS_BUILDER (self), FALSE);
  g_return_val_if_fail (self->cms == NULL, FALSE);

  if (!check_combination (self, error))
    return FALSE;
  if (content_digest == NULL || digest_len != teken_digest_get_size (self->digest))
    {
      g_set_error_literal (error, TEKEN_CMS_ERROR, TEKEN_CMS_ERROR_INVALID,
                           _("The content digest has the wrong length"));
      return FALSE;
    }

  ERR_clear_error ();
  cert = teken_key_get_certificate (self->key);
  self->cms = CMS_sign (NULL, NULL, NULL, NULL, CMS_DETACHED | CMS_BINARY | CMS_PARTIAL);
  /* Only the public key is handed to OpenSSL: the signature itself comes from teken_key_sign(),
   * and CMS_final()/CMS_SignerInfo_sign() (which would add signingTime) are never called. */
  if (self->cms != NULL)
    self->si = CMS_add1_signer (self->cms, cert, X509_get0_pubkey (cert),
                                teken_digest_get_md (self->digest),
                                CMS_BINARY | CMS_PARTIAL | CMS_CADES | CMS_NOSMIMECAP);
  if (self->si == NULL)
    {
      g_clear_pointer (&self->cms, CMS_ContentInfo_free);
      return set_openssl_error (error, _("Could not build the signature"));
    }
  if (!set_signature_algorithm (self, error) ||
      !add_chain (self, error) ||
      !add_signed_attributes (self, content_digest, digest_len, error))
    goto fail;

  tbs = encode_signed_attributes (self, error);
  if (tbs == NULL)
    goto fail;
  sig = teken_key_sign (self->key, self->digest, self->scheme,
                        g_bytes_get_data (tbs, NULL), g_bytes_get_size (tbs),
                        cancellable, error);
  if (sig == NULL)
    goto fail;
  sig_data = g_bytes_get_data (sig, &sig_len);
  if (!ASN1_STRING_set (CMS_SignerInfo_get0_signature (self->si), sig_data, (int) sig_len))
    {
      set_openssl_error (error, _("Could not build the signature"));
      goto fail;
    }
  self->signature = g_steal_pointer (&sig);
  return TRUE;

fail:
  g_clear_pointer (&self->cms, CMS_ContentInfo_free);
  self->si = NULL;
  return FALSE;
}

GBytes *
teken_cms_builder_get_signature_value (TekenCmsBuilder *self)
{
  g_return_val_if_fail (TEKEN_IS_CMS_BUILDER (self), NULL);
  return self->signature != NULL ? g_bytes_ref (self->signature) : NULL;
}

gboolean
teken_cms_builder_add_unsigned_attribute (TekenCmsBuilder  *self,
                                          const char       *oid,
                                          GBytes           *value_der,
                                          GError          **error)
{
  g_autoptr(ASN1_OBJECT) obj = NULL;
  g_autoptr(ASN1_TYPE) value = NULL;
  const unsigned char *p;
  gsize len;

  g_return_val_if_fail (TEKEN_IS_CMS_BUILDER (self), FALSE);
  g_return_val_if_fail (self->si != NULL, FALSE);
  g_return_val_if_fail (oid != NULL && value_der != NULL, FALSE);

  obj = OBJ_txt2obj (oid, 1);
  p = g_bytes_get_data (value_der, &len);
  value = len > 0 && len < G_MAXINT ? d2i_ASN1_TYPE (NULL, &p, (long) len) : NULL;
  if (obj == NULL || value == NULL || p != (const unsigned char *) g_bytes_get_data (value_der, NULL) + len)
    {
      ERR_clear_error ();
      g_set_error_literal (error, TEKEN_CMS_ERROR, TEKEN_CMS_ERROR_INVALID,
                           _("The attribute is not valid DER"));
      return FALSE;
    }
  /* With len -1 OpenSSL copies the ASN1_TYPE's value (for a SEQUENCE: its complete DER). */
  if (!CMS_unsigned_add1_attr_by_OBJ (self->si, obj, ASN1_TYPE_get (value), value->value.ptr, -1))
    return set_openssl_error (error, _("Could not add the attribute to the signature"));
  return TRUE;
}

GBytes *
teken_cms_builder_serialize (TekenCmsBuilder  *self,
                             GError          **error)
{
  unsigned char *der = NULL;
  int len;
  GBytes *bytes;

  g_return_val_if_fail (TEKEN_IS_CMS_BUILDER (self), NULL);
  g_return_val_if_fail (self->cms != NULL, NULL);

  len = i2d_CMS_ContentInfo (self->cms, &der);
  if (len <= 0)
    {
      set_openssl_error (error, _("Could not encode the signature"));
      return NULL;
    }
  bytes = g_bytes_new (der, len);
  OPENSSL_free (der);
  return bytes;
}

gsize
teken_cms_estimate_size (TekenKey *key,
                         gsize     extra)
{
  X509 *cert = teken_key_get_certificate (key);
  STACK_OF (X509) *chain = teken_key_get_chain (key);
  gsize size = 0;

  if (cert != NULL)
    size += i2d_X509 (cert, NULL) * 2;   /* the certificate and its issuer/serial in the ESS and sid */
  for (int i = 0; chain != NULL && i < sk_X509_num (chain); i++)
    size += MAX (i2d_X509 (sk_X509_value (chain, i), NULL), 0);
  /* signature value, algorithm identifiers, attributes and framing */
  size += teken_key_get_max_signature_size (key) + 1024;
  return size + extra;
}
