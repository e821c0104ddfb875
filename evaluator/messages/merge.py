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
    "merge.older_set": N_("{label}: đơn vị {unit} năm {year} được chấm theo {given} trong gói dữ liệu, theo "
                          "{have} trong dự án (hội đồng đã chuyển sang phiên bản mới): chỉ nhập điểm của các "
                          "tiêu chí {have} giữ nguyên; các tiêu chí khác được liệt kê dưới đây"),
    "merge.older_set_line": N_("{label}: {unit} tiêu chí {criterion} ({stage}) được nhập theo phiên bản cũ, "
                               "phiên bản mới {fate}: không nhập, hãy chấm lại theo phiên bản mới"),
    "merge.older_set_evidence": N_("{label}: {unit} tiêu chí {criterion}: tài liệu {file} gắn theo phiên bản "
                                   "cũ, phiên bản mới không còn tiêu chí này: không nhập"),
    "merge.older_set_changed": N_("đã sửa tiêu chí này"),
    "merge.older_set_max": N_("đã đổi điểm tối đa của tiêu chí này"),
    "merge.older_set_removed": N_("không còn tiêu chí này"),
    "merge.older_set_added": N_("mới có tiêu chí này"),
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
                              "bản sao của tổ. {hint}"),
    "merge.no_name": N_("không có tên"),
    # --- scores and revisions (merge/scores.py) ----------------------------------------------------------
    "merge.not_a_leaf": N_("{where}: {leaf!r} không phải tiêu chí thành phần của {identity} cho {kind}"),
    "merge.stage_misfit": N_("{where}: vòng chấm {stage!r} không hợp với tiêu chí {leaf} ({source})"),
    "merge.points_range": N_("{where}: phiên bản {revision}: {points} điểm nằm ngoài [0, {max}]"),
    "merge.revision_wrong": N_("{where}.revisions[{index}] (phiên bản {revision}): {problem}"),
    "merge.revision_twice": N_("{where}: phiên bản {revision} đến hai lần với nội dung khác nhau"),
    "merge.stage_locked": N_("{label}: vòng {stage} đã khóa trong dự án, nhưng gói dữ liệu mang đến "
                             "{brings} cho vòng này; hãy mở khóa vòng (có ghi nhật ký) hoặc bỏ đơn vị này "
                             "ra"),
    "merge.new_values": N_("{count} giá trị mới"),
    "merge.a_decision": N_("một quyết định về xung đột"),
    "merge.revision_elsewhere": N_("Phiên bản {revision} của {label} đã có trong dự án cho một điểm khác"),
    "merge.value_misfits": N_("giá trị không hợp với quy tắc chấm: {error}"),
    "merge.value_overflow": N_("giá trị chứa một số quá lớn hoặc quá nhỏ để chấm điểm"),
    "merge.value_gives": N_("theo quy tắc của bộ tiêu chí, giá trị cho {want}, gói dữ liệu ghi {have}"),
    "merge.not_applicable": N_("không áp dụng"),
    "merge.points": N_("{points} điểm"),
    "merge.na_with_points": N_("được đánh dấu không áp dụng nhưng vẫn có điểm"),
    "merge.na_not_allowed": N_("Tiêu chí {criterion} không được đánh dấu không áp dụng"),
    # --- units (merge/units.py) -----------------------------------------------------------------------
    "merge.unit_code_kept": N_("{label}: đơn vị {code} trong dự án là {known} ({how}); giữ như trong dự án"),
    "merge.same_id": N_("cùng mã định danh"),
    "merge.merged_before": N_("đã gộp trước đây"),
    "merge.unit_where": N_("{label}: đơn vị {code} ({name}, mã định danh {id})"),
    "merge.unit_project": N_("đơn vị {code} của dự án ({name}, mã định danh {id})"),
    "merge.unit_run": N_("đơn vị {code} ({name}, mã định danh {id}) nhập trong lần này"),
    "merge.kinds_differ": N_("{where} là {kind_in}, nhưng {into} là {kind}: không gộp được; hãy sửa đơn vị "
                             "ở một bên trước"),
    # --- a package's data against its manifest (exchange/reading.py) -----------------------------------
    "merge.data_bad": N_("{label}: {data}: {error}"),
    "merge.data_project": N_("{label}: dữ liệu ghi dự án {data_id}, bản kê ghi dự án {manifest_id}"),
    "merge.data_sets": N_("{label}: các bộ tiêu chí trong dữ liệu khác với bản kê"),
}
