<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="vi">
<context>
    <name />
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="62" />
        <source>Không đánh giá</source>
        <translation>Not applicable</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../evaluator/ui/about.py" line="117" />
        <source>Giới thiệu evaluator</source>
        <translation>About evaluator</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="129" />
        <source>Thẩm định Chỉ số cải cách hành chính (Chỉ số CCHC / PAR Index) của tỉnh.</source>
        <translation>A province's administrative-reform (PAR Index) appraisal.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="131" />
        <source>Python {0}, Qt {1}, {2}</source>
        <translation>Python {0}, Qt {1}, {2}</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="134" />
        <source>Bản đóng gói (không cần cài Python)</source>
        <translation>Bundled build (no Python needed)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="142" />
        <source>Thư viện</source>
        <translation>Library</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="143" />
        <source>Phông chữ</source>
        <translation>Fonts</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="144" />
        <source>Thư mục</source>
        <translation>Folder</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="155" />
        <source>Thành phần</source>
        <translation>Component</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="155" />
        <source>Phiên bản</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="155" />
        <source>Giấy phép</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="155" />
        <source>Dùng cho</source>
        <translation>Used for</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="172" />
        <source>Phông chữ kèm theo: </source>
        <translation>Bundled fonts: </translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="198" />
        <source>Dự án</source>
        <translation>Projects</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="199" />
        <source>Cài đặt</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="200" />
        <source>Nhật ký chương trình (gửi kèm khi cần hỗ trợ)</source>
        <translation>Program log (attach it to a support request)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="201" />
        <source>Bản sao lưu</source>
        <translation>Backups</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="202" />
        <source>Bộ nhớ đệm (dự án mẫu)</source>
        <translation>Cache (demo project)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/about.py" line="211" />
        <source>Mở</source>
        <translation>Open</translation>
    </message>
</context>
<context>
    <name>AppContext</name>
    <message>
        <location filename="../../evaluator/ui/context.py" line="88" />
        <source>Đang %1: thay đổi này chưa được lưu. Hãy thử lại khi xong.</source>
        <translation>Busy %1: this change was not saved. Try again when it has finished.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/context.py" line="94" />
        <source>Dự án đang được một chương trình khác ghi: thay đổi này chưa được lưu. Hãy thử lại sau.</source>
        <translation>Another program is writing to the project: this change was not saved. Try again later.</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="59" />
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="62" />
        <location filename="../../evaluator/ui/audit_view.py" line="80" />
        <source>Thao tác</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="66" />
        <source>Đơn vị, mã tiêu chí, người thực hiện, lý do…</source>
        <translation>Unit, criterion code, author, reason…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="70" />
        <source>Mã tiêu chí</source>
        <translation>Criterion code</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="77" />
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="78" />
        <source>Người thực hiện</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="79" />
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="81" />
        <source>Đơn vị</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="82" />
        <source>Tiêu chí</source>
        <translation>Criterion</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="83" />
        <source>Giai đoạn</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="84" />
        <source>Từ → thành</source>
        <translation>From → to</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="85" />
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="125" />
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="198" />
        <source>%1 / %2 sự kiện (mới nhất trước)</source>
        <translation>%1 of %2 events (newest first)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="201" />
        <source>Xem thêm %1 sự kiện cũ hơn</source>
        <translation>Show %1 older events</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="204" />
        <source>%1 sự kiện (mới nhất trước)</source>
        <translation>%1 events (newest first)</translation>
    </message>
