"""Benchmark of the ASN roster import: 2,000 generated rows, as CSV and as XLSX.

Each format goes into its own fresh SQLite database (``db.create_all()``) in a temporary
directory, with the OPDs and positions the rows name. The time covers what the confirm step
does: parse + validate + apply + commit. Prints the times and their ratio to the 10 s target.

    .venv/bin/python scripts/bench_import.py [--rows 2000]

A script, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app
from portal.competency import roster
from portal.competency.models import Position, PositionKind
from portal.db import db
from portal.institutions.models import Agency, AgencyKind

TARGET_SECONDS = 10.0
HEADERS = ["nip", "nama", "email", "status", "golongan", "jabatan", "opd", "nip_atasan"]
AGENCIES = [(f"Dinas Bench {n}", f"BENCH{n}") for n in range(1, 11)]
POSITIONS = ["Kepala Bidang", "Pranata Komputer", "Analis Kebijakan", "Pengadministrasi"]


def _nip(n: int) -> str:
    birth = date(1970, 1, 1) + timedelta(days=n)
    return f"{birth:%Y%m%d}{birth.year + 25}031{1 + n % 999:03d}"


def generate(count: int) -> list[list[str]]:
    """Valid rows: every tenth person is the supervisor of the nine after them."""
    rows = []
    for n in range(count):
        short = AGENCIES[n % len(AGENCIES)][1]
        boss = "" if n % 10 == 0 else _nip(n - n % 10)
        pppk = n % 7 == 3
        rows.append([
            _nip(n), f"Pegawai Bench {n}", f"bench{n}@example.com",
            "PPPK" if pppk else "PNS", "IX" if pppk else "III/b",
            POSITIONS[n % len(POSITIONS)], short, boss,
        ])  # fmt: skip
    return rows


def write_csv(rows, path: Path) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))


def write_xlsx(rows, path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def run(path: Path, ext: str, folder: Path) -> tuple[float, dict]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-only",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / f'bench-{ext}.sqlite3'}",
            "UPLOAD_FOLDER": str(folder / "uploads"),
        }
    )
    with app.app_context():
        db.create_all()
        for name, short in AGENCIES:
            agency = Agency(name=name, short_name=short, kind=AgencyKind.DINAS)
            db.session.add(agency)
            db.session.flush()
            for position in POSITIONS:
                db.session.add(
                    Position(name=position, kind=PositionKind.PELAKSANA, agency_id=agency.id)
                )
        db.session.commit()
        start = time.perf_counter()
        rows = roster.validate(roster.parse(path.read_bytes(), ext))
        problems = [r for r in rows if not r.ok]
        if problems:
            print(f"{ext}: {len(problems)} rows with errors, e.g. row {problems[0].number}: "
                  + " ".join(str(m) for m in problems[0].errors))  # fmt: skip
            return time.perf_counter() - start, {}
        counts = roster.apply(rows)
        db.session.commit()
        elapsed = time.perf_counter() - start
        db.session.remove()
        db.engine.dispose()
    return elapsed, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sinergi-bench-") as tmp:
        folder = Path(tmp)
        rows = generate(args.rows)
        write_csv(rows, folder / "roster.csv")
        write_xlsx(rows, folder / "roster.xlsx")
        print(f"{args.rows} rows, target {TARGET_SECONDS:.0f} s per import (SQLite)")
        for ext in ("csv", "xlsx"):
            elapsed, counts = run(folder / f"roster.{ext}", ext, folder)
            print(
                f"{ext:>4}: {elapsed:6.2f} s  ({elapsed / TARGET_SECONDS:.0%} of the target)  "
                f"{counts.get('created', 0)} created, {counts.get('updated', 0)} updated"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
