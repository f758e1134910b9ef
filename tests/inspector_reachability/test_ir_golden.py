"""Golden findings for the sample snapshots.

The expected files in golden/ were first written by running the engine and
then checked by hand against the network each sample describes (the reasoning
is in golden/README.md). `pytest --update` rewrites them; review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from inspector_reachability import analyze, load_sample, sample_names

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("name", sorted(sample_names()))
def test_sample_matches_its_golden_file(name, update_fixtures):
    snapshot, agents = load_sample(name)
    got = analyze(snapshot, agents, why_not=True).to_dict()
    path = GOLDEN / f"{name}.json"
    if update_fixtures:
        path.write_text(json.dumps(got, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got == expected


def test_every_sample_has_a_golden_file():
    assert {p.stem for p in GOLDEN.glob("*.json")} == set(sample_names())
