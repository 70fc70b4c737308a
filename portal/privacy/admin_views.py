"""The admins' pages: the log of who viewed personal records (with its export) and the
retention table with what is past its period now."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask_babel import format_datetime
from flask_login import current_user

from portal import view_log as log
from portal.access import allow
from portal.auth.models import Role
from portal.exports import export
from portal.i18n import _, _l
from portal.listing import date_arg, page_arg, page_size, text_arg
from portal.privacy import bp
from portal.privacy import retention as rules
from portal.util import clock

VIEW_LOG_HEADERS = (
    _l("When (WIB)"),
    _l("Viewed by"),
    _l("Viewer's e-mail"),
    _l("Whose record"),
    _l("Their e-mail"),
    _l("Record"),
    _l("Record number"),
    _l("IP address"),
)


def view_log_filters() -> dict:
    """The view log's filters (the page and its export read the same ones); ``until`` is the
    day after the chosen last day, so that day is included."""
    record_type = text_arg("type", 30)
    until = date_arg("until")
    return {
        "viewer": text_arg("viewer"),
        "subject": text_arg("subject"),
        "record_type": record_type if record_type in log.RECORD_TYPES else "",
        "since": date_arg("since"),
        "until": until + timedelta(days=1) if until else None,
    }


@bp.route("/view-log")
@allow(Role.ADMIN)
def view_log():
    """Who viewed whose personal record; an OPD admin sees views of their OPD's records only."""
    filters = view_log_filters()
    pagination = log.views_page(current_user, page=page_arg(), per_page=page_size(), **filters)
    since, until = filters["since"], filters["until"]
    return render_template(
        "privacy/view_log.html",
        pagination=pagination,
        record_types=log.RECORD_TYPES,
        record_pages=log.RECORD_PAGES,
        viewer=filters["viewer"],
        subject=filters["subject"],
        record_type=filters["record_type"],
        since=since.strftime("%Y-%m-%d") if since else "",
        until=(until - timedelta(days=1)).strftime("%Y-%m-%d") if until else "",
    )


@bp.route("/view-log/export.<fmt>")
@allow(Role.ADMIN)
def view_log_export(fmt):
    """The filtered view log as CSV/XLSX, scoped like the page (a GET: writes nothing)."""
    rows = (
        (
            format_datetime(v.viewed_at, "yyyy-MM-dd HH:mm"),
            v.viewer.full_name if v.viewer else "",
            v.viewer.email if v.viewer else "",
            v.subject.full_name if v.subject else "",
            v.subject.email if v.subject else "",
            str(v.record_title),
            v.record_id,
            v.ip or "",
        )
        for v in log.views_export(current_user, **view_log_filters())
    )
    return export(fmt, "view-log", VIEW_LOG_HEADERS, rows, title=_("View log"))


@bp.route("/retention")
@allow(Role.ADMIN)
def retention():
    """Each record type, its retention period and how many records are past it today."""
    today = clock.today()
    return render_template(
        "privacy/retention.html", lines=rules.past_retention_counts(today), today=today
    )
