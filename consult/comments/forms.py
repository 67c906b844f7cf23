"""Forms for writing, editing and reporting comments."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.comments.models import BODY_MAX, QUOTE_MAX, REPORT_REASONS, STANCES
from consult.core.forms import Form, choices

STANCE_LABELS = {
    "support": _l("Support"),
    "concern": _l("Concern"),
    "suggestion": _l("Suggestion"),
    "question": _l("Question"),
}
STANCE_HINTS = {
    "support": _l("I agree with this action."),
    "concern": _l("Something worries me."),
    "suggestion": _l("I propose a change."),
    "question": _l("I would like to know more."),
}
STANCE_MISSING = _l("Choose whether you support the action, have a concern, a suggestion or a question.")
REASON_LABELS = {
    "spam": _l("Spam or advertising"),
    "offensive": _l("Offensive or abusive"),
    "off_topic": _l("Off topic"),
    "personal_data": _l("Reveals personal data"),
    "other": _l("Something else"),
}


def _body_field(label):
    return TextAreaField(label, validators=[DataRequired(), Length(max=BODY_MAX)],
                         render_kw={"maxlength": BODY_MAX, "rows": 5, "data-markdown": "1"})


class CommentForm(Form):
    stance = RadioField(_l("Your stance"), choices=choices((s, STANCE_LABELS[s]) for s in STANCES),
                        validators=[Optional()])
    body = _body_field(_l("Your comment"))
    parent_id = HiddenField()
    #: A passage quoted from the action: chosen by paragraph (works without JavaScript) …
    quote_paragraph = SelectField(_l("Comment on a passage (optional)"), validate_choice=False,
                                  validators=[Optional()])
    #: … or selected in the text (the page's script fills these).
    anchor_field = HiddenField(validators=[Optional(), Length(max=20)])
    anchor_quote = HiddenField(validators=[Optional(), Length(max=QUOTE_MAX)])
    anchor_prefix = HiddenField(validators=[Optional(), Length(max=200)])
    anchor_suffix = HiddenField(validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Send comment"))
    preview = SubmitField(_l("Preview"))

    def validate(self, extra_validators=None) -> bool:
        """A top-level comment needs a stance (a reply joins its thread without one); every missing
        field is marked at once, not the stance only after the body is fixed."""
        valid = super().validate(extra_validators)
        if not self.parent_id.data and not self.stance.data and not self.stance.errors:
            self.stance.errors = [*self.stance.errors, STANCE_MISSING]
            return False
        return valid


class EditForm(Form):
    body = _body_field(_l("Your comment"))
    submit = SubmitField(_l("Save changes"))
    preview = SubmitField(_l("Preview"))


class ReportForm(Form):
    reason = RadioField(_l("Why should the moderators look at this comment?"),
                        choices=choices((r, REASON_LABELS[r]) for r in REPORT_REASONS), validators=[DataRequired()])
    note = TextAreaField(_l("Anything to add (optional)"), validators=[Optional(), Length(max=500)],
                         render_kw={"maxlength": 500, "rows": 3})
    submit = SubmitField(_l("Send report"))
