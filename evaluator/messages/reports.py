"""Lines of the import and export reports (see evaluator/messages/__init__.py): the import log, the import
preview's change list, the export result. The English is what the command line always printed (the
committee's scripts read it); the Vietnamese never names a flag or a command (the GUI shows these too)."""

from __future__ import annotations

from typing import Any

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    # --- heads and counts -------------------------------------------------------------------------------
    "report.dry_run": N_("Xem trước — chưa ghi gì."),
    "report.imported": N_("Đã nhập."),
    "report.nothing_new": N_("Không có gì mới: dự án đã có mọi dữ liệu."),
    "report.survey_imported": N_("Đã nhập kết quả điều tra xã hội học."),
    "report.external_imported": N_("Đã nhập các chỉ số bên ngoài."),
    "report.packages": N_("Gói dữ liệu: {files}"),
    "report.files": N_("Tệp: {files}"),
    "report.signed_by": N_("{name}: ký số bởi {who}"),
    "report.not_signed": N_("{name}: không ký số"),
    "report.units": N_("Đơn vị: {new} mới, {duplicates} có thể trùng"),
    "report.units_merged": N_("Đơn vị: {new} mới, {duplicates} có thể trùng, {merged} được gộp"),
    "report.units_new": N_("Đơn vị: {new} mới"),
    "report.assessments": N_("Kỳ đánh giá: {new} mới"),
    "report.scores": N_("Điểm: {new} mới, {updated} cập nhật, {identical} giống nhau, {conflicting} xung "
                        "đột ({revisions} phiên bản mới)"),
    "report.scores_plain": N_("Điểm: {new} mới, {updated} cập nhật, {identical} giống nhau"),
    "report.evidence": N_("Tài liệu kiểm chứng: {new} mới, {identical} đã có; sự kiện nhật ký: {audit} mới"),
    "report.resolved": N_("Xung đột được giải quyết theo quyết định trong gói: {count}"),
    "report.backup": N_("Bản sao lưu dự án trước khi nhập: {path}"),
    "report.duplicates": N_("Đơn vị có thể trùng (không nhập; nhập lại và chọn gộp đơn vị trùng mã để gộp) "
                            "({count}):"),
    "report.merged": N_("Đơn vị được gộp vào đơn vị cùng mã của dự án ({count}):"),
    "report.conflicts": N_("Xung đột ({count}):"),
    "report.changes": N_("Thay đổi ({count}):"),
    "report.warnings": N_("Cảnh báo ({count}):"),
    "report.more": N_("… và {count} mục khác (xem nhật ký nhập)"),
    # --- surveys and external indices ------------------------------------------------------------------
    "report.survey_file": N_("Tệp: {file} ({year}); {answers} câu trả lời, {blank} câu bỏ trống"),
    "report.survey_leaves": N_("Tiêu chí điều tra: {new} mới, {updated} cập nhật, {identical} giống nhau, "
                               "{unanswered} không có câu trả lời"),
    "report.survey_per_leaf": N_("Điểm và số người trả lời theo tiêu chí:"),
    "report.survey_leaf": N_("{unit} {leaf}: {points} điểm ({people}) [{status}]"),
    "report.external_file": N_("Tệp: {file} ({year}): {new} mới, {updated} cập nhật, {identical} giống nhau"),
    "report.external_value": N_("{unit} {leaf} ({stage}): {value} → {points} [{status}]"),
    "report.external_points": N_("{points} điểm"),
    "report.external_together": N_("tính cùng các đơn vị khác"),
    "report.status_new": N_("mới"),
    "report.status_updated": N_("cập nhật"),
    "report.status_identical": N_("giống nhau"),
    "report.status_no_answers": N_("không có câu trả lời"),
    # --- the preview's changes (exchange/merge) --------------------------------------------------------
    "report.score": N_("{unit} {year} {leaf} ({stage})"),
    "report.change_new": N_("Điểm mới: {score}"),
    "report.change_updated": N_("Điểm cập nhật: {score}"),
    "report.change_conflict": N_("Xung đột: {score}"),
    "report.conflict_values": N_("{score}: {values}"),
    "report.change_resolved": N_("Giải quyết xung đột: {score} ({who}: {reason})"),
    "report.change_unit": N_("Đơn vị mới {code} {name}"),
    "report.change_merged": N_("Gộp đơn vị {code} {name} vào {into_code} {into_name}"),
    "report.change_evidence": N_("Tài liệu kiểm chứng mới: {unit} {year} {leaf} {file}"),
    "report.duplicate_unit": N_("{package}: đơn vị {code} ({name}) có mã định danh {id}, nhưng dự án có đơn "
                                "vị {code} với mã định danh {other}: có thể là cùng một đơn vị được tạo trên "
                                "hai máy; dữ liệu của đơn vị này chưa được nhập (nhập lại và chọn gộp đơn vị "
                                "trùng mã để gộp vào đơn vị đó)"),
    "report.merged_unit": N_("{package}: đơn vị {code} ({name}, mã định danh {id}) được gộp vào đơn vị "
                             "{into_code} ({into_name}, mã định danh {into_id}) của dự án"),
    "report.merged_unit_run": N_("{package}: đơn vị {code} ({name}, mã định danh {id}) được gộp vào đơn vị "
                                 "{into_code} ({into_name}, mã định danh {into_id}) nhập trong lần này"),
    "report.renamed_unit": N_("{package}: đơn vị {code} ({name}, mã định danh {id}) có tên {name!r} trong "
                              "gói và {into_name!r} trong dự án; đã gộp, giữ tên {into_name!r}"),
    "report.renamed_unit_run": N_("{package}: đơn vị {code} ({name}, mã định danh {id}) có tên {name!r} "
                                  "trong gói và {into_name!r} trong đơn vị nhập trong lần này; đã gộp, giữ "
                                  "tên {into_name!r}"),
    # --- the export --------------------------------------------------------------------------------------
    "report.export_written": N_("Đã ghi gói dữ liệu tổ thẩm định: {path} ({size} byte)"),
    "report.export_package": N_("Gói {package}; năm {years}; {count} đơn vị: {units}"),
    "report.export_counts": N_("{assessments} kỳ đánh giá, {scores} điểm với {revisions} phiên bản, "
                               "{evidence} tài liệu kiểm chứng ({files} tệp), {audit} sự kiện nhật ký"),
    "report.export_resolved": N_("{count} xung đột đã giải quyết kèm quyết định"),
    "report.export_signed": N_("Ký số bởi {who}"),
    "report.export_not_signed": N_("Không ký số"),
    # --- documents ------------------------------------------------------------------------------------------
    "report.embedded_no_document": N_("Dữ liệu gắn trong báo cáo không cho biết loại tài liệu và năm hợp lệ"),
    "report.embedded_no_unit": N_("Dữ liệu gắn trong báo cáo không cho biết đơn vị"),
    "report.setting_refused": N_("Chưa lưu thiết lập báo cáo (có {count} lỗi):"),
    "report.table_suffix": N_("{name}: hãy chọn tệp .xlsx hoặc .csv"),
    "report.unresolved_conflicts": N_("Đơn vị {units} còn xung đột chưa giải quyết ({listed}): hãy giải "
                                      "quyết xung đột trước"),
    # --- the report setting (services/report_setup.py) ------------------------------------------------------
    "report.setup_not_object": N_("Thiết lập phải là một đối tượng với các khóa {keys}, không phải {kind}"),
    "report.setup_unknown_key": N_("{key}: không có khóa này; các khóa: {keys}"),
    "report.setup_lines": N_("{where}: phải là danh sách các dòng, không phải {kind}"),
    "report.setup_people": N_("{where}: phải là danh sách người, không phải {kind}"),
    "report.setup_not_district": N_("{where}: đơn vị này không phải là đơn vị cấp huyện; hội đồng thẩm định "
                                    "cấp huyện chỉ có ở huyện"),
    "report.setup_council_not_object": N_("{where}: phải là một hội đồng (đối tượng với các khóa {keys}), "
                                          "không phải {kind}"),
    "report.setup_per_unit": N_("{key}: phải là một đối tượng theo mã đơn vị, không phải {kind}"),
    "report.setup_units_unknown": N_("{key}: đơn vị {units} không có trong dự án"),
    "report.setup_person": N_("{where}: phải là một người {{\"name\", \"position\"}}, không phải {kind}"),
    "report.setup_person_key": N_("{where}.{key}: không có khóa này; một người có {fields}"),
    "report.setup_meeting_not_object": N_("{where}: phải là một cuộc họp (đối tượng với các khóa {keys}), "
                                          "không phải {kind}"),
    "report.setup_meeting_time": N_("{where}: \"{value}\" không phải là thời gian dạng {forms}"),
    "report.setup_address": N_("{where}: \"{value}\" không phải là cách xưng hô; dùng {allowed}"),
    "report.setup_text": N_("{where}: phải là văn bản, không phải {kind}"),
    "report.setup_too_long": N_("{where}: {length} ký tự, tối đa {max}"),
    "report.kind_object": N_("một đối tượng"),
    "report.kind_list": N_("một danh sách"),
    "report.kind_text": N_("văn bản"),
    "report.kind_bool": N_("giá trị đúng/sai"),
    "report.kind_null": N_("giá trị rỗng (null)"),
    "report.kind_number": N_("một số"),
}

STATUSES = {"new": "report.status_new", "updated": "report.status_updated",
            "identical": "report.status_identical", "no answers": "report.status_no_answers"}


def status(code: str) -> Any:
    """A record's status in a survey or external import as a message parameter (English: the status as it
    always was); an unknown status as it is."""
    from evaluator.messages import Message  # the package imports this module for its catalogue

    return Message(STATUSES[code]) if code in STATUSES else code
