"""Messages of workbooks refused unread, workbook.* (xlsx_limits.py); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "workbook.old_format": N_("Không phải bảng tính Excel (.xlsx) đọc được: đây là tệp .xls cũ hoặc bảng "
                              "tính có đặt mật khẩu; hãy lưu lại thành tệp .xlsx thông thường"),
    "workbook.other_format": N_("Không phải bảng tính Excel (.xlsx) đọc được: tệp chứa các phần của tệp "
                                ".xlsb hoặc .ods; hãy lưu lại thành tệp .xlsx"),
    "workbook.sheet": N_("trang tính {sheet}"),
    "workbook.part": N_("phần {part}"),
    "workbook.too_many_cells": N_("{where}: có {cells} ô có giá trị; chương trình đọc tối đa {limit} ô "
                                  "trong một trang tính"),
    "workbook.too_wide": N_("{where}: giá trị ở ô {cell} làm vùng dữ liệu tính từ A1 thành {rows} dòng × "
                            "{columns} cột; chương trình đọc tối đa {max_columns} cột và {max_cells} ô: "
                            "hãy xóa những gì nằm ngoài bảng"),
    "workbook.too_big": N_("các phần của tệp giải nén ra hơn {mb} MB; chương trình không đọc tệp như vậy"),
    "workbook.unreadable_part": N_("Không phải bảng tính Excel (.xlsx) đọc được: phần {part}: {error}"),
    "workbook.utf16": N_("phần {part} được ghi bằng mã UTF-16, chương trình không đọc được"),
    "workbook.part_too_large": N_("phần {part} quá lớn để kiểm tra ({size} byte)"),
    "workbook.part_over": N_("phần {part} quá lớn để kiểm tra (hơn {limit} byte)"),
}
