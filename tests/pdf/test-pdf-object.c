/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The object model, the lexer/parser and the stream filters.
 */
#include <zlib.h>

#include "pdf-test-util.h"
#include "teken-pdf-parser-private.h"

static TekenPdfObject *
parse (const char *text,
       GError    **error)
{
  TekenPdfLexer lexer;

  teken_pdf_lexer_init (&lexer, (const guint8 *) text, strlen (text), 0);
  return teken_pdf_parse_object (&lexer, error);
}

static TekenPdfObject *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  TekenPdfObject *obj = parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (obj);
  return obj;
}

static char *
serialize (const TekenPdfObject *obj)
{
  GString *out = g_string_new (NULL);

  teken_pdf_object_serialize (obj, out);
  return g_string_free (out, FALSE);
}

static void
assert_round_trip (TekenPdfObject *obj)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfObject) back = NULL;
  TekenPdfLexer lexer;

  teken_pdf_object_serialize (obj, text);
  teken_pdf_lexer_init (&lexer, (const guint8 *) text->str, text->len, 0);
  back = teken_pdf_parse_object (&lexer, &error);
  g_assert_no_error (error);

  if (!teken_pdf_object_equal (obj, back))
    g_error ("round trip changed the object: %s", text->str);
}

static void
assert_serializes_to (TekenPdfObject *obj,
                      const char     *expected)
{
  g_autofree char *text = serialize (obj);

  g_assert_cmpstr (text, ==, expected);
  teken_pdf_object_unref (obj);
}

static void
test_numbers (void)
{
  assert_serializes_to (teken_pdf_integer_new (-42), "-42");
  assert_serializes_to (teken_pdf_integer_new (G_MAXINT64), "9223372036854775807");
  assert_serializes_to (teken_pdf_real_new (1.5), "1.5");
  assert_serializes_to (teken_pdf_real_new (100.0), "100");
  assert_serializes_to (teken_pdf_real_new (3.14159265), "3.1416");
  assert_serializes_to (teken_pdf_real_new (-0.00001), "0");
  assert_serializes_to (teken_pdf_real_new (0.25), "0.25");
  {
    /* Never an exponent, whatever the magnitude. */
    g_autoptr(TekenPdfObject) big = teken_pdf_real_new (1e20);
    g_autofree char *text = serialize (big);
    g_assert_null (strchr (text, 'e'));
  }

  {
    g_autoptr(TekenPdfObject) a = parse_ok ("-.5");
    g_autoptr(TekenPdfObject) b = parse_ok ("+17");
    g_autoptr(TekenPdfObject) c = parse_ok ("4.");
    g_autoptr(TekenPdfObject) d = parse_ok ("99999999999999999999999");
    g_assert_cmpint (teken_pdf_object_get_kind (a), ==, TEKEN_PDF_REAL);
    g_assert_cmpfloat (teken_pdf_object_get_number (a), ==, -0.5);
    g_assert_cmpint (teken_pdf_object_get_integer (b), ==, 17);
    g_assert_cmpfloat (teken_pdf_object_get_number (c), ==, 4.0);
    g_assert_cmpint (teken_pdf_object_get_kind (d), ==, TEKEN_PDF_REAL);
  }
  {
    g_autoptr(TekenPdfObject) i = parse_ok ("2");
    g_autoptr(TekenPdfObject) r = parse_ok ("2.0");
    g_autoptr(TekenPdfObject) r2 = parse_ok ("2.5");
    g_assert_true (teken_pdf_object_equal (i, r));
    g_assert_false (teken_pdf_object_equal (i, r2));
  }
}

