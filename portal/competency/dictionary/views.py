"""The competency dictionary: pages (part of the ``competency_admin`` blueprint,
/admin/competency), with the list's CSV/XLSX export (the page's filters and scope, without
pagination)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.forms import ConfirmForm
from portal.auth.models import Role
from portal.competency import admin_bp as bp
from portal.competency import scope
from portal.competency.dictionary import queries, services
from portal.competency.dictionary.forms import CompetencyCreateForm, CompetencyVersionForm
from portal.competency.fields import TechnicalField
from portal.competency.models import (
    CompetencyType,
)
from portal.exports import export
from portal.i18n import _, _l
from portal.listing import id_arg, page_arg, page_size, text_arg
from portal.refusals import attempt


def _field(form) -> TechnicalField | None:
    return TechnicalField(form.field.data) if form.field.data else None


def _competency(competency_id: int):
    """A competency the admin may see; another OPD's technical one is "not found" (404)."""
    competency = queries.competency_in_scope(current_user, competency_id)
    require(competency is not None, 404)
    return competency


@bp.route("/")
@allow(Role.ADMIN)
def index():
    return redirect(url_for("competency_admin.list_competencies"))


def competency_filters() -> dict:
    """The catalogue list's filters (the page and its export read the same ones); only a
    city-wide admin filters by OPD."""
    return {
        "q": text_arg("q"),
        "ctype": text_arg("type"),
        "status": text_arg("status"),
        "agency_id": id_arg("opd") if current_user.is_city_admin else None,
        "field": text_arg("field"),
    }


@bp.route("/catalogue")
@allow(Role.ADMIN)
def list_competencies():
    city = current_user.is_city_admin
    filters = competency_filters()
    pagination = queries.competencies(
        current_user, **filters, page=page_arg(), per_page=page_size()
    )
    return render_template(
        "competency/dictionary/list.html",
        pagination=pagination,
        **filters,
        types=list(CompetencyType),
        fields=list(TechnicalField),
        agencies=scope.agencies_in_scope(current_user) if city else [],
        names=scope.agency_names(c.agency_id for c in pagination.items),
    )


@bp.route("/catalogue/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def create_competency():
    form = CompetencyCreateForm()
    form.set_choices(
        agencies=scope.agencies_in_scope(current_user), city_wide=current_user.is_city_admin
    )
    if form.validate_on_submit():
        done = attempt(
            lambda: services.create_competency(
                actor=current_user,
                code=form.code.data,
                ctype=CompetencyType(form.type.data),
                agency_id=form.agency_id.data or None,
                name=form.name.data,
                definition=form.definition.data,
                levels=form.levels(),
                source=form.source.data,
                to_be_confirmed=form.to_be_confirmed.data,
                field=_field(form),
            ),
            form=form,
        )
        if done:
            competency = done.value
            flash(_("Competency %(code)s has been added.", code=competency.code), "success")
            return redirect(
                url_for("competency_admin.view_competency", competency_id=competency.id)
            )
    return render_template("competency/dictionary/form.html", form=form, competency=None)


@bp.route("/catalogue/<int:competency_id>")
@allow(Role.ADMIN)
def view_competency(competency_id):
    competency = _competency(competency_id)
    return render_template(
        "competency/dictionary/competency.html",
        competency=competency,
        version=competency.current_version,
        history=queries.version_history(competency),
        agency=scope.agency(competency.agency_id),
        may_manage=services.may_manage_competency(current_user, competency),
        confirm=ConfirmForm(),
    )


@bp.route("/catalogue/<int:competency_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_competency(competency_id):
    competency = _competency(competency_id)
    require(services.may_manage_competency(current_user, competency))
    back = url_for("competency_admin.view_competency", competency_id=competency.id)
    if competency.is_retired:
        flash(_("This competency is retired; restore it before changing it."), "warning")
        return redirect(back)
    version = competency.current_version
    form = CompetencyVersionForm(obj=version)
    if request.method == "GET" and version is not None:
        form.fill_levels(version)
    if request.method == "GET":
        form.field.data = competency.field.value if competency.field else ""
    if form.validate_on_submit():
        done = attempt(
            lambda: services.update_competency(
                competency,
                actor=current_user,
                name=form.name.data,
                definition=form.definition.data,
                levels=form.levels(),
                source=form.source.data,
                to_be_confirmed=form.to_be_confirmed.data,
                field=_field(form),
            ),
            form=form,
        )
        if done:
            if version is not None and done.value.id == version.id:
                flash(_("Saved: the field has changed, the wording has not."), "success")
            else:
                flash(_("Saved as version %(number)d.", number=done.value.number), "success")
            return redirect(back)
    return render_template("competency/dictionary/form.html", form=form, competency=competency)


def _set_retired(competency_id: int, retired: bool):
    competency = _competency(competency_id)
    require(services.may_manage_competency(current_user, competency))
    if ConfirmForm().validate_on_submit():
        attempt(
            lambda: services.set_competency_retired(
                competency, actor=current_user, retired=retired
            ),
            success=_("The competency has been retired: it is no longer offered for standards.")
            if retired
            else _("The competency is in use again."),
        )
    return redirect(url_for("competency_admin.view_competency", competency_id=competency_id))


@bp.route("/catalogue/<int:competency_id>/retire", methods=["POST"])
@allow(Role.ADMIN)
def retire_competency(competency_id):
    return _set_retired(competency_id, True)


@bp.route("/catalogue/<int:competency_id>/restore", methods=["POST"])
@allow(Role.ADMIN)
def restore_competency(competency_id):
    return _set_retired(competency_id, False)


COMPETENCY_HEADERS = (
    _l("Code"),
    _l("Name"),
    _l("Type"),
    _l("OPD"),
    _l("Version"),
    _l("Status"),
)


def _competency_name(competency) -> str:
    version = competency.current_version
    if version is None:
        return ""
    if version.to_be_confirmed:
        return f"{version.name} ({_('to be confirmed')})"
    return version.name


@bp.route("/catalogue/export.<fmt>")
@allow(Role.ADMIN)
def list_competencies_export(fmt):
    """The catalogue with the page's filters (an OPD admin: no other OPD's technical ones)."""
    scope.check_format(fmt)
    stmt = queries.competencies_stmt(current_user, **competency_filters())
    items = [row[0] for row in scope.export_rows(stmt)]
    names = scope.opd_names(items)
    rows = (
        (
            c.code,
            _competency_name(c),
            c.type.title,
            names.get(c.agency_id, ""),
            c.current_version.number if c.current_version else "",
            _("Retired") if c.is_retired else _("In use"),
        )
        for c in items
    )
    return export(fmt, "competencies", COMPETENCY_HEADERS, rows, title=_("Competency catalogue"))
