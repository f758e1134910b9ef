"""Write the flow_logs sample logs, deterministically, from the reachability
page's sample network (docs/detection/network-reachability.md, first demo).

    .venv/bin/python scripts/flow_samples.py        # rewrites demos/flow_logs/data/

The network comes from inspector_reachability's builder (so the ENI ids,
addresses and findings are the page's); the traffic is made up, from a
seeded random generator: clients of the shop's ALB, an administrator on the
bastion, the bastion reaching the app over SSH, a port scan of the bastion,
rejected SSH attempts on the ALB, and quiet intervals (NODATA, SKIPDATA).
Records follow AWS's examples: an accepted connection is a request record and
a response record; a rejected one only the inbound record
(https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html).
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

from inspector_reachability import Network

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "demos" / "flow_logs" / "data"
ACCOUNT = "111122223333"
T0 = 1767225600  # 2026-01-01T00:00:00Z
CUSTOM = [
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
    "vpc-id",
    "subnet-id",
    "instance-id",
    "tcp-flags",
    "type",
    "pkt-srcaddr",
    "pkt-dstaddr",
    "flow-direction",
    "traffic-path",
]
DEFAULT = CUSTOM[:14]


def network() -> Network:
    return (
        Network()
        .vpc("10.0.0.0/16", name="shop")
        .public_subnet("public", "10.0.1.0/24")
        .private_subnet("app", "10.0.2.0/24")
        .sg("bastion", "tcp 22 from 0.0.0.0/0")
        .sg("alb", "tcp 443 from 0.0.0.0/0")
        .sg("app", "tcp 8080 from sg-alb", "tcp 22 from sg-bastion")
        .instance("bastion", subnet="public", sgs=["bastion"], public_ip=True, listening=["tcp 22"])
        .instance("app", subnet="app", sgs=["app"], listening=["tcp 8080", "tcp 22"])
        .alb("shop", subnets=["public"], sgs=["alb"], listen=443, targets=["app"], target_port=8080)
    )


class Log:
    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.enis = {e["NetworkInterfaceId"]: e for e in snapshot["NetworkInterfaces"]}
        self.vpc = snapshot["Vpcs"][0]["VpcId"]
        self.rows: list[dict[str, Any]] = []

    def add(self, eni: str, **fields: Any) -> None:
        e = self.enis.get(eni, {})
        row = {
            "version": 5,
            "account-id": ACCOUNT,
            "interface-id": eni,
            "vpc-id": self.vpc,
            "subnet-id": e.get("SubnetId", "subnet-shop-public"),
            "instance-id": (e.get("Attachment") or {}).get("InstanceId", "-"),
            "type": "IPv4",
            "traffic-path": "-",
            "log-status": "OK",
        }
        row.update(fields)
        row.setdefault("pkt-srcaddr", row.get("srcaddr", "-"))
        row.setdefault("pkt-dstaddr", row.get("dstaddr", "-"))
        self.rows.append(row)

    def connection(
        self,
        eni: str,
        own: str,
        peer: str,
        client_port: int,
        port: int,
        t: int,
        rng: random.Random,
        *,
        inbound: bool,
        accepted: bool = True,
        flags: tuple[int, int] = (3, 19),
        size: int = 0,
    ) -> None:
        """One connection as AWS logs it on ``eni``: request, and response if accepted.

        ``inbound``: ``peer`` connects to ``own``'s ``port``; otherwise ``own``
        connects to ``peer``'s. ``client_port`` is the client's ephemeral port.
        """
        src, dst = (peer, own) if inbound else (own, peer)
        sport, dport = client_port, port  # the client's ephemeral port, the service port
        packets = rng.randint(4, 40) if accepted else rng.randint(1, 3)
        nbytes = size or packets * rng.randint(60, 1400)
        end = t + rng.randint(1, 50)
        base = {"protocol": 6, "start": t, "end": end}
        self.add(
            eni,
            srcaddr=src,
            dstaddr=dst,
            srcport=sport,
            dstport=dport,
            packets=packets,
            bytes=nbytes if accepted else packets * 60,
            action="ACCEPT" if accepted else "REJECT",
            **{"tcp-flags": flags[0], "flow-direction": "ingress" if inbound else "egress"},
            **base,
        )
        if accepted:
            back = rng.randint(3, 60)
            self.add(
                eni,
                srcaddr=dst,
                dstaddr=src,
                srcport=dport,
                dstport=sport,
                packets=back,
                bytes=back * rng.randint(100, 1400),
                action="ACCEPT",
                **{"tcp-flags": flags[1], "flow-direction": "egress" if inbound else "ingress"},
                **base,
            )


def traffic(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    rng = random.Random(15)
    log = Log(snapshot)
    bastion, app = "10.0.1.10", "10.0.2.10"
    alb_eni, alb = "eni-alb-shop", "10.0.1.20"
    clients = [f"198.51.100.{n}" for n in (7, 23, 41, 58, 77, 90, 112, 140)]
    admin = "203.0.113.45"
    scanner = "192.0.2.66"
    ssh_guessers = ["192.0.2.14", "192.0.2.15", "198.51.100.200", "203.0.113.99"]
    for minute in range(30):
        t = T0 + 60 * minute
        # Shop clients -> ALB 443; the ALB -> app 8080 (its own connections).
        for client in rng.sample(clients, 3):
            log.connection(
                alb_eni,
                alb,
                client,
                rng.randint(32768, 60999),
                443,
                t + rng.randint(0, 40),
                rng,
                inbound=True,
            )
            eph = rng.randint(32768, 60999)
            tt = t + rng.randint(0, 40)
            log.connection(
                alb_eni, alb, app, eph, 8080, tt, rng, inbound=False, size=rng.randint(2000, 90000)
            )
            log.connection(
                "eni-app", app, alb, eph, 8080, tt, rng, inbound=True, size=rng.randint(2000, 90000)
            )
        if minute % 10 == 2:  # the administrator on the bastion, then on to the app
            log.connection(
                "eni-bastion",
                bastion,
                admin,
                rng.randint(32768, 60999),
                22,
                t + 5,
                rng,
                inbound=True,
                size=rng.randint(20000, 60000),
            )
            eph = rng.randint(32768, 60999)
            log.connection("eni-bastion", bastion, app, eph, 22, t + 20, rng, inbound=False)
            log.connection("eni-app", app, bastion, eph, 22, t + 20, rng, inbound=True)
        if minute % 4 == 1:  # SSH attempts on the ALB's public address: rejected
            for guesser in ssh_guessers[: 1 + minute % 3]:
                log.connection(
                    alb_eni,
                    alb,
                    guesser,
                    rng.randint(32768, 60999),
                    22,
                    t + rng.randint(0, 50),
                    rng,
                    inbound=True,
                    accepted=False,
                    flags=(2, 0),
                )
        if minute == 12:  # a port scan of the bastion, over two minutes
            ports = sorted([*rng.sample(range(1, 1024), 40), 22, 80, 443, 3389, 8080])
            for i, port in enumerate(dict.fromkeys(ports)):
                tt = t + i * 2
                if port == 22:  # open: answered with SYN-ACK, then reset by the scanner
                    log.connection(
                        "eni-bastion",
                        bastion,
                        scanner,
                        40000 + i,
                        22,
                        tt,
                        rng,
                        inbound=True,
                        flags=(6, 18),
                        size=120,
                    )
                else:
                    log.connection(
                        "eni-bastion",
                        bastion,
                        scanner,
                        40000 + i,
                        port,
                        tt,
                        rng,
                        inbound=True,
                        accepted=False,
                        flags=(2, 0),
                    )
            log.add(
                "eni-bastion",
                srcaddr=scanner,
                dstaddr=bastion,
                srcport=0,
                dstport=0,
                protocol=1,
                packets=1,
                bytes=84,
                start=t,
                end=t,
                action="REJECT",
                **{"tcp-flags": 0, "flow-direction": "ingress"},
            )
        if minute in (6, 7, 8):  # the app had nothing to do: NODATA
            log.add("eni-app", **_empty(t, "NODATA"))
        if minute == 21:
            log.add(alb_eni, **_empty(t, "SKIPDATA"))
    log.rows.sort(key=lambda r: (r["start"], r["interface-id"]))
    return log.rows


def _empty(t: int, status: str) -> dict[str, Any]:
    blank = {n: "-" for n in CUSTOM if n not in ("version", "account-id", "interface-id")}
    blank.update({"start": t, "end": t + 60, "log-status": status})
    blank.update({"vpc-id": "-", "subnet-id": "-", "instance-id": "-", "type": "-"})
    return blank


def lines(rows: list[dict[str, Any]], fields: list[str]) -> list[str]:
    return [" ".join(str(r.get(f, "-")) for f in fields) for r in rows]


def main() -> None:
    net = network()
    snapshot = net.snapshot()
    rows = traffic(snapshot)
    DATA.mkdir(parents=True, exist_ok=True)
    s3 = "\n".join([" ".join(CUSTOM), *lines(rows, CUSTOM)]) + "\n"
    (DATA / "shop.log.gz").write_bytes(gzip.compress(s3.encode(), mtime=0))
    default_rows = [dict(r, version=2) for r in rows]
    events = [
        {
            "logStreamName": f"{r['interface-id']}-all",
            "timestamp": r["start"] * 1000,
            "message": m,
            "ingestionTime": (r["start"] + 300) * 1000,
            "eventId": str(10**20 + i),
        }
        for i, (r, m) in enumerate(zip(default_rows, lines(default_rows, DEFAULT), strict=True))
    ]
    (DATA / "shop-cloudwatch.json").write_text(
        json.dumps({"events": events, "searchedLogStreams": []}, indent=1) + "\n"
    )
    (DATA / "shop-findings.json").write_text(json.dumps(net.analyze().to_dict(), indent=1) + "\n")
    print(f"{len(rows)} records written to {DATA}")


if __name__ == "__main__":
    main()
