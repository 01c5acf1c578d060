/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "teken-signature-list.h"
#include "teken-signature-util.h"
#include "teken-verifier.h"

struct _TekenSignatureList
{
  GtkWidget parent_instance;

  GtkStack *stack;
  GtkListBox *list;
  AdwStatusPage *error_page;

  TekenDocumentResult *result;
};

G_DEFINE_FINAL_TYPE (TekenSignatureList, teken_signature_list, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SIGNATURE_ACTIVATED,
  SIGNAL_DETAILS_REQUESTED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static char *
describe_time (TekenSignatureResult *signature)
{
  g_autofree char *when = NULL;

  if (teken_signature_result_get_signing_time (signature) == NULL)
    return NULL;
  when = teken_format_date_time (teken_signature_result_get_signing_time (signature));
  if (teken_signature_result_get_time_source (signature) == TEKEN_TIME_SOURCE_TIMESTAMP)
    /* translators: %s is a date and time confirmed by a timestamp authority */
    return g_strdup_printf (_("%s (timestamp)"), when);
  return g_steal_pointer (&when);
}

static void
details_clicked_cb (GtkButton          *button,
                    TekenSignatureList *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  g_signal_emit (self, signals[SIGNAL_DETAILS_REQUESTED], 0, index);
}

static GtkWidget *
create_row (TekenSignatureList   *self,
            TekenSignatureResult *signature,
            guint                 index)
{
  TekenSignatureStatus status = teken_signature_result_get_status (signature);
  const char *signer = teken_signature_result_get_signer_name (signature);
  g_autofree char *time = describe_time (signature);
  g_autofree char *subtitle = NULL;
  g_autofree char *details_label = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (teken_signature_status_get_icon_name (status));
  GtkWidget *button;

  if (status == TEKEN_SIGNATURE_STATUS_UNSIGNED)
    {
      /* translators: %s is the name of an empty signature field */
      g_autofree char *title = g_strdup_printf (_("Empty field “%s”"), teken_signature_result_get_field_name (signature));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      subtitle = g_strdup (_("Not signed yet"));
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), signer ? signer : _("Unknown signer"));
      subtitle = time ? g_strdup_printf ("%s\n%s", teken_signature_result_get_summary_text (signature), time)
                      : g_strdup (teken_signature_result_get_summary_text (signature));
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);

  gtk_widget_add_css_class (icon, teken_signature_status_get_style_class (status));
  gtk_widget_add_css_class (icon, "signature-status-icon");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  teken_signature_result_get_summary_text (signature), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  button = gtk_button_new_from_icon_name ("go-next-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Signature Details"));
  /* translators: accessible name of the details button; %s is the signer */
  details_label = g_strdup_printf (_("Details of the signature by %s"), signer ? signer : teken_signature_result_get_field_name (signature));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, details_label, -1);
  g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (index));
  g_signal_connect (button, "clicked", G_CALLBACK (details_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static void
clear_rows (TekenSignatureList *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
}

static void
row_activated_cb (GtkListBox         *list,
                  GtkListBoxRow      *row,
                  TekenSignatureList *self)
{
  g_autoptr(TekenSignatureResult) signature = NULL;

  if (self->result == NULL)
    return;
  signature = g_list_model_get_item (teken_document_result_get_signatures (self->result),
                                     gtk_list_box_row_get_index (row));
  if (signature != NULL)
    g_signal_emit (self, signals[SIGNAL_SIGNATURE_ACTIVATED], 0, signature);
}

static GtkListBoxRow *
get_row (TekenSignatureList *self,
         guint               index)
{
  return gtk_list_box_get_row_at_index (self->list, index);
}

static void
teken_signature_list_dispose (GObject *object)
{
  TekenSignatureList *self = TEKEN_SIGNATURE_LIST (object);

  g_clear_object (&self->result);
  gtk_widget_dispose_template (GTK_WIDGET (object), TEKEN_TYPE_SIGNATURE_LIST);
  /* Template children without an id are not cleared by dispose_template (GTK 4.8). */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (teken_signature_list_parent_class)->dispose (object);
}

static void
teken_signature_list_class_init (TekenSignatureListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_signature_list_dispose;

  signals[SIGNAL_SIGNATURE_ACTIVATED] =
    g_signal_new ("signature-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TEKEN_TYPE_SIGNATURE_RESULT);
  signals[SIGNAL_DETAILS_REQUESTED] =
    g_signal_new ("details-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-signature-list.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureList, stack);
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureList, list);
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureList, error_page);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
teken_signature_list_init (TekenSignatureList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
teken_signature_list_set_checking (TekenSignatureList *self)
{
  g_return_if_fail (TEKEN_IS_SIGNATURE_LIST (self));

  g_clear_object (&self->result);
  clear_rows (self);
  gtk_stack_set_visible_child_name (self->stack, "checking");
}

void
teken_signature_list_set_result (TekenSignatureList  *self,
                                 TekenDocumentResult *result,
                                 const GError        *error)
{
  GListModel *signatures;
  guint n;

  g_return_if_fail (TEKEN_IS_SIGNATURE_LIST (self));

  g_clear_object (&self->result);
  clear_rows (self);
  if (result == NULL)
    {
      if (g_error_matches (error, TEKEN_VERIFY_ERROR, TEKEN_VERIFY_ERROR_ENCRYPTED))
        adw_status_page_set_description (self->error_page, _("Signatures in encrypted documents cannot be checked yet."));
      else
        adw_status_page_set_description (self->error_page, error ? error->message : NULL);
      gtk_stack_set_visible_child_name (self->stack, error ? "error" : "empty");
      return;
    }

  self->result = g_object_ref (result);
  signatures = teken_document_result_get_signatures (result);
  n = g_list_model_get_n_items (signatures);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TekenSignatureResult) signature = g_list_model_get_item (signatures, i);

      gtk_list_box_append (self->list, create_row (self, signature, i));
    }
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

guint
teken_signature_list_get_n_rows (TekenSignatureList *self)
{
  guint n = 0;

  g_return_val_if_fail (TEKEN_IS_SIGNATURE_LIST (self), 0);

  while (get_row (self, n) != NULL)
    n++;
  return n;
}

const char *
teken_signature_list_get_row_title (TekenSignatureList *self,
                                    guint               index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (TEKEN_IS_SIGNATURE_LIST (self), NULL);

  row = get_row (self, index);
  return row ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : NULL;
}

const char *
teken_signature_list_get_row_subtitle (TekenSignatureList *self,
                                       guint               index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (TEKEN_IS_SIGNATURE_LIST (self), NULL);

  row = get_row (self, index);
  return row ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;
}

void
teken_signature_list_activate_row (TekenSignatureList *self,
                                   guint               index)
{
  GtkListBoxRow *row;

  g_return_if_fail (TEKEN_IS_SIGNATURE_LIST (self));

  row = get_row (self, index);
  if (row != NULL)
    g_signal_emit_by_name (self->list, "row-activated", row);
}
