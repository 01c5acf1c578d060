/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-appearance.h"

#include <png.h>
#include <qrencode.h>

#define MIN_FONT_SIZE 4.0
#define MAX_FONT_SIZE 12.0
#define LINE_SPACING 1.18
#define NAME_SCALE 1.25
#define MAX_IMAGE_SIDE 1024
#define MAX_PNG_SIZE (32 * 1024 * 1024)
#define MAX_PNG_SIDE 16384
#define MAX_PNG_PIXELS (40 * 1024 * 1024)

struct _TekenAppearance
{
  GObject parent_instance;

  char *signer_name;
  GDateTime *time;
  char *reason;
  char *location;
  char *qr_text;
  gboolean demo;

  /* the decoded image: RGB bytes and, when not opaque, an alpha channel */
  int image_width;
  int image_height;
  GBytes *image_rgb;
  GBytes *image_alpha;
};

G_DEFINE_FINAL_TYPE (TekenAppearance, teken_appearance, G_TYPE_OBJECT)

G_DEFINE_QUARK (teken-appearance-error-quark, teken_appearance_error)

/* Helvetica advance widths (Adobe's AFM, 1/1000 em) for WinAnsiEncoding codes 32..255;
 * unused codes get the width of a space. */
static const guint16 helvetica_widths[224] = {
  /* 32 */ 278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
  /* 48 */ 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  /* 64 */ 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  /* 80 */ 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  /* 96 */ 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
  /* 112 */ 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 278,
  /* 128 */ 556, 278, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 278, 611, 278,
  /* 144 */ 278, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 278, 500, 667,
  /* 160 */ 278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
  /* 176 */ 400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
  /* 192 */ 667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
  /* 208 */ 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
  /* 224 */ 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
  /* 240 */ 556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
};

/* Unicode code points of WinAnsiEncoding 0x80..0x9F (0 = unused). */
static const gunichar winansi_high[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static int
winansi_code (gunichar c)
{
  if ((c >= 0x20 && c < 0x7F) || (c >= 0xA0 && c <= 0xFF))
    return (int) c;
  for (int i = 0; i < 32; i++)
    if (winansi_high[i] != 0 && winansi_high[i] == c)
      return 0x80 + i;
  return -1;
}

GBytes *
teken_appearance_to_winansi (const char *utf8)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  if (utf8 == NULL)
    utf8 = "";
  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      int code;
      guint8 byte;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        c = ' ';
      code = winansi_code (c);
      if (code < 0)
        {
          /* ā, ṭ, ẓ …: keep the base letter (Indonesian names from Arabic transliteration) */
          gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
          gsize n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));

          code = n > 0 ? winansi_code (decomposed[0]) : -1;
          if (code < 0 && (c == 0x2032 || c == 0x02BC))
            code = '\'';
          if (code < 0)
            code = '?';
        }
      byte = (guint8) code;
      g_byte_array_append (out, &byte, 1);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

double
teken_appearance_winansi_width (const guint8 *text,
                                gsize         len,
                                double        size)
{
  guint units = 0;

  for (gsize i = 0; i < len; i++)
    units += text[i] >= 32 ? helvetica_widths[text[i] - 32] : helvetica_widths[0];
  return units * size / 1000.0;
}

void
teken_appearance_append_string (GString      *out,
                                const guint8 *text,
                                gsize         len)
{
  g_string_append_c (out, '(');
  for (gsize i = 0; i < len; i++)
    {
      guint8 b = text[i];

      if (b == '(' || b == ')' || b == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) b);
        }
      else if (b < 0x20 || b >= 0x7F)
        g_string_append_printf (out, "\\%03o", b);
      else
        g_string_append_c (out, (char) b);
    }
  g_string_append_c (out, ')');
}

/* Numbers in content streams: locale-independent, short. */
static void
append_num (GString *out,
            double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *end;

  if (ABS (value) < 0.0005)
    value = 0;
  g_ascii_formatd (buf, sizeof buf, "%.3f", value);
  end = buf + strlen (buf) - 1;
  while (end > buf && *end == '0')
    *end-- = '\0';
  if (*end == '.')
    *end = '\0';
  g_string_append (out, buf);
  g_string_append_c (out, ' ');
}

