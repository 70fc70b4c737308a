"""The proposal pages against hostile input and growth: no mass assignment (G4), escaped stored
XSS (G10), and a fixed number of queries whatever the number of modules, materials and
comments (P4)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.curricula.models import (
    Curriculum,
    CurriculumAuthor,
    CurriculumEvidence,
    CurriculumState,
    Module,
)
from portal.curricula.proposals import review_services
from portal.curricula.proposals.models import CurriculumEvent, ReviewComment

S = CurriculumState


# --- G4: mass assignment --------------------------------------------------------------------------


@pytest.fixture
def target(make, db):
    uni, opd = make.university(), make.agency()
    cur = make.curriculum(uni, agency=opd, state=S.DRAFT)
    lead = cur.authors[0].user
    intruder = make.user(Role.UNIVERSITY, university=make.university())
    other_agency = make.agency()
    comment = review_services.add_comment(cur, actor=lead, body="Catatan")
    db.session.flush()
    hostile = {
        "state": "published",
        "status": "published",
        "university_id": intruder.university_id,
        "created_by_id": intruder.id,
        "version_count": 99,
        "published_at": "2030-01-01",
        "author": intruder.id,
        "authors": intruder.id,
        "authors-0-user_id": intruder.id,
        "author_id": intruder.id,
        "is_lead": "y",
        "side": "agency",
        "curriculum_id": 999,
        "is_resolved": "y",
        "resolved_by_id": intruder.id,
        "position": 7,
    }
    return {
        "cur": cur,
        "lead": lead,
        "hostile": hostile,
        "other_agency": other_agency,
        "comment": comment,
        "competency": make.competency(),
        "colleague": make.user(Role.UNIVERSITY, university=uni),
    }


def _privileged(db, cur_id):
    db.session.expire_all()
    cur = db.session.get(Curriculum, cur_id)
    comments = db.session.scalars(
        sa.select(ReviewComment)
        .where(ReviewComment.curriculum_id == cur_id)
        .order_by(ReviewComment.id)
    ).all()
    return {
        "curriculum": (
            cur.state,
            cur.university_id,
            cur.created_by_id,
            cur.version_count,
            cur.published_at,
        ),
        "authors": sorted((a.user_id, a.side, a.is_lead) for a in cur.authors),
        "modules": sorted((m.id, m.curriculum_id) for m in cur.modules),
        "comments": [
            (c.author_id, c.curriculum_id, c.is_resolved, c.resolved_by_id) for c in comments[:1]
        ],
    }


def _forms(t):
    cur = t["cur"]
    module = cur.modules[0]
    return [
        (
            f"/curricula/proposals/{cur.id}/edit",
            {
                "title": "Judul",
                "audience": "asn",
                "mode": "klasikal",
                "agency_id": cur.agency_id,
                "learning_outcomes": "Peserta mampu.",
            },
        ),
        (
            f"/curricula/proposals/{cur.id}/modules/new",
            {"title": "Modul", "jp": 2, "method": "diskusi", "agency_id": t["other_agency"].id},
        ),
        (f"/curricula/modules/{module.id}/edit", {"title": "Modul", "jp": 3, "method": "diskusi"}),
        (f"/curricula/modules/{module.id}/move", {"direction": "down"}),
        (
            f"/curricula/proposals/{cur.id}/targets",
            {"competency_id": t["competency"].id, "target_level": 2},
        ),
        # refused (no such group on the board), but not because of the extra fields
        (f"/curricula/proposals/{cur.id}/evidence", {"agency_id": 1, "competency_id": 1}),
        (f"/curricula/proposals/{cur.id}/authors", {"user_id": t["colleague"].id}),
        (f"/curricula/proposals/{cur.id}/comments", {"body": "Komentar baru"}),
        (f"/curricula/comments/{t['comment'].id}/edit", {"body": "Diubah"}),
        (f"/curricula/proposals/{cur.id}/transition", {"action": "submit", "note": "Siap"}),
    ]


def test_posting_privileged_fields_changes_nothing_of_them(client, login_as, target, db):
    cur_id, lead = target["cur"].id, target["lead"]
    login_as(lead)
    for url, data in _forms(target):
        before = _privileged(db, cur_id)
        r = client.post(url, data={**data, **target["hostile"]})
        assert r.status_code == (409 if url.endswith("/evidence") else 302), url
        after = _privileged(db, cur_id)
        if url.endswith("/authors"):  # the colleague was added: nothing else changed
            before["authors"] = sorted(
                [*before["authors"], (target["colleague"].id, "university", False)]
            )
        if url.endswith("/modules/new"):
            new = set(after["modules"]) - set(before["modules"])
            assert [cid for _mid, cid in new] == [cur_id]
            before["modules"] = after["modules"]
        if url.endswith("/transition"):  # the step itself: submitted, version 1, nothing more
            assert after["curriculum"] == (
                S.SUBMITTED,
                before["curriculum"][1],
                before["curriculum"][2],
                1,
                None,
            ), url
            continue
        assert after == before, url
    cur = db.session.get(Curriculum, cur_id)
    assert cur.agency_id == target["cur"].agency_id  # not the other agency from the module form


def test_a_new_proposal_takes_its_university_from_the_account(client, login_as, make, db):
    staff = make.user(Role.UNIVERSITY)
    other = make.university()
    login_as(staff)
    r = client.post(
        "/curricula/proposals/new",
        data={
            "title": "Kurikulum Baru",
            "audience": "asn",
            "mode": "klasikal",
            "state": "published",
            "university_id": other.id,
            "created_by_id": 1,
            "version_count": 5,
            "authors": 1,
            "is_lead": "",
            "published_at": "2030-01-01",
        },
    )
    assert r.status_code == 302
    cur = db.session.scalars(
        sa.select(Curriculum).where(Curriculum.title == "Kurikulum Baru")
    ).one()
    assert (
        cur.university_id,
        cur.state,
        cur.created_by_id,
        cur.version_count,
        cur.published_at,
    ) == (staff.university_id, S.DRAFT, staff.id, 0, None)
    assert [(a.user_id, a.is_lead) for a in cur.authors] == [(staff.id, True)]


def test_the_partner_is_not_changed_once_sent_back(client, login_as, target, db):
    cur = target["cur"]
    cur.state = S.CHANGES_REQUESTED
    db.session.flush()
    login_as(target["lead"])
    r = client.post(
        f"/curricula/proposals/{cur.id}/edit",
        data={
            "title": "Judul Revisi",
            "audience": "asn",
            "mode": "klasikal",
            "agency_id": target["other_agency"].id,
        },
    )
    assert r.status_code == 302
    db.session.expire_all()
    cur = db.session.get(Curriculum, cur.id)
    assert cur.title == "Judul Revisi" and cur.agency_id != target["other_agency"].id


# --- G10: stored XSS ------------------------------------------------------------------------------

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_is_escaped_on_every_page(client, login_as, make, db, app, payload):
    opd = make.agency()
    reviewer = make.user(Role.ADMIN, admin_agency=opd)
    cur = make.curriculum(
        agency=opd, title="Judul " + payload, summary=payload, learning_outcomes=payload
    )
    lead = cur.authors[0].user
    cur.modules[0].title = "Modul " + payload
    cur.modules[0].objectives = payload
    db.session.flush()
    with app.test_request_context():
        review_services.transition(cur, "submit", actor=lead, note=payload)
        review_services.transition(cur, "start_review", actor=reviewer)
        review_services.add_comment(cur, actor=reviewer, body=payload, module_id=cur.modules[0].id)
        review_services.add_comment(cur, actor=reviewer, body="Umum " + payload)
        review_services.transition(cur, "request_changes", actor=reviewer, note=payload)
        cur.title = "Judul baru " + payload
        review_services.transition(cur, "resubmit", actor=lead)
    db.session.commit()
    login_as(lead)
    for url in (
        f"/curricula/proposals/{cur.id}",
        "/curricula/proposals",
        f"/curricula/proposals/{cur.id}/diff",
        f"/curricula/proposals/{cur.id}/versions",
        f"/curricula/proposals/{cur.id}/authors",
    ):
        html = client.get(url).get_data(as_text=True)
        assert payload not in html, url
        assert "alert(1)" in html, url  # it is there, escaped
        assert "<img src=x" not in html and "<script>alert" not in html, url


# --- P4: query budget -----------------------------------------------------------------------------

BUDGET = 12


def _grow(make, db, cur, *, modules: int, materials: int, comments: int, author, reviewer):
    for i in range(modules):
        module = Module(
            curriculum_id=cur.id,
            position=10 + i,
            title=f"Modul Tambahan {i}",
            objectives="Tujuan",
            jp=2,
            method="diskusi",
        )
        db.session.add(module)
        db.session.flush()
        for j in range(materials):
            make.material(module, kind=("text", "link", "file")[j % 3], versions=1 + j % 2)
    for i in range(comments):
        root = ReviewComment(
            curriculum_id=cur.id,
            author_id=reviewer.id,
            body=f"Komentar {i}",
            module_id=cur.modules[0].id if i % 2 else None,
        )
        db.session.add(root)
        db.session.flush()
        db.session.add(
            ReviewComment(
                curriculum_id=cur.id, author_id=author.id, body=f"Balasan {i}", parent_id=root.id
            )
        )
        db.session.add(
            CurriculumEvent(
                curriculum_id=cur.id,
                action="submit",
                from_state=S.DRAFT,
                to_state=S.SUBMITTED,
                actor_id=author.id,
                at=datetime.now(UTC),
            )
        )
        db.session.add(
            CurriculumEvidence(
                curriculum_id=cur.id,
                agency_id=cur.agency_id,
                competency_id=make.competency().id,
                kind=f"k{i}",
                total=5,
                assessed=3,
                below=2,
                mean_gap=1.5,
            )
        )
    for _ in range(comments // 3):
        db.session.add(
            CurriculumAuthor(
                curriculum_id=cur.id,
                side="university",
                user_id=make.user(Role.UNIVERSITY, university=cur.university).id,
            )
        )
    db.session.flush()
    db.session.expire_all()


@pytest.mark.parametrize("who", ["lead", "reviewer"])
def test_the_pages_run_a_fixed_number_of_queries(client, login_as, make, db, count_queries, who):
    opd = make.agency()
    reviewer = make.user(Role.ADMIN, admin_agency=opd)
    counts = {"proposal": [], "list": []}
    for modules, materials, comments in ((0, 1, 1), (7, 5, 10)):
        cur = make.curriculum(agency=opd, modules=1)
        lead = cur.authors[0].user
        for j in range(materials):
            make.material(cur.modules[0], kind=("text", "link", "file")[j % 3])
        _grow(
            make,
            db,
            cur,
            modules=modules,
            materials=materials,
            comments=comments,
            author=lead,
            reviewer=reviewer,
        )
        for _ in range(comments):  # more proposals in the list too
            make.curriculum(cur.university, agency=opd, author=lead, modules=2)
        login_as(lead if who == "lead" else reviewer)
        for page, url in (
            ("proposal", f"/curricula/proposals/{cur.id}"),
            ("list", "/curricula/proposals"),
        ):
            with count_queries() as n:
                r = client.get(url)
            assert r.status_code == 200, url
            counts[page].append(n())
        html = client.get(f"/curricula/proposals/{cur.id}").get_data(as_text=True)
        assert f"Komentar {comments - 1}" in html and f"Balasan {comments - 1}" in html
    for page, (small, large) in counts.items():
        assert small <= BUDGET, (page, small)
        assert small == large, (page, counts)
