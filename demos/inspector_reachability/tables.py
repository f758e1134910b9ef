"""Rule tables the engine and the reader look up, kept as data apart from
the code that uses them (the recognized ports live in data/recognized_ports.json).
"""

from __future__ import annotations

import ipaddress

from .intervals import Ranges, normalize
from .model import Protocol, RuleProtocol

# IpProtocol / Protocol values as the EC2 API returns them ("-1" is every
# protocol; numbers are IANA protocol numbers) and the names it also accepts.
RULE_PROTOCOLS: dict[str, RuleProtocol] = {
    "-1": "all",
    "all": "all",
    "6": "tcp",
    "tcp": "tcp",
    "17": "udp",
    "udp": "udp",
}

# ELBv2 and Classic ELB listener protocols -> the transport they carry
# (ELBv2 API reference, Listener.Protocol; Classic Listener.Protocol).
LISTENER_PROTOCOLS: dict[str, tuple[Protocol, ...]] = {
    "HTTP": ("tcp",),
    "HTTPS": ("tcp",),
    "TCP": ("tcp",),
    "TLS": ("tcp",),
    "SSL": ("tcp",),
    "UDP": ("udp",),
    "TCP_UDP": ("tcp", "udp"),
    "QUIC": ("udp",),
    "TCP_QUIC": ("tcp", "udp"),
    "GENEVE": ("udp",),
}

# Target group protocols for which a Network Load Balancer always keeps the
# client's address (it can't be turned off):
# https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation
CLIENT_IP_ALWAYS_KEPT: frozenset[str] = frozenset({"UDP", "TCP_UDP", "QUIC", "TCP_QUIC"})

# Transit gateway routes of one destination, propagated from different kinds
# of attachment: the lower wins ("Route evaluation order"; static routes
# rank 0 and prefix-list routes 1 come first):
# https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html
TGW_PROPAGATED_RANK: dict[str, int] = {
    "vpc": 2,
    "direct-connect-gateway": 3,
    "connect": 4,
    "vpn": 5,
    "peering": 6,
    "tgw-peering": 6,
}


def _blocks(*cidrs: str) -> Ranges:
    nets = [ipaddress.ip_network(c) for c in cidrs]
    return normalize((int(n.network_address), int(n.broadcast_address)) for n in nets)


# Addresses that never arrive from the internet through an IGW: private
# (RFC 1918, RFC 4193), shared (RFC 6598), loopback, link-local, multicast,
# "this network" and reserved space. A rule open to 10.0.0.0/8 is not open to
# the internet even where 10.0.0.0/8 is not local to the VPC.
NOT_INTERNET: dict[int, Ranges] = {
    4: _blocks(
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/4",
        "240.0.0.0/4",
    ),
    6: _blocks("::/127", "fc00::/7", "fe80::/10", "ff00::/8"),
}
