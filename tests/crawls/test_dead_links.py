"""No link leads nowhere: every link on every page a demo user reaches answers that user with a
page, a download or a redirect, never 403, 404 or 5xx (issue 15 point 9).

A link is shown only when its target would let the viewer in (the template asks the predicate the
route asks). The crawl signs in as one demo person of every role (the demo holds records in every
state: open and closed tests, placements, batches with attendance), starts at the dashboard and
follows links breadth-first; it follows the links of at most ``PAGES_PER_ENDPOINT`` pages of each
endpoint (a list's tenth detail page shows the same links as its first) and of any further page
that links to an endpoint no page of its endpoint linked to before (the one batch page of the
demo whose viewer has a test to take), and checks the status of every distinct link on
the pages it follows. About 1,900 requests for the nine people.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from portal.auth.models import User
from portal.db import db as _db
from tests.support.site_crawl import DEMO_PEOPLE as PEOPLE
from tests.support.site_crawl import NOT_FOLLOWED, links

#: The verdict cannot depend on the database: SQLite only, unless PORTAL_TEST_ALL_DATABASES=1
#: (tests/support/lanes.py).
pytestmark = pytest.mark.db_independent

PAGES_PER_ENDPOINT = 2


@pytest.fixture(scope="module")
def app(demo_app):
    return demo_app


def crawl(app, client) -> tuple[list[str], int]:
    """The dead links found (one line each) and the number of requests made.

    Every distinct link is requested once. A page's own links are followed when it is one of the
    first ``PAGES_PER_ENDPOINT`` pages of its endpoint, or when it links to an endpoint that no
    page of its endpoint followed so far linked to (the batch page whose viewer has a test to
    take), so a state that is rare in the demo is reached without following every row of a long
    list."""
    adapter = app.url_map.bind("localhost")

    def endpoint_of(url: str) -> str | None:
        try:
            return adapter.match(urlsplit(url).path, method="GET")[0]
        except HTTPException:
            return None

    status: dict[str, int] = {}
    opened: Counter = Counter()
    targets: dict[str, set] = defaultdict(set)  # endpoint → endpoints its opened pages link to
    queue = deque([("/dashboard", "(start)")])
    dead = []
    while queue:
        url, on_page = queue.popleft()
        if url in status:
            continue
        endpoint = endpoint_of(url)
        if endpoint in NOT_FOLLOWED:
            status[url] = 0
            continue
        response = client.get(url)
        status[url] = response.status_code
        if response.status_code >= 400 or endpoint is None:
            dead.append(f"{on_page} → {url}: {response.status_code}")
        elif response.status_code == 200 and response.mimetype == "text/html":
            found = links(response.get_data(as_text=True), url)
            reached = {endpoint_of(link) for link in found}
            if opened[endpoint] < PAGES_PER_ENDPOINT or not reached <= targets[endpoint]:
                opened[endpoint] += 1
                targets[endpoint] |= reached
                queue.extend((link, url) for link in found if link not in status)
        response.close()
    return dead, sum(1 for code in status.values() if code)


@pytest.mark.parametrize("email", PEOPLE)
def test_no_link_leads_to_a_refusal_or_a_missing_page(app, db, login_as, email):
    user = _db.session.scalar(_db.select(User).where(User.email == email))
    client = app.test_client()
    login_as(user, c=client)
    dead, requests = crawl(app, client)
    assert requests > 20, f"the crawl as {email} reached only {requests} URLs"
    assert dead == [], f"{len(dead)} dead link(s) as {email}:\n" + "\n".join(dead)
