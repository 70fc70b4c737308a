"""Steps 1–4 of the curricula journey (test_curricula_journey.py), the proposal's way through
review: drafted and submitted, changes requested, revised and resubmitted, approved by both
sides and published. Each step is one person's part, in their own browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.curricula_story import (
    CHANGES_NOTE,
    MATERIAL_TITLE,
    MATERIAL_V1,
    MODULE_1,
    MODULE_1_REVISED,
    MODULE_2,
    PROPOSAL,
    REPLY,
    REVIEW_COMMENT,
    TARGET_LEVEL,
    expect_steps,
    fill_module,
    module_region,
    take_step,
    workflow_region,
)
from tests.e2e.pages import (
    expect_unread,
    flash,
    heading,
    notification,
    open_menu,
    open_notifications,
    path_of,
    sign_in,
)


def lecturer_drafts_the_proposal(
    lecturer, t, world, check_accessible, competency_option, total_v1
) -> tuple[str, str]:
    """1. The lecturer drafts the proposal and submits it; returns the paths of the proposal
    and of its material."""
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
    co_author = lecturer.get_by_role("combobox", name=t("Co-author"), exact=True)
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
    return proposal_path, material_path


def reviewer_asks_for_changes(reviewer, t, world, check_accessible, proposal_path):
    """2. The reviewer of the partner OPD asks for changes on module 1."""
    sign_in(reviewer, t, world.reviewer)
    expect_unread(reviewer, 1)
    open_notifications(reviewer, t)
    submitted = notification(
        reviewer,
        t(
            "The curriculum proposal “%(title)s” was submitted for your review.",
            title=PROPOSAL["title"],
        ),
    )
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


def lecturer_revises_and_resubmits(
    lecturer, t, check_accessible, proposal_path, total_v1, total_v2
):
    """3. The lecturer revises module 1 and resubmits."""
    lecturer.reload()
    expect_unread(lecturer, 1)
    open_notifications(lecturer, t)
    asked = notification(
        lecturer,
        t(
            "The agency side asked for changes to “%(title)s”: %(note)s",
            title=PROPOSAL["title"],
            note=CHANGES_NOTE,
        ),
    )
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

    # the reply's page opens at #comment-…: once loaded, the browser has scrolled there (a click
    # aimed while it scrolls can land beside the link)
    lecturer.wait_for_load_state("load")
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


def both_sides_approve_and_an_admin_publishes(
    lecturer, reviewer, admin, t, world, check_accessible, proposal_path
):
    """4. Both sides approve, a city admin publishes."""
    reviewer.reload()
    expect(workflow_region(reviewer, t)).to_contain_text(t("Resubmitted"))
    take_step(reviewer, t, "Start the review", state="In review")
    # The thread on module 1 is still open: approving is refused, and the page says why.
    take_step(reviewer, t, "Approve for the agency", state=None)
    expect(reviewer.get_by_role("alert")).to_have_text(
        t(
            "The proposal cannot be approved while review comments are open (%(count)d open). "
            "Resolve them first.",
            count=1,
        )
    )
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