static void
test_names (void)
{
  g_autoptr(TekenPdfObject) name = teken_pdf_name_new ("A B#/(x)\xc3\xa9");
  g_autoptr(TekenPdfObject) parsed = parse_ok ("/Lime#20Green");
  g_autoptr(TekenPdfObject) bad_escape = parse_ok ("/A#zz");
  g_autofree char *text = serialize (name);

  g_assert_cmpstr (text, ==, "/A#20B#23#2F#28x#29#C3#A9");
  assert_round_trip (name);
  g_assert_cmpstr (teken_pdf_object_get_name (parsed), ==, "Lime Green");
  g_assert_true (teken_pdf_object_is_name (parsed, "Lime Green"));
  g_assert_false (teken_pdf_object_is_name (NULL, "Lime Green"));
  g_assert_cmpstr (teken_pdf_object_get_name (bad_escape), ==, "A#zz");
}

static void
test_strings (void)
{
  static const guint8 binary[] = { 0, 1, '\r', '\n', '(', '\\', 0xff, ')', ')' };
  g_autoptr(TekenPdfObject) balanced = teken_pdf_string_new ((const guint8 *) "a(b)c", 5, FALSE);
  g_autoptr(TekenPdfObject) unbalanced = teken_pdf_string_new ((const guint8 *) "a)b(", 4, FALSE);
  g_autoptr(TekenPdfObject) bin = teken_pdf_string_new (binary, sizeof binary, FALSE);
  g_autoptr(TekenPdfObject) hex = teken_pdf_string_new (binary, sizeof binary, TRUE);
  g_autofree char *t1 = serialize (balanced);
  g_autofree char *t2 = serialize (unbalanced);
  g_autofree char *t3 = serialize (hex);
  const guint8 *data;
  gsize len;

  g_assert_cmpstr (t1, ==, "(a(b)c)");
  g_assert_cmpstr (t2, ==, "(a\\)b\\()");
  g_assert_cmpstr (t3, ==, "<00010D0A285CFF2929>");
  assert_round_trip (balanced);
  assert_round_trip (unbalanced);
  assert_round_trip (bin);
  assert_round_trip (hex);

  {
    /* Escapes, octal, line continuation, nested parentheses, bare CR/CRLF read as LF. */
    g_autoptr(TekenPdfObject) s = parse_ok ("(a\\n\\t\\053\\0053\\(x\\)(n(e)st)\\\ny\rz\r\nw\\q)");
    data = teken_pdf_object_get_string (s, &len);
    g_assert_cmpmem (data, len, "a\n\t+\0053(x)(n(e)st)y\nz\nwq", 23);
  }
  {
    g_autoptr(TekenPdfObject) s = parse_ok ("<41 42\n4>");
    data = teken_pdf_object_get_string (s, &len);
    g_assert_cmpmem (data, len, "AB@", 3);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TekenPdfObject) s = parse ("<41 4G>", &error);
    g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX);
    g_assert_null (s);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TekenPdfObject) s = parse ("(never closed", &error);
    g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX);
  }
}

static void
assert_text_round_trip (const char *utf8,
                        gboolean    expect_utf16)
{
  g_autoptr(TekenPdfObject) s = teken_pdf_string_new_text (utf8);
  g_autofree char *back = teken_pdf_object_get_text (s);
  gsize len;
  const guint8 *data = teken_pdf_object_get_string (s, &len);
  gboolean utf16 = len >= 2 && data[0] == 0xfe && data[1] == 0xff;

  g_assert_cmpstr (back, ==, utf8);
  g_assert_cmpint (utf16, ==, expect_utf16);
  assert_round_trip (s);
}

