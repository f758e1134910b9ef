"""Text transformations, one function per documented type.

Each type's behaviour is from "Using text transformations in AWS WAF",
https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html
(the valid types: https://docs.aws.amazon.com/waf/latest/APIReference/API_TextTransformation.html).

Values are Python strings; a byte that is not UTF-8 (from a decode) is kept
as a surrogate escape, so bytes and text convert both ways without loss.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable, Sequence

Transform = Callable[[str], str]

_ENC = ("utf-8", "surrogateescape")


def to_bytes(text: str) -> bytes:
    return text.encode(*_ENC)


def from_bytes(data: bytes) -> str:
    return data.decode(*_ENC)


_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_UPPER = {c + 32: c for c in range(ord("A"), ord("Z") + 1)}


def lowercase(s: str) -> str:
    """Uppercase letters (A-Z) to lowercase (a-z)."""
    return s.translate(_LOWER)


def uppercase(s: str) -> str:
    """Lowercase letters (a-z) to uppercase (A-Z)."""
    return s.translate(_UPPER)


_HEX = b"0123456789abcdefABCDEF"


def _url_decode(s: str, *, unicode_escapes: bool) -> str:
    if "%" not in s and "+" not in s:
        return s
    data = to_bytes(s)
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c == 0x25:  # %
            if (
                unicode_escapes
                and i + 5 < n
                and data[i + 1] in b"uU"
                and all(b in _HEX for b in data[i + 2 : i + 6])
            ):
                out += to_bytes(_narrow(int(data[i + 2 : i + 6], 16)))
                i += 6
                continue
            if i + 2 < n and data[i + 1] in _HEX and data[i + 2] in _HEX:
                out.append(int(data[i + 1 : i + 3], 16))
                i += 3
                continue
        out.append(0x20 if c == 0x2B else c)  # '+' is a space in a query string
        i += 1
    return from_bytes(bytes(out))


def url_decode(s: str) -> str:
    """Decode %HH escapes (and + as a space)."""
    return _url_decode(s, unicode_escapes=False)


def url_decode_uni(s: str) -> str:
    """Like URL_DECODE, and also Microsoft's %uHHHH escapes: a full-width code
    (FF01-FF5E) adjusts to ASCII, otherwise only the lower byte is kept."""
    return _url_decode(s, unicode_escapes=True)


# The references the type's description lists (it lists no &amp;).
_ENTITY = re.compile(r"&(?:#[xX]([0-9a-fA-F]+)|#([0-9]+)|(quot|nbsp|lt|gt));?")
_NAMED = {"quot": '"', "nbsp": "\xa0", "lt": "<", "gt": ">"}


def _entity(m: re.Match[str]) -> str:
    hexa, dec, named = m.groups()
    if named:
        return _NAMED[named]
    code = int(hexa, 16) if hexa else int(dec)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m[0]


def html_entity_decode(s: str) -> str:
    """&quot; &nbsp; &lt; &gt;, and &#xhhhh; and &#nnnn; character references."""
    return _ENTITY.sub(_entity, s) if "&" in s else s


_WS = re.compile("[\f\t\n\r\v \xa0]+")


def compress_white_space(s: str) -> str:
    r"""\f \t \n \r \v and non-breaking space become a space; runs of spaces become one."""
    return _WS.sub(" ", s)


_CMD_DELETE = str.maketrans("", "", "\\\"'^")
_CMD_BEFORE = re.compile(r" +(?=[/(])")
_CMD_SPACES = re.compile(" {2,}")


def cmd_line(s: str) -> str:
    r"""Delete \ " ' ^; delete spaces before / and (; , and ; become a space;
    runs of spaces become one; A-Z to a-z."""
    s = s.translate(_CMD_DELETE)
    s = _CMD_BEFORE.sub("", s)
    s = s.replace(",", " ").replace(";", " ")
    s = _CMD_SPACES.sub(" ", s)
    return lowercase(s)


_B64_ALPHABET = re.compile(r"[^A-Za-z0-9+/]")


def base64_decode(s: str) -> str:
    """Decode a Base64-encoded string (left as it is if it is not Base64)."""
    text = s.strip()
    try:
        return from_bytes(base64.b64decode(text + "=" * (-len(text) % 4), validate=True))
    except (binascii.Error, ValueError):
        return s


def base64_decode_ext(s: str) -> str:
    """Decode Base64 forgivingly: characters that aren't Base64 are ignored."""
    text = _B64_ALPHABET.sub("", s)
    text = text[: len(text) - len(text) % 4] if len(text) % 4 == 1 else text
    try:
        return from_bytes(base64.b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError):
        return s


def hex_decode(s: str) -> str:
    """Decode a string of hexadecimal characters into binary."""
    try:
        return from_bytes(bytes.fromhex(s)) if len(s) % 2 == 0 and "  " not in s else s
    except ValueError:
        return s


def _narrow(code: int) -> str:
    # Full-width ASCII (U+FF01-U+FF5E) maps back to ASCII; otherwise only the
    # low byte is kept, as the JS_DECODE and CSS_DECODE descriptions say.
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    return from_bytes(bytes([code & 0xFF]))


_C_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_JS = re.compile(r"\\(?:[uU]([0-9a-fA-F]{4})|[xX]([0-9a-fA-F]{2})|([0-7]{1,3})|(.))", re.S)