</context>
<context>
    <name>ConflictView</name>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="81" />
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="85" />
        <source>Cả xung đột đã giải quyết</source>
        <translation>Include resolved conflicts</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="96" />
        <source>Đơn vị</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="97" />
        <source>Tiêu chí</source>
        <translation>Criterion</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="98" />
        <source>Giai đoạn</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="99" />
        <source>Giá trị</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="100" />
        <location filename="../../evaluator/ui/conflict_view.py" line="319" />
        <source>Người nhập</source>
        <translation>Entered by</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="101" />
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="118" />
        <source>Chọn một xung đột trong danh sách.</source>
        <translation>Select a conflict in the list.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="129" />
        <source>Tài liệu kiểm chứng của tiêu chí</source>
        <translation>Evidence of the criterion</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="132" />
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="132" />
        <source>Dung lượng</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="132" />
        <source>Người thêm</source>
        <translation>Added by</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="132" />
        <location filename="../../evaluator/ui/conflict_view.py" line="321" />
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="147" />
        <source>Hội đồng quyết định điểm:</source>
        <translation>Committee decides the points:</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="149" />
        <source>ví dụ 0,75</source>
        <translation>e.g. 0.75</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="154" />
        <source>Lý do (bắt buộc, ghi vào nhật ký):</source>
        <translation>Reason (required, kept in the audit log):</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="158" />
        <source>Giải quyết xung đột</source>
        <translation>Resolve conflict</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="180" />
        <source>Mọi năm</source>
        <translation>All years</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="224" />
        <source>Chưa giải quyết</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="224" />
        <source>Đã giải quyết</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="234" />
        <source>%1 xung đột chưa giải quyết</source>
        <translation>%1 unresolved conflict(s)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="272" />
        <source>Không có xung đột nào.</source>
        <translation>No conflicts.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="279" />
        <source>tối đa %1</source>
        <translation>max %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="285" />
        <source>Đơn vị tự chấm: </source>
        <translation>Unit's self score: </translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="291" />
        <source>chưa chấm</source>
        <translation>not scored</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="295" />
        <source>Giá trị chung trước khi tách: %1</source>
        <translation>Shared value before the sides split: %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="297" />
        <source>Hai bên không có giá trị chung trước đó.</source>
        <translation>The two sides shared no earlier value.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="303" />
        <source>Giá trị %1</source>
        <translation>Value %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="311" />
        <source>Giữ giá trị %1</source>
        <translation>Keep value %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="317" />
        <source>Điểm</source>
        <translation>Points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="318" />
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="320" />
        <source>Máy</source>
        <translation>Device</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="322" />
        <source>Mã giá trị</source>
        <translation>Value id</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="342" />
        <source>Đã giải quyết bởi %1 lúc %2: %3</source>
        <translation>Resolved by %1 at %2: %3</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="363" />
        <source>Chọn giá trị cần giữ, hoặc nhập điểm do hội đồng quyết định.</source>
        <translation>Choose the value to keep, or enter the points the committee decides.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="368" />
        <source>Điểm không hợp lệ.</source>
        <translation>Invalid points.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/conflict_view.py" line="371" />
        <source>Nhập lý do của quyết định: lý do được ghi vào nhật ký.</source>
        <translation>Enter the reason for the decision: it is kept in the audit log.</translation>
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
        <location filename="../../evaluator/ui/detail.py" line="55" />
        <location filename="../../evaluator/ui/detail.py" line="152" />
        <source>Chọn một tiêu chí trong cây để chấm điểm.</source>
        <translation>Select a criterion in the tree to score it.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="70" />
        <location filename="../../evaluator/ui/detail.py" line="93" />
        <source>Giai đoạn</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="71" />
        <location filename="../../evaluator/ui/detail.py" line="105" />
        <source>Điểm</source>
        <translation>Points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="72" />
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="73" />
        <source>Người nhập</source>
        <translation>Entered by</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="74" />
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="91" />
        <source>Chấm điểm</source>
        <translation>Scoring</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="100" />
        <source>Giá trị</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="107" />
        <source>Không đánh giá (không phát sinh)</source>
        <translation>Not applicable (did not arise)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="111" />
        <source>Ghi chú / lý do</source>
        <translation>Note / reason</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="113" />
        <source>Bắt buộc khi điểm thẩm định khác điểm tự chấm</source>
        <translation>Required when the appraised score differs from the self score</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="118" />
        <source>Ghi điểm (Enter)</source>
        <translation>Save score (Enter)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="121" />
        <source>Xoá giá trị giai đoạn</source>
        <translation>Clear this stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="134" />
        <source>Tài liệu kiểm chứng</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="160" />
        <source>tối đa</source>
        <translation>max</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="164" />
        <source>Bắt buộc có TLKC</source>
        <translation>Evidence required</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="165" />
        <source>Điểm điều tra XHH</source>
        <translation>Survey points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="168" />
        <source>Cách chấm: </source>
        <translation>Rule: </translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="182" />
        <source>khoá</source>
        <translation>locked</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="215" />
        <source>Giai đoạn này vừa được ghi giá trị mới (đang hiện); giá trị bạn đang nhập chưa lưu đã được thay.</source>
        <translation>A new value was just recorded at this stage (shown); the unsaved value you were entering was replaced.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="219" />
        <source>Giá trị đang nhập chưa được lưu.</source>
        <translation>The value being entered is not saved yet.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="230" />
        <source>KĐG</source>
        <translation>N/A</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="289" />
        <source>Giai đoạn đã khoá</source>
        <translation>Stage locked</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="291" />
        <source>Vai trò của bạn không sửa được giai đoạn này</source>
        <translation>Your role cannot edit this stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="305" />
        <source>không đánh giá</source>
        <translation>not applicable</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="311" />
        <source>Cần lý do</source>
        <translation>Reason required</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="311" />
        <source>Điểm thẩm định khác điểm tự chấm. Lý do điều chỉnh:</source>
        <translation>The appraised score differs from the self score. Reason:</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="328" />
        <source>Chưa chọn giá trị.</source>
        <translation>No value chosen.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/detail.py" line="351" />
        <source>Điểm thẩm định khác điểm tự chấm: cần nhập lý do.</source>
        <translation>The appraised score differs from the self score: a reason is required.</translation>
    </message>
