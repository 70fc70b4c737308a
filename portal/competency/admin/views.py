"""Admin screens of the competency feature: the catalogue, positions and standards, ASN records.

City-wide admins manage everything. An OPD admin reads the managerial and socio-cultural
catalogue, and manages only its own OPD's technical competencies, positions and ASN records;
another OPD's object is "not found" (404) for it.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.forms import ConfirmForm
from portal.auth.models import Role
from portal.competency import admin_bp as bp
from portal.competency.admin import queries, services
from portal.competency.admin.forms import (
    CompetencyCreateForm,
    CompetencyVersionForm,
    PositionForm,
    standard_form,
)
from portal.competency.models import (
    MANAGERIAL_RULE_OF_THUMB,
    CompetencyType,
    PositionKind,
)
from portal.competency.nip import check_nip
from portal.i18n import _
from portal.listing import id_arg, page_arg, page_size, text_arg
from portal.refusals import attempt

# --- helpers ----------------------------------------------------------------------------------------


def nip_display(nip: str) -> str:
    return check_nip(nip).display


def _competency(competency_id: int):
    """A competency the admin may see; another OPD's technical one is "not found" (404)."""
    competency = queries.competency_in_scope(current_user, competency_id)
    require(competency is not None, 404)
    return competency


def _position(position_id: int):
    """A position the admin may see; another OPD's is "not found" (404)."""
    position = queries.position_in_scope(current_user, position_id)
    require(position is not None, 404)
    return position


# --- catalogue --------------------------------------------------------------------------------------


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
        "competency/admin/competencies.html",
        pagination=pagination,
        **filters,
        types=list(CompetencyType),
        agencies=queries.agencies_in_scope(current_user) if city else [],
        names=queries.agency_names(c.agency_id for c in pagination.items),
    )


@bp.route("/catalogue/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def create_competency():
    form = CompetencyCreateForm()
    form.set_choices(
        agencies=queries.agencies_in_scope(current_user), city_wide=current_user.is_city_admin
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
            ),
            form=form,
        )
        if done:
            competency = done.value
            flash(_("Competency %(code)s has been added.", code=competency.code), "success")
            return redirect(
                url_for("competency_admin.view_competency", competency_id=competency.id)
            )
    return render_template("competency/admin/competency_form.html", form=form, competency=None)


@bp.route("/catalogue/<int:competency_id>")
@allow(Role.ADMIN)
def view_competency(competency_id):
    competency = _competency(competency_id)
    return render_template(
        "competency/admin/competency.html",
        competency=competency,
        version=competency.current_version,
        history=queries.version_history(competency),
        agency=queries.agency(competency.agency_id),
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
            ),
            form=form,
        )
        if done:
            flash(_("Saved as version %(number)d.", number=done.value.number), "success")
            return redirect(back)
    return render_template(
        "competency/admin/competency_form.html", form=form, competency=competency
    )


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


# --- positions --------------------------------------------------------------------------------------


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
        "competency/admin/positions.html",
        pagination=pagination,
        **filters,
        kinds=list(PositionKind),
        agencies=queries.agencies_in_scope(current_user) if city else [],
        names=queries.agency_names(p.agency_id for p in items),
        sizes=queries.standard_sizes(p.id for p in items),
    )


def _position_form(position=None):
    form = PositionForm(obj=position)
    keep = {position.agency_id} if position is not None else set()
    form.set_choices(agencies=queries.agencies_in_scope(current_user, include_ids=keep))
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
            ),
            form=form,
            success=_("Saved."),
        )
        if done:
            return redirect(url_for("competency_admin.edit_standard", position_id=done.value.id))
    return render_template("competency/admin/position_form.html", form=form, position=position)


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
        "competency/admin/standard.html",
        position=position,
        agency=queries.agency(position.agency_id),
        form=form,
        rows=[(c, form[f"level_{c.id}"]) for c in competencies],
        rule_level=MANAGERIAL_RULE_OF_THUMB[position.kind],
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


# The ASN-record screens and the lists' exports live in their own modules; importing them
# registers their routes.
