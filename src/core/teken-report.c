/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-report.h"
#include "teken-x509-util.h"

#include <glib/gstdio.h>
#include <string.h>

G_DEFINE_QUARK (teken-report-error-quark, teken_report_error)

/* ---- kinds ---------------------------------------------------------------------------------- */

static const struct
{
  const char *id;
  const char *label;
  const char *perihal;
} kinds[] = {
  [TEKEN_REPORT_KIND_RENEWAL] = { "renewal", N_("Certificate renewal request"),
                                  "Permohonan Pembaruan Sertifikat Elektronik" },
  [TEKEN_REPORT_KIND_LOSS] = { "loss", N_("Report of a lost or damaged key"),
                               "Laporan Kehilangan/Kerusakan Kunci Privat dan Permohonan Pencabutan serta Penerbitan Kembali Sertifikat Elektronik" },
  [TEKEN_REPORT_KIND_REVOCATION] = { "revocation", N_("Certificate revocation request"),
                                     "Permohonan Pencabutan Sertifikat Elektronik" },
  [TEKEN_REPORT_KIND_NEW] = { "new", N_("New certificate application"),
                              "Permohonan Penerbitan Sertifikat Elektronik" },
  [TEKEN_REPORT_KIND_INCIDENT] = { "incident", N_("Security incident report"),
                                   "Laporan Insiden Keamanan Sertifikat Elektronik" },
};

const char *
teken_report_kind_to_string (TekenReportKind kind)
{
  return kind < G_N_ELEMENTS (kinds) ? kinds[kind].id : NULL;
}

gboolean
teken_report_kind_from_string (const char      *id,
                               TekenReportKind *kind)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (id, kinds[i].id))
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
teken_report_kind_get_label (TekenReportKind kind)
{
  return kind < G_N_ELEMENTS (kinds) ? _(kinds[kind].label) : NULL;
}

const char *
teken_report_kind_get_perihal (TekenReportKind kind)
{
  return kind < G_N_ELEMENTS (kinds) ? kinds[kind].perihal : NULL;
}

/* ---- fields --------------------------------------------------------------------------------- */

#define K(k) (1u << TEKEN_REPORT_KIND_##k)
#define ALL (K (RENEWAL) | K (LOSS) | K (REVOCATION) | K (NEW) | K (INCIDENT))
#define CERT_KINDS (K (RENEWAL) | K (LOSS) | K (REVOCATION) | K (INCIDENT))

static const char * const certificate_kinds[] = { "individu", "jabatan", "sistem_elektronik", NULL };
static const char * const loss_types[] = { "lost", "damaged", "inaccessible", NULL };
static const char * const revocation_reasons[] = { "key_compromise", "leaving_office", "data_change",
                                                   "no_longer_needed", "other", NULL };
static const char * const incident_types[] = { "authentication", "authenticity", "repudiation", "other", NULL };

typedef struct
{
  TekenReportField field;
  guint applies;   /* kinds that show the field */
  guint required;  /* kinds that always need it (conditional rules live in validate) */
} FieldDef;

