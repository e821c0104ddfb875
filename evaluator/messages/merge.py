"""Problems a team package's records can have when merged into a project, merge.* (services/exchange/merge/);
see evaluator/messages/__init__.py. Each names the package (``{label}``) and the record."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    # --- assessments (merge/assessments.py) -------------------------------------------------------------
    "merge.assessment": N_("{label}: phiếu đánh giá {id}"),
    "merge.assessment_unheld": N_("{where}: nhắc đến đơn vị, kỳ đánh giá hoặc bộ tiêu chí mà gói dữ liệu "
                                  "không có"),
    "merge.year_pair": N_("{where}: {problem} ({identity})"),
    "merge.no_unit_kind": N_("{where}: bộ tiêu chí {identity} không có loại đơn vị {kind!r}"),
    "merge.id_elsewhere": N_("{where}: mã định danh này thuộc về đơn vị hoặc năm khác trong dự án"),
    "merge.set_differs_project": N_("{label}: trong dự án, đơn vị {unit} được đánh giá năm {year} theo bộ "
                                    "tiêu chí {have}, nhưng gói dữ liệu được lập theo {given}; không nhập"),
    "merge.set_differs_run": N_("{label}: đơn vị {unit} được đánh giá năm {year} theo bộ tiêu chí {given}, "
                                "một gói dữ liệu khác trong lần nhập này theo {other}; không nhập"),
    # --- criteria sets (merge/sets.py) ----------------------------------------------------------------
    "merge.set_fingerprint": N_("{label}: bộ tiêu chí {code}@{version} có mã kiểm tra {given}… trong gói "
                                "dữ liệu nhưng {stored}… trong dự án: bộ tiêu chí đã bị sửa mà không đổi "
                                "số phiên bản"),
    "merge.set_version": N_("{label}: gói dữ liệu được lập theo bộ tiêu chí {code} phiên bản {version}; dự "
                            "án dùng {code} phiên bản {have}. Không nhập: hãy nạp cùng một phiên bản bộ "
                            "tiêu chí ở cả hai bên trước"),
    # --- audit events, decisions, evidence, the project (merge/audit.py, decisions.py, evidence.py, run.py)
    "merge.audit_event": N_("{where} (sự kiện nhật ký {id}, chuỗi {chain} #{seq})"),
    "merge.audit_changed": N_("{event}: nội dung đã bị sửa: các trường không cho ra mã băm của sự kiện"),
    "merge.audit_problem": N_("{event}: {problem}"),
    "merge.decision_unknown": N_("{where}.{name}: {revision} không phải một phiên bản của {label} trong "
                                 "các gói dữ liệu hay trong dự án"),
    "merge.decision_older": N_("{where}.resolution_revision_id: quyết định là một giá trị mà chính các giá "
                               "trị đang tranh chấp dựa trên nó"),
    "merge.evidence_not_leaf": N_("{label}: tài liệu kiểm chứng {name!r}: {criterion!r} không phải tiêu "
                                  "chí thành phần của {identity}"),
    "merge.other_project": N_("{label}: gói dữ liệu thuộc dự án {id} ({name}), dự án này là {this_id} "
                              "({this_name}); gói dữ liệu tổ thẩm định chỉ nhập được vào dự án đã tạo ra "
                              "bản sao của tổ"),
    "merge.no_name": N_("không có tên"),
}
