/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * teken-cli report renewal|loss|revocation|new|incident [--FIELD VALUE]… [--identity ID | --p12 FILE
 *   [--passphrase-file F] | --cert FILE] [--attach [ROLE=]FILE]… [--output FILE] [--draft] [--send]
 *
 * Exit status: 0 written (and, with --send, delivered); 1 invalid or failed; 75 written and queued
 * for a later retry because the server could not be reached; 64 usage.
 */
#include "teken-cli-private.h"

#include <string.h>

#include "teken-atomic-file.h"
#include "teken-identity-store.h"
#include "teken-outbox.h"
#include "teken-p12-key.h"
#include "teken-report-letter.h"
#include "teken-x509-util.h"

#define EXIT_QUEUED 75

typedef struct
{
  char **values;           /* one per field, in teken_report_get_fields() order */
  char *identity;
  char *p12;
  char *passphrase_file;
  char *cert;
  char **attach;
  char *output;
  gboolean draft;
  gboolean send;
  gboolean wet;
} Options;

static void
options_clear (Options *o,
               guint    n_fields)
{
  for (guint i = 0; o->values != NULL && i < n_fields; i++)
    g_free (o->values[i]);
  g_free (o->values);
  g_free (o->identity);
  g_free (o->p12);
  g_free (o->passphrase_file);
  g_free (o->cert);
  g_strfreev (o->attach);
  g_free (o->output);
}

static TekenSecret *
ask_secret (const char  *prompt,
            gpointer     user_data,
            GError     **error)
{
  const char *file = user_data;

  return teken_cli_read_secret (file, prompt, error);
}

static TekenKey *
open_key (Options  *o,
          GError  **error)
{
  if (o->p12 != NULL)
    return teken_cli_open_p12_key (o->p12, o->passphrase_file, error);
  if (o->identity != NULL)
    {
      g_autoptr(TekenIdentityStore) store = teken_identity_store_new ();

      return teken_identity_store_open_key_by_id (store, o->identity, ask_secret, o->passphrase_file, NULL, error);
    }
  return NULL;
}

static X509 *
read_certificate (const char  *path,
                  GError     **error)
{
  g_autofree char *data = NULL;
  gsize len;
  X509 *cert;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  cert = teken_x509_new_from_data ((const guint8 *) data, len);
  if (cert == NULL)
    /* translators: %s is a file name */
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("“%s” is not a certificate (PEM or DER)"), path);
  return cert;
}

static gboolean
certificate_valid_now (X509 *cert)
{
  return X509_cmp_current_time (X509_get0_notBefore (cert)) < 0 &&
         X509_cmp_current_time (X509_get0_notAfter (cert)) > 0;
}

static gboolean
add_attachments (TekenReport  *report,
                 char        **specs,
                 GError      **error)
{
  for (guint i = 0; specs != NULL && specs[i]; i++)
    {
      const char *eq = strchr (specs[i], '=');
      g_autofree char *role = NULL;
      const char *path = specs[i];
      g_autoptr(TekenReportAttachment) a = NULL;

      /* ROLE=FILE when ROLE is a known role; otherwise the whole text is the file. */
      if (eq != NULL)
        {
          role = g_strndup (specs[i], eq - specs[i]);
          if (g_strv_contains (teken_report_get_attachment_roles (), role))
            path = eq + 1;
          else
            g_clear_pointer (&role, g_free);
        }
      a = teken_report_attachment_new_from_file (path, role != NULL ? role : "other", error);
      if (a == NULL || !teken_report_add_attachment (report, a, error))
        return FALSE;
    }
  return TRUE;
}

static void
print_problems (GPtrArray *problems)
{
  g_printerr ("teken-cli: %s\n", _("The report is incomplete:"));
  for (guint i = 0; i < problems->len; i++)
    {
      TekenReportProblem *p = g_ptr_array_index (problems, i);
      g_autofree char *option = g_strdelimit (g_strdup (p->field), "_", '-');

      if (g_str_equal (p->field, "attachments"))
        g_printerr ("  --attach: %s\n", p->message);
      else
        g_printerr ("  --%s: %s\n", option, p->message);
    }
}

