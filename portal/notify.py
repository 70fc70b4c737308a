"""The one place that sends anything: the e-mail outbox, and notifications in the portal.

Every e-mail is a row in ``outbox_emails``, written in the same transaction as the change that
caused it; ``flask --app portal send-outbox`` delivers pending rows (SMTP, or the log in
development). A notification is e-mailed at once, kept in the portal, or gathered in the daily
digest (``portal.digest``), as its reader chose for its category (``portal.notification_prefs``).
"""

from __future__ import annotations

import enum
import logging
import smtplib
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from email.message import EmailMessage
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l
from portal.notification_prefs import Channel, channel_for
from portal.util.dates import read_params, stored_params

log = logging.getLogger("portal.mail")


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxEmail(db.Model):
    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(255))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, 10),
        default=OutboxStatus.PENDING,
        index=True,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def render_email(recipient, template: str, *, subject, **context) -> dict:
    """The outbox row's values for ``emails/<template>.txt`` and ``.html``, rendered in the
    recipient's language. ``recipient`` is a User; ``subject`` a lazy string."""
    locale = getattr(recipient, "locale", None) or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        ctx = {"recipient": recipient, **context}
        return {
            "recipient": recipient.email,
            "subject": str(subject)[:255],
            "body_text": render_template(f"emails/{template}.txt", **ctx),
            "body_html": render_template(f"emails/{template}.html", **ctx),
        }


def queue_email(recipient, template: str, *, subject, **context) -> OutboxEmail:
    """Render ``emails/<template>.txt`` and ``.html`` in the recipient's language and queue them.

    ``recipient`` is a User (its e-mail and language are used) ; ``subject`` a lazy string.
    """
    row = OutboxEmail(**render_email(recipient, template, subject=subject, **context))
    db.session.add(row)
    return row


def queue_emails(rendered: list[dict]) -> int:
    """Queue many e-mails made by :func:`render_email` in one INSERT (the daily digest)."""
    if rendered:
        db.session.execute(sa.insert(OutboxEmail), rendered)
    return len(rendered)


def _message(row: OutboxEmail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = row.recipient
    msg["Subject"] = row.subject
    msg.set_content(row.body_text)
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html")
    return msg


def _connect() -> smtplib.SMTP:
    cfg = current_app.config
    smtp_cls = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
    smtp = smtp_cls(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30)
    try:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _sent(row: OutboxEmail) -> None:
    row.attempts += 1
    row.status, row.sent_at, row.last_error = OutboxStatus.SENT, utcnow(), None


def _failed_attempt(row: OutboxEmail, exc: Exception) -> bool:
    """Record one failed try; True when the row has now used up its attempts."""
    row.attempts += 1
    row.last_error = str(exc)[:500]
    if row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        row.status = OutboxStatus.FAILED
        return True
    return False


# Errors about one message (a refused recipient …): the others are still sent.
_MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
    ValueError,
)


def send_pending(limit: int = 500) -> tuple[int, int]:
    """Deliver pending rows; returns (sent, given up). The caller commits.

    A message the server refuses counts one attempt for that message only; losing the server
    counts an attempt for the message being sent and leaves the rest for the next run.
    """
    rows = db.session.scalars(
        sa.select(OutboxEmail)
        .where(OutboxEmail.status == OutboxStatus.PENDING)
        .order_by(OutboxEmail.id)
        .limit(limit)
    ).all()
    if not rows:
        return 0, 0
    if current_app.config["MAIL_BACKEND"] != "smtp":
        for row in rows:
            log.info("e-mail to %s: %s\n%s", row.recipient, row.subject, row.body_text)
            _sent(row)
        return len(rows), 0
    sent = failed = 0
    try:
        smtp = _connect()
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("SMTP server unreachable: %s", exc)
        return 0, sum(_failed_attempt(row, exc) for row in rows)
    with smtp:
        for row in rows:
            try:
                smtp.send_message(_message(row))
            except _MESSAGE_ERRORS as exc:
                failed += _failed_attempt(row, exc)
            except (OSError, smtplib.SMTPException) as exc:
                log.warning("SMTP connection lost: %s", exc)
                failed += _failed_attempt(row, exc)
                break
            else:
                _sent(row)
                sent += 1
    return sent, failed


# --- notifications in the portal ---------------------------------------------------------------


class Category(NamedTuple):
    label: object  # lazy strings: read in the reader's language
    description: object


