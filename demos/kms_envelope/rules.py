"""KMS limits and fixed values, as data.

Sources: the KMS API Reference (https://docs.aws.amazon.com/kms/latest/APIReference/)
and botocore's KMS service model (shapes PlaintextType, RotationPeriodInDaysType,
NumberOfBytesType, DataKeySpec).
"""

from typing import Final

DEFAULT_ACCOUNT: Final = "111122223333"
DEFAULT_REGION: Final = "us-east-1"

# Encrypt: Plaintext is 1..4096 bytes (PlaintextType).
MAX_PLAINTEXT: Final = 4096
# CiphertextType is 1..6144 bytes.
MAX_CIPHERTEXT: Final = 6144
# GenerateDataKey NumberOfBytes is 1..1024 (NumberOfBytesType).
MAX_DATA_KEY_BYTES: Final = 1024
DATA_KEY_SPECS: Final = {"AES_256": 32, "AES_128": 16}
# Symmetric encryption keys are the only kind the simulator makes.
KEY_SPECS: Final = ("SYMMETRIC_DEFAULT",)
KEY_USAGES: Final = ("ENCRYPT_DECRYPT",)
ENCRYPTION_ALGORITHM: Final = "SYMMETRIC_DEFAULT"

# EnableKeyRotation: RotationPeriodInDays 90..2560, default 365
# (https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-enable-disable.html).
ROTATION_MIN_DAYS: Final = 90
ROTATION_MAX_DAYS: Final = 2560
ROTATION_DEFAULT_DAYS: Final = 365
# AWS managed keys rotate every year and that can't be changed.
AWS_MANAGED_ROTATION_DAYS: Final = 365
# RotateKeyOnDemand: at most 25 on-demand rotations per key.
MAX_ON_DEMAND_ROTATIONS: Final = 25

# ScheduleKeyDeletion: PendingWindowInDays 7..30, default 30.
DELETION_MIN_DAYS: Final = 7
DELETION_MAX_DAYS: Final = 30
DELETION_DEFAULT_DAYS: Final = 30

ALIAS_PREFIX: Final = "alias/"
AWS_ALIAS_PREFIX: Final = "alias/aws/"
# AliasNameType's pattern after the alias/ prefix.
ALIAS_NAME_CHARS: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_-"
)
ALIAS_MAX_LEN: Final = 256

DEFAULT_POLICY_NAME: Final = "default"

# Where the clock starts, so that dates in demo output never change.
EPOCH_ISO: Final = "2025-01-01T09:00:00+00:00"
