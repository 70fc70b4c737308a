"""Forms of the JP ledger pages: an external record, the verifier's decision, a conversion rule.
Only the fields listed here are ever read: a state, a JP value or an ASN sent along is ignored
(QUALITY.md G4)."""

from __future__ import annotations

import decimal

from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _, _l
from portal.trainings.ledger.conversion import Scope, Unit

MAX_QUANTITY = 1000  # no development record lasts a thousand days, sessions or semesters


class DecimalCommaField(DecimalField):
    """A decimal with a point or an Indonesian decimal comma ("1,5"); finite values only."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(_l("Not a valid decimal value."))


def _one_decimal(form, field):
    if field.data is not None and not field.errors and field.data != round(field.data, 1):
        raise ValidationError(_l("Use at most one decimal (for example 1.5)."))


class ExternalRecordForm(BaseForm):
    """Development done elsewhere, as the ASN records it (the JP are converted, not typed)."""

    form = SelectField(
        _l("Form of development"),
        validators=[required()],
        description=_l(
            "The unit of the duration is shown next to each form. "
            "Mentoring here means mentoring you received."
        ),
    )
    scope = SelectField(
        _l("Scope"),
        choices=choices((s.value, s.title) for s in Scope),
        validators=[required()],
        default=Scope.NATIONAL.value,
    )
    title = StringField(_l("Name of the activity"), validators=[required(), max_length(200)])
    organiser = StringField(_l("Organiser"), validators=[required(), max_length(200)])
    started_on = DateField(
        _l("First day"), validators=[InputRequired(message=_l("Enter the first day."))]
    )
    ended_on = DateField(
        _l("Last day"), validators=[InputRequired(message=_l("Enter the last day."))]
    )
    quantity = DecimalCommaField(
        _l("Duration"),
        validators=[
            InputRequired(message=_l("Enter the duration.")),
            NumberRange(
                min=decimal.Decimal("0.1"),
                max=MAX_QUANTITY,
                message=_l("Between 0.1 and %(max)s.", max=MAX_QUANTITY),
            ),
            _one_decimal,
        ],
        description=_l(
            "In the unit of the chosen form: lesson hours (1 JP = 45 minutes), days, "
            "sessions, times or semesters."
        ),
        render_kw={"inputmode": "decimal"},
    )
    certificate_number = StringField(
        _l("Certificate number (optional)"), validators=[Optional(), max_length(100)]
    )
    evidence = FileField(
        _l("Certificate or other proof"),
        description=_l("PDF, JPG or PNG. A file you chose is kept when the form is shown again."),
    )
    #: The signed token of the file chosen before the preview (``pending_evidence``).
    kept_evidence = HiddenField()
    # Which button was pressed: "preview" converts without saving, anything else submits.
    intent = HiddenField()

    def set_choices(self, rules) -> None:
        """The forms that have a rule, each with the unit(s) of its rules (national first)."""
        units: dict[str, list] = {}
        titles = {}
        for rule in rules:
            titles[rule.form] = rule.form_title
            if rule.unit.title not in units.setdefault(rule.form, []):
                units[rule.form].append(rule.unit.title)
        self.form.choices = choices(
            [("", _("Choose …"))]
            + [
                (form, f"{titles[form]} — {' / '.join(str(u) for u in units[form])}")
                for form in units
            ]
        )

    @property
    def previewing(self) -> bool:
        return self.intent.data == "preview"

    def validate_ended_on(self, field):
        start = self.started_on.data
        if field.data and start and field.data < start:
            raise ValidationError(_l("The last day cannot be before the first day."))


class VerifyForm(BaseForm):
    """A verifier accepts a record (the form only carries the CSRF token)."""


class RejectForm(BaseForm):
    reason = TextAreaField(
        _l("Reason for rejecting"),
        validators=[DataRequired(message=_l("Say why the record is rejected.")), max_length(1000)],
        description=_l("The ASN reads this reason."),
        render_kw={"rows": 3},
    )


class ConversionRuleForm(BaseForm):
    """One row of the conversion table (city admins)."""

    unit = SelectField(
        _l("Unit of the duration"),
        choices=choices((u.value, u.title) for u in Unit),
        validators=[required()],
    )
    jp_per_unit = DecimalCommaField(
        _l("JP per unit"),
        validators=[
            InputRequired(message=_l("Enter the JP per unit.")),
            NumberRange(min=0, max=1000, message=_l("Between 0 and 1000.")),
            _one_decimal,
        ],
        description=_l("Ignored for lesson hours: they count as they are."),
    )
    cap_per_day = DecimalCommaField(
        _l("At most JP a day (optional)"),
        validators=[
            Optional(),
            NumberRange(min=decimal.Decimal("0.1"), max=24, message=_l("Between 0.1 and 24.")),
            _one_decimal,
        ],
    )
    cap_per_month = IntegerField(
        _l("At most sessions a month (optional)"),
        validators=[Optional(), NumberRange(min=1, max=31, message=_l("Between 1 and 31."))],
    )
    bonus_percent = IntegerField(
        _l("International bonus (percent)"),
        validators=[
            InputRequired(message=_l("Enter the bonus (0 for none).")),
            NumberRange(min=0, max=100, message=_l("Between 0 and 100.")),
        ],
        default=0,
    )
