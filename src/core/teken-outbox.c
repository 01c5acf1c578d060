/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox's state machine and why a kill never loses or duplicates a report: see
 * docs/ra-integration.md, "The outbox". In short: the entry directory appears by rename only
 * when complete; before contacting the server the state becomes SENDING (written atomically);
 * after the answer it becomes SENT/QUEUED/FAILED (written atomically); a SENDING entry whose
 * lock nobody holds was cut short and is sent again with the same idempotency key, which the
 * server (ticket API: X-Idempotency-Key; e-mail: Message-ID; folder: idempotency-key.txt) uses
 * to answer with the first ticket instead of opening a second one.
 */
#include "teken-core-private.h"
#include "teken-outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "teken-atomic-file.h"
#include "teken-report-letter.h"

G_DEFINE_QUARK (teken-outbox-error-quark, teken_outbox_error)

#define STATE_SCHEMA "teken-outbox-state"
#define STATE_SCHEMA_VERSION 1
#define MAX_HISTORY 50

static const struct
{
  const char *id;
  const char *label;
} states[] = {
  [TEKEN_OUTBOX_STATE_DRAFT] = { "draft", N_("Draft") },
  [TEKEN_OUTBOX_STATE_QUEUED] = { "queued", N_("Queued") },
  [TEKEN_OUTBOX_STATE_SENDING] = { "sending", N_("Sending") },
  [TEKEN_OUTBOX_STATE_SENT] = { "sent", N_("Sent") },
  [TEKEN_OUTBOX_STATE_FAILED] = { "failed", N_("Failed") },
};

const char *
teken_outbox_state_to_string (TekenOutboxState state)
{
  return state < G_N_ELEMENTS (states) ? states[state].id : NULL;
}

gboolean
teken_outbox_state_from_string (const char       *id,
                                TekenOutboxState *state)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (states); i++)
    if (g_str_equal (id, states[i].id))
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

const char *
teken_outbox_state_get_label (TekenOutboxState state)
{
  return state < G_N_ELEMENTS (states) ? _(states[state].label) : NULL;
}

GTimeSpan
teken_outbox_backoff (guint attempts)
{
  GTimeSpan delay = 30 * G_TIME_SPAN_SECOND;

  for (guint i = 1; i < attempts && delay < 6 * G_TIME_SPAN_HOUR; i++)
    delay *= 2;
  return MIN (delay, 6 * G_TIME_SPAN_HOUR);
}

/* ---- entries -------------------------------------------------------------------------------- */

struct _TekenOutboxEntry
{
  GObject parent_instance;
  char *id;
  char *dir;
  TekenReportKind kind;
  TekenOutboxState state;
  gboolean interrupted;
  char *subject;
  char *channel;
  char *receipt;
  char *last_error;
  guint attempts;
  GDateTime *next_attempt;
  GDateTime *created;
  GDateTime *updated;
  char *letter;
  JsonNode *history;   /* array of {time, state, message} */
};

G_DEFINE_FINAL_TYPE (TekenOutboxEntry, teken_outbox_entry, G_TYPE_OBJECT)

static void
teken_outbox_entry_finalize (GObject *object)
{
  TekenOutboxEntry *self = (TekenOutboxEntry *) object;

  g_free (self->id);
  g_free (self->dir);
  g_free (self->subject);
  g_free (self->channel);
  g_free (self->receipt);
  g_free (self->last_error);
  g_clear_pointer (&self->next_attempt, g_date_time_unref);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);
  g_free (self->letter);
  g_clear_pointer (&self->history, json_node_unref);
  G_OBJECT_CLASS (teken_outbox_entry_parent_class)->finalize (object);
}

static void
teken_outbox_entry_class_init (TekenOutboxEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_outbox_entry_finalize;
}

static void
teken_outbox_entry_init (TekenOutboxEntry *self)
{
}

const char *teken_outbox_entry_get_id (TekenOutboxEntry *self) { return self->id; }
const char *teken_outbox_entry_get_idempotency_key (TekenOutboxEntry *self) { return self->id; }
TekenReportKind teken_outbox_entry_get_kind (TekenOutboxEntry *self) { return self->kind; }
TekenOutboxState teken_outbox_entry_get_state (TekenOutboxEntry *self) { return self->state; }
gboolean teken_outbox_entry_is_interrupted (TekenOutboxEntry *self) { return self->interrupted; }
const char *teken_outbox_entry_get_subject (TekenOutboxEntry *self) { return self->subject; }
const char *teken_outbox_entry_get_channel (TekenOutboxEntry *self) { return self->channel; }
const char *teken_outbox_entry_get_receipt (TekenOutboxEntry *self) { return self->receipt; }
const char *teken_outbox_entry_get_last_error (TekenOutboxEntry *self) { return self->last_error; }
guint teken_outbox_entry_get_attempts (TekenOutboxEntry *self) { return self->attempts; }
GDateTime *teken_outbox_entry_get_next_attempt (TekenOutboxEntry *self) { return self->next_attempt; }
GDateTime *teken_outbox_entry_get_created (TekenOutboxEntry *self) { return self->created; }
GDateTime *teken_outbox_entry_get_updated (TekenOutboxEntry *self) { return self->updated; }
const char *teken_outbox_entry_get_directory (TekenOutboxEntry *self) { return self->dir; }

