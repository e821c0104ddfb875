"""Rebuild the English translation: extract the (Vietnamese) source strings from ``evaluator/ui`` with
``pyside6-lupdate``, fill in the English texts below, compile ``evaluator_en.qm`` with ``pyside6-lrelease``.

Run from the repository root: ``.venv/bin/python resources/translations/build.py``. Vietnamese is the
source language, so it needs no file. A string missing below is listed and left untranslated.
"""

# ruff: noqa: E501  (the table of translations reads best one string per line)
from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
TS = HERE / "evaluator_en.ts"

EN = {
    " kết quả": " results",
    " trường hợp": " cases",
    "%1 / %2 điểm": "%1 / %2 points",
    "%1 sự kiện (mới nhất trước)": "%1 events (newest first)",
    "%1 trang đầu": "first %1 page(s)",
    "%1 điểm": "%1 points",
    "%1 đơn vị, chỉ số trung bình": "%1 units, mean index",
    "&Cài đặt": "&Settings",
    "&Sửa": "&Edit",
    "&Tệp": "&File",
    "&Xem": "&View",
    "(chưa có)": "(none yet)",
    "Bắt buộc có TLKC": "Evidence required",
    "Bắt buộc khi điểm thẩm định khác điểm tự chấm": "Required when the appraised score differs from the self score",
    "Chưa chấm": "Not scored",
    "Chưa chọn giá trị.": "No value chosen.",
    "Chấm điểm": "Scoring",
    "Chỉ số": "Index",
    "Chỉ số %": "Index %",
    "Chỉ số CCHC (PAR Index) · tự đánh giá, thẩm định, giải trình, kết quả — làm việc không cần mạng": "PAR Index · self-assessment, appraisal, explanation, results — works offline",
    "Chỉ số CCHC theo đơn vị (màu theo xếp loại)": "PAR Index per unit (coloured by class)",
    "Chỉ số theo đơn vị": "Index per unit",
    "Chỉ số thành phần": "Component indices",
    "Chỉ số thành phần theo lĩnh vực": "Component indices by area",
    "Chọn một tiêu chí trong cây để chấm điểm.": "Select a criterion in the tree to score it.",
    "Chọn một đơn vị": "Select a unit",
    "Chọn tài liệu kiểm chứng": "Choose evidence files",
    "Cách chấm: ": "Rule: ",
    "Cán bộ tự đánh giá": "Unit self-assessor",
    "Cần lý do": "Reason required",
    "Dung lượng": "Size",
    "Dự án (*.db)": "Projects (*.db)",
    "Dự án (*.db);;* (*)": "Projects (*.db);;* (*)",
    "Dự án gần đây": "Recent projects",
    "Ghi chú": "Note",
    "Ghi chú / lý do": "Note / reason",
    "Ghi điểm": "Score set",
    "Ghi điểm (Enter)": "Save score (Enter)",
    "Giai đoạn": "Stage",
    "Giai đoạn đã khoá": "Stage locked",
    "Giá trị": "Value",
    "Giải trình": "Explanation",
    "Gỡ TLKC": "Evidence removed",
    "Hoàn tác": "Undo",
    "Huỷ": "Cancel",
    "Hạng": "Rank",
    "Họ và tên": "Full name",
    "Hội đồng thẩm định": "Appraisal council (committee)",
    "Khoá giai đoạn": "Lock stage",
    "Khoá: %1": "Lock: %1",
    "Không mở khoá được": "Cannot unlock",
    "Không thực hiện được": "Could not do it",
    "Không xem trước được loại tệp này: mở bằng ứng dụng của hệ thống.": "No preview for this kind of file: open it with the system viewer.",
    "Không đánh giá": "Not applicable",
    "Không đánh giá (không phát sinh)": "Not applicable (did not arise)",
    "KĐG": "N/A",
    "Kết quả": "Results",
    "Loại đơn vị": "Unit kind",
    "Làm lại": "Redo",
    "Lý do": "Reason",
    "Lý do mở khoá:": "Reason for unlocking:",
    "Lĩnh vực": "Area",
    "Lọc theo mã, tên đơn vị, xếp loại": "Filter by code, unit name, class",
    "Mã": "Code",
    "Mã tiêu chí": "Criterion code",
    "Mã tiêu chí:": "Criterion code:",
    "Mở bằng ứng dụng": "Open with application",
    "Mở dự án": "Open project",
    "Mở dự án mẫu": "Open the demo project",
    "Mở dự án…": "Open project…",
    "Mở khoá giai đoạn": "Unlock stage",
    "Mở khoá: %1": "Unlock: %1",
    "Ngôn ngữ": "Language",
    "Ngôn ngữ (khởi động lại để áp dụng)": "Language (applies after a restart)",
    "Ngôn ngữ mới có hiệu lực khi mở lại ứng dụng.": "The new language applies when the application is reopened.",
    "Người dùng: ": "User: ",
    "Người nhập": "Entered by",
    "Người sử dụng": "User",
    "Người sử dụng và ngôn ngữ…": "User and language…",
    "Người thực hiện": "By",
    "Nhập họ và tên.": "Enter your full name.",
    "Nhập tệp tổng hợp": "Consolidated import",
    "Nhật ký": "Audit log",
    "Năm": "Year",
    "Năm đánh giá": "Appraisal year",
    "Năm:": "Year:",
    "Qua các năm": "Year over year",
    "Số đơn vị": "Units",
    "Số đạt (tử số)": "Achieved (numerator)",
    "Sở, ban, ngành": "Departments",
    "Sửa trích dẫn TLKC": "Evidence reference changed",
    "Thao tác": "Action",
    "Thiếu TLKC": "Missing evidence",
    "Thoát": "Quit",
    "Thành viên tổ thẩm định": "Appraisal team member",
    "Thêm TLKC": "Evidence added",
    "Thư ký hội đồng": "Council secretary",
    "Thẩm định": "Appraisal",
    "Thẩm định Chỉ số CCHC": "PAR Index appraisal",
    "Thẩm định Chỉ số cải cách hành chính": "Administrative reform (PAR) Index appraisal",
    "Thẩm định thay đổi": "Changed by appraisal",
    "Thẩm định vòng 1": "Appraisal round 1",
    "Thẩm định vòng 2": "Appraisal round 2",
    "Thời gian": "Time",
    "Tiêu chí": "Criterion",
    "Tiêu chí đã chấm ở giai đoạn %1": "Criteria scored at stage %1",
    "Tiến độ": "Progress",
    "Trang bắt đầu": "Start page",
    "Trung bình": "Mean",
    "Trung bình %": "Mean %",
    "Trích dẫn": "Reference",
    "Tài liệu kiểm chứng": "Evidence",
    "Tìm mã hoặc tên tiêu chí (Ctrl+F)": "Find a criterion code or title (Ctrl+F)",
    "Tạo dự án mới": "New project",
    "Tạo dự án mới…": "New project…",
    "Tất cả": "All",
    "Tệp": "File",
    "Tối đa": "Max",
    "Tổ trưởng tổ thẩm định": "Appraisal team leader",
    "Tổng cộng": "Total",
    "Tổng số (mẫu số)": "Total (denominator)",
    "Từ → thành": "From → to",
    "Tự chấm": "Self-assessment",
    "Tỷ lệ %": "Share %",
    "Tỷ lệ đơn vị theo xếp loại": "Share of units by class",
    "UBND cấp huyện": "District People's Committees",
    "UBND cấp xã": "Commune People's Committees",
    "Vai trò": "Role",
    "Vai trò của bạn không sửa được giai đoạn này": "Your role cannot edit this stage",
    "Vai trò quyết định giai đoạn chấm điểm nào bạn được sửa.": "Your role decides which scoring stages you can edit.",
    "Xoá giá trị giai đoạn": "Clear this stage",
    "Xoá điểm": "Score cleared",
    "Xuất CSV…": "Export CSV…",
    "Xuất Excel…": "Export Excel…",
    "Xuất bảng xếp hạng": "Export the ranking",
    "Xếp loại": "Class",
    "chưa đặt người sử dụng": "no user set",
    "giá trị": "value",
    "hoặc kéo thả tệp vào đây": "or drop files here",
    "khoá": "locked",
    "không tìm thấy": "not found",
    "không đánh giá": "not applicable",
    "tối đa": "max",
    "±": "±",
    "Đang mở dự án…": "Opening the project…",
    "Đang tính kết quả…": "Computing results…",
    "Đang tự đánh giá": "Self-assessment in progress",
    "Điều tra XHH": "Survey",
    "Điểm": "Points",
    "Điểm thưởng": "Bonus points",
    "Điểm thẩm định khác điểm tự chấm. Lý do điều chỉnh:": "The appraised score differs from the self score. Reason:",
    "Điểm thẩm định khác điểm tự chấm: cần nhập lý do.": "The appraised score differs from the self score: a reason is required.",
    "Điểm trừ": "Penalty points",
    "Điểm điều tra XHH": "Survey points",
    "Đã chấm": "Scored",
    "Đã có, không lưu lại: %1": "Already attached, not stored again: %1",
    "Đã huỷ.": "Cancelled.",
    "Đã khoá: ": "Locked: ",
    "Đã khoá: %1": "Locked: %1",
    "Đã nộp": "Submitted",
    "Đã phê duyệt": "Approved",
    "Đã thực hiện": "Done",
    "Đã xuất %1": "Exported %1",
    "Đính kèm…": "Attach…",
    "Đơn vị": "Unit",
    "Đơn vị chọn %": "Selected unit %",
    "Không hiển thị được PDF trên máy này: mở bằng ứng dụng của hệ thống.": "This machine cannot render PDFs: open the file with the system viewer.",
    "Chỉ số qua các năm": "Index by year",
    "Trung bình: %1": "Mean: %1",
    "TĐG": "Self",
    "Nộp": "Sub.",
    "TĐ1": "Ap1",
    "GT": "Expl.",
    "TĐ2": "Ap2",
    "Duyệt": "Appr.",
    "TT": "St.",
    "Trạng thái": "Status",
    "Trích dẫn…": "Reference…",
    "Trang, mục, điều khoản trong tài liệu": "Page, section or article in the document",
    "Gỡ": "Remove",
    "Gỡ tài liệu": "Remove evidence",
    "Lý do gỡ %1:": "Reason for removing %1:",
    "Trang, mục hoặc điều trong tài liệu:": "Page, section or article in the document:",
    "Đơn vị, mã tiêu chí, người thực hiện, lý do…": "Unit, criterion code, author, reason…",
    "Đến tiêu chí": "Go to criterion",
    "đang hiển thị…": "rendering…",
    "điểm (0 – %1)": "points (0 – %1)",
    "điểm tính theo các đơn vị cùng loại": "points computed among units of the same kind",
}


def main() -> int:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "evaluator" / "ui").glob("*.py"))
    subprocess.run(
        [
            str(BIN / "pyside6-lupdate"),
            *sources,
            "-no-obsolete",
            "-source-language",
            "vi",
            "-target-language",
            "en",
            "-ts",
            str(TS),
        ],
        check=True,
        cwd=ROOT,
    )
    tree = ET.parse(TS)
    missing = set()
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if source in EN:
            translation.text = EN[source]
            translation.attrib.pop("type", None)
        else:
            missing.add(source)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(HERE / "evaluator_en.qm")], check=True)
    for text in sorted(missing):
        print(f"untranslated: {text!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
