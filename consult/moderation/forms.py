"""Forms for the moderation queue, tags, responses, meeting feedback and tally filters."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from consult.comments.forms import STANCE_LABELS
from consult.comments.models import BODY_MAX, STANCES
from consult.core.forms import Form, choices, strip
from consult.core.routing import parse_id
from consult.moderation.models import DISPOSITIONS, RESPONSE_MAX

HIDE_REASON_LABELS = {
    "spam": _l("spam or advertising"),
    "offensive": _l("offensive or abusive"),
    "off_topic": _l("off topic"),
    "personal_data": _l("personal data"),
    "other": _l("other reasons"),
}
DISPOSITION_LABELS = {
    "accepted": _l("Accepted"),
    "partly_accepted": _l("Partly accepted"),
    "not_accepted": _l("Not accepted"),
    "noted": _l("Noted"),
}
STATUS_LABELS = {
    "visible": _l("Visible"),
    "hidden": _l("Hidden"),
    "pending": _l("Waiting for approval"),
    "deleted": _l("Deleted by its author"),
}
EVENT_LABELS = {
    "approve": _l("approved"),
    "hide": _l("hid"),
    "restore": _l("restored"),
    "dismiss_reports": _l("dismissed the reports"),
    "tag": _l("tagged"),
    "untag": _l("removed a tag"),
    "respond": _l("answered"),
    "edit_response": _l("changed the answer"),
    "delete_response": _l("removed the answer"),
    "record_meeting_feedback": _l("recorded meeting feedback"),
    "publish_report": _l("published the report"),
    "withdraw_report": _l("withdrew the report"),
}


def event_label(event) -> str:
    """What an audit row records, in the reader's language."""
    if event.action == "untag" and event.comment_id is None:
        return _l("removed the tag from the plan")
    return EVENT_LABELS.get(event.action, event.action)


def event_details(event) -> str:
    """An audit row's reason in the reader's language: stored keys (hide reasons, dispositions) become
    their labels; free text (a note, a tag's name, a meeting table) stays as written."""
    reason = event.reason or ""
    if event.action == "hide":
        key, sep, note = reason.partition(": ")
        if key in HIDE_REASON_LABELS:
            return str(HIDE_REASON_LABELS[key]) + (sep + note if note else "")
    elif event.action in ("respond", "edit_response") and reason in DISPOSITION_LABELS:
        return str(DISPOSITION_LABELS[reason])
    elif event.action in ("publish_report", "withdraw_report") and reason.startswith("version "):
        number = reason.removeprefix("version ")
        if number.isdigit():
            return str(_l("version %(number)s", number=int(number)))
    return reason


BULK_ACTIONS = {
    "approve": _l("Approve"),
    "hide": _l("Hide"),
    "restore": _l("Restore"),
    "dismiss": _l("Dismiss reports"),
    "tag": _l("Add tag"),
    "untag": _l("Remove tag"),
}


def _filter_id(value):
    """An id chosen in a filter, None for "all"; anything that is not an id becomes 0, which no
    choice has, so the field is named as invalid rather than silently ignored."""
    if value is None or str(value).strip() == "":
        return None
    return parse_id(value) or 0


def _id(value):
    """An id the database can hold, else ValueError: WTForms reports the field's input as invalid."""
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number


