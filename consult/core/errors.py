"""Errors raised by operations, and the handlers that turn every error into a clear page."""
from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from consult.extensions import db


class OperationError(Exception):
    """A business rule refused the change; nothing was written."""

    status = 422

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Conflict(OperationError):
    """The change clashes with the current state (published already, slug taken …)."""

    status = 409


class Invalid(OperationError):
    status = 422

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.fields = fields or {}


class Forbidden(OperationError):
    """The person may not do this."""

    status = 403


TITLES = {
    400: _l("Bad request"),
    401: _l("Please log in"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("Too large"),
    422: _l("Cannot accept this"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
}

MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("You need to log in to do this."),
    403: _l("You do not have permission to do this."),
    404: _l("There is nothing at this address."),
    405: _l("This address does not accept that kind of request."),
    409: _l("This change conflicts with the current state."),
    413: _l("What you sent is too large."),
    422: _l("What you sent could not be accepted."),
    429: _l("You are doing this too often. Please wait a moment and try again."),
    500: _l("An unexpected error happened. It has been logged; please try again later."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None, fields: dict | None = None):
    """Render the error page (or JSON for the API) with a message a person understands."""
    db.session.rollback()
    message = message or str(MESSAGES.get(status, MESSAGES[500]))
    if wants_json():
        return jsonify(error={"code": status, "message": message, "fields": fields or {}}), status
    return render_template(
        "errors/error.html", status=status, title=TITLES.get(status, TITLES[500]),
        message=message,
    ), status


def concurrent_change_message() -> str:
    return str(_l("Someone else made a clashing change at the same moment (for example took the same "
                  "address, or started the same draft). Nothing of yours was saved: reload the page and "
                  "try again."))


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(IntegrityError)
    def _integrity_error(error: IntegrityError):
        """A uniqueness rule the operation checked was broken by a request that committed first."""
        db.session.rollback()  # before the message: choosing its language may read the user
        app.logger.info("Refused a concurrent change: %s", error.orig)
        return error_response(409, concurrent_change_message())

    @app.errorhandler(OperationError)
    def _operation_error(error: OperationError):
        return error_response(error.status, error.message, getattr(error, "fields", None))

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return error_response(400, str(_l(
            "The form had expired or was sent from elsewhere. Please go back, reload "
            "the page and try again.")))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        code = error.code or 500
        # Our own aborts carry a message for people; werkzeug's and the limiter's defaults do not.
        description = error.description if error.description != type(error).description else None
        if code == 429:
            description = None
        response = make_response(error_response(code, description))
        if code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("Unhandled error")
        return error_response(500)
