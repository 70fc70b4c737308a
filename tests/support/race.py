"""The race harness (QUALITY.md G8): many requests released at the same instant.

The ``db`` fixture keeps each test inside one transaction, which threads cannot share; a module
that races takes the ``race_app`` fixture instead: an app on a database of its own (a SQLite
file, or a throwaway PostgreSQL database when ``PORTAL_TEST_DATABASE_URI`` is set), where each
thread is one request with its own app context, session and connection, committing or rolling
back as a view would. Data for a race is built and committed with ``committed(app, build)``.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence

import pytest

from portal.db import db
from portal.errors import DomainError
from tests.support.app import isolated_app
from tests.support.factories import Factories


@pytest.fixture(scope="module")
def race_app(request, tmp_path_factory):
    """An app on a database of its own for the module's races (named after the module)."""
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    with isolated_app(tmp_path_factory.mktemp(name), f"portal_race_{name}"[:40]) as app:
        yield app


def committed(app, build: Callable[[Factories], object]):
    """``build(make)`` in the app's database, committed for real; returns what it returns
    (plain values such as ids: the objects are gone with the session)."""
    with app.app_context():
        result = build(Factories(db.session))
        db.session.commit()
        db.session.remove()
    return result


def race(app, jobs: Sequence[tuple], step: Callable[..., str]) -> Counter:
    """Run ``step(*job)`` for every job, each in a thread of its own inside its own app
    context, all released at once by a barrier; count the outcomes.

    ``step`` returns the outcome's name and leaves the commit to the harness. A refusal the
    user would read (a ``DomainError``: ``QuotaFull`` …) counts under its class name; any
    other exception (a would-be 500) as ``"unexpected <type>: <message>"``.
    """
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def run(i: int, job: tuple) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=60)
                outcomes[i] = step(*job)
                db.session.commit()
            except DomainError as exc:
                db.session.rollback()
                outcomes[i] = type(exc).__name__
            except Exception as exc:  # anything else would be a 500
                db.session.rollback()
                outcomes[i] = f"unexpected {type(exc).__name__}: {exc}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return Counter(outcomes)
