"""The pages a signed-in person reaches by following links, found with the test client.

``reachable_pages(app, user_id)`` starts at the dashboard and follows the portal's own ``<a href>``
links breadth-first, opening at most ``per_endpoint`` pages of each endpoint (a list's tenth
detail page is built like its first). The HTML crawls (valid markup, layout at 360 px) use it on
the demo data, where records exist in every state.
"""

from __future__ import annotations

import contextvars
import re
from collections import Counter, deque
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin, urlsplit

from werkzeug.exceptions import HTTPException

#: One person of every role and scope (README "Demo accounts").
DEMO_PEOPLE = [
    "admin@sinergi.example",
    "admin.diskominfo@sinergi.example",
    "dosen.usu@sinergi.example",
    "mentor.diskominfo@sinergi.example",
    "mahasiswa.usu@sinergi.example",
    "mahasiswa.unimed@sinergi.example",
    "asn.dinkes@sinergi.example",
    "atasan.dinkes@sinergi.example",
    "asn.kecamatan@sinergi.example",
]
#: Where a visitor who is not signed in starts.
PUBLIC_STARTS = ["/", "/login", "/register", "/forgot-password"]
#: Never followed: signing out, and static files.
NOT_FOLLOWED = {"auth.logout", "static", "bootstrap.static"}

_HREF = re.compile(r'<a\b[^>]*?\bhref="([^"#][^"]*)"', re.S)


@dataclass(frozen=True)
class Page:
    url: str
    endpoint: str
    html: str


def links(html: str, base: str) -> list[str]:
    """The portal's own links on the page (path and query), resolved against ``base``, in the
    order of the page, each once (a crawl's order, and so its verdict, does not depend on the
    hash seed)."""
    found = {}
    for href in _HREF.findall(html):
        url = urlsplit(urljoin(base, unescape(href)))
        if url.scheme in ("", "http", "https") and url.netloc in ("", "localhost"):
            found.setdefault(url.path + (f"?{url.query}" if url.query else ""), None)
    return list(found)


def signed_in_client(app, user_id: str | None):
    """A test client whose session holds ``user_id`` (None: a visitor)."""
    client = app.test_client()
    if user_id is not None:
        with contextvars.Context().run(client.session_transaction) as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
    return client


def reachable_pages(app, user_id: str | None, *, per_endpoint: int = 1) -> list[Page]:
    """The HTML pages (status 200) ``user_id`` reaches from the dashboard (a visitor: from the
    public pages), at most ``per_endpoint`` of each endpoint."""
    adapter = app.url_map.bind("localhost")
    client = signed_in_client(app, user_id)
    queue = deque(["/dashboard"] if user_id is not None else PUBLIC_STARTS)
    seen: set[str] = set()
    opened: Counter = Counter()
    pages = []
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            endpoint, _args = adapter.match(urlsplit(url).path, method="GET")
        except HTTPException:
            continue
        if endpoint in NOT_FOLLOWED:
            continue
        if opened[endpoint] >= per_endpoint:
            continue
        response = client.get(url)
        try:
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            opened[endpoint] += 1
            html = response.get_data(as_text=True)
        finally:
            response.close()
        pages.append(Page(url, endpoint, html))
        queue.extend(links(html, url))
    return pages


def user_ids(app, emails) -> dict[str, str]:
    """The session ids of the demo people, by e-mail."""
    import sqlalchemy as sa

    from portal.auth.models import User
    from portal.db import db

    with app.app_context():
        users = db.session.scalars(sa.select(User).where(User.email.in_(emails)))
        found = {user.email: user.get_id() for user in users}
        db.session.remove()
    missing = set(emails) - found.keys()
    assert not missing, f"not in the demo: {sorted(missing)}"
    return found
