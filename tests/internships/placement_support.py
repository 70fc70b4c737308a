"""A placement and everyone around it, for the placement, logbook and final-report tests.

``placement_world`` gives a running placement (started 30 days ago, 60 days to go) of a student
at university A in OPD A, with its mentor and DPL, plus the people who must not act on it: another
student and another mentor with a placement of their own at the same OPD, staff of A who are not
the DPL, the OPD's admin, another OPD's admin, staff of university B and a city-wide admin.
Every user reads the pages in English.
"""

from __future__ import annotations

import io
import types
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from portal.auth.models import Role
from portal.internships.applications.models import ApplicationState
from portal.internships.models import Placement
from portal.internships.placements.models import EntryState, FinalReport, LogbookEntry, ReportState
from portal.uploads import StoredFile

PDF = b"%PDF-1.7\n%uji\n1 0 obj<<>>endobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def today() -> date:
    """Today in Medan (the portal's day), whatever the machine's time zone."""
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def upload(data: bytes = PDF, name: str = "bukti.pdf") -> tuple:
    """A file for ``client.post(data={...: upload()})``."""
    return (io.BytesIO(data), name)


def stored(imake, data: bytes = PDF, name: str = "bukti.pdf", owner=None) -> StoredFile:
    from portal import uploads

    kind = name.rsplit(".", 1)[-1]
    return uploads.store(FileStorage(io.BytesIO(data), filename=name), allowed=(kind,), actor=owner)


def make_placement(
    make,
    imake,
    *,
    university,
    agency,
    mentor,
    student=None,
    supervisor=None,
    planned_sks=None,
    starts=-30,
    ends=60,
) -> Placement:
    start, end = today() + timedelta(days=starts), today() + timedelta(days=ends)
    period = imake.period(starts_on=start, ends_on=end)
    position = imake.position(
        agency,
        period=period,
        mentors=[mentor],
        starts_on=start,
        ends_on=end,
        application_deadline=start - timedelta(days=10),
    )
    student = student or imake.student(university)
    application = imake.application(position, student=student, state=ApplicationState.ACCEPTED)
    placement = Placement(
        application_id=application.id,
        student_id=student.id,
        position_id=position.id,
        period_id=period.id,
        university_id=university.id,
        agency_id=agency.id,
        mentor_id=mentor.id,
        supervisor_id=supervisor.id if supervisor else None,
        starts_on=start,
        ends_on=end,
        planned_sks=planned_sks,
    )
    imake.session.add(placement)
    imake.session.flush()
    return placement


def placement_world(make, imake, *, planned_sks=20, supervised=True) -> types.SimpleNamespace:
    w = types.SimpleNamespace()
    w.uni, w.other_uni = make.university(), make.university()
    w.agency, w.other_agency = make.agency(), make.agency()
    w.mentor, w.other_mentor = imake.mentor(w.agency), imake.mentor(w.agency)
    w.student, w.other_student = imake.student(w.uni), imake.student(w.uni)
    w.dpl = make.user(Role.UNIVERSITY, university=w.uni, full_name="Dr. M. Syahputra, M.Kom.")
    w.uni_staff = make.user(Role.UNIVERSITY, university=w.uni)
    w.other_uni_staff = make.user(Role.UNIVERSITY, university=w.other_uni)
    w.opd_admin, w.other_opd_admin = imake.opd_admin(w.agency), imake.opd_admin(w.other_agency)
    w.city_admin = imake.city_admin()
    w.placement = make_placement(
        make,
        imake,
        university=w.uni,
        agency=w.agency,
        mentor=w.mentor,
        student=w.student,
        supervisor=w.dpl if supervised else None,
        planned_sks=planned_sks,
    )
    # The other student's placement, with the other mentor, at the same OPD and university.
    w.other_placement = make_placement(
        make,
        imake,
        university=w.uni,
        agency=w.agency,
        mentor=w.other_mentor,
        student=w.other_student,
    )
    # A placement elsewhere: university B's student at another OPD.
    w.foreign_placement = make_placement(
        make,
        imake,
        university=w.other_uni,
        agency=w.other_agency,
        mentor=imake.mentor(w.other_agency),
        supervisor=w.other_uni_staff,
    )
    for user in (
        w.mentor,
        w.other_mentor,
        w.student,
        w.other_student,
        w.dpl,
        w.uni_staff,
        w.other_uni_staff,
        w.opd_admin,
        w.other_opd_admin,
        w.city_admin,
    ):
        user.locale = "en"
    imake.session.flush()
    return w


def entry(
    session,
    placement,
    *,
    days_ago=1,
    state=EntryState.DRAFT,
    minutes=480,
    activities="Menginput data kepegawaian ke SIASN untuk 30 ASN.",
    outputs="",
    attachment=None,
    comment=None,
    day=None,
) -> LogbookEntry:
    obj = LogbookEntry(
        placement_id=placement.id,
        day=day or today() - timedelta(days=days_ago),
        minutes=minutes,
        activities=activities,
        outputs=outputs,
        state=state,
        attachment_id=attachment.id if attachment else None,
        mentor_comment=comment,
    )
    session.add(obj)
    session.flush()
    return obj


def report(session, imake, placement, *, state=ReportState.SUBMITTED, version=1) -> FinalReport:
    obj = FinalReport(
        placement_id=placement.id,
        version=version,
        state=state,
        file_id=stored(imake, name="laporan.pdf").id,
        note="",
    )
    session.add(obj)
    session.flush()
    return obj


def fresh(db, model, pk):
    """The row as the database holds it now."""
    db.session.expire_all()
    return db.session.get(model, pk)


def count(db, model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
