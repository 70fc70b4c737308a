"""Cleaning free text before it is stored: PostgreSQL refuses NUL characters in text columns
(SQLite keeps them), and a column has its length."""

from __future__ import annotations


def clean_text(value: str | None, limit: int | None = None) -> str:
    """``value`` without NUL characters and surrounding blanks, cut to ``limit`` characters; ""
    for None."""
    text = (value or "").replace("\x00", "").strip()
    return text if limit is None else text[:limit]


def without_nul(values: dict) -> dict:
    """``values`` with the NUL characters taken out of every string (other values unchanged)."""
    return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in values.items()}
