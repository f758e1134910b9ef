"""Errors shaped like botocore's ClientError, one class per KMS error code.

Like botocore, each error carries `.response["Error"]["Code"]` and
`["Message"]`, and the client exposes the classes as `client.exceptions.<Code>`.
The codes are the ones in botocore's KMS service model.
"""

from typing import Any, ClassVar


class ClientError(Exception):
    """Base of every error the simulated KMS client raises."""

    code: ClassVar[str] = "ClientError"

    def __init__(self, message: str, operation_name: str = "", request_id: str = "") -> None:
        self.operation_name = operation_name
        self.response: dict[str, Any] = {
            "Error": {"Code": self.code, "Message": message},
            "ResponseMetadata": {"RequestId": request_id, "HTTPStatusCode": 400},
        }
        super().__init__(
            f"An error occurred ({self.code}) when calling the {operation_name} operation: "
            f"{message}"
        )


class NotFoundException(ClientError):
    code = "NotFoundException"


class DisabledException(ClientError):
    code = "DisabledException"


class InvalidCiphertextException(ClientError):
    code = "InvalidCiphertextException"


class ValidationException(ClientError):
    code = "ValidationException"


class KMSInvalidStateException(ClientError):
    code = "KMSInvalidStateException"


class AccessDeniedException(ClientError):
    code = "AccessDeniedException"


class IncorrectKeyException(ClientError):
    code = "IncorrectKeyException"


class AlreadyExistsException(ClientError):
    code = "AlreadyExistsException"


class InvalidAliasNameException(ClientError):
    code = "InvalidAliasNameException"


class MalformedPolicyDocumentException(ClientError):
    code = "MalformedPolicyDocumentException"


class UnsupportedOperationException(ClientError):
    code = "UnsupportedOperationException"


class LimitExceededException(ClientError):
    code = "LimitExceededException"


class InvalidArnException(ClientError):
    code = "InvalidArnException"


class InvalidKeyUsageException(ClientError):
    code = "InvalidKeyUsageException"


class InvalidMarkerException(ClientError):
    code = "InvalidMarkerException"


_Base = ClientError

ERROR_CLASSES: tuple[type[ClientError], ...] = (
    NotFoundException,
    DisabledException,
    InvalidCiphertextException,
    ValidationException,
    KMSInvalidStateException,
    AccessDeniedException,
    IncorrectKeyException,
    AlreadyExistsException,
    InvalidAliasNameException,
    MalformedPolicyDocumentException,
    UnsupportedOperationException,
    LimitExceededException,
    InvalidArnException,
    InvalidKeyUsageException,
    InvalidMarkerException,
)


class ClientExceptions:
    """`client.exceptions`: every error class by its code, as boto3 offers."""

    ClientError = ClientError
    NotFoundException = NotFoundException
    DisabledException = DisabledException
    InvalidCiphertextException = InvalidCiphertextException
    ValidationException = ValidationException
    KMSInvalidStateException = KMSInvalidStateException
    AccessDeniedException = AccessDeniedException
    IncorrectKeyException = IncorrectKeyException
    AlreadyExistsException = AlreadyExistsException
    InvalidAliasNameException = InvalidAliasNameException
    MalformedPolicyDocumentException = MalformedPolicyDocumentException
    UnsupportedOperationException = UnsupportedOperationException
    LimitExceededException = LimitExceededException
    InvalidArnException = InvalidArnException
    InvalidKeyUsageException = InvalidKeyUsageException
    InvalidMarkerException = InvalidMarkerException

    def from_code(self, code: str) -> type[_Base]:
        for cls in ERROR_CLASSES:
            if cls.code == code:
                return cls
        raise KeyError(code)


class EnvelopeError(ValueError):
    """An envelope message could not be made or opened; the text says why."""


class MalformedEnvelopeError(EnvelopeError):
    """Not a kms_envelope message, an unknown version, or truncated."""


class TamperedEnvelopeError(EnvelopeError):
    """The message parses but fails authentication: altered or wrong key."""


class ContextMismatchError(EnvelopeError):
    """The encryption context given to decrypt differs from the one used to encrypt."""


class CryptoBackendError(RuntimeError):
    """A crypto backend was asked for but cannot run here."""