static const FieldDef field_defs[] = {
  { { "owner_name", TEKEN_REPORT_FIELD_TEXT, N_("Owner’s name"), NULL }, ALL, ALL },
  { { "owner_nip", TEKEN_REPORT_FIELD_NIP, N_("Owner’s NIP"), NULL }, ALL, ALL },
  { { "owner_position", TEKEN_REPORT_FIELD_TEXT, N_("Owner’s position"), NULL }, ALL, ALL },
  { { "owner_unit", TEKEN_REPORT_FIELD_TEXT, N_("Unit / Perangkat Daerah"), NULL }, ALL, ALL },
  { { "owner_email", TEKEN_REPORT_FIELD_EMAIL, N_("Official e-mail"), NULL }, ALL, ALL },
  { { "owner_phone", TEKEN_REPORT_FIELD_PHONE, N_("Phone"), NULL }, ALL, ALL },
  { { "certificate_kind", TEKEN_REPORT_FIELD_CHOICE, N_("Certificate kind"), certificate_kinds }, ALL, K (NEW) },
  { { "cert_serial", TEKEN_REPORT_FIELD_TEXT, N_("Certificate serial number"), NULL }, CERT_KINDS,
    K (RENEWAL) | K (REVOCATION) },
  { { "cert_subject", TEKEN_REPORT_FIELD_TEXT, N_("Certificate subject"), NULL }, CERT_KINDS, 0 },
  { { "cert_issuer", TEKEN_REPORT_FIELD_TEXT, N_("Certificate issuer"), NULL }, CERT_KINDS, 0 },
  { { "cert_fingerprint", TEKEN_REPORT_FIELD_TEXT, N_("SHA-256 fingerprint"), NULL }, CERT_KINDS, 0 },
  { { "cert_expiry", TEKEN_REPORT_FIELD_DATE, N_("Certificate expiry date"), NULL }, CERT_KINDS, 0 },
  { { "loss_type", TEKEN_REPORT_FIELD_CHOICE, N_("What happened to the key"), loss_types }, K (LOSS), K (LOSS) },
  { { "revocation_reason", TEKEN_REPORT_FIELD_CHOICE, N_("Revocation reason"), revocation_reasons },
    K (REVOCATION), K (REVOCATION) },
  { { "incident_type", TEKEN_REPORT_FIELD_CHOICE, N_("Incident type"), incident_types }, K (INCIDENT), K (INCIDENT) },
  { { "incident_date", TEKEN_REPORT_FIELD_DATE, N_("Date of the event"), NULL }, K (LOSS) | K (INCIDENT),
    K (LOSS) | K (INCIDENT) },
  { { "police_report_number", TEKEN_REPORT_FIELD_TEXT, N_("Police report number"), NULL }, K (LOSS), 0 },
  { { "police_report_date", TEKEN_REPORT_FIELD_DATE, N_("Police report date"), NULL }, K (LOSS), 0 },
  { { "reason", TEKEN_REPORT_FIELD_MULTILINE, N_("Reason or description"), NULL }, ALL, K (INCIDENT) },
  { { "system_ip", TEKEN_REPORT_FIELD_TEXT, N_("Server IP address"), NULL }, K (NEW), 0 },
  { { "system_domain", TEKEN_REPORT_FIELD_TEXT, N_("Domain name"), NULL }, K (NEW), 0 },
  { { "system_server", TEKEN_REPORT_FIELD_TEXT, N_("Server or application"), NULL }, K (NEW), 0 },
  { { "superior_name", TEKEN_REPORT_FIELD_TEXT, N_("Superior’s name"), NULL }, ALL, K (LOSS) | K (NEW) },
  { { "superior_nip", TEKEN_REPORT_FIELD_NIP, N_("Superior’s NIP"), NULL }, ALL, K (LOSS) | K (NEW) },
  { { "superior_position", TEKEN_REPORT_FIELD_TEXT, N_("Superior’s position"), NULL }, ALL, K (LOSS) | K (NEW) },
  { { "letter_number", TEKEN_REPORT_FIELD_TEXT, N_("Letter number (Nomor)"), NULL }, ALL, 0 },
  { { "letter_date", TEKEN_REPORT_FIELD_DATE, N_("Letter date"), NULL }, ALL, ALL },
};

static const struct
{
  const char *id;
  const char *label;
  const char *indonesian;
} choice_texts[] = {
  { "individu", N_("Personal (individu)"), "Individu" },
  { "jabatan", N_("Position or organization (jabatan)"), "Jabatan/Organisasi" },
  { "sistem_elektronik", N_("Electronic system (sistem elektronik)"), "Sistem Elektronik" },
  { "lost", N_("Lost (device or token)"), "hilang" },
  { "damaged", N_("Damaged"), "rusak" },
  { "inaccessible", N_("No longer accessible (forgotten passphrase, locked token)"), "tidak dapat diakses" },
  { "key_compromise", N_("Key compromise suspected"), "dugaan kunci privat telah diketahui pihak lain" },
  { "leaving_office", N_("Leaving office or transfer"), "berhenti dari jabatan atau mutasi" },
  { "data_change", N_("Change of the certificate’s data"), "perubahan data pemilik sertifikat" },
  { "no_longer_needed", N_("No longer needed"), "sertifikat tidak diperlukan lagi" },
  { "other", N_("Other"), "lainnya" },
  { "authentication", N_("Authentication problem"), "masalah autentikasi" },
  { "authenticity", N_("Authenticity problem"), "masalah keaslian (otentisitas)" },
  { "repudiation", N_("Repudiation of a signature"), "penyangkalan tanda tangan (nirsangkal)" },
};

static const struct
{
  const char *id;
  const char *label;
  const char *indonesian;
} roles[] = {
  { "cover_letter", N_("Cover letter from the Perangkat Daerah"), "Surat pengantar dari Perangkat Daerah" },
  { "recommendation", N_("Superior’s recommendation"), "Surat rekomendasi atasan" },
  { "ektp", N_("Scan of the e-KTP"), "Pindaian e-KTP" },
  { "appointment_decree", N_("Decree of appointment"), "Surat Keputusan pengangkatan dalam jabatan" },
  { "police_report", N_("Police report of the loss"), "Surat keterangan kehilangan dari Kepolisian" },
  { "statement_letter", N_("Signed statement letter"), "Surat pernyataan yang telah ditandatangani" },
  { "evidence", N_("Evidence"), "Bukti pendukung" },
  { "other", N_("Other document"), "Dokumen lainnya" },
};