def _js(m: re.Match[str]) -> str:
    uni, hexa, octal, other = m.groups()
    if uni:
        return _narrow(int(uni, 16))
    if hexa:
        return from_bytes(bytes([int(hexa, 16)]))
    if octal:
        return from_bytes(bytes([int(octal, 8) & 0xFF]))
    return _C_ESCAPES.get(other, other)


def js_decode(s: str) -> str:
    r"""JavaScript escapes: \uHHHH, \xHH, \OOO, \n and the like; \c becomes c."""
    return _JS.sub(_js, s) if "\\" in s else s


_CSS = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.S)


def css_decode(s: str) -> str:
    r"""CSS 2.x escapes: \ and 1 to 6 hex digits (a following white space is
    part of the escape), and \c for any other character c."""
    if "\\" not in s:
        return s
    return _CSS.sub(lambda m: _narrow(int(m[1], 16)) if m[1] else m[2], s)


_ESC = re.compile(r"\\(?:[xX]([0-9a-fA-F]{1,2})|([0-7]{1,3})|([abfnrtv\\?'\"]))")


def escape_seq_decode(s: str) -> str:
    r"""ANSI C escape sequences: \a \b \f \n \r \t \v \\ \? \' \" \xHH \OOO."""
    if "\\" not in s:
        return s

    def one(m: re.Match[str]) -> str:
        hexa, octal, char = m.groups()
        if hexa:
            return from_bytes(bytes([int(hexa, 16)]))
        if octal:
            return from_bytes(bytes([int(octal, 8) & 0xFF]))
        return _C_ESCAPES.get(char, char)

    return _ESC.sub(one, s)


_SQL_HEX = re.compile(r"0[xX]((?:[0-9a-fA-F]{2})+)")


def sql_hex_decode(s: str) -> str:
    """SQL hex data: 0x414243 becomes ABC."""
    return _SQL_HEX.sub(lambda m: from_bytes(bytes.fromhex(m[1])), s)


def md5(s: str) -> str:
    """The MD5 digest (16 raw bytes) of the value."""
    return from_bytes(hashlib.md5(to_bytes(s), usedforsecurity=False).digest())


def remove_nulls(s: str) -> str:
    """Remove NULL bytes."""
    return s.replace("\x00", "")


def replace_nulls(s: str) -> str:
    """Replace NULL bytes with a space."""
    return s.replace("\x00", " ")


_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)


def replace_comments(s: str) -> str:
    """Each C-style comment /* ... */ (an unterminated one at the end too)
    becomes one space; -- and # are left alone."""
    return _COMMENT.sub(" ", s) if "/*" in s else s


def normalize_path(s: str) -> str:
    """Remove multiple slashes, self-references (./) and back-references
    (dir/../) that are not at the beginning of the input."""
    if not s:
        return s
    parts = s.split("/")
    lead = parts[0] == ""
    trail = len(parts) > 1 and parts[-1] in ("", ".", "..")
    out: list[str] = []
    for part in parts:
        if part in ("", "."):
            continue
        if part == ".." and out and out[-1] != "..":
            out.pop()
            continue
        out.append(part)
    result = ("/" if lead else "") + "/".join(out)
    if trail and out and not result.endswith("/"):
        result += "/"
    return result or ("/" if lead else "")


def normalize_path_win(s: str) -> str:
    """Backslashes to forward slashes, then NORMALIZE_PATH."""
    return normalize_path(s.replace("\\", "/"))


def utf8_to_unicode(s: str) -> str:
    """Every UTF-8 character sequence (non-ASCII character) to its %uHHHH form."""
    return "".join(c if ord(c) < 0x80 else f"%u{ord(c):04x}" for c in s)


def none(s: str) -> str:
    return s


TRANSFORMS: dict[str, Transform] = {
    "NONE": none,
    "LOWERCASE": lowercase,
    "UPPERCASE": uppercase,
    "URL_DECODE": url_decode,
    "URL_DECODE_UNI": url_decode_uni,
    "HTML_ENTITY_DECODE": html_entity_decode,
    "COMPRESS_WHITE_SPACE": compress_white_space,
    "CMD_LINE": cmd_line,
    "BASE64_DECODE": base64_decode,
    "BASE64_DECODE_EXT": base64_decode_ext,
    "HEX_DECODE": hex_decode,
    "JS_DECODE": js_decode,
    "CSS_DECODE": css_decode,
    "ESCAPE_SEQ_DECODE": escape_seq_decode,
    "SQL_HEX_DECODE": sql_hex_decode,
    "MD5": md5,
    "REMOVE_NULLS": remove_nulls,
    "REPLACE_NULLS": replace_nulls,
    "REPLACE_COMMENTS": replace_comments,
    "NORMALIZE_PATH": normalize_path,
    "NORMALIZE_PATH_WIN": normalize_path_win,
    "UTF8_TO_UNICODE": utf8_to_unicode,
}


def chain(functions: Sequence[Transform]) -> Transform:
    """One function applying `functions` in order (already sorted by Priority)."""
    steps = tuple(f for f in functions if f is not none)
    if not steps:
        return none
    if len(steps) == 1:
        return steps[0]

    def run(s: str) -> str:
        for f in steps:
            s = f(s)
        return s

    return run


def apply(value: str, types: Sequence[str]) -> str:
    """`value` through the named transformations, in the order given."""
    return chain([TRANSFORMS[t] for t in types])(value)
