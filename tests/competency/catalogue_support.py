"""Fixtures and helpers shared by the competency catalogue tests (test_admin_catalogue_*.py),
some also used by the positions and ASN record pages: the OPD the seeded catalogue names, a
city-wide and an OPD admin, a competency added directly, the first cells of a page's table as
text, and a filled-in wording form."""

from __future__ import annotations

import itertools
import re

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency.assessments import services
from portal.competency.catalogue import TECHNICAL
from portal.competency.models import LEVELS, Competency, CompetencyType, CompetencyVersion
from tests.admin.support import table_cells as _raw_cells

URL = "/admin/competency/catalogue"
_codes = itertools.count(1)


@pytest.fixture
def opds(make):
    """Every OPD the seeded catalogue names, by short name."""
    return {short: make.agency(name=f"OPD {short}", short_name=short) for short in TECHNICAL}


@pytest.fixture
def seeded(db, opds):
    return services.seed_catalogue(opds)


@pytest.fixture
def admin(make, login_as):
    user = make.user(Role.ADMIN, locale="en", full_name="Putri Rahmadani Harahap")
    login_as(user)
    return user


@pytest.fixture
def opd_admin(make, login_as, opds):
    user = make.user(
        Role.ADMIN, locale="en", admin_agency=opds["Diskominfo"], full_name="Rahmat Hidayat Lubis"
    )
    login_as(user)
    return user


def add_competency(db, agency=None, *, code=None, ctype=CompetencyType.TECHNICAL, name=None):
    competency = Competency(
        code=code or f"T.X.{next(_codes):03d}", type=ctype, agency_id=agency.id if agency else None
    )
    db.session.add(competency)
    db.session.flush()
    services.add_version(
        competency,
        name=name or f"Kompetensi {competency.code}",
        definition="Definisi uji.",
        levels={n: (f"Deskripsi level {n}", "") for n in LEVELS},
    )
    return competency


def table_cells(response) -> list[str]:
    """The first cell of each row of the page's table, as text."""
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in _raw_cells(response)]


def wording(**changes) -> dict:
    data = {
        "name": "Tata Kelola Data",
        "definition": "Kemampuan mengelola data sesuai prinsip Satu Data Indonesia.",
        "source": "Kamus Kompetensi Teknis Kominfo",
    }
    for n in LEVELS:
        data[f"level_{n}"] = f"Level {n}: mengelola data tingkat {n}"
        data[f"indicators_{n}"] = f"Indikator {n}.1\nIndikator {n}.2"
    data.update(changes)
    return data


def competency_by_code(db, code) -> Competency:
    db.session.expire_all()
    return db.session.scalars(sa.select(Competency).where(Competency.code == code)).one()


def versions(db, competency) -> list[CompetencyVersion]:
    return list(
        db.session.scalars(
            sa.select(CompetencyVersion)
            .where(CompetencyVersion.competency_id == competency.id)
            .order_by(CompetencyVersion.number)
        )
    )
