"""Producing the year's documents — minutes, self-assessment reports, notices of the first appraisal, the
publication, the submission (PDF, optionally signed) and the Excel workbooks — for one unit, a batch of units
or the whole year.

``KINDS`` is the one table of the kinds of document: the CLI (``evaluator report`` / ``export-xlsx``) and
the GUI's report dialog both read it (which are per unit, who signs them, how their files are named).
``produce`` is the one path both call: the data comes from ``services.report_data`` /
``publication_data``, the files from ``reports`` (``services.batch`` for the many-file and signing
mechanics), the key from ``signing.keys``. Every ``report`` kind is written as PDF or, with ``fmt="docx"``,
as a Word draft (``reports.docx``) the office redrafts before issuing: never signed, the PDF is. A
PKCS#12 key is checked (password, validity) before any file is written; a PKCS#11 token is used from this
process only, in one session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from evaluator.errors import UserError

FORMATS = ("pdf", "docx")
"""The file formats of a ``report`` kind: the PDF (signed) and the Word draft (``reports.docx``)."""


# --- the kinds of document ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Signatory:
    """One signature field of a document and who signs in it."""

    field: str
    """The PDF signature field's name (``evaluator sign --field``)."""
    signer: str
    """Who signs, in words."""
    title: tuple[str, ...]
    """The heading of the signature block, as the document prints it (the self-assessment's depends on the
    unit and signer, ``reports.authority.unit_signer_heading``: a department head's is shown)."""


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document the application produces."""

    key: str
    """Its name in the GUI and in ``produce`` (``appraisal``, ``self``, ``publication``, ``*_xlsx``)."""
    command: str
    """The CLI command that writes it: ``report`` (PDF) or ``export-xlsx``."""
    name: str
    """Its name as that command's argument (``evaluator report self``, ``export-xlsx results``)."""
    data: str
    """What it shows: a unit's ``appraisal``, ``self``-assessment or ``notice``, or the year's
    ``publication`` or ``submission``."""
    per_unit: bool
    """One document per unit (else one for the whole year)."""
    file_prefix: str
    """Files are named ``<prefix>-<year>[-<unit code>]<suffix>``."""
    signatories: tuple[Signatory, ...] = ()
    """Its signature fields, in the order they are filled (PDF only)."""

    @property
    def suffix(self) -> str:
        return ".pdf" if self.command == "report" else ".xlsx"

    @property
    def pdf(self) -> bool:
        return self.suffix == ".pdf"

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(s.field for s in self.signatories)

    def batch(self, units: int) -> bool:
        """Whether ``units`` units are written one file each into a folder (several units, PDF); an Excel
        workbook holds every unit, one sheet each."""
        return self.pdf and self.per_unit and units > 1

    def file_name(self, year: int, unit: str | None = None, fmt: str = "pdf") -> str:
        """``<prefix>-<year>[-<unit>]`` with the suffix of the kind (``.xlsx``) or of ``fmt`` (``.docx``)."""
        tail = f"-{unit}" if unit and self.per_unit else ""
        return f"{self.file_prefix}-{year}{tail}{self.format_suffix(fmt)}"

    def format_suffix(self, fmt: str = "pdf") -> str:
        return ".docx" if fmt == "docx" and self.pdf else self.suffix

    def folder_name(self, year: int) -> str:
        """The default folder of a batch."""
        return f"{self.file_prefix}-{year}"


