"""The internship part of the route-walking world (tests/support/worlds/crawl.py): positions, applications,
placements with their logbook, final report and guidance sessions, and certificates.

Own objects sit at university A and OPD A with the world's student, mentor and university user
(as DPL); other objects sit at university B and OPD B.
"""

from __future__ import annotations

from portal.auth.models import Role
from portal.internships.applications.models import ApplicationState
from portal.internships.placements.models import EntryState
from tests.internships.guidance_support import GuidanceFactories
from tests.internships.placement_support import entry, report, stored


def add_internships(make, w) -> None:
    """Add ``ipos``, ``application``, ``placement``, ``entry``, ``final_report``, ``guidance_session``
    (each ``{"own": …, "other": …}``), ``position_mentor`` and ``certificate`` to ``w``."""
    from portal.certificates.services import issue_certificate

    imake = make.internships
    g = GuidanceFactories(make, imake)
    session = make.session
    w.other_student = make.user(Role.STUDENT, university=w.other_uni)
    w.other_mentor = make.user(Role.MENTOR, agency=w.other_agency)
    w.position_mentor = {"own": w.mentor, "other": w.other_mentor}
    w.ipos = {
        "own": imake.position(w.agency, mentors=[w.mentor]),
        "other": imake.position(w.other_agency, mentors=[w.other_mentor]),
    }
    endorsed = ApplicationState.ENDORSED
    w.application = {
        "own": imake.application(w.ipos["own"], student=w.student, state=endorsed),
        "other": imake.application(w.ipos["other"], student=w.other_student, state=endorsed),
    }
    w.placement = {
        "own": g.placement(
            student=w.student,
            mentor=w.mentor,
            supervisor=w.university,
            agency=w.agency,
            university=w.uni,
        ),
        "other": g.placement(
            student=w.other_student,
            mentor=w.other_mentor,
            supervisor=w.other_university,
            agency=w.other_agency,
            university=w.other_uni,
        ),
    }
    w.entry = {
        owner: entry(
            session, p, state=EntryState.SUBMITTED, attachment=stored(imake, owner=p.student)
        )
        for owner, p in w.placement.items()
    }
    w.final_report = {owner: report(session, imake, p) for owner, p in w.placement.items()}
    w.guidance_session = {owner: g.session_row(p) for owner, p in w.placement.items()}

    def cert(user, source_id, kind="internship"):
        return issue_certificate(
            kind=kind,
            subject=user,
            title="Magang — Diskominfo",
            source_type=f"world_{kind}",
            source_id=source_id,
            agency_id=w.agency.id,
        )

    _add_matching_round(make, w)
    w.certificate = {
        "student": cert(w.student, w.placement["own"].id),
        "asn": cert(w.asn, 1, kind="training"),
        "other": cert(w.other_student, w.placement["other"].id),
    }
    session.flush()


def _add_matching_round(make, w) -> None:
    """A period in matching mode (preferences closed yesterday) with the student's endorsed
    preference for a position of OPD A and a preview run of its match: ``matching_period``,
    ``matching_run``."""
    from datetime import timedelta

    from portal.internships.matching.models import MatchingRun
    from portal.internships.models import IntakeMode
    from portal.util import clock

    imake = make.internships
    period = imake.period(name="Magang Pencocokan Dunia Uji")
    period.intake_mode = IntakeMode.MATCHING
    period.preferences_close_on = clock.today() - timedelta(days=1)
    position = imake.position(w.agency, period=period, mentors=[w.mentor])
    wish = imake.application(position, student=w.student, state=ApplicationState.ENDORSED)
    w.matching_period = period
    w.matching_run_wish = wish
    w.matching_run = MatchingRun(
        period_id=period.id,
        seed=11,
        digest="0" * 64,
        figures={
            "students": 1,
            "placed": 1,
            "first": 1,
            "top3": 1,
            "unplaced": 0,
            "seats": 1,
            "unfilled": 0,
            "seats_by_position": {str(position.id): 1},
            "placed_by_position": {str(position.id): 1},
            "unplaced_ids": [],
        },
        result={str(wish.id): ["matched", 1, w.mentor.id]},
    )
    make.session.add(w.matching_run)
    make.session.flush()


def _position_id(w, endpoint: str, owner: str) -> int:
    """Internship pages: an internship position; the competency screens: a position (jabatan)."""
    if endpoint.startswith("internships."):
        return w.ipos[owner].id
    return w.position.id


def _certificate_id(w, endpoint: str, owner: str) -> int:
    """The acting holder's own certificate (the ASN's training one, else the student's)."""
    if owner == "other":
        return w.certificate["other"].id
    role = getattr(w, "role", None)
    return w.certificate["asn" if role is Role.ASN else "student"].id


#: URL argument -> (world, endpoint, owner) -> its value (merged into tests.support.worlds.crawl_urls.ARG_FILLERS)
INTERNSHIP_FILLERS = {
    "position_id": _position_id,
    "application_id": lambda w, endpoint, owner: w.application[owner].id,
    "mentor_id": lambda w, endpoint, owner: w.position_mentor[owner].id,
    "placement_id": lambda w, endpoint, owner: w.placement[owner].id,
    "entry_id": lambda w, endpoint, owner: w.entry[owner].id,
    "report_id": lambda w, endpoint, owner: w.final_report[owner].id,
    "session_id": lambda w, endpoint, owner: w.guidance_session[owner].id,
    "certificate_id": _certificate_id,
    "number": lambda w, endpoint, owner: w.certificate["student"].number,
    "university_id": lambda w, endpoint, owner: (w.uni if owner == "own" else w.other_uni).id,
    "period_id": lambda w, endpoint, owner: w.matching_period.id,
    "run_id": lambda w, endpoint, owner: w.matching_run.id,
}
