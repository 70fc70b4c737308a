"""A small training world for the page tests: one OPD's published curriculum with an open
batch (a facilitator, one session a week from now), an ASN with their supervisor, another ASN
of the same OPD, the OPD's admin, another OPD's admin and a city-wide admin."""

from __future__ import annotations

import re
import types

import sqlalchemy as sa

from portal.auth.models import Role, User
from portal.curricula.models import CurriculumState
from portal.trainings.models import Registration

PARTIES = (
    "asn",
    "supervisor",
    "other_asn",
    "opd_admin",
    "other_admin",
    "city_admin",
    "facilitator",
)


def scene(db, make, tmake, **batch_kw) -> types.SimpleNamespace:
    s = types.SimpleNamespace()
    s.agency, s.other_agency = make.agency(), make.agency()
    s.curriculum = make.curriculum(state=CurriculumState.PUBLISHED, agency=s.agency)
    s.facilitator = tmake.facilitator()
    s.batch = tmake.batch(curriculum=s.curriculum, facilitators=[s.facilitator], **batch_kw)
    s.supervisor_record = make.asn_profile(make.user(Role.ASN, agency=s.agency))
    s.asn_record = tmake.asn(supervisor=s.supervisor_record, agency=s.agency)
    s.other_record = tmake.asn(agency=s.agency)
    s.asn = db.session.get(User, s.asn_record.user_id)
    s.supervisor = db.session.get(User, s.supervisor_record.user_id)
    s.other_asn = db.session.get(User, s.other_record.user_id)
    s.opd_admin = tmake.admin(s.agency)
    s.other_admin = tmake.admin(s.other_agency)
    s.city_admin = tmake.admin()
    for name in (*PARTIES, "other_asn"):
        getattr(s, name).locale = "en"  # the pages are read in English here
    db.session.flush()
    return s


def body(response) -> str:
    return response.get_data(as_text=True)


def fresh(db, registration: Registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration.id)


def count(db, model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def text(html: str) -> str:
    """The page's text without tags and with collapsed spaces (for phrase assertions)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
