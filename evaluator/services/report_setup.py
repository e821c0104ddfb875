"""The people and places of the documents: the issuing body, the council, each unit's representatives, the
council's conclusions and the unit's opinion — the project setting ``reports`` (see docs/reports.md).

The setting is checked as a whole before it is stored (a typo in a key or a unit code would otherwise leave
dotted lines in a signed minute without a word), stored in its normal form, and every change is audited.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import Problems, UserError
from evaluator.messages import Message
from evaluator.models import Setting, Unit
from evaluator.models.schema import KIND_ORDER
from evaluator.services import audit
from evaluator.services.changes import Change

SETTING = "reports"
ACTION = "settings.reports"
MAX_TEXT = 2000
"""Longest text accepted (a conclusion is a paragraph or two; a name or position is far shorter)."""

TEXT_KEYS = ("place", "number_suffix")
PERSON_KEYS = ("chair", "secretary")
UNIT_TEXT_KEYS = ("conclusions", "unit_opinions")
MEETING = "meeting"
MEETINGS = "meetings"
MEETING_KEYS = ("start", "end", "place")
"""A council's appraisal meeting (its default) or one unit's (``meetings``): when it starts ("YYYY-MM-DD
HH:MM"), when it ends ("HH:MM" the same day, or "YYYY-MM-DD HH:MM") and where — the minutes print them,
as nothing can be filled in by hand on a digitally signed document."""
ADDRESSES = ("Ông", "Bà")
"""A person's form of address (``address``): the minutes write "Ông"/"Bà", "Ông/Bà" only when unknown."""
COUNCIL_KEYS = ("issuing_body", *TEXT_KEYS, *PERSON_KEYS, "council", MEETING)
"""What a council is: its header, place and number symbol, chair, secretary, members and meeting."""
DISTRICTS = "district_councils"
"""Years with districts: one council per district appraises the district's communes (issue 14)."""
PROVINCE_PERSON_KEYS = ("committee_chair", "home_affairs_director")
"""Who signs the province's own documents (issue 15): the decision publishing the results ("TM. ỦY BAN
NHÂN DÂN / CHỦ TỊCH", a "Phó Chủ tịch …" position signs "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") and the
Department of Home Affairs' submission and analysis ("GIÁM ĐỐC", a "Phó Giám đốc …" "KT. GIÁM ĐỐC / PHÓ
GIÁM ĐỐC")."""
PROVINCE_TEXT_KEYS = ("submission_ref",)
"""The Department of Home Affairs' submission the decision answers ("45/TTr-SNV ngày 20/01/2025")."""
NOTICE = "notice"
NOTICE_KEYS = ("explanation_days", "deadline", "days_off")
"""The notice of the first appraisal (``report notice``): the deadline for the units' explanations, an
explicit date ("YYYY-MM-DD") or a number of working days after the notice's date (default
``notice_data.EXPLANATION_DAYS``)."""
MAX_EXPLANATION_DAYS = 60
MAX_DAYS_OFF = 366
KEYS = (*COUNCIL_KEYS, "representatives", *UNIT_TEXT_KEYS, MEETINGS, DISTRICTS, NOTICE,
        *PROVINCE_PERSON_KEYS, *PROVINCE_TEXT_KEYS)


def empty_council() -> dict[str, Any]:
    return {"issuing_body": [], "place": "", "number_suffix": "",
            "chair": {"name": "", "position": ""}, "secretary": {"name": "", "position": ""}, "council": [],
            MEETING: empty_meeting()}


def empty_meeting() -> dict[str, str]:
    return dict.fromkeys(MEETING_KEYS, "")


def empty_setup() -> dict[str, Any]:
    """The normal form with nothing filled in."""
    return {**empty_council(), "representatives": {}, "conclusions": {}, "unit_opinions": {}, MEETINGS: {},
            DISTRICTS: {}, NOTICE: empty_notice(),
            **{k: {"name": "", "position": ""} for k in PROVINCE_PERSON_KEYS},
            **dict.fromkeys(PROVINCE_TEXT_KEYS, "")}


def empty_notice() -> dict[str, Any]:
    return {"explanation_days": None, "deadline": "", "days_off": []}


def council_filled(council: dict[str, Any]) -> bool:
    """Whether a council (normal form) has anything filled in: an empty one is not kept."""
    return council != empty_council()


def report_setup(session: Session) -> dict[str, Any]:
    """The stored setting in its normal form: every key present, people as ``{"name", "position"[, "role"]}``.

    A setting written by hand or by an older program is read leniently (what cannot be read is left empty);
    ``set_report_setup`` is the strict door.
    """
    row = session.get(Setting, SETTING)
    stored = row.value if row is not None and isinstance(row.value, dict) else {}
    return normalise(stored, Problems(), set())


def setup_units(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every unit of the project, departments, districts, communes, each by code: the
    setting is keyed by any of them, whatever the year."""
    rows = session.execute(select(Unit.code, Unit.name, Unit.kind)).all()
    return [(code, name) for code, name, _kind in sorted(rows, key=lambda r: (KIND_ORDER.get(r[2], 9), r[0]))]


def setup_districts(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the project's districts: each may have a council for its communes."""
    return [(c, n) for c, n in session.execute(select(Unit.code, Unit.name).where(Unit.kind == "district")
                                               .order_by(Unit.code))]


def set_report_setup(session: Session, setup: Any, *, author: str = "", role: str = "",
                     device_id: str = "") -> Change:
    """Check and store the whole setting (the normal form of ``setup``); audited with the old and new value.

    ``UserError`` naming every problem (``council[2].name: …``, ``representatives: unit 'SO99' …``), and
    nothing stored, when ``setup`` is not valid.
    """
    problems = Problems()
    rows = session.execute(select(Unit.code, Unit.kind)).all()
    units = {code for code, _kind in rows}
    districts = {code for code, kind in rows if kind == "district"}
    new = normalise(setup, problems, units, districts)
    if problems.items:
        raise UserError("report.setting_refused", problems.items, count=len(problems.items))
    old = report_setup(session)
    if old == new:
        return Change()
    session.merge(Setting(key=SETTING, value=new))
    audit.record(session, ACTION, author=author, role=role, device_id=device_id, old=_changed(old, new),
                 new=_changed(new, old))
    return Change(audit=True)


def _changed(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The keys of ``a`` whose value differs in ``b`` (the audit event keeps what changed, not everything)."""
    return {k: v for k, v in a.items() if b.get(k) != v}


# --- checking -----------------------------------------------------------------------------------------
def normalise(setup: Any, problems: Problems, units: set[str],
              districts: set[str] | None = None) -> dict[str, Any]:
    """``setup`` in its normal form; what is wrong goes to ``problems``. ``units``: the project's unit codes
    (an empty set skips that check, for reading what is stored) and ``districts`` its districts' (None skips
    that check; an empty set: the project has no district, so no district council)."""
    out = empty_setup()
    if not isinstance(setup, dict):
        problems.add("report.setup_not_object", keys=", ".join(KEYS), kind=_kind(setup))
        return out
    for key in setup:
        if key not in KEYS:
            problems.add("report.setup_unknown_key", key=key, keys=", ".join(KEYS))
    out.update(_council(setup, "", problems))
    for key in PROVINCE_PERSON_KEYS:
        out[key] = _person(setup.get(key), key, problems, with_role=False)
    for key in PROVINCE_TEXT_KEYS:
        out[key] = _text(setup.get(key), key, problems)
    reps = _per_unit(setup.get("representatives"), "representatives", problems, units)
    for code, people in reps.items():
        listed = people if isinstance(people, list) else [people]  # one representative without the list
        kept = [p for i, v in enumerate(listed)
                if any((p := _person(v, f"representatives.{code}[{i}]", problems, with_role=False)).values())]
        if kept:
            out["representatives"][code] = kept
    for key in UNIT_TEXT_KEYS:
        for code, value in _per_unit(setup.get(key), key, problems, units).items():
            if text := _text(value, f"{key}.{code}", problems):
                out[key][code] = text
    for code, value in _per_unit(setup.get(MEETINGS), MEETINGS, problems, units).items():
        if any(meeting := _meeting(value, f"{MEETINGS}.{code}", problems)):
            out[MEETINGS][code] = meeting
    for code, value in _per_unit(setup.get(DISTRICTS), DISTRICTS, problems, units).items():
        where = f"{DISTRICTS}.{code}"
        if districts is not None and code not in districts:
            problems.add("report.setup_not_district", where=where)
            continue
        if not isinstance(value, dict):
            problems.add("report.setup_council_not_object", where=where, keys=", ".join(COUNCIL_KEYS),
                         kind=_kind(value))
            continue
        for key in value:
            if key not in COUNCIL_KEYS:
                problems.add("report.setup_unknown_key", key=f"{where}.{key}", keys=", ".join(COUNCIL_KEYS))
        council = _council(value, f"{where}.", problems)
        if council_filled(council):
            out[DISTRICTS][code] = council
    out[NOTICE] = _notice(setup.get(NOTICE), problems)
    return out


def _section(value: Any, where: str, keys: tuple[str, ...], problems: Problems) -> dict[str, Any] | None:
    """``value`` as an object of ``keys`` (unknown keys reported), None when it is absent or not one."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.add("notice.setup_not_object", where=where, keys=", ".join(keys), kind=_kind(value))
        return None
    for key in value:
        if key not in keys:
            problems.add("report.setup_unknown_key", key=f"{where}.{key}", keys=", ".join(keys))
    return value


def _notice(value: Any, problems: Problems) -> dict[str, Any]:
    """The notice's deadline for explanations: a whole number of working days (1 to
    ``MAX_EXPLANATION_DAYS``) or a date; what is neither is reported with its place."""
    out = empty_notice()
    section = _section(value, NOTICE, NOTICE_KEYS, problems)
    if section is None:
        return out
    days = section.get("explanation_days")
    if days is not None:
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXPLANATION_DAYS:
            problems.add("notice.setup_days", where=f"{NOTICE}.explanation_days", value=repr(days),
                         max=MAX_EXPLANATION_DAYS)
        else:
            out["explanation_days"] = days
    deadline = _text(section.get("deadline"), f"{NOTICE}.deadline", problems)
    if deadline:
        try:
            date.fromisoformat(deadline)
            ok = len(deadline) == 10
        except ValueError:
            ok = False
        if ok:
            out["deadline"] = deadline
        else:
            problems.add("notice.setup_deadline", where=f"{NOTICE}.deadline", value=deadline)
    out["days_off"] = _days_off(section.get("days_off"), problems)
    return out


def _days_off(value: Any, problems: Problems) -> list[str]:
    """The province's own days off beyond the public holidays (a compensatory day, a day the provincial
    People's Committee gives): ISO dates, each checked with its place; at most ``MAX_DAYS_OFF``."""
    where = f"{NOTICE}.days_off"
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_DAYS_OFF:
        problems.add("notice.setup_days_off", where=where, max=MAX_DAYS_OFF, kind=_kind(value))
        return []
    out: list[str] = []
    for i, item in enumerate(value):
        try:
            ok = isinstance(item, str) and len(item) == 10 and bool(date.fromisoformat(item))
        except ValueError:
            ok = False
        if ok:
            out.append(item)
        else:
            problems.add("notice.setup_deadline", where=f"{where}[{i}]", value=str(item)[:40])
    return sorted(set(out))


def _council(setup: dict[str, Any], prefix: str, problems: Problems) -> dict[str, Any]:
    """The council keys of ``setup`` (the provincial council, or a district's under ``prefix``)."""
    out = empty_council()
    body = setup.get("issuing_body")
    if isinstance(body, str):
        body = [body]
    if body is not None:
        if isinstance(body, list):
            out["issuing_body"] = [t for i, line in enumerate(body)
                                   if (t := _text(line, f"{prefix}issuing_body[{i}]", problems))]
        else:
            problems.add("report.setup_lines", where=f"{prefix}issuing_body", kind=_kind(body))
    for key in TEXT_KEYS:
        out[key] = _text(setup.get(key), f"{prefix}{key}", problems)
    for key in PERSON_KEYS:
        out[key] = _person(setup.get(key), f"{prefix}{key}", problems, with_role=False)
    council = setup.get("council")
    if council is not None:
        if isinstance(council, list):
            people = (_person(p, f"{prefix}council[{i}]", problems, with_role=True)
                      for i, p in enumerate(council))
            out["council"] = [p for p in people if any(p.values())]
        else:
            problems.add("report.setup_people", where=f"{prefix}council", kind=_kind(council))
    out[MEETING] = _meeting(setup.get(MEETING), f"{prefix}{MEETING}", problems)
    return out


def _meeting(value: Any, where: str, problems: Problems) -> dict[str, str]:
    """A meeting in its normal form; a time that is not one is reported with its place."""
    out = empty_meeting()
    if value is None:
        return out
    if not isinstance(value, dict):
        problems.add("report.setup_meeting_not_object", where=where, keys=", ".join(MEETING_KEYS),
                     kind=_kind(value))
        return out
    for key in value:
        if key not in MEETING_KEYS:
            problems.add("report.setup_unknown_key", key=f"{where}.{key}", keys=", ".join(MEETING_KEYS))
    for key in MEETING_KEYS:
        out[key] = _text(value.get(key), f"{where}.{key}", problems)
    for key, forms in (("start", (DAY_TIME,)), ("end", (DAY_TIME, TIME))):
        if out[key] and meeting_time(out[key], forms) is None:
            problems.add("report.setup_meeting_time", where=f"{where}.{key}", value=out[key],
                         forms=" | ".join(f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD")
                                          .replace("%H", "HH").replace("%M", "MM") for f in forms))
    return out


DAY_TIME, TIME = "%Y-%m-%d %H:%M", "%H:%M"


def meeting_time(value: str, forms: tuple[str, ...] = (DAY_TIME, TIME)) -> datetime | None:
    """``value`` read in one of ``forms`` (a time alone is on 1900-01-01), or None."""
    for form in forms:
        try:
            return datetime.strptime(value.strip(), form)
        except ValueError:
            continue
    return None


def _per_unit(value: Any, key: str, problems: Problems, units: set[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add("report.setup_per_unit", key=key, kind=_kind(value))
        return {}
    unknown = sorted(str(code) for code in value if units and code not in units)
    if unknown:
        problems.add("report.setup_units_unknown", key=key, units=", ".join(map(repr, unknown)))
    return {str(code): v for code, v in sorted(value.items()) if not units or code in units}


def _person(value: Any, where: str, problems: Problems, *, with_role: bool) -> dict[str, str]:
    fields = ("name", "position", "role") if with_role else ("name", "position")
    if isinstance(value, dict) and "address" in value:  # optional: kept only when given
        address = _text(value.get("address"), f"{where}.address", problems)
        if address and address not in ADDRESSES:
            problems.add("report.setup_address", where=f"{where}.address", value=address,
                         allowed=", ".join(ADDRESSES))
        rest = {k: v for k, v in value.items() if k != "address"}
        person = _person(rest, where, problems, with_role=with_role)
        return {**person, "address": address} if address in ADDRESSES else person
    if value is None:
        return dict.fromkeys(fields, "")
    if isinstance(value, str):  # just a name
        value = {"name": value}
    if not isinstance(value, dict):
        problems.add("report.setup_person", where=where, kind=_kind(value))
        return dict.fromkeys(fields, "")
    for key in value:
        if key not in fields:
            problems.add("report.setup_person_key", where=where, key=key,
                         fields=", ".join((*fields, "address")))
    return {f: _text(value.get(f), f"{where}.{f}", problems) for f in fields}


def _text(value: Any, where: str, problems: Problems) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.add("report.setup_text", where=where, kind=_kind(value))
        return ""
    text = value.strip()
    if len(text) > MAX_TEXT:
        problems.add("report.setup_too_long", where=where, length=len(text), max=MAX_TEXT)
        return text[:MAX_TEXT]
    return text


def _kind(value: Any) -> Message | str:
    """What a JSON value is, for a message (a Python type's own name when it is none of JSON's)."""
    code = {dict: "report.kind_object", list: "report.kind_list", str: "report.kind_text",
            bool: "report.kind_bool", type(None): "report.kind_null"}.get(type(value))
    if code is None and isinstance(value, int | float):
        code = "report.kind_number"
    return Message(code) if code else type(value).__name__
