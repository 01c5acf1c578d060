/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * teken-cli sign (--p12 FILE [--passphrase-file F] | --identity ID [--pin-file F]) [--field NAME] [--page N --rect X,Y,W,H]
 *   [--reason TEXT] [--location TEXT] [--contact TEXT] [--image PNG] [--qr TEXT]
 *   [--subfilter etsi|pkcs7] [--digest sha256|sha384|sha512] -o OUT IN
 */
#include "teken-cli-private.h"

#include <math.h>

#ifndef TEKEN_CLI_LIGHT
# include "teken-identity-store.h"
#endif
#include "teken-p12-key.h"
#include "teken-signer.h"

typedef struct
{
  char *p12;
  char *passphrase_file;
  char *identity;           /* keyring id or pkcs11: URI (teken-cli certs list) */
  char *pin_file;
  char *field;
  int page;                 /* 1-based; 0 when not given */
  char *rect;
  char *reason;
  char *location;
  char *contact;
  char *image;
  char *qr;
  char *subfilter;
  char *digest;
  char *output;
  char **inputs;
} SignOptions;

static void
sign_options_clear (SignOptions *o)
{
  g_free (o->p12);
  g_free (o->passphrase_file);
  g_free (o->identity);
  g_free (o->pin_file);
  g_free (o->field);
  g_free (o->rect);
  g_free (o->reason);
  g_free (o->location);
  g_free (o->contact);
  g_free (o->image);
  g_free (o->qr);
  g_free (o->subfilter);
  g_free (o->digest);
  g_free (o->output);
  g_strfreev (o->inputs);
}

/*
 * The signing key named by the options. Every key source (a .p12 file now; keyring
 * identities and PKCS#11 tokens later) is opened here and nowhere else.
 */
#ifndef TEKEN_CLI_LIGHT
/* The identity store asks through this for a keyring passphrase or a token PIN. */
static TekenSecret *
ask_identity_secret (const char  *prompt,
                     gpointer     user_data,
                     GError     **error)
{
  SignOptions *options = user_data;

  return teken_cli_read_secret (options->pin_file != NULL ? options->pin_file : options->passphrase_file,
                                prompt, error);
}

#endif

static TekenKey *
open_key (SignOptions  *options,
          GError      **error)
{
#ifndef TEKEN_CLI_LIGHT
  /* the light teken-cli hands --identity to teken-cli-full before getting here */
  if (options->identity != NULL)
    {
      g_autoptr(TekenIdentityStore) store = teken_identity_store_new ();

      return teken_identity_store_open_key_by_id (store, options->identity, ask_identity_secret, options,
                                                  NULL, error);
    }
#endif
  return teken_cli_open_p12_key (options->p12, options->passphrase_file, error);
}

static gboolean
parse_rect (const char *text,
            double      values[4])
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  if (g_strv_length (parts) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      char *end = NULL;

      g_strstrip (parts[i]);
      values[i] = g_ascii_strtod (parts[i], &end);
      if (parts[i][0] == '\0' || end == NULL || *end != '\0' || !isfinite (values[i]))
        return FALSE;
    }
  return values[2] > 0 && values[3] > 0;
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  teken_cli_print_errorf ("%s", message);
  (void) context;
  return TEKEN_CLI_EXIT_USAGE;
}

/* Applies the options to the signer; returns FALSE with error for a bad value. */
static gboolean
configure_signer (TekenSigner  *signer,
                  SignOptions  *o,
                  double        rect[4],
                  GError      **error)
{
  TekenDigest digest = TEKEN_DIGEST_SHA256;

  if (o->digest != NULL)
    teken_digest_from_string (o->digest, &digest);
  teken_signer_set_digest (signer, digest);
  teken_signer_set_subfilter (signer, g_strcmp0 (o->subfilter, "pkcs7") == 0
                                        ? TEKEN_SUBFILTER_PKCS7 : TEKEN_SUBFILTER_ETSI_CADES);
  teken_signer_set_reason (signer, o->reason);
  teken_signer_set_location (signer, o->location);
  teken_signer_set_contact_info (signer, o->contact);
  teken_signer_set_field_name (signer, o->field);
  teken_signer_set_qr_text (signer, o->qr);
  if (o->page != G_MININT)
    teken_signer_set_visible (signer, (guint) o->page - 1, rect[0], rect[1], rect[2], rect[3]);
  if (o->image != NULL && !teken_signer_set_image_file (signer, o->image, error))
    return FALSE;
  return TRUE;
}

int
teken_cli_sign (int    argc,
                char **argv)
{
  SignOptions o = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenKey) key = NULL;
  g_autoptr(TekenSigner) signer = NULL;
  double rect[4] = { 0 };
  int status = TEKEN_CLI_EXIT_FAILED;
#ifdef TEKEN_CLI_HAVE_LTV
  g_autoptr(TekenCliLevel) level = NULL;