</context>
<context>
    <name>EvidencePanel</name>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="197" />
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="197" />
        <source>Dung lượng</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="197" />
        <location filename="../../evaluator/ui/evidence_view.py" line="325" />
        <source>Trích dẫn</source>
        <translation>Reference</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="211" />
        <source>Đính kèm…</source>
        <translation>Attach…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="213" />
        <source>Mở bằng ứng dụng</source>
        <translation>Open with application</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="215" />
        <source>Trích dẫn…</source>
        <translation>Reference…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="216" />
        <source>Trang, mục, điều khoản trong tài liệu</source>
        <translation>Page, section or article in the document</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="218" />
        <source>Gỡ</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="220" />
        <source>hoặc kéo thả tệp vào đây</source>
        <translation>or drop files here</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="282" />
        <source>Chọn tài liệu kiểm chứng</source>
        <translation>Choose evidence files</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="305" />
        <source>Đã có, không lưu lại: %1</source>
        <translation>Already attached, not stored again: %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="325" />
        <source>Trang, mục hoặc điều trong tài liệu:</source>
        <translation>Page, section or article in the document:</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="347" />
        <source>Gỡ tài liệu</source>
        <translation>Remove evidence</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="347" />
        <source>Lý do gỡ %1:</source>
        <translation>Reason for removing %1:</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="527" />
        <source>Xuất gói dữ liệu cho hội đồng</source>
        <translation>Export a team package for the committee</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="539" />
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="541" />
        <source>Mọi đơn vị</source>
        <translation>All units</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="556" />
        <source>Đơn vị</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="559" />
        <source>Người lập gói</source>
        <translation>Made by</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="565" />
        <source>Chọn…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="568" />
        <source>Lưu vào</source>
        <translation>Save to</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="569" />
        <source>Ký số gói dữ liệu</source>
        <translation>Sign the package</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="584" />
        <source>Xuất gói</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="587" />
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="604" />
        <source>Lưu gói dữ liệu</source>
        <translation>Save the team package</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="628" />
        <source>Chọn ít nhất một năm.</source>
        <translation>Choose at least one year.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="631" />
        <source>Chọn ít nhất một đơn vị.</source>
        <translation>Choose at least one unit.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="650" />
        <source>Đang xuất…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="669" />
        <source>Không xuất được: %1</source>
        <translation>Export failed: %1</translation>
    </message>
</context>
<context>
    <name>ImportCentre</name>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="70" />
        <source>Trung tâm nhập dữ liệu</source>
        <translation>Import centre</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="106" />
        <source>Thêm gói…</source>
        <translation>Add packages…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="108" />
        <source>Bỏ khỏi danh sách</source>
        <translation>Remove from the list</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="196" />
        <source>Gói dữ liệu của các tổ thẩm định (.cchc) hoặc bảng tổng hợp Excel (.xlsx)</source>
        <translation>Team packages (.cchc) or consolidated workbooks (.xlsx)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="120" />
        <source>để trống: chữ ký được kiểm tra nhưng không đối chiếu danh sách tin cậy</source>
        <translation>empty: signatures are checked but not against trusted certificates</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="78" />
        <source>Gói của tổ thẩm định / bảng tổng hợp Excel</source>
        <translation>Team packages / consolidated Excel workbooks</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="79" />
        <source>Phiếu khảo sát (điều tra XHH)</source>
        <translation>Survey answers (sociological survey)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="80" />
        <source>Chỉ số bên ngoài (SIPAS, 766, DDCI)</source>
        <translation>External indices (SIPAS, 766, DDCI)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="85" />
        <source>Nhập gì</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="90" />
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="96" />
        <source>Tiêu chí lấy từ điều tra XHH luôn ghi vào giai đoạn điều tra XHH</source>
        <translation>Leaves that come from the survey always take the survey stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="97" />
        <source>Giai đoạn (tiêu chí do thẩm định chấm)</source>
        <translation>Stage (for leaves scored by appraisal)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="122" />
        <source>Chứng thư CA tin cậy</source>
        <translation>Trusted CA certificates</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="126" />
        <source>Gộp các đơn vị trùng mã vào đơn vị đã có</source>
        <translation>Merge units with the same code into the existing unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="129" />
        <source>Đơn vị cùng mã nhưng được tạo trên máy khác: nhập dữ liệu của nó vào đơn vị đã có (điểm khác nhau thành xung đột) và ghi nhớ cho các gói sau của máy đó</source>
        <translation>A unit with the same code created on another computer: import its records into the existing unit (differing scores become conflicts) and remember it for that computer's later packages</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="138" />
        <source>Xem trước</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="140" />
        <source>Nhập vào dự án</source>
        <translation>Import into the project</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="147" />
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="159" />
        <source>Nội dung</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="159" />
        <source>Số lượng</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="170" />
        <source>Nhật ký nhập</source>
        <translation>Import log</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="174" />
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="199" />
        <source>Một bảng Excel (.xlsx), trang «answers»: người trả lời, nhóm, đơn vị, câu hỏi, đáp án</source>
        <translation>One Excel workbook (.xlsx), sheet «answers»: respondent, group, unit, question, answer</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="201" />
        <source>Một bảng Excel (.xlsx) có trang «indices»: đơn vị, chỉ số, giá trị</source>
        <translation>One Excel workbook (.xlsx) with a sheet «indices»: unit, indicator, value</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="247" />
        <source>Chọn gói dữ liệu</source>
        <translation>Choose team packages</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="268" />
        <source>Danh sách gói đã thay đổi: xem trước lại.</source>
        <translation>The list of packages changed: preview again.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="275" />
        <source>Mở dự án của hội đồng trước.</source>
        <translation>Open the committee's project first.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="281" />
        <source>Chọn ít nhất một gói dữ liệu.</source>
        <translation>Choose at least one team package.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="316" />
        <source>Đang đọc và kiểm tra các gói…</source>
        <translation>Reading and checking the packages…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="316" />
        <source>Đang nhập…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="318" />
        <source>nhập dữ liệu vào dự án</source>
        <translation>importing data into the project</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="331" />
        <source>Đang đọc và kiểm tra các tệp…</source>
        <translation>Reading and checking the files…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="332" />
        <source>Đang đối chiếu với dự án…</source>
        <translation>Checking against the project…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="333" />
        <source>Đang ghi vào dự án…</source>
        <translation>Writing into the project…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="343" />
        <source>Đang huỷ…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="360" />
        <source>Đã huỷ: không ghi gì, dự án giữ nguyên.</source>
        <translation>Cancelled: nothing was written, the project is as it was.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="364" />
        <source>Không nhập được, dự án giữ nguyên: xem nhật ký bên dưới.</source>
        <translation>Import refused, the project is unchanged: see the log below.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="384" />
        <source>Xem trước — chưa ghi gì. Bấm «Nhập vào dự án» để nhập.</source>
        <translation>Preview — nothing written yet. Press «Import into the project» to import.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="386" />
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="397" />
        <source>Không có gì mới: dự án đã có mọi dữ liệu trong các gói.</source>
        <translation>Nothing new: the project already has everything in these packages.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="395" />
        <source>Đã nhập. Bản sao lưu: %1</source>
        <translation>Imported. Backup: %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="409" />
        <source>Đơn vị mới</source>
        <translation>New units</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="410" />
        <source>Đơn vị có thể trùng (không nhập)</source>
        <translation>Probable duplicate units (not imported)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="411" />
        <source>Đơn vị trùng mã được gộp</source>
        <translation>Units with the same code merged</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="412" />
        <source>Kỳ đánh giá mới</source>
        <translation>New assessments</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="413" />
        <source>Điểm mới</source>
        <translation>New scores</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="414" />
        <source>Điểm cập nhật</source>
        <translation>Scores updated</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="415" />
        <source>Điểm giống nhau</source>
        <translation>Scores identical</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="416" />
        <source>Điểm xung đột</source>
        <translation>Conflicting scores</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="417" />
        <source>Xung đột được giải quyết theo gói</source>
        <translation>Conflicts resolved by the packages</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="418" />
        <source>Phiên bản điểm mới</source>
        <translation>New score revisions</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="419" />
        <source>TLKC mới</source>
        <translation>New evidence</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="420" />
        <source>TLKC đã có</source>
        <translation>Evidence already present</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="421" />
        <source>Sự kiện nhật ký mới</source>
        <translation>New audit events</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="442" />
        <source>ký bởi %1</source>
        <translation>signed by %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="442" />
        <source>không ký</source>
        <translation>not signed</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="443" />
        <source>Gói %1: %2</source>
        <translation>Package %1: %2</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="445" />
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="453" />
        <source>Xung đột</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="446" />
        <source>Có thể trùng</source>
        <translation>Probable duplicate</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="447" />
        <source>Gộp đơn vị</source>
        <translation>Merged unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="448" />
        <source>Thay đổi</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="449" />
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="473" />
        <source>Cảnh báo</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="461" />
        <source>Câu trả lời</source>
        <translation>Answers</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="461" />
        <source>Câu bỏ trống</source>
        <translation>Blank answers</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="462" />
        <source>Tiêu chí điều tra</source>
        <translation>Survey leaves</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="464" />
        <source>Giá trị chỉ số</source>
        <translation>Index values</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="466" />
        <source>%1 mới</source>
        <translation>%1: new</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="467" />
        <source>%1 cập nhật</source>
        <translation>%1: updated</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="468" />
        <source>%1 giống nhau</source>
        <translation>%1: identical</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="471" />
        <source>Tiêu chí không có câu trả lời</source>
        <translation>Survey leaves without answers</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="479" />
        <source>mới</source>
        <translation>new</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="480" />
        <source>cập nhật</source>
        <translation>updated</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="481" />
        <source>giống nhau</source>
        <translation>identical</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="482" />
        <source>không có câu trả lời</source>
        <translation>no answers</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="489" />
        <source>%1 %2: %3 điểm — người trả lời: %4 [%5]</source>
        <translation>%1 %2: %3 points — respondents: %4 [%5]</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="500" />
        <source>tính cùng các đơn vị khác</source>
        <translation>computed with the other units</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/exchange_dialogs.py" line="502" />
        <source>%1 điểm</source>
        <translation>%1 points</translation>
    </message>
