"""`python -m kms_envelope`: the simulator and the envelope format from a shell.

- `tour`: KMS in a few steps (key, alias, the 4 KB limit, data keys,
  an envelope, rotation), printed as plain text.
- `seal` / `open`: envelope-encrypt a file under a seeded simulator key and
  back; the same --seed recreates the same key, so a sealed file opens later.
- `describe`: the header of a sealed file, without decrypting it.

Bad input is one line on stderr naming the file or argument, and exit code
2, never a traceback. `seal` and `open` never write over their input, and
write their output beside the target first, then rename it into place, so a
failure leaves no half-written file.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

from . import envelope
from .client import KMSClient
from .errors import ClientError, EnvelopeError
from .simulator import Simulator

EXIT_BAD_INPUT = 2
REGION = "us-east-1"

# The CLI's own limit, not KMS's or the format's: it holds the whole file,
# the message and the result in memory at once. (KMS itself encrypts at most
# 4096 bytes directly, rules.MAX_PLAINTEXT; the envelope format allows up to
# 2**32-1 frames of up to 2**31-1 bytes, see envelope.py.)
MAX_PLAINTEXT = 1 << 30  # 1 GiB
# A sealed file of MAX_PLAINTEXT at the default frame size: 21 bytes per
# 64 KiB frame (under 1/1024) plus a header under 128 KiB.
MAX_MESSAGE = MAX_PLAINTEXT + MAX_PLAINTEXT // 1024 + (1 << 17)


class UsageError(Exception):
    """Bad input, reported as one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (exit 2), like any bad input."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _name(path: Path | str) -> str:
    """A path as it can be printed on one line."""
    text = os.fspath(path)
    return text if text.isprintable() else repr(text)


def _size_limits() -> str:
    return f"at most {MAX_PLAINTEXT} bytes (1 GiB, this CLI's limit: it works in memory)"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m kms_envelope",
        description="A seeded AWS KMS simulator with boto3's API, and envelope encryption. "
        f"Payloads and files to seal are {_size_limits()}; KMS Encrypt itself takes at "
        "most 4096 bytes, which is why envelope encryption exists.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    tour = commands.add_parser("tour", help="walk through KMS and envelope encryption")
    tour.add_argument("--seed", type=int, default=7, help="simulator seed (default 7)")
    tour.add_argument(
        "--size",
        type=int,
        default=1_000_000,
        help=f"payload bytes for the envelope step (default 1000000; {_size_limits()})",
    )
    for name, verb, what in (
        ("seal", "envelope-encrypt", f"the file to seal, {_size_limits()}"),
        ("open", "decrypt", "a file made by seal (up to 1 GiB of plaintext)"),
    ):
        command = commands.add_parser(
            name,
            help=f"{verb} a file under a seeded key",
            description=f"{verb.capitalize()} SOURCE into TARGET. TARGET must not be SOURCE "
            "(nor a link to it); it is written beside its final name, then renamed into "
            "place, so a failure leaves no partial file. A new TARGET is readable by its "
            "owner only; an existing one keeps its permissions.",
        )
        command.add_argument("source", type=Path, help=what)
        command.add_argument("target", type=Path, help="the file to write (replaced if it exists)")
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
        if key in context:
            raise UsageError(f"--context {pair!r}: the key {key!r} is given twice")
        for text in (key, value):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise UsageError(f"--context {pair!r}: not valid UTF-8 text") from None
        context[key] = value
    return context or None


def _os_error(path: Path, error: OSError, doing: str) -> UsageError:
    reason = error.strerror or str(error)
    return UsageError(f"{_name(path)}: cannot {doing} ({reason})")