class BulkForm(Form):
    """One act on a selection of comments (or on one comment, from its thread)."""

    comment_ids = SelectMultipleField(coerce=_id, validate_choice=False,
                                      validators=[DataRequired(message=_l("Select at least one comment."))])
    action = SelectField(_l("Action"), choices=choices(BULK_ACTIONS.items()))
    reason = SelectField(_l("Reason for hiding"), choices=choices([("", "—")] + list(HIDE_REASON_LABELS.items())),
                         validators=[Optional()])
    note = StringField(_l("Note for the log (optional)"), validators=[Optional(), Length(max=200)], filters=[strip])
    tag_id = SelectField(_l("Tag"), coerce=parse_id, validate_choice=False, validators=[Optional()])
    next = StringField(validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Apply to the selected comments"))

    def validate(self, extra_validators=None) -> bool:
        """Each act's own input is asked for beside its field: hiding needs a reason, tagging a tag."""
        valid = super().validate(extra_validators)
        if self.action.data == "hide" and not self.reason.data and not self.reason.errors:
            self.reason.errors = [*self.reason.errors, _l("Choose why the comment is hidden.")]
            valid = False
        if self.action.data in ("tag", "untag"):
            valid = _require_tag(self.tag_id) and valid
        return valid


def _require_tag(field) -> bool:
    """A tag chosen among the field's choices (the plan's tags)."""
    if field.data is not None and str(field.data) in {str(c.value) for c in field.choices if c.value}:
        return True
    if not field.errors:
        field.errors = [*field.errors, _l("Choose one of this plan's tags.")]
    return False


class FilterTagForm(Form):
    """Add or remove a tag on every comment a filter matches, on all its pages. The filter travels in
    hidden fields named as the list's query arguments; `expected` is the count the moderator was shown."""

    operation = SelectField(_l("Action"), choices=choices([("tag", BULK_ACTIONS["tag"]),
                                                           ("untag", BULK_ACTIONS["untag"])]))
    apply_tag = SelectField(_l("Tag"), coerce=parse_id, validate_choice=False, validators=[Optional()])
    expected = IntegerField(widget=HiddenInput(), validators=[InputRequired()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return _require_tag(self.apply_tag) and valid


class TagForm(Form):
    name = StringField(_l("Tag"), validators=[DataRequired(), Length(max=60)], filters=[strip])
    submit = SubmitField(_l("Add tag"))


class ResponseForm(Form):
    disposition = RadioField(_l("What was done with this comment?"),
                             choices=choices((d, DISPOSITION_LABELS[d]) for d in DISPOSITIONS),
                             validators=[DataRequired(message=_l("Choose what was done with this comment."))])
    body = TextAreaField(_l("Your answer (public)"),
                         validators=[DataRequired(message=_l("Write the answer: what was done, and why.")),
                                     Length(max=RESPONSE_MAX)],
                         render_kw={"maxlength": RESPONSE_MAX, "rows": 4, "data-markdown": "1"})
    addressed_in = SelectField(_l("Addressed in version"), coerce=_filter_id, validate_choice=True,
                               validators=[Optional()])
    submit = SubmitField(_l("Publish the answer"))


class MeetingFeedbackForm(Form):
    attribution = StringField(_l("Who said it"), validators=[DataRequired(), Length(max=120)], filters=[strip],
                              description=_l("A table or group, not a person: e.g. “World café, table 2”."))
    group_id = SelectField(_l("Stakeholder group (if one)"), coerce=parse_id, validators=[Optional()])
    stance = RadioField(_l("Stance"), choices=choices((s, STANCE_LABELS[s]) for s in STANCES),
                        validators=[DataRequired(message=_l("Choose a stance."))])
    body = TextAreaField(_l("What was said"), validators=[DataRequired(), Length(max=BODY_MAX)],
                         render_kw={"maxlength": BODY_MAX, "rows": 5, "data-markdown": "1"})
    tag_ids = SelectMultipleField(_l("Tags"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Record feedback"))


#: The years a tally filter accepts: at the calendar's ends, a day's start in the plan's zone, or the
#: day after the last one, is not a date Python can hold.
FIRST_YEAR, LAST_YEAR = 1900, 9998
_DAYS_ALLOWED = {"min": f"{FIRST_YEAR}-01-01", "max": f"{LAST_YEAR}-12-31"}


class TallyFilterForm(Form):
    """GET filters for the tally page (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    group = SelectField(_l("Stakeholder group"), coerce=_filter_id, validators=[Optional()])
    tag = SelectField(_l("Tag"), coerce=_filter_id, validators=[Optional()])
    source = SelectField(_l("Source"), choices=choices([("", _l("Online and meetings")), ("online", _l("Online")),
                                                        ("meeting", _l("Meetings"))]), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()], render_kw=_DAYS_ALLOWED)
    until = DateField(_l("Until"), validators=[Optional()], render_kw=_DAYS_ALLOWED)
    submit = SubmitField(_l("Filter"))

    def _check_year(self, field):
        if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            raise ValidationError(_l("Choose a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR))

    def validate_since(self, field):
        self._check_year(field)

    def validate_until(self, field):
        self._check_year(field)
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end of the period comes before its start."))
