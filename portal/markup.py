"""Markdown written by users, rendered to HTML that is safe to show (QUALITY.md G10).

Markdown is converted first, then cleaned with nh3 (an allow-list of tags and attributes, only
http/https/mailto links, ``rel="noopener noreferrer nofollow"``): raw HTML in the source, event
handlers and ``javascript:`` URLs never reach the page.
"""

from __future__ import annotations

import markdown as _markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_SOURCE = 100_000


def render_markdown(source: str | None) -> Markup:
    """Markdown → sanitised HTML, ready for a template (``{{ html }}``, no ``|safe`` needed)."""
    text = (source or "")[:MAX_SOURCE]
    html = _markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704  (cleaned by nh3 with an allow-list just above)
