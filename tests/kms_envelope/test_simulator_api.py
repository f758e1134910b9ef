"""The simulator against KMS's documented semantics (API Reference and Developer Guide)."""

import json
import re
from datetime import timedelta

import pytest
from kms_envelope import ClientError, Simulator

ACCOUNT = "111122223333"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture
def sim():
    return Simulator(seed=3)


@pytest.fixture
def kms(sim):
    return sim.client("kms", region_name="us-east-1")


@pytest.fixture
def key(kms):
    return kms.create_key(Description="test key")["KeyMetadata"]["KeyId"]


def code_of(call, *args, **kwargs):
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    return info.value.response["Error"]["Code"]


# -- keys and metadata ----------------------------------------------------------


def test_create_key_metadata(kms):
    meta = kms.create_key(Description="d")["KeyMetadata"]
    assert UUID4.match(meta["KeyId"])
    assert meta["Arn"] == f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{meta['KeyId']}"
    assert meta["AWSAccountId"] == ACCOUNT
    assert meta["KeyState"] == "Enabled"
    assert meta["Enabled"] is True
    assert meta["KeyManager"] == "CUSTOMER"
    assert meta["KeySpec"] == "SYMMETRIC_DEFAULT"
    assert meta["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert meta["EncryptionAlgorithms"] == ["SYMMETRIC_DEFAULT"]
    assert meta["Origin"] == "AWS_KMS"


def test_reproducible_with_a_seed():
    def run():
        kms = Simulator(seed=42).client("kms", region_name="us-east-1")
        key_id = kms.create_key()["KeyMetadata"]["KeyId"]
        blob = kms.encrypt(KeyId=key_id, Plaintext=b"x")["CiphertextBlob"]
        data_key = kms.generate_data_key(KeyId=key_id, KeySpec="AES_256")["Plaintext"]
        return key_id, blob, data_key

    assert run() == run()
    other = Simulator(seed=43).client("kms", region_name="us-east-1")
    assert other.create_key()["KeyMetadata"]["KeyId"] != run()[0]


def test_unseeded_simulators_differ():
    a = Simulator().client("kms", region_name="us-east-1").create_key()
    b = Simulator().client("kms", region_name="us-east-1").create_key()
    assert a["KeyMetadata"]["KeyId"] != b["KeyMetadata"]["KeyId"]


def test_describe_by_id_arn_alias_and_alias_arn(kms, key):
    kms.create_alias(AliasName="alias/app", TargetKeyId=key)
    for ref in (
        key,
        f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{key}",
        "alias/app",
        f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/app",
    ):
        assert kms.describe_key(KeyId=ref)["KeyMetadata"]["KeyId"] == key


def test_not_found(kms):
    missing = "1234abcd-12ab-34cd-56ef-1234567890ab"
    with pytest.raises(kms.exceptions.NotFoundException, match="does not exist"):
        kms.describe_key(KeyId=missing)
    with pytest.raises(kms.exceptions.NotFoundException, match="alias/nope is not found"):
        kms.describe_key(KeyId="alias/nope")


def test_error_looks_like_botocore(kms):
    with pytest.raises(kms.exceptions.NotFoundException) as info:
        kms.describe_key(KeyId="alias/nope")
    err = info.value
    assert isinstance(err, kms.exceptions.ClientError)
    assert err.operation_name == "DescribeKey"
    assert set(err.response["Error"]) == {"Code", "Message"}
    assert str(err).startswith(
        "An error occurred (NotFoundException) when calling the DescribeKey operation: "
    )


def test_list_keys_and_paging(kms):
    ids = {kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(5)}
    page = kms.list_keys(Limit=2)
    assert page["Truncated"] is True
    seen = {k["KeyId"] for k in page["Keys"]}
    while page["Truncated"]:
        page = kms.list_keys(Limit=2, Marker=page["NextMarker"])
        seen |= {k["KeyId"] for k in page["Keys"]}
    assert seen == ids


def test_responses_carry_metadata(kms, key):
    meta = kms.describe_key(KeyId=key)["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == 200
    assert meta["RequestId"]


# -- regions --------------------------------------------------------------------


def test_regions_are_isolated(sim, kms, key):
    eu = sim.client("kms", region_name="eu-west-1")
    assert code_of(eu.describe_key, KeyId=key) == "NotFoundException"
    assert (
        code_of(eu.describe_key, KeyId=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{key}")
        == "NotFoundException"
    )
    blob = kms.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]
    # KMS in another Region can't find the key the ciphertext names.
    assert code_of(eu.decrypt, CiphertextBlob=blob) == "AccessDeniedException"
    assert eu.list_keys()["Keys"] == []


def test_aliases_are_per_region(sim, kms, key):
    eu = sim.client("kms", region_name="eu-west-1")
    eu_key = eu.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/app", TargetKeyId=key)
    eu.create_alias(AliasName="alias/app", TargetKeyId=eu_key)
    assert kms.describe_key(KeyId="alias/app")["KeyMetadata"]["KeyId"] == key
    assert eu.describe_key(KeyId="alias/app")["KeyMetadata"]["KeyId"] == eu_key
    assert code_of(eu.create_alias, AliasName="alias/app", TargetKeyId=eu_key) == (
        "AlreadyExistsException"
    )


# -- encrypt / decrypt ------------------------------------------------------------


def test_encrypt_limit_is_4096_bytes(kms, key):
    assert kms.encrypt(KeyId=key, Plaintext=b"a" * 4096)["CiphertextBlob"]
    with pytest.raises(kms.exceptions.ValidationException, match="less than or equal to 4096"):
        kms.encrypt(KeyId=key, Plaintext=b"a" * 4097)


def test_str_where_bytes_are_due(kms, key):
    with pytest.raises(kms.exceptions.ValidationException, match="bytes, not str"):
        kms.encrypt(KeyId=key, Plaintext="hello")
    with pytest.raises(kms.exceptions.ValidationException, match="bytes, not str"):
        kms.decrypt(CiphertextBlob="AQIDAHh...")


def test_blob_carries_key_and_backing_version(kms, key):
    blob = kms.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]
    out = kms.decrypt(CiphertextBlob=blob)  # no KeyId needed: the blob names the key
    assert out["KeyId"].endswith(key)
    assert out["Plaintext"] == b"x"
    assert (
        out["KeyMaterialId"] == kms.describe_key(KeyId=key)["KeyMetadata"]["CurrentKeyMaterialId"]
    )


def test_encryption_context_must_match_exactly(kms, key):
    ctx = {"dept": "hr", "doc": "42"}
    blob = kms.encrypt(KeyId=key, Plaintext=b"x", EncryptionContext=ctx)["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=dict(reversed(ctx.items())))
    for wrong in (None, {"dept": "hr"}, {**ctx, "extra": "1"}, {"dept": "HR", "doc": "42"}):
        assert code_of(kms.decrypt, CiphertextBlob=blob, EncryptionContext=wrong) == (
            "InvalidCiphertextException"
        )


def test_tampered_or_garbage_ciphertext(kms, key):
    blob = bytearray(kms.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"])
    blob[-1] ^= 1
    assert code_of(kms.decrypt, CiphertextBlob=bytes(blob)) == "InvalidCiphertextException"
    assert code_of(kms.decrypt, CiphertextBlob=b"garbage") == "InvalidCiphertextException"


def test_incorrect_key(kms, key):
    other = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]
    assert code_of(kms.decrypt, CiphertextBlob=blob, KeyId=other) == "IncorrectKeyException"


def test_re_encrypt(kms, key):
    other = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key, Plaintext=b"move me", EncryptionContext={"a": "1"})[
        "CiphertextBlob"
    ]
    out = kms.re_encrypt(
        CiphertextBlob=blob,
        SourceEncryptionContext={"a": "1"},
        DestinationKeyId=other,
        DestinationEncryptionContext={"b": "2"},
    )
    assert out["SourceKeyId"].endswith(key)
    assert out["KeyId"].endswith(other)
    back = kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"b": "2"})
    assert back["Plaintext"] == b"move me"


