"""Internship factories (``imake``) on top of the shared ``make``: real rows, states set directly
so a test can start anywhere in the workflow (the class lives in tests/internship_factories.py)."""

from __future__ import annotations

import pytest

from tests.internship_factories import AFTER_ENDORSEMENT, InternshipFactories

__all__ = ["AFTER_ENDORSEMENT", "InternshipFactories"]


@pytest.fixture
def imake(make):
    return InternshipFactories(make)
