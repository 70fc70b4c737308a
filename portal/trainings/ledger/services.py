"""Writes for the JP ledger: crediting completed trainings, submitting, verifying and rejecting
development done elsewhere. Services flush and never commit (CONVENTIONS.md §1)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal import audit, uploads
from portal.auth.models import User
from portal.competency.models import AsnProfile
from portal.db import db, utcnow
from portal.errors import DomainError, FieldError
from portal.i18n import _l
from portal.notify import notify, register_messages
from portal.trainings.ledger import schedule
from portal.trainings.ledger.conversion import (
    LEDGER_FORMS,
    Scope,
    UnitContext,
    convert,
    rule_for,
)
from portal.trainings.ledger.models import (
    EntryAction,
    EntryState,
    LedgerEntry,
    LedgerEvent,
    LedgerSource,
)
from portal.trainings.ledger.schedule import ScheduleJP
from portal.trainings.ledger.workflow import LEDGER_ENTRY
from portal.util import clock, links

EVIDENCE_KINDS = ("pdf", "jpg", "png")
DEFAULT_ORGANISER = "BKPSDM Kota Medan"
MAX_JP = 9999  # far above any real record, well inside the column (6 digits, one decimal)
TOO_MANY_JP = _l("That is more JP than one record can hold: check the duration.")

register_messages(
    ledger__credited=_l("%(jp)s JP from “%(title)s” were added to your ledger."),
    ledger__verified=_l("Your record “%(title)s” was verified: %(jp)s JP."),
    ledger__rejected=_l("Your record “%(title)s” was rejected: %(reason)s"),
)


def _session_dates(registration, batch) -> tuple[date, date]:
    """First and last day of the batch's sessions, as calendar days in the portal's timezone
    (a session at 06:00 WIB is still that day, though it is the evening before in UTC)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    days = []
    for session in getattr(batch, "sessions", None) or ():
        value = getattr(session, "date", None) or getattr(session, "starts_at", None)
        if isinstance(value, datetime):
            value = (value.astimezone(zone) if value.tzinfo else value).date()
        if value is not None:
            days.append(value)
    if not days:
        days = [getattr(registration, "completed_on", None) or utcnow().astimezone(zone).date()]
    return min(days), max(days)


def _owner(asn_id: int) -> User | None:
    """The ASN's user account, by one explicit query (the record's relationships stay unloaded)."""
    return db.session.scalar(
        sa.select(User)
        .join(AsnProfile, AsnProfile.user_id == User.id)
        .where(AsnProfile.id == asn_id)
    )


