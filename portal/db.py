"""Declarative base, the ``db`` object, column helpers and the SQLite connection set-up."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base, session_options={"join_transaction_mode": "create_savepoint"})


class TitledEnum(enum.StrEnum):
    """A string enum whose members carry their translated title, declared together:
    ``ADMIN = "admin", _l("Administrator")``; ``Role.ADMIN.title``. The value stays the string."""

    def __new__(cls, value: str, title=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._title = title
        return member

    @property
    def title(self):
        return self._title


def str_enum(cls, length: int = 30) -> sa.Enum:
    """A string enum column type: stored as its values in a VARCHAR (no native ENUM, so SQLite
    and PostgreSQL agree and a new state needs no type migration)."""
    return sa.Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (every ``*_at`` column stores this)."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC timestamp on every database.

    PostgreSQL keeps the zone (timestamptz); SQLite returns naive values, which are UTC by
    construction here, so they are given their zone back on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


def configure_sqlite(engine: sa.Engine) -> None:
    """WAL, busy_timeout, foreign keys and BEGIN IMMEDIATE for SQLite (QUALITY.md G9, pitfall 5).

    pysqlite's own transaction handling is switched off so SQLAlchemy emits BEGIN itself; that
    also makes SAVEPOINT work, which the test isolation relies on.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
