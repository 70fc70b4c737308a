"""Dates and times as people read them: day first in every language, through Flask-Babel, in the
reader's language and in Medan's time (issue 18). Written once, used everywhere: the Jinja
``date``/``datetime`` filters (``portal.templating``), flash messages, refusals, e-mails and
notification texts. Exports and machine data (CSV/XLSX, SIASN, stored audit details, keys) stay ISO.

The styles, the same pattern in both languages (month names in the reader's language):

* ``medium`` (the default): ``4 Aug 2027`` / ``4 Agu 2027``;  with a time ``4 Aug 2027 03:30``
  (Indonesian: ``4 Agu 2027 03.30``)
* ``short``: ``04/08/2027``;  with a time ``04/08/2027 03:30`` (``03.30``)
* ``long``: ``4 August 2027`` / ``4 Agustus 2027``;  ``full`` adds the weekday.

A notification stores its date parameters tagged (:func:`to_param`) and formats them when its
text is read (:func:`from_param`), so the same row reads right in either language.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import format_date, format_datetime, get_locale


def _formats(clock: str) -> dict[str, str]:
    return {
        "date.short": "dd/MM/yyyy",
        "date.medium": "d MMM yyyy",
        "date.long": "d MMMM yyyy",
        "date.full": "EEEE, d MMMM yyyy",
        "datetime.short": f"dd/MM/yyyy {clock}",
        "datetime.medium": f"d MMM yyyy {clock}",
        "datetime.long": f"d MMMM yyyy {clock}",
        "datetime.full": f"EEEE, d MMMM yyyy {clock}",
        "time.short": clock,
        "time.medium": clock,
    }


#: The styles per language, day first. The dates read alike (month names in the language);
#: the time keeps each language's separator: ``08.30`` in Indonesian (PUEBI), ``08:30`` in English.
DATE_FORMATS = {"id": _formats("HH.mm"), "en": _formats("HH:mm")}


class _FormatsByLanguage(dict):
    """Flask-Babel's format table (``Babel.date_formats``, a mapping it reads at each call) that
    answers with the current language's day-first pattern; other keys as Flask-Babel has them."""

    def __getitem__(self, key):
        locale = get_locale()
        table = DATE_FORMATS.get(locale.language if locale else "", DATE_FORMATS["id"])
        return table[key] if key in table else super().__getitem__(key)


def configure(babel) -> None:
    """Give the Flask-Babel extension the portal's day-first styles (at app creation, after
    ``babel.init_app``), so that every ``format_date``/``format_datetime`` call uses them."""
    if babel.date_formats is not None and not isinstance(babel.date_formats, _FormatsByLanguage):
        babel.date_formats = _FormatsByLanguage(babel.date_formats)


def day_text(day: date | datetime | str | None, style: str = "medium") -> str:
    """``4 Aug 2027`` (``style``: short, medium, long, full); empty for None. An ISO day as
    stored in JSON (``"2027-08-04"``) is read as that day; other text is given back as it is."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            return day
    return format_date(day, style)  # a datetime: Flask-Babel takes its day in Medan


def short_date(day: date | None) -> str:
    """``04/08/2027``."""
    return day_text(day, "short")


def long_date(day: date | None) -> str:
    """``4 August 2027`` / ``4 Agustus 2027``."""
    return day_text(day, "long")


def moment_text(moment: datetime | None, style: str = "medium") -> str:
    """``4 Aug 2027 03:30`` in Medan's time (a naive moment is taken as UTC); empty for None."""
    if moment is None:
        return ""
    return format_datetime(moment, style)


class _Later:
    """A date formatted when the text holding it is shown (``str()``), in that request's
    language: for refusals and messages built before they are rendered (``_l(…, day=…)``)."""

    __slots__ = ("_format", "_value", "_style")

    def __init__(self, format_, value, style):
        self._format, self._value, self._style = format_, value, style

    def __str__(self) -> str:
        return self._format(self._value, self._style)

    def __repr__(self) -> str:
        return f"<date {self._value!r}>"


def lazy_day(day: date | None, style: str = "medium") -> _Later:
    """:func:`day_text`, formatted only when shown: ``_l("Opens on %(day)s.", day=lazy_day(d))``
    works in a service run outside a request (a CLI job, a test) and reads in the language of
    the page that shows it."""
    return _Later(day_text, day, style)


def lazy_moment(moment: datetime | None, style: str = "medium") -> _Later:
    """:func:`moment_text`, formatted only when shown (see :func:`lazy_day`)."""
    return _Later(moment_text, moment, style)


# --- notification parameters --------------------------------------------------------------------

_DATE_TAG, _MOMENT_TAG = "__date__", "__datetime__"


def to_param(value):
    """A notification parameter as JSON can store it: a date or datetime becomes a tagged dict
    (``{"__date__": "2027-08-04"}``, ``{"__datetime__": "<UTC ISO>"}``); anything else as is."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return {_MOMENT_TAG: moment.astimezone(UTC).isoformat()}
    if isinstance(value, date):
        return {_DATE_TAG: value.isoformat()}
    return value


def from_param(value):
    """A stored parameter as the reader reads it: tagged dates formatted day first in the current
    language (datetimes in Medan's time); anything else (old rows' plain strings) as is."""
    if isinstance(value, dict) and len(value) == 1:
        try:
            if _DATE_TAG in value:
                return day_text(date.fromisoformat(value[_DATE_TAG]))
            if _MOMENT_TAG in value:
                return moment_text(datetime.fromisoformat(value[_MOMENT_TAG]))
        except (TypeError, ValueError):
            return value
    return value


def stored_params(params: dict) -> dict:
    """:func:`to_param` over a notification's parameters."""
    return {name: to_param(value) for name, value in params.items()}


def read_params(params: dict | None) -> dict:
    """:func:`from_param` over a notification's stored parameters."""
    return {name: from_param(value) for name, value in (params or {}).items()}
