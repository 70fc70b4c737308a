"""Proposal pages: the workspace and the proposal's own fields (new, edit), with the loading,
checks and form handling every proposal page shares. Authoring what the proposal holds (modules,
targets, evidence, co-authors) is in :mod:`~portal.curricula.proposals.authoring_views`.

Each view loads the proposal, checks who may see it (404: other universities' drafts are
private) and who may act (403), validates the form, calls a service with explicit keywords,
commits once and redirects; a refused or invalid request re-renders what the user typed.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.competency.models import PositionKind
from portal.curricula import bp
from portal.curricula.models import CurriculumState
from portal.curricula.proposals import queries, services, workflow
from portal.curricula.proposals.forms import (
    ActionForm,
    ProposalForm,
    TargetForm,
    TransitionForm,
)
from portal.curricula.proposals.workflow import CurriculumAction
from portal.i18n import _
from portal.refusals import attempt

ACTION_TITLES = {a.value: a.title for a in CurriculumAction}
KIND_TITLES = {k.value: k.title for k in PositionKind}

#: Roles that author proposals: university staff, and on the agency side ASN and OPD admins.
AUTHORING = (Role.UNIVERSITY, Role.ADMIN, Role.ASN)


# --- loading and checks ---------------------------------------------------------------------------


def viewable(curriculum_id: int):
    """The proposal, or 404 when it does not exist or the user may not see it."""
    cur = queries.curriculum(curriculum_id)
    require(cur is not None and workflow.can_view_proposal(cur, current_user), 404)
    return cur


def authored(curriculum_id: int):
    """The proposal for one of its co-authors (404 if unseen, 403 if not a co-author)."""
    cur = viewable(curriculum_id)
    require(workflow.is_author(cur, current_user), 403)
    return cur


def owning(model, obj_id: int):
    """The proposal that a module/target/evidence/author row belongs to, or 404."""
    curriculum_id = queries.curriculum_of(model, obj_id)
    require(curriculum_id is not None, 404)
    return curriculum_id


def to_proposal(cur, anchor: str | None = None):
    url = url_for("curricula.proposal", curriculum_id=cur.id)
    return redirect(url + (f"#{anchor}" if anchor else ""))


def not_editable(cur):
    """Flash why the content cannot change now, and go back to the proposal."""
    flash(
        _(
            "The proposal cannot be changed while it is “%(state)s”; it can be changed as a draft "
            "or when changes are requested.",
            state=cur.state.title,
        ),
        "warning",
    )
    return to_proposal(cur)


def render_proposal(
    curriculum_id: int, *, status: int = 200, transition_form=None, target_form=None, error=None
):
    """The workspace, optionally with a refused form and its message (after a rollback)."""
    page = queries.proposal(curriculum_id)
    require(page is not None and workflow.can_view_proposal(page.curriculum, current_user), 404)
    cur = page.curriculum
    can_edit = workflow.can_edit(cur, current_user)
    if can_edit and target_form is None:
        target_form = TargetForm(formdata=None)
    if target_form is not None:
        taken = {t.competency_id for t in cur.targets}
        target_form.set_competencies(queries.target_competencies(exclude=taken))
    return render_template(
        "curricula/proposal.html",
        page=page,
        cur=cur,
        actions=workflow.allowed_actions(cur, current_user),
        can_edit=can_edit,
        can_comment=workflow.can_comment(cur, current_user),
        can_manage_authors=workflow.can_manage_authors(cur, current_user),
        missing=workflow.missing_for_submission(cur) if cur.state in workflow.EDITABLE else [],
        transition_form=transition_form or TransitionForm(formdata=None),
        target_form=target_form,
        confirm=ActionForm(),
        error=error,
        action_titles=ACTION_TITLES,
        kind_titles=KIND_TITLES,
    ), status


def submit(form, call, done: str) -> tuple[bool, object, int]:
    """Validate ``form`` and run ``call()`` (a service) through :func:`portal.refusals.attempt`:
    commit and flash ``done``, or roll back and flash the refusal.

    Returns (done, what the service returned, the status to re-render with): 200 when nothing
    was sent, 400 for an invalid form, the error's status when the service refused."""
    if not form.is_submitted():
        return False, None, 200
    if not form.validate_on_submit():
        return False, None, 400
    outcome = attempt(call, success=done)
    if not outcome:
        return False, None, outcome.error.status
    return True, outcome.value, 200


def one_click(form, call, done: str, back):
    """A one-click POST action (CSRF-checked); refused with the reason, then ``back``."""
    if not form.is_submitted() or not form.validate():
        reasons = [str(e) for errors in form.errors.values() for e in errors]
        flash(" ".join(reasons) or _("The request could not be understood."), "danger")
    else:
        submit(form, call, done)
    return back


# --- workspace (the list and its export: ``views.proposal_list``) -----------------------------


@bp.route("/proposals/<int:curriculum_id>")
@allow(*AUTHORING, own=(Role.UNIVERSITY, Role.ASN))
def proposal(curriculum_id):
    return render_proposal(curriculum_id)


# --- the proposal's fields ------------------------------------------------------------------------


def _proposal_fields(form: ProposalForm) -> dict:
    # The SIASN training type is changed only when it was sent (a request without it keeps it).
    sent_type = {"training_type": form.training_type.data} if form.training_type.raw_data else {}
    return {
        "title": form.title.data,
        "summary": form.summary.data,
        "audience": form.audience.data,
        "mode": form.mode.data,
        "learning_outcomes": form.learning_outcomes.data,
        **sent_type,
    }


@bp.route("/proposals/new", methods=["GET", "POST"])
@allow(Role.UNIVERSITY)
def new_proposal():
    form = ProposalForm()
    form.set_agencies(queries.active_agencies())
    done, cur, status = submit(
        form,
        lambda: services.create_proposal(
            actor=current_user, agency_id=form.agency_value(), **_proposal_fields(form)
        ),
        _("The proposal has been created as a draft."),
    )
    if done:
        return to_proposal(cur)
    return render_template("curricula/proposal_form.html", form=form, cur=None), status


@bp.route("/proposals/<int:curriculum_id>/edit", methods=["GET", "POST"])
@allow(*AUTHORING, own=AUTHORING)
def edit_proposal(curriculum_id):
    cur = authored(curriculum_id)
    if cur.state not in workflow.EDITABLE:
        return not_editable(cur)
    form = ProposalForm(obj=cur if request.method == "GET" else None)
    # The partner agency is chosen by a university author while the proposal is a draft.
    partner = cur.state == CurriculumState.DRAFT and workflow.UNIVERSITY in workflow.sides_of(
        cur, current_user
    )
    if partner:
        form.set_agencies(queries.active_agencies(include_id=cur.agency_id))
        if request.method == "GET":
            form.agency_id.data = cur.agency_id or 0
    else:
        del form.agency_id
    done, _result, status = submit(
        form,
        lambda: services.update_proposal(
            cur,
            actor=current_user,
            **_proposal_fields(form),
            **({"agency_id": form.agency_value()} if partner else {}),
        ),
        _("The proposal has been saved."),
    )
    if done:
        return to_proposal(cur)
    return render_template("curricula/proposal_form.html", form=form, cur=cur), status
