"""The markup every form shares (issue 15 points 10 and 11): one error summary at the top of a
form that failed validation, linking to each field; no repeated ``csrf_token`` id on a page of
several forms; no empty ``action``; ``required`` only on a select that has an empty first option;
``autocomplete="name"`` on name fields; each language named in its own language."""

from __future__ import annotations

import re

import pytest

from portal.auth.models import Role
from tests.support.pages import text
from tests.support.worlds import module_world

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


def _build(make):
    uni = make.university(name="Universitas Negeri Medan", short_name="UNIMED")
    return {"uni": uni, "asn": make.user(Role.ASN, full_name="Yusuf Ginting")}


markup_world = module_world(_build)


def _summary(html: str) -> str | None:
    found = re.search(r'<div class="alert alert-danger error-summary"[^>]*>(.*?)</div>', html, re.S)
    return found.group(1) if found else None


def test_a_form_that_failed_shows_one_summary_linking_to_each_field(client, markup_world):
    r = client.post("/register", data={"email": "not-an-e-mail", "full_name": ""})

    html = text(r)
    summary = _summary(html)
    assert summary is not None, "no error summary on the page"
    assert html.index("error-summary") < html.index('id="email"'), "the summary comes first"
    links = dict(re.findall(r'<a href="#([\w-]+)">([^<]*)</a>', summary))
    assert links["email"].startswith("E-mail: ")
    assert links["full_name"] == "Full name: This field is required."
    for field_id in links:  # every link leads to a field of the page
        assert f'id="{field_id}"' in html
    assert "Please correct" in summary


def test_a_form_shown_for_the_first_time_has_no_summary(client, markup_world):
    assert _summary(text(client.get("/register"))) is None


def test_no_csrf_token_id_and_no_empty_action(client, login_as, markup_world):
    pages = [text(client.get("/register"))]
    login_as(markup_world["asn"])
    pages += [text(client.get(url)) for url in ("/account", "/dashboard")]
    for url, html in zip(("/register", "/account", "/dashboard"), pages, strict=True):
        assert 'id="csrf_token"' not in html, url
        assert 'action=""' not in html, url
        assert 'name="csrf_token"' in html or url == "/dashboard", url


def test_required_only_on_selects_with_an_empty_first_option(client, login_as, markup_world):
    """A select whose first option is a real value (``0`` = "Choose your university" included)
    always sends a value: it says it is required with ``aria-required``, not ``required``."""
    pages = [text(client.get("/register"))]
    login_as(markup_world["asn"])
    pages.append(text(client.get("/account")))
    selects = [
        (m.group(1), m.group(2))
        for html in pages
        for m in re.finditer(r'(<select[^>]*>)\s*<option[^>]*value="([^"]*)"', html)
    ]
    assert len(selects) >= 2
    for tag, first_value in selects:
        if first_value != "":
            assert " required" not in tag, tag
    assert any('aria-required="true"' in tag for tag, _v in selects)


def test_name_fields_autocomplete_and_languages_named_in_their_language(
    client, login_as, markup_world
):
    register = text(client.get("/register"))
    assert re.search(r'<input[^>]*autocomplete="name"[^>]*name="full_name"', register)
    login_as(markup_world["asn"])
    account = text(client.get("/account"))
    assert re.search(r'<input[^>]*autocomplete="name"[^>]*name="full_name"', account)
    assert re.search(r'<option lang="en"[^>]*value="en"[^>]*>English</option>', account)
    assert re.search(r'<option lang="id"[^>]*value="id"[^>]*>Bahasa Indonesia</option>', account)