# -- data keys --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "size"),
    [({"KeySpec": "AES_256"}, 32), ({"KeySpec": "AES_128"}, 16), ({"NumberOfBytes": 64}, 64)],
)
def test_generate_data_key_two_copies(kms, key, kwargs, size):
    out = kms.generate_data_key(KeyId=key, **kwargs)
    assert len(out["Plaintext"]) == size
    assert kms.decrypt(CiphertextBlob=out["CiphertextBlob"])["Plaintext"] == out["Plaintext"]


def test_generate_data_key_without_plaintext(kms, key):
    out = kms.generate_data_key_without_plaintext(KeyId=key, KeySpec="AES_256")
    assert "Plaintext" not in out
    assert len(kms.decrypt(CiphertextBlob=out["CiphertextBlob"])["Plaintext"]) == 32


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"KeySpec": "AES_512"}, "enum value set: \\[AES_256, AES_128\\]"),
        ({}, "either number of bytes or key spec"),
        ({"KeySpec": "AES_256", "NumberOfBytes": 32}, "either number of bytes or key spec"),
        ({"NumberOfBytes": 1025}, "less than or equal to 1024"),
    ],
)
def test_generate_data_key_bad_spec(kms, key, kwargs, message):
    with pytest.raises(kms.exceptions.ValidationException, match=message):
        kms.generate_data_key(KeyId=key, **kwargs)