char *
teken_outbox_entry_get_letter_path (TekenOutboxEntry *self)
{
  return g_build_filename (self->dir, self->letter, NULL);
}

gboolean
teken_outbox_entry_is_due (TekenOutboxEntry *self,
                           GDateTime        *now)
{
  g_autoptr(GDateTime) current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();

  if (self->state == TEKEN_OUTBOX_STATE_SENDING)
    return self->interrupted;
  if (self->state != TEKEN_OUTBOX_STATE_QUEUED)
    return FALSE;
  return self->next_attempt == NULL || g_date_time_compare (self->next_attempt, current) <= 0;
}

static gboolean
corrupt (GError     **error,
         const char  *path,
         const char  *why)
{
  /* translators: the first %s is a file, the second the reason */
  g_set_error (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_CORRUPT,
               _("The outbox file “%s” is damaged: %s"), path, why);
  return FALSE;
}

static TekenReport *load_report (TekenOutboxEntry  *entry,
                                 GError           **error);

static GDateTime *
member_time (JsonObject *obj,
             const char *name)
{
  const char *s = json_object_get_string_member_with_default (obj, name, NULL);

  return s != NULL ? g_date_time_new_from_iso8601 (s, NULL) : NULL;
}

static char *
member_dup (JsonObject *obj,
            const char *name)
{
  return g_strdup (json_object_get_string_member_with_default (obj, name, NULL));
}

static JsonNode *
load_json (const char  *path,
           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;

  if (!json_parser_load_from_mapped_file (parser, path, &local))
    return corrupt (error, path, local->message), NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return corrupt (error, path, "not an object"), NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/* Whether somebody holds the entry's lock right now (a sender in this or another process). */
static gboolean
is_locked (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, ".lock", NULL);
  int fd = open (path, O_RDWR | O_CLOEXEC);
  gboolean locked = FALSE;

  if (fd < 0)
    return FALSE;
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    locked = errno == EWOULDBLOCK;
  close (fd);   /* also drops our own probe lock */
  return locked;
}

static TekenOutboxEntry *
entry_load (const char  *dir,
            GError     **error)
{
  g_autoptr(TekenOutboxEntry) self = g_object_new (TEKEN_TYPE_OUTBOX_ENTRY, NULL);
  g_autofree char *state_path = g_build_filename (dir, "state.json", NULL);
  g_autoptr(JsonNode) node = load_json (state_path, error);
  JsonObject *obj;

  if (node == NULL)
    return NULL;
  obj = json_node_get_object (node);
  if (g_strcmp0 (json_object_get_string_member_with_default (obj, "schema", NULL), STATE_SCHEMA) != 0 ||
      json_object_get_int_member_with_default (obj, "schema_version", 0) != STATE_SCHEMA_VERSION)
    return corrupt (error, state_path, "schema"), NULL;
  self->id = member_dup (obj, "id");
  if (self->id == NULL || !g_uuid_string_is_valid (self->id))
    return corrupt (error, state_path, "id"), NULL;
  if (!teken_outbox_state_from_string (json_object_get_string_member_with_default (obj, "state", NULL), &self->state))
    return corrupt (error, state_path, "state"), NULL;
  if (!teken_report_kind_from_string (json_object_get_string_member_with_default (obj, "kind", NULL), &self->kind))
    return corrupt (error, state_path, "kind"), NULL;
  self->dir = g_strdup (dir);
  self->subject = member_dup (obj, "subject");
  self->channel = member_dup (obj, "channel");
  self->receipt = member_dup (obj, "receipt");
  self->last_error = member_dup (obj, "last_error");
  self->letter = member_dup (obj, "letter");
  self->attempts = json_object_get_int_member_with_default (obj, "attempts", 0);
  self->next_attempt = member_time (obj, "next_attempt");
  self->created = member_time (obj, "created");
  self->updated = member_time (obj, "updated");
  if (self->created == NULL || self->updated == NULL || self->letter == NULL)
    return corrupt (error, state_path, "times"), NULL;
  if (json_object_has_member (obj, "history") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "history")))
    self->history = json_node_copy (json_object_get_member (obj, "history"));
  else
    self->history = json_node_init_array (json_node_alloc (), json_array_new ());
  self->interrupted = self->state == TEKEN_OUTBOX_STATE_SENDING && !is_locked (dir);
  return g_steal_pointer (&self);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          GDateTime   *t)
{
  g_autofree char *s = t != NULL ? g_date_time_format_iso8601 (t) : NULL;

  json_builder_set_member_name (b, name);
  if (s != NULL)
    json_builder_add_string_value (b, s);
  else
    json_builder_add_null_value (b);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* Writes state.json atomically (temporary file, fsync, rename). */
static gboolean
entry_save (TekenOutboxEntry  *self,
            GError           **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = g_build_filename (self->dir, "state.json", NULL);
  g_autofree char *data = NULL;
  gsize len;

  json_builder_begin_object (b);
  add_string (b, "schema", STATE_SCHEMA);
  json_builder_set_member_name (b, "schema_version");
  json_builder_add_int_value (b, STATE_SCHEMA_VERSION);
  add_string (b, "id", self->id);
  add_string (b, "idempotency_key", self->id);
  add_string (b, "kind", teken_report_kind_to_string (self->kind));
  add_string (b, "state", teken_outbox_state_to_string (self->state));
  add_string (b, "subject", self->subject);
  add_string (b, "letter", self->letter);
  add_string (b, "channel", self->channel);
  add_string (b, "receipt", self->receipt);
  add_string (b, "last_error", self->last_error);
  json_builder_set_member_name (b, "attempts");
  json_builder_add_int_value (b, self->attempts);
  add_time (b, "next_attempt", self->next_attempt);
  add_time (b, "created", self->created);
  add_time (b, "updated", self->updated);
  json_builder_set_member_name (b, "history");
  json_builder_add_value (b, json_node_copy (self->history));
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, &len);
  return teken_atomic_file_set_contents (path, data, len, TRUE, error);
}

