"""Exchange in the GUI through the real widgets (pytest-qt, offscreen, real files): a team exports a signed
package from its dialog; the committee opens it in the import centre (preview with counts and changes,
then apply → the project changes, the log is shown); the conflict view shows both sides and resolves with
a required reason, which the audit log keeps; `evaluator gui FILE.cchc` opens the import preview."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from exchange_helpers import copy
from exchange_helpers import edit as merge_edit
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy import select
from ui_helpers import open_window

from evaluator.models import Assessment, AuditEvent, Period, Score, Unit, open_project
from evaluator.ui.exchange_dialogs import ExportDialog, ImportCentre
from evaluator.ui.main_window import MainWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
PASSWORD = "mật khẩu"  # tests/conftest.py PKI_PASSWORD


def edit(db: Path, unit: str, leaf: str, done: bool, author: str) -> None:
    merge_edit(db, unit, leaf, {"done": done}, author)


def stored(db: Path, unit: str, leaf: str) -> Any:
    with open_project(db) as project, project.session() as s:
        return s.scalars(
            select(Score.points)
            .join(Assessment, Assessment.id == Score.assessment_id)
            .join(Unit, Unit.id == Assessment.unit_id)
            .join(Period, Period.id == Assessment.period_id)
            .where(
                Unit.code == unit, Period.year == 2024, Score.criterion_code == leaf, Score.stage == "self"
            )
        ).one()


@pytest.fixture
def copies(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    committee, team = copy(demo_db, tmp_path, "committee"), copy(demo_db, tmp_path, "team")
    edit(committee, "H01", "1.7", True, "Hội đồng")  # the same leaf on both sides: a conflict
    edit(team, "H01", "1.7", False, "Tổ 3")
    edit(team, "H01", "1.5.2", False, "Tổ 3")  # only the team: applied
    yield committee, team


@pytest.mark.slow
def test_export_import_centre_and_conflict_view(
    copies: tuple[Path, Path], qtbot: Any, tmp_path: Path, exchange_pki: dict[str, Path]
) -> None:
    committee, team = copies
    before_18 = stored(committee, "H01", "1.5.2")
    # The team exports a signed package for H01 from its dialog.
    team_window = open_window(team, qtbot, "Tổ 3", "leader")
    export = team_window.export_dialog()
    assert isinstance(export, ExportDialog)
    qtbot.addWidget(export)
    package = tmp_path / "to-3.cchc"
    export.out.setText(str(package))
    export.all_units.setChecked(False)
    for i in range(export.units.count()):
        item = export.units.item(i)
        if item.data(0x0100) == "H01":
            item.setCheckState(item.checkState().Checked)
    export.sign.setChecked(True)
    export.key.p12.setText(str(exchange_pki["p12"]))
    export.key.password.setText("sai")
    with qtbot.waitSignal(export.failed, timeout=30_000) as blocker:
        export.export()
    assert "sai mật khẩu" in blocker.args[0] and not package.exists()  # the window's language
    export.key.password.setText(PASSWORD)
    with qtbot.waitSignal(export.exported, timeout=60_000) as blocker:
        export.export()
    assert blocker.args[0].units == ["H01"] and "Tổ thẩm định số 1" in blocker.args[0].signed_by
    # the export's result in the window's language
    assert package.is_file() and "Ký số bởi CN=Tổ thẩm định số 1" in export.status.toPlainText()
    assert export.status.toPlainText().startswith("Đã ghi gói dữ liệu tổ thẩm định:")
    # The Verify dialog checks a package too (structure, every hash, the signature, trust).
    verify = team_window.verify_dialog()
    qtbot.addWidget(verify)
    verify.file.setText(str(package))
    verify.trust.setText(str(exchange_pki["ca_pem"]))
    with qtbot.waitSignal(verify.verified, timeout=30_000):
        verify.verify()
    assert verify.report.ok and "Tổ thẩm định số 1" in verify.table.item(0, 1).text()
    assert "✔" in verify.table.item(0, 3).text() and verify.table.item(0, 6).text() == "tin cậy"
    team_window.close()

    # The committee previews it in the import centre: counts and the list of changes, nothing written.
    window = open_window(committee, qtbot, "Chủ tịch Hội đồng", "committee")
    centre = window.import_centre()
    assert isinstance(centre, ImportCentre)
    qtbot.addWidget(centre)
    centre.add_file(package)
    centre.trust.setText(str(exchange_pki["ca_pem"]))
    with qtbot.waitSignal(centre.previewed, timeout=60_000) as blocker:
        centre.preview()
    report = blocker.args[0]
    assert report.dry_run and report.scores_conflicting == 1 and report.scores_updated >= 1
    counts = {
        centre.counts.item(r, 0).text(): centre.counts.item(r, 1).text()
        for r in range(centre.counts.rowCount())
    }
    assert counts["Điểm xung đột"] == "1" and counts["Điểm cập nhật"] == str(report.scores_updated)
    assert counts["Xung đột được giải quyết theo gói"] == "0"
    lines = [centre.change_model.text(i, 0) for i in range(centre.change_model.rowCount())]
    assert any("ký bởi" in line and "Tổ thẩm định số 1" in line for line in lines)
    assert any(line.startswith("Xung đột:") and "1.7" in line for line in lines)
    assert any(line.startswith("Thay đổi:") and "1.5.2" in line for line in lines)
    red = {line: centre.change_model.index(i, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
           for i, line in enumerate(lines)}
    assert all(red[line] == line.startswith("Xung đột:") for line in lines)  # conflicts in dark red
    # the preview speaks the window's language: stages by their labels, no command named
    assert any(line.startswith("Thay đổi: Xung đột: H01 2024 1.7 (") for line in lines)
    assert not any(" self" in line or "appraisal" in line or ": conflict:" in line for line in lines)
    log = centre.log.toPlainText()
    assert centre.apply_button.isEnabled() and log.startswith("Xem trước — chưa ghi gì.\n  Gói dữ liệu: ")
    assert "  Xung đột (1):\n    - H01 2024 1.7 (" in log and "evaluator conflicts" not in log
    assert stored(committee, "H01", "1.5.2") == before_18

    # Apply: the project changes, the log is shown, the views hear of it once.
    changes: list[Any] = []

    def heard(change: Any, initiator: object) -> None:
        changes.append(change)
        assert initiator is centre  # the import centre caused it, and the views can tell

    window.ctx.changed.connect(heard)
    with qtbot.waitSignal(centre.imported, timeout=60_000):
        centre.apply()
    assert "Đã nhập." in centre.log.toPlainText() and "Bản sao lưu dự án" in centre.log.toPlainText()
    assert "Đã nhập" in centre.verdict.text() and not centre.apply_button.isEnabled()
    assert stored(committee, "H01", "1.5.2") != before_18
    assert len(changes) == 1 and changes[0].audit and changes[0].units
    assert window.workspace.units.items.keys() <= changes[0].assessments
    window.ctx.changed.disconnect(heard)

    # An open conflict blocks the minutes of that unit: the dialog says so and writes nothing.
    minutes = window.report_dialog("appraisal", 2024, ["H01"])
    qtbot.addWidget(minutes)
    minutes.out.setText(str(tmp_path / "h01.pdf"))
    with qtbot.waitSignal(minutes.failed, timeout=30_000) as blocker:
        minutes.produce()
    assert "còn xung đột chưa giải quyết" in blocker.args[0] and not (tmp_path / "h01.pdf").exists()
    minutes.close()

    # The conflict view: both sides with notes and authors, the self score, the evidence.
    window.show_view("conflicts")
    view = window.conflicts
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    assert view.model.index(0, 5).data(Qt.ItemDataRole.ForegroundRole).color() == Qt.GlobalColor.darkRed
    d = view.detail
    assert d is not None and d["unit_code"] == "H01" and d["criterion_code"] == "1.7"
    assert sorted(v["author"] for v in d["values"]) == ["Hội đồng", "Tổ 3"]
    assert len(view.value_buttons) == 2 and "1 xung đột chưa giải quyết" in view.count.text()
    texts = [label.text() for label in view.sides.findChildren(QLabel)]
    assert "ghi chú của Tổ 3" in texts and "ghi chú của Hội đồng" in texts
    assert "Giá trị chung trước khi tách" in view.own.text()

    # Resolving needs a reason: refused without one, nothing changes.
    team_value = next(v for v in d["values"] if v["author"] == "Tổ 3")
    view.value_buttons[team_value["value_id"]].setChecked(True)
    assert not view.resolve()
    assert "lý do" in view.error.text()
    with open_project(committee) as project, project.session() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "conflict.resolve")).first() is None
    view.reason.setPlainText("Tổ 3 đã kiểm tra thực tế tại đơn vị")
    with qtbot.waitSignal(view.resolved, timeout=10_000):
        assert view.resolve()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=10_000)
    assert "0 xung đột" in view.count.text()
    view.show_resolved.setChecked(True)
    assert view.model.rowCount() == 1 and "Đã giải quyết" in view.model.text(0, 5)
    assert view.table.selectionModel().selectedRows()[0].row() == 0
    assert "Tổ 3 đã kiểm tra" in view.error.text() and not view.decide.isEnabled()
    assert view.model.index(0, 5).data(Qt.ItemDataRole.ForegroundRole) is None  # red only while open
    window.close()
    with open_project(committee) as project, project.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "conflict.resolve")).one()
        assert (event.author, event.role, event.reason, event.criterion_code) == (
            "Chủ tịch Hội đồng",
            "committee",
            "Tổ 3 đã kiểm tra thực tế tại đơn vị",
            "1.7",
        )
    assert stored(committee, "H01", "1.7") == stored(team, "H01", "1.7")


def test_points_decided_by_the_committee_and_bad_points(
    copies: tuple[Path, Path], qtbot: Any, tmp_path: Path
):
    from evaluator.services.exchange import export_package, import_packages

    committee, team = copies
    with open_project(team) as project:
        export_package(project, tmp_path / "t.cchc", years=[2024], units=["H01"])
    with open_project(committee) as project:
        import_packages(project, [tmp_path / "t.cchc"])
    window = open_window(committee, qtbot, "Chủ tịch", "committee")
    window.show_view("conflicts")
    view = window.conflicts
    qtbot.waitUntil(lambda: view.detail is not None, timeout=10_000)
    view.reason.setPlainText("quyết định của hội đồng")
    assert not view.resolve() and "Chọn giá trị" in view.error.text()
    view.points.setText("abc")
    view.own_points.setChecked(True)
    assert not view.resolve() and "không hợp lệ" in view.error.text()
    view.points.setText("99")
    assert not view.resolve() and "nằm ngoài khoảng" in view.error.text()  # the service's check, shown
    view.points.setText("0,5")
    assert view.resolve()
    window.close()
    assert str(stored(committee, "H01", "1.7")) == "0.50"


def test_gui_opens_a_package_in_the_import_preview(
    copies: tuple[Path, Path], qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`evaluator gui --db DB FILE.cchc`: the project opens, then the import centre previews the file."""
    from evaluator.cli.main import main
    from evaluator.services.exchange import export_package
    from evaluator.ui import app as app_module

    committee, team = copies
    with open_project(team) as project:
        export_package(project, tmp_path / "t.cchc", years=[2024], units=["H01"])
    seen: dict[str, Any] = {}

    def fake_exec(_app: Any) -> int:  # instead of the event loop: wait for the preview and look at it
        window = seen["window"]
        qtbot.waitUntil(
            lambda: isinstance(window.dialog, ImportCentre) and window.dialog.report is not None,
            timeout=30_000,
        )
        seen["report"] = window.dialog.report
        window.dialog.close()
        window.close()
        return 0

    real_build = app_module.build_window

    def build(settings: Any, *, persist: bool = True) -> Any:
        settings.name, settings.role = "Chủ tịch", "committee"
        ctx, window = real_build(settings, persist=False)
        seen["window"] = window
        return ctx, window

    monkeypatch.setattr(app_module, "build_window", build)
    monkeypatch.setattr(type(app_module.application("vi")), "exec", fake_exec)
    assert main(["gui", "--db", str(committee), str(tmp_path / "t.cchc")]) == 0
    report = seen["report"]
    assert report.dry_run and report.scores_conflicting == 1


