"""Byte counts on the progress callback (``services.progress``): an export or import of gigabytes of
evidence says how many bytes are done of how many, so a face can show "x MB / y MB" and the time left.

The callback keeps its two arguments: the message is the phase followed by ``done/total``
(``"write 1048576/52428800"``); ``parse_bytes`` reads it back, and a face that does not know the form still
gets the fraction."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable

from evaluator.messages import Message
from evaluator.services.progress import Progress, bytes_message

__all__ = ["REPORT_BYTES", "ByteMeter", "bytes_message", "parse_bytes", "phase_of"]

REPORT_BYTES = 4 * 1024 * 1024
"""A byte report at most once per this many bytes (or per 1/200 of the total, whichever is more): a GUI
that got one per 1 MiB chunk would only redraw. Counted in bytes, not seconds, so that the same files give
the same reports (the cancel tests stop an import at each of its reports in turn)."""
_FORM = re.compile(r"^(\w+) (\d+)/(\d+)$")


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


ESTIMATE_AFTER_S = 2.0
"""No time left is guessed before this many seconds (the first megabytes come from the disk cache)."""


class TimeLeft:
    """What a face shows of byte reports: "x MB / y MB, còn khoảng n phút" (``Message``, both languages).

    The time left is the time so far scaled to the bytes left (the rate since the first report)."""

    def __init__(self, clock: Callable[[], float] | None = None):
        self._clock = clock or time.monotonic
        self._start: tuple[float, int] | None = None

    def message(self, done: int, total: int) -> Message:
        now = self._clock()
        if self._start is None or done < self._start[1]:  # a new transfer (an import's next phase)
            self._start = (now, done)
        since, first = self._start
        shown = {"done": _mb(done), "total": _mb(total)}
        elapsed, moved = now - since, done - first
        if elapsed < ESTIMATE_AFTER_S or moved <= 0 or done >= total:
            return Message("transfer.bytes", shown)
        left = (total - done) * elapsed / moved
        if left < 60:
            return Message("transfer.bytes_under_a_minute", shown)
        return Message("transfer.bytes_minutes", {**shown, "minutes": math.ceil(left / 60)})


def _mb(n: int) -> str:
    """Megabytes as people count them on a USB stick (10^6 bytes), one decimal under 100 MB."""
    mb = n / 1e6
    return f"{mb:,.1f}" if mb < 100 else f"{mb:,.0f}"
