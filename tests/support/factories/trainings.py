"""Training factories (``make.trainings``): batches of a published curriculum with sessions,
ASN with supervisors, and registrations in any state."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.models import Role
from portal.curricula.models import CurriculumState
from portal.db import utcnow
from portal.trainings.batches.services import new_check_in_code
from portal.trainings.models import (
    BatchState,
    Registration,
    RegistrationState,
    TrainingBatch,
    TrainingSession,
)


class TrainingFactories:
    def __init__(self, make):
        self.make = make
        self.session = make.session

    def admin(self, agency=None):
        return self.make.user(Role.ADMIN, admin_agency=agency)

    def facilitator(self):
        return self.make.user(Role.UNIVERSITY)

    def asn(self, *, supervisor=None, agency=None, position=None):
        """An ASN record with a supervisor (a new one unless given); returns the AsnProfile."""
        agency = agency or self.make.agency()
        if supervisor is None:
            supervisor = self.make.asn_profile(self.make.user(Role.ASN, agency=agency))
        user = self.make.user(Role.ASN, agency=agency)
        return self.make.asn_profile(user, supervisor=supervisor, position=position)

    def batch(
        self,
        *,
        capacity=10,
        state=BatchState.OPEN,
        sessions=1,
        start=None,
        hours=2,
        facilitators=(),
        curriculum=None,
        jp=None,
        **kw,
    ) -> TrainingBatch:
        """A batch of a published curriculum; ``sessions`` daily sessions of ``hours`` hours from
        ``start`` (default: a week from now), each with its own check-in code."""
        curriculum = curriculum or self.make.curriculum(state=CurriculumState.PUBLISHED)
        batch = TrainingBatch(
            curriculum_id=curriculum.id,
            title=kw.pop("title", curriculum.title),
            capacity=capacity,
            seats_taken=kw.pop("seats_taken", 0),
            jp=jp or curriculum.total_jp,
            state=state,
            **kw,
        )
        batch.facilitators = list(facilitators)
        self.session.add(batch)
        self.session.flush()
        start = start or utcnow().replace(microsecond=0) + timedelta(days=7)
        for day in range(sessions):
            begins = start + timedelta(days=day)
            self.session.add(
                TrainingSession(
                    batch_id=batch.id,
                    starts_at=begins,
                    ends_at=begins + timedelta(hours=hours),
                    place="Aula BKPSDM",
                    check_in_code=new_check_in_code(),
                )
            )
        self.session.flush()
        self.session.expire(batch)
        return batch

    def registration(
        self, batch, asn=None, *, state=RegistrationState.REQUESTED, waitlist_position=None
    ) -> Registration:
        """A registration set directly in ``state`` (an enrolled one takes a seat)."""
        asn = asn or self.asn()
        reg = Registration(
            batch_id=batch.id,
            asn_id=asn.id,
            user_id=asn.user_id,
            agency_id=asn.agency_id,
            state=state,
            waitlist_position=waitlist_position,
        )
        self.session.add(reg)
        if state == RegistrationState.ENROLLED:
            batch.seats_taken += 1
        self.session.flush()
        return reg
