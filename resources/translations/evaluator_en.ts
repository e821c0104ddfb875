<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="vi">
<context>
    <name>AuditView</name>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="52" />
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="55" />
        <location filename="../../evaluator/ui/audit_view.py" line="73" />
        <source>Thao tác</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="59" />
        <source>Đơn vị, mã tiêu chí, người thực hiện, lý do…</source>
        <translation>Unit, criterion code, author, reason…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="63" />
        <source>Mã tiêu chí</source>
        <translation>Criterion code</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="70" />
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="71" />
        <source>Người thực hiện</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="72" />
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="74" />
        <source>Đơn vị</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="75" />
        <source>Tiêu chí</source>
        <translation>Criterion</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="76" />
        <source>Giai đoạn</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="77" />
        <source>Từ → thành</source>
        <translation>From → to</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="78" />
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="110" />
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="171" />
        <source>%1 sự kiện (mới nhất trước)</source>
        <translation>%1 events (newest first)</translation>
    </message>
</context>
<context>
    <name>CriteriaTree</name>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="116" />
        <source>Mã</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="117" />
        <source>Tiêu chí</source>
        <translation>Criterion</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="118" />
        <source>Tối đa</source>
        <translation>Max</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="119" />
        <source>Tự chấm</source>
        <translation>Self-assessment</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="120" />
        <source>Thẩm định</source>
        <translation>Appraisal</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="121" />
        <source>Điểm</source>
        <translation>Points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="183" />
        <location filename="../../evaluator/ui/workspace_view.py" line="186" />
        <source>KĐG</source>
        <translation>N/A</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="51" />
        <location filename="../../evaluator/ui/detail.py" line="146" />
        <source>Chọn một tiêu chí trong cây để chấm điểm.</source>
        <translation>Select a criterion in the tree to score it.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="66" />
        <location filename="../../evaluator/ui/detail.py" line="89" />
        <source>Giai đoạn</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="67" />
        <location filename="../../evaluator/ui/detail.py" line="101" />
        <source>Điểm</source>
        <translation>Points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="68" />
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="69" />
        <source>Người nhập</source>
        <translation>Entered by</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="70" />
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="87" />
        <source>Chấm điểm</source>
        <translation>Scoring</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="96" />
        <source>Giá trị</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="103" />
        <source>Không đánh giá (không phát sinh)</source>
        <translation>Not applicable (did not arise)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="106" />
        <source>Ghi chú / lý do</source>
        <translation>Note / reason</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="108" />
        <source>Bắt buộc khi điểm thẩm định khác điểm tự chấm</source>
        <translation>Required when the appraised score differs from the self score</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="112" />
        <source>Ghi điểm (Enter)</source>
        <translation>Save score (Enter)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="115" />
        <source>Xoá giá trị giai đoạn</source>
        <translation>Clear this stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="128" />
        <source>Tài liệu kiểm chứng</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="154" />
        <source>tối đa</source>
        <translation>max</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="158" />
        <source>Bắt buộc có TLKC</source>
        <translation>Evidence required</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="159" />
        <source>Điểm điều tra XHH</source>
        <translation>Survey points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="162" />
        <source>Cách chấm: </source>
        <translation>Rule: </translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="175" />
        <source>khoá</source>
        <translation>locked</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="208" />
        <source>KĐG</source>
        <translation>N/A</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="247" />
        <source>Giai đoạn đã khoá</source>
        <translation>Stage locked</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="249" />
        <source>Vai trò của bạn không sửa được giai đoạn này</source>
        <translation>Your role cannot edit this stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="262" />
        <source>không đánh giá</source>
        <translation>not applicable</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="268" />
        <source>Cần lý do</source>
        <translation>Reason required</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="268" />
        <source>Điểm thẩm định khác điểm tự chấm. Lý do điều chỉnh:</source>
        <translation>The appraised score differs from the self score. Reason:</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="285" />
        <source>Chưa chọn giá trị.</source>
        <translation>No value chosen.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="306" />
        <source>Điểm thẩm định khác điểm tự chấm: cần nhập lý do.</source>
        <translation>The appraised score differs from the self score: a reason is required.</translation>
    </message>
