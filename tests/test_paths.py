"""evaluator.paths: the standard places (platformdirs), the overrides, safe default project names."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator import paths
from evaluator.services import users

VARIABLES = ("EVALUATOR_HOME", "EVALUATOR_PROJECTS_DIR", "EVALUATOR_CONFIG_DIR", "EVALUATOR_LOG_DIR",
             "EVALUATOR_BACKUPS_DIR", "EVALUATOR_CACHE_DIR")


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_standard_places_come_from_platformdirs() -> None:
    import platformdirs

    assert paths.projects_dir() == Path(platformdirs.user_documents_dir()) / "evaluator"
    assert paths.config_dir() == Path(platformdirs.user_config_dir("evaluator", appauthor=False))
    assert paths.log_dir() == Path(platformdirs.user_log_dir("evaluator", appauthor=False))
    assert paths.log_file().name == "evaluator.log" and paths.log_file().parent == paths.log_dir()
    assert paths.backups_dir() == Path(platformdirs.user_data_dir("evaluator", appauthor=False)) / "backups"
    assert paths.cache_dir() == Path(platformdirs.user_cache_dir("evaluator", appauthor=False))
    assert users.config_dir() == paths.config_dir()  # the settings file is where the About dialog says


def test_user_data_is_outside_the_installation(monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade or uninstall replaces the program folder; none of the user's places is inside it."""
    import evaluator

    program = Path(evaluator.__file__).resolve().parent
    for place in paths.places().as_dict().values():
        assert program not in Path(place).resolve().parents


def test_one_home_folder_for_portable_installs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALUATOR_HOME", str(tmp_path))
    got = paths.places()
    assert got.projects == tmp_path / "projects" and got.config == tmp_path / "config"
    assert got.logs == tmp_path / "logs" and got.backups == tmp_path / "backups"
    assert got.cache == tmp_path / "cache"
    assert users.settings_path() == tmp_path / "config" / "settings.json"
    # a specific override wins over the home folder
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "elsewhere"))
    assert paths.config_dir() == users.config_dir() == tmp_path / "elsewhere"
    assert set(got.as_dict()) == {"projects", "config", "logs", "backups", "cache"}


def test_default_project_path_is_safe_on_every_file_system(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALUATOR_PROJECTS_DIR", str(tmp_path))
    assert paths.default_project_path("Thẩm định 2024") == tmp_path / "Thẩm định 2024.db"
    assert paths.default_project_path('Tỉnh A/B: "đợt 1"?') == tmp_path / "Tỉnh A-B- -đợt 1.db"
    assert paths.default_project_path(" ... ") == tmp_path / "project.db"
    assert paths.default_project_path("a\\b\x00c|d") == tmp_path / "a-b-c-d.db"


def test_ensure_dir(tmp_path: Path) -> None:
    target = tmp_path / "x" / "y"
    assert paths.ensure_dir(target) == target and target.is_dir()
    assert paths.ensure_dir(target) == target  # again: no error
