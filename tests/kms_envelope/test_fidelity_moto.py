"""The same scenarios against the simulator and against boto3 + moto's KMS mock.

Both must agree on error codes and on response shapes. "Same shape" means:
every key moto returns, the simulator returns too, and every key the
simulator returns is a member of the operation's output shape in botocore's
KMS service model (moto leaves out some fields real KMS sends, such as
EncryptionAlgorithm and KeyMaterialId).

Where moto is known to differ from KMS, the scenario is not here but in the
package README ("Deliberate differences and moto's gaps").
"""

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from kms_envelope import Simulator, TamperedEnvelopeError, envelope
from moto import mock_aws

OPS = {
    "create_key": "CreateKey",
    "describe_key": "DescribeKey",
    "list_keys": "ListKeys",
    "create_alias": "CreateAlias",
    "list_aliases": "ListAliases",
    "delete_alias": "DeleteAlias",
    "encrypt": "Encrypt",
    "decrypt": "Decrypt",
    "re_encrypt": "ReEncrypt",
    "generate_data_key": "GenerateDataKey",
    "generate_data_key_without_plaintext": "GenerateDataKeyWithoutPlaintext",
    "enable_key_rotation": "EnableKeyRotation",
    "disable_key_rotation": "DisableKeyRotation",
    "get_key_rotation_status": "GetKeyRotationStatus",
    "rotate_key_on_demand": "RotateKeyOnDemand",
    "list_key_rotations": "ListKeyRotations",
    "enable_key": "EnableKey",
    "disable_key": "DisableKey",
    "schedule_key_deletion": "ScheduleKeyDeletion",
    "cancel_key_deletion": "CancelKeyDeletion",
    "get_key_policy": "GetKeyPolicy",
    "put_key_policy": "PutKeyPolicy",
}


class Recorder:
    """Wraps a client; records (op, response keys) or (op, error code) per call."""

    def __init__(self, client: Any, log: list[tuple[str, Any]]) -> None:
        self.client = client
        self.log = log

    def call(self, op: str, **kwargs: Any) -> Any:
        try:
            out = getattr(self.client, op)(**kwargs)
        except Exception as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code")
            if not code:
                raise AssertionError(f"{op} raised a non-KMS error: {exc!r}") from exc
            self.log.append((op, ("error", code)))
            return None
        self.log.append((op, ("ok", shape(out))))
        return out


