/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by teken-window.c and teken-window-actions.c.
 */
#pragma once

#include "teken-document-view.h"
#include "teken-find-bar.h"
#include "teken-page-renderer.h"
#include "teken-signature-bar.h"
#include "teken-signature-list.h"
#include "teken-thumbnails.h"
#include "teken-verifier.h"
#include "teken-window.h"

G_BEGIN_DECLS

struct _TekenWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkToggleButton *sidebar_button;
  GtkWidget *page_box;
  GtkEntry *page_entry;
  GtkLabel *page_count_label;
  GtkMenuButton *zoom_button;
  GtkToggleButton *find_button;
  TekenSignatureBar *signature_bar;
  TekenFindBar *find_bar;
  GtkStack *stack;
  AdwStatusPage *welcome_page;
  GtkWidget *recent_group;
  GtkListBox *recent_list;
  AdwStatusPage *error_page;
  AdwFlap *flap;
  GtkStack *sidebar_stack;
  TekenThumbnails *thumbnails;
  TekenSignatureList *signature_list;
  GtkScrolledWindow *scrolled;
  TekenDocumentView *view;

  GSettings *settings;
  GFile *file;
  GBytes *revision_bytes;        /* a signed revision shown read-only */
  char *password;                /* kept only while the document is open, for reloading */
  TekenPageRenderer *renderer;
  TekenDocumentResult *result;
  TekenVerifier *verifier;
  GCancellable *cancellable;     /* loading and verification; cancelled on close */
  guint update_controls_id;
  guint verify_source_id;        /* verification waiting for the first page */
  guint loading : 1;
  guint verifying : 1;
  guint sidebar_visible : 1;
};

void _teken_window_class_actions_init (TekenWindowClass *klass);
void _teken_window_actions_update     (TekenWindow      *self);
void _teken_window_choose_file        (TekenWindow      *self);
void _teken_window_show_sidebar_page  (TekenWindow      *self,
                                       const char       *name);
void _teken_window_toast              (TekenWindow      *self,
                                       const char       *message);

G_END_DECLS
