"""Engine set-up: SQLite pragmas and write transactions that begin IMMEDIATE."""
from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def engine_options(url: str, pool_size: int) -> dict:
    """Connection-pool options for the configured database."""
    if url.startswith("postgresql"):
        return {"pool_size": pool_size, "max_overflow": 2, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 10}}
    return {}


def _wants_write() -> bool:
    return has_request_context() and request.method not in SAFE_METHODS


def configure_engine(engine: Engine) -> None:
    """Attach per-dialect connection settings to a freshly created engine."""
    if engine.dialect.name != "sqlite":
        return
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_connection, record):
        # Let SQLAlchemy's "begin" event below emit BEGIN, so we choose its kind and
        # SAVEPOINTs work (pysqlite's own transaction handling gets both wrong).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection):
        # A request that may write takes the write lock up front, so it waits on
        # busy_timeout instead of failing when it later upgrades a read snapshot.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write() else "BEGIN")
