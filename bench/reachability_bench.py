"""Reachability engine bench. CPython: analysis time against ``json.load`` of
the same snapshot file, at N = 1k, 10k and 50k ENIs, and peak memory at 50k.
Targets (issue 5): <= 3x json.load at 10k, near-linear growth. Chromium: the
page's own file demo on a 10k-ENI snapshot, against the same demo on its
bundled sample. Target: <= 10 s.

The synthetic account is shaped like a real export: subnets of 200 ENIs,
each subnet with its own NACL of 20 inbound and 20 outbound entries, every
instance with its own security group (plus shared ones), an instance record
per ENI in Reservations (which repeats the ENI, as describe-instances does),
a third of the ENIs with public IPs, and some internet-facing ALBs.

    .venv/bin/python -m bench reachability_bench
"""

from __future__ import annotations

import gc
import json
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "demos"))

from inspector_reachability import analyze

SIZES = (1_000, 10_000, 50_000)
PER_SUBNET = 200
ACCOUNT = "123456789012"

Obj = dict[str, Any]


def _acl_entries(rng: random.Random) -> list[Obj]:
    entries: list[Obj] = []
    for egress in (False, True):
        for i in range(19):
            lo = rng.randrange(0, 60000)
            entries.append(
                {
                    "RuleNumber": 100 + i * 10,
                    "Protocol": rng.choice(["6", "17", "-1", "6"]),
                    "RuleAction": rng.choice(["allow", "allow", "deny"]),
                    "Egress": egress,
                    "CidrBlock": rng.choice(
                        ["0.0.0.0/0", "198.51.100.0/24", f"203.0.{i}.0/24", "10.0.0.0/8"]
                    ),
                    "PortRange": {"From": lo, "To": lo + rng.randrange(0, 5000)},
                }
            )
        entries.append(
            {
                "RuleNumber": 32767,
                "Protocol": "-1",
                "RuleAction": "deny",
                "Egress": egress,
                "CidrBlock": "0.0.0.0/0",
            }
        )
    return entries


