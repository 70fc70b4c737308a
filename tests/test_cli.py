"""The ``send-outbox`` command: the log backend, and SMTP against a small fake server on
127.0.0.1 started by the test. ``create-admin`` is covered by test_security_logs.py, ``demo-data``
elsewhere."""

from __future__ import annotations

import logging
import re
import smtplib
import socket
import socketserver
import threading
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.notify import OutboxEmail, OutboxStatus, queue_email

# Taken at import, before the autouse ``no_real_email`` fixture replaces it for every test.
_REAL_SMTP_INIT = smtplib.SMTP.__init__


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def outbox_rows(db) -> list[OutboxEmail]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)))


def add_row(db, recipient: str, subject: str = "Uji kirim") -> OutboxEmail:
    row = OutboxEmail(
        recipient=recipient,
        subject=subject,
        body_text=f"Halo {recipient},\nini pesan uji — Sinergi.",
        body_html=f"<p>Halo {recipient}</p>",
    )
    db.session.add(row)
    db.session.flush()
    return row


# --- send-outbox, log backend ---------------------------------------------------------------------


def test_send_outbox_log_backend_marks_pending_rows_sent(app, db, make, caplog):
    user = make.user(Role.ASN, email="yusuf.ginting@dinkes.example.com")  # Indonesian
    queue_email(
        user,
        "password_reset",
        subject="Atur ulang kata sandi",
        hours=2,
        link="http://127.0.0.1:5000/reset-password/abc",
    )
    second = add_row(db, "dua@mail.example.com")
    already = add_row(db, "lama@mail.example.com")
    already.status = OutboxStatus.SENT
    db.session.flush()

    with caplog.at_level(logging.INFO, logger="portal.mail"):
        result = run(app, "send-outbox")

    assert result.exit_code == 0
    assert result.output.strip() == "2 sent, 0 failed"
    rows = {r.recipient: r for r in outbox_rows(db)}
    for recipient in ("yusuf.ginting@dinkes.example.com", second.recipient):
        assert rows[recipient].status == OutboxStatus.SENT
        assert rows[recipient].sent_at is not None and rows[recipient].attempts == 1
    assert rows["lama@mail.example.com"].attempts == 0  # not sent twice
    assert "yusuf.ginting@dinkes.example.com" in caplog.text

    assert run(app, "send-outbox").output.strip() == "0 sent, 0 failed"


def test_send_outbox_respects_the_limit(app, db):
    for n in range(3):
        add_row(db, f"orang{n}@mail.example.com")

    assert run(app, "send-outbox", "--limit", "2").output.strip() == "2 sent, 0 failed"
    assert [r.status for r in outbox_rows(db)] == [
        OutboxStatus.SENT,
        OutboxStatus.SENT,
        OutboxStatus.PENDING,
    ]


# --- send-outbox, SMTP ----------------------------------------------------------------------------


