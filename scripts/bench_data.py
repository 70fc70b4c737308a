"""The benchmark's database: created when missing, analysed, sized (``scripts/bench.py``).

A database is built under a temporary name (``…part``) and renamed once complete, so an
interrupted generation is never measured. The data set is ``flask demo-data --scale city``, or the
ordinary demo data with ``--scale small``.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent

ACCOUNTS = {
    "admin city": "admin@sinergi.example",
    "admin OPD": "admin.diskominfo@sinergi.example",
    "university": "dosen.usu@sinergi.example",
    "mentor": "mentor.diskominfo@sinergi.example",
    "student": "mahasiswa.usu@sinergi.example",
    "ASN": "asn.dinkes@sinergi.example",
}

SIZE_TABLES = [
    ("users", "users"), ("ASN profiles", "asn_profiles"), ("applications", "internship_applications"),
    ("placements", "internship_placements"), ("logbook entries", "internship_logbook_entries"),
    ("guidance sessions", "guidance_sessions"), ("curricula", "curricula"),
    ("material ratings", "material_ratings"), ("training batches", "training_batches"),
    ("JP ledger entries", "ledger_entries"),
]  # fmt: skip


class SetupError(RuntimeError):
    """The benchmark could not be set up (database, server or sign-in): exit status 2."""


# --- creating it -------------------------------------------------------------------------------


def flask_cli(uri: str, *cli_args: str) -> None:
    env = dict(os.environ, PORTAL_SQLALCHEMY_DATABASE_URI=uri)
    cmd = [sys.executable, "-m", "flask", "--app", "portal", *cli_args]
    print("  $ flask --app portal " + " ".join(cli_args), flush=True)
    if subprocess.run(cmd, check=False, cwd=ROOT, env=env).returncode != 0:  # noqa: S603
        raise SetupError(f"`flask {' '.join(cli_args)}` failed")


def load_data(uri: str, scale: str) -> None:
    flask_cli(uri, "db", "upgrade")
    flask_cli(uri, "demo-data", "--scale", scale)


def check_scale_option(scale: str) -> None:
    cmd = [sys.executable, "-m", "flask", "--app", "portal", "demo-data", "--help"]
    out = subprocess.run(cmd, check=False, cwd=ROOT, capture_output=True, text=True).stdout  # noqa: S603
    if "--scale" not in out:
        raise SetupError("`flask demo-data` has no --scale option (issue 8)")


def sqlite_database(args) -> str:
    path = Path(args.sqlite_path or ROOT / "instance" / f"bench-{args.scale}.sqlite3").resolve()
    if not path.exists():
        check_scale_option(args.scale)
        print(f"Creating the {args.scale}-scale database {path} …", flush=True)
        part = path.with_name(path.name + ".part")
        for leftover in (part, Path(f"{part}-wal"), Path(f"{part}-shm")):
            leftover.unlink(missing_ok=True)
        load_data(f"sqlite:///{part}", args.scale)
        with sqlite3.connect(part) as conn:  # fold the WAL in before the rename
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        part.rename(path)
    return f"sqlite:///{path}"


def postgresql_database(args) -> str:
    import psycopg

    url = args.pg_url or os.environ.get("PORTAL_BENCH_PG_URL") or (
        f"postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench_{args.scale}")  # fmt: skip
    parsed = sa.make_url(url)
    name = parsed.database
    admin_dsn = parsed.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            check_scale_option(args.scale)
            print(f"Creating the {args.scale}-scale database {name} …", flush=True)
            conn.execute(f'DROP DATABASE IF EXISTS "{name}_part"')
            conn.execute(f'CREATE DATABASE "{name}_part"')
            load_data(parsed.set(database=f"{name}_part").render_as_string(False), args.scale)
            conn.execute(f'ALTER DATABASE "{name}_part" RENAME TO "{name}"')
    print("  ANALYZE …", flush=True)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.exec_driver_sql("ANALYZE")
    engine.dispose()
    return url


def inspect(uri: str) -> dict:
    """Row counts (the honest size label), the placements to open, server version, view-log id."""
    engine = sa.create_engine(uri)
    with engine.connect() as c:
        sizes = {  # table names from SIZE_TABLES above, never from input
            label: c.scalar(sa.text(f"SELECT count(*) FROM {t}"))  # noqa: S608
            for label, t in SIZE_TABLES
        }
        ids = {}
        for account, column in (("student", "student_id"), ("mentor", "mentor_id")):
            ids[account] = c.scalar(sa.text(
                "SELECT p.id FROM internship_placements p JOIN users u ON u.id = p." + column +  # noqa: S608
                " LEFT JOIN internship_logbook_entries e ON e.placement_id = p.id"
                " WHERE u.email = :email GROUP BY p.id ORDER BY count(e.id) DESC, p.id LIMIT 1"
            ), {"email": ACCOUNTS[account]})  # fmt: skip
        last_view = c.scalar(sa.text("SELECT max(id) FROM personal_data_views")) or 0
        if uri.startswith("sqlite"):
            version = "SQLite " + c.exec_driver_sql("SELECT sqlite_version()").scalar()
        else:
            version = c.exec_driver_sql("SHOW server_version").scalar()
            version = "PostgreSQL " + version.split()[0]
    engine.dispose()
    return {"sizes": sizes, "placements": ids, "last_view": last_view, "version": version}


def forget_bench_views(uri: str, last_view: int) -> int:
    """Remove the view-log rows the load wrote, so every run starts from the same data."""
    engine = sa.create_engine(uri)
    with engine.begin() as c:
        n = c.execute(sa.text("DELETE FROM personal_data_views WHERE id > :n"), {"n": last_view})
    engine.dispose()
    return n.rowcount
