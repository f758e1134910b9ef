"""The tables the engine follows, as data, each with the AWS page it is from."""

from __future__ import annotations

from typing import Final, Literal

Action = Literal["ALLOW", "BLOCK", "COUNT", "CAPTCHA", "CHALLENGE"]
RuleType = Literal["REGULAR", "RATE_BASED", "GROUP", "MANAGED_RULE_GROUP"]

# Rule actions and their log names.
# https://docs.aws.amazon.com/waf/latest/APIReference/API_RuleAction.html
RULE_ACTIONS: Final[dict[str, Action]] = {
    "Allow": "ALLOW",
    "Block": "BLOCK",
    "Count": "COUNT",
    "Captcha": "CAPTCHA",
    "Challenge": "CHALLENGE",
}
# A web ACL's default action is Allow or Block only.
# https://docs.aws.amazon.com/waf/latest/APIReference/API_DefaultAction.html
DEFAULT_ACTIONS: Final[dict[str, Action]] = {"Allow": "ALLOW", "Block": "BLOCK"}
# The override action of a rule-group rule: None (the group's own actions) or Count.
# https://docs.aws.amazon.com/waf/latest/APIReference/API_OverrideAction.html
OVERRIDE_ACTIONS: Final[frozenset[str]] = frozenset({"None", "Count"})

# https://docs.aws.amazon.com/waf/latest/APIReference/API_ByteMatchStatement.html
POSITIONAL_CONSTRAINTS: Final[frozenset[str]] = frozenset(
    {"EXACTLY", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "CONTAINS_WORD"}
)
# https://docs.aws.amazon.com/waf/latest/APIReference/API_SizeConstraintStatement.html
COMPARISON_OPERATORS: Final[frozenset[str]] = frozenset({"EQ", "NE", "LE", "LT", "GE", "GT"})

# https://docs.aws.amazon.com/waf/latest/APIReference/API_IPSetForwardedIPConfig.html
FALLBACK_BEHAVIORS: Final[frozenset[str]] = frozenset({"MATCH", "NO_MATCH"})
FORWARDED_POSITIONS: Final[frozenset[str]] = frozenset({"FIRST", "LAST", "ANY"})
# With Position ANY, "If the header contains more than 10 IP addresses, AWS
# WAF inspects the last 10." (same page)
FORWARDED_ANY_MAX: Final = 10

# https://docs.aws.amazon.com/waf/latest/APIReference/API_Body.html
OVERSIZE_HANDLINGS: Final[frozenset[str]] = frozenset({"CONTINUE", "MATCH", "NO_MATCH"})
# https://docs.aws.amazon.com/waf/latest/APIReference/API_JsonBody.html
MATCH_SCOPES: Final[frozenset[str]] = frozenset({"ALL", "KEY", "VALUE"})
INVALID_FALLBACKS: Final[frozenset[str]] = frozenset({"MATCH", "NO_MATCH", "EVALUATE_AS_STRING"})

# https://docs.aws.amazon.com/waf/latest/APIReference/API_SqliMatchStatement.html
SENSITIVITY_LEVELS: Final[frozenset[str]] = frozenset({"LOW", "HIGH"})
# https://docs.aws.amazon.com/waf/latest/APIReference/API_LabelMatchStatement.html
LABEL_SCOPES: Final[frozenset[str]] = frozenset({"LABEL", "NAMESPACE"})

# https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
AGGREGATE_KEY_TYPES: Final[frozenset[str]] = frozenset(
    {"IP", "FORWARDED_IP", "CUSTOM_KEYS", "CONSTANT"}
)
EVALUATION_WINDOWS: Final[frozenset[int]] = frozenset({60, 120, 300, 600})
DEFAULT_EVALUATION_WINDOW: Final = 300
MIN_RATE_LIMIT: Final = 10

# The body inspection size limit by resource type, in bytes.
# https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
# "For Application Load Balancer and AWS AppSync, the limit is fixed at 8 KB
# (8,192 bytes). For CloudFront, API Gateway, Amazon Cognito, App Runner, and
# Verified Access, the default limit is 16 KB (16,384 bytes)", settable in
# the web ACL's AssociationConfig to 16, 32, 48 or 64 KB. Amplify uses the
# CloudFront limit (https://docs.aws.amazon.com/waf/latest/APIReference/API_Body.html).
BODY_LIMIT_FIXED: Final[dict[str, int]] = {"ALB": 8192, "APPSYNC": 8192}
BODY_LIMIT_DEFAULT: Final[dict[str, int]] = {
    "CLOUDFRONT": 16384,
    "API_GATEWAY": 16384,
    "COGNITO_USER_POOL": 16384,
    "APP_RUNNER_SERVICE": 16384,
    "VERIFIED_ACCESS_INSTANCE": 16384,
    "AMPLIFY": 16384,
}
RESOURCE_TYPES: Final[tuple[str, ...]] = (*BODY_LIMIT_FIXED, *BODY_LIMIT_DEFAULT)
RESOURCE_TYPE_ALIASES: Final[dict[str, str]] = {"APPLICATION_LOAD_BALANCER": "ALB"}
# https://docs.aws.amazon.com/waf/latest/APIReference/API_RequestBodyAssociatedResourceTypeConfig.html
SIZE_INSPECTION_LIMITS: Final[dict[str, int]] = {
    "KB_16": 16384,
    "KB_32": 32768,
    "KB_48": 49152,
    "KB_64": 65536,
}
# Headers and cookies: WAF inspects the first 8 KB and the first 200 of them.
# https://docs.aws.amazon.com/waf/latest/developerguide/waf-oversize-request-components.html
HEADERS_MAX_COUNT: Final = 200
HEADERS_MAX_BYTES: Final = 8192

# The cookie that carries a CAPTCHA or challenge token. This engine treats a
# request that has it as holding a valid, unexpired token: a log cannot say more.
# https://docs.aws.amazon.com/waf/latest/developerguide/waf-tokens-details.html
TOKEN_COOKIE: Final = "aws-waf-token"

# The words CONTAINS_WORD counts as part of a word (ByteMatchStatement page):
# "alphanumeric characters or underscore (A-Z, a-z, 0-9, or _)".
WORD_CHARS: Final[frozenset[str]] = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
)
