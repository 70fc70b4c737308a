"""Ratings: one per learner and version, anonymous unless chosen, averages from 3 ratings, "needs
improvement" below 3.0 over 5 ratings, the export, and the pages' query budget (P4)."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from portal.auth.models import Role
from portal.curricula.feedback import queries as feedback_queries
from portal.curricula.feedback.models import MaterialRating
from portal.curricula.models import CurriculumState
from tests.curricula.materials_support import PAYLOAD, material_world
from tests.support.pages import field_error, text

S = CurriculumState
RATING = {"overall": "4", "relevance": "5", "clarity": "4", "difficulty": "3"}


def _ratings(db, material, user=None):
    stmt = sa.select(MaterialRating).where(MaterialRating.material_id == material.id)
    if user is not None:
        stmt = stmt.where(MaterialRating.user_id == user.id)
    db.session.expire_all()
    return list(db.session.scalars(stmt.order_by(MaterialRating.id)))


def test_one_rating_per_learner_and_version_a_second_post_updates_it(client, login_as, make, db):
    w = material_world(make)
    material = make.material(w.module)
    login_as(w.asn)
    url = f"/curricula/materials/{material.id}/rate"
    assert client.post(url, data={**RATING, "comment": "Cukup jelas."}).status_code == 302
    assert (
        client.post(
            url, data={**RATING, "overall": "2", "comment": "Setelah dibaca ulang: kurang."}
        ).status_code
        == 302
    )
    rows = _ratings(db, material, w.asn)
    assert len(rows) == 1 and rows[0].overall == 2 and rows[0].comment.startswith("Setelah")
    page = client.get(f"/curricula/materials/{material.id}").get_data(as_text=True)
    checked = re.findall(r'<input checked [^>]*name="(\w+)"[^>]*value="(\d)"', page)
    assert checked == [("overall", "2"), ("relevance", "5"), ("clarity", "4"), ("difficulty", "3")]
    assert "Setelah dibaca ulang: kurang." in page


def test_a_new_version_can_be_rated_again_and_stats_follow_the_current_version(
    client, login_as, make, db
):
    w = material_world(make)
    material = make.material(w.module)
    for user in (w.asn, w.student, make.user(Role.ASN)):
        make.rating(material, user, overall=1)
    login_as(w.author)
    client.post(
        f"/curricula/materials/{material.id}/revise",
        data={"body": "Isi yang diperbaiki.", "change_note": "Diperbaiki"},
    )
    login_as(w.asn)
    assert (
        client.post(
            f"/curricula/materials/{material.id}/rate", data={**RATING, "overall": "5"}
        ).status_code
        == 302
    )
    assert len(_ratings(db, material, w.asn)) == 2  # one per version
    stats = feedback_queries.material_stats([material.id])[material.id]
    assert stats.count == 1 and stats.average is None  # the current version has one rating


def test_the_rating_is_always_the_actors_own(client, login_as, make, db):
    w = material_world(make)
    material = make.material(w.module)
    theirs = make.rating(material, w.student, overall=5, comment="Milik Siti")
    login_as(w.asn)
    response = client.post(
        f"/curricula/materials/{material.id}/rate",
        data={
            **RATING,
            "overall": "1",
            "user_id": str(w.student.id),
            "version_id": "999999",
            "material_id": "999999",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    again = db.session.get(MaterialRating, theirs.id)
    assert (again.overall, again.comment, again.user_id) == (5, "Milik Siti", w.student.id)
    mine = _ratings(db, material, w.asn)
    assert len(mine) == 1 and mine[0].overall == 1


def test_only_asn_and_students_rate_and_only_published_curricula(client, login_as, make, db):
    w = material_world(make)
    material = make.material(w.module)
    url = f"/curricula/materials/{material.id}/rate"
    for user in (w.author, make.user(Role.ADMIN), make.user(Role.MENTOR)):
        login_as(user)
        assert client.post(url, data=RATING).status_code == 403
    assert _ratings(db, material) == []
    for state, status in ((S.ARCHIVED, 403), (S.APPROVED, 404), (S.DRAFT, 404)):
        w.curriculum.state = state
        db.session.flush()
        login_as(w.student)
        assert client.post(url, data=RATING).status_code == status, state
        page = client.get(f"/curricula/materials/{material.id}")
        assert (
            status == 404
            or f'action="/curricula/materials/{material.id}/rate"'
            not in page.get_data(as_text=True)
        )
    assert _ratings(db, material) == []


def test_an_invalid_rating_keeps_what_was_typed(client, login_as, make, db):
    w = material_world(make)
    material = make.material(w.module)
    login_as(w.asn)
    response = client.post(
        f"/curricula/materials/{material.id}/rate",
        data={**RATING, "overall": "7", "comment": "Komentar saya"},
    )
    assert response.status_code == 400
    assert field_error(response, "overall")
    assert "Komentar saya" in text(response)
    assert _ratings(db, material) == []


def _rate(make, material, scores, *, comments=None, shown=()):
    users = []
    for i, score in enumerate(scores):
        user = make.user(Role.ASN if i % 2 else Role.STUDENT, full_name=f"Pemberi Nilai {i}")
        comment = comments[i] if comments else None
        make.rating(material, user, overall=score, comment=comment, show_name=i in shown)
        users.append(user)
    return users


def test_averages_appear_from_three_ratings_and_can_be_configured(app, make, db, monkeypatch):
    w = material_world(make)
    material = make.material(w.module)
    _rate(make, material, [5, 4])
    with app.test_request_context():
        stats = feedback_queries.material_stats([material.id])[material.id]
        assert (stats.count, stats.average, stats.distribution_rows) == (2, None, [])
        monkeypatch.setitem(app.config, "FEEDBACK_MIN_RATINGS_FOR_AVERAGE", 2)
        assert feedback_queries.material_stats([material.id])[material.id].average == 4.5
    monkeypatch.undo()
    _rate(make, material, [3])
    with app.test_request_context():
        stats = feedback_queries.material_stats([material.id])[material.id]
        assert (stats.count, stats.average) == (3, 4.0)
        assert [(s, n) for s, n, _p in stats.distribution_rows] == [
            (5, 1),
            (4, 1),
            (3, 1),
            (2, 0),
            (1, 0),
        ]


@pytest.mark.parametrize(
    ("scores", "marked"),
    [([2, 2, 3, 2, 3], True),  # 2.4 over 5
     ([1, 1, 1, 1], False),  # 4 ratings are not enough
     ([3, 3, 3, 3, 3], False),  # exactly 3.0 is not below
     ([1, 1, 1, 5, 5, 5], False)],  # 3.0 over 6
)  # fmt: skip
def test_needs_improvement_below_three_over_five_ratings(
    client, login_as, make, db, scores, marked
):
    w = material_world(make)
    material = make.material(w.module, title="Materi dinilai")
    make.material(w.module, title="Materi lain")
    _rate(make, material, scores)
    assert feedback_queries.material_stats([material.id])[material.id].needs_improvement is marked
    login_as(w.author)
    page = text(client.get(f"/curricula/proposals/{w.curriculum.id}/feedback"))
    assert ("Needs improvement" in page) is marked
    assert ("These materials need improvement" in page) is marked


def test_material_stats_is_one_query_and_counts_open_flags(app, make, db, count_queries):
    w = material_world(make, modules=2)
    materials = [make.material(m) for m in w.curriculum.modules for _ in range(2)]
    _rate(make, materials[0], [5, 4, 4])
    make.flag(materials[1], w.asn)
    make.flag(materials[1], w.student, state="in_progress")
    make.flag(materials[1], w.student, kind="unclear", state="fixed")
    ids = [m.id for m in materials]
    with app.test_request_context(), count_queries() as n:
        stats = feedback_queries.material_stats(ids)
    assert n() == 1
    assert set(stats) == {m.id for m in materials}
    assert stats[materials[0].id].average == 4.3 and stats[materials[2].id].count == 0
    assert stats[materials[1].id].open_flags == 2 and stats[materials[0].id].open_flags == 0
    assert feedback_queries.material_stats([]) == {}


def test_the_summary_keeps_learners_anonymous_unless_they_chose(client, login_as, make, db):
    w = material_world(make)
    material = make.material(w.module)
    users = _rate(
        make, material, [4, 5, 3], comments=["Anonim " + PAYLOAD, "Dengan nama", "Tanpa"], shown={1}
    )
    login_as(w.author)
    response = client.get(f"/curricula/proposals/{w.curriculum.id}/feedback")
    page = text(response)
    assert "Dengan nama" in page and users[1].full_name in page
    assert users[0].full_name not in page and users[2].full_name not in page
    assert page.count("Anonymous learner") == 2
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert "average 4.0 of 5" in page


def test_the_summary_is_for_the_handlers_only(client, login_as, make, db):
    w = material_world(make)
    url = f"/curricula/proposals/{w.curriculum.id}/feedback"
    for user, status in (
        (w.author, 200),
        (w.agency_author, 200),
        (make.user(Role.ADMIN), 200),
        (make.user(Role.ADMIN, admin_agency=w.agency), 200),
        (make.user(Role.ADMIN, admin_agency=make.agency()), 403),
        (make.user(Role.UNIVERSITY, university=w.uni), 403),
        (w.asn, 403),
        (w.student, 403),
    ):
        login_as(user)
        assert client.get(url).status_code == status, user
    w.curriculum.state = S.DRAFT
    db.session.flush()
    login_as(make.user(Role.UNIVERSITY))
    assert client.get(url).status_code == 404


def _csv_rows(response):
    return list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )


def test_the_export_holds_this_curriculums_feedback_only_anonymised(client, login_as, make, db):
    w = material_world(make)
    material = make.material(w.module, title="Materi A")
    _rate(make, material, [4, 2], comments=["Komentar A1", '=HYPERLINK("x")'], shown={0})
    other = material_world(make)
    _rate(make, make.material(other.module, title="Materi B"), [5], comments=["Komentar B"])
    login_as(w.author)
    response = client.get(f"/curricula/proposals/{w.curriculum.id}/feedback.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = _csv_rows(response)
    assert rows[0][:2] == ["Module", "Material"] and len(rows) == 3
    flat = " ".join(" ".join(r) for r in rows)
    assert "Komentar A1" in flat and "Pemberi Nilai 0" in flat
    assert "Pemberi Nilai 1" not in flat and "Anonymous learner" in flat
    assert "Komentar B" not in flat and "Materi B" not in flat
    assert "'=HYPERLINK" in flat  # CSV injection neutralised
    xlsx = client.get(f"/curricula/proposals/{w.curriculum.id}/feedback.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(cells) == 3 and cells[1][1] == "Materi A"
    assert {r[-1] for r in cells[1:]} == {"Pemberi Nilai 0", "Anonymous learner"}
    assert not any("Komentar B" in str(v) for r in cells for v in r)
    assert client.get(f"/curricula/proposals/{w.curriculum.id}/feedback.pdf").status_code == 404
    login_as(w.asn)
    assert client.get(f"/curricula/proposals/{w.curriculum.id}/feedback.csv").status_code == 403


def _grow(make, w, materials: int, ratings: int):
    made = [
        make.material(
            w.curriculum.modules[i % len(w.curriculum.modules)],
            kind=("text", "file", "link")[i % 3],
        )
        for i in range(materials)
    ]
    for i in range(ratings):
        learner = make.user(Role.ASN if i % 2 else Role.STUDENT)
        make.rating(
            made[i % materials],
            learner,
            overall=1 + i % 5,
            comment=f"Komentar {i}",
            show_name=i % 3 == 0,
        )
    for material in made[:2]:
        make.flag(material, make.user(Role.ASN))
    return made


@pytest.mark.parametrize("page", ["material-author", "material-learner", "summary"])
def test_pages_run_in_the_same_few_queries_whatever_the_size(
    client, login_as, make, db, count_queries, page
):
    counts = []
    for materials, ratings in ((1, 1), (6, 40)):
        w = material_world(make, modules=3)
        made = _grow(make, w, materials, ratings)
        login_as(w.student if page == "material-learner" else w.author)
        if page == "material-learner":
            make.rating(made[0], w.student, overall=3)
        url = (
            f"/curricula/proposals/{w.curriculum.id}/feedback"
            if page == "summary"
            else f"/curricula/materials/{made[0].id}"
        )
        db.session.expire_all()
        with count_queries() as n:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(n())
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12, counts
