"""Proposal pages: the list, the workspace, and authoring (fields, modules, targets, evidence,
co-authors).

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
from portal.curricula.models import (
    CurriculumAuthor,
    CurriculumEvidence,
    CurriculumState,
    CurriculumTarget,
    Module,
)
from portal.curricula.proposals import people_services, queries, review_services, services, workflow
from portal.curricula.proposals.forms import (
    ActionForm,
    AuthorForm,
    EvidenceForm,
    ModuleForm,
    MoveModuleForm,
    ProposalForm,
    TargetForm,
    TransitionForm,
)
from portal.curricula.proposals.workflow import CurriculumAction
from portal.db import db
from portal.errors import DomainError
from portal.i18n import _
from portal.listing import ListPage, id_arg, page_arg, page_size
from portal.templating import query_args

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


def _not_editable(cur):
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
        missing=review_services.missing_for_submission(cur)
        if cur.state in workflow.EDITABLE
        else [],
        transition_form=transition_form or TransitionForm(formdata=None),
        target_form=target_form,
        confirm=ActionForm(),
        error=error,
        action_titles=ACTION_TITLES,
        kind_titles=KIND_TITLES,
    ), status


def submit(form, call, done: str) -> tuple[bool, object, int]:
    """Validate ``form``, run ``call()`` (a service), commit and flash ``done``.

    Returns (done, what the service returned, the status to re-render with): 200 when nothing
    was sent, 400 for an invalid form, the error's status when the service refused (its reason
    is flashed and the session rolled back)."""
    if not form.is_submitted():
        return False, None, 200
    if not form.validate_on_submit():
        return False, None, 400
    try:
        result = call()
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "danger")
        return False, None, exc.status
    db.session.commit()
    flash(done, "success")
    return True, result, 200


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
    return {
        "title": form.title.data,
        "summary": form.summary.data,
        "audience": form.audience.data,
        "mode": form.mode.data,
        "learning_outcomes": form.learning_outcomes.data,
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
        return _not_editable(cur)
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


# --- modules --------------------------------------------------------------------------------------


def _module_fields(form: ModuleForm) -> dict:
    return {
        "title": form.title.data,
        "objectives": form.objectives.data,
        "jp": form.jp.data,
        "method": form.method.data,
    }


def _module(module_id: int):
    cur = authored(owning(Module, module_id))
    return cur, next(m for m in cur.modules if m.id == module_id)


@bp.route("/proposals/<int:curriculum_id>/modules/new", methods=["GET", "POST"])
@allow(*AUTHORING, own=AUTHORING)
def add_module(curriculum_id):
    cur = authored(curriculum_id)
    if cur.state not in workflow.EDITABLE:
        return _not_editable(cur)
    form = ModuleForm()
    done, module, status = submit(
        form,
        lambda: services.add_module(cur, actor=current_user, **_module_fields(form)),
        _("The module has been added."),
    )
    if done:
        return to_proposal(cur, f"module-{module.id}")
    return render_template("curricula/module_form.html", form=form, cur=cur, module=None), status


@bp.route("/modules/<int:module_id>/edit", methods=["GET", "POST"])
@allow(*AUTHORING, own=AUTHORING)
def edit_module(module_id):
    cur, module = _module(module_id)
    if cur.state not in workflow.EDITABLE:
        return _not_editable(cur)
    form = ModuleForm(obj=module if request.method == "GET" else None)
    done, _result, status = submit(
        form,
        lambda: services.update_module(module, actor=current_user, **_module_fields(form)),
        _("The module has been saved."),
    )
    if done:
        return to_proposal(cur, f"module-{module_id}")
    return render_template("curricula/module_form.html", form=form, cur=cur, module=module), status


@bp.route("/modules/<int:module_id>/delete", methods=["POST"])
@allow(*AUTHORING, own=AUTHORING)
def delete_module(module_id):
    cur, module = _module(module_id)
    return one_click(
        ActionForm(),
        lambda: services.delete_module(module, actor=current_user),
        _("The module has been removed."),
        to_proposal(cur, "modules"),
    )


@bp.route("/modules/<int:module_id>/move", methods=["POST"])
@allow(*AUTHORING, own=AUTHORING)
def move_module(module_id):
    cur, module = _module(module_id)
    form = MoveModuleForm()
    return one_click(
        form,
        lambda: services.move_module(module, actor=current_user, direction=form.direction.data),
        _("The module has been moved."),
        to_proposal(cur, f"module-{module_id}"),
    )


# --- target competencies --------------------------------------------------------------------------


@bp.route("/proposals/<int:curriculum_id>/targets", methods=["POST"])
@allow(*AUTHORING, own=AUTHORING)
def add_target(curriculum_id):
    cur = authored(curriculum_id)
    if cur.state not in workflow.EDITABLE:
        return _not_editable(cur)
    form = TargetForm()
    form.set_competencies(queries.target_competencies())
    if not form.validate_on_submit():
        return render_proposal(curriculum_id, status=400, target_form=form)
    try:
        services.add_target(
            cur,
            actor=current_user,
            competency_id=form.competency_id.data,
            target_level=form.target_level.data,
        )
    except DomainError as exc:
        db.session.rollback()
        return render_proposal(
            curriculum_id, status=exc.status, target_form=form, error=exc.message
        )
    db.session.commit()
    flash(_("The target competency has been added."), "success")
    return to_proposal(cur, "targets")


@bp.route("/targets/<int:target_id>/delete", methods=["POST"])
@allow(*AUTHORING, own=AUTHORING)
def remove_target(target_id):
    cur = authored(owning(CurriculumTarget, target_id))
    target = next(t for t in cur.targets if t.id == target_id)
    return one_click(
        ActionForm(),
        lambda: services.remove_target(target, cur, actor=current_user),
        _("The target competency has been removed."),
        to_proposal(cur, "targets"),
    )


# --- evidence from the demand board ---------------------------------------------------------------


@bp.route("/proposals/<int:curriculum_id>/evidence", methods=["GET", "POST"])
@allow(*AUTHORING, own=AUTHORING)
def evidence(curriculum_id):
    cur = authored(curriculum_id)
    if cur.state not in workflow.EDITABLE:
        return _not_editable(cur)
    form = EvidenceForm()
    done, _result, status = submit(
        form,
        lambda: people_services.cite_evidence(
            cur,
            actor=current_user,
            agency_id=form.agency_id.data,
            competency_id=form.competency_id.data,
            kind=form.kind.data,
        ),
        _("The group has been cited as evidence."),
    )
    if done:
        return redirect(url_for("curricula.evidence", curriculum_id=cur.id, **query_args()))
    if status >= 409:  # refused: the proposal was rolled back, read it again
        cur = viewable(curriculum_id)
    agency_id = id_arg("opd") if "opd" in request.args else cur.agency_id
    clusters = people_services.visible_clusters(current_user, agency_id=agency_id)
    return render_template(
        "curricula/evidence.html",
        cur=cur,
        form=form,
        confirm=ActionForm(),
        pagination=ListPage(clusters, page_arg(), page_size()),
        kind_key=people_services.kind_key,
        cited={(e.agency_id, e.competency_id, e.kind or "") for e in cur.evidence},
        agencies=queries.active_agencies(include_id=cur.agency_id),
        opd=agency_id,
    ), status


@bp.route("/evidence/<int:evidence_id>/delete", methods=["POST"])
@allow(*AUTHORING, own=AUTHORING)
def remove_evidence(evidence_id):
    cur = authored(owning(CurriculumEvidence, evidence_id))
    row = next(e for e in cur.evidence if e.id == evidence_id)
    return one_click(
        ActionForm(),
        lambda: people_services.remove_evidence(row, cur, actor=current_user),
        _("The evidence has been removed."),
        to_proposal(cur, "evidence"),
    )


# --- co-authors -----------------------------------------------------------------------------------


def _manageable(curriculum_id: int):
    cur = viewable(curriculum_id)
    require(workflow.can_manage_authors(cur, current_user), 403)
    return cur


@bp.route("/proposals/<int:curriculum_id>/authors", methods=["GET", "POST"])
@allow(Role.UNIVERSITY, Role.ADMIN, own=(Role.UNIVERSITY,))
def authors(curriculum_id):
    cur = _manageable(curriculum_id)
    form = AuthorForm()
    form.set_candidates(queries.author_candidates(cur, current_user))
    done, _result, status = submit(
        form,
        lambda: people_services.add_author(cur, actor=current_user, user_id=form.user_id.data),
        _("The co-author has been added."),
    )
    if done:
        return redirect(url_for("curricula.authors", curriculum_id=cur.id))
    if status >= 409:  # refused: the proposal was rolled back, read it again
        cur = _manageable(curriculum_id)
        form.set_candidates(queries.author_candidates(cur, current_user))
    return render_template(
        "curricula/authors.html",
        cur=cur,
        form=form,
        confirm=ActionForm(),
        sides=workflow.sides_of(cur, current_user),
    ), status


@bp.route("/authors/<int:author_id>/delete", methods=["POST"])
@allow(Role.UNIVERSITY, Role.ADMIN, own=(Role.UNIVERSITY,))
def remove_author(author_id):
    cur = _manageable(owning(CurriculumAuthor, author_id))
    author = next(a for a in cur.authors if a.id == author_id)
    return one_click(
        ActionForm(),
        lambda: people_services.remove_author(author, cur, actor=current_user),
        _("The co-author has been removed."),
        redirect(url_for("curricula.authors", curriculum_id=cur.id)),
    )