def test_create_key_bad_spec(kms):
    assert code_of(kms.create_key, KeySpec="AES_999") == "ValidationException"
    assert code_of(kms.create_key, KeySpec="RSA_2048") == "UnsupportedOperationException"


# -- aliases ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["app", "alias/", "alias/has space", "alias/aws/mine", 7])
def test_bad_alias_names(kms, key, name):
    assert code_of(kms.create_alias, AliasName=name, TargetKeyId=key) == "ValidationException"


def test_alias_lifecycle(kms, key):
    kms.create_alias(AliasName="alias/app", TargetKeyId=key)
    listed = kms.list_aliases()["Aliases"]
    assert [(a["AliasName"], a["TargetKeyId"]) for a in listed] == [("alias/app", key)]
    assert listed[0]["AliasArn"] == f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/app"
    assert code_of(kms.create_alias, AliasName="alias/app", TargetKeyId=key) == (
        "AlreadyExistsException"
    )
    assert code_of(kms.create_alias, AliasName="alias/b", TargetKeyId="alias/app") == (
        "ValidationException"
    )
    kms.delete_alias(AliasName="alias/app")
    assert code_of(kms.delete_alias, AliasName="alias/app") == "NotFoundException"
    assert kms.list_aliases()["Aliases"] == []


# -- key states -------------------------------------------------------------------


def test_disabled_key(kms, key):
    blob = kms.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]
    kms.disable_key(KeyId=key)
    meta = kms.describe_key(KeyId=key)["KeyMetadata"]
    assert (meta["KeyState"], meta["Enabled"]) == ("Disabled", False)
    assert code_of(kms.encrypt, KeyId=key, Plaintext=b"x") == "DisabledException"
    assert code_of(kms.decrypt, CiphertextBlob=blob) == "DisabledException"
    assert code_of(kms.generate_data_key, KeyId=key, KeySpec="AES_256") == "DisabledException"
    kms.enable_key(KeyId=key)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"


