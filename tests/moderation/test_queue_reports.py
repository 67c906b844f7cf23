"""The moderation queue shows each open report of a reported comment: reason, note, when and who."""
import re
from datetime import UTC, datetime

from sqlalchemy import select

from consult.comments.models import Report
from tests import factories

QUEUE = "/plans/test-plan/moderation"


def _report(db, comment, reporter, reason, note="", when=None):
    report = Report(comment_id=comment.id, reporter_id=reporter.id, reason=reason, note=note)
    if when is not None:
        report.created_at = when
    db.session.add(report)
    db.session.commit()
    return report


def _reported_section(html):
    return html.split('id="reported-title"', 1)[1]


def test_each_open_report_is_listed_with_reason_note_time_and_reporter(client, plan, stakeholder, outsider,
                                                                       moderator, db):
    comment = factories.make_comment(plan, stakeholder, body="Buy cheap tickets at my shop")
    _report(db, comment, outsider, "spam", note="Advertising <b>a shop</b>\nsecond line",
            when=datetime(2025, 3, 4, 10, 0, tzinfo=UTC))
    _report(db, comment, moderator, "off_topic", when=datetime(2025, 3, 5, 9, 30, tzinfo=UTC))
    client.login(moderator)
    html = _reported_section(client.get(QUEUE).get_data(as_text=True))
    assert "2 reports" in html
    assert html.count('class="report"') == 2
    # the labels of both reasons, not only one of them, in the order they came
    spam, off_topic = html.index("Spam or advertising"), html.index("Off topic")
    assert spam < off_topic
    # the note is text: escaped, never markup
    assert "Advertising &lt;b&gt;a shop&lt;/b&gt;\nsecond line" in html and "<b>a shop</b>" not in html
    # who and when (in the plan's time zone: Bucharest is UTC+2 in March)
    assert re.search(r"reported by Otto Side on Mar 4, 2025, 12:00", html)
    assert re.search(r"reported by Mo Derator on Mar 5, 2025, 11:30", html)


def test_dismissed_reports_leave_the_queue_and_new_ones_show_alone(client, plan, stakeholder, outsider,
                                                                   moderator, db):
    comment = factories.make_comment(plan, stakeholder, body="Some text")
    _report(db, comment, outsider, "offensive", note="first note")
    client.login(moderator)
    assert client.post(QUEUE, {"action": "dismiss", "comment_ids": [comment.id]}).status_code == 302
    assert db.session.scalar(select(Report.resolved_at)) is not None
    assert "first note" not in client.get(QUEUE).get_data(as_text=True)
    # a later report on the same comment is listed without the dismissed one
    _report(db, comment, stakeholder, "personal_data", note="second note")
    html = _reported_section(client.get(QUEUE).get_data(as_text=True))
    assert "second note" in html and "first note" not in html and "1 report" in html
    assert "Reveals personal data" in html and "Offensive" not in html
    # hiding resolves them too
    assert client.post(QUEUE, {"action": "hide", "comment_ids": [comment.id], "reason": "personal_data"}) \
        .status_code == 302
    assert "second note" not in client.get(QUEUE).get_data(as_text=True)


def test_queue_query_count_does_not_grow_with_reported_comments(client, plan, stakeholder, outsider, moderator,
                                                                count_queries, db):
    def queue_queries():
        with count_queries() as statements:
            response = client.get(QUEUE)
            assert response.status_code == 200
        return len(statements), response.get_data(as_text=True)

    first = factories.make_comment(plan, stakeholder, body="comment 0")
    _report(db, first, outsider, "spam", note="note 0")
    client.login(moderator)
    small, html = queue_queries()
    assert "note 0" in html
    for n in range(1, 6):
        comment = factories.make_comment(plan, stakeholder, body=f"comment {n}")
        _report(db, comment, outsider, "spam", note=f"note {n} by outsider")
        _report(db, comment, moderator, "other", note=f"note {n} by moderator")
    large, html = queue_queries()
    assert all(f"note {n} by moderator" in html for n in range(1, 6))
    assert large == small, "the queue's query count grew with the reported comments"
