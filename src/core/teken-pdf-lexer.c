/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-pdf-parser-private.h"
#include "teken-pdf-document.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

gboolean
teken_pdf_is_whitespace (guint8 c)
{
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

gboolean
teken_pdf_is_delimiter (guint8 c)
{
  switch (c)
    {
    case '(': case ')': case '<': case '>': case '[': case ']': case '{': case '}': case '/': case '%':
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_regular (guint8 c)
{
  return !teken_pdf_is_whitespace (c) && !teken_pdf_is_delimiter (c);
}

void
teken_pdf_set_syntax_error (GError  **error,
                            goffset   offset)
{
  g_autofree char *where = g_strdup_printf ("%" G_GOFFSET_FORMAT, offset);

  g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX,
               /* translators: %s is a byte position in the file */
               _("The document contains a malformed object (near byte %s)"), where);
}

static gboolean
set_limit_error (GError  **error,
                 goffset   offset)
{
  g_autofree char *where = g_strdup_printf ("%" G_GOFFSET_FORMAT, offset);

  g_set_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT,
               /* translators: %s is a byte position in the file */
               _("The document contains an object that is too large or too deeply nested (near byte %s)"),
               where);
  return FALSE;
}

void
teken_pdf_lexer_init (TekenPdfLexer *lexer,
                      const guint8  *data,
                      gsize          len,
                      goffset        base)
{
  lexer->data = data;
  lexer->len = len;
  lexer->pos = 0;
  lexer->base = base;
  lexer->hit_end = FALSE;
}

void
teken_pdf_lexer_skip_space (TekenPdfLexer *lexer)
{
  while (lexer->pos < lexer->len)
    {
      guint8 c = lexer->data[lexer->pos];

      if (c == '%')
        {
          while (lexer->pos < lexer->len && lexer->data[lexer->pos] != '\r' && lexer->data[lexer->pos] != '\n')
            lexer->pos++;
        }
      else if (teken_pdf_is_whitespace (c))
        lexer->pos++;
      else
        return;
    }
  lexer->hit_end = TRUE;
}

void
teken_pdf_token_clear (TekenPdfToken *token)
{
  g_clear_pointer (&token->bytes, g_byte_array_unref);
  token->type = TEKEN_PDF_TOKEN_EOF;
}

gboolean
teken_pdf_token_is_keyword (const TekenPdfToken *token,
                            const char          *keyword)
{
  return token->type == TEKEN_PDF_TOKEN_KEYWORD && token->bytes != NULL &&
         strcmp ((const char *) token->bytes->data, keyword) == 0;
}

static void
token_set_bytes (TekenPdfToken *token,
                 GByteArray    *bytes)
{
  guint8 nul = 0;

  /* NUL-terminated for convenience; the terminator is not counted. */
  g_byte_array_append (bytes, &nul, 1);
  g_byte_array_set_size (bytes, bytes->len - 1);
  g_clear_pointer (&token->bytes, g_byte_array_unref);
  token->bytes = bytes;
}

static gboolean
lex_name (TekenPdfLexer *lexer,
          TekenPdfToken *token,
          GError       **error)
{
  GByteArray *bytes = g_byte_array_new ();

  lexer->pos++;  /* '/' */
  while (lexer->pos < lexer->len && is_regular (lexer->data[lexer->pos]))
    {
      guint8 c = lexer->data[lexer->pos++];

      /* #xx escapes (§7.3.5); a malformed one is kept literally, as other readers do. */
      if (c == '#' && lexer->pos + 1 < lexer->len &&
          g_ascii_xdigit_value (lexer->data[lexer->pos]) >= 0 &&
          g_ascii_xdigit_value (lexer->data[lexer->pos + 1]) >= 0)
        {
          c = g_ascii_xdigit_value (lexer->data[lexer->pos]) << 4 |
              g_ascii_xdigit_value (lexer->data[lexer->pos + 1]);
          lexer->pos += 2;
        }
      /* A NUL would cut the C string short; names cannot contain one. */
      if (c == 0)
        c = '?';
      g_byte_array_append (bytes, &c, 1);
      if (bytes->len > TEKEN_PDF_MAX_NAME_LENGTH)
        {
          g_byte_array_unref (bytes);
          return set_limit_error (error, lexer->base + lexer->pos);
        }
    }
  if (lexer->pos >= lexer->len)
    lexer->hit_end = TRUE;
  token->type = TEKEN_PDF_TOKEN_NAME;
  token_set_bytes (token, bytes);
  return TRUE;
}

/* Handles the character after a backslash; returns FALSE at the end of the window. */
static gboolean
lex_string_escape (TekenPdfLexer *lexer,
                   GByteArray    *bytes)
{
  guint8 c, out;

  if (lexer->pos >= lexer->len)
    return FALSE;
  c = lexer->data[lexer->pos++];
  switch (c)
    {
    case 'n': out = '\n'; break;
    case 'r': out = '\r'; break;
    case 't': out = '\t'; break;
    case 'b': out = '\b'; break;
    case 'f': out = '\f'; break;
    case '\r':
      /* Line continuation: backslash + EOL produces nothing. */
      if (lexer->pos < lexer->len && lexer->data[lexer->pos] == '\n')
        lexer->pos++;
      return TRUE;
    case '\n':
      return TRUE;
    default:
      if (c >= '0' && c <= '7')
        {
          guint value = c - '0';
          for (int k = 0; k < 2 && lexer->pos < lexer->len &&
               lexer->data[lexer->pos] >= '0' && lexer->data[lexer->pos] <= '7'; k++)
            value = value * 8 + (lexer->data[lexer->pos++] - '0');
          out = (guint8) value;
        }
      else
        out = c;  /* \( \) \\ and unknown escapes: the character itself */
      break;
    }
  g_byte_array_append (bytes, &out, 1);
  return TRUE;
}

static gboolean
lex_literal_string (TekenPdfLexer *lexer,
                    TekenPdfToken *token,
                    GError       **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gsize start = lexer->pos;
  guint depth = 1;

  lexer->pos++;  /* '(' */
  while (lexer->pos < lexer->len)
    {
      guint8 c = lexer->data[lexer->pos++];

      if (c == '\\')
        {
          if (!lex_string_escape (lexer, bytes))
            break;
          continue;
        }
      if (c == '(')
        depth++;
      else if (c == ')' && --depth == 0)
        {
          token->type = TEKEN_PDF_TOKEN_STRING;
          token_set_bytes (token, g_steal_pointer (&bytes));
          return TRUE;
        }
      else if (c == '\r')
        {
          /* An unescaped end of line is read as a single LF (§7.3.4.2). */
          c = '\n';
          if (lexer->pos < lexer->len && lexer->data[lexer->pos] == '\n')
            lexer->pos++;
        }
      g_byte_array_append (bytes, &c, 1);
      if (bytes->len > TEKEN_PDF_MAX_STRING_LENGTH)
        return set_limit_error (error, lexer->base + start);
    }

  lexer->hit_end = TRUE;
  teken_pdf_set_syntax_error (error, lexer->base + start);
  return FALSE;
}

static gboolean
lex_hex_string (TekenPdfLexer *lexer,
                TekenPdfToken *token,
                GError       **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gsize start = lexer->pos;
  int high = -1;

  lexer->pos++;  /* '<' */
  while (lexer->pos < lexer->len)
    {
      guint8 c = lexer->data[lexer->pos++];
      int v;

      if (c == '>')
        {
          /* An odd number of digits: the last one is followed by an implied 0. */
          if (high >= 0)
            {
              guint8 b = high << 4;
              g_byte_array_append (bytes, &b, 1);
            }
          token->type = TEKEN_PDF_TOKEN_HEX_STRING;
          token_set_bytes (token, g_steal_pointer (&bytes));
          return TRUE;
        }
      if (teken_pdf_is_whitespace (c))
        continue;
      v = g_ascii_xdigit_value (c);
      if (v < 0)
        {
          teken_pdf_set_syntax_error (error, lexer->base + lexer->pos - 1);
          return FALSE;
        }
      if (high < 0)
        high = v;
      else
        {
          guint8 b = high << 4 | v;
          g_byte_array_append (bytes, &b, 1);
          high = -1;
          if (bytes->len > TEKEN_PDF_MAX_STRING_LENGTH)
            return set_limit_error (error, lexer->base + start);
        }
    }

  lexer->hit_end = TRUE;
  teken_pdf_set_syntax_error (error, lexer->base + start);
  return FALSE;
}

/* [+-]? digits [. digits] or [+-]? . digits; TRUE when text is such a number. */
static gboolean
parse_number (const char    *text,
              TekenPdfToken *token)
{
  const char *p = text;
  gboolean digits = FALSE, dot = FALSE;

  if (*p == '+' || *p == '-')
    p++;
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits = TRUE;
      else if (*p == '.' && !dot)
        dot = TRUE;
      else
        return FALSE;
    }
  if (!digits)
    return FALSE;

  if (!dot)
    {
      char *end = NULL;
      gint64 value;

      errno = 0;
      value = g_ascii_strtoll (text, &end, 10);
      if (errno == 0 && end != NULL && *end == '\0')
        {
          token->type = TEKEN_PDF_TOKEN_INTEGER;
          token->integer = value;
          token->real = (double) value;
          return TRUE;
        }
      /* Too big for an integer: keep it as a real, as other readers do. */
    }
  token->type = TEKEN_PDF_TOKEN_REAL;
  token->real = g_ascii_strtod (text, NULL);
  token->integer = 0;
  return TRUE;
}