</context>
<context>
    <name>EvidencePanel</name>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="189" />
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="189" />
        <source>Dung lượng</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="189" />
        <location filename="../../evaluator/ui/evidence_view.py" line="317" />
        <source>Trích dẫn</source>
        <translation>Reference</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="203" />
        <source>Đính kèm…</source>
        <translation>Attach…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="205" />
        <source>Mở bằng ứng dụng</source>
        <translation>Open with application</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="207" />
        <source>Trích dẫn…</source>
        <translation>Reference…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="208" />
        <source>Trang, mục, điều khoản trong tài liệu</source>
        <translation>Page, section or article in the document</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="210" />
        <source>Gỡ</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="212" />
        <source>hoặc kéo thả tệp vào đây</source>
        <translation>or drop files here</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="274" />
        <source>Chọn tài liệu kiểm chứng</source>
        <translation>Choose evidence files</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="297" />
        <source>Đã có, không lưu lại: %1</source>
        <translation>Already attached, not stored again: %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="317" />
        <source>Trang, mục hoặc điều trong tài liệu:</source>
        <translation>Page, section or article in the document:</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="335" />
        <source>Gỡ tài liệu</source>
        <translation>Remove evidence</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="335" />
        <source>Lý do gỡ %1:</source>
        <translation>Reason for removing %1:</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="51" />
        <location filename="../../evaluator/ui/main_window.py" line="220" />
        <source>Thẩm định Chỉ số CCHC</source>
        <translation>PAR Index appraisal</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="58" />
        <location filename="../../evaluator/ui/main_window.py" line="102" />
        <source>Thẩm định</source>
        <translation>Appraisal</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="59" />
        <location filename="../../evaluator/ui/main_window.py" line="102" />
        <source>Kết quả</source>
        <translation>Results</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="60" />
        <location filename="../../evaluator/ui/main_window.py" line="102" />
        <source>Nhật ký</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="75" />
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="91" />
        <source>&amp;Tệp</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="92" />
        <source>Trang bắt đầu</source>
        <translation>Start page</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="93" />
        <source>Mở dự án…</source>
        <translation>Open project…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="94" />
        <source>Tạo dự án mới…</source>
        <translation>New project…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="95" />
        <source>Mở dự án mẫu</source>
        <translation>Open the demo project</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="97" />
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="98" />
        <source>&amp;Sửa</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="99" />
        <source>Hoàn tác</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="100" />
        <source>Làm lại</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="101" />
        <source>&amp;Xem</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="104" />
        <source>&amp;Cài đặt</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="105" />
        <source>Người sử dụng và ngôn ngữ…</source>
        <translation>User and language…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="119" />
        <source>Người dùng: </source>
        <translation>User: </translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="120" />
        <source>chưa đặt người sử dụng</source>
        <translation>no user set</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="135" />
        <source>Ngôn ngữ</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="135" />
        <source>Ngôn ngữ mới có hiệu lực khi mở lại ứng dụng.</source>
        <translation>The new language applies when the application is reopened.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="150" />
        <source>Không thực hiện được</source>
        <translation>Could not do it</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="167" />
        <source>Mở dự án</source>
        <translation>Open project</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="167" />
        <source>Dự án (*.db);;* (*)</source>
        <translation>Projects (*.db);;* (*)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="173" />
        <source>Tạo dự án mới</source>
        <translation>New project</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="173" />
        <source>Dự án (*.db)</source>
        <translation>Projects (*.db)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="177" />
        <source>Năm đánh giá</source>
        <translation>Appraisal year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="177" />
        <source>Năm:</source>
        <translation>Year:</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="195" />
        <source>Đang mở dự án…</source>
        <translation>Opening the project…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="229" />
        <source>Đã huỷ.</source>
        <translation>Cancelled.</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="154" />
        <source>đang hiển thị…</source>
        <translation>rendering…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="117" />
        <source>%1 trang đầu</source>
        <translation>first %1 page(s)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="124" />
        <source>Không hiển thị được PDF trên máy này: mở bằng ứng dụng của hệ thống.</source>
        <translation>This machine cannot render PDFs: open the file with the system viewer.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="164" />
        <source>Không xem trước được loại tệp này: mở bằng ứng dụng của hệ thống.</source>
        <translation>No preview for this kind of file: open it with the system viewer.</translation>
    </message>
