/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reports to the Registration Authority: the model's validation, the letter, the outbox and the
 * three delivery channels against servers started here on loopback (tests/report/helpdesk-server.c,
 * tests/report/smtp-server.py with Debian's python3-aiosmtpd).
 *
 * argv after the GTest options: HELPDESK_SERVER SMTP_SERVER_PY MAKE_SERVER_CERTS_SH
 */
#include <glib/gstdio.h>
#include <openssl/pem.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <utime.h>
#include <string.h>

#include "teken-test-utils.h"
#include "teken-core.h"
#include "teken-outbox.h"
#include "teken-report-letter.h"
#include "teken-report.h"

static const char *helpdesk_bin;
static const char *smtp_py;
static char *certs;            /* server.crt/.key, untrusted.crt/.key */
static const char *api_key = "test-api-key-1234";
static const char *smtp_password = "rahasia-smtp";

/* ---- helpers -------------------------------------------------------------------------------- */

typedef struct
{
  char *root;
  char *config;      /* XDG_CONFIG_HOME/teken/teken.conf */
  char *record;
  char *data;        /* XDG_DATA_HOME */
  char **envp;       /* for the processes started here; the test's own environment is left alone */
  GSubprocess *server;
  int port;
} Env;

/* A fresh config/data/keyring for the CLI processes this test starts (through their environment). */
static void
env_init (Env *env)
{
  g_autofree char *cfg = NULL;
  g_autofree char *keyring = NULL;

  env->root = teken_test_make_tmp_dir ();
  cfg = g_build_filename (env->root, "config", NULL);
  env->data = g_build_filename (env->root, "data", NULL);
  keyring = g_build_filename (env->root, "keyring", NULL);
  env->config = g_build_filename (cfg, "teken", "teken.conf", NULL);
  env->record = g_build_filename (env->root, "record.txt", NULL);
  g_mkdir_with_parents (cfg, 0700);
  g_mkdir_with_parents (env->data, 0700);
  env->envp = g_get_environ ();
  env->envp = g_environ_setenv (env->envp, "XDG_CONFIG_HOME", cfg, TRUE);
  env->envp = g_environ_setenv (env->envp, "XDG_DATA_HOME", env->data, TRUE);
  env->envp = g_environ_setenv (env->envp, "XDG_CONFIG_DIRS", env->root, TRUE);   /* no system-wide file */
  for (const char * const *v = (const char *[]) { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                                                 "all_proxy", "ALL_PROXY", NULL }; *v; v++)
    env->envp = g_environ_unsetenv (env->envp, *v);
  /* libsecret's file backend: the keyring API without a D-Bus session. */
  env->envp = g_environ_setenv (env->envp, "SECRET_BACKEND", "file", TRUE);
  env->envp = g_environ_setenv (env->envp, "SECRET_FILE_TEST_PATH", keyring, TRUE);
  env->envp = g_environ_setenv (env->envp, "SECRET_FILE_TEST_PASSWORD", "test", TRUE);
}

static GSubprocessLauncher *
launcher (Env            *env,
          GSubprocessFlags flags)
{
  GSubprocessLauncher *l = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_environ (l, env->envp);
  return l;
}

static void
env_stop_server (Env *env)
{
  if (env->server != NULL)
    {
      g_subprocess_force_exit (env->server);
      g_subprocess_wait (env->server, NULL, NULL);
      g_clear_object (&env->server);
    }
}

static void
env_clear (Env *env)
{
  env_stop_server (env);
  g_free (env->root);
  g_free (env->config);
  g_free (env->record);
  g_free (env->data);
  g_strfreev (env->envp);
}

static void
write_config (Env        *env,
              const char *channel_part)
{
  g_autofree char *dir = g_path_get_dirname (env->config);
  g_autofree char *text = g_strdup_printf ("[letterhead]\npemda=Pemerintah Kabupaten Contoh\n"
                                           "dinas=Dinas Komunikasi dan Informatika\ncity=Kabupaten Contoh\n\n%s",
                                           channel_part);

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (env->config, text, -1, NULL));
}

static int
wait_port (const char *port_file)
{
  for (int i = 0; i < 1000; i++)
    {
      g_autofree char *data = NULL;
      if (g_file_get_contents (port_file, &data, NULL, NULL) && atoi (data) > 0)
        return atoi (data);
      g_usleep (10000);
    }
  g_error ("server did not start");
  return 0;
}

static void
start_helpdesk (Env        *env,
                const char *mode,
                gboolean    trusted)
{
  g_autofree char *port_file = g_build_filename (env->root, "helpdesk.port", NULL);
  g_autofree char *crt = g_build_filename (certs, trusted ? "server-chain.crt" : "untrusted.crt", NULL);
  g_autofree char *key = g_build_filename (certs, trusted ? "server.key" : "untrusted.key", NULL);
  g_autoptr(GError) error = NULL;

  g_unlink (port_file);
  g_autoptr(GSubprocessLauncher) l = launcher (env, G_SUBPROCESS_FLAGS_NONE);

  env->server = g_subprocess_launcher_spawn (l, &error, helpdesk_bin, "--port-file", port_file,
                                  "--record", env->record, "--api-key", api_key, "--mode", mode,
                                  "--tls-cert", crt, "--tls-key", key, "--lifetime", "60", NULL);
  g_assert_no_error (error);
  env->port = wait_port (port_file);
}

static void
start_smtp (Env      *env,
            gboolean  trusted)
{
  g_autofree char *port_file = g_build_filename (env->root, "smtp.port", NULL);
  g_autofree char *crt = g_build_filename (certs, trusted ? "server-chain.crt" : "untrusted.crt", NULL);
  g_autofree char *key = g_build_filename (certs, trusted ? "server.key" : "untrusted.key", NULL);
  g_autoptr(GError) error = NULL;

  g_autoptr(GSubprocessLauncher) l = launcher (env, G_SUBPROCESS_FLAGS_STDERR_SILENCE);

  g_unlink (port_file);

  env->server = g_subprocess_launcher_spawn (l, &error, "/usr/bin/python3", smtp_py,
                                  port_file, env->record, crt, key, "teken", smtp_password, "60", NULL);
  g_assert_no_error (error);
  env->port = wait_port (port_file);
}

static void
osticket_config (Env        *env,
                 const char *extra)
{
  g_autofree char *chain = teken_test_pki_path ("chain.pem");
  g_autofree char *text = g_strdup_printf ("[delivery]\nchannel=osticket\n%s\n[osticket]\n"
                                           "url=https://localhost:%d/api/tickets.json\nca-file=%s\n",
                                           extra != NULL ? extra : "", env->port, chain);
  write_config (env, text);
}

