"""The page walk of tests/crawls/test_page_query_budget.py: which pages, for which roles, and how many
queries each request sends."""

from __future__ import annotations

import re

from portal.access import ANONYMOUS_ONLY, collect_policies
from portal.auth.models import Role
from portal.extensions import limiter
from tests.support.db import undone
from tests.support.worlds.crawl_urls import FILE_DOWNLOADS, url_for_rule

BUDGET = 12
#: a rule naming a file (``/admin/roster/template.xlsx``): a download, not a page
_FILE = re.compile(r"\.[a-z]+$")
ROLES = [None, Role.ADMIN, Role.UNIVERSITY, Role.MENTOR, Role.STUDENT, Role.ASN]

#: Reviewed exceptions: endpoint -> (queries it may send, why it cannot do with 12 yet).
KNOWN_OVER: dict[str, tuple[int, str]] = {}

#: Lists that must get longer when the world grows (so the walk does count them at two sizes).
GROWING = {
    ("admin.users", "admin"), ("auth.verifications", "university"),
    ("competency_admin.list_asn", "admin"), ("curricula.catalogue", "visitor"),
    ("curricula.flag_queue", "university"), ("curricula.proposal", "university"),
    ("internships.placement", "student"), ("internships.university_queue", "university"),
    ("internships.positions", "visitor"), ("internships.my_applications", "student"),
    ("main.notifications", "asn"), ("privacy.request_queue", "admin"),
    ("trainings.batch", "asn"), ("trainings.batches", "asn"), ("trainings.my_trainings", "asn"),
    ("trainings.my_ledger", "asn"), ("competency.report_plan", "asn"),
}  # fmt: skip


def _pages() -> dict[str, list[tuple[str, object]]]:
    """The GET endpoints that render a page, by blueprint: (endpoint, rule)."""
    from portal import create_app
    from tests.support.app import make_test_config

    app = create_app(make_test_config("sqlite://"))
    groups: dict[str, list] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        blueprint = rule.endpoint.split(".")[0]
        if "GET" not in rule.methods or blueprint in ("static", "bootstrap"):
            continue
        if "fmt" in rule.arguments or rule.endpoint in FILE_DOWNLOADS or _FILE.search(rule.rule):
            continue
        groups.setdefault(blueprint, []).append((rule.endpoint, rule.rule))
    return groups


PAGES = _pages()


def roles_let_in(policy) -> list:
    """The roles (None: a visitor) the policy lets onto an own object's page; a signed-in user
    is only sent on from sign-in pages, so those are walked for the visitor only."""
    if ANONYMOUS_ONLY in policy.audience:
        return [None]
    return [role for role in ROLES if policy.allows(role.value if role else None, owner="own")]


def measure_pages(app, db, login_as, count_queries, world, pages) -> dict:
    """``{(endpoint, role name): (status, queries, length of the body)}`` for every page × role
    let in; each request runs in a savepoint that is rolled back."""
    policies = collect_policies(app)
    rules = {(r.endpoint, r.rule): r for r in app.url_map.iter_rules()}
    connection = db.session.connection()
    found = {}
    for endpoint, rule in pages:
        limiter.reset()
        for role in roles_let_in(policies[endpoint]):
            with undone(connection):
                client = app.test_client()
                if role is not None:
                    login_as(world.users[role], c=client)
                url = url_for_rule(
                    app, rules[(endpoint, rule)], world, "own", role=role, real_tokens=True
                )
                db.session.expire_all()
                with count_queries() as n:
                    response = client.get(url)
                response.close()
                key = (endpoint, role.value if role else "visitor")
                found[key] = (response.status_code, n(), len(response.get_data()))
    return found
