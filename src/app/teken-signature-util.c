/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "teken-signature-util.h"

const char *
teken_signature_status_get_icon_name (TekenSignatureStatus status)
{
  switch (status)
    {
    case TEKEN_SIGNATURE_STATUS_VALID:
      return "emblem-ok-symbolic";
    case TEKEN_SIGNATURE_STATUS_INVALID:
      return "dialog-error-symbolic";
    case TEKEN_SIGNATURE_STATUS_INDETERMINATE:
      return "dialog-warning-symbolic";
    case TEKEN_SIGNATURE_STATUS_UNSIGNED:
    default:
      return "document-edit-symbolic";
    }
}

const char *
teken_signature_status_get_style_class (TekenSignatureStatus status)
{
  switch (status)
    {
    case TEKEN_SIGNATURE_STATUS_VALID:
      return "success";
    case TEKEN_SIGNATURE_STATUS_INVALID:
      return "error";
    case TEKEN_SIGNATURE_STATUS_INDETERMINATE:
      return "warning";
    case TEKEN_SIGNATURE_STATUS_UNSIGNED:
    default:
      return "dim-label";
    }
}

const char *
teken_verdict_get_icon_name (TekenVerdict verdict)
{
  switch (verdict)
    {
    case TEKEN_VERDICT_SIGNED_VALID:
      return "emblem-ok-symbolic";
    case TEKEN_VERDICT_CHANGED_AFTER_SIGNING:
    case TEKEN_VERDICT_SIGNATURE_INVALID:
      return "dialog-error-symbolic";
    case TEKEN_VERDICT_IDENTITY_UNCONFIRMED:
    case TEKEN_VERDICT_UNREADABLE:
      return "dialog-warning-symbolic";
    case TEKEN_VERDICT_UNSIGNED:
    default:
      return "dialog-information-symbolic";
    }
}

const char *
teken_verdict_get_style_class (TekenVerdict verdict)
{
  switch (verdict)
    {
    case TEKEN_VERDICT_SIGNED_VALID:
      return "success";
    case TEKEN_VERDICT_CHANGED_AFTER_SIGNING:
    case TEKEN_VERDICT_SIGNATURE_INVALID:
      return "error";
    case TEKEN_VERDICT_IDENTITY_UNCONFIRMED:
    case TEKEN_VERDICT_UNREADABLE:
      return "warning";
    case TEKEN_VERDICT_UNSIGNED:
    default:
      return "neutral";
    }
}

/* time in local time by a strftime format, or "Unknown" without a time. */
static char *
format_local (GDateTime  *time,
              const char *format)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup (_("Unknown"));
  local = g_date_time_to_local (time);
  return g_date_time_format (local, format);
}

char *
teken_format_date_time (GDateTime *time)
{
  /* translators: date and time format (strftime), e.g. "24 November 2026, 10:15 WIB" */
  return format_local (time, _("%-d %B %Y, %H:%M %Z"));
}

char *
teken_format_date (GDateTime *time)
{
  /* translators: date format (strftime), e.g. "24 November 2026" */
  return format_local (time, _("%-d %B %Y"));
}
