"""Messages of project files and evidence, project.* (models/); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "project.bad_address": N_("{db!r} không phải là địa chỉ cơ sở dữ liệu: {error}"),
    "project.is_folder": N_("{path} là thư mục, không phải tệp dự án"),
    "project.missing": N_("Không có dự án tại {path}"),
    "project.no_folder": N_("Không tạo được dự án tại {path}: thư mục {folder} không tồn tại"),
    "project.unreadable": N_("Không đọc được {path}: {error}"),
    "project.not_sqlite": N_("{path} không phải tệp dự án của chương trình: đây không phải tệp cơ sở dữ "
                             "liệu SQLite"),
    "project.not_database": N_("Không mở được {path}: không đọc được tệp như một cơ sở dữ liệu SQLite "
                               "({error})"),
    "project.empty": N_("{path} là tệp trống, không phải tệp dự án của chương trình"),
    "project.foreign": N_("{path} không phải tệp dự án của chương trình (tệp chứa các bảng khác)"),
    "project.no_overwrite": N_("Không ghi đè lên tệp đã có {path}"),
    "project.backup_damaged": N_("Không sao lưu được {source}: bản sao không qua được bước kiểm tra toàn "
                                 "vẹn ({problems}); có thể chính cơ sở dữ liệu đã bị hỏng"),
    "project.backup_failed": N_("Không sao lưu được {source} sang {target}: {error}"),
    "project.busy": N_("Dự án {project} đang bận: một chương trình hoặc tác vụ khác đang ghi vào dự án; "
                       "chưa lưu gì, hãy thử lại khi việc đó xong"),
    "project.no_evidence_folder": N_("Dự án {project} không có thư mục tài liệu kiểm chứng; hãy đặt thiết "
                                     "lập {setting!r}"),
    "project.no_row": N_("{project} không có dòng thông tin dự án"),
    "project.backup_sqlite_only": N_("Chỉ sao lưu được tệp dự án SQLite"),
    "project.several_heads": N_("{label} không có một phiên bản lược đồ dữ liệu duy nhất ({heads})"),
    "project.no_revision": N_("không có"),
    "project.newer": N_("{label} được ghi bởi phiên bản mới hơn của chương trình (phiên bản lược đồ dữ "
                        "liệu {revision}); hãy cập nhật chương trình (đây là phiên bản {version}, lược đồ "
                        "dữ liệu {head})"),
    "project.broken_rows": N_("Không nâng cấp được {label}: {count} dòng tham chiếu tới dòng không tồn tại "
                              "(dòng đầu tiên ở bảng {table}); tệp chưa bị thay đổi"),
    "project.cannot_open": N_("Không mở được {label} như một dự án của chương trình: {error}"),
    "project.criteria_altered": N_("{source} không khớp với dấu vân tay sha256 {sha256}: tài liệu đã lưu "
                                   "bị sửa đổi. Hãy khôi phục dự án từ bản sao lưu hoặc nạp lại tệp bộ "
                                   "tiêu chí."),
    "project.criteria_unreadable": N_("Không đọc lại được {source}: {error}"),
    "project.not_sha": N_("{sha256!r} không phải mã SHA-256 (64 chữ số thập lục phân viết thường)"),
    "project.evidence_missing": N_("Thiếu tệp tài liệu kiểm chứng {sha256} trong {root}"),
    "project.evidence_unreadable": N_("Không đọc được tệp tài liệu kiểm chứng {label}: {error}"),
    "project.evidence_store_failed": N_("Không lưu được tệp tài liệu kiểm chứng {label} vào {root}: {error}"),
    "project.evidence_escape": N_("Tệp tài liệu kiểm chứng {name!r}: bản sao sẽ nằm ngoài {base}"),
    "project.evidence_damaged": N_("Tệp tài liệu kiểm chứng {name!r} ({sha}…) trong {root} đã bị hỏng"),
    "project.evidence_copy_failed": N_("Không sao chép được tệp tài liệu kiểm chứng {name!r} sang "
                                       "{folder}: {error}"),
}
