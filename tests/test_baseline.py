"""The benchmark baselines B0 and B1 (issue 8, QUALITY.md §(d)): the base layout and nothing else.

``make bench`` divides every page's throughput by B1's, so B1 must cost exactly what every
signed-in page pays and no more: the user load (the user and their roles) and the navigation's
unread count.
"""

from __future__ import annotations

from portal.auth.models import Role
from tests.support.pages import text

B0 = "/_baseline/anonymous"
B1 = "/_baseline/signed-in"


def test_b0_renders_the_base_layout_for_an_anonymous_visitor_without_queries(client, count_queries):
    with count_queries() as n:
        response = client.get(B0, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    body = text(response)
    assert "<h1" in body and "Baseline" in body
    assert "Sinergi Pemko Medan" in body  # the title block of base.html
    assert 'href="/login"' in body  # the anonymous navigation
    assert n() == 0


def test_b1_needs_a_signed_in_user(client):
    response = client.get(B1)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_b1_renders_the_base_layout_for_a_signed_in_user_in_at_most_three_queries(
    client, make, login_as, count_queries
):
    user = make.user(Role.STUDENT, full_name="Dinda Baseline", locale="en")
    login_as(user)
    with count_queries() as n:
        response = client.get(B1)
    assert response.status_code == 200
    body = text(response)
    assert "Baseline" in body
    assert "Dinda Baseline" in body  # the signed-in navigation shows the user
    assert 1 <= n() <= 3  # the user, their roles (selectinload), the unread count


def test_b1_is_the_same_page_for_every_role(client, make, login_as):
    for role in (Role.ADMIN, Role.UNIVERSITY, Role.MENTOR, Role.ASN):
        login_as(make.user(role, locale="en"))
        response = client.get(B1)
        assert response.status_code == 200
        assert "Baseline" in text(response)