def test_conflict_detail_service(copies: tuple[Path, Path], tmp_path: Path) -> None:
    """``services.conflicts.conflict_detail``: what the conflict view shows, without Qt."""
    from evaluator.services.conflicts import conflict_detail, list_conflicts
    from evaluator.services.exchange import export_package, import_packages

    committee, team = copies
    with open_project(team) as project:
        export_package(project, tmp_path / "t.cchc", years=[2024], units=["H01"])
    with open_project(committee) as project:
        import_packages(project, [tmp_path / "t.cchc"])
        with project.session() as s:
            [item] = list_conflicts(s)
            d = conflict_detail(s, item["id"][:8])
    assert {k: d[k] for k in ("id", "year", "unit_code", "criterion_code", "stage", "values")} == item
    assert d["status"] == "open" and d["unit_name"] and d["criterion_title"] and d["max"] == 0.5
    assert d["base"] is not None and d["base"]["value_id"] not in {v["value_id"] for v in d["values"]}
    assert d["self"] is not None and isinstance(d["evidence"], list) and d["reason"] == ""


def test_a_package_from_the_file_manager_opens_the_gui() -> None:
    from evaluator.cli.gui_cmd import package_arguments

    assert package_arguments(["to-1.cchc", "B.CCHC"]) == ["gui", "to-1.cchc", "B.CCHC"]
    assert package_arguments(["import", "--db", "x.db", "to-1.cchc"])[0] == "import"
    assert package_arguments([]) == []


