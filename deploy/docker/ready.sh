#!/usr/bin/env bash
# The image's health check and the Kubernetes probes: succeeds when this node's GET /ready (or the
# path given, e.g. /health) answers 200. The port follows QUORUM_HTTP_ADDR.
#
# Plain HTTP goes through bash's /dev/tcp. When the node serves HTTPS (QUORUM_CERT_FILE is set),
# curl asks https://localhost:<port>, checking the node's certificate against QUORUM_CACERT
# (so the certificate needs the SAN DNS:localhost) and, for a node started with
# --client-cert-auth, presenting QUORUM_CERT and QUORUM_KEY: the variables the CLI reads too.
set -euo pipefail

path="${1:-/ready}"
addr="${QUORUM_HTTP_ADDR:-127.0.0.1:7001}"
host="${addr%:*}"
port="${addr##*:}"
if [[ "$host" == "0.0.0.0" || "$host" == "::" || "$host" == "[::]" ]]; then
  host=127.0.0.1
fi

if [[ -n "${QUORUM_CERT_FILE:-}" ]]; then
  tls=()
  [[ -z "${QUORUM_CACERT:-}" ]] || tls+=(--cacert "$QUORUM_CACERT")
  [[ -z "${QUORUM_CERT:-}" ]] || tls+=(--cert "$QUORUM_CERT" --key "${QUORUM_KEY:?QUORUM_CERT goes with QUORUM_KEY}")
  status="$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "${tls[@]}" "https://localhost:${port}${path}")"
  [[ "$status" == 200 ]]
  exit
fi

exec 3<>"/dev/tcp/${host}/${port}"
printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" >&3
IFS= read -r -t 5 status_line <&3
[[ "$status_line" =~ ^HTTP/1\.[01]\ 200 ]]
