#!/usr/bin/env bash
# A local Quorum cluster on loopback (API.md, "local cluster").
#
#   deploy/local/cluster.sh start [N] [--tls]   build the jar if missing, start those of N nodes
#                                               (1-9, default 3) that are not running, and wait
#                                               until every one of them is ready under a leader
#   deploy/local/cluster.sh stop                SIGTERM every running node and wait for each to exit
#   deploy/local/cluster.sh status [N]          each node's pid, role, term, leader and indexes
#
# Node i is n<i>: HTTP 127.0.0.1:700<i>, Raft 127.0.0.1:710<i>, data in data/n<i>, log in
# data/n<i>.log and pid in data/n<i>.pid, all relative to the repository root whatever the
# caller's directory. QUORUM_START_TIMEOUT (seconds, default 60) bounds the wait for a leader;
# QUORUM_STOP_TIMEOUT (seconds, default 30) bounds the wait for each node to exit;
# QUORUM_JAVA_OPTS is passed to every JVM.
#
# --tls (before or after N) runs the cluster with mutual TLS on the Raft port and HTTPS with
# client certificates on the API. The first time, deploy/tls/certs.sh (openssl) creates a
# development CA and EC P-256 certificates in data/tls/ (keys 0600): ca.pem, n<i>.pem (CN n<i>,
# SANs DNS:n<i>, DNS:localhost, IP:127.0.0.1; serverAuth and clientAuth: each node's peer and
# HTTPS certificate) and client.pem (CN quorum-client) for the CLI and curl; later starts reuse
# them. After the start it prints the QUORUM_* variables the CLI needs. data/tls.on records that
# the cluster in data/ runs with TLS, so start (with or without --tls) and status speak HTTPS to
# it; remove data/tls.on while the cluster is stopped to start it without TLS again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/raft-http/target/quorum.jar"
DATA="$ROOT/data"
TLS_DIR="$DATA/tls"
TLS_MARKER="$DATA/tls.on"
START_TIMEOUT="${QUORUM_START_TIMEOUT:-60}"
STOP_TIMEOUT="${QUORUM_STOP_TIMEOUT:-30}"

usage() {
    echo "usage: $0 start [N] [--tls] | stop | status [N]   (N nodes, 1-9, default 3)" >&2
    exit 2
}

die() {
    echo "cluster.sh: $*" >&2
    exit 1
}

http_addr() { echo "127.0.0.1:700$1"; }
raft_addr() { echo "127.0.0.1:710$1"; }
pid_file() { echo "$DATA/n$1.pid"; }
log_file() { echo "$DATA/n$1.log"; }

# The pid of node i when it runs (a live process started from quorum.jar), else nothing.
running_pid() {
    local file pid
    file="$(pid_file "$1")"
    [[ -f "$file" ]] || return 0
    pid="$(cat "$file")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && ps -p "$pid" -o args= 2>/dev/null | grep -q 'quorum\.jar'; then
        echo "$pid"
    fi
}

# How get reaches the nodes: plain HTTP, or HTTPS with the CA and client certificate of data/tls
# once use_tls has run.
SCHEME=http
CURL_TLS=()

use_tls() {
    SCHEME=https
    CURL_TLS=(--cacert "$TLS_DIR/ca.pem" --cert "$TLS_DIR/client.pem" --key "$TLS_DIR/client-key.pem")
}

# One GET to node i; prints the body, fails when the node does not answer with 2xx.
get() {
    curl -fsS --max-time 2 "${CURL_TLS[@]}" "$SCHEME://$(http_addr "$1")$2" 2>/dev/null
}

# A string or number field of a flat JSON object: json_field '{"a":"x"}' a → x ("null" stays null).
json_field() {
    local value
    value="$(grep -o "\"$2\":\\(\"[^\"]*\"\\|[0-9-]*\\|null\\)" <<<"$1" | head -n 1)" || true
    value="${value#*:}"
    value="${value#\"}"
    echo "${value%\"}"
}

# This node's own role in a GET /v1/cluster answer.
own_role() {
    local member
    member="$(grep -o "{\"id\":\"$2\",\"raftAddr\"[^}]*}" <<<"$1" | head -n 1)" || true
    json_field "$member" role
}

parse_count() {
    local n="${1:-3}"
    [[ "$n" =~ ^[1-9]$ ]] || die "N must be a number from 1 to 9, not '$n'"
    echo "$n"
}

# What function $2 prints for each node of 1..$1, joined by commas.
joined() {
    local i list=""
    for ((i = 1; i <= $1; i++)); do
        list+="${list:+,}$("$2" "$i")"
    done
    echo "$list"
}

member() { echo "n$1=$(raft_addr "$1")"; }
https_endpoint() { echo "https://$(http_addr "$1")"; }

members() { joined "$1" member; }

