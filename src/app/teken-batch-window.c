/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>

#include "teken-batch-window.h"
#include "teken-demo.h"
#include "teken-sign-dialog.h"
#include "teken-sign-options.h"
#include "teken-signer.h"

#define STAMP_WIDTH  200.0
#define STAMP_HEIGHT  70.0
#define STAMP_MARGIN  56.0

typedef struct
{
  GFile *file;
  AdwActionRow *row;
  GtkWidget *status;             /* a label or a spinner's box */
  GtkLabel *label;
  char *text;
} BatchItem;

struct _TekenBatchWindow
{
  AdwWindow parent_instance;

  AdwComboRow *identity_row;
  AdwPasswordEntryRow *secret_row;
  GtkSwitch *visible_switch;
  GtkLabel *summary_label;
  GtkListBox *file_list;

  TekenIdentityStore *store;
  GPtrArray *items;              /* BatchItem */
  GPtrArray *identities;         /* usable TekenIdentity, as in identity_row */
  GCancellable *cancellable;
  TekenSigner *signer;
  TekenKey *key;                 /* open for the whole batch (one PIN entry) */
  TekenSecret *secret;
  char *summary;
  char *signer_name;             /* for the QR template */
  GSettings *settings;
  guint current;
  guint n_signed;
  guint n_failed;
  guint ready : 1;
  guint busy : 1;
};

G_DEFINE_FINAL_TYPE (TekenBatchWindow, teken_batch_window, ADW_TYPE_WINDOW)

enum { FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void sign_next (TekenBatchWindow *self);

static void
batch_item_free (gpointer data)
{
  BatchItem *item = data;

  g_clear_object (&item->file);
  g_free (item->text);
  g_free (item);
}

static void
set_item_status (BatchItem  *item,
                 const char *text,
                 const char *css)
{
  g_free (item->text);
  item->text = g_strdup (text);
  gtk_label_set_text (item->label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (item->label), text);
  gtk_widget_remove_css_class (GTK_WIDGET (item->label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (item->label), "success");
  if (css != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (item->label), css);
}

static void
update_actions (TekenBatchWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.sign",
                                 !self->busy && self->identities->len > 0 && self->items->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->identity_row), !self->busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->secret_row), !self->busy);
}

static void
finish (TekenBatchWindow *self,
        const char       *message)
{
  g_autofree char *summary = NULL;

  self->busy = FALSE;
  g_clear_object (&self->key);           /* logs out of the token */
  g_clear_object (&self->signer);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->secret, teken_secret_free);
  if (message != NULL)
    summary = g_strdup (message);
  else if (self->n_failed == 0)
    /* translators: %u is a number of documents */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document signed", "All %u documents signed",
                                            self->n_signed), self->n_signed);
  else
    /* translators: the numbers of documents signed and not signed */
    summary = g_strdup_printf (_("%u signed, %u failed: see the documents marked in red"), self->n_signed,
                               self->n_failed);
  g_free (self->summary);
  self->summary = g_steal_pointer (&summary);
  gtk_label_set_text (self->summary_label, self->summary);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), TRUE);
  update_actions (self);
  if (message == NULL)
    g_signal_emit (self, signals[FINISHED], 0, self->n_signed, self->n_failed);
}

static void
progress_cb (double   fraction,
             gpointer data)
{
  TekenBatchWindow *self = data;
  g_autofree char *text = NULL;

  if (self->file_list == NULL || self->current >= self->items->len)
    return;
  /* translators: a percentage of the document signed so far */
  text = g_strdup_printf (_("Signing… %d%%"), (int) (fraction * 100));
  set_item_status (self->items->pdata[self->current], text, NULL);
}

