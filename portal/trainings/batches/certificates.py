"""The training certificates: one per completed registration, issued when its batch is
completed (kind "training", source ``training_registration``; the PDF is at
``certificates.download``)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal import audit
from portal.auth.models import User
from portal.certificates.services import issue_certificate
from portal.competency.models import AsnProfile
from portal.db import db
from portal.trainings.models import Registration, RegistrationState, TrainingBatch
from portal.util import clock

SOURCE_TYPE = "training_registration"


def batch_dates(batch: TrainingBatch):
    """The first and last session days of the batch in WIB (None, None without sessions)."""
    sessions = batch.sessions
    if not sessions:
        return None, None
    zone = clock.zone()
    first = min(s.starts_at for s in sessions).astimezone(zone).date()
    last = max(s.ends_at for s in sessions).astimezone(zone).date()
    return first, last


def issue_training_certificates(
    batch: TrainingBatch, registrations, *, actor, issued_on: date | None = None
) -> list:
    """A certificate for each completed registration of ``batch`` (idempotent: a registration
    that already has one keeps it), dated ``issued_on`` (default: today in WIB)."""
    starts_on, ends_on = batch_dates(batch)
    ids = [r.id for r in registrations]
    if not ids:
        return []
    holders = dict(
        db.session.execute(
            sa.select(Registration.id, User)
            .join(User, User.id == Registration.user_id)
            .where(Registration.id.in_(ids))
            .options(selectinload(User.role_rows))
        ).all()
    )
    issued = []
    for registration in registrations:
        issued.append(
            issue_certificate(
                kind="training",
                subject=holders[registration.id],
                title=batch.title,
                source_type=SOURCE_TYPE,
                source_id=registration.id,
                starts_on=starts_on,
                ends_on=ends_on,
                agency_id=registration.agency_id,
                issued_on=issued_on,
                actor=actor,
            )
        )
    audit.record(
        actor, "training.certificate", batch, target_label=batch.title, certificates=len(issued)
    )
    return issued


def load_participants(batch: TrainingBatch) -> list[AsnProfile]:
    """Load the enrolled ASN records with their accounts once (the completion notifies and
    credits each of them; this keeps that to one query instead of one per participant). The
    caller holds the list while it works: the session keeps only weak references."""
    return db.session.scalars(
        sa.select(AsnProfile)
        .join(Registration, Registration.asn_id == AsnProfile.id)
        .where(Registration.batch_id == batch.id, Registration.state == RegistrationState.ENROLLED)
        .options(joinedload(AsnProfile.user).selectinload(User.role_rows))
    ).all()
