"""Engine set-up: SQLite pragmas, and SQLite transactions that take the write lock late and briefly."""
import re

from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Statements that only read; anything else needs SQLite's write lock.
_READ = re.compile(r"^\s*(SELECT|PRAGMA|EXPLAIN)\b", re.I)
_TRANSACTION_CONTROL = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)\b", re.I)


def engine_options(url: str, pool_size: int) -> dict:
    """Connection-pool options for the configured database."""
    if url.startswith("postgresql"):
        return {"pool_size": pool_size, "max_overflow": 2, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 10}}
    return {}


def configure_engine(engine: Engine) -> None:
    """Attach per-dialect connection settings to a freshly created engine."""
    if engine.dialect.name != "sqlite":
        return
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_connection, record):
        # SQLAlchemy's "begin" event below emits BEGIN itself, so SAVEPOINTs work and the
        # write lock is taken when we choose (pysqlite's own handling gets both wrong).
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
        connection.exec_driver_sql("BEGIN")
        connection.info["sqlite_writing"] = False

    if memory:
        return  # one connection, nobody to wait for

    @event.listens_for(engine, "before_cursor_execute")
    def _sqlite_take_write_lock(connection, cursor, statement, parameters, context, executemany):
        """Read committed, the SQLite way: a transaction reads without locking anyone out; at its
        first write it drops its read snapshot and waits (busy_timeout) for the write lock, which
        it then holds only for the writes and the commit. Upgrading the read snapshot in place
        instead would fail at once whenever another writer had committed meanwhile."""
        if connection.info.get("sqlite_writing", True) or _READ.match(statement) \
                or _TRANSACTION_CONTROL.match(statement):
            return
        connection.info["sqlite_writing"] = True
        if connection.in_nested_transaction():
            return  # a SAVEPOINT would be lost; take the lock in place
        cursor.execute("ROLLBACK")
        cursor.execute("BEGIN IMMEDIATE")
