"""The city admin's pages on a government desktop (1280 px) and a phone (360 px) (issue 18,
part 2, points 5, 10e, 10g), on the demo data.

- Charts: every label of the dashboard's bar charts shows its whole text inside the chart, and
  every cell of the competency-gap heat map has text of at least 12 px that fits the cell, at
  both widths (the city admin demo account, read only).
- The greeting after signing in never doubles the full stop of a name that ends with a degree
  ("Dr. Rina Siregar, M.Pd.").
- The city admin's menu stays on one line at 1280 px, in Indonesian and in English, and opens
  from the keyboard.

The greeting and the menu use two city admins of their own (one per language), so that switching
the language changes no demo account other journeys sign in with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from portal.auth.models import Role, User
from portal.db import db
from portal.demo import DEMO_PASSWORD
from tests.e2e.pages import flash, navbar
from tests.support.factories import Factories

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
CITY_ADMIN = "admin@sinergi.example"

#: Each chart label: its text, whether it is cut (scrolls, or sticks out of the chart), its font.
_LABELS_JS = """(id) => {
  const chart = document.getElementById(id);
  if (!chart) return null;
  const box = chart.getBoundingClientRect();
  return [...chart.querySelectorAll('.chart-label, .chart-value')].map((el) => {
    const r = el.getBoundingClientRect();
    return {text: el.textContent.trim(), kind: el.classList.contains('chart-label') ? 'label' : 'value',
            cut: el.scrollWidth > el.clientWidth + 1 || r.left < box.left - 1 || r.right > box.right + 1,
            font: parseFloat(getComputedStyle(el).fontSize)};
  });
}"""

#: Each heat-map cell and heading: its text, font size, and whether its text overflows it.
_CELLS_JS = """(id) => {
  const map = document.getElementById(id);
  if (!map) return null;
  return [...map.querySelectorAll('th, td')].map((el) => {
    const inner = [...el.querySelectorAll('*')];
    const smallest = Math.min(parseFloat(getComputedStyle(el).fontSize),
                              ...inner.map((c) => parseFloat(getComputedStyle(c).fontSize)));
    return {text: el.textContent.trim().replace(/\\s+/g, ' '), font: smallest,
            cut: el.scrollWidth > el.clientWidth + 1, width: el.getBoundingClientRect().width};
  });
}"""

#: The top-level items of the menu bar: their boxes.
_NAV_JS = """() => {
  const items = [...document.querySelectorAll('nav.navbar .navbar-nav > .nav-item')];
  return {height: document.querySelector('nav.navbar').getBoundingClientRect().height,
          page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth,
          items: items.map((el) => {
            const r = el.getBoundingClientRect();
            return {text: el.innerText.trim().split('\\n')[0], top: r.top, bottom: r.bottom,
                    right: r.right, visible: r.width > 0};
          })};
}"""


@dataclass(frozen=True)
class LayoutAdmin:
    email: str
    full_name: str
    locale: str


ADMINS = {
    "id": LayoutAdmin("rina.siregar.tata@pemkomedan.example.com", "Dr. Rina Siregar, M.Pd.", "id"),
    "en": LayoutAdmin(
        "rina.siregar.layout@pemkomedan.example.com", "Dr. Rina Siregar, M.Pd.", "en"
    ),
}


@pytest.fixture(scope="module")
def layout_admins(demo_server) -> dict[str, LayoutAdmin]:
    """Two city admins whose name ends with a degree, one reading Indonesian, one English."""
    with demo_server.app.app_context():
        make = Factories(db.session)
        for admin in ADMINS.values():
            if not db.session.scalar(sa.select(User.id).where(User.email == admin.email)):
                make.user(
                    Role.ADMIN,
                    email=admin.email,
                    full_name=admin.full_name,
                    password=DEMO_PASSWORD,
                    locale=admin.locale,
                )
        db.session.commit()
        db.session.remove()
    return ADMINS


def _sign_in(page: Page, server, t, email: str) -> None:
    page.goto(server.url + "/login")
    page.get_by_label(t("E-mail"), exact=True).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.wait_for_load_state("load")


def _table_headers(page: Page, heading_id: str) -> list[str]:
    """The row headings of the data table that follows a chart's heading (folded: text content)."""
    cells = page.locator(f"#{heading_id} ~ details table tbody th")
    return [text.strip() for text in cells.all_text_contents()]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "360"])
