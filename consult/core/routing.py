"""Numbers read from addresses and forms stay within what the database can store."""
from werkzeug.routing import IntegerConverter

#: The largest value of an INTEGER column on PostgreSQL (SQLite's go up to 2**63 - 1): ids and
#: version numbers beyond it cannot exist, and sending them to the database overflows.
MAX_INT = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` that does not match a number beyond MAX_INT, so a huge id is a 404, not a 500.

    `create_app` installs it as the `int` converter, so every route taking `<int:…>` uses it."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(raw) -> int | None:
    """A positive whole number (ASCII digits only) up to MAX_INT, or None for anything else."""
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_INT else None