static const char *
indonesian_zone (GTimeSpan offset)
{
  if (offset == 7 * G_TIME_SPAN_HOUR)
    return "WIB";
  if (offset == 8 * G_TIME_SPAN_HOUR)
    return "WITA";
  if (offset == 9 * G_TIME_SPAN_HOUR)
    return "WIT";
  return NULL;
}

char *
teken_appearance_format_time (GDateTime *time)
{
  GTimeSpan offset = g_date_time_get_utc_offset (time);
  const char *zone = indonesian_zone (offset);
  g_autofree char *stamp = g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
  gint64 minutes = ABS (offset) / G_TIME_SPAN_MINUTE;
  g_autofree char *utc = g_strdup_printf ("UTC%c%02d:%02d", offset < 0 ? '-' : '+',
                                          (int) (minutes / 60), (int) (minutes % 60));

  if (zone != NULL)
    return g_strdup_printf ("%s %s (%s)", stamp, zone, utc);
  return g_strdup_printf ("%s %s", stamp, utc);
}

static void
teken_appearance_finalize (GObject *object)
{
  TekenAppearance *self = TEKEN_APPEARANCE (object);

  g_free (self->signer_name);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_free (self->reason);
  g_free (self->location);
  g_free (self->qr_text);
  g_clear_pointer (&self->image_rgb, g_bytes_unref);
  g_clear_pointer (&self->image_alpha, g_bytes_unref);

  G_OBJECT_CLASS (teken_appearance_parent_class)->finalize (object);
}

static void
teken_appearance_class_init (TekenAppearanceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teken_appearance_finalize;
}

static void
teken_appearance_init (TekenAppearance *self)
{
}

TekenAppearance *
teken_appearance_new (void)
{
  return g_object_new (TEKEN_TYPE_APPEARANCE, NULL);
}

void
teken_appearance_set_signer_name (TekenAppearance *self,
                                  const char      *name)
{
  g_return_if_fail (TEKEN_IS_APPEARANCE (self));
  g_free (self->signer_name);
  self->signer_name = g_strdup (name);
}

void
teken_appearance_set_time (TekenAppearance *self,
                           GDateTime       *time)
{
  g_return_if_fail (TEKEN_IS_APPEARANCE (self));
  g_clear_pointer (&self->time, g_date_time_unref);
  if (time != NULL)
    self->time = g_date_time_ref (time);
}

void
teken_appearance_set_reason (TekenAppearance *self,
                             const char      *reason)
{
  g_return_if_fail (TEKEN_IS_APPEARANCE (self));
  g_free (self->reason);
  self->reason = g_strdup (reason);
}

void
teken_appearance_set_location (TekenAppearance *self,
                               const char      *location)
{
  g_return_if_fail (TEKEN_IS_APPEARANCE (self));
  g_free (self->location);
  self->location = g_strdup (location);
}

void
teken_appearance_set_demo (TekenAppearance *self,
                           gboolean         demo)
{
  g_return_if_fail (TEKEN_IS_APPEARANCE (self));
  self->demo = !!demo;
}

