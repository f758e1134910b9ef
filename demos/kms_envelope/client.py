"""The simulated KMS client: boto3's method names, arguments and response shapes.

Shapes and error codes follow botocore's KMS service model; the semantics
follow the KMS API Reference (https://docs.aws.amazon.com/kms/latest/APIReference/).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from . import blob as blobfmt
from . import crypto, rules
from .aead import AuthenticationFailed
from .context import ContextError, canonical_context, check_context
from .errors import (
    AccessDeniedException,
    AlreadyExistsException,
    ClientError,
    ClientExceptions,
    DisabledException,
    IncorrectKeyException,
    InvalidCiphertextException,
    KMSInvalidStateException,
    LimitExceededException,
    MalformedPolicyDocumentException,
    NotFoundException,
    UnsupportedOperationException,
    ValidationException,
)
from .keys import Alias, BackingKey, Key, RegionStore
from .policy import PolicyError, evaluate, parse_policy

if TYPE_CHECKING:
    from .simulator import Simulator

Response = dict[str, Any]
F = TypeVar("F", bound=Callable[..., Response])

_OTHER_KEY_SPECS = (
    "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
    "ECC_SECG_P256K1", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2",
    "ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519",
)  # fmt: skip


def _operation(name: str) -> Callable[[F], F]:
    """Name the operation for errors, run due clock events, add ResponseMetadata."""

    def wrap(fn: F) -> F:
        def run(self: KMSClient, **kwargs: Any) -> Response:
            self._op = name
            self._sim._tick()
            result = fn(self, **kwargs)
            result["ResponseMetadata"] = {
                "RequestId": self._sim._request_id(),
                "HTTPStatusCode": 200,
                "HTTPHeaders": {"content-type": "application/x-amz-json-1.1"},
                "RetryAttempts": 0,
            }
            return result

        run.__name__ = fn.__name__
        run.__doc__ = fn.__doc__
        return run  # type: ignore[return-value]

    return wrap


class ClientMeta:
    """`client.meta`, as far as boto3 code usually reads it."""

    def __init__(self, region_name: str) -> None:
        self.region_name = region_name
        self.service_name = "kms"
        self.endpoint_url = f"https://kms.{region_name}.amazonaws.com"

    def __repr__(self) -> str:
        return f"ClientMeta(region_name={self.region_name!r})"


class KMSClient:
    """A KMS client bound to one Region and one principal of the simulator."""

    def __init__(self, sim: Simulator, region_name: str, principal: str) -> None:
        self._sim = sim
        self._region = region_name
        self._principal = principal
        self._op = ""
        self.exceptions = ClientExceptions()
        self.meta = ClientMeta(region_name)

    @property
    def region_name(self) -> str:
        return self._region

    @property
    def principal(self) -> str:
        return self._principal

    def __repr__(self) -> str:
        return f"<KMSClient region={self._region} principal={self._principal}>"

    # -- helpers -------------------------------------------------------------

    def _error(self, cls: type[ClientError], message: str) -> ClientError:
        return cls(message, self._op, self._sim._request_id())

    def _store(self) -> RegionStore:
        return self._sim._region(self._region)

    def _now(self) -> datetime:
        return self._sim.clock.now()

    def _require_str(self, value: object, field: str, *, max_len: int = 2048) -> str:
        if not isinstance(value, str) or not value:
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value at '{field}' failed to satisfy "
                f"constraint: Member must be a non-empty string"
                + ("" if isinstance(value, str) else f" (got {type(value).__name__})"),
            )
        if len(value) > max_len:
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value at '{field}' failed to satisfy "
                f"constraint: Member must have length less than or equal to {max_len}",
            )
        return value

    def _require_bytes(self, value: object, field: str, max_len: int) -> bytes:
        if isinstance(value, str):
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value at '{field}' failed to satisfy "
                f"constraint: Member must be bytes, not str (encode it first, "
                f"e.g. '...'.encode())",
            )
        if not isinstance(value, bytes | bytearray | memoryview):
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value at '{field}' failed to satisfy "
                f"constraint: Member must be bytes, not {type(value).__name__}",
            )
        data = bytes(value)
        if not data:
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value at '{field}' failed to satisfy "
                f"constraint: Member must have length greater than or equal to 1",
            )
        if len(data) > max_len:
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value at '{field}' failed to satisfy "
                f"constraint: Member must have length less than or equal to {max_len}",
            )
        return data

    def _require_int(self, value: object, field: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value at '{field}' failed to satisfy "
                f"constraint: Member must be an integer",
            )
        if value < low:
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
                f"constraint: Member must have value greater than or equal to {low}",
            )
        if value > high:
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
                f"constraint: Member must have value less than or equal to {high}",
            )
        return value

    def _context(self, value: object, field: str = "EncryptionContext") -> dict[str, str]:
        try:
            return check_context(value, field)
        except ContextError as exc:
            raise self._error(ValidationException, str(exc)) from None

    def _resolve(self, key_ref: object, field: str = "keyId") -> Key:
        """Find a key by id, key ARN, alias name or alias ARN in this Region."""
        ref = self._require_str(key_ref, field)
        store = self._store()
        if ref.startswith("arn:"):
            parts = ref.split(":", 5)
            if len(parts) != 6 or parts[2] != "kms":
                raise self._error(ValidationException, f"Invalid keyId {ref}")
            region, account, resource = parts[3], parts[4], parts[5]
            if region != self._region or account != store.account:
                # Another Region's (or account's) key simply isn't here.
                raise self._error(NotFoundException, f"Key '{ref}' does not exist")
            ref = resource if resource.startswith(rules.ALIAS_PREFIX) else resource[4:]
        if ref.startswith(rules.ALIAS_PREFIX):
            alias = store.aliases.get(ref)
            if alias is None and ref.startswith(rules.AWS_ALIAS_PREFIX):
                return self._sim._aws_managed_key(self._region, ref)
            if alias is None:
                raise self._error(NotFoundException, f"Alias {store.alias_arn(ref)} is not found.")
            ref = alias.target
        key = store.keys.get(ref)
        if key is None:
            raise self._error(NotFoundException, f"Key '{store.key_arn(ref)}' does not exist")
        return key

    def _authorize(self, key: Key, action: str) -> None:
        decision = evaluate(parse_policy(key.policy), self._principal, action)
        if decision == "allow":
            return
        why = (
            "with an explicit deny in a resource-based policy"
            if decision == "explicit-deny"
            else f"because no resource-based policy allows the {action} action"
        )
        raise self._error(
            AccessDeniedException,
            f"User: {self._principal} is not authorized to perform: {action} on resource: "
            f"{key.arn} {why}",
        )

    def _require_usable(self, key: Key) -> None:
        """Cryptographic operations need an Enabled key."""
        if key.state == "Disabled":
            raise self._error(DisabledException, f"{key.arn} is disabled.")
        if key.state == "PendingDeletion":
            raise self._error(KMSInvalidStateException, f"{key.arn} is pending deletion.")

    def _require_not_pending(self, key: Key) -> None:
        if key.state == "PendingDeletion":
            raise self._error(KMSInvalidStateException, f"{key.arn} is pending deletion.")

    def _seal(self, key: Key, plaintext: bytes, context: dict[str, str]) -> bytes:
        version = len(key.backing) - 1
        head = blobfmt.header(key.key_id, version)
        nonce = self._sim._entropy.bytes(crypto.NONCE_SIZE)
        gcm = key.current.cipher()
        return head + nonce + gcm.seal(nonce, plaintext, head + canonical_context(context))

    def _unseal(
        self, key: Key, parsed: blobfmt.ParsedBlob, context: dict[str, str]
    ) -> tuple[BackingKey, bytes]:
        if parsed.backing_version >= len(key.backing):
            raise self._error(InvalidCiphertextException, "")
        backing = key.backing[parsed.backing_version]
        gcm = backing.cipher()
        try:
            plain = gcm.open(
                parsed.nonce, parsed.sealed, parsed.header + canonical_context(context)
            )
        except AuthenticationFailed:
            # KMS says no more than this: wrong context and altered bytes look alike.
            raise self._error(InvalidCiphertextException, "") from None
        return backing, plain

    def _metadata(self, key: Key) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "AWSAccountId": key.account,
            "KeyId": key.key_id,
            "Arn": key.arn,
            "CreationDate": key.created,
            "Enabled": key.state == "Enabled",
            "Description": key.description,
            "KeyUsage": "ENCRYPT_DECRYPT",
            "KeyState": key.state,
        }
        if key.deletion_date is not None:
            meta["DeletionDate"] = key.deletion_date
        meta.update(
            {
                "Origin": "AWS_KMS",
                "KeyManager": key.manager,
                "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
                "KeySpec": "SYMMETRIC_DEFAULT",
                "EncryptionAlgorithms": [rules.ENCRYPTION_ALGORITHM],
                "MultiRegion": False,
                "CurrentKeyMaterialId": key.current.material_id,
            }
        )
        if key.pending_window is not None:
            meta["PendingDeletionWindowInDays"] = key.pending_window
        return meta

    def _page(self, items: list[Any], limit: object, marker: object, name: str) -> Response:
        lim = 100 if limit is None else self._require_int(limit, "limit", 1, 1000)
        start = 0
        if marker is not None:
            if not isinstance(marker, str) or not marker.isdigit():
                raise self._error(
                    self.exceptions.InvalidMarkerException, "The marker is not valid."
                )
            start = int(marker)
        chunk = items[start : start + lim]
        out: Response = {name: chunk, "Truncated": start + lim < len(items)}
        if out["Truncated"]:
            out["NextMarker"] = str(start + lim)
        return out

    def _check_policy(self, text: object, bypass: object) -> str:
        if not isinstance(text, str):
            raise self._error(
                ValidationException, "1 validation error detected: Value at 'policy' must be str"
            )
        try:
            statements = parse_policy(text)
        except PolicyError as exc:
            raise self._error(MalformedPolicyDocumentException, str(exc)) from None
        # KMS's lockout safety check: the caller must keep the right to change it.
        if not bypass and evaluate(statements, self._principal, "kms:PutKeyPolicy") != "allow":
            raise self._error(
                MalformedPolicyDocumentException,
                "The new key policy will not allow you to update the key policy in the future.",
            )
        return text

    # -- keys ----------------------------------------------------------------

    @_operation("CreateKey")
    def create_key(
        self,
        *,
        Policy: str | None = None,
        Description: str = "",
        KeyUsage: str = "ENCRYPT_DECRYPT",
        KeySpec: str = "SYMMETRIC_DEFAULT",
        CustomerMasterKeySpec: str | None = None,
        Origin: str = "AWS_KMS",
        BypassPolicyLockoutSafetyCheck: bool = False,
        Tags: list[dict[str, str]] | None = None,
        MultiRegion: bool = False,
    ) -> Response:
        """CreateKey: a symmetric encryption key (SYMMETRIC_DEFAULT) in this Region."""
        if not isinstance(Description, str) or len(Description) > 8192:
            raise self._error(
                ValidationException,
                "1 validation error detected: Value at 'description' failed to satisfy "
                "constraint: Member must be a string of at most 8192 characters",
            )
        spec = CustomerMasterKeySpec or KeySpec
        if spec not in rules.KEY_SPECS:
            if spec in _OTHER_KEY_SPECS:
                raise self._error(
                    UnsupportedOperationException,
                    f"KeySpec {spec} is valid in KMS but this simulator only makes "
                    "SYMMETRIC_DEFAULT keys.",
                )
            allowed = ", ".join((*rules.KEY_SPECS, *_OTHER_KEY_SPECS))
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value '{spec}' at 'keySpec' failed to satisfy "
                f"constraint: Member must satisfy enum value set: [{allowed}]",
            )
        if KeyUsage not in rules.KEY_USAGES:
            raise self._error(
                ValidationException,
                f"KeyUsage {KeyUsage} is not compatible with KeySpec SYMMETRIC_DEFAULT",
            )
        if Origin != "AWS_KMS" or MultiRegion:
            raise self._error(
                UnsupportedOperationException,
                "The simulator only makes single-Region keys with AWS_KMS origin.",
            )
        store = self._store()
        policy = (
            self._sim._default_policy()
            if Policy is None
            else self._check_policy(Policy, BypassPolicyLockoutSafetyCheck)
        )
        key = self._sim._new_key(store, Description, "CUSTOMER", policy)
        key.tags = list(Tags or [])
        return {"KeyMetadata": self._metadata(key)}

    @_operation("DescribeKey")
    def describe_key(self, *, KeyId: str, GrantTokens: list[str] | None = None) -> Response:
        key = self._resolve(KeyId)
        self._authorize(key, "kms:DescribeKey")
        return {"KeyMetadata": self._metadata(key)}

    @_operation("ListKeys")
    def list_keys(self, *, Limit: int | None = None, Marker: str | None = None) -> Response:
        entries = [{"KeyId": k.key_id, "KeyArn": k.arn} for k in self._store().keys.values()]
        return self._page(entries, Limit, Marker, "Keys")

    @_operation("EnableKey")
    def enable_key(self, *, KeyId: str) -> Response:
        key = self._resolve(KeyId)
        self._authorize(key, "kms:EnableKey")
        self._require_not_pending(key)
        if key.state != "Enabled":
            key.state = "Enabled"
            key.enabled_since = self._now()
            # A rotation that fell due while disabled happens now.
            self._sim._tick()
        return {}

    @_operation("DisableKey")
    def disable_key(self, *, KeyId: str) -> Response:
        key = self._resolve(KeyId)
        self._authorize(key, "kms:DisableKey")
        self._require_not_pending(key)
        key.state = "Disabled"
        return {}

    @_operation("ScheduleKeyDeletion")
    def schedule_key_deletion(
        self, *, KeyId: str, PendingWindowInDays: int = rules.DELETION_DEFAULT_DAYS
    ) -> Response:
        key = self._resolve(KeyId)
        self._authorize(key, "kms:ScheduleKeyDeletion")
        days = self._require_int(
            PendingWindowInDays,
            "pendingWindowInDays",
            rules.DELETION_MIN_DAYS,
            rules.DELETION_MAX_DAYS,
        )
        self._require_not_pending(key)
        key.state = "PendingDeletion"
        key.pending_window = days
        key.deletion_date = self._now() + timedelta(days=days)
        return {
            "KeyId": key.arn,
            "DeletionDate": key.deletion_date,
            "KeyState": key.state,
            "PendingWindowInDays": days,
        }

    @_operation("CancelKeyDeletion")
    def cancel_key_deletion(self, *, KeyId: str) -> Response:
        key = self._resolve(KeyId)
        self._authorize(key, "kms:CancelKeyDeletion")
        if key.state != "PendingDeletion":
            raise self._error(KMSInvalidStateException, f"{key.arn} is not pending deletion.")
        # KMS leaves a key whose deletion was cancelled Disabled.
        key.state = "Disabled"
        key.deletion_date = None
        key.pending_window = None
        return {"KeyId": key.arn}

    # -- aliases -------------------------------------------------------------

    def _check_alias_name(self, name: object) -> str:
        alias = self._require_str(name, "aliasName", max_len=rules.ALIAS_MAX_LEN)
        rest = alias[len(rules.ALIAS_PREFIX) :]
        if (
            not alias.startswith(rules.ALIAS_PREFIX)
            or not rest
            or not set(rest) <= rules.ALIAS_NAME_CHARS
        ):
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value '{alias}' at 'aliasName' failed to "
                "satisfy constraint: Member must satisfy regular expression pattern: "
                "^alias/[a-zA-Z0-9/_-]+$",
            )
        if alias.startswith(rules.AWS_ALIAS_PREFIX):
            raise self._error(
                ValidationException,
                f"Alias {alias} must not begin with alias/aws/: that prefix is reserved "
                "for AWS managed keys.",
            )
        return alias

    @_operation("CreateAlias")
    def create_alias(self, *, AliasName: str, TargetKeyId: str) -> Response:
        alias = self._check_alias_name(AliasName)
        target = self._require_str(TargetKeyId, "targetKeyId")
        if target.startswith(rules.ALIAS_PREFIX) or ":alias/" in target:
            raise self._error(ValidationException, "Aliases must refer to keys. Not aliases")
        key = self._resolve(target, "targetKeyId")
        self._authorize(key, "kms:CreateAlias")
        self._require_not_pending(key)
        store = self._store()
        if alias in store.aliases:
            raise self._error(
                AlreadyExistsException,
                f"An alias with the name {store.alias_arn(alias)} already exists",
            )
        now = self._now()
        store.aliases[alias] = Alias(alias, key.key_id, now, now)
        return {}

    @_operation("DeleteAlias")
    def delete_alias(self, *, AliasName: str) -> Response:
        alias = self._check_alias_name(AliasName)
        store = self._store()
        entry = store.aliases.get(alias)
        if entry is None:
            raise self._error(NotFoundException, f"Alias {store.alias_arn(alias)} is not found.")
        key = store.keys.get(entry.target)
        if key is not None:
            self._authorize(key, "kms:DeleteAlias")
        del store.aliases[alias]
        return {}

    @_operation("ListAliases")
    def list_aliases(
        self, *, KeyId: str | None = None, Limit: int | None = None, Marker: str | None = None
    ) -> Response:
        store = self._store()
        only = self._resolve(KeyId).key_id if KeyId is not None else None
        entries = [
            {
                "AliasName": a.name,
                "AliasArn": store.alias_arn(a.name),
                "TargetKeyId": a.target,
                "CreationDate": a.created,
                "LastUpdatedDate": a.updated,
            }
            for a in sorted(store.aliases.values(), key=lambda a: a.name)
            if only is None or a.target == only
        ]
        return self._page(entries, Limit, Marker, "Aliases")

    # -- cryptographic operations ---------------------------------------------

    @_operation("Encrypt")
    def encrypt(
        self,
        *,
        KeyId: str,
        Plaintext: bytes,
        EncryptionContext: dict[str, str] | None = None,
        GrantTokens: list[str] | None = None,
        EncryptionAlgorithm: str = rules.ENCRYPTION_ALGORITHM,
    ) -> Response:
        data = self._require_bytes(Plaintext, "plaintext", rules.MAX_PLAINTEXT)
        context = self._context(EncryptionContext)
        self._check_algorithm(EncryptionAlgorithm)
        key = self._resolve(KeyId)
        self._authorize(key, "kms:Encrypt")
        self._require_usable(key)
        return {
            "CiphertextBlob": self._seal(key, data, context),
            "KeyId": key.arn,
            "EncryptionAlgorithm": rules.ENCRYPTION_ALGORITHM,
        }

    def _check_algorithm(self, value: object) -> None:
        if value != rules.ENCRYPTION_ALGORITHM:
            raise self._error(
                self.exceptions.InvalidKeyUsageException,
                f"The encryption algorithm {value} is not valid for a symmetric encryption key;"
                f" use {rules.ENCRYPTION_ALGORITHM}.",
            )

    @_operation("Decrypt")
    def decrypt(
        self,
        *,
        CiphertextBlob: bytes,
        EncryptionContext: dict[str, str] | None = None,
        GrantTokens: list[str] | None = None,
        KeyId: str | None = None,
        EncryptionAlgorithm: str = rules.ENCRYPTION_ALGORITHM,
    ) -> Response:
        data = self._require_bytes(CiphertextBlob, "ciphertextBlob", rules.MAX_CIPHERTEXT)
        context = self._context(EncryptionContext)
        self._check_algorithm(EncryptionAlgorithm)
        parsed = blobfmt.parse(data)
        if parsed is None:
            raise self._error(InvalidCiphertextException, "")
        key = self._blob_key(parsed, KeyId, "keyId")
        self._authorize(key, "kms:Decrypt")
        self._require_usable(key)
        backing, plain = self._unseal(key, parsed, context)
        return {
            "KeyId": key.arn,
            "Plaintext": plain,
            "EncryptionAlgorithm": rules.ENCRYPTION_ALGORITHM,
            "KeyMaterialId": backing.material_id,
        }

    def _blob_key(self, parsed: blobfmt.ParsedBlob, expected: object, field: str) -> Key:
        key = self._store().keys.get(parsed.key_id)
        if key is None:
            raise self._error(
                AccessDeniedException,
                "The ciphertext refers to a customer master key that does not exist, "
                "does not exist in this region, or you are not allowed to access.",
            )
        if expected is not None and self._resolve(expected, field).key_id != key.key_id:
            raise self._error(
                IncorrectKeyException,
                "The key ID in the request does not identify a CMK that can perform this "
                "operation.",
            )
        return key

    @_operation("ReEncrypt")
    def re_encrypt(
        self,
        *,
        CiphertextBlob: bytes,
        DestinationKeyId: str,
        SourceEncryptionContext: dict[str, str] | None = None,
        SourceKeyId: str | None = None,
        DestinationEncryptionContext: dict[str, str] | None = None,
        SourceEncryptionAlgorithm: str = rules.ENCRYPTION_ALGORITHM,
        DestinationEncryptionAlgorithm: str = rules.ENCRYPTION_ALGORITHM,
        GrantTokens: list[str] | None = None,
    ) -> Response:
        data = self._require_bytes(CiphertextBlob, "ciphertextBlob", rules.MAX_CIPHERTEXT)
        src_ctx = self._context(SourceEncryptionContext, "SourceEncryptionContext")
        dst_ctx = self._context(DestinationEncryptionContext, "DestinationEncryptionContext")
        self._check_algorithm(SourceEncryptionAlgorithm)
        self._check_algorithm(DestinationEncryptionAlgorithm)
        parsed = blobfmt.parse(data)
        if parsed is None:
            raise self._error(InvalidCiphertextException, "")
        src = self._blob_key(parsed, SourceKeyId, "sourceKeyId")
        dst = self._resolve(DestinationKeyId, "destinationKeyId")
        self._authorize(src, "kms:ReEncryptFrom")
        self._authorize(dst, "kms:ReEncryptTo")
        self._require_usable(src)
        self._require_usable(dst)
        backing, plain = self._unseal(src, parsed, src_ctx)
        return {
            "CiphertextBlob": self._seal(dst, plain, dst_ctx),
            "SourceKeyId": src.arn,
            "KeyId": dst.arn,
            "SourceEncryptionAlgorithm": rules.ENCRYPTION_ALGORITHM,
            "DestinationEncryptionAlgorithm": rules.ENCRYPTION_ALGORITHM,
            "SourceKeyMaterialId": backing.material_id,
            "DestinationKeyMaterialId": dst.current.material_id,
        }

    def _data_key_size(self, spec: object, number: object) -> int:
        if (spec is None) == (number is None):
            raise self._error(
                ValidationException, "Please specify either number of bytes or key spec."
            )
        if number is not None:
            return self._require_int(number, "numberOfBytes", 1, rules.MAX_DATA_KEY_BYTES)
        if not isinstance(spec, str) or spec not in rules.DATA_KEY_SPECS:
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value '{spec}' at 'keySpec' failed to satisfy "
                "constraint: Member must satisfy enum value set: [AES_256, AES_128]",
            )
        return rules.DATA_KEY_SPECS[spec]

    def _data_key(
        self, action: str, key_ref: object, context: object, spec: object, number: object
    ) -> tuple[Key, bytes, bytes]:
        size = self._data_key_size(spec, number)
        ctx = self._context(context)
        key = self._resolve(key_ref)
        self._authorize(key, action)
        self._require_usable(key)
        plain = self._sim._entropy.bytes(size)
        return key, plain, self._seal(key, plain, ctx)

    @_operation("GenerateDataKey")
    def generate_data_key(
        self,
        *,
        KeyId: str,
        EncryptionContext: dict[str, str] | None = None,
        NumberOfBytes: int | None = None,
        KeySpec: str | None = None,
        GrantTokens: list[str] | None = None,
    ) -> Response:
        """GenerateDataKey: a data key in two copies, plaintext and encrypted under KeyId."""
        key, plain, sealed = self._data_key(
            "kms:GenerateDataKey", KeyId, EncryptionContext, KeySpec, NumberOfBytes
        )
        return {
            "CiphertextBlob": sealed,
            "Plaintext": plain,
            "KeyId": key.arn,
            "KeyMaterialId": key.current.material_id,
        }

    @_operation("GenerateDataKeyWithoutPlaintext")
    def generate_data_key_without_plaintext(
        self,
        *,
        KeyId: str,
        EncryptionContext: dict[str, str] | None = None,
        KeySpec: str | None = None,
        NumberOfBytes: int | None = None,
        GrantTokens: list[str] | None = None,
    ) -> Response:
        key, _plain, sealed = self._data_key(
            "kms:GenerateDataKeyWithoutPlaintext", KeyId, EncryptionContext, KeySpec, NumberOfBytes
        )
        return {
            "CiphertextBlob": sealed,
            "KeyId": key.arn,
            "KeyMaterialId": key.current.material_id,
        }

    # -- rotation ------------------------------------------------------------

    @_operation("EnableKeyRotation")
    def enable_key_rotation(
        self, *, KeyId: str, RotationPeriodInDays: int = rules.ROTATION_DEFAULT_DAYS
    ) -> Response:
        key = self._resolve(KeyId)
        self._authorize(key, "kms:EnableKeyRotation")
        days = self._require_int(
            RotationPeriodInDays,
            "rotationPeriodInDays",
            rules.ROTATION_MIN_DAYS,
            rules.ROTATION_MAX_DAYS,
        )
        self._require_usable(key)
        key.rotation_enabled = True
        key.rotation_period = days
        key.schedule_rotation(self._now())
        return {}

    @_operation("DisableKeyRotation")
    def disable_key_rotation(self, *, KeyId: str) -> Response:
        key = self._resolve(KeyId)
        self._authorize(key, "kms:DisableKeyRotation")
        self._require_usable(key)
        key.rotation_enabled = False
        key.rotation_period = None
        key.next_rotation = None
        return {}

    @_operation("GetKeyRotationStatus")
    def get_key_rotation_status(self, *, KeyId: str) -> Response:
        key = self._resolve(KeyId)
        self._authorize(key, "kms:GetKeyRotationStatus")
        out: Response = {"KeyRotationEnabled": key.rotation_enabled, "KeyId": key.arn}
        if key.rotation_enabled:
            out["RotationPeriodInDays"] = key.rotation_period
            out["NextRotationDate"] = key.next_rotation
        return out

    @_operation("RotateKeyOnDemand")
    def rotate_key_on_demand(self, *, KeyId: str) -> Response:
        key = self._resolve(KeyId)
        self._authorize(key, "kms:RotateKeyOnDemand")
        self._require_usable(key)
        if key.on_demand_rotations >= rules.MAX_ON_DEMAND_ROTATIONS:
            raise self._error(
                LimitExceededException,
                f"{key.arn} has reached the limit of {rules.MAX_ON_DEMAND_ROTATIONS} "
                "on-demand rotations.",
            )
        key.on_demand_rotations += 1
        # On-demand rotation leaves the automatic schedule as it was.
        self._sim._rotate(key, "ON_DEMAND", self._now())
        return {"KeyId": key.key_id}

    @_operation("ListKeyRotations")
    def list_key_rotations(
        self,
        *,
        KeyId: str,
        IncludeKeyMaterial: str = "ROTATIONS_ONLY",
        Limit: int | None = None,
        Marker: str | None = None,
    ) -> Response:
        key = self._resolve(KeyId)
        self._authorize(key, "kms:ListKeyRotations")
        if IncludeKeyMaterial not in ("ROTATIONS_ONLY", "ALL_KEY_MATERIAL"):
            raise self._error(
                ValidationException,
                f"1 validation error detected: Value '{IncludeKeyMaterial}' at "
                "'includeKeyMaterial' failed to satisfy constraint: Member must satisfy enum "
                "value set: [ALL_KEY_MATERIAL, ROTATIONS_ONLY]",
            )
        entries: list[dict[str, Any]] = []
        for i, b in enumerate(key.backing):
            if b.rotation_type is None and IncludeKeyMaterial == "ROTATIONS_ONLY":
                continue
            entry: dict[str, Any] = {
                "KeyId": key.key_id,
                "KeyMaterialId": b.material_id,
                "KeyMaterialState": "CURRENT" if i == len(key.backing) - 1 else "NON_CURRENT",
            }
            if b.rotation_type is not None:
                entry["RotationDate"] = b.created
                entry["RotationType"] = b.rotation_type
            entries.append(entry)
        return self._page(entries, Limit, Marker, "Rotations")

    # -- key policy ----------------------------------------------------------

    def _check_policy_name(self, name: object) -> None:
        if name != rules.DEFAULT_POLICY_NAME:
            raise self._error(NotFoundException, "No such policy exists")

    @_operation("GetKeyPolicy")
    def get_key_policy(
        self, *, KeyId: str, PolicyName: str = rules.DEFAULT_POLICY_NAME
    ) -> Response:
        key = self._resolve(KeyId)
        self._authorize(key, "kms:GetKeyPolicy")
        self._check_policy_name(PolicyName)
        return {"Policy": key.policy, "PolicyName": rules.DEFAULT_POLICY_NAME}

    @_operation("PutKeyPolicy")
    def put_key_policy(
        self,
        *,
        KeyId: str,
        Policy: str,
        PolicyName: str = rules.DEFAULT_POLICY_NAME,
        BypassPolicyLockoutSafetyCheck: bool = False,
    ) -> Response:
        key = self._resolve(KeyId)
        self._authorize(key, "kms:PutKeyPolicy")
        self._check_policy_name(PolicyName)
        self._require_not_pending(key)
        key.policy = self._check_policy(Policy, BypassPolicyLockoutSafetyCheck)
        return {}
