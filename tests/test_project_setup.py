"""A new project and its unit list in one service call (``services.project_setup``, issue 12): the wizard's
finish and ``evaluator init --units``. All or nothing: a refused list, or a failure while the units are
written, leaves no project file, no evidence folder and no backup; a good list adds the units with their
assessments of the year and no backup of the brand-new project."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import backup_files
from sqlalchemy import select

from evaluator.cli.main import main
from evaluator.errors import UserError
from evaluator.models import Assessment, Period, Unit, open_project
from evaluator.services import unit_sheets
from evaluator.services.project_setup import check_unit_list, set_up_project
from evaluator.services.projects import create_project

YEAR = 2025  # a year with bundled sets for every kind


def _units(folder: Path, rows: list[list[str]], name: str = "don-vi.xlsx") -> Path:
    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "units"
    sheet.append(["unit_code", "unit_name", "unit_kind"])
    for row in rows:
        sheet.append(row)
    out = folder / name
    wb.save(out)
    return out


GOOD = [["SNV", "Sở Nội vụ", "department"], ["STP", "Sở Tư pháp", "department"],
        ["X01", "UBND xã Một", "commune"]]


def _nothing_left(folder: Path) -> None:
    assert not any(folder.glob("p.db*")), list(folder.iterdir())
    assert not (folder / "p.evidence").exists()
    assert backup_files() == []


def test_a_refused_unit_list_leaves_no_project_and_no_backup(tmp_path: Path) -> None:
    bad = _units(tmp_path, [["SNV", "Sở Nội vụ", "department"], ["SNV", "Sở Nội vụ (lặp)", "department"],
                            ["X02", "UBND xã Hai", "tinh_thanh"]])
    with pytest.raises(UserError) as refused:
        set_up_project(tmp_path / "p.db", YEAR, units=bad, author="Thư ký")
    text = "\n".join([str(refused.value), *map(str, refused.value.details)])
    assert "don-vi.xlsx" in text and "3" in text and "4" in text  # the file and both rows named
    _nothing_left(tmp_path)
    # and a corrected list goes through on the same path: nothing half-made refuses it as "exists"
    made = set_up_project(tmp_path / "p.db", YEAR, units=_units(tmp_path, GOOD, "ok.xlsx"), author="Thư ký")
    made.project.close()
    assert (tmp_path / "p.db").is_file()


def test_a_failure_while_the_units_are_written_leaves_nothing(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The list passes every check, then writing fails (here: the import log). The wizard's old chain
    (``create_project`` then ``import_units``) had already taken a backup of the new project by then."""
    good = _units(tmp_path, GOOD)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(unit_sheets, "log_import", broken)
    with pytest.raises(OSError):
        set_up_project(tmp_path / "p.db", YEAR, units=good, author="Thư ký")
    _nothing_left(tmp_path)
    # what the old chain left behind: a backup folder for a project that does not exist
    with create_project(tmp_path / "old.db", [YEAR]) as project, pytest.raises(OSError):
        unit_sheets.import_units(project, good, year=YEAR)
    assert backup_files() != []


def test_project_with_units_in_one_call(tmp_path: Path) -> None:
    made = set_up_project(tmp_path / "p.db", YEAR, name="CCHC 2025", province="Tỉnh Mẫu",
                          units=_units(tmp_path, GOOD), author="Thư ký", role="committee")
    with made.project as project, project.session() as s:
        assert sorted(s.scalars(select(Unit.code))) == ["SNV", "STP", "X01"]
        years = s.scalars(select(Period.year).join(Assessment, Assessment.period_id == Period.id)).all()
        assert years == [YEAR] * 3
    assert made.units is not None and [d.code for d in made.units.new] == ["SNV", "STP", "X01"]
    assert made.units.backup == "" and backup_files() == []  # nothing to bring back in a new project
    none = set_up_project(tmp_path / "q.db", YEAR)
    none.project.close()
    assert none.units is None


def test_check_unit_list_writes_nothing(tmp_path: Path) -> None:
    from evaluator.frameworks.registry import bundled_for_year

    report = check_unit_list(_units(tmp_path, GOOD), YEAR, bundled_for_year(YEAR))
    assert report.dry_run and len(report.new) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["don-vi.xlsx"]


def test_cli_init_with_units(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _units(tmp_path, [["SNV", "Sở Nội vụ", "khong_co"]], "bad.xlsx")
    assert main(["init", str(tmp_path / "p.db"), "--year", str(YEAR), "--units", str(bad)]) == 1
    assert "bad.xlsx" in capsys.readouterr().err
    _nothing_left(tmp_path)
    assert main(["init", str(tmp_path / "p.db"), "--year", str(YEAR), "--units",
                 str(_units(tmp_path, GOOD))]) == 0
    out = capsys.readouterr().out
    assert "SNV" in out and "X01" in out
    with open_project(tmp_path / "p.db") as project, project.session() as s:
        assert len(s.scalars(select(Assessment)).all()) == 3
    # a team's copy takes its units from the handout: a list of its own is refused, nothing made
    for lang, words in (("vi", "gói giao việc"), ("en", "handout")):
        assert main(["--lang", lang, "init", str(tmp_path / "t.db"), "--from-package",
                     str(tmp_path / "x.cchc"), "--units", str(bad)]) == 1
        assert words in capsys.readouterr().err and not (tmp_path / "t.db").exists()


# --- the wizard's finish: the same one call, through the operation mechanism -------------------------
def test_the_wizard_leaves_no_project_and_no_backup_when_the_units_fail(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: object) -> None:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from test_ui_new_project import walk_to

    from evaluator.services.users import UserSettings
    from evaluator.ui.app import application, build_window

    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("EVALUATOR_PROJECTS_DIR", str(tmp_path / "projects"))
    application("vi")
    _ctx, window = build_window(UserSettings(name="Thư Ký", role="committee", device_id="t"), persist=False)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    wizard = window.create_dialog()
    target = tmp_path / "projects" / "p.db"
    wizard.place_page.year.setValue(YEAR)
    wizard.place_page.path.setText(str(target))
    wizard.place_page._path_edited()
    walk_to(wizard, "units", qtbot)
    wizard.units_page.check(_units(tmp_path, GOOD))
    qtbot.waitUntil(lambda: wizard.units_page.loading is None, timeout=20_000)  # type: ignore[attr-defined]
    assert wizard.units_page.isComplete()
    walk_to(wizard, "summary", qtbot)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise UserError("common.cannot_write", path=target, error="No space left on device")

    monkeypatch.setattr(unit_sheets, "log_import", broken)
    with qtbot.waitSignal(window.open_failed, timeout=20_000):  # type: ignore[attr-defined]
        wizard.accept()
    assert window.ctx.project is None
    assert not any(target.parent.glob("p.db*")) and not target.with_suffix(".evidence").exists()
    assert backup_files() == []
    window.close()
