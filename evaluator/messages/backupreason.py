"""Why a backup was made, as ``backup list`` shows it, backupreason.* (cli/backup_cmd.py; the GUI's labels
in ui/backup_dialog.py share the Vietnamese); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "backupreason.manual": N_("Sao lưu thủ công"),
    "backupreason.import": N_("Trước khi nhập dữ liệu"),
    "backupreason.close": N_("Khi đóng dự án"),
    "backupreason.periodic": N_("Định kỳ khi đang sửa"),
    "backupreason.restore": N_("Trước khi khôi phục"),
    "backupreason.upgrade": N_("Trước khi nâng cấp"),
    "backupreason.damaged": N_("Bản gốc bị hỏng, trước khi khôi phục"),
    "backupreason.framework_upgrade": N_("Trước khi chuyển sang phiên bản bộ tiêu chí mới"),
    "backupreason.reorganise": N_("Trước khi sắp xếp lại đơn vị"),
    "backupreason.new_year": N_("Trước khi tạo năm mới"),
}
