#!/usr/bin/env bash
# Debian/Ubuntu packages NetDesk and its tests use: fping (batch ICMP), the net-snmp tools and agent
# (snmpd, snmptrapd: real agents for the tests), iproute2 (network namespaces for the test lab), chromium
# (the dashboard's browser tests), dovecot-imapd (a real IMAP server for the mailbox tests), iperf3 (real
# traffic through shaped links in the WAN lab test).
set -euo pipefail
declare -A pkg_for=([fping]=fping [snmpget]=snmp [snmpd]=snmpd [snmptrapd]=snmptrapd [ip]=iproute2 [tc]=iproute2 [ping]=iputils-ping [pg_isready]=postgresql-client [chromium]=chromium [dovecot]=dovecot-imapd [iperf3]=iperf3)
missing=()
for bin in "${!pkg_for[@]}"; do
  command -v "$bin" >/dev/null 2>&1 || [[ -x "/usr/sbin/$bin" ]] || missing+=("${pkg_for[$bin]}")
done
((${#missing[@]} == 0)) && { echo "system packages present"; exit 0; }
if ! command -v apt-get >/dev/null; then
  echo "missing: ${missing[*]} (install them with your package manager)" >&2
  exit 1
fi
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
