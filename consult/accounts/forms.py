"""Forms for logging in, registering and the profile."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from consult.accounts.models import PASSWORD_MIN_LENGTH, ROLES
from consult.core.forms import Form, choices, strip

PASSWORD_LENGTH = Length(min=PASSWORD_MIN_LENGTH, max=200,
                         message=_l("The password must have at least %(min)d and at most %(max)d characters."))


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)], filters=[strip])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))
    submit = SubmitField(_l("Log in"))


class RegisterForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)], filters=[strip],
                       description=_l("Shown next to what you write."))
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(check_deliverability=False),
                                                         Length(max=254)], filters=[strip])
    password = PasswordField(_l("Password"), validators=[DataRequired(), PASSWORD_LENGTH],
                             description=_l("At least %(n)s characters.", n=PASSWORD_MIN_LENGTH))
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])
    submit = SubmitField(_l("Create account"))


class PasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), PASSWORD_LENGTH],
                             description=_l("At least %(n)s characters.", n=PASSWORD_MIN_LENGTH))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])
    submit = SubmitField(_l("Change password"))


class ProfileForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)], filters=[strip])
    locale = SelectField(_l("Language"), validators=[Optional()],
                         choices=choices([("", _l("As my browser")), ("en", "English"), ("ro", "Română")]))
    notify_replies = BooleanField(_l("E-mail me about replies to my comments, answers from the team, and new "
                                     "versions of plans I commented on"))
    submit = SubmitField(_l("Save"))


class LanguageForm(Form):
    lang = SelectField(_l("Language"), choices=choices([("en", "English"), ("ro", "Română")]))
    submit = SubmitField(_l("Change language"))


ROLE_LABELS = {"team": _l("Project team"), "moderator": _l("Moderator"), "stakeholder": _l("Stakeholder")}


class MemberForm(Form):
    email = EmailField(_l("E-mail address of a registered user"),
                       validators=[DataRequired(), Length(max=254)], filters=[strip])
    role = SelectField(_l("Role"), choices=choices((r, ROLE_LABELS[r]) for r in ROLES), default="stakeholder")
    group_id = SelectField(_l("Stakeholder group"), coerce=lambda v: int(v) if v not in (None, "", "None") else None,
                           validate_choice=True)
    submit = SubmitField(_l("Add member"))


class MemberUpdateForm(Form):
    role = SelectField(_l("Role"), choices=choices((r, ROLE_LABELS[r]) for r in ROLES))
    group_id = SelectField(_l("Stakeholder group"), coerce=lambda v: int(v) if v not in (None, "", "None") else None)
    submit = SubmitField(_l("Save"))


class GroupForm(Form):
    name = StringField(_l("Group name"), validators=[DataRequired(), Length(max=80)], filters=[strip])
    submit = SubmitField(_l("Add group"))


class GroupRenameForm(Form):
    name = StringField(_l("Group name"), validators=[DataRequired(), Length(max=80)], filters=[strip])
    submit = SubmitField(_l("Rename"))


class EmptyForm(Form):
    """A form with only the CSRF token, for buttons that change state."""

    submit = SubmitField(_l("Confirm"))




class UserAccessForm(Form):
    is_admin = BooleanField(_l("Site admin"))
    disabled = BooleanField(_l("Disabled"))
    submit = SubmitField(_l("Save"))


class TokenForm(Form):
    name = StringField(_l("What is the token for?"), validators=[DataRequired(), Length(max=80)], filters=[strip],
                       description=_l("For example: “survey import script”."))
    submit = SubmitField(_l("Create token"))
