"""Two gunicorn instances of the portal on one PostgreSQL database and one Redis.

Starts instance A and instance B on two free ports of 127.0.0.1 with the same ``PORTAL_*``
settings (secret key, database, Redis rate-limit storage, shared upload folder), then checks
over HTTP that they behave as one portal:

- a session started on A is signed in on B, and signing out on B ends it on A too;
- a CSRF token from a page of A is accepted by a POST to B (and a forged one is refused);
- the sign-in rate limit counts failures on both: 10 bad passwords alternating A/B, then 429;
- a file uploaded through A lands in the shared folder and downloads through B unchanged.

Its own PostgreSQL database (created and dropped here), its own Redis key prefix (deleted at
the end), its own temporary upload folder. Prints PASS/FAIL per check; exits 1 when a check
fails, 2 when PostgreSQL or Redis is not reachable.

    .venv/bin/python scripts/two_instances.py \
        [--pg-admin postgresql://postgres@127.0.0.1:5432/postgres] \
        [--redis redis://127.0.0.1:6379/0] [--workers 2]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import secrets
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.serving import Browser, Gunicorn, flask_cli, portal_env, small_pdf

PASSWORD = "Dua-instansi-uji-2026"  # noqa: S105  (a throwaway account in a throwaway database)
ASN_EMAIL = "asn.two@instances.example"
TARGET_EMAIL = "target.two@instances.example"
LOGIN_LIMIT = 10  # Config.LOGIN_LIMIT: "10 per 15 minutes" per account and address


@dataclass
class World:
    a: str
    b: str
    uploads: Path
    redis_url: str
    prefix: str
    logs: list[Path]


# --- set-up and tear-down -----------------------------------------------------------------------


def _app_url(admin_url: str, name: str) -> str:
    url = sa.make_url(admin_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.set(database=name).render_as_string(hide_password=False)


@contextmanager
def _database(admin_url: str):
    """A fresh PostgreSQL database for this run; dropped afterwards (even after a failure)."""
    name = f"sinergi_two_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(_app_url(admin_url, sa.make_url(admin_url).database or "postgres"),
                             isolation_level="AUTOCOMMIT")  # fmt: skip
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield _app_url(admin_url, name)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def _redis_prefix(redis_url: str):
    """A key prefix of this run's own; its keys are deleted afterwards."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.ping()
    prefix = f"sinergi-two-{uuid.uuid4().hex[:8]}"
    try:
        yield prefix
    finally:
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
        client.close()


def _create_accounts(settings: dict) -> None:
    """The accounts the checks sign in with, written through the app's own models."""
    from portal import create_app
    from portal.auth import passwords
    from portal.auth.models import Role, User
    from portal.competency.models import AsnProfile, AsnStatus
    from portal.db import db
    from portal.institutions.models import Agency, AgencyKind

    app = create_app(settings)
    with app.app_context():
        agency = Agency(name="Dinas Uji Dua Instansi", short_name="DUDI", kind=AgencyKind.DINAS)
        db.session.add(agency)
        db.session.flush()
        hashed = passwords.hash_password(PASSWORD)
        for email in (ASN_EMAIL, TARGET_EMAIL):
            user = User(email=email, full_name="ASN Dua Instansi", password_hash=hashed,
                        agency_id=agency.id, locale="en")  # fmt: skip
            user.set_roles([Role.ASN])
            db.session.add(user)
            db.session.flush()
            if email == ASN_EMAIL:
                db.session.add(AsnProfile(user_id=user.id, nip="198001012005031901",
                                          status=AsnStatus.PNS, golongan="III/a",
                                          agency_id=agency.id))  # fmt: skip
        db.session.commit()
        db.engine.dispose()