const TekenReportField *
teken_report_get_fields (guint *n_fields)
{
  /* FieldDef starts with its TekenReportField, so callers step with the def's size via lookup; expose a plain copy. */
  static TekenReportField fields[G_N_ELEMENTS (field_defs)];
  static gsize init = 0;

  if (g_once_init_enter (&init))
    {
      for (guint i = 0; i < G_N_ELEMENTS (field_defs); i++)
        fields[i] = field_defs[i].field;
      g_once_init_leave (&init, 1);
    }
  if (n_fields != NULL)
    *n_fields = G_N_ELEMENTS (field_defs);
  return fields;
}

static const FieldDef *
lookup_def (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (field_defs); i++)
    if (g_str_equal (field_defs[i].field.id, id))
      return &field_defs[i];
  return NULL;
}

const TekenReportField *
teken_report_lookup_field (const char *id)
{
  const FieldDef *def = lookup_def (id);
  const TekenReportField *fields = teken_report_get_fields (NULL);

  return def != NULL ? &fields[def - field_defs] : NULL;
}

const char *
teken_report_field_get_label (const TekenReportField *field)
{
  return _(field->label);
}

gboolean
teken_report_field_applies (const TekenReportField *field,
                            TekenReportKind         kind)
{
  const FieldDef *def = lookup_def (field->id);

  return def != NULL && (def->applies & (1u << kind)) != 0;
}

gboolean
teken_report_field_is_required (const TekenReportField *field,
                                TekenReportKind         kind)
{
  const FieldDef *def = lookup_def (field->id);

  return def != NULL && (def->required & (1u << kind)) != 0;
}

const char *
teken_report_choice_get_label (const char *choice)
{
  for (guint i = 0; choice != NULL && i < G_N_ELEMENTS (choice_texts); i++)
    if (g_str_equal (choice_texts[i].id, choice))
      return _(choice_texts[i].label);
  return choice;
}

const char *
teken_report_choice_get_indonesian (const char *choice)
{
  for (guint i = 0; choice != NULL && i < G_N_ELEMENTS (choice_texts); i++)
    if (g_str_equal (choice_texts[i].id, choice))
      return choice_texts[i].indonesian;
  return choice;
}

const char * const *
teken_report_get_attachment_roles (void)
{
  static const char *ids[G_N_ELEMENTS (roles) + 1];
  static gsize init = 0;

  if (g_once_init_enter (&init))
    {
      for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
        ids[i] = roles[i].id;
      g_once_init_leave (&init, 1);
    }
  return ids;
}

static int
role_index (const char *role)
{
  for (guint i = 0; role != NULL && i < G_N_ELEMENTS (roles); i++)
    if (g_str_equal (roles[i].id, role))
      return i;
  return -1;
}

const char *
teken_report_attachment_role_get_label (const char *role)
{
  int i = role_index (role);

  return i >= 0 ? _(roles[i].label) : role;
}

const char *
teken_report_attachment_role_get_indonesian (const char *role)
{
  int i = role_index (role);

  return i >= 0 ? roles[i].indonesian : role;
}

void
teken_report_problem_free (TekenReportProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

/* ---- attachments ---------------------------------------------------------------------------- */

struct _TekenReportAttachment
{
  GObject parent_instance;
  char *filename;
  char *role;
  const char *content_type;
  GBytes *bytes;
  char *sha256;
};

G_DEFINE_FINAL_TYPE (TekenReportAttachment, teken_report_attachment, G_TYPE_OBJECT)

static void
teken_report_attachment_finalize (GObject *object)
{
  TekenReportAttachment *self = (TekenReportAttachment *) object;

  g_free (self->filename);
  g_free (self->role);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->sha256);
  G_OBJECT_CLASS (teken_report_attachment_parent_class)->finalize (object);
}

static void
teken_report_attachment_class_init (TekenReportAttachmentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_report_attachment_finalize;
}

static void
teken_report_attachment_init (TekenReportAttachment *self)
{
}

const char *
teken_report_sniff_content_type (const guint8 *data,
                                 gsize         len)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (len >= 5 && memcmp (data, "%PDF-", 5) == 0)
    return "application/pdf";
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "image/jpeg";
  if (len >= sizeof png && memcmp (data, png, sizeof png) == 0)
    return "image/png";
  return NULL;
}

