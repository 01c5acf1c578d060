/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-document-result.h"

struct _TekenDocumentResult
{
  GObject parent_instance;

  char *path;
  GListStore *signatures;
  gsize size;
  guint n_revisions;
  GError *error;
};

G_DEFINE_FINAL_TYPE (TekenDocumentResult, teken_document_result, G_TYPE_OBJECT)

static void
teken_document_result_finalize (GObject *object)
{
  TekenDocumentResult *self = TEKEN_DOCUMENT_RESULT (object);

  g_free (self->path);
  g_object_unref (self->signatures);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (teken_document_result_parent_class)->finalize (object);
}

static void
teken_document_result_class_init (TekenDocumentResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_document_result_finalize;
}

static void
teken_document_result_init (TekenDocumentResult *self)
{
  self->signatures = g_list_store_new (TEKEN_TYPE_SIGNATURE_RESULT);
}

const char *
teken_document_status_to_string (TekenDocumentStatus status)
{
  switch (status)
    {
    case TEKEN_DOCUMENT_STATUS_VALID: return "valid";
    case TEKEN_DOCUMENT_STATUS_INVALID: return "invalid";
    case TEKEN_DOCUMENT_STATUS_INDETERMINATE: return "indeterminate";
    case TEKEN_DOCUMENT_STATUS_UNSIGNED: return "unsigned";
    case TEKEN_DOCUMENT_STATUS_UNREADABLE:
    default: return "unreadable";
    }
}

int
teken_document_status_get_exit_code (TekenDocumentStatus status)
{
  switch (status)
    {
    case TEKEN_DOCUMENT_STATUS_VALID: return 0;
    case TEKEN_DOCUMENT_STATUS_INVALID: return 1;
    case TEKEN_DOCUMENT_STATUS_INDETERMINATE: return 2;
    case TEKEN_DOCUMENT_STATUS_UNSIGNED: return 3;
    case TEKEN_DOCUMENT_STATUS_UNREADABLE:
    default: return 4;
    }
}

TekenDocumentResult *
teken_document_result_new (const char *path)
{
  TekenDocumentResult *self = g_object_new (TEKEN_TYPE_DOCUMENT_RESULT, NULL);

  self->path = g_strdup (path);
  return self;
}

TekenDocumentResult *
teken_document_result_new_for_error (const char   *path,
                                     const GError *error)
{
  TekenDocumentResult *self = teken_document_result_new (path);

  self->error = g_error_copy (error);
  return self;
}

void
teken_document_result_add_signature (TekenDocumentResult  *self,
                                     TekenSignatureResult *signature)
{
  g_list_store_append (self->signatures, signature);
}

void
teken_document_result_set_file_info (TekenDocumentResult *self,
                                     gsize                size,
                                     guint                n_revisions)
{
  self->size = size;
  self->n_revisions = n_revisions;
}

TekenDocumentStatus
teken_document_result_get_status (TekenDocumentResult *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->signatures));
  gboolean any_signed = FALSE, any_invalid = FALSE, any_indeterminate = FALSE;

  if (self->error != NULL)
    return TEKEN_DOCUMENT_STATUS_UNREADABLE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TekenSignatureResult) sig = g_list_model_get_item (G_LIST_MODEL (self->signatures), i);

      switch (teken_signature_result_get_status (sig))
        {
        case TEKEN_SIGNATURE_STATUS_INVALID: any_invalid = any_signed = TRUE; break;
        case TEKEN_SIGNATURE_STATUS_INDETERMINATE: any_indeterminate = any_signed = TRUE; break;
        case TEKEN_SIGNATURE_STATUS_VALID: any_signed = TRUE; break;
        case TEKEN_SIGNATURE_STATUS_UNSIGNED:
        default: break;
        }
    }
  if (!any_signed)
    return TEKEN_DOCUMENT_STATUS_UNSIGNED;
  if (any_invalid)
    return TEKEN_DOCUMENT_STATUS_INVALID;
  if (any_indeterminate)
    return TEKEN_DOCUMENT_STATUS_INDETERMINATE;
  return TEKEN_DOCUMENT_STATUS_VALID;
}

TekenVerdict
teken_document_result_get_verdict (TekenDocumentResult *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->signatures));

  switch (teken_document_result_get_status (self))
    {
    case TEKEN_DOCUMENT_STATUS_VALID:
      return TEKEN_VERDICT_SIGNED_VALID;
    case TEKEN_DOCUMENT_STATUS_INVALID:
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TekenSignatureResult) sig = g_list_model_get_item (G_LIST_MODEL (self->signatures), i);

          if (teken_signature_result_get_status (sig) == TEKEN_SIGNATURE_STATUS_INVALID &&
              (teken_signature_result_has_reason (sig, TEKEN_SIGNATURE_REASON_DIGEST_MISMATCH) ||
               teken_signature_result_has_reason (sig, TEKEN_SIGNATURE_REASON_MODIFIED_DISALLOWED)))
            return TEKEN_VERDICT_CHANGED_AFTER_SIGNING;
        }
      return TEKEN_VERDICT_SIGNATURE_INVALID;
    case TEKEN_DOCUMENT_STATUS_INDETERMINATE:
      return TEKEN_VERDICT_IDENTITY_UNCONFIRMED;
    case TEKEN_DOCUMENT_STATUS_UNSIGNED:
      return TEKEN_VERDICT_UNSIGNED;
    case TEKEN_DOCUMENT_STATUS_UNREADABLE:
    default:
      return TEKEN_VERDICT_UNREADABLE;
    }
}

const char *
teken_verdict_get_text (TekenVerdict verdict)
{
  switch (verdict)
    {
    case TEKEN_VERDICT_SIGNED_VALID: return _("Signed and all signatures are valid");
    case TEKEN_VERDICT_CHANGED_AFTER_SIGNING: return _("The document was changed after it was signed");
    case TEKEN_VERDICT_SIGNATURE_INVALID: return _("Signature is not valid");
    case TEKEN_VERDICT_IDENTITY_UNCONFIRMED: return _("The signer’s identity could not be confirmed");
    case TEKEN_VERDICT_UNSIGNED: return _("The document is not signed");
    case TEKEN_VERDICT_UNREADABLE:
    default: return _("The document could not be read");
    }
}

const char *
teken_document_result_get_verdict_text (TekenDocumentResult *self)
{
  return teken_verdict_get_text (teken_document_result_get_verdict (self));
}

const char *teken_document_result_get_path (TekenDocumentResult *self) { return self->path; }
GListModel *teken_document_result_get_signatures (TekenDocumentResult *self) { return G_LIST_MODEL (self->signatures); }
guint teken_document_result_get_n_revisions (TekenDocumentResult *self) { return self->n_revisions; }
gsize teken_document_result_get_file_size (TekenDocumentResult *self) { return self->size; }
const GError *teken_document_result_get_error (TekenDocumentResult *self) { return self->error; }

guint
teken_document_result_get_n_signed (TekenDocumentResult *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->signatures)), count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TekenSignatureResult) sig = g_list_model_get_item (G_LIST_MODEL (self->signatures), i);

      if (teken_signature_result_get_status (sig) != TEKEN_SIGNATURE_STATUS_UNSIGNED)
        count++;
    }
  return count;
}