def test_pending_deletion_and_cancel(sim, kms, key):
    out = kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    assert out["KeyState"] == "PendingDeletion"
    assert out["PendingWindowInDays"] == 7
    assert out["DeletionDate"] == sim.clock.now() + timedelta(days=7)
    assert code_of(kms.encrypt, KeyId=key, Plaintext=b"x") == "KMSInvalidStateException"
    assert code_of(kms.enable_key, KeyId=key) == "KMSInvalidStateException"
    assert code_of(kms.schedule_key_deletion, KeyId=key) == "KMSInvalidStateException"
    kms.cancel_key_deletion(KeyId=key)
    # A key whose deletion is cancelled comes back Disabled.
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Disabled"
    assert code_of(kms.cancel_key_deletion, KeyId=key) == "KMSInvalidStateException"


def test_deletion_happens_when_the_window_ends(sim, kms, key):
    kms.create_alias(AliasName="alias/doomed", TargetKeyId=key)
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=30)
    sim.clock.advance(days=29)
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    sim.clock.advance(days=1)
    assert code_of(kms.describe_key, KeyId=key) == "NotFoundException"
    assert kms.list_aliases()["Aliases"] == []


@pytest.mark.parametrize("days", [6, 31, 0, "7"])
def test_deletion_window_must_be_7_to_30(kms, key, days):
    assert code_of(kms.schedule_key_deletion, KeyId=key, PendingWindowInDays=days) == (
        "ValidationException"
    )


# -- rotation ---------------------------------------------------------------------


def test_rotation_defaults_to_365_days(sim, kms, key):
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is False
    kms.enable_key_rotation(KeyId=key)
    status = kms.get_key_rotation_status(KeyId=key)
    assert status["KeyRotationEnabled"] is True
    assert status["RotationPeriodInDays"] == 365
    assert status["NextRotationDate"] == sim.clock.now() + timedelta(days=365)


@pytest.mark.parametrize("days", [89, 2561, -1])
def test_rotation_period_out_of_range(kms, key, days):
    with pytest.raises(kms.exceptions.ValidationException, match="rotationPeriodInDays"):
        kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=days)


@pytest.mark.parametrize("days", [90, 2560])
def test_rotation_period_bounds_accepted(kms, key, days):
    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=days)
    assert kms.get_key_rotation_status(KeyId=key)["RotationPeriodInDays"] == days


def test_automatic_rotation_keeps_old_backing_keys(sim, kms, key):
    old = kms.encrypt(KeyId=key, Plaintext=b"old")["CiphertextBlob"]
    first_material = kms.describe_key(KeyId=key)["KeyMetadata"]["CurrentKeyMaterialId"]
    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=90)
    sim.clock.advance(days=89)
    assert kms.list_key_rotations(KeyId=key)["Rotations"] == []
    sim.clock.advance(days=1 + 90)
    rotations = kms.list_key_rotations(KeyId=key)["Rotations"]
    assert [r["RotationType"] for r in rotations] == ["AUTOMATIC", "AUTOMATIC"]
    assert rotations[1]["RotationDate"] - rotations[0]["RotationDate"] == timedelta(days=90)
    assert [r["KeyMaterialState"] for r in rotations] == ["NON_CURRENT", "CURRENT"]
    new = kms.encrypt(KeyId=key, Plaintext=b"new")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=old)["Plaintext"] == b"old"
    assert kms.decrypt(CiphertextBlob=old)["KeyMaterialId"] == first_material
    assert kms.decrypt(CiphertextBlob=new)["KeyMaterialId"] == rotations[1]["KeyMaterialId"]
    # The key id and ARN never change with rotation.
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyId"] == key


def test_list_key_rotations_all_material(kms, key):
    kms.rotate_key_on_demand(KeyId=key)
    everything = kms.list_key_rotations(KeyId=key, IncludeKeyMaterial="ALL_KEY_MATERIAL")
    assert len(everything["Rotations"]) == 2
    assert "RotationDate" not in everything["Rotations"][0]  # the original material


