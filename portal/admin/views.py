"""Admin screens: institutions, accounts and the audit log (blueprint-wide admin guard)."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.admin import bp, queries
from portal.admin.forms import AccountForm, AgencyForm, InviteForm, UniversityForm
from portal.audit import ACTIONS
from portal.audit_details import describe
from portal.auth import invitations
from portal.auth import queries as account_queries
from portal.auth import services as account_services
from portal.auth.forms import ConfirmForm
from portal.auth.invitation_pages import bulk_invitation_page
from portal.auth.invitations import InvitationState
from portal.auth.models import AccountStatus, Role, User
from portal.db import db
from portal.i18n import _, _l
from portal.institutions import services as institution_services
from portal.institutions.models import Agency, AgencyKind, University
from portal.listing import date_arg, page_arg, page_size, text_arg
from portal.refusals import attempt

INSTITUTIONS = {
    "universities": (University, UniversityForm, _l("Universities"), _l("New university")),
    "agencies": (Agency, AgencyForm, _l("Agencies (OPD)"), _l("New agency (OPD)")),
}


# --- institutions (city-wide admins) ------------------------------------------------------------


def institution_filters() -> dict:
    """The institution list's filters (the page and its export read the same ones)."""
    return {"q": text_arg("q"), "status": text_arg("status"), "kind": text_arg("kind")}


def _institution_list(kind: str):
    require(current_user.is_city_admin)
    model, _form, title, _one = INSTITUTIONS[kind]
    filters = institution_filters()
    pagination = queries.institutions(model, **filters, page=page_arg(), per_page=page_size())
    return render_template(
        "admin/institutions.html",
        kind=kind,
        title=title,
        pagination=pagination,
        q=filters["q"],
        status=filters["status"],
        agency_kind=filters["kind"],
        agency_kinds=list(AgencyKind),
        form=ConfirmForm(),
    )


def _institution_edit(kind: str, obj_id: int | None):
    require(current_user.is_city_admin)
    model, form_cls, _title, one = INSTITUTIONS[kind]
    obj = db.get_or_404(model, obj_id) if obj_id else None
    form = form_cls(obj=obj)
    if form.validate_on_submit():
        fields = {name: form[name].data for name in form_cls.field_names}
        if attempt(
            lambda: institution_services.save_institution(model, obj, actor=current_user, **fields),
            success=_("Saved."),
        ):
            return redirect(url_for(f"admin.{kind}"))
    return render_template("admin/institution_form.html", form=form, kind=kind, obj=obj, one=one)


def _institution_toggle(kind: str, obj_id: int, active: bool):
    require(current_user.is_city_admin)
    model = INSTITUTIONS[kind][0]
    obj = db.get_or_404(model, obj_id)
    if ConfirmForm().validate_on_submit():
        institution_services.set_institution_active(obj, actor=current_user, active=active)
        db.session.commit()
        flash(
            _("%(name)s is active again.", name=obj.name)
            if active
            else _("%(name)s has been deactivated.", name=obj.name),
            "success",
        )
    return redirect(url_for(f"admin.{kind}"))


UniversityForm.field_names = ("name", "short_name")
AgencyForm.field_names = ("name", "short_name", "kind")


def _register_institution_routes(kind: str) -> None:
    """The same five screens for universities and for agencies."""

    @allow(Role.ADMIN)
    def listing():
        return _institution_list(kind)

    @allow(Role.ADMIN)
    def create():
        return _institution_edit(kind, None)

    @allow(Role.ADMIN)
    def edit(obj_id):
        return _institution_edit(kind, obj_id)

    @allow(Role.ADMIN)
    def deactivate(obj_id):
        return _institution_toggle(kind, obj_id, False)

    @allow(Role.ADMIN)
    def reactivate(obj_id):
        return _institution_toggle(kind, obj_id, True)

    bp.add_url_rule(f"/{kind}", kind, listing)
    bp.add_url_rule(f"/{kind}/new", f"create_{kind}", create, methods=["GET", "POST"])
    bp.add_url_rule(f"/{kind}/<int:obj_id>", f"edit_{kind}", edit, methods=["GET", "POST"])
    bp.add_url_rule(
        f"/{kind}/<int:obj_id>/deactivate", f"deactivate_{kind}", deactivate, methods=["POST"]
    )
    bp.add_url_rule(
        f"/{kind}/<int:obj_id>/reactivate", f"reactivate_{kind}", reactivate, methods=["POST"]
    )


for _kind in INSTITUTIONS:
    _register_institution_routes(_kind)


# --- accounts -------------------------------------------------------------------------------------


@bp.route("/")
@allow(Role.ADMIN)
def index():
    return redirect(url_for("admin.users"))


def user_filters() -> dict:
    """The account list's filters (the page and its export read the same ones)."""
    return {
        "q": text_arg("q"),
        "role": text_arg("role"),
        "status": text_arg("status"),
        "invitation": text_arg("invitation"),
    }


@bp.route("/users")
@allow(Role.ADMIN)
def users():
    filters = user_filters()
    pagination = queries.users(current_user, **filters, page=page_arg(), per_page=page_size())
    to_send = invitations.counts(queries.user_ids(queries.users_stmt(current_user, **filters)))
    return render_template(
        "admin/users.html",
        pagination=pagination,
        **filters,
        roles=list(Role),
        statuses=list(AccountStatus),
        invitation_states=list(InvitationState),
        to_send=to_send["to_send"],
        describe=invitations.describe,
        badge=invitations.badge,
        form=ConfirmForm(),
    )


