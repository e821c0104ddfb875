"""Parse and validate a criteria-set document; its canonical form and identity (``canonical``).

Every problem found is collected (not just the first) so that ``evaluator framework validate`` can
list them all, each naming the file, the node code and the field.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from evaluator import messages
from evaluator.fields import FieldError, check_text
from evaluator.frameworks.canonical import FORMAT, FORMAT_VERSION, canonical_json, to_document
from evaluator.frameworks.canonical import dec as _dec
from evaluator.frameworks.canonical import num_text as _num_text
from evaluator.frameworks.model import (
    BUILTIN_KINDS,
    CENT,
    RANK_SCOPES,
    ROLES,
    ROUNDING_BASES,
    RULE_KINDS,
    SHARE_METHODS,
    SOURCES,
    TIE_POLICIES,
    ZERO_DENOMINATOR,
    ClassBand,
    Framework,
    Level,
    Node,
    RankPoints,
    Rule,
    SurveyQuestion,
)
from evaluator.frameworks.problems import FrameworkInvalid, Problem, shown
from evaluator.messages import Message, labels

# Every field a file may hold: a misspelt one (``evidance_required``) is reported, not silently dropped.
SET_FIELDS = frozenset({
    "format", "format_version", "code", "version", "year", "title", "title_en", "issued_by", "unit_kinds",
    "total_max", "rounding", "ranking", "shares", "classes", "bonus_cap", "penalty_cap", "survey", "nodes",
    "cap_total", "unit_kind_labels"})
LARGEST = Decimal(10) ** 9
"""No number in a set reaches this (points, thresholds, percentages)."""
KIND_CODE = re.compile(r"[a-z][a-z0-9_]*")
"""A unit kind's code: it is stored on every unit and typed on the command line."""
KIND_LABEL_FIELDS = frozenset({"label", "label_en"})
NODE_FIELDS = frozenset({
    "code", "title", "title_en", "guidance", "max", "source", "role", "not_applicable_allowed",
    "evidence_required", "cap_children", "children", "rule"})
RULE_FIELDS: dict[str, frozenset[str]] = {
    "manual": frozenset({"step"}),
    "binary": frozenset(),
    "options": frozenset({"options"}),
    "bands": frozenset({"input", "zero_denominator", "bands"}),
    "proportional": frozenset({"input", "zero_denominator", "floor", "target"}),
    "count": frozenset({"per_item", "mode"}),
    "survey": frozenset({"questions", "group_weights"}),
    "external": frozenset({"index", "mapping", "scale", "order", "bands"}),
    "rank": frozenset({"order", "ranks"}),
    "minmax": frozenset({"order", "min_share"}),
}


