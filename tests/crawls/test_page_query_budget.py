"""Every page of the URL map renders in at most 12 queries, and in the same number when the
world holds more rows of every kind (QUALITY.md P4, P5; issue 8 "Query budgets").

The walk reads ``app.url_map`` like the access matrix (tests/crawls/test_access_matrix.py): every GET
endpoint (but static files, file downloads and exports) for every role its access policy lets in,
on the world of tests/support/worlds/crawl.py. One world per blueprint; each request runs in a savepoint that
is rolled back. The world then grows (tests/support/worlds/crawl_growth.py) and every page is counted again.
The lazy-load guard of tests/conftest.py stays on, and the signed-in user's load is counted.
"""

from __future__ import annotations

import pytest

from tests.support.query_budget import BUDGET, GROWING, KNOWN_OVER, PAGES, measure_pages
from tests.support.worlds.crawl_growth import grow_world

#: how many more rows of each kind the grown world holds
GROWTH = 3


@pytest.mark.parametrize("blueprint", sorted(PAGES))
def test_pages_keep_their_query_budget(app, db, make, login_as, count_queries, world, blueprint):
    small = measure_pages(app, db, login_as, count_queries, world, PAGES[blueprint])
    grow_world(make, world, GROWTH)
    big = measure_pages(app, db, login_as, count_queries, world, PAGES[blueprint])
    problems = []
    for key, (status, count, size) in small.items():
        big_status, big_count, big_size = big[key]
        budget = KNOWN_OVER.get(key[0], (BUDGET, ""))[0]
        if status >= 400 or big_status >= 400:
            problems.append(f"{key}: status {status} / {big_status}")
        if key[1] != "visitor" and count < 1:  # the signed-in user is loaded: the counter sees it
            problems.append(f"{key}: no query counted")
        if count > budget:
            problems.append(f"{key}: {count} queries (budget {budget})")
        if count != big_count:
            problems.append(f"{key}: {count} queries, {big_count} with {GROWTH} more of each row")
        if key in GROWING and big_size <= size:
            problems.append(f"{key}: the grown world does not show on the page ({size} bytes)")
    assert not problems, "\n".join(problems)


def test_the_allow_list_names_real_pages_and_stays_short():
    """Every page allowed over 12 exists, says why, and is within 50% of the budget; every
    list expected to grow is a walked page."""
    endpoints = {endpoint for pages in PAGES.values() for endpoint, _rule in pages}
    assert {endpoint for endpoint, _role in GROWING} <= endpoints
    for endpoint, (count, reason) in KNOWN_OVER.items():
        assert endpoint in endpoints, endpoint
        assert BUDGET < count <= BUDGET * 3 // 2 and reason, endpoint
