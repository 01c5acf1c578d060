/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * teken-cli certs list [--json]
 * teken-cli certs import FILE.p12 [--passphrase-file F] [--remember-passphrase]
 * teken-cli certs show ID
 * teken-cli certs export ID -o FILE [--der]
 * teken-cli certs remove ID
 * teken-cli certs expiring [--days N] [--json]
 * teken-cli certs add-module PATH
 * teken-cli certs change-pin ID [--pin-file FILE] [--new-pin-file FILE]
 */
#include "teken-cli-private.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "teken-atomic-file.h"
#include "teken-identity-store.h"
#include "teken-demo.h"

#define DEFAULT_EXPIRING_DAYS 30

static const char *
secret_kind_id (TekenIdentitySecretKind kind)
{
  switch (kind)
    {
    case TEKEN_IDENTITY_SECRET_PASSPHRASE:
      return "passphrase";
    case TEKEN_IDENTITY_SECRET_PIN:
      return "pin";
    case TEKEN_IDENTITY_SECRET_PIN_PAD:
      return "pin-pad";
    case TEKEN_IDENTITY_SECRET_NONE:
    default:
      return "none";
    }
}

static char *
format_date (GDateTime *dt)
{
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* The identities of the keyring and the tokens; a keyring problem is a warning, not a failure. */
static TekenIdentityStore *
load_store (GError **error)
{
  g_autoptr(TekenIdentityStore) store = teken_identity_store_new ();
  const GError *keyring_error;

  if (!teken_identity_store_refresh_sync (store, NULL, error))
    return NULL;
  keyring_error = teken_identity_store_get_keyring_error (store);
  if (keyring_error != NULL)
    /* translators: %s explains why the keyring could not be read */
    teken_cli_print_errorf (_("warning: %s"), keyring_error->message);
  return g_steal_pointer (&store);
}

static void
add_identity_json (JsonBuilder   *b,
                   TekenIdentity *identity,
                   GDateTime     *now)
{
  g_autofree char *not_before = format_date (teken_identity_get_not_before (identity));
  g_autofree char *not_after = format_date (teken_identity_get_not_after (identity));
  TekenPinState state = teken_identity_get_pin_state (identity);
  STACK_OF (X509) *chain = teken_identity_get_chain (identity);

  json_builder_begin_object (b);
  teken_cli_json_add_string (b, "id", teken_identity_get_id (identity));
  teken_cli_json_add_string (b, "label", teken_identity_get_label (identity));
  teken_cli_json_add_string (b, "kind", teken_identity_kind_to_string (teken_identity_get_kind (identity)));
  teken_cli_json_add_string (b, "subject", teken_identity_get_subject (identity));
  teken_cli_json_add_string (b, "issuer", teken_identity_get_issuer (identity));
  teken_cli_json_add_string (b, "fingerprint_sha256", teken_identity_get_fingerprint (identity));
  teken_cli_json_add_string (b, "not_before", not_before);
  teken_cli_json_add_string (b, "not_after", not_after);
  json_builder_set_member_name (b, "days_to_expiry");
  json_builder_add_int_value (b, teken_identity_get_days_to_expiry (identity, now));
  teken_cli_json_add_string (b, "location", teken_identity_get_location (identity));
  teken_cli_json_add_string (b, "collection", teken_identity_get_collection (identity));
  teken_cli_json_add_string (b, "token", teken_identity_get_token_label (identity));
  teken_cli_json_add_string (b, "module", teken_identity_get_module_path (identity));
  teken_cli_json_add_string (b, "secret", secret_kind_id (teken_identity_get_secret_kind (identity)));
  json_builder_set_member_name (b, "pin_state");
  json_builder_begin_array (b);
  if (state & TEKEN_PIN_STATE_COUNT_LOW)
    json_builder_add_string_value (b, "count-low");
  if (state & TEKEN_PIN_STATE_FINAL_TRY)
    json_builder_add_string_value (b, "final-try");
  if (state & TEKEN_PIN_STATE_LOCKED)
    json_builder_add_string_value (b, "locked");
  if (state & TEKEN_PIN_STATE_TO_BE_CHANGED)
    json_builder_add_string_value (b, "to-be-changed");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "chain_length");
  json_builder_add_int_value (b, sk_X509_num (chain));
  json_builder_end_object (b);
}

