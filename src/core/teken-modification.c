/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-modification.h"


#define MAX_WALK_OBJECTS 2000000
#define MAX_DIRECT_DEPTH 64

/* Roles used while walking; the public ones plus a few internal refinements. */
enum
{
  ROLE_ANNOTS_ARRAY = 100,   /* a page's /Annots array: shown as "annotation" */
  ROLE_FORM_DR,              /* AcroForm /DR: shown as "acroform" */
  ROLE_SIG_APPEARANCE,       /* appearance of a signature widget: shown as "appearance" */
  ROLE_FIELD_APPEARANCE,     /* appearance of a form field widget */
};

G_DEFINE_BOXED_TYPE (TekenChange, teken_change, teken_change_copy, teken_change_free)

TekenChange *
teken_change_copy (const TekenChange *change)
{
  TekenChange *copy = g_new (TekenChange, 1);

  *copy = *change;
  copy->detail = g_strdup (change->detail);
  return copy;
}

void
teken_change_free (TekenChange *change)
{
  if (change == NULL)
    return;
  g_free (change->detail);
  g_free (change);
}

const char *
teken_modification_level_to_string (TekenModificationLevel level)
{
  switch (level)
    {
    case TEKEN_MODIFICATION_ALLOWED: return "allowed";
    case TEKEN_MODIFICATION_DISALLOWED: return "disallowed";
    case TEKEN_MODIFICATION_NONE:
    default: return "none";
    }
}

static const struct { const char *id; const char *label; } role_info[] = {
  { "other", N_("other object") },
  { "catalog", N_("document catalog") },
  { "page-tree", N_("page tree") },
  { "page", N_("page") },
  { "page-content", N_("page content") },
  { "resources", N_("page resources") },
  { "font", N_("font") },
  { "xobject", N_("image or embedded graphic") },
  { "annotation", N_("annotation") },
  { "form-field", N_("form field") },
  { "form-field-value", N_("form field value") },
  { "appearance", N_("appearance") },
  { "signature-field", N_("signature field") },
  { "signature", N_("signature") },
  { "acroform", N_("form definition") },
  { "dss", N_("validation data") },
  { "document-timestamp", N_("document timestamp") },
  { "metadata", N_("metadata") },
  { "file-structure", N_("file structure") },
};

const char *
teken_change_role_to_string (TekenChangeRole role)
{
  if ((guint) role >= G_N_ELEMENTS (role_info))
    return "other";
  return role_info[role].id;
}

const char *
teken_change_role_get_label (TekenChangeRole role)
{
  if ((guint) role >= G_N_ELEMENTS (role_info))
    return _("other object");
  return _(role_info[role].label);
}

static TekenChangeRole
public_role (int role)
{
  switch (role)
    {
    case ROLE_ANNOTS_ARRAY: return TEKEN_CHANGE_ROLE_ANNOTATION;
    case ROLE_FORM_DR: return TEKEN_CHANGE_ROLE_ACROFORM;
    case ROLE_SIG_APPEARANCE:
    case ROLE_FIELD_APPEARANCE: return TEKEN_CHANGE_ROLE_APPEARANCE;
    default: return (TekenChangeRole) role;
    }
}

