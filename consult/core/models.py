"""Column types and mixins shared by every domain model."""
from datetime import UTC, datetime

from sqlalchemy import DateTime, TypeDecorator, event
from sqlalchemy.orm import Mapped, Session, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC that refuses naive datetimes and reads back aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class AppendOnlyError(Exception):
    """Raised when something tries to change or delete a row of an append-only history."""


class AppendOnly:
    """A model whose rows are written once and then only read (audit logs, edit histories).

    The ORM refuses to update or delete them, one by one or in bulk. Removing a person or a plan
    still works: the database's ON DELETE rules (SET NULL on who did it, CASCADE with the plan or
    comment) act below the ORM and are the one deliberate way such rows change."""


def _append_only_tables() -> set[str]:
    found, todo = set(), list(AppendOnly.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if getattr(cls, "__tablename__", None):
            found.add(cls.__tablename__)
    return found


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_history(session, flush_context, instances):
    for obj in session.deleted:
        if isinstance(obj, AppendOnly):
            raise AppendOnlyError(f"{type(obj).__name__} rows are append-only: they cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, AppendOnly) and session.is_modified(obj):
            raise AppendOnlyError(f"{type(obj).__name__} rows are append-only: they cannot be changed")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes_to_history(state):
    if state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in _append_only_tables():
            raise AppendOnlyError(f"{table.name} rows are append-only: they cannot be changed or deleted")
