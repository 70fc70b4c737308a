"""CSRF (G6): every POST rule refuses a request without a token and changes nothing (the same
request with a token does change something); a GET crawl changes nothing. The valid request of
every POST route is in tests/support/post_cases/ (the fuzz suite sends them too)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from portal.extensions import limiter
from tests.support.db import undone
from tests.support.post_cases import CASE_GROUPS, POST_CASES, SPECIAL_POST, roster_csv
from tests.support.security import (
    CSRF_MESSAGE,
    ROLES,
    get_urls,
    refused_without_token,
    snapshot,
)

#: The verdict cannot depend on the database: SQLite only, unless PORTAL_TEST_ALL_DATABASES=1
#: (tests/support/lanes.py).
pytestmark = pytest.mark.db_independent

# =================================================================================================
# G6: CSRF on every POST rule; no state change on GET
# =================================================================================================


def test_every_post_rule_has_a_csrf_case(app):
    """A new POST route fails here until it is added to ``POST_CASES`` (or ``SPECIAL_POST``)."""
    posting = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    }
    assert posting == set(POST_CASES) | SPECIAL_POST


def test_roster_upload_without_csrf_token_is_refused_and_stores_nothing(app, world, client_as):
    imports = Path(app.config["UPLOAD_FOLDER"]) / "imports"
    before = set(imports.glob("*")) if imports.exists() else set()
    c = client_as("admin")
    r = c.post(
        "/admin/roster/",
        data={"roster": (io.BytesIO(roster_csv(world)), "r.csv")},
        content_type="multipart/form-data",
        csrf=False,
    )
    assert r.status_code == 400 and CSRF_MESSAGE in r.get_data(as_text=True)
    assert (set(imports.glob("*")) if imports.exists() else set()) == before
    # the control: with the token the preview appears
    r = c.post(
        "/admin/roster/",
        data={"roster": (io.BytesIO(roster_csv(world)), "r.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 200 and "Pegawai Baru" in r.get_data(as_text=True)


@pytest.mark.parametrize("blueprint", sorted(CASE_GROUPS))
def test_post_without_csrf_token_is_refused_and_changes_nothing(
    blueprint, app, world, client_as, db
):
    connection = db.session.connection()
    for endpoint in CASE_GROUPS[blueprint]:
        limiter.reset()
        with undone(connection):
            refused_without_token(endpoint, POST_CASES[endpoint], world, client_as, db)


@pytest.mark.parametrize("role", ROLES)
def test_get_requests_change_nothing(role, app, world, client_as, db):
    c = client_as(role)
    before = snapshot(db)
    for url in get_urls(app, world):
        r = c.get(url, query_string={"lang": "en", "next": "/dashboard", "page": "2", "q": "x"})
        try:
            assert r.status_code < 500, f"{url}: {r.status_code}"
        finally:
            r.close()
    assert snapshot(db) == before


def test_sign_out_by_get_is_refused(client_as):
    c = client_as("asn")
    assert c.get("/logout").status_code == 405
    assert c.get("/dashboard").status_code == 200
