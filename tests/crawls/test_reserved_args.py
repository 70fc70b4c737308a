"""No query string makes a page fail: reserved and unknown argument names on every GET route, as
every role that may open it (issue 15 point 1; QUALITY.md G10).

A page that passes its query arguments on to ``url_for`` (pagination, filters, exports) would take
``?endpoint=x`` for ``url_for``'s own argument, ``?_method=POST`` for the method to build for and
``?fmt=x`` for the export format it sets itself: each answered 500. Every GET rule of the URL map is
opened with those names (and the rule's own URL argument names) in the query string, once with all
of them together as each role whose policy lets it in, and with each of ``url_for``'s own names
alone as the first of those roles (one name must not hide another behind a 400).
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

#: ``url_for``'s keywords, names the portal's links set themselves, and names no page reads, with
#: the value each is sent with (a method for ``_method``, junk for the others).
RESERVED = {"_method": "POST", "endpoint": "x", "values": "x", "_anchor": "x", "_external": "x",
            "_scheme": "javascript", "fmt": "x", "page": "x", "lang": "x", "next": "//evil.example",
            "q": "x", "zz-unknown": "x", "": "x", "_": "x"}  # fmt: skip
#: Sent alone as well: the names that collide with ``url_for``'s arguments.
ALONE = ["_method", "endpoint", "values", "_scheme", "fmt"]

#: Downloads of large generated files: the file is the same whatever the query string.
SKIP = {"static", "bootstrap.static", "roster.template"}


def _get_rules():
    from portal import create_app
    from tests.support.app import make_test_config

    app = create_app(make_test_config("sqlite://"))
    rules = {}
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint not in SKIP:
            rules.setdefault(rule.endpoint.split(".")[0], []).append((rule.rule, rule.endpoint))
    return {bp: sorted(rows) for bp, rows in rules.items()}


BLUEPRINTS = _get_rules()


def _queries(rule, first: bool) -> list[list[tuple[str, str]]]:
    """All names together; for the ``first`` role, each of ALONE and of the rule's own argument
    names alone too."""
    together = [*RESERVED.items(), *((name, "x") for name in sorted(rule.arguments))]
    queries = [together]
    if first:
        queries += [[(name, RESERVED.get(name, "x"))] for name in ALONE + sorted(rule.arguments)]
    return queries


def _roles(policy) -> list:
    if ANONYMOUS_ONLY in policy.audience:
        return [None]
    return [role for role in ROLES if policy.allows(role.value if role else None, owner="own")]


@pytest.mark.parametrize("blueprint", sorted(BLUEPRINTS))
def test_reserved_and_unknown_query_arguments_never_fail(app, db, login_as, world, blueprint):
    policies = collect_policies(app)
    url_rules = {(r.rule, r.endpoint): r for r in app.url_map.iter_rules()}
    connection = db.session.connection()
    problems = []
    for rule_text, endpoint in BLUEPRINTS[blueprint]:
        rule = url_rules[(rule_text, endpoint)]
        limiter.reset()
        for i, role in enumerate(_roles(policies[endpoint])):
            client = app.test_client()
            if role is not None:
                login_as(world.users[role], c=client)
            url = url_for_rule(app, rule, world, "own", role=role)
            for query in _queries(rule, first=i == 0):
                with undone(connection):
                    response = client.get(url, query_string=query)
                    response.close()
                if response.status_code >= 500:
                    who = role.value if role else "anonymous"
                    problems.append(f"GET {url}?{query} as {who}: {response.status_code}")
                    break  # one failure per page and role is enough to read
    assert problems == []