@contextmanager
def two_instances(pg_admin: str, redis_url: str, *, workers: int = 2):
    """Yield a :class:`World` with A and B serving; everything is stopped and removed after."""
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sinergi-two-")))
        uri = stack.enter_context(_database(pg_admin))
        prefix = stack.enter_context(_redis_prefix(redis_url))
        uploads = tmp / "shared-uploads"
        settings = {
            "SECRET_KEY": secrets.token_urlsafe(32),  # the one secret every instance shares
            "SQLALCHEMY_DATABASE_URI": uri,
            "RATELIMIT_STORAGE_URI": redis_url,
            "RATELIMIT_KEY_PREFIX": prefix,
            "UPLOAD_FOLDER": str(uploads),
        }
        a_port, b_port = _two_ports()
        # Both instances build links on the one public address (a load balancer in production).
        env = portal_env(**settings, BASE_URL=f"http://127.0.0.1:{a_port}")
        flask_cli("db", "upgrade", env=env, log=tmp / "upgrade.log")  # once, not per instance
        _create_accounts(settings)
        logs = [tmp / "a.log", tmp / "b.log"]
        a = stack.enter_context(Gunicorn(env, workers=workers, log=logs[0], port=a_port))
        b = stack.enter_context(Gunicorn(env, workers=workers, log=logs[1], port=b_port))
        yield World(a=a.base, b=b.base, uploads=uploads, redis_url=redis_url, prefix=prefix,
                    logs=logs)  # fmt: skip


def _two_ports() -> tuple[int, int]:
    from scripts.serving import free_port

    first = free_port()
    second = free_port()
    while second == first:
        second = free_port()
    return first, second


# --- the checks -------------------------------------------------------------------------------
# Each returns a one-line detail and raises AssertionError with the reason when it fails.


def check_session(w: World) -> str:
    browser = Browser(w.a)
    signed_in = browser.sign_in(ASN_EMAIL, PASSWORD)
    assert signed_in.status == 302, f"sign-in on A gave {signed_in.status}"
    statuses = [browser.get("/dashboard", at=w.b) for _ in range(6)]
    assert all(r.status == 200 and "ASN Dua Instansi" in r.text for r in statuses), \
        f"B answered {[r.status for r in statuses]} to A's session"  # fmt: skip
    captured = browser.clone()
    out = browser.post("/logout", {"csrf_token": browser.token("/dashboard", at=w.b)}, at=w.b)
    assert out.status == 302, f"sign-out on B gave {out.status}"
    replay = captured.get("/dashboard", at=w.a)
    assert replay.status == 302 and "/login" in replay.location, \
        f"A still accepts the session signed out on B ({replay.status})"  # fmt: skip
    return "signed in on A, 6/6 pages on B signed in; signed out on B, A refuses the old cookie"


def check_csrf(w: World) -> str:
    browser = Browser(w.a)
    assert browser.sign_in(ASN_EMAIL, PASSWORD).status == 302
    token = browser.token("/dashboard")  # a page of A
    form = {"lang": "en", "next": "/dashboard", "csrf_token": token}
    accepted = [browser.post("/language", form, at=w.b).status for _ in range(4)]
    assert accepted == [302] * 4, f"B refused A's token: {accepted}"
    forged = browser.post("/language", {**form, "csrf_token": "forged"}, at=w.b).status
    assert forged == 400, f"B accepted a forged token ({forged})"
    back = browser.post("/language", {**form, "csrf_token": browser.token("/dashboard", at=w.b)})
    assert back.status == 302, f"A refused B's token ({back.status})"
    return "token from A accepted by B 4/4, B's token accepted by A, forged token 400"


def check_rate_limit(w: World) -> str:
    import redis

    browser = Browser(w.a)
    statuses = []
    for n in range(LOGIN_LIMIT + 1):
        at = w.a if n % 2 == 0 else w.b
        data = {"email": TARGET_EMAIL, "password": "salah-sandi-123",
                "csrf_token": browser.token(at=at)}  # fmt: skip
        statuses.append(browser.post("/login", data, at=at).status)
    assert statuses == [200] * LOGIN_LIMIT + [429], f"statuses A/B alternating: {statuses}"
    client = redis.Redis.from_url(w.redis_url)
    try:
        keys = list(client.scan_iter(f"*{w.prefix}*"))
    finally:
        client.close()
    assert keys, "no rate-limit counter under this run's prefix in Redis"
    return (f"{LOGIN_LIMIT} bad passwords alternating A/B → 200, the next → 429; "
            f"{len(keys)} counter key(s) in Redis")  # fmt: skip


