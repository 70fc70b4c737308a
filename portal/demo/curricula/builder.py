"""Curricula demo data: proposals in every stage of the workflow, two published curricula with
materials of each kind, ratings, reported problems and the notifications they caused.

Rows are written through the models (as ``tests/factories.py`` does), with a history that the
workflow could have produced: each step follows ``workflow.TRANSITIONS`` and is taken by the side
it belongs to. Files go through ``uploads.store``. Deterministic (fixed seed); dates are counted
back from the moment of loading. The content lives in :mod:`portal.demo.curricula.content`.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from portal import uploads
from portal.auth.models import Role, User
from portal.competency.board import queries as board
from portal.competency.models import Competency
from portal.curricula.models import (
    AuthorSide,
    Curriculum,
    CurriculumAuthor,
    CurriculumEvidence,
    CurriculumState,
    CurriculumTarget,
    Material,
    MaterialKind,
    MaterialVersion,
    Module,
)
from portal.curricula.proposals import (
    review_services,  # noqa: F401 (its notification texts)
    versions,
)
from portal.curricula.proposals.models import CurriculumEvent, CurriculumVersion, ReviewComment
from portal.curricula.proposals.workflow import AGENCY, TRANSITIONS, UNIVERSITY, CurriculumAction
from portal.db import db, utcnow
from portal.demo.curricula.content import CURRICULA
from portal.demo.curricula.feedback import FeedbackHistory
from portal.demo.pdf import pdf_bytes
from portal.demo.people import Demo
from portal.util import links

A, S = CurriculumAction, CurriculumState
STEP = timedelta(days=9)

#: The steps that bring a new proposal to each state.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [A.SUBMIT],
    S.IN_REVIEW: [A.SUBMIT, A.START_REVIEW],
    S.CHANGES_REQUESTED: [A.SUBMIT, A.START_REVIEW, A.REQUEST_CHANGES],
    S.AGENCY_APPROVED: [A.SUBMIT, A.START_REVIEW, A.APPROVE_AGENCY],
    S.PUBLISHED: [
        A.SUBMIT,
        A.START_REVIEW,
        A.REQUEST_CHANGES,
        A.RESUBMIT,
        A.START_REVIEW,
        A.APPROVE_AGENCY,
        A.APPROVE_UNIVERSITY,
        A.PUBLISH,
    ],
    S.ARCHIVED: [
        A.SUBMIT,
        A.START_REVIEW,
        A.APPROVE_AGENCY,
        A.APPROVE_UNIVERSITY,
        A.PUBLISH,
        A.ARCHIVE,
    ],
}
NOTES = {
    A.SUBMIT: "Mohon ditinjau oleh pihak OPD.",
    A.RESUBMIT: "Perubahan sesuai catatan sudah kami masukkan.",
    A.APPROVE_AGENCY: "Sesuai kebutuhan OPD; disetujui.",
    A.APPROVE_UNIVERSITY: "Disetujui oleh pihak universitas.",
    A.ARCHIVE: "Digantikan oleh kursus yang lebih baru.",
}
# Notifications the authors received about the workflow (the other keys stay quiet in the demo).
WORKFLOW_NOTICES = {
    A.REQUEST_CHANGES: "curricula.proposal_changes_requested",
    A.APPROVE_AGENCY: "curricula.proposal_agency_approved",
    A.PUBLISH: "curricula.proposal_published",
}


class _Builder(FeedbackHistory):
    def __init__(self, universities, agencies, people, now: datetime):
        self.universities, self.agencies = universities, agencies
        self.people, self.now = people, now
        self.competencies = {c.code: c for c in db.session.scalars(sa.select(Competency))}
        # Admins by the OPD they administer (None: the city-wide admin).
        self.admins = {u.admin_agency_id: u for u in people.values() if Role.ADMIN in u.roles}
        self.curricula: dict[str, Curriculum] = {}
        self.materials: dict[tuple[str, str], Material] = {}
        self.counts = {"notifications": 0}
        self._clusters: dict[int, list] = {}
        self._commented: set[int] = set()

    # --- proposals ---------------------------------------------------------------------------

    def curriculum(self, spec: dict, start: datetime) -> Curriculum:
        agency = self.agencies[spec["agency"]]
        authors = [(self.people[email], side, lead) for email, side, lead in spec["authors"]]
        lead = authors[0][0]
        cur = Curriculum(
            university_id=self.universities[spec["university"]].id,
            agency=agency,
            title=spec["title"],
            summary=spec["summary"],
            audience=spec["audience"],
            mode=spec["mode"],
            training_type=spec.get("training_type", "pelatihan_teknis"),
            learning_outcomes="\n".join(spec["outcomes"]),
            state=S.DRAFT,
            created_by_id=lead.id,
            created_at=start,
            updated_at=start,
        )
        db.session.add(cur)
        for user, side, is_lead in authors:
            cur.authors.append(
                CurriculumAuthor(
                    user_id=user.id,
                    side=AuthorSide(side),
                    is_lead=is_lead,
                    added_by_id=lead.id,
                    added_at=start,
                )
            )
        for code, level in spec["targets"]:
            cur.targets.append(
                CurriculumTarget(competency=self.competencies[code], target_level=level)
            )
        db.session.flush()
        revision = [m for m in spec["modules"] if m.get("revision")]
        for module in spec["modules"]:
            if not module.get("revision"):
                self.module(cur, spec["key"], module, lead, start)
        self.evidence(cur, lead, start)
        self.history(cur, spec, lead, start, revision)
        self.curricula[spec["key"]] = cur
        return cur

    def module(self, cur: Curriculum, key: str, spec: dict, author: User, at: datetime) -> Module:
        module = Module(
            position=len(cur.modules) + 1,
            title=spec["title"],
            objectives=spec["objectives"],
            jp=spec["jp"],
            method=spec["method"],
        )
        cur.modules.append(module)
        db.session.flush()
        for kind, title, content in spec["materials"]:
            material = Material(
                position=len(module.materials) + 1,
                title=title,
                kind=MaterialKind(kind),
                version_count=0,
                created_at=at,
                updated_at=at,
            )
            module.materials.append(material)
            db.session.flush()
            self.version(material, content, author, at)
            self.materials[(key, title)] = material
        return module

    def version(
        self,
        material: Material,
        content,
        author: User,
        at: datetime,
        change_note: str | None = None,
    ) -> MaterialVersion:
        number = material.version_count + 1
        version = MaterialVersion(
            material_id=material.id,
            number=number,
            change_note=change_note,
            created_by_id=author.id,
            created_at=at,
        )
        if material.kind == MaterialKind.TEXT:
            version.body = content
        elif material.kind == MaterialKind.LINK:
            version.url = content
        else:
            name, lines = content
            upload = FileStorage(io.BytesIO(pdf_bytes(material.title, lines)), filename=name)
            version.file_id = uploads.store(upload, allowed=("pdf",), actor=author).id
        db.session.add(version)
        material.version_count, material.updated_at = number, at
        db.session.flush()
        return version

    def evidence(self, cur: Curriculum, lead: User, at: datetime) -> None:
        """Cite the demand-board groups (as a university user sees them) of the targets."""
        if cur.agency_id not in self._clusters:
            self._clusters[cur.agency_id] = board.clusters(anonymous=True, agency_id=cur.agency_id)[
                0
            ]
        targets = {t.competency_id for t in cur.targets}
        for cluster in self._clusters[cur.agency_id]:
            if cluster.competency_id in targets and cluster.below:
                targets.discard(cluster.competency_id)  # the largest group of each competency
                cur.evidence.append(
                    CurriculumEvidence(
                        agency_id=cluster.agency_id,
                        competency_id=cluster.competency_id,
                        kind=str(cluster.kind) if cluster.kind else None,
                        total=cluster.total,
                        assessed=cluster.assessed,
                        below=cluster.below,
                        mean_gap=cluster.mean_gap,
                        cited_at=at,
                        cited_by_id=lead.id,
                    )
                )
        db.session.flush()

    def actor(self, cur: Curriculum, side: str, spec: dict) -> User:
        if side == UNIVERSITY:
            return self.people[spec["authors"][0][0]]
        agency_authors = [self.people[e] for e, s, _lead in spec["authors"] if s == "agency"]
        if side == AGENCY and agency_authors:
            return agency_authors[0]
        # The partner OPD's admin if the demo has one, else the city-wide admin (BKPSDM).
        return self.admins.get(cur.agency_id) or self.admins[None]

    def history(
        self, cur: Curriculum, spec: dict, lead: User, start: datetime, revision: list[dict]
    ) -> None:
        """Walk the proposal to its state, one allowed step at a time, freezing versions."""
        at = start
        for action in PATHS[spec["state"]]:
            at += STEP
            target, side = TRANSITIONS[(cur.state, action)]
            actor = self.actor(cur, side, spec)
            note = spec.get("history_note") if action == A.REQUEST_CHANGES else NOTES.get(action)
            if action == A.RESUBMIT:
                for module in revision:
                    self.module(cur, spec["key"], module, lead, at - timedelta(days=2))
            if action in (A.SUBMIT, A.RESUBMIT):
                cur.version_count += 1
                db.session.add(
                    CurriculumVersion(
                        curriculum_id=cur.id,
                        number=cur.version_count,
                        snapshot=versions.snapshot(cur),
                        frozen_at=at,
                        frozen_by_id=actor.id,
                    )
                )
            db.session.add(
                CurriculumEvent(
                    curriculum_id=cur.id,
                    action=action.value,
                    from_state=cur.state,
                    to_state=target,
                    actor_id=actor.id,
                    at=at,
                    note=note,
                )
            )
            if action == A.START_REVIEW:
                self.comments(cur, spec, at)
            if action == A.PUBLISH:
                cur.published_at = at
            cur.state = target
            if (key := WORKFLOW_NOTICES.get(action)) and spec["state"] != S.ARCHIVED:
                params = {"title": cur.title}
                if action == A.REQUEST_CHANGES:
                    params["note"] = note
                self.notify(
                    lead,
                    key,
                    links.path("curricula.proposal", curriculum_id=cur.id),
                    at,
                    read=action != PATHS[spec["state"]][-1],
                    **params,
                )
        cur.updated_at = at
        db.session.flush()

    def comments(self, cur: Curriculum, spec: dict, at: datetime) -> None:
        if cur.id in self._commented:
            return  # a second review round keeps the first round's threads
        self._commented.add(cur.id)
        for offset, (email, position, body, replies, resolved) in enumerate(spec["comments"]):
            when = at + timedelta(days=1, hours=offset)
            module = cur.modules[position - 1] if position else None
            root = ReviewComment(
                curriculum_id=cur.id,
                module_id=module.id if module else None,
                author_id=self.people[email].id,
                body=body,
                created_at=when,
            )
            db.session.add(root)
            db.session.flush()
            for n, (reply_email, reply) in enumerate(replies, start=1):
                db.session.add(
                    ReviewComment(
                        curriculum_id=cur.id,
                        module_id=root.module_id,
                        parent_id=root.id,
                        author_id=self.people[reply_email].id,
                        body=reply,
                        created_at=when + timedelta(hours=3 * n),
                    )
                )
            if resolved:
                root.is_resolved = True
                root.resolved_by_id = self.people[spec["authors"][0][0]].id
                root.resolved_at = when + timedelta(days=2)
        db.session.flush()

    @property
    def people_by_id(self) -> dict[int, User]:
        return {u.id: u for u in self.people.values()}


def seed(demo: Demo) -> dict[str, int]:
    """Add the curricula demo (after the competency demo, whose board it cites); returns counts.

    Learners also include the first generated demo ASN (``asn:<n>`` in the content).
    """
    rng = random.Random(4_2026)  # noqa: S311  (deterministic demo data, not security)
    generated = db.session.scalars(
        sa.select(User)
        .where(User.email.like("asn%@demo.sinergi.example"))
        .order_by(User.id)
        .limit(12)
    ).all()
    people = {**demo.people, **{f"asn:{n}": u for n, u in enumerate(generated, start=1)}}
    now = utcnow()
    builder = _Builder(demo.universities, demo.agencies, people, now)
    for index, spec in enumerate(CURRICULA):
        builder.curriculum(spec, now - timedelta(days=150 - 10 * index))
    flags = builder.flags(rng)
    ratings = builder.ratings(rng)
    materials = len(builder.materials)
    # Every review notice, workflow or flag, is already in the session with its dates.
    return {
        "curricula": len(builder.curricula),
        "course materials": materials,
        "material ratings": ratings,
        "material flags": flags,
        "curricula notifications": builder.counts["notifications"],
    }
