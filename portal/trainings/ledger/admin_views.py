"""The admins' JP ledger pages: the verification queue, the conversion table (read by ASN and
admins, changed by city admins), OPD compliance with its CSV/XLSX export and the SIASN export.
An OPD admin sees only their own OPD everywhere; exports are GETs and write nothing."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.db import db
from portal.exports import _download, export
from portal.i18n import _, _l
from portal.listing import page_arg, page_size, text_arg
from portal.refusals import attempt
from portal.trainings import bp
from portal.trainings.ledger import conversion, siasn
from portal.trainings.ledger import queries as ledger_queries
from portal.trainings.ledger.conversion import ConversionRule
from portal.trainings.ledger.forms import ConversionRuleForm, VerifyForm
from portal.trainings.ledger.views import year_arg, year_choices
from portal.trainings.recognition import siasn_awards

# --- the verification queue ---------------------------------------------------------------------


@bp.route("/ledger/verifications")
@allow(Role.ADMIN)
def verifications():
    q = text_arg("q")
    pagination = ledger_queries.verification_queue(
        current_user, q=q, page=page_arg(), per_page=page_size()
    )
    return render_template(
        "trainings/ledger/verifications.html",
        pagination=pagination,
        q=q,
        agencies=ledger_queries.agency_names(),
    )


# --- the conversion table -----------------------------------------------------------------------


@bp.route("/ledger/conversion")
@allow(Role.ASN, Role.ADMIN)
def conversion_rules():
    rules = conversion.rule_table()
    return render_template(
        "trainings/ledger/rules.html",
        rules=rules,
        can_edit=current_user.is_city_admin,
        missing=sum(1 for r in rules if r.id is None),
        seed_form=VerifyForm(formdata=None),
    )


@bp.route("/ledger/conversion/seed", methods=["POST"])
@allow(Role.ADMIN)
def seed_conversion_rules():
    """Store the built-in rows not stored yet, so each can be edited (city admins)."""
    require(current_user.is_city_admin, 403)
    if VerifyForm().validate_on_submit():
        added = conversion.seed_rules()
        db.session.commit()
        flash(_("%(count)s rule(s) of the default table were stored.", count=added), "success")
    return redirect(url_for("trainings.conversion_rules"))


@bp.route("/ledger/conversion/<int:rule_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_conversion_rule(rule_id):
    rule = db.get_or_404(ConversionRule, rule_id)
    # The table is BKPSDM policy: only a city admin changes it.
    require(current_user.is_city_admin, 403)
    form = ConversionRuleForm(obj=rule if request.method == "GET" else None)
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            done = attempt(
                lambda: conversion.update_rule(
                    rule,
                    actor=current_user,
                    unit=form.unit.data,
                    jp_per_unit=float(form.jp_per_unit.data),
                    cap_per_day=float(form.cap_per_day.data) if form.cap_per_day.data else None,
                    cap_per_month=form.cap_per_month.data,
                    bonus_percent=form.bonus_percent.data,
                ),
                form=form,
                success=_("The rule was changed. Records already made keep their JP."),
            )
            if done:
                return redirect(url_for("trainings.conversion_rules"))
            rule = db.get_or_404(ConversionRule, rule_id)
            status = done.error.status if done.error.status != 409 else 400
    return render_template("trainings/ledger/rule_form.html", form=form, rule=rule), status


# --- compliance and exports ---------------------------------------------------------------------

COMPLIANCE_HEADERS = (_l("OPD"), _l("ASN"), _l("At or above the JP target"), _l("Share (%)"))


def _compliance_rows(report) -> list[tuple]:
    rows = [(r.agency_name, r.asn_count, r.met_count, r.share) for r in report.rows]
    if current_user.is_city_admin:
        o = report.overall
        rows.append((str(o.agency_name), o.asn_count, o.met_count, o.share))
    return rows


@bp.route("/ledger/compliance")
@allow(Role.ADMIN)
def compliance():
    year = year_arg()
    report = ledger_queries.compliance_for(current_user, year)
    fmt = request.args.get("format", "")
    if fmt:
        return export(fmt, f"kepatuhan-jp-{year}", COMPLIANCE_HEADERS, _compliance_rows(report))
    return render_template(
        "trainings/ledger/compliance.html",
        report=report,
        year=year,
        years=year_choices(),
        city=current_user.is_city_admin,
    )


@bp.route("/ledger/siasn.xlsx")
@allow(Role.ADMIN)
def siasn_export():
    year = year_arg()
    agency_id = None if current_user.is_city_admin else (current_user.admin_agency_id or -1)
    body = siasn.siasn_workbook(
        siasn.siasn_rows(year, agency_id=agency_id),
        siasn_awards.award_rows(year, agency_id=agency_id),
    )
    return _download(
        body,
        f"siasn-riwayat-kursus-{year}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
