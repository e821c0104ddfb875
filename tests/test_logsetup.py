"""logsetup: a rotating UTF-8 log file in the standard place, uncaught exceptions in it, and no personal
data from the machine or the account (home folder, account and computer names, e-mail, secrets)."""

from __future__ import annotations

import getpass
import logging
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from evaluator import logsetup


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("EVALUATOR_LOG_DIR", str(tmp_path / "logs"))
    hook, thread_hook = sys.excepthook, threading.excepthook
    root = logging.getLogger()
    level = root.level
    yield tmp_path / "logs"
    for handler in [h for h in root.handlers if (h.get_name() or "").startswith("evaluator-file")]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hook, thread_hook
    logging.captureWarnings(False)


def _text(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_log_file_in_the_standard_place_with_vietnamese(log_dir: Path) -> None:
    path = logsetup.configure_logging()
    assert path == log_dir / "evaluator.log"
    logging.getLogger("evaluator.test").info("đã nhập gói %s cho đơn vị %s", "team1.cchc", "Sở Tư pháp")
    text = _text(path)
    assert "evaluator 0." in text and "started" in text
    assert "đã nhập gói team1.cchc cho đơn vị Sở Tư pháp" in text


def test_configure_twice_keeps_one_file_handler(log_dir: Path) -> None:
    logsetup.configure_logging()
    path = logsetup.configure_logging()
    ours = [h for h in logging.getLogger().handlers if h.get_name() == "evaluator-file"]
    assert len(ours) == 1
    logging.getLogger("evaluator").warning("once")
    assert _text(path).count("once") == 1


def test_rotation(log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logsetup, "MAX_BYTES", 2000)
    path = logsetup.configure_logging()
    for i in range(200):
        logging.getLogger("evaluator").info("line %d %s", i, "x" * 40)
    assert (log_dir / "evaluator.log.1").exists()
    assert len(list(log_dir.glob("evaluator.log.*"))) <= logsetup.BACKUPS
    assert path.stat().st_size <= 2000 + 200


def test_redaction_of_machine_and_account_details() -> None:
    home = str(Path.home())
    text = logsetup.redact(
        f"opened {home}/Documents/evaluator/x.db; also C:\\Users\\someone\\Documents\\a.db and "
        "/home/other/p.db; mail lan.nguyen@example.gov.vn; password=hunter2 pin: 1234"
    )
    assert home not in text or len(home) <= 3
    assert "someone" not in text and "other" not in text.split("mail")[0].split("and")[-1]
    assert "<home>" in text and "<user>" in text
    assert "lan.nguyen@example.gov.vn" not in text and "<email>" in text
    assert "hunter2" not in text and "1234" not in text
    host = socket.gethostname()
    if len(host) >= 3:
        assert host not in logsetup.redact(f"running on {host} now")
    account = getpass.getuser()
    if len(account) >= 3:
        assert f"/{account}/" not in logsetup.redact(f"/srv/{account}/p.db")


def test_names_already_in_the_project_are_kept() -> None:
    line = "điểm thẩm định của Nguyễn Thị Lan cho SO04 (Sở Kế hoạch và Đầu tư): 2.5"
    assert logsetup.redact(line) == line


def test_uncaught_exceptions_are_logged_redacted(log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = logsetup.configure_logging()
    assert sys.excepthook is logsetup._log_uncaught
    seen: list[type[BaseException]] = []
    monkeypatch.setattr(logsetup, "_previous_hook", lambda kind, value, tb: seen.append(kind))
    try:
        raise RuntimeError(f"cannot open {Path.home() / 'secret.db'}")
    except RuntimeError:
        kind, value, tb = sys.exc_info()
        assert kind is not None and value is not None
        logsetup._log_uncaught(kind, value, tb)
    text = _text(path)
    assert "uncaught exception" in text and "RuntimeError" in text
    assert "secret.db" in text and str(Path.home() / "secret.db") not in text
    assert seen == [RuntimeError]  # the previous hook still runs (prints the traceback)


def test_uncaught_exceptions_in_threads_are_logged(log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = logsetup.configure_logging()
    monkeypatch.setattr(logsetup, "_previous_thread_hook", lambda hook_args: None)

    def fail() -> None:
        raise ValueError("worker failed")

    worker = threading.Thread(target=fail, name="report-worker")
    worker.start()
    worker.join()
    text = _text(path)
    assert "uncaught exception in thread report-worker" in text and "ValueError: worker failed" in text


def test_unwritable_log_folder_falls_back_to_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    log_dir: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    path = logsetup.configure_logging(directory=blocker / "logs")
    assert not path.exists()
    names = [h.get_name() for h in logging.getLogger().handlers]
    assert "evaluator-file-console" in names and "evaluator-file" not in names
