#!/usr/bin/python3
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A real SMTP server for the report tests (Debian's python3-aiosmtpd), loopback only, bounded lifetime:
# STARTTLS required (certificate from the test PKI), AUTH PLAIN/LOGIN required with one user/password.
# Every accepted message is appended to the record file as one JSON line:
# {"message_id", "subject", "from", "to", "attachments": [names], "report_id"}.
#
# smtp-server.py PORT_FILE RECORD CERT KEY USER PASSWORD [LIFETIME]
import asyncio
import email
import email.policy
import json
import socket
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port_file, record, cert, key, user, password = sys.argv[1:7]
lifetime = int(sys.argv[7]) if len(sys.argv) > 7 else 60


class Handler:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        names = [part.get_filename() for part in msg.iter_attachments()]
        entry = {
            "message_id": msg["Message-ID"],
            "subject": str(msg["Subject"]),
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "attachments": names,
            "report_id": msg["X-Teken-Report-Id"],
        }
        with open(record, "a") as f:
            f.write(json.dumps(entry) + "\n")
        return "250 OK queued"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
        and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False)   # handled=False: aiosmtpd answers 535 itself


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
port = free_port()
controller = Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="localhost",
                        tls_context=context, require_starttls=True, authenticator=authenticator,
                        auth_require_tls=True, auth_required=True)
controller.start()
with open(port_file + ".tmp", "w") as f:
    f.write("%d\n" % port)
import os
os.rename(port_file + ".tmp", port_file)
try:
    time.sleep(lifetime)
finally:
    controller.stop()
