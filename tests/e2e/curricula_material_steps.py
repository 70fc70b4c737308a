"""Steps 5–8 of the curricula journey (test_curricula_journey.py), the published curriculum and
its material: found in the public catalogue, rated and reported by an ASN, corrected by the
lecturer, and the ASN told of the fix. Each step is one person's part, in their own browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.curricula_story import (
    FIX_NOTE,
    FLAG_TEXT,
    MATERIAL_TITLE,
    MATERIAL_V1,
    MATERIAL_V2,
    MODULE_1,
    MODULE_1_REVISED,
    MODULE_2,
    PROPOSAL,
    RATING,
    RATING_COMMENT,
    state_cell,
)
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


def visitor_finds_it_in_the_catalogue(visitor, t, world, check_accessible, material_path, total_v2):
    """5. A visitor finds it in the public catalogue."""
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


def learner_rates_the_material_and_reports_the_typo(
    learner, t, world, check_accessible, material_path
):
    """6. An ASN rates the material and reports the typo."""
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
        t("Thank you: the authors were told about the problem. You can follow it under My reports.")
    )
    mine = learner.get_by_role("row").filter(has_text=MATERIAL_TITLE)
    expect(mine).to_contain_text(t("Typo"))
    expect(state_cell(mine, 3)).to_have_text(t("Open"))  # Reported, Material, Problem, State
    expect(unread_badge(learner)).to_have_count(0)


def lecturer_uploads_the_correction_and_closes_the_report(
    lecturer, t, check_accessible, material_path
):
    """7. The lecturer uploads the corrected text and closes the report."""
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
    # issue 18 (10c): the upload came from the report, so it goes back to the report
    expect(lecturer).to_have_url(re.compile(re.escape(flag_path) + r"#handle$"))
    expect(flash(lecturer)).to_have_text(t("Version %(number)d was saved.", number=2))
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
    lecturer.goto(material_path)
    expect(lecturer.locator(".material-text")).to_contain_text("Administrasi Kependudukan.")
    versions_table = lecturer.get_by_role("table", name=t("Versions of this material"))
    expect(versions_table.get_by_role("row").filter(has_text=FIX_NOTE)).to_have_count(1)


def learner_is_told(learner, t, check_accessible, material_path):
    """8. The ASN is told."""
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
