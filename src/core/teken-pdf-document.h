/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "teken-atomic-file.h"
#include "teken-pdf-object.h"

G_BEGIN_DECLS

#define TEKEN_PDF_ERROR (teken_pdf_error_quark ())
GQuark teken_pdf_error_quark (void);

/* Every message is translated and says what is wrong in words an official understands. */
typedef enum
{
  TEKEN_PDF_ERROR_NOT_PDF,      /* empty, no %PDF- header, another format */
  TEKEN_PDF_ERROR_TRUNCATED,    /* no startxref / %%EOF at the end: incomplete download or copy */
  TEKEN_PDF_ERROR_DAMAGED,      /* cross-reference data wrong or unreadable: cannot be read reliably */
  TEKEN_PDF_ERROR_ENCRYPTED,    /* /Encrypt present: not supported for signing yet */
  TEKEN_PDF_ERROR_SYNTAX,       /* a malformed object */
  TEKEN_PDF_ERROR_UNSUPPORTED,  /* a filter or feature the engine does not implement */
  TEKEN_PDF_ERROR_LIMIT,        /* nesting, size or count limits exceeded; loops in /Prev or references */
  TEKEN_PDF_ERROR_NOT_FOUND,    /* an object, page or field that does not exist */
  TEKEN_PDF_ERROR_IO,           /* reading the file failed */
} TekenPdfError;

typedef enum
{
  TEKEN_PDF_XREF_TABLE,
  TEKEN_PDF_XREF_STREAM,
} TekenPdfXrefKind;

typedef enum
{
  TEKEN_PDF_XREF_ENTRY_FREE,
  TEKEN_PDF_XREF_ENTRY_OFFSET,      /* uncompressed object at a byte offset */
  TEKEN_PDF_XREF_ENTRY_COMPRESSED,  /* inside an object stream */
} TekenPdfXrefEntryKind;

typedef struct
{
  TekenPdfXrefEntryKind kind;
  guint gen;            /* generation (0 for compressed objects) */
  goffset offset;       /* OFFSET: byte offset of "N G obj" */
  guint stream_num;     /* COMPRESSED: object number of the /ObjStm */
  guint stream_index;   /* COMPRESSED: index inside it */
} TekenPdfXrefEntry;

/*
 * One cross-reference section of the file, newest first in teken_pdf_document_get_sections().
 * A linearized file's first-page section and a hybrid file's "xref 0 0" stub are sections but
 * not user revisions: is_revision is FALSE for them.
 *
 * Precisely (pdf helper): a section is not a revision when it lies before the section its /Prev
 * points to (a linearized first-page section), or when it is a table with /XRefStm and no in-use
 * entries of its own (the "xref 0 0" stub). Such a section belongs to the revision of the older
 * section, and every section of one revision reports the same end_offset: the end of the
 * revision's last %%EOF (for a linearized or hybrid file, the end of the file). So
 * new_for_revision (end_offset) always yields a complete document.
 */
typedef struct
{
  goffset xref_offset;        /* where "xref" or the xref stream object starts */
  gsize end_offset;           /* just after this section's %%EOF and its end-of-line */
  TekenPdfXrefKind kind;
  gboolean is_revision;
  GArray *object_numbers;     /* guint: the objects (in use or freed) this section defines */
} TekenPdfSection;

typedef struct
{
  double x1, y1, x2, y2;      /* normalised: x1 <= x2, y1 <= y2 */
} TekenPdfRect;

#define TEKEN_TYPE_PDF_DOCUMENT (teken_pdf_document_get_type ())
G_DECLARE_FINAL_TYPE (TekenPdfDocument, teken_pdf_document, TEKEN, PDF_DOCUMENT, GObject)

/*
 * Opening reads the header, the trailer chain and the cross-reference sections, and checks that
 * every in-use offset points at its "N G obj" header; objects themselves are parsed lazily.
 * The file is read with pread() through a small window, never mapped or read whole, so memory
 * stays bounded for 100 MB inputs. Encrypted files open (so a verifier can report them) but
 * teken_pdf_document_is_encrypted() says so.
 */
TekenPdfDocument *teken_pdf_document_new_for_path     (const char        *path,
                                                       GError           **error);
TekenPdfDocument *teken_pdf_document_new_for_bytes    (GBytes            *bytes,
                                                       GError           **error);
/* The document as it was when the file ended at `length` (a revision's end_offset); shares the source. */
TekenPdfDocument *teken_pdf_document_new_for_revision (TekenPdfDocument  *self,
                                                       gsize              length,
                                                       GError           **error);