_SECRETARY = Signatory("secretary", "the council's secretary", ("THƯ KÝ",))
_CHAIR = Signatory("chair", "the council's chair", ("TM. HỘI ĐỒNG", "CHỦ TỊCH"))
_UNIT_REPRESENTATIVE = Signatory("unit_representative", "the unit's representative", ("ĐẠI DIỆN ĐƠN VỊ",))
_UNIT_HEAD = Signatory("unit_head", "the head of the unit", ("GIÁM ĐỐC",))
_PUBLISHER = Signatory("chair", "the council's chair", ("TM. HỘI ĐỒNG THẨM ĐỊNH", "CHỦ TỊCH"))
_COMMITTEE = Signatory("chair", "the provincial People's Committee's chair",
                       ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"))
_DIRECTOR = Signatory("director", "the director of the Department of Home Affairs (or a deputy)",
                      ("GIÁM ĐỐC",))

KINDS: dict[str, DocumentKind] = {
    k.key: k
    for k in (
        # the field order is the signing order of reports.unit_reports (secretary first)
        DocumentKind("appraisal", "report", "appraisal", "appraisal", True, "bien-ban-tham-dinh",
                     (_SECRETARY, _CHAIR, _UNIT_REPRESENTATIVE)),
        DocumentKind("self", "report", "self", "self", True, "bao-cao-tu-danh-gia", (_UNIT_HEAD,)),
        DocumentKind("publication", "report", "publication", "publication", False, "cong-bo-ket-qua",
                     (_PUBLISHER,)),
        DocumentKind("notice", "report", "notice", "notice", True, "thong-bao-ket-qua-tham-dinh", (_CHAIR,)),
        DocumentKind("submission", "report", "submission", "submission", False, "to-trinh", (_DIRECTOR,)),
        # issue 15: the decision publishing the results (the GUI's publication) and the analysis of them
        DocumentKind("decision", "report", "decision", "decision", False, "quyet-dinh-cong-bo",
                     (_COMMITTEE,)),
        DocumentKind("analysis", "report", "analysis", "analysis", False, "bao-cao-phan-tich", (_DIRECTOR,)),
        DocumentKind("appraisal_xlsx", "export-xlsx", "appraisal", "appraisal", True, "bang-tham-dinh"),
        DocumentKind("results_xlsx", "export-xlsx", "results", "publication", False, "ket-qua"),
    )
}
"""Every kind of document, in the order the GUI lists them."""
FINAL_KINDS = ("publication", "submission", "decision", "analysis")
"""The whole-year kinds that present the year's results as final: every unit approved, else written as a
draft."""


def document_kind(key: str | DocumentKind) -> DocumentKind:
    if isinstance(key, DocumentKind):
        return key
    try:
        return KINDS[key]
    except KeyError:
        raise UserError("scores.unknown_document", document=key, known=", ".join(KINDS)) from None


def check_format(kind: DocumentKind, fmt: str, signing: Any = None) -> None:
    """``fmt`` is one of ``FORMATS``, a Word draft is of a ``report`` kind and is not signed."""
    if fmt not in FORMATS:
        raise UserError("scores.unknown_format", format=fmt, known=", ".join(FORMATS))
    if fmt == "docx" and not kind.pdf:
        raise UserError("scores.docx_not_for", document=kind.key)
    if fmt == "docx" and signing is not None:
        raise UserError("scores.docx_not_signed")


def command_kinds(command: str) -> dict[str, DocumentKind]:
    """The kinds a CLI command writes, by their argument name (``report`` → appraisal, self, publication)."""
    return {k.name: k for k in KINDS.values() if k.command == command}


# --- keys -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyProblem:
    """Why a key choice cannot be used yet, as a code (the GUI says it in its language) and a message."""

    code: str
    """``p12_missing``, ``p12_not_found`` (``path``), ``lib_missing`` or ``token_missing``."""
    path: str = ""

    def __str__(self) -> str:
        return {
            "p12_missing": "choose a certificate file (.p12/.pfx)",
            "p12_not_found": f"the certificate file {self.path} does not exist",
            "lib_missing": "choose the token's PKCS#11 library (.so/.dll)",
            "token_missing": "give the token's label",
        }[self.code]


@dataclass
class KeyChoice:
    """A signing key: a PKCS#12 file (``kind`` "p12"), or a PKCS#11 token (library, token label, key
    label); ``password`` is the file's password or the token's PIN."""

    kind: str = "p12"
    p12: str = ""
    lib: str = ""
    token: str = ""
    key_label: str = ""
    password: str = field(default="", repr=False)

    def missing(self) -> KeyProblem | None:
        """What is missing before the key can be tried (None when complete); cheap, no file is opened. A
        wrong password or PIN, an expired certificate: ``pdf_signer`` says so (``SigningError``), and
        ``produce`` tries a PKCS#12 file before it writes anything."""
        if self.kind == "p12":
            if not self.p12:
                return KeyProblem("p12_missing")
            if not Path(self.p12).is_file():
                return KeyProblem("p12_not_found", self.p12)
            return None
        if not self.lib:
            return KeyProblem("lib_missing")
        if not self.token:
            return KeyProblem("token_missing")
        return None

    @contextmanager
    def pdf_signer(self) -> Iterator[Any]:
        """A pyHanko signer for PDF documents (``signing.keys``); ``SigningError`` when unusable."""
        from evaluator.signing.keys import pkcs11_signer, pkcs12_signer

        if self.kind == "p12":
            yield pkcs12_signer(Path(self.p12), self.password)
            return
        with pkcs11_signer(self.lib, self.token, self.key_label or None, self.password) as signer:
            yield signer

    @contextmanager
    def package_signer(self) -> Iterator[Any]:
        """A signer for team packages (``exchange.signing``), as ``evaluator export --p12/--pkcs11-lib``."""
        from evaluator.exchange.signing import Pkcs12Signer, PyHankoSigner, SigningError

        if self.kind == "p12":
            try:
                yield Pkcs12Signer(self.p12, self.password)
            except SigningError as exc:
                raise UserError.from_error(exc) from exc
            return
        with self.pdf_signer() as signer:
            yield PyHankoSigner(signer)


@dataclass(frozen=True)
class Signing:
    """How the documents are signed: the key, the signature field (None: the first empty one), an RFC 3161
    timestamp server (None: offline), and the reason and place recorded in the signature."""

    key: KeyChoice
    field: str | None = None
    timestamp_url: str | None = None
    reason: str = ""
    location: str = ""


# --- producing ------------------------------------------------------------------------------------------
@dataclass
class Produced:
    """What ``produce`` wrote."""

    files: list[Path]
    signed: str = ""
    """The signature field used ('' when not signed; "p12" / "pkcs11" for a batch)."""
    pages: int = 0
    documents: int = 0
    """How many documents: units (one file each, or one sheet each in a workbook), or 1 for the year."""


Progress = Callable[[int, int, str], None]
"""``progress(done, total, unit code)``: once with 0 when the data is gathered, then after each file of a
batch. It may raise to stop: the files written so far stay whole, no other is started."""


def produce(
    project: Any,
    kind: str | DocumentKind,
    year: int,
    codes: list[str] | None,
    out: Path,
    *,
    on: date | None = None,
    batch: bool | None = None,
    signing: Signing | Callable[[], Signing] | None = None,
    workers: int | None = 1,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    draft: bool = False,
    author: str = "",
    role: str = "",
    fmt: str = "pdf",
) -> Produced:
    """Gather the data of ``kind`` for ``year`` from ``project`` and write the files (``write``); what the
    CLI's ``report`` / ``export-xlsx`` and the GUI's report dialog do. ``codes``: the units of a per-unit
    kind (None: every unit assessed that year); None for a whole-year kind. ``batch`` (default: several
    units of a PDF kind, ``DocumentKind.batch``) writes one file per unit into the folder ``out``.
    ``signing`` may be a callable, called once the data is gathered (the CLI asks for the password only
    when there is something to sign). ``progress``: see ``Progress``; ``cancelled`` is also polled by a
    batch spread over several processes (``workers``). ``fmt``: ``pdf``, or ``docx`` for the Word draft
    (no ``signing``; a publication's draft is not recorded as published)."""
    k = document_kind(kind)
    check_format(k, fmt, signing)
    if not k.per_unit and codes is not None:
        raise UserError("scores.document_whole_year", document=k.key)
    if k.per_unit and codes is not None and not codes:
        raise UserError("scores.document_needs_unit", document=k.key)
    documents = gather(project, k, year, codes, on, draft=draft)
    if progress is not None:
        progress(0, len(documents), "")
    if batch is None:
        batch = k.batch(len(documents))
    if callable(signing):
        signing = signing()
    produced = write(documents, k, year, out, batch=batch, signing=signing, workers=workers,
                     progress=progress, cancelled=cancelled, fmt=fmt)
    produced.documents = len(documents)
    if k.key in PUBLISHING and not draft and fmt == "pdf":  # a Word draft publishes nothing
        from evaluator.services.approval import record_publication

        with project.session(write=True) as session:
            record_publication(session, year, [r.code for s in documents[0].sections for r in s.rows],
                               author=author, role=role, file_name=out.name)
    return produced


PUBLISHING = ("publication", "decision")
"""The kinds that publish the year's results as final: made (not as a draft), they record the publication
(``approval.record_publication``). The decision is the GUI's publication; ``report publication`` stays."""


def gather(
    project: Any, kind: str | DocumentKind, year: int, codes: list[str] | None, on: date | None = None, *,
    draft: bool = False,
) -> list[Any]:
    """The data of the documents: the year's publication or submission (whole-year kinds), or one document
    per unit of ``codes`` (None: every unit assessed that year). The publication and the submission need
    every unit approved unless they are a ``draft`` (``FINAL_KINDS``)."""
    from evaluator.services.approval import require_approved
    from evaluator.services.decision_data import analysis, decision
    from evaluator.services.publication_data import publication
    from evaluator.services.report_data import unit_codes, unit_documents

    k = document_kind(kind)
    with project.session() as session:
        if k.key == "submission":
            from evaluator.services.notice_data import submission

            return [submission(session, year, on, draft=draft)]
        if k.key == "notice":
            from evaluator.services.notice_data import notices

            return notices(session, year, unit_codes(session, year) if codes is None else codes, on)
        if not k.per_unit:
            doc: Any = (decision(session, year, on) if k.key == "decision"
                        else analysis(session, year, on) if k.key == "analysis"
                        else publication(session, year, on))
            if k.key in FINAL_KINDS:
                if draft:
                    doc.draft = True
                else:
                    require_approved(session, year, [r.code for s in doc.sections for r in s.rows])
            return [doc]
        wanted = unit_codes(session, year) if codes is None else codes
        return unit_documents(session, year, wanted, k.data, on)


def write(
    documents: list[Any],
    kind: str | DocumentKind,
    year: int,
    out: Path,
    *,
    batch: bool = False,
    signing: Signing | None = None,
    workers: int | None = 1,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    fmt: str = "pdf",
) -> Produced:
    """Write the documents: an Excel workbook, one PDF (or with ``fmt="docx"`` Word draft) at ``out``, or
    with ``batch`` one file per document into the folder ``out`` (named by ``DocumentKind.file_name``).
    ``progress`` may raise to stop a batch; files written stay whole."""
    from evaluator.services.batch import P12Key, run_batch, run_batch_with_signer
    from evaluator.services.batch import produce as render_one

    k = document_kind(kind)
    check_format(k, fmt, signing)
    if k.key == "appraisal_xlsx":
        from evaluator.reports.excel import write_appraisal_sheets

        write_appraisal_sheets(documents, out)
        return Produced([out])
    if k.key == "results_xlsx":
        from evaluator.reports.excel import write_results

        write_results(documents[0], out)
        return Produced([out])
    if not batch:
        if signing is None:
            _used, pages = render_one(documents[0], out, fmt=fmt)
            return Produced([out], "", pages)
        with signing.key.pdf_signer() as signer:
            used, pages = render_one(documents[0], out, signer, signing.field, signing.timestamp_url,
                                     signing.reason, signing.location)
        return Produced([out], used, pages)
    out.mkdir(parents=True, exist_ok=True)
    targets = [out / k.file_name(year, d.unit_code, fmt) for d in documents]
    if signing is not None and signing.key.kind == "pkcs11":
        with signing.key.pdf_signer() as signer:  # one token session, in this process
            run_batch_with_signer(documents, targets, signer, field=signing.field,
                                  timestamp_url=signing.timestamp_url, reason=signing.reason,
                                  location=signing.location, progress=progress)
        return Produced(targets, "pkcs11")
    p12 = None
    if signing is not None:
        from evaluator.signing.keys import pkcs12_signer

        key = signing.key
        pkcs12_signer(Path(key.p12), key.password)  # wrong password / expired: fail before any file
        p12 = P12Key(Path(key.p12), key.password, signing.field, signing.timestamp_url, signing.reason,
                     signing.location)
    run_batch(documents, targets, key=p12, workers=workers, progress=progress, cancelled=cancelled, fmt=fmt)
    return Produced(targets, "p12" if p12 is not None else "")
