"""Fixtures of the training tests (the factories are ``make.trainings``,
tests/support/factories/trainings.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def english_only(app, monkeypatch):
    """For tests that read the English texts: while they run the portal offers English only (the
    users' saved language, Indonesian by default, is then not one it offers)."""
    monkeypatch.setitem(app.config, "LANGUAGES", ["en"])
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")
