"""Who issues and signs each document, as Decree 30/2020 writes it: the issuing body's header, the number
symbol per document kind and issuer, and the signature block by authority.

One table (``NUMBER_SYMBOLS``) gives every kind its symbol, so no two kinds share one by accident; the
``reports`` setting's ``number_suffix`` still overrides it when set (services.report_data).
"""

from __future__ import annotations

PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
"""A People's Committee is named in full on its own header, with no body above it (Decree 30, appendix I)."""

NUMBER_SYMBOLS = {
    "appraisal": "BB-HĐTĐ",  # the council's minutes
    "self": "BC-{issuer}",  # the unit's self-assessment report: BC-SKHCN, BC-UBND
    "publication": "BC-HĐTĐ",  # the council's report publishing the results
    "notice": "TB-HĐTĐ",  # the council's notice of the first appraisal
    "submission": "TTr-SNV",  # the Department of Home Affairs' submission
    "decision": "QĐ-UBND",  # the provincial People's Committee's decision
    "analysis": "BC-SNV",  # the Department of Home Affairs' analysis of the results
}

_COMMITTEE_PREFIXES = ("UBND ", "Ủy ban nhân dân ", "ỦY BAN NHÂN DÂN ", "Uỷ ban nhân dân ")
_LOCALITIES = ("huyện ", "thị xã ", "thành phố ", "quận ", "xã ", "phường ", "thị trấn ", "đặc khu ")
_SKIPPED = {"và", "các", "của"}


def locality(name: str) -> str:
    """"UBND huyện Đức Trọng" → "huyện Đức Trọng": the place a People's Committee's name stands for (a
    note in brackets that tells two communes of one name apart in lists is left out)."""
    name = name.split(" (")[0] if name.endswith(")") else name
    for prefix in _COMMITTEE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):].strip()
    return name.strip()


def place_name(name: str) -> str:
    """"UBND xã Tân Hà", "Tỉnh An Khánh" → "Tân Hà", "An Khánh": the place as the date line writes it."""
    where = locality(name)
    for prefix in (*_LOCALITIES, "Tỉnh ", "TP. ", "tỉnh "):
        if where.lower().startswith(prefix.lower()):
            return where[len(prefix):].strip()
    return where


def province_committee(province: str) -> str:
    """"Tỉnh An Khánh" → "UBND TỈNH AN KHÁNH" (a department's parent, abbreviated as Decree 30 allows)."""
    if not province:
        return "UBND TỈNH"
    lowered = province.lower()
    if lowered.startswith(("tỉnh ", "thành phố ")):
        return f"UBND {province.upper()}"
    if lowered.startswith("tp. "):
        return f"UBND THÀNH PHỐ {province[4:].upper()}"
    return f"UBND TỈNH {province.upper()}"


def is_committee(kind: str) -> bool:
    """Whether a unit of ``kind`` is a People's Committee (a district's or a commune's)."""
    return kind in ("district", "commune")


def unit_issuer(kind: str, name: str, province: str) -> list[str]:
    """The header lines of a unit's own document: "ỦY BAN NHÂN DÂN" / "XÃ TÂN HÀ" for a People's Committee
    (in full, no parent), "UBND TỈNH AN KHÁNH" / "SỞ KHOA HỌC VÀ CÔNG NGHỆ" for a department."""
    if is_committee(kind):
        return [PEOPLES_COMMITTEE, locality(name).upper()]
    return [province_committee(province), name.upper()]


def abbreviation_of(name: str) -> str:
    """A symbol from a unit's name when it has no abbreviation: the initials ("Sở Khoa học và Công nghệ"
    → "SKHCN"), words already in capitals kept ("UBND")."""
    if name.startswith(_COMMITTEE_PREFIXES):
        return "UBND"
    out = []
    for word in name.split():
        if word.lower() in _SKIPPED:
            continue
        out.append(word if word.isupper() and len(word) > 1 else word[0].upper())
    return "".join(out)


