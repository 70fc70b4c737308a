"""Competency profiles in a real browser (issue "ASN competency profiles").

1. An ASN opens "Kompetensi saya": JPM, the gap chart and the table from an official assessment;
   she assesses herself, and her estimates appear beside the official levels, which stay put.
2. A city-wide administrator imports the ASN roster from the XLSX template: a malformed NIP
   blocks the import in the preview; the corrected file is confirmed and the people appear in
   the ASN records.

The data (Diskominfo, the position and its standard, the ASN records, the admin) is seeded by
the ``competency_world`` fixture (worlds.py). Every page state is checked with axe-core.
Expected texts come from the portal's catalogue (``texts("id")``).
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from portal.competency.nip import check_nip
from tests.e2e.a11y import assert_accessible
from tests.e2e.pages import flash, heading, navbar, open_menu, submit_sign_in

pytestmark = pytest.mark.e2e

#: The descriptor the test factories give every level of every competency.
LEVEL_TEXT = "Deskripsi level {n}"

#: Her own estimate per competency (the official levels are 3, 1 and 2).
SELF_LEVELS = {"Integritas": 4, "Perekat Bangsa": 2, "Keamanan Informasi": 3}

NEW_ASN = {
    "nip": "199004122015032002",
    "nama": "Dewi Sartika Nasution",
    "email": "dewi.nasution@pemkomedan.example.com",
    "status": "PNS",
    "golongan": "III/b",
    "jabatan": "Pranata Komputer",
}
#: The row the admin first types wrong: 17 digits, the last one missing.
MISTYPED_ASN = {
    "nip": "19950817202006201",
    "nama": "Maya Sari Siregar",
    "email": "maya.siregar@pemkomedan.example.com",
    "status": "PNS",
    "golongan": "III/a",
    "jabatan": "",
}
CORRECT_NIP = "199508172020062011"


def gap_row(page: Page, t, name: str):
    table = page.get_by_role("table", name=t("Competency gaps"))
    return table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))


def expect_gap_table(page: Page, t, world, self_levels: dict[str, int] | None) -> None:
    """Each competency's row: required, official level, gap, self-assessment, supervisor rating,
    post-training test (evidence beside the gap, issue 17)."""
    for c in world.competencies:
        gap = c.required - c.official
        gap_text = f"+{gap} {t('below the standard')}" if gap > 0 else "0"
        own = str(self_levels[c.name]) if self_levels else "—"
        expect(gap_row(page, t, c.name).get_by_role("cell")).to_have_text(
            [str(c.required), str(c.official), gap_text, own, "—", "—"]
        )


def expect_official_jpm(page: Page, t, world) -> None:
    required = sum(c.required for c in world.competencies)
    current = sum(min(c.official, c.required) for c in world.competencies)
    jpm = round(current / required * 100, 1)
    assert jpm == 75.0, "the seeded levels should give a JPM of 75 % (still meets the standard)"
    section = page.get_by_role("region", name=t("Job Person Match (JPM)"))
    expect(section.get_by_text(f"{jpm:.1f}%", exact=True)).to_be_visible()
    expect(section).to_contain_text(t("Masih memenuhi syarat (still meets the standard)"))
    total = len(world.competencies)
    expect(section).to_contain_text(
        t(
            "based on %(n)d of %(total)d competencies with an official assessment",
            n=total,
            total=total,
        )
    )


def test_asn_views_her_competency_profile_and_assesses_herself(
    live_server, competency_world, new_person, texts
):
    t = texts("id")
    world = competency_world
    asn = world.asn

    page = new_person()
    submit_sign_in(page, t, asn.account.email, asn.account.password)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(flash(page)).to_have_text(t("Welcome, %(name)s.", name=asn.account.full_name))
    assert_accessible(page, "the ASN's dashboard")

    # --- "Kompetensi saya": JPM, the gap chart and the table ----------------------------------
    expect(navbar(page).get_by_role("link", name="Kompetensi saya", exact=True)).to_be_visible()
    navbar(page).get_by_role("link", name=t("My competencies"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/competency/$"))
    expect(heading(page)).to_have_text(t("My competencies"))
    expect(page.get_by_text(check_nip(asn.nip).display, exact=True)).to_be_visible()
    expect(page.locator("dd").filter(has_text=world.position_name)).to_contain_text(
        t("Fungsional (functional)")
    )
    expect_official_jpm(page, t, world)

    chart_title = t("Current level against the standard of the position")
    chart = page.get_by_role("img", name=chart_title)
    expect(chart).to_have_count(1)
    assert chart.evaluate("e => e.tagName.toLowerCase()") == "svg"
    expect(chart.locator("title")).to_have_text(chart_title)
    below = [c for c in world.competencies if c.official < c.required]
    expect(chart.locator("rect")).to_have_count(len(world.competencies))
    expect(chart.locator("rect[fill='#b02a37']")).to_have_count(len(below))  # red: a gap
    expect_gap_table(page, t, world, self_levels=None)
    assert_accessible(page, "'Kompetensi saya' with the official assessment")

    # --- "Nilai diri saya": one level per competency -------------------------------------------
    page.get_by_role("link", name=t("Assess myself"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/competency/self-assessment$"))
    expect(heading(page)).to_have_text(t("Self-assessment"))
    assert_accessible(page, "the self-assessment form")

    for c in world.competencies:
        group = page.get_by_role("group", name=c.name, exact=True)
        expect(group).to_contain_text(t("Required for the position: level %(n)d", n=c.required))
        expect(group.get_by_role("radio")).to_have_count(5)
        level = SELF_LEVELS[c.name]
        choice = group.get_by_label(
            t("Level %(n)d: %(text)s", n=level, text=LEVEL_TEXT.format(n=level)), exact=True
        )
        choice.check()
        expect(choice).to_be_checked()
    page.get_by_role("main").get_by_role("button", name=t("Save my self-assessment")).click()

    expect(page).to_have_url(re.compile(r"/competency/$"))
    expect(flash(page)).to_have_text(t("Saved. Thank you."))
    expect_gap_table(page, t, world, self_levels=SELF_LEVELS)
    expect_official_jpm(page, t, world)  # an estimate does not move the official JPM
    history = page.get_by_role("table", name=t("Assessments over time"))
    estimate = history.get_by_role("row").filter(has_text=t("Self-assessment"))
    expect(estimate).to_have_count(1)
    expect(estimate).to_contain_text(t("no (estimate)"))
    expect(estimate).to_contain_text(asn.account.full_name)
    assert_accessible(page, "'Kompetensi saya' after the self-assessment")


# --- The roster import -------------------------------------------------------------------------


def fill_roster(template: Path, rows: list[dict[str, str]], out: Path) -> Path:
    """The downloaded template with its example row replaced by ``rows`` (every cell text)."""
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1] if cell.value]
    assert {"nip", "nama", "email", "status", "opd"} <= set(headers), headers
    for number, row in enumerate(rows, start=2):
        for column, header in enumerate(headers, start=1):
            cell = sheet.cell(row=number, column=column)
            if header == "nip":
                assert cell.number_format == "@", "the template's NIP column is not text"
            cell.value = row.get(header) or None
    workbook.save(out)
    return out


def summary_value(page: Page, label: str):
    return page.locator("dl > dt").filter(has_text=label).locator("xpath=following-sibling::dd[1]")


def expect_preview_counts(page: Page, t, **counts: int) -> None:
    labels = {
        "rows": "Rows in the file",
        "errors": "Rows with errors",
        "warnings": "Rows with warnings",
        "new": "New ASN records",
        "updates": "ASN records updated",
    }
    for key, value in counts.items():
        expect(summary_value(page, t(labels[key]))).to_have_text(str(value))


def preview_row(page: Page, t, name: str):
    table = page.get_by_role("table", name=t("Rows of the file and their check"))
    return table.get_by_role("row").filter(has_text=name)


def upload_roster(page: Page, t, path: Path) -> None:
    page.get_by_label(t("Roster file (.xlsx or .csv)"), exact=True).set_input_files(path)
    page.get_by_role("main").get_by_role("button", name=t("Check the file")).click()
    expect(heading(page)).to_have_text(t("Check the ASN roster"))


def test_city_admin_imports_the_asn_roster_after_fixing_a_bad_nip(
    live_server, competency_world, new_person, texts, tmp_path
):
    t = texts("id")
    world = competency_world
    admin = world.admin
    budi = world.roster_asn
    opd = world.agency_short_name
    rows = [
        {**NEW_ASN, "opd": opd},
        {
            "nip": budi.nip,
            "nama": budi.account.full_name,
            "email": budi.account.email,
            "status": "PNS",
            "golongan": "III/c",  # promoted: the import updates his record
            "jabatan": world.position_name,
            "opd": opd,
        },
        {**MISTYPED_ASN, "opd": opd},
    ]

    page = new_person()
    submit_sign_in(page, t, admin.email, admin.password)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(flash(page)).to_have_text(t("Welcome, %(name)s.", name=admin.full_name))
    assert_accessible(page, "the city admin's dashboard")

    # --- The ASN records, before the import ----------------------------------------------------
    open_menu(page, t, "Administration", "Competencies")
    expect(heading(page)).to_have_text(t("Competency catalogue"))
    assert_accessible(page, "the competency catalogue")
    tabs = page.get_by_role("navigation", name=t("Competency administration"))
    tabs.get_by_role("link", name=t("ASN records"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/competency/asn$"))
    expect(heading(page)).to_have_text(t("ASN records"))
    records = page.get_by_role("table", name=t("ASN records"))
    expect(records.get_by_role("row").filter(has_text=budi.account.full_name)).to_contain_text(
        budi.golongan
    )
    expect(records.get_by_role("row").filter(has_text=NEW_ASN["nama"])).to_have_count(0)
    assert_accessible(page, "the ASN records list")

    page.get_by_role("link", name=t("Import the ASN roster"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/roster/$"))
    expect(heading(page)).to_have_text(t("Import the ASN roster"))
    assert_accessible(page, "the roster upload page")

    # --- The template, filled in with one mistyped NIP ------------------------------------------
    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download the template (XLSX)")).click()
    template = tmp_path / "roster-template.xlsx"
    download.value.save_as(template)
    bad_file = fill_roster(template, rows, tmp_path / "daftar-asn.xlsx")

    upload_roster(page, t, bad_file)
    expect_preview_counts(page, t, rows=3, errors=1, warnings=0, new=1, updates=1)
    expect(page.get_by_role("alert")).to_have_text(
        t.n(
            "%(num)d row has errors. Fix it in your file and upload it again: the roster is "
            "imported only when every row is correct.",
            "%(num)d rows have errors. Fix them in your file and upload it again: the roster is "
            "imported only when every row is correct.",
            1,
        )
    )
    mistyped = preview_row(page, t, MISTYPED_ASN["nama"])
    expect(mistyped).to_have_count(1)
    expect(mistyped).to_contain_text(MISTYPED_ASN["nip"])
    expect(mistyped).to_contain_text(t("Error"))
    expect(mistyped.get_by_role("listitem")).to_have_text(
        [f"{t('Error')}: {t('A NIP has exactly 18 digits.')}"]
    )
    expect(preview_row(page, t, NEW_ASN["nama"])).to_contain_text(t("New"))
    expect(preview_row(page, t, budi.account.full_name)).to_contain_text(t("Update"))
    # Nothing can be confirmed: the page offers no confirm button (and no form to post).
    confirm_all = t.n("Confirm: import %(num)d row", "Confirm: import %(num)d rows", len(rows))
    expect(page.get_by_role("button", name=confirm_all)).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("button")).to_have_count(0)
    expect(
        page.get_by_role("link", name=t("Download the row errors (XLSX)"), exact=True)
    ).to_be_visible()
    assert_accessible(page, "the roster preview with a row in error")

    # --- The corrected file: confirm, and the people are in the portal -------------------------
    page.get_by_role("link", name=t("Upload another file"), exact=True).click()
    expect(heading(page)).to_have_text(t("Import the ASN roster"))
    assert_accessible(page, "the roster upload page, for the corrected file")
    rows[2] = {**rows[2], "nip": CORRECT_NIP}
    fixed_file = fill_roster(template, rows, tmp_path / "daftar-asn-diperbaiki.xlsx")

    upload_roster(page, t, fixed_file)
    expect_preview_counts(page, t, rows=3, errors=0, warnings=0, new=2, updates=1)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(preview_row(page, t, MISTYPED_ASN["nama"])).to_contain_text(t("New"))
    expect(preview_row(page, t, MISTYPED_ASN["nama"])).not_to_contain_text(t("Error"))
    confirm = page.get_by_role("button", name=confirm_all, exact=True)
    expect(confirm).to_be_enabled()
    assert_accessible(page, "the roster preview without errors")

    confirm.click()
    # issue 18: the import's result page, which says what happened to its people's invitations
    expect(page).to_have_url(re.compile(r"/admin/roster/imports/\d+$"))
    expect(flash(page)).to_have_text(
        t(
            "Roster imported: %(created)d new ASN records, %(updated)d updated.",
            created=2,
            updated=1,
        )
    )
    assert_accessible(page, "the roster import's result page")

    page.goto("/admin/competency/asn")
    expect(heading(page)).to_have_text(t("ASN records"))
    records = page.get_by_role("table", name=t("ASN records"))
    not_invited, accepted = t("No invitation sent yet"), t("Accepted / active")
    for person, nip, golongan, position, account in (
        (NEW_ASN["nama"], NEW_ASN["nip"], NEW_ASN["golongan"], NEW_ASN["jabatan"], not_invited),
        (MISTYPED_ASN["nama"], CORRECT_NIP, MISTYPED_ASN["golongan"], "", not_invited),
        (budi.account.full_name, budi.nip, "III/c", world.position_name, accepted),
    ):
        row = records.get_by_role("row").filter(has_text=person)
        expect(row).to_have_count(1)
        expect(row.get_by_role("cell")).to_have_text(
            [
                person,
                check_nip(nip).display,
                t("PNS (civil servant)"),
                golongan,
                position,
                opd,
                "",
                account,
                re.compile(re.escape(t("Edit"))),
            ]
        )
    assert_accessible(page, "the ASN records list after the import")
