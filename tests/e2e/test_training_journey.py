"""A training from registration to a verified certificate in a real browser (issue 5,
"Trainings"): an ASN registers, the supervisor approves, the ASN checks in with the session
code, passes the post-test, downloads the certificate, and the verification page confirms it.

1. An ASN of DLH finds the training in the "Trainings" menu and registers from its page: the
   registration waits for her supervisor.
2. Her direct supervisor approves it from his queue of training approvals: she is enrolled.
3. The facilitator (a university lecturer) opens the session's check-in code page: the code in
   large type and a QR code of the check-in address with the code.
4. The ASN opens that address (as scanning the QR code would): the code is filled in, she checks
   in.
5. She takes the post-test, answering every question correctly, and sees that she passed.
6. The afternoon passes (the session's times are moved back in the database, see
   ``afternoon_passes``); the facilitator completes the training.
7. The ASN downloads her certificate (a PDF) from "My trainings", and a visitor who is not signed
   in opens the public verification page of its number: valid, with her name and the training.

Each person has their own browser. The accounts, the open batch with its one session running
now and its post-test come from the ``training_world`` fixture (worlds.py); everything else is
done through the pages, starting from the navigation. Expected texts come from the portal's
catalogue (``texts("id")``). Every page the journey visits is checked with axe-core; violations
are collected and reported at the end.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.e2e.a11y import AxeChecks
from tests.e2e.pages import (
    definition,
    flash,
    heading,
    main,
    open_menu,
    path_of,
    region,
    sign_in,
)

pytestmark = pytest.mark.e2e

#: the default pattern of CERTIFICATE_NUMBER_TRAINING (portal/certificates/numbering.py)
STTPP_NUMBER = re.compile(r"^\d{4}/STTPP/BKPSDM/[IVX]{1,4}/\d{4}$")
CERTIFICATE_FILE = re.compile(r"^sertifikat-[0-9A-Z.\-]{3,40}\.pdf$")


# --- helpers --------------------------------------------------------------------------------------


def afternoon_passes(app: Flask, session_id: int, hours: int = 6) -> None:
    """Move the session ``hours`` back in time, straight in the live server's database.

    A training can be completed only once its last session has ended, and the world's session
    (six hours: the 8 JP it credits, 45 minutes each) runs for five and a half more hours: the
    journey cannot wait for that. Moving the session back by six hours makes it one that started
    six and a half hours ago and ended half an hour ago, as if the afternoon had passed since
    the check-in and the post-test (which stay as they were recorded).
    """
    from portal.db import db
    from portal.trainings.models import TrainingSession

    with app.app_context():
        session = db.session.get(TrainingSession, session_id)
        session.starts_at -= timedelta(hours=hours)
        session.ends_at -= timedelta(hours=hours)
        db.session.commit()
        db.session.remove()


def batch_row(page: Page, title: str):
    """The row of the training ``title`` in the main content's table."""
    return main(page).get_by_role("row").filter(has_text=title)


def open_batch_from_menu(page: Page, t, title: str) -> None:
    """Open the list of trainings from the navigation and follow the training ``title``."""
    open_menu(page, t, "Trainings", "Training batches")
    expect(heading(page)).to_have_text(t("Trainings"))
    row = batch_row(page, title)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=title, exact=True).click()
    expect(heading(page)).to_have_text(title)


# --- the journey ----------------------------------------------------------------------------------


