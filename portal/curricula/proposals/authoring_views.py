"""Authoring what a proposal holds: its modules, target competencies, evidence cited from the
demand board, and co-authors. The loading, checks and form handling are those of
:mod:`~portal.curricula.proposals.views` (same blueprint, same endpoint names).
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.curricula import bp
from portal.curricula.models import CurriculumAuthor, CurriculumEvidence, CurriculumTarget, Module
from portal.curricula.proposals import people_services, queries, services, workflow
from portal.curricula.proposals.forms import (
    ActionForm,
    AuthorForm,
    EvidenceForm,
    ModuleForm,
    MoveModuleForm,
    TargetForm,
)
from portal.curricula.proposals.views import (
    AUTHORING,
    authored,
    not_editable,
    one_click,
    owning,
    render_proposal,
    submit,
    to_proposal,
    viewable,
)
from portal.i18n import _
from portal.listing import ListPage, id_arg, page_arg, page_size
from portal.refusals import attempt
from portal.templating import query_args

# --- modules --------------------------------------------------------------------------------------


def _module_fields(form: ModuleForm) -> dict:
    return {
        "title": form.title.data,
        "objectives": form.objectives.data,
        "jp": form.jp.data,
        "method": form.method.data,
    }


def _part(model, part_id: int, parts: str):
    """The proposal (which the user authors) holding row ``part_id`` of ``model``, and that row
    out of the proposal's list ``parts`` (``"modules"``, ``"targets"``, ``"evidence"``)."""
    cur = authored(owning(model, part_id))
    return cur, next(p for p in getattr(cur, parts) if p.id == part_id)


def _module(module_id: int):
    return _part(Module, module_id, "modules")


def _remove_part(model, part_id: int, parts: str, remove, message):
    """One click that takes a target or a cited group out of its proposal with
    ``remove(part, cur, actor=…)`` and returns to that section (``#<parts>``) of the proposal."""
    cur, part = _part(model, part_id, parts)
    return one_click(
        ActionForm(),
        lambda: remove(part, cur, actor=current_user),
        message,
        to_proposal(cur, parts),
    )


@bp.route("/proposals/<int:curriculum_id>/modules/new", methods=["GET", "POST"])
@allow(*AUTHORING, own=AUTHORING)
def add_module(curriculum_id):
    cur = authored(curriculum_id)
    if cur.state not in workflow.EDITABLE:
        return not_editable(cur)
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
        return not_editable(cur)
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
        return not_editable(cur)
    form = TargetForm()
    form.set_competencies(queries.target_competencies())
    if not form.validate_on_submit():
        return render_proposal(curriculum_id, status=400, target_form=form)
    done = attempt(
        lambda: services.add_target(
            cur,
            actor=current_user,
            competency_id=form.competency_id.data,
            target_level=form.target_level.data,
        ),
        success=_("The target competency has been added."),
        show=False,
    )
    if not done:
        return render_proposal(
            curriculum_id, status=done.error.status, target_form=form, error=done.alert
        )
    return to_proposal(cur, "targets")


@bp.route("/targets/<int:target_id>/delete", methods=["POST"])
@allow(*AUTHORING, own=AUTHORING)
def remove_target(target_id):
    return _remove_part(
        CurriculumTarget,
        target_id,
        "targets",
        services.remove_target,
        _("The target competency has been removed."),
    )


# --- evidence from the demand board ---------------------------------------------------------------


@bp.route("/proposals/<int:curriculum_id>/evidence", methods=["GET", "POST"])
@allow(*AUTHORING, own=AUTHORING)
def evidence(curriculum_id):
    cur = authored(curriculum_id)
    if cur.state not in workflow.EDITABLE:
        return not_editable(cur)
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
    return _remove_part(
        CurriculumEvidence,
        evidence_id,
        "evidence",
        people_services.remove_evidence,
        _("The evidence has been removed."),
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
