"""Documents from the GUI through the real dialogs (pytest-qt, offscreen, real files): minutes for a unit
from the workspace's Reports button, signing with a PKCS#12 file (password typed in the masked field),
a wrong password, the Verify dialog on intact and tampered files, a batch cancelled half way, Excel."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import logging
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pki
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from evaluator.services import documents
from evaluator.services.users import UserSettings
from evaluator.signing.verify import verify_file
from evaluator.ui.app import application, build_window
from evaluator.ui.main_window import MainWindow
from evaluator.ui.operations import Job, WriteOp
from evaluator.ui.report_dialog import ReportDialog
from evaluator.ui.sign_dialog import SignDialog
from evaluator.ui.verify_dialog import VerifyDialog

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("keys")
    ca = pki.make_ca()
    secretary = pki.make_signer(ca, "Lê Thị Thu Hà")
    return {
        "p12": pki.write_p12(folder / "thu-ky.p12", secretary, ca),
        "ca": pki.write_pem(folder / "ca.pem", ca),
    }


@pytest.fixture
def window(
    demo_copy: Path, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    application("vi")
    ctx, win = build_window(
        UserSettings(name="Lê Thị Thu Hà", role="secretary", device_id="t"), persist=False
    )
    qtbot.addWidget(win)
    win.show()
    win.open_project(str(demo_copy))
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=20_000)
    yield win
    win.close()


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def produce(dialog: ReportDialog, qtbot: Any) -> None:
    with qtbot.waitSignals([dialog.produced], timeout=60_000):
        assert dialog.produce() is not None


def type_password(edit: QLineEdit, qtbot: Any, text: str) -> None:
    assert edit.echoMode() == QLineEdit.EchoMode.Password  # masked
    edit.setFocus()
    for char in text:  # key events carrying the text (QTest.keyClicks cannot type Vietnamese letters)
        key = Qt.Key.Key_Space if char == " " else Qt.Key.Key_unknown
        QApplication.sendEvent(
            edit, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, char)
        )
    assert edit.text() == text and edit.displayText() != text


@pytest.mark.slow
def test_minutes_for_the_selected_unit_preview_sign_and_verify(
    window: MainWindow, qtbot: Any, tmp_path: Path, keys: dict[str, Path]
) -> None:
    ws = window.workspace
    assert ws.select_unit("SO01")
    name = ws.sheet.name if ws.sheet else ""
    ws.request_report("appraisal")  # the workspace's Reports button → the main window's dialog
    dialog = window.dialog
    assert isinstance(dialog, ReportDialog)
    qtbot.addWidget(dialog)
    assert dialog.kind() == "appraisal" and dialog.checked_codes() == ["SO01"] and not dialog.batch()
    # Enter makes the document (the first button in the dialog, "Chọn tất cả", used to take it: every unit)
    assert dialog.produce_button.isDefault()
    out = tmp_path / "bien-ban-SO01.pdf"
    dialog.out.setText(str(out))
    produce(dialog, qtbot)
    assert out.read_bytes().startswith(b"%PDF-")
    assert name and name in pdf_text(out).replace("\n", " ")
    assert "BIÊN BẢN" in pdf_text(out)
    assert "SO01" in dialog.status.text() and "chưa ký" in dialog.status.text()
    # the preview: QtPdf where the wheel has it, else pages rendered by pdftoppm
    qtbot.waitUntil(lambda: dialog.preview.kind == "pdf" and dialog.preview.page_count() > 0, timeout=30_000)
    assert dialog.sign_button.isEnabled()

    # Sign it: the dialog lists the empty fields; the password is typed in the masked field.
    sign = SignDialog(out, dialog)
    qtbot.addWidget(sign)
    fields = [sign.field.itemData(i) for i in range(sign.field.count())]
    assert fields == ["secretary", "chair", "unit_representative"]
    sign.key.p12.setText(str(keys["p12"]))
    type_password(sign.key.password, qtbot, pki.PASSWORD)
    with qtbot.waitSignal(sign.signed, timeout=60_000) as blocker:
        sign.sign()
    assert blocker.args == ["secretary"] and sign.key.password.text() == ""  # the secret is not kept
    report = verify_file(out, [keys["ca"]])
    assert report.ok and [s.field for s in report.signatures] == ["secretary"]
    assert report.signatures[0].intact and "Lê Thị Thu Hà" in report.signatures[0].signer
    assert [sign.field.itemData(i) for i in range(sign.field.count())] == ["chair", "unit_representative"]

    # The Verify dialog shows what `evaluator verify` finds: intact …
    verify = VerifyDialog(window.ctx, out, window)
    qtbot.addWidget(verify)
    verify.trust.setText(str(keys["ca"]))
    with qtbot.waitSignal(verify.verified, timeout=60_000):
        verify.verify()
    assert verify.report.ok and verify.table.rowCount() == 1
    assert "(secretary)" in verify.table.item(0, 0).text() and "✔" in verify.table.item(0, 3).text()
    assert (
        "Hợp lệ" in verify.verdict.text()
        and "dữ liệu: dữ liệu trong tài liệu khớp với dự án" in verify.details.toPlainText()
    )
    # … and not intact once a signed byte changed.
    data = bytearray(out.read_bytes())
    spot = data.index(b"stream", len(data) // 4) + 40  # inside a page content stream it covers
    data[spot] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    verify.file.setText(str(tampered))
    with qtbot.waitSignal(verify.verified, timeout=60_000):
        verify.verify()
    assert not verify.report.ok
    assert "không nguyên vẹn" in verify.table.item(0, 3).text() and "KHÔNG" in verify.verdict.text()


def test_wrong_password_shows_an_error_and_writes_nothing(
    window: MainWindow, qtbot: Any, tmp_path: Path, keys: dict[str, Path]
) -> None:
    dialog = window.report_dialog("appraisal", 2024, ["SO02"])
    qtbot.addWidget(dialog)
    out = tmp_path / "signed.pdf"
    dialog.out.setText(str(out))
    dialog.sign.setChecked(True)
    dialog.key.p12.setText(str(keys["p12"]))
    type_password(dialog.key.password, qtbot, "sai mật khẩu")
    with qtbot.waitSignal(dialog.failed, timeout=60_000) as blocker:
        dialog.produce()
    assert "sai mật khẩu" in blocker.args[0] and dialog.status.text() == blocker.args[0]
    assert not out.exists() and list(tmp_path.glob("*.pdf")) == []
    # Signing an existing file with a wrong password leaves it exactly as it was.
    dialog.sign.setChecked(False)
    produce(dialog, qtbot)
    before = out.read_bytes()
    sign = SignDialog(out)
    qtbot.addWidget(sign)
    sign.key.p12.setText(str(keys["p12"]))
    type_password(sign.key.password, qtbot, "sai")
    with qtbot.waitSignal(sign.failed, timeout=60_000) as blocker:
        sign.sign()
    assert "sai mật khẩu" in blocker.args[0] and out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    # Signed at once with the right password: valid.
    signed = tmp_path / "signed-now.pdf"
    dialog.out.setText(str(signed))
    dialog.sign.setChecked(True)
    dialog.field.setCurrentIndex(dialog.field.findData("chair"))
    type_password(dialog.key.password, qtbot, pki.PASSWORD)
    produce(dialog, qtbot)
    assert dialog.produced_files is not None and dialog.produced_files.signed == "chair"
    assert [s.field for s in verify_file(signed, [keys["ca"]]).signatures] == ["chair"]


def test_batch_with_progress_and_cancel(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    dialog = window.report_dialog("self", 2024, [])
    qtbot.addWidget(dialog)
    dialog.check_all(True)
    codes = dialog.checked_codes()
    assert len(codes) == 70 and dialog.batch() and dialog.out_label.text() == "Thư mục"
    folder = tmp_path / "batch"
    dialog.out.setText(str(folder))

    def on_progress(_fraction: float, _text: str) -> None:  # after the dialog's own: done_count is set
        if dialog.done_count == 2 and dialog.cancel_button.isEnabled():
            dialog.cancel_button.click()

    assert dialog.produce() is not None
    assert dialog.job is not None
    dialog.job.signals.progress.connect(on_progress)
    with qtbot.waitSignal(dialog.failed, timeout=60_000) as blocker:
        pass
    assert "Đã huỷ" in blocker.args[0]
    written = sorted(folder.glob("*.pdf"))
    assert 2 <= len(written) < 70 and dialog.progress.isHidden() and dialog.produce_button.isEnabled()
    # the message counts every file on disk (the one written as the cancel arrived too)
    assert f"Đã huỷ: {len(written)} tệp đã ghi" in blocker.args[0]
    assert all(
        p.read_bytes().startswith(b"%PDF-") and p.read_bytes().rstrip().endswith(b"%%EOF") for p in written
    )
    assert written[0].name.startswith("bao-cao-tu-danh-gia-2024-")


def test_documents_do_not_wait_for_writes_and_a_late_cancel_reports_the_file(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Making a document is a read: it runs while a write holds the one writer thread. A Cancel that comes
    once the file is written changes nothing: the file is reported (not "cancelled, 0 files written")."""
    ctx = window.ctx
    held, release = threading.Event(), threading.Event()

    def long_write(_job: Job) -> str:
        held.set()
        release.wait(60)
        return "written"

    writes: list[str] = []
    WriteOp(None, long_write, ctx=ctx, busy="ghi thử").success(writes.append).run()
    assert held.wait(10)
    dialog = window.report_dialog("appraisal", 2024, ["SO03"])
    qtbot.addWidget(dialog)
    out = tmp_path / "so03.pdf"
    dialog.out.setText(str(out))
    real_write = documents.write

    def write_then_cancel(*args: Any, **kwargs: Any) -> Any:
        produced = real_write(*args, **kwargs)
        assert dialog.job is not None
        dialog.job.cancel()  # as if the user pressed Cancel just as the file was finished
        return produced

    monkeypatch.setattr(documents, "write", write_then_cancel)
    failed: list[str] = []
    dialog.failed.connect(failed.append)
    try:
        produce(dialog, qtbot)  # the write is still running: the document did not queue behind it
        assert not writes and ctx.busy == "ghi thử"
    finally:
        release.set()
    assert not failed and out.read_bytes().startswith(b"%PDF-")
    assert dialog.produced_files is not None and dialog.produced_files.files == [out]
    assert str(out) in dialog.status.text() and "huỷ" not in dialog.status.text()
    qtbot.waitUntil(lambda: writes == ["written"], timeout=10_000)


