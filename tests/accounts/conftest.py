"""Fixtures of the account tests: a second browser and a clock for signed links. (The modules
ask for English pages with the ``english`` fixture of tests/conftest.py.)"""

from __future__ import annotations

import time

import itsdangerous.timed
import pytest


@pytest.fixture
def other_client(app, client):
    """A second browser (``client`` fixture sets the PortalClient class first)."""
    c = app.test_client()
    c.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return c


@pytest.fixture
def clock(monkeypatch):
    """Move the clock of signed links (itsdangerous) forward by some seconds."""

    def shift(seconds: int):
        monkeypatch.setattr(
            itsdangerous.timed.TimestampSigner,
            "get_timestamp",
            lambda self: int(time.time()) + seconds,
        )

    return shift
