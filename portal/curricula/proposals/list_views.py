"""The list of proposals a user may see (university staff: their university's; an OPD admin:
its OPD's; everyone: the ones they co-author) and its CSV/XLSX export, which reads the same
filters and the same scoped statement without pagination. The export is a GET and writes nothing.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import format_datetime
from flask_login import current_user

from portal.access import allow
from portal.auth.models import Role
from portal.curricula import bp
from portal.curricula.models import CurriculumState
from portal.curricula.proposals import queries
from portal.curricula.proposals.views import AUTHORING
from portal.exports import FORMATS, export
from portal.i18n import _, _l
from portal.listing import page_arg, page_size, text_arg

EXPORT_HEADERS = (
    _l("Title"),
    _l("University"),
    _l("Partner agency (OPD)"),
    _l("State"),
    _l("Total JP"),
    _l("Last change (WIB)"),
)


def proposal_filters() -> dict:
    """The list's filters (the page and its export read the same ones)."""
    return {"q": text_arg("q"), "state": text_arg("state", 30)}


@bp.route("/proposals")
@allow(*AUTHORING)
def list_proposals():
    filters = proposal_filters()
    pagination = queries.proposals_for(
        current_user, **filters, page=page_arg(), per_page=page_size()
    )
    return render_template(
        "curricula/proposals.html",
        pagination=pagination,
        **filters,
        states=list(CurriculumState),
        can_create=Role.UNIVERSITY in current_user.roles and current_user.university_id is not None,
    )


@bp.route("/proposals/export.<fmt>")
@allow(*AUTHORING)
def list_proposals_export(fmt):
    """The proposals of the list page (same search and state filter) as CSV or XLSX."""
    if fmt not in FORMATS:
        abort(404)
    stmt = queries.proposals_stmt(current_user, **proposal_filters())
    rows = (
        (
            c.title,
            c.university.short_name,
            c.agency.short_name if c.agency else "",
            c.state.title,
            c.total_jp,
            format_datetime(c.updated_at, "yyyy-MM-dd HH:mm"),
        )
        for c in queries.export_rows(stmt)
    )
    return export(
        fmt, "curriculum-proposals", EXPORT_HEADERS, rows, title=_("Curriculum proposals")
    )
