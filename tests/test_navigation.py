"""The navigation shows each role only what it may use, and every link it shows opens."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from portal.auth.models import Role
from portal.templating import nav_items

NAV = re.compile(r'<nav class="navbar.*?</nav>', re.S)


def _nav_links(html: str) -> set[str]:
    nav = NAV.search(html)
    assert nav, "no main navigation on the page"
    return set(re.findall(r'href="(/[^"]*)"', nav.group(0)))


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_navigation_matches_the_role(app, client, make, login_as, role):
    user = make.user(role)
    login_as(user)
    links = _nav_links(client.get("/dashboard").get_data(as_text=True))
    with app.test_request_context():
        from flask import url_for

        expected = {url_for(item.endpoint) for item in nav_items() if item.visible_to(user)}
        hidden = {url_for(item.endpoint) for item in nav_items()} - expected
    assert expected <= links
    assert not (hidden & links), f"{role.value} sees links it may not use: {hidden & links}"
    for url in expected:
        assert client.get(url, follow_redirects=True).status_code == 200, url


def test_visitors_see_sign_in_and_register_only(client):
    links = _nav_links(client.get("/").get_data(as_text=True))
    assert {"/login", "/register"} <= links
    assert not {"/dashboard", "/admin/users", "/verifications"} & links


def test_student_navigation_has_no_admin_or_university_pages(client, make, login_as):
    login_as(make.user(Role.STUDENT))
    links = _nav_links(client.get("/dashboard").get_data(as_text=True))
    assert "/dashboard" in links
    assert not {"/admin/users", "/admin/universities", "/admin/audit", "/verifications"} & links


@pytest.mark.parametrize("locale", ["id", "en"])
def test_no_two_pages_share_a_menu_label(app, locale):
    """Two different pages never carry the same name in the menu (issue 17, point 9: "Usulan
    penghargaan" named both the award nominations and the recognition proposals)."""
    with app.test_request_context(), force_locale(locale):
        pages_by_label: dict[str, set[str]] = {}
        for item in nav_items():
            pages_by_label.setdefault(str(item.title), set()).add(item.endpoint)
    shared = {label: pages for label, pages in pages_by_label.items() if len(pages) > 1}
    assert shared == {}
