"""Throughput of the key pages against the B0/B1 baselines (issue 8; QUALITY.md §(d) P1–P3, P6).

Starts gunicorn (2 sync workers, 127.0.0.1, a free port) on the benchmark database, signs in
once per role through the real login form, then loads every page with wrk (``-t1 -c8``, the Lua
report in ``bench_report.lua``) in interleaved repetitions and takes the median. Prints each
page's requests per second, p95 latency, ratio to B1 and target.

    .venv/bin/python scripts/bench.py [--database sqlite|postgresql] [--quick]

The database is created when missing (``flask db upgrade`` + ``flask demo-data --scale city``),
built under a temporary name and renamed when complete. ``--scale small`` uses the ordinary
demo data instead. On PostgreSQL the script runs ANALYZE before measuring.

Exit status: 0 when every page holds 0.15 × B1 and answered without errors (with ``--strict``:
every page meets its target); 1 otherwise; 2 when the set-up failed.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_data import (  # the sibling module (scripts/ is no package)
    ACCOUNTS,
    SetupError,
    forget_bench_views,
    inspect,
    postgresql_database,
    sqlite_database,
)

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "bench_report.lua"
DEMO_PASSWORD = "Sinergi-Medan-2026"  # noqa: S105  (the documented one, portal.demo)
USER_AGENT = "sinergi-bench/1"  # sign-in and load alike (session protection "basic")
ALARM = 0.15  # P3: any page below this share of B1 fails
WRK = shutil.which("wrk") or "wrk"
TARGETS = {"list": 0.30, "dashboard": 0.30, "detail": 0.50}  # P1, P2

# (label, kind, account or None for anonymous, path; "{placement:<account>}" is filled in)
PAGES = [
    ("B0 base layout, anonymous", "baseline", None, "/_baseline/anonymous"),
    ("B1 base layout, signed in", "baseline", "student", "/_baseline/signed-in"),
    ("dashboard: admin city", "dashboard", "admin city", "/dashboard"),
    ("dashboard: admin OPD", "dashboard", "admin OPD", "/dashboard"),
    ("dashboard: university", "dashboard", "university", "/dashboard"),
    ("dashboard: mentor", "dashboard", "mentor", "/dashboard"),
    ("dashboard: student", "dashboard", "student", "/dashboard"),
    ("dashboard: ASN", "dashboard", "ASN", "/dashboard"),
    ("demand board (admin city)", "list", "admin city", "/competency/board"),
    ("curriculum catalogue (public)", "list", None, "/curricula/"),
    ("internship positions (public)", "list", None, "/internships/positions"),
    ("applications: university queue", "list", "university", "/internships/university/applications"),
    ("applications: OPD queue", "list", "admin OPD", "/internships/opd/applications"),
    ("JP compliance report", "list", "admin city", "/trainings/ledger/compliance"),
    ("placement (student, own)", "detail", "student", "/internships/placements/{placement:student}"),
    ("placement (mentor, logs view)", "detail", "mentor", "/internships/placements/{placement:mentor}"),
]  # fmt: skip


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    p.add_argument(
        "--scale",
        choices=("city", "small"),
        default="city",
        help="data set to create when the database is missing (default: city)",
    )
    p.add_argument("--sqlite-path", help="default: instance/bench-<scale>.sqlite3")
    p.add_argument(
        "--pg-url",
        help="default: postgresql+psycopg://postgres@127.0.0.1:5432/"
        "portal_bench_<scale> (env PORTAL_BENCH_PG_URL)",
    )
    p.add_argument("--duration", type=float, default=6.0, help="seconds per wrk run (default 6)")
    p.add_argument("--repetitions", type=int, default=3, help="interleaved rounds (default 3)")
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--quick", action="store_true", help="development: 2 s runs, 1 round")
    p.add_argument("--only", help="measure only pages whose label contains this text (+ B0, B1)")
    p.add_argument("--strict", action="store_true", help="also fail when a page misses its target")
    p.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    p.add_argument("--json", help="write the results to this file")
    args = p.parse_args(argv)  # fmt: skip
    if args.quick:
        args.duration, args.repetitions = min(args.duration, 2.0), 1
    return args


# --- the server and the sessions ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(uri: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ, PORTAL_SQLALCHEMY_DATABASE_URI=uri)
    cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "sync",
           "-b", f"127.0.0.1:{port}", "--error-logfile", str(log), "wsgi:app"]  # fmt: skip
    return subprocess.Popen(  # noqa: S603  (our own command line)
        cmd, cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, cookie: str | None = None) -> tuple[int, str]:
    """GET without following redirects: a 302 to the sign-in page must not pass as a page."""
    headers = {"User-Agent": USER_AGENT, "Cookie": cookie or ""}
    req = urllib.request.Request(url, headers=headers)  # noqa: S310  (http://127.0.0.1 only)
    try:
        with urllib.request.build_opener(_NoRedirect).open(req, timeout=60) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:  # refused (not started yet) or no answer within 60 s
        return 0, ""


def wait_ready(base: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SetupError("gunicorn stopped:\n" + log.read_text()[-2000:])
        if fetch(base + "/_baseline/anonymous")[0] == 200:
            return
        time.sleep(0.3)
    raise SetupError("gunicorn did not answer within 60 s")


def sign_in(base: str, email: str) -> str:
    """The real login form: GET for the CSRF token, POST, then one page so the flash is gone."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base + "/login", timeout=60).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if token is None:
        raise SetupError("no CSRF token on /login")
    form = {"csrf_token": token.group(1), "email": email, "password": DEMO_PASSWORD}
    with opener.open(base + "/login", urllib.parse.urlencode(form).encode(), timeout=60) as r:
        if not r.url.rstrip("/").endswith(("/dashboard", base.rstrip("/"))):
            raise SetupError(f"sign-in as {email} failed (ended on {r.url})")
    opener.open(base + "/_baseline/signed-in", timeout=60).read()  # the session settles
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if fetch(base + "/_baseline/signed-in", cookie)[0] != 200:
        raise SetupError(f"the session of {email} does not work with a plain cookie")
    return cookie