static void
test_text_strings (void)
{
  g_autoptr(TekenPdfObject) euro = teken_pdf_string_new_text ("\xe2\x82\xac \xe2\x80\xa2");
  const guint8 *data;
  gsize len;

  assert_text_round_trip ("Kabupaten Contoh", FALSE);
  assert_text_round_trip ("Caf\xc3\xa9 \xe2\x80\x94 \xef\xac\x81", FALSE);  /* é — ﬁ */
  assert_text_round_trip ("\xe6\x97\xa5\xe6\x9c\xac", TRUE);                  /* 日本 */
  assert_text_round_trip ("\xf0\x9f\x98\x80 emoji", TRUE);                    /* surrogate pair */
  assert_text_round_trip ("\xc3\xbe\xc3\xbf looks like a BOM", TRUE);         /* þÿ */
  assert_text_round_trip ("", FALSE);

  /* € is 0xA0 and • is 0x80 in PDFDocEncoding. */
  data = teken_pdf_object_get_string (euro, &len);
  g_assert_cmpmem (data, len, "\xa0 \x80", 3);

  {
    /* 0x93 is ﬁ, 0x8D “, 0x9F undefined → U+FFFD. */
    g_autoptr(TekenPdfObject) s = teken_pdf_string_new ((const guint8 *) "\x93\x8d\x9f", 3, FALSE);
    g_autofree char *text = teken_pdf_object_get_text (s);
    g_assert_cmpstr (text, ==, "\xef\xac\x81\xe2\x80\x9c\xef\xbf\xbd");
  }
  {
    /* PDF 2.0: UTF-8 with a BOM. */
    g_autoptr(TekenPdfObject) s = teken_pdf_string_new ((const guint8 *) "\xef\xbb\xbfTanda \xc3\xa9", 11, FALSE);
    g_autofree char *text = teken_pdf_object_get_text (s);
    g_assert_cmpstr (text, ==, "Tanda \xc3\xa9");
  }
  {
    /* A language tag inside UTF-16 is skipped. */
    static const guint8 tagged[] = { 0xfe, 0xff, 0, 0x1b, 0, 'i', 0, 'd', 0, 0x1b, 0, 'H', 0, 'i' };
    g_autoptr(TekenPdfObject) s = teken_pdf_string_new (tagged, sizeof tagged, FALSE);
    g_autofree char *text = teken_pdf_object_get_text (s);
    g_assert_cmpstr (text, ==, "Hi");
  }
}

static void
test_references_and_containers (void)
{
  g_autoptr(TekenPdfObject) obj = parse_ok ("<</A 1 0 R /B [1 2 R 3 4 5 R /N 6] /C <</D null /E true /F false>> "
                                            "% comment\n /G (x) /H <00>>>");
  TekenPdfObject *b = teken_pdf_dict_get (obj, "B");

  g_assert_cmpint (teken_pdf_object_get_kind (teken_pdf_dict_get (obj, "A")), ==, TEKEN_PDF_REFERENCE);
  g_assert_cmpuint (teken_pdf_array_get_length (b), ==, 5);
  g_assert_cmpuint (teken_pdf_object_get_ref_num (teken_pdf_array_get (b, 0)), ==, 1);
  g_assert_cmpuint (teken_pdf_object_get_ref_gen (teken_pdf_array_get (b, 0)), ==, 2);
  g_assert_cmpint (teken_pdf_object_get_integer (teken_pdf_array_get (b, 1)), ==, 3);
  g_assert_cmpuint (teken_pdf_object_get_ref_num (teken_pdf_array_get (b, 2)), ==, 4);
  g_assert_true (teken_pdf_object_is_name (teken_pdf_array_get (b, 3), "N"));
  g_assert_cmpint (teken_pdf_object_get_integer (teken_pdf_array_get (b, 4)), ==, 6);
  g_assert_null (teken_pdf_array_get (b, 5));
  g_assert_true (teken_pdf_object_get_boolean (teken_pdf_dict_get (teken_pdf_dict_get (obj, "C"), "E")));
  g_assert_cmpuint (teken_pdf_dict_get_size (obj), ==, 5);
  g_assert_cmpstr (teken_pdf_dict_get_key (obj, 4), ==, "H");
  assert_round_trip (obj);

  {
    g_autoptr(TekenPdfObject) copy = teken_pdf_object_copy (obj);
    g_assert_true (teken_pdf_object_equal (obj, copy));
    teken_pdf_dict_set (copy, "A", teken_pdf_integer_new (7));
    g_assert_false (teken_pdf_object_equal (obj, copy));
    /* Replacing keeps the position; removing works. */
    g_assert_cmpstr (teken_pdf_dict_get_key (copy, 0), ==, "A");
    g_assert_true (teken_pdf_dict_remove (copy, "A"));
    g_assert_false (teken_pdf_dict_remove (copy, "A"));
    g_assert_cmpstr (teken_pdf_dict_get_key (copy, 0), ==, "B");
  }
  {
    /* A big dictionary (hash index) keeps order and lookups. */
    g_autoptr(TekenPdfObject) big = teken_pdf_dict_new ();
    for (int i = 0; i < 200; i++)
      {
        g_autofree char *key = g_strdup_printf ("K%d", i);
        teken_pdf_dict_set (big, key, teken_pdf_integer_new (i));
      }
    teken_pdf_dict_remove (big, "K5");
    g_assert_cmpuint (teken_pdf_dict_get_size (big), ==, 199);
    g_assert_cmpint (teken_pdf_object_get_integer (teken_pdf_dict_get (big, "K150")), ==, 150);
    g_assert_null (teken_pdf_dict_get (big, "K5"));
    g_assert_cmpstr (teken_pdf_dict_get_key (big, 5), ==, "K6");
    assert_round_trip (big);
  }
  /* Accessors on the wrong kind are harmless. */
  g_assert_cmpint (teken_pdf_object_get_integer (b), ==, 0);
  g_assert_null (teken_pdf_object_get_name (b));
  g_assert_null (teken_pdf_dict_get (b, "X"));
}

