"""Forms of the proposal workspace: the proposal, its modules, targets, evidence, co-authors,
review comments and workflow steps.

Forms carry only the fields a user may change (QUALITY.md G4): no state, university, creator,
version counter or author list. Views pass each field to the service as an explicit keyword.
"""

from __future__ import annotations

from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from portal.curricula.models import MODULE_METHODS, Audience, DeliveryMode
from portal.curricula.proposals.workflow import CurriculumAction
from portal.curricula.training_types import CURRICULUM_CHOICES, DEFAULT_TYPE
from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.listing import MAX_ID

NO_AGENCY = 0


def _an_id():
    return NumberRange(min=1, max=MAX_ID, message=_l("Not a valid choice."))


class ProposalForm(BaseForm):
    """Title, summary, audience, mode, SIASN training type, outcomes and (while a draft) the
    partner OPD."""

    title = StringField(_l("Title"), validators=[required(), max_length(200)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), max_length(5000)],
        description=_l("What the curriculum is about and which gap it answers."),
    )
    audience = SelectField(
        _l("Audience"),
        validators=[required()],
        choices=choices((a.value, a.title) for a in Audience),
    )
    mode = SelectField(
        _l("Delivery mode"),
        validators=[required()],
        choices=choices((m.value, m.title) for m in DeliveryMode),
    )
    training_type = SelectField(
        _l("Training type (SIASN)"),
        validators=[required()],
        choices=choices(CURRICULUM_CHOICES),
        default=DEFAULT_TYPE,
        description=_l(
            "How a training of this curriculum is recorded in SIASN (BKN jenis diklat): it "
            "gives the codes of the SIASN export."
        ),
    )
    learning_outcomes = TextAreaField(
        _l("Learning outcomes"),
        validators=[Optional(), max_length(5000)],
        description=_l(
            "One outcome a line, e.g. “Participants can draft a data-sharing agreement.”"
        ),
    )
    agency_id = SelectField(
        _l("Partner agency (OPD)"),
        coerce=int,
        validators=[Optional()],
        description=_l(
            "The OPD that co-designs and reviews this curriculum. It can be changed while the proposal is a draft."
        ),
    )

    def set_agencies(self, agencies) -> None:
        self.agency_id.choices = choices(
            [(NO_AGENCY, _l("— not chosen yet —"))] + [(a.id, a.name) for a in agencies]
        )

    def agency_value(self) -> int | None:
        return self.agency_id.data or None


class ModuleForm(BaseForm):
    title = StringField(_l("Module title"), validators=[required(), max_length(200)])
    objectives = TextAreaField(
        _l("Objectives"),
        validators=[Optional(), max_length(5000)],
        description=_l("What participants can do after this module."),
    )
    jp = IntegerField(
        _l("JP"),
        validators=[
            InputRequired(message=_l("This field is required.")),
            NumberRange(min=1, max=200, message=_l("Between 1 and 200 JP.")),
        ],
        description=_l("JP: jam pelajaran, 45 minutes each."),
    )
    method = SelectField(
        _l("Method"),
        validators=[required()],
        choices=choices([("", _l("Choose a method"))] + list(MODULE_METHODS.items())),
    )


class TargetForm(BaseForm):
    competency_id = SelectField(_l("Competency"), coerce=int, validators=[required()])
    target_level = SelectField(
        _l("Target level"),
        coerce=int,
        validators=[required()],
        choices=choices((n, _l("Level %(n)d", n=n)) for n in range(1, 6)),
    )

    def set_competencies(self, rows) -> None:
        """``rows``: (id, name, code) of the competencies that may be targeted."""
        self.competency_id.choices = choices(
            [(0, _l("Choose a competency"))]
            + [(cid, _l("%(name)s (%(code)s)", name=name, code=code)) for cid, name, code in rows]
        )


class EvidenceForm(BaseForm):
    """One demand-board cluster, named by OPD, competency and position kind ("" = merged)."""

    agency_id = IntegerField(
        _l("OPD"),
        widget=HiddenField.widget,
        validators=[InputRequired(message=_l("Choose a group of the demand board.")), _an_id()],
    )
    competency_id = IntegerField(
        _l("Competency"),
        widget=HiddenField.widget,
        validators=[InputRequired(message=_l("Choose a group of the demand board.")), _an_id()],
    )
    kind = StringField(
        _l("Position kind"), widget=HiddenField.widget, validators=[Optional(), max_length(30)]
    )


class AuthorForm(BaseForm):
    user_id = SelectField(_l("Co-author"), coerce=int, validators=[required()])

    def set_candidates(self, candidates) -> None:
        """``candidates``: (user, description) pairs the actor may add."""
        self.user_id.choices = choices(
            [(0, _l("Choose a person"))]
            + [
                (user.id, _l("%(name)s — %(what)s", name=user.full_name, what=what))
                for user, what in candidates
            ]
        )


class CommentForm(BaseForm):
    body = TextAreaField(_l("Comment"), validators=[required(), max_length(5000)])
    module_id = IntegerField(widget=HiddenField.widget, validators=[Optional(), _an_id()])
    parent_id = IntegerField(widget=HiddenField.widget, validators=[Optional(), _an_id()])


class CommentEditForm(BaseForm):
    body = TextAreaField(_l("Comment"), validators=[required(), max_length(5000)])


class TransitionForm(BaseForm):
    action = SelectField(
        _l("Step"),
        validators=[required()],
        choices=choices((a.value, a.title) for a in CurriculumAction),
    )
    note = TextAreaField(
        _l("Note"),
        validators=[Optional(), max_length(2000)],
        description=_l("Kept in the history. Required when you request changes."),
    )


class MoveModuleForm(BaseForm):
    direction = SelectField(
        _l("Direction"),
        validators=[required()],
        choices=choices([("up", _l("Up")), ("down", _l("Down"))]),
    )


class ActionForm(BaseForm):
    """Only the CSRF token: one-click POST actions (remove, resolve, reopen)."""