def _read(path: Path, limit: int, what: str) -> bytes:
    """The whole file, refusing directories, and anything over `limit` bytes."""
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise UsageError(f"{_name(path)}: is a directory, not a file")
            if stat.S_ISREG(info.st_mode) and info.st_size > limit:
                raise UsageError(
                    f"{_name(path)}: {info.st_size} bytes is over the limit for {what} "
                    f"({limit} bytes)"
                )
            data = _read_at_most(fh, limit + 1)
    except FileNotFoundError:
        raise UsageError(f"{_name(path)}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{_name(path)}: is a directory, not a file") from None
    except OSError as error:
        raise _os_error(path, error, "read it") from None
    except ValueError as error:  # a NUL byte in the path
        raise UsageError(f"{_name(path)}: not a usable path ({error})") from None
    if len(data) > limit:
        raise UsageError(f"{_name(path)}: over the limit for {what} ({limit} bytes)")
    return data


def _read_at_most(fh: BinaryIO, size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = fh.read(min(left, 1 << 24))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _same_file(source: Path, target: Path) -> bool:
    try:
        if source.resolve() == target.resolve():
            return True
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        pass
    try:
        return os.path.samefile(source, target)
    except (OSError, ValueError):  # the target does not exist yet
        return False


def _check_target(source: Path, target: Path) -> None:
    """Refuse a target that is the source, or that cannot become a file."""
    if _same_file(source, target):
        raise UsageError(
            f"{_name(target)}: the output would overwrite the input {_name(source)}; "
            "write it to another file"
        )
    try:
        info = os.stat(target)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise _os_error(target, error, "write it") from None
    except ValueError as error:
        raise UsageError(f"{_name(target)}: not a usable path ({error})") from None
    else:
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{_name(target)}: is a directory; give a file name for the output")
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"{_name(target)}: is not a regular file; give a file name")
    parent = target.parent
    if not parent.is_dir():
        what = "does not exist" if not parent.exists() else "is not a directory"
        raise UsageError(f"{_name(target)}: the directory {_name(parent)} {what}")


def _write(path: Path, data: bytes) -> None:
    """Write `data` to a new file beside `path`, then rename it into place."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None  # a new file: mkstemp's 0600
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise _os_error(path, error, "write it") from None
    try:
        if mode is not None:
            os.chmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except OSError as error:
        raise _os_error(path, error, "write it") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _seeded_key(seed: int) -> tuple[KMSClient, str]:
    kms = Simulator(seed=seed).client("kms", region_name=REGION)
    key_id = kms.create_key(Description=f"kms_envelope CLI key, seed {seed}")["KeyMetadata"]
    return kms, str(key_id["KeyId"])


def _tour(seed: int, size: int, out: list[str]) -> None:
    if not 0 <= size <= MAX_PLAINTEXT:
        raise UsageError(f"--size {size}: must be 0 to {MAX_PLAINTEXT} bytes (1 GiB)")
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


def _command(args: Any) -> None:
    if args.command == "tour":
        lines: list[str] = []
        _tour(args.seed, args.size, lines)
        print("\n".join(lines))
        return
    if args.command == "describe":
        data = _read(args.source, MAX_MESSAGE, "a sealed file")
        print(json.dumps(envelope.describe(data), indent=2))
        return
    context = _context(args.context)
    if args.command == "seal":
        data = _read(args.source, MAX_PLAINTEXT, "a file to seal")
    else:
        data = _read(args.source, MAX_MESSAGE, "a sealed file")
    _check_target(args.source, args.target)
    kms, key_id = _seeded_key(args.seed)
    if args.command == "seal":
        result = envelope.encrypt(kms, key_id, data, context)
    else:
        result = envelope.decrypt(kms, data, context)
    del data
    _write(args.target, result)


def run(argv: Sequence[str] | None = None) -> int:
    args: Any = None
    try:
        args = _parser().parse_args(argv)
        _command(args)
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else 0
    except UsageError as error:
        return _fail(str(error))
    except (EnvelopeError, ClientError, ValueError, TypeError) as error:
        source = getattr(args, "source", None)
        return _fail(f"{_name(source)}: {error}" if source is not None else str(error))
    except MemoryError:
        return _fail("not enough memory for this input")
    return 0


def _fail(message: str) -> int:
    # One line whatever the message holds (argparse echoes arguments as given).
    print("kms_envelope: error: " + " ".join(message.split()), file=sys.stderr)
    return EXIT_BAD_INPUT