/* Moves the entry to `state`, noting the time and a line of history. */
static void
entry_transition (TekenOutboxEntry *self,
                  TekenOutboxState  state,
                  const char       *message)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);
  JsonArray *history = json_node_get_array (self->history);
  JsonObject *item = json_object_new ();

  self->state = state;
  self->interrupted = FALSE;
  g_clear_pointer (&self->updated, g_date_time_unref);
  self->updated = g_date_time_ref (now);
  json_object_set_string_member (item, "time", when);
  json_object_set_string_member (item, "state", teken_outbox_state_to_string (state));
  if (message != NULL)
    json_object_set_string_member (item, "message", message);
  json_array_add_object_element (history, item);
  while (json_array_get_length (history) > MAX_HISTORY)
    json_array_remove_element (history, 0);
}

/* ---- the outbox ----------------------------------------------------------------------------- */

struct _TekenOutbox
{
  GObject parent_instance;
  char *dir;
  GListStore *entries;
  GMainContext *context;   /* where signals and model changes happen */
  GThread *thread;         /* the thread that created the outbox (and owns `context`) */
};

G_DEFINE_FINAL_TYPE (TekenOutbox, teken_outbox, G_TYPE_OBJECT)

enum { SIGNAL_ENTRY_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
teken_outbox_finalize (GObject *object)
{
  TekenOutbox *self = (TekenOutbox *) object;

  g_free (self->dir);
  g_clear_object (&self->entries);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (teken_outbox_parent_class)->finalize (object);
}

static void
teken_outbox_class_init (TekenOutboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_outbox_finalize;

  /* (entry): the new snapshot of an added or changed entry. */
  signals[SIGNAL_ENTRY_CHANGED] = g_signal_new ("entry-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, TEKEN_TYPE_OUTBOX_ENTRY);
}

static void
teken_outbox_init (TekenOutbox *self)
{
  self->entries = g_list_store_new (TEKEN_TYPE_OUTBOX_ENTRY);
  self->context = g_main_context_ref_thread_default ();
  self->thread = g_thread_self ();
}

static gboolean
io_failed (GError     **error,
           int          saved,
           const char  *path)
{
  /* translators: the first %s is a folder or file, the second the reason */
  g_set_error (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_IO,
               _("Could not write the outbox at “%s”: %s"), path, g_strerror (saved));
  return FALSE;
}

static void remove_tree (const char *path);

/* Hidden directories of an add() or remove() that was cut short, once they are a day old (a younger
 * one may belong to another process at work right now). */
static void
remove_leftovers (const char *outbox_dir)
{
  g_autoptr(GDir) dir = g_dir_open (outbox_dir, 0, NULL);
  const char *name;
  gint64 limit = g_get_real_time () / G_USEC_PER_SEC - 24 * 60 * 60;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_prefix (name, ".new-") && !g_str_has_prefix (name, ".removed-"))
        continue;
      path = g_build_filename (outbox_dir, name, NULL);
      if (g_lstat (path, &st) == 0 && S_ISDIR (st.st_mode) && st.st_mtime < limit)
        remove_tree (path);
    }
}