def credit_training(registration, *, actor, earned: ScheduleJP | None = None) -> LedgerEntry:
    """Credit a completed portal training to the ASN's ledger, once (idempotent).

    The JP are those the batch's schedule earns (``schedule.batch_jp``: the sessions converted
    by the table in force, at most the batch's and the curriculum's JP), not the curriculum's
    nominal JP; the entry keeps the raw duration (``quantity`` in the rule's unit) beside them
    (DOMAIN.md §2.4). ``earned`` saves computing it again for each registration of a batch.

    Contract with the trainings feature (read defensively with ``getattr``):
    ``registration.id`` and ``registration.asn_id``; ``registration.batch`` with ``jp`` (the
    most JP the batch awards), ``curriculum`` (its ``modules``, ``mode``), ``title`` (else
    ``batch.curriculum.title``), optional ``organiser``, ``form`` (default: from the curriculum)
    and ``sessions`` with ``starts_at`` and ``ends_at`` (the JP; read in Asia/Jakarta, the first
    and last day); optional ``registration.certificate_number``. The caller
    decides that the registration is completed. A second call for the same registration
    returns the existing entry and changes nothing (a unique constraint guards against races).
    Refuses a registration without an id, an ASN or a positive JP.
    """
    reg_id, asn_id = getattr(registration, "id", None), getattr(registration, "asn_id", None)
    batch = getattr(registration, "batch", None)
    earned = earned or schedule.batch_jp(batch)
    jp = float(earned.jp)
    if reg_id is None or asn_id is None or jp <= 0:
        raise DomainError(_l("This registration cannot be credited: it has no ASN or no JP."))
    existing = _credited(reg_id)
    if existing is not None:
        return existing
    title = getattr(batch, "title", None) or getattr(
        getattr(batch, "curriculum", None), "title", None
    )
    started_on, ended_on = _session_dates(registration, batch)
    entry = LedgerEntry(
        asn_id=asn_id,
        year=ended_on.year,
        source=LedgerSource.TRAINING,
        registration_id=reg_id,
        form=earned.form,
        scope=Scope.NATIONAL,
        title=str(title or _l("Portal training"))[:200],
        organiser=(getattr(batch, "organiser", None) or DEFAULT_ORGANISER)[:200],
        started_on=started_on,
        ended_on=ended_on,
        quantity=max(earned.quantity, 0.1),  # the raw duration (positive, as the column asks)
        unit=earned.unit,
        jp=jp,
        certificate_number=getattr(registration, "certificate_number", None),
        state=EntryState.VERIFIED,
        verified_by_id=getattr(actor, "id", None),
        verified_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        # Someone credited the same registration concurrently: theirs stands.
        existing = _credited(reg_id)
        if existing is None:
            raise
        return existing
    db.session.add(
        LedgerEvent(
            entry_id=entry.id, action=EntryAction.CREDIT, actor_id=getattr(actor, "id", None)
        )
    )
    audit.record(
        actor, "ledger.credit", entry, target_label=entry.title, jp=jp, registration_id=reg_id
    )
    owner = _owner(asn_id)
    if owner is not None:
        notify(owner, "ledger.credited", jp=_num(jp), title=entry.title, link=entry_link(entry))
    db.session.flush()
    return entry


def entry_link(entry: LedgerEntry) -> str | None:
    """The record's page, for notifications (None until the page exists)."""
    return links.link("trainings.ledger_entry", entry_id=entry.id)


def _credited(registration_id: int) -> LedgerEntry | None:
    return db.session.scalars(
        sa.select(LedgerEntry).where(
            LedgerEntry.source == LedgerSource.TRAINING,
            LedgerEntry.registration_id == registration_id,
        )
    ).first()


def submit_external(
    asn: AsnProfile,
    *,
    form: str,
    scope: Scope | str,
    title: str,
    organiser: str,
    started_on: date,
    ended_on: date,
    quantity: float,
    evidence_upload,
    certificate_number: str | None = None,
    actor,
) -> LedgerEntry:
    """The ASN records development done elsewhere, with evidence; it waits for verification.

    The JP are converted with the rule in force and stored with the raw quantity and unit.
    Refuses anyone but the ASN, an unknown form or scope, dates in the wrong order or in the
    future, a non-positive quantity, more than MAX_JP, and missing or unacceptable evidence
    (PDF, JPG, PNG).
    """
    if actor is None or asn.user_id != actor.id:
        raise DomainError(_l("Only the ASN can submit a record to their own ledger."))
    if form not in LEDGER_FORMS:
        raise DomainError(_l("Choose a form of development from the list."))
    if ended_on < started_on:
        raise DomainError(_l("The end date cannot be before the start date."))
    if ended_on > clock.today():
        raise DomainError(_l("Record development once it has ended."))
    title, organiser = (title or "").strip(), (organiser or "").strip()
    if not title or not organiser:
        raise DomainError(_l("Give the name of the activity and its organiser."))
    if evidence_upload is None:
        raise FieldError("evidence", _l("Attach the certificate or other proof."))
    scope = Scope(scope)
    jp, _explanation = convert(form, scope, quantity, UnitContext.between(started_on, ended_on))
    if jp > MAX_JP:
        raise DomainError(TOO_MANY_JP)
    unit = rule_for(form, scope).unit
    try:
        evidence = uploads.store(evidence_upload, allowed=EVIDENCE_KINDS, actor=actor)
    except DomainError as exc:  # the file is refused: say so beside it
        raise FieldError("evidence", exc.message) from exc
    entry = LedgerEntry(
        asn_id=asn.id,
        year=ended_on.year,
        source=LedgerSource.EXTERNAL,
        form=form,
        scope=scope,
        title=title[:200],
        organiser=organiser[:200],
        started_on=started_on,
        ended_on=ended_on,
        quantity=float(quantity),
        unit=unit,
        jp=jp,
        certificate_number=(certificate_number or "").strip()[:100] or None,
        evidence_file_id=evidence.id,
        state=EntryState.SUBMITTED,
    )
    db.session.add(entry)
    db.session.flush()
    db.session.add(LedgerEvent(entry_id=entry.id, action=EntryAction.SUBMIT, actor_id=actor.id))
    audit.record(actor, "ledger.submit", entry, target_label=entry.title, jp=jp)
    db.session.flush()
    return entry


def verify_external(entry: LedgerEntry, *, actor) -> None:
    """An admin (city-wide or of the ASN's OPD) accepts a submitted record; its JP now count.

    Refuses other users, the ASN themselves and records not waiting for verification."""
    LEDGER_ENTRY.apply(entry, EntryAction.VERIFY, actor)
    entry.verified_by_id, entry.verified_at, entry.reason = actor.id, utcnow(), None
    audit.record(actor, "ledger.verify", entry, target_label=entry.title, jp=entry.jp)
    notify(
        _owner(entry.asn_id),
        "ledger.verified",
        title=entry.title,
        jp=_num(entry.jp),
        link=entry_link(entry),
    )
    db.session.flush()


def reject_external(entry: LedgerEntry, *, actor, reason: str) -> None:
    """An admin refuses a submitted record, saying why (the ASN sees the reason).

    Refuses an empty reason, other users, the ASN themselves and records not waiting."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Say why the record is rejected."))
    LEDGER_ENTRY.apply(entry, EntryAction.REJECT, actor, note=reason)
    entry.reason = reason
    audit.record(actor, "ledger.reject", entry, target_label=entry.title, reason=reason)
    notify(
        _owner(entry.asn_id),
        "ledger.rejected",
        title=entry.title,
        reason=reason,
        link=entry_link(entry),
    )
    db.session.flush()


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
