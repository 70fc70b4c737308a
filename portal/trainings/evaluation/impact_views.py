"""The impact page of a curriculum (Kirkpatrick L1–L3 over all its batches)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.listing import page_arg
from portal.trainings import bp
from portal.trainings.evaluation import impact_queries as queries
from portal.trainings.evaluation.queries import MIN_RESPONSES


@bp.route("/curricula/<int:curriculum_id>/impact")
@allow(Role.ADMIN, Role.UNIVERSITY, own=(Role.UNIVERSITY,))
def impact(curriculum_id):
    """L1 averages, L2 gain and L3 ratings of a curriculum, the competencies applied too little
    and a suggested follow-up session (city admins, the partner OPD's admins, university
    co-authors; anyone else gets 404)."""
    curriculum = queries.curriculum_for_impact(curriculum_id)
    require(curriculum is not None and queries.can_view_impact(curriculum, current_user), 404)
    l1 = queries.l1_by_aspect(curriculum.id)
    pagination, batches = queries.batch_page(curriculum.id, page_arg())
    rows = queries.competency_impact(curriculum, current_user)
    return render_template(
        "trainings/evaluation/impact.html",
        curriculum=curriculum,
        l1=l1,
        pagination=pagination,
        batches=batches,
        rows=rows,
        overall=queries.overall(rows),
        min_responses=MIN_RESPONSES,
        low_below=queries.LOW_APPLICATION_BELOW,
    )
