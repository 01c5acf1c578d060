/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "teken-pdf-document.h"

G_BEGIN_DECLS

/*
 * What happened to a document after a signature: the incremental updates that follow the
 * revision the signature covers, compared object by object with that signed revision.
 *
 * Classification (issue 3 item 3): anything not proven allowed is DISALLOWED.
 * Allowed after any signature: new signature fields and their widgets, the /V of a signature
 * field being filled, /AcroForm /Fields growing by such fields (and /SigFlags), the /Annots of a
 * page growing by those widgets only, the /DSS dictionary and its streams, document timestamps,
 * and the catalog changing only in /AcroForm, /DSS and /Extensions (with /Perms unchanged).
 * Allowed only as DocMDP P=2 and FieldMDP permit: form field values (/V) and their widget
 * appearances; additionally with P=3: annotations (not changing page content).
 * Everything else (page content, resources, fonts, XObjects, the page tree, other catalog
 * entries, an override of any object of the signed revision that is not one of the above) is
 * DISALLOWED.
 */
typedef enum
{
  TEKEN_MODIFICATION_NONE,        /* the signature covers the whole file */
  TEKEN_MODIFICATION_ALLOWED,     /* later updates, all of them permitted */
  TEKEN_MODIFICATION_DISALLOWED,  /* at least one change is not permitted */
} TekenModificationLevel;

/* "none", "allowed", "disallowed" (stable). */
const char *teken_modification_level_to_string (TekenModificationLevel level);

/* What a changed object is to the document. String ids stable (JSON). */
typedef enum
{
  TEKEN_CHANGE_ROLE_OTHER,               /* "other": not identified */
  TEKEN_CHANGE_ROLE_CATALOG,             /* "catalog" */
  TEKEN_CHANGE_ROLE_PAGE_TREE,           /* "page-tree" */
  TEKEN_CHANGE_ROLE_PAGE,                /* "page": a page dictionary */
  TEKEN_CHANGE_ROLE_PAGE_CONTENT,        /* "page-content": a content stream */
  TEKEN_CHANGE_ROLE_RESOURCES,           /* "resources" */
  TEKEN_CHANGE_ROLE_FONT,                /* "font" */
  TEKEN_CHANGE_ROLE_XOBJECT,             /* "xobject": image or form XObject */
  TEKEN_CHANGE_ROLE_ANNOTATION,          /* "annotation" */
  TEKEN_CHANGE_ROLE_FORM_FIELD,          /* "form-field": a field dictionary itself */
  TEKEN_CHANGE_ROLE_FORM_FIELD_VALUE,    /* "form-field-value": /V of a non-signature field */
  TEKEN_CHANGE_ROLE_APPEARANCE,          /* "appearance": a widget's appearance stream */
  TEKEN_CHANGE_ROLE_SIGNATURE_FIELD,     /* "signature-field": a new or filled signature field / widget */
  TEKEN_CHANGE_ROLE_SIGNATURE,           /* "signature": a signature dictionary */
  TEKEN_CHANGE_ROLE_ACROFORM,            /* "acroform" */
  TEKEN_CHANGE_ROLE_DSS,                 /* "dss": validation data */
  TEKEN_CHANGE_ROLE_DOCUMENT_TIMESTAMP,  /* "document-timestamp" */
  TEKEN_CHANGE_ROLE_METADATA,            /* "metadata": XMP stream or /Info */
  TEKEN_CHANGE_ROLE_FILE_STRUCTURE,      /* "file-structure": data after the last revision, bad xref... */
} TekenChangeRole;

const char *teken_change_role_to_string (TekenChangeRole role);
/* Translated, e.g. "page content". */
const char *teken_change_role_get_label (TekenChangeRole role);

/* One changed (added, replaced or freed) object after a signature. Boxed, immutable. */
typedef struct
{
  guint object_number;      /* 0 for a change that is not one object (FILE_STRUCTURE) */
  guint generation;
  TekenChangeRole role;
  gboolean allowed;
  gboolean added;           /* TRUE: did not exist in the signed revision */
  guint revision;           /* index of the revision (0 = oldest) that made the change */
  char *detail;             /* translated one-line explanation, may be NULL */
} TekenChange;

#define TEKEN_TYPE_CHANGE (teken_change_get_type ())
GType        teken_change_get_type (void) G_GNUC_CONST;
TekenChange *teken_change_copy     (const TekenChange *change);
void         teken_change_free     (TekenChange       *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenChange, teken_change_free)

/* DocMDP / FieldMDP permissions in force for the analysis (from the certification signature
 * and the signature's own /Reference). */
typedef struct
{
  int docmdp_p;                  /* 0: no certification; 1, 2 or 3 */
  /* FieldMDP of this signature: NULL (none) or field names locked ("All" locks every field). */
  gboolean fieldmdp_all;
  GStrv fieldmdp_include;        /* /Action /Include: these are locked */
  GStrv fieldmdp_exclude;        /* /Action /Exclude: all but these are locked */
  gboolean fieldmdp_present;
} TekenModificationPermissions;

/*
 * Compares the revision ending at signed_length with the whole document.
 * Returns the level and fills changes (element type TekenChange, may be NULL).
 * Errors only for unreadable structures (the caller treats them as DISALLOWED).
 * Internal to the verifier, declared here for tests.
 */
gboolean teken_modification_analyze (TekenPdfDocument                   *document,
                                     gsize                               signed_length,
                                     const TekenModificationPermissions *perms,
                                     TekenModificationLevel             *level,
                                     GPtrArray                          *changes,
                                     GCancellable                       *cancellable,
                                     GError                            **error);

G_END_DECLS
