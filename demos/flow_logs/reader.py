"""Flow log files as AWS delivers them, in; typed records out.

- **S3** text files: a header line naming the fields, then one record a line,
  fields separated by spaces; gzip (as S3 delivers them) is recognised by
  its magic bytes, not by the file's name. A second header line (two files
  concatenated) switches to its format.
  https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
- **CloudWatch Logs**: ``aws logs filter-log-events`` JSON (``{"events":
  [{"message": "..."}]}``, or a list of such pages), or the messages as
  plain lines, which have no header.
  https://docs.aws.amazon.com/cli/latest/reference/logs/filter-log-events.html
- Without a header, the format is ``--log-format`` (``${field} ...`` as
  ``aws ec2 create-flow-logs --log-format`` takes it), or else the default
  (version 2) format.
  https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html

Every error is a ``FlowLogError`` naming ``file:line`` (or the JSON path),
the field and the value.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from . import addresses
from .errors import FlowLogError
from .fields import ACTIONS, DEFAULT_FIELDS, FIELDS, INT_LIMITS, LOG_STATUSES
from .jsonfile import parse_json
from .records import Record, Value

Progress = Callable[[int, int], None]
_GZIP_MAGIC = b"\x1f\x8b"
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_CHECKED: dict[str, tuple[str, ...]] = {"action": ACTIONS, "log-status": LOG_STATUSES}


def _show(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "...")


def parse_log_format(text: str, where: str = "--log-format") -> tuple[str, ...]:
    """The field names of a ``${version} ${vpc-id} ...`` format string."""
    names: list[str] = []
    for token in text.split():
        match = _PLACEHOLDER.fullmatch(token)
        if match is None:
            raise FlowLogError(where, f"{_show(token)} is not a ${{field}} placeholder")
        names.append(match.group(1))
    return check_fields(names, where)


def check_fields(names: Iterable[str], where: str) -> tuple[str, ...]:
    """The names, if every one is a documented field and none repeats."""
    seen: list[str] = []
    for name in names:
        if name not in FIELDS:
            raise FlowLogError(where, f"{_show(name)} is not a flow log field")
        if name in seen:
            raise FlowLogError(where, f"field {name!r} appears twice")
        seen.append(name)
    if not seen:
        raise FlowLogError(where, "the format names no field")
    return tuple(seen)


class _Format:
    """A field list, compiled: which positions are numbers, addresses, enums."""

    __slots__ = ("addrs", "bounded", "checked", "convert", "fast", "ints", "names", "width")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.width = len(names)
        self.fast = re.compile(
            "[ \t]+".join(
                _SHAPE.get(FIELDS[n].kind, r"\S+")
                if n not in _CHECKED
                else "(?:" + "|".join(_CHECKED[n]) + "|-)"
                for n in names
            )
        )
        self.convert = _converter(names)
        self.bounded = [(n, INT_LIMITS[n]) for n in names if n in INT_LIMITS]
        self.ints = [
            (i, n, INT_LIMITS.get(n)) for i, n in enumerate(names) if FIELDS[n].kind == "int"
        ]
        self.addrs = [(i, n) for i, n in enumerate(names) if FIELDS[n].kind == "addr"]
        self.checked = [(i, n, _CHECKED[n]) for i, n in enumerate(names) if n in _CHECKED]

    def record(self, line: str, source: str, number: int | None = None) -> Record:
        """The typed record of one line; a FlowLogError at ``source:number`` if it is bad."""
        if self.fast.fullmatch(line):
            # The shape is right (numbers are ASCII digits, enums are known):
            # convert at once, then check what a regular expression can't.
            record = self.convert(line.split())
            for name, limit in self.bounded:
                value = record[name]
                if value is not None and value > limit:  # type: ignore[operator]
                    return self.checked_record(line, source, number)
            for _, name in self.addrs:
                value = record[name]
                if value is not None and value not in _GOOD_ADDRESSES:
                    if addresses.parse(value) is None:
                        return self.checked_record(line, source, number)
                    if len(_GOOD_ADDRESSES) < 1 << 20:
                        _GOOD_ADDRESSES.add(value)  # type: ignore[arg-type]
            return record
        return self.checked_record(line, source, number)

    def checked_record(self, line: str, source: str, number: int | None) -> Record:
        """The slow path: field by field, to name the first bad one."""
        at = source if number is None else f"{source}:{number}"
        parts: list[Value] = list(line.split())
        if len(parts) != self.width:
            raise FlowLogError(
                at, f"{len(parts)} fields, but the format has {self.width}: {_show(line)}"
            )
        for i, name, limit in self.ints:
            text = parts[i]
            assert isinstance(text, str)
            if text == "-":
                parts[i] = None
                continue
            if not (text.isascii() and text.isdigit()):
                raise FlowLogError(at, f"field {name!r}: {_show(text)} is not a number")
            value = int(text)
            if limit is not None and value > limit:
                raise FlowLogError(at, f"field {name!r}: {text} is above {limit}")
            parts[i] = value
        for i, name in self.addrs:
            text = parts[i]
            if text == "-":
                parts[i] = None
            elif addresses.parse(text) is None:
                raise FlowLogError(at, f"field {name!r}: {_show(str(text))} is not an address")
        for i, name, allowed in self.checked:
            text = parts[i]
            if text == "-":
                parts[i] = None
            elif text not in allowed:
                raise FlowLogError(
                    at,
                    f"field {name!r}: {_show(str(text))} is not one of {', '.join(allowed)}",
                )
        for i, text in enumerate(parts):
            if text == "-":
                parts[i] = None
        return dict(zip(self.names, parts, strict=True))


_SHAPE = {"int": r"(?:[0-9]+|-)", "addr": r"(?:[0-9A-Fa-f.:]+|-)"}
_GOOD_ADDRESSES: set[str] = set()


def _converter(names: tuple[str, ...]) -> Callable[[list[str]], Record]:
    """A function from a line's parts to its record, written out for the format.

    One straight-line dict display per format is several times faster than a
    loop over the fields, and the reader runs it once per record.
    """
    items = []
    for i, name in enumerate(names):
        value = f"int(p[{i}])" if FIELDS[name].kind == "int" else f"p[{i}]"
        items.append(f"{name!r}: None if p[{i}] == '-' else {value}")
    source = "def convert(p):\n    return {" + ", ".join(items) + "}\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "<flow_logs format>", "exec"), namespace)  # names are checked fields
    convert: Callable[[list[str]], Record] = namespace["convert"]
    return convert


def _is_header(line: str) -> bool:
    first = line.split(None, 1)[0]
    return first in FIELDS


def read_lines(
    lines: Iterable[str],
    source: str,
    fields: tuple[str, ...] | None = None,
    *,
    first_line: int = 1,
) -> Iterator[Record]:
    """Records of text lines: S3 files (header line) or CloudWatch messages."""
    fmt = _Format(fields or DEFAULT_FIELDS)
    fast, convert = fmt.fast.fullmatch, fmt.convert
    plain = not fmt.bounded and not fmt.addrs  # nothing left to check after the shape
    for number, raw in enumerate(lines, first_line):
        line = raw.strip()
        if not line:
            continue
        space = line.find(" ")
        if (line if space < 0 else line[:space]) in FIELDS:  # a header line
            fmt = _Format(check_fields(line.split(), f"{source}:{number}"))
            fast, convert = fmt.fast.fullmatch, fmt.convert
            plain = not fmt.bounded and not fmt.addrs
            continue
        if plain and fast(line):
            yield convert(line.split())
        else:
            yield fmt.record(line, source, number)


def _decode_lines(stream: IO[bytes], source: str) -> Iterator[str]:
    for number, raw in enumerate(stream, 1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise FlowLogError(f"{source}:{number}", "not UTF-8 text") from None


def _json_records(data: bytes, source: str, fields: tuple[str, ...] | None) -> Iterator[Record]:
    doc: Any = parse_json(data, source)
    pages = doc if isinstance(doc, list) else [doc]
    for p, page in enumerate(pages):
        base = f"[{p}]." if isinstance(doc, list) else ""
        if not isinstance(page, dict) or not isinstance(page.get("events"), list):
            where = f"{source}: {base[:-1] or '(top level)'}"
            raise FlowLogError(where, 'expected {"events": [...]} (aws logs filter-log-events)')
        for e, event in enumerate(page["events"]):
            path = f"{source}: {base}events[{e}]"
            if not isinstance(event, dict) or not isinstance(event.get("message"), str):
                raise FlowLogError(path, 'expected an object with a "message" string')
            message = event["message"].strip()
            if not message or _is_header(message):
                continue
            fmt = _Format(fields or DEFAULT_FIELDS)
            yield fmt.record(message, f"{path}.message")


class _Counting(io.RawIOBase):
    """Reports bytes read from the underlying (compressed) stream."""

    def __init__(self, inner: IO[bytes], total: int, progress: Progress) -> None:
        self.inner, self.total, self.progress, self.done = inner, total, progress, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.inner.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self.done += len(chunk)
        self.progress(self.done, self.total)
        return len(chunk)


def read_stream(
    stream: IO[bytes],
    source: str,
    log_format: str | None = None,
    *,
    total: int = 0,
    progress: Progress | None = None,
) -> Iterator[Record]:
    """Records from a binary stream: plain text, gzip, or CloudWatch JSON.

    The stream is read to its end and closed.
    """
    fields = parse_log_format(log_format) if log_format else None
    raw: Any = _Counting(stream, total, progress) if progress is not None else stream
    buffered = io.BufferedReader(raw, 1 << 16)
    opened: list[io.IOBase] = [buffered]
    try:
        if buffered.peek(2)[:2] == _GZIP_MAGIC:
            unzipped = gzip.GzipFile(fileobj=buffered, mode="rb")
            opened.append(unzipped)
            buffered = io.BufferedReader(unzipped, 1 << 16)
            opened.append(buffered)
        first = buffered.peek(4096).lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
        if first in (b"{", b"["):
            yield from _json_records(buffered.read(), source, fields)
            return
        yield from read_lines(_decode_lines(buffered, source), source, fields)
    except (OSError, EOFError, zlib.error) as exc:
        raise FlowLogError(source, f"not a readable gzip file ({exc})") from None
    finally:
        for f in reversed(opened):
            f.close()


def read_bytes(
    data: bytes,
    source: str = "(input)",
    log_format: str | None = None,
    *,
    progress: Progress | None = None,
) -> Iterator[Record]:
    """Records of a whole file's bytes (what the browser demo hands over)."""
    return read_stream(
        io.BytesIO(data),
        source,
        log_format,
        total=len(data),
        progress=progress,
    )


def read_file(
    path: str, log_format: str | None = None, *, progress: Progress | None = None
) -> Iterator[Record]:
    """Records of a file on disk, read as a stream."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, after the generator ends
    except FileNotFoundError:
        raise FlowLogError(path, "no such file") from None
    except IsADirectoryError:
        raise FlowLogError(path, "is a directory, not a flow log file") from None
    except OSError as exc:
        raise FlowLogError(path, f"cannot read the file ({exc.strerror})") from None
    return _closing(fh, path, log_format, progress)


def _closing(
    fh: IO[bytes], path: str, log_format: str | None, progress: Progress | None
) -> Iterator[Record]:
    with fh:
        size = 0
        if progress is not None:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(0)
        yield from read_stream(fh, path, log_format, total=size, progress=progress)