def test_unexpected_errors_are_logged_and_named_briefly(
    window: MainWindow, qtbot: Any, tmp_path: Path, keys: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bug in the report, sign or verify job: its traceback goes to the log; the dialog names the error's
    type (the one ``error_text``), not the internals of its message."""
    caplog.set_level(logging.INFO, logger="evaluator")
    dialog = window.report_dialog("appraisal", 2024, ["SO04"])
    qtbot.addWidget(dialog)
    out = tmp_path / "so04.pdf"
    dialog.out.setText(str(out))
    produce(dialog, qtbot)  # a real PDF with empty signature fields, for the sign dialog below

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("internal detail 0x1f")

    monkeypatch.setattr(documents, "gather", broken)
    dialog.out.setText(str(tmp_path / "again.pdf"))
    with qtbot.waitSignal(dialog.failed, timeout=60_000) as blocker:
        dialog.produce()
    assert "RuntimeError" in blocker.args[0] and "0x1f" not in blocker.args[0]
    assert dialog.status.text() == blocker.args[0] and dialog.produce_button.isEnabled()

    import evaluator.services.report_compare as verify_module  # what the verify dialog calls
    import evaluator.signing.sign as sign_module

    monkeypatch.setattr(sign_module, "sign_bytes", broken)
    sign = SignDialog(out, dialog)
    qtbot.addWidget(sign)
    sign.key.p12.setText(str(keys["p12"]))
    type_password(sign.key.password, qtbot, pki.PASSWORD)
    before = out.read_bytes()
    with qtbot.waitSignal(sign.failed, timeout=60_000) as blocker:
        sign.sign()
    assert "RuntimeError" in blocker.args[0] and "0x1f" not in blocker.args[0]
    assert "không tệp nào bị thay đổi" in blocker.args[0] and out.read_bytes() == before

    monkeypatch.setattr(verify_module, "verify_file", broken)
    verify = VerifyDialog(window.ctx, out, window)
    qtbot.addWidget(verify)
    verify.verify()
    qtbot.waitUntil(lambda: verify.job is None, timeout=60_000)
    assert "RuntimeError" in verify.verdict.text() and "0x1f" not in verify.verdict.text()
    assert verify.verify_button.isEnabled()
    failures = [r for r in caplog.records if r.exc_info is not None and r.exc_info[0] is RuntimeError]
    assert len(failures) == 3 and caplog.text.count("RuntimeError: internal detail 0x1f") == 3
    assert "Traceback" in caplog.text and "in broken" in caplog.text


@pytest.mark.slow
def test_publication_and_excel_from_the_results_view(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    window.show_view("results")
    window.results.request_report("publication")
    dialog = window.dialog
    assert isinstance(dialog, ReportDialog)
    qtbot.addWidget(dialog)
    assert dialog.kind() == "publication" and not dialog.units_box.isVisibleTo(dialog)
    dialog.out.setText(str(tmp_path / "cong-bo.pdf"))
    # the demo's results are not approved: the final publication is refused in words, a draft is written
    assert dialog.draft.isVisibleTo(dialog) and not dialog.draft.isChecked()
    with qtbot.waitSignal(dialog.failed, timeout=30_000) as refused:
        dialog.produce()
    assert "chưa phê duyệt" in refused.args[0] and not (tmp_path / "cong-bo.pdf").exists()
    dialog.draft.setChecked(True)
    produce(dialog, qtbot)
    assert "CÔNG BỐ" in pdf_text(tmp_path / "cong-bo.pdf").upper()
    assert "DỰ THẢO" in pdf_text(tmp_path / "cong-bo.pdf")
    dialog.document.setCurrentIndex(dialog.document.findData("results_xlsx"))
    assert not dialog.sign.isEnabled()
    dialog.out.setText(str(tmp_path / "ket-qua.xlsx"))
    produce(dialog, qtbot)
    assert load_workbook(tmp_path / "ket-qua.xlsx").sheetnames
    dialog.document.setCurrentIndex(dialog.document.findData("appraisal_xlsx"))
    dialog.set_codes(["SO01", "H01"])
    assert not dialog.batch()  # an Excel workbook holds every unit chosen, one sheet each
    dialog.out.setText(str(tmp_path / "bang.xlsx"))
    produce(dialog, qtbot)
    assert len(load_workbook(tmp_path / "bang.xlsx").sheetnames) == 2
    # A unit with nothing checked is refused in words.
    dialog.document.setCurrentIndex(dialog.document.findData("appraisal"))
    dialog.check_all(False)
    with qtbot.waitSignal(dialog.failed, timeout=5_000) as blocker:
        dialog.produce()
    assert "đơn vị" in blocker.args[0]
    assert dialog.units.item(0).flags() & Qt.ItemFlag.ItemIsUserCheckable


def test_sign_with_a_token(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    """The PKCS#11 path of the sign dialog, for real against a SoftHSM2 token."""
    import pkcs11

    # SoftHSM reads SOFTHSM2_CONF when the library is initialised, once per process: unload the library
    # another test module loaded, so that it finds this test's token folder (and again afterwards, so
    # that a later module finds its own).
    pkcs11.unload(pki.softhsm_lib())
    try:
        _sign_with_a_token(window, qtbot, tmp_path)
    finally:
        pkcs11.unload(pki.softhsm_lib())


def _sign_with_a_token(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    ca = pki.make_ca()
    token = pki.make_token(tmp_path / "hsm", pki.make_signer(ca, "Nguyễn Văn Hùng (token)"))
    dialog = window.report_dialog("appraisal", 2024, ["H02"])
    qtbot.addWidget(dialog)
    out = tmp_path / "h02.pdf"
    dialog.out.setText(str(out))
    produce(dialog, qtbot)
    sign = SignDialog(out)
    qtbot.addWidget(sign)
    sign.key.source.setCurrentIndex(sign.key.source.findData("pkcs11"))
    assert sign.key.token_page.isVisibleTo(sign) and not sign.key.p12_page.isVisibleTo(sign)
    assert sign.key.password_label.text() == "Mã PIN"
    sign.key.lib.setText(token.lib)
    sign.key.token.setText(token.label)
    sign.field.setCurrentIndex(sign.field.findData("chair"))
    type_password(sign.key.password, qtbot, "0000")
    before = out.read_bytes()
    with qtbot.waitSignal(sign.failed, timeout=60_000) as blocker:
        sign.sign()
    assert "Sai mã PIN" in blocker.args[0] and out.read_bytes() == before
    type_password(sign.key.password, qtbot, pki.PIN)
    assert sign.sign() is not None
    qtbot.waitUntil(lambda: sign.job is None, timeout=60_000)
    assert sign.signed_field == "chair", sign.status.text()
    report = verify_file(out, [pki.write_pem(tmp_path / "ca.pem", ca)])
    assert report.ok and report.signatures[0].field == "chair"
    assert "Nguyễn Văn Hùng (token)" in report.signatures[0].signer
