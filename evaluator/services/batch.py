"""Many documents at once: rendering (and PKCS#12 signing) spread over the machine's cores.

The data is gathered once in the calling process; each worker renders, signs when the key is a PKCS#12
file, and writes its files. A PKCS#11 token is used from the calling process only (tokens seldom accept
sessions from several processes), after the workers have rendered.

It lives in services because it composes two lower layers: ``reports`` renders, ``signing`` signs (and
signing sits above reports: its stamp uses the documents' fonts and verify reads their data attachment).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluator.reports.document_data import Publication, UnitDocument


def run_batch_with_signer(
    documents: Sequence[UnitDocument],
    targets: Sequence[Path],
    signer: Any,
    *,
    field: str | None = None,
    timestamp_url: str | None = None,
    reason: str = "",
    location: str = "",
    progress: Callable[[int, int, str], None] | None = None,
) -> int:
    """One signer used from this process for every document (a PKCS#11 token: tokens seldom accept
    sessions from several processes). ``progress`` may raise to stop; files written stay whole."""
    for i, (document, target) in enumerate(zip(documents, targets, strict=True), 1):
        produce(document, target, signer, field, timestamp_url, reason, location)
        if progress:
            progress(i, len(documents), document.unit_code)
    return len(documents)


@dataclass(frozen=True)
class P12Key:
    """What a worker needs to load a PKCS#12 signer itself (the password stays in memory only)."""

    path: Path
    password: str
    field: str | None = None
    timestamp_url: str | None = None
    reason: str = ""
    location: str = ""


_worker_signer: Any = None
_worker_key: P12Key | None = None
_worker_format = "pdf"


def _init_worker(key: P12Key | None, fmt: str = "pdf") -> None:
    global _worker_signer, _worker_key, _worker_format
    _worker_key, _worker_format = key, fmt
    if key is not None:
        from evaluator.signing.keys import pkcs12_signer

        _worker_signer = pkcs12_signer(key.path, key.password)


def produce(
    document: UnitDocument | Publication,
    target: Path,
    signer: Any = None,
    field: str | None = None,
    timestamp_url: str | None = None,
    reason: str = "",
    location: str = "",
    fmt: str = "pdf",
) -> tuple[str, int]:
    """Render ``document`` (and sign it with ``signer``) and write it to ``target``; (field signed, pages).
    ``fmt="docx"``: the Word draft (never signed; its pages are Word's to count: 0)."""
    from evaluator.signing.sign import sign_bytes, write_atomically

    if fmt == "docx":
        from evaluator.reports.docx import render_docx

        if signer is not None:
            raise ValueError("a Word draft is not signed")
        write_atomically(target, render_docx(document))
        return "", 0
    from evaluator.reports.pdf import render

    rendered = render(document)
    data, used = rendered.data, ""
    if signer is not None:
        data, used = sign_bytes(
            data, signer, field, timestamp_url=timestamp_url, reason=reason, location=location
        )
    write_atomically(target, data)
    return used, rendered.pages


def _work(job: tuple[UnitDocument, Path]) -> tuple[str, str, int]:
    document, target = job
    key = _worker_key
    if key is None:
        used, pages = produce(document, target, fmt=_worker_format)
    else:
        used, pages = produce(
            document, target, _worker_signer, key.field, key.timestamp_url, key.reason, key.location
        )
    return document.unit_code, used, pages


def _warm_up() -> None:
    """Load the fonts and the PDF/signing modules before the workers start: forked workers inherit them
    instead of each parsing five TrueType fonts and importing pyHanko again."""
    import pyhanko.pdf_utils.incremental_writer
    import pyhanko.sign.signers

    from evaluator.reports import publication, unit_reports
    from evaluator.reports.layout import register_fonts

    register_fonts()
    del pyhanko, publication, unit_reports


def run_batch(
    documents: Sequence[UnitDocument],
    targets: Sequence[Path],
    *,
    key: P12Key | None = None,
    workers: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    fmt: str = "pdf",
) -> int:
    """Write every document to its target (signed with ``key`` if given; ``fmt`` ``pdf`` or ``docx``) using
    ``workers`` processes;
    return how many were written. ``cancelled`` is polled between documents (the GUI's Cancel button): the
    documents not started are dropped, those written stay (each file is written whole or not at all)."""
    jobs = list(zip(documents, targets, strict=True))
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    done = 0
    results = _results(jobs, key, workers, fmt)
    try:
        for code, _used, _pages in results:
            done += 1
            if progress:
                progress(done, len(jobs), code)
            if cancelled is not None and cancelled():
                break
    finally:
        results.close()  # stops the pool (pending work cancelled) when the loop ends early
    return done


def _results(
    jobs: list[tuple[UnitDocument, Path]], key: P12Key | None, workers: int, fmt: str = "pdf"
) -> Generator[tuple[str, str, int], None, None]:
    if workers == 1:
        _init_worker(key, fmt)
        try:
            for job in jobs:
                yield _work(job)
        finally:
            _init_worker(None)
        return
    _warm_up()
    chunk = max(1, min(16, len(jobs) // (workers * 4) or 1))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(key, fmt))
    try:
        yield from pool.map(_work, jobs, chunksize=chunk)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