static void
sign_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TekenBatchWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  TekenPadesLevel reached = TEKEN_PADES_LEVEL_B_B;
  BatchItem *item;

  if (self->file_list == NULL)  /* closed meanwhile */
    return;
  item = self->items->pdata[self->current];
  if (teken_sign_options_sign_finish (result, &reached, &warning, &error))
    {
      g_autofree char *name = g_object_steal_data (G_OBJECT (self), "output-name");
      /* translators: the first %s is the signed copy's file name, the second a PAdES level such as B-T */
      g_autofree char *text = g_strdup_printf (_("Signed: %s (level %s)"), name,
                                               teken_pades_level_to_string (reached));

      set_item_status (item, warning ? warning : text, "success");
      self->n_signed++;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_item_status (item, _("Cancelled; nothing was written"), "error");
      self->n_failed++;
      for (guint i = self->current + 1; i < self->items->len; i++)
        set_item_status (self->items->pdata[i], _("Not signed (cancelled)"), "error");
      self->n_failed += self->items->len - self->current - 1;
      self->current = self->items->len;
      finish (self, NULL);
      return;
    }
  else
    {
      set_item_status (item, error->message, "error");
      self->n_failed++;
    }
  self->current++;
  sign_next (self);
}

/* The lower right of the last page, as the single sign dialog places it by default. */
static gboolean
place_stamp (TekenBatchWindow *self,
             GFile            *file,
             GError          **error)
{
  g_autoptr(GObject) doc_obj = (GObject *) poppler_document_new_from_gfile (file, NULL, NULL, error);
  PopplerDocument *doc = (PopplerDocument *) doc_obj;
  g_autoptr(GObject) page_obj = NULL;
  double w = 0, h = 0;
  int n;

  if (doc == NULL)
    return FALSE;
  n = poppler_document_get_n_pages (doc);
  page_obj = (GObject *) poppler_document_get_page (doc, MAX (n - 1, 0));
  if (page_obj == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The document has no pages"));
      return FALSE;
    }
  poppler_page_get_size ((PopplerPage *) page_obj, &w, &h);
  teken_signer_set_visible (self->signer, MAX (n - 1, 0), w - STAMP_WIDTH - STAMP_MARGIN, STAMP_MARGIN,
                            STAMP_WIDTH, STAMP_HEIGHT);
  return TRUE;
}

/* The preferences' stamp image and QR text (the QR's {file} is this file's name). */
static gboolean
apply_stamp_defaults (TekenBatchWindow  *self,
                      GFile             *file,
                      GError           **error)
{
  g_autofree char *name = g_file_get_basename (file);

  return teken_sign_options_apply_stamp (self->settings, self->signer, NULL, self->signer_name, name,
                                         NULL, NULL, error);
}

static void
sign_next (TekenBatchWindow *self)
{
  BatchItem *item;
  g_autoptr(GFile) output = NULL;
  g_autofree char *in_path = NULL;
  g_autofree char *out_path = NULL;
  g_autoptr(GError) error = NULL;

  while (self->current < self->items->len)
    {
      item = self->items->pdata[self->current];
      output = teken_sign_dialog_get_output_for (item->file);
      in_path = g_file_get_path (item->file);
      out_path = g_file_get_path (output);
      /* refuse bad inputs before touching anything */
      if (teken_signer_check_input (self->signer, in_path, out_path, &error))
        {
          if (!gtk_switch_get_active (self->visible_switch))
            teken_signer_set_invisible (self->signer);
          if (!gtk_switch_get_active (self->visible_switch) ||
              (place_stamp (self, item->file, &error) && apply_stamp_defaults (self, item->file, &error)))
            {
              g_object_set_data_full (G_OBJECT (self), "output-name", g_file_get_basename (output), g_free);
              set_item_status (item, _("Signing…"), NULL);
              teken_sign_options_sign_async (self->signer, in_path, out_path,
                                             g_settings_get_boolean (self->settings, "timestamp-fallback"),
                                             self->cancellable, progress_cb, self, sign_cb, g_object_ref (self));
              return;
            }
        }
      set_item_status (item, error->message, "error");
      self->n_failed++;
      self->current++;
      g_clear_error (&error);
      g_clear_object (&output);
      g_clear_pointer (&in_path, g_free);
      g_clear_pointer (&out_path, g_free);
    }
  finish (self, NULL);
}

