"""Worlds built once per module: ``module_world(build)`` makes a module-scoped fixture that
calls ``build(make)`` (``make``: the factories, tests/support/factories/) inside the module's
transaction (``module_db``, tests/support/db.py) and commits it there. Every test of the module
then sees the world as built, inside a savepoint rolled back after the test::

    def build_opd(make):
        opd = types.SimpleNamespace()
        opd.agency = make.agency()
        return opd

    opd_world = module_world(build_opd)

A test that changes a world object changes it for itself only: after the test the session is
expired and the object reads its row afresh. Attributes set on the namespace itself are not
rolled back: keep the namespace read-only in tests.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.factories import Factories


def module_world(build: Callable[[Factories], object]):
    """A module-scoped fixture holding ``build(make)``, built once per module."""

    @pytest.fixture(scope="module")
    def _world(module_db):
        world = build(Factories(module_db.session))
        module_db.session.commit()
        return world

    _world.__doc__ = build.__doc__
    return _world
