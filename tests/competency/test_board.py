"""The demand board: clusters of ASN below standard, anonymised for universities (k ≥ 5)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.auth.models import Role
from portal.competency.board import queries as board
from portal.competency.models import Assessment, AssessmentMethod, AssessmentResult, PositionKind


def _assess(db, asn, competency, level, *, official=True, when=date(2025, 5, 1)):
    method = AssessmentMethod.UJI_KOMPETENSI if official else AssessmentMethod.SELF_ASSESSMENT
    db.session.add(
        Assessment(
            asn_id=asn.id,
            assessed_on=when,
            method=method,
            is_official=official,
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


@pytest.fixture
def city(make, db):
    opd = make.agency(short_name="Diskominfo Uji")
    comp = make.competency(agency=opd, name="Keamanan Informasi Uji")
    fungsional = make.position(agency=opd, competencies=[comp], level=3)
    pelaksana = make.position(agency=opd, competencies=[comp], level=3, kind=PositionKind.PELAKSANA)
    people = []
    for position, n in ((fungsional, 6), (pelaksana, 3)):
        for _ in range(n):
            asn = make.asn_profile(make.user(Role.ASN, agency=opd), position=position)
            _assess(db, asn, comp, 1)  # two levels below
            people.append(asn)
    return {"opd": opd, "comp": comp, "people": people, "fungsional": fungsional}


def _rows(html: str) -> list[str]:
    return html.split("<tr>")[2:]


def test_admin_sees_every_group(client, login_as, make, city):
    login_as(make.user(Role.ADMIN, locale="en"))
    html = client.get("/competency/board").get_data(as_text=True)
    assert "Keamanan Informasi Uji" in html
    rows = _rows(html)
    assert any("Fungsional" in r and "<strong>6</strong>" in r for r in rows)
    assert any("Pelaksana" in r and "<strong>3</strong>" in r for r in rows)


def test_university_sees_only_groups_of_five_or_more(client, login_as, make, city):
    login_as(make.user(Role.UNIVERSITY, locale="en"))
    html = client.get(f"/competency/board?opd={city['opd'].id}").get_data(as_text=True)
    rows = _rows(html)
    assert any("Fungsional" in r and "<strong>6</strong>" in r for r in rows)
    assert not any("Pelaksana" in r for r in rows)  # a group of 3: hidden
    assert "(1 hidden)" in html
    for asn in city["people"]:
        assert asn.user.full_name not in html


def test_small_groups_are_merged_when_together_large_enough(client, login_as, make, db, city):
    opd, comp = city["opd"], city["comp"]
    pengawas = make.position(agency=opd, competencies=[comp], level=3, kind=PositionKind.PENGAWAS)
    for _ in range(2):
        _assess(db, make.asn_profile(make.user(Role.ASN, agency=opd), position=pengawas), comp, 2)
    login_as(make.user(Role.UNIVERSITY, locale="en"))
    html = client.get(f"/competency/board?opd={opd.id}").get_data(as_text=True)
    merged = [r for r in _rows(html) if "several" in r]
    assert len(merged) == 1 and "<strong>5</strong>" in merged[0]  # 3 pelaksana + 2 pengawas
    assert "(0 hidden)" in html


def test_only_the_latest_official_level_counts(client, login_as, make, db, city):
    comp = city["comp"]
    for asn in city["people"][:6]:
        _assess(db, asn, comp, 5, official=False, when=date(2026, 1, 1))  # estimate: ignored
    for asn in city["people"][:2]:
        _assess(db, asn, comp, 3, when=date(2026, 2, 1))  # newer official: meets
    login_as(make.user(Role.ADMIN, locale="en"))
    html = client.get(f"/competency/board?opd={city['opd'].id}").get_data(as_text=True)
    assert any("Fungsional" in r and "<strong>4</strong>" in r for r in _rows(html))


def test_opd_admin_sees_only_their_opd(client, login_as, make, db, city):
    other = make.agency(short_name="Dinas Lain")
    comp = make.competency(agency=other, name="Kompetensi Lain")
    pos = make.position(agency=other, competencies=[comp], level=3)
    _assess(db, make.asn_profile(make.user(Role.ASN, agency=other), position=pos), comp, 1)
    login_as(make.user(Role.ADMIN, admin_agency=other, locale="en"))
    html = client.get(f"/competency/board?opd={city['opd'].id}").get_data(as_text=True)
    assert "Kompetensi Lain" in html and "Keamanan Informasi Uji" not in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_follow_the_same_anonymity(client, login_as, make, city, fmt):
    login_as(make.user(Role.UNIVERSITY, locale="en"))
    r = client.get(f"/competency/board/export.{fmt}?opd={city['opd'].id}")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";"))
    else:
        rows = [list(map(str, row)) for row in load_workbook(io.BytesIO(r.data)).active.values]
    assert rows[0][0] == "OPD"
    kinds = [row[3] for row in rows[1:]]
    assert kinds == ["Fungsional (functional)"]  # the pelaksana group of 3 is not exported
    assert client.get("/competency/board/export.pdf").status_code == 404


def test_students_and_asn_have_no_board(client, login_as, make):
    for role in (Role.STUDENT, Role.ASN, Role.MENTOR):
        login_as(make.user(role))
        assert client.get("/competency/board").status_code == 403


def test_board_queries_do_not_grow_with_asn(client, login_as, make, db, city, count_queries):
    login_as(make.user(Role.UNIVERSITY))
    counts = []
    for extra in (10, 200):
        for _ in range(extra - (10 if counts else 0)):
            _assess(
                db,
                make.asn_profile(
                    make.user(Role.ASN, agency=city["opd"]), position=city["fungsional"]
                ),
                city["comp"],
                2,
            )
        with count_queries() as n:
            assert client.get("/competency/board").status_code == 200
        counts.append(n())
    assert counts[0] == counts[1] <= 12, counts


def test_bad_filters_give_a_normal_page(client, login_as, make):
    login_as(make.user(Role.ADMIN))
    for query in (
        "opd=abc",
        "type=%00",
        "min_below=-5",
        "min_below=99999999999999999999",
        "page=99999999999999",
    ):
        assert client.get(f"/competency/board?{query}").status_code == 200, query


def test_one_opd_has_the_same_groups_as_the_whole_board(make, db, city):
    """The OPD filter sits inside the latest-result window: same figures as the city's rows."""
    other = make.agency(short_name="Dinas Lain Uji")
    position = make.position(agency=other, competencies=[city["comp"]], level=3)
    for level in (1, 4):
        _assess(
            db,
            make.asn_profile(make.user(Role.ASN, agency=other), position=position),
            city["comp"],
            level,
        )
    everyone, _hidden = board.clusters(anonymous=False)
    for opd in (city["opd"], other):
        mine, _hidden = board.clusters(anonymous=False, agency_id=opd.id)
        assert mine == [c for c in everyone if c.agency_id == opd.id] and mine
