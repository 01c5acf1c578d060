/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

#define TEKEN_REPORT_ERROR (teken_report_error_quark ())
GQuark teken_report_error_quark (void);

typedef enum
{
  TEKEN_REPORT_ERROR_INVALID,        /* validation failed; the message lists every problem */
  TEKEN_REPORT_ERROR_UNKNOWN_FIELD,  /* a field id that does not exist */
  TEKEN_REPORT_ERROR_ATTACHMENT,     /* unreadable, wrong type or too large */
  TEKEN_REPORT_ERROR_PARSE,          /* report.json is not a Teken report */
} TekenReportError;

/* Stable ids in JSON: "renewal", "loss", "revocation", "new", "incident". */
typedef enum
{
  TEKEN_REPORT_KIND_RENEWAL,          /* Pembaruan */
  TEKEN_REPORT_KIND_LOSS,             /* Kehilangan / Kerusakan (with revocation and re-issuance request) */
  TEKEN_REPORT_KIND_REVOCATION,       /* Pencabutan */
  TEKEN_REPORT_KIND_NEW,              /* Permohonan baru */
  TEKEN_REPORT_KIND_INCIDENT,         /* Laporan insiden keamanan */
} TekenReportKind;

/* Version of report.json; readers refuse a newer major version. */
#define TEKEN_REPORT_SCHEMA_VERSION 1

/* Attachments: PDF, JPEG or PNG (checked by magic bytes), each at most this size, all together at most the total. */
#define TEKEN_REPORT_MAX_ATTACHMENT_SIZE (2 * 1024 * 1024)
#define TEKEN_REPORT_MAX_TOTAL_SIZE      (10 * 1024 * 1024)

const char *teken_report_kind_to_string   (TekenReportKind  kind);
gboolean    teken_report_kind_from_string (const char      *id,
                                           TekenReportKind *kind);
/* Translated title, e.g. "Certificate renewal request". */
const char *teken_report_kind_get_label   (TekenReportKind  kind);
/* The Indonesian subject line of the letter (Perihal), never translated. */
const char *teken_report_kind_get_perihal (TekenReportKind  kind);

/* Field value types, for validation and for building forms. */
typedef enum
{
  TEKEN_REPORT_FIELD_TEXT,
  TEKEN_REPORT_FIELD_MULTILINE,
  TEKEN_REPORT_FIELD_NIP,      /* 18 digits */
  TEKEN_REPORT_FIELD_EMAIL,
  TEKEN_REPORT_FIELD_PHONE,    /* +62… or 0…, 8–15 digits, spaces and dashes allowed */
  TEKEN_REPORT_FIELD_DATE,     /* YYYY-MM-DD */
  TEKEN_REPORT_FIELD_CHOICE,   /* one of `choices` */
} TekenReportFieldType;

typedef struct
{
  const char           *id;        /* stable JSON key, e.g. "owner_nip"; the CLI option is "--owner-nip" */
  TekenReportFieldType  type;
  const char           *label;     /* untranslated; pass through _() / use teken_report_field_get_label() */
  const char * const   *choices;   /* CHOICE: the stable ids, NULL-terminated */
} TekenReportField;

/* Every field, in form order; *n_fields receives the count. */
const TekenReportField *teken_report_get_fields        (guint        *n_fields);
const TekenReportField *teken_report_lookup_field      (const char   *id);
const char             *teken_report_field_get_label   (const TekenReportField *field);
/* Translated label of a choice id ("key_compromise" -> "Key compromise suspected"). */
const char             *teken_report_choice_get_label  (const char   *choice);
/* Indonesian text of a choice for the letter. */
const char             *teken_report_choice_get_indonesian (const char *choice);
/* Whether a field belongs to (is shown for) a kind. */
gboolean                teken_report_field_applies     (const TekenReportField *field,
                                                        TekenReportKind         kind);
/* Whether the field is always required for the kind (conditional rules, e.g. the police report
 * for a lost key, show up in teken_report_validate() only). */
gboolean                teken_report_field_is_required (const TekenReportField *field,
                                                        TekenReportKind         kind);

/* Attachment roles of the checklists; stable ids. */
const char * const     *teken_report_get_attachment_roles (void);
const char             *teken_report_attachment_role_get_label (const char *role);
const char             *teken_report_attachment_role_get_indonesian (const char *role);

/* One problem found by validation: the field (or "attachments") and a translated message. */
typedef struct
{
  char *field;
  char *message;
} TekenReportProblem;

