"""The world of the position and application page tests (tests/internships/test_position_*.py,
test_application_pages.py, test_application_steps.py), built once per module: ``site``, the
``build_site`` of tests/internships/pages_support.py. University U (and V), OPD A (and B); A's
published position (quota 3) with one mentor, A's draft, B's published position; a person of
every kind at U/A and at V/B, all reading English. A module takes it with
``site = internship_pages.site``.
"""

from __future__ import annotations

from types import SimpleNamespace

from tests.internships.pages_support import build_site
from tests.support.worlds import module_world


def build_pages_site(make) -> SimpleNamespace:
    """``build_site`` with the internship factories."""
    return build_site(make, make.internships)


site = module_world(build_pages_site)
