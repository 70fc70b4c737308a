"""Property-based fuzzing: no input ever produces a 5xx (QUALITY.md G10, pitfall (c)6).

Every POST endpoint of ``tests.support.post_cases.POST_CASES`` is sent its valid payload with one or
more values replaced by hostile text (control characters, NUL, up to ~5,000 characters, emoji,
bidirectional marks, numbers and dates as text, SQL and HTML payloads), fields dropped, lists
given where one value is expected and extra fields added; always as the endpoint's own role and
with a valid CSRF token, so the request reaches the view. The roster upload gets random bytes and
names, and fuzzed CSV/XLSX rosters that are confirmed (fuzzed cells reach the database). Every
parameterless GET page gets fuzzed query strings as an administrator.

PostgreSQL refuses NUL bytes and over-long VARCHARs that SQLite stores: run it on both. Examples
per test: ``PORTAL_FUZZ_EXAMPLES`` (10 by default, to keep `make test` quick; 300 for a deep run).

Each example runs in a rolled-back savepoint over the world built once per module, with a fresh
signed-in client and reset rate limits: a request that changes state cannot spoil the next one.
"""

from __future__ import annotations

import contextvars
import csv
import io
import os
import re
import secrets

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer

from tests.support.db import rolled_back as savepoint
from tests.support.post_cases import CASE_GROUPS, POST_CASES, SPECIAL_POST
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

_any_char = st.characters(codec="utf-8")
_weird_char = st.one_of(st.sampled_from(CONTROL + INVISIBLE), _any_char)


def _repeat(parts):
    text, n = parts
    return (text * (n // max(len(text), 1) + 1))[:n] if text else ""


HOSTILE = st.one_of(
    st.sampled_from(NASTY),
    st.text(_weird_char, max_size=40),
    st.text(_any_char, max_size=300),
    st.tuples(st.text(_weird_char, min_size=1, max_size=5), st.integers(100, 5000)).map(_repeat),
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
        st.text(_any_char, min_size=1, max_size=30),
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


# =================================================================================================
# POST endpoints
# =================================================================================================


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
    assert {"roster.upload"} == SPECIAL_POST  # fuzzed by the two roster tests below


# --- the roster upload (multipart) ---------------------------------------------------------------------

_UPLOAD_TOKEN = re.compile(
    r'name="upload" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="upload" value="([^"]+)"|'
    r'id="upload" name="upload" type="hidden" value="([^"]+)"'
)
EXTENSIONS = ["csv", "xlsx", "CSV", "XLSX", "txt", "xls", "csv.exe", "", "."]
FILENAMES = st.one_of(
    st.tuples(st.text(_weird_char, max_size=60), st.sampled_from(EXTENSIONS)).map(
        lambda p: f"{p[0]}.{p[1]}" if p[1] else p[0]
    ),
    st.sampled_from(
        [
            "../../etc/passwd.csv",
            "..\\..\\x.csv",
            "a\r\nb.csv",
            "CON.csv",
            "成绩单.xlsx",
            "x" * 300 + ".csv",
            ".csv",
            "roster.csv\x00.exe",
        ]
    ),
)
VALID_ROW = {
    "nip": "198609262015051001",
    "nama": "Pegawai Baru",
    "email": "pegawai.baru@example.com",
    "status": "PNS",
    "golongan": "III/a",
    "jabatan": "",
    "opd": None,  # the world's agency
    "nip_atasan": "",
}


def _roster_rows(data, w) -> list[list[str]]:
    header = list(VALID_ROW)
    if data.draw(st.integers(0, 7), label="fuzz the header (when 0)") == 0:
        header = [h if data.draw(st.booleans()) else data.draw(HOSTILE) for h in header]
    row = [w.agency.short_name if v is None else v for v in VALID_ROW.values()]
    fuzzed = data.draw(st.sets(st.sampled_from(range(len(row))), min_size=1), label="cells")
    for i in fuzzed:
        row[i] = data.draw(HOSTILE, label=f"cell {header[i]!r}")
    return [header, row]


def _csv_bytes(rows, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx_bytes(rows) -> bytes | None:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = Workbook()
    try:
        for row in rows:
            book.active.append(row)
    except IllegalCharacterError:
        return None  # openpyxl cannot even write it; a real spreadsheet cannot hold it either
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _upload(c, token: str, content: bytes, filename: str):
    return c.post(
        "/admin/roster/",
        data={"roster": (io.BytesIO(content), filename), "csrf_token": token},
        content_type="multipart/form-data",
    )


@FUZZ
@given(content=st.binary(max_size=4096), filename=FILENAMES, prefix=st.sampled_from(
    [b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"nip,nama,email,status,opd\n"]))  # fmt: skip
def test_roster_upload_of_random_bytes_and_names_never_fails(
    content, filename, prefix, world, client_as, rolled_back
):
    with rolled_back():
        r = _upload(*client_as("admin"), prefix + content, filename)
        assert_not_5xx(r, f"upload of {filename!r}")


@FUZZ
@given(data=st.data())
def test_fuzzed_roster_previews_and_imports_never_fail(data, world, client_as, rolled_back):
    """A roster whose cells are hostile text: the preview, the error workbook and the confirmed
    import (which writes the cells into the database) never answer with a 5xx."""
    with rolled_back():
        rows = _roster_rows(data, world)
        kind = data.draw(
            st.sampled_from(
                [
                    "csv-utf-8",
                    "csv-utf-8",
                    "csv-utf-8-sig",
                    "xlsx",
                    "xlsx",
                    "csv-utf-16",
                    "csv-latin-1",
                ]
            )
        )
        if kind == "xlsx":
            content = _xlsx_bytes(rows)
            if content is None:
                content = _csv_bytes(rows, "utf-8")
                kind = "csv-utf-8"
        else:
            content = _csv_bytes(rows, kind.removeprefix("csv-"))
        c, csrf = client_as("admin")
        r = _upload(c, csrf, content, "roster." + kind.split("-")[0])
        assert_not_5xx(r, f"upload of a {kind} roster")
        if r.status_code != 200:
            return
        match = _UPLOAD_TOKEN.search(r.get_data(as_text=True))
        if match is None:  # the form itself was refused
            return
        token = next(g for g in match.groups() if g)
        r = c.get("/admin/roster/errors.xlsx", query_string={"upload": token})
        assert_not_5xx(r, "the row-error workbook")
        r = c.post("/admin/roster/confirm", data={"upload": token, "csrf_token": csrf})
        assert_not_5xx(r, f"confirming a {kind} roster")


# =================================================================================================
# GET list pages with fuzzed query strings
# =================================================================================================

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
    st.one_of(st.sampled_from(QUERY_ARGS), st.text(_any_char, min_size=1, max_size=10)),
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
