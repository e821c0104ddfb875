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
    # --- a workbook read for an import (services/exchange_sheets.py, workbook_read.py) ---------------------
    "workbook.file_unreadable": N_("{name}: không đọc được: {error}"),
    "workbook.file_refused": N_("{name}: {error}"),
    "workbook.not_xlsx": N_("{name}: không phải bảng tính Excel (.xlsx) đọc được: {error}"),
    "workbook.no_sheet": N_("{name}: sai trang tính: không có trang tính {sheet!r} (các trang tính có: "
                            "{found})"),
    "workbook.missing_columns_of": N_("{name}: trang tính {sheet}, dòng 1: thiếu cột {absent} (trang tính "
                                      "{sheet} có các cột {columns})"),
    "workbook.missing_columns": N_("{name}: trang tính {sheet}, dòng 1: thiếu cột {absent}"),
    "workbook.missing_sheets": N_("{name}: thiếu trang tính {missing}; bảng tổng hợp có các trang tính "
                                  "{sheets}"),
    # --- the consolidated workbook's cells (services/workbook_read.py) ------------------------------------
    "workbook.meta_key": N_("{name}: trang tính meta, khóa {key}"),
    "workbook.format_expected": N_("{where}: cần {expected!r}, nhưng có {got!r}"),
    "workbook.format_version": N_("{where}: không biết phiên bản định dạng {version!r}; chương trình đọc "
                                  "phiên bản {known}"),
    "workbook.unknown_stage": N_("{where}: vòng chấm {stage!r} không có; các vòng: {stages}"),
    "workbook.na_value": N_("{where}: {text!r} phải để trống, 0 hoặc 1"),
    "workbook.points_empty": N_("{where}: ô trống (hãy nhập điểm, hoặc 1 ở cột not_applicable)"),
    "workbook.points_far": N_("{where}: {text} nằm quá xa ngoài khoảng điểm"),
    "workbook.two_decimals": N_("{where}: {text} có quá hai chữ số thập phân"),
}
