"""The guidance, evaluation and certificate endpoints × every role × own/other object against
their declared policies (the rule of tests/crawls/test_access_matrix.py, on the world of tests/support/worlds/crawl.py
plus ``add_guidance_world``), GET and an empty POST."""

from __future__ import annotations

import pytest

from portal.access import collect_policies
from portal.auth.models import Role
from tests.internships.guidance_support import add_guidance_world

ENDPOINTS = (
    "internships.new_session", "internships.edit_session", "internships.session",
    "internships.session_action", "internships.mentor_sessions", "internships.export_sessions",
    "internships.evaluate", "internships.academic_score", "internships.student_feedback",
    "internships.rubric", "internships.mentor_feedback_summary", "internships.feedback_report",
    "certificates.verify", "certificates.download",
)  # fmt: skip
ROLES = [None, Role.ADMIN, Role.UNIVERSITY, Role.MENTOR, Role.STUDENT, Role.ASN]


def _args(w, rule, owner, role) -> dict:
    values = {}
    for arg in rule.arguments:
        if arg == "placement_id":
            values[arg] = w.placement_e3[owner].id
        elif arg == "session_id":
            values[arg] = w.guidance_session[owner].id
        elif arg == "number":
            values[arg] = w.certificate["student"].number
        elif arg == "certificate_id":
            key = "other" if owner == "other" else ("asn" if role == Role.ASN else "student")
            values[arg] = w.certificate[key].id
        elif arg == "fmt":
            values[arg] = "csv"
    return values


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_policies_hold_for_every_role(app, client, login_as, world, make, endpoint):
    from flask import url_for

    add_guidance_world(world, make, make.internships)
    policy = collect_policies(app)[endpoint]
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    for role in ROLES:
        for owner in ("own", "other"):
            c = app.test_client()  # a fresh browser for each role and object
            if role is not None:
                login_as(world.users[role], c)
            with app.test_request_context():
                url = url_for(endpoint, **_args(world, rule, owner, role))
            for method in sorted({"GET", "POST"} & rule.methods):
                r = c.get(url) if method == "GET" else c.post(url, data={})
                status, where = r.status_code, r.headers.get("Location", "")
                label = f"{method} {url} as {role} ({owner}): {status}"
                assert status < 500, label
                if policy.allows(role.value if role else None, owner=owner):
                    assert status not in (401, 403, 404) and "/login" not in where, label
                elif role is None:
                    assert status == 302 and "/login" in where, label
                else:
                    assert status in (403, 404), label
