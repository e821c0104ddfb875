"""The signing-key options shared by ``report``, ``sign`` and ``export``: one reading of --p12 /
--pkcs11-lib / --token-label / --key-label / --password-env / --password-stdin into a ``KeyChoice``."""

from __future__ import annotations

import argparse
from typing import Any

from evaluator.errors import UserError


def key_choice(args: argparse.Namespace) -> Any:
    """The key the options name, with its password or PIN read; a UserError when they are incomplete."""
    from evaluator.services.documents import KeyChoice
    from evaluator.signing.keys import SecretSource, read_secret

    p12, lib = getattr(args, "p12", None), getattr(args, "pkcs11_lib", None)
    source = SecretSource(env=args.password_env, stdin=args.password_stdin)
    if p12 and lib:
        raise UserError("give either --p12 or --pkcs11-lib, not both")
    if p12:
        return KeyChoice("p12", p12=str(p12), password=read_secret(source, f"Mật khẩu của {p12}: "))
    if lib:
        if not args.token_label:
            raise UserError("--pkcs11-lib needs --token-label")
        return KeyChoice("pkcs11", lib=lib, token=args.token_label, key_label=args.key_label or "",
                         password=read_secret(source, f"Mã PIN của token {args.token_label}: "))
    raise UserError("signing needs a key: --p12 FILE or --pkcs11-lib LIB --token-label L")