</context>
<context>
    <name>RankingModel</name>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="70" />
        <source>Hạng</source>
        <translation>Rank</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="71" />
        <source>±</source>
        <translation>±</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="72" />
        <source>Mã</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="73" />
        <source>Đơn vị</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="74" />
        <source>Điểm</source>
        <translation>Points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="75" />
        <source>Chỉ số %</source>
        <translation>Index %</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="76" />
        <source>Xếp loại</source>
        <translation>Class</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="144" />
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="148" />
        <source>Loại đơn vị</source>
        <translation>Unit kind</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="154" />
        <source>Lọc theo mã, tên đơn vị, xếp loại</source>
        <translation>Filter by code, unit name, class</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="157" />
        <source>Xuất Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="159" />
        <source>Xuất CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="167" />
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="207" />
        <location filename="../../evaluator/ui/results_view.py" line="231" />
        <source>Xếp loại</source>
        <translation>Class</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="207" />
        <source>Số đơn vị</source>
        <translation>Units</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="207" />
        <source>Tỷ lệ %</source>
        <translation>Share %</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="211" />
        <source>Lĩnh vực</source>
        <translation>Area</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="211" />
        <source>Đơn vị chọn %</source>
        <translation>Selected unit %</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="211" />
        <source>Trung bình %</source>
        <translation>Mean %</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="230" />
        <source>Chỉ số theo đơn vị</source>
        <translation>Index per unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="232" />
        <source>Chỉ số thành phần</source>
        <translation>Component indices</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="233" />
        <source>Qua các năm</source>
        <translation>Year over year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="299" />
        <source>Đang tính kết quả…</source>
        <translation>Computing results…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="322" />
        <source>Đã huỷ.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="370" />
        <source>%1 đơn vị, chỉ số trung bình</source>
        <translation>%1 units, mean index</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="415" />
        <source>Chỉ số CCHC theo đơn vị (màu theo xếp loại)</source>
        <translation>PAR Index per unit (coloured by class)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="463" />
        <source>Tỷ lệ đơn vị theo xếp loại</source>
        <translation>Share of units by class</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="475" />
        <source>Chỉ số thành phần theo lĩnh vực</source>
        <translation>Component indices by area</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="477" />
        <source>Trung bình</source>
        <translation>Mean</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="499" />
        <source>Chỉ số qua các năm</source>
        <translation>Index by year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="501" />
        <source>Trung bình: %1</source>
        <translation>Mean: %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="536" />
        <source>Xuất bảng xếp hạng</source>
        <translation>Export the ranking</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="554" />
        <source>Đã xuất %1</source>
        <translation>Exported %1</translation>
    </message>
