"""The logical KMS key and its backing keys, and the per-Region store."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from . import crypto
from .aead import Aead

KeyState = Literal["Enabled", "Disabled", "PendingDeletion"]
KeyManager = Literal["CUSTOMER", "AWS"]
RotationType = Literal["AUTOMATIC", "ON_DEMAND"]


@dataclass
class BackingKey:
    """One version of key material; old versions stay for decryption."""

    material: bytes = field(repr=False)
    material_id: str
    created: datetime
    rotation_type: RotationType | None = None
    # Ready ciphers by backend: in the browser, importing a key into Web
    # Crypto is a round trip, worth doing once per backing key.
    _ciphers: dict[str, Aead] = field(default_factory=dict, repr=False, compare=False)

    def cipher(self) -> Aead:
        name = crypto.current_backend()
        found = self._ciphers.get(name)
        if found is None:
            found = self._ciphers[name] = crypto.aead(self.material, name)
        return found


@dataclass
class Key:
    key_id: str
    region: str
    account: str
    created: datetime
    description: str
    manager: KeyManager
    policy: str
    backing: list[BackingKey]
    state: KeyState = "Enabled"
    rotation_enabled: bool = False
    rotation_period: int | None = None
    next_rotation: datetime | None = None
    on_demand_rotations: int = 0
    deletion_date: datetime | None = None
    pending_window: int | None = None
    enabled_since: datetime | None = None
    tags: list[dict[str, str]] = field(default_factory=list)

    @property
    def arn(self) -> str:
        return f"arn:aws:kms:{self.region}:{self.account}:key/{self.key_id}"

    @property
    def current(self) -> BackingKey:
        return self.backing[-1]

    def schedule_rotation(self, anchor: datetime) -> None:
        if self.rotation_enabled and self.rotation_period is not None:
            self.next_rotation = anchor + timedelta(days=self.rotation_period)
        else:
            self.next_rotation = None


@dataclass
class Alias:
    name: str
    target: str
    created: datetime
    updated: datetime


@dataclass
class RegionStore:
    """Everything KMS holds in one Region of one account."""

    region: str
    account: str
    keys: dict[str, Key] = field(default_factory=dict)
    aliases: dict[str, Alias] = field(default_factory=dict)

    def alias_arn(self, name: str) -> str:
        return f"arn:aws:kms:{self.region}:{self.account}:{name}"

    def key_arn(self, key_id: str) -> str:
        return f"arn:aws:kms:{self.region}:{self.account}:key/{key_id}"
