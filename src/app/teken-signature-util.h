/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "teken-document-result.h"
#include "teken-signature-result.h"

G_BEGIN_DECLS

/* Symbolic icon and style class ("success", "warning", "error", "dim-label") for a status. */
const char *teken_signature_status_get_icon_name   (TekenSignatureStatus status);
const char *teken_signature_status_get_style_class (TekenSignatureStatus status);
const char *teken_verdict_get_icon_name            (TekenVerdict         verdict);
const char *teken_verdict_get_style_class          (TekenVerdict         verdict);
/* "24 November 2026, 10:15 WIB" style local time; transfer full. */
char       *teken_format_date_time                 (GDateTime           *time);
char       *teken_format_date                      (GDateTime           *time);

G_END_DECLS
