/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-signature-result.h"

struct _TekenSignatureResult
{
  GObject parent_instance;

  TekenSignatureStatus status;
  TekenSignatureType type;
  GArray *reasons;
  gboolean is_unsigned;

  char *field_name;
  int page_index;
  gboolean has_rect;
  TekenPdfRect rect;

  TekenCertInfo *signer;
  GPtrArray *chain;
  gboolean chain_trusted;

  GDateTime *signing_time;
  TekenTimeSource time_source;

  gboolean integrity;
  gboolean whole;
  gboolean has_range;
  gint64 range[4];
  gsize signed_length;
  int revision_index;
  TekenModificationLevel modified;
  GPtrArray *changes;

  char *subfilter;
  char *digest;
  char *sig_alg;
  char *format;

  char *name;
  char *reason;
  char *location;
  char *contact;
  int docmdp;

  TekenRevocationStatus revocation;
  TekenRevocationSource revocation_source;
  GDateTime *revocation_time;

  gboolean has_timestamp;
  GDateTime *timestamp_time;
  char *tsa;
  TekenSignatureStatus timestamp_status;
  gboolean ltv;
};

G_DEFINE_FINAL_TYPE (TekenSignatureResult, teken_signature_result, G_TYPE_OBJECT)

static void
teken_signature_result_finalize (GObject *object)
{
  TekenSignatureResult *self = TEKEN_SIGNATURE_RESULT (object);

  g_array_unref (self->reasons);
  g_free (self->field_name);
  g_clear_object (&self->signer);
  g_ptr_array_unref (self->chain);
  g_clear_pointer (&self->signing_time, g_date_time_unref);
  g_ptr_array_unref (self->changes);
  g_free (self->subfilter);
  g_free (self->digest);
  g_free (self->sig_alg);
  g_free (self->format);
  g_free (self->name);
  g_free (self->reason);
  g_free (self->location);
  g_free (self->contact);
  g_clear_pointer (&self->revocation_time, g_date_time_unref);
  g_clear_pointer (&self->timestamp_time, g_date_time_unref);
  g_free (self->tsa);

  G_OBJECT_CLASS (teken_signature_result_parent_class)->finalize (object);
}

static void
teken_signature_result_class_init (TekenSignatureResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_signature_result_finalize;
}

static void
teken_signature_result_init (TekenSignatureResult *self)
{
  self->reasons = g_array_new (FALSE, FALSE, sizeof (TekenSignatureReason));
  self->chain = g_ptr_array_new_with_free_func (g_object_unref);
  self->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) teken_change_free);
  self->page_index = -1;
  self->revision_index = -1;
  self->status = TEKEN_SIGNATURE_STATUS_VALID;
}

const char *
teken_signature_status_to_string (TekenSignatureStatus status)
{
  switch (status)
    {
    case TEKEN_SIGNATURE_STATUS_VALID: return "valid";
    case TEKEN_SIGNATURE_STATUS_INVALID: return "invalid";
    case TEKEN_SIGNATURE_STATUS_INDETERMINATE: return "indeterminate";
    case TEKEN_SIGNATURE_STATUS_UNSIGNED:
    default: return "unsigned";
    }
}

typedef struct
{
  const char *id;
  TekenSignatureStatus severity;
  const char *message;
} ReasonInfo;

