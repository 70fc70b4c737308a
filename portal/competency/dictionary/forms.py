"""The competency dictionary: forms (field rules; the rules that need the database are the
services')."""

from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, Regexp, ValidationError

from portal.competency import scope
from portal.competency.fields import TechnicalField
from portal.competency.models import (
    LEVELS,
    CompetencyType,
)
from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l


class CompetencyVersionForm(BaseForm):
    """The wording of a competency; saving it makes a new version."""

    name = StringField(_l("Name"), validators=[required(), max_length(120)])
    definition = TextAreaField(
        _l("Definition"), validators=[required(), max_length(4000)], render_kw={"rows": 3}
    )
    source = StringField(
        _l("Source"),
        validators=[Optional(), max_length(200)],
        description=_l("The regulation or dictionary the wording comes from."),
    )
    to_be_confirmed = BooleanField(_l("To be confirmed by BKPSDM"))
    field = SelectField(
        _l("Field (bidang/urusan)"),
        choices=choices([("", _l("— none —"))] + [(f.value, f.title) for f in TechnicalField]),
        validators=[Optional()],
        description=_l(
            "Technical competencies form one city-wide dictionary tagged by field: any position "
            "may use any of them. Blank: the field of the maintaining OPD."
        ),
    )

    def levels(self) -> dict[int, tuple[str, str]]:
        """Level → (description, indicators) as ``services.add_version`` takes them."""
        return {
            n: (self[f"level_{n}"].data or "", self[f"indicators_{n}"].data or "") for n in LEVELS
        }

    def level_fields(self):
        return [(n, self[f"level_{n}"], self[f"indicators_{n}"]) for n in LEVELS]

    def fill_levels(self, version) -> None:
        for level in version.levels:
            self[f"level_{level.level}"].data = level.description
            self[f"indicators_{level.level}"].data = level.indicators


for _n in LEVELS:
    setattr(
        CompetencyVersionForm,
        f"level_{_n}",
        TextAreaField(
            _l("Level %(n)d: description", n=_n),
            validators=[required(), max_length(2000)],
            render_kw={"rows": 2},
        ),
    )
    setattr(
        CompetencyVersionForm,
        f"indicators_{_n}",
        TextAreaField(
            _l("Level %(n)d: behavioural indicators", n=_n),
            validators=[Optional(), max_length(4000)],
            description=_l("One indicator a line."),
            render_kw={"rows": 3},
        ),
    )


class CompetencyCreateForm(CompetencyVersionForm):
    code = StringField(
        _l("Code"),
        validators=[
            required(),
            max_length(20),
            Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9.\-]*$",
                message=_l("Use letters, digits, dots and dashes only (for example T.KOM.03)."),
            ),
        ],
    )
    type = SelectField(_l("Type"), validators=[required()])
    agency_id = SelectField(
        _l("OPD"),
        coerce=int,
        description=_l(
            "The OPD that maintains a technical competency (its admin may edit it); it does not "
            "limit which positions use it."
        ),
    )

    def set_choices(self, *, agencies, city_wide: bool) -> None:
        types = list(CompetencyType) if city_wide else [CompetencyType.TECHNICAL]
        self.type.choices = choices((t.value, t.title) for t in types)
        self.agency_id.choices = choices(
            ([scope.NONE_CHOICE] if city_wide else []) + [(a.id, a.name) for a in agencies]
        )

    def validate_agency_id(self, field):
        if self.type.data == CompetencyType.TECHNICAL and not field.data:
            raise ValidationError(_l("A technical competency belongs to an OPD: choose it."))
        if self.type.data != CompetencyType.TECHNICAL and field.data:
            raise ValidationError(
                _l("Only technical competencies belong to an OPD: choose “none”.")
            )

    def validate_field(self, field):
        if self.type.data != CompetencyType.TECHNICAL and field.data:
            raise ValidationError(_l("Only technical competencies have a field: choose “none”."))
