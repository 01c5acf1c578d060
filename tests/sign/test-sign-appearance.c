/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The visible stamp: WinAnsi text, escaping, zone names, fitting, QR, image objects.
 */
#include <cairo.h>
#include <string.h>

#include "teken-core.h"
#include "teken-appearance.h"
#include "teken-pdf-update.h"

static GBytes *
winansi (const char *utf8)
{
  return teken_appearance_to_winansi (utf8);
}

static void
test_winansi (void)
{
  struct { const char *in; const char *out; gsize len; } cases[] = {
    { "Budi Santoso", "Budi Santoso", 12 },
    { "Café", "Caf\xe9", 4 },
    { "a—b", "a\x97" "b", 3 },          /* em dash */
    { "“x”", "\x93x\x94", 3 },
    { "€5", "\x80" "5", 2 },
    { "Ā'isyah", "A'isyah", 7 },       /* macron dropped: base letter kept */
    { "中文", "??", 2 },
    { "a\nb\tc", "a b c", 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) b = winansi (cases[i].in);

      g_assert_cmpmem (g_bytes_get_data (b, NULL), g_bytes_get_size (b), cases[i].out, cases[i].len);
    }
}

static void
test_widths (void)
{
  /* Helvetica AFM: A=667, space=278, i=222, W=944, é=556 */
  g_assert_cmpfloat_with_epsilon (teken_appearance_winansi_width ((const guint8 *) "A", 1, 10), 6.67, 1e-9);
  g_assert_cmpfloat_with_epsilon (teken_appearance_winansi_width ((const guint8 *) "A i", 3, 1000), 667 + 278 + 222, 1e-9);
  g_assert_cmpfloat_with_epsilon (teken_appearance_winansi_width ((const guint8 *) "W\xe9", 2, 1000), 944 + 556, 1e-9);
  g_assert_cmpfloat_with_epsilon (teken_appearance_winansi_width ((const guint8 *) "\x97", 1, 1000), 1000, 1e-9);
}

static void
test_escape (void)
{
  g_autoptr(GString) s = g_string_new (NULL);

  teken_appearance_append_string (s, (const guint8 *) "(a)\\b\xe9\n", 7);
  g_assert_cmpstr (s->str, ==, "(\\(a\\)\\\\b\\351\\012)");
}

