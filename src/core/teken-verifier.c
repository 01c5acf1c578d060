/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem */
#include "teken-core-private.h"
#include "teken-verifier.h"
#include "teken-x509-util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/rsa.h>

#include "teken-modification.h"
#include "teken-ltv-check.h"

#define CHUNK_SIZE (1024 * 1024)
#define MAX_FIELD_DEPTH 32
#define MAX_FIELDS 10000
#define MAX_CONTENTS (1024 * 1024)      /* hex digits of /Contents we accept */
#define MAX_DICT_BEFORE_GAP (256 * 1024) /* bytes from "N G obj" to the /Contents string */
#define MAX_DSS_CERTS 1000
#define ADOBE_PDF_SIGNING_OID "1.2.840.113583.1.1.5"
#define CLOCK_SKEW (5 * G_TIME_SPAN_MINUTE)

struct _TekenVerifier
{
  GObject parent_instance;

  TekenTrustStore *trust_store;
  GDateTime *validation_time;
  gboolean use_dss;
  GMutex lock;
  TekenRevocationChecker *revocation_checker;   /* long-term validation (ltv helper); NULL: offline */
};

G_DEFINE_FINAL_TYPE (TekenVerifier, teken_verifier, G_TYPE_OBJECT)

G_DEFINE_QUARK (teken-verify-error-quark, teken_verify_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ESS_SIGNING_CERT, ESS_SIGNING_CERT_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ESS_SIGNING_CERT_V2, ESS_SIGNING_CERT_V2_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RSA_PSS_PARAMS, RSA_PSS_PARAMS_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TS_TST_INFO, TS_TST_INFO_free)

enum
{
  PROP_0,
  PROP_TRUST_STORE,
  PROP_VALIDATION_TIME,
  PROP_USE_DSS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  SIG_KIND_CMS,            /* adbe.pkcs7.detached, ETSI.CAdES.detached */
  SIG_KIND_PKCS7_SHA1,     /* adbe.pkcs7.sha1: the CMS signs the SHA-1 of the ranges */
  SIG_KIND_X509_RSA_SHA1,  /* adbe.x509.rsa_sha1: a bare PKCS#1 signature, certificates in /Cert */
  SIG_KIND_RFC3161,        /* ETSI.RFC3161 document timestamp */
} SigKind;

/* Everything known about one signed field while it is being verified. */
typedef struct
{
  TekenSignatureResult *result;
  TekenPdfObject *field;
  TekenPdfObject *sig;
  guint container_num;        /* the indirect object that holds the signature dictionary */
  SigKind kind;
  gboolean broken;            /* a structural failure: no cryptography */
  gint64 range[4];
  gboolean have_range;
  gsize signed_length;
  GBytes *contents;
  CMS_ContentInfo *cms;
  CMS_SignerInfo *si;         /* borrowed from cms */
  EVP_MD *range_md;           /* what the ranges are hashed with */
  EVP_MD_CTX *md_ctx;
  guint8 range_digest[EVP_MAX_MD_SIZE];
  unsigned int range_digest_len;
  TS_TST_INFO *tst;           /* RFC3161 */
  X509 *rsa_sha1_signer;      /* x509.rsa_sha1 */
  STACK_OF (X509) *rsa_sha1_certs;
} SigWork;

static void
sig_work_free (SigWork *w)
{
  g_clear_object (&w->result);
  g_clear_pointer (&w->field, teken_pdf_object_unref);
  g_clear_pointer (&w->sig, teken_pdf_object_unref);
  g_clear_pointer (&w->contents, g_bytes_unref);
  g_clear_pointer (&w->cms, CMS_ContentInfo_free);
  g_clear_pointer (&w->range_md, EVP_MD_free);
  g_clear_pointer (&w->md_ctx, EVP_MD_CTX_free);
  g_clear_pointer (&w->tst, TS_TST_INFO_free);
  g_clear_pointer (&w->rsa_sha1_signer, X509_free);
  if (w->rsa_sha1_certs != NULL)
    sk_X509_pop_free (w->rsa_sha1_certs, X509_free);
  g_free (w);
}

/* One verification run. */
typedef struct
{
  TekenVerifier *verifier;
  TekenTrustStore *store;
  GDateTime *validation_time;   /* never NULL here */
  gboolean use_dss;
  TekenPdfDocument *doc;
  GCancellable *cancellable;
  GPtrArray *works;             /* SigWork */
  GHashTable *annot_pages;      /* annotation object number → page index + 1 */
  STACK_OF (X509) *dss_certs;
  int docmdp_p;                 /* P of the certification signature, 0 when none */
  guint certification_num;      /* object number of the certification signature dictionary */
  gboolean has_dss;
} Run;

/* ------------------------------------------------------------------------------------------ */
/* GObject */

static void
teken_verifier_finalize (GObject *object)
{
  TekenVerifier *self = TEKEN_VERIFIER (object);

  g_clear_object (&self->trust_store);
  g_clear_pointer (&self->validation_time, g_date_time_unref);
  g_mutex_clear (&self->lock);

  g_clear_object (&self->revocation_checker);
  G_OBJECT_CLASS (teken_verifier_parent_class)->finalize (object);
}

static void
teken_verifier_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TekenVerifier *self = TEKEN_VERIFIER (object);

  switch (prop_id)
    {
    case PROP_TRUST_STORE:
      g_value_set_object (value, teken_verifier_get_trust_store (self));
      break;
    case PROP_VALIDATION_TIME:
      g_value_set_boxed (value, self->validation_time);
      break;
    case PROP_USE_DSS:
      g_value_set_boolean (value, self->use_dss);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teken_verifier_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TekenVerifier *self = TEKEN_VERIFIER (object);

  switch (prop_id)
    {
    case PROP_TRUST_STORE:
      teken_verifier_set_trust_store (self, g_value_get_object (value));
      break;
    case PROP_VALIDATION_TIME:
      teken_verifier_set_validation_time (self, g_value_get_boxed (value));
      break;
    case PROP_USE_DSS:
      teken_verifier_set_use_dss (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teken_verifier_class_init (TekenVerifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = teken_verifier_finalize;
  object_class->get_property = teken_verifier_get_property;
  object_class->set_property = teken_verifier_set_property;

  properties[PROP_TRUST_STORE] =
    g_param_spec_object ("trust-store", NULL, NULL, TEKEN_TYPE_TRUST_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALIDATION_TIME] =
    g_param_spec_boxed ("validation-time", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USE_DSS] =
    g_param_spec_boolean ("use-dss", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
teken_verifier_init (TekenVerifier *self)
{
  self->use_dss = TRUE;
  g_mutex_init (&self->lock);
}

TekenVerifier *
teken_verifier_new (void)
{
  return g_object_new (TEKEN_TYPE_VERIFIER, NULL);
}

void
teken_verifier_set_trust_store (TekenVerifier   *self,
                                TekenTrustStore *store)
{
  g_return_if_fail (TEKEN_IS_VERIFIER (self));
  g_mutex_lock (&self->lock);
  g_set_object (&self->trust_store, store);
  g_mutex_unlock (&self->lock);
}

TekenTrustStore *
teken_verifier_get_trust_store (TekenVerifier *self)
{
  TekenTrustStore *store;

  g_return_val_if_fail (TEKEN_IS_VERIFIER (self), NULL);
  g_mutex_lock (&self->lock);
  if (self->trust_store == NULL)
    self->trust_store = teken_trust_store_new_default ();
  store = self->trust_store;
  g_mutex_unlock (&self->lock);
  return store;
}

void
teken_verifier_set_validation_time (TekenVerifier *self,
                                    GDateTime     *time)
{
  g_return_if_fail (TEKEN_IS_VERIFIER (self));
  g_clear_pointer (&self->validation_time, g_date_time_unref);
  self->validation_time = time ? g_date_time_ref (time) : NULL;
}

GDateTime *
teken_verifier_get_validation_time (TekenVerifier *self)
{
  return self->validation_time;
}

void
teken_verifier_set_use_dss (TekenVerifier *self,
                            gboolean       use_dss)
{
  self->use_dss = use_dss;
}

gboolean
teken_verifier_get_use_dss (TekenVerifier *self)
{
  return self->use_dss;
}

void
teken_verifier_set_revocation_checker (TekenVerifier          *self,
                                       TekenRevocationChecker *checker)
{
  g_return_if_fail (TEKEN_IS_VERIFIER (self));
  g_mutex_lock (&self->lock);
  g_set_object (&self->revocation_checker, checker);
  g_mutex_unlock (&self->lock);
}

/* ------------------------------------------------------------------------------------------ */
/* Small helpers */

static void
add_reason (SigWork              *w,
            TekenSignatureReason  reason)
{
  teken_signature_result_add_reason (w->result, reason);
}

/* A reason that stops the cryptographic checks. */
static void
fail (SigWork              *w,
      TekenSignatureReason  reason)
{
  add_reason (w, reason);
  w->broken = TRUE;
}

static char *
dict_text (TekenPdfDocument *doc,
           TekenPdfObject   *dict,
           const char       *key)
{
  g_autoptr(TekenPdfObject) value = teken_pdf_document_lookup (doc, dict, key, NULL);

  if (value == NULL || teken_pdf_object_get_kind (value) != TEKEN_PDF_STRING)
    return NULL;
  return teken_pdf_object_get_text (value);
}

static const char *
dict_name (TekenPdfDocument *doc,
           TekenPdfObject   *dict,
           const char       *key,
           TekenPdfObject  **holder)
{
  *holder = teken_pdf_document_lookup (doc, dict, key, NULL);
  if (*holder == NULL)
    return NULL;
  return teken_pdf_object_get_name (*holder);
}

/* D:YYYYMMDDHHmmSSOHH'mm' (ISO 32000-1 §7.9.4); NULL when unreadable. */
static GDateTime *
parse_pdf_date (const char *s)
{
  int f[6] = { 0, 1, 1, 0, 0, 0 };
  static const int widths[6] = { 4, 2, 2, 2, 2, 2 };
  g_autoptr(GTimeZone) tz = NULL;
  const char *p;

  if (s == NULL)
    return NULL;
  if (g_str_has_prefix (s, "D:"))
    s += 2;
  p = s;
  for (int i = 0; i < 6; i++)
    {
      int v = 0;

      if (!g_ascii_isdigit (p[0]))
        {
          if (i == 0)
            return NULL;
          break;
        }
      for (int k = 0; k < widths[i]; k++)
        {
          if (!g_ascii_isdigit (p[k]))
            return NULL;
          v = v * 10 + (p[k] - '0');
        }
      f[i] = v;
      p += widths[i];
    }
  if (*p == '+' || *p == '-')
    {
      int hh = 0, mm = 0;
      char sign = *p++;
      g_autofree char *id = NULL;

      if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]))
        {
          hh = (p[0] - '0') * 10 + (p[1] - '0');
          p += 2;
          if (*p == '\'')
            p++;
          if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]))
            mm = (p[0] - '0') * 10 + (p[1] - '0');
        }
      id = g_strdup_printf ("%c%02d:%02d", sign, hh, mm);
      tz = g_time_zone_new_identifier (id);
    }
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 59)
    return NULL;
  return g_date_time_new (tz, f[0], f[1], f[2], f[3], f[4], f[5]);
}

