"""Shared form pieces: a base form that cleans text input, and the password rules."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from flask import current_app, url_for
from flask_babel import get_translations, lazy_ngettext
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    DecimalField,
    Field,
    FloatField,
    IntegerField,
    PasswordField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, Email, Length, StopValidation, ValidationError

from portal.i18n import _l

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")


def clean_line(value):
    """Strip surrounding space and every control character (NUL breaks PostgreSQL; CR/LF headers)."""
    return _CONTROL_ONE_LINE.sub("", value).strip() if isinstance(value, str) else value


def clean_text(value):
    """As :func:`clean_line` but keeps line breaks and tabs."""
    return _CONTROL.sub("", value).strip() if isinstance(value, str) else value


#: WTForms' own messages, listed so they are extracted into our catalogues (WTForms has no `id`).
WTFORMS_MESSAGES = (
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Choices cannot be None."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("Invalid input."),
    _l("This field is required."),
    _l("Not a valid week value."),
)
# The plural one, listed for extraction only (never rendered here; WTForms fills %(value)s).
WTFORMS_PLURAL_MESSAGE = lazy_ngettext(
    "'%(value)s' is not a valid choice for this field.",
    "'%(value)s' are not valid choices for this field.",
    2,
)


class _BabelTranslations:
    """Routes WTForms' built-in messages through our catalogue. WTForms fills the placeholders
    itself, so the raw catalogue lookups are used (Flask-Babel's own would fill them too early)."""

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


def choices(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (WTForms 3.3 deprecates tuples)."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


#: No number a person types into the portal is this large; larger ones are refused before any
#: range check (WTForms' NumberRange turns a 309-digit integer into a float and crashes).
LARGEST_NUMBER = 10**12


def _sane_number(form, field) -> None:
    if field.data is not None and not field.errors and abs(field.data) > LARGEST_NUMBER:
        raise StopValidation(_l("This number is far too large."))


def _checked_first(unbound: UnboundField) -> UnboundField:
    """The same field with :func:`_sane_number` run before its own validators."""
    args, kwargs = list(unbound.args), dict(unbound.kwargs)
    if len(args) >= 2:
        args[1] = [_sane_number, *(args[1] or ())]
    else:
        kwargs["validators"] = [_sane_number, *(kwargs.get("validators") or ())]
    return UnboundField(unbound.field_class, *args, name=unbound.name, **kwargs)


class BaseForm(FlaskForm):
    """Every form of the portal: text fields are cleaned, WTForms speaks Indonesian too."""

    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, IntegerField | DecimalField | FloatField):
                unbound_field = _checked_first(unbound_field)
            # The field's own filters (in the unbound kwargs) run after the cleaning.
            own = tuple(unbound_field.kwargs.get("filters", ()))
            if issubclass(field_class, TextAreaField):
                options["filters"] = (clean_text, *own)
            elif issubclass(field_class, StringField) and not issubclass(
                field_class, PasswordField
            ):
                options["filters"] = (clean_line, *own)
            return unbound_field.bind(form=form, **options)


def required():
    return DataRequired(message=_l("This field is required."))


def max_length(n: int):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def email_address():
    return Email(message=_l("Enter a valid e-mail address."), check_deliverability=False)


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("portal.data").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


class PasswordRules:
    """At least PASSWORD_MIN_LENGTH characters, at most PASSWORD_MAX_LENGTH, not a common password.

    No composition rules (ASVS V6.2): any Unicode is accepted.
    """

    def __call__(self, form, field: Field):
        value = field.data or ""
        cfg = current_app.config
        if len(value) < cfg["PASSWORD_MIN_LENGTH"]:
            raise StopValidation(
                _l("Use at least %(min)d characters.", min=cfg["PASSWORD_MIN_LENGTH"])
            )
        if len(value) > cfg["PASSWORD_MAX_LENGTH"]:
            raise StopValidation(
                _l("Use at most %(max)d characters.", max=cfg["PASSWORD_MAX_LENGTH"])
            )
        lowered = value.lower()
        if lowered in _common_passwords() or len(set(lowered)) < 3:
            raise ValidationError(
                _l("This password is too common and easy to guess. Choose another one.")
            )
        email = getattr(form, "email", None)
        if email is not None and email.data and lowered == str(email.data).lower():
            raise ValidationError(_l("Do not use your e-mail address as your password."))


class NoticeLink:
    """A text that links to the privacy notice (the help text of the registration form's consent
    box).

    Rendered when the page is (translated then, and ``url_for`` has a request); ``__html__``
    makes WTForms keep the link instead of escaping it.
    """

    def __init__(self, text, link_text):
        self.text, self.link_text = text, link_text

    def __html__(self) -> str:
        link = Markup('<a href="{}">{}</a>').format(url_for("privacy.notice"), str(self.link_text))
        return Markup("{} {}").format(escape(str(self.text)), link)

    def __str__(self) -> str:
        return str(self.text)
