"""Review pages: workflow steps, review comments, and the frozen versions with their differences."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.curricula import bp
from portal.curricula.proposals import queries, review_services, versions, workflow
from portal.curricula.proposals.forms import (
    ActionForm,
    CommentEditForm,
    CommentForm,
    TransitionForm,
)
from portal.curricula.proposals.views import AUTHORING, render_proposal, to_proposal, viewable
from portal.i18n import _
from portal.refusals import attempt

#: Roles that may act only on proposals they take part in.
PARTICIPANT = (Role.UNIVERSITY, Role.ASN)


# --- workflow -------------------------------------------------------------------------------------


@bp.route("/proposals/<int:curriculum_id>/transition", methods=["POST"])
@allow(*AUTHORING, own=PARTICIPANT)
def transition(curriculum_id):
    cur = viewable(curriculum_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        reasons = [str(e) for name in ("action", "note") for e in form[name].errors]
        error = " ".join(reasons) if "note" in form.errors else _("Choose a step from the list.")
        return render_proposal(curriculum_id, status=400, transition_form=form, error=error)
    done = attempt(
        lambda: review_services.transition(
            cur, form.action.data, actor=current_user, note=form.note.data
        ),
        show=False,
    )
    if not done:
        return render_proposal(
            curriculum_id,
            status=done.error.status,
            transition_form=form,
            error=done.alert,
        )
    flash(_("The proposal is now: %(state)s.", state=cur.state.title), "success")
    return to_proposal(cur, "workflow")


# --- comments -------------------------------------------------------------------------------------


def _reviews(cur) -> bool:
    """Takes part in the review (the state is checked by the service, which says why)."""
    return workflow.is_author(cur, current_user) or workflow.is_agency_admin(cur, current_user)


def _commented(comment_id: int):
    """A comment and its proposal (404 when either is out of the user's sight)."""
    comment = queries.comment(comment_id)
    require(comment is not None, 404)
    return comment, viewable(comment.curriculum_id)


@bp.route("/proposals/<int:curriculum_id>/comments", methods=["POST"])
@allow(*AUTHORING, own=PARTICIPANT)
def add_comment(curriculum_id):
    cur = viewable(curriculum_id)
    require(_reviews(cur), 403)
    form = CommentForm()
    parent = None
    if form.validate_on_submit():
        if form.parent_id.data:
            parent = queries.comment(form.parent_id.data)
            if parent is None or parent.curriculum_id != cur.id:
                form.parent_id.errors = [_("This comment belongs to another proposal.")]
                parent = None
        if not form.errors:
            done = attempt(
                lambda: review_services.add_comment(
                    cur,
                    actor=current_user,
                    body=form.body.data,
                    module_id=form.module_id.data,
                    parent=parent,
                ),
                success=_("Your comment has been added."),
            )
            if not done:
                return _comment_page(viewable(curriculum_id), form, None, done.error.status)
            comment = done.value
            return to_proposal(cur, f"comment-{comment.parent_id or comment.id}")
    return _comment_page(cur, form, None, 400)


def _comment_page(cur, form, comment, status=200):
    return render_template(
        "curricula/comment_form.html", cur=cur, form=form, comment=comment
    ), status


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@allow(*AUTHORING, own=AUTHORING)
def edit_comment(comment_id):
    comment, cur = _commented(comment_id)
    require(comment.author_id == current_user.id, 403)
    form = CommentEditForm(obj=comment if request.method == "GET" else None)
    if request.method == "GET" and review_services.has_replies(comment):
        flash(_("This comment has been answered, so it can no longer be edited."), "warning")
        return to_proposal(cur, f"comment-{comment.id}")
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        done = attempt(
            lambda: review_services.edit_comment(
                comment, cur, actor=current_user, body=form.body.data
            ),
            success=_("Your comment has been saved."),
        )
        if done:
            return to_proposal(cur, f"comment-{comment.parent_id or comment.id}")
        comment, cur = _commented(comment_id)
        status = done.error.status
    return _comment_page(cur, form, comment, status)


def _settle(comment_id: int, call, done: str):
    comment, cur = _commented(comment_id)
    require(_reviews(cur), 403)
    if ActionForm().validate_on_submit():
        attempt(lambda: call(comment, cur, actor=current_user), success=done)
    return to_proposal(cur, f"comment-{comment_id}")


@bp.route("/comments/<int:comment_id>/resolve", methods=["POST"])
@allow(*AUTHORING, own=PARTICIPANT)
def resolve_comment(comment_id):
    return _settle(comment_id, review_services.resolve_comment, _("The thread is resolved."))


@bp.route("/comments/<int:comment_id>/reopen", methods=["POST"])
@allow(*AUTHORING, own=PARTICIPANT)
def reopen_comment(comment_id):
    return _settle(comment_id, review_services.reopen_comment, _("The thread is open again."))


# --- versions -------------------------------------------------------------------------------------


@bp.route("/proposals/<int:curriculum_id>/versions", endpoint="versions")
@allow(*AUTHORING, own=PARTICIPANT)
def versions_list(curriculum_id):
    cur = viewable(curriculum_id)
    return render_template("curricula/versions.html", cur=cur, versions=queries.versions(cur.id))


def _number(name: str, default: int | None) -> tuple[int | None, bool]:
    """A version number from the query string: (number, well-formed)."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default, True
    try:
        value = int(raw)
    except ValueError:
        return None, False
    return (value, True) if 1 <= value <= 1_000_000 else (None, False)


@bp.route("/proposals/<int:curriculum_id>/diff")
@allow(*AUTHORING, own=PARTICIPANT)
def diff(curriculum_id):
    cur = viewable(curriculum_id)
    count = cur.version_count or 0
    a, a_ok = _number("a", count - 1 if count >= 2 else None)
    b, b_ok = _number("b", count if count >= 2 else None)
    error, result, old, new = None, None, None, None
    if count < 2 and a_ok and b_ok and "a" not in request.args and "b" not in request.args:
        error = _(
            "There is nothing to compare yet: the proposal has %(count)d frozen version(s).",
            count=count,
        )
    elif not (a_ok and b_ok) or a is None or b is None:
        error = _("Choose two version numbers between 1 and %(count)d.", count=count)
    else:
        old, new = queries.version(cur.id, a), queries.version(cur.id, b)
        if old is None or new is None:
            error = _(
                "Version %(number)d does not exist; this proposal has versions 1 to %(count)d.",
                number=a if old is None else b,
                count=count,
            )
        elif a == b:
            error = _("Choose two different versions to compare.")
        else:
            result = versions.diff(old.snapshot, new.snapshot)
    return render_template(
        "curricula/diff.html",
        cur=cur,
        diff=result,
        old=old,
        new=new,
        error=error,
        a=a,
        b=b,
        numbers=list(range(1, count + 1)),
        versions_url=url_for("curricula.versions", curriculum_id=cur.id),
    ), (400 if error and (request.args.get("a") or request.args.get("b")) else 200)