def test_import_centre_takes_consolidated_workbooks(demo_copy: Path, qtbot: Any, tmp_path: Path) -> None:
    from workbook_helpers import write_workbook

    book = write_workbook(
        tmp_path / "tong-hop.xlsx",
        units=[["SO01", "Sở Nội vụ", "department", "par-department-2024"]],
        scores=[["SO01", "1.3.2", "self", 0.5, 0, "Có phát sinh"]],
    )
    window = open_window(demo_copy, qtbot, "Thư ký", "secretary")
    centre = window.import_centre([str(book), str(tmp_path / "x.cchc")])
    assert centre is not None
    qtbot.addWidget(centre)
    with qtbot.waitSignal(centre.failed, timeout=30_000):  # one kind of file per run
        pass
    assert "trong các lần nhập riêng" in centre.log.toPlainText()  # the service's message, in Vietnamese
    centre.files.setCurrentRow(1)
    centre.files.item(1).setSelected(True)
    centre.remove_selected()
    with qtbot.waitSignal(centre.previewed, timeout=30_000):
        centre.preview()
    table = centre.counts
    counts = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert "Điểm xung đột" not in counts and counts["Điểm mới"] == "0" and counts["Điểm cập nhật"] == "1"
    with qtbot.waitSignal(centre.imported, timeout=30_000):
        centre.apply()
    assert "Đã nhập." in centre.log.toPlainText() and "1 cập nhật" in centre.log.toPlainText()
    window.close()
    assert str(stored(demo_copy, "SO01", "1.3.2")) == "0.50"


