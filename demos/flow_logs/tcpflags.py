"""The ``tcp-flags`` field, read as AWS documents it.

Source: "Flow log records", field ``tcp-flags``
https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
- the bitmask of FIN (1), SYN (2), RST (4) and SYN-ACK (18); ACK and PSH
  alone are not logged (value 0);
- flags are OR-ed over the aggregation interval, so a short connection can
  show 19 (SYN-ACK and FIN) or 3 (SYN and FIN) on one record.
The TCP flag sequence example on
https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html
shows the client's record with SYN (2) and the server's with SYN-ACK (18).
"""

from __future__ import annotations

FIN = 1
SYN = 2
RST = 4
SYN_ACK = 18
_ACK_BIT = SYN_ACK & ~SYN  # 16: only ever logged together with SYN


def has_syn(flags: int) -> bool:
    return bool(flags & SYN)


def is_syn_ack(flags: int) -> bool:
    """SYN-ACK seen: the record is the answering side of a handshake."""
    return flags & SYN_ACK == SYN_ACK


def is_attempt(flags: int) -> bool:
    """SYN without ACK: the opening side of a handshake."""
    return has_syn(flags) and not flags & _ACK_BIT


def names(flags: int) -> list[str]:
    """The documented flags set in ``flags``, SYN-ACK as one name."""
    out = []
    if is_syn_ack(flags):
        out.append("SYN-ACK")
    elif flags & SYN:
        out.append("SYN")
    if flags & FIN:
        out.append("FIN")
    if flags & RST:
        out.append("RST")
    return out
