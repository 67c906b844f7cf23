"""Fixtures: app, db (rolled back per test), client, personas, factories, count_queries."""
import contextvars
import hashlib
import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event
from sqlalchemy.orm import scoped_session, sessionmaker

from config import TestConfig
from consult import create_app
from consult.extensions import db as _db
from tests import factories

IS_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """Compile the translation catalogues, so `pytest` alone sees the current Romanian text."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (ROOT / "consult" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalogue = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalogue)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    class Config(TestConfig):
        INSTANCE_DIR = str(tmp_path_factory.mktemp("instance"))

    app = create_app(Config)
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database, inside a transaction that is rolled back after the test.

    Each request gets its own session (as in production: one per app context) on the
    same connection; its commit releases a SAVEPOINT of the outer transaction, so
    nothing outlives the test.
    """
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original = _db.session
        _db.session = scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
                                     scopefunc=_app_ctx_id)
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            transaction.rollback()
            connection.close()


def _app_ctx_id() -> int:
    from flask.globals import app_ctx

    return id(app_ctx._get_current_object())


class Client:
    """A test client that speaks forms: it sends a valid CSRF token unless told not to."""

    def __init__(self, app, flask_client):
        self.app = app
        self.raw = flask_client

    def _isolated(self, fn, *args, **kwargs):
        """Run a request outside the test's app context, as a server would: fresh `g`,
        its own database session, teardown at the end. Then let the test's session
        see what the request committed."""
        result = contextvars.Context().run(fn, *args, **kwargs)
        _db.session.expire_all()
        return result

    def csrf_token(self) -> str:
        def read():
            with self.raw.session_transaction() as session:
                if "csrf_token" not in session:
                    session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()
                return session["csrf_token"]

        raw = contextvars.Context().run(read)
        serializer = URLSafeTimedSerializer(self.app.config["SECRET_KEY"], salt="wtf-csrf-token")
        return serializer.dumps(raw)

    def get(self, *args, **kwargs):
        return self._isolated(self.raw.get, *args, **kwargs)

    def request(self, method, url, **kwargs):
        """Any request as the Flask test client makes it (JSON, headers …), no CSRF token added."""
        return self._isolated(self.raw.open, url, method=method, **kwargs)

    def post(self, url, data=None, *, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        return self._isolated(self.raw.post, url, data=data, **kwargs)

    def login(self, user, password=factories.PASSWORD):
        response = self.post("/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        return self.post("/logout")


@pytest.fixture
def client(app, db):
    return Client(app, app.test_client())


@pytest.fixture
def make_client(app, db):
    return lambda: Client(app, app.test_client())


# -- personas on one plan -----------------------------------------------------------------

@pytest.fixture
def team_member(db):
    return factories.make_user("team@example.org", "Tina Team")


@pytest.fixture
def moderator(db):
    return factories.make_user("moderator@example.org", "Mo Derator")


@pytest.fixture
def stakeholder(db):
    return factories.make_user("stakeholder@example.org", "Stella Holder")


@pytest.fixture
def outsider(db):
    """Registered, but not a member of the plan."""
    return factories.make_user("outsider@example.org", "Otto Side")


@pytest.fixture
def admin(db):
    return factories.make_user("admin@example.org", "Ada Admin", is_admin=True)


@pytest.fixture
def plan(db, team_member, moderator, stakeholder):
    """A public plan: version 1 published with two actions, version 2 a draft."""
    return factories.make_plan(team_member, moderator=moderator, stakeholder=stakeholder)


@pytest.fixture
def personas(team_member, moderator, stakeholder, outsider, admin):
    return {"team": team_member, "moderator": moderator, "stakeholder": stakeholder,
            "outsider": outsider, "admin": admin}


# -- query counting ---------------------------------------------------------------------

_TRANSACTION_CONTROL = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)\b", re.I)


@pytest.fixture
def count_queries(app, db):
    """Context manager collecting the SQL statements run inside it (transaction control excluded)."""

    @contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            if not _TRANSACTION_CONTROL.match(statement):
                statements.append(statement)

        engine = _db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counter


# -- a real SMTP server on loopback --------------------------------------------------------

class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server(app, monkeypatch):
    """An aiosmtpd server on 127.0.0.1; the app sends through it. Yields the received messages."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    try:
        yield inbox.messages
    finally:
        controller.stop()
