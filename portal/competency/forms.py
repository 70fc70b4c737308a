"""Self-assessment and supervisor rating: one radio group per competency of the standard."""

from __future__ import annotations

from datetime import date

from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import Optional

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l


class AssessmentForm(BaseForm):
    assessed_on = DateField(_l("Date"), validators=[required()], default=date.today)

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


def assessment_form(items, **kwargs) -> AssessmentForm:
    """An AssessmentForm with a radio group per standard item; each choice shows its descriptor."""

    class Form(AssessmentForm):
        pass

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