TekenReportAttachment *
teken_report_attachment_new_from_bytes (const char  *filename,
                                        const char  *role,
                                        GBytes      *bytes,
                                        GError     **error)
{
  g_autoptr(TekenReportAttachment) self = NULL;
  g_autofree char *base = NULL;
  const char *type;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  base = g_path_get_basename (filename);
  if (role == NULL)
    role = "other";
  if (role_index (role) < 0)
    {
      /* translators: %s is what the user gave as the role of an attachment */
      g_set_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_ATTACHMENT,
                   _("Unknown attachment role “%s”"), role);
      return NULL;
    }
  if (len > TEKEN_REPORT_MAX_ATTACHMENT_SIZE)
    {
      /* translators: %s is a file name, %d the limit in MiB */
      g_set_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_ATTACHMENT,
                   _("“%s” is larger than the limit of %d MiB for an attachment"),
                   base, TEKEN_REPORT_MAX_ATTACHMENT_SIZE / (1024 * 1024));
      return NULL;
    }
  type = teken_report_sniff_content_type (data, len);
  if (type == NULL)
    {
      /* translators: %s is a file name */
      g_set_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_ATTACHMENT,
                   _("“%s” is not a PDF, JPEG or PNG file"), base);
      return NULL;
    }

  self = g_object_new (TEKEN_TYPE_REPORT_ATTACHMENT, NULL);
  /* Keep the name safe for file systems and MIME headers. */
  self->filename = g_strcanon (g_steal_pointer (&base),
                               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", '_');
  self->role = g_strdup (role);
  self->content_type = type;
  self->bytes = g_bytes_ref (bytes);
  self->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  return g_steal_pointer (&self);
}

TekenReportAttachment *
teken_report_attachment_new_from_file (const char  *path,
                                       const char  *role,
                                       GError     **error)
{
  g_autoptr(GMappedFile) map = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  GStatBuf st;

  /* Check the size before reading a huge file into memory. */
  if (g_stat (path, &st) == 0 && st.st_size > TEKEN_REPORT_MAX_ATTACHMENT_SIZE)
    {
      g_autofree char *base = g_path_get_basename (path);

      g_set_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_ATTACHMENT,
                   _("“%s” is larger than the limit of %d MiB for an attachment"),
                   base, TEKEN_REPORT_MAX_ATTACHMENT_SIZE / (1024 * 1024));
      return NULL;
    }
  map = g_mapped_file_new (path, FALSE, &local);
  if (map == NULL)
    {
      g_set_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_ATTACHMENT, "%s", local->message);
      return NULL;
    }
  bytes = g_bytes_new (g_mapped_file_get_contents (map), g_mapped_file_get_length (map));
  return teken_report_attachment_new_from_bytes (path, role, bytes, error);
}

const char *
teken_report_attachment_get_filename (TekenReportAttachment *self)
{
  return self->filename;
}

const char *
teken_report_attachment_get_role (TekenReportAttachment *self)
{
  return self->role;
}

const char *
teken_report_attachment_get_content_type (TekenReportAttachment *self)
{
  return self->content_type;
}

GBytes *
teken_report_attachment_get_bytes (TekenReportAttachment *self)
{
  return self->bytes;
}

const char *
teken_report_attachment_get_sha256 (TekenReportAttachment *self)
{
  return self->sha256;
}

/* ---- the report ----------------------------------------------------------------------------- */

struct _TekenReport
{
  GObject parent_instance;
  TekenReportKind kind;
  char *id;
  GDateTime *created;
  GHashTable *fields;        /* id -> value */
  GListStore *attachments;
};

G_DEFINE_FINAL_TYPE (TekenReport, teken_report, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
teken_report_finalize (GObject *object)
{
  TekenReport *self = (TekenReport *) object;

  g_free (self->id);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_object (&self->attachments);
  G_OBJECT_CLASS (teken_report_parent_class)->finalize (object);
}

static void
teken_report_class_init (TekenReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_report_finalize;

  /* A field or the attachment list changed; the detail-free signal keeps forms simple. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
teken_report_init (TekenReport *self)
{
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->attachments = g_list_store_new (TEKEN_TYPE_REPORT_ATTACHMENT);
}

TekenReport *
teken_report_new (TekenReportKind kind)
{
  TekenReport *self = g_object_new (TEKEN_TYPE_REPORT, NULL);
  g_autoptr(GDateTime) local = g_date_time_new_now_local ();

  self->kind = kind;
  self->id = g_uuid_string_random ();
  self->created = g_date_time_new_now_utc ();
  g_hash_table_insert (self->fields, g_strdup ("letter_date"), g_date_time_format (local, "%Y-%m-%d"));
  return self;
}

TekenReportKind
teken_report_get_kind (TekenReport *self)
{
  return self->kind;
}

const char *
teken_report_get_id (TekenReport *self)
{
  return self->id;
}

GDateTime *
teken_report_get_created (TekenReport *self)
{
  return self->created;
}

gboolean
teken_report_set_field (TekenReport  *self,
                        const char   *id,
                        const char   *value,
                        GError      **error)
{
  g_autofree char *trimmed = NULL;

  if (lookup_def (id) == NULL)
    {
      /* translators: %s is a field name such as owner_nip */
      g_set_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_UNKNOWN_FIELD,
                   _("Unknown report field “%s”"), id);
      return FALSE;
    }
  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_INVALID,
                   _("The value of “%s” is not valid UTF-8 text"), id);
      return FALSE;
    }
  trimmed = value != NULL ? g_strstrip (g_strdup (value)) : NULL;
  if (trimmed == NULL || *trimmed == '\0')
    g_hash_table_remove (self->fields, id);
  else
    g_hash_table_insert (self->fields, g_strdup (id), g_steal_pointer (&trimmed));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