def test_training_from_registration_to_verified_certificate(
    live_server, training_world, new_person, texts, tmp_path
):
    t = texts("id")
    world = training_world
    check_accessible = AxeChecks()
    title = world.batch_title
    asn_name = world.asn.account.full_name
    batch_path = f"/trainings/batches/{world.batch_id}"
    pass_mark = int(live_server.app.config["TRAINING_POST_TEST_PASS_SCORE"])

    # --- 1. The ASN finds the training and registers ---------------------------------------------
    asn = new_person()
    sign_in(asn, t, world.asn.account)
    open_menu(asn, t, "Trainings", "Training batches")
    expect(heading(asn)).to_have_text(t("Trainings"))
    row = batch_row(asn, title)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(world.curriculum_title)
    expect(row).to_contain_text(t("Open for registration"))
    expect(row).to_contain_text(t("Open to you"))
    check_accessible(asn, "the list of trainings (ASN)")
    row.get_by_role("link", name=title, exact=True).click()
    expect(asn).to_have_url(re.compile(re.escape(batch_path) + r"$"))
    expect(heading(asn)).to_have_text(title)
    # the JP its six-hour session earns (45 minutes each), what completing it credits
    expect(definition(asn, t("JP (lesson hours)")).locator("strong")).to_have_text(f"{world.jp} JP")
    expect(definition(asn, t("Facilitators"))).to_have_text(world.facilitator.full_name)
    expect(region(asn, t("Sessions"))).to_contain_text(world.place)
    place = region(asn, t("Your place"))
    check_accessible(asn, "the training page (ASN, not registered)")
    place.get_by_role("button", name=t("Register"), exact=True).click()

    expect(asn).to_have_url(re.compile(r"/trainings/registrations/\d+$"))
    registration_path = path_of(asn)
    expect(flash(asn)).to_have_text(
        t("Your registration was sent to your supervisor for approval.")
    )
    expect(heading(asn)).to_have_text(t("Registration of %(asn)s", asn=asn_name))
    expect(main(asn).locator("header")).to_contain_text(t("Waiting for the supervisor's approval"))
    expect(definition(asn, t("Training"))).to_contain_text(title)
    check_accessible(asn, "the registration page (ASN, waiting for the supervisor)")

    # --- 2. The supervisor approves it from his queue ---------------------------------------------
    supervisor = new_person()
    sign_in(supervisor, t, world.supervisor.account)
    open_menu(supervisor, t, "Trainings", "Training approvals")
    expect(heading(supervisor)).to_have_text(t("Training approvals"))
    row = main(supervisor).get_by_role("row").filter(has_text=asn_name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(title)
    expect(row).to_contain_text(world.asn.nip)
    check_accessible(supervisor, "the supervisor's queue of training approvals")
    row.get_by_role("button", name=t("Approve")).click()
    expect(supervisor).to_have_url(re.compile(r"/trainings/approvals$"))
    expect(flash(supervisor)).to_have_text(
        t("Done: the registration is now “%(state)s”.", state=t("Enrolled"))
    )
    expect(main(supervisor)).to_contain_text(t("Nothing waits for your approval."))

    asn.goto(registration_path)
    expect(main(asn).locator("header")).to_contain_text(t("Enrolled"))
    history = region(asn, t("History"))
    expect(history.get_by_role("listitem").first).to_contain_text(
        world.supervisor.account.full_name
    )

    # --- 3. The facilitator shows the session's check-in code -------------------------------------
    facilitator = new_person()
    sign_in(facilitator, t, world.facilitator)
    open_batch_from_menu(facilitator, t, title)
    roster = region(facilitator, t("Participants"))
    expect(roster.get_by_role("row").filter(has_text=asn_name)).to_contain_text(t("Enrolled"))
    expect(region(facilitator, t("Run the training"))).to_contain_text(
        t("The training can be completed after its last session.")
    )
    check_accessible(facilitator, "the training page (facilitator, session running)")
    region(facilitator, t("Sessions")).get_by_role(
        "link", name=t("Check-in code"), exact=True
    ).click()
    expect(facilitator).to_have_url(re.compile(rf"/trainings/sessions/{world.session_id}/code$"))
    expect(heading(facilitator)).to_have_text(title)
    code = main(facilitator).locator("p.display-1 > [aria-hidden=true]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4,16}", code), f"no check-in code on the page: {code!r}"
    qr = main(facilitator).locator("figure svg.qr-code")
    expect(qr).to_be_visible()
    check_in_url = qr.locator("title").text_content()  # what the QR code encodes
    assert urlparse(check_in_url).path == "/trainings/check-in", check_in_url
    assert parse_qs(urlparse(check_in_url).query) == {"code": [code]}, check_in_url
    check_accessible(facilitator, "the session's check-in code page")

    # --- 4. The ASN checks in with the code (the address the QR code gives) -----------------------
    asn.goto(check_in_url)
    expect(heading(asn)).to_have_text(t("Check in to a session"))
    expect(asn.get_by_label(t("Check-in code"), exact=True)).to_have_value(code)
    check_accessible(asn, "the check-in page (code filled in from the QR code)")
    main(asn).get_by_role("button", name=t("Check in"), exact=True).click()
    expect(asn).to_have_url(re.compile(r"/trainings/mine$"))
    expect(flash(asn)).to_have_text(t("You are checked in to “%(training)s”.", training=title))
    expect(heading(asn)).to_have_text(t("My trainings"))
    current = main(asn).get_by_role("table", name=t("Current and upcoming"))
    row = current.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text(t("Enrolled"))
    expect(row).to_contain_text(world.place)
    check_accessible(asn, "My trainings (ASN, enrolled and checked in)")

    # --- 5. The ASN passes the post-test ----------------------------------------------------------
    asn.goto(batch_path)
    region(asn, t("More about this training")).get_by_role(
        "link", name=t("Post-test"), exact=True
    ).click()
    expect(heading(asn)).to_have_text(f"{t('Post-test')}: {title}")
    for question in world.post_test:
        group = main(asn).get_by_role("group", name=question.text)
        expect(group.get_by_role("radio")).to_have_count(len(question.choices))
        group.get_by_label(question.correct, exact=True).check()
    check_accessible(asn, "the post-test (ASN, answering)")
    main(asn).get_by_role("button", name=t("Submit my answers"), exact=True).click()
    expect(flash(asn)).to_have_text(t("Your answers are saved."))
    expect(heading(asn)).to_have_text(f"{t('Post-test')}: {title}")
    expect(main(asn)).to_contain_text(t("Passed (pass mark %(mark)d%%).", mark=pass_mark))
    per_competency = main(asn).get_by_role("table", name=t("Score per competency"))
    expect(per_competency).to_contain_text(world.competency_name)
    expect(main(asn).get_by_role("button", name=t("Submit my answers"))).to_have_count(0)
    check_accessible(asn, "the post-test (ASN, passed)")

    # --- 6. The afternoon passes; the facilitator completes the training --------------------------
    afternoon_passes(live_server.app, world.session_id)
    facilitator.goto(batch_path)
    manage = region(facilitator, t("Run the training"))
    manage.get_by_role("button", name=t("Complete the training"), exact=True).click()
    expect(facilitator).to_have_url(re.compile(re.escape(batch_path) + r"$"))
    expect(flash(facilitator)).to_have_text(
        t(
            "The training is completed: %(done)s completed it, %(not_done)s did not.",
            done=1,
            not_done=0,
        )
    )
    expect(main(facilitator).locator("header")).to_contain_text(t("Completed"))
    participant = (
        region(facilitator, t("Participants")).get_by_role("row").filter(has_text=asn_name)
    )
    expect(participant).to_contain_text(t("Completed"))
    expect(participant).to_contain_text("100%")
    check_accessible(facilitator, "the training page (facilitator, completed)")

    # --- 7. The ASN downloads the certificate; a visitor verifies it ------------------------------
    asn.goto("/dashboard")
    open_menu(asn, t, "Trainings", "My trainings")
    expect(heading(asn)).to_have_text(t("My trainings"))
    past = main(asn).get_by_role("table", name=t("Past and closed"))
    row = past.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text(t("Completed"))
    check_accessible(asn, "My trainings (ASN, training completed)")
    number = row.locator("[data-certificate-number]").inner_text().strip()
    assert STTPP_NUMBER.match(number), f"not an official STTPP number: {number!r}"
    with asn.expect_download() as download_info:
        row.get_by_role("link", name=t("Certificate (PDF)"), exact=True).click()
    download = download_info.value
    assert CERTIFICATE_FILE.match(download.suggested_filename), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert Path(saved).read_bytes().startswith(b"%PDF-"), "the certificate is not a PDF"

    visitor = new_person()  # not signed in: the address printed on the certificate (its QR code)
    visitor.goto(f"/certificates/verify/{number}")
    expect(heading(visitor)).to_have_text(t("Certificate check"))
    expect(main(visitor).get_by_role("status")).to_contain_text(t("Valid"))
    expect(definition(visitor, t("Number"))).to_have_text(number)
    expect(definition(visitor, t("Holder"))).to_have_text(asn_name)
    expect(definition(visitor, t("Certificate"))).to_contain_text(title)
    expect(definition(visitor, t("Status"))).to_have_text(t("Valid"))
    check_accessible(visitor, "the public certificate verification page")

    check_accessible.assert_none()
