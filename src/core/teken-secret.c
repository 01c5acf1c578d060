/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-secret.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <unistd.h>

/* Longer than any passphrase a person types, short enough to refuse a wrong file quickly. */
#define MAX_SECRET 4096

TekenSecret *
teken_secret_new (const char *text)
{
  return g_strdup (text);
}

void
teken_secret_free (TekenSecret *secret)
{
  if (secret == NULL)
    return;
  OPENSSL_cleanse (secret, strlen (secret));
  g_free (secret);
}

TekenSecret *
teken_secret_read_fd (int      fd,
                      GError **error)
{
  char buf[MAX_SECRET + 1];
  gsize len = 0;
  TekenSecret *secret;

  /* Byte by byte, so that nothing after the first line is consumed from a shared stdin. */
  while (len < MAX_SECRET)
    {
      gssize n = read (fd, buf + len, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          OPENSSL_cleanse (buf, sizeof buf);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not read the passphrase: %s"), g_strerror (saved));
          return NULL;
        }
      if (n == 0 || buf[len] == '\n')
        break;
      len++;
    }
  if (len > 0 && buf[len - 1] == '\r')
    len--;
  buf[len] = '\0';

  if (!g_utf8_validate (buf, len, NULL))
    {
      OPENSSL_cleanse (buf, sizeof buf);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The passphrase is not valid UTF-8 text"));
      return NULL;
    }
  secret = g_strndup (buf, len);
  OPENSSL_cleanse (buf, sizeof buf);
  return secret;
}

TekenSecret *
teken_secret_read_file (const char  *path,
                        GError     **error)
{
  TekenSecret *secret;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      int saved = errno;

      /* translators: the first %s is a file name, the second the system's reason */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not open the passphrase file “%s”: %s"), path, g_strerror (saved));
      return NULL;
    }
  secret = teken_secret_read_fd (fd, error);
  close (fd);
  return secret;
}