TekenOutbox *
teken_outbox_new (const char  *directory,
                  GError     **error)
{
  g_autoptr(TekenOutbox) self = g_object_new (TEKEN_TYPE_OUTBOX, NULL);

  self->dir = directory != NULL ? g_strdup (directory)
                                : g_build_filename (g_get_user_data_dir (), "teken", "outbox", NULL);
  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    return io_failed (error, errno, self->dir), NULL;
  remove_leftovers (self->dir);
  if (!teken_outbox_reload (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
teken_outbox_get_directory (TekenOutbox *self)
{
  return self->dir;
}

GListModel *
teken_outbox_get_entries (TekenOutbox *self)
{
  return G_LIST_MODEL (self->entries);
}

static int
newest_first (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  /* g_ptr_array_sort hands over pointers to the slots. */
  const TekenOutboxEntry *ea = *(TekenOutboxEntry * const *) a;
  const TekenOutboxEntry *eb = *(TekenOutboxEntry * const *) b;

  return -g_date_time_compare (ea->created, eb->created);
}

gboolean
teken_outbox_reload (TekenOutbox  *self,
                     GError      **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local = NULL;
  const char *name;

  dir = g_dir_open (self->dir, 0, &local);
  if (dir == NULL)
    return io_failed (error, ENOENT, self->dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) bad = NULL;
      TekenOutboxEntry *entry;

      /* Hidden names are half-written entries of a crashed add(); they never became visible. */
      if (name[0] == '.' || !g_uuid_string_is_valid (name))
        continue;
      path = g_build_filename (self->dir, name, NULL);
      entry = entry_load (path, &bad);
      if (entry == NULL)
        {
          g_warning ("Skipping outbox entry %s: %s", name, bad->message);
          continue;
        }
      g_ptr_array_add (items, entry);
    }
  g_ptr_array_sort_with_data (items, newest_first, NULL);
  g_list_store_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                       items->pdata, items->len);
  return TRUE;
}

TekenOutboxEntry *
teken_outbox_lookup (TekenOutbox  *self,
                     const char   *id,
                     GError      **error)
{
  g_autofree char *path = NULL;

  if (id == NULL || !g_uuid_string_is_valid (id))
    goto not_found;
  path = g_build_filename (self->dir, id, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    goto not_found;
  return entry_load (path, error);

not_found:
  /* translators: %s is a report id */
  g_set_error (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_NOT_FOUND,
               _("No report “%s” in the outbox"), id != NULL ? id : "");
  return NULL;
}

typedef struct
{
  TekenOutbox *outbox;
  TekenOutboxEntry *entry;
} Notify;

static gboolean
notify_in_context (gpointer data)
{
  Notify *n = data;
  GListModel *model = G_LIST_MODEL (n->outbox->entries);
  guint i, count = g_list_model_get_n_items (model);

  for (i = 0; i < count; i++)
    {
      g_autoptr(TekenOutboxEntry) old = g_list_model_get_item (model, i);
      if (g_str_equal (old->id, n->entry->id))
        break;
    }
  if (i < count)
    g_list_store_splice (n->outbox->entries, i, 1, (gpointer *) &n->entry, 1);
  else
    g_list_store_insert (n->outbox->entries, 0, n->entry);
  g_signal_emit (n->outbox, signals[SIGNAL_ENTRY_CHANGED], 0, n->entry);
  g_object_unref (n->outbox);
  g_object_unref (n->entry);
  g_free (n);
  return G_SOURCE_REMOVE;
}

/* Publishes a new snapshot (from any thread) in the outbox's context. */
static void
publish (TekenOutbox      *self,
         TekenOutboxEntry *entry)
{
  Notify *n = g_new0 (Notify, 1);

  n->outbox = g_object_ref (self);
  n->entry = g_object_ref (entry);
  /* Not g_main_context_invoke(): from a worker thread it runs the callback right there whenever it
   * can acquire the (idle) context, racing the UI thread on the list model. */
  if (g_thread_self () == self->thread)
    notify_in_context (n);
  else
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, notify_in_context, n, NULL);
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
}

/* ---- adding --------------------------------------------------------------------------------- */

static char *
make_subject (TekenReport *report)
{
  const char *name = teken_report_get_field (report, "owner_name");
  const char *nip = teken_report_get_field (report, "owner_nip");

  return g_strdup_printf ("[Teken] %s - %s%s%s%s", teken_report_kind_get_perihal (teken_report_get_kind (report)),
                          name != NULL ? name : "-", nip != NULL ? " (NIP " : "", nip != NULL ? nip : "",
                          nip != NULL ? ")" : "");
}

static gboolean
write_file (const char  *dir,
            const char  *name,
            GBytes      *bytes,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);

  return teken_atomic_file_set_contents (path, data, len, FALSE, error);
}