static const char *
digest_display_name (const EVP_MD *md)
{
  switch (EVP_MD_get_type (md))
    {
    case NID_sha1: return "SHA-1";
    case NID_sha224: return "SHA-224";
    case NID_sha256: return "SHA-256";
    case NID_sha384: return "SHA-384";
    case NID_sha512: return "SHA-512";
    case NID_sha3_256: return "SHA3-256";
    case NID_sha3_384: return "SHA3-384";
    case NID_sha3_512: return "SHA3-512";
    default: return EVP_MD_get0_name (md);
    }
}

/* The digests a signature may use: SHA-1 (flagged weak) and the SHA-2/SHA-3 families. */
static EVP_MD *
fetch_digest (const ASN1_OBJECT *oid)
{
  int nid = OBJ_obj2nid (oid);

  switch (nid)
    {
    case NID_sha1: case NID_sha224: case NID_sha256: case NID_sha384: case NID_sha512:
    case NID_sha3_256: case NID_sha3_384: case NID_sha3_512:
      return EVP_MD_fetch (NULL, OBJ_nid2sn (nid), NULL);
    default:
      return NULL;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Finding the signature fields */

static void
index_annotations (Run *run)
{
  guint n = teken_pdf_document_get_n_pages (run->doc, NULL);

  run->annot_pages = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TekenPdfObject) page = teken_pdf_document_get_page (run->doc, i, NULL, NULL);
      g_autoptr(TekenPdfObject) annots = NULL;

      if (page == NULL)
        continue;
      annots = teken_pdf_document_lookup (run->doc, page, "Annots", NULL);
      if (annots == NULL || teken_pdf_object_get_kind (annots) != TEKEN_PDF_ARRAY)
        continue;
      for (guint k = 0; k < teken_pdf_array_get_length (annots); k++)
        {
          TekenPdfObject *ref = teken_pdf_array_get (annots, k);

          if (teken_pdf_object_get_kind (ref) == TEKEN_PDF_REFERENCE &&
              !g_hash_table_contains (run->annot_pages, GUINT_TO_POINTER (teken_pdf_object_get_ref_num (ref))))
            g_hash_table_insert (run->annot_pages, GUINT_TO_POINTER (teken_pdf_object_get_ref_num (ref)),
                                 GUINT_TO_POINTER (i + 1));
        }
    }
}

static gboolean
read_rect (TekenPdfDocument *doc,
           TekenPdfObject   *widget,
           TekenPdfRect     *rect)
{
  g_autoptr(TekenPdfObject) arr = teken_pdf_document_lookup (doc, widget, "Rect", NULL);
  double v[4];

  if (arr == NULL || teken_pdf_object_get_kind (arr) != TEKEN_PDF_ARRAY ||
      teken_pdf_array_get_length (arr) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      TekenPdfObject *item = teken_pdf_array_get (arr, i);

      if (!teken_pdf_object_is_number (item))
        return FALSE;
      v[i] = teken_pdf_object_get_number (item);
    }
  rect->x1 = MIN (v[0], v[2]);
  rect->x2 = MAX (v[0], v[2]);
  rect->y1 = MIN (v[1], v[3]);
  rect->y2 = MAX (v[1], v[3]);
  return TRUE;
}

static void
locate_widget (Run                  *run,
               TekenPdfObject       *field,
               guint                 field_num,
               TekenSignatureResult *result)
{
  g_autoptr(TekenPdfObject) kids = teken_pdf_document_lookup (run->doc, field, "Kids", NULL);
  g_autoptr(TekenPdfObject) widget = NULL;
  guint widget_num = field_num;
  TekenPdfRect rect;
  int page = -1;
  gpointer idx;

  /* A signature field is usually merged with its one widget; otherwise use the first kid. */
  if (kids != NULL && teken_pdf_object_get_kind (kids) == TEKEN_PDF_ARRAY && teken_pdf_array_get_length (kids) > 0)
    {
      TekenPdfObject *ref = teken_pdf_array_get (kids, 0);

      widget = teken_pdf_document_resolve (run->doc, ref, NULL);
      widget_num = teken_pdf_object_get_kind (ref) == TEKEN_PDF_REFERENCE ? teken_pdf_object_get_ref_num (ref) : 0;
    }
  else
    widget = teken_pdf_object_ref (field);
  if (widget == NULL)
    return;
  idx = g_hash_table_lookup (run->annot_pages, GUINT_TO_POINTER (widget_num));
  if (widget_num != 0 && idx != NULL)
    page = GPOINTER_TO_UINT (idx) - 1;
  if (read_rect (run->doc, widget, &rect))
    teken_signature_result_set_widget (result, page, &rect);
  else
    teken_signature_result_set_widget (result, page, NULL);
}

static void collect_fields (Run *run, TekenPdfObject *fields, const char *prefix,
                            const char *inherited_ft, int depth, GHashTable *seen);

static void
visit_field (Run            *run,
             TekenPdfObject *ref,
             const char     *prefix,
             const char     *inherited_ft,
             int             depth,
             GHashTable     *seen)
{
  g_autoptr(TekenPdfObject) field = NULL;
  g_autoptr(TekenPdfObject) ft_obj = NULL;
  g_autoptr(TekenPdfObject) kids = NULL;
  g_autoptr(TekenPdfObject) v = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *name = NULL;
  const char *ft;
  guint num = 0;
  gboolean has_field_kids = FALSE;

  if (teken_pdf_object_get_kind (ref) == TEKEN_PDF_REFERENCE)
    {
      num = teken_pdf_object_get_ref_num (ref);
      if (g_hash_table_contains (seen, GUINT_TO_POINTER (num)))
        return;  /* loops and shared kids */
      g_hash_table_add (seen, GUINT_TO_POINTER (num));
    }
  if (g_hash_table_size (seen) > MAX_FIELDS)
    return;
  field = teken_pdf_document_resolve (run->doc, ref, NULL);
  if (field == NULL || teken_pdf_object_get_kind (field) != TEKEN_PDF_DICT)
    return;

  ft = dict_name (run->doc, field, "FT", &ft_obj);
  if (ft == NULL)
    ft = inherited_ft;
  partial = dict_text (run->doc, field, "T");
  if (partial != NULL)
    name = prefix && *prefix ? g_strdup_printf ("%s.%s", prefix, partial) : g_strdup (partial);
  else
    name = g_strdup (prefix ? prefix : "");

  kids = teken_pdf_document_lookup (run->doc, field, "Kids", NULL);
  if (kids != NULL && teken_pdf_object_get_kind (kids) == TEKEN_PDF_ARRAY)
    {
      /* Kids with /T are fields; kids without are widgets of this field. */
      for (guint i = 0; i < teken_pdf_array_get_length (kids); i++)
        {
          g_autoptr(TekenPdfObject) kid = teken_pdf_document_resolve (run->doc, teken_pdf_array_get (kids, i), NULL);

          if (kid != NULL && teken_pdf_dict_get (kid, "T") != NULL)
            has_field_kids = TRUE;
        }
      if (has_field_kids)
        {
          collect_fields (run, kids, name, ft, depth + 1, seen);
          return;
        }
    }

  if (g_strcmp0 (ft, "Sig") != 0)
    return;

  {
    SigWork *w = g_new0 (SigWork, 1);

    w->result = teken_signature_result_new (name);
    w->field = teken_pdf_object_ref (field);
    locate_widget (run, field, num, w->result);
    v = teken_pdf_document_lookup (run->doc, field, "V", NULL);
    if (v == NULL || teken_pdf_object_get_kind (v) != TEKEN_PDF_DICT)
      teken_signature_result_set_unsigned (w->result);
    else
      {
        TekenPdfObject *raw_v = teken_pdf_dict_get (field, "V");

        w->sig = teken_pdf_object_ref (v);
        w->container_num = teken_pdf_object_get_kind (raw_v) == TEKEN_PDF_REFERENCE
                           ? teken_pdf_object_get_ref_num (raw_v) : num;
      }
    g_ptr_array_add (run->works, w);
  }
}

static void
collect_fields (Run            *run,
                TekenPdfObject *fields,
                const char     *prefix,
                const char     *inherited_ft,
                int             depth,
                GHashTable     *seen)
{
  if (depth > MAX_FIELD_DEPTH || fields == NULL || teken_pdf_object_get_kind (fields) != TEKEN_PDF_ARRAY)
    return;
  for (guint i = 0; i < teken_pdf_array_get_length (fields); i++)
    visit_field (run, teken_pdf_array_get (fields, i), prefix, inherited_ft, depth, seen);
}

