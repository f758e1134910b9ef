"""One canonical byte form of an encryption context, used as AAD.

Sorted by key, each key and value UTF-8 and length-prefixed (2 bytes, big
endian), after a 2-byte count: the shape of the AWS Encryption SDK's
serialized context (https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/body-aad-reference.html),
so that {"a": "bc"} and {"ab": "c"} can never collide.
"""

from collections.abc import Mapping


class ContextError(ValueError):
    """The encryption context is not a mapping of strings to strings."""


def check_context(context: object, where: str = "EncryptionContext") -> dict[str, str]:
    if context is None:
        return {}
    if not isinstance(context, Mapping):
        raise ContextError(f"{where} must be a dict of str to str, not {type(context).__name__}")
    out: dict[str, str] = {}
    for k, v in context.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise ContextError(f"{where} keys and values must be str (got {k!r}: {v!r})")
        out[k] = v
    return out


def canonical_context(context: Mapping[str, str]) -> bytes:
    parts = [len(context).to_bytes(2, "big")]
    for key in sorted(context):
        for text in (key, context[key]):
            raw = text.encode("utf-8")
            if len(raw) > 0xFFFF:
                raise ContextError("an encryption context entry is longer than 65535 bytes")
            parts.append(len(raw).to_bytes(2, "big"))
            parts.append(raw)
    return b"".join(parts)
