"""Messages of units reorganised, reorg.* (services/reorganisation.py, cli/units_cmd.py merge|rename|
retire-kind, the year-over-year basis in services/results.py and ui/results_view.py); see
evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "reorg.refused": N_("Không sắp xếp lại đơn vị từ năm {year}: {count} lỗi"),
    "reorg.no_old": N_("chưa nêu đơn vị cũ nào để hợp nhất"),
    "reorg.duplicate": N_("đơn vị {code} được nêu hai lần"),
    "reorg.into_listed": N_("đơn vị {code} vừa là đơn vị sau hợp nhất vừa là đơn vị cũ"),
    "reorg.mixed_kinds": N_("các đơn vị hợp nhất phải cùng loại; ở đây có: {units}"),
    "reorg.into_kind": N_("đơn vị {code} là {have}, còn các đơn vị cũ là {want}"),
    "reorg.retired_before": N_("đơn vị {code} đã ngừng theo dõi từ {time}, trước năm {year}"),
    "reorg.already_followed": N_("đơn vị {code} đã là đơn vị tiền thân của {unit} từ năm {year}"),
    "reorg.into_retired": N_("đơn vị {code} đã ngừng theo dõi từ {time}: không thể tiếp nhận đơn vị khác "
                             "từ năm {year}"),
    "reorg.scored": N_("đơn vị {code} ({name}) đã có {scores} điểm và {files} tài liệu kiểm chứng trong bản "
                       "đánh giá năm {year}: không thể ngừng theo dõi đơn vị từ năm đó"),
    "reorg.same_code": N_("mã mới trùng mã cũ {code}: để chỉ đổi tên cho mọi năm, hãy sửa thông tin đơn vị"),
    "reorg.kind_none": N_("không còn đơn vị loại {kind} nào được theo dõi trong năm {year}"),
    "reorg.created": N_("Tạo đơn vị {code} — {name} ({kind})"),
    "reorg.kept": N_("Giữ đơn vị {code} — {name} (lịch sử của đơn vị vẫn là của nó)"),
    "reorg.new_name": N_("Đổi tên đơn vị {code} thành {name}"),
    "reorg.predecessor": N_("Đơn vị tiền thân của {code} từ năm {year}: {predecessor} ({basis})"),
    "reorg.basis_renamed": N_("đổi tên"),
    "reorg.basis_merged": N_("hợp nhất"),
    "reorg.basis_same": N_("chính đơn vị"),
    "reorg.retired": N_("Ngừng theo dõi {code} — {name} từ năm {year} (bản đánh giá và lịch sử vẫn giữ)"),
    "reorg.kind_retired": N_("Ngừng theo dõi {count} đơn vị loại {kind} từ năm {year}"),
    "reorg.assessment_removed": N_("Xóa bản đánh giá năm {year} chưa chấm của {code}"),
    "reorg.assessment_kept": N_("Giữ bản đánh giá năm {year} chưa chấm của {code} (nhật ký kiểm toán có "
                                "ghi); đơn vị không được xếp hạng năm đó"),
    "reorg.assessed": N_("Tạo bản đánh giá năm {year} cho {code} theo bộ tiêu chí {set}"),
    "reorg.no_set": N_("Năm {year} chưa có bộ tiêu chí cho loại {kind}: chưa tạo bản đánh giá cho {code}"),
    "reorg.child": N_("Đơn vị {code} nay trực thuộc {parent}"),
    "reorg.backup": N_("Bản sao lưu trước khi ghi: {path}"),
    "reorg.dry_run": N_("Chạy thử: chưa ghi gì."),
    "reorg.previous_merged": N_("Năm trước: bình quân của {codes}"),
    "reorg.previous_renamed": N_("Năm trước: {codes} (trước khi đổi)"),
    "reorg.previous_line": N_("{unit} — {previous}: {index}"),
    "reorg.previous_new": N_("Năm trước: chưa có (đơn vị mới)"),
    "reorg.two_changes": N_("đơn vị {code} có trong cả thay đổi thứ {first} và thứ {second}: mỗi đơn vị chỉ "
                            "thuộc một thay đổi"),
    "reorg.action_unknown": N_("không có thay đổi \"{action}\"; chỉ có: {actions}"),
}