static GOptionEntry *
build_entries (Options  *o,
               guint    *n_fields)
{
  const TekenReportField *fields = teken_report_get_fields (n_fields);
  GOptionEntry fixed[] = {
    { "identity", 0, 0, G_OPTION_ARG_STRING, &o->identity,
      N_("Signing identity (keyring id or pkcs11: URI) that prefills the certificate and signs the letter"), N_("ID") },
    { "p12", 0, 0, G_OPTION_ARG_FILENAME, &o->p12, N_("PKCS#12 file that prefills the certificate and signs the letter"), N_("FILE") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &o->passphrase_file,
      N_("Read the passphrase or PIN from the first line of FILE"), N_("FILE") },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &o->cert, N_("Certificate (PEM or DER) that prefills the certificate fields"), N_("FILE") },
    { "attach", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->attach,
      N_("Attach a PDF, JPEG or PNG; ROLE is cover_letter, recommendation, ektp, appointment_decree, police_report, statement_letter, evidence or other"),
      N_("[ROLE=]FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output, N_("Also save the letter PDF as FILE"), N_("FILE") },
    { "wet", 0, 0, G_OPTION_ARG_NONE, &o->wet, N_("Lay the letter out for a handwritten signature even when a key is given"), NULL },
    { "draft", 0, 0, G_OPTION_ARG_NONE, &o->draft, N_("Keep the report as a draft, even when incomplete"), NULL },
    { "send", 0, 0, G_OPTION_ARG_NONE, &o->send, N_("Send the report now through the configured channel"), NULL },
  };
  GOptionEntry *entries = g_new0 (GOptionEntry, *n_fields + G_N_ELEMENTS (fixed) + 1);

  o->values = g_new0 (char *, *n_fields);
  for (guint i = 0; i < *n_fields; i++)
    {
      entries[i].long_name = g_strdelimit (g_strdup (fields[i].id), "_", '-');   /* leaked with the table: tiny, once */
      entries[i].arg = G_OPTION_ARG_STRING;
      entries[i].arg_data = &o->values[i];
      entries[i].description = fields[i].label;
      if (fields[i].type == TEKEN_REPORT_FIELD_CHOICE)
        {
          g_autofree char *list = g_strjoinv (", ", (char **) fields[i].choices);
          /* Leaked likewise; already translated, so GOption's own lookup finds nothing and keeps it. */
          entries[i].description = g_strdup_printf ("%s: %s", _(fields[i].label), list);
          entries[i].arg_description = N_("ID");
        }
      else
        entries[i].arg_description = fields[i].type == TEKEN_REPORT_FIELD_DATE ? "YYYY-MM-DD" : N_("VALUE");
    }
  memcpy (entries + *n_fields, fixed, sizeof fixed);
  return entries;
}

static int
send_now (TekenOutbox      *outbox,
          TekenOutboxEntry *entry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenRaConfig) config = teken_ra_config_load (&error);
  g_autoptr(TekenDelivery) delivery = NULL;
  g_autoptr(TekenOutboxEntry) result = NULL;

  if (config == NULL)
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  delivery = teken_delivery_new (config);
  result = teken_outbox_send_sync (outbox, teken_outbox_entry_get_id (entry), delivery, TRUE, NULL, &error);
  if (result == NULL)
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  switch (teken_outbox_entry_get_state (result))
    {
    case TEKEN_OUTBOX_STATE_SENT:
      /* translators: %s is a ticket number, Message-ID or folder */
      g_print (_("Sent: %s\n"), teken_outbox_entry_get_receipt (result));
      return TEKEN_CLI_EXIT_OK;
    case TEKEN_OUTBOX_STATE_QUEUED:
      /* translators: %s is the reason; the report stays in the outbox */
      teken_cli_print_errorf (_("Not sent yet, kept in the outbox for a retry: %s"),
                              teken_outbox_entry_get_last_error (result));
      return EXIT_QUEUED;
    default:
      /* translators: %s is the server's message */
      teken_cli_print_errorf (_("Sending failed: %s"), teken_outbox_entry_get_last_error (result));
      return TEKEN_CLI_EXIT_FAILED;
    }
}

