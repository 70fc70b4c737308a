"""The public catalogue: published curricula for everyone, no sign-in needed, and its CSV/XLSX
export (the same filters and the same published-only statement, without pagination).

Anonymous visitors see metadata only (titles, kinds, version numbers); signed-in users also get
the link to each material's page, where downloads are checked again.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from portal.access import PUBLIC, allow
from portal.curricula import bp
from portal.curricula.catalogue import queries as catalogue_queries
from portal.curricula.feedback.queries import material_stats
from portal.curricula.proposals import queries
from portal.curricula.proposals.workflow import can_download
from portal.exports import FORMATS, export
from portal.i18n import _, _l
from portal.listing import id_arg, page_arg, page_size, text_arg

EXPORT_HEADERS = (
    _l("Title"),
    _l("University"),
    _l("Partner agency (OPD)"),
    _l("Audience"),
    _l("Delivery mode"),
    _l("Total JP"),
    _l("Target competencies"),
    _l("Summary"),
)


def catalogue_filters() -> catalogue_queries.CatalogueFilters:
    """The catalogue's filters (the page and its export read the same ones)."""
    return catalogue_queries.CatalogueFilters(
        q=text_arg("q"),
        competency=id_arg("competency"),
        audience=text_arg("audience", 20),
        mode=text_arg("mode", 20),
        university=id_arg("university"),
    )


@bp.route("/")
@allow(PUBLIC)
def catalogue():
    filters = catalogue_filters()
    return render_template(
        "curricula/catalogue.html",
        filters=filters,
        pagination=catalogue_queries.catalogue_page(filters, page_arg(), page_size()),
        options=catalogue_queries.filter_options(),
    )


def _targets(curriculum) -> str:
    """The target competencies as the page lists them: "name (level n); …"."""
    return "; ".join(
        f"{t.competency.current_version.name if t.competency.current_version else t.competency.code}"
        f" ({_('level %(level)d', level=t.target_level)})"
        for t in curriculum.targets
    )


@bp.route("/export.<fmt>")
@allow(PUBLIC)
def catalogue_export(fmt):
    """The published curricula matching the page's filters, as CSV or XLSX (public metadata
    only, as on the page)."""
    if fmt not in FORMATS:
        abort(404)
    stmt = catalogue_queries.catalogue_statement(catalogue_filters())
    rows = (
        (
            c.title,
            c.university.name,
            c.agency.name if c.agency else "",
            c.audience.title,
            c.mode.title,
            c.total_jp,
            _targets(c),
            c.summary or "",
        )
        for c in queries.export_rows(stmt)
    )
    return export(
        fmt, "curriculum-catalogue", EXPORT_HEADERS, rows, title=_("Curriculum catalogue")
    )


@bp.route("/<int:curriculum_id>")
@allow(PUBLIC)
def show(curriculum_id):
    # Only published curricula have a public page; authors follow a draft on its proposal page.
    curriculum = catalogue_queries.published_or_none(curriculum_id)
    if curriculum is None:
        abort(404)
    return render_template(
        "curricula/curriculum.html",
        curriculum=curriculum,
        stats=material_stats(catalogue_queries.material_ids(curriculum)),
        can_open=can_download(curriculum, current_user),
    )
