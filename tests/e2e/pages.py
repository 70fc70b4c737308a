"""Page helpers the browser journeys share: finding the parts every page has, signing in,
the notifications.

They take a Playwright ``Page`` (and ``t``, the portal's catalogue of the page's language, where
they look for a text) and return locators, or do one step and check that it worked. A helper that
only one journey can use stays in that journey's module; test modules import from here (and from
a11y.py, worlds.py), never from each other.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from tests.e2e.a11y import assert_accessible

if TYPE_CHECKING:
    from tests.e2e.worlds import Account


# --- Parts of every page ----------------------------------------------------------------------


def navbar(page: Page):
    """The main navigation, in the page's banner."""
    return page.get_by_role("banner").get_by_role("navigation")


def flash(page: Page):
    """The flashed message(s) of the page (role ``status``)."""
    return page.get_by_role("status")


def heading(page: Page):
    """The page's level-1 heading."""
    return page.get_by_role("heading", level=1)


def main(page: Page):
    """The page's main content."""
    return page.get_by_role("main")


def region(page: Page, name: str):
    """A section of the main content named (by its heading) exactly ``name``."""
    return main(page).get_by_role("region", name=name, exact=True)


def definition(page: Page, term: str):
    """The <dd> that follows the <dt> whose text is exactly ``term``, in the main content."""
    dt = main(page).locator("dl > dt").filter(has_text=re.compile(rf"^\s*{re.escape(term)}\s*$"))
    return dt.locator("xpath=following-sibling::dd[1]")


def path_of(page: Page) -> str:
    """The path of the page's address (no scheme, host or query)."""
    return urlparse(page.url).path


def open_menu(page: Page, t, menu: str, item: str) -> None:
    """Follow ``item`` of the navigation's drop-down ``menu``.

    The drop-downs open through Bootstrap's script, which runs at the end of the page: on a busy
    machine a click can land before it did and open nothing, so wait for the page's load event
    first and check that the menu opened before following the item.
    """
    page.wait_for_load_state("load")
    nav = navbar(page)
    toggle = nav.get_by_role("button", name=t(menu), exact=True)
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    nav.get_by_role("link", name=t(item), exact=True).click()


# --- Signing in -------------------------------------------------------------------------------


def _send_credentials(page: Page, t, email: str, password: str) -> None:
    page.get_by_label(t("E-mail"), exact=True).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(password)
    page.get_by_role("main").get_by_role("button", name=t("Sign in")).click()


def submit_sign_in(page: Page, t, email: str, password: str) -> None:
    """Open the sign-in page, check its heading and its accessibility, and send the form.

    What follows (the dashboard, or a refusal) is for the caller to check.
    """
    page.goto("/login")
    expect(heading(page)).to_have_text(t("Sign in"))
    assert_accessible(page, "the sign-in page")
    _send_credentials(page, t, email, password)


def sign_in(page: Page, t, account: Account) -> None:
    """Sign in as ``account`` and land on the dashboard, welcomed by name.

    The sign-in page itself is not checked here: ``submit_sign_in`` does that.
    """
    page.goto("/login")
    _send_credentials(page, t, account.email, account.password)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(flash(page)).to_have_text(t("Welcome, %(name)s.", name=account.full_name))


# --- Notifications ----------------------------------------------------------------------------


def unread_badge(page: Page):
    """The count of unread notifications on the bell in the navigation (absent when none)."""
    return navbar(page).locator("#unread-count")


def expect_unread(page: Page, count: int) -> None:
    """The bell in the navigation shows ``count`` unread notifications."""
    expect(unread_badge(page)).to_have_text(re.compile(rf"^\s*{count}\b"))


def open_notifications(page: Page, t) -> None:
    """Follow the navigation's link to the notification centre.

    Waits for the page's load event first: until the style sheet has loaded, the drop-down
    menus' items (among them "Notification settings") are not hidden, and the link's name
    would match two links."""
    page.wait_for_load_state("load")
    navbar(page).get_by_role("link", name=t("Notifications")).click()
    expect(page).to_have_url(re.compile(r"/notifications$"))
    expect(heading(page)).to_have_text(t("Notifications"))


def notification(page: Page, text: str):
    """The notice(s) of the notification centre that contain ``text``."""
    return page.get_by_role("main").get_by_role("listitem").filter(has_text=text)


def open_notice(page: Page, t, text: str) -> None:
    """Open the notification centre and follow the notice with ``text`` (its one button)."""
    open_notifications(page, t)
    notice = notification(page, text)
    expect(notice).to_have_count(1)
    notice.get_by_role("button").click()
