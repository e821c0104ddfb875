"""Producing the year's documents — minutes, self-assessment reports, the publication (PDF, optionally
signed) and the Excel workbooks — for one unit, a batch of units or the whole year.

One path for ``evaluator report`` / ``export-xlsx`` and the report dialog: the data comes from
``services.report_data``, the files from ``reports`` (``services.batch`` for the many-file and signing
mechanics), the key from ``signing.keys``. A PKCS#12 key is checked (password, validity) before any file
is written; a PKCS#11 token is used from this process only, in one session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from evaluator.errors import UserError

PDF_KINDS = ("appraisal", "self", "publication")
XLSX_KINDS = ("appraisal_xlsx", "results_xlsx")


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
                raise UserError(str(exc)) from exc
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


@dataclass
class Produced:
    files: list[Path]
    signed: str = ""
    """The signature field used ('' when not signed; "p12" / "pkcs11" for a batch)."""
    pages: int = 0


def gather(project: Any, kind: str, year: int, codes: list[str] | None, on: date | None = None) -> list[Any]:
    """The data of the documents: the year's publication (``publication``, ``results_xlsx``), or one
    document per unit of ``codes`` (None: every unit assessed that year)."""
    from evaluator.services.publication_data import publication
    from evaluator.services.report_data import unit_codes, unit_documents

    with project.session() as session:
        if kind in ("publication", "results_xlsx"):
            return [publication(session, year, on)]
        wanted = unit_codes(session, year) if codes is None else codes
        return unit_documents(session, year, wanted, "self" if kind == "self" else "appraisal", on)


def write(
    documents: list[Any],
    kind: str,
    year: int,
    out: Path,
    *,
    batch: bool = False,
    signing: Signing | None = None,
    workers: int | None = 1,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Produced:
    """Write the documents: an Excel workbook (``*_xlsx``), one PDF at ``out``, or with ``batch`` one PDF
    per document into the folder ``out`` (``services.batch`` names them). ``progress`` may raise to stop a
    batch; files written stay whole."""
    from evaluator.services.batch import P12Key, batch_targets, produce, run_batch, run_batch_with_signer

    if kind == "appraisal_xlsx":
        from evaluator.reports.excel import write_appraisal_sheets

        write_appraisal_sheets(documents, out)
        return Produced([out])
    if kind == "results_xlsx":
        from evaluator.reports.excel import write_results

        write_results(documents[0], out)
        return Produced([out])
    if not batch:
        if signing is None:
            _used, pages = produce(documents[0], out)
            return Produced([out], "", pages)
        with signing.key.pdf_signer() as signer:
            used, pages = produce(documents[0], out, signer, signing.field, signing.timestamp_url,
                                  signing.reason, signing.location)
        return Produced([out], used, pages)
    out.mkdir(parents=True, exist_ok=True)
    targets = batch_targets(kind, year, documents, out)
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
    run_batch(documents, targets, key=p12, workers=workers, progress=progress, cancelled=cancelled)
    return Produced(targets, "p12" if p12 is not None else "")
