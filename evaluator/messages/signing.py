"""Messages of signing (see evaluator/messages/__init__.py)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "signing.env_not_set": N_("Biến môi trường {name} (chứa mật khẩu) chưa được đặt."),
    "signing.no_stdin_password": N_("Không đọc được mật khẩu từ đầu vào chuẩn."),
    "signing.no_terminal": N_("Không có cửa sổ dòng lệnh để hỏi mật khẩu: hãy đưa mật khẩu qua biến môi "
                              "trường hoặc đầu vào chuẩn."),
    "signing.token_keys": N_("Thiết bị ký {token!r} có {count} khóa riêng ({labels}): hãy chọn một khóa theo "
                             "nhãn."),
    "signing.cert_not_yet_valid": N_("Chứng thư số của {subject} chưa có hiệu lực: hiệu lực từ {start} UTC "
                                     "đến {end} UTC"),
    "signing.cert_expired": N_("Chứng thư số của {subject} đã hết hạn vào {end} UTC"),
    "signing.cert_unreadable": N_("Không đọc được tệp chứng thư số {path}: {error}"),
    "signing.cert_open": N_("Không mở được {path}: sai mật khẩu hoặc không phải tệp PKCS#12 (.p12/.pfx)"),
    "signing.cert_no_key": N_("{path} không chứa khóa riêng và chứng thư số để ký"),
    "signing.no_library": N_("Không có thư viện PKCS#11 tại {lib}"),
    "signing.wrong_pin": N_("Sai mã PIN của thiết bị ký {token!r}"),
    "signing.token_locked": N_("Thiết bị ký {token!r} đã bị khóa (nhập sai mã PIN quá nhiều lần)"),
    "signing.token_open": N_("Không mở được thiết bị ký {token!r} bằng {lib}: {error}"),
    "signing.no_key_label": N_("Thiết bị ký {token!r} không có khóa riêng mang nhãn {key!r}; các khóa: "
                               "{keys}"),
    "signing.token_no_cert": N_("Thiết bị ký {token!r} không có chứng thư số cho khóa {key!r}"),
    "signing.token_cert_unreadable": N_("Không đọc được chứng thư số của khóa trên thiết bị ký {token!r}: "
                                        "{error}"),
    "signing.not_a_pdf": N_("Không phải tệp PDF đọc được: {error}"),
    "signing.no_empty_field": N_("Tài liệu không còn ô chữ ký số nào trống{signed}"),
    "signing.signed_fields": N_(" (đã ký: {fields})"),
    "signing.no_field": N_("Tài liệu không có ô chữ ký số {field!r}; các ô: {fields}"),
    "signing.field_signed": N_("Ô chữ ký số {field!r} đã được ký"),
    "signing.failed": N_("Ký số không thành công: {error}"),
    "signing.trust_unreadable": N_("Không đọc được chứng thư số tin cậy từ {path}: {error}"),
    "signing.trust_no_cert": N_("{path} không chứa chứng thư số nào (PEM hoặc DER)"),
    "signing.unreadable": N_("Không đọc được {path}: {error}"),
    "signing.not_verifiable": N_("{path} không phải báo cáo PDF cũng không phải gói dữ liệu tổ thẩm định "
                                 "(.cchc)"),
    "signing.token_no_match": N_("Thiết bị ký {token!r}: không tìm được đúng một khóa riêng khớp với một "
                                 "chứng thư số (có {keys} khóa, {certs} chứng thư RSA hoặc EC, "
                                 "{pairs} cặp khớp)"),
    "signing.key_unsupported": N_("Khóa {key} trên thiết bị ký {token!r} là khóa {kind}: chương trình "
                                  "không ký được bằng loại khóa này (chỉ ký bằng khóa {supported})"),
    "signing.token_no_mechanism": N_("Thiết bị ký {token!r} không cung cấp cơ chế ký {mechanism} cho khóa "
                                     "{key}"),
    "signing.seal_too_big": N_("Ảnh con dấu {path} quá lớn ({size} byte; tối đa {limit} byte)"),
    "signing.seal_unreadable": N_("Không đọc được ảnh con dấu {path}: {error}"),
    "signing.seal_not_png": N_("Ảnh con dấu {path} không phải tệp PNG (cần PNG nền trong suốt)"),
    "signing.seal_dimensions": N_("Ảnh con dấu {path} có kích thước {width}×{height} điểm ảnh; mỗi chiều "
                                  "phải từ {low} đến {high}"),
    "signing.seal_damaged": N_("Ảnh con dấu {path} bị hỏng hoặc không đọc được: {error}"),
    "signing.seal_invisible": N_("Ảnh con dấu {path} trong suốt hoàn toàn (không có gì để hiển thị)"),
    "signing.bad_number": N_("Số văn bản {number!r} không hợp lệ: chỉ gồm chữ số (có thể thêm một chữ cái), "
                             "ví dụ 15 hoặc 15a"),
    "signing.no_seal_field": N_("Tài liệu không có ô chữ ký của cơ quan ({field!r}): hãy tạo lại văn bản "
                                "bằng phiên bản này"),
    "signing.seal_before_authority": N_("Người có thẩm quyền chưa ký (ô {field}): văn thư chỉ đóng dấu cơ "
                                        "quan sau chữ ký đó"),
    "signing.no_fill_field": N_("Tài liệu không có ô {field!r} để điền"),
    "signing.field_filled": N_("Ô {field!r} đã được điền ({value}): số và ngày chỉ điền một lần"),
    "signing.ltv_unreadable": N_("Không đọc được {path} ({kind}): {error}"),
    "signing.ltv_failed": N_("Không nhúng được thông tin kiểm tra dài hạn: {error}"),
    "signing.seal_options": N_("{option} chỉ dùng khi văn thư đóng dấu cơ quan ({mode})"),
    "signing.seal_image_needed": N_("Đóng dấu cơ quan ({mode}) cần ảnh con dấu (PNG): {option}"),
}