static void
sync_directory (const char *path)
{
  /* Makes the rename itself durable, not only the files. */
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

TekenOutboxEntry *
teken_outbox_add (TekenOutbox  *self,
                  TekenReport  *report,
                  GBytes       *letter_pdf,
                  gboolean      queue,
                  GError      **error)
{
  g_autoptr(TekenOutboxEntry) entry = g_object_new (TEKEN_TYPE_OUTBOX_ENTRY, NULL);
  g_autofree char *tmp = g_build_filename (self->dir, ".new-XXXXXX", NULL);
  g_autofree char *attach_dir = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) json_bytes = NULL;
  g_autofree char *lock = NULL;
  GListModel *attachments = teken_report_get_attachments (report);
  gsize len;

  if (queue && !teken_report_check (report, error))
    return NULL;

  entry->id = g_strdup (teken_report_get_id (report));
  entry->dir = g_build_filename (self->dir, entry->id, NULL);
  entry->kind = teken_report_get_kind (report);
  entry->subject = make_subject (report);
  entry->letter = g_strdup (teken_report_letter_get_filename (entry->kind));
  entry->created = g_date_time_ref (teken_report_get_created (report));
  entry->updated = g_date_time_new_now_utc ();
  entry->history = json_node_init_array (json_node_alloc (), json_array_new ());
  entry_transition (entry, queue ? TEKEN_OUTBOX_STATE_QUEUED : TEKEN_OUTBOX_STATE_DRAFT, NULL);

  if (g_file_test (entry->dir, G_FILE_TEST_EXISTS))
    {
      /* translators: %s is a report id */
      g_set_error (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_STATE,
                   _("The report “%s” is already in the outbox"), entry->id);
      return NULL;
    }
  if (g_mkdtemp_full (tmp, 0700) == NULL)
    return io_failed (error, errno, self->dir), NULL;

  /* Everything goes into the hidden temporary directory first ... */
  json = teken_report_to_json_data (report, &len);
  json_bytes = g_bytes_new_take (g_steal_pointer (&json), len);
  attach_dir = g_build_filename (tmp, "attachments", NULL);
  lock = g_build_filename (tmp, ".lock", NULL);
  if (!write_file (tmp, "report.json", json_bytes, error) ||
      !write_file (tmp, entry->letter, letter_pdf, error) ||
      g_mkdir (attach_dir, 0700) != 0 ||
      !g_file_set_contents (lock, "", 0, error))
    goto fail;
  for (guint i = 0; i < g_list_model_get_n_items (attachments); i++)
    {
      g_autoptr(TekenReportAttachment) a = g_list_model_get_item (attachments, i);
      g_autofree char *name = g_strdup_printf ("%02u-%s", i + 1, teken_report_attachment_get_filename (a));

      if (!write_file (attach_dir, name, teken_report_attachment_get_bytes (a), error))
        goto fail;
    }
  g_free (entry->dir);
  entry->dir = g_strdup (tmp);
  if (!entry_save (entry, error))
    goto fail;
  sync_directory (tmp);

  /* ... and appears under its id in one rename. */
  g_free (entry->dir);
  entry->dir = g_build_filename (self->dir, entry->id, NULL);
  if (g_rename (tmp, entry->dir) != 0)
    {
      io_failed (error, errno, entry->dir);
      goto fail;
    }
  sync_directory (self->dir);
  publish (self, entry);
  return g_steal_pointer (&entry);

fail:
  if (error != NULL && *error == NULL)
    io_failed (error, errno, tmp);
  remove_tree (tmp);
  return NULL;
}

/* ---- locking -------------------------------------------------------------------------------- */

/* An exclusive lock on the entry for one attempt; -1 with BUSY when another sender has it. */
static int
lock_entry (const char  *dir,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, ".lock", NULL);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    return io_failed (error, errno, path), -1;
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error_literal (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_BUSY,
                           _("The report is being sent by another Teken process"));
      return -1;
    }
  return fd;
}

static TekenOutboxEntry *
load_locked (TekenOutbox  *self,
             const char   *id,
             int          *lock_fd,
             GError      **error)
{
  g_autoptr(TekenOutboxEntry) entry = teken_outbox_lookup (self, id, error);

  if (entry == NULL)
    return NULL;
  *lock_fd = lock_entry (entry->dir, error);
  if (*lock_fd < 0)
    return NULL;
  /* Reread under the lock: another process may have finished it meanwhile. */
  g_clear_object (&entry);
  entry = teken_outbox_lookup (self, id, error);
  if (entry == NULL)
    {
      close (*lock_fd);
      return NULL;
    }
  if (entry->state == TEKEN_OUTBOX_STATE_SENDING)
    entry->interrupted = TRUE;   /* we hold the lock, so nobody else is sending it */
  return g_steal_pointer (&entry);
}

