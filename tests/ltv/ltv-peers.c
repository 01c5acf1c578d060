/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ltv-peers.h"

#include <libsoup/soup.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "teken-test-utils.h"

typedef struct
{
  char *serial;
  char *subject;
  gint64 revoked;   /* 0: valid */
} Entry;

struct _LtvPeers
{
  char *dir;
  char *pki;
  guint port;
  guint https_port;

  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  GMutex lock;
  GCond cond;
  gboolean ready;

  GHashTable *counts;        /* path -> count (under lock) */
  GHashTable *entries;       /* name -> Entry (under lock) */
  GPtrArray *names;          /* insertion order */
  guint ts_serial;

  X509 *tsa_cert;
  EVP_PKEY *tsa_key;
  STACK_OF (X509) *tsa_chain;
};

static void
entry_free (gpointer p)
{
  Entry *e = p;

  g_free (e->serial);
  g_free (e->subject);
  g_free (e);
}

char *
ltv_peers_path (LtvPeers   *peers,
                const char *file)
{
  return g_build_filename (peers->dir, file, NULL);
}

static void
run_ok (const char * const *argv)
{
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (!teken_test_run (argv, NULL, &err, &status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  if (status != 0)
    g_error ("%s %s failed (%d): %s", argv[0], argv[1], status, err);
}

static void
count (LtvPeers   *peers,
       const char *path)
{
  g_mutex_lock (&peers->lock);
  g_hash_table_insert (peers->counts, g_strdup (path),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (peers->counts, path)) + 1));
  g_mutex_unlock (&peers->lock);
}

guint
ltv_peers_count (LtvPeers   *peers,
                 const char *path)
{
  guint n;

  g_mutex_lock (&peers->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (peers->counts, path));
  g_mutex_unlock (&peers->lock);
  return n;
}

static ASN1_INTEGER *
ts_serial_cb (TS_RESP_CTX *ctx,
              void        *data)
{
  LtvPeers *peers = data;
  ASN1_INTEGER *serial = ASN1_INTEGER_new ();

  ASN1_INTEGER_set (serial, g_atomic_int_add (&peers->ts_serial, 1) + 1);
  return serial;
}

static GBytes *
make_ts_reply (LtvPeers     *peers,
               const guint8 *req,
               gsize         len)
{
  TS_RESP_CTX *ctx = TS_RESP_CTX_new ();
  ASN1_OBJECT *policy = OBJ_txt2obj ("1.2.3.4.1", 1);
  BIO *in = BIO_new_mem_buf (req, len);
  TS_RESP *resp;
  unsigned char *der = NULL;
  int der_len;
  GBytes *out;

  TS_RESP_CTX_set_signer_cert (ctx, peers->tsa_cert);
  TS_RESP_CTX_set_signer_key (ctx, peers->tsa_key);
  TS_RESP_CTX_set_def_policy (ctx, policy);
  TS_RESP_CTX_set_certs (ctx, peers->tsa_chain);
  TS_RESP_CTX_add_md (ctx, EVP_sha256 ());
  TS_RESP_CTX_add_md (ctx, EVP_sha384 ());
  TS_RESP_CTX_add_md (ctx, EVP_sha512 ());
  TS_RESP_CTX_set_ess_cert_id_digest (ctx, EVP_sha256 ());
  TS_RESP_CTX_set_accuracy (ctx, 1, 0, 0);
  TS_RESP_CTX_set_serial_cb (ctx, ts_serial_cb, peers);
  resp = TS_RESP_create_response (ctx, in);
  g_assert_nonnull (resp);
  der_len = i2d_TS_RESP (resp, &der);
  out = g_bytes_new (der, der_len);
  OPENSSL_free (der);
  TS_RESP_free (resp);
  BIO_free (in);
  ASN1_OBJECT_free (policy);
  TS_RESP_CTX_free (ctx);
  return out;
}

