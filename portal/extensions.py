"""Flask extensions, created unbound; :func:`portal.create_app` binds them."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from portal.db import db


def _client_address() -> str:
    """The address rate limits are keyed on: the peer as ProxyFix left it, never a raw header."""
    return request.remote_addr or "unknown"


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
limiter = Limiter(key_func=_client_address, default_limits=[])

__all__ = ["babel", "bootstrap", "csrf", "db", "limiter", "login_manager", "migrate"]