void teken_report_problem_free (TekenReportProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenReportProblem, teken_report_problem_free)

/* An attached file, read into memory when added (the report owns its bytes). */
#define TEKEN_TYPE_REPORT_ATTACHMENT (teken_report_attachment_get_type ())
G_DECLARE_FINAL_TYPE (TekenReportAttachment, teken_report_attachment, TEKEN, REPORT_ATTACHMENT, GObject)

/* Reads and checks the file (type by magic bytes, size limit). role: see teken_report_get_attachment_roles(). */
TekenReportAttachment *teken_report_attachment_new_from_file  (const char    *path,
                                                               const char    *role,
                                                               GError       **error);
TekenReportAttachment *teken_report_attachment_new_from_bytes (const char    *filename,
                                                               const char    *role,
                                                               GBytes        *bytes,
                                                               GError       **error);
const char            *teken_report_attachment_get_filename     (TekenReportAttachment *self);
const char            *teken_report_attachment_get_role         (TekenReportAttachment *self);
const char            *teken_report_attachment_get_content_type (TekenReportAttachment *self);
GBytes                *teken_report_attachment_get_bytes        (TekenReportAttachment *self);
/* Lower-case hex. */
const char            *teken_report_attachment_get_sha256       (TekenReportAttachment *self);

/* "application/pdf", "image/jpeg", "image/png" from the first bytes, or NULL. */
const char            *teken_report_sniff_content_type (const guint8 *data,
                                                        gsize         len);

/*
 * A report to the Registration Authority: a kind, string fields (ids from teken_report_get_fields()),
 * attachments. "changed" is emitted when a field or the attachment list changes.
 */
#define TEKEN_TYPE_REPORT (teken_report_get_type ())
G_DECLARE_FINAL_TYPE (TekenReport, teken_report, TEKEN, REPORT, GObject)

/* A new report with a fresh id (a UUID, also the outbox's idempotency key) and today's date. */
TekenReport     *teken_report_new              (TekenReportKind   kind);
TekenReportKind  teken_report_get_kind         (TekenReport      *self);
const char      *teken_report_get_id           (TekenReport      *self);
/* UTC creation time; transfer none. */
GDateTime       *teken_report_get_created      (TekenReport      *self);

/* NULL or "" clears. Unknown ids fail with TEKEN_REPORT_ERROR_UNKNOWN_FIELD. */
gboolean         teken_report_set_field        (TekenReport      *self,
                                                const char       *id,
                                                const char       *value,
                                                GError          **error);
/* NULL when unset. */
const char      *teken_report_get_field        (TekenReport      *self,
                                                const char       *id);

/* Takes a reference. Fails when the total size limit would be exceeded. */
gboolean         teken_report_add_attachment   (TekenReport            *self,
                                                TekenReportAttachment  *attachment,
                                                GError                **error);
/* transfer none: the list of TekenReportAttachment. */
GListModel      *teken_report_get_attachments  (TekenReport      *self);

/* Fills cert_serial, cert_issuer, cert_subject, cert_fingerprint, cert_expiry (and owner_name / owner_email when empty). */
void             teken_report_prefill_from_certificate (TekenReport *self,
                                                        X509        *cert);

/* Every problem, in form order (field problems, then attachments); empty when valid. Element: TekenReportProblem. */
GPtrArray       *teken_report_validate         (TekenReport      *self);
/* TRUE when valid, else TEKEN_REPORT_ERROR_INVALID with one line per problem. */
gboolean         teken_report_check            (TekenReport      *self,
                                                GError          **error);

/*
 * JSON document (schema "teken-report", version TEKEN_REPORT_SCHEMA_VERSION). Attachments are
 * described by name, role, type, size and SHA-256; their bytes travel as separate files.
 */
JsonNode        *teken_report_to_json          (TekenReport      *self);
char            *teken_report_to_json_data     (TekenReport      *self,
                                                gsize            *length);
/* Reads report.json; attachments are not loaded (add them with teken_report_add_attachment()). */
TekenReport     *teken_report_new_from_json    (JsonNode         *node,
                                                GError          **error);
TekenReport     *teken_report_new_from_json_data (const char     *data,
                                                  gssize          length,
                                                  GError        **error);

/* "24 November 2026" with Indonesian month names; `date` is YYYY-MM-DD or a GDateTime. */
char            *teken_report_format_date_id   (GDateTime        *date);
char            *teken_report_format_iso_date_id (const char     *iso_date);

G_END_DECLS
