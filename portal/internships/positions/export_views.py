"""CSV/XLSX exports of the admins' internship lists (positions they manage, periods, the
students' feedback): the page's filters, scope and columns, without pagination. Read-only GETs.
The application queues, placements and guidance sessions export from their own modules."""

from __future__ import annotations

from flask_login import current_user

from portal.access import allow
from portal.auth.models import Role
from portal.exports import export
from portal.i18n import _, _l, _lp, pgettext
from portal.internships import bp
from portal.internships.applications.queue_views import when
from portal.internships.evaluation import queries as evaluation_queries
from portal.internships.evaluation.views import feedback_filters
from portal.internships.positions import queries
from portal.internships.positions.views import manage_filters


def day(value) -> str:
    """A calendar day (already a day in WIB) for a spreadsheet."""
    return value.isoformat() if value else ""


#: The columns of the positions export, each a header and the cell of a position (``waiting``
#: counts each position's applications awaiting a decision).
POSITION_COLUMNS = (
    (_lp("internship", "Position"), lambda p, waiting: p.title),
    (_l("OPD"), lambda p, waiting: p.agency.short_name),
    (_l("Period"), lambda p, waiting: p.period.name),
    (_l("State"), lambda p, waiting: str(p.state.title)),
    (_l("Seats left"), lambda p, waiting: p.seats_left),
    (_l("Quota"), lambda p, waiting: p.quota),
    (_l("Apply by"), lambda p, waiting: day(p.application_deadline)),
    (_l("Awaiting decision"), lambda p, waiting: waiting.get(p.id, 0)),
)


@bp.route("/manage/positions/export.<fmt>")
@allow(Role.ADMIN)
def manage_positions_export(fmt):
    positions, waiting = queries.managed_positions_export(current_user, **manage_filters())
    headers = [header for header, _cell in POSITION_COLUMNS]
    rows = [tuple(cell(p, waiting) for _header, cell in POSITION_COLUMNS) for p in positions]
    return export(fmt, "posisi-magang", headers, rows, title=_("Internship positions"))


@bp.route("/manage/periods/export.<fmt>")
@allow(Role.ADMIN)
def periods_export(fmt):
    rows = [(p.name, day(p.starts_on), day(p.ends_on)) for p in queries.periods()]
    return export(
        fmt,
        "periode-magang",
        [_("Name"), _("Starts on"), _("Ends on")],
        rows,
        title=_("Internship periods"),
    )


@bp.route("/opd/feedback/export.<fmt>")
@allow(Role.ADMIN)
def feedback_report_export(fmt):
    agency_id, mentor_id = feedback_filters()
    headers = [
        _("Date (WIB)"),
        _("Intern"),
        pgettext("internship", "Position"),
        _("OPD"),
        _("Mentor"),
        _("Placement"),
        _("Guidance"),
        _("Comment"),
    ]
    rows = [
        (
            when(f.created_at),
            f.student.full_name if f.student else "",
            f.placement.position.title,
            f.placement.position.agency.short_name,
            f.mentor.full_name if f.mentor else "",
            f.placement_rating,
            f.mentor_rating,
            f.comment or "",
        )
        for f in evaluation_queries.feedback_export(
            current_user, agency_id=agency_id, mentor_id=mentor_id
        )
    ]
    return export(fmt, "umpan-balik-magang", headers, rows, title=_("Internship feedback"))