const char *
teken_report_get_field (TekenReport *self,
                        const char  *id)
{
  return g_hash_table_lookup (self->fields, id);
}

static gsize
total_attachment_size (TekenReport *self)
{
  gsize total = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->attachments)); i++)
    {
      g_autoptr(TekenReportAttachment) a = g_list_model_get_item (G_LIST_MODEL (self->attachments), i);
      total += g_bytes_get_size (a->bytes);
    }
  return total;
}

gboolean
teken_report_add_attachment (TekenReport            *self,
                             TekenReportAttachment  *attachment,
                             GError                **error)
{
  if (total_attachment_size (self) + g_bytes_get_size (attachment->bytes) > TEKEN_REPORT_MAX_TOTAL_SIZE)
    {
      /* translators: %s is a file name, %d the limit in MiB */
      g_set_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_ATTACHMENT,
                   _("Adding “%s” would exceed the limit of %d MiB for all attachments together"),
                   attachment->filename, TEKEN_REPORT_MAX_TOTAL_SIZE / (1024 * 1024));
      return FALSE;
    }
  g_list_store_append (self->attachments, attachment);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

GListModel *
teken_report_get_attachments (TekenReport *self)
{
  return G_LIST_MODEL (self->attachments);
}

/* ---- prefill -------------------------------------------------------------------------------- */

static const char *
classify (X509 *cert)
{
  g_autofree char *description = teken_x509_name_get_entry (X509_get_subject_name (cert), NID_description);
  g_autofree char *title = teken_x509_name_get_entry (X509_get_subject_name (cert), NID_title);
  g_autofree char *lower = description != NULL ? g_utf8_strdown (description, -1) : NULL;

  if (lower != NULL && strstr (lower, "sistem elektronik") != NULL)
    return "sistem_elektronik";
  if (lower != NULL && (strstr (lower, "jabatan") != NULL || strstr (lower, "organisasi") != NULL ||
                        strstr (lower, "segel") != NULL))
    return "jabatan";
  if (lower != NULL && strstr (lower, "tanda tangan") != NULL)
    return "individu";
  if (title != NULL)
    return "jabatan";
  return NULL;
}

static void
set_if_empty (TekenReport *self,
              const char  *id,
              const char  *value)
{
  if (value != NULL && teken_report_get_field (self, id) == NULL)
    teken_report_set_field (self, id, value, NULL);
}