static void
test_nesting_limits (void)
{
  g_autoptr(GString) ok = g_string_new (NULL);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfObject) obj = NULL;

  for (int i = 0; i < TEKEN_PDF_MAX_DEPTH; i++)
    g_string_append (ok, i % 2 ? "[" : "<</K ");
  for (int i = TEKEN_PDF_MAX_DEPTH - 1; i >= 0; i--)
    g_string_append (ok, i % 2 ? "]" : ">>");
  obj = parse_ok (ok->str);
  g_clear_pointer (&obj, teken_pdf_object_unref);

  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  obj = parse (deep->str, &error);
  g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT);
  g_assert_null (obj);
  g_clear_error (&error);

  obj = parse ("<</A 1 /B>> ", &error);   /* key without value: skipped */
  g_assert_no_error (error);
  g_assert_cmpuint (teken_pdf_dict_get_size (obj), ==, 1);
  g_clear_pointer (&obj, teken_pdf_object_unref);

  for (const char *bad = "<</A 1 2>>\0] \0{x}\0<<1 2>>\0endobj\0"; *bad != '\0'; bad += strlen (bad) + 1)
    {
      obj = parse (bad, &error);
      g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX);
      g_assert_null (obj);
      g_clear_error (&error);
    }
}

static TekenPdfObject *
make_stream (const char     *dict_text,
             const guint8   *data,
             gsize           len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  return teken_pdf_stream_new (parse_ok (dict_text), bytes);
}

static GBytes *
decode_ok (TekenPdfObject *stream)
{
  g_autoptr(GError) error = NULL;
  GBytes *out = teken_pdf_stream_decode (stream, 1 << 24, &error);

  g_assert_no_error (error);
  return out;
}

static GBytes *
zcompress (const guint8 *data,
           gsize         len)
{
  uLongf out_len = compressBound (len);
  guint8 *out = g_malloc (out_len);

  g_assert_cmpint (compress (out, &out_len, data, len), ==, Z_OK);
  return g_bytes_new_take (out, out_len);
}

