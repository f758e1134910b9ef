"""An approximation of WAF's SQL injection and XSS detection.

AWS does not publish its algorithm. This one is written here in the manner
of libinjection (https://github.com/libinjection/libinjection): the input is
tokenized as SQL three times (as it is, and as if it followed a single or a
double quote, since an injection usually breaks out of a quoted value), and
the token classes are matched against a small set of shapes that SQL needs
and prose rarely has. XSS looks for markup that runs script: a script-capable
tag, an event-handler attribute, or a script URL.

Results are approximate and marked so in the output. bench/waf_rules_bench.py
prints the detection and false-positive rates on data/injection-corpus.json.
"""

from __future__ import annotations

import re
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Token classes: s string, n number, k keyword, u UNION, e SELECT, f function
# call, o operator, l logic (AND/OR/&&/||), c comment, ; semicolon, ( ), v
# variable (@@x), b bare word.
_KEYWORDS = _words(
    "select insert update delete drop from where having group order by "
    "limit into values table exec execute declare cast convert case when "
    "then else end truncate alter create shutdown waitfor delay like "
    "between is null sleep benchmark information_schema load_file outfile "
    "dumpfile xp_cmdshell"
)
_FUNCTIONS = _words(
    "sleep benchmark pg_sleep char chr concat concat_ws substring substr "
    "ascii version database user load_file extractvalue updatexml count "
    "hex unhex md5 if ifnull coalesce group_concat randomblob dbms_pipe"
)
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<c>--[^\n]*|\#[^\n]*|/\*.*?(?:\*/|$))
  | (?P<s>'(?:[^'\\]|\\.|'')*'?|"(?:[^"\\]|\\.|"")*"?)
  | (?P<n>0x[0-9a-f]+|\d+(?:\.\d+)?)
  | (?P<v>@@?[a-z_][a-z0-9_]*)
  | (?P<w>[a-z_][a-z0-9_$]*)
  | (?P<l>&&|\|\|)
  | (?P<o><=>|<>|!=|<=|>=|[=<>+\-*/%^|&~!])
  | (?P<semi>;)
  | (?P<p>[(),])
  | (?P<x>.)
    """,
    re.I | re.S | re.X,
)


def _classes(text: str) -> str:
    out: list[str] = []
    tokens = [(m.lastgroup or "x", m[0]) for m in _TOKEN.finditer(text)]
    for i, (kind, value) in enumerate(tokens):
        if kind == "ws":
            continue
        if kind == "w":
            word = value.lower()
            nxt = next((t for t in tokens[i + 1 :] if t[0] != "ws"), ("", ""))
            if word in ("and", "or", "xor", "not"):
                out.append("l")
            elif word == "union":
                out.append("u")
            elif word == "select":
                out.append("e")
            elif word in _FUNCTIONS and nxt[1] == "(":
                out.append("f")
            elif word in _KEYWORDS:
                out.append("k")
            else:
                out.append("b")
        elif kind == "semi":
            out.append(";")
        elif kind == "p":
            out.append(value)
        elif kind == "x":
            continue
        else:
            out.append(kind)
    return "".join(out)


# Shapes of token classes that mean SQL, at the start of the token string
# once the value is read after a quote ("context" break), or anywhere.
_BROKEN = [
    re.compile(p)
    for p in (
        r"^s[lo]+[sn(fbv]",  # ' OR 1=1, ' or 'a'='a, ' || ...
        r"^s[lo]*c",  # admin'-- , admin'#
        r"^s\)*;",  # '; DROP ...
        r"^s\)*[lo]+[sn(fbv]",  # ') OR ('1'='1
        r"^s\)*u",  # ' UNION ...
        r"^sk+[^c]*c$",  # ' ORDER BY 3--
    )
]
_ANYWHERE = [
    re.compile(p)
    for p in (
        r"u(?:b|k)*\(?e",  # UNION [ALL] SELECT
        r"e(?:[nsvf(),o]|b(?!b))+k(?:b|\()",  # SELECT a, b FROM t (not prose: no two bare words)
        r";[ke]",  # ; DROP, ; SELECT
        r"f\(",  # SLEEP(, BENCHMARK(, CHAR(
        r"^n\)*l\(*[sn(f]",  # 1 OR 1=1, 1) AND (1=1
    )
]
_PLAIN = re.compile(r"waitfor\s+delay\s+['\"]|xp_cmdshell|information_schema", re.I)
_HIGH = [
    re.compile(p)
    for p in (
        r"^s[lok]",  # any operator or keyword straight after the broken quote
        r"^n[lo]+[sn(fb]",
        r"v",  # @@version
        r"c.*k|k.*c",  # a keyword with a comment beside it (SEL/**/ECT)
    )
]


@lru_cache(maxsize=4096)
def is_sqli(value: str, high: bool = False) -> bool:
    """Whether `value` looks like SQL injection (approximately)."""
    if not value or len(value) < 2:
        return False
    if _PLAIN.search(value):
        return True
    plain = _classes(value)
    for pattern in _ANYWHERE:
        if pattern.search(plain):
            return True
    for quote in ("'", '"'):
        if quote not in value:
            continue
        broken = _classes(quote + value)
        for pattern in _BROKEN:
            if pattern.search(broken):
                return True
        if high and any(p.search(broken) for p in _HIGH[:1]):
            return True
    return high and any(p.search(plain) for p in _HIGH[1:])


_TAG = re.compile(r"<\s*/?\s*([a-z][a-z0-9:-]*)([^>]*)>?", re.I | re.S)
_DANGEROUS_TAGS = _words(
    "script iframe frame frameset object embed applet base meta link style "
    "svg math form isindex template xml import"
)
_HANDLER = re.compile(r"(?:^|[\s/\"'])on[a-z]{3,}\s*=", re.I)
_URL = re.compile(r"(?:java|vb|live)script\s*:|data\s*:\s*text/html", re.I)
_CSS_EXPR = re.compile(r"expression\s*\(|-moz-binding|behavior\s*:", re.I)
_ATTR_BREAK = re.compile(r"""^[^<>]*["'`][^<>"'`]*?[\s/]on[a-z]{3,}\s*=""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@lru_cache(maxsize=4096)
def is_xss(value: str) -> bool:
    """Whether `value` looks like cross-site scripting (approximately)."""
    if not value:
        return False
    text = _CONTROL.sub("", value)
    for m in _TAG.finditer(text):
        name, attrs = m[1].lower(), m[2]
        if name in _DANGEROUS_TAGS:
            return True
        if _HANDLER.search(attrs) or _URL.search(attrs) or _CSS_EXPR.search(attrs):
            return True
    if _URL.search(text) and re.search(
        r"(?:^|[\s\"'=(])(?:java|vb|live)script\s*:|^\s*data\s*:", text, re.I
    ):
        return True
    return bool(_ATTR_BREAK.search(text)) or bool(_CSS_EXPR.search(text) and "(" in text)
