/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-cert-info.h"
#include "teken-x509-util.h"

#include <string.h>
#include <openssl/pem.h>

struct _TekenCertInfo
{
  GObject parent_instance;

  X509 *cert;
  char *subject;
  char *issuer;
  char *common_name;
  char *organization;
  char *issuer_cn;
  char *description;
  char *title;
  GArray *subject_rows;   /* TekenCertNameRow, strings owned by `strings` */
  GArray *issuer_rows;
  GPtrArray *strings;     /* owned storage for row strings */
  char *serial;
  GDateTime *not_before;
  GDateTime *not_after;
  char *sha256;
  char *sha1;
  char *sha256_hex;
  GStrv key_usages;
  GStrv key_usage_ids;
  GStrv ekus;
  GStrv emails;
  GStrv dns_names;
  char *key_description;
  char *sig_alg;
  TekenCertificateKind kind;
};

G_DEFINE_FINAL_TYPE (TekenCertInfo, teken_cert_info, G_TYPE_OBJECT)

static void
teken_cert_info_finalize (GObject *object)
{
  TekenCertInfo *self = TEKEN_CERT_INFO (object);

  X509_free (self->cert);
  g_free (self->subject);
  g_free (self->issuer);
  g_free (self->common_name);
  g_free (self->organization);
  g_free (self->issuer_cn);
  g_free (self->description);
  g_free (self->title);
  g_array_unref (self->subject_rows);
  g_array_unref (self->issuer_rows);
  g_ptr_array_unref (self->strings);
  g_free (self->serial);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_free (self->sha256);
  g_free (self->sha1);
  g_free (self->sha256_hex);
  g_strfreev (self->key_usages);
  g_strfreev (self->key_usage_ids);
  g_strfreev (self->ekus);
  g_strfreev (self->emails);
  g_strfreev (self->dns_names);
  g_free (self->key_description);
  g_free (self->sig_alg);

  G_OBJECT_CLASS (teken_cert_info_parent_class)->finalize (object);
}

static void
teken_cert_info_class_init (TekenCertInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_cert_info_finalize;
}

static void
teken_cert_info_init (TekenCertInfo *self)
{
  self->subject_rows = g_array_new (FALSE, TRUE, sizeof (TekenCertNameRow));
  self->issuer_rows = g_array_new (FALSE, TRUE, sizeof (TekenCertNameRow));
  self->strings = g_ptr_array_new_with_free_func (g_free);
}

const char *
teken_certificate_kind_to_string (TekenCertificateKind kind)
{
  switch (kind)
    {
    case TEKEN_CERTIFICATE_KIND_INDIVIDU: return "individu";
    case TEKEN_CERTIFICATE_KIND_JABATAN: return "jabatan";
    case TEKEN_CERTIFICATE_KIND_SISTEM_ELEKTRONIK: return "sistem_elektronik";
    case TEKEN_CERTIFICATE_KIND_UNKNOWN:
    default: return "unknown";
    }
}

const char *
teken_certificate_kind_get_label (TekenCertificateKind kind)
{
  switch (kind)
    {
    case TEKEN_CERTIFICATE_KIND_INDIVIDU: return _("Personal (individu)");
    case TEKEN_CERTIFICATE_KIND_JABATAN: return _("Position or organization (jabatan)");
    case TEKEN_CERTIFICATE_KIND_SISTEM_ELEKTRONIK: return _("Electronic system (sistem elektronik)");
    case TEKEN_CERTIFICATE_KIND_UNKNOWN:
    default: return _("Unknown");
    }
}

static const char *
label_for_nid (int nid)
{
  switch (nid)
    {
    case NID_commonName: return _("Common name");
    case NID_organizationName: return _("Organization");
    case NID_organizationalUnitName: return _("Organizational unit");
    case NID_countryName: return _("Country");
    case NID_localityName: return _("Locality");
    case NID_stateOrProvinceName: return _("State or province");
    case NID_title: return _("Title");
    case NID_description: return _("Description");
    case NID_pkcs9_emailAddress: return _("E-mail address");
    case NID_serialNumber: return _("Serial number");
    case NID_givenName: return _("Given name");
    case NID_surname: return _("Surname");
    case NID_streetAddress: return _("Street address");
    case NID_postalCode: return _("Postal code");
    case NID_userId: return _("User ID");
    default: return _("Attribute");
    }
}

