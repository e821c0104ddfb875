"""Messages of imports (see evaluator/messages/__init__.py)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "import.refused": N_("Không nhập: có {count} lỗi, chưa ghi gì vào dự án:"),
    "import.more": N_("… và {count} lỗi khác"),
    "import.mixed_kinds": N_("Nhập gói dữ liệu tổ thẩm định (.cchc) và bảng tổng hợp (.xlsx) trong các lần "
                             "nhập riêng: mỗi lần nhập là trọn vẹn hoặc không gì cho một loại tệp."),
    "import.trust_needs_package": N_("Chỉ gói dữ liệu tổ thẩm định (.cchc) mới có chữ ký để kiểm tra theo "
                                     "danh sách chứng thư tin cậy."),
    "import.merge_needs_package": N_("Chỉ gói dữ liệu tổ thẩm định (.cchc) mới có đơn vị trùng để gộp: bảng "
                                     "tổng hợp gọi đơn vị theo mã."),
    "import.one_workbook": N_("Hãy chọn đúng một bảng tính (.xlsx) để nhập {kind}; danh sách đang có "
                              "{count} tệp"),
    "import.kind_survey": N_("kết quả điều tra xã hội học"),
    "import.kind_external": N_("các chỉ số bên ngoài"),
    "import.no_answers": N_("{file}: không có câu trả lời nào để nhập"),
    # --- the survey and external-index sheets (services/survey_import.py, external_import.py) ---------------
    "import.row": N_("{file}: trang tính {sheet}, dòng {row}"),
    "import.column": N_("{where}, cột {column}"),
    "import.empty": N_("{where}: ô trống"),
    "import.unknown_unit": N_("{where}: không có đơn vị {unit} (không được đánh giá năm {year})"),
    "import.unknown_indicator": N_("{where}: không có chỉ số {indicator} cho {kind} trong bộ tiêu chí "
                                   "{identity}; các chỉ số: {known}"),
    "import.duplicate_value": N_("{where}: {unit} {criterion} đã có ở dòng {row}"),
    "import.outside_scale": N_("{where}: {value} nằm ngoài thang {name} 0–{top} (tiêu chí {criterion})"),
    "import.cell_refused": N_("{where}: {error}"),
    "import.leaf_refused": N_("{unit} {leaf}: {error}"),
    "import.text_refused": N_("{where}: {text}: {error}"),
    "import.not_a_number": N_("{where}: {text} không phải là số"),
    "import.not_non_negative": N_("{where}: {text} không phải là số ≥ 0"),
    "import.too_large": N_("{where}: {text} quá lớn (tối đa {limit})"),
    "import.six_decimals": N_("{where}: {text} có quá 6 chữ số thập phân"),
    "import.value_stays": N_("{unit} {criterion}: giá trị {later} vẫn là giá trị cuối cùng (vì sau {stage})"),
    "import.unknown_stage": N_("Vòng chấm {stage} không có; các vòng: {stages}"),
    "import.file_name": N_("{name}: tên tệp {problem}; hãy đổi tên tệp"),
    "import.author_refused": N_("Người thực hiện {author}: {error}"),
    "import.unknown_question": N_("{where}: không có câu hỏi {question} cho {kind} trong bộ tiêu chí "
                                  "{identity}"),
    "import.wrong_group": N_("{where}: câu hỏi {question} dành cho nhóm {asked!r}, không phải {group}"),
    "import.not_an_answer": N_("{where}: {letter} không phải là phương án trả lời; các phương án: "
                               "{letters} (hoặc để trống)"),
    "import.answered_twice": N_("{where}: người trả lời {respondent} đã trả lời câu hỏi {question} của "
                                "{unit} ở dòng {row}"),
}
