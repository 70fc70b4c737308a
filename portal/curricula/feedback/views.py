"""The feedback loop's pages: rating and flagging a material, the flag queues (the handlers' one
with its CSV/XLSX export), the authors' feedback summary and its export."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_datetime
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.curricula import bp
from portal.curricula.feedback import flag_queries
from portal.curricula.feedback import queries as feedback_queries
from portal.curricula.feedback import services as feedback_services
from portal.curricula.feedback.models import FlagState
from portal.curricula.materials import queries as material_queries
from portal.curricula.materials.forms import FlagForm, FlagHandleForm, RatingForm
from portal.curricula.materials.views import (
    AUTHOR_ROLES,
    curriculum_url,
    render_material,
    visible_material,
)
from portal.curricula.proposals import queries, workflow
from portal.exports import FORMATS, csv_download, export, xlsx_download
from portal.forms import choices
from portal.i18n import _, _l
from portal.listing import page_arg, text_arg
from portal.refusals import attempt

LEARNER_ROLES = (Role.ASN, Role.STUDENT)
EXPORT_HEADERS = (
    _l("Module"),
    _l("Material"),
    _l("Version"),
    _l("Rated on"),
    _l("Overall"),
    _l("Relevance"),
    _l("Clarity"),
    _l("Difficulty"),
    _l("Comment"),
    _l("Learner"),
)
FLAG_HEADERS = (
    _l("Reported (WIB)"),
    _l("Curriculum"),
    _l("Material"),
    _l("Version"),
    _l("Problem"),
    _l("Description"),
    _l("State"),
)


def _learner_material(material_id):
    """The material a learner acts on: private curricula do not exist for them (404), others
    that take no feedback refuse (403)."""
    material = visible_material(material_id)
    require(workflow.can_give_feedback(material.module.curriculum, current_user))
    return material


class LearnerStep(NamedTuple):
    """What a learner's step on a material takes: its form (and the name the material page
    knows it by) and the service the form's ``fields`` go to, under the same names."""

    form_name: str
    form_class: type
    service: Callable
    fields: tuple[str, ...]


RATING_STEP = LearnerStep(
    "rating_form",
    RatingForm,
    feedback_services.rate_material,
    ("overall", "relevance", "clarity", "difficulty", "comment", "show_name"),
)
FLAG_STEP = LearnerStep(
    "flag_form", FlagForm, feedback_services.flag_material, ("kind", "description")
)


def _learner_step(material_id, step: LearnerStep, *, success, next_url):
    """A learner's POST on a material (rate it, report a problem): check the form, run the
    step's service for the actor, commit and redirect to ``next_url``; or show the material page
    again with the form as typed."""
    material = _learner_material(material_id)
    form = step.form_class()
    if form.validate_on_submit():
        done = attempt(
            lambda: step.service(
                material,
                actor=current_user,
                **{name: getattr(form, name).data for name in step.fields},
            ),
            form=form,
            success=success,
        )
        if done:
            return redirect(next_url)
        material = visible_material(material_id)
    return render_material(material, status=400, **{step.form_name: form})


@bp.route("/materials/<int:material_id>/rate", methods=["POST"])
@allow(*LEARNER_ROLES)
def rate_material(material_id):
    """Rate the current version (a second rating updates the first); always the actor's own."""
    return _learner_step(
        material_id,
        RATING_STEP,
        success=_("Thank you: your rating was saved."),
        next_url=url_for("curricula.material", material_id=material_id) + "#rating",
    )


@bp.route("/materials/<int:material_id>/flag", methods=["POST"])
@allow(*LEARNER_ROLES)
def flag_material(material_id):
    """Report a problem with the current version; the authors find it in their queue."""
    return _learner_step(
        material_id,
        FLAG_STEP,
        success=_(
            "Thank you: the authors were told about the problem. You can follow it under "
            "My reports."
        ),
        next_url=url_for("curricula.my_flags"),
    )


def _state_arg() -> FlagState | None:
    try:
        return FlagState(text_arg("state", 20))
    except ValueError:
        return None


def flag_filters() -> dict:
    """The flag queue's filters (the page and its export read the same ones)."""
    return {"state": _state_arg(), "q": text_arg("q")}


@bp.route("/flags")
@allow(*AUTHOR_ROLES)
def flag_queue():
    """The problems learners reported on the curricula this user handles."""
    filters = flag_filters()
    state, q = filters["state"], filters["q"]
    pagination = flag_queries.flag_queue(current_user, **filters, page=page_arg())
    return render_template(
        "curricula/flags.html",
        pagination=pagination,
        q=q,
        state=state.value if state else "",
        states=list(FlagState),
    )


@bp.route("/flags/export.<fmt>")
@allow(*AUTHOR_ROLES)
def flag_queue_export(fmt):
    """The flag queue (same filters, same curricula) as CSV or XLSX; who reported stays out of
    it, as on the page. A GET that writes nothing."""
    if fmt not in FORMATS:
        abort(404)
    stmt = flag_queries.flag_queue_stmt(current_user, **flag_filters())
    rows = (
        (
            format_datetime(f.created_at, "yyyy-MM-dd HH:mm"),
            f.material.module.curriculum.title,
            f.material.title,
            f.version.number,
            f.kind.title,
            f.description,
            f.state.title,
        )
        for f in queries.export_rows(stmt)
    )
    return export(fmt, "reported-problems", FLAG_HEADERS, rows, title=_("Reported problems"))


