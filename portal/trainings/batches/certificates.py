"""The training certificates (STTPP): one per completed registration, issued when its batch is
completed (kind "training", source ``training_registration``; the PDF is at
``certificates.download``). Each carries the holder's NIP, the training type, the JP credited
to the ledger and the signing official (DOMAIN.md §2.5: type, material, time, JP, proof)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal import audit
from portal.auth.models import User
from portal.certificates.services import issue_certificate
from portal.competency.models import AsnProfile
from portal.curricula.models import Curriculum
from portal.curricula.training_types import training_type
from portal.db import db
from portal.trainings.ledger.models import LedgerEntry
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


def training_type_name(curriculum, ledger_form: str | None = None) -> str:
    """The training type printed on the STTPP as SIASN names it (``jenisKursusNama``: official
    wording, in Indonesian like the rest of the certificate): the curriculum's training type,
    else the form the JP ledger credited (``curricula/training_types.py``)."""
    return training_type(curriculum.training_type or ledger_form).name


def issue_training_certificates(
    batch: TrainingBatch, registrations, *, actor, issued_on: date | None = None
) -> list:
    """A certificate for each completed registration of ``batch`` (idempotent: a registration
    that already has one keeps it), dated ``issued_on`` (default: today in WIB)."""
    starts_on, ends_on = batch_dates(batch)
    ids = [r.id for r in registrations]
    if not ids:
        return []
    rows = db.session.execute(
        sa.select(Registration.id, User, AsnProfile.nip)
        .join(User, User.id == Registration.user_id)
        .outerjoin(AsnProfile, AsnProfile.id == Registration.asn_id)
        .where(Registration.id.in_(ids))
        .options(selectinload(User.role_rows))
    ).all()
    holders = {reg_id: user for reg_id, user, _nip in rows}
    nips = {reg_id: nip for reg_id, _user, nip in rows}
    credited = {
        reg_id: (jp, form)
        for reg_id, jp, form in db.session.execute(
            sa.select(LedgerEntry.registration_id, LedgerEntry.jp, LedgerEntry.form).where(
                LedgerEntry.registration_id.in_(ids)
            )
        )
    }
    curriculum = db.session.get(Curriculum, batch.curriculum_id)
    issued = []
    for registration in registrations:
        jp, form = credited.get(registration.id, (batch.jp, None))
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
                holder_nip=nips.get(registration.id),
                training_type=training_type_name(curriculum, form),
                jp=jp,
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
