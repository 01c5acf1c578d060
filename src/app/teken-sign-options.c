/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "teken-cert-info.h"
#include "teken-http.h"
#include "teken-ltv.h"
#include "teken-revocation.h"
#include "teken-sign-options.h"
#include "teken-trust-store.h"

char *
teken_sign_options_expand_qr (const char *template_text,
                              const char *name,
                              GDateTime  *date,
                              const char *file,
                              const char *reason,
                              const char *location)
{
  g_autofree char *day = date ? g_date_time_format (date, "%Y-%m-%d") : g_strdup ("");
  const char *keys[] = { "{name}", "{date}", "{file}", "{reason}", "{location}" };
  const char *values[] = { name, day, file, reason, location };
  GString *out = g_string_new (NULL);
  const char *p = template_text ? template_text : "";

  while (*p)
    {
      gboolean replaced = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (keys) && !replaced; i++)
        if (g_str_has_prefix (p, keys[i]))
          {
            g_string_append (out, values[i] ? values[i] : "");
            p += strlen (keys[i]);
            replaced = TRUE;
          }
      if (!replaced)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

gboolean
teken_sign_options_apply_stamp (GSettings        *settings,
                                TekenSigner      *signer,
                                TekenAppearance  *appearance,
                                const char       *name,
                                const char       *file,
                                const char       *reason,
                                const char       *location,
                                GError          **error)
{
  g_autofree char *image = g_settings_get_string (settings, "stamp-image");
  g_autofree char *tmpl = g_settings_get_string (settings, "stamp-qr-template");

  if (*image)
    {
      if (signer != NULL && !teken_signer_set_image_file (signer, image, error))
        return FALSE;
      if (appearance != NULL && !teken_appearance_set_image_file (appearance, image, error))
        return FALSE;
    }
  if (*tmpl)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *qr = teken_sign_options_expand_qr (tmpl, name, now, file, reason, location);

      if (signer != NULL)
        teken_signer_set_qr_text (signer, qr);
      if (appearance != NULL)
        teken_appearance_set_qr_text (appearance, qr);
    }
  return TRUE;
}

/* Issuers for gathering validation data: Teken's trust store (as teken-cli does). */
static void
set_pool (TekenLtv *ltv)
{
  g_autoptr(TekenTrustStore) store = teken_trust_store_new_default ();
  STACK_OF (X509) *pool = sk_X509_new_null ();
  GPtrArray *anchors = teken_trust_store_get_anchors (store);
  STACK_OF (X509) *intermediates = teken_trust_store_dup_intermediates (store);

  for (guint i = 0; anchors != NULL && i < anchors->len; i++)
    {
      X509 *cert = teken_cert_info_get_x509 (g_ptr_array_index (anchors, i));

      X509_up_ref (cert);
      sk_X509_push (pool, cert);
    }
  for (int i = 0; intermediates != NULL && i < sk_X509_num (intermediates); i++)
    {
      X509_up_ref (sk_X509_value (intermediates, i));
      sk_X509_push (pool, sk_X509_value (intermediates, i));
    }
  sk_X509_pop_free (intermediates, X509_free);
  teken_ltv_set_pool (ltv, pool);
  sk_X509_pop_free (pool, X509_free);
}

static TekenLtv *
make_ltv (TekenLtvSettings  *settings,
          GCancellable      *cancellable,
          GError           **error)
{
  g_autoptr(TekenLtv) ltv = teken_ltv_new ();
  g_autoptr(TekenHttp) http = teken_http_new ();
  g_autoptr(TekenRevocationChecker) checker = NULL;
  g_autoptr(TekenTsaClient) tsa = teken_ltv_settings_create_tsa_client (settings, NULL, cancellable, error);

  if (tsa == NULL)
    return NULL;
  teken_ltv_set_tsa (ltv, tsa);
  set_pool (ltv);
  teken_http_set_timeout (http, settings->timeout);
  checker = teken_revocation_checker_new (http);
  teken_ltv_set_checker (ltv, checker);
  return g_steal_pointer (&ltv);
}