static gboolean
lex_regular (TekenPdfLexer *lexer,
             TekenPdfToken *token,
             GError       **error)
{
  GByteArray *bytes = g_byte_array_new ();
  gsize start = lexer->pos;

  while (lexer->pos < lexer->len && is_regular (lexer->data[lexer->pos]))
    {
      lexer->pos++;
      if (lexer->pos - start > 256)
        {
          g_byte_array_unref (bytes);
          teken_pdf_set_syntax_error (error, lexer->base + start);
          return FALSE;
        }
    }
  if (lexer->pos >= lexer->len)
    lexer->hit_end = TRUE;
  g_byte_array_append (bytes, lexer->data + start, lexer->pos - start);
  token_set_bytes (token, bytes);
  if (!parse_number ((const char *) bytes->data, token))
    token->type = TEKEN_PDF_TOKEN_KEYWORD;
  return TRUE;
}

gboolean
teken_pdf_lexer_next (TekenPdfLexer *lexer,
                      TekenPdfToken *token,
                      GError       **error)
{
  guint8 c;

  g_clear_pointer (&token->bytes, g_byte_array_unref);
  teken_pdf_lexer_skip_space (lexer);
  token->start = lexer->pos;
  if (lexer->pos >= lexer->len)
    {
      token->type = TEKEN_PDF_TOKEN_EOF;
      lexer->hit_end = TRUE;
      return TRUE;
    }

  c = lexer->data[lexer->pos];
  switch (c)
    {
    case '/':
      return lex_name (lexer, token, error);
    case '(':
      return lex_literal_string (lexer, token, error);
    case '[':
      lexer->pos++;
      token->type = TEKEN_PDF_TOKEN_ARRAY_OPEN;
      return TRUE;
    case ']':
      lexer->pos++;
      token->type = TEKEN_PDF_TOKEN_ARRAY_CLOSE;
      return TRUE;
    case '<':
      if (lexer->pos + 1 < lexer->len && lexer->data[lexer->pos + 1] == '<')
        {
          lexer->pos += 2;
          token->type = TEKEN_PDF_TOKEN_DICT_OPEN;
          return TRUE;
        }
      if (lexer->pos + 1 >= lexer->len)
        lexer->hit_end = TRUE;
      return lex_hex_string (lexer, token, error);
    case '>':
      if (lexer->pos + 1 < lexer->len && lexer->data[lexer->pos + 1] == '>')
        {
          lexer->pos += 2;
          token->type = TEKEN_PDF_TOKEN_DICT_CLOSE;
          return TRUE;
        }
      if (lexer->pos + 1 >= lexer->len)
        lexer->hit_end = TRUE;
      teken_pdf_set_syntax_error (error, lexer->base + lexer->pos);
      return FALSE;
    case ')':
    case '{':
    case '}':
      teken_pdf_set_syntax_error (error, lexer->base + lexer->pos);
      return FALSE;
    default:
      return lex_regular (lexer, token, error);
    }
}

