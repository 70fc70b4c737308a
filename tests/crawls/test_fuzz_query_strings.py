"""Property-based fuzzing of the query strings: no GET page ever produces a 5xx (QUALITY.md G10,
pitfall (c)6).

Every parameterless GET page (and the demand board's exports) gets fuzzed query strings as an
administrator: the arguments the list pages read (search, page, filters, dates, sort) and
random ones, with hostile values, numbers past any 64-bit column, NUL and repeated arguments.

PostgreSQL refuses NUL bytes and over-long VARCHARs that SQLite stores: run it on both.

Each example runs in a rolled-back savepoint over the world built once per module, with a fresh
signed-in client and reset rate limits: a request that changes state cannot spoil the next one
(tests/support/fuzz.py holds the hostile text and this isolation).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.support import fuzz
from tests.support.fuzz import ANY_CHAR, FUZZ, HOSTILE, assert_not_5xx

rolled_back = fuzz.rolled_back
client_as = fuzz.client_as

QUERY_ARGS = [
    "q",
    "page",
    "status",
    "role",
    "kind",
    "type",
    "opd",
    "min_below",
    "action",
    "actor",
    "since",
    "until",
    "lang",
    "next",
    "upload",
    "sort",
    "year",
]
QUERY_VALUE = st.one_of(
    HOSTILE,
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(
        [
            "1",
            "2",
            "0",
            "-1",
            "10000",
            "10001",
            "2026-01-01",
            "9999-12-31",
            "0001-01-01",
            "admin",
            "asn",
            "pns",
            "teknis",
            "dinas",
            "active",
        ]
    ),
)
QUERY = st.dictionaries(
    st.one_of(st.sampled_from(QUERY_ARGS), st.text(ANY_CHAR, min_size=1, max_size=10)),
    st.one_of(QUERY_VALUE, st.lists(QUERY_VALUE, min_size=1, max_size=3)),
    min_size=1,
    max_size=6,
)


def _list_pages(app) -> list[str]:
    # static files, and the roster template: a fixed 2,000-row workbook (0.25 s each) that reads
    # no query argument but ``lang``, which every other page here reads too
    skip = {"static", "bootstrap.static", "roster.template"}
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in skip:
            continue
        if rule.arguments == set():
            urls.append(rule.rule)
        elif rule.arguments == {"fmt"}:  # the demand board's exports read the board's filters
            urls += [rule.rule.replace("<fmt>", fmt) for fmt in ("csv", "xlsx")]
    return sorted(urls)


def _get_urls() -> list[str]:
    """Collected from an app built on an in-memory database (the URL map is the same)."""
    from portal import create_app
    from tests.support.app import make_test_config

    return _list_pages(create_app(make_test_config("sqlite://")))


@pytest.mark.parametrize("url", _get_urls())
@FUZZ
@given(query=QUERY)
@example(query=dict.fromkeys(QUERY_ARGS, "9" * 30))  # past any 64-bit integer column
@example(query=dict.fromkeys(QUERY_ARGS, "-9223372036854775809"))
@example(query=dict.fromkeys(QUERY_ARGS, "a\x00b"))
@example(query=dict.fromkeys(QUERY_ARGS, "x" * 5000))
@example(query=dict.fromkeys(QUERY_ARGS, ["1", "2", "\x00"]))
def test_list_page_query_strings_never_fail(url, query, world, client_as, rolled_back):
    with rolled_back():
        c, _csrf = client_as("admin")
        r = c.get(url, query_string=query)
        assert_not_5xx(r, f"GET {url}?{query!r}")
