/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PDF lexer and object parser (ISO 32000-1 §7.2, §7.3), private to the pdf area.
 * They work on one bounded byte window and never read outside it: a token that runs into
 * the end of the window sets hit_end, so that the document can retry with a larger window.
 */
#pragma once

#include "teken-pdf-object.h"

G_BEGIN_DECLS

/* Nesting of arrays and dictionaries. */
#define TEKEN_PDF_MAX_DEPTH 64
#define TEKEN_PDF_MAX_ARRAY_LENGTH (1u << 22)
#define TEKEN_PDF_MAX_DICT_SIZE (1u << 20)
#define TEKEN_PDF_MAX_STRING_LENGTH (32u << 20)
#define TEKEN_PDF_MAX_NAME_LENGTH (64u << 10)

typedef enum
{
  TEKEN_PDF_TOKEN_EOF,
  TEKEN_PDF_TOKEN_INTEGER,
  TEKEN_PDF_TOKEN_REAL,
  TEKEN_PDF_TOKEN_NAME,
  TEKEN_PDF_TOKEN_STRING,
  TEKEN_PDF_TOKEN_HEX_STRING,
  TEKEN_PDF_TOKEN_ARRAY_OPEN,
  TEKEN_PDF_TOKEN_ARRAY_CLOSE,
  TEKEN_PDF_TOKEN_DICT_OPEN,
  TEKEN_PDF_TOKEN_DICT_CLOSE,
  TEKEN_PDF_TOKEN_KEYWORD,     /* true, false, null, R, obj, stream, xref, … and junk */
} TekenPdfTokenType;

typedef struct
{
  TekenPdfTokenType type;
  gsize start;                 /* position in the window */
  gint64 integer;
  double real;
  GByteArray *bytes;           /* decoded name or string, or the keyword's text (NUL-terminated) */
} TekenPdfToken;

typedef struct
{
  const guint8 *data;
  gsize len;
  gsize pos;
  goffset base;                /* file offset of data[0], for messages */
  gboolean hit_end;            /* something ran into the end of the window */
} TekenPdfLexer;

void             teken_pdf_lexer_init            (TekenPdfLexer    *lexer,
                                                  const guint8     *data,
                                                  gsize             len,
                                                  goffset           base);
/* Skips whitespace and comments. */
void             teken_pdf_lexer_skip_space      (TekenPdfLexer    *lexer);
gboolean         teken_pdf_lexer_next            (TekenPdfLexer    *lexer,
                                                  TekenPdfToken    *token,
                                                  GError          **error);
/* TRUE and consumed when the next token is the keyword; otherwise nothing is consumed. */
gboolean         teken_pdf_lexer_accept_keyword  (TekenPdfLexer    *lexer,
                                                  const char       *keyword);
void             teken_pdf_token_clear           (TekenPdfToken    *token);
gboolean         teken_pdf_token_is_keyword      (const TekenPdfToken *token,
                                                  const char       *keyword);

gboolean         teken_pdf_is_whitespace         (guint8            c);
gboolean         teken_pdf_is_delimiter          (guint8            c);

/* One direct object (a stream's dictionary only; the caller handles "stream"). */
TekenPdfObject  *teken_pdf_parse_object          (TekenPdfLexer    *lexer,
                                                  GError          **error);
/* "N G obj". */
gboolean         teken_pdf_parse_object_header   (TekenPdfLexer    *lexer,
                                                  guint            *num,
                                                  guint            *gen,
                                                  GError          **error);
/* A TEKEN_PDF_ERROR_SYNTAX error mentioning the file offset. */
void             teken_pdf_set_syntax_error      (GError          **error,
                                                  goffset           offset);

G_END_DECLS
