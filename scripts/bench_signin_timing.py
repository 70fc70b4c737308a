"""Does the time of an anonymous account form tell whether an e-mail has an account? (issue 15.3)

Measures, through Flask's test client on a scratch SQLite database with the production argon2
cost (t=3, m=64 MiB), the median time of:

- a sign-in with a wrong password, for a known e-mail and for an unknown one;
- a forgotten-password request, for a known e-mail and for an unknown one;
- a registration, with a new e-mail and with one already used (``--registration``).

The requests alternate (known, unknown, known …) so drift of the machine hits both sides alike.
Prints each median and the ratio known/unknown; a ratio near 1.0 is what we want (the issue
measured ~170 ms against ~8 ms for sign-in, ratio ~20).

    .venv/bin/python scripts/bench_signin_timing.py [--rounds 30] [--registration]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app
from portal.auth.models import Role
from portal.db import db
from tests.support.factories import Factories

KNOWN = "known.person@mail.example.com"
UNKNOWN = "nobody.here@mail.example.com"
PASSWORD = "a long and correct pass sentence"  # noqa: S105  (a benchmark account)
WRONG = "a wrong guess of the password"


def _app(folder: Path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-only",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_BACKEND": "log",
            # ARGON2_* stay at the production defaults: that cost is what the issue is about.
        }
    )
    with app.app_context():
        db.create_all()
        make = Factories(db.session)
        uni = make.university()
        make.user(Role.ASN, email=KNOWN, password=PASSWORD)
        make.user(Role.UNIVERSITY, university=uni)
        db.session.commit()
        uni_id = uni.id
    return app, uni_id


def _ms(send, client, n: int) -> float:
    start = time.perf_counter()
    response = send(client, n)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code in (200, 302), response.status_code
    return elapsed


def _compare(label, client, known, unknown, rounds: int) -> None:
    known_t, unknown_t = [], []
    for i in range(rounds):
        # Alternate the order as well, so neither side always comes first.
        pair = ((known, known_t), (unknown, unknown_t))
        for send, times in pair if i % 2 == 0 else reversed(pair):
            times.append(_ms(send, client, i))
    k, u = statistics.median(known_t), statistics.median(unknown_t)
    print(f"{label:<34} known {k:8.1f} ms   unknown {u:8.1f} ms   ratio {k / u:5.2f}")


def _registration(uni_id: int, email: str) -> dict:
    return {
        "full_name": "Siti Aminah Lubis",
        "email": email,
        "university_id": str(uni_id),
        "nim": "211402123",
        "study_programme": "S1 Ilmu Komputer",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "consent": "y",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--registration", action="store_true", help="time registration too")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        app, uni_id = _app(Path(tmp))
        client = app.test_client()
        client.get("/login")  # warm up: templates, the hasher and its dummy hash

        def login(email):
            return lambda c, _n: c.post("/login", data={"email": email, "password": WRONG})

        def forgot(email):
            return lambda c, _n: c.post("/forgot-password", data={"email": email})

        login(KNOWN)(client, 0), login(UNKNOWN)(client, 0)
        forgot(KNOWN)(client, 0), forgot(UNKNOWN)(client, 0)
        print(f"{args.rounds} rounds, argon2 t={app.config['ARGON2_TIME_COST']} "
              f"m={app.config['ARGON2_MEMORY_COST']} KiB")  # fmt: skip
        _compare("sign-in, wrong password", client, login(KNOWN), login(UNKNOWN), args.rounds)
        _compare("forgotten password", client, forgot(KNOWN), forgot(UNKNOWN), args.rounds)
        if args.registration:

            def register_existing(c, _n):
                return c.post("/register", data=_registration(uni_id, KNOWN))

            def register_new(c, n):
                return c.post("/register", data=_registration(uni_id, f"new{n}@mail.example.com"))

            _compare(
                "registration (existing vs new)", client, register_existing, register_new,
                args.rounds,
            )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
