"""The public catalogue: published curricula for everyone, no sign-in needed.

Anonymous visitors see metadata only (titles, kinds, version numbers); signed-in users also get
the link to each material's page, where downloads are checked again.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from portal.access import PUBLIC, allow
from portal.curricula import catalogue_queries
from portal.curricula.feedback_queries import material_stats
from portal.curricula.views import bp
from portal.curricula.workflow import can_download
from portal.listing import id_arg, page_arg, page_size, text_arg


@bp.route("/")
@allow(PUBLIC)
def catalogue():
    filters = catalogue_queries.CatalogueFilters(
        q=text_arg("q"), competency=id_arg("competency"), audience=text_arg("audience", 20),
        mode=text_arg("mode", 20), university=id_arg("university"),
    )  # fmt: skip
    return render_template(
        "curricula/catalogue.html", filters=filters,
        pagination=catalogue_queries.catalogue_page(filters, page_arg(), page_size()),
        options=catalogue_queries.filter_options(),
    )  # fmt: skip


@bp.route("/<int:curriculum_id>")
@allow(PUBLIC)
def show(curriculum_id):
    # Only published curricula have a public page; authors follow a draft on its proposal page.
    curriculum = catalogue_queries.published_or_none(curriculum_id)
    if curriculum is None:
        abort(404)
    return render_template(
        "curricula/curriculum.html", curriculum=curriculum,
        stats=material_stats(catalogue_queries.material_ids(curriculum)),
        can_open=can_download(curriculum, current_user),
    )  # fmt: skip