@bp.route("/users/invitations", methods=["GET", "POST"])
@allow(Role.ADMIN)
def bulk_invitations():
    """Invite together everyone of the filtered account list (the same filters, in the query
    string) never invited or whose sending failed: a page that says how many e-mails will go
    out and whom it skips, then one POST; each goes through the invitation service."""
    filters = user_filters()
    shown = {k: v for k, v in filters.items() if v}
    return bulk_invitation_page(
        queries.user_ids(queries.users_stmt(current_user, **filters)),
        source="list",
        back_url=url_for("admin.users", **shown),
        back_label=_("Users"),
        filters=shown,
    )


def _account_form(form_cls, obj=None):
    form = form_cls(obj=obj)
    city = current_user.is_city_admin
    # Active institutions, plus the account's own even if since deactivated (so it stays editable).
    keep_university = obj.university_id if obj is not None else None
    keep_agencies = {obj.agency_id, obj.admin_agency_id} - {None} if obj is not None else set()
    universities = queries.all_universities(include_ids={keep_university} - {None})
    agencies = queries.all_agencies(include_ids=keep_agencies)
    if not city:
        agencies = [a for a in agencies if a.id == current_user.admin_agency_id]
    form.set_choices(
        universities=universities if city else [],
        agencies=agencies,
        include_student=obj is not None and Role.STUDENT in obj.roles,
        city_wide=city,
    )
    if obj is not None and request.method == "GET":
        form.roles.data = [r.value for r in obj.roles]
        form.university_id.data = obj.university_id or 0
        form.agency_id.data = obj.agency_id or 0
        form.admin_agency_id.data = obj.admin_agency_id or 0
    return form


def _placement(form):
    university = db.session.get(University, form.university_id.data or 0)
    agency = db.session.get(Agency, form.agency_id.data or 0)
    roles = {Role(r) for r in form.roles.data}
    admin_agency = (
        db.session.get(Agency, form.admin_agency_id.data or 0) if Role.ADMIN in roles else None
    )
    return {
        "roles": roles,
        "university": university,
        "agency": agency,
        "admin_agency": admin_agency,
    }


@bp.route("/users/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def invite_user():
    form = _account_form(InviteForm)
    if form.validate_on_submit():
        done = attempt(
            lambda: account_services.invite_staff(
                actor=current_user,
                email=form.email.data,
                full_name=form.full_name.data,
                locale=form.locale.data,
                **_placement(form),
            )
        )
        if done:
            flash(
                _("The invitation to %(email)s is on its way.", email=done.value.email), "success"
            )
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, obj=None)


def _managed_user(user_id: int) -> User:
    user = account_queries.get_user(user_id)
    require(user is not None and user.can_be_managed_by(current_user), 404)
    return user


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_user(user_id):
    user = _managed_user(user_id)
    form = _account_form(AccountForm, user)
    if form.validate_on_submit() and attempt(
        lambda: account_services.update_account(
            user, actor=current_user, full_name=form.full_name.data, **_placement(form)
        ),
        success=_("Saved."),
    ):
        return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html",
        form=form,
        obj=user,
        confirm=ConfirmForm(),
        invitation=invitations.describe(user),
        invitation_badge=invitations.badge(user),
    )


def _user_action(user_id: int, action) -> object:
    user = _managed_user(user_id)
    if ConfirmForm().validate_on_submit():
        done = attempt(lambda: action(user))
        if done:
            flash(done.value, "success")
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@allow(Role.ADMIN)
def deactivate_user(user_id):
    def act(user):
        account_services.set_active(user, actor=current_user, active=False)
        return _("%(name)s has been deactivated; their sessions have ended.", name=user.full_name)

    return _user_action(user_id, act)


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@allow(Role.ADMIN)
def reactivate_user(user_id):
    def act(user):
        account_services.set_active(user, actor=current_user, active=True)
        return _("%(name)s is active again.", name=user.full_name)

    return _user_action(user_id, act)


@bp.route("/users/<int:user_id>/invitation", methods=["POST"])
@allow(Role.ADMIN)
def resend_invitation(user_id):
    def act(user):
        account_services.send_invitation(user, actor=current_user)
        return _("The invitation is queued: the e-mail goes out within minutes.")

    return _user_action(user_id, act)


# --- audit log ------------------------------------------------------------------------------------


def audit_filters() -> dict:
    """The audit log's filters (the page and its export read the same ones); ``until`` is the
    day after the chosen last day, so that day is included."""
    action = text_arg("action")
    until = date_arg("until")
    return {
        "action": action if action in ACTIONS else "",
        "actor": text_arg("actor"),
        "since": date_arg("since"),
        "until": until + timedelta(days=1) if until else None,
    }


@bp.route("/audit")
@allow(Role.ADMIN)
def audit_log():
    filters = audit_filters()
    pagination = queries.audit_events(current_user, **filters, page=page_arg())
    since, until = filters["since"], filters["until"]
    return render_template(
        "admin/audit.html",
        pagination=pagination,
        actions=ACTIONS,
        describe=describe,
        action=filters["action"],
        actor=filters["actor"],
        since=since.strftime("%Y-%m-%d") if since else "",
        until=(until - timedelta(days=1)).strftime("%Y-%m-%d") if until else "",
    )


# The CSV/XLSX exports of these lists live in their own module; importing it registers them.
