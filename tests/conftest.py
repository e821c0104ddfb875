from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def mini_framework():
    from evaluator.frameworks import load_framework

    return load_framework(DATA / "mini.yaml")


@pytest.fixture
def project(tmp_path: Path) -> Iterator:
    """A new, empty project file ``p.db`` in a temporary folder."""
    from evaluator.models import open_project

    proj = open_project(tmp_path / "p.db", create=True, name="Test", province="Tỉnh Thử")
    yield proj
    proj.close()
