/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "teken-identity-store.h"

G_BEGIN_DECLS

/* Finishes teken_identity_store_refresh_async() for a window listing identities: FALSE when it was
 * cancelled (nothing to show), else TRUE with *message set to the refresh error or, failing that,
 * the keyring's error to show to the user (NULL when all went well; transfer full). */
gboolean teken_identity_refresh_finish_for_display (TekenIdentityStore  *store,
                                                    GAsyncResult        *result,
                                                    char               **message);

G_END_DECLS
