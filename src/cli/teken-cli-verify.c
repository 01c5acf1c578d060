/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * teken-cli verify [--json] [--trust PEM]... [--no-default-trust] [--at TIME] FILE...
 * Exit status (docs/verify-json.md): 0 all valid, 1 any invalid, 2 indeterminate, 3 unsigned,
 * 4 unreadable; with several files the worst in the order 4 > 1 > 2 > 3 > 0.
 */
#include "teken-cli-private.h"

#include <json-glib/json-glib.h>

#include "teken-verifier.h"
#include "teken-revocation.h"

static int
exit_rank (int code)
{
  switch (code)
    {
    case 4: return 4;
    case 1: return 3;
    case 2: return 2;
    case 3: return 1;
    default: return 0;
    }
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S %:z");
}

static char *
iso_time (GDateTime *time)
{
  return time ? g_date_time_format_iso8601 (time) : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Human output */

/* Time stamp, revocation and "long-term validation: yes/no" (docs/ltv.md). */
static void
print_long_term (TekenSignatureResult *sig)
{
  g_autofree char *rev_time = format_time (teken_signature_result_get_revocation_time (sig));
  gboolean embedded = teken_signature_result_get_revocation_source (sig) == TEKEN_REVOCATION_SOURCE_EMBEDDED;

  if (teken_signature_result_get_signature_type (sig) == TEKEN_SIGNATURE_TYPE_DOCUMENT_TIMESTAMP)
    return;
  if (teken_signature_result_has_timestamp (sig))
    {
      g_autofree char *ts_time = format_time (teken_signature_result_get_timestamp_time (sig));
      const char *authority = teken_signature_result_get_timestamp_authority (sig);

      /* translators: "Time stamp: <time> by <authority> (valid)" */
      g_print (_("    Time stamp: %s by %s (%s)\n"), ts_time ? ts_time : "?", authority ? authority : "?",
               teken_signature_result_get_timestamp_status (sig) == TEKEN_SIGNATURE_STATUS_VALID
               ? _("valid") : _("not valid"));
    }
  switch (teken_signature_result_get_revocation_status (sig))
    {
    case TEKEN_REVOCATION_STATUS_GOOD:
      g_print ("    %s %s\n", _("Revocation:"), embedded ? _("not revoked (data in the document)")
                                                        : _("not revoked (checked online)"));
      break;
    case TEKEN_REVOCATION_STATUS_REVOKED:
      /* translators: %s is a date and time */
      g_print (_("    Revocation: the certificate was revoked on %s\n"), rev_time ? rev_time : "?");
      break;
    case TEKEN_REVOCATION_STATUS_UNKNOWN:
      g_print ("    %s %s\n", _("Revocation:"), _("could not be determined"));
      break;
    case TEKEN_REVOCATION_STATUS_NOT_CHECKED:
    default:
      g_print ("    %s %s\n", _("Revocation:"), _("not checked"));
      break;
    }
  g_print ("    %s %s\n", _("Long-term validation:"), teken_signature_result_get_ltv (sig) ? _("yes") : _("no"));
}

static void
print_signature (TekenSignatureResult *sig,
                 guint                 index,
                 guint                 n_revisions)
{
  TekenCertInfo *signer = teken_signature_result_get_signer (sig);
  GArray *reasons = teken_signature_result_get_reasons (sig);
  GPtrArray *changes = teken_signature_result_get_changes (sig);
  g_autofree char *when = format_time (teken_signature_result_get_signing_time (sig));
  const char *text;

  /* translators: "Signature 1 “Field”: verdict" */
  g_print (_("  Signature %u “%s”: %s\n"), index + 1, teken_signature_result_get_field_name (sig),
           teken_signature_result_get_summary_text (sig));
  if (teken_signature_result_get_status (sig) == TEKEN_SIGNATURE_STATUS_UNSIGNED)
    return;

  if (signer != NULL)
    {
      g_print ("    %s %s\n", _("Signer:"), teken_cert_info_get_common_name (signer));
      g_print ("    %s %s\n", _("Subject:"), teken_cert_info_get_subject (signer));
      g_print ("    %s %s\n", _("Issued by:"), teken_cert_info_get_issuer_common_name (signer));
      g_print ("    %s %s\n", _("Certificate kind:"),
               teken_certificate_kind_get_label (teken_cert_info_get_kind (signer)));
    }
  if (when != NULL)
    {
      const char *source = teken_signature_result_get_time_source (sig) == TEKEN_TIME_SOURCE_TIMESTAMP
                           ? _("from a timestamp") : _("as claimed by the signer’s computer");
      g_print ("    %s %s (%s)\n", _("Signed at:"), when, source);
    }
  if (teken_signature_result_get_signature_type (sig) == TEKEN_SIGNATURE_TYPE_CERTIFICATION)
    /* translators: %d is the DocMDP permission level 1, 2 or 3 */
    g_print (_("    Certification signature (changes permitted: level %d)\n"),
             teken_signature_result_get_docmdp_level (sig));
  if (teken_signature_result_get_signature_type (sig) == TEKEN_SIGNATURE_TYPE_DOCUMENT_TIMESTAMP)
    g_print ("    %s\n", _("Document timestamp"));
  if (teken_signature_result_get_integrity (sig))
    g_print ("    %s\n", _("Integrity: the signed content is unchanged"));
  else
    g_print ("    %s\n", _("Integrity: NOT confirmed"));
  if (teken_signature_result_get_revision_index (sig) >= 0)
    {
      if (teken_signature_result_get_covers_whole_document (sig))
        g_print ("    %s\n", _("Covers the whole document"));
      else
        /* translators: the signature covers version %d of %u versions of the document */
        g_print (_("    Covers version %d of %u of the document\n"),
                 teken_signature_result_get_revision_index (sig) + 1, n_revisions);
    }
  switch (teken_signature_result_get_modified_after (sig))
    {
    case TEKEN_MODIFICATION_ALLOWED:
      g_print ("    %s\n", _("Changed after signing: only in permitted ways"));
      break;
    case TEKEN_MODIFICATION_DISALLOWED:
      g_print ("    %s\n", _("Changed after signing: YES, in ways the signature does not allow"));
      break;
    case TEKEN_MODIFICATION_NONE:
    default:
      break;
    }
  for (guint i = 0; i < changes->len; i++)
    {
      TekenChange *c = g_ptr_array_index (changes, i);

      if (c->object_number != 0)
        /* translators: "- page content (object 12): not allowed" */
        g_print (_("      - %s (object %u): %s\n"), teken_change_role_get_label (c->role), c->object_number,
                 c->allowed ? _("allowed") : _("not allowed"));
      else
        g_print ("      - %s: %s\n", c->detail ? c->detail : teken_change_role_get_label (c->role),
                 c->allowed ? _("allowed") : _("not allowed"));
    }
  text = teken_signature_result_get_format (sig);
  if (text != NULL || teken_signature_result_get_digest_algorithm (sig) != NULL)
    g_print ("    %s %s%s%s%s%s\n", _("Format:"), text ? text : "",
             teken_signature_result_get_digest_algorithm (sig) ? ", " : "",
             teken_signature_result_get_digest_algorithm (sig) ? teken_signature_result_get_digest_algorithm (sig) : "",
             teken_signature_result_get_signature_algorithm (sig) ? ", " : "",
             teken_signature_result_get_signature_algorithm (sig) ? teken_signature_result_get_signature_algorithm (sig) : "");
  print_long_term (sig);
  if ((text = teken_signature_result_get_reason (sig)) != NULL)
    g_print ("    %s %s\n", _("Reason:"), text);
  if ((text = teken_signature_result_get_location (sig)) != NULL)
    g_print ("    %s %s\n", _("Location:"), text);
  if ((text = teken_signature_result_get_contact_info (sig)) != NULL)
    g_print ("    %s %s\n", _("Contact:"), text);
  for (guint i = 0; i < reasons->len; i++)
    {
      TekenSignatureReason r = g_array_index (reasons, TekenSignatureReason, i);

      g_print ("    • %s\n", teken_signature_reason_get_message (r));
    }
}

static void
print_human (TekenDocumentResult *result)
{
  GListModel *sigs = teken_document_result_get_signatures (result);

  g_print ("%s: %s\n", teken_document_result_get_path (result), teken_document_result_get_verdict_text (result));
  for (guint i = 0; i < g_list_model_get_n_items (sigs); i++)
    {
      g_autoptr(TekenSignatureResult) sig = g_list_model_get_item (sigs, i);

      print_signature (sig, i, teken_document_result_get_n_revisions (result));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* JSON (docs/verify-json.md) */

static void
add_cert (JsonBuilder   *b,
          TekenCertInfo *info)
{
  g_autofree char *nb = iso_time (teken_cert_info_get_not_before (info));
  g_autofree char *na = iso_time (teken_cert_info_get_not_after (info));
  const char * const *ku = teken_cert_info_get_key_usage_ids (info);

  json_builder_begin_object (b);
  teken_cli_json_add_string (b, "subject", teken_cert_info_get_subject (info));
  teken_cli_json_add_string (b, "common_name", teken_cert_info_get_common_name (info));
  teken_cli_json_add_string (b, "issuer", teken_cert_info_get_issuer (info));
  teken_cli_json_add_string (b, "serial", teken_cert_info_get_serial (info));
  teken_cli_json_add_string (b, "not_before", nb);
  teken_cli_json_add_string (b, "not_after", na);
  teken_cli_json_add_string (b, "sha256", teken_cert_info_get_fingerprint_sha256 (info));
  json_builder_set_member_name (b, "key_usage");
  json_builder_begin_array (b);
  for (guint i = 0; ku != NULL && ku[i] != NULL; i++)
    json_builder_add_string_value (b, ku[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_signature (JsonBuilder          *b,
               TekenSignatureResult *sig)
{
  TekenCertInfo *signer = teken_signature_result_get_signer (sig);
  GArray *reasons = teken_signature_result_get_reasons (sig);
  GPtrArray *chain = teken_signature_result_get_chain (sig);
  GPtrArray *changes = teken_signature_result_get_changes (sig);
  g_autofree char *when = iso_time (teken_signature_result_get_signing_time (sig));
  g_autofree char *ts_time = iso_time (teken_signature_result_get_timestamp_time (sig));
  g_autofree char *rev_time = iso_time (teken_signature_result_get_revocation_time (sig));
  gboolean is_unsigned = teken_signature_result_get_status (sig) == TEKEN_SIGNATURE_STATUS_UNSIGNED;
  TekenPdfRect rect;
  gint64 range[4];

  json_builder_begin_object (b);
  teken_cli_json_add_string (b, "field", teken_signature_result_get_field_name (sig));
  teken_cli_json_add_string (b, "status", teken_signature_status_to_string (teken_signature_result_get_status (sig)));
  teken_cli_json_add_string (b, "summary", teken_signature_result_get_summary_text (sig));
  teken_cli_json_add_string (b, "type",
                             teken_signature_type_to_string (teken_signature_result_get_signature_type (sig)));

  json_builder_set_member_name (b, "signer");
  if (signer != NULL)
    {
      json_builder_begin_object (b);
      teken_cli_json_add_string (b, "common_name", teken_cert_info_get_common_name (signer));
      teken_cli_json_add_string (b, "subject", teken_cert_info_get_subject (signer));
      teken_cli_json_add_string (b, "organization", teken_cert_info_get_organization (signer));
      teken_cli_json_add_string (b, "issuer", teken_cert_info_get_issuer (signer));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  teken_cli_json_add_string (b, "signing_time", when);
  teken_cli_json_add_string (b, "time_source", is_unsigned ? NULL
              : teken_time_source_to_string (teken_signature_result_get_time_source (sig)));

  json_builder_set_member_name (b, "reasons");
  json_builder_begin_array (b);
  for (guint i = 0; i < reasons->len; i++)
    {
      TekenSignatureReason r = g_array_index (reasons, TekenSignatureReason, i);

      json_builder_begin_object (b);
      teken_cli_json_add_string (b, "code", teken_signature_reason_to_string (r));
      teken_cli_json_add_string (b, "severity",
                                 teken_signature_status_to_string (teken_signature_reason_get_severity (r)));
      teken_cli_json_add_string (b, "message", teken_signature_reason_get_message (r));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "integrity");
  json_builder_add_boolean_value (b, teken_signature_result_get_integrity (sig));
  json_builder_set_member_name (b, "covers_whole_document");
  json_builder_add_boolean_value (b, teken_signature_result_get_covers_whole_document (sig));
  teken_cli_json_add_string (b, "modified_after", is_unsigned ? NULL
              : teken_modification_level_to_string (teken_signature_result_get_modified_after (sig)));
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (guint i = 0; i < changes->len; i++)
    {
      TekenChange *c = g_ptr_array_index (changes, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "object");
      json_builder_add_int_value (b, c->object_number);
      teken_cli_json_add_string (b, "role", teken_change_role_to_string (c->role));
      json_builder_set_member_name (b, "allowed");
      json_builder_add_boolean_value (b, c->allowed);
      json_builder_set_member_name (b, "added");
      json_builder_add_boolean_value (b, c->added);
      json_builder_set_member_name (b, "revision");
      json_builder_add_int_value (b, c->revision);
      teken_cli_json_add_string (b, "detail", c->detail);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "revision");
  if (teken_signature_result_get_revision_index (sig) >= 0)
    json_builder_add_int_value (b, teken_signature_result_get_revision_index (sig));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "signed_length");
  json_builder_add_int_value (b, teken_signature_result_get_signed_length (sig));
  json_builder_set_member_name (b, "byte_range");
  if (teken_signature_result_get_byte_range (sig, range))
    {
      json_builder_begin_array (b);
      for (int i = 0; i < 4; i++)
        json_builder_add_int_value (b, range[i]);
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "chain");
  json_builder_begin_array (b);
  for (guint i = 0; i < chain->len; i++)
    add_cert (b, g_ptr_array_index (chain, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "chain_trusted");
  json_builder_add_boolean_value (b, teken_signature_result_get_chain_trusted (sig));
  teken_cli_json_add_string (b, "certificate_kind",
              teken_certificate_kind_to_string (teken_signature_result_get_certificate_kind (sig)));
  teken_cli_json_add_string (b, "subfilter", teken_signature_result_get_subfilter (sig));
  teken_cli_json_add_string (b, "digest_algorithm", teken_signature_result_get_digest_algorithm (sig));
  teken_cli_json_add_string (b, "signature_algorithm", teken_signature_result_get_signature_algorithm (sig));
  teken_cli_json_add_string (b, "format", teken_signature_result_get_format (sig));
  teken_cli_json_add_string (b, "reason", teken_signature_result_get_reason (sig));
  teken_cli_json_add_string (b, "location", teken_signature_result_get_location (sig));
  teken_cli_json_add_string (b, "contact_info", teken_signature_result_get_contact_info (sig));
  json_builder_set_member_name (b, "docmdp_level");
  json_builder_add_int_value (b, teken_signature_result_get_docmdp_level (sig));

  json_builder_set_member_name (b, "page");
  if (teken_signature_result_get_page_index (sig) >= 0)
    json_builder_add_int_value (b, teken_signature_result_get_page_index (sig));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "rect");
  if (teken_signature_result_get_rect (sig, &rect))
    {
      json_builder_begin_array (b);
      json_builder_add_double_value (b, rect.x1);
      json_builder_add_double_value (b, rect.y1);
      json_builder_add_double_value (b, rect.x2);
      json_builder_add_double_value (b, rect.y2);
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "timestamp");
  if (teken_signature_result_has_timestamp (sig))
    {
      json_builder_begin_object (b);
      teken_cli_json_add_string (b, "time", ts_time);
      teken_cli_json_add_string (b, "authority", teken_signature_result_get_timestamp_authority (sig));
      teken_cli_json_add_string (b, "status",
                                 teken_signature_status_to_string (teken_signature_result_get_timestamp_status (sig)));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "revocation");
  json_builder_begin_object (b);
  teken_cli_json_add_string (b, "status",
                             teken_revocation_status_to_string (teken_signature_result_get_revocation_status (sig)));
  teken_cli_json_add_string (b, "source",
                             teken_revocation_source_to_string (teken_signature_result_get_revocation_source (sig)));
  teken_cli_json_add_string (b, "time", rev_time);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "ltv");
  json_builder_add_boolean_value (b, teken_signature_result_get_ltv (sig));
  json_builder_end_object (b);
}

static void
add_document (JsonBuilder         *b,
              TekenDocumentResult *result)
{
  GListModel *sigs = teken_document_result_get_signatures (result);
  const GError *error = teken_document_result_get_error (result);

  json_builder_begin_object (b);
  teken_cli_json_add_string (b, "file", teken_document_result_get_path (result));
  teken_cli_json_add_string (b, "status",
                             teken_document_status_to_string (teken_document_result_get_status (result)));
  teken_cli_json_add_string (b, "verdict", teken_document_result_get_verdict_text (result));
  teken_cli_json_add_string (b, "error", error ? error->message : NULL);
  json_builder_set_member_name (b, "revisions");
  json_builder_add_int_value (b, teken_document_result_get_n_revisions (result));
  json_builder_set_member_name (b, "signatures");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (sigs); i++)
    {
      g_autoptr(TekenSignatureResult) sig = g_list_model_get_item (sigs, i);

      add_signature (b, sig);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* ------------------------------------------------------------------------------------------ */

static GDateTime *
parse_at (const char  *text,
          GError     **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *full = NULL;
  GDateTime *time;

  time = g_date_time_new_from_iso8601 (text, utc);
  if (time == NULL && strlen (text) == 10)
    {
      full = g_strconcat (text, "T00:00:00Z", NULL);
      time = g_date_time_new_from_iso8601 (full, utc);
    }
  if (time == NULL)
    /* translators: %s is what the user gave to --at */
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("“%s” is not a time; use ISO 8601, e.g. 2026-05-01T09:00:00+07:00"), text);
  return time;
}

int
teken_cli_verify (int    argc,
                  char **argv)
{
  gboolean json = FALSE, no_default = FALSE, system_trust = FALSE, no_dss = FALSE;
  gboolean offline = FALSE;
  g_auto(GStrv) trust_files = NULL;
  g_auto(GStrv) files = NULL;
  g_autofree char *at = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the results as JSON"), NULL },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trust_files,
      N_("Also trust the certificates in FILE (PEM or DER); repeatable"), N_("FILE") },
    { "no-default-trust", 0, 0, G_OPTION_ARG_NONE, &no_default,
      N_("Do not trust the certificates shipped with Teken or your trusted certificates"), NULL },
    { "system-trust", 0, 0, G_OPTION_ARG_NONE, &system_trust,
      N_("Also trust the system’s certificate authorities"), NULL },
    { "no-dss", 0, 0, G_OPTION_ARG_NONE, &no_dss,
      N_("Ignore certificates stored in the document’s validation data"), NULL },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_("Validate as of this time (ISO 8601)"), N_("TIME") },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline,
      N_("Check revocation only with data in the document and the cache, never online"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE…") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— verify every signature"));
  g_autoptr(TekenVerifier) verifier = teken_verifier_new ();
  g_autoptr(TekenTrustStore) store = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  guint n_files;
  int worst = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Exit status: 0 every signature valid, 1 a signature is invalid, 2 a signer could not be "
      "confirmed, 3 not signed, 4 the file could not be read."));
  if (!teken_cli_parse (context, &argc, &argv))
    return TEKEN_CLI_EXIT_USAGE;
  n_files = files ? g_strv_length (files) : 0;
  if (n_files == 0)
    {
      teken_cli_print_errorf (_("No file given; run “teken-cli verify --help”"));
      return TEKEN_CLI_EXIT_USAGE;
    }

  if (at != NULL)
    {
      g_autoptr(GDateTime) time = parse_at (at, &error);

      if (time == NULL)
        {
          teken_cli_print_error (error);
          return TEKEN_CLI_EXIT_USAGE;
        }
      teken_verifier_set_validation_time (verifier, time);
    }

  store = no_default ? teken_trust_store_new () : teken_trust_store_new_default ();
  teken_trust_store_set_use_system (store, system_trust);
  for (guint i = 0; trust_files != NULL && trust_files[i] != NULL; i++)
    if (!teken_trust_store_add_anchor_file (store, trust_files[i], &error))
      {
        teken_cli_print_error (error);
        return TEKEN_CLI_EXIT_USAGE;
      }
  teken_verifier_set_trust_store (verifier, store);
  teken_verifier_set_use_dss (verifier, !no_dss);
  /* Revocation (docs/ltv.md): online with a cache unless --offline; TEKEN_OFFLINE=1 does the same. */
  {
    g_autoptr(TekenRevocationChecker) checker = teken_revocation_checker_new (NULL);

    teken_revocation_checker_set_offline (checker, offline || g_strcmp0 (g_getenv ("TEKEN_OFFLINE"), "1") == 0);
    teken_verifier_set_revocation_checker (verifier, checker);
  }

  if (json)
    {
      builder = json_builder_new ();
      if (n_files > 1)
        json_builder_begin_array (builder);
    }

  for (guint i = 0; i < n_files; i++)
    {
      g_autoptr(TekenDocumentResult) result = NULL;
      g_autoptr(GError) file_error = NULL;
      int code;

      result = teken_verifier_verify_file (verifier, files[i], NULL, &file_error);
      if (result == NULL)
        {
          result = teken_document_result_new_for_error (files[i], file_error);
          if (!json)
            /* translators: the first %s is a file name, the second why it could not be read */
            teken_cli_print_errorf (_("%s: %s"), files[i], file_error->message);
        }
      else if (!json)
        print_human (result);
      if (json)
        add_document (builder, result);
      code = teken_document_status_get_exit_code (teken_document_result_get_status (result));
      if (exit_rank (code) > exit_rank (worst))
        worst = code;
    }

  if (json)
    {
      if (n_files > 1)
        json_builder_end_array (builder);
      teken_cli_print_json (builder);
    }
  return worst;
}
