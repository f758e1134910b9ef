"""The simulator: accounts' KMS state in every Region, one clock, one seed."""

from datetime import datetime

from . import rules
from .client import KMSClient
from .clock import SimClock
from .entropy import Entropy
from .keys import Alias, BackingKey, Key, RegionStore, RotationType
from .policy import account_root, aws_managed_policy, default_policy


class Simulator:
    """A seeded, in-memory AWS KMS for one account.

    `client("kms", region_name=..., principal=...)` returns a boto3-shaped
    client. `principal` is the IAM ARN the client acts as (default: the
    account root), and key policies are evaluated against it.
    """

    def __init__(
        self,
        seed: int | None = None,
        *,
        account_id: str = rules.DEFAULT_ACCOUNT,
        start: datetime | None = None,
    ) -> None:
        if not (isinstance(account_id, str) and account_id.isdigit() and len(account_id) == 12):
            raise ValueError(f"Simulator: account_id must be 12 digits, not {account_id!r}")
        self.seed = seed
        self.account_id = account_id
        self.clock = SimClock(start)
        self._entropy = Entropy(seed)
        self._regions: dict[str, RegionStore] = {}
        self._requests = Entropy(None if seed is None else seed + 1)

    def client(
        self,
        service_name: str,
        region_name: str | None = None,
        *,
        principal: str | None = None,
    ) -> KMSClient:
        """A KMS client for one Region, acting as `principal` (an IAM ARN)."""
        if service_name != "kms":
            raise ValueError(f"Simulator.client: only 'kms' is simulated, not {service_name!r}")
        region = region_name or rules.DEFAULT_REGION
        if not isinstance(region, str) or region.count("-") < 2:
            raise ValueError(f"Simulator.client: {region!r} is not a Region name like us-east-1")
        who = principal or account_root(self.account_id)
        if not who.startswith("arn:aws:"):
            raise ValueError(f"Simulator.client: principal must be an ARN, not {who!r}")
        return KMSClient(self, region, who)

    @property
    def regions(self) -> list[str]:
        """The Regions that hold any state so far."""
        return sorted(self._regions)

    # -- used by the client --------------------------------------------------

    def _region(self, name: str) -> RegionStore:
        store = self._regions.get(name)
        if store is None:
            store = self._regions[name] = RegionStore(name, self.account_id)
        return store

    def _request_id(self) -> str:
        return self._requests.uuid4()

    def _default_policy(self) -> str:
        return default_policy(self.account_id)

    def _new_backing(self, created: datetime, rotation: RotationType | None) -> BackingKey:
        material = self._entropy.bytes(32)
        material_id = self._entropy.bytes(32).hex()
        return BackingKey(material, material_id, created, rotation)

    def _new_key(self, store: RegionStore, description: str, manager: str, policy: str) -> Key:
        now = self.clock.now()
        key = Key(
            key_id=self._entropy.uuid4(),
            region=store.region,
            account=store.account,
            created=now,
            description=description,
            manager="AWS" if manager == "AWS" else "CUSTOMER",
            policy=policy,
            backing=[self._new_backing(now, None)],
            enabled_since=now,
        )
        store.keys[key.key_id] = key
        return key

    def _aws_managed_key(self, region: str, alias: str) -> Key:
        """alias/aws/<service>: KMS makes the key the first time it's used."""
        store = self._region(region)
        service = alias[len(rules.AWS_ALIAS_PREFIX) :]
        key = self._new_key(
            store,
            f"Default key that protects my {service} data when no other key is defined",
            "AWS",
            aws_managed_policy(self.account_id, service),
        )
        key.rotation_enabled = True
        key.rotation_period = rules.AWS_MANAGED_ROTATION_DAYS
        key.schedule_rotation(key.created)
        now = self.clock.now()
        store.aliases[alias] = Alias(alias, key.key_id, now, now)
        return key

    def _rotate(self, key: Key, kind: RotationType, when: datetime) -> None:
        key.backing.append(self._new_backing(when, kind))

    def _tick(self) -> None:
        """Run what the clock has made due: rotations and deletions."""
        now = self.clock.now()
        for store in self._regions.values():
            for key in list(store.keys.values()):
                if key.state == "PendingDeletion":
                    if key.deletion_date is not None and key.deletion_date <= now:
                        del store.keys[key.key_id]
                        for name in [n for n, a in store.aliases.items() if a.target == key.key_id]:
                            del store.aliases[name]
                    continue
                if key.state != "Enabled":
                    continue
                while key.next_rotation is not None and key.next_rotation <= now:
                    # A rotation that fell due while the key was disabled happens
                    # when it is enabled again, not on the missed date.
                    since = key.enabled_since or key.next_rotation
                    when = max(key.next_rotation, since)
                    self._rotate(key, "AUTOMATIC", when)
                    key.schedule_rotation(when)