/* Runs teken-cli with the arguments in env's environment; returns the exit status. */
static int
cli (Env         *env,
     char       **out,
     char       **err,
     const char  *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) l = launcher (env, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *o = NULL, *e = NULL;
  va_list ap;
  int status;

  g_ptr_array_add (argv, (char *) teken_test_cli_path ());
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_launcher_spawnv (l, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &o, &e, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  status = g_subprocess_get_exit_status (proc);
  g_test_message ("teken-cli %s → %d\n%s%s", first, status, o, e);
  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);
  return status;
}

static void
store_secret (Env        *env,
              const char *channel,
              const char *secret)
{
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *file = g_build_filename (dir, "secret.txt", NULL);
  g_autofree char *text = g_strconcat (secret, "\n", NULL);

  g_assert_true (g_file_set_contents (file, text, -1, NULL));
  g_assert_cmpint (cli (env, NULL, NULL, "outbox", "set-secret", channel, "--passphrase-file", file, NULL), ==, 0);
}

/* A helpdesk in `mode`, the osTicket channel pointed at it and the API key `key` stored for it. */
static void
start_osticket (Env        *env,
                const char *mode,
                gboolean    trusted,
                const char *extra,
                const char *key)
{
  start_helpdesk (env, mode, trusted);
  osticket_config (env, extra);
  store_secret (env, "osticket", key);
}

/* "Report ID written" -> ID */
static char *
report_id (const char *out)
{
  const char *p = strstr (out, "Report ");

  g_assert_nonnull (p);
  return g_strndup (p + 7, 36);
}

/* A complete renewal with the individu-rsa2048 test identity, extra options appended. */
static int
renewal (Env         *env,
         char       **out,
         char       **err,
         const char  *extra1,
         const char  *extra2)
{
  g_autofree char *p12 = teken_test_pki_path ("individu-rsa2048.p12");
  g_autofree char *pass = teken_test_pki_path ("passphrase.txt");

  return cli (env, out, err, "report", "renewal", "--p12", p12, "--passphrase-file", pass,
              "--owner-nip", "198001012005011001", "--owner-position", "Kepala Bidang Persandian",
              "--owner-unit", "Dinas Komunikasi dan Informatika", "--owner-email", "budi@contoh.go.id",
              "--owner-phone", "0812 3456 7890", "--letter-date", "2026-11-24", extra1, extra2, NULL);
}

/* A complete loss report (wet letter) with a police report attached. */
static int
loss (Env   *env,
      char **out)
{
  g_autofree char *crt = teken_test_pki_path ("individu-rsa2048.crt");
  g_autofree char *png = g_build_filename (env->root, "surat-polisi.png", NULL);
  g_autofree char *attach = g_strconcat ("police_report=", png, NULL);
  static const guint8 data[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3, 4 };

  g_assert_true (g_file_set_contents (png, (const char *) data, sizeof data, NULL));
  return cli (env, out, NULL, "report", "loss", "--cert", crt,
              "--owner-nip", "198001012005011001", "--owner-position", "Kepala Bidang Persandian",
              "--owner-unit", "Dinas Komunikasi dan Informatika", "--owner-email", "budi@contoh.go.id",
              "--owner-phone", "0812 3456 7890", "--loss-type", "lost", "--incident-date", "2026-11-20",
              "--police-report-number", "LP/123/XI/2026/Polres Contoh", "--police-report-date", "2026-11-21",
              "--superior-name", "Siti Aminah", "--superior-nip", "197501012000032002",
              "--superior-position", "Kepala Dinas", "--attach", attach, NULL);
}

static JsonObject *
read_state (Env        *env,
            const char *id)
{
  g_autofree char *path = g_build_filename (env->data, "teken", "outbox", id, "state.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* read_state (), checking that the report is in `expected` state. */
static JsonObject *
read_state_expecting (Env        *env,
                      const char *id,
                      const char *expected)
{
  JsonObject *state = read_state (env, id);

  g_assert_cmpstr (json_object_get_string_member (state, "state"), ==, expected);
  return state;
}

static guint
count_lines_with (const char *path,
                  const char *needle)
{
  g_autofree char *data = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &data, NULL, NULL))
    return 0;
  lines = g_strsplit (data, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (*lines[i] && strstr (lines[i], needle) != NULL)
      n++;
  return n;
}

/* ---- model ---------------------------------------------------------------------------------- */

static TekenReport *
valid_renewal (void)
{
  TekenReport *r = teken_report_new (TEKEN_REPORT_KIND_RENEWAL);
  const char *values[][2] = {
    { "owner_name", "Budi Santoso" }, { "owner_nip", "198001012005011001" },
    { "owner_position", "Kepala Bidang" }, { "owner_unit", "Diskominfo" },
    { "owner_email", "budi@contoh.go.id" }, { "owner_phone", "+62 812 3456 7890" },
    { "cert_serial", "01:02" }, { "letter_date", "2026-11-24" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_true (teken_report_set_field (r, values[i][0], values[i][1], NULL));
  return r;
}

static const char *
problem_for (GPtrArray  *problems,
             const char *field)
{
  for (guint i = 0; i < problems->len; i++)
    {
      TekenReportProblem *p = g_ptr_array_index (problems, i);
      if (g_str_equal (p->field, field))
        return p->message;
    }
  return NULL;
}

static void
test_validation (void)
{
  g_autoptr(TekenReport) r = valid_renewal ();
  g_autoptr(GPtrArray) ok = teken_report_validate (r);
  g_autoptr(GPtrArray) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenReport) loss = teken_report_new (TEKEN_REPORT_KIND_LOSS);
  g_autoptr(GPtrArray) loss_problems = NULL;

  g_assert_cmpuint (ok->len, ==, 0);
  g_assert_true (teken_report_check (r, NULL));

  /* One message per wrong field, naming the rule. */
  teken_report_set_field (r, "owner_nip", "19800101200501100", NULL);        /* 17 digits */
  teken_report_set_field (r, "owner_email", "budi@contoh", NULL);
  teken_report_set_field (r, "owner_phone", "12345", NULL);
  teken_report_set_field (r, "owner_name", "   ", NULL);                     /* blank = unset */
  teken_report_set_field (r, "cert_expiry", "2026-02-30", NULL);
  teken_report_set_field (r, "cert_fingerprint", "AB:CD", NULL);
  bad = teken_report_validate (r);
  g_assert_cmpuint (bad->len, ==, 6);
  g_assert_nonnull (strstr (problem_for (bad, "owner_nip"), "18 digits"));
  g_assert_nonnull (strstr (problem_for (bad, "owner_email"), "e-mail address"));
  g_assert_nonnull (strstr (problem_for (bad, "owner_phone"), "phone number"));
  g_assert_nonnull (strstr (problem_for (bad, "owner_name"), "is required"));
  g_assert_nonnull (strstr (problem_for (bad, "cert_expiry"), "YYYY-MM-DD"));
  g_assert_nonnull (strstr (problem_for (bad, "cert_fingerprint"), "64 hexadecimal"));
  g_assert_false (teken_report_check (r, &error));
  g_assert_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_INVALID);
  g_clear_error (&error);
  /* NIPs written in groups are accepted. */
  teken_report_set_field (r, "owner_nip", "19800101 200501 1 001", NULL);
  g_clear_pointer (&bad, g_ptr_array_unref);
  bad = teken_report_validate (r);
  g_assert_null (problem_for (bad, "owner_nip"));
  g_assert_false (teken_report_set_field (r, "no_such_field", "x", &error));
  g_assert_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_UNKNOWN_FIELD);

  g_assert_true (teken_report_field_is_required (teken_report_lookup_field ("cert_serial"), TEKEN_REPORT_KIND_RENEWAL));
  g_assert_false (teken_report_field_is_required (teken_report_lookup_field ("cert_serial"), TEKEN_REPORT_KIND_LOSS));
  g_assert_false (teken_report_field_applies (teken_report_lookup_field ("system_ip"), TEKEN_REPORT_KIND_RENEWAL));

  /* Kind-specific rules: a lost key needs the police report; the superior must be named. */
  teken_report_set_field (loss, "loss_type", "lost", NULL);
  loss_problems = teken_report_validate (loss);
  g_assert_nonnull (problem_for (loss_problems, "police_report_number"));
  g_assert_nonnull (problem_for (loss_problems, "superior_name"));
  g_assert_nonnull (problem_for (loss_problems, "incident_date"));
  g_assert_null (problem_for (loss_problems, "cert_serial"));   /* not required for a loss */
  teken_report_set_field (loss, "loss_type", "exploded", NULL);
  g_clear_pointer (&loss_problems, g_ptr_array_unref);
  loss_problems = teken_report_validate (loss);
  g_assert_nonnull (strstr (problem_for (loss_problems, "loss_type"), "lost, damaged, inaccessible"));
  g_assert_null (problem_for (loss_problems, "police_report_number"));
}

