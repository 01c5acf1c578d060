/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "teken-delivery.h"
#include "teken-report.h"

G_BEGIN_DECLS

#define TEKEN_OUTBOX_ERROR (teken_outbox_error_quark ())
GQuark teken_outbox_error_quark (void);

typedef enum
{
  TEKEN_OUTBOX_ERROR_NOT_FOUND,   /* no report with that id */
  TEKEN_OUTBOX_ERROR_BUSY,        /* another process is sending it right now */
  TEKEN_OUTBOX_ERROR_STATE,       /* not in a state that allows the operation (e.g. already sent) */
  TEKEN_OUTBOX_ERROR_CORRUPT,     /* state.json or report.json unreadable */
  TEKEN_OUTBOX_ERROR_IO,          /* the outbox directory cannot be written */
} TekenOutboxError;

/*
 * States (state.json "state"; docs/ra-integration.md has the diagram):
 *  DRAFT   written, not to be sent until queued;
 *  QUEUED  to be sent when due ("next_attempt"), also after a transient failure;
 *  SENDING an attempt is under way, or was interrupted (crash, kill) when no process holds the lock:
 *          it is then resent with the same idempotency key;
 *  SENT    delivered; "receipt" holds the ticket number / Message-ID / folder;
 *  FAILED  refused for good (bad request, wrong key, untrusted certificate); "last_error" holds the
 *          server's message; `retry` queues it again.
 */
typedef enum
{
  TEKEN_OUTBOX_STATE_DRAFT,
  TEKEN_OUTBOX_STATE_QUEUED,
  TEKEN_OUTBOX_STATE_SENDING,
  TEKEN_OUTBOX_STATE_SENT,
  TEKEN_OUTBOX_STATE_FAILED,
} TekenOutboxState;

const char *teken_outbox_state_to_string   (TekenOutboxState  state);
gboolean    teken_outbox_state_from_string (const char       *id,
                                            TekenOutboxState *state);
/* Translated: "Draft", "Queued", "Sending", "Sent", "Failed". */
const char *teken_outbox_state_get_label   (TekenOutboxState  state);

/* A read-only snapshot of one report in the outbox. */
#define TEKEN_TYPE_OUTBOX_ENTRY (teken_outbox_entry_get_type ())
G_DECLARE_FINAL_TYPE (TekenOutboxEntry, teken_outbox_entry, TEKEN, OUTBOX_ENTRY, GObject)

const char       *teken_outbox_entry_get_id              (TekenOutboxEntry *self);
/* The idempotency key (equal to the id: a UUID made when the report was created). */
const char       *teken_outbox_entry_get_idempotency_key (TekenOutboxEntry *self);
TekenReportKind   teken_outbox_entry_get_kind            (TekenOutboxEntry *self);
TekenOutboxState  teken_outbox_entry_get_state           (TekenOutboxEntry *self);
/* SENDING with nobody holding the lock: the attempt was cut short and will be repeated. */
gboolean          teken_outbox_entry_is_interrupted      (TekenOutboxEntry *self);
const char       *teken_outbox_entry_get_subject         (TekenOutboxEntry *self);
const char       *teken_outbox_entry_get_channel         (TekenOutboxEntry *self);
/* Ticket number, Message-ID or package folder; NULL until sent. */
const char       *teken_outbox_entry_get_receipt         (TekenOutboxEntry *self);
/* The last failure's message (the server's own words where it said something), or NULL. */
const char       *teken_outbox_entry_get_last_error      (TekenOutboxEntry *self);
guint             teken_outbox_entry_get_attempts        (TekenOutboxEntry *self);
/* transfer none; NULL when not scheduled. UTC. */
GDateTime        *teken_outbox_entry_get_next_attempt    (TekenOutboxEntry *self);
GDateTime        *teken_outbox_entry_get_created         (TekenOutboxEntry *self);
GDateTime        *teken_outbox_entry_get_updated         (TekenOutboxEntry *self);
/* The entry's directory and its letter PDF. */
const char       *teken_outbox_entry_get_directory       (TekenOutboxEntry *self);
char             *teken_outbox_entry_get_letter_path     (TekenOutboxEntry *self);
/* The report as written (fields and attachments), for a details view. Blocking (reads files). */
TekenReport      *teken_outbox_entry_load_report         (TekenOutboxEntry *self,
                                                          GError          **error);
/* Due for an automatic attempt at `now` (NULL: now). */
gboolean          teken_outbox_entry_is_due              (TekenOutboxEntry *self,
                                                          GDateTime        *now);