static void
fill_rows (TekenCertInfo   *self,
           const X509_NAME *name,
           GArray          *rows)
{
  int n = X509_NAME_entry_count (name);

  /* Most specific first, as people read "CN, OU, O, C". */
  for (int i = n - 1; i >= 0; i--)
    {
      const X509_NAME_ENTRY *entry = X509_NAME_get_entry (name, i);
      const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object (entry);
      int nid = OBJ_obj2nid (obj);
      TekenCertNameRow row;
      char *value = teken_asn1_string_to_utf8 (X509_NAME_ENTRY_get_data (entry));
      char *key;

      if (value == NULL)
        continue;
      if (nid != NID_undef && OBJ_nid2sn (nid) != NULL)
        key = g_strdup (OBJ_nid2sn (nid));
      else
        {
          char buf[128];

          OBJ_obj2txt (buf, sizeof buf, obj, 1);
          key = g_strdup (buf);
        }
      g_ptr_array_add (self->strings, key);
      g_ptr_array_add (self->strings, value);
      row.key = key;
      row.label = label_for_nid (nid);
      row.value = value;
      g_array_append_val (rows, row);
    }
}

static void
fill_fingerprints (TekenCertInfo *self)
{
  self->sha256 = teken_x509_digest_hex (self->cert, EVP_sha256 (), TRUE);
  self->sha256_hex = teken_x509_digest_hex (self->cert, EVP_sha256 (), FALSE);
  self->sha1 = teken_x509_digest_hex (self->cert, EVP_sha1 (), TRUE);
}

static void
fill_key_usage (TekenCertInfo *self)
{
  static const struct { guint32 bit; const char *id; const char *label; } usages[] = {
    { KU_DIGITAL_SIGNATURE, "digitalSignature", N_("Digital signature") },
    { KU_NON_REPUDIATION, "nonRepudiation", N_("Non-repudiation") },
    { KU_KEY_ENCIPHERMENT, "keyEncipherment", N_("Key encipherment") },
    { KU_DATA_ENCIPHERMENT, "dataEncipherment", N_("Data encipherment") },
    { KU_KEY_AGREEMENT, "keyAgreement", N_("Key agreement") },
    { KU_KEY_CERT_SIGN, "keyCertSign", N_("Certificate signing") },
    { KU_CRL_SIGN, "cRLSign", N_("CRL signing") },
    { KU_ENCIPHER_ONLY, "encipherOnly", N_("Encipher only") },
    { KU_DECIPHER_ONLY, "decipherOnly", N_("Decipher only") },
  };
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) ekus = g_strv_builder_new ();
  EXTENDED_KEY_USAGE *eku;
  guint32 ku;

  ku = X509_get_key_usage (self->cert);
  if (ku != UINT32_MAX)
    for (guint i = 0; i < G_N_ELEMENTS (usages); i++)
      if (ku & usages[i].bit)
        {
          g_strv_builder_add (labels, _(usages[i].label));
          g_strv_builder_add (ids, usages[i].id);
        }
  self->key_usages = g_strv_builder_end (labels);
  self->key_usage_ids = g_strv_builder_end (ids);

  eku = X509_get_ext_d2i (self->cert, NID_ext_key_usage, NULL, NULL);
  for (int i = 0; eku != NULL && i < sk_ASN1_OBJECT_num (eku); i++)
    {
      ASN1_OBJECT *obj = sk_ASN1_OBJECT_value (eku, i);
      char buf[128];

      OBJ_obj2txt (buf, sizeof buf, obj, 1);
      if (g_str_equal (buf, "1.2.840.113583.1.1.5"))
        g_strv_builder_add (ekus, _("Adobe PDF signing"));
      else
        switch (OBJ_obj2nid (obj))
          {
          case NID_email_protect: g_strv_builder_add (ekus, _("E-mail protection")); break;
          case NID_client_auth: g_strv_builder_add (ekus, _("TLS client authentication")); break;
          case NID_server_auth: g_strv_builder_add (ekus, _("TLS server authentication")); break;
          case NID_code_sign: g_strv_builder_add (ekus, _("Code signing")); break;
          case NID_time_stamp: g_strv_builder_add (ekus, _("Time stamping")); break;
          case NID_OCSP_sign: g_strv_builder_add (ekus, _("OCSP signing")); break;
          case NID_anyExtendedKeyUsage: g_strv_builder_add (ekus, _("Any purpose")); break;
          default: g_strv_builder_add (ekus, buf); break;
          }
    }
  if (eku != NULL)
    sk_ASN1_OBJECT_pop_free (eku, ASN1_OBJECT_free);
  self->ekus = g_strv_builder_end (ekus);
}

