"""ASN records: forms (field rules; the rules that need the database are the services')."""

from __future__ import annotations

from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from portal.competency import scope
from portal.competency.models import (
    PNS_GOLONGAN,
    PPPK_GOLONGAN,
    AsnStatus,
)
from portal.competency.nip import check_nip
from portal.forms import BaseForm, choices, email_address, max_length, required
from portal.i18n import _l


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
    nip_lama = StringField(
        _l("Old NIP (NIP lama)"),
        validators=[Optional(), max_length(30)],
        description=_l(
            "The 9-digit NIP from before 2007, for an ASN appointed then; SIASN asks for it. "
            "Leave empty otherwise."
        ),
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
        self.agency_id.choices = choices([scope.NONE_CHOICE] + [(a.id, a.name) for a in agencies])
        self.position_id.choices = choices([scope.NONE_CHOICE]) + [
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
