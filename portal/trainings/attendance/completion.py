"""Completing a batch with its certificates: attendance decides who completed (and credits
their JP), then every completer's training certificate is issued, dated that day, and its number
reaches the JP ledger record (SIASN's ``noSertipikat``), in the same transaction."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from portal.db import db
from portal.trainings.attendance.services import complete_batch
from portal.trainings.batches.certificates import issue_training_certificates, load_participants
from portal.trainings.ledger.models import LedgerEntry
from portal.trainings.models import TrainingBatch
from portal.util import clock


def complete_with_certificates(
    batch: TrainingBatch, *, actor, post_test_passed, now: datetime | None = None
) -> dict:
    """Complete the batch (``attendance_services.complete_batch``, at ``now``: default the
    present) and issue the certificate of every registration that completed it, dated that
    day, in the same transaction."""
    participants = load_participants(batch)
    outcome = complete_batch(batch, actor=actor, post_test_passed=post_test_passed, now=now)
    issued_on = now.astimezone(clock.zone()).date() if now is not None else None
    issued = issue_training_certificates(
        batch, outcome["completed"], actor=actor, issued_on=issued_on
    )
    numbers = {r.id: c.number for r, c in zip(outcome["completed"], issued, strict=True)}
    if numbers:  # each JP ledger record gets its certificate's number, in one statement
        db.session.execute(
            sa.update(LedgerEntry)
            .where(
                LedgerEntry.registration_id.in_(numbers),
                LedgerEntry.certificate_number.is_(None),
            )
            .values(certificate_number=sa.case(numbers, value=LedgerEntry.registration_id))
            .execution_options(synchronize_session="fetch")
        )
    del participants
    return outcome
