"""Byte counts on the progress callback (``services.progress``): an export or import of gigabytes of
evidence says how many bytes are done of how many, so a face can show "x MB / y MB" and the time left.

The callback keeps its two arguments: the message is the phase followed by ``done/total``
(``"write 1048576/52428800"``); ``parse_bytes`` reads it back, and a face that does not know the form still
gets the fraction."""

from __future__ import annotations

import re

from evaluator.services.progress import Progress

REPORT_BYTES = 4 * 1024 * 1024
"""A byte report at most once per this many bytes (or per 1/200 of the total, whichever is more): a GUI
that got one per 1 MiB chunk would only redraw. Counted in bytes, not seconds, so that the same files give
the same reports (the cancel tests stop an import at each of its reports in turn)."""
_FORM = re.compile(r"^(\w+) (\d+)/(\d+)$")


def bytes_message(phase: str, done: int, total: int) -> str:
    return f"{phase} {done}/{total}"


def parse_bytes(message: str) -> tuple[str, int, int] | None:
    """``(phase, done, total)`` of a byte report, or None for any other message."""
    m = _FORM.match(message)
    return None if m is None else (m.group(1), int(m.group(2)), int(m.group(3)))


def phase_of(message: str) -> str:
    """The phase of a report, with or without a byte count (``"read 5/10"`` and ``"read"``: ``read``)."""
    return message.split(" ", 1)[0]


class ByteMeter:
    """Counts bytes and reports them: ``meter(n)`` after each chunk, ``meter.step()`` after each of
    ``steps`` files (a plain ``phase`` report, as before bytes were counted), ``meter.finish()`` at the end.

    The fraction goes from ``start`` to ``start + share`` as bytes and steps go from 0 to ``total`` and
    ``steps`` (a step weighs one byte: small packages still move the bar); reports are monotonic and never
    beyond ``total``. Small transfers (under ``REPORT_BYTES``) make no byte reports unless ``always``; once
    one was made, ``finish`` reports ``total``."""

    def __init__(self, progress: Progress, phase: str, total: int, *, start: float = 0.0,
                 share: float = 1.0, steps: int = 0, always: bool = False):
        self.progress, self.phase, self.total = progress, phase, max(total, 0)
        self.start, self.share, self.steps = start, share, steps
        self.done = 0
        self.steps_done = 0
        self.every = max(REPORT_BYTES, self.total // 200)
        self._next = 0 if always else self.every
        self._any = False

    def fraction(self) -> float:
        whole = self.total + self.steps
        return self.start + self.share * ((self.done + self.steps_done) / whole if whole else 0.0)

    def __call__(self, n: int) -> None:
        self.done = min(self.done + n, self.total)
        if self.done >= self._next and (self.done > 0 or not self._any):
            self._next = self.done + self.every
            self._report()

    def _report(self) -> None:
        self._any = True
        self.progress(self.fraction(), bytes_message(self.phase, self.done, self.total))

    def step(self) -> None:
        """A plain report (``phase`` alone) before the next file, counted as one byte's worth."""
        self.progress(self.fraction(), self.phase)
        self.steps_done = min(self.steps_done + 1, self.steps)

    def finish(self) -> None:
        """The last byte report: ``total`` of ``total`` (when any byte report was made)."""
        self.done = self.total
        if self._any:
            self._report()
