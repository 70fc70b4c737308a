"""Shared form pieces: a base form that cleans text input, and the password rules."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, StringField, TextAreaField
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


class BaseForm(FlaskForm):
    """Every form of the portal: text fields are cleaned before validation."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, TextAreaField):
                options["filters"] = (clean_text, *options.get("filters", ()))
            elif issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                options["filters"] = (clean_line, *options.get("filters", ()))
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
