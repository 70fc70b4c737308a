"""``may_reach``, the coarse check templates and views ask before showing a link, says what the
``@allow`` wrapper does for every endpoint and every role (issue 15 point 9). No request is made:
the wrapper itself is checked against the policies by tests/crawls/test_access_matrix.py."""

from __future__ import annotations

from itertools import combinations
from types import SimpleNamespace

import pytest
from flask_login import login_user

from portal.access import ANONYMOUS_ONLY, PUBLIC, collect_policies, may_reach
from portal.auth.models import Role

ROLE_SETS = [frozenset(c) for n in (1, 2) for c in combinations(Role, n)]


def person(roles) -> SimpleNamespace:
    return SimpleNamespace(is_authenticated=True, roles=set(roles))


@pytest.mark.parametrize("roles", ROLE_SETS, ids=lambda r: "+".join(sorted(r)))
def test_it_agrees_with_the_policy_of_every_endpoint(app, roles):
    with app.test_request_context():
        policies = collect_policies(app)
        wrong = [
            endpoint
            for endpoint in app.view_functions
            if may_reach(endpoint, person(roles))
            != any(policies[endpoint].allows(role) for role in roles)
        ]
    assert wrong == []


def test_a_visitor_reaches_the_public_pages_only(app):
    visitor = SimpleNamespace(is_authenticated=False, roles=set())
    with app.test_request_context():
        policies = collect_policies(app)
        for endpoint in app.view_functions:
            audience = policies[endpoint].audience
            expected = bool({PUBLIC, ANONYMOUS_ONLY} & audience)
            assert may_reach(endpoint, visitor) == expected, endpoint


def test_an_unknown_endpoint_is_not_reached(app):
    with app.test_request_context():
        assert not may_reach("no.such_endpoint", person({Role.ADMIN}))


def test_templates_ask_it_for_the_signed_in_user(app, make):
    """The Jinja global reads ``current_user`` when no user is given."""
    admin = make.user(Role.ADMIN)
    template = app.jinja_env.from_string(
        "{{ may_reach('trainings.my_trainings') }} {{ may_reach('admin.users') }}"
    )
    with app.test_request_context():
        assert template.render() == "False False"  # nobody is signed in yet
        login_user(admin)
        assert template.render() == "False True"
