"""Property-based fuzzing of the forms: no POST ever produces a 5xx (QUALITY.md G10, pitfall (c)6).

Every POST endpoint of ``tests.support.post_cases.POST_CASES`` is sent its valid payload with one or
more values replaced by hostile text (control characters, NUL, up to ~5,000 characters, emoji,
bidirectional marks, numbers and dates as text, SQL and HTML payloads), fields dropped, lists
given where one value is expected and extra fields added; always as the endpoint's own role and
with a valid CSRF token, so the request reaches the view. Then every field of every form gets
each "killer" value in turn. The roster upload, the one multipart POST, has its own suite
(test_fuzz_roster.py).

PostgreSQL refuses NUL bytes and over-long VARCHARs that SQLite stores: run it on both.

Each example runs in a rolled-back savepoint over the world built once per module, with a fresh
signed-in client and reset rate limits: a request that changes state cannot spoil the next one
(tests/support/fuzz.py holds the hostile text and this isolation).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support import fuzz
from tests.support.fuzz import FUZZ, assert_not_5xx, mutate
from tests.support.post_cases import CASE_GROUPS, POST_CASES, SPECIAL_POST
from tests.support.security import CSRF_MESSAGE

rolled_back = fuzz.rolled_back
client_as = fuzz.client_as


@pytest.mark.parametrize("endpoint", sorted(POST_CASES))
@FUZZ
@given(data=st.data())
def test_post_never_fails_with_a_server_error(endpoint, data, world, client_as, rolled_back):
    with rolled_back():
        actor, url, valid = POST_CASES[endpoint](world)
        payload = mutate(data, valid)
        c, payload["csrf_token"] = client_as(actor)
        r = c.post(url, data=payload)
        assert_not_5xx(r, f"POST {url} as {actor}")


#: Values every field of every form gets in turn (the random test may or may not draw them):
#: NUL (PostgreSQL refuses it), too long for any VARCHAR, past any 64-bit integer.
KILLERS = ["a\x00b", "x" * 5000, "9" * 30]


@pytest.mark.parametrize("blueprint", sorted(CASE_GROUPS))  # one world per blueprint
def test_post_with_each_field_set_to_each_killer_value(blueprint, world, client_as, rolled_back):
    failures = []
    for endpoint in CASE_GROUPS[blueprint]:
        with rolled_back():
            fields = list(POST_CASES[endpoint](world)[2]) or ["extra"]
        for field in fields:
            for value in KILLERS:
                with rolled_back():
                    actor, url, valid = POST_CASES[endpoint](world)
                    c, token = client_as(actor)
                    r = c.post(url, data={**valid, field: value, "csrf_token": token})
                    if r.status_code >= 500 or (r.status_code == 400 and CSRF_MESSAGE in r.text):
                        failures.append(
                            f"{endpoint} {field}={value[:20]!r}...: HTTP {r.status_code}"
                        )
                    r.close()
    assert not failures, "; ".join(failures)


def test_every_post_endpoint_is_fuzzed(app):
    posting = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    }
    assert posting == set(POST_CASES) | SPECIAL_POST
    assert {"roster.upload"} == SPECIAL_POST  # fuzzed by test_fuzz_roster.py
