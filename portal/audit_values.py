"""Ways of showing an audit detail's value to a reader (portal/audit_details.py holds the
registry that says which way each detail key takes): Yes/No, numbers in the locale, dates and
moments in the locale and in WIB, ids as ``#12``, identifiers by the titles of a vocabulary,
chosen by the event's action where the same key means different things in different workflows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_date, format_datetime, format_decimal

from portal.i18n import _

#: ``show(value, action, detail)``: the value as text (``detail`` is the event's whole detail).
Show = Callable[[object, str, Mapping], str]
NOTHING = "—"


def humanise(key: str) -> str:
    """``not_completed`` -> ``Not completed``: the fallback label of a key nobody registered."""
    return str(key).replace("_", " ").strip().capitalize() or str(key)


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def plain(value, action: str = "", detail: Mapping | None = None) -> str:
    """Any value, readably: Yes/No, numbers in the locale, lists and mappings item by item."""
    if value is None or value in ("", [], {}):
        return NOTHING
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if _number(value):
        return format_decimal(value)
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{humanise(k)}: {plain(v)}" for k, v in value.items())
    return str(value)


def ref(value, action: str = "", detail: Mapping | None = None) -> str:
    """An id (or a list of ids) as ``#12``: the label says what it refers to."""
    if value is None or value == []:
        return NOTHING
    if isinstance(value, list | tuple):
        return ", ".join(ref(v) for v in value)
    return f"#{value}"


def moment(value, action: str = "", detail: Mapping | None = None) -> str:
    """An ISO date and time (UTC) in the reader's locale and the portal's time zone (WIB)."""
    try:
        return format_datetime(datetime.fromisoformat(str(value)), "short")
    except ValueError:
        return plain(value)


def day(value, action: str = "", detail: Mapping | None = None) -> str:
    """An ISO date in the reader's locale."""
    try:
        return format_date(date.fromisoformat(str(value)))
    except ValueError:
        return plain(value)


def titles_of(values: Iterable) -> dict[str, object]:
    """``{value: title}`` of an enum whose members have a translated ``title``."""
    return {member.value: member.title for member in values}


def one_of(vocabulary: Mapping) -> Show:
    """A value (or a list of values) by its title in ``vocabulary``; an unknown one as stored."""

    def show(value, action="", detail=None):
        if isinstance(value, list | tuple):
            return ", ".join(show(v) for v in value) or NOTHING
        title = vocabulary.get(str(value)) if value is not None else None
        return str(title) if title is not None else plain(value)

    return show


def by_action(shows: Mapping[str, Show], default: Show = plain) -> Show:
    """The value shown the way its action says (``state`` of which workflow, ``before`` of what)."""

    def show(value, action="", detail=None):
        return shows.get(action, default)(value, action, detail or {})

    return show


def values_of(vocabularies: Mapping[str, Mapping]) -> Show:
    """An identifier by its title in the vocabulary of the event's action."""
    return by_action({action: one_of(vocabulary) for action, vocabulary in vocabularies.items()})


def record_of(parts: Mapping[str, Detail]) -> Show:
    """A mapping (the values of a rule before and after a change) part by part, labelled."""

    def show(value, action="", detail=None):
        if not isinstance(value, dict):
            return plain(value)
        return ", ".join(f"{label}: {text}" for label, text in shown(parts, value, action))

    return show


@dataclass(frozen=True)
class Detail:
    """One detail key: its label (``labels`` per action where the key means something more
    precise there) and how its value is shown."""

    label: object
    show: Show = plain
    labels: Mapping[str, object] = field(default_factory=dict)


def shown(registry: Mapping[str, Detail], detail: Mapping, action: str) -> list[tuple[str, str]]:
    """``(label, value)`` of every key of ``detail``, in the registry's order (unknown keys last,
    their names made readable)."""
    rank = {key: n for n, key in enumerate(registry)}
    pairs = []
    for key in sorted(detail, key=lambda k: rank.get(k, len(rank))):
        entry, value = registry.get(key), detail[key]
        if entry is None:
            pairs.append((humanise(key), plain(value)))
        else:
            label = entry.labels.get(action, entry.label)
            pairs.append((str(label), entry.show(value, action, detail)))
    return pairs
