/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TEKEN_TYPE_APPLICATION (teken_application_get_type ())
G_DECLARE_FINAL_TYPE (TekenApplication, teken_application, TEKEN, APPLICATION, AdwApplication)

TekenApplication *teken_application_new          (void);
/* Opens file in an empty window, or a new one; presents the window already showing it. */
void              teken_application_open_file    (TekenApplication *self,
                                                  GFile            *file);
void              teken_application_open_revision (TekenApplication *self,
                                                  GFile            *file,
                                                  gsize             length,
                                                  const char       *signer);
/* The settings of the app (io.github.teken.Teken); transfer none. */
GSettings        *teken_application_get_settings (TekenApplication *self);

G_END_DECLS
