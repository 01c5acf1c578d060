/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-atomic-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

struct _TekenAtomicFile
{
  char *path;
  char *temp_path;
  int fd;
  gboolean committed;
};

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  /* translators: the first %s is a file name, the second the system's reason */
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

TekenAtomicFile *
teken_atomic_file_new (const char  *path,
                       GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmpl = NULL;
  TekenAtomicFile *self;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  /* Hidden and in the same directory, so that rename() is atomic and nobody opens it by mistake. */
  tmpl = g_strdup_printf ("%s/.%s.teken-XXXXXX", dir, base);
  fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      set_errno_error (error, errno, path);
      return NULL;
    }

  self = g_new0 (TekenAtomicFile, 1);
  self->path = g_strdup (path);
  self->temp_path = g_steal_pointer (&tmpl);
  self->fd = fd;
  return self;
}

int
teken_atomic_file_get_fd (TekenAtomicFile *self)
{
  return self->fd;
}

const char *
teken_atomic_file_get_path (TekenAtomicFile *self)
{
  return self->path;
}

const char *
teken_atomic_file_get_temp_path (TekenAtomicFile *self)
{
  return self->temp_path;
}

gboolean
teken_atomic_file_write (TekenAtomicFile  *self,
                         const void       *data,
                         gsize             len,
                         GError          **error)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize n = write (self->fd, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, errno, self->path);
      p += n;
      len -= n;
    }
  return TRUE;
}

gboolean
teken_atomic_file_pwrite (TekenAtomicFile  *self,
                          const void       *data,
                          gsize             len,
                          goffset           offset,
                          GError          **error)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize n = pwrite (self->fd, p, len, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, errno, self->path);
      p += n;
      len -= n;
      offset += n;
    }
  return TRUE;
}

gboolean
teken_atomic_file_commit (TekenAtomicFile  *self,
                          gboolean          overwrite,
                          GError          **error)
{
  g_return_val_if_fail (!self->committed, FALSE);

  if (fsync (self->fd) != 0)
    return set_errno_error (error, errno, self->path);

  if (overwrite)
    {
      if (g_rename (self->temp_path, self->path) != 0)
        return set_errno_error (error, errno, self->path);
    }
  else
    {
      /* link() fails if the target exists, so a concurrent writer is never clobbered. */
      if (link (self->temp_path, self->path) != 0)
        {
          int saved = errno;

          if (saved == EEXIST)
            {
              /* translators: %s is a file name */
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("“%s” already exists; it was not overwritten"), self->path);
              return FALSE;
            }
          return set_errno_error (error, saved, self->path);
        }
      g_unlink (self->temp_path);
    }

  self->committed = TRUE;
  return TRUE;
}

void
teken_atomic_file_free (TekenAtomicFile *self)
{
  if (self == NULL)
    return;
  if (self->fd >= 0)
    close (self->fd);
  if (!self->committed)
    g_unlink (self->temp_path);
  g_free (self->temp_path);
  g_free (self->path);
  g_free (self);
}

gboolean
teken_atomic_file_set_contents (const char  *path,
                                const void  *data,
                                gsize        len,
                                gboolean     overwrite,
                                GError     **error)
{
  g_autoptr(TekenAtomicFile) file = teken_atomic_file_new (path, error);

  return file != NULL &&
         teken_atomic_file_write (file, data, len, error) &&
         teken_atomic_file_commit (file, overwrite, error);
}
