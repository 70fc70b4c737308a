"""Course material pages: add, read, revise, delete, download (views only: load → authorise →
validate → service → commit once → redirect)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal import uploads
from portal.access import PUBLIC, SIGNED_IN, allow, require
from portal.auth.forms import ConfirmForm
from portal.auth.models import Role
from portal.curricula import bp
from portal.curricula.feedback import flag_queries
from portal.curricula.feedback import queries as feedback_queries
from portal.curricula.materials import queries as material_queries
from portal.curricula.materials import services as material_services
from portal.curricula.materials.forms import FlagForm, MaterialForm, RatingForm, RevisionForm
from portal.curricula.models import MaterialKind
from portal.curricula.proposals import workflow
from portal.db import db
from portal.errors import DomainError
from portal.i18n import _, _l
from portal.markup import render_markdown
from portal.refusals import attempt

#: The authors' pages take these roles, each on their own curricula only.
AUTHOR_ROLES = (Role.UNIVERSITY, Role.ASN, Role.ADMIN)


@bp.context_processor
def _workflow_predicates():
    """Templates of the blueprint ask the same predicates as the views (``workflow.can_…``)."""
    return {"workflow": workflow}


def curriculum_url(curriculum) -> str | None:
    """The page of ``curriculum`` this user may open: the proposal page for those who may see
    the proposal, the public page of a published curriculum for everyone else."""
    if workflow.can_view_proposal(curriculum, current_user):
        return url_for("curricula.proposal", curriculum_id=curriculum.id)
    if curriculum.is_published:
        return url_for("curricula.show", curriculum_id=curriculum.id)
    return None


def commit_version(version) -> None:
    """Commit a new version; if the commit fails, its stored file goes from the disk too."""
    stored = version.file
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if stored is not None:
            uploads.discard(stored)
        raise DomainError(
            _l(
                "Someone else changed this material at the same time. Reload the page and try "
                "again."
            )
        ) from None


def render_material(material, *, rating_form=None, flag_form=None, status: int = 200):
    """The material page (also re-rendered, with errors, by the rating and flag views)."""
    curriculum = material.module.curriculum
    user = current_user
    current = material.current_version
    can_content = workflow.can_download(curriculum, user)
    versions = material_queries.versions(material.id) if can_content else []
    shown = current
    wanted = request.args.get("v", type=int)
    if wanted and material_queries.can_see_old_versions(curriculum, user):
        shown = next((v for v in versions if v.number == wanted), current)
    learner = current is not None and workflow.can_give_feedback(curriculum, user)
    handler = workflow.can_handle_feedback(curriculum, user)
    stats = feedback_queries.material_stats([material.id]).get(material.id) if can_content else None
    if learner:
        if rating_form is None:
            own = material_queries.own_rating(current.id, user.id)
            rating_form = RatingForm(formdata=None, obj=own)
        flag_form = flag_form or FlagForm(formdata=None)
    return render_template(
        "curricula/material.html",
        material=material,
        curriculum=curriculum,
        module=material.module,
        current=current,
        shown=shown,
        versions=versions,
        can_content=can_content,
        old_versions=material_queries.can_see_old_versions(curriculum, user),
        body_html=render_markdown(shown.body) if can_content and shown and shown.body else None,
        learner=learner,
        handler=handler,
        stats=stats,
        rating_form=rating_form if learner else None,
        flag_form=flag_form if learner else None,
        comments=feedback_queries.comments_for([material.id])[material.id] if handler else [],
        flags=feedback_queries.open_flags_for([material.id])[material.id] if handler else [],
        back_url=curriculum_url(curriculum),
        confirm=ConfirmForm(),
    ), status


def visible_module(module_id):
    """The module, or 404 when it does not exist or its curriculum is out of the user's sight."""
    module = material_queries.module(module_id)
    require(
        module is not None and material_queries.is_visible(module.curriculum, current_user), 404
    )
    return module


def visible_material(material_id):
    """The material, or 404 when it does not exist or its curriculum is out of the user's sight."""
    material = material_queries.material(material_id)
    require(
        material is not None
        and material_queries.is_visible(material.module.curriculum, current_user),
        404,
    )
    return material


