"""The admins' queue of personal data requests: correction, deletion, restriction, objection
(due 3×24 hours after they are made).

City-wide admins (BKPSDM) handle every request; an OPD admin is refused (403): a request can be
about any data of any person, not only about the ASN of one OPD.
"""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.db import utcnow
from portal.exports import export
from portal.i18n import _
from portal.listing import page_arg, page_size, text_arg
from portal.privacy import bp, queries, services
from portal.privacy.forms import HandleRequestForm
from portal.privacy.models import RequestKind, RequestState, is_restricted
from portal.privacy.workflow import CHOICES
from portal.refusals import attempt


def _filters() -> dict:
    state = text_arg("state", 10)
    kind = text_arg("kind", 12)
    return {
        "state": state if state in set(RequestState) else None,
        "kind": kind if kind in set(RequestKind) else None,
        "q": text_arg("q"),
    }


@bp.route("/requests")
@allow(Role.ADMIN)
def request_queue():
    require(current_user.is_city_admin, 403)
    filters = _filters()
    pagination = queries.request_queue(**filters, page=page_arg(), per_page=page_size())
    return render_template(
        "privacy/requests.html",
        pagination=pagination,
        filters=filters,
        now=utcnow(),
        states=[(s.value, s.title) for s in RequestState],
        kinds=[(k.value, k.title) for k in RequestKind],
    )


@bp.route("/requests/export.<fmt>")
@allow(Role.ADMIN)
def export_requests(fmt: str):
    require(current_user.is_city_admin, 403)
    now = utcnow()
    headers = [
        _("Number"),
        _("Person"),
        _("E-mail"),
        _("Kind"),
        _("Details"),
        _("Made on"),
        _("Due"),
        _("Overdue"),
        _("State"),
        _("Handled by"),
        _("Handled on"),
        _("Response"),
    ]
    rows = [
        (
            r.id,
            r.user.full_name,
            r.user.email,
            str(r.kind.title),
            r.details,
            r.created_at.isoformat(),
            r.due_at.isoformat(),
            _("yes") if r.is_overdue(now) else "",
            str(r.state.title),
            r.handled_by.full_name if r.handled_by else "",
            r.handled_at.isoformat() if r.handled_at else "",
            r.response or "",
        )
        for r in queries.request_rows(**_filters())
    ]
    return export(fmt, "personal-data-requests", headers, rows, title=_("Requests"))


def _request(data_request_id: int):
    request = queries.data_request(data_request_id)
    require(request is not None, 404)
    return request


def _detail(request, form=None, status=200):
    return render_template(
        "privacy/request_detail.html",
        req=request,
        now=utcnow(),
        restricted=is_restricted(request.user_id),
        handling=(request.kind, request.state) in CHOICES,
        form=form or HandleRequestForm(formdata=None, data_request=request),
    ), status


@bp.route("/requests/<int:data_request_id>")
@allow(Role.ADMIN)
def request_detail(data_request_id: int):
    require(current_user.is_city_admin, 403)
    return _detail(_request(data_request_id))


@bp.route("/requests/<int:data_request_id>/handle", methods=["POST"])
@allow(Role.ADMIN)
def handle_request(data_request_id: int):
    require(current_user.is_city_admin, 403)
    request = _request(data_request_id)
    form = HandleRequestForm(data_request=request)
    if not form.validate_on_submit():
        return _detail(request, form, 400)
    done = attempt(
        lambda: services.handle_request(
            request, actor=current_user, outcome=form.outcome.data, response=form.response.data
        ),
        success=_("The request is closed and the person is told."),
    )
    if not done:
        return _detail(_request(data_request_id), form, 409)
    return redirect(url_for("privacy.request_queue"))