void
teken_appearance_set_qr_text (TekenAppearance *self,
                              const char      *text)
{
  g_return_if_fail (TEKEN_IS_APPEARANCE (self));
  g_free (self->qr_text);
  self->qr_text = text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/* --- image --- */

/* Decoded straight to non-premultiplied 8-bit RGBA by libpng's simplified API (cairo would
 * pull a whole graphics stack into the command line for this one job). */
static guint8 *
decode_png (const guint8 *data,
            gsize         len,
            int          *width,
            int          *height)
{
  png_image image = { .version = PNG_IMAGE_VERSION };
  guint8 *pixels;

  if (!png_image_begin_read_from_memory (&image, data, len))
    return NULL;
  /* Refuse decompression bombs before allocating anything. */
  if (image.width == 0 || image.height == 0 ||
      image.width > MAX_PNG_SIDE || image.height > MAX_PNG_SIDE ||
      (guint64) image.width * image.height > MAX_PNG_PIXELS)
    {
      png_image_free (&image);
      return NULL;
    }
  image.format = PNG_FORMAT_RGBA;
  pixels = g_malloc (PNG_IMAGE_SIZE (image));
  if (!png_image_finish_read (&image, NULL, pixels, 0, NULL))
    {
      png_image_free (&image);
      g_free (pixels);
      return NULL;
    }
  *width = image.width;
  *height = image.height;
  return pixels;
}

/* Area-averages RGBA (weighting colour by alpha) down to at most MAX_IMAGE_SIDE on the longer
 * side, and stores colour and alpha the way the /Image and /SMask XObjects want them. */
static void
store_pixels (TekenAppearance *self,
              const guint8    *rgba,
              int              w,
              int              h)
{
  double scale = MIN (1.0, (double) MAX_IMAGE_SIDE / MAX (w, h));
  int nw = MAX (1, (int) (w * scale + 0.5));
  int nh = MAX (1, (int) (h * scale + 0.5));
  guint8 *rgb = g_malloc ((gsize) nw * nh * 3);
  guint8 *alpha = g_malloc ((gsize) nw * nh);
  gboolean opaque = TRUE;

  for (int y = 0; y < nh; y++)
    {
      int y0 = (int) ((gint64) y * h / nh), y1 = MAX (y0 + 1, (int) ((gint64) (y + 1) * h / nh));

      for (int x = 0; x < nw; x++)
        {
          int x0 = (int) ((gint64) x * w / nw), x1 = MAX (x0 + 1, (int) ((gint64) (x + 1) * w / nw));
          double sum[3] = { 0, 0, 0 }, sum_a = 0;
          gsize i = (gsize) y * nw + x;
          int n = (y1 - y0) * (x1 - x0);

          for (int sy = y0; sy < y1; sy++)
            for (int sx = x0; sx < x1; sx++)
              {
                const guint8 *p = rgba + ((gsize) sy * w + sx) * 4;

                for (int c = 0; c < 3; c++)
                  sum[c] += p[c] * (double) p[3];
                sum_a += p[3];
              }
          for (int c = 0; c < 3; c++)
            rgb[i * 3 + c] = sum_a > 0 ? (guint8) MIN (255.0, sum[c] / sum_a + 0.5) : 255;
          alpha[i] = (guint8) MIN (255.0, sum_a / n + 0.5);
          opaque &= alpha[i] == 255;
        }
    }
  g_clear_pointer (&self->image_rgb, g_bytes_unref);
  g_clear_pointer (&self->image_alpha, g_bytes_unref);
  self->image_width = nw;
  self->image_height = nh;
  self->image_rgb = g_bytes_new_take (rgb, (gsize) nw * nh * 3);
  if (opaque)
    g_free (alpha);
  else
    self->image_alpha = g_bytes_new_take (alpha, (gsize) nw * nh);
}

gboolean
teken_appearance_set_image_bytes (TekenAppearance  *self,
                                  GBytes           *png,
                                  GError          **error)
{
  g_autofree guint8 *rgba = NULL;
  const guint8 *data;
  gsize len;
  int w = 0, h = 0;

  g_return_val_if_fail (TEKEN_IS_APPEARANCE (self), FALSE);
  g_return_val_if_fail (png != NULL, FALSE);

  data = g_bytes_get_data (png, &len);
  if (len < 8 || len > MAX_PNG_SIZE || memcmp (data, "\x89PNG\r\n\x1a\n", 8) != 0)
    {
      g_set_error_literal (error, TEKEN_APPEARANCE_ERROR, TEKEN_APPEARANCE_ERROR_IMAGE,
                           _("The image is not a PNG file"));
      return FALSE;
    }
  rgba = decode_png (data, len, &w, &h);
  if (rgba == NULL)
    {
      g_set_error_literal (error, TEKEN_APPEARANCE_ERROR, TEKEN_APPEARANCE_ERROR_IMAGE,
                           _("The PNG image could not be read"));
      return FALSE;
    }
  store_pixels (self, rgba, w, h);
  return TRUE;
}

gboolean
teken_appearance_set_image_file (TekenAppearance  *self,
                                 const char       *path,
                                 GError          **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TEKEN_IS_APPEARANCE (self), FALSE);

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error_literal (error, TEKEN_APPEARANCE_ERROR, TEKEN_APPEARANCE_ERROR_IMAGE,
                           local_error->message);
      return FALSE;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  return teken_appearance_set_image_bytes (self, bytes, error);
}