static GBytes *
make_ocsp_reply (LtvPeers *peers,
                 GBytes   *req)
{
  g_autofree char *req_path = g_build_filename (peers->dir, "ocsp-req.der", NULL);
  g_autofree char *resp_path = g_build_filename (peers->dir, "ocsp-resp.der", NULL);
  g_autofree char *index = g_build_filename (peers->dir, "index.txt", NULL);
  g_autofree char *ca = g_build_filename (peers->pki, "ca.crt", NULL);
  g_autofree char *rsigner = g_build_filename (peers->pki, "ocsp.crt", NULL);
  g_autofree char *rkey = g_build_filename (peers->pki, "ocsp.key", NULL);
  const char *argv[] = { "openssl", "ocsp", "-index", index, "-CA", ca, "-rsigner", rsigner,
                         "-rkey", rkey, "-reqin", req_path, "-respout", resp_path, "-ndays", "1",
                         "-rmd", "sha256", NULL };
  char *data = NULL;
  gsize len;

  g_mutex_lock (&peers->lock);   /* the index is rewritten by the test thread */
  g_assert_true (g_file_set_contents (req_path, g_bytes_get_data (req, NULL), g_bytes_get_size (req), NULL));
  run_ok (argv);
  g_mutex_unlock (&peers->lock);
  g_assert_true (g_file_get_contents (resp_path, &data, &len, NULL));
  return g_bytes_new_take (data, len);
}

