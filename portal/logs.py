"""Structured logs: one JSON object per line, so a value with a line break cannot forge a line."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from flask import Flask

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def init_app(app: Flask) -> None:
    """Send the portal's logs to stderr as JSON (tests keep Python's default propagation)."""
    logger = logging.getLogger("portal")
    logger.setLevel(logging.INFO)
    if app.testing or any(getattr(h, "_portal", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler._portal = True
    logger.handlers = [h for h in logger.handlers if not getattr(h, "_portal", False)]
    logger.addHandler(handler)
    logger.propagate = False
