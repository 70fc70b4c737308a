"""Forms of the personal-data pages."""

from __future__ import annotations

from wtforms import BooleanField, RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.privacy.models import ConsentPurpose, RequestKind, RequestState
from portal.privacy.services import DETAILS_MAX, RESPONSE_MAX
from portal.privacy.workflow import CHOICES


class TokenForm(BaseForm):
    """Only the CSRF token: a one-click POST (download my data)."""


class ConsentForm(BaseForm):
    purpose = SelectField(
        _l("Purpose"),
        choices=choices([(p.value, p.title) for p in ConsentPurpose]),
        validators=[required()],
    )
    action = SelectField(
        _l("Consent"),
        choices=choices([("give", _l("Give consent")), ("withdraw", _l("Withdraw consent"))]),
        validators=[required()],
    )


class DataRequestForm(BaseForm):
    kind = RadioField(
        _l("What do you ask for?"),
        choices=choices(
            [
                (RequestKind.CORRECTION.value, _l("Correct data that is wrong")),
                (RequestKind.DELETION.value, _l("Delete data")),
                (
                    RequestKind.RESTRICTION.value,
                    _l("Restrict the processing of my data for a while"),
                ),
                (RequestKind.OBJECTION.value, _l("Object to how my data is processed")),
            ]
        ),
        validators=[required()],
    )
    details = TextAreaField(
        _l("Which data?"),
        validators=[required(), max_length(DETAILS_MAX)],
        description=_l(
            "For a correction: what is wrong and where it appears. For a deletion, a restriction "
            "or an objection: which data, or which processing."
        ),
    )
    explanation = TextAreaField(
        _l("What should it be, or why?"),
        validators=[Optional(), max_length(DETAILS_MAX)],
        description=_l(
            "For a correction: the right value. Otherwise: why (for a restriction, also for "
            "how long)."
        ),
    )


#: How each outcome reads on the handling form.
OUTCOME_LABELS = {
    RequestState.DONE: _l("Done"),
    RequestState.REJECTED: _l("Rejected"),
    RequestState.APPROVED: _l("Approve the deletion (the erasure step follows)"),
    RequestState.IN_FORCE: _l("Restrict the processing now"),
}


class HandleRequestForm(BaseForm):
    outcome = RadioField(
        _l("Outcome"),
        choices=choices([(s.value, OUTCOME_LABELS[s]) for s in OUTCOME_LABELS]),
        validators=[required()],
    )
    response = TextAreaField(
        _l("Response to the person"),
        validators=[required(), max_length(RESPONSE_MAX)],
        description=_l("What was done, or why the request is rejected. The person reads it."),
    )

    def __init__(self, *args, data_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        offered = CHOICES.get((data_request.kind, data_request.state), ()) if data_request else ()
        # A closed request keeps every choice: the service says why it cannot be handled.
        if offered:
            labels = dict(OUTCOME_LABELS)
            if data_request.state == RequestState.IN_FORCE:
                labels[RequestState.DONE] = _l("Lift the restriction")
            self.outcome.choices = choices([(s.value, labels[s]) for s in offered])


class EraseForm(BaseForm):
    """The erasure step's confirmation, with an optional word to the person."""

    confirm = BooleanField(
        _l("I have checked what is erased and what the law requires to keep."),
        validators=[required()],
    )
    response = TextAreaField(
        _l("Response to the person"),
        validators=[Optional(), max_length(RESPONSE_MAX)],
        description=_l("Optional. The person reads it with the list of what was kept by law."),
    )