static gboolean
find_signature_fields (Run     *run,
                       GError **error)
{
  g_autoptr(TekenPdfObject) catalog = teken_pdf_document_get_catalog (run->doc, NULL, error);
  g_autoptr(TekenPdfObject) acroform = NULL;
  g_autoptr(TekenPdfObject) fields = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  if (catalog == NULL)
    return FALSE;
  index_annotations (run);
  acroform = teken_pdf_document_lookup (run->doc, catalog, "AcroForm", NULL);
  if (acroform != NULL && teken_pdf_object_get_kind (acroform) == TEKEN_PDF_DICT)
    fields = teken_pdf_document_lookup (run->doc, acroform, "Fields", NULL);
  collect_fields (run, fields, NULL, NULL, 0, seen);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* DocMDP, DSS */

static int
reference_docmdp_p (TekenPdfDocument *doc,
                    TekenPdfObject   *sig)
{
  g_autoptr(TekenPdfObject) refs = teken_pdf_document_lookup (doc, sig, "Reference", NULL);

  if (refs == NULL || teken_pdf_object_get_kind (refs) != TEKEN_PDF_ARRAY)
    return 0;
  for (guint i = 0; i < teken_pdf_array_get_length (refs); i++)
    {
      g_autoptr(TekenPdfObject) ref = teken_pdf_document_resolve (doc, teken_pdf_array_get (refs, i), NULL);
      g_autoptr(TekenPdfObject) method = NULL;
      g_autoptr(TekenPdfObject) params = NULL;
      g_autoptr(TekenPdfObject) p = NULL;

      if (ref == NULL || teken_pdf_object_get_kind (ref) != TEKEN_PDF_DICT)
        continue;
      method = teken_pdf_document_lookup (doc, ref, "TransformMethod", NULL);
      if (!teken_pdf_object_is_name (method, "DocMDP"))
        continue;
      params = teken_pdf_document_lookup (doc, ref, "TransformParams", NULL);
      if (params != NULL)
        p = teken_pdf_document_lookup (doc, params, "P", NULL);
      if (p != NULL && teken_pdf_object_get_kind (p) == TEKEN_PDF_INTEGER)
        return CLAMP (teken_pdf_object_get_integer (p), 1, 3);
      return 2;  /* the default */
    }
  return 0;
}

static void
find_docmdp (Run *run)
{
  g_autoptr(TekenPdfObject) catalog = teken_pdf_document_get_catalog (run->doc, NULL, NULL);
  g_autoptr(TekenPdfObject) perms = NULL;
  TekenPdfObject *docmdp_ref;

  if (catalog == NULL)
    return;
  perms = teken_pdf_document_lookup (run->doc, catalog, "Perms", NULL);
  if (perms == NULL || teken_pdf_object_get_kind (perms) != TEKEN_PDF_DICT)
    return;
  docmdp_ref = teken_pdf_dict_get (perms, "DocMDP");
  if (docmdp_ref == NULL || teken_pdf_object_get_kind (docmdp_ref) != TEKEN_PDF_REFERENCE)
    return;
  run->certification_num = teken_pdf_object_get_ref_num (docmdp_ref);
  for (guint i = 0; i < run->works->len; i++)
    {
      SigWork *w = g_ptr_array_index (run->works, i);

      if (w->sig != NULL && w->container_num == run->certification_num)
        {
          run->docmdp_p = reference_docmdp_p (run->doc, w->sig);
          if (run->docmdp_p == 0)
            run->docmdp_p = 2;
        }
    }
}

static void
load_dss_certs (Run *run)
{
  g_autoptr(TekenPdfObject) catalog = teken_pdf_document_get_catalog (run->doc, NULL, NULL);
  g_autoptr(TekenPdfObject) dss = NULL;
  g_autoptr(TekenPdfObject) certs = NULL;

  run->dss_certs = sk_X509_new_null ();
  if (catalog == NULL)
    return;
  dss = teken_pdf_document_lookup (run->doc, catalog, "DSS", NULL);
  if (dss == NULL || teken_pdf_object_get_kind (dss) != TEKEN_PDF_DICT)
    return;
  run->has_dss = TRUE;
  if (!run->use_dss)
    return;
  certs = teken_pdf_document_lookup (run->doc, dss, "Certs", NULL);
  if (certs == NULL || teken_pdf_object_get_kind (certs) != TEKEN_PDF_ARRAY)
    return;
  for (guint i = 0; i < MIN (teken_pdf_array_get_length (certs), MAX_DSS_CERTS); i++)
    {
      g_autoptr(TekenPdfObject) stream = teken_pdf_document_resolve (run->doc, teken_pdf_array_get (certs, i), NULL);
      g_autoptr(GBytes) der = NULL;
      const unsigned char *p;
      gsize len;
      X509 *cert;

      if (stream == NULL || teken_pdf_object_get_kind (stream) != TEKEN_PDF_STREAM)
        continue;
      der = teken_pdf_stream_decode (stream, 256 * 1024, NULL);
      if (der == NULL)
        continue;
      p = g_bytes_get_data (der, &len);
      cert = d2i_X509 (NULL, &p, (long) len);
      if (cert != NULL)
        sk_X509_push (run->dss_certs, cert);
      ERR_clear_error ();
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The signature dictionary and its ByteRange */

static gboolean
read_byte_range (SigWork          *w,
                 TekenPdfDocument *doc)
{
  g_autoptr(TekenPdfObject) br = teken_pdf_document_lookup (doc, w->sig, "ByteRange", NULL);
  gsize size = teken_pdf_document_get_size (doc);

  if (br == NULL || teken_pdf_object_get_kind (br) == TEKEN_PDF_NULL ||
      (teken_pdf_object_get_kind (br) == TEKEN_PDF_ARRAY && teken_pdf_array_get_length (br) == 0))
    {
      fail (w, TEKEN_SIGNATURE_REASON_BYTE_RANGE_MISSING);
      return FALSE;
    }
  if (teken_pdf_object_get_kind (br) != TEKEN_PDF_ARRAY || teken_pdf_array_get_length (br) != 4)
    {
      fail (w, TEKEN_SIGNATURE_REASON_BYTE_RANGE_MALFORMED);
      return FALSE;
    }
  for (guint i = 0; i < 4; i++)
    {
      TekenPdfObject *item = teken_pdf_array_get (br, i);

      if (teken_pdf_object_get_kind (item) != TEKEN_PDF_INTEGER || teken_pdf_object_get_integer (item) < 0)
        {
          fail (w, TEKEN_SIGNATURE_REASON_BYTE_RANGE_MALFORMED);
          return FALSE;
        }
      w->range[i] = teken_pdf_object_get_integer (item);
    }
  /* From 0, two ranges in order with a gap between them, inside the file. */
  if (w->range[0] != 0 || w->range[1] < 1 || w->range[2] <= w->range[1] + 1 ||
      w->range[3] < 0 || w->range[2] > (gint64) size || w->range[3] > (gint64) size - w->range[2])
    {
      fail (w, TEKEN_SIGNATURE_REASON_BYTE_RANGE_MALFORMED);
      return FALSE;
    }
  w->have_range = TRUE;
  w->signed_length = (gsize) (w->range[2] + w->range[3]);
  return TRUE;
}

static gboolean
is_hex (guint8 c)
{
  return g_ascii_isxdigit (c);
}

/* The gap must be exactly this dictionary's /Contents hex string, delimiters included, and the
 * dictionary must be the object that starts before it (not a copy elsewhere in the file). */
static gboolean
check_gap (SigWork          *w,
           Run              *run)
{
  TekenPdfDocument *doc = run->doc;
  gsize gap_len = (gsize) (w->range[2] - w->range[1]);
  g_autoptr(GBytes) gap = NULL;
  g_autoptr(GBytes) before = NULL;
  const guint8 *g, *contents;
  gsize contents_len, hex_len;
  TekenPdfXrefEntry entry;
  gsize i;

  if (gap_len > MAX_CONTENTS + 2)
    goto bad;
  gap = teken_pdf_document_read_bytes (doc, w->range[1], gap_len, NULL);
  if (gap == NULL)
    goto bad;
  g = g_bytes_get_data (gap, NULL);
  if (g[0] != '<' || g[gap_len - 1] != '>')
    goto bad;
  hex_len = gap_len - 2;
  if (hex_len % 2 != 0)
    goto bad;
  for (i = 1; i < gap_len - 1; i++)
    if (!is_hex (g[i]))
      goto bad;
  contents = g_bytes_get_data (w->contents, &contents_len);
  if (contents_len != hex_len / 2)
    goto bad;
  for (i = 0; i < contents_len; i++)
    {
      guint8 b = (g_ascii_xdigit_value (g[1 + 2 * i]) << 4) | g_ascii_xdigit_value (g[2 + 2 * i]);

      if (b != contents[i])
        goto bad;
    }

  /* The holder of the dictionary: an uncompressed object that begins before the gap, inside the
   * signed revision, with no "endobj" in between. */
  if (w->container_num == 0 || !teken_pdf_document_get_xref_entry (doc, w->container_num, &entry) ||
      entry.kind != TEKEN_PDF_XREF_ENTRY_OFFSET || entry.offset >= w->range[1] ||
      w->range[1] - entry.offset > MAX_DICT_BEFORE_GAP)
    goto bad;
  before = teken_pdf_document_read_bytes (doc, entry.offset, w->range[1] - entry.offset, NULL);
  if (before == NULL)
    goto bad;
  {
    gsize blen;
    const guint8 *b = g_bytes_get_data (before, &blen);

    if (memmem (b, blen, "endobj", 6) != NULL)
      goto bad;
  }
  return TRUE;

bad:
  fail (w, TEKEN_SIGNATURE_REASON_BYTE_RANGE_GAP);
  return FALSE;
}

/* The signed part must end where a revision ends (after its %%EOF and end-of-line). */
static int
find_revision (SigWork *w,
               Run     *run)
{
  GPtrArray *sections = teken_pdf_document_get_sections (run->doc);
  int revisions_before = 0;
  gboolean found = FALSE;

  for (int i = (int) sections->len - 1; i >= 0; i--)
    {
      TekenPdfSection *s = g_ptr_array_index (sections, i);
      gsize end = s->end_offset;

      if (!s->is_revision)
        continue;
      if (w->signed_length == end)
        found = TRUE;
      else if (w->signed_length >= 5 && w->signed_length < end && end - w->signed_length <= 2)
        {
          /* The signer stopped right after "%%EOF", before its end-of-line. */
          g_autoptr(GBytes) tail = teken_pdf_document_read_bytes (run->doc, w->signed_length - 5, end - w->signed_length + 5, NULL);
          gsize tlen;
          const guint8 *t = tail ? g_bytes_get_data (tail, &tlen) : NULL;

          if (t != NULL && memcmp (t, "%%EOF", 5) == 0)
            {
              found = TRUE;
              for (gsize k = 5; k < tlen; k++)
                if (t[k] != '\r' && t[k] != '\n')
                  found = FALSE;
            }
        }
      if (found)
        return revisions_before;
      revisions_before++;
    }
  return -1;
}

static gboolean
read_contents (SigWork          *w,
               TekenPdfDocument *doc)
{
  g_autoptr(TekenPdfObject) contents = teken_pdf_document_lookup (doc, w->sig, "Contents", NULL);
  const guint8 *data;
  gsize len, used = 0;

  if (contents == NULL || teken_pdf_object_get_kind (contents) != TEKEN_PDF_STRING)
    {
      fail (w, TEKEN_SIGNATURE_REASON_CONTENTS_MISSING);
      return FALSE;
    }
  data = teken_pdf_object_get_string (contents, &len);
  for (gsize i = 0; i < len; i++)
    if (data[i] != 0)
      used = i + 1;
  if (used == 0)
    {
      fail (w, TEKEN_SIGNATURE_REASON_CONTENTS_MISSING);
      return FALSE;
    }
  w->contents = g_bytes_new (data, len);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Parsing the CMS before hashing (the digest algorithm decides how the ranges are hashed). */

static gboolean
parse_cms (SigWork *w)
{
  gsize len;
  const unsigned char *p = g_bytes_get_data (w->contents, &len);
  STACK_OF (CMS_SignerInfo) *sis;
  X509_ALGOR *digest_alg = NULL;

  w->cms = d2i_CMS_ContentInfo (NULL, &p, (long) len);
  ERR_clear_error ();
  if (w->cms == NULL || OBJ_obj2nid (CMS_get0_type (w->cms)) != NID_pkcs7_signed)
    {
      fail (w, TEKEN_SIGNATURE_REASON_CMS_MALFORMED);
      return FALSE;
    }
  sis = CMS_get0_SignerInfos (w->cms);
  if (sis == NULL || sk_CMS_SignerInfo_num (sis) != 1)
    {
      fail (w, TEKEN_SIGNATURE_REASON_MULTIPLE_SIGNERS);
      return FALSE;
    }
  w->si = sk_CMS_SignerInfo_value (sis, 0);
  CMS_SignerInfo_get0_algs (w->si, NULL, NULL, &digest_alg, NULL);
  if (digest_alg == NULL)
    {
      fail (w, TEKEN_SIGNATURE_REASON_CMS_MALFORMED);
      return FALSE;
    }

  switch (w->kind)
    {
    case SIG_KIND_CMS:
      {
        w->range_md = fetch_digest (digest_alg->algorithm);
        if (w->range_md == NULL)
          {
            fail (w, TEKEN_SIGNATURE_REASON_UNSUPPORTED_ALGORITHM);
            return FALSE;
          }
        /* Detached: an embedded content would be what is signed instead of the PDF. */
        if (CMS_get0_content (w->cms) != NULL && *CMS_get0_content (w->cms) != NULL)
          {
            fail (w, TEKEN_SIGNATURE_REASON_CMS_MALFORMED);
            return FALSE;
          }
        break;
      }
    case SIG_KIND_PKCS7_SHA1:
      w->range_md = EVP_MD_fetch (NULL, "SHA1", NULL);
      break;
    case SIG_KIND_RFC3161:
      {
        ASN1_OCTET_STRING **content = CMS_get0_content (w->cms);
        const unsigned char *q;
        X509_ALGOR *alg;

        if (OBJ_obj2nid (CMS_get0_eContentType (w->cms)) != NID_id_smime_ct_TSTInfo ||
            content == NULL || *content == NULL)
          {
            fail (w, TEKEN_SIGNATURE_REASON_CMS_MALFORMED);
            return FALSE;
          }
        q = ASN1_STRING_get0_data (*content);
        w->tst = d2i_TS_TST_INFO (NULL, &q, ASN1_STRING_length (*content));
        ERR_clear_error ();
        if (w->tst == NULL)
          {
            fail (w, TEKEN_SIGNATURE_REASON_CMS_MALFORMED);
            return FALSE;
          }
        alg = TS_MSG_IMPRINT_get_algo (TS_TST_INFO_get_msg_imprint (w->tst));
        w->range_md = alg ? fetch_digest (alg->algorithm) : NULL;
        if (w->range_md == NULL)
          {
            fail (w, TEKEN_SIGNATURE_REASON_UNSUPPORTED_ALGORITHM);
            return FALSE;
          }
        break;
      }
    case SIG_KIND_X509_RSA_SHA1:
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* adbe.x509.rsa_sha1: /Contents is an OCTET STRING holding a PKCS#1 signature; /Cert the certificates. */
static gboolean
parse_rsa_sha1 (SigWork          *w,
                TekenPdfDocument *doc)
{
  g_autoptr(TekenPdfObject) cert_obj = teken_pdf_document_lookup (doc, w->sig, "Cert", NULL);
  guint n;

  w->rsa_sha1_certs = sk_X509_new_null ();
  if (cert_obj == NULL)
    {
      fail (w, TEKEN_SIGNATURE_REASON_SIGNER_CERTIFICATE_MISSING);
      return FALSE;
    }
  n = teken_pdf_object_get_kind (cert_obj) == TEKEN_PDF_ARRAY ? teken_pdf_array_get_length (cert_obj) : 1;
  for (guint i = 0; i < MIN (n, 32); i++)
    {
      TekenPdfObject *s = teken_pdf_object_get_kind (cert_obj) == TEKEN_PDF_ARRAY
                          ? teken_pdf_array_get (cert_obj, i) : cert_obj;
      gsize len;
      const unsigned char *p = teken_pdf_object_get_string (s, &len);
      X509 *cert = p ? d2i_X509 (NULL, &p, (long) len) : NULL;

      ERR_clear_error ();
      if (cert == NULL)
        continue;
      if (w->rsa_sha1_signer == NULL)
        {
          X509_up_ref (cert);
          w->rsa_sha1_signer = cert;  /* the first one is the signer (ISO 32000-1 §12.8.3.2) */
        }
      sk_X509_push (w->rsa_sha1_certs, cert);
    }
  if (w->rsa_sha1_signer == NULL)
    {
      fail (w, TEKEN_SIGNATURE_REASON_SIGNER_CERTIFICATE_MISSING);
      return FALSE;
    }
  w->range_md = EVP_MD_fetch (NULL, "SHA1", NULL);
  return TRUE;
}

static void
prepare_signature (SigWork *w,
                   Run     *run)
{
  TekenPdfDocument *doc = run->doc;
  g_autoptr(TekenPdfObject) subfilter_obj = NULL;
  g_autofree char *m = NULL;
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *location = NULL;
  g_autofree char *contact = NULL;
  g_autoptr(GDateTime) claimed = NULL;
  const char *subfilter = dict_name (doc, w->sig, "SubFilter", &subfilter_obj);
  int docmdp = reference_docmdp_p (doc, w->sig);
  int revision;

  name = dict_text (doc, w->sig, "Name");
  reason = dict_text (doc, w->sig, "Reason");
  location = dict_text (doc, w->sig, "Location");
  contact = dict_text (doc, w->sig, "ContactInfo");
  teken_signature_result_set_dictionary_info (w->result, name, reason, location, contact,
                                              w->container_num == run->certification_num ? run->docmdp_p : docmdp);
  if ((w->container_num != 0 && w->container_num == run->certification_num) || docmdp > 0)
    teken_signature_result_set_signature_type (w->result, TEKEN_SIGNATURE_TYPE_CERTIFICATION);
  m = dict_text (doc, w->sig, "M");
  claimed = parse_pdf_date (m);
  if (claimed != NULL)
    teken_signature_result_set_signing_time (w->result, claimed, TEKEN_TIME_SOURCE_CLAIMED);
  teken_signature_result_set_format (w->result, subfilter, NULL, NULL, NULL);

  if (g_strcmp0 (subfilter, "adbe.pkcs7.detached") == 0 || g_strcmp0 (subfilter, "ETSI.CAdES.detached") == 0)
    w->kind = SIG_KIND_CMS;
  else if (g_strcmp0 (subfilter, "adbe.pkcs7.sha1") == 0)
    {
      w->kind = SIG_KIND_PKCS7_SHA1;
      add_reason (w, TEKEN_SIGNATURE_REASON_LEGACY_SUBFILTER);
    }
  else if (g_strcmp0 (subfilter, "adbe.x509.rsa_sha1") == 0)
    {
      w->kind = SIG_KIND_X509_RSA_SHA1;
      add_reason (w, TEKEN_SIGNATURE_REASON_LEGACY_SUBFILTER);
    }
  else if (g_strcmp0 (subfilter, "ETSI.RFC3161") == 0)
    {
      w->kind = SIG_KIND_RFC3161;
      teken_signature_result_set_signature_type (w->result, TEKEN_SIGNATURE_TYPE_DOCUMENT_TIMESTAMP);
    }
  else
    {
      fail (w, TEKEN_SIGNATURE_REASON_SUBFILTER_UNSUPPORTED);
      return;
    }

  if (!read_contents (w, doc) || !read_byte_range (w, doc) || !check_gap (w, run))
    return;
  revision = find_revision (w, run);
  if (revision < 0)
    {
      fail (w, TEKEN_SIGNATURE_REASON_BYTE_RANGE_NOT_REVISION);
      return;
    }
  teken_signature_result_set_coverage (w->result, w->range, w->signed_length, revision,
                                       w->signed_length == teken_pdf_document_get_size (doc));

  if (w->kind == SIG_KIND_X509_RSA_SHA1)
    {
      if (!parse_rsa_sha1 (w, doc))
        return;
    }
  else if (!parse_cms (w))
    return;

  w->md_ctx = EVP_MD_CTX_new ();
  if (w->md_ctx == NULL || EVP_DigestInit_ex (w->md_ctx, w->range_md, NULL) != 1)
    fail (w, TEKEN_SIGNATURE_REASON_INTERNAL_ERROR);
}

/* ------------------------------------------------------------------------------------------ */
/* One sequential pass over the file for every signature's ranges. */

static gboolean
hash_ranges (Run     *run,
             GError **error)
{
  const char *path = teken_pdf_document_get_path (run->doc);
  g_autofree guint8 *buffer = NULL;
  gsize end = 0;
  int fd = -1;
  gboolean ok = TRUE;

  for (guint i = 0; i < run->works->len; i++)
    {
      SigWork *w = g_ptr_array_index (run->works, i);

      if (w->md_ctx != NULL && !w->broken)
        end = MAX (end, w->signed_length);
    }
  if (end == 0)
    return TRUE;

  if (path != NULL)
    {
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        {
          int saved = errno;
          /* translators: the first %s is a file name, the second the system's reason */
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not read “%s”: %s"),
                       path, g_strerror (saved));
          return FALSE;
        }
#ifdef POSIX_FADV_SEQUENTIAL
      posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    }

  buffer = g_malloc (CHUNK_SIZE);
  for (gsize off = 0; off < end && ok; off += CHUNK_SIZE)
    {
      gsize want = MIN ((gsize) CHUNK_SIZE, end - off);
      gsize got = 0;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (fd >= 0)
        {
          while (got < want)
            {
              ssize_t r = pread (fd, buffer + got, want - got, off + got);

              if (r < 0 && errno == EINTR)
                continue;
              if (r <= 0)
                {
                  int saved = r < 0 ? errno : EIO;
                  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not read “%s”: %s"),
                               path, g_strerror (saved));
                  ok = FALSE;
                  break;
                }
              got += r;
            }
        }
      else if (!teken_pdf_document_read (run->doc, off, buffer, want, error))
        ok = FALSE;
      if (!ok)
        break;

      for (guint i = 0; i < run->works->len; i++)
        {
          SigWork *w = g_ptr_array_index (run->works, i);

          if (w->md_ctx == NULL || w->broken)
            continue;
          for (int r = 0; r < 2; r++)
            {
              gsize a = (gsize) w->range[2 * r], b = a + (gsize) w->range[2 * r + 1];
              gsize lo = MAX (a, off), hi = MIN (b, off + want);

              if (lo < hi)
                EVP_DigestUpdate (w->md_ctx, buffer + (lo - off), hi - lo);
            }
        }
    }
  if (fd >= 0)
    close (fd);
  if (!ok)
    return FALSE;

  for (guint i = 0; i < run->works->len; i++)
    {
      SigWork *w = g_ptr_array_index (run->works, i);

      if (w->md_ctx != NULL && !w->broken &&
          EVP_DigestFinal_ex (w->md_ctx, w->range_digest, &w->range_digest_len) != 1)
        fail (w, TEKEN_SIGNATURE_REASON_INTERNAL_ERROR);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Cryptographic checks */

static STACK_OF (X509) *
collect_certificates (SigWork *w,
                      Run     *run)
{
  STACK_OF (X509) *certs = w->cms ? CMS_get1_certs (w->cms) : NULL;

  if (certs == NULL)
    certs = sk_X509_new_null ();
  if (w->rsa_sha1_certs != NULL)
    for (int i = 0; i < sk_X509_num (w->rsa_sha1_certs); i++)
      {
        X509_up_ref (sk_X509_value (w->rsa_sha1_certs, i));
        sk_X509_push (certs, sk_X509_value (w->rsa_sha1_certs, i));
      }
  for (int i = 0; i < sk_X509_num (run->dss_certs); i++)
    {
      X509_up_ref (sk_X509_value (run->dss_certs, i));
      sk_X509_push (certs, sk_X509_value (run->dss_certs, i));
    }
  return certs;
}

static X509 *
find_signer (SigWork         *w,
             STACK_OF (X509) *certs)
{
  if (w->rsa_sha1_signer != NULL)
    return w->rsa_sha1_signer;
  /* CMS_SignerInfo_cert_cmp matches issuer+serial or the subject key identifier. */
  for (int i = 0; i < sk_X509_num (certs); i++)
    if (CMS_SignerInfo_cert_cmp (w->si, sk_X509_value (certs, i)) == 0)
      return sk_X509_value (certs, i);
  return NULL;
}

/* Sets up ctx for the SignerInfo's signature algorithm; *md_out is the digest (NULL for EdDSA). */
static gboolean
setup_verify (EVP_MD_CTX       *ctx,
              EVP_PKEY         *pkey,
              const X509_ALGOR *sig_alg,
              const EVP_MD     *digest,
              const char      **alg_name)
{
  int nid = OBJ_obj2nid (sig_alg->algorithm);
  int hash_nid = NID_undef, pkey_nid = NID_undef;
  EVP_PKEY_CTX *pctx = NULL;
  g_autoptr(EVP_MD) sig_md = NULL;

  if (nid == NID_ED25519 || nid == NID_ED448)
    {
      *alg_name = nid == NID_ED25519 ? "Ed25519" : "Ed448";
      if (!EVP_PKEY_is_a (pkey, nid == NID_ED25519 ? "ED25519" : "ED448"))
        return FALSE;
      return EVP_DigestVerifyInit (ctx, NULL, NULL, NULL, pkey) == 1;
    }

  if (nid == NID_rsassaPss)
    {
      g_autoptr(RSA_PSS_PARAMS) pss = NULL;
      g_autoptr(EVP_MD) mgf_md = NULL;
      g_autoptr(EVP_MD) pss_md = NULL;
      int salt = 20;

      *alg_name = "RSA-PSS";
      if (!EVP_PKEY_is_a (pkey, "RSA") && !EVP_PKEY_is_a (pkey, "RSA-PSS"))
        return FALSE;
      pss = ASN1_TYPE_unpack_sequence (ASN1_ITEM_rptr (RSA_PSS_PARAMS), sig_alg->parameter);
      if (pss == NULL)
        return FALSE;
      pss_md = pss->hashAlgorithm ? fetch_digest (pss->hashAlgorithm->algorithm) : EVP_MD_fetch (NULL, "SHA1", NULL);
      if (pss->maskGenAlgorithm != NULL)
        {
          X509_ALGOR *mgf_hash;

          if (OBJ_obj2nid (pss->maskGenAlgorithm->algorithm) != NID_mgf1)
            return FALSE;
          mgf_hash = ASN1_TYPE_unpack_sequence (ASN1_ITEM_rptr (X509_ALGOR), pss->maskGenAlgorithm->parameter);
          if (mgf_hash == NULL)
            return FALSE;
          mgf_md = fetch_digest (mgf_hash->algorithm);
          X509_ALGOR_free (mgf_hash);
        }
      else
        mgf_md = EVP_MD_fetch (NULL, "SHA1", NULL);
      if (pss->saltLength != NULL)
        salt = (int) ASN1_INTEGER_get (pss->saltLength);
      if (pss_md == NULL || mgf_md == NULL || salt < 0 || salt > 1024)
        return FALSE;
      if (EVP_MD_get_type (pss_md) != EVP_MD_get_type (digest))
        return FALSE;  /* the PSS hash must be the digest the signed attributes use */
      if (EVP_DigestVerifyInit (ctx, &pctx, pss_md, NULL, pkey) != 1 ||
          EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
          EVP_PKEY_CTX_set_rsa_mgf1_md (pctx, mgf_md) != 1 ||
          EVP_PKEY_CTX_set_rsa_pss_saltlen (pctx, salt) != 1)
        return FALSE;
      return TRUE;
    }

  /* rsaEncryption / ecPublicKey, or a combined OID such as sha256WithRSAEncryption. */
  if (OBJ_find_sigid_algs (nid, &hash_nid, &pkey_nid) && hash_nid != NID_undef)
    {
      if (hash_nid != EVP_MD_get_type (digest))
        {
          sig_md = EVP_MD_fetch (NULL, OBJ_nid2sn (hash_nid), NULL);
          if (sig_md == NULL)
            return FALSE;
          digest = sig_md;
        }
    }
  else
    pkey_nid = nid;

  if (pkey_nid == NID_rsaEncryption || pkey_nid == NID_rsa)
    {
      *alg_name = "RSA";
      if (!EVP_PKEY_is_a (pkey, "RSA"))
        return FALSE;
      if (EVP_DigestVerifyInit (ctx, &pctx, digest, NULL, pkey) != 1 ||
          EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PADDING) != 1)
        return FALSE;
      return TRUE;
    }
  if (pkey_nid == NID_X9_62_id_ecPublicKey)
    {
      *alg_name = "ECDSA";
      if (!EVP_PKEY_is_a (pkey, "EC"))
        return FALSE;
      return EVP_DigestVerifyInit (ctx, NULL, digest, NULL, pkey) == 1;
    }
  return FALSE;
}

/* DER of the signed attributes as the signer encoded them (a SET OF, tag 0x31). */
static guint8 *
signed_attrs_der (CMS_SignerInfo *si,
                  int            *len)
{
  STACK_OF (X509_ATTRIBUTE) *attrs = sk_X509_ATTRIBUTE_new_null ();
  unsigned char *der = NULL;
  int n = CMS_signed_get_attr_count (si);

  for (int i = 0; i < n; i++)
    sk_X509_ATTRIBUTE_push (attrs, CMS_signed_get_attr (si, i));
  *len = ASN1_item_i2d ((ASN1_VALUE *) attrs, &der, ASN1_ITEM_rptr (PKCS7_ATTR_VERIFY));
  sk_X509_ATTRIBUTE_free (attrs);
  if (*len <= 0)
    return NULL;
  return der;
}

static gboolean
check_signing_certificate (CMS_SignerInfo *si,
                           X509           *signer)
{
  ASN1_STRING *v1 = CMS_signed_get0_data_by_OBJ (si, OBJ_nid2obj (NID_id_smime_aa_signingCertificate), -3, V_ASN1_SEQUENCE);
  ASN1_STRING *v2 = CMS_signed_get0_data_by_OBJ (si, OBJ_nid2obj (NID_id_smime_aa_signingCertificateV2), -3, V_ASN1_SEQUENCE);
  g_autoptr(ESS_SIGNING_CERT) ss = NULL;
  g_autoptr(ESS_SIGNING_CERT_V2) ssv2 = NULL;
  g_autoptr(TekenX509Stack) chain = NULL;
  int r;

  if (v1 == NULL && v2 == NULL)
    return TRUE;
  if (v1 != NULL)
    {
      const unsigned char *p = ASN1_STRING_get0_data (v1);
      ss = d2i_ESS_SIGNING_CERT (NULL, &p, ASN1_STRING_length (v1));
      if (ss == NULL)
        return FALSE;
    }
  if (v2 != NULL)
    {
      const unsigned char *p = ASN1_STRING_get0_data (v2);
      ssv2 = d2i_ESS_SIGNING_CERT_V2 (NULL, &p, ASN1_STRING_length (v2));
      if (ssv2 == NULL)
        return FALSE;
    }
  chain = sk_X509_new_null ();
  X509_up_ref (signer);
  sk_X509_push (chain, signer);
  r = OSSL_ESS_check_signing_certs (ss, ssv2, chain, 1);
  ERR_clear_error ();
  return r > 0;
}

static gboolean
digest_equal (const guint8 *a,
              gsize         alen,
              const guint8 *b,
              gsize         blen)
{
  return alen == blen && alen > 0 && CRYPTO_memcmp (a, b, alen) == 0;
}

/* Verifies the SignerInfo: messageDigest = content_digest, the signature value with the signer's key. */
static void
verify_signer_info (SigWork      *w,
                    X509         *signer,
                    const guint8 *content_digest,
                    gsize         content_digest_len,
                    const EVP_MD *digest)
{
  EVP_PKEY *pkey = X509_get0_pubkey (signer);
  X509_ALGOR *sig_alg = NULL;
  ASN1_OCTET_STRING *sig_value = CMS_SignerInfo_get0_signature (w->si);
  g_autoptr(EVP_MD_CTX) ctx = EVP_MD_CTX_new ();
  const char *alg_name = NULL;
  gboolean intact = TRUE;
  int n_signed = CMS_signed_get_attr_count (w->si);

  CMS_SignerInfo_get0_algs (w->si, NULL, NULL, NULL, &sig_alg);
  if (pkey == NULL || sig_alg == NULL || sig_value == NULL)
    {
      fail (w, TEKEN_SIGNATURE_REASON_CMS_MALFORMED);
      return;
    }

  if (n_signed > 0)
    {
      ASN1_OCTET_STRING *md_attr = CMS_signed_get0_data_by_OBJ (w->si, OBJ_nid2obj (NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING);
      g_autofree guint8 *der = NULL;
      unsigned char *openssl_der;
      int der_len = 0;

      if (md_attr == NULL ||
          CMS_signed_get0_data_by_OBJ (w->si, OBJ_nid2obj (NID_pkcs9_contentType), -3, V_ASN1_OBJECT) == NULL)
        {
          fail (w, TEKEN_SIGNATURE_REASON_CMS_MALFORMED);
          return;
        }
      if (!digest_equal (ASN1_STRING_get0_data (md_attr), ASN1_STRING_length (md_attr),
                         content_digest, content_digest_len))
        {
          add_reason (w, TEKEN_SIGNATURE_REASON_DIGEST_MISMATCH);
          intact = FALSE;
        }
      openssl_der = signed_attrs_der (w->si, &der_len);
      if (openssl_der == NULL)
        {
          fail (w, TEKEN_SIGNATURE_REASON_CMS_MALFORMED);
          return;
        }
      der = g_memdup2 (openssl_der, der_len);
      OPENSSL_free (openssl_der);
      if (!setup_verify (ctx, pkey, sig_alg, digest, &alg_name))
        {
          ERR_clear_error ();
          teken_signature_result_set_format (w->result, teken_signature_result_get_subfilter (w->result),
                                             digest_display_name (digest), alg_name, NULL);
          fail (w, TEKEN_SIGNATURE_REASON_UNSUPPORTED_ALGORITHM);
          return;
        }
      if (EVP_DigestVerify (ctx, ASN1_STRING_get0_data (sig_value), ASN1_STRING_length (sig_value),
                            der, der_len) != 1)
        {
          add_reason (w, TEKEN_SIGNATURE_REASON_SIGNATURE_MISMATCH);
          intact = FALSE;
        }
      ERR_clear_error ();
      if (!check_signing_certificate (w->si, signer))
        {
          add_reason (w, TEKEN_SIGNATURE_REASON_SIGNING_CERTIFICATE_MISMATCH);
          intact = FALSE;
        }
    }
  else
    {
      /* No signed attributes: the signature is over the content digest itself. */
      g_autoptr(EVP_PKEY_CTX) pctx = EVP_PKEY_CTX_new (pkey, NULL);
      int pkey_nid = OBJ_obj2nid (sig_alg->algorithm), hash_nid = NID_undef;

      OBJ_find_sigid_algs (pkey_nid, &hash_nid, &pkey_nid);
      if (EVP_PKEY_is_a (pkey, "RSA") && (pkey_nid == NID_rsaEncryption || pkey_nid == NID_rsa))
        alg_name = "RSA";
      else if (EVP_PKEY_is_a (pkey, "EC") && pkey_nid == NID_X9_62_id_ecPublicKey)
        alg_name = "ECDSA";
      if (alg_name == NULL || pctx == NULL || EVP_PKEY_verify_init (pctx) != 1 ||
          EVP_PKEY_CTX_set_signature_md (pctx, digest) != 1 ||
          (g_str_equal (alg_name, "RSA") && EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PADDING) != 1))
        {
          ERR_clear_error ();
          fail (w, TEKEN_SIGNATURE_REASON_UNSUPPORTED_ALGORITHM);
          return;
        }
      if (EVP_PKEY_verify (pctx, ASN1_STRING_get0_data (sig_value), ASN1_STRING_length (sig_value),
                           content_digest, content_digest_len) != 1)
        {
          add_reason (w, TEKEN_SIGNATURE_REASON_SIGNATURE_MISMATCH);
          intact = FALSE;
        }
      ERR_clear_error ();
    }
  teken_signature_result_set_format (w->result, teken_signature_result_get_subfilter (w->result),
                                     digest_display_name (digest), alg_name, NULL);
  if (EVP_MD_get_type (digest) == NID_sha1)
    add_reason (w, TEKEN_SIGNATURE_REASON_WEAK_DIGEST);
  teken_signature_result_set_integrity (w->result, intact);
}

static void
verify_rsa_sha1 (SigWork *w)
{
  gsize len;
  const unsigned char *p = g_bytes_get_data (w->contents, &len);
  g_autoptr(ASN1_OCTET_STRING) sig = d2i_ASN1_OCTET_STRING (NULL, &p, (long) len);
  EVP_PKEY *pkey = X509_get0_pubkey (w->rsa_sha1_signer);
  g_autoptr(EVP_PKEY_CTX) pctx = NULL;
  gboolean ok;

  ERR_clear_error ();
  teken_signature_result_set_format (w->result, "adbe.x509.rsa_sha1", "SHA-1", "RSA", "PKCS#1");
  add_reason (w, TEKEN_SIGNATURE_REASON_WEAK_DIGEST);
  if (sig == NULL)
    {
      fail (w, TEKEN_SIGNATURE_REASON_CMS_MALFORMED);
      return;
    }
  if (pkey == NULL || !EVP_PKEY_is_a (pkey, "RSA"))
    {
      fail (w, TEKEN_SIGNATURE_REASON_UNSUPPORTED_ALGORITHM);
      return;
    }
  pctx = EVP_PKEY_CTX_new (pkey, NULL);
  ok = pctx != NULL && EVP_PKEY_verify_init (pctx) == 1 &&
       EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PADDING) == 1 &&
       EVP_PKEY_CTX_set_signature_md (pctx, w->range_md) == 1 &&
       EVP_PKEY_verify (pctx, ASN1_STRING_get0_data (sig), ASN1_STRING_length (sig),
                        w->range_digest, w->range_digest_len) == 1;
  ERR_clear_error ();
  if (!ok)
    add_reason (w, TEKEN_SIGNATURE_REASON_SIGNATURE_MISMATCH);
  teken_signature_result_set_integrity (w->result, ok);
}

/* ------------------------------------------------------------------------------------------ */
/* Certificates and trust */

typedef struct
{
  GArray *errors;  /* pairs (error, depth) */
} VerifyCollect;

static int
collect_verify_errors (int             ok,
                       X509_STORE_CTX *ctx)
{
  VerifyCollect *c = X509_STORE_CTX_get_app_data (ctx);

  if (!ok && c != NULL)
    {
      int e[2] = { X509_STORE_CTX_get_error (ctx), X509_STORE_CTX_get_error_depth (ctx) };

      g_array_append_vals (c->errors, e, 2);
    }
  return 1;  /* keep going: report every problem, the status decides */
}

static gboolean
eku_allows_signing (X509 *cert)
{
  EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i (cert, NID_ext_key_usage, NULL, NULL);
  gboolean ok = FALSE;

  if (eku == NULL)
    return TRUE;  /* no restriction */
  for (int i = 0; i < sk_ASN1_OBJECT_num (eku) && !ok; i++)
    {
      ASN1_OBJECT *obj = sk_ASN1_OBJECT_value (eku, i);
      char buf[80];

      OBJ_obj2txt (buf, sizeof buf, obj, 1);
      switch (OBJ_obj2nid (obj))
        {
        case NID_email_protect:
        case NID_anyExtendedKeyUsage:
        case NID_client_auth:
          ok = TRUE;
          break;
        default:
          /* Adobe PDF signing (BSrE legacy, critical), id-kp-documentSigning (RFC 9336),
           * Microsoft document signing. */
          ok = g_str_equal (buf, ADOBE_PDF_SIGNING_OID) || g_str_equal (buf, "1.3.6.1.5.5.7.3.36") ||
               g_str_equal (buf, "1.3.6.1.4.1.311.10.3.12");
        }
    }
  sk_ASN1_OBJECT_pop_free (eku, ASN1_OBJECT_free);
  return ok;
}

static gboolean
eku_has_timestamping (X509 *cert)
{
  EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i (cert, NID_ext_key_usage, NULL, NULL);
  gboolean ok = FALSE;

  for (int i = 0; eku != NULL && i < sk_ASN1_OBJECT_num (eku); i++)
    if (OBJ_obj2nid (sk_ASN1_OBJECT_value (eku, i)) == NID_time_stamp)
      ok = TRUE;
  if (eku != NULL)
    sk_ASN1_OBJECT_pop_free (eku, ASN1_OBJECT_free);
  return ok;
}

static void
check_trust (SigWork         *w,
             Run             *run,
             X509            *signer,
             STACK_OF (X509) *certs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(X509_STORE) store = teken_trust_store_create_x509_store (run->store, &error);
  g_autoptr(X509_STORE_CTX) ctx = X509_STORE_CTX_new ();
  g_autoptr(TekenX509Stack) untrusted = teken_trust_store_dup_intermediates (run->store);
  g_autoptr(GPtrArray) chain_infos = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TekenCertInfo) signer_info = teken_cert_info_new (signer);
  g_autoptr(GArray) errors = g_array_new (FALSE, FALSE, sizeof (int));
  VerifyCollect collect = { errors };
  GDateTime *signing_time = teken_signature_result_get_signing_time (w->result);
  TekenTimeSource source = teken_signature_result_get_time_source (w->result);
  GDateTime *check_time = signing_time ? signing_time : run->validation_time;
  STACK_OF (X509) *chain;
  time_t validation_unix = g_date_time_to_unix (run->validation_time);
  gboolean trusted = TRUE;
  guint32 ku;

  for (int i = 0; i < sk_X509_num (certs); i++)
    {
      X509_up_ref (sk_X509_value (certs, i));
      sk_X509_push (untrusted, sk_X509_value (certs, i));
    }
  if (store == NULL || ctx == NULL || X509_STORE_CTX_init (ctx, store, signer, untrusted) != 1)
    {
      add_reason (w, TEKEN_SIGNATURE_REASON_INTERNAL_ERROR);
      return;
    }
  /* A user may trust an intermediate CA directly. */
  X509_STORE_CTX_set_flags (ctx, X509_V_FLAG_PARTIAL_CHAIN);
  X509_VERIFY_PARAM_set_time (X509_STORE_CTX_get0_param (ctx), g_date_time_to_unix (check_time));
  X509_STORE_CTX_set_app_data (ctx, &collect);
  X509_STORE_CTX_set_verify_cb (ctx, collect_verify_errors);
  if (X509_verify_cert (ctx) < 0)
    add_reason (w, TEKEN_SIGNATURE_REASON_INTERNAL_ERROR);
  ERR_clear_error ();

  for (guint i = 0; i + 1 < errors->len; i += 2)
    {
      int err = g_array_index (errors, int, i), depth = g_array_index (errors, int, i + 1);

      switch (err)
        {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
          add_reason (w, TEKEN_SIGNATURE_REASON_ISSUER_UNKNOWN);
          trusted = FALSE;
          break;
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
          add_reason (w, TEKEN_SIGNATURE_REASON_UNTRUSTED_ROOT);
          trusted = FALSE;
          break;
        case X509_V_ERR_CERT_NOT_YET_VALID:
          add_reason (w, depth == 0 ? TEKEN_SIGNATURE_REASON_CERTIFICATE_NOT_YET_VALID
                                    : TEKEN_SIGNATURE_REASON_CHAIN_INVALID);
          break;
        case X509_V_ERR_CERT_HAS_EXPIRED:
          add_reason (w, depth == 0 ? TEKEN_SIGNATURE_REASON_NOT_VALID_AT_SIGNING_TIME
                                    : TEKEN_SIGNATURE_REASON_CHAIN_INVALID);
          break;
        default:
          g_debug ("chain error %d at depth %d: %s", err, depth, X509_verify_cert_error_string (err));
          add_reason (w, TEKEN_SIGNATURE_REASON_CHAIN_INVALID);
          trusted = FALSE;
          break;
        }
    }

  chain = X509_STORE_CTX_get0_chain (ctx);
  for (int i = 0; chain != NULL && i < sk_X509_num (chain); i++)
    {
      X509 *cert = sk_X509_value (chain, i);

      g_ptr_array_add (chain_infos, i == 0 ? g_object_ref (signer_info) : teken_cert_info_new (cert));
      /* Without a timestamp nothing proves the signature was made while the certificates were
       * valid: they must still be valid now (or at --at). Trust anchors are exempt. */
      if (source != TEKEN_TIME_SOURCE_TIMESTAMP && !teken_trust_store_is_anchor (run->store, cert) &&
          X509_cmp_time (X509_get0_notAfter (cert), &validation_unix) < 0)
        add_reason (w, TEKEN_SIGNATURE_REASON_CERTIFICATE_EXPIRED);
    }
  if (chain_infos->len == 0)
    g_ptr_array_add (chain_infos, g_object_ref (signer_info));
  teken_signature_result_set_certificates (w->result, signer_info, chain_infos, trusted && errors->len == 0);

  if (signing_time != NULL && source == TEKEN_TIME_SOURCE_CLAIMED &&
      g_date_time_difference (signing_time, run->validation_time) > CLOCK_SKEW)
    add_reason (w, TEKEN_SIGNATURE_REASON_SIGNING_TIME_IN_FUTURE);

  /* Key usage: a key whose certificate forbids signatures (INVALID, see docs/verify-json.md). */
  ku = X509_get_key_usage (signer);
  if (w->kind == SIG_KIND_RFC3161)
    {
      if (!eku_has_timestamping (signer))
        add_reason (w, TEKEN_SIGNATURE_REASON_EXTENDED_KEY_USAGE);
    }
  else
    {
      if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
        add_reason (w, TEKEN_SIGNATURE_REASON_KEY_USAGE);
      if (!eku_allows_signing (signer))
        add_reason (w, TEKEN_SIGNATURE_REASON_EXTENDED_KEY_USAGE);
    }
}

/* Long-term validation (functions in teken-ltv-check.c, ltv helper): the signature time stamp
 * becomes the signing time when valid; revocation from the DSS, adbe-revocationInfoArchival or
 * online (when a revocation checker is set). */
static TekenTimestampCheck *
ltv_check_timestamp (SigWork *w,
                     Run     *run)
{
  g_autoptr(X509_STORE) store = teken_trust_store_create_x509_store (run->store, NULL);
  g_autoptr(TekenX509Stack) extra = teken_trust_store_dup_intermediates (run->store);
  TekenTimestampCheck *ts;

  if (w->kind != SIG_KIND_CMS || w->si == NULL || store == NULL)
    return NULL;
  ts = teken_ltv_check_signature_timestamp (w->si, store, extra);
  if (ts == NULL)
    return NULL;
  teken_signature_result_set_timestamp (w->result, ts->time, ts->tsa_name,
                                        ts->status == TEKEN_LTV_CHECK_VALID ? TEKEN_SIGNATURE_STATUS_VALID :
                                        ts->status == TEKEN_LTV_CHECK_INVALID ? TEKEN_SIGNATURE_STATUS_INVALID :
                                        TEKEN_SIGNATURE_STATUS_INDETERMINATE);
  if (ts->status == TEKEN_LTV_CHECK_VALID && ts->time != NULL)
    teken_signature_result_set_signing_time (w->result, ts->time, TEKEN_TIME_SOURCE_TIMESTAMP);
  else
    add_reason (w, TEKEN_SIGNATURE_REASON_TIMESTAMP_INVALID);
  return ts;
}

static void
ltv_check_revocation (SigWork             *w,
                      Run                 *run,
                      X509                *signer,
                      STACK_OF (X509)     *certs,
                      TekenTimestampCheck *ts)
{
  g_autoptr(TekenDss) dss = run->use_dss ? teken_dss_read (run->doc, NULL) : NULL;
  g_autoptr(TekenX509Stack) pool = teken_trust_store_dup_intermediates (run->store);
  g_autoptr(TekenRevocationCheck) rc = NULL;
  g_autoptr(TekenRevocationChecker) checker = NULL;
  GPtrArray *anchors = teken_trust_store_get_anchors (run->store);
  gboolean timestamped = ts != NULL && ts->status == TEKEN_LTV_CHECK_VALID;

  if (w->kind != SIG_KIND_CMS)
    return;
  for (int i = 0; i < sk_X509_num (certs); i++)
    {
      X509_up_ref (sk_X509_value (certs, i));
      sk_X509_push (pool, sk_X509_value (certs, i));
    }
  for (guint i = 0; i < anchors->len; i++)
    {
      X509 *cert = teken_cert_info_get_x509 (g_ptr_array_index (anchors, i));

      X509_up_ref (cert);
      sk_X509_push (pool, cert);
    }
  g_mutex_lock (&run->verifier->lock);
  if (run->verifier->revocation_checker)
    checker = g_object_ref (run->verifier->revocation_checker);
  g_mutex_unlock (&run->verifier->lock);

  rc = teken_ltv_check_revocation (signer, pool, dss, w->si, ts ? ts->certs : NULL,
                                   teken_signature_result_get_signing_time (w->result),
                                   timestamped, checker, run->cancellable);
  if (rc->status == TEKEN_LTV_REVOCATION_NOT_CHECKED)
    return;
  teken_signature_result_set_revocation (w->result,
                                         rc->status == TEKEN_LTV_REVOCATION_GOOD ? TEKEN_REVOCATION_STATUS_GOOD :
                                         rc->status == TEKEN_LTV_REVOCATION_REVOKED ? TEKEN_REVOCATION_STATUS_REVOKED :
                                         TEKEN_REVOCATION_STATUS_UNKNOWN,
                                         rc->embedded ? TEKEN_REVOCATION_SOURCE_EMBEDDED : TEKEN_REVOCATION_SOURCE_ONLINE,
                                         rc->time);
  if (rc->status == TEKEN_LTV_REVOCATION_REVOKED && rc->revoked_before_signing)
    add_reason (w, TEKEN_SIGNATURE_REASON_CERTIFICATE_REVOKED);
  teken_signature_result_set_ltv (w->result, rc->ltv && timestamped);
}

static void
verify_crypto (SigWork *w,
               Run     *run)
{
  g_autoptr(TekenTimestampCheck) ltv_ts = NULL;
  g_autoptr(TekenX509Stack) certs = NULL;
  X509 *signer;

  if (w->broken || w->md_ctx == NULL)
    return;
  certs = collect_certificates (w, run);
  signer = find_signer (w, certs);
  if (signer == NULL)
    {
      fail (w, TEKEN_SIGNATURE_REASON_SIGNER_CERTIFICATE_MISSING);
      return;
    }

  switch (w->kind)
    {
    case SIG_KIND_CMS:
      verify_signer_info (w, signer, w->range_digest, w->range_digest_len, w->range_md);
      break;
    case SIG_KIND_PKCS7_SHA1:
    case SIG_KIND_RFC3161:
      {
        ASN1_OCTET_STRING **content = CMS_get0_content (w->cms);
        X509_ALGOR *digest_alg = NULL;
        g_autoptr(EVP_MD) md = NULL;
        guint8 econtent_digest[EVP_MAX_MD_SIZE];
        unsigned int econtent_len = 0;
        gboolean imprint_ok;

        CMS_SignerInfo_get0_algs (w->si, NULL, NULL, &digest_alg, NULL);
        md = fetch_digest (digest_alg->algorithm);
        if (content == NULL || *content == NULL || md == NULL)
          {
            fail (w, md == NULL ? TEKEN_SIGNATURE_REASON_UNSUPPORTED_ALGORITHM : TEKEN_SIGNATURE_REASON_CMS_MALFORMED);
            return;
          }
        if (w->kind == SIG_KIND_PKCS7_SHA1)
          imprint_ok = digest_equal (ASN1_STRING_get0_data (*content), ASN1_STRING_length (*content),
                                     w->range_digest, w->range_digest_len);
        else
          {
            ASN1_OCTET_STRING *imprint = TS_MSG_IMPRINT_get_msg (TS_TST_INFO_get_msg_imprint (w->tst));

            imprint_ok = digest_equal (ASN1_STRING_get0_data (imprint), ASN1_STRING_length (imprint),
                                       w->range_digest, w->range_digest_len);
          }
        if (!imprint_ok)
          add_reason (w, TEKEN_SIGNATURE_REASON_DIGEST_MISMATCH);
        if (EVP_Digest (ASN1_STRING_get0_data (*content), ASN1_STRING_length (*content),
                        econtent_digest, &econtent_len, md, NULL) != 1)
          {
            fail (w, TEKEN_SIGNATURE_REASON_INTERNAL_ERROR);
            return;
          }
        verify_signer_info (w, signer, econtent_digest, econtent_len, md);
        if (!imprint_ok)
          teken_signature_result_set_integrity (w->result, FALSE);
        if (w->kind == SIG_KIND_PKCS7_SHA1)
          {
            /* The document itself is only protected by SHA-1, whatever the CMS uses. */
            teken_signature_result_set_format (w->result, teken_signature_result_get_subfilter (w->result), "SHA-1",
                                               teken_signature_result_get_signature_algorithm (w->result), NULL);
            add_reason (w, TEKEN_SIGNATURE_REASON_WEAK_DIGEST);
          }
        if (w->kind == SIG_KIND_RFC3161)
          {
            g_autoptr(GDateTime) gen_time = teken_asn1_time_to_date_time (TS_TST_INFO_get_time (w->tst));

            teken_signature_result_set_signing_time (w->result, gen_time, TEKEN_TIME_SOURCE_TIMESTAMP);
          }
        break;
      }
    case SIG_KIND_X509_RSA_SHA1:
    default:
      verify_rsa_sha1 (w);
      break;
    }

  /* A CMS signingTime attribute is a claim inside the signed data: prefer it over /M. */
  if (w->kind != SIG_KIND_RFC3161 && w->si != NULL)
    {
      int idx = CMS_signed_get_attr_by_NID (w->si, NID_pkcs9_signingTime, -1);

      if (idx >= 0)
        {
          X509_ATTRIBUTE *attr = CMS_signed_get_attr (w->si, idx);
          ASN1_TYPE *value = X509_ATTRIBUTE_get0_type (attr, 0);

          if (value != NULL && (value->type == V_ASN1_UTCTIME || value->type == V_ASN1_GENERALIZEDTIME))
            {
              g_autoptr(GDateTime) st = teken_asn1_time_to_date_time ((ASN1_TIME *) value->value.ptr);

              if (st != NULL)
                teken_signature_result_set_signing_time (w->result, st, TEKEN_TIME_SOURCE_CLAIMED);
            }
        }
    }

  ltv_ts = ltv_check_timestamp (w, run);
  check_trust (w, run, signer, certs);
  ltv_check_revocation (w, run, signer, certs, ltv_ts);
}

/* ------------------------------------------------------------------------------------------ */
/* After signing */

/* FieldMDP (ISO 32000-1 §12.8.2.4): the signature's /Reference transform, or the field's /Lock,
 * names the form fields this signature locks. */
static void
apply_fieldmdp_params (Run                          *run,
                       TekenPdfObject               *params,
                       TekenModificationPermissions *perms)
{
  g_autoptr(TekenPdfObject) action = NULL;
  g_autoptr(TekenPdfObject) fields = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  if (params == NULL || teken_pdf_object_get_kind (params) != TEKEN_PDF_DICT)
    return;
  action = teken_pdf_document_lookup (run->doc, params, "Action", NULL);
  fields = teken_pdf_document_lookup (run->doc, params, "Fields", NULL);
  for (guint i = 0; fields != NULL && teken_pdf_object_get_kind (fields) == TEKEN_PDF_ARRAY &&
       i < MIN (teken_pdf_array_get_length (fields), 10000); i++)
    {
      g_autofree char *name = teken_pdf_object_get_text (teken_pdf_array_get (fields, i));

      if (name != NULL)
        g_strv_builder_add (names, name);
    }
  perms->fieldmdp_present = TRUE;
  if (teken_pdf_object_is_name (action, "Include"))
    {
      g_strfreev (perms->fieldmdp_include);
      perms->fieldmdp_include = g_strv_builder_end (names);
    }
  else if (teken_pdf_object_is_name (action, "Exclude"))
    {
      g_strfreev (perms->fieldmdp_exclude);
      perms->fieldmdp_exclude = g_strv_builder_end (names);
    }
  else
    perms->fieldmdp_all = TRUE;  /* /All, or anything unknown: lock everything */
}

static void
read_fieldmdp (SigWork                      *w,
               Run                          *run,
               TekenModificationPermissions *perms)
{
  g_autoptr(TekenPdfObject) refs = teken_pdf_document_lookup (run->doc, w->sig, "Reference", NULL);
  g_autoptr(TekenPdfObject) lock = teken_pdf_document_lookup (run->doc, w->field, "Lock", NULL);

  for (guint i = 0; refs != NULL && teken_pdf_object_get_kind (refs) == TEKEN_PDF_ARRAY &&
       i < teken_pdf_array_get_length (refs); i++)
    {
      g_autoptr(TekenPdfObject) ref = teken_pdf_document_resolve (run->doc, teken_pdf_array_get (refs, i), NULL);
      g_autoptr(TekenPdfObject) method = NULL;
      g_autoptr(TekenPdfObject) params = NULL;

      if (ref == NULL || teken_pdf_object_get_kind (ref) != TEKEN_PDF_DICT)
        continue;
      method = teken_pdf_document_lookup (run->doc, ref, "TransformMethod", NULL);
      if (!teken_pdf_object_is_name (method, "FieldMDP"))
        continue;
      params = teken_pdf_document_lookup (run->doc, ref, "TransformParams", NULL);
      apply_fieldmdp_params (run, params, perms);
    }
  if (lock != NULL)
    apply_fieldmdp_params (run, lock, perms);
}

static void
analyze_changes (SigWork *w,
                 Run     *run)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) teken_change_free);
  g_autoptr(GError) error = NULL;
  TekenModificationPermissions perms = { 0 };
  TekenModificationLevel level = TEKEN_MODIFICATION_NONE;

  if (!w->have_range || w->broken)
    return;
  perms.docmdp_p = run->docmdp_p;
  read_fieldmdp (w, run, &perms);
  if (!teken_modification_analyze (run->doc, w->signed_length, &perms, &level, changes,
                                   run->cancellable, &error))
    {
      TekenChange change = { 0, 0, TEKEN_CHANGE_ROLE_FILE_STRUCTURE, FALSE, FALSE, 0, error->message };

      g_ptr_array_add (changes, teken_change_copy (&change));
      level = TEKEN_MODIFICATION_DISALLOWED;
    }
  g_clear_pointer (&perms.fieldmdp_include, g_strfreev);
  g_clear_pointer (&perms.fieldmdp_exclude, g_strfreev);
  teken_signature_result_set_modifications (w->result, level, changes);
  if (level == TEKEN_MODIFICATION_DISALLOWED)
    add_reason (w, TEKEN_SIGNATURE_REASON_MODIFIED_DISALLOWED);
  else if (level == TEKEN_MODIFICATION_ALLOWED)
    add_reason (w, TEKEN_SIGNATURE_REASON_MODIFIED_ALLOWED);
}

