"""The credit scheme form: the kind and its figures, the PKS, the courses and the letter-grade
scale in rows (an empty row is dropped). No university, owner or id field can be posted."""

from __future__ import annotations

from wtforms import (
    DateField,
    FieldList,
    FloatField,
    Form,
    FormField,
    IntegerField,
    RadioField,
    StringField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from portal.forms import BaseForm, choices, max_length
from portal.i18n import _l
from portal.internships.credit.models import (
    CODE_MAX,
    HOURS_PER_SKS_MAX,
    LETTER_MAX,
    MAX_BANDS,
    MAX_COURSES,
    NAME_MAX,
    PKS_MAX,
    SKS_MAX,
    WEEKS_MAX,
    CreditKind,
    CreditScheme,
)
from portal.internships.credit.services import SchemeInput


def _whole(low: int, high: int):
    return [
        Optional(),
        NumberRange(
            min=low,
            max=high,
            message=_l("A whole number from %(low)d to %(high)d.", low=low, high=high),
        ),
    ]


class CourseRowForm(Form):
    """One course (mata kuliah) the placement converts into."""

    Meta = BaseForm.Meta

    code = StringField(_l("Course code"), validators=[Optional(), max_length(CODE_MAX)])
    name = StringField(_l("Course (mata kuliah)"), validators=[Optional(), max_length(NAME_MAX)])
    sks = IntegerField(_l("SKS"), validators=_whole(1, SKS_MAX))


class BandRowForm(Form):
    """One row of the letter-grade scale."""

    Meta = BaseForm.Meta

    min_score = IntegerField(_l("From score"), validators=_whole(0, 100))
    letter = StringField(_l("Letter"), validators=[Optional(), max_length(LETTER_MAX)])
    points = FloatField(
        _l("Grade points"),
        validators=[
            Optional(),
            NumberRange(min=0, max=4, message=_l("A number from 0 to 4.")),
        ],
    )


class CreditSchemeForm(BaseForm):
    kind = RadioField(
        _l("How the university grants credit"),
        choices=choices([(k.value, k.title) for k in CreditKind]),
        validators=[InputRequired(message=_l("Choose how the university grants credit."))],
    )
    sks = IntegerField(
        _l("SKS"),
        validators=[
            InputRequired(message=_l("This field is required.")),
            NumberRange(
                min=1, max=SKS_MAX, message=_l("A whole number from 1 to %(max)d.", max=SKS_MAX)
            ),
        ],
        description=_l(
            "Semester placement: the SKS it earns (1 semester ≈ 20 SKS). Hours per SKS: the "
            "most a placement can earn."
        ),
    )
    min_weeks = IntegerField(
        _l("Weeks a semester placement needs"),
        validators=_whole(1, WEEKS_MAX),
        description=_l("For a semester placement only, for example 16."),
    )
    hours_per_sks = IntegerField(
        _l("Hours of work per SKS"),
        validators=_whole(1, HOURS_PER_SKS_MAX),
        description=_l("For hours per SKS only; Permendikbudristek 53/2023 counts 45."),
    )
    pks_number = StringField(
        _l("PKS number (cooperation agreement)"),
        validators=[Optional(), max_length(PKS_MAX)],
    )
    pks_signed_on = DateField(
        _l("PKS signed on"), validators=[Optional()], render_kw={"placeholder": "YYYY-MM-DD"}
    )
    pks_valid_until = DateField(
        _l("PKS valid until"), validators=[Optional()], render_kw={"placeholder": "YYYY-MM-DD"}
    )
    courses = FieldList(FormField(CourseRowForm), min_entries=1, max_entries=MAX_COURSES)
    bands = FieldList(FormField(BandRowForm), min_entries=1, max_entries=MAX_BANDS)

    @classmethod
    def of(cls, scheme: CreditScheme | None) -> CreditSchemeForm:
        """The form as a GET shows it: the saved scheme, or a typical one to start from."""
        if scheme is None:
            return cls(
                data={
                    "kind": CreditKind.SEMESTER.value,
                    "sks": 20,
                    "min_weeks": 16,
                    "bands": [
                        {"min_score": low, "letter": letter, "points": points}
                        for low, letter, points in DEFAULT_SCALE
                    ],
                }
            )
        return cls(
            data={
                "kind": scheme.kind.value,
                "sks": scheme.sks,
                "min_weeks": scheme.min_weeks,
                "hours_per_sks": scheme.hours_per_sks,
                "pks_number": scheme.pks_number,
                "pks_signed_on": scheme.pks_signed_on,
                "pks_valid_until": scheme.pks_valid_until,
                "courses": [{"code": c.code, "name": c.name, "sks": c.sks} for c in scheme.courses],
                "bands": [
                    {"min_score": b.min_score, "letter": b.letter, "points": b.points}
                    for b in scheme.bands
                ],
            }
        )

    def typed(self) -> SchemeInput:
        return SchemeInput(
            kind=self.kind.data or "",
            sks=self.sks.data,
            min_weeks=self.min_weeks.data,
            hours_per_sks=self.hours_per_sks.data,
            pks_number=self.pks_number.data or "",
            pks_signed_on=self.pks_signed_on.data,
            pks_valid_until=self.pks_valid_until.data,
            courses=[(r.form.code.data, r.form.name.data, r.form.sks.data) for r in self.courses],
            bands=[
                (r.form.min_score.data, r.form.letter.data, r.form.points.data) for r in self.bands
            ],
        )

    def pad(self) -> None:
        """Empty rows to add courses and letters (up to the limits)."""
        for rows, limit in ((self.courses, MAX_COURSES), (self.bands, MAX_BANDS)):
            target = min(len(rows.entries) + 2, limit)
            while len(rows.entries) < target:
                rows.append_entry()


#: A scale many Indonesian universities use (A ≥ 85 … E below 40), offered as the start.
DEFAULT_SCALE = (
    (85, "A", 4.0),
    (78, "AB", 3.5),
    (70, "B", 3.0),
    (63, "BC", 2.5),
    (55, "C", 2.0),
    (40, "D", 1.0),
    (0, "E", 0.0),
)
