"""Sinergi: the Medan ASN learning and internship portal. ``create_app`` is its table of contents."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import DEV_SECRET_KEY, Config, ProductionConfig


class ConfigurationError(RuntimeError):
    """The configuration cannot run safely (the message says what to set)."""


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    from portal.i18n import JSONProvider

    app.json = JSONProvider(app)
    _load_config(app, test_config)
    _check_config(app)
    _register_extensions(app)
    _register_blueprints(app)

    from portal import cli, errors, logs, security, snapshots, templating

    logs.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    snapshots.init_app(app)
    cli.init_app(app)
    return app


def _load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(Config)
    if os.environ.get("PORTAL_ENV") == "production":
        app.config.from_object(ProductionConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("PORTAL")
    else:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
            Path(app.instance_path) / "portal.sqlite3"
        )
    # A relative UPLOAD_FOLDER lies inside the instance folder, never in whatever directory a
    # process was started from (instances started elsewhere would not share it); absolute stays.
    app.config["UPLOAD_FOLDER"] = str(
        Path(app.instance_path) / str(app.config.get("UPLOAD_FOLDER") or "uploads")
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.setdefault("connect_args", {"timeout": 30})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_X_FOR"]), x_proto=1)


def _check_config(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    relaxed = app.debug or app.testing
    if not key:
        if not relaxed:
            raise ConfigurationError(
                "SECRET_KEY is not set. Put SECRET_KEY = '<long random string>' in "
                f"{Path(app.instance_path) / 'config.py'} or set PORTAL_SECRET_KEY; every worker "
                "and instance must share the same value. `make run` writes one for development."
            )
        app.config["SECRET_KEY"] = DEV_SECRET_KEY
    elif not isinstance(key, str | bytes):
        # PORTAL_* values are read as JSON: an all-digit secret would become a number.
        raise ConfigurationError(
            "SECRET_KEY must be text; an all-digit PORTAL_SECRET_KEY is read as a number. "
            "Use a long random string with letters."
        )
    elif key == DEV_SECRET_KEY and not relaxed:
        raise ConfigurationError("SECRET_KEY is the development value; set a real secret.")
    max_age = app.config["CITY_FIGURES_MAX_AGE"]
    if isinstance(max_age, bool) or not isinstance(max_age, int | float) or max_age < 0:
        raise ConfigurationError("CITY_FIGURES_MAX_AGE must be a number of seconds, 0 or more.")
    if os.environ.get("PORTAL_ENV") == "production" and not relaxed:
        if app.config["MAIL_BACKEND"] != "smtp":
            raise ConfigurationError(
                "MAIL_BACKEND must be 'smtp' in production: the 'log' backend writes e-mails, "
                "password-reset links included, to the log."
            )
        if app.config["BASE_URL"] == Config.BASE_URL:
            raise ConfigurationError(
                "BASE_URL is still the development address; set the portal's public https:// "
                "address (links in e-mails are built on it)."
            )


def _register_extensions(app: Flask) -> None:
    from portal import models  # noqa: F401  (every table known before the first query)
    from portal.db import configure_sqlite, db
    from portal.extensions import babel, bootstrap, csrf, limiter, login_manager, migrate
    from portal.i18n import select_locale, select_timezone

    db.init_app(app)
    is_sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    with app.app_context():
        if is_sqlite:
            configure_sqlite(db.engine)
    migrate.init_app(app, db, render_as_batch=is_sqlite)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    bootstrap.init_app(app)
    limiter.init_app(app)

    from portal.auth.loader import init_login

    init_login(app, login_manager)


def _register_blueprints(app: Flask) -> None:
    from portal import admin, competency, curricula, internships, main, privacy, trainings
    from portal.auth.views import bp as auth_bp
    from portal.certificates.views import bp as certificates_bp

    main_bp, admin_bp, privacy_bp = main.blueprint(), admin.blueprint(), privacy.blueprint()
    competency_bp, competency_admin_bp, roster_bp = competency.blueprints()
    curricula_bp, internships_bp = curricula.blueprint(), internships.blueprint()
    trainings_bp = trainings.blueprint()

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(competency_bp, url_prefix="/competency")
    app.register_blueprint(competency_admin_bp, url_prefix="/admin/competency")
    app.register_blueprint(roster_bp, url_prefix="/admin/roster")
    app.register_blueprint(curricula_bp, url_prefix="/curricula")
    app.register_blueprint(internships_bp, url_prefix="/internships")
    app.register_blueprint(certificates_bp, url_prefix="/certificates")
    app.register_blueprint(trainings_bp, url_prefix="/trainings")
    app.register_blueprint(privacy_bp, url_prefix="/privacy")
