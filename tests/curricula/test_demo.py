"""``flask demo-data`` loads curricula in every stage, two published ones with materials and
feedback, and the notifications a demo user sees after signing in."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.curricula.feedback.models import FlagState, MaterialFlag, MaterialRating
from portal.curricula.feedback.queries import material_stats
from portal.curricula.models import (
    AuthorSide,
    Curriculum,
    CurriculumState,
    Material,
    MaterialKind,
    MaterialVersion,
    Module,
)
from portal.curricula.proposals.models import CurriculumEvent, CurriculumVersion, ReviewComment
from portal.curricula.proposals.workflow import TRANSITIONS, CurriculumAction
from portal.demo.pdf import pdf_bytes
from portal.notify import Notification

S = CurriculumState
PUBLISHED_TITLES = {"Analisis Data untuk Perencanaan Pembangunan", "Pelayanan Publik Digital"}


@pytest.fixture(scope="module")
def app(demo_app):
    """The demo, loaded once per session (tests/support/demo.py)."""
    return demo_app


@pytest.fixture
def demo(app, db):
    assert "8 curricula" in app.demo_output
    curricula = {c.title: c for c in db.session.scalars(sa.select(Curriculum))}
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    return curricula, users


def _all(db, model, *where):
    return list(db.session.scalars(sa.select(model).where(*where)))


def test_proposals_in_every_stage(db, demo):
    curricula, _users = demo
    states = Counter(c.state for c in curricula.values())
    assert states == {
        S.DRAFT: 1,
        S.SUBMITTED: 1,
        S.IN_REVIEW: 1,
        S.CHANGES_REQUESTED: 1,
        S.AGENCY_APPROVED: 1,
        S.PUBLISHED: 2,
        S.ARCHIVED: 1,
    }
    assert {t for t, c in curricula.items() if c.state == S.PUBLISHED} == PUBLISHED_TITLES


def test_histories_follow_the_workflow_and_versions_match_submissions(db, demo):
    curricula, _users = demo
    for cur in curricula.values():
        events = _all(db, CurriculumEvent, CurriculumEvent.curriculum_id == cur.id)
        events.sort(key=lambda e: (e.at, e.id))
        state = S.DRAFT
        for event in events:
            assert event.from_state == state
            assert TRANSITIONS[(state, CurriculumAction(event.action))][0] == event.to_state
            assert event.actor_id is not None
            state = event.to_state
        assert state == cur.state, cur.title
        submissions = [e for e in events if e.action in ("submit", "resubmit")]
        frozen = _all(db, CurriculumVersion, CurriculumVersion.curriculum_id == cur.id)
        assert cur.version_count == len(frozen) == len(submissions)
        assert sorted(v.number for v in frozen) == list(range(1, len(frozen) + 1))
        if cur.state == S.PUBLISHED:
            assert cur.published_at is not None
    # The published "Analisis Data" was sent back once: version 2 has the module added since.
    analysis = curricula["Analisis Data untuk Perencanaan Pembangunan"]
    first, second = sorted(
        _all(db, CurriculumVersion, CurriculumVersion.curriculum_id == analysis.id),
        key=lambda v: v.number,
    )
    assert len(second.snapshot["modules"]) == len(first.snapshot["modules"]) + 1
    assert second.snapshot["total_jp"] == analysis.total_jp


def test_published_curricula_are_complete(db, demo):
    curricula, _users = demo
    for title in PUBLISHED_TITLES:
        cur = curricula[title]
        assert 20 <= cur.total_jp <= 40, (title, cur.total_jp)
        assert [m.position for m in cur.modules] == list(range(1, len(cur.modules) + 1))
        assert {a.side for a in cur.authors} == {AuthorSide.UNIVERSITY, AuthorSide.AGENCY}
        assert cur.targets and cur.outcomes and cur.evidence
        for evidence in cur.evidence:
            assert evidence.agency_id == cur.agency_id
            assert 0 < evidence.below <= evidence.assessed <= evidence.total
            assert evidence.competency_id in {t.competency_id for t in cur.targets}
        kinds = {m.kind for module in cur.modules for m in module.materials}
        assert kinds == set(MaterialKind), title


def test_review_comments_open_and_resolved(db, demo):
    curricula, _users = demo
    in_review = next(c for c in curricula.values() if c.state == S.IN_REVIEW)
    comments = _all(db, ReviewComment, ReviewComment.curriculum_id == in_review.id)
    roots = [c for c in comments if c.parent_id is None]
    assert any(not c.is_resolved for c in roots)
    assert any(c.module_id for c in roots) and any(c.module_id is None for c in roots)
    assert any(c.parent_id for c in comments)  # a reply
    resolved = _all(db, ReviewComment, ReviewComment.is_resolved.is_(True))
    assert resolved and all(c.resolved_by_id and c.resolved_at for c in resolved)


def test_materials_versions_and_files(client, db, demo, login_as):
    _curricula, users = demo
    materials = _all(db, Material)
    assert len(materials) == 18
    revised = [m for m in materials if m.version_count == 2]
    assert len(revised) == 1
    versions = _all(db, MaterialVersion, MaterialVersion.material_id == revised[0].id)
    assert sorted(v.number for v in versions) == [1, 2] and versions[0].url != versions[1].url
    urls = [v.url or "" for v in _all(db, MaterialVersion)]
    # local regulations at the city's JDIH, national ones at their official source
    assert any("jdih.pemkomedan.go.id" in url and "perwal" in url for url in urls)
    national = [
        url for url in urls if any(f"/{k}-" in url for k in ("uu", "perpres", "permendagri"))
    ]
    assert national and all(url.startswith("https://peraturan.go.id/") for url in national)
    files = _all(db, MaterialVersion, MaterialVersion.file_id.is_not(None))
    assert len(files) >= 4
    login_as(users["asn.dinkes@sinergi.example"])
    response = client.get(f"/curricula/material-versions/{files[0].id}/download")
    data = response.get_data()
    response.close()
    assert response.status_code == 200
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert "attachment" in response.headers["Content-Disposition"]


def test_pdf_has_a_consistent_cross_reference_table():
    data = pdf_bytes("Judul (uji)", ["Baris satu", "Baris \\ dua"])
    start = int(re.search(rb"startxref\n(\d+)", data).group(1))
    assert data[start:].startswith(b"xref")
    offsets = [int(n) for n in re.findall(rb"(\d{10}) 00000 n", data)]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj" % number)
    assert b"(Judul \\(uji\\)) Tj" in data


def test_feedback_numbers_line_up(db, demo):
    curricula, users = demo
    published = [c for c in curricula.values() if c.state == S.PUBLISHED]
    ids = [m.id for c in published for module in c.modules for m in module.materials]
    stats = material_stats(ids)
    flagged = [mid for mid, s in stats.items() if s.needs_improvement]
    assert len(flagged) == 1
    weak = stats[flagged[0]]
    assert weak.count >= 5 and weak.average < 3
    rated = [s for mid, s in stats.items() if s.average is not None and mid not in flagged]
    assert len(rated) >= 4 and all(s.average >= 3.5 for s in rated)
    assert any(0 < s.count < 3 and s.average is None for s in stats.values())
    # No author rates their own curriculum; every rating is on a published curriculum.
    for rating in _all(db, MaterialRating):
        material = db.session.get(Material, rating.material_id)
        cur = db.session.get(Module, material.module_id).curriculum
        assert cur.state == S.PUBLISHED
        assert rating.user_id not in {a.user_id for a in cur.authors}
    raters = {r.user_id for r in _all(db, MaterialRating)}
    assert users["asn.dinkes@sinergi.example"].id in raters
    assert users["mahasiswa.usu@sinergi.example"].id in raters


def test_flags_open_and_closed_with_notifications(db, demo):
    _curricula, users = demo
    flags = {f.state: f for f in _all(db, MaterialFlag)}
    assert set(flags) == set(FlagState)
    fixed, declined = flags[FlagState.FIXED], flags[FlagState.DECLINED]
    assert fixed.resolution_note and fixed.closed_at and fixed.handled_by_id
    assert db.session.get(MaterialVersion, fixed.fixed_version_id).number == 2
    assert db.session.get(MaterialVersion, fixed.version_id).number == 1
    assert declined.resolution_note and declined.closed_at and declined.fixed_version_id is None
    assert flags[FlagState.OPEN].closed_at is None
    for flag, key in ((fixed, "curricula.flag_fixed"), (declined, "curricula.flag_declined")):
        notices = _all(
            db,
            Notification,
            Notification.user_id == flag.reporter_id,
            Notification.message_key == key,
        )
        assert len(notices) == 1
        assert notices[0].link == f"/curricula/materials/{flag.material_id}"
    assert fixed.reporter_id == users["asn.dinkes@sinergi.example"].id


def test_demo_users_see_their_curricula(client, db, demo, login_as):
    curricula, users = demo
    html = client.get("/curricula/").get_data(as_text=True)
    listed = set(re.findall(r'card-title"><a href="/curricula/\d+">([^<]*)</a>', html))
    assert listed == PUBLISHED_TITLES
    digital = curricula["Pelayanan Publik Digital"]
    page = client.get(f"/curricula/{digital.id}?lang=en").get_data(as_text=True)
    assert page.count("Needs improvement") == 1
    # The demo ASN finds the "fixed" notice unread and opens the material it is about.
    yusuf = login_as(users["asn.dinkes@sinergi.example"])
    page = yusuf.get("/notifications").get_data(as_text=True)
    unread = _all(
        db,
        Notification,
        Notification.user_id == users["asn.dinkes@sinergi.example"].id,
        Notification.read_at.is_(None),
    )
    assert re.search(rf'id="unread-count">{len(unread)}<', page)  # trainings notices come too
    notice = next(n for n in unread if n.message_key == "curricula.flag_fixed")
    assert yusuf.post(f"/notifications/{notice.id}/open").headers["Location"] == notice.link
    assert yusuf.get(notice.link).status_code == 200
    # The demo university user is an author of a published curriculum and of drafts in review.
    usu = users["dosen.usu@sinergi.example"]
    authored = [c for c in curricula.values() if usu.id in {a.user_id for a in c.authors}]
    assert {c.state for c in authored} >= {S.PUBLISHED, S.DRAFT, S.IN_REVIEW}
    assert _all(db, Notification, Notification.user_id == usu.id, Notification.read_at.is_(None))
