"""The results view's "So với năm trước" tab: the selected unit's change against last year (index, rank,
each area, the leaves that gained or lost the most) and last year's shortcomings followed (fixed / not
fixed / criterion dropped). Data from ``services.shortcomings.UnitChanges``; no logic here."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from evaluator.frameworks.model import Framework
from evaluator.services.shortcomings import DROPPED, FIXED, NOT_APPLICABLE, NOT_FIXED, PENDING, UnitChanges
from evaluator.ui import formats
from evaluator.ui.labels import english


def signed(value: Decimal | float | None, text: str) -> str:
    """``+1,25`` / ``−0,50``: a change with its sign (the formatter writes no plus)."""
    if value is None:
        return ""
    return ("+" if value > 0 else "") + text


class YearChangesPanel(QTextBrowser):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.changes: UnitChanges | None = None
        self.framework: Framework | None = None

    def status_label(self, status: str) -> str:
        return {
            FIXED: self.tr("đã khắc phục"),
            NOT_FIXED: self.tr("chưa khắc phục"),
            DROPPED: self.tr("tiêu chí không còn"),
            PENDING: self.tr("chưa chấm"),
            NOT_APPLICABLE: self.tr("không đánh giá"),
        }[status]

    def _title(self, code: str, title: str) -> str:
        """A criterion's English title in English, where the set has one (as the area table above shows
        it): only for the same criterion, its Vietnamese title unchanged (last year's codes may differ)."""
        node = self.framework.nodes.get(code) if self.framework is not None and english() else None
        return node.title_en if node is not None and node.title == title and node.title_en else title

    def show_changes(self, changes: UnitChanges | None, framework: Framework | None = None) -> None:
        self.changes, self.framework = changes, framework
        if changes is None:
            nothing = self.tr("Không có kết quả năm trước để so sánh.")
            self.setHtml(f"<p>{escape(nothing)}</p>")
            return
        # texts outside the f-strings: the translation extractor reads plain calls only
        heading = self.tr("So với năm %1").replace("%1", str(changes.previous_year))
        index_word, area_word, lost_word = (
            self.tr("Chỉ số"),
            self.tr("Lĩnh vực"),
            self.tr("Điểm bị trừ năm trước"),
        )
        html = [f"<h3>{escape(heading)}</h3>"]
        versus = ", ".join(changes.predecessors)
        if changes.basis == "merged":
            basis = self.tr("Đơn vị hợp nhất: so với bình quân của %1 (không so thứ hạng)")
        elif changes.basis == "renamed":
            basis = self.tr("Đơn vị đổi tên: so với %1")
        else:
            basis = ""
        if basis:
            html.append(f"<p><i>{escape(basis.replace('%1', versus))}</i></p>")
        index = signed(changes.index_change, formats.index(changes.index_change))
        rank = (
            ""
            if changes.rank_change is None
            else (
                self.tr("tăng %1 bậc")
                if changes.rank_change > 0
                else self.tr("giảm %1 bậc")
                if changes.rank_change < 0
                else self.tr("giữ nguyên thứ hạng")
            ).replace("%1", str(abs(changes.rank_change)))
        )
        html.append(
            f"<p>{escape(index_word)}: <b>{formats.index(changes.previous_index)} → "
            f"{formats.index(changes.index)}</b> ({index}) · {escape(rank)}</p>"
        )
        html.append(
            "<table cellspacing='0' cellpadding='2' border='1'><tr>"
            f"<th>{escape(area_word)}</th><th>{changes.previous_year}</th>"
            f"<th>{changes.previous_year + 1}</th><th>±</th></tr>"
        )
        for a in changes.areas:
            html.append(
                f"<tr><td>{escape(a['code'])}. {escape(self._title(a['code'], a['title']))}</td>"
                f"<td align='right'>{formats.index(a['previous_index'])}</td>"
                f"<td align='right'>{formats.index(a['index'])}</td>"
                f"<td align='right'>{signed(a['index_change'], formats.index(a['index_change']))}</td></tr>"
            )
        html.append("</table>")
        for title, leaves in (
            (self.tr("Tăng nhiều điểm nhất"), changes.gained),
            (self.tr("Giảm nhiều điểm nhất"), changes.lost),
        ):
            if leaves:
                html.append(f"<p><b>{escape(title)}</b></p><ul>")
                html.extend(
                    f"<li>{escape(c.code)}. {escape(self._title(c.code, c.title))}: "
                    f"{formats.points(c.previous_points)} → "
                    f"{formats.points(c.points)} ({signed(c.change, formats.points(c.change))})</li>"
                    for c in leaves
                )
                html.append("</ul>")
        counts = changes.counts()
        html.append(
            f"<p><b>{escape(lost_word)}</b>: "
            + " · ".join(f"{escape(self.status_label(s))} {n}" for s, n in counts.items() if n)
            + "</p><ul>"
        )
        for s in changes.shortcomings:
            reason = f" — {escape(s.reason)}" if s.reason else ""
            source = f"[{escape(s.unit)}] " if s.unit else ""
            html.append(
                f"<li>{source}{escape(s.code)}. {escape(self._title(s.code, s.title))}: "
                f"{formats.points(s.points)} / "
                f"{formats.points(s.max)}{reason} → <b>{escape(self.status_label(s.status))}</b></li>"
            )
        html.append("</ul>")
        self.setHtml("".join(html))
