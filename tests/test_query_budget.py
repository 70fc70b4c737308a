"""Pages load what they show in a fixed number of queries, whatever the number of rows (P4)."""

from __future__ import annotations

import pytest

from portal.auth.models import AccountStatus, Role

BUDGET = 12


def _grow(make, uni, opd, n: int) -> None:
    for _ in range(n):
        make.user(Role.STUDENT, university=uni, status=AccountStatus.PENDING)
        make.user(Role.ASN, Role.MENTOR, agency=opd)
        make.university()
        make.agency()


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/", None),
        ("/login", None),
        ("/register", None),
        ("/dashboard", Role.ADMIN),
        ("/dashboard", Role.UNIVERSITY),
        ("/dashboard", Role.STUDENT),
        ("/dashboard", Role.ASN),
        ("/admin/users", Role.ADMIN),
        ("/admin/universities", Role.ADMIN),
        ("/admin/agencies", Role.ADMIN),
        ("/admin/audit", Role.ADMIN),
        ("/verifications", Role.UNIVERSITY),
        ("/account", Role.ASN),
    ],
)
def test_query_count_is_small_and_independent_of_rows(
    client, make, login_as, count_queries, url, role
):
    uni, opd = make.university(), make.agency()
    users = {
        Role.ADMIN: make.user(Role.ADMIN),
        Role.UNIVERSITY: make.user(Role.UNIVERSITY, university=uni),
        Role.STUDENT: make.user(Role.STUDENT, university=uni),
        Role.ASN: make.user(Role.ASN, agency=opd),
    }
    if role is not None:
        login_as(users[role])

    counts = []
    for extra in (2, 15):
        _grow(make, uni, opd, extra)
        with count_queries() as n:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(n())
    assert counts[0] <= BUDGET, f"{url}: {counts[0]} queries"
    if role is not None:  # the signed-in user is loaded: the counter does see the queries
        assert counts[0] >= 1
    assert counts[0] == counts[1], f"{url}: {counts} queries with 2 and 15 extra rows of each kind"
