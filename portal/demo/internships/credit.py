"""The demo universities' credit schemes (issue 17 point 5): each of the small demo's
universities gets the scheme, PKS, courses and letter grades of
``portal.demo.people.institutions.CREDIT_SCHEMES``, set by its DPL (the staff account)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from portal.db import db
from portal.demo.people.institutions import CREDIT_SCHEMES
from portal.internships.credit.models import CreditCourse, CreditKind, CreditScheme, GradeBand


def schemes(universities: dict, staff: dict, today: date, midnight: datetime) -> int:
    """Write the schemes of the demo universities present; returns how many."""
    made = 0
    set_on = midnight - timedelta(days=280)
    for short, spec in CREDIT_SCHEMES.items():
        university = universities.get(short)
        if university is None:
            continue
        number, signed, years = spec["pks"]
        signed_on = date(today.year + signed, 3, 10)
        semester = spec["kind"] == "semester"
        scheme = CreditScheme(
            university_id=university.id,
            kind=CreditKind.SEMESTER if semester else CreditKind.HOURS,
            sks=spec["sks"],
            min_weeks=spec["weeks"] if semester else None,
            hours_per_sks=None if semester else spec["hours"],
            pks_number=number.format(year=signed_on.year),
            pks_signed_on=signed_on,
            pks_valid_until=date(signed_on.year + years, 3, 9),
            updated_by_id=staff[university.id].id if university.id in staff else None,
            created_at=set_on,
            updated_at=set_on,
        )
        scheme.courses = [
            CreditCourse(position=n, code=code, name=name, sks=sks)
            for n, (code, name, sks) in enumerate(spec["courses"], start=1)
        ]
        scheme.bands = [
            GradeBand(min_score=low, letter=letter, points=points)
            for low, letter, points in spec["scale"]
        ]
        db.session.add(scheme)
        made += 1
    db.session.flush()
    return made
