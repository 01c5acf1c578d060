/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "teken-identity-store.h"
#include "teken-outbox.h"

G_BEGIN_DECLS

/*
 * The app side of reports to the Registration Authority: the app actions
 *   app.reports            opens the Reports window (the outbox history);
 *   app.report(s)          opens the report form; the parameter is "", "KIND" or "KIND:IDENTITY_ID",
 *                          e.g. "renewal:keyring:ab12…" (kind ids: renewal, loss, revocation, new, incident);
 * and the outbox's automatic sending at start and whenever a queued report falls due.
 */
void                teken_reports_install            (GtkApplication *app);

/* The app's outbox (created on first use); transfer none; NULL when the data directory is unusable. */
TekenOutbox        *teken_reports_get_outbox         (GtkApplication *app,
                                                      GError        **error);
/* The app's identity store for the report form (not refreshed here); transfer none. */
TekenIdentityStore *teken_reports_get_identity_store (GtkApplication *app);

/* A delivery for the configured channel (teken.conf), or NULL with an error. */
TekenDelivery      *teken_reports_new_delivery       (GError        **error);

/* Sends every due report in the background (what the app does at start), when a channel is configured. */
void                teken_reports_send_due           (GtkApplication *app);
/* Schedules the next automatic attempt for the earliest queued report. */
void                teken_reports_schedule_due       (GtkApplication *app);

/* A group of rows "Request Renewal…", "Report Loss or Damage…", "Request Revocation…" that open the
 * report form for `identity` (for the certificate manager's details). */
GtkWidget          *teken_reports_new_identity_group (TekenIdentity  *identity);

/* A toast showing `text` as it is (messages from servers may hold markup characters). */
AdwToast           *teken_reports_toast_new          (const char     *text);

G_END_DECLS