static char *
describe_expiry (TekenIdentity *identity,
                 GDateTime     *now)
{
  gint days = teken_identity_get_days_to_expiry (identity, now);
  g_autofree char *date = g_date_time_format (teken_identity_get_not_after (identity), "%Y-%m-%d");

  if (days < 0)
    /* translators: %s is a date (YYYY-MM-DD) */
    return g_strdup_printf (_("expired on %s"), date);
  /* translators: %s is a date (YYYY-MM-DD), %d a number of days */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "expires %s (in %d day)", "expires %s (in %d days)", days),
                          date, days);
}

static void
print_identity_line (TekenIdentity *identity,
                     GDateTime     *now)
{
  g_autofree char *expiry = describe_expiry (identity, now);

  g_print ("%s\n", teken_identity_get_id (identity));
  /* translators: one listing line: the holder's name, where the key lives, the expiry */
  g_print ("    %s — %s — %s\n", teken_identity_get_label (identity),
           teken_identity_get_location (identity), expiry);
}

/* Identities with at most max_days left (all when max_days is G_MAXINT), listed or as JSON. */
static int
print_identities (TekenIdentityStore *store,
                  gboolean            json,
                  gint                max_days)
{
  GListModel *model = teken_identity_store_get_identities (store);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint shown = 0;

  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenIdentity) identity = g_list_model_get_item (model, i);

      if (teken_identity_get_days_to_expiry (identity, now) > max_days)
        continue;
      shown++;
      if (json)
        add_identity_json (b, identity, now);
      else
        print_identity_line (identity, now);
    }
  json_builder_end_array (b);
  if (json)
    teken_cli_print_json (b);
  else if (shown == 0 && max_days == G_MAXINT)
    g_print ("%s\n", _("No identities: import a .p12 with “teken-cli certs import FILE” or insert a token"));
  return TEKEN_CLI_EXIT_OK;
}

static int
certs_list (int    argc,
            char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list the signing identities"));
  g_autoptr(TekenIdentityStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!teken_cli_parse (context, &argc, &argv))
    return TEKEN_CLI_EXIT_USAGE;
  store = load_store (&error);
  if (store == NULL)
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  return print_identities (store, json, G_MAXINT);
}