/* --- layout --- */

typedef struct
{
  GBytes *text;      /* WinAnsi */
  double scale;      /* relative font size */
  gboolean red;
} Paragraph;

typedef struct
{
  guint8 *text;
  gsize len;
  double scale;
  gboolean red;
} Line;

static void
line_clear (Line *line)
{
  g_free (line->text);
}

static void
add_paragraph (GArray     *paragraphs,
               const char *utf8,
               double      scale,
               gboolean    red)
{
  Paragraph p = { teken_appearance_to_winansi (utf8), scale, red };

  g_array_append_val (paragraphs, p);
}

static GArray *
make_paragraphs (TekenAppearance *self)
{
  GArray *paragraphs = g_array_new (FALSE, FALSE, sizeof (Paragraph));
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *when = NULL;
  g_autofree char *date_line = NULL;

  if (self->demo)
    add_paragraph (paragraphs, "DEMO — TIDAK SAH", 1.0, TRUE);
  add_paragraph (paragraphs, _("Digitally signed by"), 1.0, FALSE);
  add_paragraph (paragraphs, self->signer_name != NULL ? self->signer_name : "?", NAME_SCALE, FALSE);
  if (self->time == NULL)
    now = g_date_time_new_now_local ();
  when = teken_appearance_format_time (self->time != NULL ? self->time : now);
  /* translators: %s is the signing date and time, e.g. "2026-11-24 10:40:12 WITA (UTC+08:00)" */
  date_line = g_strdup_printf (_("Date: %s"), when);
  add_paragraph (paragraphs, date_line, 1.0, FALSE);
  if (self->reason != NULL && *self->reason != '\0')
    {
      /* translators: %s is the reason the signer gave */
      g_autofree char *line = g_strdup_printf (_("Reason: %s"), self->reason);
      add_paragraph (paragraphs, line, 1.0, FALSE);
    }
  if (self->location != NULL && *self->location != '\0')
    {
      /* translators: %s is where the document was signed */
      g_autofree char *line = g_strdup_printf (_("Location: %s"), self->location);
      add_paragraph (paragraphs, line, 1.0, FALSE);
    }
  return paragraphs;
}

static void
push_line (GArray       *lines,
           const guint8 *text,
           gsize         len,
           const Paragraph *p)
{
  Line line = { g_memdup2 (text, len), len, p->scale, p->red };

  g_array_append_val (lines, line);
}

/* Greedy word wrap; a word wider than the line is broken between characters. */
static void
wrap_paragraph (GArray          *lines,
                const Paragraph *p,
                double           size,
                double           width)
{
  gsize len;
  const guint8 *text = g_bytes_get_data (p->text, &len);
  gsize start = 0;

  while (start < len && text[start] == ' ')
    start++;
  while (start < len)
    {
      gsize end = start, last_break = 0;

      while (end < len &&
             teken_appearance_winansi_width (text + start, end - start + 1, size) <= width)
        {
          end++;
          if (end < len && text[end] == ' ')
            last_break = end;
        }
      if (end < len && last_break > start)
        end = last_break;
      if (end == start)
        end = start + 1;   /* not even one character fits: overflow rather than loop */
      push_line (lines, text + start, end - start, p);
      start = end;
      while (start < len && text[start] == ' ')
        start++;
    }
}

static double
lines_height (GArray *lines,
              double  size)
{
  double h = 0;

  for (guint i = 0; i < lines->len; i++)
    h += g_array_index (lines, Line, i).scale * size * LINE_SPACING;
  return h;
}

static GArray *
new_line_array (void)
{
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (Line));

  g_array_set_clear_func (lines, (GDestroyNotify) line_clear);
  return lines;
}

/* Picks the largest font size at which every paragraph, wrapped, fits the box. At the
 * smallest size, lines that do not fit are dropped and the last one ends with "…". */
