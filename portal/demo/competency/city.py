"""Competency records of the city-scale ASN: the demo's positions for the kind of OPD (with their
suggested standards: technical competencies by jabatan, JF levels by jenjang) in every OPD that
lacks them, an ASN record per generated account with a valid NIP (DOMAIN.md §4.1; serials
901–999 as §10 asks of fictional NIPs; the gender digit matching the name), a golongan fitting
the position and scheme, Medan's mix of PNS, PPPK and part-time PPPK, a supervisor in the
person's own unit (``jabatan.supervisors_by_unit``) and
assessments: an official one for most, a self-assessment for about half, each with a level for
every competency of the position's standard."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa

from portal.auth.models import User
from portal.competency import standards
from portal.competency.models import (
    OFFICIAL_METHODS,
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
from portal.demo.competency import jabatan
from portal.demo.competency.workforce import add_position, assessed_level

OFFICIAL = sorted(OFFICIAL_METHODS)
ASSESSORS = ["UPT Penilaian Kompetensi BKPSDM", "Assessment Center BKN Kanreg VI Medan"]


def positions(city: City) -> dict[int, dict[str, int]]:
    """The positions of every OPD (created where missing); agency id → name → id."""
    competencies = list(db.session.scalars(sa.select(Competency).order_by(Competency.id)))
    levels = standards.jenjang_levels()
    rows = db.session.execute(sa.select(Position.agency_id, Position.name, Position.id)).all()
    by_agency: dict[int, dict[str, int]] = defaultdict(dict)
    for agency_id, name, position_id in rows:
        by_agency[agency_id][name] = position_id
    made = 0
    for agency in city.agencies:
        for spec in jabatan.positions_for(agency):
            name = spec[0]
            if name not in by_agency[agency.id]:
                position = add_position(agency, spec, competencies, levels)
                db.session.flush()
                by_agency[agency.id][name] = position.id
                made += 1
    db.session.flush()
    city.counts["positions"] = made
    return by_agency


def nip(city: City, used: set[str], pppk: bool, gender: str) -> str:
    rng = city.rng
    while True:
        birth = date(1967, 1, 1) + timedelta(days=rng.randrange(365 * 34))
        year = min(birth.year + rng.randint(22, 32), 2024)
        serial = f"{gender}{rng.randint(901, 999):03d}"
        if pppk:
            value = f"{birth:%Y%m%d}{max(year, 2019):04d}2{rng.randint(1, 3)}{serial}"
        else:
            value = f"{birth:%Y%m%d}{year:04d}{rng.randint(1, 12):02d}{serial}"
        if value not in used:
            used.add(value)
            return value


#: Medan's workforce (BKPSDM, 25 Sep 2025; DOMAIN.md §7): 9,726 PNS, 4,625 PPPK and 8,614
#: part-time PPPK (PPPK paruh waktu, KepmenPANRB 16/2025), as shares of the generated ASN.
WORKFORCE_MIX = {
    AsnStatus.PNS: 9_726,
    AsnStatus.PPPK: 4_625,
    AsnStatus.PPPK_PARUH_WAKTU: 8_614,
}


def _mix_besides_heads(people: int, agencies: int) -> dict[AsnStatus, float]:
    """The weights of the statuses of everyone but the OPD's second posts (PNS, structural),
    so that the whole generated workforce follows ``WORKFORCE_MIX`` at any scale."""
    total = sum(WORKFORCE_MIX.values())
    wanted = {status: people * count / total for status, count in WORKFORCE_MIX.items()}
    wanted[AsnStatus.PNS] = max(0.0, wanted[AsnStatus.PNS] - agencies)
    return wanted


def generate(city: City) -> None:
    rng = city.rng
    by_agency = positions(city)
    used = set(db.session.scalars(sa.select(AsnProfile.nip)))
    agencies = {a.id: a for a in city.agencies}
    full_names = dict(
        db.session.execute(
            sa.select(User.id, User.full_name).where(User.id.in_([p["user_id"] for p in city.asn]))
        ).all()
    )
    second: dict[int, int] = {}  # agency id -> the record of its second post (Sekretaris …)
    chosen = []  # (person, asn id, spec, status)
    mix = _mix_besides_heads(len(city.asn), len({p["agency_id"] for p in city.asn}))
    ids = city.ids(AsnProfile.__table__, len(city.asn))
    for person, asn_id in zip(city.asn, ids, strict=True):
        agency_id = person["agency_id"]
        specs = jabatan.positions_for(agencies[agency_id])
        if agency_id not in second:
            second[agency_id] = asn_id
            chosen.append((person, asn_id, specs[1], AsnStatus.PNS))
            continue
        # the scheme first, in Medan's mix, then a post that scheme may hold
        status = rng.choices(list(mix), list(mix.values()))[0]
        allowed = [s for s in specs if s[3] and jabatan.may_hold(s[1], status)]
        chosen.append((person, asn_id, rng.choices(allowed, [s[3] for s in allowed])[0], status))
    supervisors = jabatan.supervisors_by_unit(
        [(asn_id, person["agency_id"], spec[1]) for person, asn_id, spec, _s in chosen], second
    )
    profiles = []
    for person, asn_id, spec, status in chosen:
        agency_id = person["agency_id"]
        name, kind, level, _count = spec
        pppk = status.is_pppk
        person.update(
            asn_id=asn_id,
            position_id=by_agency[agency_id][name],
            position=name,
            supervisor_id=supervisors.get(asn_id),
        )
        profiles.append(
            {
                "id": asn_id,
                "user_id": person["user_id"],
                "nip": nip(city, used, pppk, jabatan.gender_digit(full_names[person["user_id"]])),
                "status": status,
                "golongan": jabatan.golongan(rng, kind, level, pppk=pppk),
                "position_id": person["position_id"],
                "agency_id": agency_id,
                "supervisor_id": person["supervisor_id"],
                **stamp(city.moment(city.today - timedelta(days=600))),
            }
        )
    if not all(check_nip(p["nip"]).ok for p in profiles[:50]):  # the format of DOMAIN.md §4.1
        raise RuntimeError("a generated NIP fails check_nip")
    # supervisors before the people they supervise (a row may only point to one written before)
    depth = {}
    for profile in profiles:
        chain, up = 0, profile["supervisor_id"]
        while up is not None:
            chain, up = chain + 1, supervisors.get(up)
        depth[profile["id"]] = chain
    city.insert(AsnProfile, sorted(profiles, key=lambda p: (depth[p["id"]], p["id"])))
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
