"""Two gunicorn instances on one PostgreSQL database and one Redis act as one portal (issue 8):
a session, a CSRF token, the sign-in limit and an uploaded file each carry from one instance to
the other. Runs ``scripts/two_instances.py`` (which creates and drops its own database, keeps
its own Redis keys and stops both instances) and expects every one of its checks to pass.

That test runs when PORTAL_TEST_REDIS_URL and PORTAL_TEST_PG_ADMIN_URL (a PostgreSQL URL
allowed to create databases, e.g. postgresql://postgres@127.0.0.1:5432/postgres) are both set;
CI sets them. The shared upload folder's configuration is checked everywhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal import create_app
from scripts.serving import ROOT
from scripts.two_instances import CHECKS

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")
PG_ADMIN_URL = os.environ.get("PORTAL_TEST_PG_ADMIN_URL")
#: The instances use a database of their own whatever PORTAL_TEST_DATABASE_URI says: one run
#: (the SQLite lane's) proves it (tests/support/lanes.py).
pytestmark = pytest.mark.db_independent


@pytest.mark.skipif(not (REDIS_URL and PG_ADMIN_URL),
                    reason="set PORTAL_TEST_REDIS_URL and PORTAL_TEST_PG_ADMIN_URL to run")  # fmt: skip
def test_two_instances_share_sessions_csrf_rate_limit_and_uploads():
    done = subprocess.run(
        [
            sys.executable,
            "scripts/two_instances.py",
            "--pg-admin",
            PG_ADMIN_URL,
            "--redis",
            REDIS_URL,
            "--workers",
            "1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    output = done.stdout + done.stderr
    verdicts = [
        line.split()[0] for line in done.stdout.splitlines() if line.startswith(("PASS", "FAIL"))
    ]
    assert verdicts == ["PASS"] * len(CHECKS), output
    assert done.returncode == 0, output


def _app_from_environment(monkeypatch, tmp_path, upload_folder: str):
    """An app configured the way gunicorn builds it: from ``PORTAL_*`` variables."""
    monkeypatch.setenv("PORTAL_SECRET_KEY", "instances-share-this-secret")
    monkeypatch.setenv("PORTAL_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'c.sqlite3'}")
    monkeypatch.setenv("PORTAL_UPLOAD_FOLDER", upload_folder)
    return create_app()


def test_upload_folder_comes_from_the_environment(monkeypatch, tmp_path):
    shared = tmp_path / "shared-uploads"
    app = _app_from_environment(monkeypatch, tmp_path, str(shared))
    assert app.config["UPLOAD_FOLDER"] == str(shared)


def test_a_relative_upload_folder_lies_in_the_instance_folder(monkeypatch, tmp_path):
    """Not in the directory the process happened to start in (two instances would differ)."""
    monkeypatch.chdir(tmp_path)
    app = _app_from_environment(monkeypatch, tmp_path, "shared/uploads")
    assert app.config["UPLOAD_FOLDER"] == str(Path(app.instance_path) / "shared" / "uploads")
