"""Every endpoint × role × own/other object against the declared policy (QUALITY.md G1, G2).

The policy lives on the views (``portal.access.allow``); this test reads ``app.url_map`` so a new
endpoint without a policy fails here, and a view that lets the wrong role in fails too. The
objects come from ``tests/support/worlds/crawl.py`` (own and other variants), the URL arguments
from ``tests/support/worlds/crawl_urls.py`` (invalid tokens too).
"""

from __future__ import annotations

import pytest

from portal.access import ANONYMOUS_ONLY, collect_policies
from portal.auth.models import Role
from portal.extensions import limiter
from tests.support.db import undone
from tests.support.worlds.crawl_urls import url_for_rule

#: The verdict cannot depend on the database: SQLite only, unless PORTAL_TEST_ALL_DATABASES=1
#: (tests/support/lanes.py).
pytestmark = pytest.mark.db_independent

ROLES = [None, Role.ADMIN, Role.UNIVERSITY, Role.MENTOR, Role.STUDENT, Role.ASN]
OWNERS = ["own", "other"]
METHODS = ["GET", "POST"]


def _rules():
    from portal import create_app
    from tests.support.app import make_test_config

    app = create_app(make_test_config("sqlite://"))
    rows = []
    for rule in app.url_map.iter_rules():
        for method in METHODS:
            if method in rule.methods:
                rows.append((rule.rule, rule.endpoint, method))
    return sorted(rows)


RULES = _rules()


def test_every_endpoint_has_a_policy(app):
    policies = collect_policies(app)
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - policies.keys())
    assert missing == [], f"endpoints without a declared access policy: {missing}"


def _verdict(policy, endpoint, method, url, role, owner, status, location) -> str | None:
    """What is wrong with this answer, or None when it follows the declared policy."""
    who = f"{method} {url} as {role.value if role else 'anonymous'} ({owner})"
    if status >= 500:
        return f"{who}: server error {status}"
    if role is not None and ANONYMOUS_ONLY in policy.audience:
        # Sign-in and registration send a signed-in user on to the dashboard.
        if not (status == 302 and location.endswith("/dashboard")):
            return f"{who}: expected a redirect to the dashboard, got {status} {location}"
    elif policy.allows(role.value if role else None, owner=owner):
        if status in (401, 403, 404):
            return f"{who} was refused ({status})"
        if "/login" in location and endpoint != "auth.logout":
            return f"{who} was sent to sign in"
    elif role is None:
        if not (status == 302 and "/login" in location):
            return f"{who}: expected a redirect to sign in, got {status} {location}"
    elif status not in (403, 404):
        return f"{who} was let through: {status}"
    return None


def _by_blueprint(rules) -> dict[str, list[tuple[str, str, str]]]:
    groups: dict[str, list] = {}
    for row in rules:
        groups.setdefault(row[1].split(".")[0], []).append(row)
    return groups


BLUEPRINTS = _by_blueprint(RULES)


@pytest.mark.parametrize("blueprint", sorted(BLUEPRINTS))
def test_access_matrix(app, db, login_as, world, blueprint):
    """One world per blueprint; every endpoint × role × own/other request runs inside a savepoint
    that is rolled back, so each sees the same world (a POST by one cannot change the next one's).
    The failure lists every request that broke the policy."""
    policies = collect_policies(app)
    url_rules = {(r.rule, r.endpoint): r for r in app.url_map.iter_rules()}
    connection = db.session.connection()
    problems = []
    for rule, endpoint, method in BLUEPRINTS[blueprint]:
        policy, url_rule = policies[endpoint], url_rules[(rule, endpoint)]
        limiter.reset()  # each endpoint starts with fresh rate limits, as in a test of its own
        for role in ROLES:
            for owner in OWNERS:
                with undone(connection):
                    client = app.test_client()
                    if role is not None:
                        login_as(world.users[role], c=client)
                    url = url_for_rule(app, url_rule, world, owner, role=role)
                    response = client.get(url) if method == "GET" else client.post(url, data={})
                    response.close()
                    problem = _verdict(
                        policy,
                        endpoint,
                        method,
                        url,
                        role,
                        owner,
                        response.status_code,
                        response.headers.get("Location", ""),
                    )
                if problem:
                    problems.append(problem)
    assert problems == []
