"""Messages of moving a project between databases, migrate.* (services/migrate.py, cli/migrate_cmd.py); see
evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "migrate.bad_source": N_("Nguồn {address} không phải là tệp dự án hay địa chỉ máy chủ PostgreSQL "
                             "(postgresql+psycopg://…): {error}"),
    "migrate.bad_target": N_("Đích {address} không phải là tệp dự án hay địa chỉ máy chủ PostgreSQL "
                             "(postgresql+psycopg://…): {error}"),
    "migrate.same": N_("Nguồn và đích là cùng một dự án ({source}): hãy chuyển sang một tệp mới hoặc một cơ "
                       "sở dữ liệu trống"),
    "migrate.source_missing": N_("Không có dự án nguồn {source}"),
    "migrate.source_empty": N_("Nguồn {source} không chứa dự án nào"),
    "migrate.source_old": N_("Dự án nguồn {source} có cấu trúc cũ (phiên bản {revision}, chương trình này "
                             "ghi {head}): hãy mở nó một lần bằng phiên bản này của chương trình trước khi "
                             "chuyển"),
    "migrate.source_newer": N_("Dự án nguồn {source} được ghi bằng phiên bản mới hơn của chương trình (cấu "
                               "trúc {revision}, chương trình này ghi {head}): hãy chuyển bằng phiên bản "
                               "mới đó"),
    "migrate.source_no_evidence_folder": N_("Dự án nguồn {source} có tài liệu kiểm chứng ({name}…) nhưng "
                                            "không có thư mục tài liệu kiểm chứng"),
    "migrate.evidence_missing": N_("Thư mục tài liệu kiểm chứng {folder} của nguồn thiếu tệp {name} (SHA-256 "
                                   "{sha}…); chưa chuyển gì"),
    "migrate.target_no_folder": N_("Không tạo được dự án đích {target}: thư mục {folder} không tồn tại"),
    "migrate.target_foreign": N_("Đích {target} đã chứa dữ liệu khác (bảng {table}): chỉ chuyển được vào một "
                                 "tệp mới hoặc một cơ sở dữ liệu trống"),
    "migrate.target_newer": N_("Đích {target} có cấu trúc của phiên bản mới hơn ({revision}): chỉ chuyển "
                               "được vào một tệp mới hoặc một cơ sở dữ liệu trống"),
    "migrate.target_not_empty": N_("Đích {target} đã chứa một dự án (bảng {table} có dữ liệu): chỉ chuyển "
                                   "được vào một tệp mới hoặc một cơ sở dữ liệu trống; không ghi gì"),
    "migrate.target_no_evidence_folder": N_("Dự án có {count} tệp tài liệu kiểm chứng nhưng địa chỉ đích "
                                            "{target} không nêu thư mục cho chúng: hãy thêm "
                                            "?{setting}=/thư/mục vào địa chỉ"),
    "migrate.evidence_damaged": N_("Tệp tài liệu kiểm chứng {path} của nguồn không khớp với mã SHA-256 "
                                   "{sha}… của nó (đã bị hỏng hoặc sửa); không chuyển gì"),
    "migrate.evidence_copy_failed": N_("Không chép được tệp tài liệu kiểm chứng {path} vào {folder}: "
                                       "{error}; không chuyển gì"),
    "migrate.no_room": N_("Ổ đĩa của {folder} không đủ chỗ cho tài liệu kiểm chứng: cần {needed} byte, còn "
                          "{free} byte; không chuyển gì"),
    "migrate.broken_rows": N_("Dữ liệu chép vào {target} có {count} dòng trỏ tới dòng không tồn tại (bảng "
                              "{table}); không ghi gì"),
    "migrate.chains_broken": N_("Nhật ký kiểm toán chép vào {target} không còn nguyên vẹn ({first}); không "
                                "ghi gì: hãy kiểm tra nhật ký của nguồn"),
    "migrate.failed": N_("Không chuyển được {source} sang {target}: {error}; đích vẫn như trước"),
    # --- the summary (cli/migrate_cmd.py) ---
    "migrate.col_table": N_("bảng"),
    "migrate.col_rows": N_("số dòng"),
    "migrate.done": N_("đã chuyển {source} sang {target}: {rows} dòng trong {tables} bảng, {files} tệp tài "
                       "liệu kiểm chứng ({bytes} byte, {present} tệp đích đã có), nhật ký kiểm toán "
                       "nguyên vẹn ({events} sự kiện, {chains} chuỗi)"),
    "migrate.sequences": N_("đã đặt lại {count} bộ đếm trên máy chủ"),
}
