"""The curricula demo's feedback loop: problem reports on materials (some fixed by a new version,
some declined, some open) and the learners' ratings, with the notices each side received."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.auth.models import User
from portal.curricula.feedback.models import FlagKind, FlagState, MaterialFlag, MaterialRating
from portal.curricula.models import CurriculumState, MaterialVersion
from portal.curricula.proposals import (
    review_services,  # noqa: F401 (its notification texts)
)
from portal.curricula.proposals.workflow import CurriculumAction
from portal.db import db
from portal.demo.curricula.content import CURRICULA_BY_KEY, FLAGS, RATINGS
from portal.notify import Notification, notify
from portal.util import links

A, S = CurriculumAction, CurriculumState


def _corrected(version: MaterialVersion) -> str:
    """The content of the version that fixes a reported problem (links and texts)."""
    if version.url:
        return version.url.replace("/perwal-", "/perwal-perubahan-2025-")
    if version.body:
        return version.body.replace("satauan", "satuan")
    raise ValueError("the demo fixes reported problems of links and texts only")


class FeedbackHistory:
    """The feedback part of the curricula demo's builder (a mixin of ``_Builder``)."""

    # --- feedback ----------------------------------------------------------------------------

    def notify(
        self, user: User, key: str, link: str, at: datetime, *, read: bool, **params
    ) -> Notification:
        row = notify(user, key, link=link, history=True, **params)
        row.created_at = at
        row.read_at = at + timedelta(hours=5) if read else None
        self.counts["notifications"] += 1
        return row

    def flags(self, rng: random.Random) -> int:
        for key, title, email, kind, description, outcome, note in FLAGS:
            cur, material = self.curricula[key], self.materials[(key, title)]
            reported = cur.published_at + timedelta(days=rng.randint(5, 20))
            flagged = db.session.scalars(
                sa.select(MaterialVersion).where(
                    MaterialVersion.material_id == material.id,
                    MaterialVersion.number == material.version_count,
                )
            ).one()
            reporter = self.people[email]
            flag = MaterialFlag(
                material_id=material.id,
                version_id=flagged.id,
                reporter_id=reporter.id,
                kind=FlagKind(kind),
                description=description,
                state=FlagState(outcome),
                created_at=reported,
                updated_at=reported,
            )
            db.session.add(flag)
            link = links.path("curricula.material", material_id=material.id)
            lead = self.people[CURRICULA_BY_KEY[key]["authors"][0][0]]
            for author in cur.authors:
                self.notify(
                    self.people_by_id[author.user_id],
                    "curricula.flag_new",
                    link,
                    reported,
                    read=outcome != "open",
                    material=material.title,
                )
            if outcome != "open":
                flag.handled_by_id = lead.id
            if outcome in ("fixed", "declined"):
                closed = reported + timedelta(days=4)
                if outcome == "fixed":
                    fixed = self.version(
                        material,
                        _corrected(flagged),
                        lead,
                        closed - timedelta(hours=2),
                        change_note=note,
                    )
                    flag.fixed_version_id = fixed.id
                flag.resolution_note, flag.closed_at, flag.updated_at = note, closed, closed
                self.notify(
                    reporter,
                    f"curricula.flag_{outcome}",
                    link,
                    closed,
                    read=outcome == "declined",
                    material=material.title,
                    note=note,
                )
        db.session.flush()
        return len(FLAGS)

    def ratings(self, rng: random.Random) -> int:
        count = 0
        for (key, title), rows in RATINGS.items():
            cur, material = self.curricula[key], self.materials[(key, title)]
            version = db.session.scalars(
                sa.select(MaterialVersion).where(
                    MaterialVersion.material_id == material.id,
                    MaterialVersion.number == material.version_count,
                )
            ).one()
            start = max(cur.published_at, version.created_at)
            for email, overall, comment, show_name in rows:
                when = start + (self.now - start) * rng.uniform(0.1, 0.9)
                db.session.add(
                    MaterialRating(
                        version_id=version.id,
                        material_id=material.id,
                        user_id=self.people[email].id,
                        overall=overall,
                        relevance=min(5, max(1, overall + rng.choice((-1, 0, 0, 1)))),
                        clarity=min(5, max(1, overall + rng.choice((-1, 0, 0, 1)))),
                        difficulty=rng.randint(2, 4),
                        comment=comment,
                        show_name=show_name,
                        created_at=when,
                        updated_at=when,
                    )
                )
                count += 1
        db.session.flush()
        return count
