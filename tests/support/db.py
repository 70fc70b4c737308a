"""Test isolation: nothing a test writes outlives it, and data built once serves many tests.

``pinned(app)`` swaps each engine of the app for one connection holding an outer transaction
that is rolled back at the end; sessions join it with savepoints
(``join_transaction_mode="create_savepoint"``), so a view's ``commit()`` stays inside.

Two levels use it:

- a test on its own: the ``db`` fixture pins the app for that one test;
- a world built once per module (``module_db``, tests/support/worlds.py): the module pins the
  app, builds its data and commits it into the outer transaction; every test of the module then
  runs inside a savepoint of that transaction, rolled back after it (``rolled_back``), with the
  session expired so the world's objects read their rows afresh, and fresh rate limits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context

from portal.db import db as _db
from portal.extensions import limiter


def is_pinned(app: Flask) -> bool:
    """True inside ``pinned(app)`` (the app's engines are connections of one transaction)."""
    if not has_app_context() or current_app._get_current_object() is not app:
        return False
    return any(isinstance(e, sa.Connection) for e in _db.engines.values())


@contextmanager
def pinned(app: Flask) -> Iterator:
    """An app context in which every engine is one connection inside a transaction that is
    rolled back when the block ends (whatever was committed inside)."""
    with app.app_context():
        engines = _db.engines
        saved = []
        for key, engine in list(engines.items()):
            connection = engine.connect()
            saved.append((key, engine, connection, connection.begin()))
            engines[key] = connection
        try:
            limiter.reset()
            yield _db
        finally:
            _db.session.remove()
            for key, engine, connection, transaction in saved:
                if transaction.is_active:
                    transaction.rollback()
                connection.close()
                engines[key] = engine


@contextmanager
def undone(connection: sa.Connection) -> Iterator:
    """Whatever the block writes through ``connection`` (requests included: they join it) is
    undone at its end, and the session is expired so objects loaded before read their rows
    afresh. The savepoint is rolled back *and released*: ``ROLLBACK TO`` keeps a savepoint on
    SQLite's and PostgreSQL's stack, and the thousands a crawl makes in one module's
    transaction would otherwise slow every statement after them."""
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        if savepoint.is_active:
            savepoint.rollback()
            connection.exec_driver_sql(f"RELEASE SAVEPOINT {savepoint._savepoint}")
        _db.session.expire_all()


@contextmanager
def rolled_back() -> Iterator:
    """Inside ``pinned``: whatever the block writes (and commits) is undone at its end; the
    session is expired, so objects loaded before read their rows afresh; rate limits start
    afresh."""
    _db.session.commit()  # nothing pending may land inside the block's savepoint by accident
    (connection,) = _db.engines.values()  # one database (no binds)
    limiter.reset()
    with undone(connection):
        try:
            yield _db
        finally:
            _db.session.rollback()