</context>
<context>
    <name>RuleInput</name>
    <message>
        <location filename="../../evaluator/ui/inputs.py" line="50" />
        <source>Đã thực hiện</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/inputs.py" line="68" />
        <source>Số đạt (tử số)</source>
        <translation>Achieved (numerator)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/inputs.py" line="69" />
        <source>Tổng số (mẫu số)</source>
        <translation>Total (denominator)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/inputs.py" line="79" />
        <source> trường hợp</source>
        <translation> cases</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/inputs.py" line="79" />
        <source> kết quả</source>
        <translation> results</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/inputs.py" line="91" />
        <source>điểm (0 – %1)</source>
        <translation>points (0 – %1)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/inputs.py" line="99" />
        <source>giá trị</source>
        <translation>value</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/inputs.py" line="162" />
        <source>không đánh giá</source>
        <translation>not applicable</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/inputs.py" line="164" />
        <source>điểm tính theo các đơn vị cùng loại</source>
        <translation>points computed among units of the same kind</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/inputs.py" line="165" />
        <source>%1 điểm</source>
        <translation>%1 points</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <location filename="../../evaluator/ui/start_page.py" line="35" />
        <source>Thẩm định Chỉ số cải cách hành chính</source>
        <translation>Administrative reform (PAR) Index appraisal</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/start_page.py" line="40" />
        <source>Chỉ số CCHC (PAR Index) · tự đánh giá, thẩm định, giải trình, kết quả — làm việc không cần mạng</source>
        <translation>PAR Index · self-assessment, appraisal, explanation, results — works offline</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/start_page.py" line="50" />
        <source>Tạo dự án mới…</source>
        <translation>New project…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/start_page.py" line="51" />
        <source>Mở dự án…</source>
        <translation>Open project…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/start_page.py" line="52" />
        <source>Mở dự án mẫu</source>
        <translation>Open the demo project</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/start_page.py" line="61" />
        <source>Dự án gần đây</source>
        <translation>Recent projects</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/start_page.py" line="76" />
        <source>không tìm thấy</source>
        <translation>not found</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/start_page.py" line="83" />
        <source>(chưa có)</source>
        <translation>(none yet)</translation>
    </message>
</context>
<context>
    <name>UnitList</name>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="63" />
        <source>Mã</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="63" />
        <source>Đơn vị</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="63" />
        <source>Tiến độ</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="63" />
        <source>TT</source>
        <translation>St.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="72" />
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="92" />
        <source>Tiêu chí đã chấm ở giai đoạn %1</source>
        <translation>Criteria scored at stage %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="97" />
        <source>Đã khoá: %1</source>
        <translation>Locked: %1</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../../evaluator/ui/dialogs.py" line="25" />
        <source>Người sử dụng</source>
        <translation>User</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/dialogs.py" line="27" />
        <source>Vai trò quyết định giai đoạn chấm điểm nào bạn được sửa.</source>
        <translation>Your role decides which scoring stages you can edit.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/dialogs.py" line="29" />
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/dialogs.py" line="35" />
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/dialogs.py" line="40" />
        <source>Ngôn ngữ (khởi động lại để áp dụng)</source>
        <translation>Language (applies after a restart)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/dialogs.py" line="53" />
        <source>Nhập họ và tên.</source>
        <translation>Enter your full name.</translation>
    </message>
