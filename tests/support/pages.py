"""Reading what a page shows, for the view tests: text, flashes, field errors, form values."""

from __future__ import annotations

import html
import re

_ALERT_RE = re.compile(r'<div class="alert alert-(\w+)">(.*?)</div>', re.S)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def visible_text(response) -> str:
    """The page as a reader sees it: scripts and tags (with their attributes, such as a random
    CSRF token) removed, entities unescaped, white space folded."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def flashes(response) -> list[str]:
    return [
        html.unescape(m).strip() for _c, m in _ALERT_RE.findall(response.get_data(as_text=True))
    ]


def field_error(response, name: str) -> str | None:
    match = re.search(
        rf'<div id="{name}-error" class="invalid-feedback[^"]*">(.*?)</div>',
        response.get_data(as_text=True),
        re.S,
    )
    return html.unescape(match.group(1)).strip() if match else None


def input_value(response, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', response.get_data(as_text=True))
    if tag is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else None


def select_options(response, name: str) -> dict[str, str]:
    body = response.get_data(as_text=True)
    select = re.search(rf'<select[^>]*\bname="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, f"no <select name={name}> on the page"
    return {
        v: html.unescape(t).strip()
        for v, t in re.findall(r'<option[^>]*value="([^"]*)"[^>]*>(.*?)</option>', select.group(1))
    }


def fresh(db, obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)
