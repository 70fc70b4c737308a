"""Locale and timezone selection; re-exports the gettext helpers every module uses."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

__all__ = ["_", "_l", "ngettext", "select_locale", "select_timezone"]

LANG_SESSION_KEY = "lang"


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
