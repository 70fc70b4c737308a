"""Forms of a matching round: the period's intake mode, the OPD's scores (a row per applicant,
or criteria for all at once), the student's order of preferences, the admin's preview."""

from __future__ import annotations

from wtforms import BooleanField, DateField, DecimalField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional

from portal.forms import BaseForm, choices, max_length
from portal.i18n import _l
from portal.internships.matching.services import MAX_PREFERENCES
from portal.internships.models import IntakeMode


class IntakeForm(BaseForm):
    intake_mode = SelectField(
        _l("How seats are given"),
        choices=choices((m.value, m.title) for m in IntakeMode),
        validators=[InputRequired()],
        description=_l(
            "Rolling: each OPD makes offers as applications come. Matching round: students rank "
            "positions until a deadline, OPDs score their applicants, and one match places the "
            "whole cohort."
        ),
    )
    preference_limit = IntegerField(
        _l("Preferences per student"),
        default=5,
        validators=[
            InputRequired(message=_l("This field is required.")),
            NumberRange(
                min=1,
                max=MAX_PREFERENCES,
                message=_l("Between 1 and %(n)d preferences.", n=MAX_PREFERENCES),
            ),
        ],
    )
    preferences_close_on = DateField(
        _l("Preferences close on"),
        validators=[Optional()],
        description=_l("The last day students may rank positions (needed for a matching round)."),
    )


class CriteriaForm(BaseForm):
    """Score every applicant of a position at once: each criterion given weighs the same."""

    programmes = StringField(
        _l("Study programmes"),
        validators=[Optional(), max_length(300)],
        description=_l("Words of the study programmes you want, separated by commas."),
    )
    min_semester = IntegerField(
        _l("At least semester"),
        validators=[
            Optional(),
            NumberRange(min=1, max=14, message=_l("A semester between 1 and 14.")),
        ],
    )
    min_gpa = DecimalField(
        _l("GPA at least"),
        places=2,
        validators=[
            Optional(),
            NumberRange(min=0, max=4, message=_l("A GPA between 0.00 and 4.00.")),
        ],
    )
    unacceptable_if_none = BooleanField(_l("Mark those who meet no criterion as not acceptable"))

    def words(self) -> list[str]:
        return [w.strip() for w in (self.programmes.data or "").split(",") if w.strip()]


class PreviewForm(BaseForm):
    seed = IntegerField(
        _l("Lottery seed (optional)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=2**62, message=_l("A whole number of at least 0.")),
        ],
        description=_l(
            "Ties in an OPD's scores are broken by a lottery drawn from this number. Leave it "
            "empty for a new one; give a run's seed again to reproduce it."
        ),
    )


class ConfirmForm(BaseForm):
    """Only the CSRF token (publishing a run)."""


def read_scores(form_data, applicants) -> tuple[dict, dict]:
    """The scores posted on the ranking page: ``{application id: (score or None, unacceptable)}``
    and the errors by application id (a score that is not a number from 0 to 100)."""
    scores, errors = {}, {}
    for application in applicants:
        raw = (form_data.get(f"score-{application.id}") or "").strip().replace(",", ".")
        unacceptable = form_data.get(f"unacceptable-{application.id}") == "y"
        if raw == "":
            scores[application.id] = (None, unacceptable)
            continue
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not 0 <= value <= 100:  # also NaN and infinity
            errors[application.id] = _l("A score is a number from 0 to 100.")
        scores[application.id] = (value, unacceptable)
    return scores, errors


def read_order(form_data, applications) -> tuple[list[int], object | None]:
    """The order posted on the preferences page (``place-<id>`` = 1, 2, …): the ids by place, or
    an error when two share a place or one is missing."""
    places = {}
    for application in applications:
        raw = (form_data.get(f"place-{application.id}") or "").strip()
        if not raw.isdigit() or not 1 <= int(raw) <= len(applications):
            return [], _l("Give each preference a place from 1 to %(n)d.", n=len(applications))
        places[application.id] = int(raw)
    if len(set(places.values())) != len(places):
        return [], _l("Two preferences have the same place: give each its own.")
    return sorted(places, key=places.get), None