def test_on_demand_rotation_leaves_schedule(sim, kms, key):
    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=180)
    before = kms.get_key_rotation_status(KeyId=key)["NextRotationDate"]
    sim.clock.advance(days=10)
    assert kms.rotate_key_on_demand(KeyId=key)["KeyId"] == key
    assert kms.get_key_rotation_status(KeyId=key)["NextRotationDate"] == before
    assert kms.list_key_rotations(KeyId=key)["Rotations"][0]["RotationType"] == "ON_DEMAND"


def test_on_demand_rotation_limit(kms, key):
    for _ in range(25):
        kms.rotate_key_on_demand(KeyId=key)
    assert code_of(kms.rotate_key_on_demand, KeyId=key) == "LimitExceededException"


def test_disabled_key_does_not_rotate_until_enabled(sim, kms, key):
    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=90)
    kms.disable_key(KeyId=key)
    sim.clock.advance(days=100)
    assert code_of(kms.rotate_key_on_demand, KeyId=key) == "DisabledException"
    assert code_of(kms.enable_key_rotation, KeyId=key) == "DisabledException"
    kms.enable_key(KeyId=key)
    rotations = kms.list_key_rotations(KeyId=key)["Rotations"]
    assert len(rotations) == 1
    assert rotations[0]["RotationDate"] == sim.clock.now()


# -- key types --------------------------------------------------------------------


def test_aws_managed_key_created_on_first_use(kms):
    assert kms.list_aliases()["Aliases"] == []
    meta = kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
    assert meta["KeyManager"] == "AWS"
    assert [a["AliasName"] for a in kms.list_aliases()["Aliases"]] == ["alias/aws/s3"]
    again = kms.generate_data_key(KeyId="alias/aws/s3", KeySpec="AES_256")
    assert again["KeyId"] == meta["Arn"]
    status = kms.get_key_rotation_status(KeyId=meta["KeyId"])
    assert status["KeyRotationEnabled"] is True
    assert status["RotationPeriodInDays"] == 365


@pytest.mark.parametrize(
    ("op", "kwargs"),
    [
        ("enable_key_rotation", {"RotationPeriodInDays": 90}),
        ("disable_key_rotation", {}),
        ("disable_key", {}),
        ("schedule_key_deletion", {"PendingWindowInDays": 7}),
        ("put_key_policy", {"Policy": '{"Statement": []}'}),
    ],
)
def test_aws_managed_key_cannot_be_administered(kms, op, kwargs):
    key_id = kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["KeyId"]
    assert code_of(getattr(kms, op), KeyId=key_id, **kwargs) == "AccessDeniedException"


def test_aws_managed_key_rotates_yearly(sim, kms):
    key_id = kms.describe_key(KeyId="alias/aws/rds")["KeyMetadata"]["KeyId"]
    sim.clock.advance(days=365 * 2)
    assert len(kms.list_key_rotations(KeyId=key_id)["Rotations"]) == 2


# -- key policies -----------------------------------------------------------------


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


ADMIN = f"arn:aws:iam::{ACCOUNT}:role/Admin"
APP = f"arn:aws:iam::{ACCOUNT}:role/App"
OUTSIDER = "arn:aws:iam::444455556666:role/App"


def test_default_policy_trusts_the_account(sim, kms, key):
    doc = json.loads(kms.get_key_policy(KeyId=key)["Policy"])
    assert doc["Statement"][0]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    app = sim.client("kms", region_name="us-east-1", principal=APP)
    assert app.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]
    outsider = sim.client("kms", region_name="us-east-1", principal=OUTSIDER)
    assert code_of(outsider.encrypt, KeyId=key, Plaintext=b"x") == "AccessDeniedException"