static void
test_zone_names (void)
{
  struct { const char *tz; const char *expect; } cases[] = {
    { "+07:00", "2026-11-24 10:40:12 WIB (UTC+07:00)" },
    { "+08:00", "2026-11-24 10:40:12 WITA (UTC+08:00)" },
    { "+09:00", "2026-11-24 10:40:12 WIT (UTC+09:00)" },
    { "+01:00", "2026-11-24 10:40:12 UTC+01:00" },
    { "-03:30", "2026-11-24 10:40:12 UTC-03:30" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (cases[i].tz);
      g_autoptr(GDateTime) t = g_date_time_new (tz, 2026, 11, 24, 10, 40, 12);
      g_autofree char *text = teken_appearance_format_time (t);

      g_assert_cmpstr (text, ==, cases[i].expect);
    }
}

/* Undoes teken_appearance_append_string on "(...)" starting at p; returns the byte after ')'. */
static const char *
unescape (const char *p,
          GString    *out)
{
  g_assert_cmpint (*p, ==, '(');
  for (p++; *p != ')'; p++)
    {
      g_assert_cmpint (*p, !=, '\0');
      if (*p == '\\')
        {
          p++;
          if (*p >= '0' && *p <= '7')
            {
              g_string_append_c (out, (char) ((p[0] - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0')));
              p += 2;
            }
          else
            g_string_append_c (out, *p);
        }
      else
        g_string_append_c (out, *p);
    }
  return p + 1;
}

/* Checks that every text line lies inside [0,w]x[0,h]; returns the number of lines and the
 * smallest font size; text_out collects the lines. */
static guint
check_text_fits (GBytes  *content,
                 double   w,
                 double   h,
                 double  *min_size,
                 GString *text_out)
{
  g_autofree char *str = g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  const char *p = str;
  guint n = 0;

  *min_size = 1000;
  while ((p = strstr (p, "/F1 ")) != NULL)
    {
      char *end;
      double size = g_ascii_strtod (p + 4, &end);
      double x, y;
      g_autoptr(GString) line = g_string_new (NULL);
      double width;

      g_assert_true (g_str_has_prefix (end, " Tf "));
      x = g_ascii_strtod (end + 4, &end);
      y = g_ascii_strtod (end, &end);
      g_assert_true (g_str_has_prefix (end, " Td "));
      p = unescape (end + 4, line);
      width = teken_appearance_winansi_width ((const guint8 *) line->str, line->len, size);
      {
        g_autofree char *printable = g_strescape (line->str, NULL);
        g_test_message ("line %.2f pt at %.2f,%.2f width %.2f: %s", size, x, y, width, printable);
      }
      g_assert_cmpfloat (x, >=, 0);
      g_assert_cmpfloat (x + width, <=, w);
      g_assert_cmpfloat (y - 0.21 * size, >=, 0);         /* descender */
      g_assert_cmpfloat (y + 0.718 * size, <=, h);        /* cap height */
      *min_size = MIN (*min_size, size);
      g_string_append_len (text_out, line->str, line->len);
      g_string_append_c (text_out, '\n');
      n++;
    }
  return n;
}

static TekenAppearance *
make_appearance (void)
{
  TekenAppearance *a = teken_appearance_new ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) t = g_date_time_new (tz, 2026, 11, 24, 10, 40, 12);

  teken_appearance_set_signer_name (a, "Drs. Bambang Contoh (Bupati)");
  teken_appearance_set_time (a, t);
  teken_appearance_set_reason (a, "Saya menyetujui dokumen ini sebagai Bupati Contoh untuk ditindaklanjuti oleh perangkat daerah");
  teken_appearance_set_location (a, "Kabupaten Contoh");
  return a;
}

static void
test_fit (void)
{
  const double sizes[][2] = { { 300, 100 }, { 200, 60 }, { 150, 50 }, { 120, 40 }, { 400, 40 }, { 90, 90 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (int qr = 0; qr <= 1; qr++)
      {
        g_autoptr(TekenAppearance) a = make_appearance ();
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) content = NULL;
        g_autoptr(GString) text = g_string_new (NULL);
        double min_size;
        guint n;

        if (qr)
          teken_appearance_set_qr_text (a, "https://tte.komdigi.go.id/verifyPDF");
        content = teken_appearance_build_content (a, sizes[i][0], sizes[i][1], &error);
        g_assert_no_error (error);
        n = check_text_fits (content, sizes[i][0], sizes[i][1], &min_size, text);
        g_assert_cmpuint (n, >=, 3);
        g_assert_cmpfloat (min_size, >=, 4.0);
        /* the signer and the zone name are always shown (possibly wrapped) */
        g_assert_nonnull (strstr (text->str, "Bambang"));
        if (sizes[i][1] >= 60)
          g_assert_nonnull (strstr (text->str, "WITA"));
      }
}

static void
test_big_rect_uses_big_font (void)
{
  g_autoptr(TekenAppearance) a = make_appearance ();
  g_autoptr(GBytes) content = teken_appearance_build_content (a, 500, 200, NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  double min_size;

  check_text_fits (content, 500, 200, &min_size, text);
  g_assert_cmpfloat (min_size, >=, 10.0);
  g_assert_nonnull (strstr (text->str, "Digitally signed by\n"));
  g_assert_nonnull (strstr (text->str, "Date: 2026-11-24 10:40:12 WITA (UTC+08:00)\n"));
}

static void
test_too_small (void)
{
  g_autoptr(TekenAppearance) a = make_appearance ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = teken_appearance_build_content (a, 15, 8, &error);

  g_assert_null (content);
  g_assert_error (error, TEKEN_APPEARANCE_ERROR, TEKEN_APPEARANCE_ERROR_TOO_SMALL);
}

static void
test_demo_and_escaping (void)
{
  g_autoptr(TekenAppearance) a = make_appearance ();
  g_autoptr(GBytes) content = NULL;
  g_autofree char *str = NULL;

  teken_appearance_set_demo (a, TRUE);
  teken_appearance_set_reason (a, "Setuju (final) \\ ok");
  content = teken_appearance_build_content (a, 300, 100, NULL);
  str = g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  g_assert_nonnull (strstr (str, "(DEMO \\227 TIDAK SAH)"));
  g_assert_nonnull (strstr (str, "\\(final\\) \\\\ ok"));
  g_assert_nonnull (strstr (str, "0.75 0 0 rg"));   /* the demo line is red */
}

static void
test_qr (void)
{
  g_autoptr(TekenAppearance) a = make_appearance ();
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *str = NULL;
  g_autofree char *huge = g_strnfill (8000, 'x');
  guint rects = 0;

  teken_appearance_set_qr_text (a, "https://tte.komdigi.go.id/verifyPDF");
  content = teken_appearance_build_content (a, 300, 100, &error);
  g_assert_no_error (error);
  str = g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  for (const char *p = str; (p = strstr (p, " 1 re\n")) != NULL; p++)
    rects++;
  /* a version-3 code has at least the three finder patterns' rows */
  g_assert_cmpuint (rects, >, 21);

  teken_appearance_set_qr_text (a, huge);
  g_clear_pointer (&content, g_bytes_unref);
  content = teken_appearance_build_content (a, 300, 100, &error);
  g_assert_null (content);
  g_assert_error (error, TEKEN_APPEARANCE_ERROR, TEKEN_APPEARANCE_ERROR_QR);
}

static cairo_status_t
write_png_cb (void                *closure,
              const unsigned char *data,
              unsigned int         len)
{
  g_byte_array_append (closure, data, len);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
make_png (gboolean alpha)
{
  cairo_surface_t *s = cairo_image_surface_create (alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, 40, 20);
  cairo_t *cr = cairo_create (s);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgba (cr, 0, 0.4, 0.8, alpha ? 0.5 : 1);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (s, write_png_cb, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
  return g_byte_array_free_to_bytes (png);
}

static void
test_bad_image (void)
{
  g_autoptr(TekenAppearance) a = teken_appearance_new ();
  g_autoptr(GBytes) junk = g_bytes_new_static ("GIF89a....", 10);
  g_autoptr(GBytes) broken = g_bytes_new_static ("\x89PNG\r\n\x1a\nxxxxxxxx", 16);
  g_autoptr(GError) error = NULL;

  g_assert_false (teken_appearance_set_image_bytes (a, junk, &error));
  g_assert_error (error, TEKEN_APPEARANCE_ERROR, TEKEN_APPEARANCE_ERROR_IMAGE);
  g_clear_error (&error);
  g_assert_false (teken_appearance_set_image_bytes (a, broken, &error));
  g_assert_error (error, TEKEN_APPEARANCE_ERROR, TEKEN_APPEARANCE_ERROR_IMAGE);
}

/* Adds the stamp to an update of a corpus file, then reads the result back with the engine. */
static void
test_objects (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("TEKEN_TEST_CORPUS"), "laporan-cairo.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (path, &error);
  g_autoptr(TekenPdfUpdate) update = NULL;
  g_autoptr(TekenAppearance) a = make_appearance ();
  g_autoptr(GBytes) png = make_png (TRUE);
  g_autoptr(GBytes) tail = NULL;
  g_autoptr(GBytes) base = NULL;
  g_autoptr(GByteArray) whole = g_byte_array_new ();
  g_autoptr(GBytes) whole_bytes = NULL;
  g_autoptr(TekenPdfDocument) reread = NULL;
  g_autoptr(TekenPdfObject) form = NULL;
  g_autoptr(TekenPdfObject) image = NULL;
  g_autoptr(TekenPdfObject) mask = NULL;
  g_autoptr(GBytes) decoded = NULL;
  TekenPdfObject *resources, *font, *matrix;
  guint num;

  g_assert_no_error (error);
  g_assert_true (teken_appearance_set_image_bytes (a, png, &error));
  teken_appearance_set_qr_text (a, "QR");
  update = teken_pdf_update_new (doc);
  num = teken_appearance_add_to_update (a, update, 240, 80, 90, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (num, >, 0);
  tail = teken_pdf_update_serialize (update, &error);
  g_assert_no_error (error);
  base = teken_pdf_document_read_bytes (doc, 0, teken_pdf_document_get_size (doc), &error);
  g_byte_array_append (whole, g_bytes_get_data (base, NULL), g_bytes_get_size (base));
  g_byte_array_append (whole, g_bytes_get_data (tail, NULL), g_bytes_get_size (tail));
  whole_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&whole));
  reread = teken_pdf_document_new_for_bytes (whole_bytes, &error);
  g_assert_no_error (error);

  form = teken_pdf_document_get_object (reread, num, &error);
  g_assert_no_error (error);
  g_assert_true (teken_pdf_object_is_name (teken_pdf_dict_get (form, "Subtype"), "Form"));
  matrix = teken_pdf_dict_get (form, "Matrix");
  g_assert_cmpuint (teken_pdf_array_get_length (matrix), ==, 6);
  g_assert_cmpfloat (teken_pdf_object_get_number (teken_pdf_array_get (matrix, 1)), ==, 1);
  g_assert_cmpfloat (teken_pdf_object_get_number (teken_pdf_array_get (matrix, 2)), ==, -1);
  resources = teken_pdf_dict_get (form, "Resources");
  font = teken_pdf_dict_get (teken_pdf_dict_get (resources, "Font"), "F1");
  g_assert_true (teken_pdf_object_is_name (teken_pdf_dict_get (font, "BaseFont"), "Helvetica"));
  g_assert_true (teken_pdf_object_is_name (teken_pdf_dict_get (font, "Encoding"), "WinAnsiEncoding"));
  g_assert_null (teken_pdf_dict_get (font, "FontFile"));
  image = teken_pdf_document_resolve (reread, teken_pdf_dict_get (teken_pdf_dict_get (resources, "XObject"), "Im1"), &error);
  g_assert_true (teken_pdf_object_is_name (teken_pdf_dict_get (image, "Subtype"), "Image"));
  g_assert_cmpint (teken_pdf_object_get_integer (teken_pdf_dict_get (image, "Width")), ==, 40);
  g_assert_true (teken_pdf_object_is_name (teken_pdf_dict_get (image, "Filter"), "FlateDecode"));
  decoded = teken_pdf_stream_decode (image, 1 << 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (decoded), ==, 40 * 20 * 3);
  /* unpremultiplied colour of (0, 0.4, 0.8) */
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (decoded, NULL))[2], >=, 200);
  mask = teken_pdf_document_resolve (reread, teken_pdf_dict_get (image, "SMask"), &error);
  g_assert_true (teken_pdf_object_is_name (teken_pdf_dict_get (mask, "ColorSpace"), "DeviceGray"));
}

static void
test_opaque_image_has_no_mask (void)
{
  g_autoptr(TekenAppearance) a = make_appearance ();
  g_autoptr(GBytes) png = make_png (FALSE);
  g_autofree char *path = g_build_filename (g_getenv ("TEKEN_TEST_CORPUS"), "laporan-cairo.pdf", NULL);
  g_autoptr(TekenPdfDocument) doc = teken_pdf_document_new_for_path (path, NULL);
  g_autoptr(TekenPdfUpdate) update = teken_pdf_update_new (doc);
  g_autoptr(TekenPdfObject) form = NULL;
  g_autoptr(TekenPdfObject) image = NULL;
  guint num;

  g_assert_true (teken_appearance_set_image_bytes (a, png, NULL));
  num = teken_appearance_add_to_update (a, update, 200, 60, 0, NULL);
  form = teken_pdf_update_get_object (update, num, NULL);
  g_assert_null (teken_pdf_dict_get (form, "Matrix"));
  image = teken_pdf_update_get_object (update, teken_pdf_object_get_ref_num (
    teken_pdf_dict_get (teken_pdf_dict_get (teken_pdf_dict_get (form, "Resources"), "XObject"), "Im1")), NULL);
  g_assert_nonnull (image);
  g_assert_null (teken_pdf_dict_get (image, "SMask"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  teken_core_init ();

  g_test_add_func ("/sign/appearance/winansi", test_winansi);
  g_test_add_func ("/sign/appearance/widths", test_widths);
  g_test_add_func ("/sign/appearance/escape", test_escape);
  g_test_add_func ("/sign/appearance/zone-names", test_zone_names);
  g_test_add_func ("/sign/appearance/fit", test_fit);
  g_test_add_func ("/sign/appearance/big-rect", test_big_rect_uses_big_font);
  g_test_add_func ("/sign/appearance/too-small", test_too_small);
  g_test_add_func ("/sign/appearance/demo-and-escaping", test_demo_and_escaping);
  g_test_add_func ("/sign/appearance/qr", test_qr);
  g_test_add_func ("/sign/appearance/bad-image", test_bad_image);
  g_test_add_func ("/sign/appearance/objects", test_objects);
  g_test_add_func ("/sign/appearance/opaque-image", test_opaque_image_has_no_mask);

  return g_test_run ();
}