/* A document time stamp made after this signature (PAdES B-LTA; ltv helper). */
static gboolean
ltv_later_doc_timestamp (SigWork *w,
                         Run     *run)
{
  for (guint i = 0; i < run->works->len; i++)
    {
      SigWork *o = g_ptr_array_index (run->works, i);

      if (o->kind == SIG_KIND_RFC3161 && o->have_range && !o->broken && o->signed_length > w->signed_length)
        return TRUE;
    }
  return FALSE;
}

static void
finish_format (SigWork *w,
               Run     *run)
{
  const char *subfilter = teken_signature_result_get_subfilter (w->result);
  const char *format = NULL;
  gboolean has_ts = w->si != NULL && CMS_unsigned_get_attr_by_NID (w->si, NID_id_smime_aa_timeStampToken, -1) >= 0;

  if (w->kind == SIG_KIND_RFC3161)
    format = "RFC 3161";
  else if (g_strcmp0 (subfilter, "ETSI.CAdES.detached") == 0)
    format = has_ts ? (run->has_dss ? (ltv_later_doc_timestamp (w, run) ? "PAdES-B-LTA" : "PAdES-B-LT")
                                    : "PAdES-B-T") : "PAdES-B-B";
  else if (subfilter != NULL)
    format = has_ts ? "PKCS#7-T" : "PKCS#7";
  teken_signature_result_set_format (w->result, subfilter,
                                     teken_signature_result_get_digest_algorithm (w->result),
                                     teken_signature_result_get_signature_algorithm (w->result),
                                     format);
  if (w->kind != SIG_KIND_RFC3161 && !teken_signature_result_has_timestamp (w->result))
    add_reason (w, TEKEN_SIGNATURE_REASON_NO_TIMESTAMP);
  if (teken_signature_result_get_revocation_status (w->result) == TEKEN_REVOCATION_STATUS_NOT_CHECKED)
    add_reason (w, TEKEN_SIGNATURE_REASON_REVOCATION_NOT_CHECKED);
}

