"""The world of the position pages (tests/competency/test_admin_position*.py), built once per
module: ``position_world`` holds every OPD the seeded catalogue names (``opds``, by short name),
the seeded catalogue (``seeded``, by code), a city-wide ``admin`` and an ``opd_admin`` of
Diskominfo, both reading English. It holds no position: the tests add their own.

A module takes the world and its fixtures by name::

    position_world = positions.position_world
    opds, seeded = positions.opds, positions.seeded
    admin, opd_admin = positions.admin, positions.opd_admin

``admin`` and ``opd_admin`` sign the test client in as that user and return it.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from portal.auth.models import Role
from portal.competency.assessments import services
from portal.competency.catalogue import TECHNICAL
from tests.support.worlds import module_world


def build_positions(make) -> SimpleNamespace:
    """Every OPD the seeded catalogue names, the seeded catalogue, a city-wide admin and an
    admin of Diskominfo."""
    opds = {short: make.agency(name=f"OPD {short}", short_name=short) for short in TECHNICAL}
    return SimpleNamespace(
        opds=opds,
        seeded=services.seed_catalogue(opds),
        admin=make.user(Role.ADMIN, locale="en"),
        opd_admin=make.user(Role.ADMIN, locale="en", admin_agency=opds["Diskominfo"]),
    )


position_world = module_world(build_positions)


@pytest.fixture
def opds(position_world):
    """Every OPD the seeded catalogue names, by short name."""
    return position_world.opds


@pytest.fixture
def seeded(position_world):
    """The seeded catalogue, by code."""
    return position_world.seeded


@pytest.fixture
def admin(position_world, login_as):
    """The city-wide admin, signed in."""
    login_as(position_world.admin)
    return position_world.admin


@pytest.fixture
def opd_admin(position_world, login_as):
    """The admin of Diskominfo, signed in."""
    login_as(position_world.opd_admin)
    return position_world.opd_admin
