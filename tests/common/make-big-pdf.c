/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * make-big-pdf OUT [PAGES [MIB_PER_PAGE]]: the reproducible large PDF used by bench/ (default 10 x 10 MiB).
 */
#include <stdlib.h>

#include "teken-test-utils.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  guint pages = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 10;
  gsize mib = argc > 3 ? (gsize) strtoul (argv[3], NULL, 10) : 10;

  if (argc < 2 || argc > 4 || pages == 0 || mib == 0)
    {
      g_printerr ("usage: %s OUT [PAGES [MIB_PER_PAGE]]\n", argv[0]);
      return 2;
    }
  if (!teken_test_make_big_pdf (argv[1], pages, mib << 20, &error))
    {
      g_printerr ("make-big-pdf: %s\n", error->message);
      return 1;
    }
  return 0;
}
