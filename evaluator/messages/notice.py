"""Messages of the council's notice of the first appraisal and of the Department of Home Affairs'
submission, notice.* (services/notice_data.py, services/report_setup.py's ``notice`` and
``home_affairs_director``); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "notice.setup_not_object": N_("{where}: phải là một đối tượng với các khóa {keys}, không phải {kind}"),
    "notice.setup_days": N_("{where}: {value} không phải là số ngày làm việc (một số nguyên từ 1 đến {max})"),
    "notice.setup_deadline": N_("{where}: \"{value}\" không phải là một ngày dạng YYYY-MM-DD"),
    "notice.setup_days_off": N_("{where}: phải là một danh sách ngày nghỉ dạng YYYY-MM-DD (nhiều nhất {max} "
                                "ngày), không phải {kind}"),
    "notice.deadline_before_date": N_("Hạn giải trình {deadline} (thiết lập văn bản, mục thông báo) không "
                                      "được trước ngày của thông báo {date}"),
}
