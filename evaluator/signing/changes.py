"""What may change in a document after it was signed, and what did.

pyHanko's default difference policy accepts, as "validation data" (``LTA_UPDATES``), any change to the
document properties (/Info: title, author…) and to the XMP metadata, and as "form filling" any change of a
form field's value. A signed minutes whose title was edited afterwards would then verify. The policy here
accepts only:

* the DSS / VRI (validation data) and document timestamps (invisible /DocTimeStamp signatures);
* signatures in signature fields that were already in the document, empty, when it was signed (the
  secretary, chair and representative signing in turn, then the organisation's seal);
* the clerk's fill-in: a value and a new appearance for the number and date fields (``FILL_IN_FIELDS``),
  once (a field that had a value may not change), and nothing else of those fields;
* the bookkeeping every PDF writer does on an update: /Info /ModDate and /Producer, cross-reference and
  object streams.

Everything else is a modification. ``describe`` says in words what changed (properties, pages, contents,
annotations, form fields) for the report, since pyHanko's own message only names object numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

FILL_IN_FIELDS = frozenset({"doc_number", "doc_date"})
"""The text fields the clerk fills in when sealing (``reports.layout.NUMBER_FIELD``/``DATE_FIELD``)."""
INFO_BOOKKEEPING = frozenset({"/ModDate", "/Producer"})
"""/Info keys a PDF writer (pyHanko too) rewrites on every incremental update; not shown in the document."""
XMP_BOOKKEEPING = frozenset(
    {
        "{http://ns.adobe.com/xap/1.0/}ModifyDate",
        "{http://ns.adobe.com/xap/1.0/}MetadataDate",
        "{http://ns.adobe.com/pdf/1.3/}Producer",
        "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about",
        "{adobe:ns:meta/}xmptk",
    }
)
"""The same in the XMP metadata (pyHanko rewrites the XMP's modify date and producer on each update)."""


def strict_policy() -> Any:
    """A pyHanko ``DiffPolicy``: validation data, document timestamps and signatures only."""
    from pyhanko.sign.diff_analysis import (
        CatalogModificationRule,
        DSSCompareRule,
        FormUpdatingRule,
        ModificationLevel,
        ObjectStreamRule,
        SigFieldCreationRule,
        SigFieldModificationRule,
        StandardDiffPolicy,
        XrefStreamRule,
    )
    from pyhanko.sign.diff_analysis.constants import ROOT_EXEMPT_STRICT_COMPARISON

    lta = ModificationLevel.LTA_UPDATES
    return StandardDiffPolicy(
        global_rules=[
            # /Metadata is compared strictly: no rule here accepts an XMP change
            CatalogModificationRule(ignored_keys=ROOT_EXEMPT_STRICT_COMPARISON - {"/Metadata"}),
            _info_rule().as_qualified(lta),
            _xmp_rule().as_qualified(lta),
            XrefStreamRule().as_qualified(lta),
            ObjectStreamRule().as_qualified(lta),
            DSSCompareRule().as_qualified(lta),
        ],
        # no GenericFieldModificationRule: a form field other than a signature may not change
        form_rule=FormUpdatingRule(field_rules=[SigFieldCreationRule(), SigFieldModificationRule(),
                                                _fill_in_rule()]),
    )


def _fill_in_rule() -> Any:
    from pyhanko.sign.diff_analysis import GenericFieldModificationRule, SuspiciousModification

    class FillInRule(GenericFieldModificationRule):
        """pyHanko's form filling, for the number and date fields only and only while they are empty: any
        other form field, or a second value, stays unexplained and so is a modification."""

        def check_form_field(self, fq_name: str, spec: Any, context: Any) -> Any:
            if fq_name not in FILL_IN_FIELDS or spec.field_type == "/Sig":
                return
            old, new = spec.old_field, spec.new_field
            if old is not None and new is not None:
                # pyHanko compares the signed revision with each later one in turn: a value set in an
                # intermediate revision and changed since is a second fill-in, seen only by looking there
                now = _value(new, "/V")
                for revision in range(context.old.revision, context.new.revision):
                    try:
                        then = _fields(context.new.reader.get_historical_resolver(revision).root).get(fq_name)
                    except Exception:
                        then = None
                    value = _get(then, "/V")
                    if value is not None and str(value) and _value(then, "/V") != now:
                        raise SuspiciousModification(f"the form field {fq_name} was filled in already")
            yield from super().check_form_field(fq_name, spec, context)

    return FillInRule()


def filled_fields(reader: Any) -> list[tuple[str, str, int]]:
    """(field, value, revision 1-based) of the fill-in fields that have a value, with the revision that
    gave it: what the clerk filled in between the signatures."""
    out = []
    total = reader.xrefs.total_revisions
    values: dict[str, str] = {}
    for revision in range(total):
        try:
            fields = _fields(reader.get_historical_resolver(revision).root)
        except Exception:  # a damaged revision: the difference analysis reports it
            continue
        for name in sorted(FILL_IN_FIELDS & set(fields)):
            value = _get(fields[name], "/V")
            text = str(value)[:200] if value is not None else ""
            if text and values.get(name) != text:
                values[name] = text
                out.append((name, text, revision + 1))
    order = ["doc_number", "doc_date"]
    return sorted(out, key=lambda f: (f[2], order.index(f[0]) if f[0] in order else 9))


def _info_rule() -> Any:
    from pyhanko.pdf_utils.reader import RawPdfPath
    from pyhanko.sign.diff_analysis import ReferenceUpdate, SuspiciousModification, WhitelistRule
    from pyhanko.sign.diff_analysis.commons import safe_whitelist
    from pyhanko.sign.diff_analysis.rules_api import Context

    class InfoBookkeepingRule(WhitelistRule):
        """An /Info update is accepted only when nothing but /ModDate and /Producer changed."""

        def apply(self, old: Any, new: Any) -> Iterable[Any]:
            new_ref = new.trailer_view.get_value_as_reference("/Info", optional=True)
            old_ref = old.trailer_view.get_value_as_reference("/Info", optional=True)
            if new_ref is None:
                if old_ref is not None:
                    raise SuspiciousModification("the document properties (/Info) were removed")
                return
            # the trailer's references resolve in the newest revision: read each through its own
            changed = info_changes(old(old_ref) if old_ref is not None else None, new(new_ref))
            if changed:
                raise SuspiciousModification(f"the document properties changed: {', '.join(changed)}")
            yield from map(
                ReferenceUpdate.curry_ref(context_checked=Context.from_absolute(old, RawPdfPath("/Info"))),
                safe_whitelist(old, old_ref, new_ref),
            )

    return InfoBookkeepingRule()


def _xmp_rule() -> Any:
    from pyhanko.pdf_utils import generic, misc
    from pyhanko.pdf_utils.reader import RawPdfPath
    from pyhanko.sign.diff_analysis import ReferenceUpdate, SuspiciousModification, WhitelistRule
    from pyhanko.sign.diff_analysis.rules_api import Context

    def ref_of(root: Any) -> Any:
        if "/Metadata" not in root:
            return None
        value = root.raw_get("/Metadata")
        if not isinstance(value, generic.IndirectObject):
            raise SuspiciousModification("/Metadata should be an indirect reference")
        return value.reference

    class XmpBookkeepingRule(WhitelistRule):
        """An XMP metadata update is accepted only when nothing but the bookkeeping entries changed."""

        def apply(self, old: Any, new: Any) -> Iterable[Any]:
            try:
                old_ref, new_ref = ref_of(old.root), ref_of(new.root)
            except misc.PdfReadError as exc:
                raise SuspiciousModification(str(exc)) from exc
            if new_ref is None:
                if old_ref is not None:
                    raise SuspiciousModification("the XMP metadata was removed")
                return
            changed = xmp_changes(_xmp(old, old_ref), _xmp(new, new_ref))
            if changed:
                raise SuspiciousModification(f"the XMP metadata changed: {', '.join(changed)}")
            if old_ref == new_ref or old.is_ref_unassignable(new_ref):
                yield ReferenceUpdate(
                    new_ref, context_checked=Context.from_absolute(old, RawPdfPath("/Root", "/Metadata"))
                )

    return XmpBookkeepingRule()


def _xmp(revision: Any, ref: Any) -> Any:
    """The metadata stream ``ref`` as it is in ``revision`` (a ``HistoricalResolver``), read from the file
    itself: pyHanko 0.38's historical view fails on metadata streams ("no container reference")."""
    if ref is None:
        return None
    reader = revision.reader
    try:
        last = reader.xrefs.get_last_change(ref)
    except KeyError:
        last = None
    at = None if last is not None and last <= revision.revision else revision.revision
    return reader.get_object(ref, at, transparent_decrypt=False)


def _ref(d: Any, key: str) -> Any:
    from pyhanko.pdf_utils import generic

    value = d.raw_get(key) if d is not None and key in d else None
    return value.reference if isinstance(value, generic.IndirectObject) else None


def xmp_facts(stream: Any) -> set[tuple[str, str]] | None:
    """(element or attribute, value) of every entry of an XMP packet but the bookkeeping ones; None when
    it is not well-formed XMP (or holds entities, refused as pyHanko does)."""
    if stream is None:
        return set()
    try:
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(bytes(stream.data), parser=parser)
    except Exception:
        return None
    if any(True for _ in root.iter(etree.Entity)):
        return None
    rdf = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
    facts: set[tuple[str, str]] = set()
    for desc in root.iter(f"{rdf}Description"):
        for name, value in desc.attrib.items():  # properties written as attributes
            if name not in XMP_BOOKKEEPING:
                facts.add((name, value))
        for prop in desc:  # properties written as elements (dc:title/rdf:Alt/rdf:li …): their whole content
            if isinstance(prop.tag, str) and prop.tag not in XMP_BOOKKEEPING:
                content = [
                    (el.tag, tuple(sorted(el.attrib.items())), (el.text or "").strip())
                    for el in prop.iter()
                    if isinstance(el.tag, str)
                ]
                facts.add((prop.tag, repr(content)))
    return facts


def xmp_changes(old_stream: Any, new_stream: Any) -> list[str]:
    """The XMP entries (short names) that differ between two metadata streams."""
    old, new = xmp_facts(old_stream), xmp_facts(new_stream)
    if old is None or new is None:
        return ["the XMP packet (not well-formed)"]
    names = {name for name, _ in old ^ new}
    return sorted({n.rsplit("}", 1)[-1] for n in names})


def info_changes(old: Any, new: Any) -> list[str]:
    """The /Info keys (other than the bookkeeping ones) whose value differs, as ``/Title`` etc."""
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    return sorted(
        str(k)
        for k in set(old) | set(new)
        if str(k) not in INFO_BOOKKEEPING and _value(old, k) != _value(new, k)
    )


def _value(d: Any, key: Any) -> Any:
    try:
        value = d.raw_get(key) if hasattr(d, "raw_get") else d[key]
    except KeyError:
        return None
    return _plain(value)


def _plain(value: Any) -> Any:
    """A comparable form of a PDF value: strings by their bytes, indirect objects by reference."""
    from pyhanko.pdf_utils import generic

    if isinstance(value, (generic.TextStringObject, generic.ByteStringObject)):
        return ("s", bytes(value.original_bytes))
    if isinstance(value, generic.IndirectObject):
        return ("ref", value.idnum, value.generation)
    if isinstance(value, generic.StreamObject):
        return ("stream", bytes(value.encoded_data))
    if isinstance(value, generic.ArrayObject):
        return ("array", tuple(_plain(v) for v in value))
    if isinstance(value, generic.DictionaryObject):
        return ("dict", tuple(sorted((str(k), _plain(value.raw_get(k))) for k in value)))
    return ("v", repr(value))


# --- what changed, in words ----------------------------------------------------------------------------
def describe(reader: Any, signed_revision: int) -> list[str]:
    """The changes between the signed revision (0-based, as pyHanko counts) and the last one that a person
    would notice: document properties, XMP metadata, pages, page contents, annotations, form fields."""
    try:
        old = reader.get_historical_resolver(signed_revision)
        new = reader.get_historical_resolver(reader.xrefs.total_revisions - 1)
        return list(_describe(old, new))
    except Exception:  # a damaged later revision: the policy's verdict stands, without the details
        return []


def _describe(old: Any, new: Any) -> Iterator[str]:
    changed = info_changes(_info(old), _info(new))
    if changed:
        yield f"the document properties ({', '.join(changed)})"
    changed = xmp_changes(_xmp(old, _ref(old.root, "/Metadata")), _xmp(new, _ref(new.root, "/Metadata")))
    if changed:
        yield f"the XMP metadata ({', '.join(changed)})"
    old_pages, new_pages = _pages(old.root), _pages(new.root)
    if len(old_pages) != len(new_pages):
        yield f"the pages ({len(old_pages)} when signed, {len(new_pages)} now)"
    for i, (a, b) in enumerate(zip(old_pages, new_pages, strict=False), 1):
        if _contents(a) != _contents(b):
            yield f"the content of page {i}"
        annots_a, annots_b = _refs(_get(a, "/Annots")), _refs(_get(b, "/Annots"))
        if annots_a != annots_b:
            added = len([r for r in annots_b if r not in annots_a])
            removed = len([r for r in annots_a if r not in annots_b])
            yield f"the annotations of page {i} ({added} added, {removed} removed)"
        others = sorted(
            str(k)
            for k in set(a) | set(b)
            if str(k) not in ("/Contents", "/Annots", "/Parent") and _value(a, k) != _value(b, k)
        )
        if others:
            yield f"page {i}: {', '.join(others)}"
    for name in _field_values_changed(old.root, new.root):
        yield f"the form field {name!r}"


def _get(d: Any, key: str) -> Any:
    try:
        return d[key] if d is not None and key in d else None
    except (KeyError, TypeError):
        return None


def _info(revision: Any) -> Any:
    ref = revision.trailer_view.get_value_as_reference("/Info", optional=True)
    return None if ref is None else revision(ref)


def _stream_bytes(stream: Any) -> bytes | None:
    try:
        return bytes(stream.data) if stream is not None else None
    except Exception:
        return None


def _refs(arr: Any) -> list[Any]:
    return [] if arr is None else [_plain(x) for x in arr.get_object()]


def _pages(root: Any) -> list[Any]:
    out: list[Any] = []

    def walk(node: Any, depth: int) -> None:
        if depth > 64:  # a loop in a hostile page tree
            return
        kids = _get(node, "/Kids")
        if kids is None:
            out.append(node)
            return
        for kid in kids:
            walk(kid.get_object(), depth + 1)

    walk(root["/Pages"], 0)
    return out


def _contents(page: Any) -> list[bytes | None]:
    from pyhanko.pdf_utils import generic

    value = _get(page, "/Contents")
    if value is None:
        return []
    if isinstance(value, generic.ArrayObject):
        return [_stream_bytes(v.get_object()) for v in value]
    return [_stream_bytes(value)]


def _field_values_changed(old_root: Any, new_root: Any) -> list[str]:
    """Names of non-signature form fields whose value or appearance changed, and fields added/removed."""
    old_fields, new_fields = _fields(old_root), _fields(new_root)
    out = []
    for name in sorted(set(old_fields) | set(new_fields)):
        a, b = old_fields.get(name), new_fields.get(name)
        if a is None or b is None:
            if (a or b or {}).get("/FT") != "/Sig":
                out.append(name)
            continue
        if a.get("/FT") == "/Sig":
            continue
        if _value(a, "/V") != _value(b, "/V") or _value(a, "/AP") != _value(b, "/AP"):
            out.append(name)
    return out


def _fields(root: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    form = _get(root, "/AcroForm")
    fields = _get(form, "/Fields")

    def walk(field: Any, prefix: str, depth: int) -> None:
        if depth > 32:
            return
        name = str(_get(field, "/T") or "")
        full = f"{prefix}.{name}" if prefix and name else (name or prefix)
        kids = _get(field, "/Kids")
        if kids is not None and any("/T" in k.get_object() for k in kids):
            for kid in kids:
                walk(kid.get_object(), full, depth + 1)
        else:
            out[full] = field

    for f in fields or []:
        walk(f.get_object(), "", 0)
    return out
