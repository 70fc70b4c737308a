"""Steps 1–4 of the internship journey (test_internship_journey.py), the application: sent by
the student, endorsed by her university, offered by the OPD and accepted, which creates the
placement. Each step is one person's part, in their own browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.internship_story import CV_PDF, MOTIVATION, OFFER_NOTE
from tests.e2e.pages import (
    definition,
    flash,
    heading,
    main,
    navbar,
    open_menu,
    path_of,
    region,
    sign_in,
)


def student_applies(student, t, world, check_accessible, title) -> str:
    """1. The student finds the position and applies; returns the application's path."""
    sign_in(student, t, world.student)
    navbar(student).get_by_role("link", name=t("Internships"), exact=True).click()
    expect(heading(student)).to_have_text(t("Internship positions"))
    student.get_by_label(t("OPD"), exact=True).select_option(label=world.agency_short_name)
    student.get_by_role("search").get_by_role("button", name=t("Search"), exact=True).click()
    row = main(student).get_by_role("row").filter(has_text=title)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(world.period_name)
    check_accessible(student, "the public list of positions (student)")
    row.get_by_role("link", name=title, exact=True).click()
    expect(heading(student)).to_have_text(title)
    expect(main(student)).to_contain_text(world.mentor.full_name)
    check_accessible(student, "the position page (student)")

    region(student, t("Applying")).get_by_role("link", name=t("Apply"), exact=True).click()
    expect(heading(student)).to_have_text(t("Apply for “%(title)s”", title=title))
    student.get_by_label(t("Motivation letter"), exact=True).fill(MOTIVATION)
    student.get_by_label(t("CV (PDF)"), exact=True).set_input_files(
        {"name": "cv-siti-khadijah-daulay.pdf", "mimeType": "application/pdf", "buffer": CV_PDF}
    )
    expect(student.get_by_label(t("Preference"), exact=True)).to_have_value("1")
    check_accessible(student, "the application form")
    main(student).get_by_role("button", name=t("Send the application"), exact=True).click()

    expect(student).to_have_url(re.compile(r"/internships/applications/\d+$"))
    application_path = path_of(student)
    expect(flash(student)).to_have_text(
        t("Your application has been sent. Your university reviews it first.")
    )
    workflow = region(student, t("Next step"))
    expect(workflow).to_contain_text(
        t("Your university reviews the application and endorses it or not.")
    )
    expect(definition(student, t("CV"))).to_contain_text("cv-siti-khadijah-daulay.pdf")
    expect(region(student, t("Motivation letter"))).to_contain_text(MOTIVATION.splitlines()[0])
    check_accessible(student, "the application page (student, just sent)")
    return application_path


def university_endorses(staff, t, world, check_accessible, title, student_name):
    """2. The university endorses it from its queue."""
    sign_in(staff, t, world.staff)
    open_menu(staff, t, "Internship work", "Students' applications")
    expect(heading(staff)).to_have_text(t("Students' applications"))
    row = main(staff).get_by_role("row").filter(has_text=student_name)
    expect(row).to_contain_text(t("Waiting for the university's endorsement"))
    check_accessible(staff, "the university's queue of applications")
    row.get_by_label(
        t("Choose the application of %(student)s", student=student_name), exact=True
    ).check()
    main(staff).get_by_role("button", name=t("Endorse the chosen applications"), exact=True).click()
    result = main(staff).get_by_role("status")
    expect(result).to_contain_text(
        t.n("%(num)d application endorsed:", "%(num)d applications endorsed:", 1)
    )
    expect(result).to_contain_text(f"{student_name} — {title}")
    row = main(staff).get_by_role("row").filter(has_text=student_name)
    expect(row).to_contain_text(t("Endorsed by the university"))


def opd_makes_an_offer(opd, t, world, check_accessible, student_name, application_path):
    """3. The OPD's admin makes an offer."""
    sign_in(opd, t, world.opd_admin)
    open_menu(opd, t, "Internship work", "Applications to the OPD")
    expect(heading(opd)).to_have_text(t("Applications to the OPD"))
    row = main(opd).get_by_role("row").filter(has_text=student_name)
    expect(row).to_contain_text(t("Endorsed by the university"))
    check_accessible(opd, "the OPD's queue of applications")
    row.get_by_role("link", name=student_name, exact=True).click()
    expect(opd).to_have_url(re.compile(re.escape(application_path) + r"$"))
    expect(heading(opd)).to_have_text(t("Application of %(student)s", student=student_name))
    workflow = region(opd, t("Next step"))
    expect(workflow.get_by_role("button")).to_have_text(
        [t("Shortlist"), t("Put on the waiting list"), t("Make an offer"), t("Reject")]
    )
    check_accessible(opd, "the application page (OPD admin)")
    workflow.get_by_label(t("Note or reason"), exact=True).fill(OFFER_NOTE)
    workflow.get_by_role("button", name=t("Make an offer"), exact=True).click()
    expect(flash(opd)).to_have_text(
        t("Done: the application is now “%(state)s”.", state=t("Offer made"))
    )
    history = region(opd, t("History"))
    expect(history.get_by_role("listitem").first).to_contain_text(t("Offer made"))
    expect(history.get_by_role("listitem").first).to_contain_text(OFFER_NOTE)


def student_accepts_the_offer(student, t, world, title, student_name) -> str:
    """4. The student accepts: the placement is created; returns the placement's path."""
    navbar(student).get_by_role("link", name=t("My applications"), exact=True).click()
    expect(heading(student)).to_have_text(t("My internship applications"))
    row = main(student).get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text(t("Offer made"))
    expect(row).to_contain_text(t("Accept or decline the offer before it expires."))
    row.get_by_role("button", name=t("Accept the offer")).click()
    expect(student).to_have_url(re.compile(r"/internships/placements/\d+$"))
    placement_path = path_of(student)
    expect(flash(student)).to_have_text(
        t(
            "You accepted the offer. Your placement has been created and your other open "
            "applications of this period were withdrawn."
        )
    )
    expect(heading(student)).to_have_text(student_name)
    expect(definition(student, t("Mentor"))).to_have_text(world.mentor.full_name)
    expect(definition(student, t("DPL"))).to_have_text(t("not named yet"))
    return placement_path
