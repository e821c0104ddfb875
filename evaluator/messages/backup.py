"""Messages of backups and archives, backup.* (services/backups.py); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "backup.sqlite_only": N_("Chỉ tự động sao lưu được tệp dự án (SQLite)"),
    "backup.no_folder": N_("Không tạo được thư mục sao lưu {folder}: {error}"),
    "backup.chains_broken": N_("Không khôi phục bản sao lưu {backup}: nhật ký kiểm toán của nó không còn "
                               "nguyên vẹn ({first}); dự án trên máy chủ vẫn như trước"),
    "backup.nothing_imported": N_("{problem}; chưa nhập gì"),
    "backup.target_exists": N_("{target} đã có: hãy khôi phục vào một tệp có tên mới"),
    "backup.target_no_folder": N_("Không khôi phục được vào {target}: thư mục {folder} không tồn tại"),
    "backup.restore_failed": N_("Không khôi phục được vào {target}: {error}; dự án như trước khi khôi phục "
                                "vẫn có trong thư mục sao lưu"),
    "backup.restored_unopenable": N_("Không mở được dự án đã khôi phục {target}: {problem}"),
    "backup.not_a_folder": N_("{folder} không phải là thư mục"),
    "backup.exists": N_("{target} đã có"),
    "backup.archive_bad": N_("Bản lưu trữ ghi vào {folder} đọc lại không đúng ({problems}); không giữ lại "
                             "gì, hãy kiểm tra thiết bị"),
    "backup.archive_failed": N_("Không ghi được bản lưu trữ vào {folder}: {error}"),
    "backup.entry_damaged": N_("mục {name} bị hỏng"),
    "backup.entries_mismatch": N_("{count} mục bị thiếu hoặc thừa"),
    "backup.no_project_file": N_("không có đúng một tệp dự án ở cấp trên cùng của bản lưu trữ"),
    "backup.project_file_problem": N_("tệp dự án: {problem}"),
    "backup.evidence_mismatch": N_("tệp tài liệu kiểm chứng {name} không khớp với mã SHA-256 của nó"),
    "backup.unreadable": N_("không đọc được: {error}"),
    # --- a restore's report (Restored.render) ---
    "backup.restored": N_("đã khôi phục bản sao lưu {id} ({created} UTC, {reason}) vào {target}"),
    "backup.kept_before": N_("  dự án như trước khi khôi phục được giữ thành bản sao lưu {id}"),
    "backup.evidence_copied": N_("  đã chép {count} tệp tài liệu kiểm chứng vào {folder}"),
    "backup.evidence_missing": N_("  cảnh báo: thư mục tài liệu kiểm chứng thiếu {count} tệp mà bản sao "
                                  "lưu có nhắc tới: {names}"),
}
