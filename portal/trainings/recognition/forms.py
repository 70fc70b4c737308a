"""Forms of the recognition pages. Only the fields listed here are read: a state, an ASN's OPD or
a decider sent along is ignored (QUALITY.md G4)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.trainings.recognition.models import (
    TEXT_MAX,
    TITLE_MAX,
    AwardKind,
    NominationState,
)

YEAR_RANGE = NumberRange(min=2000, max=2100, message=_l("Enter a year between 2000 and 2100."))


class TokenForm(BaseForm):
    """A one-click action: only the CSRF token."""


class RuleForm(BaseForm):
    title = StringField(
        _l("Title shown on the badge and the certificate"),
        validators=[required(), max_length(TITLE_MAX)],
    )
    threshold = FloatField(
        _l("Threshold"),
        validators=[InputRequired(message=_l("This field is required."))],
    )
    is_active = BooleanField(_l("Active (the portal proposes under this rule)"))


class RejectForm(BaseForm):
    reason = TextAreaField(
        _l("Reason (the ASN reads it)"), validators=[required(), max_length(TEXT_MAX)]
    )


class FindForm(BaseForm):
    year = IntegerField(
        _l("Year to look at"),
        validators=[
            InputRequired(message=_l("This field is required.")),
            YEAR_RANGE,
        ],
    )


class ConsentForm(BaseForm):
    action = SelectField(
        _l("Hall of fame"),
        choices=choices(
            [
                ("give", _l("Show me in the hall of fame")),
                ("withdraw", _l("Remove me from the hall of fame")),
            ]
        ),
    )


class NominationForm(BaseForm):
    nip = StringField(
        _l("NIP of the ASN"),
        validators=[Optional(), max_length(30)],
        description=_l("18 digits; spaces are ignored."),
    )
    award = SelectField(_l("Award"), choices=choices([(k.value, k.title) for k in AwardKind]))
    category = StringField(
        _l("Category (e.g. the Anugerah ASN category)"),
        validators=[Optional(), max_length(TITLE_MAX)],
    )
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(message=_l("This field is required.")),
            YEAR_RANGE,
        ],
    )
    justification = TextAreaField(
        _l("Justification"), validators=[required(), max_length(TEXT_MAX)]
    )
    no_disciplinary_sentence = BooleanField(_l("No disciplinary sentence (hukuman disiplin)"))
    lhkasn_filed = BooleanField(_l("LHKASN filed"))
    no_legal_proceedings = BooleanField(_l("Not under legal proceedings"))

    def checks(self) -> dict:
        return {
            name: self[name].data
            for name in ("no_disciplinary_sentence", "lhkasn_filed", "no_legal_proceedings")
        }


class SubmitNominationForm(BaseForm):
    submitted_to = StringField(
        _l("Authorised official the dossier goes to"),
        validators=[required(), max_length(TITLE_MAX)],
        description=_l("E.g. the Wali Kota Medan as PPK, or the official they delegated."),
    )


class DecisionForm(BaseForm):
    """The authorised official's decision on a submitted nomination, from the decision letter."""

    outcome = RadioField(
        _l("Decision"),
        validators=[required()],
        choices=choices(
            [(s.value, s.title) for s in (NominationState.AWARDED, NominationState.NOT_AWARDED)]
        ),
    )
    decision_number = StringField(
        _l("Number of the decision letter (SK)"),
        validators=[Optional(), max_length(100)],
        description=_l("As written on the SK, e.g. 123/TK/2026; needed for an award."),
    )
    decision_date = DateField(_l("Date of the decision"), validators=[required()])
