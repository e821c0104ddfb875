"""Who the packages come from and who is trusted: the project's trust list and this file's device."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.exchange.signing import SigningError, load_trusted, trusted_from_pem
from evaluator.models import (
    Project,
)
from evaluator.models.audit_chain import (
    local_device,
)

TRUST_SETTING = "exchange.trust"
"""Project setting: a list of PEM certificate texts. When set, every imported package must be signed by
one of them (or by a certificate they issued), as with ``--trust``."""


def trust_setting(project: Project) -> list[str]:
    """The project's trusted certificates for team packages (PEM texts; empty when not set)."""
    value = project.get_setting(TRUST_SETTING, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError("exchange.trust_setting", setting=TRUST_SETTING)
    return value


def set_trust(project: Project, files: Sequence[Path | str] = (), *, clear: bool = False) -> list[str]:
    """Add the certificates of ``files`` (PEM or DER) to the project's trust list (``clear``: empty it
    first); returns the subjects now trusted. Raises ``UserError`` for a file that is not a certificate."""
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        texts = [] if clear else list(trust_setting(project))
        for cert in load_trusted(files):
            pem = cert.public_bytes(Encoding.PEM).decode("ascii")
            if pem not in texts:
                texts.append(pem)
        certs = trusted_from_pem(texts, f"setting {TRUST_SETTING}")
    except SigningError as exc:
        raise UserError.from_error(exc) from exc
    if files or clear:
        project.set_setting(TRUST_SETTING, texts)
    return [c.subject.rfc4514_string() for c in certs]


# --- devices ----------------------------------------------------------------------------------------
def this_device(project: Project) -> str:
    """The device id of this computer for this project file (created on first use).

    A copied project file on another laptop (or another path) gets its own device id, so the revisions
    each copy writes can be told apart. Pass it as ``device_id`` to ``set_score``.
    """
    with project.session() as session:
        return device_in(session, project)


def device_in(session: Session, project: Project) -> str:
    """``this_device`` inside an open session (the row is written in that session when new). The same
    device names this file's audit chain (``models.audit_chain.local_device``)."""
    return local_device(session.connection())


