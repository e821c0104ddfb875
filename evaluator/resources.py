"""Where bundled resources live: in a source checkout, an installed wheel, or a frozen bundle.

Platform-neutral on purpose (pathlib only, no ``~`` or ``/``), so what is tested on Linux holds on Windows.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    override = os.environ.get("EVALUATOR_RESOURCES")
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    here = Path(__file__).resolve().parent
    installed = here / "_resources"
    if installed.is_dir():
        return installed
    return here.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