static void
open_key_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TekenBatchWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  TekenKey *key = teken_identity_open_key_finish (TEKEN_IDENTITY (object), result, &error);

  if (self->file_list == NULL)
    {
      g_clear_object (&key);
      return;
    }
  g_clear_pointer (&self->secret, teken_secret_free);
  if (key == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
      finish (self, g_error_matches (error, TEKEN_IDENTITY_ERROR, TEKEN_IDENTITY_ERROR_NEEDS_SECRET)
                    ? _("Enter the passphrase or PIN first") : error->message);
      return;
    }
  self->key = key;
  self->signer = teken_signer_new (key);
  sign_next (self);
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TekenBatchWindow *self = TEKEN_BATCH_WINDOW (widget);
  guint index = adw_combo_row_get_selected (self->identity_row);
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  TekenIdentity *identity;

  if (self->busy || index >= self->identities->len)
    return;
  identity = self->identities->pdata[index];
  g_free (self->signer_name);
  self->signer_name = g_strdup (teken_identity_get_label (identity));
  self->busy = TRUE;
  self->current = self->n_signed = self->n_failed = 0;
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), FALSE);
  for (guint i = 0; i < self->items->len; i++)
    set_item_status (self->items->pdata[i], _("Waiting"), NULL);
  update_actions (self);
  self->secret = *typed ? teken_secret_new (typed) : NULL;
  teken_identity_open_key_async (identity, self->secret, self->cancellable, open_key_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TekenBatchWindow *self = TEKEN_BATCH_WINDOW (widget);

  if (self->busy)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
populate_identities (TekenBatchWindow *self)
{
  GListModel *model = teken_identity_store_get_identities (self->store);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_ptr_array_set_size (self->identities, 0);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TekenIdentity) identity = g_list_model_get_item (model, i);
      g_autofree char *reason = teken_sign_dialog_dup_unusable_reason (identity);
      g_autofree char *label = NULL;

      if (reason != NULL)
        continue;  /* the single sign dialog shows why; here only usable ones */
      /* translators: the holder's name and where the key lives */
      label = g_strdup_printf (_("%s — %s"), teken_identity_get_label (identity), teken_identity_get_location (identity));
      gtk_string_list_append (names, label);
      g_ptr_array_add (self->identities, g_steal_pointer (&identity));
    }
  adw_combo_row_set_model (self->identity_row, G_LIST_MODEL (names));
  update_actions (self);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TekenBatchWindow) self = user_data;

  teken_identity_store_refresh_finish (TEKEN_IDENTITY_STORE (object), result, NULL);
  if (self->file_list == NULL)
    return;
  self->ready = TRUE;
  populate_identities (self);
}

static gint
compare_files (gconstpointer a,
               gconstpointer b)
{
  g_autofree char *pa = g_file_get_path (*(GFile **) a);
  g_autofree char *pb = g_file_get_path (*(GFile **) b);

  return g_strcmp0 (pa, pb);
}

/* A folder adds its PDF files (not its subfolders), sorted; signed copies are skipped. */
static void
add_files (TekenBatchWindow *self,
           GPtrArray        *files)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = files->pdata[i];

      if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
        {
          g_autoptr(GFileEnumerator) e = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NONE, NULL, NULL);
          GFileInfo *info;
          g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);

          while (e != NULL && (info = g_file_enumerator_next_file (e, NULL, NULL)) != NULL)
            {
              const char *name = g_file_info_get_name (info);
              g_autofree char *lower = g_ascii_strdown (name, -1);

              if (g_str_has_suffix (lower, ".pdf") && !g_str_has_suffix (lower, "-signed.pdf"))
                g_ptr_array_add (found, g_file_get_child (file, name));
              g_object_unref (info);
            }
          g_ptr_array_sort (found, compare_files);
          for (guint j = 0; j < found->len; j++)
            g_ptr_array_add (all, g_object_ref (found->pdata[j]));
        }
      else
        g_ptr_array_add (all, g_object_ref (file));
    }

  for (guint i = 0; i < all->len; i++)
    {
      BatchItem *item = g_new0 (BatchItem, 1);
      g_autofree char *name = g_file_get_basename (all->pdata[i]);
      g_autoptr(GFile) parent = g_file_get_parent (all->pdata[i]);
      g_autofree char *dir = parent ? g_file_get_path (parent) : NULL;

      item->file = g_object_ref (all->pdata[i]);
      item->row = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item->row), name);
      adw_action_row_set_subtitle (item->row, dir ? dir : "");
      item->label = GTK_LABEL (gtk_label_new (""));
      gtk_label_set_ellipsize (item->label, PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_width_chars (item->label, 12);
      gtk_label_set_max_width_chars (item->label, 34);
      gtk_label_set_xalign (item->label, 1);
      adw_action_row_add_suffix (item->row, GTK_WIDGET (item->label));
      gtk_list_box_append (self->file_list, GTK_WIDGET (item->row));
      g_ptr_array_add (self->items, item);
    }
}

