"""The authors' panel on the dashboard: their curricula, the feedback on their materials (all
ratings combined), materials that need improvement, and open problem reports (three queries,
whatever the number of curricula and materials)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from portal.curricula.feedback.queries import MaterialStats, material_stats
from portal.curricula.models import Curriculum, CurriculumAuthor, Material, Module
from portal.db import db


@dataclass
class AuthorPanel:
    by_state: Counter = field(default_factory=Counter)  # CurriculumState -> proposals
    needs_improvement: list = field(default_factory=list)  # (material id, title, curriculum)
    open_flags: int = 0
    feedback: MaterialStats | None = None  # every rating of the current versions, combined

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


def author_panel(user) -> AuthorPanel | None:
    """What ``user`` co-authors, or None when they co-author nothing."""
    curricula = db.session.execute(
        sa.select(Curriculum.id, Curriculum.title, Curriculum.state)
        .join(CurriculumAuthor, CurriculumAuthor.curriculum_id == Curriculum.id)
        .where(CurriculumAuthor.user_id == user.id)
    ).all()
    if not curricula:
        return None
    panel = AuthorPanel(by_state=Counter(row.state for row in curricula))
    titles = {row.id: row.title for row in curricula}
    materials = db.session.execute(
        sa.select(Material.id, Material.title, Module.curriculum_id)
        .join(Module, Module.id == Material.module_id)
        .where(Module.curriculum_id.in_(titles))
        .order_by(Material.title)
    ).all()
    stats = material_stats([m.id for m in materials])
    panel.feedback = MaterialStats.combine(stats.values()) if stats else None
    for m in materials:
        s = stats.get(m.id)
        if s is None:
            continue
        panel.open_flags += s.open_flags
        if s.needs_improvement:
            panel.needs_improvement.append((m.id, m.title, titles[m.curriculum_id], s.average))
    return panel
