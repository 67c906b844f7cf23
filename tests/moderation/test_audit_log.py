"""The moderation log and comments' edit histories are append-only: rows are added, never changed or deleted."""
import pytest
from sqlalchemy import delete, select, update

from consult.comments import operations as comment_ops
from consult.comments.models import CommentEdit
from consult.core.models import AppendOnlyError
from consult.moderation import operations as ops
from consult.moderation.models import ModerationEvent
from consult.plans.models import Plan
from tests import factories


@pytest.fixture
def history(db, plan, stakeholder, moderator):
    """One comment, edited once by its author and hidden once by a moderator."""
    comment = factories.make_comment(plan, stakeholder, body="first text")
    comment_ops.edit_comment(comment, stakeholder, "second text")
    ops.hide_comments(plan, moderator, [comment], "off_topic", "not about A1")
    db.session.commit()
    return comment


def test_acts_and_edits_are_recorded(db, history, moderator, stakeholder):
    event = db.session.scalar(select(ModerationEvent))
    edit = db.session.scalar(select(CommentEdit))
    assert (event.action, event.actor_id, event.reason) == ("hide", moderator.id, "off_topic: not about A1")
    assert (edit.body_md, edit.editor_id) == ("first text", stakeholder.id)


@pytest.mark.parametrize("model, column, value", [(ModerationEvent, "reason", "nothing happened"),
                                                  (CommentEdit, "body_md", "rewritten history")])
def test_a_recorded_row_cannot_be_changed(db, history, model, column, value):
    row = db.session.scalar(select(model))
    setattr(row, column, value)
    with pytest.raises(AppendOnlyError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert getattr(db.session.scalar(select(model)), column) != value


@pytest.mark.parametrize("model", [ModerationEvent, CommentEdit])
def test_a_recorded_row_cannot_be_deleted(db, history, model):
    db.session.delete(db.session.scalar(select(model)))
    with pytest.raises(AppendOnlyError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(model)) is not None


@pytest.mark.parametrize("statement", [
    update(ModerationEvent).values(reason="x"),
    delete(ModerationEvent),
    update(CommentEdit).values(body_md="x"),
    delete(CommentEdit.__table__),  # a Core statement through the session is refused too
], ids=["update events", "delete events", "update edits", "delete edits (core)"])
def test_bulk_statements_cannot_change_the_history(db, history, statement):
    with pytest.raises(AppendOnlyError):
        db.session.execute(statement)
    db.session.rollback()
    assert db.session.scalar(select(ModerationEvent.reason)) == "off_topic: not about A1"
    assert db.session.scalar(select(CommentEdit.body_md)) == "first text"


def test_removing_a_person_keeps_the_history_without_their_name(db, history, moderator, stakeholder):
    """The deliberate exception: the database's ON DELETE rules, below the ORM."""
    db.session.delete(moderator)
    db.session.delete(stakeholder)
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(select(ModerationEvent)).actor_id is None
    assert db.session.scalar(select(CommentEdit)).editor_id is None


def test_removing_a_plan_takes_its_history_with_it(db, history, plan):
    db.session.execute(delete(Plan).where(Plan.id == plan.id))
    db.session.commit()
    assert db.session.scalar(select(ModerationEvent)) is None
    assert db.session.scalar(select(CommentEdit)) is None
