"""Domain errors and the friendly error pages (403/404/405/409/413/429/500, both languages)."""

from __future__ import annotations

import logging
import uuid

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.db import db
from portal.i18n import _, _l

log = logging.getLogger("portal.errors")


class DomainError(Exception):
    """A refused business action; ``message`` is translated and safe to show the user."""

    status = 409
    default_message = _l("This action is not possible right now.")

    def __init__(self, message=None):
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)  # lazy: rendered in the language of the request

    def __str__(self) -> str:
        try:
            return str(self.message)
        except RuntimeError:  # outside a request (a CLI run, a log line): the English source
            args = getattr(self.message, "_args", None)
            return str(args[0]) if args else repr(self.message)


class FieldError(DomainError):
    """A refusal about one field of the form that asked for the step (``field``: its name):
    ``portal.refusals`` shows it beside that field, not as a flash. A subclass about one field
    sets ``field`` (and ``default_message``) once."""

    field: str | None = None

    def __init__(self, field: str | None = None, message=None, *, status: int | None = None):
        super().__init__(message)
        if field is not None:
            self.field = field
        if status is not None:
            self.status = status


class InvalidTransition(DomainError):
    default_message = _l("This step is not allowed in the current state.")


TITLES = {
    400: _l("Bad request"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    409: _l("Not possible right now"),
    413: _l("Too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
}
MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l(
        "You do not have access to this page. If you think you should, contact your administrator."
    ),
    404: _l("We could not find the page you asked for. It may have moved or been removed."),
    405: _l("This address does not accept that kind of request."),
    409: _l("This action is not possible right now."),
    413: _l("The file or form you sent is larger than the portal accepts."),
    429: _l("Too many attempts in a short time. Please wait a few minutes and try again."),
    500: _l("An unexpected error happened. It has been logged; please try again later."),
}


def render_error(status: int, message=None, error_id: str | None = None):
    code = status if status in TITLES else 500 if status >= 500 else 400
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=TITLES[code],
            message=message or MESSAGES[code],
            error_id=error_id,
        ),
        status,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(exc):
        db.session.rollback()
        return render_error(
            400,
            _(
                "Your form has expired or was sent from elsewhere. Please reload the page and send it again."
            ),
        )

    @app.errorhandler(DomainError)
    def _domain(exc):
        db.session.rollback()
        return render_error(exc.status, exc.message)

    @app.errorhandler(HTTPException)
    def _http(exc):
        if exc.code is None or exc.code < 400:
            return exc
        db.session.rollback()
        response = render_error(exc.code)
        if exc.code == 405:
            return response[0], 405, {"Allow": ", ".join(exc.valid_methods or [])}
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc):
        db.session.rollback()
        error_id = uuid.uuid4().hex[:12]
        log.exception("unhandled error %s on %s %s", error_id, request.method, request.path)
        return render_error(500, error_id=error_id)