void
teken_report_prefill_from_certificate (TekenReport *self,
                                       X509        *cert)
{
  g_autofree char *issuer = teken_x509_name_to_string (X509_get_issuer_name (cert));
  g_autofree char *subject = teken_x509_name_to_string (X509_get_subject_name (cert));
  g_autofree char *cn = teken_x509_name_get_entry (X509_get_subject_name (cert), NID_commonName);
  g_autofree char *email = teken_x509_name_get_entry (X509_get_subject_name (cert), NID_pkcs9_emailAddress);
  g_autofree char *fpr = teken_x509_digest_hex (cert, EVP_sha256 (), TRUE);
  const ASN1_INTEGER *sn = X509_get0_serialNumber (cert);
  g_autofree char *serial = teken_hex_colon (ASN1_STRING_get0_data (sn), ASN1_STRING_length (sn));
  struct tm tm;

  teken_report_set_field (self, "cert_serial", serial, NULL);
  teken_report_set_field (self, "cert_issuer", issuer, NULL);
  teken_report_set_field (self, "cert_subject", subject, NULL);
  teken_report_set_field (self, "cert_fingerprint", fpr, NULL);

  if (ASN1_TIME_to_tm (X509_get0_notAfter (cert), &tm))
    {
      g_autofree char *date = g_strdup_printf ("%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
      teken_report_set_field (self, "cert_expiry", date, NULL);
    }

  if (email == NULL)
    {
      GENERAL_NAMES *sans = X509_get_ext_d2i (cert, NID_subject_alt_name, NULL, NULL);

      for (int i = 0; sans != NULL && email == NULL && i < sk_GENERAL_NAME_num (sans); i++)
        {
          const GENERAL_NAME *gn = sk_GENERAL_NAME_value (sans, i);
          if (gn->type == GEN_EMAIL)
            email = g_strndup ((const char *) ASN1_STRING_get0_data (gn->d.rfc822Name),
                               ASN1_STRING_length (gn->d.rfc822Name));
        }
      GENERAL_NAMES_free (sans);
    }
  set_if_empty (self, "owner_name", cn);
  set_if_empty (self, "owner_email", email);
  set_if_empty (self, "certificate_kind", classify (cert));
}

/* ---- validation ----------------------------------------------------------------------------- */

static gboolean
is_nip (const char *v)
{
  gsize n = 0;

  for (const char *p = v; *p; p++)
    {
      if (*p == ' ')
        continue;  /* NIPs are often written in groups: 19800101 200501 1 001 */
      if (!g_ascii_isdigit (*p))
        return FALSE;
      n++;
    }
  return n == 18;
}

static gboolean
is_email (const char *v)
{
  static gsize re = 0;

  if (g_once_init_enter (&re))
    g_once_init_leave (&re, (gsize) g_regex_new ("^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$",
                                                 G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match ((GRegex *) re, v, 0, NULL);
}

static gboolean
is_phone (const char *v)
{
  gsize digits = 0;
  const char *p = v;

  if (*p == '+')
    p++;
  else if (*p != '0')
    return FALSE;
  for (; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p != ' ' && *p != '-' && *p != '(' && *p != ')')
        return FALSE;
    }
  return digits >= 8 && digits <= 15;
}

static gboolean
parse_date (const char *v,
            GDate      *date)
{
  unsigned y, m, d;
  char end;

  if (strlen (v) != 10 || sscanf (v, "%4u-%2u-%2u%c", &y, &m, &d, &end) != 3)
    return FALSE;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static gboolean
is_choice (const TekenReportField *field,
           const char             *v)
{
  return field->choices != NULL && g_strv_contains ((const char * const *) field->choices, v);
}

static gboolean
is_domain (const char *v)
{
  return g_hostname_is_non_ascii (v) == FALSE && strchr (v, '.') != NULL &&
         g_regex_match_simple ("^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,}$", v, 0, 0);
}

static void
add_problem (GPtrArray  *problems,
             const char *field,
             char       *message)
{
  TekenReportProblem *p = g_new0 (TekenReportProblem, 1);

  p->field = g_strdup (field);
  p->message = message;
  g_ptr_array_add (problems, p);
}

static char *
choices_text (const TekenReportField *field)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; field->choices[i]; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? ", " : "", field->choices[i]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The message for a present but malformed value, or NULL when fine. */
static char *
check_value (TekenReport            *self,
             const TekenReportField *field,
             const char             *v)
{
  const char *label = _(field->label);
  GDate date;

  switch (field->type)
    {
    case TEKEN_REPORT_FIELD_NIP:
      if (!is_nip (v))
        /* translators: %s is a field label such as "Owner’s NIP" */
        return g_strdup_printf (_("%s: a NIP has exactly 18 digits"), label);
      break;
    case TEKEN_REPORT_FIELD_EMAIL:
      if (!is_email (v))
        /* translators: %s is a field label */
        return g_strdup_printf (_("%s: enter an e-mail address such as nama@contoh.go.id"), label);
      break;
    case TEKEN_REPORT_FIELD_PHONE:
      if (!is_phone (v))
        /* translators: %s is a field label */
        return g_strdup_printf (_("%s: enter a phone number such as 0812 3456 7890 or +62 812 3456 7890"), label);
      break;
    case TEKEN_REPORT_FIELD_DATE:
      if (!parse_date (v, &date))
        /* translators: %s is a field label */
        return g_strdup_printf (_("%s: enter a date as YYYY-MM-DD, such as 2026-11-24"), label);
      break;
    case TEKEN_REPORT_FIELD_CHOICE:
      if (!is_choice (field, v))
        {
          g_autofree char *list = choices_text (field);
          /* translators: the first %s is a field label, the second a list of allowed values */
          return g_strdup_printf (_("%s: choose one of %s"), label, list);
        }
      break;
    case TEKEN_REPORT_FIELD_TEXT:
    case TEKEN_REPORT_FIELD_MULTILINE:
    default:
      break;
    }

  if (g_str_equal (field->id, "cert_fingerprint"))
    {
      g_autoptr(GString) s = g_string_new (NULL);

      for (const char *p = v; *p; p++)
        if (*p != ':' && *p != ' ')
          g_string_append_c (s, *p);
      if (s->len != 64 || !g_regex_match_simple ("^[0-9A-Fa-f]+$", s->str, 0, 0))
        return g_strdup_printf (_("%s: a SHA-256 fingerprint has 64 hexadecimal digits"), label);
    }
  if (g_str_equal (field->id, "system_ip"))
    {
      g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (v);
      if (addr == NULL)
        return g_strdup_printf (_("%s: enter an IPv4 or IPv6 address such as 203.0.113.10"), label);
    }
  if (g_str_equal (field->id, "system_domain") && !is_domain (v))
    return g_strdup_printf (_("%s: enter a domain name such as sipd.contoh.go.id"), label);
  if (g_str_equal (field->id, "incident_date") && parse_date (v, &date))
    {
      GDate today;
      g_date_set_time_t (&today, time (NULL));
      if (g_date_compare (&date, &today) > 0)
        return g_strdup_printf (_("%s: the date lies in the future"), label);
    }
  return NULL;
}

static gboolean
conditionally_required (TekenReport *self,
                        const char  *id)
{
  const char *loss_type = teken_report_get_field (self, "loss_type");
  const char *reason = teken_report_get_field (self, "revocation_reason");
  const char *incident = teken_report_get_field (self, "incident_type");
  const char *kind = teken_report_get_field (self, "certificate_kind");

  switch (self->kind)
    {
    case TEKEN_REPORT_KIND_LOSS:
      /* A lost device or token needs the report to the police. */
      return (g_str_equal (id, "police_report_number") || g_str_equal (id, "police_report_date")) &&
             g_strcmp0 (loss_type, "lost") == 0;
    case TEKEN_REPORT_KIND_REVOCATION:
      return g_str_equal (id, "reason") && g_strcmp0 (reason, "other") == 0;
    case TEKEN_REPORT_KIND_NEW:
      return (g_str_equal (id, "system_ip") || g_str_equal (id, "system_domain")) &&
             g_strcmp0 (kind, "sistem_elektronik") == 0;
    case TEKEN_REPORT_KIND_INCIDENT:
      return g_str_equal (id, "reason") && g_strcmp0 (incident, "other") == 0;
    case TEKEN_REPORT_KIND_RENEWAL:
    default:
      return FALSE;
    }
}

static gboolean
has_role (TekenReport *self,
          const char  *role)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->attachments)); i++)
    {
      g_autoptr(TekenReportAttachment) a = g_list_model_get_item (G_LIST_MODEL (self->attachments), i);
      if (g_str_equal (a->role, role))
        return TRUE;
    }
  return FALSE;
}