# The development CA and the certificates of nodes 1..n and of the client, each made only when
# missing (deploy/tls/certs.sh): later starts reuse them.
ensure_certificates() {
    local n="$1" i
    command -v openssl >/dev/null || die "--tls creates its development certificates with openssl, which is" \
        "not installed: install it (Debian/Ubuntu: apt-get install openssl; macOS: brew install openssl) and start again"
    (
        cd "$ROOT"
        deploy/tls/certs.sh ca data/tls ca "Quorum development CA"
        for ((i = 1; i <= n; i++)); do
            deploy/tls/certs.sh member data/tls ca "n$i" DNS:localhost IP:127.0.0.1
        done
        deploy/tls/certs.sh client data/tls ca client quorum-client
    )
}

# The flags that give node i its certificate: the same one on the Raft port and on HTTPS.
tls_flags() {
    echo --peer-cert-file "data/tls/n$1.pem" --peer-key-file "data/tls/n$1-key.pem" \
        --peer-trusted-ca-file data/tls/ca.pem --cert-file "data/tls/n$1.pem" --key-file "data/tls/n$1-key.pem" \
        --trusted-ca-file data/tls/ca.pem --client-cert-auth
}

build_if_missing() {
    if [[ ! -f "$JAR" ]]; then
        echo "building $JAR (mvn -q -B package -DskipTests)"
        (cd "$ROOT" && mvn -q -B package -DskipTests) || die "the build failed"
    fi
}

# Starts the nodes of 1..n that are not running (a node killed earlier restarts on its data dir);
# with TLS when asked ($2 = tls) or when the cluster in data/ already runs with it.
start() {
    local n i pid tls="${2:-}"
    n="$(parse_count "${1:-}")"
    if [[ -f "$TLS_MARKER" ]]; then
        [[ -n "$tls" ]] || echo "data/ holds a TLS cluster (data/tls.on): starting with TLS"
        tls=tls
    elif [[ -n "$tls" ]]; then
        for i in $(known_nodes); do
            pid="$(running_pid "$i")"
            [[ -z "$pid" ]] || die "n$i (pid $pid) runs without TLS: stop the cluster ($0 stop), then start it with --tls"
        done
    fi
    build_if_missing
    mkdir -p "$DATA"
    local java_opts=() node_tls=()
    read -r -a java_opts <<<"${QUORUM_JAVA_OPTS:-}"
    if [[ -n "$tls" ]]; then
        ensure_certificates "$n"
        touch "$TLS_MARKER"
        use_tls
    fi
    for ((i = 1; i <= n; i++)); do
        pid="$(running_pid "$i")"
        if [[ -n "$pid" ]]; then
            echo "n$i already running: pid $pid"
            continue
        fi
        node_tls=()
        [[ -z "$tls" ]] || read -r -a node_tls <<<"$(tls_flags "$i")"
        # exec: the pid of the background subshell is the JVM's own pid.
        (cd "$ROOT" && exec java "${java_opts[@]}" -jar "$JAR" server --id "n$i" --data-dir "data/n$i" \
            --http-addr "$(http_addr "$i")" --raft-addr "$(raft_addr "$i")" --members "$(members "$n")" \
            "${node_tls[@]}" >>"$(log_file "$i")" 2>&1 </dev/null) &
        echo "$!" >"$(pid_file "$i")"
        echo "n$i started: pid $!, HTTP${tls:+S} $(http_addr "$i"), Raft${tls:+ (TLS)} $(raft_addr "$i"), log data/n$i.log"
    done
    await_leader "$n"
    [[ -z "$tls" ]] || print_tls_environment "$n"
}

# What the CLI and curl need for this TLS cluster, as lines to paste into a shell.
print_tls_environment() {
    echo "The cluster speaks HTTPS and asks for a client certificate. For the CLI (quorum kv, lock, status):"
    printf 'export QUORUM_ENDPOINTS=%s QUORUM_CACERT=%q QUORUM_CERT=%q QUORUM_KEY=%q\n' "$(joined "$1" https_endpoint)" \
        "$TLS_DIR/ca.pem" "$TLS_DIR/client.pem" "$TLS_DIR/client-key.pem"
    echo "For curl:"
    printf 'curl --cacert %q --cert %q --key %q https://%s/v1/cluster\n' \
        "$TLS_DIR/ca.pem" "$TLS_DIR/client.pem" "$TLS_DIR/client-key.pem" "$(http_addr 1)"
}

