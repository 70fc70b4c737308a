"""Fixtures of the browser suite: Debian's Chromium, a live server with real commits, and texts.

Playwright's own browser download does not work on these machines (STACK.md §4), so the
``browser_type_launch_args`` fixture of pytest-playwright is overridden to launch
``/usr/bin/chromium``. Without that file the suite is skipped, unless
``PORTAL_REQUIRE_BROWSER=1`` is set (``make e2e``): then every e2e test fails.

The live server has its own app and SQLite file: the ``db``/``client`` fixtures of
tests/conftest.py roll every test back, while a browser needs data committed for real.
What each journey needs there is its *world*, defined and seeded in worlds.py; here each world
is only a session-scoped fixture that seeds it on first use: ``competency_world``,
``curricula_world``, ``internship_world``, ``training_world`` (the student journey's university
and staff user come with ``live_server`` itself). The helpers the journeys share to drive the
pages are in pages.py, the accessibility check in a11y.py.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale, gettext, ngettext
from werkzeug.serving import make_server

from portal import create_app
from portal.db import db
from tests.e2e.worlds import (
    Account,
    CompetencyWorld,
    CurriculaWorld,
    InternshipWorld,
    seed_competency_world,
    seed_curricula_world,
    seed_internship_world,
    seed_registration_world,
)
from tests.e2e.worlds_trainings import TrainingWorld, seed_training_world
from tests.support.app import make_test_config

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE_BROWSER_ENV = "PORTAL_REQUIRE_BROWSER"
E2E_DIR = Path(__file__).resolve().parent

#: Time Playwright waits for an element or a navigation: a local server answers in milliseconds.
TIMEOUT_MS = 10_000


# --- No browser: skip, or fail when it is required -------------------------------------------


class BrowserMissing(pytest.Item):
    """Stands in for an e2e test when Chromium is required but absent: it fails, with the reason.

    (Failing from a fixture would report an *error* at setup, and would first try to start the
    live server and Playwright for nothing.)
    """

    def __init__(self, *, reason: str, **kwargs):
        super().__init__(**kwargs)
        self.reason = reason

    def runtest(self) -> None:
        pytest.fail(self.reason, pytrace=False)

    def reportinfo(self):
        return self.path, None, self.name


def _is_e2e(item: pytest.Item) -> bool:
    return Path(item.path).resolve().is_relative_to(E2E_DIR)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    required = os.environ.get(REQUIRE_BROWSER_ENV) == "1"
    reason = f"Chromium not found at {CHROMIUM} (install it: apt-get install chromium)"
    for index, item in enumerate(items):
        if not _is_e2e(item):
            continue
        if required:
            stand_in = BrowserMissing.from_parent(
                item.parent, name=item.name, reason=f"{reason}; {REQUIRE_BROWSER_ENV}=1 requires it"
            )
            stand_in.own_markers.extend(item.own_markers)  # -m e2e still selects it
            stand_in.keywords.update(item.keywords)  # and -k
            items[index] = stand_in
        else:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"{reason}; set {REQUIRE_BROWSER_ENV}=1 to fail instead of skipping"
                )
            )


# --- Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A visitor in Medan: browser language Indonesian, clock in Asia/Jakarta."""
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}


@pytest.fixture
def new_person(new_context) -> Callable[[], object]:
    """A new browser (its own cookies) and page, as for another person on another computer."""

    def _open():
        context = new_context()
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        return context.new_page()

    return _open


# --- Live server ------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    app: Flask
    university_name: str
    university_short_name: str
    staff: Account
    responses: list[tuple[str, str, int]] = field(default_factory=list)
    #: the HTML of every page the browser was shown, by "METHOD path?query" (the first of each)
    pages: dict[str, str] = field(default_factory=dict)


class RecordResponses:
    """WSGI middleware noting (method, path, status) of every response the server sends, and
    keeping the HTML of the pages it serves (the Nu checker reads them: test_valid_html.py).

    It also reads each response whole and closes it before the server writes a byte: when the
    browser drops a connection (a navigation cancels a pending script), werkzeug's dev server can
    fail in its clean-up before it closes the response, leaving a static file to the garbage
    collector (a ResourceWarning, an error under ``filterwarnings = error``)."""

    def __init__(self, wsgi_app, log: list, pages: dict):
        self.wsgi_app = wsgi_app
        self.log = log
        self.pages = pages

    def __call__(self, environ, start_response):
        seen = {}

        def _start_response(status, headers, exc_info=None):
            seen["status"] = int(status.split(" ", 1)[0])
            seen["html"] = any(
                k.lower() == "content-type" and v.startswith("text/html") for k, v in headers
            )
            self.log.append(
                (environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), seen["status"])
            )
            return start_response(status, headers, exc_info)

        response = self.wsgi_app(environ, _start_response)
        try:
            body = b"".join(response)
        finally:
            if hasattr(response, "close"):
                response.close()
        if seen.get("html") and seen["status"] < 300:
            key = f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')}"
            if environ.get("QUERY_STRING"):
                key += f"?{environ['QUERY_STRING']}"
            self.pages.setdefault(key, body.decode("utf-8", "replace"))
        return [body]


