/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * An output file that appears complete or not at all: written to a temporary file
 * beside the target, fsync'ed, then renamed. Freeing it uncommitted removes the
 * temporary file. Errors are in G_IO_ERROR.
 */
typedef struct _TekenAtomicFile TekenAtomicFile;

TekenAtomicFile *teken_atomic_file_new           (const char       *path,
                                                  GError          **error);
int              teken_atomic_file_get_fd        (TekenAtomicFile  *self);
const char      *teken_atomic_file_get_path      (TekenAtomicFile  *self);
const char      *teken_atomic_file_get_temp_path (TekenAtomicFile  *self);
gboolean         teken_atomic_file_write         (TekenAtomicFile  *self,
                                                  const void       *data,
                                                  gsize             len,
                                                  GError          **error);
gboolean         teken_atomic_file_pwrite        (TekenAtomicFile  *self,
                                                  const void       *data,
                                                  gsize             len,
                                                  goffset           offset,
                                                  GError          **error);
/* With overwrite FALSE an existing target makes commit fail with G_IO_ERROR_EXISTS. */
gboolean         teken_atomic_file_commit        (TekenAtomicFile  *self,
                                                  gboolean          overwrite,
                                                  GError          **error);
void             teken_atomic_file_free          (TekenAtomicFile  *self);

/* Whole-buffer convenience over the above. */
gboolean         teken_atomic_file_set_contents  (const char       *path,
                                                  const void       *data,
                                                  gsize             len,
                                                  gboolean          overwrite,
                                                  GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenAtomicFile, teken_atomic_file_free)

G_END_DECLS