static void
test_new_application_checklist (void)
{
  g_autoptr(TekenReport) r = teken_report_new (TEKEN_REPORT_KIND_NEW);
  g_autoptr(GPtrArray) p = NULL;
  g_autoptr(GPtrArray) p2 = NULL;
  guint attach_problems = 0;

  teken_report_set_field (r, "certificate_kind", "jabatan", NULL);
  p = teken_report_validate (r);
  for (guint i = 0; i < p->len; i++)
    attach_problems += g_str_equal (((TekenReportProblem *) p->pdata[i])->field, "attachments");
  /* cover letter, recommendation, e-KTP, decree of appointment */
  g_assert_cmpuint (attach_problems, ==, 4);

  teken_report_set_field (r, "certificate_kind", "sistem_elektronik", NULL);
  teken_report_set_field (r, "system_ip", "300.1.1.1", NULL);
  p2 = teken_report_validate (r);
  g_assert_nonnull (strstr (problem_for (p2, "system_ip"), "IPv4 or IPv6"));
  g_assert_nonnull (strstr (problem_for (p2, "system_domain"), "is required"));
}

static void
test_attachments (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) html = g_bytes_new_static ("<html>not a pdf</html>", 22);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.7\n%%EOF\n", 15);
  g_autoptr(GBytes) jpeg = g_bytes_new_static ("\xff\xd8\xff\xe0rest", 8);
  g_autofree char *big_data = g_malloc0 (TEKEN_REPORT_MAX_ATTACHMENT_SIZE + 1);
  g_autoptr(GBytes) big = NULL;
  g_autoptr(TekenReportAttachment) a = NULL;
  g_autoptr(TekenReportAttachment) j = NULL;
  g_autoptr(TekenReport) r = valid_renewal ();
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *big_path = g_build_filename (dir, "scan.pdf", NULL);

  /* Type by magic bytes, never by the name. */
  g_assert_null (teken_report_attachment_new_from_bytes ("surat.pdf", "other", html, &error));
  g_assert_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_ATTACHMENT);
  g_clear_error (&error);
  a = teken_report_attachment_new_from_bytes ("../../etc/surat pengantar.pdf", "cover_letter", pdf, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teken_report_attachment_get_content_type (a), ==, "application/pdf");
  g_assert_cmpstr (teken_report_attachment_get_filename (a), ==, "surat_pengantar.pdf");
  j = teken_report_attachment_new_from_bytes ("ktp.jpg", "ektp", jpeg, &error);
  g_assert_cmpstr (teken_report_attachment_get_content_type (j), ==, "image/jpeg");
  g_assert_null (teken_report_attachment_new_from_bytes ("x.pdf", "no_such_role", pdf, &error));
  g_clear_error (&error);

  /* Over the limit: refused from memory and from a file (before reading it). */
  memcpy (big_data, "%PDF-", 5);
  big = g_bytes_new_take (g_steal_pointer (&big_data), TEKEN_REPORT_MAX_ATTACHMENT_SIZE + 1);
  g_assert_null (teken_report_attachment_new_from_bytes ("scan.pdf", "other", big, &error));
  g_assert_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_ATTACHMENT);
  g_assert_nonnull (strstr (error->message, "limit"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (big_path, g_bytes_get_data (big, NULL), g_bytes_get_size (big), NULL));
  g_assert_null (teken_report_attachment_new_from_file (big_path, "other", &error));
  g_assert_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_ATTACHMENT);
  g_clear_error (&error);

  /* The total limit. */
  for (guint i = 0; i < TEKEN_REPORT_MAX_TOTAL_SIZE / TEKEN_REPORT_MAX_ATTACHMENT_SIZE; i++)
    {
      g_autofree char *d = g_malloc0 (TEKEN_REPORT_MAX_ATTACHMENT_SIZE);
      g_autoptr(GBytes) b = NULL;
      g_autoptr(TekenReportAttachment) x = NULL;
      memcpy (d, "%PDF-", 5);
      b = g_bytes_new_take (g_steal_pointer (&d), TEKEN_REPORT_MAX_ATTACHMENT_SIZE);
      x = teken_report_attachment_new_from_bytes ("part.pdf", "evidence", b, &error);
      g_assert_no_error (error);
      g_assert_true (teken_report_add_attachment (r, x, &error));
    }
  g_assert_false (teken_report_add_attachment (r, a, &error));
  g_assert_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_ATTACHMENT);
}

