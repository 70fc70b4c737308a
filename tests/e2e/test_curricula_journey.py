"""Co-designed curricula in a real browser (issue "Co-designed curricula, course materials, and
the feedback loop").

1. A university lecturer drafts a proposal (fields, partner OPD, two modules, a target
   competency, the OPD admin as co-author, a Markdown material) and submits it.
2. The admin of the partner OPD starts the review, comments on module 1 and requests changes.
3. The lecturer reads the comment, answers it, changes module 1 and resubmits; the differences
   page shows version 1 against version 2 with module 1 changed.
4. The reviewer starts the review again; approving is refused while the thread is open, so he
   resolves it and approves for the agency; the lecturer approves for the university; a city
   admin publishes.
5. A visitor finds the curriculum in the public catalogue: modules, JP and outcomes, but no
   material to open.
6. An ASN opens the material, rates it and reports a typo.
7. The lecturer uploads a corrected version and marks the report fixed, linked to it.
8. The ASN sees the unread count in the navigation and the "fixed" note among her notifications.

Each person has their own browser. The accounts and the competency come from the
``curricula_world`` fixture (worlds.py); everything else is made through the pages. Expected
texts come from the portal's catalogue (``texts("id")``). Main pages are checked with axe-core.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y import AxeChecks
from tests.e2e.pages import (
    definition,
    expect_unread,
    flash,
    heading,
    navbar,
    notification,
    open_menu,
    open_notifications,
    path_of,
    sign_in,
    unread_badge,
)

pytestmark = pytest.mark.e2e

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
MODULE_1_REVISED = {"objectives": "Peserta memahami UU 24/2013, Perpres 96/2018 dan Permendagri "
                    "tentang tanda tangan elektronik.", "jp": "6"}  # fmt: skip
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


# --- the journey ----------------------------------------------------------------------------------


def test_curriculum_from_draft_to_catalogue_and_a_fixed_typo(
    live_server, curricula_world, new_person, texts
):
    t = texts("id")
    world = curricula_world
    check_accessible = AxeChecks()
    competency_option = t(
        "%(name)s (%(code)s)", name=world.competency_name, code=world.competency_code
    )
    total_v1 = int(MODULE_1["jp"]) + int(MODULE_2["jp"])
    total_v2 = int(MODULE_1_REVISED["jp"]) + int(MODULE_2["jp"])

    # --- 1. The lecturer drafts the proposal ---------------------------------------------------
    lecturer = new_person()
    sign_in(lecturer, t, world.proposer)
    open_menu(lecturer, t, "Curricula work", "Proposals")
    expect(heading(lecturer)).to_have_text(t("Curriculum proposals"))
    lecturer.get_by_role("link", name=t("New proposal"), exact=True).click()
    expect(heading(lecturer)).to_have_text(t("New proposal"))
    check_accessible(lecturer, "the new proposal form")

    lecturer.get_by_label(t("Title"), exact=True).fill(PROPOSAL["title"])
    lecturer.get_by_label(t("Summary"), exact=True).fill(PROPOSAL["summary"])
    lecturer.get_by_label(t("Audience"), exact=True).select_option(PROPOSAL["audience"])
    lecturer.get_by_label(t("Delivery mode"), exact=True).select_option(PROPOSAL["mode"])
    lecturer.get_by_label(t("Learning outcomes"), exact=True).fill("\n".join(PROPOSAL["outcomes"]))
    lecturer.get_by_label(t("Partner agency (OPD)"), exact=True).select_option(
        label=world.agency_name
    )
    lecturer.get_by_role("main").get_by_role("button", name=t("Save"), exact=True).click()

    expect(lecturer).to_have_url(re.compile(r"/curricula/proposals/\d+$"))
    proposal_path = path_of(lecturer)
    expect(flash(lecturer)).to_have_text(t("The proposal has been created as a draft."))
    expect(heading(lecturer)).to_have_text(PROPOSAL["title"])
    expect(workflow_region(lecturer, t)).to_contain_text(t("Draft"))
    missing = workflow_region(lecturer, t).get_by_role("listitem")
    expect(missing).to_have_text([t("at least one module"), t("at least one target competency")])

    # Two modules.
    for number, module in ((1, MODULE_1), (2, MODULE_2)):
        lecturer.get_by_role("link", name=t("Add a module"), exact=True).click()
        expect(heading(lecturer)).to_have_text(t("Add a module"))
        fill_module(lecturer, t, module)
        expect(flash(lecturer)).to_have_text(t("The module has been added."))
        card = module_region(lecturer, number, module["title"])
        expect(card).to_contain_text(t("%(jp)d JP", jp=int(module["jp"])))
    expect(lecturer.get_by_text(t("Total: %(jp)d JP", jp=total_v1), exact=True)).to_be_visible()

    # A target competency and level.
    targets = lecturer.get_by_role("region", name=t("Target competencies"), exact=True)
    targets.get_by_label(t("Competency"), exact=True).select_option(label=competency_option)
    targets.get_by_label(t("Target level"), exact=True).select_option(
        label=t("Level %(n)d", n=TARGET_LEVEL)
    )
    targets.get_by_role("button", name=t("Add"), exact=True).click()
    expect(flash(lecturer)).to_have_text(t("The target competency has been added."))
    targets = lecturer.get_by_role("region", name=t("Target competencies"), exact=True)
    expect(targets.get_by_role("row").filter(has_text=world.competency_name)).to_contain_text(
        t("Level %(n)d", n=TARGET_LEVEL)
    )
    expect(workflow_region(lecturer, t).get_by_role("listitem")).to_have_count(0)

    # The OPD admin as agency co-author: one proposal, two institutions.
    lecturer.get_by_role("link", name=t("Manage co-authors"), exact=True).click()
    expect(heading(lecturer)).to_have_text(t("Co-authors"))
    co_author = lecturer.get_by_label(t("Co-author"), exact=True)
    co_author.select_option(
        label=t(
            "%(name)s — %(what)s",
            name=world.reviewer.full_name,
            what=t("admin of the partner OPD"),
        )
    )
    lecturer.get_by_role("main").get_by_role("button", name=t("Add"), exact=True).click()
    expect(flash(lecturer)).to_have_text(t("The co-author has been added."))
    expect(lecturer.get_by_role("row").filter(has_text=world.reviewer.full_name)).to_contain_text(
        t("Agency (OPD)")
    )
    lecturer.get_by_role("link", name=t("Back to the proposal"), exact=True).click()
    expect(lecturer).to_have_url(re.compile(re.escape(proposal_path) + r"$"))

    # A text material (Markdown) in module 1.
    module_region(lecturer, 1, MODULE_1["title"]).get_by_role(
        "link", name=t("Add a material")
    ).click()
    expect(heading(lecturer)).to_have_text(
        t("Add a material to %(module)s", module=MODULE_1["title"])
    )
    lecturer.get_by_label(t("Kind of material"), exact=True).select_option("text")
    lecturer.get_by_label(t("Title"), exact=True).fill(MATERIAL_TITLE)
    lecturer.get_by_label(t("Text (for a text, in Markdown)"), exact=True).fill(MATERIAL_V1)
    lecturer.get_by_role("main").get_by_role("button", name=t("Add the material")).click()
    expect(lecturer).to_have_url(re.compile(r"/curricula/materials/\d+$"))
    material_path = path_of(lecturer)
    expect(flash(lecturer)).to_have_text(t("The material was added."))
    content = lecturer.get_by_role("main").locator(".material-text")
    expect(content.get_by_role("heading", name="Dasar hukum")).to_be_visible()
    expect(content.locator("strong")).to_have_text("Undang-Undang Nomor 24 Tahun 2013")
    check_accessible(lecturer, "the material page of a draft (author)")

    # Submit.
    lecturer.get_by_role("navigation", name=t("Breadcrumb")).get_by_role(
        "link", name=PROPOSAL["title"]
    ).click()
    expect(heading(lecturer)).to_have_text(PROPOSAL["title"])
    expect(
        module_region(lecturer, 1, MODULE_1["title"]).get_by_role(
            "link", name=MATERIAL_TITLE, exact=True
        )
    ).to_be_visible()
    check_accessible(lecturer, "the draft proposal page")
    expect_steps(lecturer, t, "Submit")
    take_step(lecturer, t, "Submit", state="Submitted")
    expect(lecturer.get_by_role("link", name=t("Edit the proposal"))).to_have_count(0)

    # --- 2. The reviewer of the partner OPD asks for changes on module 1 ------------------------
    reviewer = new_person()
    sign_in(reviewer, t, world.reviewer)
    expect_unread(reviewer, 1)
    open_notifications(reviewer, t)
    submitted = notification(
        reviewer,
        t("The curriculum proposal “%(title)s” was submitted for your review.",
          title=PROPOSAL["title"]),
    )  # fmt: skip
    submitted.get_by_role("button").click()  # its one button opens it
    expect(reviewer).to_have_url(re.compile(re.escape(proposal_path) + r"$"))
    expect(heading(reviewer)).to_have_text(PROPOSAL["title"])
    expect_steps(reviewer, t, "Start the review")
    take_step(reviewer, t, "Start the review", state="In review")
    expect_steps(reviewer, t, "Request changes", "Approve for the agency")

    card = module_region(reviewer, 1, MODULE_1["title"])
    card.locator("summary").click()  # the (still empty) thread list of the module is folded
    card.get_by_label(t("New comment"), exact=True).fill(REVIEW_COMMENT)
    card.get_by_role("button", name=t("Add the comment"), exact=True).click()
    expect(flash(reviewer)).to_have_text(t("Your comment has been added."))
    card = module_region(reviewer, 1, MODULE_1["title"])
    expect(card.get_by_role("article")).to_contain_text(REVIEW_COMMENT)
    expect(card.get_by_role("article")).to_contain_text(t("Open"))
    expect(module_region(reviewer, 2, MODULE_2["title"])).not_to_contain_text(REVIEW_COMMENT)
    check_accessible(reviewer, "the proposal page in review (agency reviewer)")

    # Requesting changes without a note is refused, with the reason.
    take_step(reviewer, t, "Request changes", state=None)
    expect(reviewer.get_by_role("alert")).to_have_text(
        t("Say what should change: a note is required to request changes.")
    )
    take_step(reviewer, t, "Request changes", state="Changes requested", note=CHANGES_NOTE)
    expect_steps(reviewer, t)  # nothing left for the agency side until the university resubmits

    # --- 3. The lecturer revises module 1 and resubmits -----------------------------------------
    lecturer.reload()
    expect_unread(lecturer, 1)
    open_notifications(lecturer, t)
    asked = notification(
        lecturer,
        t("The agency side asked for changes to “%(title)s”: %(note)s",
          title=PROPOSAL["title"], note=CHANGES_NOTE),
    )  # fmt: skip
    asked.get_by_role("button").click()  # its one button opens it
    expect(lecturer).to_have_url(re.compile(re.escape(proposal_path) + r"$"))
    expect(workflow_region(lecturer, t)).to_contain_text(t("Changes requested"))
    history = lecturer.get_by_role("region", name=t("History"), exact=True)
    expect(history.get_by_role("listitem").first).to_contain_text(CHANGES_NOTE)
    card = module_region(lecturer, 1, MODULE_1["title"])
    expect(card.get_by_role("article")).to_contain_text(REVIEW_COMMENT)

    card.get_by_label(t("Reply"), exact=True).fill(REPLY)
    card.get_by_role("button", name=t("Send the reply"), exact=True).click()
    expect(flash(lecturer)).to_have_text(t("Your comment has been added."))
    card = module_region(lecturer, 1, MODULE_1["title"])
    expect(card.get_by_role("article")).to_contain_text(REPLY)

    card.get_by_role("link", name=f"{t('Edit')} {MODULE_1['title']}", exact=True).click()
    expect(heading(lecturer)).to_have_text(t("Edit the module"))
    expect(lecturer.get_by_label(t("JP"), exact=True)).to_have_value(MODULE_1["jp"])
    fill_module(lecturer, t, MODULE_1_REVISED)
    expect(flash(lecturer)).to_have_text(t("The module has been saved."))
    expect(module_region(lecturer, 1, MODULE_1["title"])).to_contain_text(
        t("%(jp)d JP", jp=int(MODULE_1_REVISED["jp"]))
    )
    expect(lecturer.get_by_text(t("Total: %(jp)d JP", jp=total_v2), exact=True)).to_be_visible()
    expect_steps(lecturer, t, "Resubmit")
    take_step(lecturer, t, "Resubmit", state="Resubmitted")

    # The two frozen versions, and what changed between them: module 1 only.
    versions = lecturer.get_by_role("region", name=t("Versions"), exact=True)
    versions.get_by_role("link", name=t("Compare the last two"), exact=True).click()
    expect(heading(lecturer)).to_have_text(t("Differences between versions"))
    expect(lecturer.get_by_label(t("From version"), exact=True)).to_have_value("1")
    expect(lecturer.get_by_label(t("To version"), exact=True)).to_have_value("2")
    main = lecturer.get_by_role("main")
    expect(main).to_contain_text(t("Total JP: %(old)d → %(new)d", old=total_v1, new=total_v2))
    # Module headings (added, removed, changed) are the page's only level-3 headings.
    expect(main.get_by_role("heading", level=3)).to_have_text(
        [t("Module changed: %(title)s", title=MODULE_1["title"])]
    )
    module_changes = main.get_by_role("table", name=t("Changed fields of the module"))
    expect(module_changes.get_by_role("rowheader")).to_have_text([t("Objectives"), t("JP")])
    jp_row = module_changes.get_by_role("row").filter(
        has=lecturer.get_by_role("rowheader", name=t("JP"), exact=True)
    )
    expect(jp_row.get_by_role("cell")).to_have_text([MODULE_1["jp"], MODULE_1_REVISED["jp"]])
    expect(main).not_to_contain_text(t("Module added: %(title)s", title=MODULE_2["title"]))
    expect(main).not_to_contain_text(t("Module changed: %(title)s", title=MODULE_2["title"]))
    check_accessible(lecturer, "the differences between versions 1 and 2")

    # --- 4. Both sides approve, a city admin publishes ------------------------------------------
    reviewer.reload()
    expect(workflow_region(reviewer, t)).to_contain_text(t("Resubmitted"))
    take_step(reviewer, t, "Start the review", state="In review")
    # The thread on module 1 is still open: approving is refused, and the page says why.
    take_step(reviewer, t, "Approve for the agency", state=None)
    expect(reviewer.get_by_role("alert")).to_have_text(
        t("The proposal cannot be approved while review comments are open (%(count)d open). "
          "Resolve them first.", count=1)
    )  # fmt: skip
    card = module_region(reviewer, 1, MODULE_1["title"])
    expect(card.get_by_role("article")).to_contain_text(REPLY)
    card.get_by_role("button", name=t("Mark as resolved"), exact=True).click()
    expect(flash(reviewer)).to_have_text(t("The thread is resolved."))
    expect(module_region(reviewer, 1, MODULE_1["title"]).get_by_role("article")).to_contain_text(
        t("Resolved")
    )
    take_step(reviewer, t, "Approve for the agency", state="Approved by the agency side")
    expect_steps(reviewer, t)

    lecturer.goto(proposal_path)
    expect_steps(lecturer, t, "Approve for the university")
    take_step(lecturer, t, "Approve for the university", state="Approved by both sides")
    expect_steps(lecturer, t)  # publishing is for the admins

    admin = new_person()
    sign_in(admin, t, world.admin)
    open_menu(admin, t, "Curricula work", "Proposals")
    expect(heading(admin)).to_have_text(t("Curriculum proposals"))
    row = admin.get_by_role("row").filter(has_text=PROPOSAL["title"])
    expect(row).to_contain_text(t("Approved by both sides"))
    row.get_by_role("link", name=PROPOSAL["title"], exact=True).click()
    expect(heading(admin)).to_have_text(PROPOSAL["title"])
    check_accessible(admin, "the approved proposal page (city admin)")
    expect_steps(admin, t, "Publish")
    take_step(admin, t, "Publish", state="Published")

    # --- 5. A visitor finds it in the public catalogue ------------------------------------------
    visitor = new_person()
    visitor.goto("/")
    navbar(visitor).get_by_role("link", name=t("Curricula"), exact=True).click()
    expect(heading(visitor)).to_have_text(t("Curriculum catalogue"))
    visitor.get_by_label(t("Competency"), exact=True).select_option(label=world.competency_name)
    visitor.get_by_label(t("Delivery mode"), exact=True).select_option(PROPOSAL["mode"])
    visitor.get_by_role("search").get_by_role("button", name=t("Search"), exact=True).click()
    expect(visitor).to_have_url(re.compile(r"/curricula/\?.*mode=blended"))
    entry = visitor.get_by_role("main").get_by_role("listitem").filter(has_text=PROPOSAL["title"])
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(world.university_name)
    expect(entry).to_contain_text(t("%(jp)d JP", jp=total_v2))
    check_accessible(visitor, "the public catalogue")

    entry.get_by_role("link", name=PROPOSAL["title"], exact=True).click()
    expect(heading(visitor)).to_have_text(PROPOSAL["title"])
    main = visitor.get_by_role("main")
    outcomes = main.get_by_role("region", name=t("Learning outcomes"), exact=True)
    expect(outcomes.get_by_role("listitem")).to_have_text(PROPOSAL["outcomes"])
    modules = main.get_by_role("region", name=t("Modules"), exact=True)
    expect(modules.get_by_role("heading", level=3)).to_have_text(
        [
            t("Module %(n)d: %(title)s", n=1, title=MODULE_1["title"]),
            t("Module %(n)d: %(title)s", n=2, title=MODULE_2["title"]),
        ]
    )
    module_1 = modules.get_by_role("article").filter(has_text=MODULE_1["title"])
    expect(module_1).to_contain_text(t("%(jp)d JP", jp=int(MODULE_1_REVISED["jp"])))
    expect(module_1).to_contain_text(MATERIAL_TITLE)
    expect(modules.get_by_role("article").filter(has_text=MODULE_2["title"])).to_contain_text(
        t("%(jp)d JP", jp=int(MODULE_2["jp"]))
    )
    expect(main).to_contain_text(t("%(jp)d JP", jp=total_v2))
    expect(main).to_contain_text(t("Materials are listed here; sign in to open them."))
    # Metadata only: no link to the material, nothing to download.
    expect(main.get_by_role("link", name=MATERIAL_TITLE)).to_have_count(0)
    expect(main.locator("a[href*='/materials/'], a[href*='/download']")).to_have_count(0)
    check_accessible(visitor, "the public curriculum page")

    visitor.goto(material_path)  # even with the address, the content stays closed
    expect(heading(visitor)).to_have_text(MATERIAL_TITLE)
    expect(visitor.get_by_role("main")).to_contain_text(
        t("Sign in to open or download this material.")
    )
    expect(visitor.get_by_role("main")).not_to_contain_text("Undang-Undang Nomor 24")
    expect(visitor.get_by_role("main").locator("a[href*='/download']")).to_have_count(0)

    # --- 6. An ASN rates the material and reports the typo --------------------------------------
    learner = new_person()
    sign_in(learner, t, world.learner)
    navbar(learner).get_by_role("link", name=t("Curricula"), exact=True).click()
    learner.get_by_role("main").get_by_role("link", name=PROPOSAL["title"], exact=True).click()
    expect(heading(learner)).to_have_text(PROPOSAL["title"])
    learner.get_by_role("main").get_by_role("link", name=MATERIAL_TITLE, exact=True).click()
    expect(learner).to_have_url(re.compile(re.escape(material_path) + r"$"))
    expect(heading(learner)).to_have_text(MATERIAL_TITLE)
    expect(learner.locator(".material-text strong")).to_have_text(
        "Undang-Undang Nomor 24 Tahun 2013"
    )
    check_accessible(learner, "the material page of a published curriculum (ASN)")

    rating = learner.get_by_role("region", name=t("Rate this material"), exact=True)
    for key, label in (
        ("overall", "Overall"),
        ("relevance", "Relevance to my work or studies"),
        ("clarity", "Clarity"),
        ("difficulty", "Difficulty"),
    ):
        rating.get_by_role("group", name=t(label), exact=True).get_by_label(
            str(RATING[key]), exact=True
        ).check()
    rating.get_by_label(t("Comment (optional)"), exact=True).fill(RATING_COMMENT)
    rating.get_by_role("button", name=t("Save my rating"), exact=True).click()
    expect(flash(learner)).to_have_text(t("Thank you: your rating was saved."))
    rating = learner.get_by_role("region", name=t("Rate this material"), exact=True)
    expect(
        rating.get_by_role("group", name=t("Overall"), exact=True).get_by_label(
            str(RATING["overall"]), exact=True
        )
    ).to_be_checked()
    expect(rating.get_by_label(t("Comment (optional)"), exact=True)).to_have_value(RATING_COMMENT)

    report = learner.get_by_role("region", name=t("Report a problem"), exact=True)
    report.get_by_label(t("Kind of problem"), exact=True).select_option("typo")
    report.get_by_label(t("What is wrong, and where"), exact=True).fill(FLAG_TEXT)
    report.get_by_role("button", name=t("Send the report"), exact=True).click()
    expect(learner).to_have_url(re.compile(r"/curricula/my-flags$"))
    expect(flash(learner)).to_have_text(
        t("Thank you: the authors were told about the problem. You can follow it under "
          "My reports.")
    )  # fmt: skip
    mine = learner.get_by_role("row").filter(has_text=MATERIAL_TITLE)
    expect(mine).to_contain_text(t("Typo"))
    expect(state_cell(mine, 3)).to_have_text(t("Open"))  # Reported, Material, Problem, State
    expect(unread_badge(learner)).to_have_count(0)

    # --- 7. The lecturer uploads the corrected text and closes the report -----------------------
    lecturer.reload()
    open_menu(lecturer, t, "Curricula work", "Material reports")
    expect(heading(lecturer)).to_have_text(t("Reported problems"))
    queued = lecturer.get_by_role("row").filter(has_text=MATERIAL_TITLE)
    expect(queued).to_contain_text(t("Typo"))
    expect(state_cell(queued, 4)).to_have_text(t("Open"))  # …, Material, Problem, State
    check_accessible(lecturer, "the authors' queue of reported problems")
    queued.get_by_role("link").click()
    expect(heading(lecturer)).to_have_text(t("Report on %(title)s", title=MATERIAL_TITLE))
    expect(lecturer.get_by_role("main")).to_contain_text(FLAG_TEXT)
    expect(lecturer.get_by_role("button", name=t("Mark as fixed"))).to_have_count(0)
    flag_path = path_of(lecturer)
    lecturer.get_by_role("main").get_by_role(
        "link", name=t("Upload a new version"), exact=True
    ).click()

    expect(heading(lecturer)).to_have_text(t("New version: %(title)s", title=MATERIAL_TITLE))
    body = lecturer.get_by_label(t("Text (Markdown)"), exact=True)
    expect(body).to_have_value(MATERIAL_V1)
    body.fill(MATERIAL_V2)
    lecturer.get_by_label(t("What changed"), exact=True).fill(FIX_NOTE)
    lecturer.get_by_role("main").get_by_role("button", name=t("Save the new version")).click()
    expect(lecturer).to_have_url(re.compile(re.escape(material_path) + r"$"))
    expect(flash(lecturer)).to_have_text(t("Version %(number)d was saved.", number=2))
    expect(lecturer.locator(".material-text")).to_contain_text("Administrasi Kependudukan.")
    versions_table = lecturer.get_by_role("table", name=t("Versions of this material"))
    expect(versions_table.get_by_role("row").filter(has_text=FIX_NOTE)).to_have_count(1)

    lecturer.goto(flag_path)
    expect(heading(lecturer)).to_have_text(t("Report on %(title)s", title=MATERIAL_TITLE))
    lecturer.get_by_label(t("Note"), exact=True).fill(FIX_NOTE)
    lecturer.get_by_label(t("Corrected version"), exact=True).select_option(
        label=t("Version %(number)d", number=2)
    )
    check_accessible(lecturer, "the report page with the fix form")
    lecturer.get_by_role("button", name=t("Mark as fixed"), exact=True).click()
    expect(flash(lecturer)).to_have_text(t("The report is now: %(state)s.", state=t("Fixed")))
    expect(definition(lecturer, t("State"))).to_contain_text(t("Fixed"))
    expect(definition(lecturer, t("Note from the authors"))).to_have_text(FIX_NOTE)
    expect(definition(lecturer, t("Fixed in"))).to_have_text(t("version %(number)d", number=2))
    expect(lecturer.get_by_role("button", name=t("Mark as fixed"))).to_have_count(0)

    # --- 8. The ASN is told ----------------------------------------------------------------------
    learner.reload()
    expect_unread(learner, 1)
    open_notifications(learner, t)
    fixed_text = t(
        'The problem you reported with "%(material)s" was fixed. What changed: %(note)s',
        material=MATERIAL_TITLE,
        note=FIX_NOTE,
    )
    fixed = notification(learner, fixed_text)
    expect(fixed).to_have_count(1)
    expect(fixed).to_contain_text(t("New"))
    check_accessible(learner, "the notifications page with the unread notice")
    fixed.get_by_role("button").click()  # its one button opens it
    expect(learner).to_have_url(re.compile(re.escape(material_path) + r"$"))
    expect(unread_badge(learner)).to_have_count(0)
    expect(learner.locator(".material-text")).to_contain_text("Administrasi Kependudukan.")
    expect(learner.locator(".material-text")).not_to_contain_text("Kependudukn")

    navbar(learner).get_by_role("link", name=t("My reports"), exact=True).click()
    mine = learner.get_by_role("row").filter(has_text=MATERIAL_TITLE)
    expect(state_cell(mine, 3)).to_have_text(t("Fixed"))
    expect(mine).to_contain_text(FIX_NOTE)
    expect(mine).to_contain_text(t("Fixed in version %(number)d", number=2))

    check_accessible.assert_none()
