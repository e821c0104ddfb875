"""Messages of project (see evaluator/messages/__init__.py)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
}
