/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <malloc.h>

#include "teken-application.h"
#include "teken-core.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(TekenApplication) app = NULL;

  g_debug ("main at %" G_GINT64_FORMAT " µs", g_get_real_time ());
  /* Page textures are large and short-lived: a fixed mmap threshold hands them back to the
   * system when freed instead of leaving them in (per-thread) heaps. */
  mallopt (M_MMAP_THRESHOLD, 512 * 1024);

  setlocale (LC_ALL, "");
  textdomain (GETTEXT_PACKAGE);
  teken_core_init ();

  app = teken_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