#: Every notification category (a message key's prefix), in the order of the settings page. Each
#: user chooses per category how to hear about it; a key of another category is refused.
CATEGORIES: dict[str, Category] = {
    "curricula": Category(
        _l("Curricula and materials"),
        _l("Curriculum proposals and their review, feedback and flags on materials."),
    ),
    "internships": Category(
        _l("Internships"),
        _l("Applications, offers, placements, logbook, guidance, reports and grades."),
    ),
    "trainings": Category(
        _l("Trainings"),
        _l("Registrations, batches, attendance, certificates and evaluation forms."),
    ),
    "ledger": Category(
        _l("JP ledger"),
        _l("JP credited to your ledger, external records verified or rejected."),
    ),
    "recognition": Category(
        _l("Recognition"),
        _l("Recognition proposals and decisions."),
    ),
    "reminders": Category(
        _l("Reminders"),
        _l("Days left: logbook not filled, evaluations due, offers expiring, L3 forms pending."),
    ),
    "privacy": Category(
        _l("Personal data"),
        _l("Your requests to correct or delete personal data, and their answers."),
    ),
}

#: Message texts by key, registered by each feature at import: ``{"curricula.flag_fixed": _l(…)}``.
#: A notification stores the key and its parameters, so it reads in the reader's language.
MESSAGES: dict[str, object] = {}


def register_messages(**texts) -> None:
    """Add a feature's notification texts (lazy strings with ``%(name)s`` placeholders)."""
    for key, text in texts.items():
        MESSAGES[key.replace("__", ".")] = text


class Notification(db.Model):
    """One message to one user in the portal, with a link to the object it is about.

    ``digested_at`` is when it went out in a daily digest e-mail (None: not, or not yet)."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(sa.String(40))
    message_key: Mapped[str] = mapped_column(sa.String(60))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    link: Mapped[str | None] = mapped_column(sa.String(300))  # a path on this site
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    digested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def text(self) -> str:
        """The message in the current language (parameters are plain values, escaped by Jinja;
        dates day first in the reader's language, see ``portal.util.dates``)."""
        template = MESSAGES.get(self.message_key)
        if template is None:
            return self.message_key
        try:
            return str(template) % read_params(self.params)
        except (KeyError, TypeError, ValueError):
            return str(template)

    @property
    def category_label(self) -> str | None:
        """The category's name in the current language; None for a category no longer known."""
        category = CATEGORIES.get(self.category)
        return str(category.label) if category else None


_HISTORY: ContextVar[bool] = ContextVar("notify_history", default=False)


@contextmanager
def as_history():
    """Notifications made inside (or inside a function it decorates) are history, as the demo
    data records them: they show in the portal and are never e-mailed."""
    token = _HISTORY.set(True)
    try:
        yield
    finally:
        _HISTORY.reset(token)


def notify(
    user,
    key: str,
    *,
    link: str | None = None,
    category: str | None = None,
    email_template: str | None = None,
    subject=None,
    history: bool = False,
    **params,
) -> Notification:
    """Tell ``user`` something in the portal, and by e-mail as the user chose for the category
    (e-mail at once by default, with ``email_template`` or ``"notice"``; nothing now for the
    portal only or the daily digest). ``link`` must be a path on this site (``url_for(...)``).

    ``history=True`` (or :func:`as_history`) records a past notice, as the demo data does: never
    e-mailed. Refuses (KeyError) an unregistered key or category. The caller commits, so the
    notice lands with the change that caused it.

    A ``datetime.date``/``datetime`` parameter is stored tagged and read day first in the
    reader's language (a datetime in Medan's time): pass dates, never formatted text."""
    if key not in MESSAGES:
        raise KeyError(f"unregistered notification text {key!r}")
    category = category or key.split(".", 1)[0]
    if category not in CATEGORIES:
        raise KeyError(f"unregistered notification category {category!r}")
    if link is not None and not link.startswith("/"):
        raise ValueError("a notification link is a path on this site")
    params = stored_params(params)
    row = Notification(
        user_id=user.id, category=category, message_key=key, params=params, link=link
    )
    db.session.add(row)
    if history or _HISTORY.get():
        return row
    if channel_for(user.id, category) is Channel.EMAIL:
        base = current_app.config["BASE_URL"].rstrip("/")
        queue_email(
            user,
            email_template or "notice",
            subject=subject or _Text(key, params),
            notice=row,
            url=base + link if link else None,
            **params,
        )
    return row


def tell(
    users, key: str, *, link: str | None = None, leave_out=(), active_only=False, **params
) -> None:
    """:func:`notify` each of ``users`` once, by e-mail as each chose (the ``notice`` template).
    Leaves out None, the user ids in ``leave_out`` (the actor, say) and, with ``active_only``,
    accounts that cannot sign in."""
    seen = set(leave_out)
    for user in users:
        if user is None or user.id in seen or (active_only and not user.is_active):
            continue
        seen.add(user.id)
        notify(user, key, link=link, email_template="notice", **params)


class _Text:
    """A notification text formatted when rendered, i.e. in the recipient's language."""

    def __init__(self, key: str, params: dict):
        self.key, self.params = key, params

    def __str__(self) -> str:
        return str(MESSAGES[self.key]) % read_params(self.params)
