"""What the fuzz suites (tests/crawls/test_fuzz_*.py) share: the Hypothesis settings, hostile text,
``mutate`` (a valid payload with fuzzed changes), and the isolation of each example: the
``rolled_back`` and ``client_as`` fixtures (a module takes them with ``rolled_back =
fuzz.rolled_back``) and ``assert_not_5xx``.

Examples per test: ``PORTAL_FUZZ_EXAMPLES`` (10 by default, to keep `make test` quick; 300 for a
deep run).
"""

from __future__ import annotations

import contextvars
import os
import secrets

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer

from tests.support.db import rolled_back as savepoint
from tests.support.security import CSRF_MESSAGE, EN

FUZZ = settings(
    max_examples=int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "10")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- hostile text -----------------------------------------------------------------------------------

CONTROL = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u2029"]
INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u2060",
    "\ufeff",
    "\u00ad",
]
NASTY = [
    "", " ", "   ", "\x00", "a\x00b", "\x00" * 20, "\r\n", "\t", "\\", "\\x00", "%00", "%",
    "_", "%_%", "'", '"', "`", "' OR '1'='1", "1; DROP TABLE users; --", "') OR 1=1 --",
    "1 UNION SELECT NULL,NULL--", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
    "{{7*7}}", "{% raw %}", "${7*7}", "%s%s%n", "../../etc/passwd", "..\\..\\boot.ini",
    "javascript:alert(1)", "//evil.com", "0", "-0", "-1", "00", "+1", "1.5", "1e309", "-1e309",
    "NaN", "inf", "-inf", "0x10", "0b1", "١٢٣", "１２３", "²", "Ⅻ", "2147483648", "-2147483649",
    "9223372036854775808", "99999999999999999999999999999999", "2026-02-30", "2026-13-01",
    "0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01", "1900-01-01", "1969-12-31",
    "2026-01-01T00:00:00", "31/12/2026", "true", "false", "null", "None", "undefined", "[]",
    "{}", "y", "on", "id", "en", "admin", "pns", "pppk", "teknis", "dinas", "asn", "student",
    "😀", "👩🏽‍💻" * 30, "\u202eevil\u202c", "مرحبا بالعالم", "עברית", "日本語テキスト",
    "Z̸̡̛͈͉a̴̧̛l̶g̷o̸", "ǅ", "İ", "ß", "ﬀ", "\ud7ff", "\ue000", "\U0010fffd",
    "x" * 256, "x" * 5000, "é" * 2500, "😀" * 1300, "\x00" * 5000,
]  # fmt: skip

ANY_CHAR = st.characters(codec="utf-8")
WEIRD_CHAR = st.one_of(st.sampled_from(CONTROL + INVISIBLE), ANY_CHAR)


def _repeat(parts):
    text, n = parts
    return (text * (n // max(len(text), 1) + 1))[:n] if text else ""


HOSTILE = st.one_of(
    st.sampled_from(NASTY),
    st.text(WEIRD_CHAR, max_size=40),
    st.text(ANY_CHAR, max_size=300),
    st.tuples(st.text(WEIRD_CHAR, min_size=1, max_size=5), st.integers(100, 5000)).map(_repeat),
    st.integers(-(2**80), 2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
)


def _as_text(value) -> str:
    return str(value)


def mutate(data, original: dict) -> dict:
    """The valid payload with fuzzed changes: at least one field replaced, dropped, repeated,
    wrapped or extended, or (when the form has no fields) hostile extra fields."""
    out: dict = {}
    changed = False
    for name, value in original.items():
        action = data.draw(
            st.sampled_from(["keep", "keep", "replace", "drop", "list", "append", "prepend"]),
            label=f"action[{name}]",
        )
        values = value if isinstance(value, list) else [_as_text(value)]
        values = [_as_text(v) for v in values]
        if action == "keep":
            out[name] = values
            continue
        changed = True
        if action == "replace":
            out[name] = data.draw(HOSTILE, label=f"value[{name}]")
        elif action == "list":
            out[name] = data.draw(st.lists(HOSTILE, min_size=0, max_size=4), label=f"list[{name}]")
        elif action in ("append", "prepend"):
            junk = data.draw(HOSTILE, label=f"junk[{name}]")
            out[name] = [v + junk if action == "append" else junk + v for v in values] or [junk]
        # "drop": leave the field out
    extra_names = st.one_of(
        st.sampled_from(
            [
                "id",
                "role",
                "roles",
                "status",
                "user_id",
                "is_admin",
                "state",
                "quota",
                "agency_id",
                "university_id",
                "next",
                "lang",
                "upload",
            ]
        ),
        st.text(ANY_CHAR, min_size=1, max_size=30),
    ).filter(lambda k: k != "csrf_token")
    extras = data.draw(
        st.dictionaries(
            extra_names,
            st.one_of(HOSTILE, st.lists(HOSTILE, max_size=3)),
            min_size=0 if changed else 1,
            max_size=3,
        ),
        label="extra fields",
    )
    for name, value in extras.items():
        out.setdefault(name, value)
    return out


# --- isolation ----------------------------------------------------------------------------------------


@pytest.fixture
def rolled_back(db):
    """``with rolled_back(): ...`` runs one example in a savepoint rolled back at its end
    (tests/support/db.py), with the session expired and fresh rate limits, so whatever the
    requests committed is undone. (A fixture rather than ``db`` itself in the test's arguments:
    pytest prints those, and ``repr(db)`` fails while ``db`` is bound to a connection, which
    would hide Hypothesis' report.)"""
    return savepoint


@pytest.fixture
def client_as(app, client, world):
    """``client_as(role)``: a new browser signed in as the world's ``role`` (or anonymous),
    with the CSRF token of its session: ``c, token = client_as("admin")``.

    The token is made as Flask-WTF makes it (raw value in the session, signed copy in the form),
    which saves a page load per example; ``assert_not_5xx`` fails if it were ever refused.
    """

    def _as(role: str):
        c = app.test_client()
        c.environ_base["HTTP_ACCEPT_LANGUAGE"] = EN
        raw = secrets.token_hex(20)
        with contextvars.Context().run(c.session_transaction) as sess:
            sess["csrf_token"] = raw
            if role != "anonymous":
                sess["_user_id"] = getattr(world, role).get_id()
                sess["_fresh"] = True
                c._has_user = True
        token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
        return c, token

    return _as


def assert_not_5xx(r, what: str) -> None:
    try:
        assert r.status_code < 500, f"{what}: HTTP {r.status_code}"
        if r.status_code == 400 and r.request.method == "POST":
            assert CSRF_MESSAGE not in r.get_data(as_text=True), f"{what}: CSRF token refused"
    finally:
        r.close()
