"""Issuing and revoking certificates (services flush, record and never commit).

By default numbers look like ``SNG-2026-7KQ4-M9XD``: the portal's prefix, the year of issue
and eight random characters of Crockford's base 32 (no I, L, O or U, so a number read aloud or
typed from paper is not misread). They are random on purpose: the verification page is public
and shows the holder's name, and a running counter would let anyone list every holder by
counting up (UU 27/2022 PDP, DOMAIN.md §8). An office that needs its official numbering
(``0012/STTPP/BKPSDM/XII/2026``) sets a pattern per kind (numbering.py); look-ups of such
numbers count against the check page's limit, and ``{code}`` makes them unguessable again.
"""

from __future__ import annotations

import re
import secrets
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.certificates import numbering
from portal.certificates.models import Certificate, CertificateKind
from portal.db import db, utcnow
from portal.errors import DomainError
from portal.i18n import _l
from portal.util import clock, links
from portal.util.text import clean_text

ALPHABET = numbering.ALPHABET
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NUMBER = re.compile(r"^[A-Z]{2,10}-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
REASON_MAX = 2000
TITLE_MAX = 300


def new_number(year: int) -> str:
    """A fresh random number for a certificate issued in ``year``."""
    prefix = current_app.config["CERTIFICATE_PREFIX"]
    code = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{year}-{code[:4]}-{code[4:]}"


def normalise_number(text: str) -> str | None:
    """A number as typed or scanned, in its stored form (upper case, misread letters fixed);
    None when it cannot be a certificate number at all."""
    text = (text or "").strip().upper().replace(" ", "")
    if len(text) > numbering.NUMBER_MAX:
        return None
    parts = text.split("-")
    if len(parts) == 4 and "/" not in text:
        # a random number: after the prefix, an O, I or L can only be a misread 0 or 1
        parts[1:] = [part.translate(_MISREAD) for part in parts[1:]]
        fixed = "-".join(parts)
        if _NUMBER.match(fixed):
            return fixed
    # an official number made by a pattern (today's or an earlier one): looked up as typed
    return text if numbering.looks_like_number(text) else None


def _draw(kind: CertificateKind, issued_on: date) -> tuple[str, int | None, int | None]:
    """A number for a certificate of ``kind`` issued on ``issued_on``, with its running number
    and year when the kind's pattern has ``{seq}`` (the next one of that kind and year)."""
    config = current_app.config
    pattern = config.get(numbering.PATTERN_KEYS.get(str(kind), ""), "") or ""
    if not pattern:
        return new_number(issued_on.year), None, None
    serial = None
    if numbering.uses_sequence(pattern):
        serial = 1 + (
            db.session.scalar(
                sa.select(sa.func.max(Certificate.serial)).where(
                    Certificate.kind == kind, Certificate.serial_year == issued_on.year
                )
            )
            or 0
        )
    number = numbering.format_number(
        pattern, seq=serial or 0, issued_on=issued_on, prefix=config["CERTIFICATE_PREFIX"]
    )
    return number, (issued_on.year if serial else None), serial


def _signer(kind: CertificateKind) -> dict:
    """The signing official from the configuration, copied onto a training certificate."""
    if kind != CertificateKind.TRAINING:
        return {}
    config = current_app.config
    name = clean_text(str(config.get("CERTIFICATE_SIGNER_NAME") or ""), 120)
    if not name:
        return {}
    return {
        "signer_name": name,
        "signer_nip": str(config.get("CERTIFICATE_SIGNER_NIP") or "").replace(" ", "")[:18] or None,
        "signer_position": clean_text(str(config.get("CERTIFICATE_SIGNER_POSITION") or ""), 200)
        or None,
    }


def find(source_type: str, source_id: int) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate).where(
            Certificate.source_type == source_type, Certificate.source_id == source_id
        )
    )


def issue_certificate(
    *,
    kind: str | CertificateKind,
    subject,
    title: str,
    source_type: str,
    source_id: int,
    starts_on: date | None = None,
    ends_on: date | None = None,
    agency_id: int | None = None,
    issued_on: date | None = None,
    actor=None,
    holder_nip: str | None = None,
    training_type: str | None = None,
    jp: float | None = None,
    final_grade: float | None = None,
    grade_letter: str | None = None,
) -> Certificate:
    """The certificate of ``source`` (``source_type``, ``source_id``), issued now if it has none.

    Idempotent: a second call for the same source returns the first certificate unchanged
    (also when another request issued it a moment ago: the unique constraint decides).
    Refuses an unknown kind, an empty title and a holder without a name. The holder's NIP,
    the training type, the JP, the final grade and (for a training) the signing official of
    the configuration are copied onto the certificate.
    """
    existing = find(source_type, source_id)
    if existing is not None:
        return existing
    try:
        kind = CertificateKind(kind)
    except ValueError:
        raise DomainError(_l("Unknown kind of certificate.")) from None
    title = clean_text(title, TITLE_MAX)
    holder = (getattr(subject, "full_name", "") or "").strip()[:120]
    if not title or not holder:
        raise DomainError(_l("A certificate needs a holder's name and a title."))
    issued_on = issued_on or clock.today()
    extra = {
        "holder_nip": (holder_nip or "").replace(" ", "")[:18] or None,
        "training_type": clean_text(training_type or "", 200) or None,
        "jp": jp,
        "final_grade": final_grade,
        "grade_letter": clean_text(grade_letter or "", 20) or None,
        **_signer(kind),
    }
    for _attempt in range(5):
        number, serial_year, serial = _draw(kind, issued_on)
        certificate = Certificate(
            number=number,
            serial_year=serial_year,
            serial=serial,
            **extra,
            kind=kind,
            subject_id=subject.id,
            holder_name=holder,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            issued_on=issued_on,
            agency_id=agency_id,
            source_type=source_type,
            source_id=source_id,
            is_valid=True,
            issued_by_id=getattr(actor, "id", None),
        )
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
                db.session.flush()
        except IntegrityError:
            already = find(source_type, source_id)
            if already is not None:  # issued by someone else at the same moment
                return already
            continue  # the number was taken (random, or a running number): draw another
        audit.record(
            actor,
            "certificate.issue",
            certificate,
            target_label=certificate.number,
            kind=str(kind),
            source=f"{source_type}:{source_id}",
        )
        return certificate
    raise DomainError(_l("No certificate number could be drawn; try again."))


def revoke_certificate(certificate: Certificate, *, reason: str, actor) -> None:
    """Mark a certificate revoked, with a reason; the check page then says "revoked".

    Refuses a missing reason and a certificate already revoked."""
    reason = clean_text(reason, REASON_MAX)
    if not reason:
        raise DomainError(_l("Give the reason for revoking the certificate."))
    if not certificate.is_valid:
        raise DomainError(_l("This certificate is already revoked."))
    certificate.is_valid = False
    certificate.revoked_reason = reason
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(actor, "certificate.revoke", certificate, target_label=certificate.number)


def verify_url(number: str) -> str:
    """The public address of the check page, built on BASE_URL (never the request's host)."""
    return links.absolute("certificates.verify", number=number)