static gboolean
slow_reply (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_set_status (msg, 500, NULL);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  LtvPeers *peers = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) req = soup_message_body_flatten (body);

  count (peers, path);
  if (g_str_equal (path, "/tsa"))
    {
      g_autoptr(GBytes) reply = make_ts_reply (peers, g_bytes_get_data (req, NULL), g_bytes_get_size (req));

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/timestamp-reply", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
    }
  else if (g_str_equal (path, "/tsa-auth"))
    {
      /* HTTP basic "tsa-user:rahasia" (as a TSA with credentials, e.g. BSrE's). */
      const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                       "Authorization");

      if (g_strcmp0 (auth, "Basic dHNhLXVzZXI6cmFoYXNpYQ==") != 0)
        soup_server_message_set_status (msg, 401, NULL);
      else
        {
          g_autoptr(GBytes) reply = make_ts_reply (peers, g_bytes_get_data (req, NULL), g_bytes_get_size (req));

          soup_server_message_set_status (msg, 200, NULL);
          soup_server_message_set_response (msg, "application/timestamp-reply", SOUP_MEMORY_COPY,
                                            g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
        }
    }
  else if (g_str_equal (path, "/tsa-slow"))
    {
      GSource *source = g_timeout_source_new_seconds (4);

      soup_server_message_pause (msg);
      g_source_set_callback (source, slow_reply, g_object_ref (msg), g_object_unref);
      g_source_attach (source, peers->context);
      g_source_unref (source);
    }
  else if (g_str_equal (path, "/tsa-garbage"))
    {
      static const char garbage[] = "<html>this is not a time stamp</html>";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/timestamp-reply", SOUP_MEMORY_STATIC,
                                        garbage, sizeof garbage - 1);
    }
  else if (g_str_equal (path, "/tsa-error"))
    soup_server_message_set_status (msg, 500, NULL);
  else if (g_str_equal (path, "/big"))
    {
      gsize size = 3u << 20;

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_TAKE,
                                        g_malloc0 (size), size);
    }
  else if (g_str_equal (path, "/ocsp"))
    {
      g_autoptr(GBytes) reply = make_ocsp_reply (peers, req);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/ocsp-response", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
    }
  else if (g_str_equal (path, "/crl/ca.crl"))
    {
      g_autofree char *crl = g_build_filename (peers->dir, "ca.crl", NULL);
      char *data = NULL;
      gsize len = 0;

      g_mutex_lock (&peers->lock);
      g_file_get_contents (crl, &data, &len, NULL);
      g_mutex_unlock (&peers->lock);
      soup_server_message_set_status (msg, data ? 200 : 404, NULL);
      if (data)
        soup_server_message_set_response (msg, "application/pkix-crl", SOUP_MEMORY_TAKE, data, len);
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static gpointer
server_thread (gpointer data)
{
  LtvPeers *peers = data;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (peers->context);
  peers->server = soup_server_new ("server-header", "teken-test-peer ", NULL);
  soup_server_add_handler (peers->server, NULL, handler, peers, NULL);
  if (!soup_server_listen (peers->server, addr, 0, &error))
    g_error ("listen: %s", error->message);
  uris = soup_server_get_uris (peers->server);
  peers->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* A second, HTTPS listener with a self-signed certificate for 127.0.0.1 (TLS error tests). */
  {
    g_autofree char *crt = g_build_filename (peers->dir, "https.crt", NULL);
    g_autofree char *key = g_build_filename (peers->dir, "https.key", NULL);
    g_autoptr(GTlsCertificate) cert = g_tls_certificate_new_from_files (crt, key, &error);
    g_autoptr(GSocketAddress) addr2 = g_inet_socket_address_new (loopback, 0);

    if (cert == NULL)
      g_error ("https certificate: %s", error->message);
    g_object_set (peers->server, "tls-certificate", cert, NULL);
    if (!soup_server_listen (peers->server, addr2, SOUP_SERVER_LISTEN_HTTPS, &error))
      g_error ("listen https: %s", error->message);
    uris = soup_server_get_uris (peers->server);
    for (GSList *l = uris; l; l = l->next)
      if (g_str_equal (g_uri_get_scheme (l->data), "https"))
        peers->https_port = g_uri_get_port (l->data);
    g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  }

  g_mutex_lock (&peers->lock);
  peers->ready = TRUE;
  g_cond_signal (&peers->cond);
  g_mutex_unlock (&peers->lock);

  g_main_loop_run (peers->loop);
  soup_server_disconnect (peers->server);
  g_clear_object (&peers->server);
  while (g_main_context_iteration (peers->context, FALSE));
  g_main_context_pop_thread_default (peers->context);
  return NULL;
}

char *
ltv_peers_url (LtvPeers   *peers,
               const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", peers->port, path);
}

char *
ltv_peers_https_url (LtvPeers   *peers,
                     const char *path)
{
  return g_strdup_printf ("https://127.0.0.1:%u%s", peers->https_port, path);
}

char *
ltv_peers_refused_url (void)
{
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint port;

  /* Bind without listen: the port is ours, so connections are refused. The socket is leaked on
   * purpose so that nobody else takes the port during the test. */
  g_assert_true (g_socket_bind (sock, addr, FALSE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_ref (sock);
  return g_strdup_printf ("http://127.0.0.1:%u/tsa", port);
}

static void
write_index_locked (LtvPeers *peers)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *path = g_build_filename (peers->dir, "index.txt", NULL);

  for (guint i = 0; i < peers->names->len; i++)
    {
      Entry *e = g_hash_table_lookup (peers->entries, g_ptr_array_index (peers->names, i));
      g_autofree char *rev = NULL;

      if (e->revoked)
        {
          g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (e->revoked);
          rev = g_date_time_format (t, "%y%m%d%H%M%SZ");
        }
      g_string_append_printf (s, "%s\t301231000000Z\t%s\t%s\tunknown\t%s\n",
                              e->revoked ? "R" : "V", rev ? rev : "", e->serial, e->subject);
    }
  g_assert_true (g_file_set_contents (path, s->str, s->len, NULL));
}

static void
make_crl_locked (LtvPeers *peers)
{
  g_autofree char *cnf = g_build_filename (peers->dir, "crl.cnf", NULL);
  g_autofree char *crl = g_build_filename (peers->dir, "ca.crl", NULL);
  g_autofree char *ca = g_build_filename (peers->pki, "ca.crt", NULL);
  g_autofree char *key = g_build_filename (peers->pki, "ca.key", NULL);
  const char *argv[] = { "openssl", "ca", "-gencrl", "-batch", "-config", cnf, "-cert", ca,
                         "-keyfile", key, "-crldays", "1", "-out", crl, NULL };

  run_ok (argv);
}

LtvPeers *
ltv_peers_start (void)
{
  LtvPeers *peers = g_new0 (LtvPeers, 1);
  g_autofree char *cnf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  FILE *f;

  /* Loopback requests never go through a proxy from the environment (CI runners set one). */
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
  g_setenv ("NO_PROXY", "127.0.0.1,localhost", TRUE);
  peers->dir = teken_test_make_tmp_dir ();
  peers->pki = g_strdup (teken_test_pki_dir ());
  peers->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  peers->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  peers->names = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&peers->lock);
  g_cond_init (&peers->cond);

  path = g_build_filename (peers->pki, "tsa.crt", NULL);
  f = fopen (path, "r");
  peers->tsa_cert = PEM_read_X509 (f, NULL, NULL, NULL);
  fclose (f);
  g_free (path);
  path = g_build_filename (peers->pki, "tsa.key", NULL);
  f = fopen (path, "r");
  peers->tsa_key = PEM_read_PrivateKey (f, NULL, NULL, NULL);
  fclose (f);
  g_free (path);
  path = g_build_filename (peers->pki, "ca.crt", NULL);
  f = fopen (path, "r");
  peers->tsa_chain = sk_X509_new_null ();
  sk_X509_push (peers->tsa_chain, PEM_read_X509 (f, NULL, NULL, NULL));
  fclose (f);
  g_assert_nonnull (peers->tsa_cert);
  g_assert_nonnull (peers->tsa_key);

  /* openssl ca database for the CRL and the OCSP responder. */
  cnf = g_build_filename (peers->dir, "crl.cnf", NULL);
  text = g_strdup_printf ("[ca]\ndefault_ca = d\n[d]\ndatabase = %s/index.txt\ncrlnumber = %s/crlnumber\n"
                          "default_md = sha256\ndefault_crl_days = 1\n", peers->dir, peers->dir);
  g_assert_true (g_file_set_contents (cnf, text, -1, NULL));
  g_free (path);
  path = g_build_filename (peers->dir, "crlnumber", NULL);
  g_assert_true (g_file_set_contents (path, "1000\n", -1, NULL));
  g_mutex_lock (&peers->lock);
  write_index_locked (peers);
  make_crl_locked (peers);
  g_mutex_unlock (&peers->lock);

  {
    g_autofree char *crt = g_build_filename (peers->dir, "https.crt", NULL);
    g_autofree char *key = g_build_filename (peers->dir, "https.key", NULL);
    const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                           "-out", crt, "-days", "2", "-subj", "/CN=127.0.0.1",
                           "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", NULL };

    run_ok (argv);
  }
  peers->context = g_main_context_new ();
  peers->loop = g_main_loop_new (peers->context, FALSE);
  peers->thread = g_thread_new ("ltv-peers", server_thread, peers);
  g_mutex_lock (&peers->lock);
  while (!peers->ready)
    g_cond_wait (&peers->cond, &peers->lock);
  g_mutex_unlock (&peers->lock);
  return peers;
}

