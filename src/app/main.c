/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "teken-application.h"
#include "teken-core.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(TekenApplication) app = NULL;

  setlocale (LC_ALL, "");
  textdomain (GETTEXT_PACKAGE);
  teken_core_init ();

  app = teken_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
