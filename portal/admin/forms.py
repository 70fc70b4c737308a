"""Admin forms: institutions, staff accounts, audit filters."""

from __future__ import annotations

from wtforms import SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import Optional

from portal.auth.forms import language_choices
from portal.auth.models import Role
from portal.forms import BaseForm, choices, email_address, max_length, required
from portal.i18n import _l
from portal.institutions.models import AgencyKind


class UniversityForm(BaseForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    short_name = StringField(
        _l("Short name"),
        validators=[required(), max_length(30)],
        description=_l("For example: USU, UNIMED."),
    )


class AgencyForm(BaseForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    short_name = StringField(
        _l("Short name"),
        validators=[required(), max_length(30)],
        description=_l("For example: Diskominfo, Bappeda."),
    )
    kind = SelectField(
        _l("Kind"),
        choices=choices((k.value, k.title) for k in AgencyKind),
        validators=[required()],
    )


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _role_choices(include_student: bool):
    return choices((r.value, r.title) for r in Role if include_student or r is not Role.STUDENT)


class AccountForm(BaseForm):
    """Shared by the invitation and the edit form; choices are set per request."""

    full_name = StringField(
        _l("Full name"),
        validators=[required(), max_length(120)],
        render_kw={"autocomplete": "name"},
    )
    roles = MultiCheckboxField(
        _l("Roles"),
        validators=[required()],
        description=_l(
            "University staff and students belong to a university; ASN and mentors to an OPD."
        ),
    )
    university_id = SelectField(_l("University"), coerce=int, validators=[Optional()])
    agency_id = SelectField(_l("OPD"), coerce=int, validators=[Optional()])
    admin_agency_id = SelectField(
        _l("Administrator scope"),
        coerce=int,
        validators=[Optional()],
        description=_l("City-wide (BKPSDM) or the one OPD this administrator coordinates."),
    )

    def set_choices(self, *, universities, agencies, include_student=False, city_wide=True):
        none = (0, _l("— none —"))
        self.roles.choices = _role_choices(include_student)
        self.university_id.choices = choices([none] + [(u.id, u.name) for u in universities])
        self.agency_id.choices = choices([none] + [(a.id, a.name) for a in agencies])
        scopes = [(0, _l("City-wide (BKPSDM)"))] if city_wide else []
        self.admin_agency_id.choices = choices(scopes + [(a.id, a.name) for a in agencies])


class InviteForm(AccountForm):
    email = StringField(
        _l("E-mail"),
        validators=[required(), max_length(254), email_address()],
        render_kw={"inputmode": "email"},
    )
    locale = SelectField(
        _l("Language of the invitation"), choices=language_choices(), validators=[required()]
    )