@contextmanager
def serving(app: Flask, responses: list, pages: dict) -> Iterator[str]:
    """``app`` on 127.0.0.1 (a free port) in a thread, recording every response; yields its URL."""
    server = make_server("127.0.0.1", 0, RecordResponses(app, responses, pages), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _fresh_app(folder: Path) -> Flask:
    app = create_app(
        make_test_config(
            "sqlite:///" + str(folder / "e2e.sqlite3"),
            UPLOAD_FOLDER=str(folder / "uploads"),
        )
    )
    with app.app_context():
        db.create_all()
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The portal on 127.0.0.1 (a free port) with a fresh SQLite file, USU and one USU staff user
    (the registration world of worlds.py)."""
    app = _fresh_app(tmp_path_factory.mktemp("e2e"))
    registration = seed_registration_world(app)
    responses: list[tuple[str, str, int]] = []
    pages: dict[str, str] = {}
    with serving(app, responses, pages) as url:
        yield LiveServer(
            url=url,
            app=app,
            university_name=registration.university_name,
            university_short_name=registration.university_short_name,
            staff=registration.staff,
            responses=responses,
            pages=pages,
        )


@dataclass
class DemoServer:
    url: str
    app: Flask
    responses: list[tuple[str, str, int]] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory) -> Iterator[DemoServer]:
    """A second live server whose database holds the full demo data (``flask demo-data``): the
    dashboards journey reads the numbers a city would see on its first day."""
    from portal.demo import load_demo_data

    app = _fresh_app(tmp_path_factory.mktemp("e2e-demo"))
    with app.app_context():
        load_demo_data()
        db.session.commit()
        db.session.remove()
    responses: list[tuple[str, str, int]] = []
    pages: dict[str, str] = {}
    with serving(app, responses, pages) as url:
        yield DemoServer(url=url, app=app, responses=responses, pages=pages)


@pytest.fixture(scope="session")
def demo_site(demo_server) -> dict[str | None, list]:
    """The pages each demo person (and a visitor, ``None``) reaches on the demo server, one per
    endpoint (tests/support/site_crawl.py), crawled once for the page-by-page checks."""
    from tests.support.site_crawl import DEMO_PEOPLE, reachable_pages, user_ids

    ids = user_ids(demo_server.app, DEMO_PEOPLE)
    return {
        email: reachable_pages(demo_server.app, ids.get(email)) for email in [None, *DEMO_PEOPLE]
    }


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """pytest-playwright gives it to every browser context: ``page.goto("/login")`` works."""
    return live_server.url


@pytest.fixture(autouse=True)
def no_server_errors(request):
    """After each e2e test: the live server answered no request with a 5xx status."""
    servers = [
        request.getfixturevalue(name)
        for name in ("live_server", "demo_server")
        if name in request.fixturenames
    ]
    starts = [len(server.responses) for server in servers]
    yield
    errors = [
        r
        for server, start in zip(servers, starts, strict=True)
        for r in server.responses[start:]
        if r[2] >= 500
    ]
    assert not errors, f"the live server answered with an error (see the captured log): {errors}"


# --- Texts as the user sees them --------------------------------------------------------------


class Texts:
    """The portal's own catalogue for one language: ``t("Sign out")``, ``t.n(s, p, n)``.

    The tests expect what the app's translations say, so they follow the catalogue.
    """

    def __init__(self, app: Flask, language: str):
        self.app = app
        self.language = language

    def __call__(self, msgid: str, **variables) -> str:
        with self.app.test_request_context(), force_locale(self.language):
            return gettext(msgid, **variables)

    def n(self, singular: str, plural: str, num: int, **variables) -> str:
        with self.app.test_request_context(), force_locale(self.language):
            return ngettext(singular, plural, num, **variables)


@pytest.fixture(scope="session")
def texts(live_server) -> Callable[[str], Texts]:
    return lambda language: Texts(live_server.app, language)


# --- The journeys' worlds (worlds.py): seeded on first use, once per run ----------------------


@pytest.fixture(scope="session")
def competency_world(live_server) -> CompetencyWorld:
    """Diskominfo, a position with its standard, two ASN records and a city admin."""
    return seed_competency_world(live_server.app)


@pytest.fixture(scope="session")
def curricula_world(live_server) -> CurriculaWorld:
    """UNIMED and its lecturer, Disdukcapil with its OPD admin and an ASN, a city admin."""
    return seed_curricula_world(live_server.app)


@pytest.fixture(scope="session")
def internship_world(live_server) -> InternshipWorld:
    """UINSU with a student and a staff user, BKPSDM with its admin and a mentor, one position."""
    return seed_internship_world(live_server.app)


@pytest.fixture(scope="session")
def training_world(live_server) -> TrainingWorld:
    """DLH with an ASN and her supervisor, a UMSU lecturer facilitating an open batch whose one
    session runs now (with a post-test), and a city admin."""
    return seed_training_world(live_server.app)
