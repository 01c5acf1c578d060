/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "teken-core-private.h"
#include "teken-report-letter.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <cairo.h>
#include <string.h>

#include "teken-signer.h"

G_DEFINE_QUARK (teken-report-letter-error-quark, teken_report_letter_error)

/* A4 in points; margins as in Indonesian naskah dinas (about 2.5 cm left, 2 cm elsewhere). */
#define PAGE_W   595.276
#define PAGE_H   841.890
#define LEFT     71.0
#define RIGHT    (PAGE_W - 57.0)
#define TOP      50.0
#define BOTTOM   (PAGE_H - 45.0)
#define BODY_PT  11.0
#define LINE     (BODY_PT * 1.4)
#define FONT     "serif"

typedef struct
{
  cairo_t *cr;
  double y;
  guint page;
  const char *footer;
} Writer;

TekenReportLetterLayout
teken_report_letter_preferred_layout (TekenReportKind kind)
{
  switch (kind)
    {
    case TEKEN_REPORT_KIND_RENEWAL:
    case TEKEN_REPORT_KIND_REVOCATION:
    case TEKEN_REPORT_KIND_INCIDENT:
      return TEKEN_REPORT_LETTER_ELECTRONIC;
    case TEKEN_REPORT_KIND_LOSS:
    case TEKEN_REPORT_KIND_NEW:
    default:
      return TEKEN_REPORT_LETTER_WET;
    }
}

const char *
teken_report_letter_get_filename (TekenReportKind kind)
{
  static const char * const names[] = {
    [TEKEN_REPORT_KIND_RENEWAL] = "surat-pembaruan.pdf",
    [TEKEN_REPORT_KIND_LOSS] = "surat-pernyataan-kehilangan.pdf",
    [TEKEN_REPORT_KIND_REVOCATION] = "surat-pencabutan.pdf",
    [TEKEN_REPORT_KIND_NEW] = "surat-permohonan.pdf",
    [TEKEN_REPORT_KIND_INCIDENT] = "laporan-insiden.pdf",
  };
  return kind < G_N_ELEMENTS (names) ? names[kind] : "surat.pdf";
}