def survey_value(db: Path, unit: str, leaf: str, stage: str = "survey") -> Any:
    with open_project(db) as project, project.session() as s:
        score = s.scalars(
            select(Score)
            .join(Assessment, Assessment.id == Score.assessment_id)
            .join(Unit, Unit.id == Assessment.unit_id)
            .join(Period, Period.id == Assessment.period_id)
            .where(Unit.code == unit, Period.year == 2024, Score.criterion_code == leaf, Score.stage == stage)
        ).first()
        return None if score is None else (score.points, score.value)


@pytest.mark.slow
def test_import_centre_takes_survey_answers_and_external_indices(
    demo_copy: Path, qtbot: Any, tmp_path: Path
) -> None:
    """Survey answers and external indices through the import centre: the preview writes nothing and
    shows respondent counts per leaf; the import changes the stored values and refreshes the views; a bad
    workbook shows the service's error and leaves the project as it was."""
    import hashlib
    from decimal import Decimal

    from survey_helpers import GOOD, indices, workbook

    def state() -> str:
        return hashlib.sha256(demo_copy.read_bytes()).hexdigest()

    good = workbook(tmp_path / "khao-sat.xlsx", GOOD)
    bad = workbook(tmp_path / "sai.xlsx", [["R1", "officials", "ZZ9", "Q1", "A"], *GOOD])
    window = open_window(demo_copy, qtbot, "Thư ký", "committee")
    changes: list[Any] = []
    window.ctx.changed.connect(lambda change, _initiator: changes.append(change))
    centre = window.import_centre()
    assert centre is not None
    qtbot.addWidget(centre)
    centre.set_kind("survey")
    assert centre.year.isVisibleTo(centre) and not centre.trust.isVisibleTo(centre)
    centre.year.setValue(2024)
    centre.add_file(bad)
    before = state()
    with qtbot.waitSignal(centre.failed, timeout=30_000):
        centre.preview()
    assert "dòng 2, cột unit_code: không có đơn vị 'ZZ9'" in centre.log.toPlainText()  # the GUI's language
    assert not centre.apply_button.isEnabled() and state() == before
    centre.files.clear()
    centre.add_file(good)
    with qtbot.waitSignal(centre.previewed, timeout=30_000):
        centre.preview()
    assert state() == before and "Xem trước — chưa ghi gì." in centre.log.toPlainText()
    table = centre.counts
    counts = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert counts["Câu trả lời"] == "5" and counts["Câu bỏ trống"] == "1"
    lines = [centre.change_model.text(i, 0) for i in range(centre.change_model.rowCount())]
    assert any(t.startswith("H01 1.8: 0.50 điểm — người trả lời: leaders 1, officials 2") for t in lines)
    assert any(t.startswith("H02 8.2: 1.50 điểm — người trả lời: citizens 1") for t in lines)
    centre.year.setValue(2023)  # changed options need a new preview
    assert not centre.apply_button.isEnabled()
    centre.year.setValue(2024)
    with qtbot.waitSignal(centre.previewed, timeout=30_000):
        centre.preview()
    with qtbot.waitSignal(centre.imported, timeout=30_000):
        centre.apply()
    assert "Đã nhập kết quả điều tra xã hội học." in centre.log.toPlainText()
    assert "Điểm và số người trả lời theo tiêu chí:" in centre.log.toPlainText()
    assert changes and 2024 in changes[-1].years and changes[-1].assessments
    assert survey_value(demo_copy, "H01", "1.8") == (
        Decimal("0.50"),
        {"points": Decimal("0.5"), "respondents": {"officials": 2, "leaders": 1}},
    )
    # External indices: the stage for appraisal-scored leaves is chosen (default as in the CLI).
    centre.set_kind("external")
    assert centre.stage.currentData() == "appraisal1" and centre.stage.isVisibleTo(centre)
    centre.stage.setCurrentIndex(centre.stage.findData("appraisal2"))
    centre.files.clear()
    centre.add_file(indices(tmp_path / "chi-so.xlsx", [["H02", "par766", 75, ""]]))
    with qtbot.waitSignal(centre.previewed, timeout=30_000):
        centre.preview()
    assert any("H02 8.7.4" in centre.change_model.text(i, 0) for i in range(centre.change_model.rowCount()))
    had = survey_value(demo_copy, "H02", "8.7.4", "appraisal2")  # the demo's draw may have given it a value
    with qtbot.waitSignal(centre.imported, timeout=30_000):
        centre.apply()
    log = centre.log.toPlainText()
    tag = "[mới]" if had is None else "[cập nhật]"
    assert log.startswith("Đã nhập các chỉ số bên ngoài.\n  Tệp: ") and "8.7.4 (Thẩm định vòng 2): " in log
    assert tag in log and " điểm [" in log
    assert "appraisal" not in log and " points" not in log  # stages by their labels
    window.close()
    assert survey_value(demo_copy, "H02", "8.7.4", "appraisal2") == (Decimal("0.75"), {"value": 75})