gboolean
teken_pdf_lexer_accept_keyword (TekenPdfLexer *lexer,
                                const char    *keyword)
{
  TekenPdfToken token = { 0 };
  gsize saved = lexer->pos;
  gboolean found;

  found = teken_pdf_lexer_next (lexer, &token, NULL) && teken_pdf_token_is_keyword (&token, keyword);
  teken_pdf_token_clear (&token);
  if (!found)
    lexer->pos = saved;
  return found;
}

/* Parser */

static TekenPdfObject *parse_from_token (TekenPdfLexer *lexer,
                                         TekenPdfToken *token,
                                         guint          depth,
                                         GError       **error);

static TekenPdfObject *
parse_value (TekenPdfLexer *lexer,
             guint          depth,
             GError       **error)
{
  TekenPdfToken token = { 0 };
  TekenPdfObject *obj = NULL;

  if (teken_pdf_lexer_next (lexer, &token, error))
    obj = parse_from_token (lexer, &token, depth, error);
  teken_pdf_token_clear (&token);
  return obj;
}

static TekenPdfObject *
parse_array (TekenPdfLexer *lexer,
             guint          depth,
             GError       **error)
{
  g_autoptr(TekenPdfObject) array = teken_pdf_array_new ();
  gsize start = lexer->pos;

  for (;;)
    {
      TekenPdfToken token = { 0 };
      TekenPdfObject *item;

      if (!teken_pdf_lexer_next (lexer, &token, error))
        return NULL;
      if (token.type == TEKEN_PDF_TOKEN_ARRAY_CLOSE)
        break;
      if (teken_pdf_array_get_length (array) >= TEKEN_PDF_MAX_ARRAY_LENGTH)
        {
          teken_pdf_token_clear (&token);
          set_limit_error (error, lexer->base + start);
          return NULL;
        }
      item = parse_from_token (lexer, &token, depth, error);
      teken_pdf_token_clear (&token);
      if (item == NULL)
        return NULL;
      teken_pdf_array_append (array, item);
    }
  return g_steal_pointer (&array);
}