class _FakeSMTPHandler(socketserver.StreamRequestHandler):
    """Enough SMTP for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        server = self.server
        sender, recipients = None, []
        self.reply("220 fake.smtp.local ESMTP")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-fake.smtp.local\r\n250-8BITMIME\r\n250 SMTPUTF8")
            elif verb == "HELO":
                self.reply("250 fake.smtp.local")
            elif verb == "MAIL":
                sender, recipients = re.search(r"<(.*?)>", line).group(1), []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = re.search(r"<(.*?)>", line).group(1)
                if address in server.refuse:
                    self.reply("550 5.1.1 No such mailbox")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                server.messages.append((sender, recipients, b"".join(data)))
                sender, recipients = None, []
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                sender, recipients = (None, []) if verb == "RSET" else (sender, recipients)
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _FakeSMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _FakeSMTPHandler)
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse: set[str] = set()


def _allow_local_smtp(monkeypatch):
    """Let smtplib connect, but only to 127.0.0.1 (the guard of conftest stays for the rest)."""

    def local_only(self, host="", port=0, *args, **kwargs):
        assert host == "127.0.0.1", f"SMTP to {host!r} in a test"
        _REAL_SMTP_INIT(self, host, port, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "__init__", local_only)


@pytest.fixture
def smtp_server(app, monkeypatch):
    server = _FakeSMTPServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    _allow_local_smtp(monkeypatch)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", server.server_address[1])
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_send_outbox_delivers_over_smtp(app, db, make, smtp_server):
    user = make.user(Role.ASN, email="andi.wijaya@diskominfo.example.com", locale="en")
    queue_email(
        user,
        "password_reset",
        subject="Reset your Sinergi password",
        hours=2,
        link="http://127.0.0.1:5000/reset-password/abc",
    )
    add_row(db, "dinda.putri@mahasiswa.example.com", subject="Akun Sinergi Anda — terverifikasi")

    result = run(app, "send-outbox")

    assert result.output.strip() == "2 sent, 0 failed"
    assert [r.status for r in outbox_rows(db)] == [OutboxStatus.SENT, OutboxStatus.SENT]
    assert [rcpts for _s, rcpts, _d in smtp_server.messages] == [
        ["andi.wijaya@diskominfo.example.com"],
        ["dinda.putri@mahasiswa.example.com"],
    ]
    first = message_from_bytes(smtp_server.messages[0][2], policy=policy.default)
    assert first["To"] == "andi.wijaya@diskominfo.example.com"
    assert first["Subject"] == "Reset your Sinergi password"
    assert "no-reply@sinergi.pemkomedan.go.id" in first["From"]
    assert "http://127.0.0.1:5000/reset-password/abc" in first.get_body(("plain",)).get_content()
    assert first.get_body(("html",)) is not None
    second = message_from_bytes(smtp_server.messages[1][2], policy=policy.default)
    assert second["Subject"] == "Akun Sinergi Anda — terverifikasi"


def test_one_refused_address_does_not_hold_back_the_other_emails(app, db, smtp_server):
    """A mailbox that does not exist fails on its own; the others are still delivered."""
    bad = add_row(db, "tidak.ada@mahasiswa.example.com")
    good = [add_row(db, f"penerima{n}@mail.example.com") for n in range(2)]
    smtp_server.refuse.add(bad.recipient)

    first = run(app, "send-outbox")

    rows = {r.recipient: r for r in outbox_rows(db)}
    assert [rows[g.recipient].status for g in good] == [OutboxStatus.SENT, OutboxStatus.SENT], (
        first.output
    )
    assert sorted(r for _s, rcpts, _d in smtp_server.messages for r in rcpts) == sorted(
        g.recipient for g in good
    )
    for _ in range(2):
        run(app, "send-outbox")
    bad = outbox_rows(db)[0]
    assert bad.status == OutboxStatus.FAILED and bad.attempts == 3
    assert "No such mailbox" in bad.last_error


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_smtp_server_counts_attempts_then_fails(app, db, monkeypatch):
    _allow_local_smtp(monkeypatch)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _closed_port())
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    for n in range(2):
        add_row(db, f"orang{n}@mail.example.com")

    outputs = [run(app, "send-outbox").output.strip() for _ in range(3)]

    assert outputs == ["0 sent, 0 failed", "0 sent, 0 failed", "0 sent, 2 failed"]
    for row in outbox_rows(db):
        assert row.status == OutboxStatus.FAILED
        assert row.attempts == 3 and row.sent_at is None
        assert row.last_error  # e.g. "[Errno 111] Connection refused"
    # failed rows are not tried again
    assert run(app, "send-outbox").output.strip() == "0 sent, 0 failed"
    assert [r.attempts for r in outbox_rows(db)] == [3, 3]


def test_tests_cannot_reach_a_real_mail_server(app, db, monkeypatch):
    """The conftest guard holds when the backend is SMTP and the server is elsewhere."""
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.com")
    add_row(db, "orang@mail.example.com")

    with pytest.raises(AssertionError, match="real e-mail"):
        run(app, "send-outbox")
