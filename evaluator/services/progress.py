"""Progress of long service calls (imports), for the GUI's progress bar and its Cancel button.

``progress(fraction, phase)``: ``fraction`` of the work done (0..1), ``phase`` one of ``PHASES``. The
callback may raise — that is how a cancel reaches the service — at any call: the calls that take it are
all-or-nothing, so nothing is then written.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[float, str], None]
PHASES = ("read", "check", "write")
"""Reading and checking the files, checking them against the project (and planning), writing."""


def no_progress(_fraction: float, _phase: str) -> None:
    """The default: nobody is watching."""