gboolean
teken_outbox_queue (TekenOutbox  *self,
                    const char   *id,
                    GError      **error)
{
  int fd = -1;
  g_autoptr(TekenOutboxEntry) entry = load_locked (self, id, &fd, error);
  gboolean ok;

  if (entry == NULL)
    return FALSE;
  if (entry->state == TEKEN_OUTBOX_STATE_SENT)
    {
      close (fd);
      g_set_error_literal (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_STATE, _("The report was already sent"));
      return FALSE;
    }
  if (entry->state == TEKEN_OUTBOX_STATE_SENDING)
    {
      close (fd);
      return TRUE;   /* interrupted: it is due already and keeps its key */
    }
  if (entry->state == TEKEN_OUTBOX_STATE_DRAFT)
    {
      /* A draft may be incomplete; only a valid report is queued. */
      g_autoptr(TekenReport) report = load_report (entry, error);
      if (report == NULL || !teken_report_check (report, error))
        {
          close (fd);
          return FALSE;
        }
    }
  g_clear_pointer (&entry->next_attempt, g_date_time_unref);
  entry_transition (entry, TEKEN_OUTBOX_STATE_QUEUED, NULL);
  ok = entry_save (entry, error);
  close (fd);
  if (ok)
    publish (self, entry);
  return ok;
}

gboolean
teken_outbox_remove (TekenOutbox  *self,
                     const char   *id,
                     GError      **error)
{
  int fd = -1;
  g_autoptr(TekenOutboxEntry) entry = load_locked (self, id, &fd, error);
  g_autofree char *trash = NULL;

  if (entry == NULL)
    return FALSE;
  if (entry->state != TEKEN_OUTBOX_STATE_DRAFT && entry->state != TEKEN_OUTBOX_STATE_FAILED)
    {
      close (fd);
      g_set_error_literal (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_STATE,
                           _("Only drafts and failed reports can be removed"));
      return FALSE;
    }
  /* Hide it in one step, then delete at leisure. */
  trash = g_strdup_printf ("%s/.removed-%s", self->dir, id);
  if (g_rename (entry->dir, trash) != 0)
    {
      close (fd);
      return io_failed (error, errno, entry->dir);
    }
  close (fd);
  remove_tree (trash);
  return teken_outbox_reload (self, error);
}

/* ---- sending -------------------------------------------------------------------------------- */

static GBytes *
read_bytes (const char  *path,
            GError     **error)
{
  char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  return g_bytes_new_take (data, len);
}

static void
append_line (GString    *s,
             const char *label,
             const char *value)
{
  if (value != NULL)
    g_string_append_printf (s, "%s: %s\n", label, value);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The message every channel carries: a plain Indonesian summary plus the files. */
static TekenDeliveryMessage *
build_message (TekenOutboxEntry  *entry,
               GError           **error)
{
  g_autofree char *report_path = g_build_filename (entry->dir, "report.json", NULL);
  g_autofree char *letter_path = teken_outbox_entry_get_letter_path (entry);
  g_autofree char *json = NULL;
  g_autoptr(TekenReport) report = NULL;
  g_autoptr(GBytes) json_bytes = NULL;
  g_autoptr(GBytes) letter = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(TekenDeliveryMessage) msg = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *attach_dir = g_build_filename (entry->dir, "attachments", NULL);
  g_autofree char *package = NULL;
  g_autofree char *date = g_date_time_format (entry->created, "%Y-%m-%d");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gsize len;
  const char *name;

  json_bytes = read_bytes (report_path, error);
  letter = json_bytes != NULL ? read_bytes (letter_path, error) : NULL;
  if (letter == NULL)
    return NULL;
  json = g_strndup (g_bytes_get_data (json_bytes, &len), g_bytes_get_size (json_bytes));
  report = teken_report_new_from_json_data (json, -1, error);
  if (report == NULL)
    return NULL;

  g_string_append_printf (text, "%s\n\n", teken_report_kind_get_perihal (entry->kind));
  append_line (text, "Nama", teken_report_get_field (report, "owner_name"));
  append_line (text, "NIP", teken_report_get_field (report, "owner_nip"));
  append_line (text, "Jabatan", teken_report_get_field (report, "owner_position"));
  append_line (text, "Unit Kerja", teken_report_get_field (report, "owner_unit"));
  append_line (text, "E-mail", teken_report_get_field (report, "owner_email"));
  append_line (text, "Telepon", teken_report_get_field (report, "owner_phone"));
  append_line (text, "Nomor Seri Sertifikat", teken_report_get_field (report, "cert_serial"));
  append_line (text, "Sidik Jari SHA-256", teken_report_get_field (report, "cert_fingerprint"));
  append_line (text, "Berlaku Sampai", teken_report_get_field (report, "cert_expiry"));
  g_string_append_printf (text, "\nSurat permohonan/pernyataan terlampir (%s), beserta data laporan (report.json).\n",
                          entry->letter);
  g_string_append_printf (text, "Kode laporan (idempotency key): %s\n", entry->id);

  msg = teken_delivery_message_new (entry->id, entry->subject, text->str);
  teken_delivery_message_set_sender (msg, teken_report_get_field (report, "owner_name"),
                                     teken_report_get_field (report, "owner_email"),
                                     teken_report_get_field (report, "owner_phone"));
  package = g_strdup_printf ("%s-%s-%.8s", date, teken_report_kind_to_string (entry->kind), entry->id);
  teken_delivery_message_set_package_name (msg, package);
  teken_delivery_message_add_file (msg, entry->letter, "application/pdf", letter);
  teken_delivery_message_add_file (msg, "report.json", "application/json", json_bytes);

  dir = g_dir_open (attach_dir, 0, error);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (attach_dir, n, NULL);
      g_autoptr(GBytes) bytes = read_bytes (path, error);
      const char *type;

      if (bytes == NULL)
        return NULL;
      type = teken_report_sniff_content_type (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      teken_delivery_message_add_file (msg, n, type != NULL ? type : "application/octet-stream", bytes);
    }
  return g_steal_pointer (&msg);
}

/* The entry's report with its attachments, as written by add(). */
static TekenReport *
load_report (TekenOutboxEntry  *entry,
             GError           **error)
{
  g_autofree char *report_path = g_build_filename (entry->dir, "report.json", NULL);
  g_autofree char *json = NULL;
  g_autoptr(TekenReport) report = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *list = NULL;
  JsonObject *obj;

  if (!g_file_get_contents (report_path, &json, NULL, error))
    return NULL;
  report = teken_report_new_from_json_data (json, -1, error);
  if (report == NULL)
    return NULL;
  root = json_from_string (json, NULL);
  obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (obj != NULL && json_object_has_member (obj, "attachments") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "attachments")))
    list = json_object_get_array_member (obj, "attachments");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *a = json_array_get_object_element (list, i);
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      g_autoptr(TekenReportAttachment) attachment = NULL;

      if (a == NULL)
        return corrupt (error, report_path, "attachments"), NULL;
      name = g_strdup_printf ("%02u-%s", i + 1, json_object_get_string_member_with_default (a, "filename", ""));
      path = g_build_filename (entry->dir, "attachments", name, NULL);
      attachment = teken_report_attachment_new_from_file (path, json_object_get_string_member_with_default (a, "role", "other"),
                                                          error);
      if (attachment == NULL || !teken_report_add_attachment (report, attachment, error))
        return NULL;
    }
  return g_steal_pointer (&report);
}