def test_the_city_admins_charts_stay_legible(demo_server, new_person, texts, size):
    t = texts("id")
    page = new_person()
    page.set_viewport_size(size)
    _sign_in(page, demo_server, t, CITY_ADMIN)
    expect(page.get_by_role("region", name=t("Administration: the whole city"))).to_be_visible()

    for heading, chart in (
        ("admin-compliance", "admin-compliance-chart"),
        ("admin-funnel", "admin-funnel-chart"),
    ):
        names = _table_headers(page, heading)
        assert names, f"the {chart} has figures on the demo data"
        labels = page.evaluate(_LABELS_JS, chart)
        assert labels, f"no {chart} on the page"
        shown = [label["text"] for label in labels if label["kind"] == "label"]
        assert shown == names, f"{chart}: every label shows the whole name"
        cut = [label["text"] for label in labels if label["cut"]]
        assert cut == [], f"{chart} at {size['width']} px: these are cut off: {cut}"
        small = [(label["text"], label["font"]) for label in labels if label["font"] < 12]
        assert small == [], f"{chart} at {size['width']} px: text under 12 px: {small}"
    assert any(len(name) > 28 for name in _table_headers(page, "admin-compliance")), (
        "the demo has long OPD names (such as Dinas Pendidikan dan Kebudayaan)"
    )

    cells = page.evaluate(_CELLS_JS, "admin-gap-heatmap")
    assert cells, "the competency-gap heat map is a table of cells"
    figures = [c for c in cells if re.search(r"\d+(\.\d+)?%", c["text"])]
    assert len(figures) >= 4, cells[:5]
    small = [(c["text"], c["font"]) for c in cells if c["font"] < 12]
    assert small == [], f"heat map at {size['width']} px: text under 12 px: {small[:5]}"
    cut = [(c["text"], c["width"]) for c in cells if c["cut"]]
    assert cut == [], f"heat map at {size['width']} px: text wider than its cell: {cut[:5]}"

    # The trend chart is drawn at its own size (scrolled sideways on a phone), never shrunk.
    scale = page.evaluate(
        """() => { const svg = document.querySelector('#admin-trend-chart svg, svg[aria-labelledby="admin-trend-chart-title"]');
                   return svg ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : null; }"""
    )
    assert scale is not None and scale >= 0.99, f"the trend chart is shrunk to {scale}"
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    page.close()


def test_the_greeting_does_not_double_the_full_stop_of_a_degree(
    demo_server, new_person, texts, layout_admins
):
    admin = layout_admins["id"]
    t = texts("id")
    page = new_person()
    _sign_in(page, demo_server, t, admin.email)
    greeting = t("Welcome, %(name)s.", name="NAME").replace("NAME", admin.full_name)
    expect(flash(page)).to_contain_text(admin.full_name)
    text = flash(page).inner_text().strip()
    assert ".." not in text, text
    assert text == greeting.replace(admin.full_name + ".", admin.full_name), text
    page.close()


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_admins_menu_stays_on_one_line_at_1280(
    demo_server, new_person, texts, layout_admins, language
):
    admin = layout_admins[language]
    t = texts(language)
    page = new_person()
    page.set_viewport_size(DESKTOP)
    _sign_in(page, demo_server, texts("id"), admin.email)
    expect(page.locator("html")).to_have_attribute("lang", language)

    bar = page.evaluate(_NAV_JS)
    items = [i for i in bar["items"] if i["visible"]]
    assert len(items) >= 6, bar
    lowest_top = max(i["top"] for i in items)
    highest_bottom = min(i["bottom"] for i in items)
    assert lowest_top < highest_bottom, f"the menu wraps: {[(i['text'], i['top']) for i in items]}"
    assert bar["height"] <= 72, f"the menu bar is {bar['height']} px high"
    assert all(i["right"] <= bar["view"] for i in items), items
    assert bar["page"] <= bar["view"], "the menu makes the page scroll sideways"
    # Every page the admin reaches from the menu is still there: open a group from the keyboard.
    toggle = navbar(page).get_by_role("button", name=t("Administration"), exact=True)
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(navbar(page).get_by_role("link", name=t("Users"), exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")

    # On a phone the menu folds behind its button and opens to a list that fits.
    page.set_viewport_size(PHONE)
    navbar(page).get_by_role("button", name=t("Show or hide the menu")).click()
    expect(navbar(page).get_by_role("button", name=t("Administration"), exact=True)).to_be_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the open menu makes the page scroll sideways by {overflow} px"
    page.close()
