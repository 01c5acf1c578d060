/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "teken-pdf-update.h"

G_BEGIN_DECLS

#define TEKEN_APPEARANCE_ERROR (teken_appearance_error_quark ())
GQuark teken_appearance_error_quark (void);

typedef enum
{
  TEKEN_APPEARANCE_ERROR_IMAGE,      /* the image is not a PNG file cairo can read */
  TEKEN_APPEARANCE_ERROR_QR,         /* the QR text is too long or cannot be encoded */
  TEKEN_APPEARANCE_ERROR_TOO_SMALL,  /* the rectangle cannot hold a legible stamp */
} TekenAppearanceError;

/*
 * The visible stamp of a signature: a Form XObject that says who signed, when (local time
 * with its offset and the Indonesian zone name: WIB, WITA, WIT) and why, with an optional
 * PNG image and QR code. Text uses the standard-14 Helvetica with WinAnsiEncoding, so no
 * font is embedded; it is shrunk and wrapped to fit the rectangle.
 */
#define TEKEN_TYPE_APPEARANCE (teken_appearance_get_type ())
G_DECLARE_FINAL_TYPE (TekenAppearance, teken_appearance, TEKEN, APPEARANCE, GObject)

TekenAppearance *teken_appearance_new              (void);
void             teken_appearance_set_signer_name  (TekenAppearance  *self,
                                                    const char       *name);
void             teken_appearance_set_time         (TekenAppearance  *self,
                                                    GDateTime        *time);
void             teken_appearance_set_reason       (TekenAppearance  *self,
                                                    const char       *reason);
void             teken_appearance_set_location     (TekenAppearance  *self,
                                                    const char       *location);
/* "DEMO — TIDAK SAH" across the stamp (the demo identity). */
void             teken_appearance_set_demo         (TekenAppearance  *self,
                                                    gboolean          demo);
void             teken_appearance_set_qr_text      (TekenAppearance  *self,
                                                    const char       *text);
/* Decoded at once so that a bad file is reported before anything is signed. */
gboolean         teken_appearance_set_image_file   (TekenAppearance  *self,
                                                    const char       *path,
                                                    GError          **error);
gboolean         teken_appearance_set_image_bytes  (TekenAppearance  *self,
                                                    GBytes           *png,
                                                    GError          **error);

/* The content stream for an upright stamp of width x height points; image_name is the
 * resource name of the image ("Im1") when there is one. transfer full. */
GBytes          *teken_appearance_build_content    (TekenAppearance  *self,
                                                    double            width,
                                                    double            height,
                                                    GError          **error);
/*
 * Adds the Form XObject (and its image objects) to update. width/height are the stamp's
 * upright size; rotate (0, 90, 180, 270, the page's /Rotate) turns it with /Matrix so that
 * it reads upright on the rotated page while filling the unrotated widget /Rect.
 * Returns the XObject's object number, 0 on error.
 */
guint            teken_appearance_add_to_update    (TekenAppearance  *self,
                                                    TekenPdfUpdate   *update,
                                                    double            width,
                                                    double            height,
                                                    int               rotate,
                                                    GError          **error);

/* Helpers, exposed for tests. */
/* UTF-8 to WinAnsiEncoding (accents outside it dropped, other characters become '?'). */
GBytes          *teken_appearance_to_winansi       (const char       *utf8);
/* Width in points of WinAnsi bytes in Helvetica at size. */
double           teken_appearance_winansi_width    (const guint8     *text,
                                                    gsize             len,
                                                    double            size);
/* Appends a PDF literal string "(...)" with ( ) \ and non-printing bytes escaped. */
void             teken_appearance_append_string    (GString          *out,
                                                    const guint8     *text,
                                                    gsize             len);
/* "2026-11-24 10:40:12 WITA (UTC+08:00)". */
char            *teken_appearance_format_time      (GDateTime        *time);

G_END_DECLS
