"""What the command line prints on success, output.* (cli/*.py): lines and table headings, in the language of
--lang; see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "output.backup_written": N_("đã ghi bản sao lưu {id} vào {path} ({size} byte, đã kiểm tra toàn vẹn)"),
    "output.col_backup_id": N_("Mã (id)"),
    "output.col_backup_time": N_("Thời điểm (UTC)"),
    "output.col_backup_reason": N_("Lý do"),
    "output.col_backup_size": N_("Cỡ (byte)"),
    "output.files_written": N_("đã ghi {count} tệp vào {out}"),
    "output.files_written_signed": N_("đã ghi {count} tệp vào {out} (đã ký)"),
    "output.pdf_signed": N_("{out}: {pages} trang, đã ký vào ô {field!r}"),
    "output.pdf_unsigned": N_("{out}: {pages} trang, chưa ký"),
    "output.docx_written": N_("{out}: bản thảo Word (văn bản được ký là tệp PDF)"),
    "output.signed_in": N_("{target}: đã ký vào ô {field!r}"),
    "output.sealed": N_("văn thư đã điền số {number}, ngày {date} và ký số của cơ quan với hình con "
                        "dấu"),
    "output.pades_offline": N_("PAdES B-B: ngoại tuyến, không nhúng thông tin thu hồi chứng thư (cần tệp "
                               "CRL/OCSP hoặc cho phép lấy qua mạng để có B-LT, máy chủ dấu thời gian để "
                               "có B-LTA)"),
    "output.pades_level": N_("PAdES {level}: đã nhúng {certs} chứng thư, {crls} CRL, {ocsps} phản hồi "
                             "OCSP"),
    "output.sheets": N_("{out}: {count} phiếu thẩm định"),
    "output.results_of": N_("{out}: kết quả năm {year}"),
    "output.setting_stored": N_("đã lưu thiết lập báo cáo"),
    "output.setting_unchanged": N_("thiết lập báo cáo không thay đổi"),
    "output.results_title": N_("Kết quả Chỉ số CCHC năm {year}"),
    "output.results_group": N_("{kind} — nhóm {group}"),
    "output.results_kind": N_("{kind} ({units} đơn vị) — chỉ số trung bình {mean}%"),
    "output.col_rank": N_("Hạng"),
    "output.col_code": N_("Mã"),
    "output.col_unit": N_("Đơn vị"),
    "output.col_points": N_("Điểm"),
    "output.col_max": N_("Tối đa"),
    "output.col_index": N_("Chỉ số %"),
    "output.col_class": N_("Xếp loại"),
    "output.col_rank_in_district": N_("Hạng trong huyện"),
    "output.classes": N_("Xếp loại: {classes}"),
    "output.disputed": N_("Chưa giải quyết xung đột (kết quả chưa chính thức): {units}"),
}