static void
fill_san (TekenCertInfo *self)
{
  g_autoptr(GStrvBuilder) emails = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) dns = g_strv_builder_new ();
  GENERAL_NAMES *names = X509_get_ext_d2i (self->cert, NID_subject_alt_name, NULL, NULL);

  for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num (names); i++)
    {
      GENERAL_NAME *gn = sk_GENERAL_NAME_value (names, i);
      g_autofree char *v = NULL;

      if (gn->type == GEN_EMAIL)
        {
          v = teken_asn1_string_to_utf8 (gn->d.rfc822Name);
          if (v != NULL)
            g_strv_builder_add (emails, v);
        }
      else if (gn->type == GEN_DNS)
        {
          v = teken_asn1_string_to_utf8 (gn->d.dNSName);
          if (v != NULL)
            g_strv_builder_add (dns, v);
        }
      else if (gn->type == GEN_IPADD)
        {
          const ASN1_OCTET_STRING *ip = gn->d.iPAddress;

          if (ASN1_STRING_length (ip) == 4)
            {
              const unsigned char *b = ASN1_STRING_get0_data (ip);
              v = g_strdup_printf ("%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
            }
          else
            v = g_strdup ("IPv6");
          g_strv_builder_add (dns, v);
        }
    }
  if (names != NULL)
    GENERAL_NAMES_free (names);
  self->emails = g_strv_builder_end (emails);
  self->dns_names = g_strv_builder_end (dns);
}

static void
fill_key_description (TekenCertInfo *self)
{
  EVP_PKEY *pkey = X509_get0_pubkey (self->cert);
  int bits;

  if (pkey == NULL)
    {
      self->key_description = g_strdup (_("Unknown key"));
      return;
    }
  bits = EVP_PKEY_get_bits (pkey);
  if (EVP_PKEY_is_a (pkey, "RSA-PSS"))
    /* translators: %d is the key size */
    self->key_description = g_strdup_printf (_("RSA-PSS %d bits"), bits);
  else if (EVP_PKEY_is_a (pkey, "RSA"))
    /* translators: %d is the key size */
    self->key_description = g_strdup_printf (_("RSA %d bits"), bits);
  else if (EVP_PKEY_is_a (pkey, "EC"))
    {
      char group[64] = "";
      size_t glen = 0;

      EVP_PKEY_get_group_name (pkey, group, sizeof group, &glen);
      if (g_str_equal (group, "prime256v1"))
        self->key_description = g_strdup ("ECDSA P-256");
      else if (g_str_equal (group, "secp384r1"))
        self->key_description = g_strdup ("ECDSA P-384");
      else if (g_str_equal (group, "secp521r1"))
        self->key_description = g_strdup ("ECDSA P-521");
      else
        self->key_description = g_strdup_printf ("ECDSA %s", group);
    }
  else if (EVP_PKEY_is_a (pkey, "ED25519"))
    self->key_description = g_strdup ("Ed25519");
  else if (EVP_PKEY_is_a (pkey, "ED448"))
    self->key_description = g_strdup ("Ed448");
  else
    self->key_description = g_strdup (EVP_PKEY_get0_type_name (pkey));
}

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  g_autofree char *h = NULL;
  g_autofree char *n = NULL;

  if (haystack == NULL)
    return FALSE;
  h = g_utf8_casefold (haystack, -1);
  n = g_utf8_casefold (needle, -1);
  return strstr (h, n) != NULL;
}