static void
test_decode_flate (void)
{
  g_autoptr(GByteArray) plain = g_byte_array_new ();
  g_autoptr(GBytes) z = NULL;
  gsize zlen;
  const guint8 *zdata;

  for (int i = 0; i < 50000; i++)
    {
      guint8 b = (i * 7) ^ (i >> 5);
      g_byte_array_append (plain, &b, 1);
    }
  z = zcompress (plain->data, plain->len);
  zdata = g_bytes_get_data (z, &zlen);

  {
    g_autoptr(TekenPdfObject) s = make_stream ("<</Filter /FlateDecode>>", zdata, zlen);
    g_autoptr(GBytes) out = decode_ok (s);
    g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), plain->data, plain->len);
  }
  {
    /* No Adler-32 at the end, as some producers write it: accepted. */
    g_autoptr(TekenPdfObject) s = make_stream ("<</Filter /FlateDecode>>", zdata, zlen - 4);
    g_autoptr(GBytes) out = decode_ok (s);
    g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), plain->data, plain->len);
  }
  {
    /* A wrong Adler-32: accepted too. */
    g_autofree guint8 *copy = g_memdup2 (zdata, zlen);
    g_autoptr(TekenPdfObject) s = NULL;
    g_autoptr(GBytes) out = NULL;
    copy[zlen - 1] ^= 0xff;
    s = make_stream ("<</Filter /FlateDecode>>", copy, zlen);
    out = decode_ok (s);
    g_assert_cmpuint (g_bytes_get_size (out), ==, plain->len);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TekenPdfObject) s = make_stream ("<</Filter /FlateDecode>>", zdata, zlen);
    g_autoptr(GBytes) out = teken_pdf_stream_decode (s, 1000, &error);
    g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_LIMIT);
    g_assert_null (out);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TekenPdfObject) s = make_stream ("<</Filter /FlateDecode>>", (const guint8 *) "garbage!", 8);
    g_autoptr(GBytes) out = teken_pdf_stream_decode (s, 1000, &error);
    g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TekenPdfObject) s = make_stream ("<</Filter /DCTDecode>>", (const guint8 *) "x", 1);
    g_autoptr(GBytes) out = teken_pdf_stream_decode (s, 1000, &error);
    g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_UNSUPPORTED);
  }
  {
    g_autoptr(TekenPdfObject) s = teken_pdf_stream_new_compressed (teken_pdf_dict_new (), plain->data, plain->len);
    g_autoptr(GBytes) out = decode_ok (s);
    g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), plain->data, plain->len);
    g_assert_cmpint (teken_pdf_object_get_integer (teken_pdf_dict_get (s, "Length")), ==,
                     g_bytes_get_size (teken_pdf_stream_get_raw (s)));
  }
  {
    g_autoptr(TekenPdfObject) s = make_stream ("<</Length 999 /Type /X>>", (const guint8 *) "abc", 3);
    g_autofree char *text = serialize (s);
    /* The serializer writes the real /Length, once. */
    g_assert_cmpstr (text, ==, "<</Type /X /Length 3>>\nstream\nabc\nendstream");
  }
}

