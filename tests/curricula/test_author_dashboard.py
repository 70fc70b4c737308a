"""The authors' panel on the dashboard: their curricula by state, open reports, and materials
that need improvement (an average below 3.0 over at least 5 ratings)."""

from __future__ import annotations

from portal.auth.models import Role
from portal.curricula.models import CurriculumState


def _published_with_ratings(make, scores):
    author = make.user(Role.UNIVERSITY, locale="en")
    cur = make.curriculum(author.university, author=author, state=CurriculumState.PUBLISHED)
    material = make.material(cur.modules[0], title="Slide SPBE")
    for score in scores:
        make.rating(material, make.user(Role.ASN), overall=score)
    return author, material


def test_a_weak_material_is_marked_on_its_authors_dashboard(client, login_as, make):
    author, material = _published_with_ratings(make, [2, 2, 3, 3, 4])  # 2.8 over 5
    make.flag(material, make.user(Role.STUDENT))
    login_as(author)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "My curricula" in page and "Published: <strong>1</strong>" in page
    assert "Needs improvement" in page and f"/curricula/materials/{material.id}" in page
    assert "1 problem report on your materials is open." in page


def test_four_ratings_are_not_enough_to_mark_a_material(client, login_as, make):
    author, _material = _published_with_ratings(make, [1, 1, 1, 1])
    login_as(author)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "My curricula" in page and "Needs improvement" not in page


def test_people_who_author_nothing_see_no_panel(client, login_as, make):
    login_as(make.user(Role.UNIVERSITY, locale="en"))
    assert "My curricula" not in client.get("/dashboard").get_data(as_text=True)
