"""Internship factories (``make.internships``): real rows, states set directly so a test can
start anywhere in the workflow."""

from __future__ import annotations

import io
import itertools
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from portal import uploads
from portal.auth.models import Role
from portal.db import utcnow
from portal.internships.applications.models import OPEN_STATES, Application, ApplicationState
from portal.internships.models import (
    InternshipPeriod,
    InternshipPosition,
    MentorCapacity,
    PositionMentor,
    PositionState,
    WorkMode,
)
from portal.util import clock

_seq = itertools.count(1)
S = ApplicationState
#: States an application can only be in after the university endorsed it.
AFTER_ENDORSEMENT = frozenset(
    {
        S.ENDORSED,
        S.SHORTLISTED,
        S.WAITLISTED,
        S.OFFERED,
        S.ACCEPTED,
        S.OFFER_DECLINED,
        S.OFFER_EXPIRED,
        S.REJECTED,
    }
)


class InternshipFactories:
    def __init__(self, make):
        self.make = make
        self.session = make.session

    def period(self, **kw) -> InternshipPeriod:
        n = next(_seq)
        today = clock.today()
        obj = InternshipPeriod(
            name=kw.pop("name", f"Periode Uji {n}"),
            starts_on=kw.pop("starts_on", today + timedelta(days=40)),
            ends_on=kw.pop("ends_on", today + timedelta(days=200)),
        )
        self.session.add(obj)
        self.session.flush()
        return obj

    def opd_admin(self, agency):
        return self.make.user(Role.ADMIN, admin_agency=agency)

    def city_admin(self):
        return self.make.user(Role.ADMIN)

    def mentor(self, agency, *, limit: int | None = 10, active: int = 0):
        """A mentor of ``agency``; with ``limit`` not None their capacity row is made too."""
        user = self.make.user(Role.MENTOR, Role.ASN, agency=agency)
        if limit is not None:
            self.session.add(
                MentorCapacity(user_id=user.id, mentee_limit=limit, active_mentees=active)
            )
            self.session.flush()
        return user

    def student(self, university=None, **kw):
        return self.make.user(Role.STUDENT, university=university, **kw)

    def university_staff(self, university):
        return self.make.user(Role.UNIVERSITY, university=university)

    def position(
        self,
        agency=None,
        *,
        period=None,
        quota=5,
        mentors=1,
        mentee_limit=10,
        state=PositionState.PUBLISHED,
        **kw,
    ) -> InternshipPosition:
        """A position of ``agency`` (made if None) with ``mentors`` new mentors (or a list)."""
        agency = agency or self.make.agency()
        period = period or self.period()
        n = next(_seq)
        today = clock.today()
        obj = InternshipPosition(
            agency_id=agency.id,
            period_id=period.id,
            title=kw.pop("title", f"Magang Uji {n}"),
            unit=kw.pop("unit", "Bidang Aplikasi Informatika"),
            description=kw.pop("description", "Membantu pengembangan aplikasi layanan publik."),
            tasks=kw.pop("tasks", "Input data; dokumentasi rapat."),
            wanted_majors=kw.pop("wanted_majors", "Teknologi Informasi"),
            wanted_skills=kw.pop("wanted_skills", "Python, SQL"),
            quota=quota,
            starts_on=kw.pop("starts_on", today + timedelta(days=40)),
            ends_on=kw.pop("ends_on", today + timedelta(days=160)),
            application_deadline=kw.pop("application_deadline", today + timedelta(days=30)),
            location=kw.pop("location", "Jl. Kapten Maulana Lubis No. 2, Medan"),
            mode=kw.pop("mode", WorkMode.ON_SITE),
            state=state,
            **kw,
        )
        self.session.add(obj)
        self.session.flush()
        people = (
            mentors
            if isinstance(mentors, list | tuple)
            else [self.mentor(agency, limit=mentee_limit) for _ in range(mentors)]
        )
        for person in people:
            self.session.add(PositionMentor(position_id=obj.id, mentor_id=person.id))
        self.session.flush()
        return obj

    def cv(self, owner=None):
        return uploads.store(
            FileStorage(io.BytesIO(b"%PDF-1.7\n%cv uji\n"), filename="cv.pdf"),
            allowed=("pdf",),
            actor=owner,
        )

    def application(
        self,
        position=None,
        *,
        student=None,
        state=S.SUBMITTED,
        rank=None,
        cv=None,
        endorsed=None,
        offer_expires_at=None,
    ) -> Application:
        """An application in ``state`` (set directly). Open ones get the next free rank;
        ``endorsed`` defaults to whether the state comes after the endorsement."""
        position = position or self.position()
        student = student or self.student()
        if rank is None and state in OPEN_STATES:
            taken = set(
                self.session.scalars(
                    sa.select(Application.rank).where(
                        Application.student_id == student.id,
                        Application.period_id == position.period_id,
                    )
                )
            )
            rank = min(r for r in range(1, 10) if r not in taken)
        if endorsed is None:
            endorsed = state in AFTER_ENDORSEMENT
        if state == S.OFFERED and offer_expires_at is None:
            offer_expires_at = utcnow() + timedelta(days=7)
        obj = Application(
            student_id=student.id,
            position_id=position.id,
            period_id=position.period_id,
            university_id=student.university_id,
            agency_id=position.agency_id,
            rank=rank if state in OPEN_STATES else None,
            motivation="Saya ingin belajar pelayanan publik digital.",
            cv_file_id=(cv or self.cv(student)).id,
            state=state,
            endorsed_at=utcnow() if endorsed else None,
            offer_expires_at=offer_expires_at,
        )
        self.session.add(obj)
        self.session.flush()
        return obj
