"""Benchmark of the bounds on reading roster spreadsheets (issue 15, point 2), before and after.

For a normal roster of 2,000 rows (the yardstick) and each file of
``tests/competency/hostile_workbooks.py`` (the hostile ones, then those that cost the most within
the limits), prints the upload's size, its size once unpacked, and the CPU seconds spent reading
(or refusing) it, in all and per MB uploaded. "Before" is the roster reader of commit
``--before`` (default f1bc8aa, the last one without the bounds), taken with ``git show`` into a
temporary module; "after" is ``portal.competency.roster.parse`` as it is in the working tree.
Each reading runs in a child process of its own, stopped after ``--timeout`` seconds, in an app
context with the default limits (5,000 rows). CPU time is the child's own, around the reading
only (building the app and the file is not counted).

    .venv/bin/python scripts/bench_spreadsheet_bounds.py [--case NAME ...] [--timeout 120]

A script, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BEFORE = "f1bc8aa"
READER = "portal/competency/roster/reading.py"
NORMAL = "normal_roster_of_2000_rows"
MB = 1024 * 1024


def _files(names: list[str], folder: Path) -> list[tuple[str, Path]]:
    from tests.competency.hostile_workbooks import HOSTILE, WITHIN_LIMITS
    from tests.competency.roster_support import person, xlsx_bytes

    built = [(NORMAL, "roster.xlsx", lambda: xlsx_bytes([person(n) for n in range(2000)]))]
    built += [
        (name, file_name, build)
        for name, (build, file_name, _said) in [*HOSTILE.items(), *WITHIN_LIMITS.items()]
    ]
    files = []
    for name, file_name, build in built:
        if names and name not in names:
            continue
        path = folder / f"{name}.{file_name.rsplit('.', 1)[1]}"
        path.write_bytes(build())
        files.append((name, path))
    return files


def _unpacked(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(m.file_size for m in archive.infolist())
    except Exception:  # a CSV, or a zip damaged on purpose
        return path.stat().st_size


# --- the child: one reading -----------------------------------------------------------------------


def _old_parse(rev: str, folder: Path):
    git = ["git", "show", f"{rev}:{READER}"]
    source = subprocess.run(git, cwd=ROOT, check=True, capture_output=True).stdout  # noqa: S603
    path = folder / "reading_before.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("reading_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.parse, module.RosterFileError


def child(which: str, path: Path, rev: str) -> None:
    from portal import create_app
    from portal.competency import roster

    with tempfile.TemporaryDirectory(prefix="sinergi-bench-") as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench-only",
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "UPLOAD_FOLDER": tmp,
            }
        )
        with app.test_request_context(headers={"Accept-Language": "en"}):
            if which == "before":
                parse, refusal = _old_parse(rev, Path(tmp))
            else:
                parse, refusal = roster.parse, roster.RosterFileError
            data, ext = path.read_bytes(), path.suffix.lstrip(".")
            start = time.process_time()
            try:
                said = f"read {len(parse(data, ext))} rows"
            except refusal as exc:
                said = str(exc.message)
            spent = time.process_time() - start
    print(json.dumps({"cpu": spent, "said": said}))


# --- the parent: every file, before and after -----------------------------------------------------


def measure(which: str, path: Path, args) -> tuple[float | None, str]:
    command = [sys.executable, __file__, "--child", which, "--file", str(path)]
    command += ["--before", args.before]
    try:
        done = subprocess.run(  # noqa: S603  (our own command line)
            command, capture_output=True, text=True, timeout=args.timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return None, f"stopped after {args.timeout:.0f} s"
    if done.returncode != 0:
        return None, "failed: " + done.stderr.strip().splitlines()[-1]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["cpu"], result["said"]


def _cpu(seconds: float | None, said: str, size: int, timeout: float) -> str:
    if seconds is not None:
        return f"{seconds:8.3f} {seconds / (size / MB):9.3f}"
    if said.startswith("stopped"):
        return f"{'>' + format(timeout, '.0f'):>8} {'>' + format(timeout / (size / MB), '.0f'):>9}"
    return f"{'failed':>8} {'':>9}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", default=[], help="only this file (repeatable)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per reading")
    parser.add_argument("--before", default=BEFORE, help="the commit whose reader is 'before'")
    parser.add_argument("--child", choices=("before", "after"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.before)
        return 0
    with tempfile.TemporaryDirectory(prefix="sinergi-bench-") as tmp:
        files = _files(args.case, Path(tmp))
        print(f"before: {READER} at {args.before}; after: the working tree. CPU seconds.")
        print(
            f"{'file':<52} {'upload MB':>9} {'unpacked':>9}   {'before':>8} {'per MB':>9}"
            f"   {'after':>8} {'per MB':>9}   after, the reader says"
        )
        for name, path in files:
            size = path.stat().st_size
            before, said_before = measure("before", path, args)
            after, said = measure("after", path, args)
            print(
                f"{name:<52} {size / MB:9.3f} {_unpacked(path) / MB:9.1f}   "
                f"{_cpu(before, said_before, size, args.timeout)}   "
                f"{_cpu(after, said, size, args.timeout)}   {said[:90]}",
                flush=True,
            )
            if said_before.startswith("failed"):
                print(f"    before: {said_before}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
