"""City-wide figures remembered for CITY_FIGURES_MAX_AGE seconds per process (portal/snapshots.py).

The suite runs with 0 (every figure fresh); these tests turn it on for one app and one request
at a time, with a clock they move by hand.
"""

from __future__ import annotations

from datetime import date

import pytest

from portal import ConfigurationError, create_app, snapshots
from portal.auth.models import Role
from portal.competency.models import Assessment, AssessmentMethod, AssessmentResult
from portal.snapshots import MAX_ENTRIES, Snapshots, remembered
from tests.dashboards.admin_support import badge_after, dashboard, jp_record, opd_world, row
from tests.support.app import make_test_config


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


def test_a_value_is_kept_until_it_is_max_age_old():
    clock = Clock()
    store = Snapshots(clock)
    compute, calls = counter()
    first = store.get("k", compute, 60)
    clock.now += 59
    assert store.get("k", compute, 60) is first and len(calls) == 1
    clock.now += 1
    again = store.get("k", compute, 60)
    assert again.value == 2 and again.taken_at >= first.taken_at and len(calls) == 2


def test_keys_are_kept_apart():
    store = Snapshots(Clock())
    assert store.get(("board", 1), lambda: "one", 60).value == "one"
    assert store.get(("board", 2), lambda: "two", 60).value == "two"
    assert store.get(("board", 1), lambda: "changed", 60).value == "one"


def test_the_store_never_holds_more_than_max_entries():
    clock = Clock()
    store = Snapshots(clock)
    for n in range(MAX_ENTRIES):
        store.get(n, lambda n=n: n, 60 + n)  # key 0 expires first
    store.get("new", lambda: "new", 60)
    assert len(store) == MAX_ENTRIES
    assert store.get(0, lambda: "recomputed", 60).value == "recomputed"  # it made room
    clock.now += 1000  # every entry expired: they all make room at once
    store.get("later", lambda: "later", 60)
    assert len(store) == 1


@pytest.fixture
def remembering(app):
    """The test app remembering figures for 60 s, on a clock the test moves."""
    clock = Clock()
    saved = app.config["CITY_FIGURES_MAX_AGE"], app.extensions["snapshots"]
    app.config["CITY_FIGURES_MAX_AGE"] = 60
    app.extensions["snapshots"] = Snapshots(clock)
    yield clock
    app.config["CITY_FIGURES_MAX_AGE"], app.extensions["snapshots"] = saved


def test_nothing_is_remembered_when_max_age_is_zero(app):
    compute, calls = counter()
    with app.test_request_context():
        remembered("x", (), compute)
        remembered("x", (), compute)
        assert snapshots.figures_as_of() is None
    assert len(calls) == 2


def test_nothing_is_remembered_outside_a_request(app, remembering):
    """CLI jobs and the demo generator change the data they read: always fresh."""
    compute, calls = counter()
    with app.app_context():
        remembered("x", (), compute)
        remembered("x", (), compute)
    assert len(calls) == 2


def test_a_request_notes_its_oldest_figure(app, remembering):
    with app.test_request_context():
        remembered("old", (), lambda: 1)
    remembering.now += 30
    with app.test_request_context():
        assert snapshots.figures_as_of() is None
        remembered("new", (), lambda: 2)
        newest = snapshots.figures_as_of()
        remembered("old", (), lambda: 3)
        assert snapshots.figures_as_of() <= newest


def _assess(db, asn, competency, level):
    db.session.add(
        Assessment(
            asn_id=asn.id,
            assessed_on=date(2025, 5, 1),
            method=AssessmentMethod.UJI_KOMPETENSI,
            is_official=True,
            assessor="UPT",
            results=[
                AssessmentResult(
                    competency_id=competency.id,
                    version_id=competency.current_version_id,
                    level=level,
                )
            ],
        )
    )
    db.session.flush()


def test_the_demand_board_reuses_its_figures_for_a_minute(
    client, login_as, make, db, remembering, count_queries
):
    opd = make.agency(short_name="Dinas Remember")
    comp = make.competency(agency=opd, name="Kompetensi Diingat")
    position = make.position(agency=opd, competencies=[comp], level=3)
    people = [
        make.asn_profile(make.user(Role.ASN, agency=opd), position=position) for _ in range(3)
    ]
    _assess(db, people[0], comp, 1)
    login_as(make.user(Role.ADMIN, locale="en"))
    url = f"/competency/board?opd={opd.id}"

    with count_queries() as first_count:
        first = client.get(url).get_data(as_text=True)
    assert "<strong>1</strong>" in first and "Figures as of" in first
    _assess(db, people[1], comp, 2)  # a second ASN below: not yet on the board
    with count_queries() as second_count:
        second = client.get(url).get_data(as_text=True)
    assert "<strong>1</strong>" in second and "<strong>2</strong>" not in second
    assert second_count() == first_count() - 3  # neither the groups' query nor the 2 of names

    remembering.now += 60
    assert "<strong>2</strong>" in client.get(url).get_data(as_text=True)


def test_the_admin_panel_keeps_its_figures_but_never_what_waits(
    client, login_as, make, remembering
):
    alfa = opd_world(
        make,
        name="Dinas Alfa",
        short="DALFA",
        competency=make.competency(name="Analisis Data Kebijakan"),
    )
    html = dashboard(client, login_as, alfa.admin)
    assert row(html, "Dinas Alfa") == ["5", "2", "40.0%"]
    assert badge_after(html, "External JP records to verify") == "1"
    jp_record(alfa.asn[1], days=4, verified=True)  # a third ASN reaches the target
    jp_record(alfa.asn[3], days=1, verified=False)  # a second record waits
    make.session.flush()

    html = dashboard(client, login_as, alfa.admin)
    assert badge_after(html, "External JP records to verify") == "2"  # at once
    assert row(html, "Dinas Alfa") == ["5", "2", "40.0%"]  # kept for CITY_FIGURES_MAX_AGE
    remembering.now += 60
    assert row(dashboard(client, login_as, alfa.admin), "Dinas Alfa") == ["5", "3", "60.0%"]


def test_the_admin_dashboard_and_the_compliance_report_say_how_old_their_figures_are(
    client, login_as, make, remembering
):
    login_as(make.user(Role.ADMIN, locale="en"))
    for url in ("/dashboard", "/trainings/ledger/compliance"):
        html = client.get(url).get_data(as_text=True)
        assert "Figures as of" in html and "at most every 1 minute." in html, url


def test_the_note_gives_minutes(app, client, login_as, make, remembering):
    app.config["CITY_FIGURES_MAX_AGE"] = 300
    login_as(make.user(Role.ADMIN, locale="id"))
    html = client.get("/trainings/ledger/compliance").get_data(as_text=True)
    assert "dihitung ulang paling sering setiap 5 menit" in html


def test_pages_without_remembered_figures_say_nothing_about_them(client, login_as, make):
    login_as(make.user(Role.ADMIN, locale="en"))
    assert "Figures as of" not in client.get("/competency/board").get_data(as_text=True)


@pytest.mark.parametrize("value", [-1, "60", True])
def test_max_age_must_be_seconds(value):
    with pytest.raises(ConfigurationError, match="CITY_FIGURES_MAX_AGE"):
        create_app(make_test_config("sqlite://", CITY_FIGURES_MAX_AGE=value))
