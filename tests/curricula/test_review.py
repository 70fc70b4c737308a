"""Review comments: on the proposal or a module, threaded, resolved and reopened, editable by
their author until answered."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.curricula.models import CurriculumState as S
from portal.curricula.proposals import review_services
from portal.curricula.proposals.models import ReviewComment
from portal.errors import DomainError


@pytest.fixture
def review(make, db):
    opd = make.agency()
    asn = make.user(Role.ASN, agency=opd, full_name="Bu Reviewer", locale="en")
    cur = make.curriculum(agency=opd, state=S.IN_REVIEW, agency_author=asn, modules=2)
    lead = cur.authors[0].user
    lead.locale = "en"
    db.session.flush()
    return {
        "cur": cur,
        "lead": lead,
        "asn": asn,
        "opd": opd,
        "admin": make.user(Role.ADMIN, admin_agency=opd, locale="en"),
        "colleague": make.user(Role.UNIVERSITY, university=cur.university, locale="en"),
    }


def _comments(db, cur_id):
    db.session.expire_all()
    return db.session.scalars(
        sa.select(ReviewComment)
        .where(ReviewComment.curriculum_id == cur_id)
        .order_by(ReviewComment.id)
    ).all()


def test_threads_on_the_proposal_and_on_a_module(client, login_as, review, db):
    cur, module = review["cur"], review["cur"].modules[1]
    login_as(review["asn"])
    url = f"/curricula/proposals/{cur.id}/comments"
    assert client.post(url, data={"body": "Tujuan umum kurang jelas."}).status_code == 302
    assert (
        client.post(
            url, data={"body": "Tambahkan studi kasus.", "module_id": module.id}
        ).status_code
        == 302
    )
    general, on_module = _comments(db, cur.id)
    assert (general.module_id, on_module.module_id) == (None, module.id)
    login_as(review["lead"])
    assert (
        client.post(url, data={"body": "Sudah ditambahkan.", "parent_id": on_module.id}).status_code
        == 302
    )
    reply = _comments(db, cur.id)[-1]
    # a reply to a reply joins the thread root, and its module
    login_as(review["asn"])
    assert (
        client.post(url, data={"body": "Terima kasih.", "parent_id": reply.id}).status_code == 302
    )
    last = _comments(db, cur.id)[-1]
    assert (reply.parent_id, last.parent_id, last.module_id) == (
        on_module.id,
        on_module.id,
        module.id,
    )
    html = client.get(f"/curricula/proposals/{cur.id}").get_data(as_text=True)
    module_block = html.split(f'id="module-{module.id}"')[1].split('id="comments"')[0]
    assert "Tambahkan studi kasus." in module_block and "Terima kasih." in module_block
    assert "Tujuan umum kurang jelas." not in module_block
    assert "2 open threads in total." in html


def test_a_comment_elsewhere_is_refused(client, login_as, review, make, db):
    cur = review["cur"]
    other = make.curriculum(state=S.IN_REVIEW)
    foreign = review_services.add_comment(other, actor=other.authors[0].user, body="Lain")
    url = f"/curricula/proposals/{cur.id}/comments"
    login_as(review["asn"])
    r = client.post(url, data={"body": "Balasan", "parent_id": foreign.id})
    assert r.status_code == 400 and "belongs to another proposal" in r.get_data(as_text=True)
    r = client.post(url, data={"body": "Tentang modul", "module_id": other.modules[0].id})
    assert r.status_code == 409 and "not part of the proposal" in r.get_data(as_text=True)
    assert "Tentang modul" in r.get_data(as_text=True)  # what was typed is kept
    r = client.post(url, data={"body": "x" * 5001})
    assert r.status_code == 400 and "At most 5000 characters." in r.get_data(as_text=True)
    assert _comments(db, cur.id) == []
    # people outside the proposal cannot comment; a colleague who is not an author neither
    login_as(review["colleague"])
    assert client.post(url, data={"body": "Saya juga"}).status_code == 403
    login_as(make.user(Role.UNIVERSITY))
    assert client.post(url, data={"body": "Saya juga"}).status_code == 404
    login_as(make.user(Role.STUDENT))
    assert client.post(url, data={"body": "Saya juga"}).status_code == 403


def test_comments_close_when_the_curriculum_is_published(client, login_as, review, db):
    cur = review["cur"]
    root = review_services.add_comment(cur, actor=review["asn"], body="Sebelum terbit")
    cur.state = S.PUBLISHED
    db.session.commit()
    login_as(review["asn"])
    html = client.get(f"/curricula/proposals/{cur.id}").get_data(as_text=True)
    assert "Sebelum terbit" in html and "Add the comment" not in html
    r = client.post(f"/curricula/proposals/{cur.id}/comments", data={"body": "Terlambat"})
    assert r.status_code == 409 and "The review is closed" in r.get_data(as_text=True)
    r = client.post(f"/curricula/comments/{root.id}/resolve", follow_redirects=True)
    assert "The review is closed" in r.get_data(as_text=True)
    assert _comments(db, cur.id)[0].is_resolved is False
    with pytest.raises(DomainError, match="review is closed"):
        review_services.add_comment(cur, actor=review["asn"], body="Terlambat")


def test_only_the_author_edits_and_only_until_answered(client, login_as, review, db):
    cur = review["cur"]
    comment = review_services.add_comment(cur, actor=review["asn"], body="Versi pertama")
    db.session.commit()
    login_as(review["lead"])  # somebody else's comment
    assert client.get(f"/curricula/comments/{comment.id}/edit").status_code == 403
    assert (
        client.post(f"/curricula/comments/{comment.id}/edit", data={"body": "Ubah"}).status_code
        == 403
    )
    html = client.get(f"/curricula/proposals/{cur.id}").get_data(as_text=True)
    assert f"/curricula/comments/{comment.id}/edit" not in html
    login_as(review["asn"])
    html = client.get(f"/curricula/proposals/{cur.id}").get_data(as_text=True)
    assert f"/curricula/comments/{comment.id}/edit" in html
    r = client.post(f"/curricula/comments/{comment.id}/edit", data={"body": "Versi kedua"})
    assert r.status_code == 302
    assert _comments(db, cur.id)[0].body == "Versi kedua" and _comments(db, cur.id)[0].edited_at
    r = client.post(f"/curricula/comments/{comment.id}/edit", data={"body": ""})
    assert r.status_code == 400 and "This field is required." in r.get_data(as_text=True)
    # once answered, it stays as it was
    review_services.add_comment(
        cur, actor=review["lead"], body="Jawaban", parent=_comments(db, cur.id)[0]
    )
    db.session.commit()
    r = client.post(f"/curricula/comments/{comment.id}/edit", data={"body": "Versi ketiga"})
    assert r.status_code == 409 and "can no longer be edited" in r.get_data(as_text=True)
    assert "Versi ketiga" in r.get_data(as_text=True)  # the text is kept on the form
    r = client.get(f"/curricula/comments/{comment.id}/edit", follow_redirects=True)
    assert "can no longer be edited" in r.get_data(as_text=True)
    assert _comments(db, cur.id)[0].body == "Versi kedua"
    html = client.get(f"/curricula/proposals/{cur.id}").get_data(as_text=True)
    assert f"/curricula/comments/{comment.id}/edit" not in html


def test_resolve_and_reopen(client, login_as, review, make, db):
    cur = review["cur"]
    root = review_services.add_comment(cur, actor=review["asn"], body="Perbaiki JP")
    reply = review_services.add_comment(cur, actor=review["lead"], body="Sudah", parent=root)
    db.session.commit()
    login_as(review["lead"])  # any author may resolve
    r = client.post(f"/curricula/comments/{root.id}/resolve", follow_redirects=True)
    assert "The thread is resolved." in r.get_data(as_text=True)
    assert _comments(db, cur.id)[0].is_resolved
    assert _comments(db, cur.id)[0].resolved_by_id == review["lead"].id
    r = client.post(f"/curricula/comments/{root.id}/resolve", follow_redirects=True)
    assert "already resolved" in r.get_data(as_text=True)
    r = client.post(f"/curricula/comments/{reply.id}/reopen", follow_redirects=True)
    assert "Resolve or reopen the whole thread" in r.get_data(as_text=True)
    login_as(review["admin"])  # the agency side reopens
    assert client.post(f"/curricula/comments/{root.id}/reopen").status_code == 302
    first = _comments(db, cur.id)[0]
    assert not first.is_resolved and first.resolved_by_id is None
    login_as(review["colleague"])
    assert client.post(f"/curricula/comments/{root.id}/resolve").status_code == 403
    login_as(make.user(Role.ADMIN, admin_agency=make.agency()))
    assert client.post(f"/curricula/comments/{root.id}/resolve").status_code == 404
    assert not _comments(db, cur.id)[0].is_resolved
