/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "teken-key.h"

G_BEGIN_DECLS

/* A TekenKey read from a PKCS#12 (.p12/.pfx) file: the key, its certificate and the chain. */
#define TEKEN_TYPE_P12_KEY (teken_p12_key_get_type ())
G_DECLARE_FINAL_TYPE (TekenP12Key, teken_p12_key, TEKEN, P12_KEY, GObject)

/* Errors in TEKEN_KEY_ERROR: BAD_PASSPHRASE, NO_KEY, NO_CERTIFICATE, INVALID_FILE, FAILED. */
TekenP12Key *teken_p12_key_new_from_file  (const char  *path,
                                           const char  *passphrase,
                                           GError     **error);
TekenP12Key *teken_p12_key_new_from_bytes (GBytes      *bytes,
                                           const char  *passphrase,
                                           GError     **error);

G_END_DECLS
