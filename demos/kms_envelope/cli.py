"""`python -m kms_envelope`: the simulator and the envelope format from a shell.

- `tour`: KMS in a few steps (key, alias, the 4 KB limit, data keys,
  an envelope, rotation), printed as plain text.
- `seal` / `open`: envelope-encrypt a file under a seeded simulator key and
  back; the same --seed recreates the same key, so a sealed file opens later.
- `describe`: the header of a sealed file, without decrypting it.

Bad input is one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import envelope
from .client import KMSClient
from .errors import ClientError, EnvelopeError
from .simulator import Simulator

EXIT_BAD_INPUT = 2
REGION = "us-east-1"


class UsageError(Exception):
    """Bad input, reported as one line."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kms_envelope",
        description="A seeded AWS KMS simulator with boto3's API, and envelope encryption.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    tour = commands.add_parser("tour", help="walk through KMS and envelope encryption")
    tour.add_argument("--seed", type=int, default=7, help="simulator seed (default 7)")
    tour.add_argument(
        "--size", type=int, default=1_000_000, help="payload bytes for the envelope step"
    )
    for name, verb in (("seal", "envelope-encrypt"), ("open", "decrypt")):
        command = commands.add_parser(name, help=f"{verb} a file under a seeded key")
        command.add_argument("source", type=Path)
        command.add_argument("target", type=Path)
        command.add_argument("--seed", type=int, required=True, help="simulator seed")
        command.add_argument(
            "--context",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="encryption context pair; repeat for more",
        )
    describe = commands.add_parser("describe", help="show a sealed file's header")
    describe.add_argument("source", type=Path)
    return parser


def _context(pairs: Sequence[str]) -> dict[str, str] | None:
    context: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--context {pair!r}: expected KEY=VALUE")
        context[key] = value
    return context or None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from None


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from None


def _seeded_key(seed: int) -> tuple[KMSClient, str]:
    kms = Simulator(seed=seed).client("kms", region_name=REGION)
    key_id = kms.create_key(Description=f"kms_envelope CLI key, seed {seed}")["KeyMetadata"]
    return kms, str(key_id["KeyId"])


def _tour(seed: int, size: int, out: list[str]) -> None:
    if size < 0:
        raise UsageError(f"--size {size}: must not be negative")
    sim = Simulator(seed=seed)
    kms = sim.client("kms", region_name=REGION)
    key = kms.create_key(Description="tour")["KeyMetadata"]
    kms.create_alias(AliasName="alias/tour", TargetKeyId=key["KeyId"])
    out.append(f"1. CreateKey: {key['KeyId']} ({key['KeySpec']}, {key['KeyState']}), alias/tour")
    sealed = kms.encrypt(KeyId="alias/tour", Plaintext=b"x" * 4096)["CiphertextBlob"]
    out.append(f"2. Encrypt 4096 bytes: ciphertext blob of {len(sealed)} bytes")
    try:
        kms.encrypt(KeyId="alias/tour", Plaintext=b"x" * 4097)
    except ClientError as error:
        out.append(f"   Encrypt 4097 bytes: {error.response['Error']['Code']}")
    data_key = kms.generate_data_key(KeyId="alias/tour", KeySpec="AES_256")
    out.append(
        f"3. GenerateDataKey: {len(data_key['Plaintext'])}-byte plaintext key, "
        f"{len(data_key['CiphertextBlob'])}-byte encrypted copy"
    )
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
    message = envelope.encrypt(kms, key["KeyId"], payload, {"purpose": "tour"})
    header = envelope.describe(message)
    out.append(
        f"4. Envelope of {size} bytes: {len(message)} bytes, {header['frames']} frames, "
        f"encrypted data key of {header['encrypted data key bytes']} bytes stored inside"
    )
    kms.rotate_key_on_demand(KeyId=key["KeyId"])
    opened = envelope.decrypt(kms, message, {"purpose": "tour"})
    out.append(f"5. After RotateKeyOnDemand, the old envelope still opens: {opened == payload}")


def run(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "tour":
            lines: list[str] = []
            _tour(args.seed, args.size, lines)
            print("\n".join(lines))
        elif args.command == "describe":
            print(json.dumps(envelope.describe(_read(args.source)), indent=2))
        else:
            kms, key_id = _seeded_key(args.seed)
            context = _context(args.context)
            data = _read(args.source)
            if args.command == "seal":
                result = envelope.encrypt(kms, key_id, data, context)
            else:
                result = envelope.decrypt(kms, data, context)
            _write(args.target, result)
    except (UsageError, EnvelopeError, ClientError, ValueError) as error:
        where = (
            f"{args.source}: "
            if hasattr(args, "source") and not isinstance(error, UsageError)
            else ""
        )
        print(f"kms_envelope: error: {where}{error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
