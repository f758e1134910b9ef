"""Key policies: the default documents, and a small evaluator.

The evaluator knows Effect, Principal ({"AWS": ...} or "*"), Action (with `*`
wildcards) and ignores Resource (a key policy only ever covers its own key).
A statement with a Condition never matches: the simulator can't judge one,
and matching it anyway would grant more than AWS does.

A principal of "arn:aws:iam::<account>:root" or "<account>" trusts the whole
account. Real KMS then asks IAM; the simulator has no IAM and treats every
principal of a trusted account as allowed by its IAM policies.
See https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
"""

import fnmatch
import json
from dataclasses import dataclass
from typing import Any, Literal

Decision = Literal["allow", "implicit-deny", "explicit-deny"]

# Actions a key policy can name for the operations the simulator offers.
KEY_ACTIONS = (
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:Decrypt",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListKeyRotations",
    "kms:PutKeyPolicy",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
)


def account_root(account: str) -> str:
    return f"arn:aws:iam::{account}:root"


def default_policy(account: str) -> str:
    """The default key policy: the account is trusted, IAM decides the rest."""
    doc = {
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [
            {
                "Sid": "Enable IAM User Permissions",
                "Effect": "Allow",
                "Principal": {"AWS": account_root(account)},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
    return json.dumps(doc, indent=2)


def aws_managed_policy(account: str, service: str) -> str:
    """A simplified AWS managed key policy: use and read, never administer.

    The real one limits use to calls made through the service
    (kms:ViaService); the simulator can't see that, so it allows use by the
    account. It grants no admin action, which is why rotation, deletion and
    policy changes are denied on these keys.
    """
    doc = {
        "Version": "2012-10-17",
        "Id": f"auto-{service}",
        "Statement": [
            {
                "Sid": f"Allow access through {service} for all principals in the account",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": [
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:DescribeKey",
                ],
                "Resource": "*",
                "Condition": {"StringEquals": {"kms:CallerAccount": account}},
            },
            {
                "Sid": "Allow direct access to key metadata to the account",
                "Effect": "Allow",
                "Principal": {"AWS": account_root(account)},
                "Action": ["kms:Describe*", "kms:Get*", "kms:List*"],
                "Resource": "*",
            },
        ],
    }
    return json.dumps(doc, indent=2)


@dataclass(frozen=True)
class Statement:
    effect: str
    principals: tuple[str, ...]
    actions: tuple[str, ...]
    conditions: dict[str, Any]


class PolicyError(ValueError):
    """The document is not a key policy the simulator can read."""


def _as_tuple(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise PolicyError(f"{where} must be a string or a non-empty list of strings")


def parse_policy(text: str) -> list[Statement]:
    """Read a key policy, raising PolicyError with a one-line reason."""
    try:
        doc = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise PolicyError(f"the policy is not valid JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise PolicyError("the policy must be a JSON object")
    raw = doc.get("Statement")
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise PolicyError("the policy needs a non-empty Statement")
    out = []
    for i, st in enumerate(raw):
        where = f"Statement[{i}]"
        if not isinstance(st, dict):
            raise PolicyError(f"{where} must be an object")
        effect = st.get("Effect")
        if effect not in ("Allow", "Deny"):
            raise PolicyError(f"{where}.Effect must be Allow or Deny")
        principal = st.get("Principal")
        if principal == "*":
            principals: tuple[str, ...] = ("*",)
        elif isinstance(principal, dict) and "AWS" in principal:
            principals = _as_tuple(principal["AWS"], f"{where}.Principal.AWS")
        elif isinstance(principal, dict):
            principals = ()  # service principals never match a client here
        else:
            raise PolicyError(f"{where}.Principal must be '*' or an object")
        actions = _as_tuple(st.get("Action"), f"{where}.Action")
        cond = st.get("Condition") or {}
        if not isinstance(cond, dict):
            raise PolicyError(f"{where}.Condition must be an object")
        out.append(Statement(effect, principals, actions, cond))
    return out


def _account_of(principal_arn: str) -> str:
    parts = principal_arn.split(":")
    return parts[4] if len(parts) > 4 else ""


def _role_of_session(principal: str) -> str | None:
    """arn:aws:sts::A:assumed-role/R/session acts as arn:aws:iam::A:role/R."""
    parts = principal.split(":", 5)
    if len(parts) == 6 and parts[2] == "sts" and parts[5].startswith("assumed-role/"):
        role = parts[5].split("/")[1]
        return f"arn:aws:iam::{parts[4]}:role/{role}"
    return None


def _principal_matches(pattern: str, principal: str) -> bool:
    if pattern == "*" or pattern == principal:
        return True
    if pattern == _role_of_session(principal):
        return True
    # A root ARN or a bare account id trusts every principal of that account.
    if pattern.isdigit() and len(pattern) == 12:
        return _account_of(principal) == pattern
    if pattern.endswith(":root") and pattern.startswith("arn:aws:iam::"):
        return _account_of(principal) == _account_of(pattern)
    return False


def _action_matches(pattern: str, action: str) -> bool:
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def _condition_holds(conditions: dict[str, Any], principal: str) -> bool:
    # The one condition the simulator understands: kms:CallerAccount.
    for op, block in conditions.items():
        if op != "StringEquals" or not isinstance(block, dict):
            return False
        for key, expected in block.items():
            if key != "kms:CallerAccount":
                return False
            allowed = expected if isinstance(expected, list) else [expected]
            if _account_of(principal) not in allowed:
                return False
    return True


def evaluate(statements: list[Statement], principal: str, action: str) -> Decision:
    """Allow only if some statement allows and none denies: explicit deny wins."""
    allowed = False
    for st in statements:
        if not any(_principal_matches(p, principal) for p in st.principals):
            continue
        if not any(_action_matches(a, action) for a in st.actions):
            continue
        if not _condition_holds(st.conditions, principal):
            continue
        if st.effect == "Deny":
            return "explicit-deny"
        allowed = True
    return "allow" if allowed else "implicit-deny"
