"""ASN records: pages (part of the ``competency_admin`` blueprint, /admin/competency), with the
list's CSV/XLSX export (the page's filters and scope, without pagination)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth import invitations
from portal.auth.invitation_pages import bulk_invitation_page
from portal.auth.models import Role
from portal.competency import admin_bp as bp
from portal.competency import scope
from portal.competency.asn import queries, services
from portal.competency.asn.forms import AsnCreateForm, AsnForm
from portal.competency.models import (
    AsnStatus,
)
from portal.competency.nip import check_nip
from portal.competency.positions import queries as position_queries
from portal.exports import export
from portal.i18n import _, _l
from portal.listing import id_arg, page_arg, page_size, text_arg
from portal.refusals import attempt


def nip_display(nip: str) -> str:
    return check_nip(nip).display


def asn_filters() -> dict:
    """The ASN list's filters (the page and its export read the same ones)."""
    return {
        "q": text_arg("q"),
        "status": text_arg("status"),
        "agency_id": id_arg("opd") if current_user.is_city_admin else None,
        "position_id": id_arg("position"),
    }


def _list_args() -> dict:
    """The list's filters as its address carries them (to go back to the same list)."""
    return {k: v for k in ("q", "status", "opd", "position") if (v := text_arg(k))}


@bp.route("/asn/invitations", methods=["GET", "POST"])
@allow(Role.ADMIN)
def asn_invitations():
    """Invite together the people of the filtered ASN records list never invited or whose
    sending failed (the accounts the admin may manage)."""
    shown = _list_args()
    return bulk_invitation_page(
        queries.asn_user_ids(current_user, **asn_filters()),
        source="asn_list",
        back_url=url_for("competency_admin.list_asn", **shown),
        back_label=_("ASN records"),
        filters=shown,
    )


@bp.route("/asn")
@allow(Role.ADMIN)
def list_asn():
    city = current_user.is_city_admin
    filters = asn_filters()
    pagination = queries.asn_records(current_user, **filters, page=page_arg(), per_page=page_size())
    to_send = invitations.counts(queries.asn_user_ids(current_user, **filters))["to_send"]
    agency_id = filters["agency_id"]
    filter_agency = agency_id if city else current_user.admin_agency_id
    return render_template(
        "competency/asn/list.html",
        pagination=pagination,
        **filters,
        statuses=list(AsnStatus),
        agencies=scope.agencies_in_scope(current_user) if city else [],
        positions=position_queries.positions_for_choice(current_user, agency_id=filter_agency)
        if filter_agency
        else [],
        names=scope.agency_names(a.agency_id for a in pagination.items),
        nip_display=nip_display,
        describe=invitations.describe,
        badge=invitations.badge,
        to_send=to_send,
        list_args=_list_args(),
    )


def _asn_form(profile=None):
    form = (AsnForm if profile is not None else AsnCreateForm)(obj=profile)
    own_agency = profile.user.agency_id if profile is not None else None
    agencies = scope.agencies_in_scope(
        current_user, include_ids={profile.agency_id, own_agency} if profile else ()
    )
    positions = position_queries.positions_for_choice(
        current_user,
        agency_id=own_agency,
        include_ids={profile.position_id} if profile else (),
    )
    names = {a.id: a.name for a in agencies}
    form.set_choices(agencies=agencies, positions=positions, agency_names=names)
    if request.method == "GET":
        if profile is not None and profile.supervisor is not None:
            form.supervisor_nip.data = profile.supervisor.nip
        if profile is None and not current_user.is_city_admin:
            form.agency_id.data = current_user.admin_agency_id
    if form.validate_on_submit():
        done = attempt(
            lambda: services.save_asn(
                profile,
                actor=current_user,
                email=form.email.data if profile is None else None,
                nip=form.nip.data,
                status=AsnStatus(form.status.data),
                golongan=form.golongan.data or None,
                agency_id=form.agency_id.data,
                position_id=form.position_id.data or None,
                supervisor_nip=form.supervisor_nip.data,
                nip_lama=form.nip_lama.data,
            ),
            form=form,
            success=_("Saved."),
        )
        if done:
            for warning in form.warnings:
                flash(_("Saved, but please check: %(warning)s", warning=warning), "warning")
            return redirect(url_for("competency_admin.edit_asn", asn_id=done.value.id))
    return render_template(
        "competency/asn/form.html",
        form=form,
        profile=profile,
        nip_display=nip_display,
    )


@bp.route("/asn/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def create_asn():
    return _asn_form()


@bp.route("/asn/<int:asn_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_asn(asn_id):
    profile = queries.asn_in_scope(current_user, asn_id)
    require(profile is not None, 404)
    return _asn_form(profile)


ASN_HEADERS = (
    _l("Name"),
    _l("NIP"),
    _l("Status"),
    _l("Golongan"),
    _l("Position"),
    _l("OPD"),
    _l("Supervisor"),
)


@bp.route("/asn/export.<fmt>")
@allow(Role.ADMIN)
def list_asn_export(fmt):
    """The ASN records with the page's filters (an OPD admin: its own OPD's only)."""
    scope.check_format(fmt)
    stmt = queries.asn_records_stmt(current_user, **asn_filters())
    items = [row[0] for row in scope.export_rows(stmt)]
    names = scope.opd_names(items)
    rows = (
        (
            a.user.full_name,
            nip_display(a.nip),
            a.status.title,
            a.golongan or "",
            a.position.name if a.position else "",
            names.get(a.agency_id, ""),
            a.supervisor.user.full_name if a.supervisor else "",
        )
        for a in items
    )
    return export(fmt, "asn-records", ASN_HEADERS, rows, title=_("ASN records"))
