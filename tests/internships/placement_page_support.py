"""Requests of the placement page tests (test_placement_page.py, test_placement_list.py,
test_placement_settings.py): a placement's page, the list as text, and the credit-readiness
section of a placement's page."""

from __future__ import annotations


def page(client, placement):
    """The response of ``placement``'s page."""
    return client.get(f"/internships/placements/{placement.id}")


def listed(client, url="/internships/placements"):
    """The placement list (or another list ``url``) as text."""
    return client.get(url).get_data(as_text=True)


def readiness(client, placement):
    """The credit-readiness section of ``placement``'s page, as HTML."""
    html = page(client, placement).get_data(as_text=True)
    start = html.index('id="readiness"')
    return html[start : html.index("</section>", start)]
