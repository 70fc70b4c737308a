"""NIP validation (DOMAIN.md §4.1): errors refuse, plausibility problems only warn."""

from __future__ import annotations

from datetime import date

import pytest

from portal.competency.nip import check_nip, normalise_nip

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("nip", "kind", "display"),
    [
        ("196905081994031908", "pns", "19690508 199403 1 908"),
        ("198503142010012902", "pns", "19850314 201001 2 902"),
        ("19860926 201505 1 001", "pns", "19860926 201505 1 001"),
        ("199004112023211906", "pppk", "19900411 2023 21 1 906"),
        ("19900913 2025 24 2 014", "pppk", "19900913 2025 24 2 014"),
    ],
)
def test_valid_numbers_from_domain(app, nip, kind, display):
    with app.test_request_context("/?lang=en"):
        result = check_nip(nip, today=TODAY)
    assert result.ok, result.errors
    assert result.kind == kind
    assert result.display == display
    assert result.warnings == []


def test_parts_are_read(app):
    with app.test_request_context("/?lang=en"):
        result = check_nip("198503142010012902", today=TODAY)
    assert result.birth_date == date(1985, 3, 14)
    assert result.appointed == date(2010, 1, 1)
    assert result.gender == "female"
    assert result.serial == 902


@pytest.mark.parametrize(
    ("nip", "fragment"),
    [
        ("12345", "18 digits"),
        ("19860926201505100A", "18 digits"),
        ("198602302015051001", "date of birth"),
        ("203001012050051001", "future"),
        ("198609262015131001", "month"),
        ("198609262015053001", "gender"),
        ("198609262015051000", "serial"),
        ("199004112023201906", "contracts"),
        ("198609261980051001", "before the date of birth"),
    ],
)
def test_structural_faults_are_errors(app, nip, fragment):
    with app.test_request_context("/?lang=en"):
        result = check_nip(nip, today=TODAY)
        assert not result.ok
        assert any(fragment in str(e) for e in result.errors), [str(e) for e in result.errors]


def test_implausible_age_is_only_a_warning(app):
    with app.test_request_context("/?lang=en"):
        result = check_nip("200009262015051001", today=TODAY)  # appointed at 14
        assert result.ok
        assert any("age of 14" in str(w) for w in result.warnings)


def test_normalise_strips_separators():
    assert normalise_nip(" 19860926-201505.1 001 ") == "198609262015051001"
