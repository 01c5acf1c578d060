/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * Preferences: expiry reminder days and the Registration Authority's contact (GSettings), and the
 * user's own trust anchors (TekenTrustStore user store: list, add a certificate file, remove).
 * Signing page: the PAdES level and time-stamp server (teken.conf [timestamp] level/url, through
 * teken_ltv_settings_load/save: the file teken-cli reads), fallback and the stamp defaults
 * (GSettings timestamp-fallback, stamp-image, stamp-qr-template).
 * Actions: preferences.add-anchor, preferences.choose-image, preferences.remove-image.
 * Signal "trust-changed" after an anchor was added or removed.
 */
#define TEKEN_TYPE_PREFERENCES (teken_preferences_get_type ())
G_DECLARE_FINAL_TYPE (TekenPreferences, teken_preferences, TEKEN, PREFERENCES, AdwPreferencesWindow)

TekenPreferences *teken_preferences_new            (GtkWindow        *parent);
guint             teken_preferences_get_n_anchors  (TekenPreferences *self);
gboolean          teken_preferences_add_anchor_file (TekenPreferences *self,
                                                     GFile            *file,
                                                     GError          **error);
gboolean          teken_preferences_remove_anchor  (TekenPreferences *self,
                                                    const char       *sha256_hex,
                                                    GError          **error);

/* A PNG for every visible stamp (checked now); NULL removes it. */
gboolean          teken_preferences_set_stamp_image (TekenPreferences *self,
                                                     GFile            *file,
                                                     GError          **error);
void              teken_preferences_show_signing   (TekenPreferences *self);

G_END_DECLS
