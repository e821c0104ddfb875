"""Who is working, and the user's settings: name, role, language, recent projects.

Stored as JSON in the platform's standard settings folder (``platformdirs``), or in the folder named by
``EVALUATOR_CONFIG_DIR`` (tests, portable installs).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypedDict

from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.services.scores import ROLES

ROLE_LABELS = {
    "assessor": "Cán bộ tự đánh giá",
    "member": "Thành viên tổ thẩm định",
    "leader": "Tổ trưởng tổ thẩm định",
    "secretary": "Thư ký hội đồng",
    "committee": "Hội đồng thẩm định",
}
LANGUAGES = ("vi", "en")
MAX_RECENT = 8


class Who(TypedDict):
    """The actor as the keywords every service takes (typed, so that ``**who`` checks against them)."""

    author: str
    role: str
    device_id: str


@dataclass(frozen=True)
class Actor:
    """Who is acting in a project: the author and role the user set, and the device — the project's
    ``Device`` row for this computer and this project file (``exchange.device_in``).

    Why the project's device and not a device id kept in the user's settings: the device id names the
    revisions a copy of the project writes, and the merge of team packages and the audit chains tell the
    copies apart by it. A settings id is the same for two copies of a project on one laptop (their
    revisions would look like one writer's) and is lost with the settings folder; the project's row
    follows the file (a copied file on another path gets its own), and it is what the audit chain of the
    file already uses. So the GUI and the CLI both take it from the project (``actor_in``)."""

    author: str = ""
    role: str = ""
    device_id: str = ""

    @property
    def who(self) -> Who:
        """As the keywords the services take (``author=``, ``role=``, ``device_id=``)."""
        return {"author": self.author, "role": self.role, "device_id": self.device_id}


def actor_in(session: Session, author: str, role: str) -> Actor:
    """The actor for ``author``/``role`` in the project of ``session`` (its device row is written in that
    session when this computer has none yet)."""
    from evaluator.models.audit_chain import local_device

    return Actor(author, role, local_device(session.connection()))


@dataclass
class UserSettings:
    name: str = ""
    role: str = ""
    language: str = "vi"
    device_id: str = ""
    """Kept so that older settings files load; not an identity any more (see ``Actor``)."""
    recent: list[str] = field(default_factory=list)
    """Project files, most recent first."""

    @property
    def configured(self) -> bool:
        return bool(self.name and self.role)

    def remember(self, project: str | Path) -> None:
        text = str(Path(project).resolve()) if "://" not in str(project) else str(project)
        self.recent = [text, *[r for r in self.recent if r != text]][:MAX_RECENT]

    @property
    def last_project(self) -> str | None:
        for r in self.recent:
            if "://" in r or Path(r).exists():
                return r
        return None


def config_dir() -> Path:
    from evaluator.paths import config_dir as standard_config_dir

    return standard_config_dir()  # EVALUATOR_CONFIG_DIR, else EVALUATOR_HOME/config, else platformdirs


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> UserSettings:
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    known = (
        {k: v for k, v in data.items() if k in UserSettings.__dataclass_fields__}
        if isinstance(data, dict)
        else {}
    )
    settings = UserSettings(**known)
    if settings.role and settings.role not in ROLES:
        settings.role = ""
    if settings.language not in LANGUAGES:
        settings.language = "vi"
    if not settings.device_id:
        settings.device_id = uuid.uuid4().hex[:12]
    return settings


def save_settings(settings: UserSettings, path: Path | None = None) -> None:
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def set_user(settings: UserSettings, name: str, role: str) -> UserSettings:
    name = name.strip()
    if not name:
        raise UserError("common.enter_name")
    if role not in ROLES:
        raise UserError("common.unknown_role", role=role, roles=", ".join(ROLES))
    settings.name, settings.role = name, role
    return settings
