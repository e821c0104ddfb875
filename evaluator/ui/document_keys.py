"""The signing key of the documents dialogs: where it comes from (a PKCS#12 file or a PKCS#11 token), its
password or PIN in a masked field that is never stored, and what is still missing, in the UI's words. The
rules are ``services.documents.KeyChoice``'s; this module only asks and translates."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from evaluator.services.documents import KeyChoice, KeyProblem
from evaluator.ui.dialogs import open_file


class KeySpec(KeyChoice):
    """The key the user chose in a ``KeyPanel`` (``services.documents.KeyChoice``), with what is missing."""

    def problem(self) -> str | None:
        """What is missing, in words for people (None when complete)."""
        missing = self.missing()
        return None if missing is None else key_problem_text(missing)


def key_problem_text(problem: KeyProblem) -> str:
    """``KeyChoice.missing()`` in the UI's language."""
    return {
        "p12_missing": QCoreApplication.translate("KeyPanel", "Chọn tệp chứng thư số (.p12/.pfx)."),
        "p12_not_found": QCoreApplication.translate("KeyPanel", "Không tìm thấy tệp %1.").replace(
            "%1", problem.path
        ),
        "lib_missing": QCoreApplication.translate("KeyPanel", "Chọn thư viện PKCS#11 của token (.so/.dll)."),
        "token_missing": QCoreApplication.translate("KeyPanel", "Nhập nhãn token."),
    }.get(problem.code, str(problem))


def field_label(name: str) -> str:
    """The signature fields of the documents, named as the signature blocks are."""
    label = {
        "secretary": QCoreApplication.translate("fields", "Thư ký Hội đồng"),
        "chair": QCoreApplication.translate("fields", "Chủ tịch Hội đồng"),
        "unit_representative": QCoreApplication.translate("fields", "Đại diện đơn vị"),
        "unit_head": QCoreApplication.translate("fields", "Thủ trưởng đơn vị"),
        "organisation": QCoreApplication.translate("fields", "Cơ quan (văn thư đóng dấu)"),
    }.get(name)
    return f"{label} ({name})" if label else name


def browse_row(edit: QLineEdit, button_text: str, pick: Callable[[], str]) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    button = QPushButton(button_text)
    button.clicked.connect(lambda: (lambda name: edit.setText(name) if name else None)(pick()))
    layout.addWidget(button)
    return row


class KeyPanel(QGroupBox):
    """Where the signing key comes from: a certificate file or a token; the password or PIN is typed in a
    masked field and is never stored."""

    def __init__(self, title: str = "", parent: QWidget | None = None):
        super().__init__(title or self.tr("Chữ ký số"), parent)
        form = QFormLayout(self)
        self.source = QComboBox()
        self.source.addItem(self.tr("Tệp chứng thư số (PKCS#12: .p12, .pfx)"), "p12")
        self.source.addItem(self.tr("Token USB (PKCS#11)"), "pkcs11")
        form.addRow(self.tr("Khoá ký"), self.source)
        p12_page = QWidget()
        p12_form = QFormLayout(p12_page)
        p12_form.setContentsMargins(0, 0, 0, 0)
        self.p12 = QLineEdit()
        p12_form.addRow(
            self.tr("Tệp"),
            browse_row(
                self.p12,
                self.tr("Chọn…"),
                lambda: open_file(
                    self, self.tr("Chọn tệp chứng thư số"), self.tr("PKCS#12 (*.p12 *.pfx);;* (*)")
                ),
            ),
        )
        token_page = QWidget()
        token_form = QFormLayout(token_page)
        token_form.setContentsMargins(0, 0, 0, 0)
        self.lib = QLineEdit()
        token_form.addRow(
            self.tr("Thư viện"),
            browse_row(
                self.lib,
                self.tr("Chọn…"),
                lambda: open_file(
                    self,
                    self.tr("Thư viện PKCS#11 của token"),
                    self.tr("Thư viện (*.so *.dll *.dylib);;* (*)"),
                ),
            ),
        )
        self.token = QLineEdit()
        self.token.setPlaceholderText(self.tr("ví dụ: VNPT-CA"))
        token_form.addRow(self.tr("Nhãn token"), self.token)
        self.key_label = QLineEdit()
        self.key_label.setPlaceholderText(self.tr("để trống nếu token chỉ có một khoá"))
        token_form.addRow(self.tr("Nhãn khoá"), self.key_label)
        self.p12_page, self.token_page = p12_page, token_page
        form.addRow(p12_page)
        form.addRow(token_page)
        token_page.hide()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel(self.tr("Mật khẩu"))
        form.addRow(self.password_label, self.password)
        self.source.currentIndexChanged.connect(self._source_chosen)

    def _source_chosen(self) -> None:
        token = self.source.currentData() == "pkcs11"
        self.p12_page.setVisible(not token)
        self.token_page.setVisible(token)
        self.password_label.setText(self.tr("Mã PIN") if token else self.tr("Mật khẩu"))

    def spec(self) -> KeySpec:
        """The key chosen (with the password typed); ``spec().problem()`` says what is missing."""
        return KeySpec(
            kind=str(self.source.currentData()),
            p12=self.p12.text().strip(),
            lib=self.lib.text().strip(),
            token=self.token.text().strip(),
            key_label=self.key_label.text().strip(),
            password=self.password.text(),
        )

    def clear_secret(self) -> None:
        self.password.clear()
