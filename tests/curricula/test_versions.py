"""Frozen versions: one per (re)submission, immutable, and the page of their differences."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.curricula.models import Curriculum
from portal.curricula.proposals import review_services, services, versions
from portal.curricula.proposals.models import CurriculumVersion
from portal.db import db as _db


def _post(client, cur_id, action, note=""):
    r = client.post(
        f"/curricula/proposals/{cur_id}/transition", data={"action": action, "note": note}
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:500]


@pytest.fixture
def revised(client, login_as, make, db):
    """A proposal submitted, sent back, revised (title, a module changed, one removed, one
    added, a target level changed) and resubmitted."""
    opd = make.agency()
    reviewer = make.user(Role.ADMIN, admin_agency=opd)
    cur = make.curriculum(agency=opd, modules=3, title="Judul Lama")
    lead = cur.authors[0].user
    lead.locale = "en"
    make.material(cur.modules[0], title="Bahan Bacaan")
    db.session.flush()
    login_as(lead)
    _post(client, cur.id, "submit")
    login_as(reviewer)
    _post(client, cur.id, "start_review")
    _post(client, cur.id, "request_changes", "Perbaiki modul.")
    db.session.expire_all()
    cur = db.session.get(Curriculum, cur.id)
    m1, m2, m3 = cur.modules
    services.update_proposal(
        cur,
        actor=lead,
        title="Judul Baru",
        summary=cur.summary,
        audience="both",
        mode=cur.mode,
        learning_outcomes=cur.learning_outcomes,
    )
    services.update_module(
        m2, actor=lead, title="Modul Dua Direvisi", objectives="Tujuan baru", jp=6, method="praktik"
    )
    services.delete_module(m3, actor=lead)
    services.add_module(
        cur, actor=lead, title="Modul Praktik", objectives="", jp=4, method="praktik"
    )
    cur.targets[0].target_level = 4
    db.session.commit()
    login_as(lead)
    _post(client, cur.id, "resubmit")
    return {"cur_id": cur.id, "lead": lead, "reviewer": reviewer, "ids": (m1.id, m2.id, m3.id)}


def _versions(db, cur_id):
    db.session.expire_all()
    return db.session.scalars(
        sa.select(CurriculumVersion)
        .where(CurriculumVersion.curriculum_id == cur_id)
        .order_by(CurriculumVersion.number)
    ).all()


def test_submit_and_resubmit_freeze_versions_one_and_two(revised, db):
    v1, v2 = _versions(db, revised["cur_id"])
    assert (v1.number, v2.number) == (1, 2)
    assert db.session.get(Curriculum, revised["cur_id"]).version_count == 2
    assert v1.snapshot["title"] == "Judul Lama" and v2.snapshot["title"] == "Judul Baru"
    assert [m["title"] for m in v1.snapshot["modules"]] == ["Modul 1", "Modul 2", "Modul 3"]
    assert [m["title"] for m in v2.snapshot["modules"]] == [
        "Modul 1",
        "Modul Dua Direvisi",
        "Modul Praktik",
    ]
    assert v1.snapshot["modules"][0]["materials"][0]["title"] == "Bahan Bacaan"
    assert v1.snapshot["targets"][0]["level"] == 3 and v2.snapshot["total_jp"] == 2 + 6 + 4
    assert v1.frozen_by_id == revised["lead"].id


def test_a_frozen_version_cannot_change(revised, db):
    v1 = _versions(db, revised["cur_id"])[0]
    v1.snapshot = {**v1.snapshot, "title": "Dipalsukan"}
    with pytest.raises(versions.FrozenVersion):
        db.session.flush()
    db.session.rollback()
    v1 = _versions(db, revised["cur_id"])[0]
    v1.number = 9
    with pytest.raises(versions.FrozenVersion):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(versions.FrozenVersion):
        db.session.delete(_versions(db, revised["cur_id"])[0])
        db.session.flush()
    db.session.rollback()
    with pytest.raises(versions.FrozenVersion):
        db.session.execute(sa.update(CurriculumVersion).values(snapshot={}))
    with pytest.raises(versions.FrozenVersion):
        db.session.execute(sa.delete(CurriculumVersion))
    db.session.rollback()
    assert _versions(db, revised["cur_id"])[0].snapshot["title"] == "Judul Lama"


def test_the_diff_page_shows_the_changes_field_by_field(client, login_as, revised):
    login_as(revised["lead"])
    html = client.get(f"/curricula/proposals/{revised['cur_id']}/diff").get_data(as_text=True)
    assert "From version 1" in html and "to version 2" in html  # the last two by default
    title_row = html.split('class="diff-title"')[1].split("</tr>")[0]
    assert "Judul Lama" in title_row and "Judul Baru" in title_row
    assert "Module added: Modul Praktik" in html
    assert "Module removed: Modul 3" in html
    changed = html.split("Module changed: Modul Dua Direvisi")[1].split("</section>")[0]
    for expected in (
        "Modul 2",
        "Modul Dua Direvisi",
        "Tujuan modul.",
        "Tujuan baru",
        "Ceramah (lecture)",
        "Praktik (hands-on practice)",
    ):
        assert expected in changed, expected
    jp_row = changed.split('class="diff-jp"')[1].split("</tr>")[0]
    assert ">2<" in jp_row and ">6<" in jp_row
    assert "Module changed: Modul 1" not in html  # unchanged modules are not listed
    assert "level 3 → 4" in html and "ASN and students" in html
    assert "Total JP: 6 → 12" in html
    versions_page = client.get(f"/curricula/proposals/{revised['cur_id']}/versions")
    assert "Changes since version 1" in versions_page.get_data(as_text=True)


@pytest.mark.parametrize("query", ["?a=1&b=7", "?a=x&b=2", "?a=0&b=1", "?a=2&b=2",
                                   "?a=99999999999999999999&b=1", "?a=-1"])  # fmt: skip
def test_bad_version_numbers_give_a_message(client, login_as, revised, query):
    login_as(revised["lead"])
    r = client.get(f"/curricula/proposals/{revised['cur_id']}/diff{query}")
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert (
        "does not exist" in html
        or "Choose two version numbers" in html
        or "Choose two different versions" in html
    )


def test_nothing_to_compare_before_two_versions(client, login_as, make):
    cur = make.curriculum()
    login_as(cur.authors[0].user)
    r = client.get(f"/curricula/proposals/{cur.id}/diff?lang=en")
    assert r.status_code == 200
    r = client.get(f"/curricula/proposals/{cur.id}/versions")
    assert r.status_code == 200


def test_diff_of_targets_and_fields():
    a = {
        "title": "A",
        "audience": "asn",
        "mode": "klasikal",
        "learning_outcomes": ["x"],
        "targets": [
            {"competency_id": 1, "competency": "K1", "level": 2},
            {"competency_id": 2, "competency": "K2", "level": 3},
        ],
        "modules": [],
        "total_jp": 0,
    }
    b = {
        **a,
        "learning_outcomes": ["x", "y"],
        "targets": [
            {"competency_id": 2, "competency": "K2", "level": 4},
            {"competency_id": 3, "competency": "K3", "level": 1},
        ],
    }
    d = versions.diff(a, b)
    assert [c.name for c in d.fields] == ["learning_outcomes"]
    assert (d.fields[0].old, d.fields[0].new) == ("x", "x\ny")
    assert [t["competency"] for t in d.targets_added] == ["K3"]
    assert [t["competency"] for t in d.targets_removed] == ["K1"]
    assert [(t.competency, t.old, t.new) for t in d.targets_changed] == [("K2", 3, 4)]
    assert versions.diff(a, a).is_empty


def test_freeze_numbers_from_the_version_count(make, db, app):
    cur = make.curriculum()
    with app.test_request_context():
        review_services.transition(cur, "submit", actor=cur.authors[0].user)
    assert cur.version_count == 1
    assert _db.session.scalar(sa.select(CurriculumVersion.number)) == 1
