"""Fixtures and helpers shared by the ASN record tests (test_admin_asn_*.py): two OPD, a
city-wide and an OPD admin, an ASN account without a record, a position, NIPs, records added
directly, and the create and edit forms filled in."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency.models import AsnProfile, AsnStatus, Position, PositionKind

URL = "/admin/competency/asn"
PNS_NIP = "199201052019031904"  # born 5 Jan 1992, CPNS from March 2019, male, serial 904
PPPK_NIP = "199004112023211906"  # born 11 Apr 1990, PPPK 2023, first contract, male, 906
_serials = itertools.count(910)


@pytest.fixture
def kominfo(make):
    return make.agency(name="Dinas Komunikasi dan Informatika", short_name="Diskominfo")


@pytest.fixture
def bappeda(make):
    return make.agency(name="Badan Perencanaan Pembangunan Daerah", short_name="Bappeda")


@pytest.fixture
def admin(make, login_as):
    user = make.user(Role.ADMIN, locale="en")
    login_as(user)
    return user


@pytest.fixture
def opd_admin(make, login_as, kominfo):
    user = make.user(Role.ADMIN, locale="en", admin_agency=kominfo)
    login_as(user)
    return user


@pytest.fixture
def andi(make, kominfo):
    """An ASN account of Diskominfo without a record yet."""
    return make.user(
        Role.ASN, agency=kominfo, full_name="Andi Wijaya", email="andi.wijaya@example.com"
    )


@pytest.fixture
def pranata(db, kominfo):
    position = Position(
        name="Pranata Komputer",
        kind=PositionKind.FUNGSIONAL,
        jenjang="Ahli Pertama",
        agency_id=kominfo.id,
    )
    db.session.add(position)
    db.session.flush()
    return position


def nip(year=1985, serial=None) -> str:
    return f"{year}0314" + "201001" + "2" + f"{serial or next(_serials):03d}"


def add_record(db, make, agency, name, *, nip_=None, status=AsnStatus.PNS, **kw) -> AsnProfile:
    user = make.user(Role.ASN, agency=agency, full_name=name)
    profile = AsnProfile(
        user_id=user.id, nip=nip_ or nip(), status=status, agency_id=agency.id, **kw
    )
    db.session.add(profile)
    db.session.flush()
    return profile


def record_of(db, user) -> AsnProfile | None:
    db.session.expire_all()
    return db.session.scalars(sa.select(AsnProfile).where(AsnProfile.user_id == user.id)).first()


def new_record(agency, **changes) -> dict:
    return {
        "email": "andi.wijaya@example.com",
        "nip": PNS_NIP,
        "status": "pns",
        "golongan": "III/b",
        "agency_id": agency.id,
        "position_id": "0",
        "supervisor_nip": "",
        **changes,
    }


def _edit(record, agency, supervisor_nip):
    return {
        "nip": record.nip,
        "status": record.status.value,
        "golongan": "",
        "agency_id": agency.id,
        "position_id": "0",
        "supervisor_nip": supervisor_nip,
    }
