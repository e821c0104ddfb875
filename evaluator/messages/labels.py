"""Names of stages, roles, unit kinds and text fields shown to people: one table (Vietnamese, English in the
catalogue) for the GUI's labels (``ui/labels.py``) and the services' messages.

In a message a stage, role or kind is a :class:`Term`: Vietnamese shows its label, English its code, as the
English messages always did (the codes are what the command line takes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from evaluator import i18n
from evaluator.i18n import N_

STAGES: dict[str, str] = {
    "self": N_("Tự chấm"),
    "appraisal1": N_("Thẩm định vòng 1"),
    "explanation": N_("Giải trình"),
    "appraisal2": N_("Thẩm định vòng 2"),
    "survey": N_("Điều tra XHH"),
}
ROLES: dict[str, str] = {
    "assessor": N_("Cán bộ tự đánh giá"),
    "member": N_("Thành viên tổ thẩm định"),
    "leader": N_("Tổ trưởng tổ thẩm định"),
    "secretary": N_("Thư ký hội đồng"),
    "committee": N_("Hội đồng thẩm định"),
}
KINDS: dict[str, str] = {
    "department": N_("Sở, ban, ngành"),
    "district": N_("UBND cấp huyện"),
    "commune": N_("UBND cấp xã"),
}
FIELDS: dict[str, str] = {  # the free-text fields a person fills in (fields.py's rules)
    "note": N_("ghi chú"),
    "reason": N_("lý do"),
    "reference": N_("trang/mục tham chiếu"),
    "author": N_("họ tên người thực hiện"),
}
CHOICES: dict[str, str] = {  # what the committee gives to settle a conflict (services/conflicts.py)
    "take": N_("giá trị cần giữ"),
    "points": N_("điểm"),
    "reason": N_("lý do"),
    "author": N_("họ tên người thực hiện"),
}
TABLES = {"stage": STAGES, "role": ROLES, "kind": KINDS, "field": FIELDS, "choice": CHOICES}


DECLARED_KINDS: dict[str, tuple[str, str]] = {}
"""Unit kinds a criteria set declares beyond ``KINDS``: code -> (Vietnamese, English label), in the order
they were first read (``frameworks.loader`` fills it whenever it reads a set: the sets are data, so their
labels cannot live in the catalogue)."""


def declare_kinds(kinds: Mapping[str, tuple[str, str]]) -> None:
    """Remember the labels of declared kinds (a later set's labels replace an earlier one's)."""
    for code, pair in kinds.items():
        if code not in KINDS:
            DECLARED_KINDS[code] = (pair[0], pair[1])


def declared_kinds() -> tuple[str, ...]:
    return tuple(DECLARED_KINDS)


def label(table: str, code: str, language: str | None = None) -> str:
    """The label of a stage/role/kind in ``language`` (default: the current one); an unknown code as it is."""
    source = TABLES[table].get(code)
    if source is None and table == "kind" and code in DECLARED_KINDS:
        vi, en = DECLARED_KINDS[code]
        return vi if (language or i18n.language()) == i18n.SOURCE_LANGUAGE else en
    return code if source is None else i18n.text(source, language)


@dataclass(frozen=True)
class Term:
    """A stage, role or kind as a message parameter: its label in Vietnamese, its code in English (a kind a
    set declares: its English label, as its code is the province's own word)."""

    table: str
    code: str

    def render(self, language: str | None = None) -> str:
        lang = language or i18n.language()
        if self.table == "kind" and self.code in DECLARED_KINDS:
            return label(self.table, self.code, lang)
        return self.code if lang != i18n.SOURCE_LANGUAGE else label(self.table, self.code, lang)

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class Terms:
    """Several stages, roles or kinds as one message parameter, joined with commas (each as a Term)."""

    table: str
    codes: tuple[str, ...]

    def render(self, language: str | None = None) -> str:
        return ", ".join(Term(self.table, code).render(language) for code in self.codes)

    def __str__(self) -> str:
        return self.render()


def stage(code: str) -> Term:
    return Term("stage", code)


def role(code: str) -> Term:
    return Term("role", code)


def kind(code: str) -> Term:
    return Term("kind", code)


def field(code: str) -> Term:
    return Term("field", code)


@dataclass(frozen=True)
class Called:
    """Something a caller names in its own English word (the command line: its flag, e.g. ``--points``) as a
    message parameter: that word in English, as the English always said, its label in Vietnamese (which
    never names a flag)."""

    table: str
    code: str
    english: str

    def render(self, language: str | None = None) -> str:
        lang = language or i18n.language()
        return self.english if lang != i18n.SOURCE_LANGUAGE else label(self.table, self.code, lang)

    def __str__(self) -> str:
        return self.render()
