"""kms_envelope: a seeded AWS KMS simulator with boto3's API, and envelope encryption.

    from kms_envelope import Simulator
    sim = Simulator(seed=7)
    kms = sim.client("kms", region_name="us-east-1")
    key_id = kms.create_key(Description="demo")["KeyMetadata"]["KeyId"]

`kms_envelope.envelope.encrypt(kms, key_id, data)` works with this client
and with a real boto3 KMS client alike.
"""

from . import crypto, envelope
from .client import KMSClient
from .clock import SimClock
from .crypto import available_backends, current_backend, select_backend
from .errors import (
    AccessDeniedException,
    ClientError,
    ContextMismatchError,
    CryptoBackendError,
    DisabledException,
    EnvelopeError,
    IncorrectKeyException,
    InvalidCiphertextException,
    KMSInvalidStateException,
    MalformedEnvelopeError,
    NotFoundException,
    TamperedEnvelopeError,
    ValidationException,
)
from .simulator import Simulator

__all__ = [
    "AccessDeniedException",
    "ClientError",
    "ContextMismatchError",
    "CryptoBackendError",
    "DisabledException",
    "EnvelopeError",
    "IncorrectKeyException",
    "InvalidCiphertextException",
    "KMSClient",
    "KMSInvalidStateException",
    "MalformedEnvelopeError",
    "NotFoundException",
    "SimClock",
    "Simulator",
    "TamperedEnvelopeError",
    "ValidationException",
    "available_backends",
    "crypto",
    "current_backend",
    "envelope",
    "select_backend",
]
