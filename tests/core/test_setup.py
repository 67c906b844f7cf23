"""Configuration, database settings and migrations."""
import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from config import ProductionConfig, TestConfig
from consult import create_app
from consult.extensions import db as _db


def test_production_refuses_a_missing_or_default_secret(monkeypatch):
    for value in (None, "dev-only-not-secret", "short"):
        if value is None:
            monkeypatch.delenv("SECRET_KEY", raising=False)
        else:
            monkeypatch.setenv("SECRET_KEY", value)
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(ProductionConfig)


def test_production_starts_with_a_real_secret_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 48)

    class Prod(ProductionConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'p.db'}"
        INSTANCE_DIR = str(tmp_path)

    app = create_app(Prod)
    assert app.config["SECRET_KEY"] == "x" * 48
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_database_url_defaults_to_embedded_sqlite(monkeypatch):
    import config

    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config._database_url() == f"sqlite:///{config.INSTANCE_DIR / 'consult.db'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")  # the form hosting services hand out
    assert config._database_url() == "postgresql+psycopg://u@h/db"


def _file_app(tmp_path, name="c.db"):
    class FileConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / name}"
        INSTANCE_DIR = str(tmp_path)

    return create_app(FileConfig)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    app = _file_app(tmp_path)
    with app.app_context():
        with _db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        _db.engine.dispose()


def _assert_migrations_match_models(app, connection):
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, _db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"


def test_migrations_build_the_schema_the_models_describe_on_sqlite(tmp_path):
    app = _file_app(tmp_path, "migrated.db")
    with app.app_context():
        with _db.engine.connect() as connection:
            _assert_migrations_match_models(app, connection)
        tables = set(sa.inspect(_db.engine).get_table_names())
        assert {"users", "plans", "plan_versions", "actions", "action_revisions", "memberships"} <= tables
        _db.engine.dispose()


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="runs in the PostgreSQL pass of the suite")
def test_migrations_build_the_schema_the_models_describe_on_postgresql(tmp_path):
    """Upgrade a fresh schema (not the suite's) and compare it with the models."""
    schema = f"migrations_{uuid.uuid4().hex[:8]}"
    base_url = os.environ["TEST_DATABASE_URL"]
    admin = sa.create_engine(base_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        class PgConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = base_url
            SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"options": f"-csearch_path={schema}"}}
            INSTANCE_DIR = str(tmp_path)

        app = create_app(PgConfig)
        with app.app_context():
            with _db.engine.connect() as connection:
                _assert_migrations_match_models(app, connection)
                names = connection.exec_driver_sql(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                    (schema,)).scalars().all()
            assert "plan_versions" in names
            _db.engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def test_upgrading_recounts_replies_without_the_held_ones(tmp_path):
    """Counted the old way (a held reply on posting) a thread would count it again on approval:
    the data migration recounts every root from its replies that are not waiting."""
    from flask_migrate import upgrade

    from tests.factories import make_comment, make_plan, make_user

    app = _file_app(tmp_path, "recount.db")
    with app.app_context():
        upgrade(revision="20261122_0005")
        team = make_user("team@example.org", "Team")
        plan = make_plan(team)
        root = make_comment(plan, team)
        reply = make_comment(plan, team, parent=root)
        nested = make_comment(plan, team, parent=reply)
        held = make_comment(plan, team, parent=root)
        hidden = make_comment(plan, team, parent=nested)
        lonely = make_comment(plan, team, key="A2")
        ids = root.id, reply.id, lonely.id
        with _db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE comments SET status = 'pending' WHERE id = :id"), {"id": held.id})
            conn.execute(sa.text("UPDATE comments SET status = 'hidden' WHERE id = :id"), {"id": hidden.id})
            conn.execute(sa.text("UPDATE comments SET reply_count = 7 WHERE id = :id"), {"id": lonely.id})
        _db.session.remove()

        def counts():
            with _db.engine.connect() as conn:
                rows = conn.execute(sa.text("SELECT id, reply_count FROM comments")).all()
            return {i: n for i, n in rows if i in ids}

        assert counts() == {root.id: 4, reply.id: 0, lonely.id: 7}  # the held reply counted at posting
        upgrade()
        assert counts() == {root.id: 3, reply.id: 0, lonely.id: 0}  # the whole thread, bar the held reply
        _db.engine.dispose()


def test_every_page_links_a_favicon_that_is_served(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