static guint8
test_paeth (int a, int b, int c)
{
  int p = a + b - c, pa = abs (p - a), pb = abs (p - b), pc = abs (p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* PNG-encodes rows with the filter type cycling 0..4 (the test's own encoder). */
static GByteArray *
png_encode (const guint8 *data,
            gsize         rows,
            gsize         row_len,
            guint         bpp)
{
  GByteArray *out = g_byte_array_new ();
  g_autofree guint8 *zero = g_malloc0 (row_len);

  for (gsize r = 0; r < rows; r++)
    {
      const guint8 *row = data + r * row_len, *prev = r > 0 ? data + (r - 1) * row_len : zero;
      guint8 type = r % 5;
      g_byte_array_append (out, &type, 1);
      for (gsize i = 0; i < row_len; i++)
        {
          int left = i >= bpp ? row[i - bpp] : 0, up = prev[i], ul = i >= bpp ? prev[i - bpp] : 0;
          int pred = type == 0 ? 0 : type == 1 ? left : type == 2 ? up : type == 3 ? (left + up) / 2
                                                                                    : test_paeth (left, up, ul);
          guint8 v = (guint8) (row[i] - pred);
          g_byte_array_append (out, &v, 1);
        }
    }
  return out;
}

static void
test_decode_predictors (void)
{
  const gsize columns = 37, colors = 3, rows = 23, row_len = columns * colors;
  g_autofree guint8 *image = g_malloc (rows * row_len);
  GRand *rand = g_rand_new_with_seed (42);

  for (gsize i = 0; i < rows * row_len; i++)
    image[i] = g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);

  for (int predictor = 10; predictor <= 15; predictor++)
    {
      g_autoptr(GByteArray) encoded = png_encode (image, rows, row_len, colors);
      g_autoptr(GBytes) z = zcompress (encoded->data, encoded->len);
      g_autofree char *dict = g_strdup_printf ("<</Filter /FlateDecode /DecodeParms <</Predictor %d /Colors 3 "
                                               "/BitsPerComponent 8 /Columns 37>>>>", predictor);
      g_autoptr(TekenPdfObject) s = make_stream (dict, g_bytes_get_data (z, NULL), g_bytes_get_size (z));
      g_autoptr(GBytes) out = decode_ok (s);
      g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), image, rows * row_len);
    }

  {
    /* TIFF predictor 2, 8 bits, 3 colours: each sample is the difference to the one before. */
    g_autofree guint8 *diff = g_memdup2 (image, rows * row_len);
    for (gsize r = 0; r < rows; r++)
      for (gsize i = row_len - 1; i >= colors; i--)
        diff[r * row_len + i] = image[r * row_len + i] - image[r * row_len + i - colors];
    g_autoptr(GBytes) z = zcompress (diff, rows * row_len);
    g_autoptr(TekenPdfObject) s = make_stream ("<</Filter [/FlateDecode] /DecodeParms [<</Predictor 2 /Colors 3 "
                                               "/Columns 37>>]>>", g_bytes_get_data (z, NULL), g_bytes_get_size (z));
    g_autoptr(GBytes) out = decode_ok (s);
    g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), image, rows * row_len);
  }
  {
    /* Absurd parameters on a few bytes: no giant allocation, no crash. */
    g_autoptr(GBytes) z = zcompress ((const guint8 *) "\002abcdef", 7);
    const char *dicts[] = {
      "<</Filter /FlateDecode /DecodeParms <</Predictor 15 /Columns 99999999 /Colors 99 /BitsPerComponent 16>>>>",
      "<</Filter /FlateDecode /DecodeParms <</Predictor 2 /Columns 99999999 /Colors 32 /BitsPerComponent 1>>>>",
      "<</Filter /FlateDecode /DecodeParms <</Predictor 12 /Columns -5>>>>",
    };
    for (guint i = 0; i < G_N_ELEMENTS (dicts); i++)
      {
        g_autoptr(TekenPdfObject) s = make_stream (dicts[i], g_bytes_get_data (z, NULL), g_bytes_get_size (z));
        g_autoptr(GBytes) out = decode_ok (s);
        g_assert_cmpuint (g_bytes_get_size (out), <=, 7);
      }
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TekenPdfObject) s = make_stream ("<</Filter /FlateDecode /DecodeParms <</Predictor 12 "
                                                 "/BitsPerComponent 3>>>>", g_bytes_get_data (z, NULL),
                                                 g_bytes_get_size (z));
      g_autoptr(GBytes) out = teken_pdf_stream_decode (s, 1000, &error);
      g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX);
    }
  }
  {
    /* An xref-stream style PNG Up predictor with 5 columns. */
    static const guint8 rows_up[] = { 2, 1, 0, 0, 16, 0,  2, 0, 0, 0, 5, 0,  2, 1, 0, 0, 7, 1 };
    static const guint8 expect[] = { 1, 0, 0, 16, 0,  1, 0, 0, 21, 0,  2, 0, 0, 28, 1 };
    g_autoptr(GBytes) z = zcompress (rows_up, sizeof rows_up);
    g_autoptr(TekenPdfObject) s = make_stream ("<</Filter /FlateDecode /DecodeParms <</Predictor 12 /Columns 5>>>>",
                                               g_bytes_get_data (z, NULL), g_bytes_get_size (z));
    g_autoptr(GBytes) out = decode_ok (s);
    g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), expect, sizeof expect);
  }
}