@bp.route("/modules/<int:module_id>/materials/new", methods=["GET", "POST"])
@allow(*AUTHOR_ROLES, own=AUTHOR_ROLES)
def add_material(module_id):
    """Add a file, a link or a text to a module (authors, while the proposal is editable)."""
    module = visible_module(module_id)
    require(workflow.can_edit(module.curriculum, current_user))
    form = MaterialForm()
    if form.validate_on_submit():

        def add():
            version = material_services.add_material(
                module,
                MaterialKind(form.kind.data),
                form.title.data,
                actor=current_user,
                upload=form.file.data,
                url=form.url.data,
                body=form.body.data,
            )
            commit_version(version)
            return version

        done = attempt(add, form=form, success=_("The material was added."))
        if done:
            return redirect(url_for("curricula.material", material_id=done.value.material_id))
        module = visible_module(module_id)
    return render_template(
        "curricula/material_form.html",
        form=form,
        module=module,
        curriculum=module.curriculum,
        back_url=curriculum_url(module.curriculum),
    ), 400 if request.method == "POST" else 200


@bp.route("/materials/<int:material_id>")
@allow(PUBLIC)
def material(material_id):
    """A material: its content for those who may download it, metadata only for anonymous
    visitors; the rating and flag forms for learners; feedback for the authors."""
    return render_material(visible_material(material_id))


def report_to_return_to(material):
    """The problem report the author came from (``?flag=<number>``), to go back to once the
    corrected version is saved: only a report on this material that the author may handle.
    A number, never an address, so the way back cannot lead off the site."""
    flag_id = request.args.get("flag", type=int)
    if not flag_id:
        return None
    flag = flag_queries.flag(flag_id)
    if flag is None or flag.material_id != material.id:
        return None
    return flag if workflow.can_handle_feedback(material.module.curriculum, current_user) else None


@bp.route("/materials/<int:material_id>/revise", methods=["GET", "POST"])
@allow(*AUTHOR_ROLES, own=AUTHOR_ROLES)
def revise_material(material_id):
    """Upload a new version of a material (authors; published ones too, not archived); coming
    from a problem report, the author goes back to it to mark it fixed in the new version."""
    material = visible_material(material_id)
    curriculum = material.module.curriculum
    require(workflow.can_revise_material(curriculum, current_user))
    report = report_to_return_to(material)
    current = material.current_version
    form = RevisionForm(
        material.kind,
        data={"url": current.url, "body": current.body} if current is not None else None,
    )
    if form.validate_on_submit():

        def revise():
            version = material_services.revise_material(
                material,
                actor=current_user,
                change_note=form.change_note.data,
                upload=form.file.data,
                url=form.url.data,
                body=form.body.data,
            )
            commit_version(version)
            return version

        done = attempt(revise, form=form)
        if done:
            flash(_("Version %(number)d was saved.", number=done.value.number), "success")
            if report is not None:
                return redirect(url_for("curricula.flag", flag_id=report.id, _anchor="handle"))
            return redirect(url_for("curricula.material", material_id=material_id))
        material = visible_material(material_id)
    return render_template(
        "curricula/revise_material.html",
        form=form,
        material=material,
        curriculum=material.module.curriculum,
        current=material.current_version,
        back_url=curriculum_url(material.module.curriculum),
        report=report,
    ), 400 if request.method == "POST" else 200


@bp.route("/materials/<int:material_id>/delete", methods=["POST"])
@allow(*AUTHOR_ROLES, own=AUTHOR_ROLES)
def delete_material(material_id):
    """Remove a material with its versions (authors, while the proposal is editable)."""
    material = visible_material(material_id)
    curriculum = material.module.curriculum
    require(workflow.can_edit(curriculum, current_user))
    back = curriculum_url(curriculum) or url_for("main.dashboard")
    title = material.title
    keys = material_services.delete_material(material, actor=current_user)
    db.session.commit()
    material_services.remove_files(keys)
    flash(_("The material %(title)s was removed.", title=title), "success")
    return redirect(back)


@bp.route("/material-versions/<int:version_id>/download")
@allow(SIGNED_IN)
def download_version(version_id):
    """A version's file, as an attachment: drafts for authors and reviewers, released curricula
    for signed-in users; older versions only for those who see the proposal."""
    version = material_queries.version(version_id)
    require(version is not None, 404)
    curriculum = version.material.module.curriculum
    require(material_queries.is_visible(curriculum, current_user), 404)
    require(workflow.can_download(curriculum, current_user), 404)
    if version.number != version.material.version_count:
        require(material_queries.can_see_old_versions(curriculum, current_user), 404)
    require(version.file is not None, 404)
    return uploads.send(version.file)
