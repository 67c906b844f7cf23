"""Exports of a plan's comments (CSV, XLSX, JSON) with every field a team needs: two queries."""
import csv
import io
import json

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import aliased

from consult.accounts.models import StakeholderGroup, User
from consult.comments.models import Comment
from consult.core.rendering import html_to_text
from consult.extensions import db
from consult.moderation.models import Response
from consult.moderation.queries import tags_for
from consult.plans.models import Action, ActionRevision, PlanVersion

COLUMNS = ("id", "version", "action_key", "action_title", "parent_id", "author", "author_email",
           "stakeholder_group", "stance", "tags", "status", "hidden_reason", "response_disposition",
           "response_text", "response_addressed_in", "source", "created_at", "edited_at", "body")
plain_text = html_to_text


def export_rows(plan_id: int, version_id: int | None, *, with_emails: bool) -> list[dict]:
    addressed = aliased(PlanVersion)
    query = (select(Comment, PlanVersion.number, Action.key, ActionRevision.title, User.name, User.email,
                    StakeholderGroup.name, Response.disposition, Response.body_md, addressed.number)
             .join(PlanVersion, PlanVersion.id == Comment.version_id)
             .join(Action, Action.id == Comment.action_id)
             .join(ActionRevision, ActionRevision.id == Comment.revision_id)
             .outerjoin(User, User.id == Comment.author_id)
             .outerjoin(StakeholderGroup, StakeholderGroup.id == Comment.group_id)
             .outerjoin(Response, Response.comment_id == Comment.id)
             .outerjoin(addressed, addressed.id == Response.addressed_in_id)
             .where(Comment.plan_id == plan_id)
             .order_by(PlanVersion.number, ActionRevision.position, Comment.created_at, Comment.id))
    if version_id is not None:
        query = query.where(Comment.version_id == version_id)
    rows = db.session.execute(query).all()
    tags = tags_for([row[0].id for row in rows])
    out = []
    for comment, number, key, title, name, email, group, disposition, response_text, addressed_number in rows:
        deleted = comment.status == "deleted"
        out.append({
            "id": comment.id, "version": number, "action_key": key, "action_title": title,
            "parent_id": comment.parent_id,
            "author": comment.attribution if comment.source == "meeting" else (name or ""),
            "author_email": (email or "") if with_emails else "",
            "stakeholder_group": group or "", "stance": comment.stance or "",
            "tags": ", ".join(t.name for t in tags.get(comment.id, [])),
            "status": comment.status, "hidden_reason": comment.hidden_reason or "",
            "response_disposition": disposition or "", "response_text": response_text or "",
            "response_addressed_in": addressed_number or "",
            "source": comment.source,
            "created_at": comment.created_at.isoformat(),
            "edited_at": comment.edited_at.isoformat() if comment.edited_at else "",
            "body": "" if deleted else plain_text(comment.body_html),
        })
    return out


def _columns(with_emails: bool) -> tuple[str, ...]:
    return COLUMNS if with_emails else tuple(c for c in COLUMNS if c != "author_email")


def to_csv(rows: list[dict], with_emails: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_columns(with_emails), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _safe_cell(v) for k, v in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: spreadsheet programs read UTF-8


def _safe_cell(value):
    """Neutralise spreadsheet formulas in user text (=, +, -, @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_xlsx(rows: list[dict], with_emails: bool) -> bytes:
    columns = _columns(with_emails)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "comments"
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_safe_cell(row[c]) for c in columns])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 60 if column in ("body", "response_text") else 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(rows: list[dict], with_emails: bool) -> bytes:
    columns = _columns(with_emails)
    return json.dumps({"comments": [{c: row[c] for c in columns} for row in rows]}, ensure_ascii=False,
                      indent=1).encode("utf-8")
