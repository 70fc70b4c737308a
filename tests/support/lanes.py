"""Which tests run where (docs/testing.md).

- Every test runs on SQLite (``make test``).
- On PostgreSQL, every test runs except those marked ``db_independent``: crawls whose verdict
  cannot depend on the database (who may open a page, whether a form carries a CSRF token, the
  security headers, the translations of every page). They are *deselected* there, not skipped.
  ``PORTAL_TEST_ALL_DATABASES=1`` (``make test-pg-all``) runs them on PostgreSQL too.
- Under pytest-xdist (``--dist loadgroup``), each module is one group, so the world it builds
  once is built on one worker only; the browser suite is one group, so one worker starts
  Chromium and the live servers. The page-by-page browser crawl at 360 px reads only the demo
  server: it is a group of its own, so the other worker runs it beside the journeys (its
  Chromium and demo server are its own).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.app import on_postgresql

ALL_DATABASES = os.environ.get("PORTAL_TEST_ALL_DATABASES") == "1"
E2E_DIR = Path(__file__).resolve().parent.parent / "e2e"
#: Browser modules that need none of the journeys' servers or pages: groups of their own.
E2E_ALONE = {"test_small_screens.py"}


def choose(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the ``db_independent`` tests on PostgreSQL; group the rest for xdist."""
    if on_postgresql() and not ALL_DATABASES:
        dropped = [item for item in items if item.get_closest_marker("db_independent")]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = [item for item in items if not item.get_closest_marker("db_independent")]
    for item in items:
        module = item.nodeid.split("::")[0]
        in_e2e = Path(item.path).resolve().is_relative_to(E2E_DIR)
        shared = in_e2e and Path(item.path).name not in E2E_ALONE
        item.add_marker(pytest.mark.xdist_group("e2e" if shared else module))
