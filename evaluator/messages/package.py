"""Messages of team packages (exchange/): reading, signatures, checks; see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "package.bad_entry_name": N_("{label}: có một mục trong gói dữ liệu có tên trống hoặc không hợp lệ"),
    "package.absolute_path": N_("{label}: mục {name!r} có đường dẫn tuyệt đối hoặc đường dẫn Windows; "
                                "không nhận"),
    "package.outside": N_("{label}: mục {name!r} trỏ ra ngoài gói dữ liệu (chứa '..'); không nhận"),
    "package.not_in_manifest": N_("{label}: mục {name!r} không có trong bản kê của gói dữ liệu"),
    "package.size_mismatch": N_("{label}: mục {name} có {size} byte, bản kê ghi {expected} byte"),
    "package.hash_mismatch": N_("{label}: mục {name} không khớp với mã SHA-256 trong bản kê (gói dữ liệu "
                                "đã bị sửa đổi hoặc hư hỏng)"),
    "package.larger": N_("{label}: mục {name} lớn hơn kích thước ghi trong bản kê"),
    "package.unreadable_entry": N_("{label}: không đọc được mục {name} (gói dữ liệu hư hỏng hoặc không đầy "
                                   "đủ): {error}"),
    "package.no_file": N_("{label}: không có tệp này"),
    "package.folder": N_("{label}: là thư mục, không phải gói dữ liệu"),
    "package.not_zip": N_("{label}: không phải gói dữ liệu tổ thẩm định (.cchc) — không đọc được tệp nén; "
                          "tệp có thể không đầy đủ hoặc hư hỏng ({error})"),
    "package.too_many_entries": N_("{label}: có {count} mục; một gói dữ liệu chứa tối đa {limit} mục"),
    "package.twice": N_("{label}: mục {name!r} xuất hiện hai lần"),
    "package.encrypted": N_("{label}: mục {name} được mã hóa; gói dữ liệu không bao giờ được mã hóa"),
    "package.zip_bomb": N_("{label}: mục {name} sẽ giải nén ra gấp {ratio} lần ({size} byte); không nhận "
                           "vì có thể là tệp nén độc hại"),
    "package.too_large": N_("{label}: gói dữ liệu sẽ giải nén ra {total} byte (giới hạn {limit} byte); "
                            "không nhận"),
    "package.no_manifest": N_("{label}: không có {manifest}: không phải gói dữ liệu tổ thẩm định"),
    "package.manifest_not_json": N_("{label}: {manifest} không phải JSON hợp lệ: {error}"),
    "package.manifest_not_object": N_("{label}: {manifest} không phải một đối tượng JSON"),
    "package.wrong_format": N_("{label}: {manifest}: định dạng {found!r} không phải {format!r}"),
    "package.unknown_version": N_("{label}: không hỗ trợ phiên bản định dạng gói dữ liệu {version!r}; "
                                  "chương trình này đọc phiên bản {supported} (hãy cập nhật chương trình "
                                  "để đọc gói dữ liệu mới hơn)"),
    "package.bad_entry_record": N_("{label}: {manifest}, entries[{index}]: cần có path, size (số byte) và "
                                   "sha256 (64 chữ số thập lục phân)"),
    "package.listed_twice": N_("{label}: {manifest}, entries[{index}]: {name!r} được liệt kê hai lần hoặc "
                               "là chính bản kê"),
    "package.missing_files": N_("{label}: thiếu tệp có trong bản kê: {names}"),
    "package.extra_files": N_("{label}: có tệp không có trong bản kê: {names}; không nhận"),
    "package.no_data": N_("{label}: bản kê không có {data}"),
    "package.unexpected_entry": N_("{label}: mục không được phép {name!r} (chỉ được có {data} và "
                                   "evidence/<sha256>)"),
    "package.evidence_name": N_("{label}: mục tài liệu kiểm chứng {name} không được đặt tên theo mã "
                                "SHA-256 của nó"),
    "package.not_uuid": N_("{label}: {manifest}: {key} không phải là UUID"),
    "package.key_missing": N_("{label}: {manifest}: thiếu {key}"),
    "package.bad_field": N_("{label}: {manifest}: {key}: {problem}"),
    "package.not_a_time": N_("{label}: {manifest}: created {value!r} không phải là thời điểm"),
    "package.no_time_zone": N_("{label}: {manifest}: created không ghi múi giờ"),
    "package.time_range": N_("{label}: {manifest}: created {value!r} nằm ngoài khoảng cho phép"),
    "package.criteria_sets": N_("{label}: {manifest}: criteria_sets phải ghi code, version và sha256 của "
                                "từng bộ tiêu chí"),
    "package.entries_missing": N_("{label}: {manifest}: thiếu entries"),
    "package.cert_unreadable": N_("Không đọc được tệp chứng thư số {path}: {error}"),
    "package.cert_open": N_("Không mở được {name}: sai mật khẩu hoặc không phải tệp PKCS#12"),
    "package.cert_no_key": N_("{name} không chứa khóa riêng đi kèm chứng thư số"),
    "package.cert_key_type": N_("{name}: chỉ khóa RSA và EC mới ký được"),
    "package.trust_unreadable": N_("Không đọc được tệp chứng thư số tin cậy {path}: {error}"),
    "package.trust_not_cert": N_("{name} không phải tệp chứng thư số (PEM hoặc DER)"),
    "package.trust_not_pem": N_("{source}[{index}] không phải chứng thư số dạng PEM ({error})"),
    "package.sig_not_cms": N_("tệp chữ ký số không phải CMS SignedData"),
    "package.sig_signers": N_("chữ ký số phải có đúng một người ký, tệp này có {count}"),
    "package.sig_no_cert": N_("chứng thư số của người ký không có trong chữ ký số"),
    "package.sig_digest_algorithm": N_("không hỗ trợ thuật toán băm {algorithm}"),
    "package.sig_digest": N_("giá trị băm đã ký không khớp với bản kê"),
    "package.sig_content_type": N_("loại nội dung đã ký không phải data"),
    "package.sig_mismatch": N_("chữ ký số không khớp (bản kê hoặc chữ ký số đã bị sửa đổi)"),
    "package.sig_unreadable": N_("không đọc được chữ ký số: {error}"),
    "package.sig_cert_expired": N_("chứng thư số của người ký không có hiệu lực vào {moment} UTC (hiệu lực "
                                   "{start} – {end})"),
    "package.sig_untrusted_note": N_("người ký không thuộc danh sách chứng thư số tin cậy, cũng không được "
                                     "chứng thư tin cậy nào cấp"),
    "package.unsigned_trust": N_("gói dữ liệu chưa được ký số nhưng đã chọn chứng thư số tin cậy: chỉ gói "
                                 "dữ liệu đã ký số mới được tin cậy"),
    "package.broken_signature": N_("chữ ký số không hợp lệ: {problem}"),
    "package.untrusted": N_("người ký không thuộc danh sách tin cậy"),
    "package.label_broken_signature": N_("{label}: chữ ký số bị hỏng: {problem}"),
    "package.label_untrusted": N_("{label}: ký số bởi {subject}, người ký không thuộc danh sách tin cậy"),
    "package.not_signed_trust": N_("{label}: gói dữ liệu chưa được ký số, nhưng ở đây chỉ nhận gói dữ liệu "
                                   "do chứng thư số tin cậy ký"),
    "package.not_signed_trust_setting": N_("{label}: gói dữ liệu chưa được ký số, nhưng dự án chỉ nhận gói "
                                           "dữ liệu do chứng thư số tin cậy ký (thiết lập {setting})"),
}