static gboolean
may_send (TekenOutboxEntry  *entry,
          gboolean           force,
          GError           **error)
{
  switch (entry->state)
    {
    case TEKEN_OUTBOX_STATE_SENT:
      g_set_error_literal (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_STATE, _("The report was already sent"));
      return FALSE;
    case TEKEN_OUTBOX_STATE_SENDING:
      return TRUE;   /* interrupted (we hold the lock): repeat with the same key */
    case TEKEN_OUTBOX_STATE_QUEUED:
      if (force || teken_outbox_entry_is_due (entry, NULL))
        return TRUE;
      g_set_error_literal (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_STATE,
                           _("The report is not due yet; use retry to send it now"));
      return FALSE;
    case TEKEN_OUTBOX_STATE_DRAFT:
      /* Queuing checks the report; a draft never leaves unchecked. */
      g_set_error_literal (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_STATE,
                           _("The report is a draft; queue it first"));
      return FALSE;
    case TEKEN_OUTBOX_STATE_FAILED:
    default:
      if (force)
        return TRUE;
      g_set_error_literal (error, TEKEN_OUTBOX_ERROR, TEKEN_OUTBOX_ERROR_STATE,
                           _("The report is not queued; use retry to send it"));
      return FALSE;
    }
}

TekenOutboxEntry *
teken_outbox_send_sync (TekenOutbox    *self,
                        const char     *id,
                        TekenDelivery  *delivery,
                        gboolean        force,
                        GCancellable   *cancellable,
                        GError        **error)
{
  int fd = -1;
  g_autoptr(TekenOutboxEntry) entry = load_locked (self, id, &fd, error);
  g_autoptr(TekenDeliveryMessage) msg = NULL;
  g_autoptr(GError) failure = NULL;
  g_autofree char *receipt = NULL;
  TekenDeliveryChannel channel;

  if (entry == NULL)
    return NULL;
  if (!may_send (entry, force, error))
    goto out_error;

  if (teken_ra_config_get_channel (teken_delivery_get_config (delivery), &channel, NULL))
    {
      g_free (entry->channel);
      entry->channel = g_strdup (teken_delivery_channel_to_string (channel));
    }
  /* 1. Record the attempt before any byte leaves the machine. */
  entry->attempts++;
  g_clear_pointer (&entry->next_attempt, g_date_time_unref);
  entry_transition (entry, TEKEN_OUTBOX_STATE_SENDING, NULL);
  if (!entry_save (entry, error))
    goto out_error;
  publish (self, entry);

  /* 2. Deliver, carrying the idempotency key. */
  msg = build_message (entry, &failure);
  if (msg != NULL)
    receipt = teken_delivery_send_sync (delivery, msg, cancellable, &failure);

  /* 3. Record the outcome. */
  if (receipt != NULL)
    {
      g_free (entry->receipt);
      entry->receipt = g_steal_pointer (&receipt);
      g_clear_pointer (&entry->last_error, g_free);
      entry_transition (entry, TEKEN_OUTBOX_STATE_SENT, entry->receipt);
    }
  else
    {
      gboolean transient = teken_delivery_error_is_transient (failure) ||
                           g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      g_free (entry->last_error);
      entry->last_error = g_strdup (failure->message);
      if (transient)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          entry->next_attempt = g_date_time_add (now, teken_outbox_backoff (entry->attempts));
        }
      entry_transition (entry, transient ? TEKEN_OUTBOX_STATE_QUEUED : TEKEN_OUTBOX_STATE_FAILED,
                        failure->message);
    }
  if (!entry_save (entry, error))
    goto out_error;
  close (fd);
  publish (self, entry);
  return g_steal_pointer (&entry);

