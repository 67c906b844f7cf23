"""Forms for plans, draft versions, actions and publishing."""
import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from consult.core.forms import Form, choices, strip
from consult.core.models import utcnow
from consult.core.routing import MAX_INT
from consult.core.time import is_timezone, local_to_utc, time_exists, timezone_names
from consult.plans.models import VISIBILITIES

MARKDOWN_MAX = 20_000
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"new", "api", "static", "admin", "login", "logout", "register", "account"}


def markdown_field(label, description=None, max_length=MARKDOWN_MAX, required=False):
    validators = [DataRequired()] if required else [Optional()]
    validators.append(Length(max=max_length))
    return TextAreaField(label, validators=validators, description=description,
                         render_kw={"data-markdown": "1", "maxlength": max_length, "rows": 6})


VISIBILITY_LABELS = {"public": _l("Public: anyone can read it"),
                     "invite": _l("Invite-only: members only")}


class PlanForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    slug = StringField(_l("Address"), validators=[
        DataRequired(), Length(min=3, max=80),
        Regexp(SLUG_RE, message=_l("Use lower-case letters, digits and single hyphens, e.g. “my-city-plan”."))],
        filters=[strip], description=_l("Part of the plan's web address: /plans/<address>."))
    summary = TextAreaField(_l("Short summary"), validators=[Optional(), Length(max=500)], filters=[strip],
                            description=_l("One or two sentences shown in the list of plans."),
                            render_kw={"rows": 2, "maxlength": 500})
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)], filters=[strip])
    project = StringField(_l("Project"), validators=[Optional(), Length(max=200)], filters=[strip])
    policy_instrument = StringField(_l("Policy instrument addressed"), validators=[Optional(), Length(max=300)],
                                    filters=[strip])
    language = SelectField(_l("Language of the plan"), choices=choices([("en", "English"), ("ro", "Română")]))
    timezone = SelectField(_l("Time zone"), default="Europe/Bucharest")
    premoderation = BooleanField(_l("Pre-moderation: stakeholders' new comments wait for a moderator's approval"))
    visibility = SelectField(_l("Visibility"), choices=choices((v, VISIBILITY_LABELS[v]) for v in VISIBILITIES))
    submit = SubmitField(_l("Save plan"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = choices((name, name) for name in timezone_names())

    def validate_slug(self, field):
        if field.data in RESERVED_SLUGS:
            raise ValidationError(_l("This address is reserved; please choose another."))

    def validate_timezone(self, field):
        if not is_timezone(field.data):
            raise ValidationError(_l("Unknown time zone."))


class GeneralPartForm(Form):
    summary = markdown_field(_l("Summary"), _l("What the plan is about, in a few paragraphs."))
    policy_context = markdown_field(_l("Policy context"),
                                    _l("The policy instrument addressed and how the plan improves it."))
    submit = SubmitField(_l("Save general part"))
    preview = SubmitField(_l("Preview"))


class ActionForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    background = markdown_field(_l("Background"), _l("The lessons learnt that inspired this action."))
    description = markdown_field(_l("The action"), _l("What will be done."))
    players = markdown_field(_l("Players involved"), _l("Who takes part and what role each plays."))
    timeframe = markdown_field(_l("Timeframe"))
    costs = markdown_field(_l("Costs"), _l("An estimate of what it costs."))
    funding = markdown_field(_l("Funding sources"))
    submit = SubmitField(_l("Save action"))
    preview = SubmitField(_l("Preview"))


class PublishForm(Form):
    change_summary = markdown_field(_l("Change summary"), _l("What changed since the previous version, and why."))
    opens_at = DateTimeLocalField(_l("Consultation opens"), validators=[Optional()], format="%Y-%m-%dT%H:%M",
                                  description=_l("Optional; in the plan's time zone. Leave both empty for no window."))
    closes_at = DateTimeLocalField(_l("Consultation closes"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    #: The draft the form was loaded for: a stale form must not publish a later draft.
    version = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(1, MAX_INT)])
    submit = SubmitField(_l("Publish this version"))

    def __init__(self, *args, zone: str = "UTC", first: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        #: The plan's time zone, in which the window's times are typed.
        self.zone = zone
        #: Whether no version is published yet: the first has nothing to have changed from.
        self.first = first

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Not a field validator: the field's Optional() stops its chain on empty input.
        if not self.first and not (self.change_summary.data or "").strip():
            self.change_summary.errors = [*self.change_summary.errors, _l(
                "Say what changed since the previous version, and why: the version's page and the e-mail to its "
                "readers start with it.")]
            return False
        return valid

    def _check_exists(self, field):
        if field.data and not time_exists(field.data, self.zone):
            raise ValidationError(_l("This time does not exist in %(zone)s (clocks change).", zone=self.zone))

    def validate_opens_at(self, field):
        self._check_exists(field)

    def validate_closes_at(self, field):
        self._check_exists(field)
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The consultation must close after it opens."))
        # Opening in the past is fine (the window is open at once); closing in the past is not.
        if field.data and local_to_utc(field.data, self.zone) <= utcnow():
            raise ValidationError(_l("The consultation cannot close in the past."))


class MoveForm(Form):
    direction = SelectField(choices=choices([("up", "up"), ("down", "down")]))


ACTION_FIELD_LABELS = {
    "background": _l("Background"),
    "description": _l("The action"),
    "players": _l("Players involved"),
    "timeframe": _l("Timeframe"),
    "costs": _l("Costs"),
    "funding": _l("Funding sources"),
}
GENERAL_FIELD_LABELS = {"summary": _l("Summary"), "policy_context": _l("Policy context")}

CHANGE_LABELS = {
    "added": _l("added"),
    "removed": _l("removed"),
    "changed": _l("changed"),
    "moved": _l("moved"),
    "unchanged": _l("unchanged"),
}
