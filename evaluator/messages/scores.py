"""Messages of scores, locks, evidence and documents, scores.* (services/scores.py, locks.py, evidence.py,
workspace.py, documents.py); see evaluator/messages/__init__.py. Stages, roles, kinds and fields are
``labels.Term`` parameters (a label in Vietnamese, the code in English)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "scores.no_assessment": N_("Không có phiếu đánh giá {id}"),
    "scores.survey_only": N_("Tiêu chí {criterion} được chấm bằng điều tra xã hội học: chỉ vòng {survey!r} "
                             "nhận điểm"),
    "scores.appraisal_only": N_("Tiêu chí {criterion} được chấm qua thẩm định: hãy dùng một trong các vòng "
                                "{stages}"),
    "scores.not_a_leaf": N_("Tiêu chí {criterion!r} không phải tiêu chí thành phần của bộ tiêu chí "
                            "{criteria_set}"),
    "scores.field_refused": N_("{place}: {field} không hợp lệ: {problem}"),
    "scores.place_criterion": N_("Tiêu chí {criterion} ({stage})"),
    "scores.place_evidence": N_("tài liệu kiểm chứng {name}"),
    "scores.role_cannot_edit": N_("Vai trò {role!r} không được sửa phần {stage}"),
    "scores.stage_locked": N_("{stage} của đơn vị {unit} đã bị khóa"),
    "scores.open_conflict": N_("Tiêu chí {criterion} ({stage}) của đơn vị {unit} đang có xung đột chưa giải "
                               "quyết giữa hai máy: hãy giải quyết xung đột trước"),
    "scores.give_something": N_("Tiêu chí {criterion}: hãy nhập giá trị, điểm hoặc đánh dấu không đánh giá"),
    "scores.unlock_committee_only": N_("Chỉ Hội đồng thẩm định mới được mở khóa một vòng"),
    "scores.unlock_needs_reason": N_("Mở khóa một vòng cần có lý do"),
    "scores.not_a_file": N_("{path} không phải là tệp"),
    "scores.no_evidence": N_("Không có tài liệu kiểm chứng {id}"),
    "scores.evidence_missing": N_("Tệp tài liệu kiểm chứng {name} ({sha}…) không có trong {root}"),
    "scores.unknown_document": N_("Không có loại tài liệu {document!r}; các loại: {known}"),
    "scores.document_whole_year": N_("Tài liệu {document} dành cho cả năm: không chọn đơn vị"),
    "scores.document_needs_unit": N_("Tài liệu {document} cần ít nhất một đơn vị"),
    "scores.unknown_format": N_("Không có định dạng {format!r}; các định dạng: {known}"),
    "scores.docx_not_for": N_("Tài liệu {document} không có bản thảo Word (docx): chỉ văn bản PDF có"),
    "scores.docx_not_signed": N_("Bản thảo Word (docx) không được ký số: hãy ký văn bản PDF"),
}