static int
certs_expiring (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  int days = DEFAULT_EXPIRING_DAYS;
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list identities that expire soon"));
  g_autoptr(TekenIdentityStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_("Expiring within N days (default 30; expired ones are listed too)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!teken_cli_parse (context, &argc, &argv))
    return TEKEN_CLI_EXIT_USAGE;
  if (days < 0)
    {
      teken_cli_print_errorf ("%s", _("--days takes a number of days, 0 or more"));
      return TEKEN_CLI_EXIT_USAGE;
    }
  store = load_store (&error);
  if (store == NULL)
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  return print_identities (store, json, days);
}

static int
certs_import (int    argc,
              char **argv)
{
  g_autofree char *passphrase_file = NULL;
  gboolean remember = FALSE;
  g_auto(GStrv) files = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE.p12 — import a PKCS#12 file into the keyring"));
  g_autoptr(TekenIdentityStore) store = teken_identity_store_new ();
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(TekenSecret) passphrase = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *prompt = NULL;
  const GOptionEntry entries[] = {
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("Read the passphrase from the first line of FILE (default: standard input when it is not a terminal, else a prompt)"), N_("FILE") },
    { "remember-passphrase", 0, 0, G_OPTION_ARG_NONE, &remember,
      N_("Keep the passphrase in the keyring's session collection until logout"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE.p12") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!teken_cli_parse (context, &argc, &argv))
    return TEKEN_CLI_EXIT_USAGE;
  if (files == NULL || g_strv_length (files) != 1)
    {
      teken_cli_print_errorf ("%s", _("Give exactly one .p12 file to import"));
      return TEKEN_CLI_EXIT_USAGE;
    }

  base = g_path_get_basename (files[0]);
  /* translators: %s is the name of a .p12 file */
  prompt = g_strdup_printf (_("Passphrase for %s: "), base);
  passphrase = teken_cli_read_secret (passphrase_file, prompt, &error);
  if (passphrase != NULL)
    {
      file = g_file_new_for_commandline_arg (files[0]);
      identity = teken_identity_store_import_p12_file_sync (store, file, passphrase,
                                                            remember ? TEKEN_IMPORT_FLAGS_REMEMBER_PASSPHRASE
                                                                     : TEKEN_IMPORT_FLAGS_NONE,
                                                            NULL, &error);
    }
  if (identity == NULL)
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  g_print ("%s\n", teken_identity_get_id (identity));
  return TEKEN_CLI_EXIT_OK;
}

/* Parses `certs SUB ID [options]` where exactly one ID is expected; returns the ID or NULL. */
static char *
parse_one_id (GOptionContext  *context,
              int             *argc,
              char          ***argv,
              char          ***rest)
{
  if (!teken_cli_parse (context, argc, argv))
    return NULL;
  if (*rest == NULL || g_strv_length (*rest) != 1)
    {
      teken_cli_print_errorf ("%s", _("Give exactly one identity id (see “teken-cli certs list”)"));
      return NULL;
    }
  return (*rest)[0];
}

/* The identity named id (owned by *store_out, which it returns too); prints the error itself. */
static TekenIdentity *
load_identity (const char          *id,
               TekenIdentityStore **store_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenIdentityStore) store = load_store (&error);
  TekenIdentity *identity;

  if (store == NULL ||
      (identity = teken_identity_store_lookup (store, id, &error)) == NULL)
    {
      teken_cli_print_error (error);
      return NULL;
    }
  *store_out = g_steal_pointer (&store);
  return identity;
}

static void
print_row (const char *label,
           const char *value)
{
  if (value != NULL)
    g_print ("%-22s %s\n", label, value);
}

static const char *
secret_kind_label (TekenIdentitySecretKind kind)
{
  switch (kind)
    {
    case TEKEN_IDENTITY_SECRET_PASSPHRASE:
      return _("passphrase");
    case TEKEN_IDENTITY_SECRET_PIN:
      return _("token PIN");
    case TEKEN_IDENTITY_SECRET_PIN_PAD:
      return _("PIN on the token's own keypad");
    case TEKEN_IDENTITY_SECRET_NONE:
    default:
      return _("none (remembered for this session)");
    }
}

static char *
name_of (X509 *cert)
{
  g_autoptr(GString) s = g_string_new (NULL);
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data;
  long len;

  X509_NAME_print_ex (bio, X509_get_subject_name (cert), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  len = BIO_get_mem_data (bio, &data);
  g_string_append_len (s, data, len);
  BIO_free (bio);
  return g_utf8_make_valid (s->str, s->len);
}

static int
certs_show (int    argc,
            char **argv)
{
  g_auto(GStrv) rest = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID — show an identity's certificate"));
  g_autoptr(TekenIdentityStore) store = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *not_before = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *state = NULL;
  TekenIdentity *identity;
  TekenPinState pin;
  STACK_OF (X509) *chain;
  const char *id;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, N_("ID") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((id = parse_one_id (context, &argc, &argv, &rest)) == NULL)
    return TEKEN_CLI_EXIT_USAGE;
  if ((identity = load_identity (id, &store)) == NULL)
    return TEKEN_CLI_EXIT_FAILED;

  not_before = g_date_time_format (teken_identity_get_not_before (identity), "%Y-%m-%d %H:%M:%S UTC");
  expiry = describe_expiry (identity, now);
  pin = teken_identity_get_pin_state (identity);
  if (pin & TEKEN_PIN_STATE_LOCKED)
    state = g_strdup (_("locked"));
  else if (pin & TEKEN_PIN_STATE_FINAL_TRY)
    state = g_strdup (_("one try left"));
  else if (pin & TEKEN_PIN_STATE_COUNT_LOW)
    state = g_strdup (_("earlier attempts failed"));
  else if (teken_identity_get_kind (identity) == TEKEN_IDENTITY_KIND_TOKEN)
    state = g_strdup (_("ok"));

  print_row (_("Name:"), teken_identity_get_label (identity));
  print_row (_("Id:"), teken_identity_get_id (identity));
  print_row (_("Key is in:"), teken_identity_get_location (identity));
  print_row (_("Subject:"), teken_identity_get_subject (identity));
  print_row (_("Issuer:"), teken_identity_get_issuer (identity));
  print_row (_("Valid from:"), not_before);
  print_row (_("Valid until:"), expiry);
  print_row (_("SHA-256 fingerprint:"), teken_identity_get_fingerprint (identity));
  print_row (_("To sign you need:"), secret_kind_label (teken_identity_get_secret_kind (identity)));
  print_row (_("PIN state:"), state);
  print_row (_("Module:"), teken_identity_get_module_path (identity));
  chain = teken_identity_get_chain (identity);
  for (int i = 0; i < sk_X509_num (chain); i++)
    {
      g_autofree char *name = name_of (sk_X509_value (chain, i));

      print_row (i == 0 ? _("Chain:") : "", name);
    }
  return TEKEN_CLI_EXIT_OK;
}

static int
certs_export (int    argc,
              char **argv)
{
  g_auto(GStrv) rest = NULL;
  g_autofree char *output = NULL;
  gboolean der = FALSE;
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID -o FILE — write an identity's certificate (never the key)"));
  g_autoptr(TekenIdentityStore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  TekenIdentity *identity;
  const char *id;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the certificate to FILE"), N_("FILE") },
    { "der", 0, 0, G_OPTION_ARG_NONE, &der, N_("Binary DER instead of PEM text"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, N_("ID") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((id = parse_one_id (context, &argc, &argv, &rest)) == NULL)
    return TEKEN_CLI_EXIT_USAGE;
  if (output == NULL)
    {
      teken_cli_print_errorf ("%s", _("Name the output file with -o FILE"));
      return TEKEN_CLI_EXIT_USAGE;
    }
  if ((identity = load_identity (id, &store)) == NULL)
    return TEKEN_CLI_EXIT_FAILED;
  bytes = teken_identity_export_certificate (identity, der ? TEKEN_CERT_FORMAT_DER : TEKEN_CERT_FORMAT_PEM, &error);
  if (bytes == NULL ||
      !teken_atomic_file_set_contents (output, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                       TRUE, &error))
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  g_print ("%s\n", output);
  return TEKEN_CLI_EXIT_OK;
}

static int
certs_remove (int    argc,
              char **argv)
{
  g_auto(GStrv) rest = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID — remove an identity from the keyring"));
  g_autoptr(TekenIdentityStore) store = NULL;
  g_autoptr(GError) error = NULL;
  TekenIdentity *identity;
  const char *id;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, N_("ID") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((id = parse_one_id (context, &argc, &argv, &rest)) == NULL)
    return TEKEN_CLI_EXIT_USAGE;
  if ((identity = load_identity (id, &store)) == NULL)
    return TEKEN_CLI_EXIT_FAILED;
  if (!teken_identity_store_remove_sync (store, identity, NULL, &error))
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  /* translators: %s is an identity id */
  g_print (_("Removed %s\n"), id);
  return TEKEN_CLI_EXIT_OK;
}

/* Both PINs come from files or prompts, never from arguments. */
static int
certs_change_pin (int    argc,
                  char **argv)
{
  g_auto(GStrv) rest = NULL;
  g_autofree char *old_file = NULL;
  g_autofree char *new_file = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID — change the PIN of the token holding an identity"));
  g_autoptr(TekenIdentityStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenSecret) old_pin = NULL;
  g_autoptr(TekenSecret) new_pin = NULL;
  g_autoptr(TekenSecret) repeat = NULL;
  TekenIdentity *identity;
  const char *id;
  const GOptionEntry entries[] = {
    { "pin-file", 0, 0, G_OPTION_ARG_FILENAME, &old_file,
      N_("Read the current PIN from the first line of FILE (default: a prompt)"), N_("FILE") },
    { "new-pin-file", 0, 0, G_OPTION_ARG_FILENAME, &new_file,
      N_("Read the new PIN from the first line of FILE (default: a prompt, asked twice)"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, N_("ID") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((id = parse_one_id (context, &argc, &argv, &rest)) == NULL)
    return TEKEN_CLI_EXIT_USAGE;
  if (old_file == NULL && new_file == NULL && !isatty (STDIN_FILENO))
    {
      teken_cli_print_errorf ("%s", _("Without a terminal, give the PINs with --pin-file and --new-pin-file"));
      return TEKEN_CLI_EXIT_USAGE;
    }
  if ((identity = load_identity (id, &store)) == NULL)
    return TEKEN_CLI_EXIT_FAILED;
  if (!teken_identity_can_change_pin (identity))
    {
      teken_cli_print_errorf ("%s", _("This token does not let Teken change its PIN (write-protected or with its own keypad)"));
      return TEKEN_CLI_EXIT_FAILED;
    }
  if ((old_pin = teken_cli_read_secret (old_file, _("Current PIN: "), &error)) == NULL ||
      (new_pin = teken_cli_read_secret (new_file, _("New PIN: "), &error)) == NULL)
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  if (new_file == NULL && isatty (STDIN_FILENO))
    {
      if ((repeat = teken_cli_read_secret (NULL, _("Repeat new PIN: "), &error)) == NULL)
        {
          teken_cli_print_error (error);
          return TEKEN_CLI_EXIT_FAILED;
        }
      if (strcmp (repeat, new_pin) != 0)
        {
          teken_cli_print_errorf ("%s", _("The new PINs do not match"));
          return TEKEN_CLI_EXIT_FAILED;
        }
    }
  if (!teken_identity_change_pin_sync (identity, old_pin, new_pin, NULL, &error))
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  /* translators: %s is a token's label */
  g_print (_("The PIN of the token “%s” was changed\n"), teken_identity_get_token_label (identity));
  return TEKEN_CLI_EXIT_OK;
}

static int
certs_add_module (int    argc,
                  char **argv)
{
  g_auto(GStrv) rest = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("PATH — use this PKCS#11 module (.so) from now on"));
  g_autoptr(TekenIdentityStore) store = teken_identity_store_new ();
  g_autoptr(GError) error = NULL;
  const char *path;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, N_("PATH") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!teken_cli_parse (context, &argc, &argv))
    return TEKEN_CLI_EXIT_USAGE;
  if (rest == NULL || g_strv_length (rest) != 1)
    {
      teken_cli_print_errorf ("%s", _("Give exactly one module path"));
      return TEKEN_CLI_EXIT_USAGE;
    }
  path = rest[0];
  if (!teken_identity_store_add_module (store, path, TRUE, &error))
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  /* translators: %s is a file name */
  g_print (_("Added the PKCS#11 module %s\n"), path);
  return TEKEN_CLI_EXIT_OK;
}

/* The helpdesk's demo identity (src/core/teken-demo.h) and a copy of the sample letter. */
static int
certs_demo (int    argc,
            char **argv)
{
  g_autofree char *dir = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("— create the DEMO identity and copy the sample letter"));
  g_autoptr(TekenIdentityStore) store = NULL;
  g_autoptr(TekenIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *letter = NULL;
  const GOptionEntry entries[] = {
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, N_("Copy the sample letter into DIR (default: Documents)"), N_("DIR") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!teken_cli_parse (context, &argc, &argv))
    return TEKEN_CLI_EXIT_USAGE;
  store = load_store (&error);
  if (store == NULL ||
      (identity = teken_demo_create_identity (store, NULL, &error)) == NULL ||
      (letter = teken_demo_copy_sample_letter (dir, &error)) == NULL)
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  g_print ("%s\n", teken_identity_get_id (identity));
  /* translators: %s is the demo signer's name */
  g_print (_("DEMO identity “%s”: for demonstrations only, not trusted as BSrE\n"),
           teken_identity_get_label (identity));
  /* translators: %s is a file name */
  g_print (_("Sample letter: %s\n"), letter);
  return TEKEN_CLI_EXIT_OK;
}

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Subcommand;

static const Subcommand subcommands[] = {
  { "list", certs_list, N_("List keyring and token identities with their ids") },
  { "import", certs_import, N_("Import a .p12/.pfx file into the keyring") },
  { "show", certs_show, N_("Show an identity's certificate details and chain") },
  { "export", certs_export, N_("Write an identity's certificate to a file (PEM or DER)") },
  { "remove", certs_remove, N_("Remove an identity from the keyring") },
  { "expiring", certs_expiring, N_("List identities that expire within N days") },
  { "change-pin", certs_change_pin, N_("Change the PIN of a token (PINs from files or prompts)") },
  { "add-module", certs_add_module, N_("Use an extra PKCS#11 module for tokens") },
  { "demo", certs_demo, N_("Create the DEMO identity for demonstrations (never for real letters)") },
};

static void
print_certs_usage (void)
{
  g_print ("%s\n", _("Usage: teken-cli certs SUBCOMMAND [OPTION…]"));
  g_print ("\n%s\n", _("Subcommands:"));
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    g_print ("  %-12s %s\n", subcommands[i].name, _(subcommands[i].summary));
  /* xgettext:no-c-format */
  g_print ("\n%s\n", _("An ID is “keyring:<fingerprint>” or a PKCS#11 URI (“pkcs11:token=…;id=%01”) as “list” shows."));
}

int
teken_cli_certs (int    argc,
                 char **argv)
{
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_certs_usage ();
      return argc < 2 ? TEKEN_CLI_EXIT_USAGE : TEKEN_CLI_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_str_equal (argv[1], subcommands[i].name))
      return subcommands[i].run (argc - 1, argv + 1);

  /* translators: %s is what the user typed */
  teken_cli_print_errorf (_("Unknown subcommand “%s”; run “teken-cli certs --help”"), argv[1]);
  return TEKEN_CLI_EXIT_USAGE;
}
