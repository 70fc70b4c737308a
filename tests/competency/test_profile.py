"""Gaps, JPM and the ASN's competency pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency.assessments import services
from portal.competency.gaps import GapRow, JpmCategory, category, jpm
from portal.competency.models import Assessment, AssessmentMethod, AssessmentResult
from portal.errors import DomainError
from portal.util import clock


def _row(required, current):
    return GapRow(1, "X", "X", "t", required=required, current=current)


def test_jpm_with_and_without_capping():
    rows = [_row(3, 4), _row(3, 2), _row(2, None)]
    assert jpm(rows, cap_at_required=False) == 100.0  # (4 + 2) / (3 + 3)
    assert jpm(rows, cap_at_required=True) == 83.3  # (3 + 2) / 6
    assert jpm([_row(2, None)], cap_at_required=True) is None
    assert [r.gap for r in rows] == [-1, 1, None]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(100, JpmCategory.MEETS), (80, JpmCategory.MEETS), (79.9, JpmCategory.STILL_MEETS),
     (68, JpmCategory.STILL_MEETS), (67.9, JpmCategory.BELOW), (None, None)],
)  # fmt: skip
def test_categories_follow_the_thresholds(value, expected):
    assert category(value, (80, 68)) == expected


@pytest.fixture
def office(make):
    opd = make.agency()
    comps = [make.competency(agency=opd) for _ in range(3)]
    position = make.position(agency=opd, competencies=comps, level=3)
    boss = make.asn_profile(make.user(Role.ASN, agency=opd, locale="en"), position=position)
    me = make.asn_profile(
        make.user(Role.ASN, agency=opd, locale="en"), position=position, supervisor=boss
    )
    return {"opd": opd, "comps": comps, "position": position, "boss": boss, "me": me}


def _official(db, asn, comps, levels, when=date(2025, 6, 1)):
    db.session.add(
        Assessment(
            asn_id=asn.id,
            assessed_on=when,
            method=AssessmentMethod.ASSESSMENT_CENTER,
            is_official=True,
            assessor="UPT",
            results=[
                AssessmentResult(competency_id=c.id, version_id=c.current_version_id, level=lv)
                for c, lv in zip(comps, levels, strict=True)
            ],
        )
    )
    db.session.flush()


def test_profile_shows_standard_gaps_and_jpm(client, login_as, db, office):
    _official(db, office["me"], office["comps"], [3, 2, 1])
    login_as(office["me"].user)
    html = client.get("/competency/").get_data(as_text=True)
    assert "My competencies" in html
    assert "66.7%" in html  # (3 + 2 + 1) / 9
    assert "below the standard" in html  # two gaps
    assert "<svg" in html and "<table" in html  # chart with its table


def test_self_assessment_is_kept_apart_from_the_official_level(client, login_as, db, office):
    _official(db, office["me"], office["comps"], [3, 3, 3])
    login_as(office["me"].user)
    form = {"assessed_on": clock.today().isoformat()}
    form |= {f"level_{c.id}": "1" for c in office["comps"]}
    r = client.post("/competency/self-assessment", data=form)
    assert r.status_code == 302
    html = client.get("/competency/").get_data(as_text=True)
    assert "100.0%" in html  # JPM from the official levels only
    stored = db.session.scalars(
        sa.select(Assessment).where(Assessment.method == AssessmentMethod.SELF_ASSESSMENT)
    ).one()
    assert stored.is_official is False and len(stored.results) == 3


def test_bad_levels_and_dates_are_refused_and_nothing_is_written(client, login_as, db, office):
    login_as(office["me"].user)
    c = office["comps"][0]
    for data in (
        {"assessed_on": clock.today().isoformat(), f"level_{c.id}": "7"},
        {"assessed_on": (clock.today() + timedelta(days=3)).isoformat(), f"level_{c.id}": "2"},
        {"assessed_on": clock.today().isoformat()},
        {"assessed_on": "not-a-date", f"level_{c.id}": "2"},
    ):
        r = client.post("/competency/self-assessment", data=data)
        assert r.status_code == 200, data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 0


def test_only_the_direct_supervisor_rates(client, login_as, make, office):
    me, boss = office["me"], office["boss"]
    url = f"/competency/asn/{me.id}/rating"
    login_as(boss.user)
    assert client.get(url).status_code == 200
    assert client.get(f"/competency/asn/{me.id}").status_code == 200
    login_as(me.user)  # the ASN cannot rate themselves, nor their boss
    assert client.get(url).status_code == 404
    assert client.get(f"/competency/asn/{boss.id}/rating").status_code == 404
    colleague = make.asn_profile(make.user(Role.ASN, agency=office["opd"]))
    login_as(colleague.user)  # same OPD, not the supervisor
    assert client.get(f"/competency/asn/{me.id}").status_code == 404


def test_admin_scope_on_profiles(client, login_as, make, office):
    me = office["me"]
    login_as(make.user(Role.ADMIN))
    assert client.get(f"/competency/asn/{me.id}").status_code == 200
    login_as(make.user(Role.ADMIN, admin_agency=office["opd"]))
    assert client.get(f"/competency/asn/{me.id}").status_code == 200
    login_as(make.user(Role.ADMIN, admin_agency=make.agency()))
    assert client.get(f"/competency/asn/{me.id}").status_code == 404


def test_assessment_keeps_the_version_it_used(db, make, office):
    me, comp = office["me"], office["comps"][0]
    first = services.record_assessment(
        me,
        actor=me.user,
        method=AssessmentMethod.SELF_ASSESSMENT,
        assessed_on=clock.today(),
        assessor="x",
        levels={comp.id: 2},
    )
    old_version = comp.current_version_id
    services.add_version(
        comp,
        name="Nama baru",
        definition="Definisi baru",
        levels={n: (f"Baru {n}", "") for n in range(1, 6)},
    )
    assert comp.current_version_id != old_version
    assert first.results[0].version_id == old_version
    with pytest.raises(DomainError):
        services.add_version(comp, name="x", definition="x", levels={1: ("a", "")})


def test_a_record_is_needed(client, login_as, make):
    login_as(make.user(Role.ASN, locale="en"))
    html = client.get("/competency/").get_data(as_text=True)
    assert "There is no ASN record" in html


def test_profile_queries_do_not_grow_with_the_number_of_asn(
    client, login_as, make, db, office, count_queries
):
    login_as(office["me"].user)
    _official(db, office["me"], office["comps"], [1, 2, 3])
    counts = []
    for extra in (10, 200):
        for _ in range(extra - (counts and 10 or 0)):
            make.asn_profile(
                make.user(Role.ASN, agency=office["opd"]),
                position=office["position"],
                supervisor=office["me"],
            )
        with count_queries() as n:
            assert client.get("/competency/").status_code == 200
        counts.append(n())
    assert counts[0] == counts[1] <= 12, counts


def test_admin_records_an_official_assessment_that_sets_the_level(
    client, login_as, make, db, office
):
    me, comps = office["me"], office["comps"]
    login_as(make.user(Role.ADMIN, admin_agency=office["opd"], locale="en"))
    url = f"/competency/asn/{me.id}/assessments/new"
    page = client.get(url).get_data(as_text=True)
    assert "Assessment center" in page and "Self-assessment" not in page  # official methods only
    data = {
        "assessed_on": "2026-03-02",
        "method": "assessment_center",
        "assessor": "UPT Penilaian Kompetensi BKPSDM",
    }
    data |= {f"level_{c.id}": "3" for c in comps}
    assert client.post(url, data={**data, "method": "self_assessment"}).status_code == 200
    r = client.post(url, data=data)
    assert r.status_code == 302
    login_as(me.user)
    assert "100.0%" in client.get("/competency/").get_data(as_text=True)
    login_as(make.user(Role.ADMIN, admin_agency=make.agency()))
    assert client.get(url).status_code == 404  # another OPD's admin


def test_official_assessment_report_is_a_checked_pdf_served_as_attachment(
    client, login_as, make, db, office, app
):
    import io
    from pathlib import Path

    me, comps = office["me"], office["comps"]
    login_as(make.user(Role.ADMIN, locale="en"))
    url = f"/competency/asn/{me.id}/assessments/new"
    data = {"assessed_on": "2026-03-02", "method": "uji_kompetensi", "assessor": "UPT"}
    data |= {f"level_{c.id}": "2" for c in comps}
    fake = {**data, "report": (io.BytesIO(b"<html><script>x</script>"), "../../laporan.pdf")}
    r = client.post(url, data=fake, content_type="multipart/form-data")
    assert r.status_code == 200 and "not a PDF file" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 0
    good = {**data, "report": (io.BytesIO(b"%PDF-1.7\n%test\n"), "../../Laporan Asesmen.pdf")}
    assert client.post(url, data=good, content_type="multipart/form-data").status_code == 302
    assessment = db.session.scalars(sa.select(Assessment)).one()
    assert assessment.report_file_id is not None
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    stored = [p for p in root.rglob("*") if p.is_file()]
    assert stored and all(root in p.resolve().parents for p in stored)
    assert not any("Laporan" in p.name for p in stored)  # never the user's name on disk

    report = f"/competency/assessments/{assessment.id}/report"
    for who in (me.user, office["boss"].user):  # the ASN and the supervisor
        login_as(who)
        r = client.get(report)
        assert r.status_code == 200 and r.data.startswith(b"%PDF-")
        assert r.headers["Content-Disposition"].startswith("attachment")
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        r.close()
    login_as(office["peer"].user if "peer" in office else make.user(Role.ASN))
    assert client.get(report).status_code == 404
