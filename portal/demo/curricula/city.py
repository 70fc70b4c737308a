"""Co-designed curricula of the city-scale data: each by a university's staff (lead) with an ASN
of the partner OPD, walked through ``workflow.TRANSITIONS`` to its state (the steps of the small
demo's ``PATHS``, a frozen version at every submission), with modules and materials (links and
texts, one or two versions). About two thirds are published; only the current versions of
published materials are rated, by generated ASN and students who are not authors, once each."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.competency.models import Competency, CompetencyType, CompetencyVersion
from portal.curricula.feedback.models import MaterialRating
from portal.curricula.models import (
    MODULE_METHODS,
    Audience,
    AuthorSide,
    Curriculum,
    CurriculumAuthor,
    CurriculumState,
    CurriculumTarget,
    DeliveryMode,
    Material,
    MaterialKind,
    MaterialVersion,
    Module,
)
from portal.curricula.proposals.models import CurriculumEvent, CurriculumVersion
from portal.curricula.proposals.versions import SNAPSHOT_FORMAT
from portal.curricula.proposals.workflow import AGENCY, TRANSITIONS, UNIVERSITY
from portal.db import db
from portal.demo.city import City, shares, stamp
from portal.demo.curricula.builder import NOTES, PATHS, STEP

S = CurriculumState
#: State of each curriculum, in turn (two thirds published).
STATES = [S.PUBLISHED] * 12 + [
    S.DRAFT,
    S.SUBMITTED,
    S.IN_REVIEW,
    S.CHANGES_REQUESTED,
    S.AGENCY_APPROVED,
    S.ARCHIVED,
]
SUBJECTS = [
    "Analisis Data",
    "Pelayanan Publik Prima",
    "Manajemen Arsip Digital",
    "Keamanan Informasi",
    "Penyusunan Anggaran Berbasis Kinerja",
    "Kepemimpinan Pengawas",
    "Komunikasi Publik",
    "Perencanaan Pembangunan Partisipatif",
    "Pengadaan Barang dan Jasa",
    "Integritas dan Antikorupsi",
]
#: The SIASN training type of a subject (training_types.py); the others are Pelatihan Teknis.
SUBJECT_TYPES = {
    "Manajemen Arsip Digital": "pelatihan_fungsional",  # arsiparis: a jabatan fungsional
    "Kepemimpinan Pengawas": "pelatihan_manajerial",
    "Komunikasi Publik": "kursus",
    "Pengadaan Barang dan Jasa": "bimtek",
    "Integritas dan Antikorupsi": "pelatihan_sosial_kultural",
}
MODULES_PER_CURRICULUM = 3


def generate(city: City) -> None:
    rng = city.rng
    competencies = db.session.execute(
        sa.select(Competency.id, CompetencyVersion.name)
        .join(CompetencyVersion, CompetencyVersion.id == Competency.current_version_id)
        .where(Competency.type != CompetencyType.TECHNICAL)
        .order_by(Competency.id)
    ).all()
    count, per = city.n("curricula"), max(1, round(city.n("materials") / city.n("curricula")))
    rows, authors, targets, modules, materials, versions, events, frozen = ([] for _ in range(8))
    published_materials = []
    agencies = [a for a in city.agencies if a.id in city.mentors]
    ids = city.ids(Curriculum.__table__, count)
    for index, cur_id in enumerate(ids):
        university = city.universities[index % len(city.universities)]
        agency = agencies[(index * 7) % len(agencies)]
        lead, partner = city.staff[university.id][0], city.mentors[agency.id][0]
        state = STATES[index % len(STATES)]
        start = city.moment(city.today - timedelta(days=rng.randint(200, 700)))
        subject = SUBJECTS[index % len(SUBJECTS)]
        title = f"{subject} untuk {agency.short_name} ({university.short_name}) #{index + 1}"
        cur = {
            "id": cur_id,
            "university_id": university.id,
            "agency_id": agency.id,
            "title": title,
            "summary": f"Pelatihan {subject.lower()} yang dirancang bersama.",
            "audience": Audience.ASN,
            "mode": rng.choice(list(DeliveryMode)),
            "training_type": SUBJECT_TYPES.get(subject, "pelatihan_teknis"),
            "learning_outcomes": "Memahami konsep dasar\nMenerapkan di unit kerja",
            "state": S.DRAFT,
            "created_by_id": lead,
            "version_count": 0,
            "published_at": None,
            **stamp(start),
        }
        authors += [
            {
                "curriculum_id": cur_id,
                "user_id": lead,
                "side": AuthorSide.UNIVERSITY,
                "is_lead": True,
                "added_by_id": lead,
                "added_at": start,
            },
            {
                "curriculum_id": cur_id,
                "user_id": partner,
                "side": AuthorSide.AGENCY,
                "is_lead": False,
                "added_by_id": lead,
                "added_at": start,
            },
        ]
        chosen = rng.sample(competencies, min(2, len(competencies)))
        targets += [
            {"curriculum_id": cur_id, "competency_id": cid, "target_level": 3}
            for cid, _name in chosen
        ]
        shape = []
        module_ids = city.ids(Module.__table__, MODULES_PER_CURRICULUM)
        material_ids = city.ids(Material.__table__, per)
        for m, module_id in enumerate(module_ids, start=1):
            jp = rng.choice((4, 6, 8, 10))
            modules.append(
                {
                    "id": module_id,
                    "curriculum_id": cur_id,
                    "position": m,
                    "title": f"Modul {m}: {subject}",
                    "objectives": "Peserta mampu menjelaskan dan menerapkan materi.",
                    "jp": jp,
                    "method": rng.choice(list(MODULE_METHODS)),
                }
            )
            shape.append(
                {
                    "id": module_id,
                    "position": m,
                    "title": f"Modul {m}: {subject}",
                    "objectives": "",
                    "jp": jp,
                    "method": modules[-1]["method"],
                    "materials": [],
                }
            )
        for k, material_id in enumerate(material_ids):
            module = shape[k % len(shape)]
            kind = MaterialKind.LINK if k % 2 else MaterialKind.TEXT
            number = 2 if rng.random() < 0.2 else 1
            materials.append(
                {
                    "id": material_id,
                    "module_id": module["id"],
                    "position": len(module["materials"]) + 1,
                    "title": f"Materi {k + 1} {subject}",
                    "kind": kind,
                    "version_count": number,
                    **stamp(start),
                }
            )
            module["materials"].append(
                {
                    "id": material_id,
                    "title": materials[-1]["title"],
                    "kind": str(kind),
                    "version": number,
                }
            )
            for v, version_id in enumerate(city.ids(MaterialVersion.__table__, number), start=1):
                versions.append(
                    {
                        "id": version_id,
                        "material_id": material_id,
                        "number": v,
                        "file_id": None,
                        "url": f"https://elearning.example/materi/{material_id}/{v}"
                        if kind == MaterialKind.LINK
                        else None,
                        "body": None
                        if kind == MaterialKind.LINK
                        else "Ringkasan materi dan latihan.",
                        "change_note": None if v == 1 else "Contoh kasus diperbarui.",
                        "created_by_id": lead,
                        "created_at": start + timedelta(days=v - 1),
                    }
                )
            if state == S.PUBLISHED:
                published_materials.append((material_id, versions[-1]["id"], {lead, partner}))
        snapshot = {
            "format": SNAPSHOT_FORMAT,
            "title": title,
            "summary": cur["summary"],
            "audience": str(cur["audience"]),
            "mode": str(cur["mode"]),
            "learning_outcomes": cur["learning_outcomes"].splitlines(),
            "agency": agency.name,
            "modules": shape,
            "targets": [
                {"competency_id": cid, "competency": name, "level": 3} for cid, name in chosen
            ],
            "total_jp": sum(m["jp"] for m in shape),
        }
        cur["total_jp"] = snapshot["total_jp"]
        walk(city, cur, state, snapshot=snapshot, people=(lead, partner), out=(events, frozen))
        rows.append(cur)
    city.insert(Curriculum, [{k: v for k, v in r.items() if k != "total_jp"} for r in rows])
    for model, batch in (
        (CurriculumAuthor, authors),
        (CurriculumTarget, targets),
        (Module, modules),
        (Material, materials),
        (MaterialVersion, versions),
        (CurriculumVersion, frozen),
        (CurriculumEvent, events),
    ):
        city.insert(model, batch)
    ratings(city, published_materials)


def walk(city: City, cur: dict, state, *, snapshot, people, out) -> None:
    """The allowed steps to ``state``, each by its side, freezing a version on submission."""
    (lead, partner), (events, frozen) = people, out
    at = cur["created_at"]
    admin = city.opd_admin.get(cur["agency_id"], city.city_admin_id)
    for action in PATHS[state]:
        at += STEP
        target, side = TRANSITIONS[(cur["state"], action)]
        actor = lead if side == UNIVERSITY else partner if side == AGENCY else admin
        if action.value in ("submit", "resubmit"):
            cur["version_count"] += 1
            frozen.append(
                {
                    "curriculum_id": cur["id"],
                    "number": cur["version_count"],
                    "snapshot": snapshot,
                    "frozen_at": at,
                    "frozen_by_id": actor,
                }
            )
        events.append(
            {
                "curriculum_id": cur["id"],
                "action": action.value,
                "from_state": cur["state"],
                "to_state": target,
                "actor_id": actor,
                "at": at,
                "note": NOTES.get(action),
            }
        )
        if action.value == "publish":
            cur["published_at"] = at
        cur["state"] = target
    cur["updated_at"] = at
    if state == S.PUBLISHED:
        city.curricula_published.append(cur)


def ratings(city: City, published: list) -> None:
    """Share the ratings over the published materials; each learner rates a version once."""
    rng = city.rng
    learners = [p["user_id"] for p in city.asn] + [s["user_id"] for s in city.students]
    total, rows = city.n("ratings"), []
    for (material_id, version_id, authors), wanted in zip(
        published, shares(total, len(published)), strict=True
    ):
        raters = [
            u for u in rng.sample(learners, min(len(learners), wanted + 2)) if u not in authors
        ][:wanted]
        for user_id in raters:
            overall = rng.choice((3, 4, 4, 4, 5, 5))
            when = city.moment(city.today - timedelta(days=rng.randint(1, 120)), rng.uniform(0, 12))
            rows.append(
                {
                    "version_id": version_id,
                    "material_id": material_id,
                    "user_id": user_id,
                    "overall": overall,
                    "relevance": max(1, min(5, overall + rng.choice((-1, 0, 1)))),
                    "clarity": max(1, min(5, overall + rng.choice((-1, 0, 1)))),
                    "difficulty": rng.randint(2, 4),
                    "comment": None,
                    "show_name": False,
                    **stamp(when),
                }
            )
    city.insert(MaterialRating, rows)
