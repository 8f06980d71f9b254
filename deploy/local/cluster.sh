#!/usr/bin/env bash
# A local Quorum cluster on loopback (API.md, "local cluster").
#
#   deploy/local/cluster.sh start [N]    build the jar if missing, start those of N nodes (1-9,
#                                        default 3) that are not running, and wait until every
#                                        one of them is ready under a leader
#   deploy/local/cluster.sh stop         SIGTERM every running node and wait for each to exit
#   deploy/local/cluster.sh status [N]   each node's pid, role, term, leader and indexes
#
# Node i is n<i>: HTTP 127.0.0.1:700<i>, Raft 127.0.0.1:710<i>, data in data/n<i>, log in
# data/n<i>.log and pid in data/n<i>.pid, all relative to the repository root whatever the
# caller's directory. QUORUM_START_TIMEOUT (seconds, default 60) bounds the wait for a leader;
# QUORUM_STOP_TIMEOUT (seconds, default 30) bounds the wait for each node to exit;
# QUORUM_JAVA_OPTS is passed to every JVM.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/raft-http/target/quorum.jar"
DATA="$ROOT/data"
START_TIMEOUT="${QUORUM_START_TIMEOUT:-60}"
STOP_TIMEOUT="${QUORUM_STOP_TIMEOUT:-30}"

usage() {
    echo "usage: $0 start|stop|status [N]   (N nodes, 1-9, default 3)" >&2
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

# One GET to node i; prints the body, fails when the node does not answer with 2xx.
get() {
    curl -fsS --max-time 2 "http://$(http_addr "$1")$2" 2>/dev/null
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

members() {
    local i list=""
    for ((i = 1; i <= $1; i++)); do
        list+="${list:+,}n$i=$(raft_addr "$i")"
    done
    echo "$list"
}

build_if_missing() {
    if [[ ! -f "$JAR" ]]; then
        echo "building $JAR (mvn -q -B package -DskipTests)"
        (cd "$ROOT" && mvn -q -B package -DskipTests) || die "the build failed"
    fi
}

# Starts the nodes of 1..n that are not running (a node killed earlier restarts on its data dir).
start() {
    local n i pid
    n="$(parse_count "${1:-}")"
    build_if_missing
    mkdir -p "$DATA"
    local java_opts=()
    read -r -a java_opts <<<"${QUORUM_JAVA_OPTS:-}"
    for ((i = 1; i <= n; i++)); do
        pid="$(running_pid "$i")"
        if [[ -n "$pid" ]]; then
            echo "n$i already running: pid $pid"
            continue
        fi
        # exec: the pid of the background subshell is the JVM's own pid.
        (cd "$ROOT" && exec java "${java_opts[@]}" -jar "$JAR" server --id "n$i" --data-dir "data/n$i" \
            --http-addr "$(http_addr "$i")" --raft-addr "$(raft_addr "$i")" --members "$(members "$n")" \
            >>"$(log_file "$i")" 2>&1 </dev/null) &
        echo "$!" >"$(pid_file "$i")"
        echo "n$i started: pid $!, HTTP $(http_addr "$i"), Raft $(raft_addr "$i"), log data/n$i.log"
    done
    await_leader "$n"
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
case "${1:-}" in
    start) [[ $# -le 2 ]] || usage; start "${2:-}" ;;
    stop) [[ $# -le 1 ]] || usage; stop ;;
    status) [[ $# -le 2 ]] || usage; status "${2:-}" ;;
    *) usage ;;
esac
