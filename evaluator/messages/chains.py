"""Messages of the audit log's hash chains, chain.* (services/audit.py: ``evaluator audit verify``, a
document's audit-log check); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "chain.break": N_("chuỗi {chain} #{seq}: sự kiện {id} lúc {time} UTC: {problem}: {detail}"),
    "chain.none": N_("(không thuộc chuỗi nào)"),
    "chain.content_changed": N_("nội dung bị thay đổi"),
    "chain.event_missing": N_("thiếu sự kiện"),
    "chain.order_broken": N_("sai thứ tự"),
    "chain.not_chained": N_("không thuộc chuỗi"),
    "chain.detail_not_chained": N_("sự kiện không thuộc chuỗi nào: nó được thêm vào không qua chương trình"),
    "chain.detail_edited": N_("các trường của nó (người thực hiện, vai trò, máy, thao tác, đối tượng, giá "
                              "trị cũ, giá trị mới, thời gian, lý do) không còn cho ra mã băm của nó: sự "
                              "kiện đã bị sửa sau khi ghi"),
    "chain.detail_second": N_("một sự kiện thứ hai ở #{seq}"),
    "chain.detail_deleted": N_("các sự kiện trước nó ({gone}) đã bị xóa"),
    "chain.detail_not_following": N_("nó không nối tiếp {what}: sự kiện đó đã bị thay thế hoặc các sự "
                                     "kiện bị đổi thứ tự"),
    "chain.first_event": N_("sự kiện đầu tiên của chuỗi"),
    "chain.event": N_("sự kiện #{seq}"),
    "chain.anchor_gone": N_("sự kiện #{seq} không còn trong nhật ký ({have}): các sự kiện đã bị xóa sau "
                            "khi đầu chuỗi được ghi lại"),
    "chain.no_events": N_("không có sự kiện nào"),
    "chain.head_is": N_("đầu chuỗi là #{seq}"),
    "chain.anchor_replaced": N_("sự kiện #{seq} không phải sự kiện đã ghi lại: nó đã bị thay thế"),
    "chain.anchor_broken": N_("chuỗi bị đứt ở #{at}, trước đầu chuỗi đã ghi lại"),
    "chain.anchor_extends": N_("nhật ký vẫn nối tiếp nó ({count} sự kiện kể từ đó)"),
    "chain.link_gap": N_("{count} sự kiện chưa nhận được (khoảng trống trong những gì các gói mang đến)"),
    "chain.link_received": N_("{count} sự kiện nối vào chuỗi khi nhận"),
    "chain.link_upgrade": N_("{count} sự kiện nối vào chuỗi khi nâng cấp lên lược đồ 0005"),
    "chain.missing": N_("{count} sự kiện trước đó chưa nhận được"),
    "chain.state": N_("  {chain}: {events} sự kiện, đầu chuỗi #{seq} {hash}"),
    "chain.state_notes": N_("{state} ({notes})"),
    "chain.state_broken": N_("{state} — BỊ ĐỨT"),
    "chain.broken_line": N_("BỊ ĐỨT {what}"),
    "chain.head_kept": N_("đầu chuỗi còn nguyên: chuỗi {chain} #{seq} {hash}: {detail}"),
    "chain.head_lost": N_("MẤT ĐẦU CHUỖI: chuỗi {chain} #{seq} {hash}: {detail}"),
    "chain.all_intact": N_("{events} sự kiện trong {chains} chuỗi, tất cả nguyên vẹn"),
    "chain.some_broken": N_("{events} sự kiện trong {chains} chuỗi: {broken} chuỗi bị đứt"),
    "chain.heads_lost": N_("{line}, mất {count} đầu chuỗi đã ghi lại"),
}
