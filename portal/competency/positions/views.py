"""Positions and standards: pages (part of the ``competency_admin`` blueprint, /admin/competency),
with the list's CSV/XLSX export (the page's filters and scope, without pagination)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.forms import ConfirmForm
from portal.auth.models import Role
from portal.competency import admin_bp as bp
from portal.competency import scope, standards
from portal.competency.fields import TechnicalField
from portal.competency.models import PositionKind
from portal.competency.positions import queries, services
from portal.competency.positions.forms import PositionForm, standard_form
from portal.exports import export
from portal.i18n import _, _l
from portal.listing import id_arg, page_arg, page_size, text_arg
from portal.refusals import attempt


def _position(position_id: int):
    """A position the admin may see; another OPD's is "not found" (404)."""
    position = queries.position_in_scope(current_user, position_id)
    require(position is not None, 404)
    return position


def position_filters() -> dict:
    """The position list's filters (the page and its export read the same ones)."""
    return {
        "q": text_arg("q"),
        "kind": text_arg("kind"),
        "agency_id": id_arg("opd") if current_user.is_city_admin else None,
    }


@bp.route("/positions")
@allow(Role.ADMIN)
def list_positions():
    city = current_user.is_city_admin
    filters = position_filters()
    pagination = queries.positions(current_user, **filters, page=page_arg(), per_page=page_size())
    items = pagination.items
    return render_template(
        "competency/positions/list.html",
        pagination=pagination,
        **filters,
        kinds=list(PositionKind),
        agencies=scope.agencies_in_scope(current_user) if city else [],
        names=scope.agency_names(p.agency_id for p in items),
        sizes=queries.standard_sizes(p.id for p in items),
    )


def _position_form(position=None):
    form = PositionForm(obj=position)
    keep = {position.agency_id} if position is not None else set()
    form.set_choices(agencies=scope.agencies_in_scope(current_user, include_ids=keep))
    if position is None and request.method == "GET" and not current_user.is_city_admin:
        form.agency_id.data = current_user.admin_agency_id
    if form.validate_on_submit():
        done = attempt(
            lambda: services.save_position(
                position,
                actor=current_user,
                name=form.name.data,
                kind=PositionKind(form.kind.data),
                jenjang=form.jenjang.data or None,
                agency_id=form.agency_id.data,
                field=TechnicalField(form.field.data) if form.field.data else None,
                pembina=(form.pembina.data or "").strip() or None,
            ),
            form=form,
            success=_("Saved."),
        )
        if done:
            return redirect(url_for("competency_admin.edit_standard", position_id=done.value.id))
    return render_template("competency/positions/form.html", form=form, position=position)


@bp.route("/positions/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def create_position():
    return _position_form()


@bp.route("/positions/<int:position_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_position(position_id):
    return _position_form(_position(position_id))


@bp.route("/positions/<int:position_id>/standard", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_standard(position_id):
    position = _position(position_id)
    competencies = queries.relevant_competencies(position)
    current = {item.competency_id: item.required_level for item in position.standard}
    form = standard_form(competencies, current)
    if form.validate_on_submit():
        done = attempt(
            lambda: services.save_standard(
                position, actor=current_user, levels=form.levels(), allowed=competencies
            ),
            form=form,
        )
        if done:
            flash(
                _("The standard has been saved: %(count)d competencies.", count=done.value),
                "success",
            )
            return redirect(url_for("competency_admin.edit_standard", position_id=position_id))
    elif request.method == "POST":
        flash(_("Choose a level from 0 to 5 for each competency."), "danger")
    return render_template(
        "competency/positions/standard.html",
        position=position,
        agency=scope.agency(position.agency_id),
        form=form,
        rows=[(c, form[f"level_{c.id}"]) for c in competencies],
        rule_levels=standards.rule_levels(position),
        confirm=ConfirmForm(),
    )


@bp.route("/positions/<int:position_id>/standard/rule-of-thumb", methods=["POST"])
@allow(Role.ADMIN)
def fill_standard(position_id):
    position = _position(position_id)
    if ConfirmForm().validate_on_submit():
        competencies = queries.relevant_competencies(position)
        done = attempt(
            lambda: services.fill_standard_by_rule(
                position, actor=current_user, competencies=competencies
            )
        )
        if done:
            flash(
                _(
                    "The standard now follows the rule of thumb (%(count)d competencies). "
                    "Check the technical levels.",
                    count=done.value,
                ),
                "success",
            )
    return redirect(url_for("competency_admin.edit_standard", position_id=position_id))


POSITION_HEADERS = (
    _l("Name"),
    _l("Kind of position"),
    _l("OPD"),
    _l("Competencies in the standard"),
)


@bp.route("/positions/export.<fmt>")
@allow(Role.ADMIN)
def list_positions_export(fmt):
    """The positions with the page's filters and the size of each one's standard."""
    scope.check_format(fmt)
    stmt = queries.positions_stmt(current_user, **position_filters())
    found = scope.export_rows(stmt.add_columns(queries.standard_size_column()))
    names = scope.opd_names(p for p, _size in found)
    rows = (
        (
            f"{p.name} ({p.jenjang})" if p.jenjang else p.name,
            p.kind.title,
            names.get(p.agency_id, ""),
            size,
        )
        for p, size in found
    )
    return export(fmt, "positions", POSITION_HEADERS, rows, title=_("Positions"))
