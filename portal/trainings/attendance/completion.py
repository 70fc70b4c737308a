"""Completing a batch with its certificates: attendance decides who completed, then every
completer's training certificate is issued, dated that day, in the same transaction."""

from __future__ import annotations

from datetime import datetime

from portal.trainings.attendance.services import complete_batch
from portal.trainings.batches.certificates import issue_training_certificates, load_participants
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
    issue_training_certificates(batch, outcome["completed"], actor=actor, issued_on=issued_on)
    del participants
    return outcome
