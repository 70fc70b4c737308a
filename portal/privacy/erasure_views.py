"""The erasure step of an approved deletion request: the page that lists, before confirming,
what will be anonymised or deleted and what is kept by law, and the POST that carries it out.
City-wide admins only (like the request queue)."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.i18n import _
from portal.privacy import bp, erasure, queries, retention
from portal.privacy.forms import EraseForm
from portal.refusals import attempt


def _request(data_request_id: int):
    request = queries.data_request(data_request_id)
    require(request is not None, 404)
    return request


def _page(request, form=None, status=200, alert=None):
    steps, kept = erasure.plan(request)
    return render_template(
        "privacy/erase.html",
        req=request,
        steps=steps,
        kept=kept,
        can_erase=request.can_erase(current_user),
        alert=alert,
        form=form or EraseForm(formdata=None),
    ), status


@bp.route("/requests/<int:data_request_id>/erase")
@allow(Role.ADMIN)
def erase_page(data_request_id: int):
    require(current_user.is_city_admin, 403)
    return _page(_request(data_request_id))


@bp.route("/requests/<int:data_request_id>/erase", methods=["POST"])
@allow(Role.ADMIN)
def erase(data_request_id: int):
    require(current_user.is_city_admin, 403)
    request = _request(data_request_id)
    form = EraseForm()
    if not form.validate_on_submit():
        return _page(request, form, 400)
    done = attempt(
        lambda: erasure.erase(request, actor=current_user, response=form.response.data),
        form=form,
        show=False,
        success=_("The data is erased, what the law requires is kept, and the person is told."),
    )
    if not done:
        return _page(_request(data_request_id), form, 409, alert=done.alert)
    retention.remove_files(done.value[1])
    return redirect(url_for("privacy.request_detail", data_request_id=data_request_id))