def previewed(committee: Path, package: Path, qtbot: Any) -> tuple[MainWindow, ImportCentre]:
    """The committee's window with the import centre opened on ``package`` (as from the file manager),
    its preview done."""
    window = open_window(committee, qtbot, "Thư ký", "secretary")
    centre = window.import_centre([str(package)])
    assert centre is not None
    qtbot.addWidget(centre)
    with qtbot.waitSignal(centre.previewed, timeout=60_000):
        pass
    return window, centre


def _package(copies: tuple[Path, Path], tmp_path: Path) -> Path:
    from exchange_helpers import export as export_units

    return export_units(copies[1], tmp_path / "to-3.cchc", ["H01"], "Tổ 3")


def test_import_centre_progress_and_cancel(copies: tuple[Path, Path], qtbot: Any, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The bar follows the import; Cancel stops it at its next step and nothing is written. The worker is
    held at its first step until Cancel was pressed, so the test does not race the import."""
    import threading

    from conftest import project_fingerprint

    from evaluator.services.progress import Reporter

    committee = copies[0]
    package = _package(copies, tmp_path)
    before = project_fingerprint(committee)
    window, centre = previewed(committee, package, qtbot)
    assert centre.progress.isHidden() and centre.cancel_button.isHidden()
    seen: list[tuple[float, str]] = []
    pressed = threading.Event()
    original = Reporter.__call__

    def held(reporter: Reporter, fraction: float, message: str = "") -> None:
        pressed.wait(30)
        seen.append((fraction, message))
        original(reporter, fraction, message)

    monkeypatch.setattr(Reporter, "__call__", held)
    with qtbot.waitSignal(centre.cancelled, timeout=60_000):
        centre.apply()
        assert centre.cancel_button.isVisible() and centre.cancel_button.isEnabled()
        assert window.ctx.busy
        centre.cancel_button.click()
        assert centre.verdict.text() == "Đang huỷ…" and not centre.cancel_button.isEnabled()
        pressed.set()
    assert seen and seen[0][1] == "read"
    assert centre.verdict.text() == "Đã huỷ: không ghi gì, dự án giữ nguyên."
    assert centre.progress.isHidden() and centre.cancel_button.isHidden() and not window.ctx.busy
    assert centre.preview_button.isEnabled()
    # the preview still holds: importing again is one click, and its log is still shown
    assert centre.apply_button.isEnabled() and "Xem trước — chưa ghi gì." in centre.log.toPlainText()
    window.close()
    assert project_fingerprint(committee) == before


def test_a_cancel_after_the_commit_reports_the_import(copies: tuple[Path, Path], qtbot: Any, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancel pressed when the import has already committed: the import stands and is reported as done
    (not as cancelled, which would tell the user the project is unchanged)."""
    from evaluator.services import imports

    committee = copies[0]
    package = _package(copies, tmp_path)
    before = stored(committee, "H01", "1.5.2")
    window, centre = previewed(committee, package, qtbot)
    original = imports.import_files

    def then_cancel(*args: Any, **kwargs: Any) -> Any:
        report = original(*args, **kwargs)
        assert centre.job is not None
        centre.job.cancel()  # as if the user pressed Cancel just after the commit
        return report

    monkeypatch.setattr(imports, "import_files", then_cancel)
    with qtbot.waitSignal(centre.imported, timeout=60_000):
        centre.apply()
    assert "Đã nhập" in centre.verdict.text() and "Đã nhập." in centre.log.toPlainText()
    window.close()
    assert stored(committee, "H01", "1.5.2") != before