void
ltv_peers_stop (LtvPeers *peers)
{
  g_main_loop_quit (peers->loop);
  g_thread_join (peers->thread);
  g_main_loop_unref (peers->loop);
  g_main_context_unref (peers->context);
  X509_free (peers->tsa_cert);
  EVP_PKEY_free (peers->tsa_key);
  sk_X509_pop_free (peers->tsa_chain, X509_free);
  g_hash_table_unref (peers->counts);
  g_hash_table_unref (peers->entries);
  g_ptr_array_unref (peers->names);
  g_free (peers->dir);
  g_free (peers->pki);
  g_free (peers);
}

const char *
ltv_peers_dir (LtvPeers *peers)
{
  return peers->dir;
}

void
ltv_peers_issue (LtvPeers   *peers,
                 const char *name,
                 gboolean    with_ocsp,
                 gboolean    with_crl)
{
  g_autofree char *key = g_strdup_printf ("%s/%s.key", peers->dir, name);
  g_autofree char *csr = g_strdup_printf ("%s/%s.csr", peers->dir, name);
  g_autofree char *crt = g_strdup_printf ("%s/%s.crt", peers->dir, name);
  g_autofree char *ext = g_strdup_printf ("%s/%s.ext", peers->dir, name);
  g_autofree char *p12 = g_strdup_printf ("%s/%s.p12", peers->dir, name);
  g_autofree char *chain = g_strdup_printf ("%s/%s-chain.pem", peers->dir, name);
  g_autofree char *subj = g_strdup_printf ("/C=ID/O=Pemerintah Kabupaten Contoh/CN=%s/description=00112233AABBCCDD_Tanda Tangan Elektronik", name);
  g_autofree char *ca = g_build_filename (peers->pki, "ca.crt", NULL);
  g_autofree char *ca_key = g_build_filename (peers->pki, "ca.key", NULL);
  g_autofree char *pki_chain = g_build_filename (peers->pki, "chain.pem", NULL);
  g_autofree char *pass = g_strdup_printf ("file:%s/passphrase.txt", peers->pki);
  g_autofree char *ocsp_url = ltv_peers_url (peers, "/ocsp");
  g_autofree char *crl_url = ltv_peers_url (peers, "/crl/ca.crl");
  g_autoptr(GString) e = g_string_new ("basicConstraints=critical,CA:FALSE\n"
                                       "keyUsage=critical,digitalSignature,nonRepudiation\n"
                                       "extendedKeyUsage=1.2.840.113583.1.1.5,emailProtection\n"
                                       "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
  guint8 rnd[12];
  g_autofree char *serial = NULL;
  g_autofree char *serial_arg = NULL;
  g_autofree char *chain_text = NULL;
  Entry *entry;

  if (with_ocsp)
    g_string_append_printf (e, "authorityInfoAccess=OCSP;URI:%s\n", ocsp_url);
  if (with_crl)
    g_string_append_printf (e, "crlDistributionPoints=URI:%s\n", crl_url);
  g_assert_true (g_file_set_contents (ext, e->str, -1, NULL));
  for (guint i = 0; i < sizeof rnd; i++)
    rnd[i] = g_random_int_range (0, 256);
  rnd[0] = (rnd[0] & 0x3f) | 0x10;
  serial = g_strdup_printf ("%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X", rnd[0], rnd[1], rnd[2],
                            rnd[3], rnd[4], rnd[5], rnd[6], rnd[7], rnd[8], rnd[9], rnd[10], rnd[11]);
  serial_arg = g_strconcat ("0x", serial, NULL);

  {
    const char *req[] = { "openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                          "-out", csr, "-subj", subj, NULL };
    const char *x509[] = { "openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
                           "-set_serial", serial_arg, "-days", "30", "-sha256", "-extfile", ext,
                           "-out", crt, NULL };
    const char *pk12[] = { "openssl", "pkcs12", "-export", "-inkey", key, "-in", crt, "-certfile",
                           pki_chain, "-passout", pass, "-out", p12, NULL };

    run_ok (req);
    run_ok (x509);
    run_ok (pk12);
  }
  g_assert_true (g_file_get_contents (pki_chain, &chain_text, NULL, NULL));
  g_assert_true (g_file_set_contents (chain, chain_text, -1, NULL));

  entry = g_new0 (Entry, 1);
  entry->serial = g_steal_pointer (&serial);
  entry->subject = g_strdup (subj);
  g_mutex_lock (&peers->lock);
  g_hash_table_insert (peers->entries, g_strdup (name), entry);
  g_ptr_array_add (peers->names, g_strdup (name));
  write_index_locked (peers);
  make_crl_locked (peers);
  g_mutex_unlock (&peers->lock);
}

void
ltv_peers_revoke (LtvPeers   *peers,
                  const char *name,
                  gint64      when)
{
  Entry *entry;

  g_mutex_lock (&peers->lock);
  entry = g_hash_table_lookup (peers->entries, name);
  g_assert_nonnull (entry);
  entry->revoked = when;
  write_index_locked (peers);
  make_crl_locked (peers);
  g_mutex_unlock (&peers->lock);
}
