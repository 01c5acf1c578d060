/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Passphrases and PINs: NUL-terminated UTF-8 in memory that is wiped (OPENSSL_cleanse) when
 * freed. Never put one in argv, a log line or a file of ours.
 */
typedef char TekenSecret;

/* The first line of a file (the trailing end-of-line removed). */
TekenSecret *teken_secret_read_file (const char   *path,
                                     GError      **error);
/* The first line read from fd (for stdin when it is not a terminal). */
TekenSecret *teken_secret_read_fd   (int           fd,
                                     GError      **error);
TekenSecret *teken_secret_new       (const char   *text);
void         teken_secret_free      (TekenSecret  *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenSecret, teken_secret_free)

G_END_DECLS