# Waits until every node of 1..n is ready (it knows a leader and applied what it knew committed).
await_leader() {
    local n="$1" i ready leader="" deadline=$((SECONDS + START_TIMEOUT))
    while ((SECONDS < deadline)); do
        ready=0
        for ((i = 1; i <= n; i++)); do
            if [[ -z "$(running_pid "$i")" ]]; then
                echo "cluster.sh: n$i exited during start; the end of data/n$i.log:" >&2
                tail -n 20 "$(log_file "$i")" >&2 || true
                exit 1
            fi
            if body="$(get "$i" /ready)"; then
                ready=$((ready + 1))
                leader="$(json_field "$body" leader)"
            fi
        done
        if ((ready == n)); then
            echo "cluster ready: $n node(s), leader $leader"
            return 0
        fi
        sleep 0.2
    done
    echo "cluster.sh: no leader that every node knows within ${START_TIMEOUT}s (QUORUM_START_TIMEOUT);" \
        "the nodes keep running: see '$0 status' and data/n<i>.log (data/ from an earlier cluster of" \
        "another size keeps its old members: stop, remove data/ and start again for a fresh cluster)" >&2
    exit 1
}

# Every node with a pid file, in order.
known_nodes() {
    local file
    for file in "$DATA"/n[1-9].pid; do
        [[ -e "$file" ]] || continue
        file="${file##*/n}"
        echo "${file%.pid}"
    done
}

stop() {
    local i pid failed=0 nodes
    local -A pids=()
    nodes="$(known_nodes)"
    [[ -n "$nodes" ]] || { echo "no node is running (no pid file in data/)"; return 0; }
    for i in $nodes; do
        pid="$(running_pid "$i")"
        if [[ -z "$pid" ]]; then
            echo "n$i is not running (stale pid file removed)"
            rm -f "$(pid_file "$i")"
            continue
        fi
        pids[$i]="$pid"
        kill -TERM "$pid"
    done
    for i in $nodes; do
        [[ -n "${pids[$i]:-}" ]] || continue
        pid="${pids[$i]}"
        local deadline=$((SECONDS + STOP_TIMEOUT))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "cluster.sh: n$i (pid $pid) did not exit within ${STOP_TIMEOUT}s of SIGTERM; see data/n$i.log" >&2
            failed=1
            continue
        fi
        rm -f "$(pid_file "$i")"
        # The exit status of a process that is not our child is not visible; its log's last line is.
        if tail -n 5 "$(log_file "$i")" | grep -q "node n$i stopped"; then
            echo "n$i stopped cleanly"
        else
            echo "cluster.sh: n$i exited without its clean-shutdown line; the end of data/n$i.log:" >&2
            tail -n 10 "$(log_file "$i")" >&2 || true
            failed=1
        fi
    done
    return "$failed"
}

status() {
    local n i pid body role term leader commit applied ready nodes down=0
    [[ ! -f "$TLS_MARKER" ]] || use_tls
    if [[ -n "${1:-}" ]]; then
        n="$(parse_count "$1")"
        nodes="$(seq 1 "$n")"
    else
        nodes="$(known_nodes)"
        [[ -n "$nodes" ]] || nodes="$(seq 1 3)"
    fi
    printf '%-4s %-8s %-16s %-13s %-6s %-7s %-8s %-8s %s\n' node pid http role term leader commit applied ready
    for i in $nodes; do
        pid="$(running_pid "$i")"
        if [[ -z "$pid" ]]; then
            printf '%-4s %-8s %-16s %-13s %-6s %-7s %-8s %-8s %s\n' "n$i" - "$(http_addr "$i")" down - - - - -
            down=1
            continue
        fi
        if ! body="$(get "$i" /v1/cluster)"; then
            printf '%-4s %-8s %-16s %-13s %-6s %-7s %-8s %-8s %s\n' "n$i" "$pid" "$(http_addr "$i")" \
                not-answering - - - - -
            down=1
            continue
        fi
        role="$(own_role "$body" "n$i")"
        term="$(json_field "$body" term)"
        leader="$(json_field "$body" leader)"
        [[ "$leader" != null ]] || leader=none
        commit="$(json_field "$body" commitIndex)"
        applied="$(json_field "$body" appliedIndex)"
        if get "$i" /ready >/dev/null; then ready=yes; else ready=no; fi
        printf '%-4s %-8s %-16s %-13s %-6s %-7s %-8s %-8s %s\n' "n$i" "$pid" "$(http_addr "$i")" \
            "${role:-?}" "${term:-?}" "${leader:-?}" "${commit:-?}" "${applied:-?}" "$ready"
    done
    return "$down"
}

command -v curl >/dev/null || die "curl is needed"
command -v java >/dev/null || die "java (17 or newer) is needed"
# start's arguments: an optional N and an optional --tls, in either order.
start_command() {
    local count="" tls="" arg
    for arg in "$@"; do
        case "$arg" in
            --tls) [[ -z "$tls" ]] || usage; tls=tls ;;
            -*) usage ;;
            *) [[ -z "$count" ]] || usage; count="$arg" ;;
        esac
    done
    start "$count" "$tls"
}

case "${1:-}" in
    start) shift; start_command "$@" ;;
    stop) [[ $# -le 1 ]] || usage; stop ;;
    status) [[ $# -le 2 ]] || usage; status "${2:-}" ;;
    *) usage ;;
esac