def generate(n: int, seed: int = 7) -> Obj:
    """A synthetic snapshot with ``n`` ENIs (one per running instance)."""
    rng = random.Random(seed)
    vpc = "vpc-0bench000000000001"
    snap: Obj = {
        "Vpcs": [
            {"VpcId": vpc, "CidrBlock": "10.0.0.0/8", "State": "available", "OwnerId": ACCOUNT}
        ],
        "Subnets": [],
        "RouteTables": [],
        "InternetGateways": [
            {
                "InternetGatewayId": "igw-0bench1",
                "OwnerId": ACCOUNT,
                "Attachments": [{"State": "available", "VpcId": vpc}],
            }
        ],
        "NetworkAcls": [],
        "SecurityGroups": [
            {
                "GroupId": "sg-0shared-web",
                "GroupName": "shared-web",
                "VpcId": vpc,
                "OwnerId": ACCOUNT,
                "Description": "web",
                "IpPermissions": [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": 443,
                        "ToPort": 443,
                        "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                        "Ipv6Ranges": [],
                        "PrefixListIds": [],
                        "UserIdGroupPairs": [],
                    }
                ],
                "IpPermissionsEgress": [
                    {
                        "IpProtocol": "-1",
                        "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                        "Ipv6Ranges": [],
                        "PrefixListIds": [],
                        "UserIdGroupPairs": [],
                    }
                ],
            }
        ],
        "NetworkInterfaces": [],
        "Reservations": [],
        "LoadBalancers": [],
        "Listeners": [],
        "TargetGroups": [],
        "TargetHealthDescriptions": [],
    }
    subnets = max(1, n // PER_SUBNET)
    for s in range(subnets):
        sid = f"subnet-0bench{s:08d}"
        snap["Subnets"].append(
            {
                "SubnetId": sid,
                "VpcId": vpc,
                "CidrBlock": f"10.{1 + s // 256}.{s % 256}.0/24",
                "AvailabilityZone": "us-east-1a",
                "State": "available",
                "OwnerId": ACCOUNT,
                "MapPublicIpOnLaunch": False,
            }
        )
        public = s % 2 == 0
        routes: list[Obj] = [
            {
                "DestinationCidrBlock": "10.0.0.0/8",
                "GatewayId": "local",
                "Origin": "CreateRouteTable",
                "State": "active",
            }
        ]
        if public:
            routes.append(
                {
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "GatewayId": "igw-0bench1",
                    "Origin": "CreateRoute",
                    "State": "active",
                }
            )
        snap["RouteTables"].append(
            {
                "RouteTableId": f"rtb-0bench{s:08d}",
                "VpcId": vpc,
                "OwnerId": ACCOUNT,
                "Associations": [
                    {"Main": False, "SubnetId": sid, "RouteTableAssociationId": f"rtbassoc-{s:08d}"}
                ],
                "Routes": routes,
            }
        )
        snap["NetworkAcls"].append(
            {
                "NetworkAclId": f"acl-0bench{s:08d}",
                "VpcId": vpc,
                "IsDefault": False,
                "OwnerId": ACCOUNT,
                "Associations": [
                    {
                        "NetworkAclAssociationId": f"aclassoc-{s:08d}",
                        "NetworkAclId": f"acl-0bench{s:08d}",
                        "SubnetId": sid,
                    }
                ],
                "Entries": _acl_entries(rng),
            }
        )
    for i in range(n):
        s = i % subnets
        sid = f"subnet-0bench{s:08d}"
        host = i // subnets + 4
        ip = f"10.{1 + s // 256}.{s % 256}.{host % 250 + 4}"
        gid = f"sg-0bench{i:010d}"
        perms = []
        for _ in range(rng.randrange(2, 5)):
            lo = rng.choice([22, 80, 443, 3389, 5432, 8080, rng.randrange(1024, 60000)])
            perms.append(
                {
                    "IpProtocol": rng.choice(["tcp", "tcp", "udp", "-1"]),
                    "FromPort": lo,
                    "ToPort": lo + rng.choice([0, 0, 10, 1000]),
                    "IpRanges": [
                        {
                            "CidrIp": rng.choice(
                                ["0.0.0.0/0", "10.0.0.0/8", "198.51.100.0/24", "203.0.113.7/32"]
                            ),
                            "Description": "bench",
                        }
                    ],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "UserIdGroupPairs": [{"GroupId": "sg-0shared-web", "UserId": ACCOUNT}]
                    if rng.random() < 0.2
                    else [],
                }
            )
        snap["SecurityGroups"].append(
            {
                "GroupId": gid,
                "GroupName": f"app-{i}",
                "VpcId": vpc,
                "OwnerId": ACCOUNT,
                "Description": f"instance {i}",
                "IpPermissions": perms,
                "IpPermissionsEgress": [
                    {
                        "IpProtocol": "-1",
                        "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                        "Ipv6Ranges": [],
                        "PrefixListIds": [],
                        "UserIdGroupPairs": [],
                    }
                ],
            }
        )
        groups = [{"GroupId": gid, "GroupName": f"app-{i}"}]
        if rng.random() < 0.3:
            groups.append({"GroupId": "sg-0shared-web", "GroupName": "shared-web"})
        eni: Obj = {
            "NetworkInterfaceId": f"eni-0bench{i:010d}",
            "SubnetId": sid,
            "VpcId": vpc,
            "AvailabilityZone": "us-east-1a",
            "Description": "",
            "InterfaceType": "interface",
            "MacAddress": "0a:1b:2c:3d:4e:5f",
            "OwnerId": ACCOUNT,
            "PrivateDnsName": f"ip-{ip.replace('.', '-')}.ec2.internal",
            "PrivateIpAddress": ip,
            "PrivateIpAddresses": [
                {
                    "Primary": True,
                    "PrivateIpAddress": ip,
                    "PrivateDnsName": f"ip-{ip.replace('.', '-')}.ec2.internal",
                }
            ],
            "Ipv6Addresses": [],
            "Groups": groups,
            "RequesterManaged": False,
            "SourceDestCheck": True,
            "Status": "in-use",
            "TagSet": [],
            "Attachment": {
                "AttachmentId": f"eni-attach-{i:010d}",
                "DeviceIndex": 0,
                "InstanceId": f"i-0bench{i:010d}",
                "InstanceOwnerId": ACCOUNT,
                "Status": "attached",
                "DeleteOnTermination": True,
            },
        }
        if rng.random() < 0.33:
            public_ip = f"198.18.{(i >> 8) & 255}.{i & 255}"
            eni["Association"] = {"IpOwnerId": "amazon", "PublicIp": public_ip, "PublicDnsName": ""}
            eni["PrivateIpAddresses"][0]["Association"] = {
                "IpOwnerId": "amazon",
                "PublicIp": public_ip,
            }
        snap["NetworkInterfaces"].append(eni)
        snap["Reservations"].append(
            {
                "ReservationId": f"r-0bench{i:010d}",
                "OwnerId": ACCOUNT,
                "Groups": [],
                "Instances": [
                    {
                        "InstanceId": f"i-0bench{i:010d}",
                        "InstanceType": "t3.micro",
                        "ImageId": "ami-0bench",
                        "State": {
                            "Code": 16,
                            "Name": "running" if rng.random() < 0.9 else "stopped",
                        },
                        "SubnetId": sid,
                        "VpcId": vpc,
                        "PrivateIpAddress": ip,
                        "SecurityGroups": groups,
                        "NetworkInterfaces": [
                            {
                                k: v
                                for k, v in eni.items()
                                if k not in ("AvailabilityZone", "TagSet", "RequesterManaged")
                            }
                        ],
                    }
                ],
            }
        )
    for b in range(max(1, n // 1000)):
        arn = (
            f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/bench-{b}/{b:016x}"
        )
        tg = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/bench-{b}/{b:016x}"
        snap["LoadBalancers"].append(
            {
                "LoadBalancerArn": arn,
                "LoadBalancerName": f"bench-{b}",
                "Scheme": "internet-facing",
                "VpcId": vpc,
                "Type": "application",
                "State": {"Code": "active"},
                "AvailabilityZones": [
                    {"ZoneName": "us-east-1a", "SubnetId": "subnet-0bench00000000"}
                ],
                "SecurityGroups": ["sg-0shared-web"],
            }
        )
        snap["Listeners"].append(
            {
                "LoadBalancerArn": arn,
                "Port": 443,
                "Protocol": "HTTPS",
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": tg}],
            }
        )
        snap["TargetGroups"].append(
            {
                "TargetGroupArn": tg,
                "Port": 8080,
                "Protocol": "HTTP",
                "VpcId": vpc,
                "TargetType": "instance",
            }
        )
        for t in range(20):
            snap["TargetHealthDescriptions"].append(
                {
                    "TargetGroupArn": tg,
                    "Target": {"Id": f"i-0bench{(b * 20 + t) % n:010d}", "Port": 8080},
                    "TargetHealth": {"State": "healthy"},
                }
            )
    return snap


def _best(fn: Any, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


BROWSER_N = 10_000
DEMO_PAGE = "detection/network-reachability/"


def browser_part() -> None:
    """The page's own "Analyse your own snapshot" demo on a 10k-ENI file, in
    Chromium, against the same demo on its small bundled sample (the baseline:
    the runtime's fixed cost per run). Target: 10k ENIs in <= 10 s."""
    from playwright.sync_api import sync_playwright

    from bench.harness import CHROMIUM_FLAGS, bind, build_site, chromium_path, serve, url_of

    ended = "el => ['done', 'error', 'stopped'].includes(el.dataset.demoState)"
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = os.path.join(tmp, f"snap-{BROWSER_N}.json")
        with open(snapshot, "w", encoding="utf-8") as fh:
            json.dump(generate(BROWSER_N), fh)
        size = os.path.getsize(snapshot) / 1e6
        httpd = bind()
        site = Path(tmp) / "site"
        build_site(site, site_url=url_of(httpd))
        with serve(site, httpd) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.goto(url + DEMO_PAGE)
            root = page.locator("[data-demo][data-demo-input]").first
            root.hover()

            def timed_run() -> float:
                start = time.perf_counter()
                root.locator("[data-demo-run]").click()
                page.wait_for_function(ended, arg=root.element_handle(), timeout=600_000)
                assert root.get_attribute("data-demo-state") == "done"
                return time.perf_counter() - start

            timed_run()  # cold start: Pyodide and the wheels
            baseline = timed_run()
            root.locator("[data-demo-file]").set_input_files(snapshot)
            big = timed_run()
            browser.close()
    print(
        f"Chromium: {BROWSER_N} ENIs ({size:.1f} MB) through the page's file demo in {big:.2f} s "
        f"(target <= 10 s); bundled sample {baseline:.2f} s; ratio {big / baseline:.1f}x"
    )


def main() -> None:
    cpython_part()
    browser_part()


def cpython_part() -> None:
    print("N ENIs   file MB   json.load s   analyze s   ratio   findings")
    per_eni: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            path = os.path.join(tmp, f"snap-{n}.json")
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(generate(n), fh)
            size = os.path.getsize(path) / 1e6

            def load(p: str = path) -> Any:
                with open(p, encoding="utf-8") as fh:
                    return json.load(fh)

            rounds = 3 if n <= 10_000 else 1
            t_load = _best(load, rounds)
            snap = load()
            found: list[int] = []
            t_run = _best(lambda s=snap, out=found: out.append(len(analyze(s))), rounds)
            per_eni.append(t_run / n)
            print(
                f"{n:>6}   {size:7.1f}   {t_load:11.3f}   {t_run:9.3f}   {t_run / t_load:4.2f}x   {found[-1]}"
            )
            if n == SIZES[-1]:
                del snap
                gc.collect()
                snap = load()
                tracemalloc.start()
                analyze(snap)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                print(
                    f"peak memory of analyze() at {n} ENIs (tracemalloc, snapshot dict excluded): {peak / 1e6:.1f} MB"
                )
    growth = per_eni[-1] / per_eni[0]
    print(f"time per ENI at {SIZES[-1]} vs {SIZES[0]}: {growth:.2f}x (1.00x is linear)")


if __name__ == "__main__":
    main()