#endif
  const GOptionEntry entries[] = {
    { "p12", 0, 0, G_OPTION_ARG_FILENAME, &o.p12, N_("PKCS#12 file holding the signing key"), N_("FILE") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &o.passphrase_file,
      N_("Read the passphrase from the first line of FILE (default: standard input when it is not a terminal, else a prompt)"), N_("FILE") },
    { "identity", 0, 0, G_OPTION_ARG_STRING, &o.identity,
      N_("Sign with a keyring identity or a token key: an id from “teken-cli certs list” or a pkcs11: URI"), N_("ID") },
    { "pin-file", 0, 0, G_OPTION_ARG_FILENAME, &o.pin_file,
      N_("Read the token PIN from the first line of FILE (default: standard input when it is not a terminal, else a prompt)"), N_("FILE") },
    { "field", 0, 0, G_OPTION_ARG_STRING, &o.field, N_("Sign into the existing empty signature field NAME instead of adding a new field"), N_("NAME") },
    { "page", 0, 0, G_OPTION_ARG_INT, &o.page, N_("Page of a visible signature, counted from 1"), N_("N") },
    { "rect", 0, 0, G_OPTION_ARG_STRING, &o.rect, N_("Rectangle of a visible signature in points from the lower left corner of the page"), N_("X,Y,W,H") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &o.reason, N_("Reason for signing"), N_("TEXT") },
    { "location", 0, 0, G_OPTION_ARG_STRING, &o.location, N_("Where the document is signed"), N_("TEXT") },
    { "contact", 0, 0, G_OPTION_ARG_STRING, &o.contact, N_("How to contact the signer"), N_("TEXT") },
    { "image", 0, 0, G_OPTION_ARG_FILENAME, &o.image, N_("PNG image shown in a visible signature"), N_("PNG") },
    { "qr", 0, 0, G_OPTION_ARG_STRING, &o.qr, N_("Text of a QR code shown in a visible signature"), N_("TEXT") },
    { "subfilter", 0, 0, G_OPTION_ARG_STRING, &o.subfilter, N_("Signature format: etsi (PAdES, default) or pkcs7"), N_("etsi|pkcs7") },
    { "digest", 0, 0, G_OPTION_ARG_STRING, &o.digest, N_("Digest algorithm (default sha256)"), N_("sha256|sha384|sha512") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, N_("Write the signed PDF to OUT"), N_("OUT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.inputs, NULL, NULL },
    { NULL }
  };

  o.page = G_MININT;   /* "not given", told apart from a wrong --page 0 */
  context = g_option_context_new (_("-o OUT IN"));
  g_option_context_set_summary (context, _("Sign a PDF with PAdES; the signed copy is written to OUT."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
#ifdef TEKEN_CLI_HAVE_LTV
  /* --level, --tsa, --fallback (teken-cli-ltv.c) */
  level = teken_cli_level_new ();
  g_option_context_add_group (context, teken_cli_level_get_group (level));
#endif
  if (!teken_cli_parse (context, &argc, &argv))
    {
      sign_options_clear (&o);
      return TEKEN_CLI_EXIT_USAGE;
    }

  if (o.p12 == NULL && o.identity == NULL)
    status = usage_error (context, _("Choose a key with --p12 FILE or --identity ID"));
  else if (o.p12 != NULL && o.identity != NULL)
    status = usage_error (context, _("Choose either --p12 FILE or --identity ID, not both"));
  else if (o.output == NULL)
    status = usage_error (context, _("Name the signed file with -o OUT"));
  else if (o.inputs == NULL || g_strv_length (o.inputs) != 1)
    status = usage_error (context, _("Give exactly one PDF to sign"));
  else if ((o.page != G_MININT) != (o.rect != NULL))
    status = usage_error (context, _("A visible signature needs both --page N and --rect X,Y,W,H"));
  else if (o.page != G_MININT && o.page < 1)
    status = usage_error (context, _("Pages are counted from 1"));
  else if (o.rect != NULL && !parse_rect (o.rect, rect))
    status = usage_error (context, _("--rect takes four numbers X,Y,W,H with a positive width and height"));
  else if (o.subfilter != NULL && !g_str_equal (o.subfilter, "etsi") && !g_str_equal (o.subfilter, "pkcs7"))
    status = usage_error (context, _("--subfilter takes etsi or pkcs7"));
  else if (o.digest != NULL && (!teken_digest_from_string (o.digest, NULL) || strchr (o.digest, '-') != NULL))
    status = usage_error (context, _("--digest takes sha256, sha384 or sha512"));
  else
    status = TEKEN_CLI_EXIT_OK;
  if (status != TEKEN_CLI_EXIT_OK)
    {
      sign_options_clear (&o);
      return status;
    }

  signer = teken_signer_new (NULL);
  status = TEKEN_CLI_EXIT_FAILED;
  /* everything that can be checked without the key first, so no passphrase is asked in vain */
  if (configure_signer (signer, &o, rect, &error) &&
      teken_signer_check_input (signer, o.inputs[0], o.output, &error) &&
      (key = open_key (&o, &error)) != NULL)
    {
      teken_signer_set_key (signer, key);
#ifdef TEKEN_CLI_HAVE_LTV
      if (teken_cli_level_sign (level, signer, o.inputs[0], o.output, &error))
#else
      if (teken_signer_sign_file (signer, o.inputs[0], o.output, NULL, NULL, NULL, &error))
#endif
        {
          g_print ("%s\n", o.output);
          status = TEKEN_CLI_EXIT_OK;
        }
    }
  if (error != NULL)
    teken_cli_print_error (error);
  sign_options_clear (&o);
  return status;
}
