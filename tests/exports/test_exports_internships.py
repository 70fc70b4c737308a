"""CSV/XLSX exports of the internship lists: each holds the page's columns, filters and scope
(university A's export holds nothing of university B; an OPD's nothing of another OPD; a mentor
or a DPL only their own interns), refuses other roles and unknown formats, neutralises formulas
and writes nothing."""

from __future__ import annotations

import pytest

from tests.exports.support_a import FORMATS, INJECTION, download, flat, no_writes
from tests.exports.support_b import internship_world
from tests.support.worlds import exports

P = "/internships"
UNI_Q = P + "/university/applications.{fmt}"
OPD_Q = P + "/opd/applications.{fmt}"
PLACEMENTS = P + "/placements.{fmt}"
SESSIONS = P + "/sessions.{fmt}"
POSITIONS = P + "/manage/positions/export.{fmt}"
PERIODS = P + "/manage/periods/export.{fmt}"
FEEDBACK = P + "/opd/feedback/export.{fmt}"

#: Anything of side B: names, e-mails, NIM, OPD and university, titles, comments.
OF_B = (
    "Mahasiswa B",
    "mhs.b@",
    "NIMBB77",
    "Siswa Lain B",
    "lain.b@",
    "Magang B",
    "OPDB",
    "UNIB",
    "Mentor B",
    "Pembimbing Lain B",
    "Dosen B",
    "Komentar B",
    "Topik B",
)


internship_exports_world = exports.internship_exports_world  # built once for the module


# (url, who on side A, first header, what of side A it holds, what of side A it must not hold)
SCOPED = {
    "university-queue": (UNI_Q, "staff", "Student", ("Mahasiswa A", "NIMAA77", "Siswa Lain A"), ()),
    "opd-queue": (OPD_Q, "opd", "Student", ("Mahasiswa A", "UNIA", "Magang A"), ()),
    "placements-university": (PLACEMENTS, "staff", "Student", ("Mahasiswa A", "Siswa Lain A"), ()),
    "placements-opd": (PLACEMENTS, "opd", "Student", ("Mahasiswa A", "Siswa Lain A"), ()),
    "placements-mentor": (PLACEMENTS, "mentor", "Student", ("Mahasiswa A",), ("Siswa Lain A",)),
    "sessions-mentor": (SESSIONS, "mentor", "Date", ("Mahasiswa A", "Topik A"),
                        ("Siswa Lain A", "Rahasia")),
    "positions": (POSITIONS, "opd", "Position", ("Magang A", "OPDA", "Periode Ekspor AB"), ()),
    "feedback": (FEEDBACK, "opd", "Date (WIB)", ("Mahasiswa A", "Komentar A", "Mentor A"), ()),
}  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(SCOPED))
def test_an_export_holds_only_what_its_side_may_see(
    client, login_as, internship_exports_world, case, fmt
):
    url, who, header, present, absent = SCOPED[case]
    login_as(getattr(internship_exports_world.a, who))
    with no_writes():
        rows = download(client, url, fmt)
    assert rows[0][0] == header and len(rows) > 1
    text = flat(rows)
    assert all(p in text for p in present), text
    assert [x for x in OF_B + absent if x in text] == []


def test_periods_export_lists_the_periods(client, login_as, internship_exports_world):
    w = internship_exports_world
    login_as(w.a.opd)
    rows = download(client, PERIODS, "csv")
    assert rows[0] == ["Name", "Starts on", "Ends on"]
    assert [w.period.name, w.period.starts_on.isoformat(), w.period.ends_on.isoformat()] in rows


# (url, who, query arguments (from the world), what the file holds, what it must not hold)
FILTERS = [
    (UNI_Q, "a.staff", lambda w: {"q": "Siswa Lain"}, ("Siswa Lain A",), ("Mahasiswa A",)),
    (UNI_Q, "a.staff", lambda w: {"state": "rejected"}, (), ("Mahasiswa A", "Siswa Lain A")),
    (OPD_Q, "a.opd", lambda w: {"q": "NIMAA77"}, ("Mahasiswa A",), ("Siswa Lain A",)),
    (OPD_Q, "city_admin", lambda w: {"opd": w.a.agency.id}, ("Mahasiswa A",), ("Mahasiswa B",)),
    (PLACEMENTS, "a.staff", lambda w: {"mine": "1"}, ("Mahasiswa A",), ("Siswa Lain A",)),
    (PLACEMENTS, "a.opd", lambda w: {"state": "completed"}, (), ("Mahasiswa A",)),
    (SESSIONS, "a.mentor", lambda w: {"month": "1999-01"}, (), ("Mahasiswa A",)),
    (POSITIONS, "a.opd", lambda w: {"state": "draft"}, (), ("Magang A",)),
    (POSITIONS, "city_admin", lambda w: {"opd": w.b.agency.id}, ("Magang B",), ("Magang A",)),
    (POSITIONS, "city_admin", lambda w: {"q": "magang a"}, ("Magang A",), ("Magang B",)),
    (FEEDBACK, "a.opd", lambda w: {"mentor": w.a.other_mentor.id}, ("Siswa Lain A",),
     ("Mahasiswa A",)),
    (FEEDBACK, "a.opd", lambda w: {"opd": w.b.agency.id}, ("Mahasiswa A",), ("Mahasiswa B",)),
    (FEEDBACK, "city_admin", lambda w: {"opd": w.b.agency.id}, ("Mahasiswa B",),
     ("Mahasiswa A",)),
]  # fmt: skip


