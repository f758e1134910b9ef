"""What the output says about traffic that flow logs never show.

Source: "Flow log limitations"
https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-limitations.html
"""

from __future__ import annotations

NOT_LOGGED: tuple[str, ...] = (
    "traffic to the Amazon DNS server (traffic to your own DNS server is logged)",
    "Amazon Windows license activation traffic",
    "traffic to and from 169.254.169.254 (instance metadata)",
    "traffic to and from 169.254.169.123 (Amazon Time Sync Service)",
    "DHCP traffic",
    "mirrored traffic",
    "traffic to the reserved IP address for the default VPC router",
    "traffic between an endpoint network interface and a Network Load Balancer network interface",
)

NOT_LOGGED_NOTE = (
    "Flow logs never record some traffic, so its absence here is not silence: "
    + "; ".join(NOT_LOGGED)
    + " (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-limitations.html)."
)

PACKET_ADDRESSES_NOTE = (
    "Addresses are the packets' own (pkt-srcaddr, pkt-dstaddr) where a record has them, "
    "not the interface's (srcaddr, dstaddr), which differ behind NAT gateways and some "
    "load balancers."
)

INTERFACE_ADDRESSES_NOTE = (
    "The format has no pkt-srcaddr or pkt-dstaddr: addresses are srcaddr and dstaddr, "
    "which behind a NAT gateway or a load balancer are the interface's, not the packet's."
)
