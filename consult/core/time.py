"""Time zones: store UTC, show and accept times in a plan's zone and the reader's locale."""
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.dates import get_date_format, get_datetime_format, get_time_format
from flask_babel import get_locale


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    skip = ("Etc/", "SystemV/", "posix/", "right/")
    names = {n for n in available_timezones() if "/" in n and not n.startswith(skip)}
    names.add("UTC")
    return tuple(sorted(names))


def is_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in timezone_names()


class NonexistentTime(ValueError):
    """A wall-clock time skipped when the clocks go forward (e.g. 03:30 on the last Sunday of March
    in Europe/Bucharest)."""


def time_exists(naive: datetime, zone: str) -> bool:
    """Whether the wall-clock time happens in `zone`: it survives the round trip through UTC."""
    local = naive.replace(tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None) == naive


def local_to_utc(naive: datetime, zone: str) -> datetime:
    """A wall-clock time in `zone` (as typed in a form) to an aware UTC datetime.

    A time in the spring-forward gap does not exist: NonexistentTime (forms check `time_exists`
    first and say so). A time that happens twice when the clocks go back is taken as the first
    of the two (still summer time, `fold=0`): a consultation window is not set to the hour.
    """
    if not time_exists(naive, zone):
        raise NonexistentTime(f"{naive:%Y-%m-%d %H:%M} does not exist in {zone}")
    return naive.replace(tzinfo=ZoneInfo(zone), fold=0).astimezone(UTC)


def utc_to_local(value: datetime, zone: str) -> datetime:
    return value.astimezone(ZoneInfo(zone))


def format_datetime(value: datetime | None, zone: str, fmt: str = "medium") -> str:
    """Format a UTC datetime in `zone` for the current reader's locale: the date as `fmt`,
    the time to the minute, and the offset from UTC (e.g. "Feb 20, 2027, 9:59 AM GMT+02:00")."""
    if value is None:
        return ""
    locale = Locale.parse(str(get_locale() or "en"))
    pattern = get_datetime_format(fmt, locale).format(
        get_time_format("short", locale).pattern + " ZZZZ", get_date_format(fmt, locale).pattern)
    return _format_datetime(value, format=pattern, tzinfo=ZoneInfo(zone), locale=locale)


def format_date(value: datetime | None, zone: str, fmt: str = "long") -> str:
    if value is None:
        return ""
    return _format_date(utc_to_local(value, zone).date(), format=fmt, locale=str(get_locale() or "en"))