static GArray *
layout_text (GArray *paragraphs,
             double  width,
             double  height,
             double *out_size,
             GError **error)
{
  double size = MIN (MAX_FONT_SIZE, height / (paragraphs->len * LINE_SPACING + 0.3));

  for (size = MAX (size, MIN_FONT_SIZE); size >= MIN_FONT_SIZE; size -= 0.25)
    {
      g_autoptr(GArray) lines = new_line_array ();
      gboolean fits = TRUE;

      for (guint i = 0; i < paragraphs->len; i++)
        {
          Paragraph *p = &g_array_index (paragraphs, Paragraph, i);
          guint first = lines->len;

          wrap_paragraph (lines, p, size * p->scale, width);
          for (guint j = first; j < lines->len; j++)
            {
              Line *l = &g_array_index (lines, Line, j);
              fits &= teken_appearance_winansi_width (l->text, l->len, size * l->scale) <= width;
            }
        }
      if (fits && lines_height (lines, size) <= height)
        {
          *out_size = size;
          return g_steal_pointer (&lines);
        }
      if (size - 0.25 < MIN_FONT_SIZE)
        {
          /* the smallest legible size: keep what fits */
          while (lines->len > 0 && lines_height (lines, MIN_FONT_SIZE) > height)
            g_array_remove_index (lines, lines->len - 1);
          if (lines->len < 2 || !fits)
            break;
          {
            Line *last = &g_array_index (lines, Line, lines->len - 1);

            while (last->len > 0 &&
                   teken_appearance_winansi_width (last->text, last->len, MIN_FONT_SIZE * last->scale) +
                   teken_appearance_winansi_width ((const guint8 *) "\x85", 1, MIN_FONT_SIZE * last->scale) > width)
              last->len--;
            last->text = g_realloc (last->text, last->len + 1);
            last->text[last->len++] = 0x85;   /* … in WinAnsi */
          }
          *out_size = MIN_FONT_SIZE;
          return g_steal_pointer (&lines);
        }
    }
  g_set_error_literal (error, TEKEN_APPEARANCE_ERROR, TEKEN_APPEARANCE_ERROR_TOO_SMALL,
                       _("The signature rectangle is too small for a legible stamp"));
  return NULL;
}

static void
paragraphs_free (GArray *paragraphs)
{
  for (guint i = 0; i < paragraphs->len; i++)
    g_bytes_unref (g_array_index (paragraphs, Paragraph, i).text);
  g_array_unref (paragraphs);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QRcode, QRcode_free)

/* Dark modules as rectangles, one per horizontal run, on a white square with a quiet zone. */
static gboolean
append_qr (GString     *out,
           const char  *text,
           double       x,
           double       y,
           double       side,
           GError     **error)
{
  g_autoptr(QRcode) qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  const int quiet = 2;
  double module;

  if (qr == NULL)
    {
      g_set_error_literal (error, TEKEN_APPEARANCE_ERROR, TEKEN_APPEARANCE_ERROR_QR,
                           _("The QR code text is too long"));
      return FALSE;
    }
  module = side / (qr->width + 2 * quiet);
  g_string_append (out, "q 1 g ");
  append_num (out, x);
  append_num (out, y);
  append_num (out, side);
  append_num (out, side);
  g_string_append (out, "re f 0 g ");
  append_num (out, module);
  g_string_append (out, "0 0 ");
  append_num (out, module);
  append_num (out, x + quiet * module);
  append_num (out, y + quiet * module);
  g_string_append (out, "cm\n");
  for (int row = 0; row < qr->width; row++)
    for (int col = 0; col < qr->width;)
      {
        int run = 0;

        while (col + run < qr->width && (qr->data[row * qr->width + col + run] & 1))
          run++;
        if (run > 0)
          g_string_append_printf (out, "%d %d %d 1 re\n", col, qr->width - 1 - row, run);
        col += MAX (run, 1);
      }
  g_string_append (out, "f Q\n");
  return TRUE;
}

static void
append_image (GString         *out,
              TekenAppearance *self,
              double           x,
              double           y,
              double           box_w,
              double           box_h)
{
  double scale = MIN (box_w / self->image_width, box_h / self->image_height);
  double w = self->image_width * scale;
  double h = self->image_height * scale;

  g_string_append (out, "q ");
  append_num (out, w);
  g_string_append (out, "0 0 ");
  append_num (out, h);
  append_num (out, x + (box_w - w) / 2);
  append_num (out, y + (box_h - h) / 2);
  g_string_append (out, "cm /Im1 Do Q\n");
}