static void
test_decode_ascii (void)
{
  struct { const char *dict, *in; const char *out; gsize out_len; } cases[] = {
    { "<</Filter /ASCIIHexDecode>>", "48 65 6c6C\n6F>", "Hello", 5 },
    { "<</Filter /AHx>>", "414>", "A@", 2 },
    { "<</Filter /ASCII85Decode>>", "87cURD]j7BEbo7~>", "Hello world", 11 },
    { "<</Filter /A85>>", "z@:E^~>", "\0\0\0\0abc", 7 },
    { "<</Filter /ASCII85Decode>>", "87cU RD]j\n7BEbo7", "Hello world", 11 },
    { "<</Filter /RunLengthDecode>>", "\002abc\375x\200", "abcxxxx", 7 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TekenPdfObject) s = make_stream (cases[i].dict, (const guint8 *) cases[i].in, strlen (cases[i].in));
      g_autoptr(GBytes) out = decode_ok (s);
      g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), cases[i].out, cases[i].out_len);
    }

  {
    struct { const char *dict, *in; } bad[] = {
      { "<</Filter /ASCIIHexDecode>>", "4x>" },
      { "<</Filter /ASCII85Decode>>", "ab{cd~>" },
      { "<</Filter /ASCII85Decode>>", "v~>" },
      { "<</Filter /ASCII85Decode>>", "a~>" },          /* a lone final character */
      { "<</Filter /ASCII85Decode>>", "uuuuu~>" },      /* above 2^32 */
    };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(TekenPdfObject) s = make_stream (bad[i].dict, (const guint8 *) bad[i].in, strlen (bad[i].in));
        g_autoptr(GBytes) out = teken_pdf_stream_decode (s, 1000, &error);
        g_assert_error (error, TEKEN_PDF_ERROR, TEKEN_PDF_ERROR_SYNTAX);
        g_assert_null (out);
      }
  }

  {
    /* A chain: hex of a flate stream, with a null placeholder in /DecodeParms. */
    g_autoptr(GBytes) z = zcompress ((const guint8 *) "chained filters", 15);
    g_autoptr(GString) hex = g_string_new (NULL);
    g_autoptr(TekenPdfObject) s = NULL;
    g_autoptr(GBytes) out = NULL;
    for (gsize i = 0; i < g_bytes_get_size (z); i++)
      g_string_append_printf (hex, "%02x", ((const guint8 *) g_bytes_get_data (z, NULL))[i]);
    g_string_append_c (hex, '>');
    s = make_stream ("<</Filter [/ASCIIHexDecode /FlateDecode] /DecodeParms [null null]>>",
                     (const guint8 *) hex->str, hex->len);
    out = decode_ok (s);
    g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), "chained filters", 15);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pdf/object/numbers", test_numbers);
  g_test_add_func ("/pdf/object/names", test_names);
  g_test_add_func ("/pdf/object/strings", test_strings);
  g_test_add_func ("/pdf/object/text-strings", test_text_strings);
  g_test_add_func ("/pdf/object/containers", test_references_and_containers);
  g_test_add_func ("/pdf/object/nesting-limits", test_nesting_limits);
  g_test_add_func ("/pdf/decode/flate", test_decode_flate);
  g_test_add_func ("/pdf/decode/predictors", test_decode_predictors);
  g_test_add_func ("/pdf/decode/ascii", test_decode_ascii);

  return g_test_run ();
}
