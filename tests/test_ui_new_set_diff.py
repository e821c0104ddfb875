"""Beside "Chấp nhận bộ tiêu chí mới" (issue 12): each criteria set a package brings, with its diff against
the project's sets (``services.package_sets.diff_new_sets``, shown by ``ui.new_sets_view``): a set of a new
code is said to be wholly new and compared with the project's set for the same year and kinds (a forged
copy of the department set shows its raised maximum); a new version of a set the project has is compared
with that set's latest version; a package changed since the preview is said so. Real packages, the import
centre offscreen through pytest-qt. ``NEW_SET_SHOTS=1`` also writes docs/screenshots/handout-new-set.png
and import-new-set-diff.png.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from exchange_helpers import YEAR, copy, export
from sqlalchemy import select
from test_package_sets_guard import FORGED, _forge
from ui_helpers import open_window

from evaluator.frameworks import parse_framework
from evaluator.models import Assessment, CriteriaSet, Period, Unit, open_project
from evaluator.models.schema import decode_canonical_json
from evaluator.services.package_sets import diff_new_sets

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
DEPARTMENT = "par-department-2024"


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("EVALUATOR_PROJECTS_DIR", str(tmp_path / "projects"))
    return tmp_path / "projects"


def test_the_import_centre_shows_a_new_sets_diff(demo_db: Path, tmp_path: Path, places: Path,
                                                  qtbot: Any) -> None:
    laptop = copy(demo_db, tmp_path, "laptop")
    _forge(laptop)  # the department set under a new code, leaf 1.1.2's maximum (and its parents') raised
    package = export(laptop, tmp_path / "forged.cchc", ["SO99"], "Kẻ gian")
    window = open_window(copy(demo_db, tmp_path, "committee"), qtbot, "Thư ký hội đồng", "committee")
    centre = window.import_centre([str(package)])
    assert centre is not None
    qtbot.waitUntil(lambda: centre.job is None and centre.report is not None, timeout=60_000)
    assert centre.accept_sets.isVisible() and centre.set_diffs.isVisible()
    [item] = centre.set_diffs.items
    text = item.summary.text()
    assert f"{FORGED}@1: bộ tiêu chí mới hoàn toàn" in text
    assert f"{DEPARTMENT}@2" in text and "thêm 0, bỏ 0, sửa 3 nút" in text
    assert item.details.isVisible() and not item.table.isVisible()
    if os.environ.get("NEW_SET_SHOTS"):  # the set and its counts, the list folded
        centre.resize(1000, 720)
        qtbot.wait(100)
        assert centre.grab().save(str(SHOTS / "handout-new-set.png"))
    item.details.click()  # the list behind the counts
    assert item.table.isVisible()
    rows = [item.model.texts(r) for r in range(item.model.rowCount())]
    assert [r[1] for r in rows if r[1]] == ["1", "1.1", "1.1.2"]
    leaf = next(r for r in rows if r[1] == "1.1.2")
    assert leaf[0] == "sửa" and "Sở" in leaf[4] and "50" in leaf[5]  # its maximum for departments: 0.5 → 50
    if os.environ.get("NEW_SET_SHOTS"):
        centre.resize(1000, 860)
        qtbot.wait(100)
        assert centre.grab().save(str(SHOTS / "import-new-set-diff.png"))
    # ticking "accept" previews again: the diff stays beside the set, now accepted
    with qtbot.waitSignal(centre.previewed, timeout=60_000):
        centre.accept_sets.setChecked(True)
    assert "được nhận" in centre.new_sets.text() and len(centre.set_diffs.items) == 1
    # another list: the diff goes with the preview it belonged to
    centre.remove_selected()
    centre.files.selectAll()
    centre.remove_selected()
    assert not centre.set_diffs.isVisible() and centre.set_diffs.items == []
    window.close()


def _new_version(db: Path) -> str:
    """On a laptop: the next version of the department set (one title changed), and a unit SO98 assessed
    by it."""
    with open_project(db) as project, project.session() as s:
        real = s.scalars(select(CriteriaSet).where(CriteriaSet.code == DEPARTMENT)).one()
        doc = decode_canonical_json(real.document)
        doc["version"] = real.version + 1
        doc["nodes"][0]["title"] = doc["nodes"][0]["title"] + " (sửa đổi)"
        row = CriteriaSet.from_framework(parse_framework(doc, "v2"))
        s.add(row)
        period = s.scalars(select(Period).where(Period.year == YEAR)).one()
        unit = Unit(code="SO98", name="Sở mới", kind="department")
        s.add(unit)
        s.flush()
        s.add(Assessment(unit_id=unit.id, period_id=period.id, criteria_set_id=row.id))
        return str(row.sha256)


def test_a_new_version_is_compared_with_the_latest_of_its_code(demo_db: Path, tmp_path: Path) -> None:
    laptop = copy(demo_db, tmp_path, "laptop")
    sha = _new_version(laptop)
    package = export(laptop, tmp_path / "v2.cchc", ["SO98"], "Tổ 1")
    committee = copy(demo_db, tmp_path, "committee")
    listed = {"file": package.name, "code": DEPARTMENT, "version": 3, "sha256": sha}  # bundled: 2
    with open_project(committee) as project:
        [d] = diff_new_sets(project, [package], [listed])
        assert d.same_code and d.against == f"{DEPARTMENT}@2" and d.identity == f"{DEPARTMENT}@3"
        assert d.diff is not None and not d.diff.added and not d.diff.removed
        [changed] = d.diff.changed
        assert changed.code == "1" and set(changed.fields) == {"title"}
        # the package changed since the preview (another fingerprint listed): said, not raised
        [gone] = diff_new_sets(project, [package], [{**listed, "sha256": "0" * 64}])
        assert gone.diff is None and "xem trước lại" in str(gone.problem.render("vi"))  # type: ignore[union-attr]
        (tmp_path / "v2.cchc").write_bytes(b"not a zip")
        [broken] = diff_new_sets(project, [package], [listed])
        assert broken.diff is None and broken.problem
