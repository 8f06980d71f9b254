#!/usr/bin/env bash
# The image's health check: succeeds when this node's GET /ready answers 200 (API.md). Uses bash's
# /dev/tcp, so the runtime image needs no HTTP client. The port follows QUORUM_HTTP_ADDR.
set -euo pipefail

addr="${QUORUM_HTTP_ADDR:-127.0.0.1:7001}"
host="${addr%:*}"
port="${addr##*:}"
if [[ "$host" == "0.0.0.0" || "$host" == "::" || "$host" == "[::]" ]]; then
  host=127.0.0.1
fi

exec 3<>"/dev/tcp/${host}/${port}"
printf 'GET /ready HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$host" >&3
IFS= read -r -t 5 status_line <&3
[[ "$status_line" =~ ^HTTP/1\.[01]\ 200 ]]
