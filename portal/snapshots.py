"""City-wide figures computed once and reused for a short while (issue 8; QUALITY.md P1, P3).

The admins' dashboards, the demand board and the JP compliance report aggregate the whole city:
15,000 ASN × the competencies their positions require, the latest of ~190,000 official results,
every JP record of the year, 100,000 material ratings, 20,000 applications. At city scale that
costs 0.1–1 s per request on either database, however well indexed (docs/performance.md), while
such figures may well be a few minutes old. So :func:`remembered` keeps each result for
``CITY_FIGURES_MAX_AGE`` seconds (default 300; 0: always computed, as in the tests) and the page
says how old its figures are (:func:`figures_as_of`, the ``figures_note`` macro).

Each process keeps its own copy (every gunicorn worker, every instance): nothing is shared, so
nothing has to be invalidated across instances, and a figure is never older than the setting.
Only plain values are kept (numbers, names, dataclasses of them; no ORM instance: they would
outlive their session), under keys built from validated arguments, at most ``MAX_ENTRIES``.
Outside a request (CLI jobs, the demo generator) nothing is kept: the data may be changing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from flask import Flask, current_app, g, has_request_context

T = TypeVar("T")

#: Entries kept per process; the one expiring first makes room for a new one.
MAX_ENTRIES = 256


@dataclass(frozen=True)
class Entry:
    value: object
    taken_at: datetime  # when it was computed (UTC)
    expires: float  # on the store's clock


class Snapshots:
    """The per-process store. ``clock`` is monotonic seconds (a test may pass its own)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._entries: dict[Hashable, Entry] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable, compute: Callable[[], T], max_age: float) -> Entry:
        started = self.clock()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry.expires > started:
            return entry
        # Computed outside the lock: two threads may both compute; the last one is kept.
        entry = Entry(compute(), datetime.now(UTC), started + max_age)
        with self._lock:
            if key not in self._entries and len(self._entries) >= MAX_ENTRIES:
                self._make_room(started)
            self._entries[key] = entry
        return entry

    def _make_room(self, now: float) -> None:
        for key in [k for k, e in self._entries.items() if e.expires <= now]:
            del self._entries[key]
        if len(self._entries) >= MAX_ENTRIES:
            del self._entries[min(self._entries, key=lambda k: self._entries[k].expires)]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def remembered(name: str, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, or its result from the last ``CITY_FIGURES_MAX_AGE`` seconds in this
    process for the same ``name`` and ``key``. The request notes the oldest figure it used."""
    max_age = current_app.config["CITY_FIGURES_MAX_AGE"]
    if max_age <= 0 or not has_request_context():
        return compute()
    entry = current_app.extensions["snapshots"].get((name, *key), compute, max_age)
    oldest = g.get("figures_as_of")
    if oldest is None or entry.taken_at < oldest:
        g.figures_as_of = entry.taken_at
    return entry.value  # type: ignore[return-value]


def figures_as_of() -> datetime | None:
    """When the oldest remembered figure of this request was computed (None: all fresh)."""
    return g.get("figures_as_of") if has_request_context() else None


def init_app(app: Flask) -> None:
    app.extensions["snapshots"] = Snapshots()
    app.jinja_env.globals["figures_as_of"] = figures_as_of
