"""Appraisal minutes in bulk: N minutes rendered and signed with a PKCS#12 key, against the same N rendered
without signing, in one run, on every core (the path of ``evaluator report appraisal --all --sign``).

    python benchmarks/bench_reports.py [--units 1000] [--workers 2] [--rounds 10]

The demo province has 70 units: their minutes are produced in turn until N files are written. Both runs
render with reportlab, add the signature fields and the JSON attachment, and write the files; the signed
run also signs each file (RSA-2048, PAdES, visible stamp, offline). The two runs alternate in rounds so
that other load on a shared machine hits both alike; CPU time per document is reported too, as the
load-independent figure. The last line printed is one JSON object: signed_per_s, unsigned_per_s,
signing_overhead_pct, cpu_ms_per_signed, cpu_ms_per_unsigned, cpu_overhead_pct, units, workers, ...
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluator.models import open_project
from evaluator.services.batch import P12Key, run_batch
from evaluator.services.demo import build_demo
from evaluator.services.report_data import unit_codes, unit_documents
from evaluator.signing import verify_file

PASSWORD = "benchmark"


def make_p12(folder: Path) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    def name(cn: str) -> x509.Name:
        return x509.Name(
            [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, cn)]
        )

    now = datetime.now(UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Benchmark CA"))
        .issuer_name(name("Benchmark CA"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Lê Thị Thu Hà"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    path = folder / "secretary.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"secretary", key, cert, [ca], serialization.BestAvailableEncryption(PASSWORD.encode())
        )
    )
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return path


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (the pool's workers, once joined): a figure
    that does not depend on what else the machine is running."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--rounds", type=int, default=10, help="alternate unsigned/signed runs this many times"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        project = build_demo(root / "demo.db")
        project.close()
        with open_project(root / "demo.db") as p, p.session() as s:
            base = unit_documents(s, 2024, unit_codes(s, 2024), "appraisal", date(2025, 1, 5))
        docs = [base[i % len(base)] for i in range(args.units)]
        p12 = make_p12(root)
        timings = {"unsigned": 0.0, "signed": 0.0}
        cpu = {"unsigned": 0.0, "signed": 0.0}
        sizes: dict[str, list[int]] = {"unsigned": [], "signed": []}
        for label in timings:
            (root / label).mkdir()
        # Alternate the two runs in rounds so that other load on the machine hits both alike.
        bounds = [round(args.units * r / args.rounds) for r in range(args.rounds + 1)]
        for r in range(args.rounds):
            part = list(range(bounds[r], bounds[r + 1]))
            for label, key in (("unsigned", None), ("signed", P12Key(p12, PASSWORD))):
                targets = [root / label / f"{i:05d}-{docs[i].unit_code}.pdf" for i in part]
                cpu_before = _cpu_s()
                start = time.perf_counter()
                run_batch([docs[i] for i in part], targets, key=key, workers=args.workers)
                timings[label] += time.perf_counter() - start
                cpu[label] += _cpu_s() - cpu_before
                sizes[label] += [t.stat().st_size for t in targets]
        for label in timings:
            print(
                f"{label}: {args.units} minutes in {timings[label]:.2f} s "
                f"({args.units / timings[label]:.1f}/s), "
                f"{cpu[label] / args.units * 1000:.1f} ms CPU each, "
                f"mean {sum(sizes[label]) / len(sizes[label]) / 1024:.0f} KiB"
            )
        sample = verify_file(
            root / "signed" / f"{args.units - 1:05d}-{docs[-1].unit_code}.pdf", [root / "ca.pem"]
        )
    signed_per_s = args.units / timings["signed"]
    unsigned_per_s = args.units / timings["unsigned"]
    overhead = (timings["signed"] - timings["unsigned"]) / timings["unsigned"] * 100
    figures = {
        "signed_per_s": round(signed_per_s, 1),
        "unsigned_per_s": round(unsigned_per_s, 1),
        "signing_overhead_pct": round(overhead, 1),
        "units": args.units,
        "workers": args.workers,
        "rounds": args.rounds,
        "signed_s": round(timings["signed"], 2),
        "unsigned_s": round(timings["unsigned"], 2),
        "cpu_ms_per_signed": round(cpu["signed"] / args.units * 1000, 1),
        "cpu_ms_per_unsigned": round(cpu["unsigned"] / args.units * 1000, 1),
        "cpu_overhead_pct": round((cpu["signed"] - cpu["unsigned"]) / cpu["unsigned"] * 100, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "sample_verifies": sample.ok,
        "target": "signed_per_s >= 20 and signing_overhead_pct <= 30",
        "target_met": signed_per_s >= 20 and overhead <= 30,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