class _Parser:
    def __init__(self, doc: Mapping[str, Any], source: str):
        self.doc = doc
        self.source = source
        self.problems: list[Problem] = []
        self.kinds: tuple[str, ...] = ()

    # --- helpers -----------------------------------------------------------------------------
    def err(self, node: str | None, field: str, message: Message | str, **params: Any) -> None:
        """A problem: ``message`` a ``criteria.*`` code with its ``params`` (or a ready ``Message``). A value
        from the file is shown shortened: a hostile file's 10 MB text or aliased YAML is not repeated."""
        if isinstance(message, str):
            message = messages.message(message, {k: shown(v) for k, v in params.items()})
        self.problems.append(Problem(self.source, node, field, message))



    def number(self, raw: Any, node: str | None, field: str, *, positive: bool = False) -> Decimal | None:
        try:
            value = _dec(raw)
        except (InvalidOperation, ValueError, TypeError):
            self.err(node, field, "criteria.not_a_number", value=raw)
            return None
        if not value.is_finite():
            self.err(node, field, "criteria.not_finite", value=raw)
            return None
        if positive and value <= 0:
            self.err(node, field, "criteria.not_positive", value=_num_text(value))
            return None
        if value < 0:
            self.err(node, field, "criteria.negative", value=_num_text(value))
            return None
        if value >= LARGEST:  # points are money-like amounts; 1e308 would not even round to cents
            self.err(node, field, "criteria.too_big", value=raw, limit=_num_text(LARGEST))
            return None
        if value != value.quantize(CENT):
            self.err(node, field, "criteria.decimals", value=raw)
            return None
        return value

    def share(self, raw: Any, node: str | None, field: str) -> Decimal | None:
        try:
            value = _dec(raw)
        except (InvalidOperation, ValueError, TypeError):
            self.err(node, field, "criteria.not_a_number", value=raw)
            return None
        if not value.is_finite() or not (Decimal(0) <= value <= Decimal(1)):
            self.err(node, field, "criteria.share_range", value=raw)
            return None
        return value

    def section(self, raw: Any, node: str | None, field: str) -> Mapping[str, Any]:
        """A mapping of fields (absent = empty); anything else is reported, not a crash."""
        if raw is None:
            return {}
        if not isinstance(raw, Mapping):
            self.err(node, field, "criteria.not_mapping", value=raw)
            return {}
        return raw

    def unknown_fields(self, raw: Mapping[str, Any], allowed: frozenset[str], node: str | None,
                       prefix: str) -> None:
        for key in raw:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.err(node, f"{prefix}{key}", "criteria.unknown_field", expected=expected)

    def choice(self, raw: Any, allowed: tuple[str, ...], node: str | None, field: str, default: str) -> str:
        if raw is None:
            return default
        if raw not in allowed:
            self.err(node, field, "criteria.unknown_value", value=raw, allowed=", ".join(allowed))
            return default
        return str(raw)

    def per_kind(self, raw: Any, node: str | None, field: str, *, positive: bool) -> dict[str, Decimal]:
        """A number for every unit kind, or a mapping kind -> number (kinds left out don't apply)."""
        if isinstance(raw, Mapping):
            out: dict[str, Decimal] = {}
            for kind, value in raw.items():
                if kind not in self.kinds:
                    self.err(node, f"{field}.{kind}",
                             "criteria.unknown_kind", kind=kind, kinds=list(self.kinds))
                    continue
                number = self.number(value, node, f"{field}.{kind}", positive=positive)
                if number is not None:
                    out[str(kind)] = number
            if not out and not self.problems:
                self.err(node, field, "criteria.no_kind")
            return out
        if raw is None:
            self.err(node, field, "criteria.required")
            return {}
        number = self.number(raw, node, field, positive=positive)
        return {} if number is None else dict.fromkeys(self.kinds, number)

    # --- set level ---------------------------------------------------------------------------
    def parse(self) -> Framework | None:
        doc = self.doc
        if not isinstance(doc, Mapping):
            self.err(None, "(document)", "criteria.not_a_document")
            return None
        if doc.get("format") != FORMAT:
            self.err(None, "format", "criteria.format", expected=FORMAT, value=doc.get("format"))
        self.unknown_fields(doc, SET_FIELDS, None, "")
        if doc.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
            self.err(None, "format_version", "criteria.format_version", value=doc.get("format_version"),
                     supported=FORMAT_VERSION)
        code = str(doc.get("code") or "").strip()
        if not code:
            self.err(None, "code", "criteria.required")
        version = doc.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.err(None, "version", "criteria.version", value=version)
            version = 1
        year = doc.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not (2000 <= year <= 2100):
            self.err(None, "year", "criteria.year", value=year)
            year = 0
        title = str(doc.get("title") or "").strip()
        if not title:
            self.err(None, "title", "criteria.required")
        kinds = doc.get("unit_kinds")
        if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) and k for k in kinds):
            self.err(None, "unit_kinds", "criteria.kinds_list")
            kinds = []
        if len(set(kinds)) != len(kinds):
            self.err(None, "unit_kinds", "criteria.kind_twice")
        self.kinds = tuple(dict.fromkeys(kinds))
        kind_labels = self.parse_kind_labels(doc.get("unit_kind_labels"))
        cap_total = doc.get("cap_total", True)
        if not isinstance(cap_total, bool):
            self.err(None, "cap_total", "criteria.not_bool", value=cap_total)
            cap_total = True
        total = self.number(doc.get("total_max", 100), None, "total_max", positive=True) or Decimal(100)

        rounding = self.section(doc.get("rounding"), None, "rounding")
        ranking = self.section(doc.get("ranking"), None, "ranking")
        index_decimals = rounding.get("index_decimals", 2)
        if index_decimals not in (0, 1, 2, 3, 4):
            self.err(None, "rounding.index_decimals", "criteria.index_decimals", value=index_decimals)
            index_decimals = 2
        classify_on = self.choice(rounding.get("classify_on"), ROUNDING_BASES, None, "rounding.classify_on",
                                  "rounded")
        rank_on = self.choice(rounding.get("rank_on"), ROUNDING_BASES, None, "rounding.rank_on", "rounded")
        tie_policy = self.choice(ranking.get("tie_policy"), TIE_POLICIES, None, "ranking.tie_policy", "min")
        rank_scope = self.choice(ranking.get("scope"), RANK_SCOPES, None, "ranking.scope", "kind")
        shares = self.section(doc.get("shares"), None, "shares")
        share_method = self.choice(shares.get("method"), SHARE_METHODS, None, "shares.method",
                                   "largest_remainder")

        survey = self.section(doc.get("survey"), None, "survey")
        weights: dict[str, Decimal] = {}
        for answer, raw in self.section(survey.get("answer_weights"), None, "survey.answer_weights").items():
            w = self.share(raw, None, f"survey.answer_weights.{answer}")
            if w is not None:
                weights[str(answer)] = w
        groups = {str(k): str(v)
                  for k, v in self.section(survey.get("groups"), None, "survey.groups").items()}
        without_survey = self.choice(survey.get("without_survey"), ("zero", "rescale"), None,
                                     "survey.without_survey", "zero")

        bonus_cap = None if doc.get("bonus_cap") is None else self.number(doc["bonus_cap"], None, "bonus_cap")
        penalty_cap = (None if doc.get("penalty_cap") is None
                       else self.number(doc["penalty_cap"], None, "penalty_cap"))

        nodes: dict[str, Node] = {}
        raw_nodes = doc.get("nodes")
        if not isinstance(raw_nodes, list) or not raw_nodes:
            self.err(None, "nodes", "criteria.no_areas")
            raw_nodes = []
        self.groups = groups
        self.weights = weights
        for raw in raw_nodes:
            self.parse_node(raw, None, 0, "appraisal", nodes)

        classes = self.parse_classes(doc.get("classes"))
        tie_breakers = tuple(str(t) for t in (ranking.get("tie_breakers") or []))
        for tb in tie_breakers:
            if tb in ("appraisal", "survey"):
                continue
            if tb.startswith("area:") and tb[5:] in nodes and nodes[tb[5:]].parent is None:
                continue
            self.err(None, "ranking.tie_breakers", "criteria.tie_breaker", value=tb)
        if nodes:
            self.check_sums(nodes, total)
        if any(n.rule is not None and n.rule.kind == "survey" for n in nodes.values()) and not weights:
            self.err(None, "survey.answer_weights", "criteria.no_answer_weights")

        if self.problems:
            return None
        fw = Framework(
            code=code, version=int(version), year=int(year), title=title, unit_kinds=self.kinds,
            total_max=total, nodes=nodes, classes=classes, index_decimals=int(index_decimals),
            classify_on=classify_on, rank_on=rank_on, tie_policy=tie_policy, tie_breakers=tie_breakers,
            rank_scope=rank_scope,
            share_method=share_method, bonus_cap=bonus_cap, penalty_cap=penalty_cap,
            answer_weights=weights, survey_groups=groups, without_survey=without_survey,
            title_en=str(doc.get("title_en") or ""), issued_by=str(doc.get("issued_by") or ""),
            cap_total=cap_total, kind_labels=kind_labels,
        )
        document = to_document(fw)
        try:
            encoded = canonical_json(document).encode("utf-8")
        except UnicodeEncodeError:  # a "\ud800" escape in YAML or JSON reads as a lone surrogate
            self.err(None, "(file)", "criteria.lone_surrogate")
            return None
        digest = hashlib.sha256(encoded).hexdigest()
        object.__setattr__(fw, "document", document)
        object.__setattr__(fw, "sha256", digest)
        return fw

    def parse_kind_labels(self, raw: Any) -> dict[str, tuple[str, str]]:
        """Labels of the declared kinds (those beyond ``BUILTIN_KINDS``), and every kind code's shape."""
        for kind in self.kinds:
            try:
                check_text(kind, "unit.kind", empty=False)
            except FieldError as exc:
                self.err(None, "unit_kinds", "criteria.kind_code_field", kind=kind, problem=exc.message)
                continue
            if not KIND_CODE.fullmatch(kind):
                self.err(None, "unit_kinds", "criteria.kind_code", kind=kind)
        given = self.section(raw, None, "unit_kind_labels")
        out: dict[str, tuple[str, str]] = {}
        for kind, entry in given.items():
            field = f"unit_kind_labels.{kind}"
            if kind in BUILTIN_KINDS:
                self.err(None, field, "criteria.kind_builtin", kind=kind)
                continue
            if kind not in self.kinds:
                self.err(None, field, "criteria.unknown_kind", kind=kind, kinds=list(self.kinds))
                continue
            entry = self.section(entry, None, field)
            self.unknown_fields(entry, KIND_LABEL_FIELDS, None, f"{field}.")
            pair = []
            for key in ("label", "label_en"):
                try:
                    pair.append(check_text(entry.get(key), "unit.name", empty=False))
                except FieldError as exc:
                    self.err(None, f"{field}.{key}", exc.message)
            if len(pair) == 2:
                out[str(kind)] = (pair[0].strip(), pair[1].strip())
        for kind in self.kinds:
            if kind not in BUILTIN_KINDS and kind not in given:
                self.err(None, "unit_kind_labels", "criteria.kind_unlabelled", kind=kind,
                         builtin=", ".join(BUILTIN_KINDS))
        # in the set's order, whatever the order of the labels
        return {k: out[k] for k in self.kinds if k in out}

    def parse_classes(self, raw: Any) -> dict[str, tuple[ClassBand, ...]]:
        if raw is None:
            self.err(None, "classes", "criteria.required")
            return {}
        per_kind: dict[str, Any] = (
            {k: raw for k in self.kinds} if isinstance(raw, list)
            else dict(raw) if isinstance(raw, Mapping) else {}
        )
        if not per_kind:
            self.err(None, "classes", "criteria.classes_shape")
        out: dict[str, tuple[ClassBand, ...]] = {}
        parsed: dict[int, tuple[ClassBand, ...]] = {}
        for kind in self.kinds:
            bands_raw = per_kind.get(kind)
            field = "classes" if isinstance(raw, list) else f"classes.{kind}"
            if not isinstance(bands_raw, list) or not bands_raw:
                self.err(None, field, "criteria.no_classes", kind=kind)
                continue
            if id(bands_raw) in parsed:  # one shared list: parse (and report) once
                out[kind] = parsed[id(bands_raw)]
                continue
            levels = self.parse_bands(bands_raw, None, field, with_points=False)
            bands = [ClassBand(code=lv.code, label=lv.label, lo=lv.lo or Decimal(0), hi=lv.hi,
                               label_en=str(b.get("label_en") or "") if isinstance(b, Mapping) else "")
                     for lv, b in zip(levels, sorted(bands_raw, key=_band_key, reverse=True), strict=False)]
            codes = [b.code for b in bands]
            if len(set(codes)) != len(codes):
                self.err(None, field, "criteria.class_twice")
            out[kind] = parsed[id(bands_raw)] = tuple(bands)
        for kind in per_kind:
            if kind not in self.kinds:
                self.err(None, f"classes.{kind}", "criteria.unknown_kind_short", kind=kind)
        return out

    def parse_bands(self, raw: list[Any], node: str | None, field: str, *, with_points: bool,
                    kind_max: Mapping[str, Decimal] | None = None) -> list[Level]:
        """Half-open bands [min, max) that must cover 0 → ∞ without gaps or overlaps; highest first."""
        entries = []
        for i, b in enumerate(raw):
            if not isinstance(b, Mapping) or "min" not in b:
                self.err(node, f"{field}[{i}]", "criteria.band_min")
                continue
            lo = self.number(b["min"], node, f"{field}[{i}].min")
            hi = None if b.get("max") is None else self.number(b["max"], node, f"{field}[{i}].max")
            if lo is None:
                continue
            if hi is not None and hi <= lo:
                self.err(node, f"{field}[{i}]", "criteria.band_empty", lo=_num_text(lo), hi=_num_text(hi))
                continue
            entries.append((lo, hi, b, i))
        entries.sort(key=lambda e: e[0])
        if entries and entries[0][0] != 0:
            self.err(node, field, "criteria.band_gap", lo="0", hi=_num_text(entries[0][0]))
        for (lo, hi, _b, i), (nlo, _nhi, _nb, j) in itertools.pairwise(entries):
            if (hi is not None and hi > nlo) or lo == nlo:
                self.err(node, field, "criteria.band_overlap", first=i, first_lo=_num_text(lo), second=j,
                         second_lo=_num_text(nlo))
            elif hi is not None and hi < nlo:
                self.err(node, field,
                         "criteria.band_gap", lo=_num_text(hi), hi=_num_text(nlo))
        if entries and entries[-1][1] is not None:
            self.err(node, field,
                     "criteria.band_top", lo=_num_text(entries[-1][0]))
        levels: list[Level] = []
        for idx, (lo, _hi, b, i) in enumerate(entries):
            # An omitted max means "up to the next band"; the canonical form writes it out.
            hi = entries[idx + 1][0] if idx + 1 < len(entries) else None
            points, share = (self.level_points(b, node, f"{field}[{i}]", kind_max) if with_points
                             else (None, None))
            levels.append(Level(code=str(b.get("code") or ""), label=str(b.get("label") or ""), lo=lo, hi=hi,
                                points=points, share=share))
        if not with_points:
            for lv in levels:
                if not lv.code:
                    self.err(node, field, "criteria.class_no_code", lo=_num_text(lv.lo or Decimal(0)))
        return list(reversed(levels))

    def level_points(self, raw: Mapping[str, Any], node: str | None, field: str,
                     kind_max: Mapping[str, Decimal] | None,
                     ) -> tuple[dict[str, Decimal] | None, Decimal | None]:
        if ("points" in raw) == ("share" in raw):
            self.err(node, field, "criteria.points_or_share")
            return None, Decimal(0)
        if "share" in raw:
            return None, self.share(raw["share"], node, f"{field}.share")
        points = self.per_kind(raw["points"], node, f"{field}.points", positive=False)
        for kind, value in points.items():
            limit = (kind_max or {}).get(kind)
            if limit is not None and value > limit:
                self.err(node, f"{field}.points", "criteria.points_above_max", value=_num_text(value),
                         limit=_num_text(limit), kind=labels.kind(kind))
        if kind_max is not None:
            missing = [k for k in kind_max if k not in points]
            if missing:
                self.err(node, f"{field}.points", "criteria.points_missing",
                         kinds=labels.Terms("kind", tuple(missing)))
        return points, None

    # --- nodes -------------------------------------------------------------------------------
    def parse_node(self, raw: Any, parent: Node | None, depth: int, inherited_source: str,
                   nodes: dict[str, Node]) -> str | None:
        where = parent.code if parent else None
        if not isinstance(raw, Mapping):
            self.err(where, "children" if parent else "nodes", "criteria.not_a_node", value=raw)
            return None
        code = str(raw.get("code") or "").strip()
        if not code:
            self.err(where, "code", "criteria.node_no_code")
            return None
        if code in nodes:
            self.err(code, "code", "criteria.node_twice")
            return None
        self.unknown_fields(raw, NODE_FIELDS, code, "")
        if depth > 2:
            self.err(code, "children", "criteria.too_deep")
        title = str(raw.get("title") or "").strip()
        if not title:
            self.err(code, "title", "criteria.required")
        role = self.choice(raw.get("role"), ROLES, code, "role", "scored")
        source = self.choice(raw.get("source", inherited_source), SOURCES, code, "source", inherited_source)
        maxima = self.per_kind(raw.get("max"), code, "max", positive=True)
        if parent is not None:
            for kind in maxima:
                if kind not in parent.max:
                    self.err(code, f"max.{kind}", "criteria.parent_kind", parent=parent.code,
                             kind=labels.kind(kind))
        children_raw = raw.get("children") or []
        if not isinstance(children_raw, list):
            self.err(code, "children", "criteria.not_list")
            children_raw = []
        rule_raw = raw.get("rule")
        if role != "scored" and children_raw:
            self.err(code, "role", "criteria.role_leaf", role=role)
        if role != "scored" and parent is not None and parent.parent is not None:
            self.err(code, "role", "criteria.role_place", role=role)
        rule: Rule | None = None
        if children_raw and rule_raw is not None:
            self.err(code, "rule", "criteria.rule_on_parent")
        elif not children_raw:
            if rule_raw is None:
                self.err(code, "rule", "criteria.rule_missing")
            else:
                rule = self.parse_rule(rule_raw, code, maxima, source)
        node = Node(
            code=code, title=title, parent=parent.code if parent else None, depth=depth, max=maxima,
            source=source, role=role, rule=rule,
            not_applicable_allowed=bool(raw.get("not_applicable_allowed", False)),
            evidence_required=bool(raw.get("evidence_required", False)),
            cap_children=bool(raw.get("cap_children", False)),
            title_en=str(raw.get("title_en") or ""), guidance=str(raw.get("guidance") or ""),
        )
        nodes[code] = node
        child_codes = []
        for child in children_raw:
            c = self.parse_node(child, node, depth + 1, source, nodes)
            if c is not None:
                child_codes.append(c)
        object.__setattr__(node, "children", tuple(child_codes))
        return code

    def parse_rule(self, raw: Any, code: str, maxima: Mapping[str, Decimal], source: str) -> Rule | None:
        if not isinstance(raw, Mapping) or "kind" not in raw:
            self.err(code, "rule", "criteria.rule_shape")
            return None
        kind = raw["kind"]
        if kind not in RULE_KINDS:
            self.err(code, "rule.kind",
                     "criteria.rule_kind", value=kind, allowed=", ".join(RULE_KINDS))
            return None
        self.unknown_fields(raw, RULE_FIELDS[kind] | {"kind"}, code, "rule.")
        params = dict(raw)
        r: dict[str, Any] = {"kind": kind, "params": params}
        zd = self.choice(raw.get("zero_denominator"), ZERO_DENOMINATOR, code, "rule.zero_denominator", "full")
        r["zero_denominator"] = zd
        if kind == "manual":
            step = self.number(raw.get("step", "0.25"), code, "rule.step", positive=True)
            r["step"] = step or Decimal("0.25")
        elif kind == "options":
            opts = raw.get("options")
            if not isinstance(opts, list) or len(opts) < 2:
                self.err(code, "rule.options", "criteria.options_few")
                return None
            levels = []
            for i, o in enumerate(opts):
                if not isinstance(o, Mapping) or not o.get("code"):
                    self.err(code, f"rule.options[{i}]", "criteria.option_code")
                    continue
                points, share = self.level_points(o, code, f"rule.options[{i}]", maxima)
                levels.append(Level(code=str(o["code"]), label=str(o.get("label") or ""), points=points,
                                    share=share))
            if len({lv.code for lv in levels}) != len(levels):
                self.err(code, "rule.options", "criteria.option_twice")
            r["levels"] = tuple(levels)
        elif kind in ("bands", "proportional"):
            r["input"] = self.choice(raw.get("input"), ("ratio", "value"), code, "rule.input", "ratio")
            if kind == "bands":
                if not isinstance(raw.get("bands"), list) or not raw["bands"]:
                    self.err(code, "rule.bands", "criteria.bands_missing")
                    return None
                r["levels"] = tuple(self.parse_bands(raw["bands"], code, "rule.bands", with_points=True,
                                                     kind_max=maxima))
            else:
                for key in ("floor", "target"):
                    if raw.get(key) is not None:
                        r[key] = self.number(raw[key], code, f"rule.{key}")
                if r.get("floor") is not None and r.get("target") is not None and r["floor"] >= r["target"]:
                    self.err(code, "rule.floor", "criteria.floor_target")
                if r.get("target") is not None and r["target"] <= 0:
                    self.err(code, "rule.target", "criteria.target_positive")
        elif kind == "count":
            r["per_item"] = self.number(raw.get("per_item"), code, "rule.per_item", positive=True)
            r["mode"] = self.choice(raw.get("mode"), ("add", "deduct"), code, "rule.mode", "add")
        elif kind == "survey":
            if source != "survey":
                self.err(code, "rule.kind", "criteria.survey_source")
            qs = raw.get("questions")
            if not isinstance(qs, list) or not qs:
                self.err(code, "rule.questions", "criteria.no_questions")
                return None
            questions = []
            for i, q in enumerate(qs):
                if not isinstance(q, Mapping) or not q.get("code") or not q.get("group"):
                    self.err(code, f"rule.questions[{i}]", "criteria.question_shape")
                    continue
                if self.groups and q["group"] not in self.groups:
                    self.err(code, f"rule.questions[{i}].group", "criteria.unknown_group", group=q["group"])
                questions.append(SurveyQuestion(code=str(q["code"]), group=str(q["group"]),
                                                label=str(q.get("label") or "")))
            r["questions"] = tuple(questions)
            gw = self.section(raw.get("group_weights"), code, "rule.group_weights")
            if gw:
                weights = {str(g): self.share(w, code, f"rule.group_weights.{g}") for g, w in gw.items()}
                if all(w is not None for w in weights.values()):
                    if sum(weights.values()) != 1:  # type: ignore[arg-type]
                        self.err(code, "rule.group_weights", "criteria.weights_sum")
                    missing = {q.group for q in questions} - set(weights)
                    if missing:
                        self.err(code, "rule.group_weights",
                                 "criteria.weights_missing", groups=", ".join(sorted(missing)))
                    r["group_weights"] = weights
        elif kind == "external":
            if not raw.get("index"):
                self.err(code, "rule.index", "criteria.no_index")
            r["index"] = str(raw.get("index") or "")
            r["mapping"] = self.choice(raw.get("mapping"), ("proportional", "bands", "minmax"), code,
                                       "rule.mapping", "proportional")
            r["scale"] = self.number(raw.get("scale", 100), code, "rule.scale", positive=True) or Decimal(100)
            r["order"] = self.choice(raw.get("order"), ("desc", "asc"), code, "rule.order", "desc")
            if r["mapping"] == "bands":
                if not isinstance(raw.get("bands"), list) or not raw["bands"]:
                    self.err(code, "rule.bands", "criteria.mapping_bands")
                    return None
                r["levels"] = tuple(self.parse_bands(raw["bands"], code, "rule.bands", with_points=True,
                                                     kind_max=maxima))
        elif kind == "rank":
            r["order"] = self.choice(raw.get("order"), ("desc", "asc"), code, "rule.order", "desc")
            steps = raw.get("ranks")
            if not isinstance(steps, list) or not steps:
                self.err(code, "rule.ranks", "criteria.ranks_missing")
                return None
            out = []
            last = 0
            for i, s in enumerate(steps):
                upto = s.get("upto") if isinstance(s, Mapping) else None
                if not isinstance(upto, int) or upto <= last:
                    self.err(code, f"rule.ranks[{i}].upto", "criteria.ranks_order")
                    continue
                last = upto
                sh = self.share(s.get("share"), code, f"rule.ranks[{i}].share")
                if sh is not None:
                    out.append(RankPoints(upto=upto, share=sh))
            r["rank_points"] = tuple(out)
        elif kind == "minmax":
            r["order"] = self.choice(raw.get("order"), ("desc", "asc"), code, "rule.order", "desc")
            if raw.get("min_share") is not None:
                r["min_share"] = self.share(raw.get("min_share"), code, "rule.min_share") or Decimal(0)
        if kind != "survey" and source == "survey" and kind not in ("external", "manual"):
            self.err(code, "rule.kind", "criteria.survey_rule", kind=kind)
        return Rule(**r)

    def check_sums(self, nodes: Mapping[str, Node], total: Decimal) -> None:
        for node in nodes.values():
            scored = [nodes[c] for c in node.children if nodes[c].role == "scored"]
            if not scored:
                continue
            for kind, parent_max in node.max.items():
                s = sum((c.max[kind] for c in scored if kind in c.max), Decimal(0))
                if s == parent_max or (node.cap_children and s > parent_max):
                    continue
                self.err(node.code, f"max.{kind}",
                         "criteria.children_sum" if node.cap_children else "criteria.children_sum_cap",
                         sum=_num_text(s), max=_num_text(parent_max))
        for kind in self.kinds:
            areas = [n for n in nodes.values() if n.parent is None and n.role == "scored" and kind in n.max]
            s = sum((a.max[kind] for a in areas), Decimal(0))
            if s != total:
                self.err(None, "total_max",
                         "criteria.areas_sum", sum=_num_text(s), kind=labels.kind(kind),
                         total=_num_text(total))


def _band_key(b: Any) -> Decimal:
    try:
        value = _dec(b.get("min")) if isinstance(b, Mapping) else Decimal(-1)
    except (InvalidOperation, ValueError, TypeError):
        return Decimal(-1)
    return value if value.is_finite() else Decimal(-1)  # NaN cannot be sorted (reported as not finite)


# --- entry points ------------------------------------------------------------------------------
def parse_framework(document: Any, source: str = "<document>") -> Framework:
    parser = _Parser(document, source)
    fw = parser.parse()
    if fw is None:
        raise FrameworkInvalid(parser.problems)
    # Kinds are shown by their labels everywhere (lists, documents, messages), once a set declaring them
    # has been read: the bundled ones, a file, or a set stored in the project (rebuilt through here).
    labels.declare_kinds(fw.kind_labels)
    return fw
