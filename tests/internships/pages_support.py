"""Shared pieces of the position and application page tests: a site with two of every kind of
institution and person, request helpers, and the query-count budget."""

from __future__ import annotations

import io
from types import SimpleNamespace

import sqlalchemy as sa

from portal.internships.applications.models import Application, ApplicationState
from portal.internships.models import PositionState

#: Queries per page, at most (the brief's budget), and the same at two data sizes.
BUDGET = 12
PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
PDF = b"%PDF-1.7\n%cv uji\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
HTML_AS_PDF = b"<!doctype html><html><body><script>alert(1)</script></body></html>"

#: The people of the G5 triples, by the party they are for the site's application.
PEOPLE = ("student", "other_student", "university", "other_university", "opd", "other_opd")


def build_site(make, imake) -> SimpleNamespace:
    """University U (and V), OPD A (and B); A's published position with one mentor, A's draft,
    B's published position; a person of every kind at U/A and at V/B."""
    s = SimpleNamespace()
    s.uni, s.other_uni = make.university(), make.university()
    s.agency, s.other_agency = make.agency(), make.agency()
    s.period = imake.period()
    s.mentor = imake.mentor(s.agency)
    s.position = imake.position(s.agency, period=s.period, mentors=[s.mentor], quota=3)
    s.draft = imake.position(s.agency, period=s.period, state=PositionState.DRAFT)
    s.other_position = imake.position(s.other_agency, period=s.period)
    s.student = imake.student(s.uni, full_name="Dinda Aulia Putri")
    s.other_student = imake.student(s.uni, full_name="Kevin Tanoto")
    s.far_student = imake.student(s.other_uni, full_name="Siti Khadijah Daulay")
    s.university = imake.university_staff(s.uni)
    s.other_university = imake.university_staff(s.other_uni)
    s.opd = imake.opd_admin(s.agency)
    s.other_opd = imake.opd_admin(s.other_agency)
    s.city_admin = imake.city_admin()
    for value in vars(s).values():  # pages in English (a saved choice beats ?lang=)
        if hasattr(value, "locale"):
            value.locale = "en"
    make.session.flush()
    return s


def pdf(name: str = "cv.pdf", body: bytes = PDF):
    return (io.BytesIO(body), name)


def get(client, url: str):
    response = client.get(url)
    response.close()
    return response


def state_of(db, application_id: int):
    return db.session.scalar(sa.select(Application.state).where(Application.id == application_id))


def fresh(db, model, obj_id):
    db.session.expire_all()
    return db.session.get(model, obj_id)


S = ApplicationState