static void
test_json_and_prefill (void)
{
  g_autoptr(TekenReport) r = teken_report_new (TEKEN_REPORT_KIND_REVOCATION);
  g_autoptr(TekenReport) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *crt = teken_test_pki_path ("individu-rsa2048.crt");
  g_autofree char *fpr_out = NULL;
  g_autofree char *json = NULL;
  g_autofree char *data = NULL;
  g_autofree char *expected = NULL;
  const char *argv[] = { "openssl", "x509", "-in", crt, "-noout", "-fingerprint", "-sha256", NULL };
  gsize len;
  X509 *cert;
  BIO *bio;
  int status;

  g_assert_true (g_file_get_contents (crt, &data, &len, NULL));
  bio = BIO_new_mem_buf (data, len);
  cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  BIO_free (bio);
  teken_report_prefill_from_certificate (r, cert);
  X509_free (cert);

  /* Independent check of the fingerprint: openssl prints "sha256 Fingerprint=AB:CD:…". */
  g_assert_true (teken_test_run (argv, &fpr_out, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  expected = g_strdup (strchr (fpr_out, '=') + 1);
  g_strstrip (expected);
  g_assert_cmpstr (teken_report_get_field (r, "cert_fingerprint"), ==, expected);
  g_assert_cmpstr (teken_report_get_field (r, "owner_name"), ==, "Budi Santoso");
  g_assert_cmpstr (teken_report_get_field (r, "certificate_kind"), ==, "individu");
  g_assert_nonnull (strstr (teken_report_get_field (r, "cert_issuer"), "Teken Test BSrE CA DS G1"));
  g_assert_nonnull (teken_report_get_field (r, "cert_expiry"));
  g_assert_cmpuint (strlen (teken_report_get_field (r, "cert_expiry")), ==, 10);

  teken_report_set_field (r, "revocation_reason", "leaving_office", NULL);
  json = teken_report_to_json_data (r, NULL);
  g_assert_nonnull (strstr (json, "\"schema_version\" : 1"));
  back = teken_report_new_from_json_data (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teken_report_get_id (back), ==, teken_report_get_id (r));
  g_assert_cmpint (teken_report_get_kind (back), ==, TEKEN_REPORT_KIND_REVOCATION);
  g_assert_cmpstr (teken_report_get_field (back, "revocation_reason"), ==, "leaving_office");
  g_assert_cmpstr (teken_report_get_field (back, "cert_fingerprint"), ==, expected);

  g_assert_null (teken_report_new_from_json_data ("{\"schema\":\"teken-report\",\"schema_version\":99}", -1, &error) );
  g_assert_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_PARSE);

  {
    g_autofree char *d1 = teken_report_format_iso_date_id ("2026-11-24");
    g_autofree char *d2 = teken_report_format_iso_date_id ("2026-08-01");
    g_assert_cmpstr (d1, ==, "24 November 2026");
    g_assert_cmpstr (d2, ==, "1 Agustus 2026");
  }
}

/* ---- letter --------------------------------------------------------------------------------- */

static char *
pdftotext (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (teken_test_run (argv, &out, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  return g_steal_pointer (&out);
}

static void
test_letter_wet (void)
{
  g_autoptr(TekenReport) r = teken_report_new (TEKEN_REPORT_KIND_LOSS);
  g_autoptr(TekenRaConfig) config = teken_ra_config_new ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "loss.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *qpdf = NULL;

  teken_ra_config_set_string (config, "letterhead", "pemda", "Pemerintah Kabupaten Contoh");
  teken_ra_config_set_string (config, "letterhead", "dinas", "Dinas Komunikasi dan Informatika");
  teken_ra_config_set_string (config, "letterhead", "city", "Kabupaten Contoh");
  teken_report_set_field (r, "owner_name", "Budi Santoso", NULL);
  teken_report_set_field (r, "letter_date", "2026-11-24", NULL);
  teken_report_set_field (r, "letter_number", "800/17/DISKOMINFO", NULL);
  teken_report_set_field (r, "loss_type", "lost", NULL);
  teken_report_set_field (r, "incident_date", "2026-11-20", NULL);
  teken_report_set_field (r, "police_report_number", "LP/123/XI/2026", NULL);
  teken_report_set_field (r, "superior_name", "Siti Aminah", NULL);
  teken_report_set_field (r, "superior_nip", "197501012000032002", NULL);

  pdf = teken_report_letter_render (r, config, TEKEN_REPORT_LETTER_WET, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  g_assert_true (teken_test_qpdf_check (path, &qpdf));
  text = pdftotext (path);
  g_assert_nonnull (strstr (text, "PEMERINTAH KABUPATEN CONTOH"));
  g_assert_nonnull (strstr (text, "DINAS KOMUNIKASI DAN INFORMATIKA"));
  g_assert_nonnull (strstr (text, "Kabupaten Contoh, 24 November 2026"));
  g_assert_nonnull (strstr (text, "800/17/DISKOMINFO"));
  g_assert_nonnull (strstr (text, "Perihal"));
  g_assert_nonnull (strstr (text, "Yth. Kepala Dinas Komunikasi dan Informatika"));
  g_assert_nonnull (strstr (text, "selaku Otoritas Pendaftaran"));
  g_assert_nonnull (strstr (text, "Mengetahui,"));
  g_assert_nonnull (strstr (text, "Atasan Langsung"));
  g_assert_nonnull (strstr (text, "Siti Aminah"));
  g_assert_nonnull (strstr (text, "LP/123/XI/2026"));
  g_assert_nonnull (strstr (text, "20 November 2026"));
  g_assert_nonnull (strstr (text, teken_report_get_id (r)));
}

static void
test_signed_letter (void)
{
  Env env = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *letter = NULL;
  g_autofree char *id = NULL;
  g_autofree char *pdfsig_out = NULL;
  g_autofree char *text = NULL;
  g_autofree char *help = NULL;
  guint n_valid = 0, n_trusted = 0;
  int status;

  env_init (&env);
  write_config (&env, "");
  letter = g_build_filename (env.root, "renewal.pdf", NULL);
  g_assert_cmpint (renewal (&env, &out, NULL, "--output", letter), ==, 0);
  id = report_id (out);

  /* pdfsig, independent of Teken's own PDF and CMS code. */
  g_assert_cmpuint (teken_test_pdfsig_check (letter, &n_valid, &n_trusted, &pdfsig_out), ==, 1);
  g_assert_cmpuint (n_valid, ==, 1);
  g_assert_cmpuint (n_trusted, ==, 1);
  text = pdftotext (letter);
  g_assert_nonnull (strstr (text, "Permohonan Pembaruan Sertifikat Elektronik"));
  g_assert_nonnull (strstr (text, "Budi Santoso"));

  /* An expired certificate gives a letter for a handwritten signature instead of an invalid signature. */
  {
    g_autofree char *expired = teken_test_pki_path ("expired.p12");
    g_autofree char *pass = teken_test_pki_path ("passphrase.txt");
    g_autofree char *wet = g_build_filename (env.root, "expired.pdf", NULL);
    g_autofree char *werr = NULL;
    g_autoptr(GArray) ranges = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cli (&env, NULL, &werr, "report", "renewal", "--p12", expired, "--passphrase-file", pass,
                          "--owner-nip", "198001012005011001", "--owner-position", "Kepala Bidang",
                          "--owner-unit", "Diskominfo", "--owner-email", "budi@contoh.go.id",
                          "--owner-phone", "0812 3456 7890", "--output", wet, NULL), ==, 0);
    g_assert_nonnull (strstr (werr, "handwritten signature"));
    ranges = teken_test_pdf_byte_ranges (wet, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ranges->len, ==, 0);
  }

  /* teken-cli verify, when that command is part of this build. */
  status = cli (&env, &help, NULL, "verify", "--help", NULL);
  if (status == 0)
    {
      g_autofree char *trust = teken_test_pki_path ("root.crt");
      g_autofree char *vout = NULL;
      /* The verifier takes extra anchors with --trust (see docs/verify). */
      g_assert_cmpint (cli (&env, &vout, NULL, "verify", "--offline", "--trust", trust, letter, NULL), ==, 0);
    }
  else
    g_test_message ("teken-cli verify is not in this build; pdfsig checked the signature");
  env_clear (&env);
}

/* ---- osTicket ------------------------------------------------------------------------------- */

static void
test_osticket_delivered (void)
{
  Env env = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *id = NULL;
  g_autofree char *list = NULL;
  g_autofree char *dir = teken_test_make_tmp_dir ();
  g_autofree char *ktp = g_build_filename (dir, "ktp.png", NULL);
  g_autoptr(JsonObject) state = NULL;
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0 };
  g_autofree char *attach = g_strconcat ("evidence=", ktp, NULL);

  env_init (&env);
  g_assert_true (g_file_set_contents (ktp, (const char *) png, sizeof png, NULL));
  start_osticket (&env, "201", TRUE, NULL, api_key);

  g_assert_cmpint (renewal (&env, &out, NULL, "--attach", attach), ==, 0);
  /* renewal() has no --send: written first ... */
  id = report_id (out);
  g_assert_cmpuint (count_lines_with (env.record, id), ==, 0);
  state = read_state_expecting (&env, id, "queued");
  g_clear_pointer (&out, g_free);
  /* ... sent second. */
  g_assert_cmpint (cli (&env, &out, NULL, "outbox", "send", NULL), ==, 0);
  g_assert_cmpuint (count_lines_with (env.record, id), ==, 1);
  g_assert_cmpuint (count_lines_with (env.record, "100001 "), ==, 1);
  g_assert_cmpuint (count_lines_with (env.record, "surat-pembaruan.pdf,report.json,01-ktp.png"), ==, 1);
  g_clear_pointer (&state, json_object_unref);
  state = read_state_expecting (&env, id, "sent");
  g_assert_cmpstr (json_object_get_string_member (state, "receipt"), ==, "100001");
  g_assert_cmpstr (json_object_get_string_member (state, "idempotency_key"), ==, id);

  /* A draft (incomplete is fine) is refused by `send ID` until complete. */
  {
    g_autofree char *dout = NULL;
    g_autofree char *derr = NULL;
    g_autofree char *did = NULL;
    g_assert_cmpint (cli (&env, &dout, NULL, "report", "revocation", "--owner-name", "Budi", "--draft", NULL), ==, 0);
    did = report_id (dout);
    g_assert_cmpint (cli (&env, NULL, &derr, "outbox", "send", did, NULL), ==, 1);
    g_assert_nonnull (strstr (derr, "Owner’s NIP is required"));
    g_assert_cmpuint (count_lines_with (env.record, did), ==, 0);
  }

  /* A sent report is never sent again. */
  g_assert_cmpint (cli (&env, NULL, NULL, "outbox", "retry", id, NULL), ==, 1);
  g_assert_cmpuint (count_lines_with (env.record, id), ==, 1);
  g_assert_cmpint (cli (&env, &list, NULL, "outbox", "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (list, "\"receipt\" : \"100001\""));
  env_clear (&env);
}

static void
check_error_mode (const char *mode,
                  int         expected_exit,
                  const char *expected_state,
                  const char *server_words)
{
  Env env = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) state = NULL;

  env_init (&env);
  start_osticket (&env, mode, TRUE, "timeout=2\n", api_key);
  g_assert_cmpint (renewal (&env, &out, &err, "--send", NULL), ==, expected_exit);
  id = report_id (out);
  g_assert_nonnull (strstr (err, server_words));
  state = read_state_expecting (&env, id, expected_state);
  g_assert_nonnull (strstr (json_object_get_string_member (state, "last_error"), server_words));
  g_assert_cmpint (json_object_get_int_member (state, "attempts"), ==, 1);
  if (g_str_equal (expected_state, "queued"))
    g_assert_false (json_object_get_null_member (state, "next_attempt"));
  g_assert_cmpuint (count_lines_with (env.record, id), ==, 0);
  env_clear (&env);
}

static void
test_osticket_errors (void)
{
  check_error_mode ("400", 1, "failed", "Valid email address required");
  check_error_mode ("401", 1, "failed", "API key not authorized");
  check_error_mode ("500", 75, "queued", "database unavailable");
}

static void
test_osticket_wrong_key (void)
{
  Env env = { 0 };
  g_autofree char *err = NULL;

  env_init (&env);
  start_osticket (&env, "201", TRUE, NULL, "not-the-key");
  g_assert_cmpint (renewal (&env, NULL, &err, "--send", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "API key not authorized"));
  env_clear (&env);
}

static void
test_osticket_timeout (void)
{
  check_error_mode ("hang", 75, "queued", "did not answer in time");
}

static void
test_osticket_untrusted (void)
{
  Env env = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) state = NULL;

  env_init (&env);
  start_osticket (&env, "201", FALSE, NULL, api_key);
  g_assert_cmpint (renewal (&env, &out, &err, "--send", NULL), ==, 1);
  id = report_id (out);
  g_assert_nonnull (strstr (err, "not trusted"));
  state = read_state_expecting (&env, id, "failed");
  g_assert_cmpuint (count_lines_with (env.record, id), ==, 0);
  env_clear (&env);
}

