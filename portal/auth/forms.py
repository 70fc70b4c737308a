"""Sign-in, registration, password and profile forms."""

from __future__ import annotations

from flask import current_app
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, Optional

from portal.forms import (
    BaseForm,
    NoticeLink,
    PasswordRules,
    choices,
    email_address,
    max_length,
    required,
)
from portal.i18n import _, _l

LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]


def language_choices() -> list[SelectChoice]:
    """The languages, each named in itself and marked with its language (``lang``), so that a
    screen reader says "English" in English (WCAG 3.1.2)."""
    return [
        SelectChoice(value=code, label=name, render_kw={"lang": code}) for code, name in LANGUAGES
    ]


def _new_password_fields():
    return (
        PasswordField(
            _l("New password"),
            validators=[PasswordRules()],
            render_kw={"autocomplete": "new-password"},
        ),
        PasswordField(
            _l("Repeat the new password"),
            validators=[
                required(),
                EqualTo("password", message=_l("The two passwords do not match.")),
            ],
            render_kw={"autocomplete": "new-password"},
        ),
    )


class NewPasswordMixin:
    """Explains the password rule with the configured minimum length."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.password.description = _(
            "At least %(min)d characters. A short sentence is easy to remember.",
            min=current_app.config["PASSWORD_MIN_LENGTH"],
        )


class LoginForm(BaseForm):
    email = StringField(
        _l("E-mail"),
        validators=[required(), max_length(254)],
        render_kw={"autocomplete": "username", "inputmode": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[required(), max_length(128)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class RegistrationForm(NewPasswordMixin, BaseForm):
    full_name = StringField(
        _l("Full name"),
        validators=[required(), max_length(120)],
        render_kw={"autocomplete": "name"},
    )
    email = StringField(
        _l("E-mail"),
        validators=[required(), max_length(254), email_address()],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    university_id = SelectField(
        _l("University"),
        coerce=int,
        validators=[required()],
        validate_choice=True,
    )
    nim = StringField(
        _l("Student number (NIM)"),
        validators=[required(), max_length(30)],
        description=_l("NIM: the student number your university gave you."),
    )
    study_programme = StringField(
        _l("Study programme"),
        validators=[required(), max_length(120)],
        description=_l("For example: S1 Teknologi Informasi."),
    )
    password, password_confirm = _new_password_fields()
    # Reading the notice is acknowledged, not consented to: the account and the internship
    # rest on the internship agreement and the city's public task (UU PDP Pasal 20(2) huruf b,
    # e; portal/privacy/notice.py). Consent is asked only for what is optional, unticked.
    notice_read = BooleanField(
        _l("I have read the privacy notice."),
        validators=[required()],
        # The link stays out of the label: a checkbox's name is what it agrees to.
        description=NoticeLink(
            _l("What is processed, why, on what legal basis, for how long, and your rights:"),
            _l("read the privacy notice"),
        ),
    )
    consent_feedback_name = BooleanField(
        _l("Optional: show my name with the feedback I give on course materials."),
        description=_l(
            "Your consent (UU PDP Article 20(2)(a)). Leave it unticked and nothing else changes; "
            "you can give or withdraw it at any time on the page “My consents”."
        ),
    )

    def __init__(self, *args, universities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.university_id.choices = choices(
            [(0, _l("Choose your university"))]
            + [(u.id, f"{u.name} ({u.short_name})") for u in universities]
        )


class ForgotPasswordForm(BaseForm):
    email = StringField(
        _l("E-mail"),
        validators=[required(), max_length(254), email_address()],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )


class SetPasswordForm(NewPasswordMixin, BaseForm):
    password, password_confirm = _new_password_fields()


class ChangePasswordForm(NewPasswordMixin, BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[required(), max_length(128)],
        render_kw={"autocomplete": "current-password"},
    )
    password, password_confirm = _new_password_fields()


class ProfileForm(BaseForm):
    full_name = StringField(
        _l("Full name"),
        validators=[required(), max_length(120)],
        render_kw={"autocomplete": "name"},
    )
    locale = SelectField(_l("Language"), choices=language_choices(), validators=[required()])


class RejectForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[required(), max_length(500)],
        description=_l("The student receives this reason by e-mail."),
    )


class ConfirmForm(BaseForm):
    """A form with only the CSRF token, for one-click POST actions."""

    note = StringField(_l("Note"), validators=[Optional(), max_length(200)])
