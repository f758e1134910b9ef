"""``athena``: the table AWS documents for a format, and the summaries as SQL.

The ``CREATE EXTERNAL TABLE`` follows "Create and query a table for Amazon
VPC flow logs using partition projection":
https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-partition-projection.html
(columns in the format's order, hyphens as underscores, ``end`` quoted;
space-delimited rows; the header line skipped; partitions ``accid``,
``region`` and ``day`` projected from the S3 path
``AWSLogs/{account}/vpcflowlogs/{region}/yyyy/MM/dd/``). The column types are
those of that page and of
https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html.
A format with the ``region`` field keeps it as a column, so the partition is
called ``log_region`` there.

The ``SELECT`` statements are written in the SQL that Athena (Trino) and
DuckDB share, and give the figures of ``summarize`` (summary.py): same
filters, the packet addresses where the format has them, responses left out
of ``rejected_ports`` by the pairing rule of flows.py. ``suspectedScans``
(a sliding time window) has no SQL here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import FIELDS

DEFAULT_TABLE = "vpc_flow_logs"
DEFAULT_LOCATION = "s3://amzn-s3-demo-bucket/prefix/AWSLogs/"


@dataclass(frozen=True, slots=True)
class AthenaSql:
    ddl: str
    queries: dict[str, str]

    def text(self) -> str:
        parts = [self.ddl + ";"]
        for name, sql in self.queries.items():
            parts.append(f"-- {name}\n{sql};")
        return "\n\n".join(parts) + "\n"


def _ident(column: str) -> str:
    return f'"{column}"' if column == "end" else column


def create_table(
    fields: tuple[str, ...],
    table: str = DEFAULT_TABLE,
    location: str = DEFAULT_LOCATION,
    accounts: str = "111122223333",
    regions: str = "us-east-1",
    start_day: str = "2021/01/01",
) -> str:
    columns = ",\n".join(
        f"  {'`end`' if FIELDS[n].column == 'end' else FIELDS[n].column} {FIELDS[n].athena_type}"
        for n in fields
    )
    region = "log_region" if "region" in fields else "region"
    base = location if location.endswith("/") else location + "/"
    props = [
        ("skip.header.line.count", "1"),
        ("projection.enabled", "true"),
        ("projection.accid.type", "enum"),
        ("projection.accid.values", accounts),
        (f"projection.{region}.type", "enum"),
        (f"projection.{region}.values", regions),
        ("projection.day.type", "date"),
        ("projection.day.range", f"{start_day},NOW"),
        ("projection.day.format", "yyyy/MM/dd"),
        ("storage.location.template", f"{base}${{accid}}/vpcflowlogs/${{{region}}}/${{day}}"),
    ]
    tblprops = ",\n".join(f'  "{k}" = "{v}"' for k, v in props)
    return (
        f"CREATE EXTERNAL TABLE IF NOT EXISTS {table} (\n{columns}\n)\n"
        f"PARTITIONED BY (accid string, {region} string, day string)\n"
        "ROW FORMAT DELIMITED\n"
        "FIELDS TERMINATED BY ' '\n"
        f"LOCATION '{base}'\n"
        f"TBLPROPERTIES (\n{tblprops}\n)"
    )


def _addr(fields: tuple[str, ...], side: str) -> str:
    plain = f"NULLIF({side}addr, '-')" if f"{side}addr" in fields else "CAST(NULL AS varchar)"
    if f"pkt-{side}addr" in fields:
        return f"COALESCE(NULLIF(pkt_{side}addr, '-'), {plain})"
    return plain


def _addr_order(column: str) -> str:
    """IPv4 addresses by number (IPv6 after them, as text), as summary.py sorts."""
    parts = ", ".join(f"TRY_CAST(split_part({column}, '.', {i}) AS integer)" for i in (1, 2, 3, 4))
    return f"{parts}, {column}"


def queries(fields: tuple[str, ...], table: str = DEFAULT_TABLE) -> dict[str, str]:
    """The SELECT statements of the summarize figures, by figure name."""
    has = set(fields)
    ok = "log_status = 'OK'" if "log-status" in has else "1 = 1"

    def col(name: str, fallback: str) -> str:
        return _ident(FIELDS[name].column) if name in has else fallback

    action = col("action", "CAST(NULL AS varchar)")
    nbytes = f"COALESCE({col('bytes', '0')}, 0)"
    npackets = f"COALESCE({col('packets', '0')}, 0)"
    src, dst = _addr(fields, "src"), _addr(fields, "dst")
    iface = col("interface-id", "CAST(NULL AS varchar)")
    proto = col("protocol", "CAST(NULL AS bigint)")
    sport = col("srcport", "CAST(NULL AS integer)")
    dport = col("dstport", "CAST(NULL AS integer)")
    status_counts = (
        ",\n".join(
            f"  SUM(CASE WHEN log_status = '{s}' THEN 1 ELSE 0 END) AS {s.lower()}"
            for s in ("OK", "NODATA", "SKIPDATA")
        )
        if "log-status" in has
        else "  COUNT(*) AS ok,\n  0 AS nodata,\n  0 AS skipdata"
    )
    out = {
        "records and logStatus": f"SELECT\n  COUNT(*) AS records,\n{status_counts}\nFROM {table}",
        "actions, bytes and packets": (
            "SELECT\n"
            f"  SUM(CASE WHEN {action} = 'ACCEPT' THEN 1 ELSE 0 END) AS accept,\n"
            f"  SUM(CASE WHEN {action} = 'REJECT' THEN 1 ELSE 0 END) AS reject,\n"
            f"  COALESCE(SUM({nbytes}), 0) AS bytes,\n"
            f"  COALESCE(SUM({npackets}), 0) AS packets\n"
            f"FROM {table}\nWHERE {ok}"
        ),
        "topTalkers": (
            f"SELECT srcaddr, dstaddr, SUM(bytes) AS bytes, SUM(packets) AS packets,"
            " COUNT(*) AS records\n"
            f"FROM (\n  SELECT {src} AS srcaddr, {dst} AS dstaddr, {nbytes} AS bytes,"
            f" {npackets} AS packets\n  FROM {table}\n  WHERE {ok}\n) AS t\n"
            "GROUP BY srcaddr, dstaddr\n"
            f"ORDER BY bytes DESC, {_addr_order('srcaddr')}, {_addr_order('dstaddr')}\n"
            "LIMIT 10"
        ),
        "rejectedPorts": (
            "WITH ok AS (\n"
            f"  SELECT {iface} AS interface_id, {proto} AS protocol, {src} AS src,"
            f" {sport} AS srcport, {dst} AS dst, {dport} AS dstport, {action} AS action\n"
            f"  FROM {table}\n  WHERE {ok}\n),\n"
            "requests AS (\n"
            "  SELECT * FROM ok AS o\n"
            "  WHERE NOT (\n"
            "    COALESCE(o.dstport, 0) > COALESCE(o.srcport, 0)\n"
            "    AND EXISTS (\n"
            "      SELECT 1 FROM ok AS r\n"
            "      WHERE r.interface_id = o.interface_id AND r.protocol = o.protocol\n"
            "        AND r.src = o.dst AND r.srcport = o.dstport\n"
            "        AND r.dst = o.src AND r.dstport = o.srcport\n"
            "    )\n"
            "  )\n"
            ")\n"
            "SELECT protocol, dstport, COUNT(*) AS records, COUNT(DISTINCT src) AS sources\n"
            "FROM requests\nWHERE action = 'REJECT'\n"
            "GROUP BY protocol, dstport\n"
            "ORDER BY records DESC, protocol, dstport"
        ),
        "interfaces": (
            f"SELECT {iface} AS interface_id,\n"
            f"  SUM(CASE WHEN {action} = 'ACCEPT' THEN 1 ELSE 0 END) AS accept,\n"
            f"  SUM(CASE WHEN {action} = 'REJECT' THEN 1 ELSE 0 END) AS reject,\n"
            f"  SUM({nbytes}) AS bytes\n"
            f"FROM {table}\nWHERE {ok}\n"
            f"GROUP BY {iface}\nORDER BY interface_id"
        ),
    }
    return out


def athena_sql(
    fields: tuple[str, ...],
    table: str = DEFAULT_TABLE,
    location: str = DEFAULT_LOCATION,
) -> AthenaSql:
    return AthenaSql(create_table(fields, table, location), queries(fields, table))