static void
check_checklist (TekenReport *self,
                 GPtrArray   *problems)
{
  const char *kind = teken_report_get_field (self, "certificate_kind");
  const char *needed[4] = { NULL };
  guint n = 0;

  if (self->kind != TEKEN_REPORT_KIND_NEW || kind == NULL)
    return;
  needed[n++] = "cover_letter";
  needed[n++] = "recommendation";
  if (!g_str_equal (kind, "sistem_elektronik"))
    needed[n++] = "ektp";
  if (g_str_equal (kind, "jabatan"))
    needed[n++] = "appointment_decree";
  for (guint i = 0; i < n; i++)
    if (!has_role (self, needed[i]))
      /* translators: %s is a document such as "Scan of the e-KTP" */
      add_problem (problems, "attachments",
                   g_strdup_printf (_("Attach the document “%s”"), teken_report_attachment_role_get_label (needed[i])));
}

GPtrArray *
teken_report_validate (TekenReport *self)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) teken_report_problem_free);
  const TekenReportField *fields = teken_report_get_fields (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (field_defs); i++)
    {
      const FieldDef *def = &field_defs[i];
      const char *v = teken_report_get_field (self, def->field.id);
      char *msg;

      if ((def->applies & (1u << self->kind)) == 0)
        continue;
      if (v == NULL)
        {
          if ((def->required & (1u << self->kind)) || conditionally_required (self, def->field.id))
            /* translators: %s is a field label such as "Owner’s name" */
            add_problem (problems, def->field.id, g_strdup_printf (_("%s is required"), _(def->field.label)));
          continue;
        }
      msg = check_value (self, &fields[i], v);
      if (msg != NULL)
        add_problem (problems, def->field.id, msg);
    }
  check_checklist (self, problems);
  return problems;
}

gboolean
teken_report_check (TekenReport  *self,
                    GError      **error)
{
  g_autoptr(GPtrArray) problems = teken_report_validate (self);
  g_autoptr(GString) text = NULL;

  if (problems->len == 0)
    return TRUE;
  text = g_string_new (_("The report is incomplete:"));
  for (guint i = 0; i < problems->len; i++)
    {
      TekenReportProblem *p = g_ptr_array_index (problems, i);
      g_string_append_printf (text, "\n  %s", p->message);
    }
  g_set_error_literal (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_INVALID, text->str);
  return FALSE;
}