static void
append_text (GString *out,
             GArray  *lines,
             double   size,
             double   x,
             double   y,
             double   height)
{
  /* centred vertically in the text box */
  double top = y + height - (height - lines_height (lines, size)) / 2;

  for (guint i = 0; i < lines->len; i++)
    {
      Line *l = &g_array_index (lines, Line, i);
      double s = size * l->scale;

      top -= s * LINE_SPACING;
      g_string_append (out, l->red ? "BT 0.75 0 0 rg /F1 " : "BT 0 g /F1 ");
      append_num (out, s);
      g_string_append (out, "Tf ");
      append_num (out, x);
      /* baseline: the descender (0.21 em) above the bottom of the line box */
      append_num (out, top + s * 0.21 + s * (LINE_SPACING - 1) / 2);
      g_string_append (out, "Td ");
      teken_appearance_append_string (out, l->text, l->len);
      g_string_append (out, " Tj ET\n");
    }
}

GBytes *
teken_appearance_build_content (TekenAppearance  *self,
                                double            width,
                                double            height,
                                GError          **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  GArray *paragraphs;
  g_autoptr(GArray) lines = NULL;
  double pad = CLAMP (MIN (width, height) * 0.05, 1.5, 4.0);
  double x = pad, y = pad, w = width - 2 * pad, h = height - 2 * pad;
  double size = 0;

  g_return_val_if_fail (TEKEN_IS_APPEARANCE (self), NULL);

  if (w < 20 || h < MIN_FONT_SIZE * 2)
    {
      g_set_error_literal (error, TEKEN_APPEARANCE_ERROR, TEKEN_APPEARANCE_ERROR_TOO_SMALL,
                           _("The signature rectangle is too small for a legible stamp"));
      return NULL;
    }

  /* a thin frame so that the stamp reads as one thing */
  g_string_append (out, "q 0.2 0.3 0.5 RG 0.6 w ");
  append_num (out, 0.3);
  append_num (out, 0.3);
  append_num (out, width - 0.6);
  append_num (out, height - 0.6);
  g_string_append (out, "re S Q\n");

  if (self->qr_text != NULL)
    {
      double side = MIN (h, w * 0.35);

      if (!append_qr (out, self->qr_text, x + w - side, y + (h - side) / 2, side, error))
        return NULL;
      w -= side + pad;
    }
  if (self->image_rgb != NULL)
    {
      double box = MIN (h, w * 0.3);

      append_image (out, self, x, y + (h - box) / 2, box, box);
      x += box + pad;
      w -= box + pad;
    }

  paragraphs = make_paragraphs (self);
  lines = layout_text (paragraphs, w, h, &size, error);
  paragraphs_free (paragraphs);
  if (lines == NULL)
    return NULL;
  append_text (out, lines, size, x, y, h);
  return g_bytes_new (out->str, out->len);
}

/* --- PDF objects --- */

static guint
add_image_objects (TekenAppearance *self,
                   TekenPdfUpdate  *update)
{
  TekenPdfObject *dict = teken_pdf_dict_new ();
  gsize len;
  const guint8 *data;

  teken_pdf_dict_set (dict, "Type", teken_pdf_name_new ("XObject"));
  teken_pdf_dict_set (dict, "Subtype", teken_pdf_name_new ("Image"));
  teken_pdf_dict_set (dict, "Width", teken_pdf_integer_new (self->image_width));
  teken_pdf_dict_set (dict, "Height", teken_pdf_integer_new (self->image_height));
  teken_pdf_dict_set (dict, "ColorSpace", teken_pdf_name_new ("DeviceRGB"));
  teken_pdf_dict_set (dict, "BitsPerComponent", teken_pdf_integer_new (8));
  if (self->image_alpha != NULL)
    {
      TekenPdfObject *mask = teken_pdf_dict_new ();
      guint mask_num;

      teken_pdf_dict_set (mask, "Type", teken_pdf_name_new ("XObject"));
      teken_pdf_dict_set (mask, "Subtype", teken_pdf_name_new ("Image"));
      teken_pdf_dict_set (mask, "Width", teken_pdf_integer_new (self->image_width));
      teken_pdf_dict_set (mask, "Height", teken_pdf_integer_new (self->image_height));
      teken_pdf_dict_set (mask, "ColorSpace", teken_pdf_name_new ("DeviceGray"));
      teken_pdf_dict_set (mask, "BitsPerComponent", teken_pdf_integer_new (8));
      data = g_bytes_get_data (self->image_alpha, &len);
      mask_num = teken_pdf_update_add_object (update, teken_pdf_stream_new_compressed (mask, data, len));
      teken_pdf_dict_set (dict, "SMask", teken_pdf_reference_new (mask_num, 0));
    }
  data = g_bytes_get_data (self->image_rgb, &len);
  return teken_pdf_update_add_object (update, teken_pdf_stream_new_compressed (dict, data, len));
}