/* A loss report: killed after the server made the ticket but before the answer arrived; then delivered once. */
static void
test_osticket_killed (void)
{
  Env env = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *id = NULL;
  g_autofree char *ticket_line = NULL;
  g_autoptr(GSubprocessLauncher) sender_launcher = NULL;
  g_autoptr(GSubprocess) sender = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *list = NULL;
  int i;

  env_init (&env);
  start_osticket (&env, "hang-after-record", TRUE, "timeout=30\n", api_key);
  g_assert_cmpint (loss (&env, &out), ==, 0);
  id = report_id (out);

  sender_launcher = launcher (&env, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  sender = g_subprocess_launcher_spawn (sender_launcher, &error, teken_test_cli_path (), "outbox", "send", NULL);
  g_assert_no_error (error);
  for (i = 0; i < 1000 && count_lines_with (env.record, id) == 0; i++)
    g_usleep (10000);
  g_assert_cmpuint (count_lines_with (env.record, id), ==, 1);
  g_subprocess_send_signal (sender, SIGKILL);
  g_subprocess_wait (sender, NULL, NULL);
  g_assert_false (g_subprocess_get_if_exited (sender));

  /* The kill left the attempt on record, nothing lost. */
  state = read_state_expecting (&env, id, "sending");
  g_assert_cmpint (cli (&env, &list, NULL, "outbox", "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (list, "\"interrupted\" : true"));

  /* The server comes back normally; the next run resends with the same key. */
  env_stop_server (&env);
  start_osticket (&env, "201", TRUE, "timeout=30\n", api_key);   /* the key belongs to the URL, whose port changed */
  g_assert_cmpint (cli (&env, NULL, NULL, "outbox", "send", NULL), ==, 0);
  g_assert_cmpuint (count_lines_with (env.record, id), ==, 1);     /* server-side: one ticket */
  g_assert_cmpuint (count_lines_with (env.record, "surat-pernyataan-kehilangan.pdf,report.json,01-surat-polisi.png"), ==, 1);
  g_assert_cmpuint (count_lines_with (env.record, " "), ==, 1);
  g_clear_pointer (&state, json_object_unref);
  state = read_state_expecting (&env, id, "sent");
  g_assert_cmpstr (json_object_get_string_member (state, "receipt"), ==, "100001");
  g_assert_cmpint (json_object_get_int_member (state, "attempts"), ==, 2);
  env_clear (&env);
}

/* ---- SMTP ----------------------------------------------------------------------------------- */

static void
smtp_config (Env *env)
{
  g_autofree char *chain = teken_test_pki_path ("chain.pem");
  g_autofree char *text = g_strdup_printf ("[delivery]\nchannel=smtp\ntimeout=10\n\n[smtp]\nhost=localhost\n"
                                           "port=%d\nusername=teken\nfrom=teken@contoh.go.id\n"
                                           "to=ra@diskominfo.contoh.go.id\nca-file=%s\n", env->port, chain);
  write_config (env, text);
}

static void
test_smtp_delivered (void)
{
  Env env = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *id = NULL;
  g_autofree char *record = NULL;
  g_autofree char *message_id = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) state = NULL;
  JsonObject *mail;
  JsonArray *names;

  env_init (&env);
  start_smtp (&env, TRUE);
  smtp_config (&env);
  store_secret (&env, "smtp", smtp_password);
  g_assert_cmpint (renewal (&env, &out, NULL, "--send", NULL), ==, 0);
  id = report_id (out);
  message_id = g_strdup_printf ("<%s@report.teken.invalid>", id);

  g_assert_true (g_file_get_contents (env.record, &record, NULL, NULL));
  g_assert_cmpuint (count_lines_with (env.record, "message_id"), ==, 1);
  g_assert_true (json_parser_load_from_data (parser, record, -1, NULL));
  mail = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (mail, "message_id"), ==, message_id);
  g_assert_cmpstr (json_object_get_string_member (mail, "report_id"), ==, id);
  g_assert_nonnull (strstr (json_object_get_string_member (mail, "subject"), "Permohonan Pembaruan"));
  g_assert_cmpstr (json_object_get_string_member (mail, "from"), ==, "teken@contoh.go.id");
  names = json_object_get_array_member (mail, "attachments");
  g_assert_cmpuint (json_array_get_length (names), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (names, 0), ==, "surat-pembaruan.pdf");
  g_assert_cmpstr (json_array_get_string_element (names, 1), ==, "report.json");
  state = read_state_expecting (&env, id, "sent");
  g_assert_cmpstr (json_object_get_string_member (state, "receipt"), ==, message_id);
  env_clear (&env);
}

