"""Forms of the competency admin screens: catalogue entries, positions, standards, ASN records.

Field-level rules live here (NIP structure, golongan for the status, jenjang for the kind, OPD for
technical competencies); rules that need the database (unique code, unique NIP, the account's
OPD, supervisor loops) are checked by ``admin_services`` and shown on the same fields.
"""

from __future__ import annotations

from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, Regexp, ValidationError

from portal.competency.models import (
    JF_JENJANG,
    LEVELS,
    PNS_GOLONGAN,
    PPPK_GOLONGAN,
    AsnStatus,
    CompetencyType,
    PositionKind,
)
from portal.competency.nip import check_nip
from portal.forms import BaseForm, choices, email_address, max_length, required
from portal.i18n import _l

NONE_CHOICE = (0, _l("— none —"))


# --- catalogue --------------------------------------------------------------------------------------


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
        description=_l("Technical competencies belong to the OPD whose field they describe."),
    )

    def set_choices(self, *, agencies, city_wide: bool) -> None:
        types = list(CompetencyType) if city_wide else [CompetencyType.TECHNICAL]
        self.type.choices = choices((t.value, t.title) for t in types)
        self.agency_id.choices = choices(
            ([NONE_CHOICE] if city_wide else []) + [(a.id, a.name) for a in agencies]
        )

    def validate_agency_id(self, field):
        if self.type.data == CompetencyType.TECHNICAL and not field.data:
            raise ValidationError(_l("A technical competency belongs to an OPD: choose it."))
        if self.type.data != CompetencyType.TECHNICAL and field.data:
            raise ValidationError(
                _l("Only technical competencies belong to an OPD: choose “none”.")
            )


# --- positions --------------------------------------------------------------------------------------


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

    def set_choices(self, *, agencies) -> None:
        self.agency_id.choices = choices([NONE_CHOICE] + [(a.id, a.name) for a in agencies])

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


# --- ASN records ------------------------------------------------------------------------------------


def golongan_choices():
    pns = [
        (code, f"{code} — {pangkat}", _l("PNS / CPNS (golongan/ruang)"))
        for code, pangkat in PNS_GOLONGAN.items()
    ]
    pppk = [(code, f"PPPK {code}", _l("PPPK (golongan)")) for code in PPPK_GOLONGAN]
    return choices([("", _l("— not known —"))]) + [
        SelectChoice(value=value, label=label, optgroup=group) for value, label, group in pns + pppk
    ]


class AsnForm(BaseForm):
    nip = StringField(
        _l("NIP"),
        validators=[required(), max_length(30)],
        description=_l("18 digits; spaces between the groups are fine."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    status = SelectField(
        _l("Status"),
        choices=choices((s.value, s.title) for s in AsnStatus),
        validators=[required()],
    )
    golongan = SelectField(_l("Golongan"), validators=[Optional()])
    agency_id = SelectField(
        _l("OPD"),
        coerce=int,
        validators=[required()],
        description=_l("The OPD of the person's account."),
    )
    position_id = SelectField(_l("Position"), coerce=int, validators=[Optional()])
    supervisor_nip = StringField(
        _l("NIP of the direct supervisor"),
        validators=[Optional(), max_length(30)],
        description=_l("Leave empty if there is none in the portal."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )

    nip_check = None
    warnings: list = ()

    def set_choices(self, *, agencies, positions, agency_names) -> None:
        self.golongan.choices = golongan_choices()
        self.agency_id.choices = choices([NONE_CHOICE] + [(a.id, a.name) for a in agencies])
        self.position_id.choices = choices([NONE_CHOICE]) + [
            SelectChoice(
                value=p.id,
                label=p.name + (f" ({p.jenjang})" if p.jenjang else ""),
                optgroup=agency_names.get(p.agency_id, ""),
            )
            for p in positions
        ]

    def validate_nip(self, field):
        self.nip_check = check_nip(field.data or "")
        if self.nip_check.errors:
            raise ValidationError(" ".join(str(e) for e in self.nip_check.errors))

    def validate_golongan(self, field):
        if not field.data or self.status.data not in {s.value for s in AsnStatus}:
            return
        if AsnStatus(self.status.data).is_pppk:
            if field.data not in PPPK_GOLONGAN:
                raise ValidationError(
                    _l("A PPPK has a golongan from I to XVII, not a PNS golongan/ruang.")
                )
        elif field.data not in PNS_GOLONGAN:
            raise ValidationError(
                _l("A PNS or CPNS has a golongan/ruang such as III/a, not a PPPK golongan.")
            )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        warnings = list(self.nip_check.warnings) if self.nip_check else []
        if ok and self.nip_check is not None:
            is_pppk = AsnStatus(self.status.data).is_pppk
            if is_pppk != (self.nip_check.kind == "pppk"):
                warnings.append(
                    _l("Unusual: the NIP looks like a PPPK number but the status is PNS or CPNS.")
                    if not is_pppk
                    else _l("Unusual: the status is PPPK but the NIP looks like a PNS number.")
                )
        self.warnings = warnings
        return ok


class AsnCreateForm(AsnForm):
    email = StringField(
        _l("E-mail of the person's account"),
        validators=[required(), max_length(254), email_address()],
        description=_l("The account must exist already and have the ASN role."),
        render_kw={"inputmode": "email"},
    )
