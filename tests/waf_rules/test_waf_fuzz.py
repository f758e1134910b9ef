"""A fuzzer over web ACLs and log records: whatever the input, the engine
returns results or raises WafInputError (the CLI's exit 2), nothing else."""

from __future__ import annotations

import copy
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from waf_rules import WafInputError, evaluate, load_sample, read_requests
from waf_rules.cli import main

ACL, RESOURCES, LOG = load_sample("shop")
RECORDS = [json.loads(line) for line in LOG.splitlines()]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 10**6)
    | st.text(max_size=12)
    | st.sampled_from(["", "dGVzdA==", "NONE", "EXACTLY", "Block", "ALL", "KB_16"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.text(max_size=8)
            | st.sampled_from(["Name", "Priority", "Statement", "Action", "FieldToMatch"]),
            children,
            max_size=3,
        )
    ),
    max_leaves=8,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _mutate(doc, rng, value):
    doc = copy.deepcopy(doc)
    paths = [p for p in _paths(doc) if p]
    path = rng.choice(paths)
    parent = doc
    for k in path[:-1]:
        parent = parent[k]
    if rng.random() < 0.2 and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


def _one_line_or_nothing(fn, *args):
    """None if `fn` returned, else the WafInputError's text (any other error fails)."""
    try:
        fn(*args)
    except WafInputError as exc:
        return str(exc)
    return None


def _run(acl, resources, records):
    message = _one_line_or_nothing(evaluate, acl, records, resources)
    assert message is None or "\n" not in message


@settings(max_examples=300, deadline=None)
@given(st.randoms(use_true_random=False), json_values)
def test_a_mutated_web_acl_gives_results_or_one_input_error(rng, value):
    _run(_mutate(ACL, rng, value), RESOURCES, RECORDS[:4])


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False), json_values)
def test_a_mutated_resource_gives_results_or_one_input_error(rng, value):
    i = rng.randrange(len(RESOURCES))
    resources = [*RESOURCES[:i], _mutate(RESOURCES[i], rng, value), *RESOURCES[i + 1 :]]
    _run(ACL, resources, RECORDS[:4])


@settings(max_examples=300, deadline=None)
@given(st.randoms(use_true_random=False), json_values)
def test_a_mutated_record_gives_results_or_one_input_error(rng, value):
    records = [_mutate(r, rng, value) if rng.random() < 0.5 else r for r in RECORDS[:6]]
    _run(ACL, RESOURCES, records)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_as_a_log_give_requests_or_one_input_error(raw):
    message = _one_line_or_nothing(read_requests, raw, "log")
    assert message is None or "\n" not in message


@pytest.mark.parametrize("seed", range(5))
def test_the_cli_never_prints_a_traceback(tmp_path, capsys, seed):
    rng = random.Random(seed)
    acl = _mutate(ACL, rng, rng.choice([None, 7, "x", [], {}]))
    (tmp_path / "acl.json").write_text(json.dumps(acl))
    (tmp_path / "res.json").write_text(json.dumps(RESOURCES))
    text = LOG.encode()
    cut = rng.randrange(len(text))
    (tmp_path / "log").write_bytes(text[:cut] + bytes([rng.randrange(256)]) + text[cut + 1 :])
    code = main(
        [
            "evaluate",
            str(tmp_path / "acl.json"),
            str(tmp_path / "log"),
            "--resources",
            str(tmp_path / "res.json"),
            "--format",
            "json",
        ]
    )
    err = capsys.readouterr().err
    assert code in (0, 2)
    assert "Traceback" not in err
    if code == 2:
        assert err.count("\n") == 1
