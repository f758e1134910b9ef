"""The SELECT statements that ``athena`` prints run in DuckDB and give
``summarize``'s figures.

The view has the Athena table's columns (AWS's CREATE TABLE for flow logs:
https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-partition-projection.html),
over the same sample files. As in Athena's text tables, a ``-`` in a numeric
column reads as NULL and stays ``-`` in a string column.
"""

from __future__ import annotations

import gzip
import json

import duckdb
import pytest
from fl_support import DATA  # type: ignore[import-not-found]
from flow_logs import FIELDS, athena_sql, protocol_name, read_bytes, summarize

DUCK_TYPES = {"int": "INTEGER", "bigint": "BIGINT", "string": "VARCHAR"}


def view(con, path, fields):
    cols = ", ".join(f"'{FIELDS[n].column}': 'VARCHAR'" for n in fields)
    con.execute(
        f"CREATE TABLE raw AS SELECT * FROM read_csv('{path}', delim=' ', header=true, "
        f"columns={{{cols}}}, quote='', escape='')"
    )
    select = ", ".join(
        (
            f'TRY_CAST("{FIELDS[n].column}" AS {DUCK_TYPES[FIELDS[n].athena_type]}) AS "{FIELDS[n].column}"'
            if FIELDS[n].athena_type != "string"
            else f'"{FIELDS[n].column}"'
        )
        for n in fields
    )
    con.execute(f"CREATE VIEW vpc_flow_logs AS SELECT {select} FROM raw")


def rows(con, sql):
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def samples(tmp_path):
    s3 = DATA / "shop.log.gz"
    header = gzip.decompress(s3.read_bytes()).decode().split("\n", 1)[0].split()
    cw = json.loads((DATA / "shop-cloudwatch.json").read_text())
    default = tmp_path / "default.log"
    default.write_text(
        " ".join(header[:14]) + "\n" + "\n".join(e["message"] for e in cw["events"]) + "\n"
    )
    return [(s3, tuple(header)), (default, tuple(header[:14]))]


@pytest.mark.parametrize("which", [0, 1], ids=["s3-custom-gzip", "default-format"])
def test_selects_give_the_summarize_figures(tmp_path, which):
    path, fields = samples(tmp_path)[which]
    summary = summarize(read_bytes(path.read_bytes(), str(path))).to_dict()
    con = duckdb.connect()
    view(con, path, fields)
    q = athena_sql(fields).queries

    (counts,) = rows(con, q["records and logStatus"])
    assert counts == {
        "records": summary["records"],
        "ok": summary["logStatus"]["OK"],
        "nodata": summary["logStatus"]["NODATA"],
        "skipdata": summary["logStatus"]["SKIPDATA"],
    }
    (totals,) = rows(con, q["actions, bytes and packets"])
    assert totals == {
        "accept": summary["actions"]["ACCEPT"],
        "reject": summary["actions"]["REJECT"],
        "bytes": summary["bytes"],
        "packets": summary["packets"],
    }
    assert rows(con, q["topTalkers"]) == summary["topTalkers"]
    rejected = [
        {**r, "protocol": protocol_name(r["protocol"])} for r in rows(con, q["rejectedPorts"])
    ]
    assert rejected == summary["rejectedPorts"]
    assert rows(con, q["interfaces"]) == [
        {
            "interface_id": i["interfaceId"],
            "accept": i["accept"],
            "reject": i["reject"],
            "bytes": i["bytes"],
        }
        for i in summary["interfaces"]
    ]
    assert summary["rejectedPorts"], "the sample has rejected ports to compare"


def test_the_printed_text_holds_the_same_selects():
    fields = tuple(
        ["version", "interface-id", "srcaddr", "dstaddr", "action", "log-status", "bytes"]
    )
    sql = athena_sql(fields)
    text = sql.text()
    for query in sql.queries.values():
        assert query + ";" in text
    assert text.startswith(sql.ddl)
