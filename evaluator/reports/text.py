"""Numbers and dates the Vietnamese way (decimal comma, dot thousands, "ngày … tháng … năm …")."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MINUS = "−"
RANKING_HEADER = (
    "Hạng",
    "Mã",
    "Đơn vị",
    "Tổng điểm",
    "Điểm tối đa",
    "Chỉ số (%)",
    "Thay đổi hạng",
    "Thay đổi điểm",
    "Xếp loại",
)
"""The columns of a published ranking, in the PDF publication and the results workbook alike."""


def vn_number(
    value: Decimal | float | int | None, decimals: int = 2, *, trim: bool = False, sign: bool = False
) -> str:
    """``Decimal('1234.5')`` → ``1.234,50`` (``trim``: ``1.234,5``); None → ``""``."""
    if value is None:
        return ""
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    number = (
        number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if decimals
        else number.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
    negative = number < 0
    text = f"{abs(number):,.{decimals}f}"
    whole, _, frac = text.partition(".")
    whole = whole.replace(",", ".")
    if trim:
        frac = frac.rstrip("0")
    out = whole + ("," + frac if frac else "")
    if negative and number != 0:
        return MINUS + out
    return ("+" + out) if sign and number > 0 else out


def points(value: Decimal | None) -> str:
    """Points in a document: always two decimals (``89,40``, never ``89,4`` beside ``92,91``)."""
    return vn_number(value, 2)


def signed(value: Decimal | None) -> str:
    """A change of points: ``+1,50``, ``−0,25``, ``0,00``."""
    return vn_number(value, 2, sign=True)


def index(value: Decimal | None, decimals: int = 2) -> str:
    return vn_number(value, decimals)


def vn_date(place: str, on: date) -> str:
    """``Đắk Nông, ngày 26 tháng 5 năm 2023``. Decree 30: days below 10 and the months 1 and 2 take a
    leading zero (``ngày 05 tháng 01``)."""
    day = f"{on.day:02d}" if on.day < 10 else str(on.day)
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"{place}, ngày {day} tháng {month} năm {on.year}"


REORGANISED = {"merged": "gộp", "renamed": "đổi tên"}
"""How the rank-change column names a unit that has no rank of its own last year (``results.BASES``)."""


def rank_change(change: int | None, compared: bool, basis: str = "") -> str:
    """"tăng 4 bậc"; a merged unit (ranked apart last year) "gộp"; a renamed one its change, "(đổi tên)"."""
    if change is None:
        return REORGANISED.get(basis) or ("mới" if compared else "–")
    text = "giữ nguyên" if change == 0 else f"tăng {change} bậc" if change > 0 else f"giảm {-change} bậc"
    return f"{text} (đổi tên)" if basis == "renamed" else text


TIE_POLICIES = {
    "min": "cùng hạng và bỏ qua hạng kế tiếp (ví dụ 1-2-2-4)",
    "dense": "cùng hạng, hạng kế tiếp liền sau (ví dụ 1-2-2-3)",
    "ordinal": "xếp theo mã đơn vị, không có đồng hạng (1-2-3-4)",
}


def tie_rule(
    policy: str, breakers: tuple[str, ...] | list[str] = (), areas: dict[str, str] | None = None
) -> str:
    """How a set ranks units of equal index, as its ranking really does it (``scoring.ranking.rank``):
    the tie-breakers in order, then the tie policy for units still equal."""
    names = []
    for b in breakers:
        if b == "appraisal":
            names.append("tổng điểm thẩm định (không kể điểm điều tra xã hội học)")
        elif b == "survey":
            names.append("điểm điều tra xã hội học")
        elif b.startswith("area:"):
            code = b[5:]
            title = (areas or {}).get(code, "")
            names.append(f"chỉ số thành phần lĩnh vực {code}" + (f" ({title})" if title else ""))
        else:
            names.append(b)
    still = TIE_POLICIES.get(policy, policy)
    if not names:
        return f"các đơn vị bằng Chỉ số {still}"
    return (
        f"các đơn vị bằng Chỉ số được xếp theo {', rồi theo '.join(names)}, đơn vị cao hơn xếp trên; "
        f"nếu vẫn bằng nhau thì {still}"
    )