static int
run (TekenReportKind  kind,
     Options         *o,
     guint            n_fields)
{
  const TekenReportField *fields = teken_report_get_fields (NULL);
  g_autoptr(TekenReport) report = teken_report_new (kind);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenKey) key = NULL;
  g_autoptr(TekenRaConfig) config = NULL;
  g_autoptr(TekenOutbox) outbox = NULL;
  g_autoptr(TekenOutboxEntry) entry = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GBytes) letter = NULL;
  g_autofree char *letter_path = NULL;
  g_autofree char *city = NULL;
  TekenReportLetterStampArea area;
  TekenReportLetterLayout layout;

  if (o->cert != NULL)
    {
      X509 *cert = read_certificate (o->cert, &error);
      if (cert == NULL)
        goto fail;
      teken_report_prefill_from_certificate (report, cert);
      X509_free (cert);
    }
  if (o->p12 != NULL || o->identity != NULL)
    {
      key = open_key (o, &error);
      if (key == NULL)
        goto fail;
      teken_report_prefill_from_certificate (report, teken_key_get_certificate (key));
    }
  /* Explicit options win over the prefilled values. */
  for (guint i = 0; i < n_fields; i++)
    if (o->values[i] != NULL && !teken_report_set_field (report, fields[i].id, o->values[i], &error))
      goto fail;
  if (!add_attachments (report, o->attach, &error))
    goto fail;

  problems = teken_report_validate (report);
  if (problems->len > 0 && !o->draft)
    {
      print_problems (problems);
      return TEKEN_CLI_EXIT_FAILED;
    }

  config = teken_ra_config_load (&error);
  if (config == NULL)
    goto fail;
  layout = key != NULL && !o->wet ? teken_report_letter_preferred_layout (kind) : TEKEN_REPORT_LETTER_WET;
  if (layout == TEKEN_REPORT_LETTER_ELECTRONIC && !certificate_valid_now (teken_key_get_certificate (key)))
    {
      /* An expired certificate cannot make a valid signature: the owner signs by hand instead. */
      g_printerr ("teken-cli: %s\n", _("The certificate is not valid today, so the letter is laid out for a handwritten signature"));
      layout = TEKEN_REPORT_LETTER_WET;
    }
  letter = teken_report_letter_render (report, config, layout, &area, &error);
  if (letter == NULL)
    goto fail;
  if (layout == TEKEN_REPORT_LETTER_ELECTRONIC)
    {
      g_autoptr(GBytes) signed_letter = NULL;

      city = teken_ra_config_get_string (config, "letterhead", "city");
      signed_letter = teken_report_letter_sign (letter, key, &area, teken_report_kind_get_perihal (kind),
                                                city, NULL, &error);
      if (signed_letter == NULL)
        goto fail;
      g_bytes_unref (letter);
      letter = g_steal_pointer (&signed_letter);
    }

  outbox = teken_outbox_new (NULL, &error);
  if (outbox == NULL)
    goto fail;
  entry = teken_outbox_add (outbox, report, letter, !o->draft, &error);
  if (entry == NULL)
    goto fail;
  if (o->output != NULL &&
      !teken_atomic_file_set_contents (o->output, g_bytes_get_data (letter, NULL), g_bytes_get_size (letter),
                                       TRUE, &error))
    goto fail;

  letter_path = teken_outbox_entry_get_letter_path (entry);
  /* translators: the first %s is a report id, the second its state ("Queued", "Draft") */
  g_print (_("Report %s written (%s)\n"), teken_outbox_entry_get_id (entry),
           teken_outbox_state_get_label (teken_outbox_entry_get_state (entry)));
  /* translators: %s is the path of the letter PDF */
  g_print (_("Letter: %s\n"), letter_path);
  if (o->send && !o->draft)
    return send_now (outbox, entry);
  return TEKEN_CLI_EXIT_OK;

fail:
  teken_cli_print_error (error);
  return TEKEN_CLI_EXIT_FAILED;
}

int
teken_cli_report (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree GOptionEntry *entries = NULL;
  Options o = { 0 };
  guint n_fields = 0;
  TekenReportKind kind;
  int status;

  context = g_option_context_new (_("renewal|loss|revocation|new|incident — prepare a report to the Registration Authority"));
  entries = build_entries (&o, &n_fields);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("The report is written to the outbox first (the letter PDF, report.json and the attachments),\n"
      "then sent with --send or later with “teken-cli outbox send”. Dates are YYYY-MM-DD."));
  if (!teken_cli_parse (context, &argc, &argv))
    {
      options_clear (&o, n_fields);
      return TEKEN_CLI_EXIT_USAGE;
    }
  if (argc != 2 || !teken_report_kind_from_string (argv[1], &kind))
    {
      teken_cli_print_errorf (_("Choose one report kind: renewal, loss, revocation, new or incident"));
      options_clear (&o, n_fields);
      return TEKEN_CLI_EXIT_USAGE;
    }
  if (o.p12 != NULL && o.identity != NULL)
    {
      teken_cli_print_errorf (_("Use either --identity or --p12, not both"));
      options_clear (&o, n_fields);
      return TEKEN_CLI_EXIT_USAGE;
    }
  status = run (kind, &o, n_fields);
  options_clear (&o, n_fields);
  return status;
}
