"""Flags: learners report problems; authors start, fix (note + newer version) or decline (reason);
the reporter is told. Every (state × action × party) triple is checked (QUALITY.md G5)."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.curricula.feedback import flag_queries
from portal.curricula.feedback import services as feedback_services
from portal.curricula.feedback.models import FlagState, MaterialFlag
from portal.curricula.feedback.workflow import TRANSITIONS, FlagAction
from portal.curricula.materials import queries as material_queries
from portal.curricula.models import CurriculumState, MaterialVersion
from portal.errors import DomainError
from portal.notify import Notification
from tests.curricula.materials_support import PAYLOAD, material_world
from tests.support.pages import flashes, text

S = CurriculumState


def _flags(db, material):
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(MaterialFlag)
            .where(MaterialFlag.material_id == material.id)
            .order_by(MaterialFlag.id)
        )
    )


def _notes(db, user, key=None):
    stmt = sa.select(Notification).where(Notification.user_id == user.id)
    if key:
        stmt = stmt.where(Notification.message_key == key)
    return list(db.session.scalars(stmt))


def _revise(client, login_as, author, material, body="Isi diperbaiki."):
    login_as(author)
    response = client.post(
        f"/curricula/materials/{material.id}/revise",
        data={"body": body, "change_note": "Salah ketik diperbaiki"},
    )
    assert response.status_code == 302


def test_a_learner_flags_the_current_version_and_the_authors_are_told(
    app, client, login_as, make, db
):
    w = material_world(make)
    material = make.material(w.module, versions=2)
    login_as(w.asn)
    response = client.post(
        f"/curricula/materials/{material.id}/flag",
        data={"kind": "typo", "description": "Halaman 3: 'anggran'."},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/curricula/my-flags"
    )
    (flag,) = _flags(db, material)
    version = db.session.get(MaterialVersion, flag.version_id)
    assert (flag.state, flag.reporter_id, version.number) == (FlagState.OPEN, w.asn.id, 2)
    for author in (w.author, w.agency_author):
        (note,) = _notes(db, author, "curricula.flag_new")
        assert note.link == f"/curricula/materials/{material.id}"
        with app.test_request_context("/?lang=en"):
            assert f'problem with the material "{material.title}"' in note.text
    assert "Halaman 3: 'anggran'." in text(client.get("/curricula/my-flags"))
    # The same kind again on the same version, while unresolved: refused with a reason.
    again = client.post(
        f"/curricula/materials/{material.id}/flag", data={"kind": "typo", "description": "Lagi."}
    )
    assert again.status_code == 400 and "already reported" in " ".join(flashes(again))
    assert len(_flags(db, material)) == 1


def test_a_flag_needs_a_kind_and_a_description_and_keeps_what_was_typed(client, login_as, make, db):
    w = material_world(make)
    material = make.material(w.module)
    login_as(w.student)
    response = client.post(
        f"/curricula/materials/{material.id}/flag", data={"kind": "unclear", "description": ""}
    )
    assert response.status_code == 400 and "This field is required." in text(response)
    assert 'value="unclear" selected' in response.get_data(as_text=True) or (
        'selected value="unclear"' in response.get_data(as_text=True)
    )
    response = client.post(
        f"/curricula/materials/{material.id}/flag",
        data={"kind": "nonsense", "description": "Teks saya"},
    )
    assert response.status_code == 400 and "Teks saya" in text(response)
    assert _flags(db, material) == []


def test_only_learners_flag_and_only_published_materials(client, login_as, make, db):
    w = material_world(make)
    material = make.material(w.module)
    url = f"/curricula/materials/{material.id}/flag"
    data = {"kind": "typo", "description": "x"}
    for user in (w.author, make.user(Role.ADMIN), make.user(Role.MENTOR)):
        login_as(user)
        assert client.post(url, data=data).status_code == 403
    w.curriculum.state = S.IN_REVIEW
    db.session.flush()
    login_as(w.asn)
    assert client.post(url, data=data).status_code == 404
    assert _flags(db, material) == []


def test_the_full_workflow_with_refused_steps_and_the_reporter_told(
    app, client, login_as, make, db, outbox
):
    w = material_world(make)
    material = make.material(w.module, kind="text", title="Materi " + PAYLOAD)
    flag = make.flag(material, w.asn, description="Ada salah ketik di paragraf 2.")
    url = f"/curricula/flags/{flag.id}/handle"
    login_as(w.author)
    assert client.post(url, data={"action": "start"}).status_code == 302
    assert _flags(db, material)[0].state == FlagState.IN_PROGRESS
    refused = client.post(url, data={"action": "start"})
    assert refused.status_code == 400 and "already started" in " ".join(flashes(refused))
    refused = client.post(url, data={"action": "fix", "note": "Sudah diperbaiki."})
    assert refused.status_code == 400
    assert "upload the corrected version first" in " ".join(flashes(refused))
    assert "Sudah diperbaiki." in text(refused)  # the note typed is kept
    _revise(client, login_as, w.agency_author, material)
    refused = client.post(url, data={"action": "fix", "note": ""})
    assert refused.status_code == 400 and "Say what you changed" in " ".join(flashes(refused))
    assert (
        client.post(url, data={"action": "fix", "note": "Paragraf 2 diperbaiki."}).status_code
        == 302
    )
    flag = _flags(db, material)[0]
    v2 = db.session.scalar(
        sa.select(MaterialVersion).where(
            MaterialVersion.material_id == material.id, MaterialVersion.number == 2
        )
    )
    # The co-author who uploaded the correction closed the report.
    assert (flag.state, flag.fixed_version_id, flag.handled_by_id) == (
        FlagState.FIXED,
        v2.id,
        w.agency_author.id,
    )
    assert flag.closed_at is not None and flag.resolution_note == "Paragraf 2 diperbaiki."
    (note,) = _notes(db, w.asn, "curricula.flag_fixed")
    assert note.link == f"/curricula/materials/{material.id}"
    with app.test_request_context("/?lang=en"):
        assert "was fixed. What changed: Paragraf 2 diperbaiki." in note.text
    (mail,) = outbox(w.asn.email)
    assert (
        "Paragraf 2 diperbaiki." in mail.body_text
        and f"/curricula/materials/{material.id}" in mail.body_text
    )
    assert "<script>" not in (mail.body_html or "")
    refused = client.post(url, data={"action": "decline", "note": "Tidak."})
    assert refused.status_code == 400 and "already closed" in " ".join(flashes(refused))
    login_as(w.asn)
    page = client.get("/curricula/my-flags")
    assert "Paragraf 2 diperbaiki." in text(page) and "Fixed in version 2" in text(page)
    assert "<script>alert(1)</script>" not in page.get_data(as_text=True)
    assert "Paragraf 2 diperbaiki." in text(client.get(f"/curricula/flags/{flag.id}"))


def test_declining_needs_a_reason_and_tells_the_reporter(app, client, login_as, make, db, outbox):
    w = material_world(make)
    material = make.material(w.module)
    flag = make.flag(material, w.student, kind="outdated_regulation")
    admin = make.user(Role.ADMIN, admin_agency=w.agency, locale="en")
    login_as(admin)
    url = f"/curricula/flags/{flag.id}/handle"
    refused = client.post(url, data={"action": "decline", "note": "  "})
    assert refused.status_code == 400 and "reason" in " ".join(flashes(refused))
    assert (
        client.post(
            url, data={"action": "decline", "note": "Perwal 2024 masih berlaku."}
        ).status_code
        == 302
    )
    flag = _flags(db, material)[0]
    assert (flag.state, flag.handled_by_id, flag.fixed_version_id) == (
        FlagState.DECLINED,
        admin.id,
        None,
    )
    (note,) = _notes(db, w.student, "curricula.flag_declined")
    with app.test_request_context("/?lang=en"):
        assert "was declined. The reason: Perwal 2024 masih berlaku." in note.text
    assert len(outbox(w.student.email)) == 1
    login_as(w.student)
    assert "Perwal 2024 masih berlaku." in text(client.get("/curricula/my-flags"))


def test_the_author_picks_the_corrected_version(client, login_as, make, db):
    w = material_world(make)
    material = make.material(w.module, versions=1)
    other = make.material(w.module, versions=3)
    flag = make.flag(material, w.asn)
    for body in ("v2", "v3"):
        _revise(client, login_as, w.author, material, body=body)
    numbers = dict(
        db.session.execute(
            sa.select(MaterialVersion.number, MaterialVersion.id).where(
                MaterialVersion.material_id == material.id
            )
        ).all()
    )
    other_v3 = db.session.scalar(
        sa.select(MaterialVersion.id).where(
            MaterialVersion.material_id == other.id, MaterialVersion.number == 3
        )
    )
    url = f"/curricula/flags/{flag.id}/handle"
    page = client.get(f"/curricula/flags/{flag.id}").get_data(as_text=True)
    assert f'value="{numbers[2]}"' in page and f'value="{numbers[3]}"' in page
    for bad in (numbers[1], other_v3, 2_000_000_000):
        refused = client.post(url, data={"action": "fix", "note": "x", "version": str(bad)})
        assert refused.status_code == 400 and "newer than the one reported" in " ".join(
            flashes(refused)
        )
    refused = client.post(url, data={"action": "fix", "note": "x", "version": "abc"})
    assert refused.status_code == 400
    assert (
        client.post(
            url, data={"action": "fix", "note": "Di versi 2.", "version": str(numbers[2])}
        ).status_code
        == 302
    )
    assert _flags(db, material)[0].fixed_version_id == numbers[2]


PARTIES = [
    "university_author",
    "agency_author",
    "opd_admin",
    "city_admin",
    "reporter",
    "other_learner",
    "same_university",
    "other_opd_admin",
]
HANDLERS = {"university_author", "agency_author", "opd_admin", "city_admin"}


def test_every_state_action_party_triple(app, make, db):
    """G5: only the listed transitions succeed, only for the handlers; a refusal says why and
    changes nothing."""
    w = material_world(make)
    material = make.material(w.module, versions=1)
    people = {
        "university_author": w.author,
        "agency_author": w.agency_author,
        "opd_admin": make.user(Role.ADMIN, admin_agency=w.agency),
        "city_admin": make.user(Role.ADMIN),
        "reporter": w.asn,
        "other_learner": w.student,
        "same_university": make.user(Role.UNIVERSITY, university=w.uni),
        "other_opd_admin": make.user(Role.ADMIN, admin_agency=make.agency()),
    }
    flags = {}
    for state, party, action in itertools.product(FlagState, PARTIES, FlagAction):
        flags[state, party, action] = make.flag(material, w.asn, state=state.value)
    # A newer version exists, so "fix" can succeed where it is allowed.
    with app.test_request_context():
        loaded = material_queries.material(material.id)
        db.session.add(
            MaterialVersion(material_id=material.id, number=2, body="v2", change_note="v2")
        )
        loaded.version_count = 2
        db.session.flush()
    outcomes = []
    for (state, party, action), flag in flags.items():
        allowed = party in HANDLERS and (state, action) in TRANSITIONS
        refusal = None
        with app.test_request_context("/?lang=en"):
            loaded = flag_queries.flag(flag.id)
            try:
                with db.session.begin_nested():
                    feedback_services.handle_flag(
                        loaded, actor=people[party], action=action, note="Catatan."
                    )
            except DomainError as exc:
                refusal = str(exc)
        now = db.session.scalar(sa.select(MaterialFlag.state).where(MaterialFlag.id == flag.id))
        if refusal is not None:
            assert not allowed, (state, party, action, refusal)
            assert refusal and now == state  # says why, changes nothing
        else:
            assert allowed, (state, party, action)
            assert now == TRANSITIONS[state, action].to
            outcomes.append((state, action))
    assert sorted(set(outcomes)) == sorted(TRANSITIONS)
    assert len(outcomes) == len(TRANSITIONS) * len(HANDLERS)


@pytest.mark.parametrize(
    ("who", "view", "handle"),
    [("reporter", 200, 403), ("author", 200, 302), ("other_learner_asn", 404, 404),
     ("other_student", 404, 403), ("other_university", 404, 404), ("anonymous", 302, 302)],
)  # fmt: skip
def test_the_flag_page_is_for_the_reporter_and_the_handlers(
    client, login_as, make, db, who, view, handle
):
    w = material_world(make)
    flag = make.flag(make.material(w.module), w.asn, description="Deskripsi " + PAYLOAD)
    users = {
        "reporter": w.asn,
        "author": w.author,
        "other_learner_asn": make.user(Role.ASN),
        "other_student": w.student,
        "other_university": make.user(Role.UNIVERSITY),
    }
    if who in users:
        login_as(users[who])
    page = client.get(f"/curricula/flags/{flag.id}")
    assert page.status_code == view
    if view == 200:
        html = page.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
        assert (f'action="/curricula/flags/{flag.id}/handle"' in html) is (who == "author")
    response = client.post(f"/curricula/flags/{flag.id}/handle", data={"action": "start"})
    assert response.status_code == handle
    if who == "anonymous":
        assert "/login" in response.headers["Location"]
    expected = FlagState.IN_PROGRESS if who == "author" else FlagState.OPEN
    db.session.expire_all()
    assert db.session.get(MaterialFlag, flag.id).state == expected


def test_the_queue_shows_the_flags_of_the_users_curricula_only(client, login_as, make, db):
    w, other = material_world(make), material_world(make)
    mine = make.flag(
        make.material(w.module, title="Materi saya"), w.asn, description="Masalah satu"
    )
    make.flag(
        make.material(w.module, title="Materi kedua"),
        w.student,
        kind="broken",
        description="Tautan rusak",
        state="fixed",
    )
    make.flag(make.material(other.module, title="Materi orang lain"), other.asn, description="Lain")
    login_as(w.author)
    page = text(client.get("/curricula/flags"))
    assert "Materi saya" in page and "Materi kedua" in page and "Materi orang lain" not in page
    page = text(client.get("/curricula/flags?state=open"))
    assert "Materi saya" in page and "Materi kedua" not in page
    page = text(client.get("/curricula/flags?q=rusak"))
    assert "Materi kedua" in page and "Materi saya" not in page
    assert client.get("/curricula/flags?state=%00bogus&q=%00&page=99999").status_code == 200
    login_as(make.user(Role.ADMIN, admin_agency=w.agency))
    page = text(client.get("/curricula/flags"))
    assert "Materi saya" in page and "Materi orang lain" not in page
    login_as(make.user(Role.ADMIN))
    page = text(client.get("/curricula/flags"))
    assert "Materi saya" in page and "Materi orang lain" in page
    login_as(w.asn)  # a learner's own reports, not the queue
    assert client.get("/curricula/flags").status_code == 200
    assert "Masalah satu" not in text(client.get("/curricula/flags"))
    assert "Masalah satu" in text(client.get("/curricula/my-flags"))
    assert mine.id
