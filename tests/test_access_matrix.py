"""Every endpoint × role × own/other object against the declared policy (QUALITY.md G1, G2).

The policy lives on the views (``portal.access.allow``); this test reads ``app.url_map`` so a new
endpoint without a policy fails here, and a view that lets the wrong role in fails too.
"""

from __future__ import annotations

import pytest

from portal.access import ANONYMOUS_ONLY, collect_policies
from portal.auth.models import AccountStatus, Role

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


@pytest.fixture
def world(make):
    """Two institutions of each kind and two users of every role, at different institutions."""
    uni_a, uni_b = make.university(), make.university()
    opd_a, opd_b = make.agency(), make.agency()
    users = {
        Role.ADMIN: make.user(Role.ADMIN),
        Role.UNIVERSITY: make.user(Role.UNIVERSITY, university=uni_a),
        Role.MENTOR: make.user(Role.MENTOR, agency=opd_a),
        Role.STUDENT: make.user(Role.STUDENT, university=uni_a),
        Role.ASN: make.user(Role.ASN, agency=opd_a),
    }
    others = {
        Role.UNIVERSITY: make.user(Role.UNIVERSITY, university=uni_b),
        Role.ASN: make.user(Role.ASN, agency=opd_b),
    }
    pending = {
        "own": make.user(Role.STUDENT, university=uni_a, status=AccountStatus.PENDING),
        "other": make.user(Role.STUDENT, university=uni_b, status=AccountStatus.PENDING),
    }
    # Competency records: the ASN user supervises a report ("own"); ASN B elsewhere is "other".
    competency = make.competency(agency=opd_a)
    position = make.position(agency=opd_a, competencies=[competency])
    boss = make.asn_profile(users[Role.ASN], position=position)
    report = make.asn_profile(make.user(Role.ASN, agency=opd_a), position=position, supervisor=boss)
    stranger = make.asn_profile(others[Role.ASN], position=make.position(agency=opd_b))
    activities = {
        "own": make.plan_activity(boss, competency),
        "other": make.plan_activity(stranger, competency),
        "report": make.plan_activity(report, competency),
    }
    assessments = {
        "own": make.assessment_with_report(report, competency),
        "other": make.assessment_with_report(stranger, competency),
    }
    return {
        "assessment": assessments,
        "activity": activities,
        "users": users, "others": others, "pending": pending, "uni": uni_a, "opd": opd_a,
        "asn": {"own": report, "other": stranger}, "competency": competency, "position": position,
    }  # fmt: skip


def _url(app, rule: str, endpoint: str, owner: str, world) -> str:
    values = {}
    adapter_rule = next(r for r in app.url_map.iter_rules() if r.rule == rule)
    for arg in adapter_rule.arguments:
        if arg == "filename":
            values[arg] = (
                "css/bootstrap.min.css" if endpoint == "bootstrap.static" else "css/portal.css"
            )
        elif arg == "token":
            values[arg] = "not-a-valid-token"
        elif arg == "obj_id":
            values[arg] = (world["uni"] if "universities" in endpoint else world["opd"]).id
        elif arg == "assessment_id":
            values[arg] = world["assessment"][owner].id
        elif arg == "activity_id":
            values[arg] = world["activity"][owner].id
        elif arg == "fmt":
            values[arg] = "csv"
        elif arg == "asn_id":
            values[arg] = world["asn"][owner].id
        elif arg == "competency_id":
            values[arg] = world["competency"].id
        elif arg == "position_id":
            values[arg] = world["position"].id
        elif arg == "user_id":
            if endpoint.startswith("auth."):
                values[arg] = world["pending"][owner].id
            else:
                values[arg] = world["others"][Role.ASN].id
        else:
            raise AssertionError(f"the matrix does not know how to fill <{arg}> of {rule}")
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize(("rule", "endpoint", "method"), RULES, ids=str)
def test_access_matrix(app, client, login_as, world, rule, endpoint, method, role, owner):
    policy = collect_policies(app)[endpoint]
    if role is not None:
        login_as(world["users"][role])
    url = _url(app, rule, endpoint, owner, world)
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