static TekenPdfObject *
parse_dict (TekenPdfLexer *lexer,
            guint          depth,
            GError       **error)
{
  g_autoptr(TekenPdfObject) dict = teken_pdf_dict_new ();
  gsize start = lexer->pos;

  for (;;)
    {
      TekenPdfToken key = { 0 };
      TekenPdfObject *value;

      if (!teken_pdf_lexer_next (lexer, &key, error))
        return NULL;
      if (key.type == TEKEN_PDF_TOKEN_DICT_CLOSE)
        break;
      if (key.type != TEKEN_PDF_TOKEN_NAME || teken_pdf_dict_get_size (dict) >= TEKEN_PDF_MAX_DICT_SIZE)
        {
          gboolean too_big = key.type == TEKEN_PDF_TOKEN_NAME;
          teken_pdf_token_clear (&key);
          if (too_big)
            set_limit_error (error, lexer->base + start);
          else
            teken_pdf_set_syntax_error (error, lexer->base + key.start);
          return NULL;
        }

      /* A key directly followed by ">>" has no value; skip it as other readers do. */
      teken_pdf_lexer_skip_space (lexer);
      if (lexer->pos + 1 < lexer->len && lexer->data[lexer->pos] == '>' && lexer->data[lexer->pos + 1] == '>')
        {
          teken_pdf_token_clear (&key);
          continue;
        }

      value = parse_value (lexer, depth, error);
      if (value == NULL)
        {
          teken_pdf_token_clear (&key);
          return NULL;
        }
      teken_pdf_dict_set (dict, (const char *) key.bytes->data, value);
      teken_pdf_token_clear (&key);
    }
  return g_steal_pointer (&dict);
}

