"""IP protocol numbers and IANA's keywords for them, in lower case.

Source: IANA, "Assigned Internet Protocol Numbers"
https://www.iana.org/assignments/protocol-numbers/protocol-numbers.xhtml
(the "Keyword" column). Flow logs carry the number: "The IANA protocol
number of the traffic" (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
Numbers without a keyword here are shown as the number.
"""

from __future__ import annotations

KEYWORDS: dict[int, str] = {
    0: "hopopt",
    1: "icmp",
    2: "igmp",
    3: "ggp",
    4: "ipv4",
    5: "st",
    6: "tcp",
    8: "egp",
    9: "igp",
    17: "udp",
    27: "rdp",
    33: "dccp",
    41: "ipv6",
    43: "ipv6-route",
    44: "ipv6-frag",
    46: "rsvp",
    47: "gre",
    50: "esp",
    51: "ah",
    58: "ipv6-icmp",
    59: "ipv6-nonxt",
    60: "ipv6-opts",
    88: "eigrp",
    89: "ospfigp",
    94: "ipip",
    103: "pim",
    108: "ipcomp",
    112: "vrrp",
    115: "l2tp",
    132: "sctp",
    136: "udplite",
    137: "mpls-in-ip",
}

NUMBERS: dict[str, int] = {keyword: number for number, keyword in KEYWORDS.items()}


def protocol_name(number: int) -> str | int:
    """IANA's keyword in lower case, or the number where there is none here."""
    return KEYWORDS.get(number, number)
