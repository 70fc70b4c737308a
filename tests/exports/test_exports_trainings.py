"""CSV/XLSX exports of the training lists (batches, a batch's participants, records to verify,
post-tests to record, recognition proposals, award nominations): the page's columns, filters and
scope (an OPD's export holds nothing of another OPD; a batch's roster only for those who run it),
refusals, unknown formats, formulas as text, no writes, a fixed number of queries."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from tests.exports.support_a import FORMATS, INJECTION, download, flat, no_writes
from tests.exports.support_b import training_world
from tests.support.worlds import exports

T = "/trainings"
BATCHES = T + "/batches/export.{fmt}"
VERIFY = T + "/ledger/verifications/export.{fmt}"
TO_RECORD = T + "/post-tests/to-record/export.{fmt}"
PROPOSALS = T + "/recognition/proposals/export.{fmt}"
NOMINATIONS = T + "/recognition/nominations/export.{fmt}"


def participants(w, side: str = "a") -> str:
    return T + f"/batches/{getattr(w, side).batch.id}/participants/export.{{fmt}}"


training_exports_world = exports.training_exports_world  # built once for the module


def _of_b(w) -> tuple:
    """Anything of side B's people (names, e-mail, NIP, OPD) and records."""
    return (
        "Pegawai B",
        "asn.b@",
        w.b.asn.nip,
        "OPDB",
        "Seminar B",
        "Penghargaan B",
        "Kategori B",
        "Draf B",
    )


def _user(w, who: str):
    found = w
    for part in who.split("."):
        found = getattr(found, part)
    return found.user if who.endswith(".asn") else found


# (url, who, first header, what it holds, whether nothing of B may be there)
SCOPED = {
    "batches-opd": (lambda w: BATCHES, "a.opd", "Training", ("Pelatihan A", "Draf A",
                                                             "Pelatihan B"), ("Draf B",)),
    "batches-asn": (lambda w: BATCHES, "a.asn", "Training", ("Pelatihan A", "Pelatihan B"),
                    ("Draf A", "Draf B")),
    "participants-opd": (participants, "a.opd", "Name", ("Pegawai A",), None),
    "participants-facilitator": (participants, "a.facilitator", "Name", ("Pegawai A",), None),
    "verifications": (lambda w: VERIFY, "a.opd", "ASN", ("Pegawai A", "Seminar A", "OPDA"), None),
    "to-record": (lambda w: TO_RECORD, "a.opd", "Name", ("Pegawai A", "Pelatihan A"), None),
    "nominations": (lambda w: NOMINATIONS, "a.opd", "ASN", ("Pegawai A", "Kategori A"), None),
}  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(SCOPED))
def test_an_export_holds_only_what_its_side_may_see(
    client, login_as, training_exports_world, case, fmt
):
    w = training_exports_world
    url, who, header, present, absent = SCOPED[case]
    login_as(_user(w, who))
    with no_writes():
        rows = download(client, url(w), fmt)
    assert rows[0][0] == header and len(rows) > 1
    text = flat(rows)
    assert all(p in text for p in present), text
    assert [x for x in (absent or _of_b(w)) if x in text] == []
    if case.startswith("participants"):
        assert [w.a.asn.user.full_name, w.a.asn.nip, "Enrolled", "", "0"] in rows


FILTERS = [
    (BATCHES, "a.opd", lambda w: {"q": "draf"}, ("Draf A",), ("Pelatihan A",)),
    (BATCHES, "a.opd", lambda w: {"state": "open"}, ("Pelatihan A", "Pelatihan B"), ("Draf A",)),
    (VERIFY, "city_admin", lambda w: {"q": "seminar b"}, ("Pegawai B",), ("Pegawai A",)),
    (VERIFY, "a.opd", lambda w: {"q": "seminar b"}, (), ("Pegawai A", "Pegawai B")),
    (TO_RECORD, "city_admin", lambda w: {"q": w.a.asn.nip}, ("Pegawai A",), ("Pegawai B",)),
    (PROPOSALS, "city_admin", lambda w: {}, ("Penghargaan A", "Penghargaan B"), ()),
    (PROPOSALS, "city_admin", lambda w: {"opd": w.a.agency.id}, ("Penghargaan A",),
     ("Penghargaan B",)),
    (PROPOSALS, "city_admin", lambda w: {"state": "approved"}, (), ("Penghargaan A",)),
    (NOMINATIONS, "city_admin", lambda w: {"q": "pegawai b"}, ("Kategori B",), ("Kategori A",)),
    (NOMINATIONS, "a.opd", lambda w: {"state": "submitted"}, (), ("Kategori A",)),
]  # fmt: skip