static gboolean
close_request_cb (TekenBatchWindow *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
teken_batch_window_dispose (GObject *object)
{
  TekenBatchWindow *self = TEKEN_BATCH_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), TEKEN_TYPE_BATCH_WINDOW);
  G_OBJECT_CLASS (teken_batch_window_parent_class)->dispose (object);
}

static void
teken_batch_window_finalize (GObject *object)
{
  TekenBatchWindow *self = TEKEN_BATCH_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->identities, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->signer);
  g_clear_object (&self->key);
  g_clear_pointer (&self->secret, teken_secret_free);
  g_free (self->summary);
  g_free (self->signer_name);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (teken_batch_window_parent_class)->finalize (object);
}

static void
teken_batch_window_class_init (TekenBatchWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_batch_window_dispose;
  object_class->finalize = teken_batch_window_finalize;
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-batch-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenBatchWindow, identity_row);
  gtk_widget_class_bind_template_child (widget_class, TekenBatchWindow, secret_row);
  gtk_widget_class_bind_template_child (widget_class, TekenBatchWindow, visible_switch);
  gtk_widget_class_bind_template_child (widget_class, TekenBatchWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TekenBatchWindow, file_list);
  gtk_widget_class_install_action (widget_class, "batch.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "batch.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "batch.cancel", NULL);
}

static void
teken_batch_window_init (TekenBatchWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->items = g_ptr_array_new_with_free_func (batch_item_free);
  self->identities = g_ptr_array_new_with_free_func (g_object_unref);
  self->settings = g_settings_new (APP_ID);
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);
  update_actions (self);
}

TekenBatchWindow *
teken_batch_window_new (GtkWindow          *parent,
                        TekenIdentityStore *store,
                        GPtrArray          *files)
{
  TekenBatchWindow *self = g_object_new (TEKEN_TYPE_BATCH_WINDOW, "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  add_files (self, files);
  teken_identity_store_refresh_async (store, NULL, refresh_cb, g_object_ref (self));
  return self;
}

gboolean
teken_batch_window_get_ready (TekenBatchWindow *self)
{
  return self->ready;
}

guint
teken_batch_window_get_n_files (TekenBatchWindow *self)
{
  return self->items->len;
}

gboolean
teken_batch_window_select_identity (TekenBatchWindow *self,
                                    const char       *id)
{
  for (guint i = 0; i < self->identities->len; i++)
    if (g_strcmp0 (teken_identity_get_id (self->identities->pdata[i]), id) == 0)
      {
        adw_combo_row_set_selected (self->identity_row, i);
        return TRUE;
      }
  return FALSE;
}

void
teken_batch_window_set_secret (TekenBatchWindow *self,
                               const char       *secret)
{
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), secret ? secret : "");
}

void
teken_batch_window_set_visible_stamp (TekenBatchWindow *self,
                                      gboolean          visible)
{
  gtk_switch_set_active (self->visible_switch, visible);
}

gboolean
teken_batch_window_get_busy (TekenBatchWindow *self)
{
  return self->busy;
}

const char *
teken_batch_window_get_status (TekenBatchWindow *self,
                               guint             i)
{
  BatchItem *item;

  g_return_val_if_fail (i < self->items->len, "");
  item = self->items->pdata[i];
  return item->text ? item->text : "";
}

const char *
teken_batch_window_get_summary (TekenBatchWindow *self)
{
  return self->summary ? self->summary : "";
}