/* After an integer: "G R" makes it a reference; otherwise the lexer is rewound. */
static TekenPdfObject *
parse_integer_or_reference (TekenPdfLexer *lexer,
                            gint64         value)
{
  TekenPdfToken gen = { 0 };
  TekenPdfToken r = { 0 };
  gsize saved = lexer->pos;
  TekenPdfObject *obj = NULL;

  if (value >= 0 && value <= G_MAXINT32 &&
      teken_pdf_lexer_next (lexer, &gen, NULL) && gen.type == TEKEN_PDF_TOKEN_INTEGER &&
      gen.integer >= 0 && gen.integer <= 65535 &&
      teken_pdf_lexer_next (lexer, &r, NULL) && teken_pdf_token_is_keyword (&r, "R"))
    obj = teken_pdf_reference_new ((guint) value, (guint) gen.integer);

  teken_pdf_token_clear (&gen);
  teken_pdf_token_clear (&r);
  if (obj == NULL)
    {
      lexer->pos = saved;
      obj = teken_pdf_integer_new (value);
    }
  return obj;
}

static TekenPdfObject *
parse_from_token (TekenPdfLexer *lexer,
                  TekenPdfToken *token,
                  guint          depth,
                  GError       **error)
{
  switch (token->type)
    {
    case TEKEN_PDF_TOKEN_INTEGER:
      return parse_integer_or_reference (lexer, token->integer);
    case TEKEN_PDF_TOKEN_REAL:
      return teken_pdf_real_new (token->real);
    case TEKEN_PDF_TOKEN_NAME:
      return teken_pdf_name_new ((const char *) token->bytes->data);
    case TEKEN_PDF_TOKEN_STRING:
    case TEKEN_PDF_TOKEN_HEX_STRING:
      return teken_pdf_string_new (token->bytes->data, token->bytes->len,
                                   token->type == TEKEN_PDF_TOKEN_HEX_STRING);
    case TEKEN_PDF_TOKEN_ARRAY_OPEN:
    case TEKEN_PDF_TOKEN_DICT_OPEN:
      if (depth + 1 > TEKEN_PDF_MAX_DEPTH)
        {
          set_limit_error (error, lexer->base + token->start);
          return NULL;
        }
      return token->type == TEKEN_PDF_TOKEN_ARRAY_OPEN ? parse_array (lexer, depth + 1, error)
                                                       : parse_dict (lexer, depth + 1, error);
    case TEKEN_PDF_TOKEN_KEYWORD:
      if (teken_pdf_token_is_keyword (token, "true"))
        return teken_pdf_boolean_new (TRUE);
      if (teken_pdf_token_is_keyword (token, "false"))
        return teken_pdf_boolean_new (FALSE);
      if (teken_pdf_token_is_keyword (token, "null"))
        return teken_pdf_null_new ();
      break;
    case TEKEN_PDF_TOKEN_EOF:
    case TEKEN_PDF_TOKEN_ARRAY_CLOSE:
    case TEKEN_PDF_TOKEN_DICT_CLOSE:
    default:
      break;
    }

  teken_pdf_set_syntax_error (error, lexer->base + token->start);
  return NULL;
}

TekenPdfObject *
teken_pdf_parse_object (TekenPdfLexer *lexer,
                        GError       **error)
{
  return parse_value (lexer, 0, error);
}

gboolean
teken_pdf_parse_object_header (TekenPdfLexer *lexer,
                               guint         *num,
                               guint         *gen,
                               GError       **error)
{
  TekenPdfToken t_num = { 0 }, t_gen = { 0 }, t_obj = { 0 };
  gboolean ok;

  teken_pdf_lexer_skip_space (lexer);
  ok = teken_pdf_lexer_next (lexer, &t_num, NULL) && t_num.type == TEKEN_PDF_TOKEN_INTEGER &&
       t_num.integer >= 0 && t_num.integer <= G_MAXINT32 &&
       teken_pdf_lexer_next (lexer, &t_gen, NULL) && t_gen.type == TEKEN_PDF_TOKEN_INTEGER &&
       t_gen.integer >= 0 && t_gen.integer <= 65535 &&
       teken_pdf_lexer_next (lexer, &t_obj, NULL) && teken_pdf_token_is_keyword (&t_obj, "obj");
  if (ok)
    {
      *num = (guint) t_num.integer;
      *gen = (guint) t_gen.integer;
    }
  else
    teken_pdf_set_syntax_error (error, lexer->base + t_num.start);

  teken_pdf_token_clear (&t_num);
  teken_pdf_token_clear (&t_gen);
  teken_pdf_token_clear (&t_obj);
  return ok;
}