def shape(value: Any) -> Any:
    """The keys of a response, recursively; lists by their first element."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


def scenario(rec: Recorder, other_region: Recorder) -> None:
    key = rec.call("create_key", Description="fidelity")["KeyMetadata"]["KeyId"]
    key2 = rec.call("create_key")["KeyMetadata"]["KeyId"]
    rec.call("describe_key", KeyId=key)
    rec.call("describe_key", KeyId="1234abcd-12ab-34cd-56ef-1234567890ab")
    rec.call("describe_key", KeyId="alias/does-not-exist")
    rec.call("create_alias", AliasName="alias/app", TargetKeyId=key)
    rec.call("create_alias", AliasName="alias/app", TargetKeyId=key)
    rec.call("create_alias", AliasName="no-prefix", TargetKeyId=key)
    rec.call("create_alias", AliasName="alias/other", TargetKeyId="alias/app")
    rec.call("describe_key", KeyId="alias/app")
    rec.call("list_keys")
    rec.call("list_aliases", KeyId=key)

    ctx = {"purpose": "fidelity"}
    blob = rec.call("encrypt", KeyId="alias/app", Plaintext=b"hello", EncryptionContext=ctx)[
        "CiphertextBlob"
    ]
    rec.call("encrypt", KeyId=key, Plaintext=b"x" * 4097)
    rec.call("decrypt", CiphertextBlob=blob, EncryptionContext=ctx)
    rec.call("decrypt", CiphertextBlob=blob, EncryptionContext={"purpose": "other"})
    rec.call("decrypt", CiphertextBlob=blob)
    other_region.call("decrypt", CiphertextBlob=blob, EncryptionContext=ctx)
    other_region.call("describe_key", KeyId=key)
    rec.call("re_encrypt", CiphertextBlob=blob, SourceEncryptionContext=ctx, DestinationKeyId=key2)

    rec.call("generate_data_key", KeyId=key, KeySpec="AES_256")
    rec.call("generate_data_key", KeyId=key, NumberOfBytes=64)
    rec.call("generate_data_key", KeyId=key, KeySpec="AES_512")
    rec.call("generate_data_key", KeyId=key)
    rec.call("generate_data_key_without_plaintext", KeyId=key, KeySpec="AES_128")

    rec.call("get_key_rotation_status", KeyId=key)
    rec.call("enable_key_rotation", KeyId=key, RotationPeriodInDays=180)
    rec.call("get_key_rotation_status", KeyId=key)
    rec.call("rotate_key_on_demand", KeyId=key)
    rec.call("list_key_rotations", KeyId=key)
    rec.call("disable_key_rotation", KeyId=key)

    rec.call("get_key_policy", KeyId=key, PolicyName="default")
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account(rec)}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ],
        }
    )
    rec.call("put_key_policy", KeyId=key, PolicyName="default", Policy=policy)

    rec.call("disable_key", KeyId=key2)
    rec.call("enable_key", KeyId=key2)
    rec.call("schedule_key_deletion", KeyId=key2, PendingWindowInDays=7)
    rec.call("describe_key", KeyId=key2)
    rec.call("cancel_key_deletion", KeyId=key2)
    rec.call("delete_alias", AliasName="alias/app")
    rec.call("delete_alias", AliasName="alias/app")


def account(rec: Recorder) -> str:
    return rec.client.list_keys()["Keys"][0]["KeyArn"].split(":")[4]


@pytest.fixture(scope="module")
def output_members() -> dict[str, set[str]]:
    client = boto3.client(
        "kms", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    service = client.meta.service_model
    out = {}
    for op, name in OPS.items():
        shape_ = service.operation_model(name).output_shape
        out[op] = set(shape_.members) if shape_ is not None else set()
    out["KeyMetadata"] = set(service.shape_for("KeyMetadata").members)
    return out


def run_both(fn: Callable[[Recorder, Recorder], None]) -> tuple[list[Any], list[Any]]:
    sim = Simulator(seed=1)
    sim_log: list[tuple[str, Any]] = []
    moto_log: list[tuple[str, Any]] = []
    fn(
        Recorder(sim.client("kms", region_name="us-east-1"), sim_log),
        Recorder(sim.client("kms", region_name="eu-west-1"), sim_log),
    )
    with mock_aws():
        fn(
            Recorder(boto3.client("kms", region_name="us-east-1"), moto_log),
            Recorder(boto3.client("kms", region_name="eu-west-1"), moto_log),
        )
    return sim_log, moto_log


def test_same_error_codes_and_shapes(output_members):
    sim_log, moto_log = run_both(scenario)
    assert [op for op, _ in sim_log] == [op for op, _ in moto_log]
    for i, ((op, (s_kind, s_val)), (_, (m_kind, m_val))) in enumerate(
        zip(sim_log, moto_log, strict=True)
    ):
        where = f"call {i} ({op})"
        assert s_kind == m_kind, f"{where}: simulator {s_kind} {s_val}, moto {m_kind} {m_val}"
        if s_kind == "error":
            assert s_val == m_val, f"{where}: error codes differ"
            continue
        assert set(m_val) <= set(s_val), f"{where}: simulator lacks {set(m_val) - set(s_val)}"
        assert set(s_val) <= output_members[op], f"{where}: {set(s_val) - output_members[op]}"
        if "KeyMetadata" in s_val:
            sim_meta, moto_meta = set(s_val["KeyMetadata"]), set(m_val["KeyMetadata"])
            assert moto_meta - sim_meta <= {"SigningAlgorithms"}, where
            assert sim_meta <= output_members["KeyMetadata"], where


def test_scenario_covers_errors_and_successes():
    sim_log, _ = run_both(scenario)
    codes = {val[1] for _, val in sim_log if val[0] == "error"}
    assert codes == {
        "NotFoundException",
        "AlreadyExistsException",
        "ValidationException",
        "InvalidCiphertextException",
        "AccessDeniedException",
    }
    assert {op for op, val in sim_log if val[0] == "ok"} == set(OPS)


def test_envelope_works_with_boto3_and_moto():
    data = bytes(range(256)) * 1000
    with mock_aws():
        kms = boto3.client("kms", region_name="us-east-1")
        key = kms.create_key()["KeyMetadata"]["KeyId"]
        blob = envelope.encrypt(kms, key, data, {"file": "x.bin"}, frame_size=4096)
        assert envelope.describe(blob)["frames"] == 63
        assert envelope.decrypt(kms, blob, {"file": "x.bin"}) == data
        tampered = bytearray(blob)
        tampered[-3] ^= 1
        with pytest.raises(TamperedEnvelopeError, match="frame 63 failed authentication"):
            envelope.decrypt(kms, bytes(tampered), {"file": "x.bin"})


def test_envelope_same_layout_from_both_clients():
    sim = Simulator(seed=5).client("kms", region_name="us-east-1")
    sim_blob = envelope.encrypt(sim, sim.create_key()["KeyMetadata"]["KeyId"], b"q" * 100)
    with mock_aws():
        kms = boto3.client("kms", region_name="us-east-1")
        moto_blob = envelope.encrypt(kms, kms.create_key()["KeyMetadata"]["KeyId"], b"q" * 100)
    sim_info, moto_info = envelope.describe(sim_blob), envelope.describe(moto_blob)
    for field in ("format", "frames", "plaintext bytes", "frame size"):
        assert sim_info[field] == moto_info[field]
