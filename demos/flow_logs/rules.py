"""Thresholds and limits of the summaries: data, with where each comes from."""

from __future__ import annotations

# Top-N lists: the "by bytes, top 10".
TOP_TALKERS = 10

# Suspected scans: a source whose requests reach at least SCAN_PORTS distinct
# destination ports, or SCAN_HOSTS distinct destination hosts, within
# SCAN_WINDOW seconds. The window is AWS's default (and largest) aggregation
# interval, 10 minutes ("Flow log records", Aggregation interval:
# https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html),
# so a sweep that fits in one interval is caught. The counts are our choice:
# ten ports or hosts is more than one client needs for one service.
SCAN_PORTS = 10
SCAN_HOSTS = 10
SCAN_WINDOW = 600

# observe: how many distinct source addresses one observation lists.
MAX_SOURCES = 100
