"""The clerk's step in the GUI's sign dialog ("Văn thư: đóng dấu cơ quan": seal image, number, date) on
minutes the council signed, then the Verify dialog: four signatures, the number and date filled in."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date
from pathlib import Path
from typing import Any

import pki
import pytest
from PySide6.QtCore import QDate
from test_signing_seal import seal_png
from test_ui_reports import type_password

from evaluator.models import open_project
from evaluator.reports import render
from evaluator.services.report_data import unit_documents
from evaluator.signing import pkcs12_signer, sign_bytes
from evaluator.ui.app import application
from evaluator.ui.sign_dialog import SignDialog
from evaluator.ui.verify_dialog import VerifyDialog

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.slow  # the demo project, two signatures and the seal: about 40 s
def test_the_clerk_seals_in_the_sign_dialog_and_verify_shows_the_fill_in(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, qtbot: Any
) -> None:
    application("vi")
    ca = pki.make_ca()
    with open_project(pki.demo_project(tmp_path_factory)) as project, project.session() as s:
        doc = unit_documents(s, 2024, ["SO01"], "appraisal", date(2025, 1, 5))[0]
    data = render(doc).data
    for name in ("Lê Thị Thu Hà", "Nguyễn Văn Hùng"):
        data, _ = sign_bytes(data, pkcs12_signer(pki.write_p12(tmp_path / f"{len(data)}.p12",
                                                               pki.make_signer(ca, name), ca), pki.PASSWORD))
    out = tmp_path / "bb.pdf"
    out.write_bytes(data)
    organisation = pki.write_p12(tmp_path / "co-quan.p12", pki.make_signer(ca, "SỞ NỘI VỤ TỈNH AN KHÁNH"), ca)

    sign = SignDialog(out)
    qtbot.addWidget(sign)
    sign.show()
    # the person's mode never offers the organisation's field; the seal's rows are hidden
    assert [sign.field.itemData(i) for i in range(sign.field.count())] == ["unit_representative"]
    assert not sign.seal_row.isVisible()
    sign.mode.setCurrentIndex(sign.mode.findData("organisation"))
    assert sign.seal_row.isVisible() and sign.number.isVisible() and not sign.field.isVisible()
    sign.key.p12.setText(str(organisation))
    type_password(sign.key.password, qtbot, pki.PASSWORD)
    # no image chosen: said, nothing written
    before = out.read_bytes()
    with qtbot.waitSignal(sign.failed, timeout=10_000):
        sign.sign()
    assert out.read_bytes() == before
    sign.seal.setText(str(seal_png(tmp_path / "dau.png")))
    sign.number.setText("7")
    sign.date.setDate(QDate(2025, 2, 10))
    with qtbot.waitSignal(sign.signed, timeout=60_000) as blocker:
        sign.sign()
    assert blocker.args == ["organisation"]

    verify = VerifyDialog(None, out)
    qtbot.addWidget(verify)
    verify.trust.setText(str(pki.write_pem(tmp_path / "ca.pem", ca)))
    with qtbot.waitSignal(verify.verified, timeout=60_000):
        verify.verify()
    assert verify.report.ok, verify.report.render()
    assert verify.table.rowCount() == 3
    assert "SỞ NỘI VỤ TỈNH AN KHÁNH" in verify.table.item(2, 1).text()
    assert "07/BB-HĐTĐ" in verify.filled.text() and "2025-02-10" in verify.filled.text()
    assert "văn thư điền số" in verify.table.item(1, 5).text()
