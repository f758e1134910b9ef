#!/usr/bin/env bash
# Export what Inspector's network-reachability analysis reads, as one JSON
# "snapshot" for `python -m inspector_reachability analyze SNAPSHOT`.
#
#   scripts/snapshot.sh [OUT.json]          (default: snapshot.json)
#   AWS_PROFILE=prod AWS_REGION=eu-west-1 scripts/snapshot.sh prod.json
#
# Needs the AWS CLI v2 and jq. Read-only: it only calls describe-* / get-*
# (the managed policy ReadOnlyAccess, or ec2:Describe*,
# ec2:GetManagedPrefixListEntries, elasticloadbalancing:Describe*). One
# region per run. Nothing is sent anywhere but to AWS's APIs; the analysis
# itself runs locally (CLI) or in your browser (the docs page).
#
# Each command's output is a JSON object whose top-level keys are exactly
# the ones the engine expects (Vpcs, Subnets, ...); `jq -s add` merges them
# into one object. Two kinds of calls run once per resource, so their
# outputs are folded first:
# - get-managed-prefix-list-entries: its Entries go into the matching
#   ManagedPrefixLists[] item;
# - describe-listeners, describe-rules, describe-target-health and
#   describe-target-group-attributes: one call per load balancer, listener
#   or target group. Their responses don't repeat what they were asked
#   about, so each rule item gets its listener's ListenerArn, and each target
#   health item and attribute list its group's TargetGroupArn.
set -euo pipefail

out="${1:-snapshot.json}"
command -v aws >/dev/null || { echo "snapshot.sh: the aws CLI is not installed" >&2; exit 2; }
command -v jq >/dev/null || { echo "snapshot.sh: jq is not installed" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export AWS_PAGER=""
ec2() { aws ec2 "$@" --output json; }
elbv2() { aws elbv2 "$@" --output json; }

ec2 describe-vpcs > "$tmp/10-vpcs.json"
ec2 describe-subnets > "$tmp/11-subnets.json"
ec2 describe-route-tables > "$tmp/12-route-tables.json"
ec2 describe-internet-gateways > "$tmp/13-igws.json"
ec2 describe-vpn-gateways > "$tmp/14-vgws.json"
ec2 describe-vpc-peering-connections > "$tmp/15-peering.json"
ec2 describe-network-acls > "$tmp/16-nacls.json"
ec2 describe-security-groups > "$tmp/17-sgs.json"
ec2 describe-network-interfaces > "$tmp/18-enis.json"
ec2 describe-instances > "$tmp/19-instances.json"

# Prefix lists, each with its entries.
ec2 describe-managed-prefix-lists > "$tmp/pl.json"
: > "$tmp/pl-entries.jsonl"
for id in $(jq -r '.PrefixLists[].PrefixListId' "$tmp/pl.json"); do
  ec2 get-managed-prefix-list-entries --prefix-list-id "$id" \
    | jq -c --arg id "$id" '{id: $id, Entries: .Entries}' >> "$tmp/pl-entries.jsonl"
done
jq --slurpfile entries "$tmp/pl-entries.jsonl" '
  {ManagedPrefixLists: [.PrefixLists[] as $pl
     | $pl + {Entries: ([$entries[] | select(.id == $pl.PrefixListId) | .Entries[]])}]}
' "$tmp/pl.json" > "$tmp/20-prefix-lists.json"

# Application and Network Load Balancers, their listeners, target groups and targets.
elbv2 describe-load-balancers > "$tmp/30-lbs.json"
: > "$tmp/listeners.jsonl"
for arn in $(jq -r '.LoadBalancers[].LoadBalancerArn' "$tmp/30-lbs.json"); do
  elbv2 describe-listeners --load-balancer-arn "$arn" | jq -c '.Listeners[]' >> "$tmp/listeners.jsonl"
done
jq -s '{Listeners: .}' "$tmp/listeners.jsonl" > "$tmp/31-listeners.json"
: > "$tmp/rules.jsonl"
for arn in $(jq -r '.Listeners[].ListenerArn' "$tmp/31-listeners.json"); do
  elbv2 describe-rules --listener-arn "$arn" \
    | jq -c --arg arn "$arn" '.Rules[] + {ListenerArn: $arn}' >> "$tmp/rules.jsonl"
done
jq -s '{Rules: .}' "$tmp/rules.jsonl" > "$tmp/35-rules.json"
elbv2 describe-target-groups > "$tmp/32-tgs.json"
: > "$tmp/health.jsonl"
for arn in $(jq -r '.TargetGroups[].TargetGroupArn' "$tmp/32-tgs.json"); do
  elbv2 describe-target-health --target-group-arn "$arn" \
    | jq -c --arg arn "$arn" '.TargetHealthDescriptions[] + {TargetGroupArn: $arn}' >> "$tmp/health.jsonl"
done
jq -s '{TargetHealthDescriptions: .}' "$tmp/health.jsonl" > "$tmp/33-health.json"
: > "$tmp/tg-attributes.jsonl"
for arn in $(jq -r '.TargetGroups[].TargetGroupArn' "$tmp/32-tgs.json"); do
  elbv2 describe-target-group-attributes --target-group-arn "$arn" \
    | jq -c --arg arn "$arn" '{TargetGroupArn: $arn, Attributes: .Attributes}' >> "$tmp/tg-attributes.jsonl"
done
jq -s '{TargetGroupAttributes: .}' "$tmp/tg-attributes.jsonl" > "$tmp/36-tg-attributes.json"

# Transit gateways, their attachments and route tables; the routes of each
# table (search-transit-gateway-routes needs a filter, and returns at most
# 1,000 routes a call: a larger table says AdditionalRoutesAvailable).
ec2 describe-transit-gateways > "$tmp/40-tgws.json"
ec2 describe-transit-gateway-attachments > "$tmp/41-tgw-attachments.json"
ec2 describe-transit-gateway-vpc-attachments > "$tmp/42-tgw-vpc-attachments.json"
ec2 describe-transit-gateway-route-tables > "$tmp/43-tgw-route-tables.json"
: > "$tmp/tgw-routes.jsonl"
for id in $(jq -r '.TransitGatewayRouteTables[].TransitGatewayRouteTableId' "$tmp/43-tgw-route-tables.json"); do
  ec2 search-transit-gateway-routes --transit-gateway-route-table-id "$id" \
      --filters Name=state,Values=active,blackhole \
    | jq -c --arg id "$id" '
        if .AdditionalRoutesAvailable then
          ("snapshot.sh: \($id) has more than 1,000 routes; only the first 1,000 are kept\n" | stderr) else . end
        | .Routes[] + {TransitGatewayRouteTableId: $id}' >> "$tmp/tgw-routes.jsonl"
done
jq -s '{TransitGatewayRoutes: .}' "$tmp/tgw-routes.jsonl" > "$tmp/44-tgw-routes.json"

# Classic Load Balancers (their key, LoadBalancerDescriptions, differs from ELBv2's).
aws elb describe-load-balancers --output json > "$tmp/34-classic.json"

jq -s add "$tmp"/[0-9][0-9]-*.json > "$out"
echo "wrote $out ($(jq '.NetworkInterfaces | length' "$out") ENIs, $(jq '[.Reservations[].Instances[]] | length' "$out") instances)" >&2
