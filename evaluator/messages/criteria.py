"""Messages of criteria-set files, criteria.* (frameworks/loader.py: every problem of a set, with its file,
node and field); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "criteria.at_set": N_("{file}: bộ tiêu chí: trường '{field}': {message}"),
    "criteria.at_node": N_("{file}: tiêu chí {node}: trường '{field}': {message}"),
    "criteria.in_place": N_("{file}, {place}"),
    "criteria.sheet_row": N_("trang {sheet}, dòng {row}"),
    "criteria.sheet": N_("trang {sheet}"),
    "criteria.not_a_number": N_("{value!r} không phải là số"),
    "criteria.not_finite": N_("{value!r} không phải là số hữu hạn"),
    "criteria.not_positive": N_("phải lớn hơn 0, đang là {value}"),
    "criteria.negative": N_("không được âm, đang là {value}"),
    "criteria.decimals": N_("có quá hai chữ số thập phân: {value!r}"),
    "criteria.share_range": N_("tỷ lệ phải từ 0 đến 1, đang là {value!r}"),
    "criteria.not_mapping": N_("phải là một nhóm trường (mapping), đang là {value!r}"),
    "criteria.unknown_field": N_("trường không có trong định dạng; các trường được dùng: {expected}"),
    "criteria.unknown_value": N_("giá trị {value!r} không hợp lệ; các giá trị được dùng: {allowed}"),
    "criteria.unknown_kind": N_("loại đơn vị {kind!r} không có trong bộ tiêu chí; bộ tiêu chí có {kinds}"),
    "criteria.no_kind": N_("chưa ghi loại đơn vị nào"),
    "criteria.required": N_("bắt buộc phải có"),
    "criteria.not_a_document": N_("tệp không chứa một nhóm trường (mapping)"),
    "criteria.format": N_("phải là {expected!r}, đang là {value!r}"),
    "criteria.format_version": N_("phiên bản định dạng {value!r} không được hỗ trợ; chương trình đọc "
                                  "phiên bản {supported}"),
    "criteria.version": N_("phải là số nguyên ≥ 1, đang là {value!r}"),
    "criteria.year": N_("phải là một năm, ví dụ 2024, đang là {value!r}"),
    "criteria.kinds_list": N_("phải là danh sách (không rỗng) các mã loại đơn vị"),
    "criteria.kind_twice": N_("có loại đơn vị được ghi hai lần"),
    "criteria.not_bool": N_("phải là true hoặc false, đang là {value!r}"),
    "criteria.index_decimals": N_("phải từ 0 đến 4, đang là {value!r}"),
    "criteria.no_areas": N_("phải là danh sách (không rỗng) các lĩnh vực"),
    "criteria.tie_breaker": N_("tiêu chí phân định {value!r} không hợp lệ; dùng 'appraisal', 'survey' "
                               "hoặc 'area:MÃ' (mã một lĩnh vực)"),
    "criteria.no_answer_weights": N_("bộ tiêu chí có tiêu chí điều tra XHH nhưng chưa có trọng số câu trả "
                                     "lời"),
    "criteria.kind_code_field": N_("loại đơn vị {kind!r}: {problem}"),
    "criteria.kind_code": N_("loại đơn vị {kind!r}: mã chỉ gồm chữ thường a-z, chữ số và '_', bắt đầu "
                             "bằng một chữ cái"),
    "criteria.kind_builtin": N_("{kind!r} đã có tên do chương trình đặt; chỉ đặt tên cho các loại đơn vị "
                                "thêm vào"),
    "criteria.kind_unlabelled": N_("loại đơn vị {kind!r} không thuộc {builtin}: hãy ghi label (tên tiếng "
                                   "Việt) và label_en (tên tiếng Anh)"),
    "criteria.classes_shape": N_("phải là danh sách các mức xếp loại, hoặc mỗi loại đơn vị một danh sách "
                                 "như vậy"),
    "criteria.no_classes": N_("chưa có mức xếp loại cho loại đơn vị {kind!r}"),
    "criteria.class_twice": N_("có mã xếp loại được dùng hai lần"),
    "criteria.unknown_kind_short": N_("loại đơn vị {kind!r} không có trong bộ tiêu chí"),
    "criteria.band_min": N_("mỗi khoảng phải có ít nhất 'min'"),
    "criteria.band_empty": N_("khoảng [{lo}, {hi}) rỗng"),
    "criteria.band_gap": N_("các khoảng để hở: không khoảng nào chứa [{lo}, {hi})"),
    "criteria.band_overlap": N_("các khoảng chồng nhau: khoảng {first} (từ {first_lo}) và khoảng {second} "
                                "(từ {second_lo})"),
    "criteria.band_top": N_("khoảng cao nhất không được có 'max' (khoảng này chứa mọi giá trị ≥ {lo})"),
    "criteria.class_no_code": N_("mức xếp loại từ {lo} chưa có mã"),
    "criteria.points_or_share": N_("ghi đúng một trong hai: 'points' hoặc 'share'"),
    "criteria.points_above_max": N_("{value} lớn hơn điểm tối đa {limit} của tiêu chí cho {kind}"),
    "criteria.points_missing": N_("chưa có điểm cho loại đơn vị {kinds}"),
    "criteria.not_a_node": N_("cần một tiêu chí (mapping), đang là {value!r}"),
    "criteria.node_no_code": N_("có tiêu chí chưa có mã"),
    "criteria.node_twice": N_("mã tiêu chí bị trùng"),
    "criteria.too_deep": N_("tiêu chí lồng nhau tối đa ba cấp (lĩnh vực → tiêu chí → tiêu chí thành phần)"),
    "criteria.parent_kind": N_("tiêu chí cha {parent} không áp dụng cho {kind}"),
    "criteria.not_list": N_("phải là một danh sách"),
    "criteria.role_leaf": N_("tiêu chí loại {role} phải là tiêu chí thành phần (không có tiêu chí con)"),
    "criteria.role_place": N_("tiêu chí loại {role} phải ở cấp bộ tiêu chí hoặc ngay dưới một lĩnh vực"),
    "criteria.rule_on_parent": N_("chỉ tiêu chí thành phần mới có cách chấm; tiêu chí này có tiêu chí con"),
    "criteria.rule_missing": N_("tiêu chí thành phần phải có cách chấm"),
    "criteria.rule_shape": N_("cách chấm là một nhóm trường (mapping), ít nhất có 'kind'"),
    "criteria.rule_kind": N_("cách chấm {value!r} không hợp lệ; các cách chấm: {allowed}"),
    "criteria.options_few": N_("cách chấm theo lựa chọn cần ít nhất hai lựa chọn"),
    "criteria.option_code": N_("mỗi lựa chọn phải có 'code'"),
    "criteria.option_twice": N_("có mã lựa chọn được dùng hai lần"),
    "criteria.bands_missing": N_("cách chấm theo khoảng cần danh sách các khoảng"),
    "criteria.floor_target": N_("ngưỡng tối thiểu phải nhỏ hơn mục tiêu"),
    "criteria.target_positive": N_("phải lớn hơn 0"),
    "criteria.survey_source": N_("cách chấm điều tra XHH chỉ dùng cho tiêu chí có nguồn điểm 'survey'"),
    "criteria.no_questions": N_("cách chấm điều tra XHH cần ít nhất một câu hỏi"),
    "criteria.question_shape": N_("mỗi câu hỏi phải có 'code' và 'group'"),
    "criteria.unknown_group": N_("nhóm người trả lời {group!r} không có trong bộ tiêu chí"),
    "criteria.weights_sum": N_("tổng trọng số các nhóm phải bằng 1"),
    "criteria.weights_missing": N_("chưa có trọng số cho nhóm {groups}"),
    "criteria.no_index": N_("hãy ghi tên chỉ số bên ngoài (ví dụ sipas, par766, ddci)"),
    "criteria.mapping_bands": N_("cách quy đổi 'bands' cần danh sách các khoảng"),
    "criteria.ranks_missing": N_("cách chấm theo thứ hạng cần danh sách {{upto, share}}"),
    "criteria.ranks_order": N_("thứ hạng phải là số nguyên, tăng dần"),
    "criteria.survey_rule": N_("tiêu chí có nguồn điểm điều tra XHH không dùng được cách chấm {kind!r}"),
    "criteria.children_sum": N_("tổng điểm tối đa các tiêu chí con là {sum} nhưng điểm tối đa của tiêu "
                                "chí là {max}"),
    "criteria.children_sum_cap": N_("tổng điểm tối đa các tiêu chí con là {sum} nhưng điểm tối đa của "
                                    "tiêu chí là {max} (ghi cap_children: true để lấy tối đa khi tổng lớn "
                                    "hơn)"),
    "criteria.areas_sum": N_("tổng điểm tối đa các lĩnh vực của {kind} là {sum}, không phải {total}"),
}
