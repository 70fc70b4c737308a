"""The story of the curricula journey (test_curricula_journey.py): the proposal, its modules and
material, what the reviewer and the learner write, and helpers for the proposal page's module
cards and workflow box."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.pages import flash

PROPOSAL = {
    "title": "Pelayanan Adminduk Digital untuk Petugas Kecamatan",
    "summary": "Petugas kecamatan melayani warga dengan aplikasi SIAK terpusat dan tanda tangan "
    "elektronik.",
    "audience": "asn",
    "mode": "blended",
    "outcomes": [
        "Peserta dapat memverifikasi dokumen kependudukan secara elektronik.",
        "Peserta dapat menerbitkan Kartu Keluarga dengan tanda tangan elektronik.",
    ],
}
MODULE_1 = {
    "title": "Dasar hukum administrasi kependudukan",
    "objectives": "Peserta memahami UU 24/2013 dan aturan turunannya.",
    "jp": "4",
    "method": "ceramah",
}
MODULE_1_REVISED = {
    "objectives": "Peserta memahami UU 24/2013, Perpres 96/2018 dan Permendagri "
    "tentang tanda tangan elektronik.",
    "jp": "6",
}
MODULE_2 = {
    "title": "Praktik SIAK terpusat",
    "objectives": "Peserta menerbitkan KK dan KTP-el di lingkungan latihan.",
    "jp": "8",
    "method": "praktik",
}
TARGET_LEVEL = 3

MATERIAL_TITLE = "Ringkasan dasar hukum"
#: The first version has a typo ("Kependudukn") that the learner reports.
MATERIAL_V1 = """## Dasar hukum

Pelayanan mengacu pada **Undang-Undang Nomor 24 Tahun 2013** tentang Administrasi Kependudukn.

- Kartu Keluarga
- KTP elektronik"""
MATERIAL_V2 = MATERIAL_V1.replace("Kependudukn", "Kependudukan")
FIX_NOTE = "Salah ketik “Kependudukn” diperbaiki menjadi “Kependudukan”."

REVIEW_COMMENT = "Modul 1 perlu mencakup Perpres 96/2018 dan tambah JP untuk diskusi."
CHANGES_NOTE = "Lengkapi dasar hukum modul 1 (Perpres 96/2018)."
REPLY = "Sudah kami tambahkan, JP modul 1 menjadi 6."
RATING = {"overall": 4, "relevance": 5, "clarity": 3, "difficulty": 3}
RATING_COMMENT = "Ringkas dan jelas, tapi ada salah ketik di paragraf pertama."
FLAG_TEXT = "Paragraf pertama: “Kependudukn” seharusnya “Kependudukan”."


# --- helpers --------------------------------------------------------------------------------------


def module_region(page: Page, position: int, title: str):
    """A module's card on the proposal page (a <section> named by its "n. title" heading)."""
    return page.get_by_role("region", name=f"{position}. {title}", exact=True)


def workflow_region(page: Page, t):
    return page.get_by_role("region", name=t("Workflow"), exact=True)


def take_step(page: Page, t, step: str, *, state: str | None, note: str | None = None) -> None:
    """Click a workflow button; ``state`` is the state title the flash reports (None: refused)."""
    box = workflow_region(page, t)
    if note is not None:
        box.get_by_label(t("Note"), exact=True).fill(note)
    box.get_by_role("button", name=t(step), exact=True).click()
    if state is not None:
        expect(flash(page)).to_have_text(t("The proposal is now: %(state)s.", state=t(state)))
        expect(box).to_contain_text(t(state))


def expect_steps(page: Page, t, *steps: str) -> None:
    """The workflow box offers exactly these buttons."""
    expect(workflow_region(page, t).get_by_role("button")).to_have_text([t(s) for s in steps])


def fill_module(page: Page, t, module: dict) -> None:
    for key, label in (("title", "Module title"), ("objectives", "Objectives"), ("jp", "JP")):
        if key in module:
            page.get_by_label(t(label), exact=True).fill(module[key])
    if "method" in module:
        page.get_by_label(t("Method"), exact=True).select_option(module["method"])
    page.get_by_role("main").get_by_role("button", name=t("Save"), exact=True).click()


def state_cell(row, column: int):
    return row.get_by_role("cell").nth(column)
