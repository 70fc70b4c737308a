"""Every endpoint × role × own/other object against the declared policy (QUALITY.md G1, G2).

The policy lives on the views (``portal.access.allow``); this test reads ``app.url_map`` so a new
endpoint without a policy fails here, and a view that lets the wrong role in fails too. The
objects and URL arguments come from ``tests/world.py`` (own and other variants; invalid tokens).
"""

from __future__ import annotations

import pytest

from portal.access import ANONYMOUS_ONLY, collect_policies
from portal.auth.models import Role
from tests.world import url_for_rule

ROLES = [None, Role.ADMIN, Role.UNIVERSITY, Role.MENTOR, Role.STUDENT, Role.ASN]
OWNERS = ["own", "other"]
METHODS = ["GET", "POST"]


def _rules():
    from portal import create_app
    from tests.conftest import make_test_config

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


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize(("rule", "endpoint", "method"), RULES, ids=str)
def test_access_matrix(app, client, login_as, world, rule, endpoint, method, role, owner):
    policy = collect_policies(app)[endpoint]
    if role is not None:
        login_as(world.users[role])
    url_rule = next(r for r in app.url_map.iter_rules() if (r.rule, r.endpoint) == (rule, endpoint))
    url = url_for_rule(app, url_rule, world, owner, role=role)
    response = client.get(url) if method == "GET" else client.post(url, data={})
    response.close()
    status, location = response.status_code, response.headers.get("Location", "")
    assert status < 500, f"{method} {url} as {role}: server error {status}"

    if role is not None and ANONYMOUS_ONLY in policy.audience:
        # Sign-in and registration send a signed-in user on to the dashboard.
        assert status == 302 and location.endswith("/dashboard"), (status, location)
    elif policy.allows(role.value if role else None, owner=owner):
        assert status not in (401, 403, 404), f"{method} {url} as {role} ({owner}) was refused"
        assert "/login" not in location or endpoint == "auth.logout", (status, location)
    elif role is None:
        assert status == 302 and "/login" in location, (status, location)
    else:
        assert status in (403, 404), f"{method} {url} as {role} ({owner}) was let through: {status}"
