"""Self-assessment and supervisor rating: one radio group per competency of the standard."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional

from portal.competency.models import AssessmentMethod
from portal.competency.plans.models import DEVELOPMENT_FORMS
from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.util import clock


class AssessmentForm(BaseForm):
    assessed_on = DateField(_l("Date"), validators=[required()], default=clock.today)

    def level_fields(self):
        return [f for f in self if f.name.startswith("level_")]

    note = None  # added per form, after the competency fields (see assessment_form)

    def levels(self) -> dict[int, int]:
        """The chosen levels by competency id (unanswered competencies are left out)."""
        return {
            int(f.name.removeprefix("level_")): f.data
            for f in self.level_fields()
            if f.data is not None
        }


def assessment_form(items, *, official: bool = False, **kwargs) -> AssessmentForm:
    """An AssessmentForm with a radio group per standard item; each choice shows its descriptor.

    ``official`` adds the method (official methods only) and the assessing organisation.
    """

    class Form(AssessmentForm):
        """A class of its own per call: the fields added below belong to this standard."""

    if official:
        Form.method = SelectField(
            _l("Method"),
            validators=[required()],
            choices=choices(
                [("", _l("Choose a method"))]
                + [(m.value, m.title) for m in AssessmentMethod if m.is_official]
            ),
        )
        Form.report = FileField(
            _l("Assessment report (PDF, optional)"),
            description=_l("The signed report of the assessment, as a PDF."),
        )
        Form.assessor = StringField(
            _l("Assessor or organisation"),
            validators=[required(), max_length(200)],
            description=_l("For example: UPT Penilaian Kompetensi BKPSDM Kota Medan."),
        )

    for item in items:
        version = item.competency.current_version
        setattr(
            Form,
            f"level_{item.competency_id}",
            RadioField(
                version.name,
                choices=choices(
                    (lvl.level, _l("Level %(n)d: %(text)s", n=lvl.level, text=lvl.description))
                    for lvl in version.levels
                ),
                coerce=int,
                validators=[Optional()],
                description=_l("Required for the position: level %(n)d", n=item.required_level),
            ),
        )
    # Declared last so it renders after the competencies.
    Form.note = TextAreaField(_l("Note (optional)"), validators=[Optional(), max_length(2000)])
    return Form(**kwargs)


class PlanActivityForm(BaseForm):
    competency_id = SelectField(_l("Competency"), coerce=int, validators=[required()])
    form = SelectField(_l("Form of development"), validators=[required()])
    title = StringField(
        _l("Activity"),
        validators=[required(), max_length(200)],
        description=_l("For example: Pelatihan Keamanan Informasi, or coaching by the Kabid."),
    )
    planned_jp = IntegerField(
        _l("Planned JP"),
        validators=[
            required(),
            NumberRange(min=1, max=200, message=_l("Between 1 and 200 JP.")),
        ],
        description=_l("JP: jam pelajaran, 45 minutes each."),
    )
    quarter = SelectField(
        _l("Quarter"),
        coerce=int,
        validators=[required()],
        choices=choices((q, _l("Quarter %(q)d", q=q)) for q in (1, 2, 3, 4)),
    )

    def set_choices(self, rows):
        """Competencies of the standard, the ones with a gap first and marked."""
        ordered = sorted(rows, key=lambda r: (-(r.gap or 0), r.name))
        self.competency_id.choices = choices(
            [(0, _l("Choose a competency"))]
            + [
                (
                    r.competency_id,
                    _l("%(name)s (gap %(gap)d)", name=r.name, gap=r.gap)
                    if r.gap and r.gap > 0
                    else r.name,
                )
                for r in ordered
            ]
        )
        self.form.choices = choices([("", _l("Choose a form"))] + list(DEVELOPMENT_FORMS.items()))


class PlanNoteForm(BaseForm):
    note = TextAreaField(
        _l("Note"),
        validators=[Optional(), max_length(2000)],
        description=_l("When you return the plan, say what should change."),
    )