TekenCertificateKind
teken_certificate_kind_classify (X509 *cert)
{
  const X509_NAME *subject = X509_get_subject_name (cert);
  g_autofree char *desc = teken_x509_name_get_entry (subject, NID_description);
  g_autofree char *title = teken_x509_name_get_entry (subject, NID_title);
  g_autofree char *email = teken_x509_name_get_entry (subject, NID_pkcs9_emailAddress);
  GENERAL_NAMES *names;
  gboolean has_host = FALSE, has_email = email != NULL;

  if (contains_ci (desc, "Sistem Elektronik"))
    return TEKEN_CERTIFICATE_KIND_SISTEM_ELEKTRONIK;
  if (contains_ci (desc, "Jabatan") || contains_ci (desc, "Organisasi") || contains_ci (desc, "Segel"))
    return TEKEN_CERTIFICATE_KIND_JABATAN;
  if (contains_ci (desc, "Tanda Tangan Elektronik") || contains_ci (desc, "Tanda Tangan Digital"))
    return TEKEN_CERTIFICATE_KIND_INDIVIDU;
  if (title != NULL && *title != '\0')
    return TEKEN_CERTIFICATE_KIND_JABATAN;

  names = X509_get_ext_d2i (cert, NID_subject_alt_name, NULL, NULL);
  for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num (names); i++)
    {
      GENERAL_NAME *gn = sk_GENERAL_NAME_value (names, i);

      if (gn->type == GEN_DNS || gn->type == GEN_IPADD)
        has_host = TRUE;
      else if (gn->type == GEN_EMAIL)
        has_email = TRUE;
    }
  if (names != NULL)
    GENERAL_NAMES_free (names);
  if (has_host && !has_email)
    return TEKEN_CERTIFICATE_KIND_SISTEM_ELEKTRONIK;
  return TEKEN_CERTIFICATE_KIND_UNKNOWN;
}

TekenCertInfo *
teken_cert_info_new (X509 *cert)
{
  TekenCertInfo *self;
  const X509_NAME *subject, *issuer;
  const ASN1_INTEGER *serial;

  g_return_val_if_fail (cert != NULL, NULL);

  self = g_object_new (TEKEN_TYPE_CERT_INFO, NULL);
  X509_up_ref (cert);
  self->cert = cert;
  subject = X509_get_subject_name (cert);
  issuer = X509_get_issuer_name (cert);

  self->subject = teken_x509_name_to_string (subject);
  self->issuer = teken_x509_name_to_string (issuer);
  self->common_name = teken_x509_name_get_entry (subject, NID_commonName);
  self->organization = teken_x509_name_get_entry (subject, NID_organizationName);
  if (self->common_name == NULL)
    self->common_name = g_strdup (self->organization ? self->organization : self->subject);
  self->issuer_cn = teken_x509_name_get_entry (issuer, NID_commonName);
  if (self->issuer_cn == NULL)
    self->issuer_cn = g_strdup (self->issuer);
  self->description = teken_x509_name_get_entry (subject, NID_description);
  self->title = teken_x509_name_get_entry (subject, NID_title);
  fill_rows (self, subject, self->subject_rows);
  fill_rows (self, issuer, self->issuer_rows);

  serial = X509_get0_serialNumber (cert);
  self->serial = teken_hex_colon (ASN1_STRING_get0_data (serial), ASN1_STRING_length (serial));
  self->not_before = teken_asn1_time_to_date_time (X509_get0_notBefore (cert));
  self->not_after = teken_asn1_time_to_date_time (X509_get0_notAfter (cert));

  fill_fingerprints (self);
  fill_key_usage (self);
  fill_san (self);
  fill_key_description (self);
  self->sig_alg = g_strdup (OBJ_nid2ln (X509_get_signature_nid (cert)));
  self->kind = teken_certificate_kind_classify (cert);
  return self;
}

TekenCertInfo *
teken_cert_info_new_from_data (const guint8  *data,
                               gsize          len,
                               GError       **error)
{
  g_autoptr(X509) cert = teken_x509_new_from_data (data, len);

  if (cert == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The data is not a certificate"));
      return NULL;
    }
  return teken_cert_info_new (cert);
}