def number_symbol(kind: str, issuer_abbreviation: str = "") -> str:
    """The number symbol of a document ``kind`` (``NUMBER_SYMBOLS``); ``issuer_abbreviation`` fills in the
    self-assessment's issuer (a People's Committee: UBND)."""
    return NUMBER_SYMBOLS[kind].replace("{issuer}", issuer_abbreviation or "UBND")


def is_deputy(position: str) -> bool:
    return position.strip().lower().startswith("phó ")


def unit_signer_heading(kind: str, head_title: str, position: str = "") -> list[str]:
    """The authority lines of a unit's head signing: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" (a People's
    Committee; its deputy "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"), "GIÁM ĐỐC" (a department; its deputy "KT.
    GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"). ``position``: the signer's, which tells a deputy."""
    if is_committee(kind):
        title = "CHỦ TỊCH"
        lead = f"TM. {PEOPLES_COMMITTEE}"
    else:
        title = (head_title or "Giám đốc").strip().upper()
        lead = ""
    if is_deputy(position):
        return [f"KT. {title}", f"PHÓ {title}"]
    return [lead, title] if lead else [title]


def council_signer_heading(position: str = "") -> list[str]:
    """The council's chair signing for the council ("TM. HỘI ĐỒNG" / "CHỦ TỊCH"); a vice-chair signing
    in the chair's stead "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"."""
    if is_deputy(position) and "hội đồng" in position.lower():
        return ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    return ["TM. HỘI ĐỒNG", "CHỦ TỊCH"]


def choose_signer(people: list[tuple[str, str]], kind: str, head_title: str) -> int | None:
    """The index of the person among (name, position) ``people`` who signs for the unit: the head or a
    deputy by position ("Giám đốc", "Phó Giám đốc", "Chủ tịch UBND …"), else the first; None if nobody."""
    if not people:
        return None
    title = ("Chủ tịch" if is_committee(kind) else head_title or "Giám đốc").lower()
    for i, (_name, position) in enumerate(people):
        p = position.strip().lower()
        if p.startswith(title) or p.startswith(f"phó {title}"):
            return i
    return 0


def criteria_citation(title: str, issued_by: str) -> str:
    """How a document cites the criteria set: by its issuing decision ("Quyết định số 1987/QĐ-UBND ngày
    22/12/2023 của UBND tỉnh ban hành …", the set's ``issued_by``) where it carries one, else by its
    title — never by its internal identity (``par-department-2024@1``)."""
    return issued_by.strip() or title.strip()


def committee_issuer(province: str) -> list[str]:
    """The provincial People's Committee's own header, in full with no parent (Decree 30): "ỦY BAN NHÂN
    DÂN" / "TỈNH AN KHÁNH" ("THÀNH PHỐ …" for a centrally governed city)."""
    lowered = province.lower()
    if lowered.startswith(("tỉnh ", "thành phố ")):
        where = province
    elif lowered.startswith("tp. "):
        where = f"Thành phố {province[4:]}"
    else:
        where = f"Tỉnh {province}" if province else "Tỉnh"
    return [PEOPLES_COMMITTEE, where.upper()]


def committee_signer_heading(position: str = "") -> list[str]:
    """The provincial People's Committee's signer: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"; a vice-chair signing
    in the chair's stead "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"."""
    return unit_signer_heading("district", "", position)  # any People's Committee signs so


def director_signer_heading(position: str = "") -> list[str]:
    """A department's director ("GIÁM ĐỐC"), or a deputy "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"."""
    return unit_signer_heading("department", "Giám đốc", position)


def province_name(province: str) -> str:
    """"Tỉnh An Khánh" / "An Khánh" → "tỉnh An Khánh" (how a sentence names the province)."""
    lowered = province.lower()
    if lowered.startswith(("tỉnh ", "thành phố ")):
        return province[0].lower() + province[1:]
    if lowered.startswith("tp. "):
        return f"thành phố {province[4:]}"
    return f"tỉnh {province}" if province else "tỉnh"
