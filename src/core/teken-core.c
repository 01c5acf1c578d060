/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-core.h"

#include <locale.h>
#include <openssl/err.h>
#include <openssl/provider.h>

static void
bind_translations (void)
{
  /* An uninstalled build (tests, the README's start command) reads the freshly compiled catalogs. */
  const char *dir = g_getenv ("TEKEN_LOCALEDIR");

  if (dir == NULL)
    dir = LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}

static void
load_providers (void)
{
  /* Old .p12 files (RC2-40, 3DES) need the legacy provider; loading it explicitly
   * stops the default one from being loaded implicitly, so load both. */
  if (OSSL_PROVIDER_load (NULL, "default") == NULL)
    g_warning ("OpenSSL default provider is not available");
  if (OSSL_PROVIDER_load (NULL, "legacy") == NULL)
    {
      g_debug ("OpenSSL legacy provider is not available; old PKCS#12 files cannot be read");
      ERR_clear_error ();
    }
}

/**
 * teken_core_init:
 *
 * Prepares translations and OpenSSL; every front end calls it once before anything else.
 * Safe to call more than once and from any thread.
 */
void
teken_core_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      bind_translations ();
      load_providers ();
      g_once_init_leave (&initialized, 1);
    }
}

char *
teken_openssl_error_string (void)
{
  g_autoptr(GString) str = g_string_new (NULL);
  unsigned long code;

  while ((code = ERR_get_error ()) != 0)
    {
      char buf[256];

      ERR_error_string_n (code, buf, sizeof buf);
      if (str->len > 0)
        g_string_append (str, "; ");
      g_string_append (str, buf);
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}