X509 *teken_cert_info_get_x509 (TekenCertInfo *self) { return self->cert; }
const char *teken_cert_info_get_subject (TekenCertInfo *self) { return self->subject; }
const char *teken_cert_info_get_issuer (TekenCertInfo *self) { return self->issuer; }
const char *teken_cert_info_get_common_name (TekenCertInfo *self) { return self->common_name; }
const char *teken_cert_info_get_organization (TekenCertInfo *self) { return self->organization; }
const char *teken_cert_info_get_issuer_common_name (TekenCertInfo *self) { return self->issuer_cn; }

const TekenCertNameRow *
teken_cert_info_get_subject_rows (TekenCertInfo *self,
                                  guint         *n_rows)
{
  *n_rows = self->subject_rows->len;
  return (const TekenCertNameRow *) self->subject_rows->data;
}

const TekenCertNameRow *
teken_cert_info_get_issuer_rows (TekenCertInfo *self,
                                 guint         *n_rows)
{
  *n_rows = self->issuer_rows->len;
  return (const TekenCertNameRow *) self->issuer_rows->data;
}

const char *teken_cert_info_get_serial (TekenCertInfo *self) { return self->serial; }
GDateTime *teken_cert_info_get_not_before (TekenCertInfo *self) { return self->not_before; }
GDateTime *teken_cert_info_get_not_after (TekenCertInfo *self) { return self->not_after; }
const char *teken_cert_info_get_fingerprint_sha256 (TekenCertInfo *self) { return self->sha256; }
const char *teken_cert_info_get_fingerprint_sha1 (TekenCertInfo *self) { return self->sha1; }
const char *teken_cert_info_get_sha256_hex (TekenCertInfo *self) { return self->sha256_hex; }
const char * const *teken_cert_info_get_key_usages (TekenCertInfo *self) { return (const char * const *) self->key_usages; }
const char * const *teken_cert_info_get_key_usage_ids (TekenCertInfo *self) { return (const char * const *) self->key_usage_ids; }
const char * const *teken_cert_info_get_extended_key_usages (TekenCertInfo *self) { return (const char * const *) self->ekus; }
const char *teken_cert_info_get_public_key_description (TekenCertInfo *self) { return self->key_description; }
const char *teken_cert_info_get_signature_algorithm (TekenCertInfo *self) { return self->sig_alg; }
const char *teken_cert_info_get_description (TekenCertInfo *self) { return self->description; }
const char *teken_cert_info_get_title (TekenCertInfo *self) { return self->title; }
const char * const *teken_cert_info_get_emails (TekenCertInfo *self) { return (const char * const *) self->emails; }
const char * const *teken_cert_info_get_dns_names (TekenCertInfo *self) { return (const char * const *) self->dns_names; }
TekenCertificateKind teken_cert_info_get_kind (TekenCertInfo *self) { return self->kind; }

gboolean
teken_cert_info_is_ca (TekenCertInfo *self)
{
  return X509_check_ca (self->cert) > 0;
}

gboolean
teken_cert_info_is_self_signed (TekenCertInfo *self)
{
  return X509_self_signed (self->cert, 0) == 1;
}

gboolean
teken_cert_info_is_valid_at (TekenCertInfo *self,
                             GDateTime     *at)
{
  g_autoptr(GDateTime) now = at ? g_date_time_ref (at) : g_date_time_new_now_utc ();

  if (self->not_before == NULL || self->not_after == NULL)
    return FALSE;
  return g_date_time_compare (self->not_before, now) <= 0 &&
         g_date_time_compare (now, self->not_after) <= 0;
}

gint
teken_cert_info_get_days_left (TekenCertInfo *self,
                               GDateTime     *at)
{
  g_autoptr(GDateTime) now = at ? g_date_time_ref (at) : g_date_time_new_now_utc ();
  GTimeSpan span;

  if (self->not_after == NULL)
    return G_MININT;
  span = g_date_time_difference (self->not_after, now);
  return (gint) (span / G_TIME_SPAN_DAY);
}

char *
teken_cert_info_to_pem (TekenCertInfo *self)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long len;

  PEM_write_bio_X509 (bio, self->cert);
  len = BIO_get_mem_data (bio, &data);
  return g_strndup (data, len);
}