/*
 * The durable outbox: one directory per report under `directory` (default
 * g_get_user_data_dir()/teken/outbox), each written completely before it appears (temporary
 * directory + rename) and holding report.json, the letter PDF, attachments/ and state.json.
 * Every state change is written atomically before and after each delivery attempt, and an
 * attempt holds an exclusive lock on the entry, so a kill at any point loses nothing and a
 * resend carries the same idempotency key. "entries" is a GListModel of TekenOutboxEntry,
 * newest first, kept up to date; "entry-changed" is emitted (in the context that created the
 * outbox) whenever an entry is added or its state changes.
 */
#define TEKEN_TYPE_OUTBOX (teken_outbox_get_type ())
G_DECLARE_FINAL_TYPE (TekenOutbox, teken_outbox, TEKEN, OUTBOX, GObject)

/* NULL: the default directory. Creates it (0700) when missing. */
TekenOutbox      *teken_outbox_new            (const char       *directory,
                                               GError          **error);
const char       *teken_outbox_get_directory  (TekenOutbox      *self);
/* transfer none: the entries (TekenOutboxEntry) as last loaded. */
GListModel       *teken_outbox_get_entries    (TekenOutbox      *self);
/* Rereads every entry from disk. */
gboolean          teken_outbox_reload         (TekenOutbox      *self,
                                               GError          **error);
TekenOutboxEntry *teken_outbox_lookup         (TekenOutbox      *self,
                                               const char       *id,
                                               GError          **error);

/*
 * Writes a report (with its letter PDF and attachments) as a new entry: QUEUED when `queue`
 * (the report must then be valid), else DRAFT. Returns the new entry.
 */
TekenOutboxEntry *teken_outbox_add            (TekenOutbox      *self,
                                               TekenReport      *report,
                                               GBytes           *letter_pdf,
                                               gboolean          queue,
                                               GError          **error);
/* DRAFT/FAILED/QUEUED -> QUEUED, due now. A draft must be a valid report (TEKEN_REPORT_ERROR_INVALID). */
gboolean          teken_outbox_queue          (TekenOutbox      *self,
                                               const char       *id,
                                               GError          **error);
/* Removes a DRAFT or FAILED entry (never a queued or sent one). */
gboolean          teken_outbox_remove         (TekenOutbox      *self,
                                               const char       *id,
                                               GError          **error);

/*
 * One delivery attempt for entry `id` (QUEUED and due, interrupted SENDING, or with `force` also
 * FAILED and not yet due; never DRAFT: queue it first, which checks it): returns the updated
 * entry; its state says what happened.
 * FALSE/NULL with an error only when the attempt could not be made at all (busy, not found, I/O).
 * Blocking: use the async variants in UIs.
 */
TekenOutboxEntry *teken_outbox_send_sync      (TekenOutbox      *self,
                                               const char       *id,
                                               TekenDelivery    *delivery,
                                               gboolean          force,
                                               GCancellable     *cancellable,
                                               GError          **error);
void              teken_outbox_send_async     (TekenOutbox      *self,
                                               const char       *id,
                                               TekenDelivery    *delivery,
                                               gboolean          force,
                                               GCancellable     *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer          user_data);
TekenOutboxEntry *teken_outbox_send_finish    (TekenOutbox      *self,
                                               GAsyncResult     *result,
                                               GError          **error);

/* Attempts every due entry (what the app does at start and on a timer). Returns how many were
 * attempted; *n_sent receives how many are now SENT. Busy entries are skipped. */
guint             teken_outbox_send_due_sync  (TekenOutbox      *self,
                                               TekenDelivery    *delivery,
                                               guint            *n_sent,
                                               GCancellable     *cancellable,
                                               GError          **error);
void              teken_outbox_send_due_async (TekenOutbox      *self,
                                               TekenDelivery    *delivery,
                                               GCancellable     *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer          user_data);
guint             teken_outbox_send_due_finish (TekenOutbox     *self,
                                                GAsyncResult    *result,
                                                guint           *n_sent,
                                                GError         **error);

/* The earliest next_attempt of a QUEUED entry (for a UI timer), or NULL. transfer full. */
GDateTime        *teken_outbox_get_next_due   (TekenOutbox      *self);

/* Backoff after `attempts` failed attempts: 30 s doubling per attempt, at most 6 hours. */
GTimeSpan         teken_outbox_backoff        (guint             attempts);

G_END_DECLS
