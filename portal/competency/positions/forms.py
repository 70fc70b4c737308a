"""Positions and standards: forms (field rules; the rules that need the database are the
services')."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import Optional, ValidationError

from portal.competency import scope
from portal.competency.fields import TechnicalField
from portal.competency.models import (
    JF_JENJANG,
    LEVELS,
    PositionKind,
)
from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l

FIELD_CHOICES = choices(
    [("", _l("— from the jabatan —"))] + [(f.value, f.title) for f in TechnicalField]
)


class PositionForm(BaseForm):
    name = StringField(_l("Name of the position"), validators=[required(), max_length(150)])
    kind = SelectField(
        _l("Kind of position"),
        choices=choices((k.value, k.title) for k in PositionKind),
        validators=[required()],
    )
    jenjang = SelectField(
        _l("Jenjang (functional positions only)"),
        choices=choices([("", _l("— none —"))] + [(j, j) for j in JF_JENJANG]),
        validators=[Optional()],
    )
    agency_id = SelectField(_l("OPD"), coerce=int, validators=[required()])
    field = SelectField(
        _l("Field of the jabatan"),
        choices=FIELD_CHOICES,
        validators=[Optional()],
        description=_l(
            "The field its technical competencies come from, in any OPD (a Pranata Komputer is "
            "informatics everywhere). Blank: the same jabatan elsewhere, a known jabatan "
            "fungsional, else the OPD's field."
        ),
    )
    pembina = StringField(
        _l("Instansi pembina"),
        validators=[Optional(), max_length(120)],
        description=_l("The national body that sets the jabatan fungsional's competencies."),
    )

    def set_choices(self, *, agencies) -> None:
        self.agency_id.choices = choices([scope.NONE_CHOICE] + [(a.id, a.name) for a in agencies])

    def validate_jenjang(self, field):
        if self.kind.data == PositionKind.FUNGSIONAL and not field.data:
            raise ValidationError(_l("Choose the jenjang of a functional position."))
        if self.kind.data != PositionKind.FUNGSIONAL and field.data:
            raise ValidationError(_l("Only functional positions have a jenjang."))


LEVEL_CHOICES = choices([(0, _l("— not required —"))] + [(n, str(n)) for n in LEVELS])


def standard_form(competencies, levels: dict[int, int]):
    """A form with one select (0–5) per competency; 0 leaves it out of the standard."""

    class StandardForm(BaseForm):
        def levels(self) -> dict[int, int]:
            return {c.id: self[f"level_{c.id}"].data for c in competencies}

    for competency in competencies:
        setattr(
            StandardForm,
            f"level_{competency.id}",
            SelectField(
                _l("Required level"),
                coerce=int,
                choices=LEVEL_CHOICES,
                default=levels.get(competency.id, 0),
            ),
        )
    return StandardForm()