/* Says that the level, not the signature, failed (the reason follows); FALSE. */
static gboolean
level_failed (TekenPadesLevel   level,
              GError          **error)
{
  if (error != NULL && *error != NULL && !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* translators: %s is a PAdES level such as B-T; the reason follows */
    g_prefix_error (error, _("Nothing was saved: signature level %s could not be reached. "),
                    teken_pades_level_to_string (level));
  return FALSE;
}

gboolean
teken_sign_options_sign_sync (TekenSigner             *signer,
                              const char              *input,
                              const char              *output,
                              gboolean                 fallback,
                              TekenPadesLevel         *reached,
                              char                   **warning,
                              GCancellable            *cancellable,
                              TekenSignerProgressFunc  progress,
                              gpointer                 progress_data,
                              GError                 **error)
{
  g_autoptr(TekenLtvSettings) settings = teken_ltv_settings_load (NULL, error);
  g_autoptr(TekenLtv) ltv = NULL;
  g_autoptr(GError) step_error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *tmp = NULL;
  TekenPadesLevel got = TEKEN_PADES_LEVEL_B_B;
  gboolean ok;

  if (reached)
    *reached = TEKEN_PADES_LEVEL_B_B;
  if (warning)
    *warning = NULL;
  if (settings == NULL)
    return FALSE;
  if (settings->level == TEKEN_PADES_LEVEL_B_B)
    return teken_signer_sign_file (signer, input, output, cancellable, progress, progress_data, error);

  /* A missing or unreadable TSA setting fails before anything is signed. */
  ltv = make_ltv (settings, cancellable, error);
  if (ltv == NULL)
    return level_failed (settings->level, error);
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
  ok = teken_signer_sign_file (signer, input, tmp, cancellable, progress, progress_data, error);
  if (ok)
    {
      ok = teken_ltv_raise (ltv, tmp, output, settings->level, fallback, &got, &step_error, cancellable, error);
      if (!ok)
        level_failed (settings->level, error);
    }
  g_unlink (tmp);
  g_rmdir (tmp_dir);
  if (!ok)
    return FALSE;
  if (reached)
    *reached = got;
  if (got < settings->level && warning)
    /* translators: the first %s is the level asked for, the second the level reached, the third the reason */
    *warning = g_strdup_printf (_("Level %s was not reached, the file has level %s: %s"),
                                teken_pades_level_to_string (settings->level),
                                teken_pades_level_to_string (got),
                                step_error ? step_error->message : "");
  return TRUE;
}

typedef struct
{
  TekenSigner *signer;
  char *input;
  char *output;
  gboolean fallback;
  TekenSignerProgressFunc progress;
  GObject *progress_data;
  GMainContext *context;
  TekenPadesLevel reached;
  char *warning;
} SignData;

static void
sign_data_free (SignData *data)
{
  g_clear_object (&data->signer);
  g_free (data->input);
  g_free (data->output);
  g_clear_object (&data->progress_data);
  g_main_context_unref (data->context);
  g_free (data->warning);
  g_free (data);
}

typedef struct
{
  TekenSignerProgressFunc progress;
  GObject *data;
  double fraction;
} ProgressCall;

static gboolean
progress_idle (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->progress (call->fraction, call->data);
  g_object_unref (call->data);
  g_free (call);
  return G_SOURCE_REMOVE;
}

/* Runs in the worker thread: hands the fraction to the caller's main context. */
static void
thread_progress_cb (double   fraction,
                    gpointer user_data)
{
  SignData *data = user_data;
  ProgressCall *call;

  if (data->progress == NULL)
    return;
  call = g_new0 (ProgressCall, 1);
  call->progress = data->progress;
  call->data = g_object_ref (data->progress_data);
  call->fraction = fraction;
  g_main_context_invoke (data->context, progress_idle, call);
}

static void
sign_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SignData *data = task_data;
  GError *error = NULL;

  if (!teken_sign_options_sign_sync (data->signer, data->input, data->output, data->fallback,
                                     &data->reached, &data->warning, cancellable,
                                     thread_progress_cb, data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
teken_sign_options_sign_async (TekenSigner             *signer,
                               const char              *input,
                               const char              *output,
                               gboolean                 fallback,
                               GCancellable            *cancellable,
                               TekenSignerProgressFunc  progress,
                               gpointer                 progress_data,
                               GAsyncReadyCallback      callback,
                               gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SignData *data = g_new0 (SignData, 1);

  data->signer = g_object_ref (signer);
  data->input = g_strdup (input);
  data->output = g_strdup (output);
  data->fallback = fallback;
  data->progress = progress;
  data->progress_data = progress_data ? g_object_ref (progress_data) : NULL;
  if (data->progress_data == NULL)
    data->progress = NULL;
  data->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, teken_sign_options_sign_async);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, sign_thread);
}

gboolean
teken_sign_options_sign_finish (GAsyncResult     *result,
                                TekenPadesLevel  *reached,
                                char            **warning,
                                GError          **error)
{
  SignData *data = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (reached)
    *reached = data->reached;
  if (warning)
    *warning = g_strdup (data->warning);
  return TRUE;
}