/* Which role wins when an object plays several: the one whose change matters most. */
static int
role_rank (int role)
{
  switch (role)
    {
    case TEKEN_CHANGE_ROLE_CATALOG:
    case TEKEN_CHANGE_ROLE_PAGE_TREE:
    case TEKEN_CHANGE_ROLE_PAGE:
    case TEKEN_CHANGE_ROLE_PAGE_CONTENT: return 10;
    case TEKEN_CHANGE_ROLE_RESOURCES:
    case TEKEN_CHANGE_ROLE_FONT:
    case TEKEN_CHANGE_ROLE_XOBJECT: return 9;
    case TEKEN_CHANGE_ROLE_OTHER: return 8;
    case TEKEN_CHANGE_ROLE_SIGNATURE: return 7;
    case TEKEN_CHANGE_ROLE_ANNOTATION:
    case ROLE_ANNOTS_ARRAY: return 6;
    case TEKEN_CHANGE_ROLE_FORM_FIELD: return 6;
    case TEKEN_CHANGE_ROLE_SIGNATURE_FIELD: return 5;
    case TEKEN_CHANGE_ROLE_APPEARANCE:
    case ROLE_FIELD_APPEARANCE: return 5;
    case ROLE_SIG_APPEARANCE: return 4;
    case TEKEN_CHANGE_ROLE_FORM_FIELD_VALUE: return 4;
    case TEKEN_CHANGE_ROLE_ACROFORM:
    case ROLE_FORM_DR: return 3;
    case TEKEN_CHANGE_ROLE_DSS:
    case TEKEN_CHANGE_ROLE_DOCUMENT_TIMESTAMP: return 2;
    case TEKEN_CHANGE_ROLE_METADATA: return 1;
    default: return 8;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The role of every object reachable from the catalog and /Info. */

typedef struct
{
  TekenPdfDocument *doc;
  GHashTable *roles;     /* num → role + 1 */
  GQueue queue;          /* pairs: num, role */
  guint visits;
  gboolean overflow;
} Walk;

static void walk_value (Walk *walk, TekenPdfObject *value, int role, int depth);

static void
enqueue (Walk *walk,
         guint num,
         int   role)
{
  gpointer old = g_hash_table_lookup (walk->roles, GUINT_TO_POINTER (num));

  if (old != NULL && role_rank (GPOINTER_TO_INT (old) - 1) >= role_rank (role))
    return;
  if (++walk->visits > MAX_WALK_OBJECTS)
    {
      walk->overflow = TRUE;
      return;
    }
  g_hash_table_insert (walk->roles, GUINT_TO_POINTER (num), GINT_TO_POINTER (role + 1));
  g_queue_push_tail (&walk->queue, GUINT_TO_POINTER (num));
  g_queue_push_tail (&walk->queue, GINT_TO_POINTER (role));
}

/* The role of dict[key] given the role of dict. -1: do not follow (back links). */
static int
child_role (TekenPdfObject *dict,
            int             role,
            const char     *key)
{
  /* Back links and links that point at pages from elsewhere. */
  if (g_str_equal (key, "Parent") || g_str_equal (key, "P") || g_str_equal (key, "Data") ||
      g_str_equal (key, "Dest") || g_str_equal (key, "D") || g_str_equal (key, "Prev") ||
      g_str_equal (key, "Next") || g_str_equal (key, "First") || g_str_equal (key, "Last") ||
      g_str_equal (key, "StructParent") || g_str_equal (key, "StructParents") || g_str_equal (key, "Pg") ||
      (g_str_equal (key, "Obj") && role == TEKEN_CHANGE_ROLE_METADATA))
    return -1;

  switch (role)
    {
    case TEKEN_CHANGE_ROLE_CATALOG:
      if (g_str_equal (key, "Pages")) return TEKEN_CHANGE_ROLE_PAGE_TREE;
      if (g_str_equal (key, "AcroForm")) return TEKEN_CHANGE_ROLE_ACROFORM;
      if (g_str_equal (key, "DSS")) return TEKEN_CHANGE_ROLE_DSS;
      if (g_str_equal (key, "Metadata")) return TEKEN_CHANGE_ROLE_METADATA;
      if (g_str_equal (key, "Perms")) return TEKEN_CHANGE_ROLE_SIGNATURE;
      /* The structure tree (tags) is not drawn; it points at annotations and pages. */
      if (g_str_equal (key, "StructTreeRoot") || g_str_equal (key, "MarkInfo")) return TEKEN_CHANGE_ROLE_METADATA;
      return TEKEN_CHANGE_ROLE_OTHER;
    case TEKEN_CHANGE_ROLE_PAGE_TREE:
    case TEKEN_CHANGE_ROLE_PAGE:
      if (g_str_equal (key, "Kids")) return TEKEN_CHANGE_ROLE_PAGE_TREE;
      if (g_str_equal (key, "Contents")) return TEKEN_CHANGE_ROLE_PAGE_CONTENT;
      if (g_str_equal (key, "Resources")) return TEKEN_CHANGE_ROLE_RESOURCES;
      if (g_str_equal (key, "Annots")) return ROLE_ANNOTS_ARRAY;
      return role == TEKEN_CHANGE_ROLE_PAGE ? TEKEN_CHANGE_ROLE_PAGE : TEKEN_CHANGE_ROLE_PAGE_TREE;
    case TEKEN_CHANGE_ROLE_RESOURCES:
      if (g_str_equal (key, "Font")) return TEKEN_CHANGE_ROLE_FONT;
      if (g_str_equal (key, "XObject")) return TEKEN_CHANGE_ROLE_XOBJECT;
      return TEKEN_CHANGE_ROLE_RESOURCES;
    case TEKEN_CHANGE_ROLE_XOBJECT:
      if (g_str_equal (key, "Resources")) return TEKEN_CHANGE_ROLE_RESOURCES;
      return TEKEN_CHANGE_ROLE_XOBJECT;
    case TEKEN_CHANGE_ROLE_ACROFORM:
      if (g_str_equal (key, "Fields")) return TEKEN_CHANGE_ROLE_ACROFORM;
      if (g_str_equal (key, "DR")) return ROLE_FORM_DR;
      return TEKEN_CHANGE_ROLE_ACROFORM;
    case TEKEN_CHANGE_ROLE_FORM_FIELD:
      if (g_str_equal (key, "V")) return TEKEN_CHANGE_ROLE_FORM_FIELD_VALUE;
      if (g_str_equal (key, "AP")) return ROLE_FIELD_APPEARANCE;
      if (g_str_equal (key, "Kids")) return TEKEN_CHANGE_ROLE_FORM_FIELD;
      return TEKEN_CHANGE_ROLE_FORM_FIELD;
    case TEKEN_CHANGE_ROLE_SIGNATURE_FIELD:
      if (g_str_equal (key, "V") || g_str_equal (key, "Lock") || g_str_equal (key, "SV"))
        return TEKEN_CHANGE_ROLE_SIGNATURE;
      if (g_str_equal (key, "AP")) return ROLE_SIG_APPEARANCE;
      if (g_str_equal (key, "Kids")) return TEKEN_CHANGE_ROLE_SIGNATURE_FIELD;
      return TEKEN_CHANGE_ROLE_SIGNATURE_FIELD;
    case TEKEN_CHANGE_ROLE_ANNOTATION:
      if (g_str_equal (key, "AP")) return TEKEN_CHANGE_ROLE_APPEARANCE;
      return TEKEN_CHANGE_ROLE_ANNOTATION;
    default:
      return role;  /* everything below keeps the role */
    }
}

/* A field's type, inherited through /Parent (bounded). */
static char *
field_type (TekenPdfDocument *doc,
            TekenPdfObject   *field)
{
  g_autoptr(TekenPdfObject) cur = teken_pdf_object_ref (field);

  for (int i = 0; i < 32 && cur != NULL; i++)
    {
      TekenPdfObject *ft = teken_pdf_dict_get (cur, "FT");
      TekenPdfObject *parent_ref = teken_pdf_dict_get (cur, "Parent");
      TekenPdfObject *next;

      if (ft != NULL && teken_pdf_object_get_kind (ft) == TEKEN_PDF_NAME)
        return g_strdup (teken_pdf_object_get_name (ft));
      if (parent_ref == NULL)
        break;
      next = teken_pdf_document_resolve (doc, parent_ref, NULL);
      g_clear_pointer (&cur, teken_pdf_object_unref);
      cur = next;
      if (cur == NULL || teken_pdf_object_get_kind (cur) != TEKEN_PDF_DICT)
        break;
    }
  return NULL;
}

/* Roles that depend on the indirect object itself rather than on where it was found. */
static int
refine_role (Walk           *walk,
             TekenPdfObject *obj,
             int             role)
{
  TekenPdfObject *type = teken_pdf_dict_get (obj, "Type");

  if (role == TEKEN_CHANGE_ROLE_PAGE_TREE && teken_pdf_object_is_name (type, "Page"))
    return TEKEN_CHANGE_ROLE_PAGE;
  if (role == TEKEN_CHANGE_ROLE_SIGNATURE && teken_pdf_object_is_name (type, "DocTimeStamp"))
    return TEKEN_CHANGE_ROLE_DOCUMENT_TIMESTAMP;
  if (role == TEKEN_CHANGE_ROLE_ACROFORM && teken_pdf_dict_get (obj, "Fields") != NULL)
    return role;
  if (role == TEKEN_CHANGE_ROLE_ACROFORM || role == TEKEN_CHANGE_ROLE_FORM_FIELD ||
      role == TEKEN_CHANGE_ROLE_SIGNATURE_FIELD || role == TEKEN_CHANGE_ROLE_ANNOTATION)
    {
      g_autofree char *ft = NULL;

      if (role == TEKEN_CHANGE_ROLE_ANNOTATION &&
          !teken_pdf_object_is_name (teken_pdf_dict_get (obj, "Subtype"), "Widget"))
        return role;
      ft = field_type (walk->doc, obj);
      if (ft == NULL)
        return role == TEKEN_CHANGE_ROLE_ANNOTATION ? role : TEKEN_CHANGE_ROLE_FORM_FIELD;
      return g_str_equal (ft, "Sig") ? TEKEN_CHANGE_ROLE_SIGNATURE_FIELD : TEKEN_CHANGE_ROLE_FORM_FIELD;
    }
  return role;
}

static void
walk_dict (Walk           *walk,
           TekenPdfObject *dict,
           int             role,
           int             depth)
{
  guint n = teken_pdf_dict_get_size (dict);

  for (guint i = 0; i < n; i++)
    {
      const char *key = teken_pdf_dict_get_key (dict, i);
      int sub = child_role (dict, role, key);

      if (sub >= 0)
        walk_value (walk, teken_pdf_dict_get_value (dict, i), sub, depth + 1);
    }
}

static void
walk_value (Walk           *walk,
            TekenPdfObject *value,
            int             role,
            int             depth)
{
  if (value == NULL || depth > MAX_DIRECT_DEPTH || walk->overflow)
    return;
  switch (teken_pdf_object_get_kind (value))
    {
    case TEKEN_PDF_REFERENCE:
      enqueue (walk, teken_pdf_object_get_ref_num (value), role);
      break;
    case TEKEN_PDF_ARRAY:
      for (guint i = 0; i < teken_pdf_array_get_length (value); i++)
        walk_value (walk, teken_pdf_array_get (value, i),
                    role == ROLE_ANNOTS_ARRAY ? TEKEN_CHANGE_ROLE_ANNOTATION : role, depth + 1);
      break;
    case TEKEN_PDF_DICT:
      walk_dict (walk, value, role == ROLE_ANNOTS_ARRAY ? TEKEN_CHANGE_ROLE_ANNOTATION : role, depth);
      break;
    case TEKEN_PDF_STREAM:
      walk_dict (walk, teken_pdf_stream_get_dict (value), role, depth);
      break;
    default:
      break;
    }
}

static GHashTable *
compute_roles (TekenPdfDocument  *doc,
               GCancellable      *cancellable,
               GError           **error)
{
  Walk walk = { doc, g_hash_table_new (NULL, NULL), G_QUEUE_INIT, 0, FALSE };
  TekenPdfObject *trailer = teken_pdf_document_get_trailer (doc);
  TekenPdfObject *root = teken_pdf_dict_get (trailer, "Root");
  TekenPdfObject *info = teken_pdf_dict_get (trailer, "Info");

  if (root != NULL && teken_pdf_object_get_kind (root) == TEKEN_PDF_REFERENCE)
    enqueue (&walk, teken_pdf_object_get_ref_num (root), TEKEN_CHANGE_ROLE_CATALOG);
  if (info != NULL && teken_pdf_object_get_kind (info) == TEKEN_PDF_REFERENCE)
    enqueue (&walk, teken_pdf_object_get_ref_num (info), TEKEN_CHANGE_ROLE_METADATA);

  while (!g_queue_is_empty (&walk.queue) && !walk.overflow)
    {
      guint num = GPOINTER_TO_UINT (g_queue_pop_head (&walk.queue));
      int role = GPOINTER_TO_INT (g_queue_pop_head (&walk.queue));
      g_autoptr(TekenPdfObject) obj = NULL;
      int refined;

      if (GPOINTER_TO_INT (g_hash_table_lookup (walk.roles, GUINT_TO_POINTER (num))) - 1 != role)
        continue;  /* upgraded since: the stricter visit is queued */
      if (g_cancellable_is_cancelled (cancellable))
        break;
      obj = teken_pdf_document_get_object (doc, num, NULL);
      if (obj == NULL)
        continue;
      /* Pages get their role from the page tree only: links to a page (/OpenAction, outlines,
       * link annotations, name trees) must not give the page and all it holds their role. */
      if (teken_pdf_object_get_kind (obj) == TEKEN_PDF_DICT &&
          role != TEKEN_CHANGE_ROLE_PAGE_TREE && role != TEKEN_CHANGE_ROLE_PAGE &&
          (teken_pdf_object_is_name (teken_pdf_dict_get (obj, "Type"), "Page") ||
           teken_pdf_object_is_name (teken_pdf_dict_get (obj, "Type"), "Pages")))
        {
          g_hash_table_remove (walk.roles, GUINT_TO_POINTER (num));
          continue;
        }
      refined = role;
      if (teken_pdf_object_get_kind (obj) == TEKEN_PDF_DICT)
        refined = refine_role (&walk, obj, role);
      if (refined != role)
        {
          g_hash_table_insert (walk.roles, GUINT_TO_POINTER (num), GINT_TO_POINTER (refined + 1));
          role = refined;
        }
      if (teken_pdf_object_get_kind (obj) == TEKEN_PDF_STREAM)
        walk_dict (&walk, teken_pdf_stream_get_dict (obj), role, 0);
      else if (teken_pdf_object_get_kind (obj) == TEKEN_PDF_DICT)
        walk_dict (&walk, obj, role, 0);
      else
        walk_value (&walk, obj, role, 0);
    }
  g_queue_clear (&walk.queue);
  if (walk.overflow || g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      if (walk.overflow)
        g_set_error_literal (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT,
                             _("The document has too many objects to compare"));
      g_hash_table_unref (walk.roles);
      return NULL;
    }
  return walk.roles;
}

static int
lookup_role (GHashTable *roles,
             guint       num)
{
  gpointer v = g_hash_table_lookup (roles, GUINT_TO_POINTER (num));

  return v ? GPOINTER_TO_INT (v) - 1 : -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Checks of changed objects */

/* Structural equality where numbers may differ by rounding: writers re-print reals with fewer
 * digits (609.448818897638 → 609.4488); a thousandth of a point changes nothing on the page. */
static gboolean
equivalent (const TekenPdfObject *a,
            const TekenPdfObject *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  if (teken_pdf_object_is_number (a) && teken_pdf_object_is_number (b))
    return ABS (teken_pdf_object_get_number (a) - teken_pdf_object_get_number (b)) <= 1e-3;
  if (teken_pdf_object_get_kind (a) != teken_pdf_object_get_kind (b))
    return FALSE;
  switch (teken_pdf_object_get_kind (a))
    {
    case TEKEN_PDF_ARRAY:
      if (teken_pdf_array_get_length (a) != teken_pdf_array_get_length (b))
        return FALSE;
      for (guint i = 0; i < teken_pdf_array_get_length (a); i++)
        if (!equivalent (teken_pdf_array_get (a, i), teken_pdf_array_get (b, i)))
          return FALSE;
      return TRUE;
    case TEKEN_PDF_DICT:
      if (teken_pdf_dict_get_size (a) != teken_pdf_dict_get_size (b))
        return FALSE;
      for (guint i = 0; i < teken_pdf_dict_get_size (a); i++)
        if (!equivalent (teken_pdf_dict_get_value (a, i), teken_pdf_dict_get (b, teken_pdf_dict_get_key (a, i))))
          return FALSE;
      return TRUE;
    case TEKEN_PDF_STREAM:
      return equivalent (teken_pdf_stream_get_dict (a), teken_pdf_stream_get_dict (b)) &&
             g_bytes_equal (teken_pdf_stream_get_raw (a), teken_pdf_stream_get_raw (b));
    default:
      return teken_pdf_object_equal (a, b);
    }
}

typedef struct
{
  TekenPdfDocument *old_doc;
  TekenPdfDocument *new_doc;
  const TekenModificationPermissions *perms;
  GHashTable *old_roles;
  GHashTable *new_roles;
  GPtrArray *changes;
  gboolean disallowed;
} Compare;

static void
record (Compare         *cmp,
        guint            num,
        guint            gen,
        TekenChangeRole  role,
        gboolean         allowed,
        gboolean         added,
        guint            revision,
        const char      *detail)
{
  TekenChange change = { num, gen, role, allowed, added, revision, (char *) detail };

  if (cmp->changes != NULL)
    g_ptr_array_add (cmp->changes, teken_change_copy (&change));
  if (!allowed)
    cmp->disallowed = TRUE;
}

/* TRUE when every key that differs between a and b (dicts) is in `allowed`. */
static gboolean
only_keys_differ (TekenPdfObject     *a,
                  TekenPdfObject     *b,
                  const char * const *allowed)
{
  for (int pass = 0; pass < 2; pass++)
    {
      TekenPdfObject *x = pass ? b : a, *y = pass ? a : b;

      for (guint i = 0; i < teken_pdf_dict_get_size (x); i++)
        {
          const char *key = teken_pdf_dict_get_key (x, i);

          if (g_strv_contains (allowed, key))
            continue;
          if (!equivalent (teken_pdf_dict_get_value (x, i), teken_pdf_dict_get (y, key)))
            return FALSE;
        }
    }
  return TRUE;
}

static TekenPdfObject *
as_dict (TekenPdfObject *obj)
{
  if (obj == NULL)
    return NULL;
  if (teken_pdf_object_get_kind (obj) == TEKEN_PDF_STREAM)
    return teken_pdf_stream_get_dict (obj);
  return teken_pdf_object_get_kind (obj) == TEKEN_PDF_DICT ? obj : NULL;
}

/* TRUE when every element of old_arr is still in new_arr (after resolving the containers). */
static gboolean
array_grows (TekenPdfObject *old_arr,
             TekenPdfObject *new_arr)
{
  if (old_arr == NULL)
    return TRUE;
  if (new_arr == NULL || teken_pdf_object_get_kind (old_arr) != TEKEN_PDF_ARRAY ||
      teken_pdf_object_get_kind (new_arr) != TEKEN_PDF_ARRAY)
    return FALSE;
  for (guint i = 0; i < teken_pdf_array_get_length (old_arr); i++)
    {
      gboolean found = FALSE;

      for (guint k = 0; k < teken_pdf_array_get_length (new_arr) && !found; k++)
        found = equivalent (teken_pdf_array_get (old_arr, i), teken_pdf_array_get (new_arr, k));
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* The entries of new_arr that old_arr does not have are references to objects whose role (in the
 * new document) is acceptable for `what`: signature fields; with P=3 also annotations. */
static gboolean
additions_allowed (Compare        *cmp,
                   TekenPdfObject *old_arr,
                   TekenPdfObject *new_arr,
                   gboolean        annots)
{
  for (guint k = 0; k < teken_pdf_array_get_length (new_arr); k++)
    {
      TekenPdfObject *item = teken_pdf_array_get (new_arr, k);
      gboolean existed = FALSE;
      int role;

      for (guint i = 0; old_arr != NULL && i < teken_pdf_array_get_length (old_arr) && !existed; i++)
        existed = equivalent (teken_pdf_array_get (old_arr, i), item);
      if (existed)
        continue;
      if (teken_pdf_object_get_kind (item) != TEKEN_PDF_REFERENCE)
        return FALSE;  /* a direct annotation or field: cannot be judged separately */
      role = lookup_role (cmp->new_roles, teken_pdf_object_get_ref_num (item));
      if (role == TEKEN_CHANGE_ROLE_SIGNATURE_FIELD && cmp->perms->docmdp_p != 1)
        continue;
      if (annots && cmp->perms->docmdp_p == 3 && role == TEKEN_CHANGE_ROLE_ANNOTATION)
        continue;
      return FALSE;
    }
  return TRUE;
}

static TekenPdfObject *
lookup_in (TekenPdfDocument *doc,
           TekenPdfObject   *dict,
           const char       *key)
{
  return teken_pdf_document_lookup (doc, dict, key, NULL);
}

static gboolean
check_annots (Compare        *cmp,
              TekenPdfObject *old_arr,
              TekenPdfObject *new_arr)
{
  if (new_arr == NULL || teken_pdf_object_get_kind (new_arr) != TEKEN_PDF_ARRAY)
    return old_arr == NULL;
  if (old_arr != NULL && teken_pdf_object_get_kind (old_arr) != TEKEN_PDF_ARRAY)
    return FALSE;
  /* With P=3 annotations may also be removed. */
  if (cmp->perms->docmdp_p != 3 && !array_grows (old_arr, new_arr))
    return FALSE;
  return additions_allowed (cmp, old_arr, new_arr, TRUE);
}

static gboolean
check_page (Compare        *cmp,
            TekenPdfObject *old_obj,
            TekenPdfObject *new_obj)
{
  static const char * const keys[] = { "Annots", NULL };
  g_autoptr(TekenPdfObject) old_annots = NULL;
  g_autoptr(TekenPdfObject) new_annots = NULL;

  if (!only_keys_differ (old_obj, new_obj, keys))
    return FALSE;
  if (equivalent (teken_pdf_dict_get (old_obj, "Annots"), teken_pdf_dict_get (new_obj, "Annots")))
    return TRUE;  /* the same reference: the array object is judged on its own */
  old_annots = lookup_in (cmp->old_doc, old_obj, "Annots");
  new_annots = lookup_in (cmp->new_doc, new_obj, "Annots");
  return check_annots (cmp, old_annots, new_annots);
}

static gboolean
dr_grows (Compare        *cmp,
          TekenPdfObject *old_dr,
          TekenPdfObject *new_dr)
{
  if (old_dr == NULL)
    return TRUE;
  if (new_dr == NULL || teken_pdf_object_get_kind (old_dr) != TEKEN_PDF_DICT ||
      teken_pdf_object_get_kind (new_dr) != TEKEN_PDF_DICT)
    return FALSE;
  /* Existing resources keep their values; new names may be added (a new signature's font). */
  for (guint i = 0; i < teken_pdf_dict_get_size (old_dr); i++)
    {
      const char *key = teken_pdf_dict_get_key (old_dr, i);
      TekenPdfObject *ov = teken_pdf_dict_get_value (old_dr, i);
      TekenPdfObject *nv = teken_pdf_dict_get (new_dr, key);

      if (equivalent (ov, nv))
        continue;
      {
        g_autoptr(TekenPdfObject) o = lookup_in (cmp->old_doc, old_dr, key);
        g_autoptr(TekenPdfObject) n = lookup_in (cmp->new_doc, new_dr, key);

        if (o == NULL || n == NULL || teken_pdf_object_get_kind (o) != TEKEN_PDF_DICT ||
            teken_pdf_object_get_kind (n) != TEKEN_PDF_DICT)
          return FALSE;
        for (guint k = 0; k < teken_pdf_dict_get_size (o); k++)
          if (!equivalent (teken_pdf_dict_get_value (o, k), teken_pdf_dict_get (n, teken_pdf_dict_get_key (o, k))))
            return FALSE;
      }
    }
  return TRUE;
}

static gboolean
check_acroform (Compare        *cmp,
                TekenPdfObject *old_obj,
                TekenPdfObject *new_obj)
{
  static const char * const keys[] = { "Fields", "SigFlags", "DR", NULL };
  g_autoptr(TekenPdfObject) old_fields = NULL;
  g_autoptr(TekenPdfObject) new_fields = NULL;
  g_autoptr(TekenPdfObject) old_dr = NULL;
  g_autoptr(TekenPdfObject) new_dr = NULL;

  if (teken_pdf_object_get_kind (new_obj) == TEKEN_PDF_ARRAY)
    {
      /* The /Fields array itself. */
      if (teken_pdf_object_get_kind (old_obj) != TEKEN_PDF_ARRAY || !array_grows (old_obj, new_obj))
        return FALSE;
      return additions_allowed (cmp, old_obj, new_obj, FALSE);
    }
  if (as_dict (old_obj) == NULL || as_dict (new_obj) == NULL)
    return FALSE;
  if (!only_keys_differ (old_obj, new_obj, keys))
    return FALSE;
  if (!equivalent (teken_pdf_dict_get (old_obj, "Fields"), teken_pdf_dict_get (new_obj, "Fields")))
    {
      old_fields = lookup_in (cmp->old_doc, old_obj, "Fields");
      new_fields = lookup_in (cmp->new_doc, new_obj, "Fields");
      if (new_fields == NULL || !array_grows (old_fields, new_fields) ||
          !additions_allowed (cmp, old_fields, new_fields, FALSE))
        return FALSE;
    }
  old_dr = lookup_in (cmp->old_doc, old_obj, "DR");
  new_dr = lookup_in (cmp->new_doc, new_obj, "DR");
  return dr_grows (cmp, old_dr, new_dr);
}

static gboolean
check_catalog (Compare        *cmp,
               TekenPdfObject *old_obj,
               TekenPdfObject *new_obj)
{
  static const char * const keys[] = { "AcroForm", "DSS", "Extensions", NULL };
  g_autoptr(TekenPdfObject) old_af = NULL;
  g_autoptr(TekenPdfObject) new_af = NULL;

  if (as_dict (old_obj) == NULL || as_dict (new_obj) == NULL || !only_keys_differ (old_obj, new_obj, keys))
    return FALSE;
  /* A direct /AcroForm is judged here; an indirect one on its own. */
  if (!equivalent (teken_pdf_dict_get (old_obj, "AcroForm"), teken_pdf_dict_get (new_obj, "AcroForm")))
    {
      TekenPdfObject *o = teken_pdf_dict_get (old_obj, "AcroForm");
      TekenPdfObject *n = teken_pdf_dict_get (new_obj, "AcroForm");

      old_af = lookup_in (cmp->old_doc, old_obj, "AcroForm");
      new_af = lookup_in (cmp->new_doc, new_obj, "AcroForm");
      if (new_af == NULL)
        return FALSE;
      if (old_af == NULL)
        {
          /* A form created for a first signature field: only signature fields in it. */
          g_autoptr(TekenPdfObject) fields = lookup_in (cmp->new_doc, new_af, "Fields");

          return fields != NULL && teken_pdf_object_get_kind (fields) == TEKEN_PDF_ARRAY &&
                 additions_allowed (cmp, NULL, fields, FALSE);
        }
      if ((o && teken_pdf_object_get_kind (o) != TEKEN_PDF_REFERENCE) ||
          (n && teken_pdf_object_get_kind (n) != TEKEN_PDF_REFERENCE) ||
          !equivalent (o, n))
        return check_acroform (cmp, old_af, new_af);
    }
  return TRUE;
}

static gboolean
field_is_signed (Compare        *cmp,
                 TekenPdfObject *field)
{
  g_autoptr(TekenPdfObject) v = lookup_in (cmp->new_doc, field, "V");
  g_autoptr(TekenPdfObject) parent = NULL;

  if (v == NULL && teken_pdf_dict_get (field, "T") == NULL)
    {
      /* A widget kid: the value is on the parent field. */
      parent = lookup_in (cmp->new_doc, field, "Parent");
      if (parent != NULL && teken_pdf_object_get_kind (parent) == TEKEN_PDF_DICT)
        v = lookup_in (cmp->new_doc, parent, "V");
    }
  return v != NULL && teken_pdf_object_get_kind (v) == TEKEN_PDF_DICT &&
         teken_pdf_dict_get (v, "Contents") != NULL;
}

/* A visible signature widget with a non-empty appearance must be signed: an unsigned one
 * would put content on the page that nobody signed ("sneaky signature"). */
static gboolean
signature_widget_acceptable (Compare        *cmp,
                             TekenPdfObject *widget)
{
  g_autoptr(TekenPdfObject) rect = lookup_in (cmp->new_doc, widget, "Rect");
  g_autoptr(TekenPdfObject) ap = lookup_in (cmp->new_doc, widget, "AP");
  g_autoptr(TekenPdfObject) normal = NULL;
  g_autoptr(GBytes) content = NULL;
  double w = 0, h = 0;

  if (rect != NULL && teken_pdf_object_get_kind (rect) == TEKEN_PDF_ARRAY && teken_pdf_array_get_length (rect) == 4)
    {
      w = ABS (teken_pdf_object_get_number (teken_pdf_array_get (rect, 2)) - teken_pdf_object_get_number (teken_pdf_array_get (rect, 0)));
      h = ABS (teken_pdf_object_get_number (teken_pdf_array_get (rect, 3)) - teken_pdf_object_get_number (teken_pdf_array_get (rect, 1)));
    }
  if (w <= 0 || h <= 0 || ap == NULL || field_is_signed (cmp, widget))
    return TRUE;
  normal = lookup_in (cmp->new_doc, ap, "N");
  if (normal == NULL || teken_pdf_object_get_kind (normal) != TEKEN_PDF_STREAM)
    return normal == NULL;
  content = teken_pdf_stream_decode (normal, 1024 * 1024, NULL);
  if (content == NULL)
    return FALSE;
  for (gsize i = 0; i < g_bytes_get_size (content); i++)
    if (!g_ascii_isspace (((const char *) g_bytes_get_data (content, NULL))[i]))
      return FALSE;
  return TRUE;
}

static gboolean
check_signature_field (Compare        *cmp,
                       TekenPdfObject *old_obj,
                       TekenPdfObject *new_obj)
{
  static const char * const keys[] = { "V", "AP", "F", "MK", "DA", NULL };
  TekenPdfObject *old_v;

  if (cmp->perms->docmdp_p == 1)
    return FALSE;
  if (!signature_widget_acceptable (cmp, new_obj))
    return FALSE;
  if (old_obj == NULL)
    return TRUE;  /* a new signature field */
  /* Signing an empty field: /V appears; an existing signature is never replaced. */
  old_v = teken_pdf_dict_get (old_obj, "V");
  if (old_v != NULL && !equivalent (old_v, teken_pdf_dict_get (new_obj, "V")))
    return FALSE;
  return only_keys_differ (old_obj, new_obj, keys);
}

static gboolean
field_locked (const TekenModificationPermissions *perms,
              const char                         *name)
{
  if (!perms->fieldmdp_present)
    return FALSE;
  if (perms->fieldmdp_all)
    return TRUE;
  if (perms->fieldmdp_include != NULL)
    return name != NULL && g_strv_contains ((const char * const *) perms->fieldmdp_include, name);
  if (perms->fieldmdp_exclude != NULL)
    return name == NULL || !g_strv_contains ((const char * const *) perms->fieldmdp_exclude, name);
  return FALSE;
}

/* The fully qualified name (parents' /T joined with "."), as FieldMDP lists fields. */
static char *
full_field_name (TekenPdfDocument *doc,
                 TekenPdfObject   *field)
{
  g_autoptr(TekenPdfObject) cur = teken_pdf_object_ref (field);
  GString *name = g_string_new (NULL);

  for (int i = 0; i < 32 && cur != NULL && teken_pdf_object_get_kind (cur) == TEKEN_PDF_DICT; i++)
    {
      TekenPdfObject *t = teken_pdf_dict_get (cur, "T");
      TekenPdfObject *parent = teken_pdf_dict_get (cur, "Parent");
      TekenPdfObject *next;

      if (t != NULL)
        {
          g_autofree char *part = teken_pdf_object_get_text (t);

          if (part != NULL)
            {
              if (name->len > 0)
                g_string_prepend_c (name, '.');
              g_string_prepend (name, part);
            }
        }
      if (parent == NULL)
        break;
      next = teken_pdf_document_resolve (doc, parent, NULL);
      g_clear_pointer (&cur, teken_pdf_object_unref);
      cur = next;
    }
  if (name->len == 0)
    {
      g_string_free (name, TRUE);
      return NULL;
    }
  return g_string_free (name, FALSE);
}

static gboolean
check_form_field (Compare        *cmp,
                  TekenPdfObject *old_obj,
                  TekenPdfObject *new_obj)
{
  static const char * const keys[] = { "V", "AP", "AS", NULL };
  g_autofree char *name = NULL;

  if (old_obj == NULL || cmp->perms->docmdp_p < 2)
    return FALSE;  /* new fields are not form filling; without certification no filling after signing */
  name = full_field_name (cmp->new_doc, new_obj);
  if (field_locked (cmp->perms, name))
    return FALSE;
  return only_keys_differ (old_obj, new_obj, keys);
}

static void
compare_object (Compare *cmp,
                guint    num,
                guint    revision)
{
  g_autoptr(TekenPdfObject) old_obj = NULL;
  g_autoptr(TekenPdfObject) new_obj = NULL;
  TekenPdfXrefEntry entry;
  int old_role, new_role, role;
  gboolean allowed = FALSE, added;
  guint gen = 0;

  old_obj = teken_pdf_document_get_object (cmp->old_doc, num, NULL);
  new_obj = teken_pdf_document_get_object (cmp->new_doc, num, NULL);
  if (teken_pdf_document_get_xref_entry (cmp->new_doc, num, &entry))
    gen = entry.gen;
  if (old_obj != NULL && new_obj != NULL && equivalent (old_obj, new_obj))
    return;  /* rewritten unchanged */
  old_role = lookup_role (cmp->old_roles, num);
  new_role = lookup_role (cmp->new_roles, num);
  added = old_obj == NULL;
  if (old_role < 0 && new_role < 0)
    return;  /* used nowhere, before or after: cannot change what is shown */
  role = old_role < 0 ? new_role : new_role < 0 ? old_role
         : role_rank (old_role) >= role_rank (new_role) ? old_role : new_role;

  if (new_obj == NULL)
    allowed = role == TEKEN_CHANGE_ROLE_DSS || role == TEKEN_CHANGE_ROLE_METADATA;  /* freed while in use */
  else
    switch (role)
      {
      case TEKEN_CHANGE_ROLE_DSS:
      case TEKEN_CHANGE_ROLE_METADATA:
      case TEKEN_CHANGE_ROLE_DOCUMENT_TIMESTAMP:
        allowed = TRUE;
        break;
      case TEKEN_CHANGE_ROLE_SIGNATURE:
        /* A new signature (in a field that was added or filled); never a replaced one. */
        allowed = added && cmp->perms->docmdp_p != 1;
        break;
      case TEKEN_CHANGE_ROLE_SIGNATURE_FIELD:
        allowed = as_dict (new_obj) != NULL && check_signature_field (cmp, as_dict (old_obj), as_dict (new_obj));
        break;
      case ROLE_SIG_APPEARANCE:
        /* Only the appearance of a new widget or one being signed now (the widget is checked). */
        allowed = cmp->perms->docmdp_p != 1 && (added || old_role != ROLE_SIG_APPEARANCE);
        break;
      case ROLE_FIELD_APPEARANCE:
      case TEKEN_CHANGE_ROLE_FORM_FIELD_VALUE:
        allowed = cmp->perms->docmdp_p >= 2;
        break;
      case TEKEN_CHANGE_ROLE_FORM_FIELD:
        allowed = as_dict (new_obj) != NULL && check_form_field (cmp, as_dict (old_obj), as_dict (new_obj));
        break;
      case TEKEN_CHANGE_ROLE_ANNOTATION:
      case TEKEN_CHANGE_ROLE_APPEARANCE:
        allowed = cmp->perms->docmdp_p == 3;
        break;
      case ROLE_ANNOTS_ARRAY:
        allowed = check_annots (cmp, old_obj, new_obj);
        break;
      case TEKEN_CHANGE_ROLE_ACROFORM:
        allowed = old_obj != NULL && check_acroform (cmp, old_obj, new_obj);
        break;
      case ROLE_FORM_DR:
        allowed = dr_grows (cmp, old_obj, new_obj) || old_obj == NULL;
        break;
      case TEKEN_CHANGE_ROLE_PAGE:
        allowed = old_obj != NULL && as_dict (old_obj) && as_dict (new_obj) && check_page (cmp, old_obj, new_obj);
        break;
      case TEKEN_CHANGE_ROLE_CATALOG:
        allowed = old_obj != NULL && check_catalog (cmp, old_obj, new_obj);
        break;
      default:
        allowed = FALSE;  /* page content, resources, fonts, XObjects, page tree, anything else */
        break;
      }
  record (cmp, num, gen, public_role (role), allowed, added, revision, NULL);
}

/* Hide-and-replace: a new catalog object (new /Root) is compared with the signed one. */
static void
compare_catalogs (Compare *cmp,
                  guint    revision)
{
  g_autoptr(TekenPdfObject) old_cat = NULL;
  g_autoptr(TekenPdfObject) new_cat = NULL;
  guint old_num = 0, new_num = 0;

  old_cat = teken_pdf_document_get_catalog (cmp->old_doc, &old_num, NULL);
  new_cat = teken_pdf_document_get_catalog (cmp->new_doc, &new_num, NULL);
  if (old_num == new_num)
    return;  /* judged as an object */
  for (guint i = 0; cmp->changes != NULL && i < cmp->changes->len; i++)
    {
      TekenChange *c = g_ptr_array_index (cmp->changes, i);

      /* Already recorded as an added object: give it the explanation. */
      if (c->object_number == new_num && c->role == TEKEN_CHANGE_ROLE_CATALOG)
        {
          gboolean ok = old_cat != NULL && new_cat != NULL && check_catalog (cmp, old_cat, new_cat);

          c->allowed = c->allowed && ok;
          if (!c->allowed)
            cmp->disallowed = TRUE;
          g_free (c->detail);
          c->detail = g_strdup (_("The document catalog was replaced"));
          return;
        }
    }
  record (cmp, new_num, 0, TEKEN_CHANGE_ROLE_CATALOG,
          old_cat != NULL && new_cat != NULL && check_catalog (cmp, old_cat, new_cat), TRUE, revision,
          _("The document catalog was replaced"));
}

static int
compare_numbers (gconstpointer a,
                 gconstpointer b)
{
  guint x = GPOINTER_TO_UINT (a), y = GPOINTER_TO_UINT (b);

  return x < y ? -1 : x > y;
}

gboolean
teken_modification_analyze (TekenPdfDocument                   *document,
                            gsize                               signed_length,
                            const TekenModificationPermissions *perms,
                            TekenModificationLevel             *level,
                            GPtrArray                          *changes,
                            GCancellable                       *cancellable,
                            GError                            **error)
{
  g_autoptr(TekenPdfDocument) old_doc = NULL;
  g_autoptr(GHashTable) numbers = NULL;
  g_autoptr(GList) keys = NULL;
  GPtrArray *sections = teken_pdf_document_get_sections (document);
  gsize size = teken_pdf_document_get_size (document);
  guint n_revisions = 0, first_new_revision = 0;
  Compare cmp = { 0 };

  *level = TEKEN_MODIFICATION_NONE;
  if (signed_length >= size)
    return TRUE;

  old_doc = teken_pdf_document_new_for_revision (document, signed_length, error);
  if (old_doc == NULL)
    return FALSE;

  cmp.old_doc = old_doc;
  cmp.new_doc = document;
  cmp.perms = perms;
  cmp.changes = changes;

  /* Bytes after the newest revision's %%EOF that belong to no revision (an update without a
   * cross-reference section): viewers that repair files may show them. */
  if (sections->len > 0)
    {
      TekenPdfSection *newest = g_ptr_array_index (sections, 0);

      if (newest->end_offset < size)
        {
          g_autoptr(GBytes) tail = teken_pdf_document_read_bytes (document, newest->end_offset,
                                                                  MIN (size - newest->end_offset, 4096), NULL);
          gboolean blank = tail != NULL && size - newest->end_offset <= 4096;

          for (gsize i = 0; blank && i < g_bytes_get_size (tail); i++)
            blank = g_ascii_isspace (((const char *) g_bytes_get_data (tail, NULL))[i]) ||
                    ((const char *) g_bytes_get_data (tail, NULL))[i] == '\0';
          if (!blank)
            record (&cmp, 0, 0, TEKEN_CHANGE_ROLE_FILE_STRUCTURE, FALSE, TRUE, 0,
                    _("Data was appended after the last complete version of the document"));
        }
    }

  /* Object numbers defined by the sections after the signed revision. */
  numbers = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < sections->len; i++)
    if (((TekenPdfSection *) g_ptr_array_index (sections, i))->is_revision)
      n_revisions++;
  {
    guint rev = n_revisions;

    for (guint i = 0; i < sections->len; i++)
      {
        TekenPdfSection *s = g_ptr_array_index (sections, i);

        if (s->is_revision)
          rev--;
        if (s->end_offset <= signed_length)
          continue;
        first_new_revision = rev;
        for (guint k = 0; s->object_numbers != NULL && k < s->object_numbers->len; k++)
          {
            guint num = g_array_index (s->object_numbers, guint, k);

            if (!g_hash_table_contains (numbers, GUINT_TO_POINTER (num)))
              g_hash_table_insert (numbers, GUINT_TO_POINTER (num), GUINT_TO_POINTER (rev));
          }
      }
  }

  cmp.old_roles = compute_roles (old_doc, cancellable, error);
  if (cmp.old_roles == NULL)
    return FALSE;
  cmp.new_roles = compute_roles (document, cancellable, error);
  if (cmp.new_roles == NULL)
    {
      g_hash_table_unref (cmp.old_roles);
      return FALSE;
    }

  keys = g_hash_table_get_keys (numbers);
  keys = g_list_sort (keys, compare_numbers);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      guint num = GPOINTER_TO_UINT (l->data);

      compare_object (&cmp, num, GPOINTER_TO_UINT (g_hash_table_lookup (numbers, GUINT_TO_POINTER (num))));
    }
  compare_catalogs (&cmp, first_new_revision);

  g_hash_table_unref (cmp.old_roles);
  g_hash_table_unref (cmp.new_roles);
  *level = cmp.disallowed ? TEKEN_MODIFICATION_DISALLOWED : TEKEN_MODIFICATION_ALLOWED;
  return TRUE;
}
