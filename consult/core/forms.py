"""Small helpers shared by the domain packages' forms."""
from flask_wtf import FlaskForm
from wtforms import SelectChoice
from wtforms.validators import Length


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    """A WTForms filter: trim surrounding whitespace and drop NUL characters (no database stores them)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


def drop_nul(value):
    """A WTForms filter: drop NUL characters, which no database stores (PostgreSQL refuses them)."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class Form(FlaskForm):
    """The base of every form: each field's input loses its NUL characters before anything else,
    so no field can carry one to the database, whichever filters it declares."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            options["filters"] = (drop_nul, *(unbound_field.kwargs.get("filters") or ()))
            return unbound_field.bind(form=form, **options)


def max_length(field) -> int | None:
    """The most characters a field's Length validators allow, or None when nothing caps it."""
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max is not None and v.max >= 0]
    return min(limits) if limits else None


def add_errors(form, error, aliases: dict[str, str] | None = None) -> None:
    """Show an operation's refusal (an `Invalid` with per-field messages) on the form that was sent, so
    the page is shown again with what was typed rather than a dead-end error page. A message for a
    field the form does not have or does not show (a hidden one), or none at all, goes to the form's
    own errors, which the errors summary lists."""
    fields = getattr(error, "fields", None) or {}
    shown = False
    for name, message in fields.items():
        field = form._fields.get((aliases or {}).get(name, name))
        if field is not None and field.type != "HiddenField":
            field.errors = [*field.errors, message]
            shown = True
    if not shown:
        form.form_errors.append(error.message)