# --- measuring ------------------------------------------------------------------------------------


def wrk(url: str, cookie: str | None, seconds: float, connections: int) -> dict:
    cmd = [WRK, "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
           "-s", str(LUA), "-H", f"User-Agent: {USER_AGENT}"]  # fmt: skip
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*cmd, url], check=False, capture_output=True, text=True).stdout  # noqa: S603
    line = next((x for x in out.splitlines() if x.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise SetupError(f"wrk gave no result for {url}:\n{out[-1000:]}")
    return json.loads(line.removeprefix("BENCH_RESULT "))


def drain(base: str, workers: int) -> None:
    """Wait until the workers have finished the requests a slow page left queued when wrk stopped
    (sync workers still serve them), so they do not slow the next page's measurement."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.monotonic()
        with ThreadPoolExecutor(2 * workers) as pool:
            list(pool.map(lambda _: fetch(base + "/_baseline/anonymous"), range(2 * workers)))
        if time.monotonic() - started < 0.25:
            return


def summarise(runs: list[dict]) -> dict:
    errors = sum(r[k] for r in runs for k in r if k.startswith("err_"))
    return {"rps": statistics.median(r["rps"] for r in runs),
            "p95_ms": statistics.median(r["p95_us"] for r in runs) / 1000,
            "p99_ms": statistics.median(r["p99_us"] for r in runs) / 1000,
            "requests": sum(r["requests"] for r in runs), "errors": errors,
            "runs": [round(r["rps"], 1) for r in runs]}  # fmt: skip


def judge(results: dict, pages) -> list[dict]:
    b1 = results[pages[1][0]]
    rows = []
    for label, kind, _account, _path in pages:
        r = results[label]
        ratio = r["rps"] / b1["rps"] if b1["rps"] else 0.0
        target = TARGETS.get(kind)
        if r["errors"] or (kind != "baseline" and ratio < ALARM):
            status = "FAIL"
        elif target is None or ratio >= target:
            status = "ok"
        else:
            status = "miss"
        rows.append({"page": label, "kind": kind, **r, "ratio": ratio, "target": target,
                     "p95_x_b1": r["p95_ms"] / b1["p95_ms"] if b1["p95_ms"] else 0.0,
                     "status": status})  # fmt: skip
    return rows


def print_table(rows: list[dict], markdown: bool) -> None:
    head = ("page", "rps", "p95 ms", "ratio B1", "target", "p95/B1", "status")
    cells = [(r["page"], f"{r['rps']:.0f}", f"{r['p95_ms']:.1f}", f"{r['ratio']:.2f}",
              f"≥ {r['target']:.2f}" if r["target"] else "–", f"{r['p95_x_b1']:.1f}×",
              r["status"] + (f" ({r['errors']} errors)" if r["errors"] else ""))
             for r in rows]  # fmt: skip
    widths = [max(len(str(c[i])) for c in [head, *cells]) for i in range(len(head))]
    for line in [head, tuple("-" * w for w in widths), *cells]:
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(line, widths, strict=True))))  # fmt: skip
    if markdown:
        print("\n| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        for c in cells:
            print("| " + " | ".join(c) + " |")


def environment(version: str) -> str:
    import gunicorn

    cmd = [WRK, "--version"]
    wrk_version = subprocess.run(cmd, check=False, capture_output=True, text=True).stdout  # noqa: S603
    return (f"Python {platform.python_version()}, gunicorn {gunicorn.__version__}, {version}, "
            f"{wrk_version.split(' [')[0].strip()}, {os.cpu_count()} CPUs")  # fmt: skip


def measure(args, base: str, cookies: dict, pages) -> dict:
    runs: dict[str, list[dict]] = {label: [] for label, *_ in pages}
    for rnd in range(1, args.repetitions + 1):
        print(f"Round {rnd}/{args.repetitions} ({args.duration:g} s per page)", flush=True)
        for label, _kind, account, path in pages:  # interleaved: every page once per round
            r = wrk(base + path, cookies.get(account), args.duration, args.connections)
            runs[label].append(r)
            drain(base, args.workers)
            print(f"  {label:34} {r['rps']:8.1f} rps  p95 {r['p95_us'] / 1000:7.1f} ms", flush=True)
    return {label: summarise(rs) for label, rs in runs.items()}


def check_pages(args, base: str, cookies: dict, pages) -> dict:
    """Every page answers 200 (a redirect would be measured as a fast page), then warms up.
    A page without an answer in 60 s fails unmeasured (its result is returned)."""
    too_slow = {}
    for label, _kind, account, path in pages:  # every page answers 200, then warm-up
        status = fetch(base + path, cookies.get(account))[0]
        if status == 0:
            print(f"  {label}: no answer within 60 s, not measured", flush=True)
            too_slow[label] = {"rps": 0.0, "p95_ms": 60000.0, "p99_ms": 60000.0,
                               "requests": 0, "errors": 1, "runs": []}  # fmt: skip
            drain(base, args.workers)
        elif status != 200:
            raise SetupError(f"{label}: {path} answered {status}, not 200")
        elif not args.quick:
            wrk(base + path, cookies.get(account), 1, args.connections)
            drain(base, args.workers)
    return too_slow


def fill(path: str, placements: dict) -> str:
    for account, placement_id in placements.items():
        path = path.replace(f"{{placement:{account}}}", str(placement_id))
    return path


def main(argv=None) -> int:
    args = parse_args(argv)
    if not Path(WRK).is_absolute():
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still stop gunicorn, clean up
    tmp = Path(tempfile.mkdtemp(prefix="sinergi-bench-"))
    proc = None
    try:
        uri = sqlite_database(args) if args.database == "sqlite" else postgresql_database(args)
        facts = inspect(uri)
        pages = [p for p in PAGES if not args.only or p[1] == "baseline" or args.only in p[0]]
        for account, pid in facts["placements"].items():
            if pid is None:
                raise SetupError(f"the {account} account ({ACCOUNTS[account]}) has no placement")
        pages = [
            (lab, kind, acc, fill(path, facts["placements"])) for lab, kind, acc, path in pages
        ]
        print("Data: " + ", ".join(f"{n:,} {label}" for label, n in facts["sizes"].items()))
        print("Environment: " + environment(facts["version"]))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = tmp / "gunicorn.log"
        proc = start_server(uri, port, args.workers, log)
        wait_ready(base, proc, log)
        needed = {acc for _l, _k, acc, _p in pages if acc}
        cookies = {acc: sign_in(base, ACCOUNTS[acc]) for acc in ACCOUNTS if acc in needed}
        too_slow = check_pages(args, base, cookies, pages)
        measured = [page for page in pages if page[0] not in too_slow]
        results = measure(args, base, cookies, measured) | too_slow
        for label, _kind, account, path in measured:  # the sessions held to the end
            if fetch(base + path, cookies.get(account))[0] != 200:
                results[label]["errors"] += 1
    except SetupError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    finally:
        if proc is not None:
            stop_server(proc)
            print(f"(removed {forget_bench_views(uri, facts['last_view'])} view-log rows "
                  "written by the load)")  # fmt: skip
        shutil.rmtree(tmp, ignore_errors=True)
    rows = judge(results, pages)
    print(
        f"\n{args.database}, {args.workers} sync workers, wrk -t1 -c{args.connections} "
        f"-d{args.duration:g}s, median of {args.repetitions}; B0 = {rows[0]['ratio']:.2f} × B1"
    )
    print_table(rows, args.markdown)
    if args.json:
        Path(args.json).write_text(json.dumps({"database": args.database, "sizes": facts["sizes"],
            "environment": environment(facts["version"]), "rows": rows}, indent=2))  # fmt: skip
    failed = [r["page"] for r in rows if r["status"] == "FAIL"]
    missed = [r["page"] for r in rows if r["status"] == "miss"]
    if failed:
        print(f"\nFAIL (below {ALARM} × B1 or errors): " + ", ".join(failed))
    if missed:
        print("Below target: " + ", ".join(missed))
    return 1 if failed or (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
