"""The one formatter of the numbers and dates the interface shows, in the interface's language.

Numbers: the decimal sign of the language (Vietnamese "0,50", English "0.50") and always the same number of
decimals for one kind of number (points and indices 2), rounded half-up from the exact ``Decimal`` (a float
would turn 0.125 into "0,12"). No group separator: points and indices stay below a thousand, and a "1.234"
would read as a decimal in English. Dates: dd/mm/yyyy (four-digit years), times to the minute, in this
computer's time zone.

The language is Qt's default locale (``ui/translator.install_language`` sets it), so a live language switch
needs no state here. Lower layers that write numbers into text (``scoring.rules.describe``) take these
functions as arguments rather than importing the UI.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from PySide6.QtCore import QLocale

POINTS = 2
INDEX = 2
SHARE = 2
"""Decimals of points, of indices (0–100) and of shares in percent."""


def decimal_point() -> str:
    return QLocale().decimalPoint() or "."


def number(value: Decimal | float | int | str | None, decimals: int = 2) -> str:
    """``value`` with exactly ``decimals`` decimals in the interface's notation; "" for None (and for
    something that is not a number: a view shows nothing rather than crash on a stored oddity)."""
    if value is None:
        return ""
    try:
        exact = value if isinstance(value, Decimal) else Decimal(str(value))
        if not exact.is_finite():
            return ""
        text = f"{exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
    except (InvalidOperation, ValueError):
        return ""
    if text.startswith("-") and text.strip("-0.") == "":
        text = text[1:]  # -0.00 after rounding reads as 0
    return text.replace(".", decimal_point())


def points(value: Decimal | float | int | str | None) -> str:
    return number(value, POINTS)


def index(value: Decimal | float | int | str | None) -> str:
    return number(value, INDEX)


def share(value: Decimal | float | int | str | None) -> str:
    return number(value, SHARE)


def plain(value: Decimal | float | int | str | None) -> str:
    """A number as it was written (a threshold "80", a step "0.25" stays as given), with the language's
    decimal sign: for values of a criteria set that are not points (percent thresholds)."""
    if value is None:
        return ""
    text = f"{value:f}" if isinstance(value, Decimal) else str(value)
    return text.replace(".", decimal_point())


def _local(value: datetime) -> datetime:
    return value.astimezone()  # stored times are aware UTC (models.UTCDateTime)


def day(value: date | datetime | None) -> str:
    """dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return f"{value:%d/%m/%Y}"


def moment(value: datetime | str | None, *, seconds: bool = False) -> str:
    """dd/mm/yyyy hh:mm(:ss) in this computer's time zone; an ISO text is read first (one that is not a
    time is shown as it is, shortened)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return value[:19]
    else:
        when = value
    return f"{_local(when):%d/%m/%Y %H:%M:%S}" if seconds else f"{_local(when):%d/%m/%Y %H:%M}"
