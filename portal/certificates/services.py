"""Issuing and revoking certificates (services flush, record and never commit).

Numbers look like ``SNG-2026-7KQ4-M9XD``: the portal's prefix, the year of issue and eight
random characters of Crockford's base 32 (no I, L, O or U, so a number read aloud or typed
from paper is not misread). They are random rather than sequential on purpose: the
verification page is public and shows the holder's name, and a running counter would let
anyone list every holder by counting up (UU 27/2022 PDP, DOMAIN.md §8).
"""

from __future__ import annotations

import re
import secrets
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.certificates.models import Certificate, CertificateKind
from portal.db import db, utcnow
from portal.errors import DomainError
from portal.i18n import _l
from portal.util import clock, links
from portal.util.text import clean_text

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
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
    parts = text.split("-")
    if len(text) > 40 or len(parts) != 4:
        return None
    # after the prefix, an O, I or L can only be a misread 0 or 1
    parts[1:] = [part.translate(_MISREAD) for part in parts[1:]]
    text = "-".join(parts)
    return text if _NUMBER.match(text) else None


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
) -> Certificate:
    """The certificate of ``source`` (``source_type``, ``source_id``), issued now if it has none.

    Idempotent: a second call for the same source returns the first certificate unchanged
    (also when another request issued it a moment ago: the unique constraint decides).
    Refuses an unknown kind, an empty title and a holder without a name.
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
    for _attempt in range(5):
        certificate = Certificate(
            number=new_number(issued_on.year),
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
            continue  # the random number was taken: draw another
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