def _user(w, who: str):
    found = w
    for part in who.split("."):
        found = getattr(found, part)
    return found


@pytest.mark.parametrize(("url", "who", "args", "present", "absent"), FILTERS)
def test_an_export_applies_the_page_filters(
    client, login_as, internship_exports_world, url, who, args, present, absent
):
    login_as(_user(internship_exports_world, who))
    text = flat(download(client, url, "xlsx", **args(internship_exports_world)))
    assert all(p in text for p in present) and not any(a in text for a in absent), text


@pytest.mark.parametrize(
    ("url", "refused"),
    [(UNI_Q, ("student", "mentor", "opd")), (OPD_Q, ("student", "mentor", "staff")),
     (PLACEMENTS, ()), (SESSIONS, ("student", "staff", "opd")),
     (POSITIONS, ("student", "mentor", "staff")), (PERIODS, ("student", "mentor", "staff")),
     (FEEDBACK, ("student", "mentor", "staff"))],
)  # fmt: skip
def test_other_roles_are_refused_and_unknown_formats_are_404(
    client, login_as, internship_exports_world, url, refused
):
    assert client.get(url.format(fmt="csv")).status_code == 302  # anonymous: sign in first
    for who in refused:
        login_as(getattr(internship_exports_world.a, who))
        assert client.get(url.format(fmt="csv")).status_code == 403, who
    allowed = next(p for p in ("opd", "staff", "mentor") if p not in refused)
    login_as(getattr(internship_exports_world.a, allowed))
    for bad in ("pdf", "CSV", "csv.exe"):
        assert client.get(url.format(fmt=bad)).status_code == 404, bad


@pytest.mark.parametrize("url", [UNI_Q, OPD_Q, PLACEMENTS, POSITIONS, FEEDBACK])
def test_formulas_are_written_as_text(client, login_as, db, internship_exports_world, url):
    w = internship_exports_world
    w.a.position.title = INJECTION
    db.session.flush()
    login_as(w.a.staff if url == UNI_Q else w.a.opd)
    for fmt in FORMATS:
        cells = [cell for row in download(client, url, fmt) for cell in row]
        assert "'" + INJECTION in cells and not any(c.startswith("=") for c in cells)


@pytest.mark.parametrize("url", [POSITIONS, FEEDBACK])
def test_an_export_runs_a_fixed_number_of_queries(
    client, login_as, make, internship_exports_world, count_queries, url
):
    login_as(internship_exports_world.city_admin)
    with count_queries() as small:
        download(client, url, "csv")
    internship_world(make, "CD")  # twice the rows
    with count_queries() as large:
        rows = download(client, url, "csv")
    assert large() == small() and len(rows) > 3


@pytest.mark.parametrize(
    ("page", "who", "endpoint"),
    [("/manage/positions?q=Magang", "opd", "/manage/positions/export"),
     ("/manage/periods", "opd", "/manage/periods/export"),
     ("/opd/feedback?mentor=1", "opd", "/opd/feedback/export"),
     ("/placements?q=Magang", "staff", "/placements"),
     ("/university/applications?q=Magang", "staff", "/university/applications"),
     ("/sessions?month=2026-03", "mentor", "/sessions")],
)  # fmt: skip
def test_the_page_links_to_its_export_with_its_filters(
    client, login_as, internship_exports_world, page, who, endpoint
):
    login_as(getattr(internship_exports_world.a, who))
    html = client.get(P + page).get_data(as_text=True)
    query = page.partition("?")[2]
    for fmt in FORMATS:
        assert f'href="{P}{endpoint}.{fmt}{"?" + query if query else ""}"' in html
