/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "teken-secret.h"

G_BEGIN_DECLS

/* Exit statuses shared by the commands (verify has its own, documented in docs/). */
#define TEKEN_CLI_EXIT_OK      0
#define TEKEN_CLI_EXIT_FAILED  1
#define TEKEN_CLI_EXIT_USAGE   64

/* Each command: parses its own options, prints one translated line on error, returns the exit status. */
int teken_cli_sign      (int argc, char **argv);
int teken_cli_verify    (int argc, char **argv);
int teken_cli_certs     (int argc, char **argv);
int teken_cli_ltv       (int argc, char **argv);
int teken_cli_timestamp (int argc, char **argv);
int teken_cli_report    (int argc, char **argv);
int teken_cli_outbox    (int argc, char **argv);

/* Signing levels for `sign` (teken-cli-ltv.c): --level, --tsa, --fallback. */
struct _TekenSigner;
typedef struct _TekenCliLevel TekenCliLevel;
TekenCliLevel *teken_cli_level_new       (void);
void           teken_cli_level_free      (TekenCliLevel        *self);
GOptionGroup  *teken_cli_level_get_group (TekenCliLevel        *self);
/* Signs input into output at the chosen level (B-B: just the signer). */
gboolean       teken_cli_level_sign      (TekenCliLevel        *self,
                                          struct _TekenSigner  *signer,
                                          const char           *input,
                                          const char           *output,
                                          GError              **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TekenCliLevel, teken_cli_level_free)

/* "teken-cli: <message>" on stderr, one line. */
void         teken_cli_print_error  (const GError *error);
void         teken_cli_print_errorf (const char   *format,
                                     ...) G_GNUC_PRINTF (1, 2);
/*
 * A passphrase or PIN: from `file` when given, else from stdin when stdin is not a terminal,
 * else a prompt on the terminal with echo off. Never from an argument.
 */
TekenSecret *teken_cli_read_secret  (const char   *file,
                                     const char   *prompt,
                                     GError      **error);
/* Opens a .p12 file, asking for its passphrase (from passphrase_file, stdin or the terminal). */
struct _TekenKey *teken_cli_open_p12_key (const char  *path,
                                          const char  *passphrase_file,
                                          GError     **error);
/* The builder's document, pretty-printed on stdout. */
void         teken_cli_print_json   (JsonBuilder *builder);
/* A string member, or null when value is NULL. */
void         teken_cli_json_add_string (JsonBuilder *builder,
                                        const char  *name,
                                        const char  *value);
/* Parses a GOptionEntry table for a subcommand; prints usage errors itself. */
gboolean     teken_cli_parse        (GOptionContext *context,
                                     int            *argc,
                                     char         ***argv);

G_END_DECLS