static void
test_smtp_refused (void)
{
  Env env = { 0 };
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;

  env_init (&env);
  start_smtp (&env, TRUE);
  smtp_config (&env);
  store_secret (&env, "smtp", "wrong password");
  g_assert_cmpint (renewal (&env, NULL, &err, "--send", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "535"));
  env_stop_server (&env);

  /* A server whose certificate is not trusted never sees the credentials. */
  start_smtp (&env, FALSE);
  smtp_config (&env);
  store_secret (&env, "smtp", smtp_password);
  g_assert_cmpint (renewal (&env, NULL, &err2, "--send", NULL), ==, 1);
  g_assert_nonnull (strstr (err2, "not trusted"));
  g_assert_cmpuint (count_lines_with (env.record, "message_id"), ==, 0);
  env_clear (&env);
}

/* ---- folder and the outbox API -------------------------------------------------------------- */

static void
count_change (TekenOutbox      *outbox,
              TekenOutboxEntry *entry,
              guint            *changes)
{
  (*changes)++;
}

static void
test_folder_and_outbox (void)
{
  g_autofree char *root = teken_test_make_tmp_dir ();
  g_autofree char *outdir = g_build_filename (root, "outbox", NULL);
  g_autofree char *pkgdir = g_build_filename (root, "packages", NULL);
  g_autoptr(TekenOutbox) outbox = NULL;
  g_autoptr(TekenOutbox) reopened = NULL;
  g_autoptr(TekenReport) r = valid_renewal ();
  g_autoptr(TekenReport) incomplete = teken_report_new (TEKEN_REPORT_KIND_REVOCATION);
  g_autoptr(TekenRaConfig) config = teken_ra_config_new ();
  g_autoptr(TekenDelivery) delivery = NULL;
  g_autoptr(TekenOutboxEntry) draft = NULL;
  g_autoptr(TekenOutboxEntry) sent = NULL;
  g_autoptr(TekenOutboxEntry) first = NULL;
  g_autoptr(GBytes) letter = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *stale = g_build_filename (outdir, ".new-abcdef", NULL);
  guint changes = 0;
  guint n_sent = 0;

  outbox = teken_outbox_new (outdir, &error);
  g_assert_no_error (error);
  g_signal_connect (outbox, "entry-changed", G_CALLBACK (count_change), &changes);
  letter = teken_report_letter_render (r, config, TEKEN_REPORT_LETTER_WET, NULL, &error);
  g_assert_no_error (error);

  /* Queuing needs a valid report; a draft does not. */
  g_assert_null (teken_outbox_add (outbox, incomplete, letter, TRUE, &error));
  g_assert_error (error, TEKEN_REPORT_ERROR, TEKEN_REPORT_ERROR_INVALID);
  g_clear_error (&error);
  draft = teken_outbox_add (outbox, r, letter, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (teken_outbox_entry_get_state (draft), ==, TEKEN_OUTBOX_STATE_DRAFT);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (teken_outbox_get_entries (outbox)), ==, 1);
  g_assert_null (teken_outbox_add (outbox, r, letter, FALSE, &error));   /* same id twice */
  g_clear_error (&error);

  /* A half-written entry of a crashed add() (hidden name) is never listed, and removed once a day old. */
  g_assert_cmpint (g_mkdir (stale, 0700), ==, 0);
  reopened = teken_outbox_new (outdir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (teken_outbox_get_entries (reopened)), ==, 1);
  g_assert_true (g_file_test (stale, G_FILE_TEST_IS_DIR));
  {
    struct utimbuf old_times = { time (NULL) - 2 * 24 * 3600, time (NULL) - 2 * 24 * 3600 };
    g_autoptr(TekenOutbox) third = NULL;
    g_assert_cmpint (g_utime (stale, &old_times), ==, 0);
    third = teken_outbox_new (outdir, &error);
    g_assert_no_error (error);
    g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  }

  /* Drafts are never sent, not even forced; nothing is configured yet, so a queued one fails for good. */
  delivery = teken_delivery_new (config);
  g_assert_cmpuint (teken_outbox_send_due_sync (outbox, delivery, &n_sent, NULL, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_null (teken_outbox_send_sync (outbox, teken_report_get_id (r), delivery, TRUE, NULL, &error));
  g_assert_error (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (teken_outbox_queue (outbox, teken_report_get_id (r), &error));
  first = teken_outbox_send_sync (outbox, teken_report_get_id (r), delivery, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (teken_outbox_entry_get_state (first), ==, TEKEN_OUTBOX_STATE_FAILED);
  g_assert_nonnull (strstr (teken_outbox_entry_get_last_error (first), "delivery channel"));

  /* Folder channel: queue again, then the due run delivers it. */
  teken_ra_config_set_string (config, "delivery", "channel", "folder");
  teken_ra_config_set_string (config, "folder", "path", pkgdir);
  g_assert_true (teken_outbox_queue (outbox, teken_report_get_id (r), &error));
  g_assert_cmpuint (teken_outbox_send_due_sync (outbox, delivery, &n_sent, NULL, &error), ==, 1);
  g_assert_cmpuint (n_sent, ==, 1);
  sent = teken_outbox_lookup (outbox, teken_report_get_id (r), &error);
  g_assert_cmpint (teken_outbox_entry_get_state (sent), ==, TEKEN_OUTBOX_STATE_SENT);
  g_assert_cmpuint (teken_outbox_entry_get_attempts (sent), ==, 2);
  files = teken_test_list_dir (teken_outbox_entry_get_receipt (sent));
  g_assert_cmpuint (files->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (files, 0), ==, "idempotency-key.txt");
  g_assert_cmpstr (g_ptr_array_index (files, 1), ==, "pesan.txt");
  g_assert_cmpstr (g_ptr_array_index (files, 2), ==, "report.json");
  g_assert_cmpstr (g_ptr_array_index (files, 3), ==, "surat-pembaruan.pdf");
  marker = g_build_filename (teken_outbox_entry_get_receipt (sent), "idempotency-key.txt", NULL);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));

  /* Sent entries cannot be removed, re-queued or sent again. */
  g_assert_false (teken_outbox_remove (outbox, teken_report_get_id (r), &error));
  g_assert_error (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (teken_outbox_queue (outbox, teken_report_get_id (r), &error));
  g_clear_error (&error);
  g_assert_null (teken_outbox_send_sync (outbox, teken_report_get_id (r), delivery, TRUE, NULL, &error));
  g_assert_error (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_STATE);
  g_assert_cmpuint (changes, >=, 6);

  g_assert_cmpint (teken_outbox_backoff (1), ==, 30 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (teken_outbox_backoff (2), ==, 60 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (teken_outbox_backoff (4), ==, 240 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (teken_outbox_backoff (40), ==, 6 * G_TIME_SPAN_HOUR);
}

typedef struct
{
  GMainLoop *loop;
  TekenOutboxEntry *result;
  GError *error;
  GThread *main_thread;
  guint changes;
  gboolean wrong_thread;
} AsyncData;

static void
async_change (TekenOutbox      *outbox,
              TekenOutboxEntry *entry,
              AsyncData        *d)
{
  d->changes++;
  d->wrong_thread |= g_thread_self () != d->main_thread;
}

static void
async_sent (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncData *d = user_data;

  d->result = teken_outbox_send_finish (TEKEN_OUTBOX (source), result, &d->error);
  g_main_loop_quit (d->loop);
}

/* What the app does: send in a worker, get signals and model updates in the main context. */
static void
test_outbox_async (void)
{
  g_autofree char *root = teken_test_make_tmp_dir ();
  g_autofree char *outdir = g_build_filename (root, "outbox", NULL);
  g_autofree char *pkgdir = g_build_filename (root, "packages", NULL);
  g_autoptr(TekenOutbox) outbox = NULL;
  g_autoptr(TekenReport) r = valid_renewal ();
  g_autoptr(TekenRaConfig) config = teken_ra_config_new ();
  g_autoptr(TekenDelivery) delivery = NULL;
  g_autoptr(TekenOutboxEntry) queued = NULL;
  g_autoptr(TekenOutboxEntry) listed = NULL;
  g_autoptr(GBytes) letter = NULL;
  g_autoptr(GError) error = NULL;
  AsyncData d = { 0 };

  d.loop = g_main_loop_new (NULL, FALSE);
  d.main_thread = g_thread_self ();
  teken_ra_config_set_string (config, "delivery", "channel", "folder");
  teken_ra_config_set_string (config, "folder", "path", pkgdir);
  delivery = teken_delivery_new (config);
  outbox = teken_outbox_new (outdir, &error);
  g_assert_no_error (error);
  letter = teken_report_letter_render (r, config, TEKEN_REPORT_LETTER_WET, NULL, &error);
  queued = teken_outbox_add (outbox, r, letter, TRUE, &error);
  g_assert_no_error (error);
  g_signal_connect (outbox, "entry-changed", G_CALLBACK (async_change), &d);

  teken_outbox_send_async (outbox, teken_report_get_id (r), delivery, FALSE, NULL, async_sent, &d);
  g_main_loop_run (d.loop);
  /* Let the last queued notification run. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_no_error (d.error);
  g_assert_cmpint (teken_outbox_entry_get_state (d.result), ==, TEKEN_OUTBOX_STATE_SENT);
  g_assert_cmpuint (d.changes, ==, 2);   /* sending, sent */
  g_assert_false (d.wrong_thread);
  listed = g_list_model_get_item (teken_outbox_get_entries (outbox), 0);
  g_assert_cmpint (teken_outbox_entry_get_state (listed), ==, TEKEN_OUTBOX_STATE_SENT);
  g_assert_cmpuint (g_list_model_get_n_items (teken_outbox_get_entries (outbox)), ==, 1);
  {
    g_autoptr(TekenReport) back = teken_outbox_entry_load_report (listed, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (teken_report_get_id (back), ==, teken_report_get_id (r));
    g_assert_cmpstr (teken_report_get_field (back, "owner_nip"), ==, "198001012005011001");
  }
  g_clear_object (&d.result);
  g_main_loop_unref (d.loop);
}

/* /etc/xdg/teken/teken.conf (here: XDG_CONFIG_DIRS) preset by the Dinas, the user's file wins key by key. */
static void
test_config_layers (void)
{
  Env env = { 0 };
  g_autofree char *sysdir = NULL;
  g_autofree char *sysfile = NULL;
  g_autofree char *user_pkgs = NULL;
  g_autofree char *sys_pkgs = NULL;
  g_autofree char *system_text = NULL;
  g_autofree char *user_text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) packages = NULL;

  env_init (&env);
  sysdir = g_build_filename (env.root, "teken", NULL);
  sysfile = g_build_filename (sysdir, "teken.conf", NULL);
  user_pkgs = g_build_filename (env.root, "user-packages", NULL);
  sys_pkgs = g_build_filename (env.root, "system-packages", NULL);
  g_mkdir_with_parents (sysdir, 0755);
  system_text = g_strdup_printf ("[letterhead]\npemda=Pemerintah Kota Uji\ndinas=Dinas Persandian dan Statistik\n"
                                 "city=Kota Uji\n\n[delivery]\nchannel=folder\n\n[folder]\npath=%s\n", sys_pkgs);
  g_assert_true (g_file_set_contents (sysfile, system_text, -1, NULL));
  user_text = g_strdup_printf ("[folder]\npath=%s\n", user_pkgs);
  write_config (&env, "");
  g_assert_true (g_file_set_contents (env.config, user_text, -1, NULL));

  g_assert_cmpint (renewal (&env, &out, NULL, "--send", "--wet"), ==, 0);
  id = report_id (out);
  packages = teken_test_list_dir (user_pkgs);
  g_assert_cmpuint (packages->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (packages, 0), "2"));   /* YYYY-MM-DD-renewal-… */
  g_assert_nonnull (strstr (g_ptr_array_index (packages, 0), "-renewal-"));
  g_assert_false (g_file_test (sys_pkgs, G_FILE_TEST_EXISTS));
  {
    g_autofree char *path = g_build_filename (env.data, "teken", "outbox", id, "surat-pembaruan.pdf", NULL);
    text = pdftotext (path);
  }
  g_assert_nonnull (strstr (text, "PEMERINTAH KOTA UJI"));
  g_assert_nonnull (strstr (text, "DINAS PERSANDIAN DAN STATISTIK"));
  g_assert_nonnull (strstr (text, "Kota Uji, 24 November 2026"));
  env_clear (&env);
}

static void
test_cli_validation (void)
{
  Env env = { 0 };
  g_autofree char *err = NULL;
  g_autofree char *list = NULL;

  env_init (&env);
  write_config (&env, "");
  g_assert_cmpint (cli (&env, NULL, &err, "report", "revocation", "--owner-name", "Budi", "--owner-nip", "123",
                        "--owner-email", "budi", "--revocation-reason", "bosan", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--owner-nip: Owner’s NIP: a NIP has exactly 18 digits"));
  g_assert_nonnull (strstr (err, "--owner-email: Official e-mail: enter an e-mail address"));
  g_assert_nonnull (strstr (err, "--revocation-reason: Revocation reason: choose one of key_compromise"));
  g_assert_nonnull (strstr (err, "--owner-position: Owner’s position is required"));
  g_assert_nonnull (strstr (err, "--cert-serial: Certificate serial number is required"));
  /* Nothing was written. */
  g_assert_cmpint (cli (&env, &list, NULL, "outbox", "list", "--json", NULL), ==, 0);
  g_assert_cmpstr (g_strstrip (list), ==, "[]");
  env_clear (&env);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *script_out = NULL;
  int status = -1;

  g_test_init (&argc, &argv, NULL);
  teken_core_init ();
  if (argc < 4)
    g_error ("usage: test-report HELPDESK_SERVER SMTP_SERVER_PY MAKE_SERVER_CERTS_SH");
  helpdesk_bin = argv[1];
  smtp_py = argv[2];
  certs = teken_test_make_tmp_dir ();
  {
    const char *make[] = { "bash", argv[3], teken_test_pki_dir (), certs, NULL };
    g_assert_true (teken_test_run (make, &script_out, NULL, &status, NULL));
    g_assert_cmpint (status, ==, 0);
  }

  g_test_add_func ("/report/model/validation", test_validation);
  g_test_add_func ("/report/model/new-application-checklist", test_new_application_checklist);
  g_test_add_func ("/report/model/attachments", test_attachments);
  g_test_add_func ("/report/model/json-and-prefill", test_json_and_prefill);
  g_test_add_func ("/report/letter/wet", test_letter_wet);
  g_test_add_func ("/report/letter/signed", test_signed_letter);
  g_test_add_func ("/report/cli/validation", test_cli_validation);
  g_test_add_func ("/report/config/system-defaults", test_config_layers);
  g_test_add_func ("/report/outbox/folder", test_folder_and_outbox);
  g_test_add_func ("/report/outbox/async", test_outbox_async);
  g_test_add_func ("/report/osticket/delivered", test_osticket_delivered);
  g_test_add_func ("/report/osticket/errors", test_osticket_errors);
  g_test_add_func ("/report/osticket/wrong-key", test_osticket_wrong_key);
  g_test_add_func ("/report/osticket/timeout", test_osticket_timeout);
  g_test_add_func ("/report/osticket/untrusted", test_osticket_untrusted);
  g_test_add_func ("/report/osticket/killed-while-sending", test_osticket_killed);
  g_test_add_func ("/report/smtp/delivered", test_smtp_delivered);
  g_test_add_func ("/report/smtp/refused", test_smtp_refused);
  return g_test_run ();
}