/* Indexed by TekenSignatureReason: keep in the enum's order. */
static const ReasonInfo reason_info[] = {
  { "byte-range-missing", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signature does not say which parts of the file it covers") },
  { "byte-range-malformed", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signed parts of the file are described incorrectly") },
  { "byte-range-gap", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The unsigned part of the file is not just the signature value") },
  { "byte-range-not-revision", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signed part of the file does not end where a version of the document ends") },
  { "contents-missing", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signature value is missing or empty") },
  { "cms-malformed", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signature data is damaged and cannot be read") },
  { "subfilter-unsupported", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signature format is not supported") },
  { "digest-mismatch", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signed content was changed after signing") },
  { "signature-mismatch", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signature value does not match the signer’s certificate") },
  { "signer-certificate-missing", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signer’s certificate is not in the signature") },
  { "signing-certificate-mismatch", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signature names a different signer certificate than the one it contains") },
  { "unsupported-algorithm", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signature uses an algorithm that is not supported or not allowed") },
  { "multiple-signers", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signature data holds more or fewer than one signer") },
  { "modified-disallowed", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The document was changed after it was signed in a way the signature does not allow") },
  { "modified-allowed", TEKEN_SIGNATURE_STATUS_VALID,
    N_("The document was updated after signing only in permitted ways (further signatures, form filling, validation data)") },
  { "issuer-unknown", TEKEN_SIGNATURE_STATUS_INDETERMINATE,
    N_("The certificate authority that issued the signer’s certificate is unknown") },
  { "untrusted-root", TEKEN_SIGNATURE_STATUS_INDETERMINATE,
    N_("The signer’s certificate comes from an authority that is not trusted") },
  { "certificate-expired", TEKEN_SIGNATURE_STATUS_INDETERMINATE,
    N_("The signer’s certificate has expired and the signature has no timestamp proving it was made in time") },
  { "certificate-not-yet-valid", TEKEN_SIGNATURE_STATUS_INDETERMINATE,
    N_("The signer’s certificate was not yet valid at the signing time") },
  { "not-valid-at-signing-time", TEKEN_SIGNATURE_STATUS_INDETERMINATE,
    N_("The signer’s certificate had already expired at the signing time") },
  { "chain-invalid", TEKEN_SIGNATURE_STATUS_INDETERMINATE,
    N_("The chain of certificates of the signer is not valid") },
  { "key-usage", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signer’s certificate may not be used for signatures") },
  { "extended-key-usage", TEKEN_SIGNATURE_STATUS_INDETERMINATE,
    N_("The signer’s certificate is restricted to purposes other than document signing") },
  { "signing-time-in-future", TEKEN_SIGNATURE_STATUS_INDETERMINATE,
    N_("The claimed signing time lies after the validation time") },
  { "certificate-revoked", TEKEN_SIGNATURE_STATUS_INVALID,
    N_("The signer’s certificate was revoked") },
  { "timestamp-invalid", TEKEN_SIGNATURE_STATUS_INDETERMINATE,
    N_("The signature’s timestamp is not valid") },
  { "legacy-subfilter", TEKEN_SIGNATURE_STATUS_VALID,
    N_("The signature uses an old format") },
  { "weak-digest", TEKEN_SIGNATURE_STATUS_INDETERMINATE,
    N_("The signature uses SHA-1, which no longer protects a document against forgery") },
  { "no-timestamp", TEKEN_SIGNATURE_STATUS_VALID,
    N_("The signing time comes from the signer’s computer (no timestamp)") },
  { "revocation-not-checked", TEKEN_SIGNATURE_STATUS_VALID,
    N_("Whether the certificate was revoked was not checked") },
  { "unsigned-field", TEKEN_SIGNATURE_STATUS_UNSIGNED,
    N_("The signature field is not signed") },
  { "internal-error", TEKEN_SIGNATURE_STATUS_INDETERMINATE,
    N_("The signature could not be checked completely") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (reason_info) == TEKEN_SIGNATURE_REASON_INTERNAL_ERROR + 1);

const char *
teken_signature_reason_to_string (TekenSignatureReason reason)
{
  if ((guint) reason >= G_N_ELEMENTS (reason_info))
    return "unknown";
  return reason_info[reason].id;
}

const char *
teken_signature_reason_get_message (TekenSignatureReason reason)
{
  if ((guint) reason >= G_N_ELEMENTS (reason_info))
    return "";
  return _(reason_info[reason].message);
}

TekenSignatureStatus
teken_signature_reason_get_severity (TekenSignatureReason reason)
{
  if ((guint) reason >= G_N_ELEMENTS (reason_info))
    return TEKEN_SIGNATURE_STATUS_INDETERMINATE;
  return reason_info[reason].severity;
}

const char *
teken_time_source_to_string (TekenTimeSource source)
{
  switch (source)
    {
    case TEKEN_TIME_SOURCE_CLAIMED: return "claimed";
    case TEKEN_TIME_SOURCE_TIMESTAMP: return "timestamp";
    case TEKEN_TIME_SOURCE_NONE:
    default: return "none";
    }
}

const char *
teken_revocation_status_to_string (TekenRevocationStatus status)
{
  switch (status)
    {
    case TEKEN_REVOCATION_STATUS_GOOD: return "good";
    case TEKEN_REVOCATION_STATUS_REVOKED: return "revoked";
    case TEKEN_REVOCATION_STATUS_UNKNOWN: return "unknown";
    case TEKEN_REVOCATION_STATUS_NOT_CHECKED:
    default: return "not_checked";
    }
}

const char *
teken_revocation_source_to_string (TekenRevocationSource source)
{
  switch (source)
    {
    case TEKEN_REVOCATION_SOURCE_EMBEDDED: return "embedded";
    case TEKEN_REVOCATION_SOURCE_ONLINE: return "online";
    case TEKEN_REVOCATION_SOURCE_NONE:
    default: return "none";
    }
}

const char *
teken_signature_type_to_string (TekenSignatureType type)
{
  switch (type)
    {
    case TEKEN_SIGNATURE_TYPE_CERTIFICATION: return "certification";
    case TEKEN_SIGNATURE_TYPE_DOCUMENT_TIMESTAMP: return "document-timestamp";
    case TEKEN_SIGNATURE_TYPE_SIGNATURE:
    default: return "signature";
    }
}

static int
severity_rank (TekenSignatureStatus status)
{
  switch (status)
    {
    case TEKEN_SIGNATURE_STATUS_INVALID: return 3;
    case TEKEN_SIGNATURE_STATUS_INDETERMINATE: return 2;
    case TEKEN_SIGNATURE_STATUS_UNSIGNED: return 1;
    case TEKEN_SIGNATURE_STATUS_VALID:
    default: return 0;
    }
}

static int
compare_reasons (gconstpointer a,
                 gconstpointer b)
{
  TekenSignatureReason ra = *(const TekenSignatureReason *) a;
  TekenSignatureReason rb = *(const TekenSignatureReason *) b;
  int sa = severity_rank (teken_signature_reason_get_severity (ra));
  int sb = severity_rank (teken_signature_reason_get_severity (rb));

  if (sa != sb)
    return sb - sa;
  return (int) ra - (int) rb;
}

static void
update_status (TekenSignatureResult *self)
{
  if (self->is_unsigned)
    {
      self->status = TEKEN_SIGNATURE_STATUS_UNSIGNED;
      return;
    }
  self->status = TEKEN_SIGNATURE_STATUS_VALID;
  for (guint i = 0; i < self->reasons->len; i++)
    {
      TekenSignatureStatus s = teken_signature_reason_get_severity (g_array_index (self->reasons, TekenSignatureReason, i));

      if (s == TEKEN_SIGNATURE_STATUS_UNSIGNED)
        continue;
      if (severity_rank (s) > severity_rank (self->status))
        self->status = s;
    }
}

TekenSignatureResult *
teken_signature_result_new (const char *field_name)
{
  TekenSignatureResult *self = g_object_new (TEKEN_TYPE_SIGNATURE_RESULT, NULL);

  self->field_name = g_strdup (field_name);
  return self;
}

void
teken_signature_result_add_reason (TekenSignatureResult *self,
                                   TekenSignatureReason  reason)
{
  if (teken_signature_result_has_reason (self, reason))
    return;
  g_array_append_val (self->reasons, reason);
  g_array_sort (self->reasons, compare_reasons);
  update_status (self);
}

void
teken_signature_result_set_signature_type (TekenSignatureResult *self,
                                           TekenSignatureType    type)
{
  self->type = type;
}

void
teken_signature_result_set_unsigned (TekenSignatureResult *self)
{
  self->is_unsigned = TRUE;
  teken_signature_result_add_reason (self, TEKEN_SIGNATURE_REASON_UNSIGNED_FIELD);
}

void
teken_signature_result_set_widget (TekenSignatureResult *self,
                                   int                   page_index,
                                   const TekenPdfRect   *rect)
{
  self->page_index = page_index;
  self->has_rect = rect != NULL;
  if (rect != NULL)
    self->rect = *rect;
}

void
teken_signature_result_set_certificates (TekenSignatureResult *self,
                                         TekenCertInfo        *signer,
                                         GPtrArray            *chain,
                                         gboolean              trusted)
{
  g_set_object (&self->signer, signer);
  g_ptr_array_set_size (self->chain, 0);
  for (guint i = 0; chain != NULL && i < chain->len; i++)
    g_ptr_array_add (self->chain, g_object_ref (g_ptr_array_index (chain, i)));
  self->chain_trusted = trusted;
}

void
teken_signature_result_set_signing_time (TekenSignatureResult *self,
                                         GDateTime            *time,
                                         TekenTimeSource       source)
{
  g_clear_pointer (&self->signing_time, g_date_time_unref);
  self->signing_time = time ? g_date_time_ref (time) : NULL;
  self->time_source = time ? source : TEKEN_TIME_SOURCE_NONE;
}

void
teken_signature_result_set_integrity (TekenSignatureResult *self,
                                      gboolean              integrity)
{
  self->integrity = integrity;
}

void
teken_signature_result_set_coverage (TekenSignatureResult *self,
                                     const gint64          range[4],
                                     gsize                 signed_length,
                                     int                   revision_index,
                                     gboolean              whole_document)
{
  self->has_range = range != NULL;
  if (range != NULL)
    memcpy (self->range, range, sizeof self->range);
  self->signed_length = signed_length;
  self->revision_index = revision_index;
  self->whole = whole_document;
}

void
teken_signature_result_set_modifications (TekenSignatureResult  *self,
                                          TekenModificationLevel level,
                                          GPtrArray             *changes)
{
  self->modified = level;
  g_ptr_array_set_size (self->changes, 0);
  for (guint i = 0; changes != NULL && i < changes->len; i++)
    g_ptr_array_add (self->changes, teken_change_copy (g_ptr_array_index (changes, i)));
}

static char *
dup_nonempty (const char *s)
{
  return (s != NULL && *s != '\0') ? g_strdup (s) : NULL;
}

void
teken_signature_result_set_format (TekenSignatureResult *self,
                                   const char           *subfilter,
                                   const char           *digest_algorithm,
                                   const char           *signature_algorithm,
                                   const char           *format)
{
  /* The arguments may be this object's own strings: copy before freeing. */
  char *sf = dup_nonempty (subfilter), *dg = dup_nonempty (digest_algorithm);
  char *sa = dup_nonempty (signature_algorithm), *fm = dup_nonempty (format);

  g_free (self->subfilter);
  self->subfilter = sf;
  g_free (self->digest);
  self->digest = dg;
  g_free (self->sig_alg);
  self->sig_alg = sa;
  g_free (self->format);
  self->format = fm;
}

void
teken_signature_result_set_dictionary_info (TekenSignatureResult *self,
                                            const char           *name,
                                            const char           *reason,
                                            const char           *location,
                                            const char           *contact_info,
                                            int                   docmdp_level)
{
  g_free (self->name);
  self->name = dup_nonempty (name);
  g_free (self->reason);
  self->reason = dup_nonempty (reason);
  g_free (self->location);
  self->location = dup_nonempty (location);
  g_free (self->contact);
  self->contact = dup_nonempty (contact_info);
  self->docmdp = docmdp_level;
}

void
teken_signature_result_set_revocation (TekenSignatureResult *self,
                                       TekenRevocationStatus status,
                                       TekenRevocationSource source,
                                       GDateTime            *time)
{
  self->revocation = status;
  self->revocation_source = source;
  g_clear_pointer (&self->revocation_time, g_date_time_unref);
  self->revocation_time = time ? g_date_time_ref (time) : NULL;
}

void
teken_signature_result_set_timestamp (TekenSignatureResult *self,
                                      GDateTime            *time,
                                      const char           *authority,
                                      TekenSignatureStatus  status)
{
  self->has_timestamp = TRUE;
  g_clear_pointer (&self->timestamp_time, g_date_time_unref);
  self->timestamp_time = time ? g_date_time_ref (time) : NULL;
  g_free (self->tsa);
  self->tsa = g_strdup (authority);
  self->timestamp_status = status;
}

void
teken_signature_result_set_ltv (TekenSignatureResult *self,
                                gboolean              ltv)
{
  self->ltv = ltv;
}

/* Getters */

TekenSignatureStatus teken_signature_result_get_status (TekenSignatureResult *self) { return self->status; }
TekenSignatureType teken_signature_result_get_signature_type (TekenSignatureResult *self) { return self->type; }
GArray *teken_signature_result_get_reasons (TekenSignatureResult *self) { return self->reasons; }

gboolean
teken_signature_result_has_reason (TekenSignatureResult *self,
                                   TekenSignatureReason  reason)
{
  for (guint i = 0; i < self->reasons->len; i++)
    if (g_array_index (self->reasons, TekenSignatureReason, i) == reason)
      return TRUE;
  return FALSE;
}

const char *
teken_signature_result_get_summary_text (TekenSignatureResult *self)
{
  switch (self->status)
    {
    case TEKEN_SIGNATURE_STATUS_VALID:
      return _("Signature is valid");
    case TEKEN_SIGNATURE_STATUS_INVALID:
      if (teken_signature_result_has_reason (self, TEKEN_SIGNATURE_REASON_DIGEST_MISMATCH) ||
          teken_signature_result_has_reason (self, TEKEN_SIGNATURE_REASON_MODIFIED_DISALLOWED))
        return _("The document was changed after it was signed");
      return _("Signature is not valid");
    case TEKEN_SIGNATURE_STATUS_INDETERMINATE:
      /* SHA-1 with an otherwise confirmed signer: say what is really wrong. */
      if (self->chain_trusted && teken_signature_result_has_reason (self, TEKEN_SIGNATURE_REASON_WEAK_DIGEST))
        return _("The signature uses an outdated algorithm (SHA-1)");
      return _("The signer’s identity could not be confirmed");
    case TEKEN_SIGNATURE_STATUS_UNSIGNED:
    default:
      return _("Not signed");
    }
}

const char *teken_signature_result_get_field_name (TekenSignatureResult *self) { return self->field_name; }
int teken_signature_result_get_page_index (TekenSignatureResult *self) { return self->page_index; }

gboolean
teken_signature_result_get_rect (TekenSignatureResult *self,
                                 TekenPdfRect         *rect)
{
  if (!self->has_rect)
    return FALSE;
  if (rect != NULL)
    *rect = self->rect;
  return TRUE;
}

gboolean
teken_signature_result_is_visible (TekenSignatureResult *self)
{
  return self->has_rect && self->page_index >= 0 &&
         self->rect.x2 - self->rect.x1 > 0 && self->rect.y2 - self->rect.y1 > 0;
}

TekenCertInfo *teken_signature_result_get_signer (TekenSignatureResult *self) { return self->signer; }

X509 *
teken_signature_result_get_signer_certificate (TekenSignatureResult *self)
{
  return self->signer ? teken_cert_info_get_x509 (self->signer) : NULL;
}

const char *
teken_signature_result_get_signer_name (TekenSignatureResult *self)
{
  if (self->signer != NULL)
    return teken_cert_info_get_common_name (self->signer);
  return self->name;
}

const char *
teken_signature_result_get_signer_subject (TekenSignatureResult *self)
{
  return self->signer ? teken_cert_info_get_subject (self->signer) : NULL;
}

GPtrArray *teken_signature_result_get_chain (TekenSignatureResult *self) { return self->chain; }
gboolean teken_signature_result_get_chain_trusted (TekenSignatureResult *self) { return self->chain_trusted; }

TekenCertificateKind
teken_signature_result_get_certificate_kind (TekenSignatureResult *self)
{
  return self->signer ? teken_cert_info_get_kind (self->signer) : TEKEN_CERTIFICATE_KIND_UNKNOWN;
}

GDateTime *teken_signature_result_get_signing_time (TekenSignatureResult *self) { return self->signing_time; }
TekenTimeSource teken_signature_result_get_time_source (TekenSignatureResult *self) { return self->time_source; }
gboolean teken_signature_result_get_integrity (TekenSignatureResult *self) { return self->integrity; }
gboolean teken_signature_result_get_covers_whole_document (TekenSignatureResult *self) { return self->whole; }
TekenModificationLevel teken_signature_result_get_modified_after (TekenSignatureResult *self) { return self->modified; }
GPtrArray *teken_signature_result_get_changes (TekenSignatureResult *self) { return self->changes; }
int teken_signature_result_get_revision_index (TekenSignatureResult *self) { return self->revision_index; }
gsize teken_signature_result_get_signed_length (TekenSignatureResult *self) { return self->signed_length; }

gboolean
teken_signature_result_get_byte_range (TekenSignatureResult *self,
                                       gint64                range[4])
{
  if (!self->has_range)
    return FALSE;
  memcpy (range, self->range, sizeof self->range);
  return TRUE;
}

const char *teken_signature_result_get_subfilter (TekenSignatureResult *self) { return self->subfilter; }
const char *teken_signature_result_get_digest_algorithm (TekenSignatureResult *self) { return self->digest; }
const char *teken_signature_result_get_signature_algorithm (TekenSignatureResult *self) { return self->sig_alg; }
const char *teken_signature_result_get_format (TekenSignatureResult *self) { return self->format; }
const char *teken_signature_result_get_reason (TekenSignatureResult *self) { return self->reason; }
const char *teken_signature_result_get_location (TekenSignatureResult *self) { return self->location; }
const char *teken_signature_result_get_contact_info (TekenSignatureResult *self) { return self->contact; }
int teken_signature_result_get_docmdp_level (TekenSignatureResult *self) { return self->docmdp; }
TekenRevocationStatus teken_signature_result_get_revocation_status (TekenSignatureResult *self) { return self->revocation; }
TekenRevocationSource teken_signature_result_get_revocation_source (TekenSignatureResult *self) { return self->revocation_source; }
GDateTime *teken_signature_result_get_revocation_time (TekenSignatureResult *self) { return self->revocation_time; }
gboolean teken_signature_result_has_timestamp (TekenSignatureResult *self) { return self->has_timestamp; }
GDateTime *teken_signature_result_get_timestamp_time (TekenSignatureResult *self) { return self->timestamp_time; }
const char *teken_signature_result_get_timestamp_authority (TekenSignatureResult *self) { return self->tsa; }
TekenSignatureStatus teken_signature_result_get_timestamp_status (TekenSignatureResult *self) { return self->timestamp_status; }
gboolean teken_signature_result_get_ltv (TekenSignatureResult *self) { return self->ltv; }
