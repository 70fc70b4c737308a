"""Forms of the guidance sessions (field lengths match the columns; no state, owner or id field
can be posted: the services take only the values listed in ``SessionData``)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from portal.admin.forms import MultiCheckboxField
from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.internships.guidance.models import SessionMode
from portal.internships.guidance.services import (
    ACTION_MAX,
    COMMENT_MAX,
    COMPETENCIES_MAX,
    DURATION_MAX,
    DURATION_MIN,
    MAX_ACTIONS,
    NOTES_MAX,
    TOPICS_MAX,
    ActionData,
    SessionData,
)
from portal.util import clock
from portal.util.dates import day_text


class ActionRowForm(Form):
    """One agreed action (a row of the session form; an empty row is ignored)."""

    Meta = BaseForm.Meta

    text = StringField(_l("Action"), validators=[Optional(), max_length(ACTION_MAX)])
    due_on = DateField(_l("Due on"), validators=[Optional()])
    is_done = BooleanField(_l("Done"))


class SessionForm(BaseForm):
    held_on = DateField(_l("Date of the session"), validators=[required()], default=clock.today)
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        default=60,
        validators=[
            InputRequired(message=_l("This field is required.")),
            NumberRange(
                min=DURATION_MIN,
                max=DURATION_MAX,
                message=_l(
                    "Between %(min)d and %(max)d minutes.", min=DURATION_MIN, max=DURATION_MAX
                ),
            ),
        ],
    )
    mode = SelectField(
        _l("How it took place"),
        validators=[required()],
        choices=choices((m.value, m.title) for m in SessionMode),
    )
    topics = TextAreaField(
        _l("Topics"),
        validators=[required(), max_length(TOPICS_MAX)],
        render_kw={"rows": 3},
        description=_l("What you discussed, e.g. “Review of the dashboard design”."),
    )
    competencies = StringField(
        _l("Competencies touched"),
        validators=[Optional(), max_length(COMPETENCIES_MAX)],
        description=_l("Separated by commas, e.g. Integritas, Komunikasi, Pengembangan Aplikasi."),
    )
    shared_notes = TextAreaField(
        _l("Notes for the student"),
        validators=[Optional(), max_length(NOTES_MAX)],
        render_kw={"rows": 4},
        description=_l("The student reads these notes."),
    )
    private_notes = TextAreaField(
        _l("Private notes"),
        validators=[Optional(), max_length(NOTES_MAX)],
        render_kw={"rows": 3},
        description=_l("Only you see these notes: not the student, the DPL or any export."),
    )
    next_meeting_on = DateField(_l("Next meeting"), validators=[Optional()])
    actions = FieldList(FormField(ActionRowForm), min_entries=3, max_entries=MAX_ACTIONS)
    done_actions = MultiCheckboxField(
        _l("Actions from earlier sessions now done"),
        coerce=int,
        validate_choice=True,
        choices=[],
    )

    def __init__(self, *args, open_actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.done_actions.choices = choices(
            (row.id, f"{row.text} ({day_text(row.held_on)})") for row in open_actions
        )
        # One empty row beyond what is there, so an edit can add an action too.
        while len(self.actions.entries) < min(MAX_ACTIONS, max(3, len(self._filled()) + 1)):
            self.actions.append_entry()

    def _filled(self) -> list:
        return [row for row in self.actions if (row.form.text.data or "").strip()]

    def data_for_service(self) -> SessionData:
        return SessionData(
            held_on=self.held_on.data,
            duration_minutes=self.duration_minutes.data,
            mode=self.mode.data,
            topics=self.topics.data,
            competencies=self.competencies.data,
            shared_notes=self.shared_notes.data,
            private_notes=self.private_notes.data,
            next_meeting_on=self.next_meeting_on.data,
            actions=[
                ActionData(
                    text=row.form.text.data or "",
                    due_on=row.form.due_on.data,
                    is_done=bool(row.form.is_done.data),
                )
                for row in self.actions
            ],
        )


class SessionAnswerForm(BaseForm):
    """The student's answer: the clicked button sends ``action`` (confirm or dispute)."""

    action = SelectField(
        _l("Answer"),
        validators=[required()],
        choices=choices([("confirm", _l("Confirm")), ("dispute", _l("Dispute"))]),
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional(), max_length(COMMENT_MAX)],
        render_kw={"rows": 3},
        description=_l("Optional when you confirm; say what is wrong when you dispute."),
    )