static TekenPdfObject *
make_array4 (double a, double b, double c, double d)
{
  TekenPdfObject *array = teken_pdf_array_new ();

  teken_pdf_array_append (array, teken_pdf_real_new (a));
  teken_pdf_array_append (array, teken_pdf_real_new (b));
  teken_pdf_array_append (array, teken_pdf_real_new (c));
  teken_pdf_array_append (array, teken_pdf_real_new (d));
  return array;
}

/* Turns the upright stamp against the page's /Rotate, so it reads upright on screen. */
static TekenPdfObject *
rotation_matrix (int    rotate,
                 double w,
                 double h)
{
  const double m[4][6] = {
    { 1, 0, 0, 1, 0, 0 },
    { 0, 1, -1, 0, h, 0 },
    { -1, 0, 0, -1, w, h },
    { 0, -1, 1, 0, 0, w },
  };
  int i = ((rotate % 360 + 360) % 360) / 90;
  TekenPdfObject *array = teken_pdf_array_new ();

  for (int k = 0; k < 6; k++)
    teken_pdf_array_append (array, teken_pdf_real_new (m[i][k]));
  return array;
}

static TekenPdfObject *
make_resources (guint image_num)
{
  TekenPdfObject *resources = teken_pdf_dict_new ();
  TekenPdfObject *fonts = teken_pdf_dict_new ();
  TekenPdfObject *font = teken_pdf_dict_new ();

  /* standard-14 Helvetica: nothing embedded */
  teken_pdf_dict_set (font, "Type", teken_pdf_name_new ("Font"));
  teken_pdf_dict_set (font, "Subtype", teken_pdf_name_new ("Type1"));
  teken_pdf_dict_set (font, "BaseFont", teken_pdf_name_new ("Helvetica"));
  teken_pdf_dict_set (font, "Encoding", teken_pdf_name_new ("WinAnsiEncoding"));
  teken_pdf_dict_set (fonts, "F1", font);
  teken_pdf_dict_set (resources, "Font", fonts);
  if (image_num != 0)
    {
      TekenPdfObject *xobjects = teken_pdf_dict_new ();

      teken_pdf_dict_set (xobjects, "Im1", teken_pdf_reference_new (image_num, 0));
      teken_pdf_dict_set (resources, "XObject", xobjects);
    }
  return resources;
}

guint
teken_appearance_add_to_update (TekenAppearance  *self,
                                TekenPdfUpdate   *update,
                                double            width,
                                double            height,
                                int               rotate,
                                GError          **error)
{
  g_autoptr(GBytes) content = NULL;
  TekenPdfObject *dict;
  guint image_num = 0;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (TEKEN_IS_APPEARANCE (self), 0);
  g_return_val_if_fail (TEKEN_IS_PDF_UPDATE (update), 0);

  content = teken_appearance_build_content (self, width, height, error);
  if (content == NULL)
    return 0;
  if (self->image_rgb != NULL)
    image_num = add_image_objects (self, update);

  dict = teken_pdf_dict_new ();
  teken_pdf_dict_set (dict, "Type", teken_pdf_name_new ("XObject"));
  teken_pdf_dict_set (dict, "Subtype", teken_pdf_name_new ("Form"));
  teken_pdf_dict_set (dict, "BBox", make_array4 (0, 0, width, height));
  if (((rotate % 360) + 360) % 360 != 0)
    teken_pdf_dict_set (dict, "Matrix", rotation_matrix (rotate, width, height));
  teken_pdf_dict_set (dict, "Resources", make_resources (image_num));
  data = g_bytes_get_data (content, &len);
  return teken_pdf_update_add_object (update, teken_pdf_stream_new_compressed (dict, data, len));
}