const char       *teken_pdf_document_get_path         (TekenPdfDocument  *self);
gsize             teken_pdf_document_get_size         (TekenPdfDocument  *self);
/* From the header, e.g. "1.6", overridden by a later catalog /Version. */
const char       *teken_pdf_document_get_version      (TekenPdfDocument  *self);
gboolean          teken_pdf_document_is_encrypted     (TekenPdfDocument  *self);
gboolean          teken_pdf_document_is_linearized    (TekenPdfDocument  *self);

/* Raw bytes of the file (bounded reads; for hashing use a loop of these or your own pread). */
gboolean          teken_pdf_document_read             (TekenPdfDocument  *self,
                                                       goffset            offset,
                                                       guint8            *buffer,
                                                       gsize              len,
                                                       GError           **error);
GBytes           *teken_pdf_document_read_bytes       (TekenPdfDocument  *self,
                                                       goffset            offset,
                                                       gsize              len,
                                                       GError           **error);
/* Appends the whole file to `file` in bounded chunks: a 100 MB file never sits in memory. */
gboolean          teken_pdf_document_copy_to          (TekenPdfDocument  *self,
                                                       TekenAtomicFile   *file,
                                                       GError           **error);

/* The newest trailer (for a hybrid/xref-stream file: the merged trailer dictionary); transfer none.
 * (pdf helper:) a copy of the newest section's dictionary without the keys that only describe
 * that section (/Type /Length /Filter /DecodeParms /W /Index /XRefStm /Prev), with /Root /Info
 * /ID /Encrypt taken from older sections when the newest lacks them. */
TekenPdfObject   *teken_pdf_document_get_trailer      (TekenPdfDocument  *self);
TekenPdfXrefKind  teken_pdf_document_get_xref_kind    (TekenPdfDocument  *self);
/* Addition (pdf helper): TRUE when the newest section is an xref stream or a hybrid table with
 * /XRefStm, i.e. when an update must carry a cross-reference stream rather than a table. */
gboolean          teken_pdf_document_has_xref_stream  (TekenPdfDocument  *self);
/* Offset of the newest xref section: the /Prev of an appended update. */
goffset           teken_pdf_document_get_startxref    (TekenPdfDocument  *self);
/* The first unused object number (max of /Size over the chain and the highest object + 1). */
guint             teken_pdf_document_get_next_object_number (TekenPdfDocument *self);
/* transfer none; element type TekenPdfSection, newest first. */
GPtrArray        *teken_pdf_document_get_sections     (TekenPdfDocument  *self);
/* The newest entry for num; FALSE when the object was never defined. */
gboolean          teken_pdf_document_get_xref_entry   (TekenPdfDocument  *self,
                                                       guint              num,
                                                       TekenPdfXrefEntry *entry);

/* An indirect object by number (newest definition); cached; transfer full. A free or missing
 * object is an error TEKEN_PDF_ERROR_NOT_FOUND. */
TekenPdfObject   *teken_pdf_document_get_object       (TekenPdfDocument  *self,
                                                       guint              num,
                                                       GError           **error);
/* obj itself (a new reference) or, for a reference, the object it points to; a dangling
 * reference resolves to a null object, as ISO 32000 says. Chains of references are bounded. */
TekenPdfObject   *teken_pdf_document_resolve          (TekenPdfDocument  *self,
                                                       TekenPdfObject    *obj,
                                                       GError           **error);
/* dict[key] resolved; NULL without error when the key is absent. */
TekenPdfObject   *teken_pdf_document_lookup           (TekenPdfDocument  *self,
                                                       TekenPdfObject    *dict,
                                                       const char        *key,
                                                       GError           **error);

/* The catalog (/Root) and its object number; transfer full. */
TekenPdfObject   *teken_pdf_document_get_catalog      (TekenPdfDocument  *self,
                                                       guint             *num,
                                                       GError           **error);
guint             teken_pdf_document_get_n_pages      (TekenPdfDocument  *self,
                                                       GError           **error);
/* Page dictionary by 0-based index and its object number; walks the page tree with loop and
 * depth checks; transfer full. */
TekenPdfObject   *teken_pdf_document_get_page         (TekenPdfDocument  *self,
                                                       guint              index,
                                                       guint             *num,
                                                       GError           **error);
/* The page's visible area: CropBox (inherited, clipped to MediaBox) and /Rotate (0, 90, 180, 270). */
gboolean          teken_pdf_document_get_page_geometry (TekenPdfDocument *self,
                                                        guint             index,
                                                        TekenPdfRect     *crop_box,
                                                        int              *rotate,
                                                        GError          **error);

G_END_DECLS
