"""Messages of the command line only, cli.* (evaluator/cli/); see evaluator/messages/__init__.py. Their
English names the flags to give; their Vietnamese never does (it says what to choose), as every Vietnamese
text."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "cli.password_no_key": N_("Đã cho mật khẩu nhưng chưa chọn khóa: hãy chọn tệp chứng thư số (.p12) hoặc "
                              "thư viện PKCS#11 của thiết bị ký"),
    "cli.key_both": N_("Chỉ chọn một: tệp chứng thư số (.p12) hoặc thiết bị ký (PKCS#11), không chọn cả hai"),
    "cli.token_label_needed": N_("Dùng thiết bị ký (PKCS#11) thì phải cho biết nhãn của thiết bị"),
    "cli.key_needed": N_("Ký số cần có khóa: tệp chứng thư số (.p12), hoặc thư viện PKCS#11 cùng nhãn của "
                         "thiết bị ký"),
    "cli.exists_force": N_("{path} đã có: hãy cho phép ghi đè nếu muốn thay thế"),
    "cli.no_bundled_set": N_("Chương trình không kèm bộ tiêu chí {code!r}; các bộ có: {known}"),
    "cli.no_bundled_set_version": N_("Chương trình không kèm bộ tiêu chí {code!r} phiên bản {version}; "
                                     "các bộ có: {known}"),
    "cli.whole_year": N_("{document} là tài liệu của cả năm: không chọn đơn vị"),
    "cli.whole_year_workbook": N_("Bảng tính {table} dành cho cả năm: không chọn đơn vị"),
    "cli.needs_unit": N_("Báo cáo {document} cần chọn một đơn vị (ghi một tệp) hoặc tất cả đơn vị (ghi vào "
                         "một thư mục)"),
    "cli.unit_or_all": N_("Chọn một đơn vị hoặc tất cả đơn vị, không chọn cả hai"),
    "cli.all_needs_folder": N_("Khi lập cho tất cả đơn vị, mỗi đơn vị được ghi một tệp: {out} phải là "
                               "thư mục"),
    "cli.out_pdf": N_("{out}: hãy đặt tên tệp có đuôi .pdf"),
    "cli.out_xlsx": N_("{out}: hãy đặt tên tệp có đuôi .xlsx"),
    "cli.out_docx": N_("{out}: hãy đặt tên tệp có đuôi .docx"),
    "cli.docx_not_signed": N_("{option}: bản thảo Word ({format}) không được ký số; hãy tạo và ký văn bản "
                              "PDF"),
    "cli.out_no_folder": N_("{out}: thư mục {folder} không tồn tại"),
    "cli.xlsx_needs_unit": N_("Bảng tính {table} cần chọn một hay nhiều đơn vị, hoặc tất cả đơn vị"),
    "cli.verify_db_package": N_("Chỉ đối chiếu được với dự án dữ liệu gắn trong báo cáo PDF; gói dữ liệu tổ "
                                "thẩm định được kiểm tra khi nhập (hãy xem trước khi nhập)"),
    "cli.stdin": N_("đầu vào chuẩn"),
    "cli.not_json": N_("{source} không phải văn bản JSON (UTF-8): {error}"),
}
