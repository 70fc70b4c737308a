"""Configuration layering, the SECRET_KEY guard and the SQLite connection settings (G9)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import ConfigurationError, create_app
from portal.config import DEV_SECRET_KEY
from portal.db import db


def _clean_env(monkeypatch, tmp_path):
    for name in (
        "PORTAL_SECRET_KEY",
        "PORTAL_ENV",
        "PORTAL_SQLALCHEMY_DATABASE_URI",
        "PORTAL_MAIL_BACKEND",
        "PORTAL_BASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)

    class FlaskInTmp(Flask):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, instance_path=str(tmp_path), **kwargs)

    monkeypatch.setattr("portal.Flask", FlaskInTmp)


def test_missing_secret_key_stops_start_up(monkeypatch, tmp_path):
    _clean_env(monkeypatch, tmp_path)
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        create_app()


def test_development_key_is_refused_outside_debug(monkeypatch, tmp_path):
    _clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("PORTAL_SECRET_KEY", DEV_SECRET_KEY)
    with pytest.raises(ConfigurationError, match="development value"):
        create_app()


def test_an_all_digit_secret_from_the_environment_is_refused(monkeypatch, tmp_path):
    """PORTAL_* values are read as JSON: "12345" would become a number and break every page."""
    _clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("PORTAL_SECRET_KEY", "1234567890123456789")
    with pytest.raises(ConfigurationError, match="must be text"):
        create_app()


def test_layering_instance_file_then_environment(monkeypatch, tmp_path):
    _clean_env(monkeypatch, tmp_path)
    (tmp_path / "config.py").write_text("SECRET_KEY = 'from-instance'\nPAGE_SIZE = 7\n")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["PAGE_SIZE"] == 7
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/portal.sqlite3"
    monkeypatch.setenv("PORTAL_SECRET_KEY", "from-environment")
    monkeypatch.setenv("PORTAL_PAGE_SIZE", "9")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-environment"
    assert app.config["PAGE_SIZE"] == 9
    with app.app_context():
        db.engine.dispose()


def test_production_config_secures_cookies(monkeypatch, tmp_path):
    _clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "a-real-secret-for-this-test")
    with pytest.raises(ConfigurationError, match="MAIL_BACKEND"):
        create_app()
    monkeypatch.setenv("PORTAL_MAIL_BACKEND", "smtp")
    with pytest.raises(ConfigurationError, match="BASE_URL"):
        create_app()
    monkeypatch.setenv("PORTAL_BASE_URL", "https://sinergi.pemkomedan.go.id")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    assert app.config["HSTS_ENABLED"] and not app.debug
    with app.app_context():
        db.engine.dispose()


def test_database_connection_settings(app):
    """SQLite: WAL, busy_timeout and foreign keys (G9). PostgreSQL: times kept with their zone."""
    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        else:
            column_type = conn.exec_driver_sql(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = 'users' AND column_name = 'created_at'"
            ).scalar()
            assert column_type == "timestamp with time zone"


def test_foreign_keys_are_enforced(db):
    from portal.auth.models import User

    db.session.add(User(email="orphan@example.test", full_name="Orphan", university_id=999999))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
