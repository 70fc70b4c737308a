"""Every kind of page at 360 px (a student's phone), and focus you can see (issue 15 points 6, 7).

On the demo data, each demo person signs in and opens the pages they reach
(conftest's ``demo_site``); every endpoint is opened once, by the first person who reaches it.
Each page must fit 360 px without sideways scrolling and pass axe (serious and critical, WCAG 2.2
target size included: tests/e2e/a11y.py).

Focus: pressing Tab through a page's first controls, each focused element must show an outline of
at least 2 px whose colour has a contrast of at least 3:1 with the background around it (WCAG
2.4.7, 1.4.11) — in the blue menu bar as on the white page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD
from tests.e2e.a11y import AxeChecks

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

#: The elements that stick out of the viewport (those inside a scroll box that fits are fine).
_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const fits = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX !== 'visible' && p.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0 && !fits(el)) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' +
               String(el.className).trim().split(/\\s+/).join('.') + ' right=' + Math.round(r.right));
      if (out.length >= 5) break;
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, elements: out};
}"""

#: The focused element's outline, and the colour behind it (the first opaque ancestor's).
_FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  let bg = 'rgb(255, 255, 255)';
  for (let p = el.parentElement; p; p = p.parentElement) {
    const c = getComputedStyle(p).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) { bg = c; break; }
  }
  return {what: el.outerHTML.slice(0, 120), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          color: s.outlineColor, background: bg};
}"""


def _rgb(css: str) -> tuple[float, float, float]:
    r, g, b = (float(x) for x in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(rgb):
        def channel(c):
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(_rgb(a)), luminance(_rgb(b))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _sign_in(page: Page, url: str, email: str) -> None:
    page.goto(url + "/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


@pytest.fixture(scope="module")
def page_kinds(demo_site) -> list[tuple[str | None, str, str]]:
    """(person, endpoint, url): every endpoint once, with the first demo person who reaches it."""
    seen, kinds = set(), []
    for email, reached in demo_site.items():
        for page in reached:
            if page.endpoint not in seen:
                seen.add(page.endpoint)
                kinds.append((email, page.endpoint, page.url))
    return kinds


def test_every_kind_of_page_fits_a_phone_and_passes_axe(browser, demo_server, page_kinds):
    assert len(page_kinds) > 120, f"the crawl reached only {len(page_kinds)} kinds of page"
    axe = AxeChecks()
    overflowing = []
    by_person: dict = {}
    for email, endpoint, url in page_kinds:
        by_person.setdefault(email, []).append((endpoint, url))
    for email, pages in by_person.items():
        context = browser.new_context(viewport=PHONE, locale="id-ID")
        page = context.new_page()
        if email:
            _sign_in(page, demo_server.url, email)
        for endpoint, url in pages:
            page.goto(demo_server.url + url)
            found = page.evaluate(_OVERFLOW_JS)
            if found:
                overflowing.append(f"{endpoint} ({email or 'visitor'}, {url}): {found}")
            axe(page, f"{endpoint} as {email or 'visitor'} at 360 px")
        context.close()
    if overflowing:
        axe.failures.insert(
            0,
            f"{len(overflowing)} of {len(page_kinds)} kinds of page scroll "
            "sideways at 360 px:\n" + "\n".join(overflowing),
        )
    axe.assert_none()


@pytest.mark.parametrize("email", ["admin@sinergi.example", "mahasiswa.usu@sinergi.example"])
def test_focus_is_visible_on_every_control_tabbed_to(browser, demo_server, email):
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    _sign_in(page, demo_server.url, email)
    weak = []
    for path in ("/dashboard", "/profile"):
        page.goto(demo_server.url + path)
        for _ in range(40):
            page.keyboard.press("Tab")
            focus = page.evaluate(_FOCUS_JS)
            if focus is None:
                continue
            ratio = contrast(focus["color"], focus["background"])
            if focus["style"] == "none" or focus["width"] < 2 or ratio < 3:
                weak.append(
                    f"{path}: {focus['what']} — outline {focus['style']} "
                    f"{focus['width']}px {focus['color']} on {focus['background']} "
                    f"({ratio:.2f}:1)"
                )
    context.close()
    assert weak == [], f"{len(weak)} focused control(s) without a visible focus:\n" + "\n".join(
        weak
    )