@bp.route("/my-flags")
@allow(*LEARNER_ROLES)
def my_flags():
    """The learner's own reports and what became of them."""
    pagination = flag_queries.my_flags(current_user, page=page_arg())
    return render_template("curricula/my_flags.html", pagination=pagination)


def _flag_for_viewer(flag_id):
    flag = flag_queries.flag(flag_id)
    require(flag is not None, 404)
    curriculum = flag.material.module.curriculum
    handler = workflow.can_handle_feedback(curriculum, current_user)
    require(handler or flag.reporter_id == current_user.id, 404)
    return flag, curriculum, handler


def _render_flag(flag, curriculum, handler, form=None, status=200):
    newer = flag_queries.newer_versions(flag) if handler else []
    actions = feedback_services.allowed_flag_actions(flag, current_user)
    if handler and form is None:
        form = FlagHandleForm(formdata=None)
    if form is not None:
        form.version.choices = choices(
            [(v.id, _("Version %(number)d", number=v.number)) for v in newer]
            or [("", _("No newer version yet"))]
        )
        if newer and not form.version.data:  # the newest: the one the author just uploaded
            form.version.data = newer[0].id
    return render_template(
        "curricula/flag.html",
        flag=flag,
        material=flag.material,
        curriculum=curriculum,
        handler=handler,
        form=form,
        actions=actions,
        newer=newer,
        back_url=curriculum_url(curriculum),
    ), status


@bp.route("/flags/<int:flag_id>")
@allow(*LEARNER_ROLES, *AUTHOR_ROLES, own=(Role.STUDENT, Role.ASN, Role.UNIVERSITY))
def flag(flag_id):
    """One report: read-only for the learner who made it, with the next steps for the handlers."""
    flag, curriculum, handler = _flag_for_viewer(flag_id)
    return _render_flag(flag, curriculum, handler)


@bp.route("/flags/<int:flag_id>/handle", methods=["POST"])
@allow(*AUTHOR_ROLES, own=(Role.UNIVERSITY, Role.ASN))
def handle_flag(flag_id):
    """Start, fix (with a note and a newer version) or decline (with a reason) a report."""
    flag, curriculum, handler = _flag_for_viewer(flag_id)
    require(handler)  # the reporter sees the report but does not handle it
    form = FlagHandleForm()
    if form.validate_on_submit():
        done = attempt(
            lambda: feedback_services.handle_flag(
                flag,
                actor=current_user,
                action=form.action.data,
                note=form.note.data,
                version_id=form.version.data,
            ),
            form=form,
        )
        if done:
            flash(_("The report is now: %(state)s.", state=flag.state.title), "success")
            return redirect(url_for("curricula.flag", flag_id=flag_id))
        flag, curriculum, handler = _flag_for_viewer(flag_id)
    return _render_flag(flag, curriculum, handler, form=form, status=400)


def _feedback_curriculum(curriculum_id):
    curriculum = feedback_queries.curriculum(curriculum_id)
    require(curriculum is not None and material_queries.is_visible(curriculum, current_user), 404)
    require(workflow.can_handle_feedback(curriculum, current_user))
    return curriculum


@bp.route("/proposals/<int:curriculum_id>/feedback")
@allow(*AUTHOR_ROLES, own=(Role.UNIVERSITY, Role.ASN))
def feedback_summary(curriculum_id):
    """Ratings, comments and open reports per material and for the whole curriculum."""
    curriculum = _feedback_curriculum(curriculum_id)
    return render_template(
        "curricula/feedback_summary.html",
        curriculum=curriculum,
        feedback=feedback_queries.curriculum_feedback(curriculum),
        limits=feedback_queries.thresholds(),
        back_url=curriculum_url(curriculum),
    )


@bp.route("/proposals/<int:curriculum_id>/feedback.<fmt>")
@allow(*AUTHOR_ROLES, own=(Role.UNIVERSITY, Role.ASN))
def export_feedback(curriculum_id, fmt):
    """Every rating of the curriculum as CSV or XLSX; names only where the learner showed them."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    curriculum = _feedback_curriculum(curriculum_id)
    anonymous = _("Anonymous learner")
    rows = [
        (
            f"{r.module_position}. {r.module}",
            r.material,
            r.version,
            format_datetime(r.updated_at, "yyyy-MM-dd HH:mm"),
            r.overall,
            r.relevance,
            r.clarity,
            r.difficulty,
            r.comment or "",
            r.learner or anonymous,
        )
        for r in feedback_queries.export_rows(curriculum)
    ]
    # No audit row: a GET changes nothing (G6), and the export is anonymised like the page.
    download = csv_download if fmt == "csv" else xlsx_download
    return download(f"feedback-curriculum-{curriculum.id}", [str(h) for h in EXPORT_HEADERS], rows)
