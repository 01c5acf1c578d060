/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "teken-pdf-document.h"

G_BEGIN_DECLS

/*
 * An incremental update (ISO 32000-1 §7.5.6): new and replaced objects plus a cross-reference
 * section in the style of the base's newest one (a table after a table, a stream after a stream
 * or a hybrid file), with /Prev, /Root, /Info and /ID carried over. The base's bytes are never
 * touched; the update is only ever appended after them.
 */
#define TEKEN_TYPE_PDF_UPDATE (teken_pdf_update_get_type ())
G_DECLARE_FINAL_TYPE (TekenPdfUpdate, teken_pdf_update, TEKEN, PDF_UPDATE, GObject)

TekenPdfUpdate   *teken_pdf_update_new                (TekenPdfDocument *base);
TekenPdfDocument *teken_pdf_update_get_base           (TekenPdfUpdate   *self);
/* A fresh object number, unique across the base and this update. */
guint             teken_pdf_update_reserve            (TekenPdfUpdate   *self);
/* Sets (adds or replaces) object num; obj is taken (transfer full). Replacing a base object keeps
 * its generation. */
void              teken_pdf_update_set_object         (TekenPdfUpdate   *self,
                                                       guint             num,
                                                       TekenPdfObject   *obj);
/* reserve + set; returns the number. */
guint             teken_pdf_update_add_object         (TekenPdfUpdate   *self,
                                                       TekenPdfObject   *obj);
/* The object as this update will have it: the update's own version, else the base's; transfer full. */
TekenPdfObject   *teken_pdf_update_get_object         (TekenPdfUpdate   *self,
                                                       guint             num,
                                                       GError          **error);
/* The bytes to append after the base's last byte (they begin with an end-of-line when the base
 * does not end with one). Offsets in the new xref section count from the start of the file. */
GBytes           *teken_pdf_update_serialize          (TekenPdfUpdate   *self,
                                                       GError          **error);
/* Addition (pdf helper): the file offset of "num G obj" as written by the last serialize (or
 * write_to_path), -1 when num is not part of the update or nothing was serialized yet. The
 * update's xref stream object, when there is one, is included. */
goffset           teken_pdf_update_get_object_offset  (TekenPdfUpdate   *self,
                                                       guint             num);
/* Copies the base file and appends the update into a new file, atomically. Refuses to write
 * over the base file itself. An encrypted base is refused (TEKEN_PDF_ERROR_ENCRYPTED) by both
 * this and serialize. */
gboolean          teken_pdf_update_write_to_path      (TekenPdfUpdate   *self,
                                                       const char       *path,
                                                       GError          **error);

G_END_DECLS