/* ------------------------------------------------------------------------------------------ */

TekenDocumentResult *
teken_verifier_verify_document (TekenVerifier     *self,
                                TekenPdfDocument  *document,
                                GCancellable      *cancellable,
                                GError           **error)
{
  g_autoptr(TekenDocumentResult) result = NULL;
  g_autoptr(GDateTime) now = NULL;
  Run run = { 0 };
  GPtrArray *sections;
  guint n_revisions = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (TEKEN_IS_VERIFIER (self), NULL);
  g_return_val_if_fail (TEKEN_IS_PDF_DOCUMENT (document), NULL);

  if (teken_pdf_document_is_encrypted (document))
    {
      g_set_error_literal (error, TEKEN_VERIFY_ERROR, TEKEN_VERIFY_ERROR_ENCRYPTED,
                           _("The document is encrypted; verifying encrypted documents is not supported yet"));
      return NULL;
    }

  now = g_date_time_new_now_utc ();
  run.verifier = self;
  run.store = g_object_ref (teken_verifier_get_trust_store (self));
  run.validation_time = self->validation_time ? g_date_time_ref (self->validation_time) : g_date_time_ref (now);
  run.use_dss = self->use_dss;
  run.doc = document;
  run.cancellable = cancellable;
  run.works = g_ptr_array_new_with_free_func ((GDestroyNotify) sig_work_free);

  if (!find_signature_fields (&run, error))
    goto out;
  find_docmdp (&run);
  load_dss_certs (&run);

  for (guint i = 0; i < run.works->len; i++)
    {
      SigWork *w = g_ptr_array_index (run.works, i);

      if (w->sig != NULL)
        prepare_signature (w, &run);
    }
  if (!hash_ranges (&run, error))
    goto out;

  result = teken_document_result_new (teken_pdf_document_get_path (document));
  for (guint i = 0; i < run.works->len; i++)
    {
      SigWork *w = g_ptr_array_index (run.works, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (w->sig != NULL)
        {
          verify_crypto (w, &run);
          analyze_changes (w, &run);
          finish_format (w, &run);
        }
      teken_document_result_add_signature (result, w->result);
    }

  sections = teken_pdf_document_get_sections (document);
  for (guint i = 0; i < sections->len; i++)
    if (((TekenPdfSection *) g_ptr_array_index (sections, i))->is_revision)
      n_revisions++;
  teken_document_result_set_file_info (result, teken_pdf_document_get_size (document), n_revisions);
  ok = TRUE;

out:
  g_clear_object (&run.store);
  g_clear_pointer (&run.validation_time, g_date_time_unref);
  g_clear_pointer (&run.works, g_ptr_array_unref);
  g_clear_pointer (&run.annot_pages, g_hash_table_unref);
  if (run.dss_certs != NULL)
    sk_X509_pop_free (run.dss_certs, X509_free);
  return ok ? g_steal_pointer (&result) : NULL;
}

TekenDocumentResult *
teken_verifier_verify_file (TekenVerifier  *self,
                            const char     *path,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_autoptr(TekenPdfDocument) doc = NULL;

  g_return_val_if_fail (TEKEN_IS_VERIFIER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  doc = teken_pdf_document_new_for_path (path, error);
  if (doc == NULL)
    return NULL;
  return teken_verifier_verify_document (self, doc, cancellable, error);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  TekenDocumentResult *result = teken_verifier_verify_file (source_object, task_data, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, g_object_unref);
}

void
teken_verifier_verify_file_async (TekenVerifier       *self,
                                  const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEKEN_IS_VERIFIER (self));
  g_return_if_fail (path != NULL);

  /* Create the default store here, not racing in the thread. */
  teken_verifier_get_trust_store (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teken_verifier_verify_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, verify_thread);
}

TekenDocumentResult *
teken_verifier_verify_file_finish (TekenVerifier  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
