"""The criteria sets bundled with the program (``resources/frameworks/*.yaml``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from evaluator.frameworks.files import load_framework
from evaluator.frameworks.model import Framework
from evaluator.resources import resource


def bundled_paths() -> list[Path]:
    return sorted(resource("frameworks").glob("*.yaml"))


@cache
def bundled_frameworks() -> tuple[Framework, ...]:
    return tuple(sorted((load_framework(p) for p in bundled_paths()), key=lambda f: (f.year, f.code)))


def bundled_for_year(year: int) -> list[Framework]:
    return [f for f in bundled_frameworks() if f.year == year]


def find_bundled(code: str, version: int | None = None) -> Framework | None:
    matches = [f for f in bundled_frameworks()
               if f.code == code and (version is None or f.version == version)]
    return max(matches, key=lambda f: f.version) if matches else None
