"""Locale and timezone selection; re-exports the gettext helpers every module uses."""

from __future__ import annotations

from flask import current_app, request, session
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from flask_babel import gettext as _gettext
from flask_babel import ngettext, pgettext
from flask_babel.speaklater import LazyString
from flask_login import current_user

__all__ = ["_", "_l", "_lp", "ngettext", "pgettext", "select_locale", "select_timezone"]

LANG_SESSION_KEY = "lang"


class LazyText(LazyString):
    """A lazily translated string that Jinja escapes like any other text.

    Flask-Babel's LazyString has ``__html__``, so Jinja would insert it unescaped; a message
    built with a user's value (``_l("… %(name)s", name=…)``) would then be an XSS hole.
    """

    @property
    def __html__(self):
        raise AttributeError("__html__")


def _l(string: str, **variables) -> LazyText:
    """Translate later, in the language of the request that shows the text."""
    return LazyText(_gettext, string, **variables)


def _lp(context: str, string: str) -> LazyText:
    """:func:`_l` for a word whose translation depends on where it is used (``pgettext``): an
    internship's "Position" is "Posisi magang", a civil servant's is "Jabatan"."""
    return LazyText(pgettext, context, string)


def select_locale() -> str:
    """The user's saved choice, then the ``?lang=`` switch, then Accept-Language, then ``id``."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.args.get("lang")
    if chosen in languages:
        session[LANG_SESSION_KEY] = chosen
        return chosen
    if session.get(LANG_SESSION_KEY) in languages:
        return session[LANG_SESSION_KEY]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def get_locale_code() -> str:
    """The language of this request as a plain code (``id`` or ``en``)."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else "id"


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON (the session cookie, flashed messages) renders lazy texts as plain text."""

    @staticmethod
    def default(o):
        if isinstance(o, LazyString):
            return str(o)
        return DefaultJSONProvider.default(o)