static void
set_font (Writer  *w,
          double   size,
          gboolean bold)
{
  cairo_select_font_face (w->cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (w->cr, size);
}

static double
text_width (Writer     *w,
            const char *text)
{
  cairo_text_extents_t ext;

  cairo_text_extents (w->cr, text, &ext);
  return ext.x_advance;
}

static void
draw_footer (Writer *w)
{
  if (w->footer == NULL)
    return;
  cairo_save (w->cr);
  set_font (w, 7.5, FALSE);
  cairo_set_source_rgb (w->cr, 0.35, 0.35, 0.35);
  cairo_move_to (w->cr, LEFT, PAGE_H - 30);
  cairo_show_text (w->cr, w->footer);
  cairo_restore (w->cr);
}

static void
new_page (Writer *w)
{
  draw_footer (w);
  cairo_show_page (w->cr);
  w->page++;
  w->y = TOP + 20;
}

static void
ensure_space (Writer *w,
              double  height)
{
  if (w->y + height > BOTTOM)
    new_page (w);
}

static void
show_at (Writer     *w,
         double      x,
         const char *text)
{
  cairo_move_to (w->cr, x, w->y);
  cairo_show_text (w->cr, text);
}

static void
show_centered (Writer     *w,
               double      center,
               const char *text)
{
  show_at (w, center - text_width (w, text) / 2, text);
}

/* Word-wraps `text` between x and RIGHT; a first-line indent of `indent`. Honours '\n'. */
static void
paragraph (Writer     *w,
           double      x,
           double      indent,
           const char *text)
{
  g_auto(GStrv) paras = g_strsplit (text, "\n", -1);

  for (guint p = 0; paras[p]; p++)
    {
      g_auto(GStrv) words = g_strsplit (paras[p], " ", -1);
      g_autoptr(GString) line = g_string_new (NULL);
      double start = x + indent;

      for (guint i = 0; words[i]; i++)
        {
          g_autofree char *candidate = NULL;

          if (*words[i] == '\0')
            continue;
          candidate = line->len > 0 ? g_strconcat (line->str, " ", words[i], NULL) : g_strdup (words[i]);
          if (line->len > 0 && start + text_width (w, candidate) > RIGHT)
            {
              ensure_space (w, LINE);
              show_at (w, start, line->str);
              w->y += LINE;
              start = x;
              g_string_assign (line, words[i]);
            }
          else
            g_string_assign (line, candidate);
        }
      ensure_space (w, LINE);
      if (line->len > 0)
        show_at (w, start, line->str);
      w->y += LINE;
    }
}

/* "Label    : value" rows with the value wrapped in its column. */
static void
row (Writer     *w,
     double      x,
     double      label_width,
     const char *label,
     const char *value)
{
  ensure_space (w, LINE);
  show_at (w, x, label);
  show_at (w, x + label_width, ":");
  paragraph (w, x + label_width + 10, 0, value != NULL && *value ? value : "-");
}

static const char *
field (TekenReport *r,
       const char  *id)
{
  const char *v = teken_report_get_field (r, id);

  return v != NULL ? v : "-";
}

static char *
date_field (TekenReport *r,
            const char  *id)
{
  const char *v = teken_report_get_field (r, id);

  return v != NULL ? teken_report_format_iso_date_id (v) : g_strdup ("-");
}

static char *
config_or (TekenRaConfig *config,
           const char    *group,
           const char    *key,
           const char    *fallback)
{
  char *v = teken_ra_config_get_string (config, group, key);

  return v != NULL ? v : g_strdup (fallback);
}

static void
letterhead (Writer        *w,
            TekenRaConfig *config)
{
  g_autofree char *pemda = config_or (config, "letterhead", "pemda", "Pemerintah Daerah");
  g_autofree char *dinas = config_or (config, "letterhead", "dinas", "Dinas Komunikasi dan Informatika");
  g_autofree char *address = teken_ra_config_get_string (config, "letterhead", "address");
  g_autofree char *pemda_up = g_utf8_strup (pemda, -1);
  g_autofree char *dinas_up = g_utf8_strup (dinas, -1);
  double center = (LEFT + RIGHT) / 2;

  w->y = TOP + 14;
  set_font (w, 14, TRUE);
  show_centered (w, center, pemda_up);
  w->y += 19;
  set_font (w, 16, TRUE);
  show_centered (w, center, dinas_up);
  w->y += 15;
  if (address != NULL)
    {
      set_font (w, 9.5, FALSE);
      show_centered (w, center, address);
      w->y += 8;
    }
  /* The double rule under a kop surat: thick, then thin. */
  cairo_set_line_width (w->cr, 2.2);
  cairo_move_to (w->cr, LEFT, w->y);
  cairo_line_to (w->cr, RIGHT, w->y);
  cairo_stroke (w->cr);
  cairo_set_line_width (w->cr, 0.7);
  cairo_move_to (w->cr, LEFT, w->y + 3);
  cairo_line_to (w->cr, RIGHT, w->y + 3);
  cairo_stroke (w->cr);
  w->y += 3 + LINE * 1.5;
}

static guint
n_attachments (TekenReport *r)
{
  return g_list_model_get_n_items (teken_report_get_attachments (r));
}

static void
heading (Writer        *w,
         TekenReport   *r,
         TekenRaConfig *config)
{
  g_autofree char *city = config_or (config, "letterhead", "city", "");
  g_autofree char *date = date_field (r, "letter_date");
  g_autofree char *dateline = *city ? g_strdup_printf ("%s, %s", city, date) : g_strdup (date);
  g_autofree char *lampiran = n_attachments (r) > 0 ? g_strdup_printf ("%u berkas", n_attachments (r))
                                                    : g_strdup ("-");
  g_autofree char *dinas = config_or (config, "letterhead", "dinas", "Dinas Komunikasi dan Informatika");
  g_autofree char *head = teken_ra_config_get_string (config, "letterhead", "ra-head");
  g_autofree char *addressee = head != NULL ? g_strdup (head) : g_strdup_printf ("Kepala %s", dinas);
  g_autofree char *yth = g_strdup_printf ("Yth. %s", addressee);

  set_font (w, BODY_PT, FALSE);
  show_at (w, RIGHT - text_width (w, dateline), dateline);
  w->y += LINE * 1.5;
  row (w, LEFT, 60, "Nomor", field (r, "letter_number"));
  row (w, LEFT, 60, "Lampiran", lampiran);
  set_font (w, BODY_PT, FALSE);
  show_at (w, LEFT, "Perihal");
  show_at (w, LEFT + 60, ":");
  set_font (w, BODY_PT, TRUE);
  paragraph (w, LEFT + 70, 0, teken_report_kind_get_perihal (teken_report_get_kind (r)));
  set_font (w, BODY_PT, FALSE);
  w->y += LINE;
  paragraph (w, LEFT, 0, yth);
  paragraph (w, LEFT + 22, 0, "selaku Otoritas Pendaftaran");
  paragraph (w, LEFT + 22, 0, "di Tempat");
  w->y += LINE;
}

static void
owner_block (Writer      *w,
             TekenReport *r)
{
  const double x = LEFT + 22, lw = 110;

  paragraph (w, LEFT, 0, "Dengan hormat,");
  paragraph (w, LEFT, 0, "Yang bertanda tangan di bawah ini:");
  row (w, x, lw, "Nama", field (r, "owner_name"));
  row (w, x, lw, "NIP", field (r, "owner_nip"));
  row (w, x, lw, "Jabatan", field (r, "owner_position"));
  row (w, x, lw, "Unit Kerja", field (r, "owner_unit"));
  row (w, x, lw, "E-mail Dinas", field (r, "owner_email"));
  row (w, x, lw, "Nomor Telepon", field (r, "owner_phone"));
  w->y += LINE * 0.5;
}

/* "AA:BB:…" with a space after every 16 bytes, so that long serials and fingerprints can wrap. */
static char *
split_hex (const char *hex)
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint colons = 0;

  for (const char *p = hex; *p; p++)
    {
      g_string_append_c (s, *p);
      if (*p == ':' && ++colons % 16 == 0)
        g_string_append_c (s, ' ');
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
certificate_block (Writer      *w,
                   TekenReport *r)
{
  const double x = LEFT + 22, lw = 110;
  g_autofree char *expiry = date_field (r, "cert_expiry");
  const char *kind = teken_report_get_field (r, "certificate_kind");

  if (kind != NULL)
    row (w, x, lw, "Jenis Sertifikat", teken_report_choice_get_indonesian (kind));
  {
    g_autofree char *serial = split_hex (field (r, "cert_serial"));
    row (w, x, lw, "Nomor Seri", serial);
  }
  if (teken_report_get_field (r, "cert_subject") != NULL)
    row (w, x, lw, "Subjek", field (r, "cert_subject"));
  row (w, x, lw, "Penerbit", field (r, "cert_issuer"));
  if (teken_report_get_field (r, "cert_fingerprint") != NULL)
    {
      /* 95 characters: two lines of 16 bytes at a smaller size. */
      g_autofree char *fpr = split_hex (field (r, "cert_fingerprint"));
      ensure_space (w, LINE * 2);
      show_at (w, x, "Sidik Jari SHA-256");
      show_at (w, x + lw, ":");
      set_font (w, 8.5, FALSE);
      paragraph (w, x + lw + 10, 0, fpr);
      set_font (w, BODY_PT, FALSE);
    }
  row (w, x, lw, "Berlaku Sampai", expiry);
  w->y += LINE * 0.5;
}

static void
body_renewal (Writer      *w,
              TekenReport *r)
{
  g_autofree char *expiry = date_field (r, "cert_expiry");
  g_autofree char *text = g_strdup_printf ("dengan ini mengajukan permohonan pembaruan Sertifikat Elektronik milik saya "
                                           "yang masa berlakunya berakhir pada tanggal %s, dengan data sertifikat "
                                           "sebagai berikut:", expiry);
  paragraph (w, LEFT, 30, text);
  certificate_block (w, r);
  if (teken_report_get_field (r, "reason") != NULL)
    row (w, LEFT + 22, 110, "Keterangan", field (r, "reason"));
}

static void
body_loss (Writer      *w,
           TekenReport *r)
{
  const char *type = teken_report_get_field (r, "loss_type");
  g_autofree char *date = date_field (r, "incident_date");
  g_autofree char *text = g_strdup_printf ("dengan ini menyatakan dengan sebenarnya bahwa kunci privat Sertifikat "
                                           "Elektronik milik saya telah %s pada tanggal %s.",
                                           teken_report_choice_get_indonesian (type != NULL ? type : "lost"), date);

  paragraph (w, LEFT, 30, text);
  if (teken_report_get_field (r, "police_report_number") != NULL)
    {
      g_autofree char *pdate = date_field (r, "police_report_date");
      g_autofree char *police = g_strdup_printf ("Kejadian tersebut telah dilaporkan kepada Kepolisian dengan Surat "
                                                 "Keterangan Kehilangan Nomor %s tanggal %s.",
                                                 field (r, "police_report_number"), pdate);
      paragraph (w, LEFT, 30, police);
    }
  if (teken_report_get_field (r, "reason") != NULL)
    row (w, LEFT + 22, 110, "Kronologi", field (r, "reason"));
  paragraph (w, LEFT, 30, "Sehubungan dengan hal tersebut, saya mengajukan permohonan (1) pencabutan Sertifikat "
             "Elektronik dengan data di bawah ini dan (2) penerbitan kembali Sertifikat Elektronik yang baru:");
  certificate_block (w, r);
  paragraph (w, LEFT, 30, "Segala akibat penggunaan kunci privat tersebut sebelum sertifikat dicabut menjadi "
             "tanggung jawab saya. Surat pernyataan ini saya buat dengan sebenar-benarnya untuk dipergunakan "
             "sebagaimana mestinya.");
}

static void
body_revocation (Writer      *w,
                 TekenReport *r)
{
  const char *reason = teken_report_get_field (r, "revocation_reason");
  g_autofree char *text = g_strdup_printf ("dengan ini mengajukan permohonan pencabutan Sertifikat Elektronik milik "
                                           "saya dengan alasan %s, dengan data sertifikat sebagai berikut:",
                                           teken_report_choice_get_indonesian (reason != NULL ? reason : "other"));
  paragraph (w, LEFT, 30, text);
  certificate_block (w, r);
  if (teken_report_get_field (r, "reason") != NULL)
    row (w, LEFT + 22, 110, "Keterangan", field (r, "reason"));
}

static void
body_new (Writer      *w,
          TekenReport *r)
{
  const char *kind = teken_report_get_field (r, "certificate_kind");
  g_autofree char *text = g_strdup_printf ("dengan ini mengajukan permohonan penerbitan Sertifikat Elektronik jenis "
                                           "%s.", teken_report_choice_get_indonesian (kind != NULL ? kind : "individu"));

  paragraph (w, LEFT, 30, text);
  if (g_strcmp0 (kind, "sistem_elektronik") == 0)
    {
      row (w, LEFT + 22, 110, "Alamat IP", field (r, "system_ip"));
      row (w, LEFT + 22, 110, "Nama Domain", field (r, "system_domain"));
      row (w, LEFT + 22, 110, "Server/Aplikasi", field (r, "system_server"));
    }
  if (teken_report_get_field (r, "reason") != NULL)
    row (w, LEFT + 22, 110, "Keterangan", field (r, "reason"));
  paragraph (w, LEFT, 30, "Sebagai kelengkapan permohonan, bersama ini kami lampirkan persyaratan sesuai daftar "
             "lampiran di bawah.");
}

static void
body_incident (Writer      *w,
               TekenReport *r)
{
  const char *type = teken_report_get_field (r, "incident_type");
  g_autofree char *date = date_field (r, "incident_date");
  g_autofree char *text = g_strdup_printf ("dengan ini melaporkan insiden keamanan terkait Sertifikat Elektronik milik "
                                           "saya berupa %s yang terjadi pada tanggal %s, dengan uraian sebagai "
                                           "berikut:", teken_report_choice_get_indonesian (type != NULL ? type : "other"),
                                           date);
  paragraph (w, LEFT, 30, text);
  paragraph (w, LEFT + 22, 0, field (r, "reason"));
  w->y += LINE * 0.5;
  paragraph (w, LEFT, 0, "Data sertifikat:");
  certificate_block (w, r);
}

static void
attachment_list (Writer      *w,
                 TekenReport *r)
{
  GListModel *list = teken_report_get_attachments (r);

  if (g_list_model_get_n_items (list) == 0)
    return;
  paragraph (w, LEFT, 0, "Lampiran:");
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(TekenReportAttachment) a = g_list_model_get_item (list, i);
      g_autofree char *num = g_strdup_printf ("%u.", i + 1);
      g_autofree char *text = g_strdup_printf ("%s (%s)",
                                               teken_report_attachment_role_get_indonesian (teken_report_attachment_get_role (a)),
                                               teken_report_attachment_get_filename (a));
      ensure_space (w, LINE);
      show_at (w, LEFT + 22, num);
      paragraph (w, LEFT + 40, 0, text);
    }
  w->y += LINE * 0.5;
}

/* One signature column: heading lines, a gap for the signature, the name underlined, the NIP. */
static void
signature_column (Writer      *w,
                  double       x,
                  double       y,
                  const char  *line1,
                  const char  *line2,
                  const char  *name,
                  const char  *nip,
                  double       gap)
{
  double save = w->y;
  double name_w;

  w->y = y;
  show_at (w, x, line1);
  w->y += LINE;
  if (line2 != NULL)
    show_at (w, x, line2);
  w->y += LINE + gap;
  set_font (w, BODY_PT, TRUE);
  show_at (w, x, name);
  name_w = text_width (w, name);
  cairo_set_line_width (w->cr, 0.6);
  cairo_move_to (w->cr, x, w->y + 2);
  cairo_line_to (w->cr, x + name_w, w->y + 2);
  cairo_stroke (w->cr);
  set_font (w, BODY_PT, FALSE);
  w->y += LINE;
  if (nip != NULL)
    {
      g_autofree char *t = g_strdup_printf ("NIP. %s", nip);
      show_at (w, x, t);
    }
  w->y = MAX (save, w->y);
}

static void
meterai_box (Writer *w,
             double  x,
             double  y)
{
  const double dashes[] = { 3, 2 };

  cairo_save (w->cr);
  cairo_set_dash (w->cr, dashes, 2, 0);
  cairo_set_line_width (w->cr, 0.5);
  cairo_rectangle (w->cr, x, y, 62, 34);
  cairo_stroke (w->cr);
  cairo_restore (w->cr);
  set_font (w, 7.5, FALSE);
  cairo_move_to (w->cr, x + 14, y + 15);
  cairo_show_text (w->cr, "Meterai");
  cairo_move_to (w->cr, x + 16, y + 25);
  cairo_show_text (w->cr, "10.000");
  set_font (w, BODY_PT, FALSE);
}

static void
signature_block (Writer                     *w,
                 TekenReport                *r,
                 TekenReportLetterLayout     layout,
                 TekenReportLetterStampArea *stamp)
{
  TekenReportKind kind = teken_report_get_kind (r);
  gboolean superior = kind == TEKEN_REPORT_KIND_LOSS || kind == TEKEN_REPORT_KIND_NEW ||
                      teken_report_get_field (r, "superior_name") != NULL;
  const double right_x = LEFT + (RIGHT - LEFT) * 0.56;
  const double gap = layout == TEKEN_REPORT_LETTER_ELECTRONIC ? 72 : 58;
  double top;

  paragraph (w, LEFT, 30, "Demikian surat ini kami sampaikan. Atas perhatian dan kerja sama Bapak/Ibu, kami "
             "ucapkan terima kasih.");
  w->y += LINE;
  ensure_space (w, LINE * 3 + gap);
  top = w->y;

  if (superior && layout == TEKEN_REPORT_LETTER_WET)
    signature_column (w, LEFT, top, "Mengetahui,", "Atasan Langsung,",
                      field (r, "superior_name"), teken_report_get_field (r, "superior_nip"), gap);
  else if (superior)
    signature_column (w, LEFT, top, "Atasan Langsung,", field (r, "superior_position"),
                      field (r, "superior_name"), teken_report_get_field (r, "superior_nip"), gap);

  if (layout == TEKEN_REPORT_LETTER_ELECTRONIC)
    {
      /* Between the descenders of "Pemohon," and the capitals of the name line. */
      double stamp_top = top + BODY_PT * 0.45;
      double stamp_bottom = top + LINE * 2 + gap - BODY_PT - 2;

      signature_column (w, right_x, top, "Pemohon,", NULL, field (r, "owner_name"),
                        teken_report_get_field (r, "owner_nip"), gap);
      if (stamp != NULL)
        {
          stamp->page = w->page;
          stamp->x = right_x;
          stamp->width = RIGHT - right_x;
          stamp->height = stamp_bottom - stamp_top;
          stamp->y = PAGE_H - stamp_bottom;   /* PDF space: from the bottom */
        }
    }
  else
    {
      signature_column (w, right_x, top, kind == TEKEN_REPORT_KIND_LOSS ? "Yang membuat pernyataan," : "Pemohon,",
                        NULL, field (r, "owner_name"), teken_report_get_field (r, "owner_nip"), gap);
      if (kind == TEKEN_REPORT_KIND_LOSS)
        meterai_box (w, right_x - 4, top + LINE * 1.3);
    }
  w->y += LINE;
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
teken_report_letter_render (TekenReport                 *report,
                            TekenRaConfig               *config,
                            TekenReportLetterLayout      layout,
                            TekenReportLetterStampArea  *stamp_area,
                            GError                     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *footer = g_strdup_printf ("Kode laporan: %s · dibuat dengan Teken", teken_report_get_id (report));
  cairo_surface_t *surface;
  cairo_status_t status;
  Writer w = { 0 };

  surface = cairo_pdf_surface_create_for_stream (append_bytes, out, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  teken_report_kind_get_perihal (teken_report_get_kind (report)));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, field (report, "owner_name"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Teken");
  w.cr = cairo_create (surface);
  w.footer = footer;
  cairo_set_source_rgb (w.cr, 0, 0, 0);
  if (stamp_area != NULL)
    memset (stamp_area, 0, sizeof *stamp_area);

  letterhead (&w, config);
  heading (&w, report, config);
  owner_block (&w, report);
  switch (teken_report_get_kind (report))
    {
    case TEKEN_REPORT_KIND_RENEWAL: body_renewal (&w, report); break;
    case TEKEN_REPORT_KIND_LOSS: body_loss (&w, report); break;
    case TEKEN_REPORT_KIND_REVOCATION: body_revocation (&w, report); break;
    case TEKEN_REPORT_KIND_NEW: body_new (&w, report); break;
    case TEKEN_REPORT_KIND_INCIDENT: body_incident (&w, report); break;
    default: break;
    }
  w.y += LINE * 0.5;
  attachment_list (&w, report);
  signature_block (&w, report, layout, stamp_area);
  draw_footer (&w);

  cairo_destroy (w.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      /* translators: %s is cairo's reason */
      g_set_error (error, TEKEN_REPORT_LETTER_ERROR, TEKEN_REPORT_LETTER_ERROR_RENDER,
                   _("Could not draw the letter: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
teken_report_letter_sign (GBytes                            *pdf,
                          TekenKey                          *key,
                          const TekenReportLetterStampArea  *stamp_area,
                          const char                        *reason,
                          const char                        *location,
                          GCancellable                      *cancellable,
                          GError                           **error)
{
  g_autoptr(TekenSigner) signer = teken_signer_new (key);
  g_autofree char *input = NULL;
  g_autofree char *output = NULL;
  g_autofree char *data = NULL;
  gsize len;
  gboolean ok;
  int fd;

  /* The signer works on files; the letter lives in private temporary files meanwhile. */
  fd = g_file_open_tmp ("teken-letter-XXXXXX.pdf", &input, error);
  if (fd < 0)
    return NULL;
  close (fd);
  output = g_strconcat (input, ".signed.pdf", NULL);
  if (!g_file_set_contents (input, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), error))
    {
      g_unlink (input);
      return NULL;
    }
  if (reason != NULL)
    teken_signer_set_reason (signer, reason);
  if (location != NULL)
    teken_signer_set_location (signer, location);
  if (stamp_area != NULL && stamp_area->width > 0)
    teken_signer_set_visible (signer, stamp_area->page, stamp_area->x, stamp_area->y,
                              stamp_area->width, stamp_area->height);
  ok = teken_signer_sign_file (signer, input, output, cancellable, NULL, NULL, error);
  g_unlink (input);
  if (!ok)
    return NULL;
  ok = g_file_get_contents (output, &data, &len, error);
  g_unlink (output);
  if (!ok)
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&data), len);
}

typedef struct
{
  GBytes *pdf;
  TekenKey *key;
  TekenReportLetterStampArea area;
  gboolean has_area;
  char *reason;
  char *location;
} SignData;

static void
sign_data_free (SignData *d)
{
  g_bytes_unref (d->pdf);
  g_object_unref (d->key);
  g_free (d->reason);
  g_free (d->location);
  g_free (d);
}

static void
sign_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SignData *d = task_data;
  GError *error = NULL;
  GBytes *result = teken_report_letter_sign (d->pdf, d->key, d->has_area ? &d->area : NULL, d->reason,
                                             d->location, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) g_bytes_unref);
}

void
teken_report_letter_sign_async (GBytes                            *pdf,
                                TekenKey                          *key,
                                const TekenReportLetterStampArea  *stamp_area,
                                const char                        *reason,
                                const char                        *location,
                                GCancellable                      *cancellable,
                                GAsyncReadyCallback                callback,
                                gpointer                           user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SignData *d = g_new0 (SignData, 1);

  d->pdf = g_bytes_ref (pdf);
  d->key = g_object_ref (key);
  d->has_area = stamp_area != NULL;
  if (stamp_area != NULL)
    d->area = *stamp_area;
  d->reason = g_strdup (reason);
  d->location = g_strdup (location);
  g_task_set_source_tag (task, teken_report_letter_sign_async);
  g_task_set_task_data (task, d, (GDestroyNotify) sign_data_free);
  g_task_run_in_thread (task, sign_thread);
}

GBytes *
teken_report_letter_sign_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
