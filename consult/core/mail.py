"""Outgoing e-mail: queued during a request, sent after it commits.

With MAIL_SERVER set, messages go through SMTP; without one they are written to
`instance/outbox/` as .eml files, so a local run shows what would have been sent.
"""
import smtplib
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from email.charset import QP, Charset
from email.header import Header
from email.mime.text import MIMEText
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, g, has_request_context, url_for

from consult.core.models import utcnow

#: Set while nothing may be sent at all (loading the demo, whose people are invented).
_suppressed: ContextVar[bool] = ContextVar("mail_suppressed", default=False)

_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP  # readable in the outbox, safe on any SMTP server


def build_message(to: str, subject: str, body: str) -> MIMEText:
    """A plain-text UTF-8 message (MIMEText is several times cheaper to build than EmailMessage)."""
    message = MIMEText(body, "plain", _UTF8_QP)
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = Header(subject, "utf-8")
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain="consult")
    return message


@contextmanager
def in_language(recipient, plan):
    """Inside this block, gettext speaks the recipient's language: their own choice, else the
    plan's, else the default. Mail is written for whoever reads it, not whoever acted."""
    from flask_babel import force_locale

    languages = current_app.config["LANGUAGES"]
    locale = next((code for code in (getattr(recipient, "locale", None), getattr(plan, "language", None))
                   if code in languages), current_app.config["BABEL_DEFAULT_LOCALE"])
    with force_locale(locale):
        yield


@contextmanager
def suppressed():
    """Inside this block, mail is dropped instead of queued or sent."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def queue_mail(to: str, subject: str, body: str) -> None:
    """Send after the request's commit (or at once outside a request); built only then."""
    if _suppressed.get():
        return
    if has_request_context():
        g.setdefault("outgoing_mail", []).append((to, subject, body))
    else:
        deliver([(to, subject, body)])


def discard_queued() -> None:
    if has_request_context():
        g.pop("outgoing_mail", None)


def send_queued() -> None:
    if has_request_context():
        deliver(g.pop("outgoing_mail", []))


def deliver(queued: list[tuple[str, str, str]]) -> None:
    """Hand messages to SMTP, or write them to the outbox. Failures are logged, not raised."""
    if not queued:
        return
    messages = [build_message(*item) for item in queued]
    config = current_app.config
    try:
        if config.get("MAIL_SERVER"):
            with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 25), timeout=10) as smtp:
                if config.get("MAIL_USE_TLS"):
                    smtp.starttls()
                if config.get("MAIL_USERNAME"):
                    smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
                for message in messages:
                    smtp.send_message(message)
        else:
            outbox = Path(config.get("MAIL_OUTBOX") or Path(current_app.instance_path) / "outbox")
            outbox.mkdir(parents=True, exist_ok=True)
            for message in messages:
                name = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
                (outbox / name).write_bytes(message.as_bytes())
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send %d e-mail message(s)", len(messages))


def absolute_url(endpoint: str, **values) -> str:
    """A full link for an e-mail: PUBLIC_URL when set, else the current request's host."""
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values) if base else url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=base or "http://localhost"):
        return url_for(endpoint, _external=True, **values)
