"""Forms of the course materials and of the feedback loop (field lengths match the columns)."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

from portal.curricula.feedback.models import FlagKind
from portal.curricula.feedback.services import COMMENT_MAX, NOTE_MAX, FlagAction
from portal.curricula.materials.services import NOTE_MAX as CHANGE_NOTE_MAX
from portal.curricula.materials.services import TITLE_MAX, URL_MAX
from portal.curricula.models import MaterialKind
from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.markup import MAX_SOURCE

SCORES = [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")]


def _content_fields(form, kind: MaterialKind) -> None:
    """The field that holds a version's content must be filled for the material's kind."""
    if kind == MaterialKind.FILE and not (form.file.data and form.file.data.filename):
        form.file.errors.append(_l("Choose a file to upload."))
    elif kind == MaterialKind.LINK and not form.url.data:
        form.url.errors.append(_l("Enter the web address of the link."))
    elif kind == MaterialKind.TEXT and not form.body.data:
        form.body.errors.append(_l("Write the text of the material."))


class MaterialForm(BaseForm):
    kind = SelectField(
        _l("Kind of material"),
        choices=choices((k.value, k.title) for k in MaterialKind),
        validators=[required()],
        description=_l("A file, a link to a page elsewhere, or a text written here."),
    )
    title = StringField(_l("Title"), validators=[required(), max_length(TITLE_MAX)])
    file = FileField(
        _l("File to upload (for a file)"),
        description=_l("PDF, DOCX, PPTX, XLSX, PNG, JPG, GIF, WEBP or MP4."),
    )
    url = StringField(
        _l("Web address (for a link)"),
        validators=[Optional(), max_length(URL_MAX)],
        description=_l("Starts with https:// or http://"),
    )
    body = TextAreaField(
        _l("Text (for a text, in Markdown)"),
        validators=[Optional(), max_length(MAX_SOURCE)],
        description=_l("Markdown: **bold**, *italic*, lists, links and tables."),
        render_kw={"rows": 10},
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.kind.data in {k.value for k in MaterialKind}:
            _content_fields(self, MaterialKind(self.kind.data))
        return ok and not any(f.errors for f in self)


class RevisionForm(BaseForm):
    """A new version of a material: only the content field of its kind is shown."""

    file = FileField(
        _l("New file"), description=_l("PDF, DOCX, PPTX, XLSX, PNG, JPG, GIF, WEBP or MP4.")
    )
    url = StringField(_l("Web address"), validators=[Optional(), max_length(URL_MAX)])
    body = TextAreaField(
        _l("Text (Markdown)"),
        validators=[Optional(), max_length(MAX_SOURCE)],
        render_kw={"rows": 12},
    )
    change_note = StringField(
        _l("What changed"),
        validators=[required(), max_length(CHANGE_NOTE_MAX)],
        description=_l("Learners and reviewers see this note in the list of versions."),
    )

    def __init__(self, kind: MaterialKind, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.material_kind = kind

    @property
    def content_field(self) -> str:
        return {MaterialKind.FILE: "file", MaterialKind.LINK: "url", MaterialKind.TEXT: "body"}[
            self.material_kind
        ]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        _content_fields(self, self.material_kind)
        return ok and not any(f.errors for f in self)


def _score_field(label, description=None):
    return RadioField(
        label,
        choices=choices(SCORES),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a score from 1 to 5."))],
        description=description,
    )


class RatingForm(BaseForm):
    overall = _score_field(_l("Overall"), _l("1 = poor, 5 = excellent"))
    relevance = _score_field(
        _l("Relevance to my work or studies"), _l("1 = not relevant, 5 = very relevant")
    )
    clarity = _score_field(_l("Clarity"), _l("1 = hard to follow, 5 = very clear"))
    difficulty = _score_field(
        _l("Difficulty"), _l("1 = far too easy, 3 = about right, 5 = far too hard")
    )
    comment = TextAreaField(
        _l("Comment (optional)"),
        validators=[Optional(), max_length(COMMENT_MAX)],
        render_kw={"rows": 3},
    )
    show_name = BooleanField(
        _l("Show my name to the authors"),
        description=_l("Unticked, the authors see your rating and comment without your name."),
    )


class FlagForm(BaseForm):
    kind = SelectField(
        _l("Kind of problem"),
        choices=choices((k.value, k.title) for k in FlagKind),
        validators=[required()],
    )
    description = TextAreaField(
        _l("What is wrong, and where"),
        validators=[required(), max_length(COMMENT_MAX)],
        description=_l("For example the page or slide, and what it should say."),
        render_kw={"rows": 3},
    )


def _version_id(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class FlagHandleForm(BaseForm):
    """The authors' step on a flag: the clicked button sends ``action``."""

    action = SelectField(
        _l("Action"),
        choices=choices((a.value, a.title) for a in FlagAction),
        validators=[required()],
    )
    note = TextAreaField(
        _l("Note"),
        validators=[Optional(), max_length(NOTE_MAX)],
        description=_l("Fixed: what you changed. Declined: the reason. The learner reads it."),
        render_kw={"rows": 3},
    )
    version = SelectField(
        _l("Corrected version"),
        coerce=_version_id,
        validate_choice=False,
        description=_l("The version that fixes the problem (newer than the one reported)."),
    )

    def validate_version(self, field):
        if field.data is not None and not 1 <= field.data <= 2_147_483_647:
            raise ValidationError(_l("Not a valid choice."))