out_error:
  close (fd);
  return NULL;
}

typedef struct
{
  char *id;
  TekenDelivery *delivery;
  gboolean force;
} SendData;

static void
send_data_free (SendData *d)
{
  g_free (d->id);
  g_clear_object (&d->delivery);
  g_free (d);
}

static void
send_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendData *d = task_data;
  GError *error = NULL;
  TekenOutboxEntry *entry = teken_outbox_send_sync (source, d->id, d->delivery, d->force, cancellable, &error);

  if (entry == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entry, g_object_unref);
}

void
teken_outbox_send_async (TekenOutbox         *self,
                         const char          *id,
                         TekenDelivery       *delivery,
                         gboolean             force,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SendData *d = g_new0 (SendData, 1);

  d->id = g_strdup (id);
  d->delivery = g_object_ref (delivery);
  d->force = force;
  g_task_set_source_tag (task, teken_outbox_send_async);
  g_task_set_task_data (task, d, (GDestroyNotify) send_data_free);
  g_task_run_in_thread (task, send_thread);
}

TekenOutboxEntry *
teken_outbox_send_finish (TekenOutbox   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
teken_outbox_send_due_sync (TekenOutbox    *self,
                            TekenDelivery  *delivery,
                            guint          *n_sent,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint attempted = 0, sent = 0;
  const char *name;

  dir = g_dir_open (self->dir, 0, NULL);
  if (dir == NULL)
    return io_failed (error, ENOENT, self->dir), 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && g_uuid_string_is_valid (name))
      g_ptr_array_add (ids, g_strdup (name));

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(TekenOutboxEntry) entry = teken_outbox_lookup (self, ids->pdata[i], NULL);
      g_autoptr(TekenOutboxEntry) result = NULL;
      g_autoptr(GError) local = NULL;

      if (entry == NULL || !teken_outbox_entry_is_due (entry, NULL))
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return attempted;
      result = teken_outbox_send_sync (self, entry->id, delivery, FALSE, cancellable, &local);
      if (result == NULL)
        continue;   /* busy or finished elsewhere meanwhile */
      attempted++;
      if (result->state == TEKEN_OUTBOX_STATE_SENT)
        sent++;
    }
  if (n_sent != NULL)
    *n_sent = sent;
  return attempted;
}

typedef struct
{
  guint attempted;
  guint sent;
} DueResult;

static void
due_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  DueResult *r = g_new0 (DueResult, 1);
  GError *error = NULL;

  r->attempted = teken_outbox_send_due_sync (source, task_data, &r->sent, cancellable, &error);
  if (error != NULL)
    {
      g_free (r);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, r, g_free);
}

void
teken_outbox_send_due_async (TekenOutbox         *self,
                             TekenDelivery       *delivery,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, teken_outbox_send_due_async);
  g_task_set_task_data (task, g_object_ref (delivery), g_object_unref);
  g_task_run_in_thread (task, due_thread);
}

guint
teken_outbox_send_due_finish (TekenOutbox   *self,
                              GAsyncResult  *result,
                              guint         *n_sent,
                              GError       **error)
{
  g_autofree DueResult *r = g_task_propagate_pointer (G_TASK (result), error);

  if (r == NULL)
    return 0;
  if (n_sent != NULL)
    *n_sent = r->sent;
  return r->attempted;
}

GDateTime *
teken_outbox_get_next_due (TekenOutbox *self)
{
  GListModel *model = G_LIST_MODEL (self->entries);
  GDateTime *best = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenOutboxEntry) e = g_list_model_get_item (model, i);

      if (e->state != TEKEN_OUTBOX_STATE_QUEUED || e->next_attempt == NULL)
        continue;
      if (best == NULL || g_date_time_compare (e->next_attempt, best) < 0)
        {
          g_clear_pointer (&best, g_date_time_unref);
          best = g_date_time_ref (e->next_attempt);
        }
    }
  return best;
}

TekenReport *
teken_outbox_entry_load_report (TekenOutboxEntry  *self,
                                GError           **error)
{
  return load_report (self, error);
}
