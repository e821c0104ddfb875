"""The signing-key options shared by ``report``, ``sign`` and ``export``: one reading of --p12 /
--pkcs11-lib / --token-label / --key-label / --password-env / --password-stdin into a ``KeyChoice``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from evaluator.errors import UserError
from evaluator.i18n import N_


def add_key_options(parser: argparse.ArgumentParser, title: str) -> Any:
    """Add the key options to ``parser`` under ``title``; the group, for a command's own signing options."""
    group = parser.add_argument_group(title)
    add = group.add_argument
    add("--p12", type=Path, metavar="FILE", help=N_("ký bằng tệp PKCS#12 này (.p12/.pfx)"))
    add("--pkcs11-lib", metavar="LIB", help=N_("hoặc bằng thiết bị ký số PKCS#11: thư viện của nó "
                                               "(.so/.dll)"))
    add("--token-label", metavar="L", help=N_("nhãn của thiết bị ký số"))
    add("--key-label", metavar="K", help=N_("nhãn của khoá trên thiết bị ký số (mặc định: khoá duy nhất)"))
    add("--password-env", metavar="VAR", help=N_("đọc mật khẩu/PIN từ biến môi trường này"))
    add("--password-stdin", action="store_true", help=N_("đọc mật khẩu/PIN từ đầu vào chuẩn"))
    return group


def key_choice(args: argparse.Namespace) -> Any:
    """The key the options name, with its password or PIN read; a UserError when they are incomplete."""
    from evaluator.services.documents import KeyChoice
    from evaluator.signing.keys import SecretSource, read_secret

    p12, lib = getattr(args, "p12", None), getattr(args, "pkcs11_lib", None)
    source = SecretSource(env=args.password_env, stdin=args.password_stdin)
    if p12 and lib:
        raise UserError("cli.key_both")
    if p12:
        return KeyChoice("p12", p12=str(p12), password=read_secret(source, f"Mật khẩu của {p12}: "))
    if lib:
        if not args.token_label:
            raise UserError("cli.token_label_needed")
        return KeyChoice("pkcs11", lib=lib, token=args.token_label, key_label=args.key_label or "",
                         password=read_secret(source, f"Mã PIN của token {args.token_label}: "))
    raise UserError("cli.key_needed")
