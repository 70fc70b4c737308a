"""Fixtures of the administration tests: a signed-in city-wide admin, an OPD and its own
admin, and a set of accounts of every kind and status. (The modules ask for English pages with
the ``english`` fixture of tests/conftest.py.)"""

from __future__ import annotations

import pytest

from portal.auth.models import AccountStatus, Role
from tests.admin.support import en


@pytest.fixture
def admin(make, login_as):
    """A city-wide administrator (BKPSDM), signed in."""
    user = en(
        make,
        Role.ADMIN,
        full_name="Putri Rahmadani Harahap",
        email="admin.bkpsdm@pemkomedan.example.com",
    )
    login_as(user)
    return user


@pytest.fixture
def opd(make):
    return make.agency(name="Dinas Komunikasi dan Informatika", short_name="Diskominfo")


@pytest.fixture
def opd_admin(make, login_as, opd):
    """An administrator scoped to one OPD (Diskominfo), signed in."""
    user = en(make, Role.ADMIN, admin_agency=opd, full_name="Rahmat Hidayat Lubis")
    login_as(user)
    return user


@pytest.fixture
def people(make, opd):
    uni = make.university(name="Universitas Negeri Medan", short_name="UNIMED")
    other_opd = make.agency(name="Dinas Kesehatan", short_name="Dinkes")
    return {
        "uni": uni,
        "other_opd": other_opd,
        "andi": en(make, Role.ASN, Role.MENTOR, agency=opd, full_name="Andi Wijaya"),
        "budi": en(
            make,
            Role.STUDENT,
            university=uni,
            status=AccountStatus.PENDING,
            full_name="Budi Santoso",
        ),
        "cici": en(
            make,
            Role.STUDENT,
            university=uni,
            status=AccountStatus.REJECTED,
            full_name="Cici Paramida",
        ),
        "dedi": en(make, Role.UNIVERSITY, university=uni, password=None, full_name="Dedi Purba"),
        "eka": en(make, Role.ASN, agency=opd, is_active_flag=False, full_name="Eka Ginting"),
        "fajar": en(
            make,
            Role.ASN,
            agency=other_opd,
            full_name="Fajar Sembiring",
            email="fajar.sembiring@dinkes.example.com",
        ),
    }
