/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * teken-cli ltv [--tsa URL] [--offline] -o OUT IN   add or refresh /DSS validation data
 * and the signing levels of `teken-cli sign --level B-B|B-T|B-LT|B-LTA [--tsa URL] [--fallback]`.
 */
#include "teken-cli-private.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "teken-ltv.h"
#include "teken-ltv-settings.h"
#include "teken-signer.h"
#include "teken-trust-store.h"

struct _TekenCliLevel
{
  char *level;
  char *tsa;
  gboolean fallback;
  char **trust;
};

TekenCliLevel *
teken_cli_level_new (void)
{
  return g_new0 (TekenCliLevel, 1);
}

void
teken_cli_level_free (TekenCliLevel *self)
{
  if (self == NULL)
    return;
  g_free (self->level);
  g_free (self->tsa);
  g_strfreev (self->trust);
  g_free (self);
}

GOptionGroup *
teken_cli_level_get_group (TekenCliLevel *self)
{
  const GOptionEntry entries[] = {
    { "level", 0, 0, G_OPTION_ARG_STRING, &self->level,
      N_("PAdES level: B-B (signature only), B-T (+ time stamp), B-LT (+ validation data), B-LTA (+ document time stamp); default from the settings"),
      N_("LEVEL") },
    { "tsa", 0, 0, G_OPTION_ARG_STRING, &self->tsa,
      N_("Time-stamp server address (default from the settings)"), N_("URL") },
    { "fallback", 0, 0, G_OPTION_ARG_NONE, &self->fallback,
      N_("When a time-stamp or validation step fails, keep the lower level instead of writing nothing"), NULL },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &self->trust,
      N_("Also use the CA certificates in FILE (PEM or DER) to find issuers; repeatable"), N_("FILE") },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("level", _("Signing level options:"),
                                            _("Show the signing level options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

/* Issuers for gathering validation data: Teken's trust store plus --trust files. */
static gboolean
set_pool (TekenLtv    *ltv,
          char       **trust_files,
          GError     **error)
{
  g_autoptr(TekenTrustStore) store = teken_trust_store_new_default ();
  STACK_OF (X509) *pool = sk_X509_new_null ();
  GPtrArray *anchors;
  STACK_OF (X509) *intermediates;

  for (guint i = 0; trust_files != NULL && trust_files[i] != NULL; i++)
    if (!teken_trust_store_add_anchor_file (store, trust_files[i], error))
      {
        sk_X509_free (pool);
        return FALSE;
      }
  anchors = teken_trust_store_get_anchors (store);
  for (guint i = 0; i < anchors->len; i++)
    {
      X509 *cert = teken_cert_info_get_x509 (g_ptr_array_index (anchors, i));

      X509_up_ref (cert);
      sk_X509_push (pool, cert);
    }
  intermediates = teken_trust_store_dup_intermediates (store);
  for (int i = 0; intermediates != NULL && i < sk_X509_num (intermediates); i++)
    {
      X509_up_ref (sk_X509_value (intermediates, i));
      sk_X509_push (pool, sk_X509_value (intermediates, i));
    }
  sk_X509_pop_free (intermediates, X509_free);
  teken_ltv_set_pool (ltv, pool);
  sk_X509_pop_free (pool, X509_free);
  return TRUE;
}

/* Settings, TSA client and revocation checker as the CLI uses them. */
static TekenLtv *
make_ltv (const char        *tsa_url,
          char             **trust_files,
          gboolean           need_tsa,
          gboolean           offline,
          TekenLtvSettings **settings_out,
          GError           **error)
{
  g_autoptr(TekenLtvSettings) settings = teken_ltv_settings_load (NULL, error);
  g_autoptr(TekenLtv) ltv = teken_ltv_new ();
  g_autoptr(TekenHttp) http = teken_http_new ();
  g_autoptr(TekenRevocationChecker) checker = NULL;

  if (settings == NULL || !set_pool (ltv, trust_files, error))
    return NULL;
  if (need_tsa)
    {
      g_autoptr(TekenTsaClient) tsa = teken_ltv_settings_create_tsa_client (settings, tsa_url, NULL, error);

      if (tsa == NULL)
        return NULL;
      teken_ltv_set_tsa (ltv, tsa);
    }
  teken_http_set_timeout (http, settings->timeout);
  checker = teken_revocation_checker_new (http);
  teken_revocation_checker_set_offline (checker, offline);
  teken_ltv_set_checker (ltv, checker);
  if (settings_out)
    *settings_out = g_steal_pointer (&settings);
  return g_steal_pointer (&ltv);
}

gboolean
teken_cli_level_sign (TekenCliLevel       *self,
                      struct _TekenSigner *signer,
                      const char          *input,
                      const char          *output,
                      GError             **error)
{
  g_autoptr(TekenLtvSettings) settings = teken_ltv_settings_load (NULL, error);
  g_autoptr(TekenLtv) ltv = NULL;
  g_autoptr(GError) step_error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *tmp = NULL;
  TekenPadesLevel level, reached = TEKEN_PADES_LEVEL_B_B;
  gboolean ok;

  if (settings == NULL)
    return FALSE;
  level = settings->level;
  if (self->level != NULL && !teken_pades_level_from_string (self->level, &level))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--level takes B-B, B-T, B-LT or B-LTA"));
      return FALSE;
    }
  if (level == TEKEN_PADES_LEVEL_B_B)
    return teken_signer_sign_file (signer, input, output, NULL, NULL, NULL, error);

  /* Everything that can fail before signing does so first (TSA configured, keyring readable). */
  ltv = make_ltv (self->tsa, self->trust, TRUE, FALSE, NULL, error);
  if (ltv == NULL)
    return FALSE;

  dir = g_path_get_dirname (output);
  tmp_dir = g_build_filename (dir, ".teken-sign-XXXXXX", NULL);
  if (g_mkdtemp (tmp_dir) == NULL)
    {
      int saved = errno;

      /* translators: the first %s is a folder, the second the reason */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create a temporary file in %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  tmp = g_build_filename (tmp_dir, "b-b.pdf", NULL);
  ok = teken_signer_sign_file (signer, input, tmp, NULL, NULL, NULL, error) &&
       teken_ltv_raise (ltv, tmp, output, level, self->fallback, &reached, &step_error, NULL, error);
  g_unlink (tmp);
  g_rmdir (tmp_dir);
  if (!ok)
    return FALSE;

  if (reached < level)
    /* translators: the first %s is the level asked for, the second the level reached, the third the reason */
    teken_cli_print_errorf (_("Level %s was not reached, the file has level %s: %s"),
                            teken_pades_level_to_string (level), teken_pades_level_to_string (reached),
                            step_error ? step_error->message : "");
  /* translators: %s is a PAdES level such as B-LT */
  g_print (_("Level: %s\n"), teken_pades_level_to_string (reached));
  return TRUE;
}

int
teken_cli_ltv (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenLtv) ltv = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) inputs = NULL;
  gboolean offline = FALSE;
  g_auto(GStrv) trust = NULL;
  const GOptionEntry entries[] = {
    { "trust", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trust,
      N_("Also use the CA certificates in FILE (PEM or DER) to find issuers; repeatable"), N_("FILE") },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline,
      N_("Use only cached OCSP responses and CRLs, never the network"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the result to OUT"), N_("OUT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_("IN") },
    { NULL }
  };

  context = g_option_context_new (_("-o OUT IN — add or refresh long-term validation data"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!teken_cli_parse (context, &argc, &argv))
    return TEKEN_CLI_EXIT_USAGE;
  if (output == NULL || inputs == NULL || g_strv_length (inputs) != 1)
    {
      teken_cli_print_errorf ("%s", _("Give exactly one signed PDF and the result file with -o OUT"));
      return TEKEN_CLI_EXIT_USAGE;
    }

  ltv = make_ltv (NULL, trust, FALSE, offline, NULL, &error);
  if (ltv == NULL || !teken_ltv_add_validation_data (ltv, inputs[0], output, NULL, &error))
    {
      teken_cli_print_error (error);
      return TEKEN_CLI_EXIT_FAILED;
    }
  g_print ("%s\n", output);
  return TEKEN_CLI_EXIT_OK;
}
