/*
 * Copyright (C) 2026 The Teken developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ltv-peers: runs the loopback TSA / OCSP / CRL peers of the ltv tests for bench/bench-ltv.sh.
 * Prints shell assignments (TSA=…, P12=…, CHAIN=…, DIR=…) and serves until standard input closes.
 * Needs TEKEN_TEST_PKI.
 */
#include <stdio.h>
#include <unistd.h>

#include "teken-core.h"
#include "ltv-peers.h"

int
main (int    argc,
      char **argv)
{
  LtvPeers *peers;
  g_autofree char *tsa = NULL;
  g_autofree char *p12 = NULL;
  char buf[256];

  teken_core_init ();
  peers = ltv_peers_start ();
  ltv_peers_issue (peers, "bench-signer", TRUE, TRUE);
  tsa = ltv_peers_url (peers, "/tsa");
  p12 = ltv_peers_path (peers, "bench-signer.p12");
  printf ("TSA=%s\nP12=%s\nDIR=%s\nREADY=1\n", tsa, p12, ltv_peers_dir (peers));
  fflush (stdout);
  while (read (STDIN_FILENO, buf, sizeof buf) > 0)
    ;
  printf ("TSA_REQUESTS=%u\nOCSP_REQUESTS=%u\n", ltv_peers_count (peers, "/tsa"), ltv_peers_count (peers, "/ocsp"));
  ltv_peers_stop (peers);
  return 0;
}
