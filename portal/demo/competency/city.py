"""Competency records of the city-scale ASN: the demo's seven positions (with their default
standards) in every OPD that lacks them, an ASN record per generated account with a valid NIP
(DOMAIN.md §4.1; serials 901–999 as §10 asks of fictional NIPs), a supervisor (the OPD's first
Sekretaris) and assessments: an official one for most, a self-assessment for about half, each
with a level for every competency of the position's standard."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa

from portal.competency.models import (
    OFFICIAL_METHODS,
    PNS_GOLONGAN,
    PPPK_GOLONGAN,
    AsnProfile,
    AsnStatus,
    Assessment,
    AssessmentMethod,
    AssessmentResult,
    Competency,
    Position,
    StandardItem,
)
from portal.competency.nip import check_nip
from portal.db import db
from portal.demo.city import City, stamp
from portal.demo.competency.workforce import POSITIONS, add_position, assessed_level

#: Position name → weight among the generated ASN (no generated head of an OPD).
WEIGHTS = {name: count for name, _kind, _jenjang, count in POSITIONS}
PNS_RANKS = list(PNS_GOLONGAN)[4:15]  # II/a … IV/c
OFFICIAL = sorted(OFFICIAL_METHODS)
ASSESSORS = ["UPT Penilaian Kompetensi BKPSDM", "Assessment Center BKN Kanreg VI Medan"]


def positions(city: City) -> dict[int, dict[str, int]]:
    """The seven positions of every OPD (created where missing); agency id → name → id."""
    competencies = list(db.session.scalars(sa.select(Competency).order_by(Competency.id)))
    rows = db.session.execute(sa.select(Position.agency_id, Position.name, Position.id)).all()
    by_agency: dict[int, dict[str, int]] = defaultdict(dict)
    for agency_id, name, position_id in rows:
        by_agency[agency_id][name] = position_id
    made = 0
    for agency in city.agencies:
        for spec in POSITIONS:
            name = spec[0]
            if name not in by_agency[agency.id]:
                by_agency[agency.id][name] = add_position(agency.id, spec, competencies).id
                made += 1
    db.session.flush()
    city.counts["positions"] = made
    return by_agency


def nip(city: City, used: set[str], pppk: bool) -> str:
    rng = city.rng
    while True:
        birth = date(1967, 1, 1) + timedelta(days=rng.randrange(365 * 34))
        year = min(birth.year + rng.randint(22, 32), 2024)
        serial = f"{rng.choice('12')}{rng.randint(901, 999):03d}"
        if pppk:
            value = f"{birth:%Y%m%d}{max(year, 2019):04d}2{rng.randint(1, 3)}{serial}"
        else:
            value = f"{birth:%Y%m%d}{year:04d}{rng.randint(1, 12):02d}{serial}"
        if value not in used:
            used.add(value)
            return value


def generate(city: City) -> None:
    rng = city.rng
    by_agency = positions(city)
    used = set(db.session.scalars(sa.select(AsnProfile.nip)))
    names, weights = list(WEIGHTS), list(WEIGHTS.values())
    head: dict[int, int] = {}  # agency id -> the Sekretaris' record id
    profiles = []
    ids = city.ids(AsnProfile.__table__, len(city.asn))
    for person, asn_id in zip(city.asn, ids, strict=True):
        agency_id = person["agency_id"]
        name = "Sekretaris" if agency_id not in head else rng.choices(names, weights)[0]
        if name == "Sekretaris":
            head.setdefault(agency_id, asn_id)
        pppk = name != "Sekretaris" and rng.random() < 0.2
        person.update(
            asn_id=asn_id,
            position_id=by_agency[agency_id][name],
            position=name,
            supervisor_id=None if head[agency_id] == asn_id else head[agency_id],
        )
        profiles.append(
            {
                "id": asn_id,
                "user_id": person["user_id"],
                "nip": nip(city, used, pppk),
                "status": AsnStatus.PPPK if pppk else AsnStatus.PNS,
                "golongan": rng.choice(PPPK_GOLONGAN[6:11]) if pppk else rng.choice(PNS_RANKS),
                "position_id": person["position_id"],
                "agency_id": agency_id,
                "supervisor_id": person["supervisor_id"],
                **stamp(city.moment(city.today - timedelta(days=600))),
            }
        )
    if not all(check_nip(p["nip"]).ok for p in profiles[:50]):  # the format of DOMAIN.md §4.1
        raise RuntimeError("a generated NIP fails check_nip")
    city.insert(AsnProfile, profiles)
    assessments(city)


def assessments(city: City) -> None:
    rng = city.rng
    standard: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for position_id, competency_id, level in db.session.execute(
        sa.select(
            StandardItem.position_id, StandardItem.competency_id, StandardItem.required_level
        ).order_by(StandardItem.id)
    ):
        standard[position_id].append((competency_id, level))
    current = {
        row[0]: row[1]
        for row in db.session.execute(sa.select(Competency.id, Competency.current_version_id))
    }
    plan = []
    for person in city.asn:
        if rng.random() < 0.85:
            method = rng.choice(OFFICIAL)
            on = city.today - timedelta(days=rng.randint(60, 700))
            plan.append((person, method, on, rng.choice(ASSESSORS)))
        if rng.random() < 0.5:
            on = city.today - timedelta(days=rng.randint(5, 300))
            plan.append((person, AssessmentMethod.SELF_ASSESSMENT, on, "—"))
    rows, results = [], []
    for (person, method, on, assessor), assessment_id in zip(
        plan, city.ids(Assessment.__table__, len(plan)), strict=True
    ):
        rows.append(
            {
                "id": assessment_id,
                "asn_id": person["asn_id"],
                "assessed_on": on,
                "method": method,
                "is_official": method.is_official,
                "assessor": assessor,
                "recorded_by_id": city.city_admin_id,
                "note": None,
                "report_file_id": None,
                **stamp(city.moment(on, 8)),
            }
        )
        for competency_id, required in standard[person["position_id"]]:
            results.append(
                {
                    "assessment_id": assessment_id,
                    "competency_id": competency_id,
                    "version_id": current[competency_id],
                    "level": assessed_level(rng, required),
                }
            )
    city.insert(Assessment, rows)
    city.insert(AssessmentResult, results)