def test_policy_allows_and_denies_per_principal(sim, kms):
    key = kms.create_key(
        Policy=policy(
            {"Effect": "Allow", "Principal": {"AWS": ADMIN}, "Action": "kms:*", "Resource": "*"},
            {
                "Effect": "Allow",
                "Principal": {"AWS": APP},
                "Action": ["kms:Encrypt", "kms:GenerateDataKey*"],
                "Resource": "*",
            },
        ),
        BypassPolicyLockoutSafetyCheck=True,
    )["KeyMetadata"]["KeyId"]
    app = sim.client("kms", region_name="us-east-1", principal=APP)
    admin = sim.client("kms", region_name="us-east-1", principal=ADMIN)
    blob = app.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]
    assert app.generate_data_key_without_plaintext(KeyId=key, KeySpec="AES_256")
    with pytest.raises(app.exceptions.AccessDeniedException, match="kms:Decrypt"):
        app.decrypt(CiphertextBlob=blob)
    assert code_of(app.disable_key, KeyId=key) == "AccessDeniedException"
    assert admin.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"
    # The root principal isn't named and the policy doesn't trust the account.
    assert code_of(kms.describe_key, KeyId=key) == "AccessDeniedException"


def test_explicit_deny_wins(sim, kms, key):
    kms.put_key_policy(
        KeyId=key,
        Policy=policy(
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Deny", "Principal": {"AWS": APP}, "Action": "kms:Decrypt", "Resource": "*"},
        ),
    )
    app = sim.client("kms", region_name="us-east-1", principal=APP)
    blob = app.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]
    with pytest.raises(app.exceptions.AccessDeniedException, match="explicit deny"):
        app.decrypt(CiphertextBlob=blob)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"


def test_policy_lockout_check_and_malformed(kms, key):
    lockout = policy(
        {"Effect": "Allow", "Principal": {"AWS": APP}, "Action": "kms:Encrypt", "Resource": "*"}
    )
    with pytest.raises(kms.exceptions.MalformedPolicyDocumentException, match="future"):
        kms.put_key_policy(KeyId=key, Policy=lockout)
    assert code_of(kms.put_key_policy, KeyId=key, Policy="{not json") == (
        "MalformedPolicyDocumentException"
    )
    assert code_of(kms.get_key_policy, KeyId=key, PolicyName="other") == "NotFoundException"


def test_exceptions_reachable_on_the_client(kms):
    for code in (
        "NotFoundException",
        "DisabledException",
        "InvalidCiphertextException",
        "ValidationException",
        "KMSInvalidStateException",
        "AccessDeniedException",
        "IncorrectKeyException",
    ):
        cls = getattr(kms.exceptions, code)
        assert issubclass(cls, kms.exceptions.ClientError)
        assert cls("m").response["Error"]["Code"] == code


def test_bad_simulator_arguments(sim):
    with pytest.raises(ValueError, match="only 'kms'"):
        sim.client("s3")
    with pytest.raises(ValueError, match="principal must be an ARN"):
        sim.client("kms", region_name="us-east-1", principal="bob")
    with pytest.raises(ValueError, match="time only moves forward"):
        sim.clock.advance(days=-1)


def test_assumed_role_session_acts_as_its_role(sim, kms):
    key = kms.create_key(
        Policy=policy(
            {"Effect": "Allow", "Principal": {"AWS": ADMIN}, "Action": "kms:*", "Resource": "*"},
            {
                "Effect": "Allow",
                "Principal": {"AWS": APP},
                "Action": "kms:Encrypt",
                "Resource": "*",
            },
        ),
        BypassPolicyLockoutSafetyCheck=True,
    )["KeyMetadata"]["KeyId"]
    session = sim.client(
        "kms", region_name="us-east-1", principal=f"arn:aws:sts::{ACCOUNT}:assumed-role/App/s1"
    )
    assert session.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]
    assert code_of(session.describe_key, KeyId=key) == "AccessDeniedException"


def test_client_meta_like_boto3(sim):
    client = sim.client("kms", region_name="ap-southeast-2")
    assert client.meta.region_name == "ap-southeast-2"
    assert client.meta.service_name == "kms"
