"""Every field a VPC flow log record can carry: data, with its AWS source.

Source: "Flow log records", section "Available fields"
https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
(the version each field was introduced in, the default format = every
version 2 field in table order, and "-" for a field that does not apply).

The Athena column types are those of AWS's own ``CREATE TABLE`` statements:
https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html
and, for the ECS fields and ``reject-reason``, "string" (plain text logs are
all STRING, the same page notes for S3 plain text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["int", "str", "addr"]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    version: int
    kind: Kind
    athena_type: str

    @property
    def column(self) -> str:
        """The Athena column name: hyphens become underscores."""
        return self.name.replace("-", "_")


def _f(name: str, version: int, kind: Kind, athena_type: str = "string") -> Field:
    return Field(name, version, kind, athena_type)


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        # version 2: the default format, in this order
        _f("version", 2, "int", "int"),
        _f("account-id", 2, "str"),
        _f("interface-id", 2, "str"),
        _f("srcaddr", 2, "addr"),
        _f("dstaddr", 2, "addr"),
        _f("srcport", 2, "int", "int"),
        _f("dstport", 2, "int", "int"),
        _f("protocol", 2, "int", "bigint"),
        _f("packets", 2, "int", "bigint"),
        _f("bytes", 2, "int", "bigint"),
        _f("start", 2, "int", "bigint"),
        _f("end", 2, "int", "bigint"),
        _f("action", 2, "str"),
        _f("log-status", 2, "str"),
        # version 3
        _f("vpc-id", 3, "str"),
        _f("subnet-id", 3, "str"),
        _f("instance-id", 3, "str"),
        _f("tcp-flags", 3, "int", "int"),
        _f("type", 3, "str"),
        _f("pkt-srcaddr", 3, "addr"),
        _f("pkt-dstaddr", 3, "addr"),
        # version 4
        _f("region", 4, "str"),
        _f("az-id", 4, "str"),
        _f("sublocation-type", 4, "str"),
        _f("sublocation-id", 4, "str"),
        # version 5
        _f("pkt-src-aws-service", 5, "str"),
        _f("pkt-dst-aws-service", 5, "str"),
        _f("flow-direction", 5, "str"),
        _f("traffic-path", 5, "int", "int"),
        # version 7: Amazon ECS
        _f("ecs-cluster-arn", 7, "str"),
        _f("ecs-cluster-name", 7, "str"),
        _f("ecs-container-instance-arn", 7, "str"),
        _f("ecs-container-instance-id", 7, "str"),
        _f("ecs-container-id", 7, "str"),
        _f("ecs-second-container-id", 7, "str"),
        _f("ecs-service-name", 7, "str"),
        _f("ecs-task-definition-arn", 7, "str"),
        _f("ecs-task-arn", 7, "str"),
        _f("ecs-task-id", 7, "str"),
        # version 8
        _f("reject-reason", 8, "str"),
    )
}

DEFAULT_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS.values() if f.version == 2)
DEFAULT_FORMAT = " ".join(f"${{{name}}}" for name in DEFAULT_FIELDS)

# The values AWS documents for the two status fields (same page).
LOG_STATUSES = ("OK", "NODATA", "SKIPDATA")
ACTIONS = ("ACCEPT", "REJECT")

# Largest value of each bounded integer field (ports are 16 bits, the IP
# protocol number 8 bits).
INT_LIMITS: dict[str, int] = {
    "srcport": 65535,
    "dstport": 65535,
    "protocol": 255,
    "tcp-flags": 255,
}
