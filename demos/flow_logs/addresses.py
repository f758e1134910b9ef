"""Which addresses are private, and which one a record's packet really had.

Private ranges (not "public" for ``observe``):
- RFC 1918 private IPv4: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16
  (https://www.rfc-editor.org/rfc/rfc1918);
- RFC 6598 shared address space (carrier-grade NAT): 100.64.0.0/10
  (https://www.rfc-editor.org/rfc/rfc6598);
- RFC 4193 unique local IPv6: fc00::/7 (https://www.rfc-editor.org/rfc/rfc4193);
- link-local: 169.254.0.0/16 (RFC 3927) and fe80::/10 (RFC 4291).
Loopback and unspecified addresses never appear on the wire; they are not
public either.

Packet addresses: behind a NAT gateway or some load balancers ``srcaddr`` and
``dstaddr`` are the interface's own addresses, and ``pkt-srcaddr`` and
``pkt-dstaddr`` are the packet's; see "Flow log records"
(https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html)
and the NAT gateway example on
https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from .records import Record

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "169.254.0.0/16",
        "127.0.0.0/8",
        "0.0.0.0/8",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
        "::/128",
    )
)


@lru_cache(maxsize=65536)
def parse(text: str) -> IPAddress | None:
    """The address, or None if ``text`` is not one."""
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def is_public(text: str) -> bool:
    """Not RFC 1918, RFC 6598, ULA, link-local, loopback or unspecified."""
    addr = parse(text)
    if addr is None:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return not any(addr.version == n.version and addr in n for n in PRIVATE_NETWORKS)


def sort_key(text: str) -> tuple[int, int, str]:
    """Addresses ascending: IPv4 before IPv6, by number; non-addresses last."""
    addr = parse(text)
    if addr is None:
        return (9, 0, text)
    return (addr.version, int(addr), text)


def source(record: Record) -> str | None:
    """The packet's source address: ``pkt-srcaddr`` where the format has it."""
    pkt = record.get("pkt-srcaddr")
    if isinstance(pkt, str):
        return pkt
    value = record.get("srcaddr")
    return value if isinstance(value, str) else None


def destination(record: Record) -> str | None:
    """The packet's destination address: ``pkt-dstaddr`` where the format has it."""
    pkt = record.get("pkt-dstaddr")
    if isinstance(pkt, str):
        return pkt
    value = record.get("dstaddr")
    return value if isinstance(value, str) else None