/* ---- JSON ----------------------------------------------------------------------------------- */

JsonNode *
teken_report_to_json (TekenReport *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *created = g_date_time_format_iso8601 (self->created);
  g_autoptr(GList) keys = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schema");
  json_builder_add_string_value (b, "teken-report");
  json_builder_set_member_name (b, "schema_version");
  json_builder_add_int_value (b, TEKEN_REPORT_SCHEMA_VERSION);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, self->id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, teken_report_kind_to_string (self->kind));
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, created);

  json_builder_set_member_name (b, "fields");
  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (field_defs); i++)   /* form order, so diffs stay readable */
    {
      const char *v = teken_report_get_field (self, field_defs[i].field.id);
      if (v == NULL)
        continue;
      json_builder_set_member_name (b, field_defs[i].field.id);
      json_builder_add_string_value (b, v);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "attachments");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->attachments)); i++)
    {
      g_autoptr(TekenReportAttachment) a = g_list_model_get_item (G_LIST_MODEL (self->attachments), i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "filename");
      json_builder_add_string_value (b, a->filename);
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, a->role);
      json_builder_set_member_name (b, "content_type");
      json_builder_add_string_value (b, a->content_type);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, g_bytes_get_size (a->bytes));
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, a->sha256);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
teken_report_to_json_data (TekenReport *self,
                           gsize       *length)
{
  g_autoptr(JsonNode) root = teken_report_to_json (self);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, length);
}

static gboolean
parse_error (GError     **error,
             const char  *what)
{
  /* translators: %s names what is wrong, e.g. "schema" */
  g_set_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_PARSE,
               _("Not a Teken report document (%s)"), what);
  return FALSE;
}

TekenReport *
teken_report_new_from_json (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(TekenReport) self = NULL;
  g_autoptr(GDateTime) created = NULL;
  JsonObject *obj, *fields;
  TekenReportKind kind;
  const char *id;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return parse_error (error, "root"), NULL;
  obj = json_node_get_object (node);
  if (g_strcmp0 (json_object_get_string_member_with_default (obj, "schema", NULL), "teken-report") != 0)
    return parse_error (error, "schema"), NULL;
  if (json_object_get_int_member_with_default (obj, "schema_version", 0) != TEKEN_REPORT_SCHEMA_VERSION)
    return parse_error (error, "schema_version"), NULL;
  if (!teken_report_kind_from_string (json_object_get_string_member_with_default (obj, "kind", NULL), &kind))
    return parse_error (error, "kind"), NULL;
  id = json_object_get_string_member_with_default (obj, "id", NULL);
  if (id == NULL || !g_uuid_string_is_valid (id))
    return parse_error (error, "id"), NULL;
  created = g_date_time_new_from_iso8601 (json_object_get_string_member_with_default (obj, "created", ""), NULL);
  if (created == NULL)
    return parse_error (error, "created"), NULL;

  self = g_object_new (TEKEN_TYPE_REPORT, NULL);
  self->kind = kind;
  self->id = g_strdup (id);
  self->created = g_steal_pointer (&created);

  fields = json_object_has_member (obj, "fields") ? json_object_get_object_member (obj, "fields") : NULL;
  if (fields != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &name, &value))
        {
          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            return parse_error (error, name), NULL;
          /* Unknown fields from a newer minor writer are skipped rather than refused. */
          if (lookup_def (name) != NULL &&
              !teken_report_set_field (self, name, json_node_get_string (value), error))
            return NULL;
        }
    }
  return g_steal_pointer (&self);
}

TekenReport *
teken_report_new_from_json_data (const char  *data,
                                 gssize       length,
                                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;

  if (!json_parser_load_from_data (parser, data, length, &local))
    return parse_error (error, local->message), NULL;
  return teken_report_new_from_json (json_parser_get_root (parser), error);
}

/* ---- dates ---------------------------------------------------------------------------------- */

static const char * const months_id[] = {
  "Januari", "Februari", "Maret", "April", "Mei", "Juni",
  "Juli", "Agustus", "September", "Oktober", "November", "Desember",
};

char *
teken_report_format_date_id (GDateTime *date)
{
  return g_strdup_printf ("%d %s %d", g_date_time_get_day_of_month (date),
                          months_id[g_date_time_get_month (date) - 1], g_date_time_get_year (date));
}

char *
teken_report_format_iso_date_id (const char *iso_date)
{
  GDate d;

  if (iso_date == NULL || !parse_date (iso_date, &d))
    return g_strdup (iso_date != NULL ? iso_date : "");
  return g_strdup_printf ("%d %s %d", g_date_get_day (&d), months_id[g_date_get_month (&d) - 1],
                          g_date_get_year (&d));
}
