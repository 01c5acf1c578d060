/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "teken-identity-util.h"

gboolean
teken_identity_refresh_finish_for_display (TekenIdentityStore  *store,
                                           GAsyncResult        *result,
                                           char               **message)
{
  g_autoptr(GError) error = NULL;
  const GError *keyring_error;

  *message = NULL;
  if (!teken_identity_store_refresh_finish (store, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  keyring_error = teken_identity_store_get_keyring_error (store);
  if (error != NULL)
    *message = g_strdup (error->message);
  else if (keyring_error != NULL)
    *message = g_strdup (keyring_error->message);
  return TRUE;
}
