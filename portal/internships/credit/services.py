"""Writes of the credit schemes: a university's staff (or a city-wide admin) set the scheme, the
PKS, the courses and the letter-grade scale in one step. Services flush and record; they never
commit. Every refusal is about one field of the form (``FieldError``), so the page shows it
beside what was typed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal import audit
from portal.auth.models import Role
from portal.db import db
from portal.errors import DomainError, FieldError
from portal.i18n import _l
from portal.internships.credit.models import (
    CODE_MAX,
    HOURS_PER_SKS_MAX,
    LETTER_MAX,
    MAX_BANDS,
    MAX_COURSES,
    NAME_MAX,
    PKS_MAX,
    POINTS_MAX,
    SKS_MAX,
    WEEKS_MAX,
    CreditCourse,
    CreditKind,
    CreditScheme,
    GradeBand,
)
from portal.internships.models import is_university_staff, signed_in
from portal.util.text import clean_text

LETTER = re.compile(r"^[A-Z]{1,2}[+-]?$")


def can_edit_scheme(user, university_id: int) -> bool:
    """Staff of the university, or a city-wide admin."""
    if is_university_staff(user, university_id):
        return True
    return signed_in(user) and Role.ADMIN in user.roles and user.admin_agency_id is None


@dataclass
class SchemeInput:
    """What the form holds, already typed (numbers are ints or None)."""

    kind: str
    sks: int | None
    min_weeks: int | None = None
    hours_per_sks: int | None = None
    pks_number: str = ""
    pks_signed_on: date | None = None
    pks_valid_until: date | None = None
    #: (code, name, sks) rows; empty rows are dropped
    courses: list[tuple[str, str, int | None]] = field(default_factory=list)
    #: (min_score, letter, points) rows; empty rows are dropped
    bands: list[tuple[int | None, str, float | None]] = field(default_factory=list)


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _check_figures(data: SchemeInput) -> CreditKind:
    if data.kind not in {k.value for k in CreditKind}:
        raise FieldError("kind", _l("Choose how the university grants credit."))
    kind = CreditKind(data.kind)
    if not _whole(data.sks, 1, SKS_MAX):
        raise FieldError("sks", _l("The SKS are a whole number from 1 to %(max)d.", max=SKS_MAX))
    if kind == CreditKind.SEMESTER and not _whole(data.min_weeks, 1, WEEKS_MAX):
        raise FieldError(
            "min_weeks",
            _l(
                "A semester placement needs its weeks: a whole number from 1 to %(max)d.",
                max=WEEKS_MAX,
            ),
        )
    if kind == CreditKind.HOURS and not _whole(data.hours_per_sks, 1, HOURS_PER_SKS_MAX):
        raise FieldError(
            "hours_per_sks",
            _l(
                "The hours per SKS must be a whole number between 1 and %(max)d.",
                max=HOURS_PER_SKS_MAX,
            ),
        )
    if (
        data.pks_signed_on is not None
        and data.pks_valid_until is not None
        and data.pks_valid_until < data.pks_signed_on
    ):
        raise FieldError("pks_valid_until", _l("The PKS cannot end before the day it was signed."))
    return kind


def _clean_courses(data: SchemeInput) -> list[tuple[str, str, int]]:
    rows = []
    for typed_code, typed_name, sks in data.courses:
        code, name = clean_text(typed_code, CODE_MAX).upper(), clean_text(typed_name, NAME_MAX)
        if not code and not name and sks is None:
            continue
        if not code or not name:
            raise FieldError("courses", _l("Each course needs its code and its name."))
        if not _whole(sks, 1, SKS_MAX):
            raise FieldError(
                "courses",
                _l("The SKS of each course are a whole number from 1 to %(max)d.", max=SKS_MAX),
            )
        rows.append((code, name, sks))
    if len(rows) > MAX_COURSES:
        raise FieldError("courses", _l("At most %(max)d courses.", max=MAX_COURSES))
    codes = [code for code, _n, _s in rows]
    if len(set(codes)) != len(codes):
        raise FieldError("courses", _l("Each course needs its own code."))
    total = sum(s for _c, _n, s in rows)
    if data.sks is not None and total > data.sks:
        raise FieldError(
            "courses",
            _l(
                "The courses add up to %(total)d SKS, more than the %(sks)d SKS of the scheme.",
                total=total,
                sks=data.sks,
            ),
        )
    return rows


def _clean_bands(data: SchemeInput) -> list[tuple[int, str, float | None]]:
    rows = []
    for low, typed_letter, points in data.bands:
        letter = clean_text(typed_letter, LETTER_MAX + 1).upper()
        if low is None and not letter and points is None:
            continue
        if not _whole(low, 0, 100):
            raise FieldError("bands", _l("Each lower bound is a whole number from 0 to 100."))
        if not LETTER.match(letter) or len(letter) > LETTER_MAX:
            raise FieldError(
                "bands", _l("Each letter is one or two capital letters, with + or - if needed.")
            )
        if points is not None and not 0 <= points <= POINTS_MAX:
            raise FieldError("bands", _l("Grade points are between 0 and 4."))
        rows.append((low, letter, points))
    if not rows:
        raise FieldError("bands", _l("Give at least one letter grade."))
    if len(rows) > MAX_BANDS:
        raise FieldError("bands", _l("At most %(max)d letter grades.", max=MAX_BANDS))
    lows = [low for low, _l_, _p in rows]
    if any(a <= b for a, b in zip(lows, lows[1:], strict=False)):
        raise FieldError(
            "bands",
            _l("List the letters from the best down, each lower bound below the one before it."),
        )
    if lows[-1] != 0:
        raise FieldError(
            "bands", _l("The last letter must start at 0, so that every score gets a letter.")
        )
    letters = [letter for _low, letter, _p in rows]
    if len(set(letters)) != len(letters):
        raise FieldError("bands", _l("Each letter may appear only once."))
    points = [p for _low, _letter, p in rows if p is not None]
    if any(a < b for a, b in zip(points, points[1:], strict=False)):
        raise FieldError("bands", _l("Grade points cannot rise as the letters go down."))
    return rows


def scheme_row(university_id: int) -> CreditScheme | None:
    return db.session.scalar(
        sa.select(CreditScheme)
        .where(CreditScheme.university_id == university_id)
        .options(selectinload(CreditScheme.courses), selectinload(CreditScheme.bands))
    )


def save_scheme(university_id: int, data: SchemeInput, *, actor) -> CreditScheme:
    """Set a university's credit scheme, its PKS, its courses and its letter-grade scale, or
    replace them. Refuses anyone but the university's staff and city-wide admins, figures out
    of range, a PKS that ends before it was signed, courses without code or name, repeated
    codes or more SKS than the scheme grants, and a scale that is not sorted from the best
    letter down to 0, repeats a letter or has grade points that rise."""
    if not can_edit_scheme(actor, university_id):
        raise DomainError(_l("Only staff of the university can change its credit scheme."))
    kind = _check_figures(data)
    courses, bands = _clean_courses(data), _clean_bands(data)
    pks = clean_text(data.pks_number, PKS_MAX)
    scheme = scheme_row(university_id)
    if scheme is None:
        scheme = CreditScheme(university_id=university_id)
        db.session.add(scheme)
    scheme.kind, scheme.sks = kind, data.sks
    scheme.min_weeks = data.min_weeks if kind == CreditKind.SEMESTER else None
    scheme.hours_per_sks = data.hours_per_sks if kind == CreditKind.HOURS else None
    scheme.pks_number, scheme.pks_signed_on = pks, data.pks_signed_on
    scheme.pks_valid_until, scheme.updated_by_id = data.pks_valid_until, actor.id
    scheme.courses.clear()
    scheme.bands.clear()
    db.session.flush()  # the old rows go before the new ones take their codes and letters
    scheme.courses.extend(
        CreditCourse(position=i, code=code, name=name, sks=sks)
        for i, (code, name, sks) in enumerate(courses, start=1)
    )
    scheme.bands.extend(
        GradeBand(min_score=low, letter=letter, points=points) for low, letter, points in bands
    )
    db.session.flush()
    audit.record(
        actor,
        "internship.credit_scheme",
        scheme,
        target_label=f"university {university_id}",
        credit_sks=data.sks,
        courses=len(courses),
        grade_letters=len(bands),
    )
    return scheme
