"""Flask-Login wiring: users are found by their rotating session token (QUALITY.md G7)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import selectinload

from portal.auth.models import User
from portal.db import db
from portal.i18n import _l


def load_user(token: str) -> User | None:
    user = db.session.scalars(
        sa.select(User).where(User.session_token == token).options(selectinload(User.role_rows))
    ).first()
    return user if user is not None and user.is_active else None


def init_login(app: Flask, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open that page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
