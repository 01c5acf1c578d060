/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-signature-bar.h"
#include "teken-signature-util.h"
#include "teken-verifier.h"

struct _TekenSignatureBar
{
  GtkWidget parent_instance;

  GtkRevealer *revealer;
  GtkWidget *box;
  GtkSpinner *spinner;
  GtkImage *icon;
  GtkLabel *label;
  GtkLabel *detail_label;
  GtkButton *button;

  const char *style;
};

G_DEFINE_FINAL_TYPE (TekenSignatureBar, teken_signature_bar, GTK_TYPE_WIDGET)

static const char *styles[] = { "success", "warning", "error", "neutral", "checking" };

static void
show_state (TekenSignatureBar *self,
            const char        *style,
            const char        *icon_name,
            const char        *text,
            const char        *detail,
            gboolean           show_button)
{
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (self->box, styles[i]);
  gtk_widget_add_css_class (self->box, style);
  self->style = style;

  gtk_spinner_set_spinning (self->spinner, icon_name == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), icon_name == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), icon_name != NULL);
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_label_set_text (self->label, text);
  gtk_label_set_text (self->detail_label, detail ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->button), show_button);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
teken_signature_bar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TEKEN_TYPE_SIGNATURE_BAR);
  /* Template children without an id are not cleared by dispose_template (GTK 4.8). */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (teken_signature_bar_parent_class)->dispose (object);
}

static void
teken_signature_bar_class_init (TekenSignatureBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teken_signature_bar_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tekensignaturebar");
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/teken/Teken/ui/teken-signature-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureBar, revealer);
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureBar, box);
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureBar, spinner);
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureBar, icon);
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureBar, label);
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureBar, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TekenSignatureBar, button);
}

static void
teken_signature_bar_init (TekenSignatureBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
teken_signature_bar_set_checking (TekenSignatureBar *self)
{
  g_return_if_fail (TEKEN_IS_SIGNATURE_BAR (self));

  show_state (self, "checking", NULL, _("Checking signatures…"), NULL, FALSE);
}

void
teken_signature_bar_set_result (TekenSignatureBar   *self,
                                TekenDocumentResult *result)
{
  TekenVerdict verdict;
  guint n_signed;
  g_autofree char *detail = NULL;

  g_return_if_fail (TEKEN_IS_SIGNATURE_BAR (self));
  g_return_if_fail (TEKEN_IS_DOCUMENT_RESULT (result));

  verdict = teken_document_result_get_verdict (result);
  n_signed = teken_document_result_get_n_signed (result);
  if (n_signed > 0)
    /* translators: shown next to the verdict */
    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u signature", "%u signatures", n_signed), n_signed);
  show_state (self, teken_verdict_get_style_class (verdict), teken_verdict_get_icon_name (verdict),
              teken_document_result_get_verdict_text (result), detail, n_signed > 0);
}

void
teken_signature_bar_set_error (TekenSignatureBar *self,
                               const GError      *error)
{
  g_return_if_fail (TEKEN_IS_SIGNATURE_BAR (self));

  if (g_error_matches (error, TEKEN_VERIFY_ERROR, TEKEN_VERIFY_ERROR_ENCRYPTED))
    show_state (self, "warning", "channel-secure-symbolic",
                _("Signatures in encrypted documents cannot be checked yet"), NULL, FALSE);
  else
    show_state (self, "warning", "dialog-warning-symbolic",
                _("The signatures could not be checked"), error ? error->message : NULL, FALSE);
}

void
teken_signature_bar_set_revision (TekenSignatureBar *self,
                                  const char        *signer)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TEKEN_IS_SIGNATURE_BAR (self));

  if (signer != NULL)
    /* translators: %s is the name of a signer */
    text = g_strdup_printf (_("This is the version signed by %s, shown read-only"), signer);
  else
    text = g_strdup (_("This is the signed version, shown read-only"));
  show_state (self, "neutral", "document-properties-symbolic", text, NULL, FALSE);
}

void
teken_signature_bar_hide (TekenSignatureBar *self)
{
  g_return_if_fail (TEKEN_IS_SIGNATURE_BAR (self));

  self->style = NULL;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_label_set_text (self->label, "");
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
}

const char *
teken_signature_bar_get_text (TekenSignatureBar *self)
{
  g_return_val_if_fail (TEKEN_IS_SIGNATURE_BAR (self), NULL);

  return gtk_label_get_text (self->label);
}

const char *
teken_signature_bar_get_style (TekenSignatureBar *self)
{
  g_return_val_if_fail (TEKEN_IS_SIGNATURE_BAR (self), NULL);

  return self->style;
}