</context>
<context>
    <name>KeyPanel</name>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="77" />
        <source>Chọn tệp chứng thư số (.p12/.pfx).</source>
        <translation>Choose the certificate file (.p12/.pfx).</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="79" />
        <source>Không tìm thấy tệp %1.</source>
        <translation>File %1 not found.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="84" />
        <source>Chọn thư viện PKCS#11 của token (.so/.dll).</source>
        <translation>Choose the token's PKCS#11 library (.so/.dll).</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="86" />
        <source>Nhập nhãn token.</source>
        <translation>Enter the token label.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="133" />
        <source>Chữ ký số</source>
        <translation>Digital signature</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="136" />
        <source>Tệp chứng thư số (PKCS#12: .p12, .pfx)</source>
        <translation>Certificate file (PKCS#12: .p12, .pfx)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="137" />
        <source>Token USB (PKCS#11)</source>
        <translation>USB token (PKCS#11)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="138" />
        <source>Khoá ký</source>
        <translation>Signing key</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="144" />
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="147" />
        <location filename="../../evaluator/ui/reports_dialogs.py" line="161" />
        <source>Chọn…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="149" />
        <source>Chọn tệp chứng thư số</source>
        <translation>Choose the certificate file</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="149" />
        <source>PKCS#12 (*.p12 *.pfx);;* (*)</source>
        <translation>PKCS#12 (*.p12 *.pfx);;* (*)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="158" />
        <source>Thư viện</source>
        <translation>Library</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="164" />
        <source>Thư viện PKCS#11 của token</source>
        <translation>The token's PKCS#11 library</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="166" />
        <source>Thư viện (*.so *.dll *.dylib);;* (*)</source>
        <translation>Libraries (*.so *.dll *.dylib);;* (*)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="171" />
        <source>ví dụ: VNPT-CA</source>
        <translation>e.g. VNPT-CA</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="172" />
        <source>Nhãn token</source>
        <translation>Token label</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="174" />
        <source>để trống nếu token chỉ có một khoá</source>
        <translation>leave empty if the token holds one key</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="175" />
        <source>Nhãn khoá</source>
        <translation>Key label</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="182" />
        <location filename="../../evaluator/ui/reports_dialogs.py" line="190" />
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="190" />
        <source>Mã PIN</source>
        <translation>PIN</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="56" />
        <location filename="../../evaluator/ui/main_window.py" line="329" />
        <source>Thẩm định Chỉ số CCHC</source>
        <translation>PAR Index appraisal</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="64" />
        <location filename="../../evaluator/ui/main_window.py" line="120" />
        <source>Thẩm định</source>
        <translation>Appraisal</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="65" />
        <location filename="../../evaluator/ui/main_window.py" line="120" />
        <source>Kết quả</source>
        <translation>Results</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="66" />
        <location filename="../../evaluator/ui/main_window.py" line="120" />
        <source>Nhật ký</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="67" />
        <location filename="../../evaluator/ui/main_window.py" line="120" />
        <location filename="../../evaluator/ui/main_window.py" line="141" />
        <source>Xung đột</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="91" />
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="109" />
        <source>&amp;Tệp</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="110" />
        <source>Trang bắt đầu</source>
        <translation>Start page</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="111" />
        <source>Mở dự án…</source>
        <translation>Open project…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="112" />
        <source>Tạo dự án mới…</source>
        <translation>New project…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="113" />
        <source>Mở dự án mẫu</source>
        <translation>Open the demo project</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="115" />
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="116" />
        <source>&amp;Sửa</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="117" />
        <source>Hoàn tác</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="118" />
        <source>Làm lại</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="119" />
        <source>&amp;Xem</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="123" />
        <source>&amp;Báo cáo</source>
        <translation>&amp;Reports</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="124" />
        <source>Biên bản thẩm định…</source>
        <translation>Appraisal minutes…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="125" />
        <source>Báo cáo tự đánh giá…</source>
        <translation>Self-assessment report…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="126" />
        <source>Công bố kết quả của năm…</source>
        <translation>Results publication of the year…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="129" />
        <source>Bảng thẩm định (Excel)…</source>
        <translation>Appraisal sheets (Excel)…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="130" />
        <source>Bảng kết quả (Excel)…</source>
        <translation>Results workbook (Excel)…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="134" />
        <source>Thông tin trên văn bản (hội đồng, đơn vị)…</source>
        <translation>Document details (council, units)…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="136" />
        <source>Ký số tệp PDF…</source>
        <translation>Sign a PDF file…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="137" />
        <source>Kiểm tra chữ ký số…</source>
        <translation>Check signatures…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="138" />
        <source>&amp;Trao đổi</source>
        <translation>E&amp;xchange</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="139" />
        <source>Trung tâm nhập dữ liệu…</source>
        <translation>Import centre…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="140" />
        <source>Xuất gói dữ liệu cho hội đồng…</source>
        <translation>Export a team package for the committee…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="142" />
        <source>&amp;Cài đặt</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="143" />
        <source>Người sử dụng và ngôn ngữ…</source>
        <translation>User and language…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="144" />
        <source>&amp;Trợ giúp</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="145" />
        <source>Giới thiệu…</source>
        <translation>About…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="159" />
        <source>Người dùng: </source>
        <translation>User: </translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="160" />
        <source>chưa đặt người sử dụng</source>
        <translation>no user set</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="175" />
        <source>Ngôn ngữ</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="175" />
        <source>Ngôn ngữ mới có hiệu lực khi mở lại ứng dụng.</source>
        <translation>The new language applies when the application is reopened.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="194" />
        <source>Chưa mở dự án</source>
        <translation>No project open</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="194" />
        <source>Mở một dự án trước.</source>
        <translation>Open a project first.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="252" />
        <source>Đang %1 — chưa sửa được dữ liệu</source>
        <translation>Busy %1 — data cannot be edited yet</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="259" />
        <source>Không thực hiện được</source>
        <translation>Could not do it</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="276" />
        <source>Mở dự án</source>
        <translation>Open project</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="276" />
        <source>Dự án (*.db);;* (*)</source>
        <translation>Projects (*.db);;* (*)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="282" />
        <source>Tạo dự án mới</source>
        <translation>New project</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="282" />
        <source>Dự án (*.db)</source>
        <translation>Projects (*.db)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="286" />
        <source>Năm đánh giá</source>
        <translation>Appraisal year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="286" />
        <source>Năm:</source>
        <translation>Year:</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="304" />
        <source>Đang mở dự án…</source>
        <translation>Opening the project…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="341" />
        <source>Đã huỷ.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="349" />
        <source>Đang %1: hãy đợi xong rồi đóng chương trình.</source>
        <translation>Busy %1: wait until it has finished, then close the program.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/main_window.py" line="350" />
        <source>Chưa đóng được</source>
        <translation>Not closed yet</translation>
    </message>
</context>
<context>
    <name>PeopleTable</name>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="68" />
        <source>Xoá dòng</source>
        <translation>Remove row</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="162" />
        <source>đang hiển thị…</source>
        <translation>rendering…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="118" />
        <source>%1 trang đầu</source>
        <translation>first %1 page(s)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="125" />
        <source>Không hiển thị được PDF trên máy này: mở bằng ứng dụng của hệ thống.</source>
        <translation>This machine cannot render PDFs: open the file with the system viewer.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/evidence_view.py" line="172" />
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
    <name>ReportDialog</name>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="247" />
        <source>Tạo báo cáo</source>
        <translation>Produce a document</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="255" />
        <source>Biên bản thẩm định (PDF)</source>
        <translation>Appraisal minutes (PDF)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="256" />
        <source>Báo cáo tự đánh giá (PDF)</source>
        <translation>Self-assessment report (PDF)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="257" />
        <source>Công bố kết quả của năm (PDF)</source>
        <translation>Results publication of the year (PDF)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="258" />
        <source>Bảng thẩm định (Excel)</source>
        <translation>Appraisal sheets (Excel)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="259" />
        <source>Bảng kết quả của năm (Excel)</source>
        <translation>Results of the year (Excel)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="262" />
        <source>Tài liệu</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="268" />
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="276" />
        <source>Chọn tất cả</source>
        <translation>Select all</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="278" />
        <source>Bỏ chọn</source>
        <translation>Select none</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="284" />
        <source>Đơn vị</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="289" />
        <source>Ngày của văn bản</source>
        <translation>Document date</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="291" />
        <source>Chọn…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="292" />
        <location filename="../../evaluator/ui/reports_dialogs.py" line="414" />
        <source>Lưu vào</source>
        <translation>Save to</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="294" />
        <source>Ký số ngay khi tạo</source>
        <translation>Sign right away</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="301" />
        <source>Ô chữ ký</source>
        <translation>Signature field</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="310" />
        <source>Tạo tài liệu</source>
        <translation>Produce</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="313" />
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="316" />
        <source>Ký số tệp này…</source>
        <translation>Sign this file…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="319" />
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="390" />
        <source>Ô trống đầu tiên</source>
        <translation>First empty field</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="411" />
        <source>Thư mục</source>
        <translation>Folder</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="421" />
        <source>Thư mục lưu các tệp</source>
        <translation>Folder for the files</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="423" />
        <source>Lưu tài liệu</source>
        <translation>Save the document</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="438" />
        <source>Dự án chưa có năm đánh giá nào.</source>
        <translation>The project has no year yet.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="441" />
        <source>Chọn ít nhất một đơn vị.</source>
        <translation>Choose at least one unit.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="445" />
        <source>Chọn nơi lưu.</source>
        <translation>Choose where to save.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="449" />
        <source>Thư mục %1 không tồn tại.</source>
        <translation>The folder %1 does not exist.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="468" />
        <source>Đang tạo…</source>
        <translation>Producing…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="502" />
        <source>Đã ghi %1</source>
        <translation>Written: %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="504" />
        <source>%1 trang</source>
        <translation>%1 page(s)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="506" />
        <source>đã ký vào ô %1</source>
        <translation>signed in field %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="508" />
        <source>chưa ký</source>
        <translation>not signed</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="514" />
        <source>Đã ghi %1 tệp vào %2</source>
        <translation>%1 file(s) written to %2</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="517" />
        <source>đã ký</source>
        <translation>signed</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="529" />
        <source>Đã huỷ: %1 tệp đã ghi (mỗi tệp ghi trọn vẹn), các tệp còn lại không được tạo.</source>
        <translation>Cancelled: %1 file(s) written (each one whole); the others were not produced.</translation>
    </message>
</context>
<context>
    <name>ReportSetupDialog</name>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="118" />
        <source>Thông tin trên văn bản (hội đồng, đơn vị)</source>
        <translation>Document details (council, units)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="130" />
        <source>Hội đồng</source>
        <translation>Council</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="131" />
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="195" />
        <source>Đơn vị</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="134" />
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="137" />
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="155" />
        <source>Cơ quan ban hành (dòng 1)</source>
        <translation>Issuing body (line 1)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="156" />
        <source>Cơ quan ban hành (dòng 2)</source>
        <translation>Issuing body (line 2)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="159" />
        <source>Địa danh</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="162" />
        <source>Ký hiệu số văn bản</source>
        <translation>Document number suffix</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="165" />
        <source>Chủ tịch Hội đồng</source>
        <translation>Council chair</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="166" />
        <source>Thư ký Hội đồng</source>
        <translation>Council secretary</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="170" />
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="180" />
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="197" />
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="170" />
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="181" />
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="197" />
        <source>Chức vụ</source>
        <translation>Position</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="170" />
        <source>Vai trò trong Hội đồng</source>
        <translation>Role in the council</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="171" />
        <source>Thêm thành viên</source>
        <translation>Add member</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="173" />
        <source>Thành viên Hội đồng</source>
        <translation>Council members</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="197" />
        <source>Thêm người đại diện</source>
        <translation>Add representative</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="199" />
        <source>Đại diện đơn vị</source>
        <translation>Unit representative</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="203" />
        <source>Kết luận của Hội đồng</source>
        <translation>Council's conclusions</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="205" />
        <source>Ý kiến của đơn vị</source>
        <translation>Unit's opinion</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="277" />
        <source>Đã lưu.</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/report_setup_dialog.py" line="289" />
        <source>Lưu các thay đổi trước khi đóng?</source>
        <translation>Save the changes before closing?</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="146" />
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="150" />
        <source>Loại đơn vị</source>
        <translation>Unit kind</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="156" />
        <source>Lọc theo mã, tên đơn vị, xếp loại</source>
        <translation>Filter by code, unit name, class</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="159" />
        <source>Xuất Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="161" />
        <source>Xuất CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="165" />
        <source>Biên bản…</source>
        <translation>Minutes…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="166" />
        <source>Biên bản thẩm định của đơn vị chọn</source>
        <translation>Appraisal minutes of the selected unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="168" />
        <source>Công bố kết quả…</source>
        <translation>Publication…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="176" />
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="216" />
        <location filename="../../evaluator/ui/results_view.py" line="240" />
        <source>Xếp loại</source>
        <translation>Class</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="216" />
        <source>Số đơn vị</source>
        <translation>Units</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="216" />
        <source>Tỷ lệ %</source>
        <translation>Share %</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="220" />
        <source>Lĩnh vực</source>
        <translation>Area</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="220" />
        <source>Đơn vị chọn %</source>
        <translation>Selected unit %</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="220" />
        <source>Trung bình %</source>
        <translation>Mean %</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="239" />
        <source>Chỉ số theo đơn vị</source>
        <translation>Index per unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="241" />
        <source>Chỉ số thành phần</source>
        <translation>Component indices</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="242" />
        <source>Qua các năm</source>
        <translation>Year over year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="308" />
        <source>Đang tính kết quả…</source>
        <translation>Computing results…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="331" />
        <source>Đã huỷ.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="379" />
        <source>%1 đơn vị, chỉ số trung bình</source>
        <translation>%1 units, mean index</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="424" />
        <source>Chỉ số CCHC theo đơn vị (màu theo xếp loại)</source>
        <translation>PAR Index per unit (coloured by class)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="472" />
        <source>Tỷ lệ đơn vị theo xếp loại</source>
        <translation>Share of units by class</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="484" />
        <source>Chỉ số thành phần theo lĩnh vực</source>
        <translation>Component indices by area</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="486" />
        <source>Trung bình</source>
        <translation>Mean</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="508" />
        <source>Chỉ số qua các năm</source>
        <translation>Index by year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="510" />
        <source>Trung bình: %1</source>
        <translation>Mean: %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="549" />
        <source>Xuất bảng xếp hạng</source>
        <translation>Export the ranking</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/results_view.py" line="567" />
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
    <name>SignDialog</name>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="584" />
        <source>Ký số tài liệu PDF</source>
        <translation>Sign a PDF document</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="589" />
        <source>Tệp PDF</source>
        <translation>PDF file</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="592" />
        <source>Chọn…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="593" />
        <source>Chọn tệp PDF</source>
        <translation>Choose a PDF file</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="597" />
        <source>Ô chữ ký</source>
        <translation>Signature field</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="604" />
        <source>Lý do ký</source>
        <translation>Reason for signing</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="606" />
        <source>Nơi ký</source>
        <translation>Place of signing</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="615" />
        <source>Ký</source>
        <translation>Sign</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="618" />
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="654" />
        <source>Đã ký: %1</source>
        <translation>Signed: %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="656" />
        <source>Chưa có chữ ký nào.</source>
        <translation>Not signed yet.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="658" />
        <source>Không còn ô chữ ký trống.</source>
        <translation>No empty signature field left.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="668" />
        <source>Không tìm thấy tệp %1.</source>
        <translation>File %1 not found.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="670" />
        <source>Tài liệu không còn ô chữ ký trống.</source>
        <translation>The document has no empty signature field left.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="689" />
        <source>Đang ký…</source>
        <translation>Signing…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="705" />
        <source>Đã ký vào ô %1.</source>
        <translation>Signed in field %1.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="714" />
        <source>Không ký được, không tệp nào bị thay đổi: %1</source>
        <translation>Not signed, no file was changed: %1</translation>
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
    <name>VerifyDialog</name>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="734" />
        <source>Kiểm tra chữ ký số</source>
        <translation>Check signatures</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="740" />
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="743" />
        <location filename="../../evaluator/ui/reports_dialogs.py" line="758" />
        <source>Chọn…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="746" />
        <source>Chọn tệp cần kiểm tra</source>
        <translation>Choose the file to check</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="748" />
        <source>PDF, gói trao đổi (*.pdf *.cchc);;* (*)</source>
        <translation>PDF, team packages (*.pdf *.cchc);;* (*)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="753" />
        <source>chứng thư CA tin cậy (PEM/DER), cách nhau bởi ;</source>
        <translation>trusted CA certificates (PEM/DER), separated by ;</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="755" />
        <location filename="../../evaluator/ui/reports_dialogs.py" line="792" />
        <source>Tin cậy</source>
        <translation>Trust</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="762" />
        <source>Chứng thư CA tin cậy</source>
        <translation>Trusted CA certificates</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="764" />
        <source>Chứng thư (*.pem *.crt *.cer *.der);;* (*)</source>
        <translation>Certificates (*.pem *.crt *.cer *.der);;* (*)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="769" />
        <source>So sánh dữ liệu trong tài liệu với dự án đang mở</source>
        <translation>Compare the embedded data with the open project</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="775" />
        <source>Kiểm tra</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="786" />
        <source>Ô chữ ký</source>
        <translation>Signature field</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="787" />
        <source>Người ký</source>
        <translation>Signer</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="788" />
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="789" />
        <source>Nguyên vẹn</source>
        <translation>Intact</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="790" />
        <source>Phạm vi</source>
        <translation>Covers</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="791" />
        <source>Thay đổi sau khi ký</source>
        <translation>Changed after signing</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="806" />
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="816" />
        <source>Không tìm thấy tệp %1.</source>
        <translation>File %1 not found.</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="835" />
        <source>Đang kiểm tra…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="852" />
        <source>✔ Hợp lệ: mọi điều đã kiểm tra đều đúng</source>
        <translation>✔ Valid: everything checked holds</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="854" />
        <source>✘ KHÔNG hợp lệ: xem chi tiết bên dưới</source>
        <translation>✘ NOT valid: see the details below</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="865" />
        <source>✔ nguyên vẹn</source>
        <translation>✔ intact</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="865" />
        <source>✘ không nguyên vẹn</source>
        <translation>✘ not intact</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="887" />
        <source>bản %1/%2</source>
        <translation>revision %1/%2</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="888" />
        <source>có: </source>
        <translation>yes: </translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="888" />
        <source>không</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="899" />
        <source>(chưa ký)</source>
        <translation>(not signed)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="903" />
        <source>tin cậy</source>
        <translation>trusted</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="903" />
        <source>KHÔNG tin cậy</source>
        <translation>NOT trusted</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="903" />
        <source>chưa kiểm tra</source>
        <translation>not checked</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="910" />
        <source>%1 mục</source>
        <translation>%1 entries</translation>
    </message>
</context>
<context>
    <name>WorkspaceView</name>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="210" />
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="214" />
        <source>Loại đơn vị</source>
        <translation>Unit kind</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="220" />
        <source>Tìm mã hoặc tên tiêu chí (Ctrl+F)</source>
        <translation>Find a criterion code or title (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="226" />
        <source>Khoá giai đoạn</source>
        <translation>Lock stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="233" />
        <source>Báo cáo</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="237" />
        <source>Biên bản thẩm định của đơn vị…</source>
        <translation>Appraisal minutes of this unit…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="238" />
        <source>Báo cáo tự đánh giá của đơn vị…</source>
        <translation>Self-assessment report of this unit…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="239" />
        <source>Bảng thẩm định của đơn vị (Excel)…</source>
        <translation>Appraisal sheet of this unit (Excel)…</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="247" />
        <location filename="../../evaluator/ui/workspace_view.py" line="372" />
        <source>Chọn một đơn vị</source>
        <translation>Select a unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="263" />
        <source>Lĩnh vực</source>
        <translation>Area</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="263" />
        <source>Điểm</source>
        <translation>Points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="263" />
        <source>Tối đa</source>
        <translation>Max</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="263" />
        <source>Chỉ số %</source>
        <translation>Index %</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="313" />
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="381" />
        <source>Chỉ số</source>
        <translation>Index</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="384" />
        <source>%1 / %2 điểm</source>
        <translation>%1 / %2 points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="386" />
        <source>Đã khoá: </source>
        <translation>Locked: </translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="392" />
        <source>Điểm thưởng</source>
        <translation>Bonus points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="392" />
        <source>Điểm trừ</source>
        <translation>Penalty points</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="403" />
        <source>Tổng cộng</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="472" />
        <source>Đến tiêu chí</source>
        <translation>Go to criterion</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="472" />
        <source>Mã tiêu chí:</source>
        <translation>Criterion code:</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="529" />
        <source>Mở khoá: %1</source>
        <translation>Unlock: %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="532" />
        <source>Khoá: %1</source>
        <translation>Lock: %1</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="543" />
        <source>Không khoá được</source>
        <translation>Cannot lock</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="552" />
        <source>Mở khoá giai đoạn</source>
        <translation>Unlock stage</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="552" />
        <source>Lý do mở khoá:</source>
        <translation>Reason for unlocking:</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/workspace_view.py" line="560" />
        <source>Không mở khoá được</source>
        <translation>Cannot unlock</translation>
    </message>
</context>
<context>
    <name>fields</name>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="95" />
        <source>Thư ký Hội đồng</source>
        <translation>Council secretary</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="96" />
        <source>Chủ tịch Hội đồng</source>
        <translation>Council chair</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="97" />
        <source>Đại diện đơn vị</source>
        <translation>Unit representative</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="98" />
        <source>Thủ trưởng đơn vị</source>
        <translation>Head of the unit</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="108" />
        <source>KHÔNG tin cậy</source>
        <translation>NOT trusted</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="109" />
        <source>tin cậy</source>
        <translation>trusted</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/reports_dialogs.py" line="110" />
        <source>chưa kiểm tra</source>
        <translation>not checked</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="35" />
        <source>KĐG</source>
        <translation>N/A</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/audit_view.py" line="41" />
        <source>%1: %2 điểm mới, %3 điểm sửa</source>
        <translation>%1: %2 new scores, %3 changed</translation>
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
        <source>Sửa điểm từ tệp tổng hợp</source>
        <translation>Score changed by a consolidated import</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="93" />
        <source>Nhập tệp tổng hợp</source>
        <translation>Consolidated import</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="94" />
        <source>Nhập gói của tổ thẩm định</source>
        <translation>Team package import</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="95" />
        <source>Gộp đơn vị trùng mã</source>
        <translation>Duplicate unit merged</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="96" />
        <source>Đã giải quyết xung đột</source>
        <translation>Conflict resolved</translation>
    </message>
    <message>
        <location filename="../../evaluator/ui/labels.py" line="97" />
        <source>Sửa thông tin trên văn bản</source>
        <translation>Document details changed</translation>
    </message>
</context>
</TS>