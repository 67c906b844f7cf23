"""Small helpers shared by the domain packages' forms."""
from wtforms import SelectChoice


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    """A WTForms filter: trim surrounding whitespace and drop NUL characters (no database stores them)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value
