"""Batch pages: the list, one batch (with its roster for the people who run it), scheduling and
editing a draft, adding sessions, opening, closing, cancelling and completing.

A batch the user may not see (a draft of someone else's curriculum) is a 404; a step they may
see but not take is refused with the reason (409), never a 500.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import SIGNED_IN, allow, may_reach, require
from portal.auth.models import Role, User
from portal.competency.models import Position
from portal.db import utcnow
from portal.i18n import _, _l, ngettext
from portal.institutions.models import Agency
from portal.listing import id_arg, page_arg, page_size, text_arg
from portal.refusals import attempt
from portal.trainings import bp
from portal.trainings.attendance.completion import complete_with_certificates
from portal.trainings.attendance.services import attendance_rates, can_mark_attendance
from portal.trainings.batches import list_queries
from portal.trainings.batches import queries as batch_queries
from portal.trainings.batches import services as batch_services
from portal.trainings.batches.forms import BatchForm, BatchStepForm, SessionForm, TokenForm
from portal.trainings.evaluation import impact_queries
from portal.trainings.evaluation import services as evaluation_services
from portal.trainings.ledger.schedule import batch_jp
from portal.trainings.models import BatchState, RegistrationState
from portal.trainings.quizzes import authoring as quiz_authoring
from portal.trainings.quizzes import queries as quiz_queries
from portal.trainings.quizzes import services as quiz_services
from portal.trainings.quizzes.models import QuizKind
from portal.util import clock, links

STATES = [(s.value, s.title) for s in BatchState]
STEP_DONE = {
    "open": _l("Registration is open."),
    "close": _l("Registration is closed."),
    "cancel": _l("The training was cancelled."),
}


def _local(value):
    """A naive WIB date-time from a form as a UTC moment (None stays None)."""
    return clock.local_moment(value.date(), value.time()) if value else None


# --- the list ------------------------------------------------------------------------------------


def batch_filters() -> dict:
    """The filters of the batch list (and its export)."""
    return {"q": text_arg("q"), "state": text_arg("state", 20), "agency_id": id_arg("opd")}


@bp.route("/batches")
@allow(SIGNED_IN)
def batches():
    filters = batch_filters()
    pagination = list_queries.batch_list(
        current_user, **filters, page=page_arg(), per_page=page_size()
    )
    can_schedule = bool(batch_queries.schedulable_curricula(current_user))
    return render_template(
        "trainings/batches/list.html",
        pagination=pagination,
        filters=filters,
        states=STATES,
        asn=batch_queries.my_asn(current_user),
        agencies=batch_queries.active_agencies(),
        can_schedule=can_schedule,
    )


# --- one batch -----------------------------------------------------------------------------------


def visible_batch(batch_id: int, *, modules: bool = False):
    """The batch with everything its page shows; 404 unless the user may see it."""
    batch = batch_queries.batch_for_page(batch_id, modules=modules)
    require(batch is not None, 404)
    mine = batch_queries.registration_of(batch, current_user)
    require(batch_services.can_view_batch(batch, current_user, registered=mine is not None), 404)
    return batch, mine


def managed_batch(batch_id: int):
    batch, _mine = visible_batch(batch_id, modules=True)
    require(batch_services.can_manage(batch, current_user), 404)
    return batch


def _links(batch, mine) -> dict:
    """Links to the other pages of a batch, each only where the viewer may open it: the target's
    access policy lets the viewer's roles in (``may_reach``) and the predicate its view asks holds
    (a link that answers 403 or 404 is not shown)."""
    user = current_user
    authors = quiz_authoring.can_author(batch, user)
    batch_args = {"batch_id": batch.id}
    candidates = [
        ("pre_edit", "trainings.quiz_edit", authors, {**batch_args, "kind": "pre"}),
        ("post_edit", "trainings.quiz_edit", authors, {**batch_args, "kind": "post"}),
        ("quiz_results", "trainings.quiz_results", authors, batch_args),
        (
            "l1_results",
            "trainings.l1_results",
            evaluation_services.can_view_l1_results(batch, user),
            batch_args,
        ),
        (
            "impact",
            "trainings.impact",
            impact_queries.can_view_impact(batch.curriculum, user),
            {"curriculum_id": batch.curriculum_id},
        ),
    ]
    if mine is not None:  # the viewer's own registration: the survey's only condition
        sets = quiz_queries.sets_with_questions(batch.id)
        own = {"registration_id": mine.id}
        candidates += [
            (
                "pre_take",
                "trainings.quiz_take",
                quiz_services.can_open_test(mine, sets[QuizKind.PRE]),
                {**batch_args, "kind": "pre"},
            ),
            (
                "post_take",
                "trainings.quiz_take",
                quiz_services.can_open_test(mine, sets[QuizKind.POST]),
                {**batch_args, "kind": "post"},
            ),
            ("l1_survey", "trainings.l1_survey", True, own),
            (
                "action_plan",
                "trainings.action_plan",
                evaluation_services.can_view_plan(mine, user),
                own,
            ),
        ]
    return {
        key: links.link(endpoint, **values)
        for key, endpoint, allowed, values in candidates
        if allowed and may_reach(endpoint)
    }


def render_batch(
    batch_id: int, *, status: int = 200, error=None, session_form=None, step_form=None
):
    batch, mine = visible_batch(batch_id)
    manages = batch_services.can_manage(batch, current_user)
    marks = can_mark_attendance(batch, current_user)
    runs = manages or marks
    roster, total, rates, nominees = [], 0, {}, []
    page = page_arg()
    if runs:
        roster, total = batch_queries.roster(batch, page=page, per_page=page_size())
        rates = attendance_rates(batch)
    nominee_text = text_arg("nominee")
    if current_user.is_admin and batch.registration_is_open():
        nominees = batch_queries.nominees(batch, current_user, nominee_text)
    asn = batch_queries.my_asn(current_user)
    return render_template(
        "trainings/batches/batch.html",
        batch=batch,
        earned=batch_jp(batch),  # the JP its schedule earns: what completion credits
        mine=mine,
        asn=asn,
        manages=manages,
        runs=runs,
        roster=roster,
        total=total,
        page=page,
        pages=max(1, -(-total // page_size())),
        # The attendance sheet and check-in code of each session, and completing the batch: the
        # routes' policies and the predicate they ask (a manager who is no facilitator may not).
        sheets=marks and may_reach("trainings.attendance") and may_reach("trainings.session_code"),
        completes=marks and may_reach("trainings.complete"),
        rates=rates,
        nominees=nominees,
        nominee_text=nominee_text,
        error=error,
        links=_links(batch, mine),
        token=TokenForm(formdata=None),
        session_form=session_form or SessionForm(formdata=None),
        step_form=step_form or BatchStepForm(formdata=None),
        S=RegistrationState,
        B=BatchState,
        ended=bool(batch.sessions) and max(s.ends_at for s in batch.sessions) <= utcnow(),
    ), status


@bp.route("/batches/<int:batch_id>")
@allow(SIGNED_IN)
def batch(batch_id):
    return render_batch(batch_id)


# --- scheduling and editing ----------------------------------------------------------------------


def _form_with_choices(form: BatchForm) -> BatchForm:
    form.set_choices(*batch_queries.form_choices())
    return form


def _service_args(form: BatchForm) -> dict:
    return {
        "title": form.title.data,
        "capacity": form.capacity.data,
        "jp": form.jp.data,
        "registration_opens_at": _local(form.registration_opens_at.data),
        "registration_closes_at": _local(form.registration_closes_at.data),
        "facilitators": batch_queries.by_ids(User, form.facilitators.data),
        "target_agencies": batch_queries.by_ids(Agency, form.target_agencies.data),
        "target_positions": batch_queries.by_ids(Position, form.target_positions.data),
    }


def _render_form(form, *, curriculum, batch=None, status=200, error=None):
    return render_template(
        "trainings/batches/batch_form.html",
        form=form,
        curriculum=curriculum,
        batch=batch,
        earned=batch_jp(batch) if batch is not None else None,
        error=error,
    ), status


@bp.route("/batches/new", methods=["GET", "POST"])
@allow(Role.ADMIN, Role.ASN)
def new_batch():
    """``?curriculum_id=`` (a published curriculum the user may schedule; without it, a list to
    choose from) and an optional ``?title=`` that prefills the title."""
    curriculum_id = id_arg("curriculum_id")
    if curriculum_id is None:
        return render_template(
            "trainings/batches/choose_curriculum.html",
            curricula=batch_queries.schedulable_curricula(current_user),
        ), (400 if request.method == "POST" else 200)
    curriculum = batch_queries.curriculum_for_batch(curriculum_id)
    require(curriculum is not None and batch_services.can_schedule(curriculum, current_user), 404)
    form = _form_with_choices(BatchForm())
    if not form.is_submitted():
        form.title.data = text_arg("title", 200) or curriculum.title
        form.jp.data = curriculum.total_jp
        return _render_form(form, curriculum=curriculum)
    if not form.validate_on_submit():
        return _render_form(form, curriculum=curriculum, status=400)
    done = attempt(
        lambda: batch_services.schedule_batch(
            curriculum, actor=current_user, **_service_args(form)
        ),
        success=_(
            "The training was scheduled as a draft. Add its sessions, then open registration."
        ),
        show=False,
    )
    if done:
        return redirect(url_for("trainings.batch", batch_id=done.value.id))
    curriculum = batch_queries.curriculum_for_batch(curriculum_id)
    return _render_form(
        _form_with_choices(form),
        curriculum=curriculum,
        status=done.error.status,
        error=done.alert,
    )


@bp.route("/batches/<int:batch_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN, Role.ASN, own=(Role.ASN,))
def edit_batch(batch_id):
    batch = managed_batch(batch_id)
    if batch.state != BatchState.DRAFT:
        flash(_("Only a draft training can be edited."), "warning")
        return redirect(url_for("trainings.batch", batch_id=batch.id))
    form = _form_with_choices(BatchForm(obj=None if request.method == "POST" else batch))
    if not form.is_submitted():
        form.facilitators.data = [u.id for u in batch.facilitators]
        form.target_agencies.data = [a.id for a in batch.target_agencies]
        form.target_positions.data = [p.id for p in batch.target_positions]
        form.registration_opens_at.data = _wib(batch.registration_opens_at)
        form.registration_closes_at.data = _wib(batch.registration_closes_at)
        return _render_form(form, curriculum=batch.curriculum, batch=batch)
    if not form.validate_on_submit():
        return _render_form(form, curriculum=batch.curriculum, batch=batch, status=400)
    done = attempt(
        lambda: batch_services.update_batch(batch, actor=current_user, **_service_args(form)),
        success=_("The training was saved."),
        show=False,
    )
    if done:
        return redirect(url_for("trainings.batch", batch_id=batch_id))
    batch = managed_batch(batch_id)
    return _render_form(
        _form_with_choices(form),
        curriculum=batch.curriculum,
        batch=batch,
        status=done.error.status,
        error=done.alert,
    )


def _wib(moment):
    """A stored UTC moment as the naive WIB date-time a form field shows."""
    return moment.astimezone(clock.zone()).replace(tzinfo=None) if moment else None


# --- sessions and steps --------------------------------------------------------------------------


@bp.route("/batches/<int:batch_id>/sessions", methods=["POST"])
@allow(Role.ADMIN, Role.ASN, own=(Role.ASN,))
def add_session(batch_id):
    batch = managed_batch(batch_id)
    form = SessionForm()
    if not form.validate_on_submit():
        return render_batch(
            batch_id,
            status=400,
            session_form=form,
            error=_("The session was not added; see the form below."),
        )
    done = attempt(
        lambda: batch_services.add_session(
            batch,
            actor=current_user,
            on=form.on.data,
            starts=form.starts.data,
            ends=form.ends.data,
            place=form.place.data,
            online_link=form.online_link.data,
        ),
        success=_("The session was added, with its own check-in code."),
        show=False,
    )
    if done:
        return redirect(url_for("trainings.batch", batch_id=batch_id, _anchor="sessions"))
    return render_batch(batch_id, status=done.error.status, session_form=form, error=done.alert)


# --- rescheduling a session (issue 18) ------------------------------------------------------------


def managed_session(session_id: int):
    """The batch (as its page loads it) and its session; 404 unless the user manages it."""
    batch_id = batch_queries.batch_id_of_session(session_id)
    batch = batch_queries.batch_for_page(batch_id) if batch_id is not None else None
    require(batch is not None and batch_services.can_manage(batch, current_user), 404)
    session = next((s for s in batch.sessions if s.id == session_id), None)
    require(session is not None, 404)
    return batch, session


def _session_form_of(session) -> SessionForm:
    form = SessionForm(formdata=None)
    starts, ends = _wib(session.starts_at), _wib(session.ends_at)
    form.on.data, form.starts.data, form.ends.data = starts.date(), starts.time(), ends.time()
    form.place.data, form.online_link.data = session.place, session.online_link
    return form


def _render_session(batch, session, *, form=None, status=200, error=None):
    attended = batch_services.has_attendance(session)
    return render_template(
        "trainings/batches/session_form.html",
        batch=batch,
        session=session,
        form=form or _session_form_of(session),
        token=TokenForm(formdata=None),
        earned=batch_jp(batch),
        registered=batch_queries.registered_count(batch),
        attended=attended,
        removal_refused=batch_services.removal_refusal(session, attended=attended),
        editable=batch.state in batch_services.RESCHEDULABLE,
        error=error,
    ), status


def _flash_change(change, done: str) -> None:
    flash(
        " ".join(
            (
                done,
                ngettext(
                    "%(num)d registered ASN was told what changed.",
                    "%(num)d registered ASN were told what changed.",
                    change.told,
                ),
                _(
                    "The schedule now earns %(jp)s JP (before: %(was)s JP).",
                    jp=change.jp_after.jp,
                    was=change.jp_before.jp,
                ),
            )
        ),
        "success",
    )


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN, Role.ASN, own=(Role.ASN,))
def edit_session(session_id):
    """Change a session's date, times, place or online link, also after registration opened;
    the registered ASN are told what changed."""
    batch, session = managed_session(session_id)
    if request.method == "GET":
        return _render_session(batch, session)
    form = SessionForm()
    if not form.validate_on_submit():
        return _render_session(
            batch,
            session,
            form=form,
            status=400,
            error=_("The session was not changed; see below."),
        )
    done = attempt(
        lambda: batch_services.update_session(
            session,
            actor=current_user,
            on=form.on.data,
            starts=form.starts.data,
            ends=form.ends.data,
            place=form.place.data,
            online_link=form.online_link.data,
        ),
        show=False,
    )
    if not done:
        return _render_session(
            *managed_session(session_id), form=form, status=done.error.status, error=done.alert
        )
    if done.value.changed:
        _flash_change(done.value, _("The session was changed."))
    else:
        flash(_("Nothing was changed: nobody was told."), "info")
    return redirect(url_for("trainings.batch", batch_id=batch.id, _anchor="sessions"))


@bp.route("/sessions/<int:session_id>/delete", methods=["POST"])
@allow(Role.ADMIN, Role.ASN, own=(Role.ASN,))
def remove_session(session_id):
    """Remove a session (not the last one once registration opened, nor one with attendance)."""
    batch, session = managed_session(session_id)
    form = TokenForm()
    if not form.validate_on_submit():
        return _render_session(batch, session, status=400, error=_("The form expired; try again."))
    done = attempt(lambda: batch_services.remove_session(session, actor=current_user), show=False)
    if not done:
        return _render_session(
            *managed_session(session_id), status=done.error.status, error=done.alert
        )
    _flash_change(done.value, _("The session was removed."))
    return redirect(url_for("trainings.batch", batch_id=batch.id, _anchor="sessions"))


@bp.route("/batches/<int:batch_id>/step", methods=["POST"])
@allow(Role.ADMIN, Role.ASN, own=(Role.ASN,))
def batch_action(batch_id):
    """Open, close or cancel the batch (``step``; a reason may go with a cancellation)."""
    batch = managed_batch(batch_id)
    form = BatchStepForm()
    if not form.validate_on_submit():
        return render_batch(
            batch_id, status=400, step_form=form, error=_("Choose a step from the page.")
        )
    step = form.step.data

    def take_step():
        if step == "open":
            return batch_services.open_batch(batch, actor=current_user)
        if step == "close":
            return batch_services.close_batch(batch, actor=current_user)
        return batch_services.cancel_batch(batch, actor=current_user, reason=form.note.data)

    done = attempt(take_step, success=STEP_DONE[step], show=False)
    if done:
        return redirect(url_for("trainings.batch", batch_id=batch_id))
    return render_batch(batch_id, status=done.error.status, step_form=form, error=done.alert)


@bp.route("/batches/<int:batch_id>/complete", methods=["POST"])
@allow(Role.ADMIN, Role.UNIVERSITY, own=(Role.UNIVERSITY,))
def complete(batch_id):
    """Complete the batch after its last session; certificates go to those who completed it."""
    batch, _mine = visible_batch(batch_id)
    require(can_mark_attendance(batch, current_user), 404)
    form = TokenForm()
    if not form.validate_on_submit():
        return render_batch(batch_id, status=400, error=_("The form expired; try again."))
    done = attempt(
        lambda: complete_with_certificates(
            batch, actor=current_user, post_test_passed=quiz_services.post_test_checker(batch)
        ),
        show=False,
    )
    if not done:
        return render_batch(batch_id, status=done.error.status, error=done.alert)
    flash(
        _(
            "The training is completed: %(done)s completed it, %(not_done)s did not.",
            done=len(done.value["completed"]),
            not_done=len(done.value["not_completed"]),
        ),
        "success",
    )
    return redirect(url_for("trainings.batch", batch_id=batch_id))
