"""More of everything in the route-walking world (tests/support/worlds/crawl.py), attached to the same owners,
so every list a page of the world shows gets longer: the query-budget walk
(tests/crawls/test_page_query_budget.py) counts each page's queries before and after and expects the
same number (QUALITY.md P4, P5).

``grow_world(make, w, n)`` adds ``n`` more of each kind: users of every role at A, applications
to A's position, placements at A (mentor, DPL, university of the world's users), logbook entries
and guidance sessions of A's placement, curricula, materials, ratings and problem reports,
review comments, batches and registrations, JP ledger records, notifications of every world
user, plan activities and assessments, certificates and personal-data requests.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import object_session

from portal.auth.models import AccountStatus, Role
from portal.curricula.models import CurriculumState
from portal.curricula.proposals.models import ReviewComment
from portal.db import utcnow
from portal.internships.applications.models import ApplicationState
from portal.internships.placements.models import EntryState
from portal.notify import Notification
from portal.trainings.models import RegistrationState
from tests.internships.guidance_support import GuidanceFactories, local_today
from tests.internships.placement_support import entry
from tests.trainings.ledger_support import submit

#: the first logbook day and guidance date (days ago) the world does not use yet (it uses 1, 3)
FIRST_FREE_DAY = 10


def grow_world(make, w, n: int) -> None:
    """Add ``n`` more rows of every kind the world's pages list, to the world's own owners."""
    imake = make.internships
    g = GuidanceFactories(make, imake)
    tmake = make.trainings
    session = object_session(w.admin)
    for i in range(n):
        day = FIRST_FREE_DAY + i
        _people(make, w)
        _internships(make, imake, g, w, session, day)
        _curricula(make, w, session)
        _trainings(make, tmake, w)
        _personal(make, w, session, day)
    session.flush()


def _people(make, w) -> None:
    make.user(Role.STUDENT, university=w.uni, status=AccountStatus.PENDING)
    make.user(Role.STUDENT, university=w.uni)
    make.user(Role.UNIVERSITY, university=w.uni)
    make.user(Role.MENTOR, agency=w.agency)
    make.user(Role.ADMIN)
    make.university()
    make.agency()
    report = make.asn_profile(
        make.user(Role.ASN, agency=w.agency), position=w.position, supervisor=w.asn_record
    )
    make.assessment_with_report(report, w.competency)
    make.competency(agency=w.agency)


def _internships(make, imake, g, w, session, day: int) -> None:
    student = make.user(Role.STUDENT, university=w.uni)
    imake.application(w.ipos["own"], student=student, state=ApplicationState.ENDORSED)
    imake.application(w.ipos["own"], student=make.user(Role.STUDENT, university=w.uni))
    position = imake.position(w.agency, mentors=[w.mentor])
    imake.application(position, student=w.student)
    g.placement(
        student=make.user(Role.STUDENT, university=w.uni),
        mentor=w.mentor,
        supervisor=w.university,
        agency=w.agency,
        university=w.uni,
    )
    placement = w.placement["own"]
    entry(session, placement, days_ago=day, state=EntryState.SUBMITTED)
    g.session_row(placement, held_on=local_today() - timedelta(days=day))


def _curricula(make, w, session) -> None:
    draft = w.draft["own"]
    make.curriculum(
        w.uni,
        agency=w.agency,
        author=w.university,
        competency=w.competency,
        state=CurriculumState.PUBLISHED,
    )
    make.curriculum(
        w.uni, agency=w.agency, author=w.university, agency_author=w.asn, competency=w.competency
    )
    material = make.material(w.published["own"].modules[0], author=w.university)
    make.material(w.module["own"], author=w.university)
    learner = make.user(Role.ASN, agency=w.agency)
    make.rating(w.material["own"], learner, comment="Bermanfaat.")
    make.rating(material, w.student)
    make.flag(w.material["own"], learner)
    make.flag(w.draft_material["own"], learner)
    session.add(
        ReviewComment(
            curriculum_id=draft.id, author_id=w.university.id, body="Tambahkan studi kasus."
        )
    )


def _trainings(make, tmake, w) -> None:
    batch = w.batch["own"]
    more = tmake.batch(curriculum=w.scheduled["own"], facilitators=[w.university])
    tmake.registration(more, w.asn_record, state=RegistrationState.ENROLLED)
    reg_asn = tmake.asn(supervisor=w.asn_record, agency=w.agency)
    tmake.registration(batch, reg_asn, state=RegistrationState.ENROLLED)
    tmake.registration(batch, state=RegistrationState.REQUESTED)
    submit(w.asn_record, title="Seminar Tambahan")
    submit(w.report, title="Seminar Bawahan")
    make.plan_activity(w.asn_record, w.competency)
    make.plan_activity(w.report, w.competency)


def _personal(make, w, session, day: int) -> None:
    from tests.support.worlds.crawl import world_users

    for user in world_users(w):
        session.add(
            Notification(
                user_id=user.id,
                category="curricula",
                message_key="curricula.flag_fixed",
                params={"material": "Materi", "note": "Diperbaiki"},
                link="/dashboard",
            )
        )
    from portal.certificates.services import issue_certificate
    from portal.privacy.models import DataRequest, RequestKind, RequestState

    now = utcnow()
    session.add(
        DataRequest(
            user_id=make.user(Role.STUDENT, university=w.uni).id,
            kind=RequestKind.CORRECTION,
            state=RequestState.OPEN,
            details="Nama saya salah.",
            explanation="Seharusnya Siti.",
            created_at=now,
            updated_at=now,
            due_at=now + timedelta(hours=72),
        )
    )

    issue_certificate(
        kind="internship",
        subject=w.student,
        title="Magang — Diskominfo",
        source_type="growth",
        source_id=day,
        agency_id=w.agency.id,
    )