@pytest.mark.parametrize(("url", "who", "args", "present", "absent"), FILTERS)
def test_an_export_applies_the_page_filters(
    client, login_as, training_exports_world, url, who, args, present, absent
):
    login_as(_user(training_exports_world, who))
    rows = download(client, url, "xlsx", **args(training_exports_world))
    text = flat(rows)
    assert all(p in text for p in present) and not any(a in text for a in absent), text
    assert len(rows) == 1 + len(present)


@pytest.mark.parametrize(
    ("url", "refused", "hidden"),
    [(participants, ("mentor", "student"), ("b.opd", "b.facilitator", "a.staff", "a.asn")),
     (lambda w: VERIFY, ("a.asn", "a.facilitator", "mentor"), ()),
     (lambda w: TO_RECORD, ("a.asn", "a.facilitator", "mentor"), ()),
     (lambda w: PROPOSALS, ("a.opd", "a.asn", "a.facilitator"), ()),
     (lambda w: NOMINATIONS, ("a.asn", "a.facilitator", "student"), ())],
)  # fmt: skip
def test_who_may_not_export_is_refused(
    client, login_as, make, training_exports_world, url, refused, hidden
):
    w = training_exports_world
    target = url(w).format(fmt="csv")
    assert client.get(target).status_code == 302  # anonymous: sign in first
    extra = {"mentor": make.user(Role.MENTOR), "student": make.user(Role.STUDENT)}
    for who in refused:
        login_as(extra.get(who) or _user(w, who))
        assert client.get(target).status_code == 403, who
    for who in hidden:  # may see the batch page, but not its roster
        login_as(_user(w, who))
        assert client.get(target).status_code == 404, who


@pytest.mark.parametrize("url", [lambda w: BATCHES, participants, lambda w: VERIFY,
                                 lambda w: TO_RECORD, lambda w: PROPOSALS,
                                 lambda w: NOMINATIONS])  # fmt: skip
def test_unknown_formats_are_404(client, login_as, training_exports_world, url):
    login_as(training_exports_world.city_admin)
    for bad in ("pdf", "XLSX", "csv.exe"):
        assert client.get(url(training_exports_world).format(fmt=bad)).status_code == 404, bad


@pytest.mark.parametrize("url", [participants, lambda w: VERIFY, lambda w: TO_RECORD,
                                 lambda w: PROPOSALS, lambda w: NOMINATIONS])  # fmt: skip
def test_formulas_are_written_as_text(client, login_as, db, training_exports_world, url):
    w = training_exports_world
    w.a.asn.user.full_name = INJECTION
    db.session.flush()
    login_as(w.city_admin)
    for fmt in FORMATS:
        cells = [cell for row in download(client, url(w), fmt) for cell in row]
        assert "'" + INJECTION in cells and not any(c.startswith("=") for c in cells)


@pytest.mark.parametrize("url", [BATCHES, VERIFY, TO_RECORD, PROPOSALS, NOMINATIONS])
def test_an_export_runs_a_fixed_number_of_queries(
    client, login_as, make, training_exports_world, count_queries, url
):
    login_as(training_exports_world.city_admin)
    with count_queries() as small:
        download(client, url, "csv")
    training_world(make, "CD")  # twice the rows
    with count_queries() as large:
        rows = download(client, url, "csv")
    assert large() == small() and len(rows) >= 5


@pytest.mark.parametrize(
    ("page", "endpoint"),
    [("/batches?q=a", "/batches/export"), ("/ledger/verifications?q=a", "/ledger/verifications/export"),
     ("/post-tests/to-record?q=a", "/post-tests/to-record/export"),
     ("/recognition/proposals?q=a", "/recognition/proposals/export"),
     ("/recognition/nominations?q=a", "/recognition/nominations/export")],
)  # fmt: skip
def test_the_page_links_to_its_export_with_its_filters(
    client, login_as, training_exports_world, page, endpoint
):
    login_as(training_exports_world.city_admin)
    html = client.get(T + page).get_data(as_text=True)
    for fmt in FORMATS:
        assert f'href="{T}{endpoint}.{fmt}?q=a"' in html


def test_the_batch_page_links_to_its_roster_export(client, login_as, training_exports_world):
    w = training_exports_world
    login_as(w.a.opd)
    html = client.get(f"{T}/batches/{w.a.batch.id}").get_data(as_text=True)
    assert f'href="{participants(w).format(fmt="xlsx")}"' in html
    login_as(w.a.asn.user)  # a participant sees no roster and no link
    assert "participants/export" not in client.get(f"{T}/batches/{w.a.batch.id}").get_data(
        as_text=True
    )