def check_upload(w: World) -> str:
    browser = Browser(w.a)
    assert browser.sign_in(ASN_EMAIL, PASSWORD).status == 302
    pdf = small_pdf(f"Sertifikat {uuid.uuid4().hex}")
    form = {
        "form": "seminar", "scope": "national", "title": "Seminar Nasional Smart City",
        "organiser": "Kemendagri", "started_on": "2025-03-10", "ended_on": "2025-03-11",
        "quantity": "2", "certificate_number": "", "intent": "submit",
        "csrf_token": browser.token("/trainings/ledger/submit"),
    }  # fmt: skip
    sent = browser.post("/trainings/ledger/submit", form,
                        files={"evidence": ("sertifikat.pdf", pdf, "application/pdf")})  # fmt: skip
    match = re.search(r"/trainings/ledger/entries/(\d+)$", sent.location)
    assert sent.status == 302 and match, f"upload through A gave {sent.status} {sent.location}"
    digest = hashlib.sha256(pdf).hexdigest()
    on_disk = [p for p in w.uploads.rglob("*") if p.is_file()
               and hashlib.sha256(p.read_bytes()).hexdigest() == digest]  # fmt: skip
    assert len(on_disk) == 1, f"{len(on_disk)} copies of the file under the shared folder"
    got = browser.get(f"/trainings/ledger/entries/{match.group(1)}/evidence", at=w.b)
    assert got.status == 200, f"download through B gave {got.status}"
    assert got.content == pdf, "B sent other bytes than A stored"
    assert got.headers.get("Content-Disposition", "").startswith("attachment"), "not an attachment"
    stored = on_disk[0].relative_to(w.uploads)
    return f"{len(pdf)} bytes uploaded through A to <shared>/{stored}, B sent them back unchanged"


CHECKS = [
    ("a session started on A works on B; signing out on B ends it on A", check_session),
    ("CSRF tokens validate across instances", check_csrf),
    ("the sign-in rate limit counts across both instances (Redis)", check_rate_limit),
    ("an upload through A lives in the shared folder and downloads through B", check_upload),
]


def run_checks(w: World) -> list[tuple[str, bool, str]]:
    results = []
    for name, check in CHECKS:
        try:
            ok, detail = True, check(w)
        except AssertionError as exc:
            ok, detail = False, str(exc) or "assertion failed"
        except Exception as exc:  # a check that crashes is a failed check, the others still run
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        results.append((name, ok, detail))
        print(f"{'PASS' if ok else 'FAIL'}  {name}\n      {detail}", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-admin", default=os.environ.get(
        "PORTAL_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    parser.add_argument("--redis", default=os.environ.get(
        "PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        with two_instances(args.pg_admin, args.redis, workers=args.workers) as w:
            print(f"instance A: {w.a}   instance B: {w.b}   (workers each: {args.workers})")
            print(f"shared: PostgreSQL {sa.make_url(args.pg_admin).host}, Redis prefix "
                  f"{w.prefix}, uploads {w.uploads}", flush=True)  # fmt: skip
            results = run_checks(w)
            if not all(ok for _n, ok, _d in results):
                for log in w.logs:
                    print(f"--- {log.name} (last lines)")
                    print("\n".join(log.read_text(errors="replace").splitlines()[-15:]))
    except Exception as exc:  # PostgreSQL or Redis unreachable, a migration or a server failing
        print(f"FAIL  set-up: {type(exc).__name__}: {exc}")
        return 2
    failed = sum(not ok for _n, ok, _d in results)
    print(f"{len(results) - failed} passed, {failed} failed in {time.monotonic() - started:.1f} s "
          "(both instances stopped, database dropped, Redis keys deleted)")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