</context>
<context>
    <name>WorkspaceView</name>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="208" />
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="212" />
        <source>Loại đơn vị</source>
        <translation>Unit kind</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="218" />
        <source>Tìm mã hoặc tên tiêu chí (Ctrl+F)</source>
        <translation>Find a criterion code or title (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="224" />
        <source>Khoá giai đoạn</source>
        <translation>Lock stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="232" />
        <location filename="../../evaluator/ui/workspace_view.py" line="357" />
        <source>Chọn một đơn vị</source>
        <translation>Select a unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="248" />
        <source>Lĩnh vực</source>
        <translation>Area</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="248" />
        <source>Điểm</source>
        <translation>Points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="248" />
        <source>Tối đa</source>
        <translation>Max</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="248" />
        <source>Chỉ số %</source>
        <translation>Index %</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="298" />
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="366" />
        <source>Chỉ số</source>
        <translation>Index</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="369" />
        <source>%1 / %2 điểm</source>
        <translation>%1 / %2 points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="371" />
        <source>Đã khoá: </source>
        <translation>Locked: </translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="377" />
        <source>Điểm thưởng</source>
        <translation>Bonus points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="377" />
        <source>Điểm trừ</source>
        <translation>Penalty points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="388" />
        <source>Tổng cộng</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="457" />
        <source>Đến tiêu chí</source>
        <translation>Go to criterion</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="457" />
        <source>Mã tiêu chí:</source>
        <translation>Criterion code:</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="510" />
        <source>Mở khoá: %1</source>
        <translation>Unlock: %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="513" />
        <source>Khoá: %1</source>
        <translation>Lock: %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="529" />
        <source>Mở khoá giai đoạn</source>
        <translation>Unlock stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="529" />
        <source>Lý do mở khoá:</source>
        <translation>Reason for unlocking:</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="537" />
        <source>Không mở khoá được</source>
        <translation>Cannot unlock</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="34" />
        <source>KĐG</source>
        <translation>N/A</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="14" />
        <source>Tự chấm</source>
        <translation>Self-assessment</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="15" />
        <location filename="../../evaluator/ui/labels.py" line="44" />
        <source>Thẩm định vòng 1</source>
        <translation>Appraisal round 1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="16" />
        <location filename="../../evaluator/ui/labels.py" line="45" />
        <source>Giải trình</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="17" />
        <location filename="../../evaluator/ui/labels.py" line="46" />
        <source>Thẩm định vòng 2</source>
        <translation>Appraisal round 2</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="18" />
        <source>Điều tra XHH</source>
        <translation>Survey</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="24" />
        <source>Cán bộ tự đánh giá</source>
        <translation>Unit self-assessor</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="25" />
        <source>Thành viên tổ thẩm định</source>
        <translation>Appraisal team member</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="26" />
        <source>Tổ trưởng tổ thẩm định</source>
        <translation>Appraisal team leader</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="27" />
        <source>Thư ký hội đồng</source>
        <translation>Council secretary</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="28" />
        <source>Hội đồng thẩm định</source>
        <translation>Appraisal council (committee)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="34" />
        <source>Sở, ban, ngành</source>
        <translation>Departments</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="35" />
        <source>UBND cấp huyện</source>
        <translation>District People's Committees</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="36" />
        <source>UBND cấp xã</source>
        <translation>Commune People's Committees</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="42" />
        <source>Đang tự đánh giá</source>
        <translation>Self-assessment in progress</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="43" />
        <source>Đã nộp</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="47" />
        <source>Đã phê duyệt</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="54" />
        <source>TĐG</source>
        <translation>Self</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="55" />
        <source>Nộp</source>
        <translation>Sub.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="56" />
        <source>TĐ1</source>
        <translation>Ap1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="57" />
        <source>GT</source>
        <translation>Expl.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="58" />
        <source>TĐ2</source>
        <translation>Ap2</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="59" />
        <source>Duyệt</source>
        <translation>Appr.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="65" />
        <source>Chưa chấm</source>
        <translation>Not scored</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="66" />
        <source>Đã chấm</source>
        <translation>Scored</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="67" />
        <source>Thẩm định thay đổi</source>
        <translation>Changed by appraisal</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="68" />
        <source>Thiếu TLKC</source>
        <translation>Missing evidence</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="69" />
        <source>Không đánh giá</source>
        <translation>Not applicable</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="85" />
        <source>Ghi điểm</source>
        <translation>Score set</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="86" />
        <source>Xoá điểm</source>
        <translation>Score cleared</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="87" />
        <source>Thêm TLKC</source>
        <translation>Evidence added</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="88" />
        <source>Gỡ TLKC</source>
        <translation>Evidence removed</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="89" />
        <source>Sửa trích dẫn TLKC</source>
        <translation>Evidence reference changed</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="90" />
        <source>Khoá giai đoạn</source>
        <translation>Lock stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="91" />
        <source>Mở khoá giai đoạn</source>
        <translation>Unlock stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="92" />
        <source>Nhập tệp tổng hợp</source>
        <translation>Consolidated import</translation>
    </message>
</context>
</TS>