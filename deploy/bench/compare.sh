#!/usr/bin/env bash
# Quorum against etcd and ZooKeeper on this machine (the benchmark issue's W1-W5).
#
#   deploy/bench/compare.sh [--duration D] [--warmup D] [--system-warmup D] [--quick] [--dir DIR]
#                           [--only W1,W3] [--tls]
#
# Installs etcd-server, zookeeper and fio from Debian's packages when missing (apt-get, as root),
# starts three members of each system on loopback, each fsyncing every commit (etcd by default,
# ZooKeeper with forceSync=yes, Quorum always), with all data under one directory so that every
# system and fio's fdatasync floor use the same disk; runs each workload against each system in
# turn with `java -jar quorum.jar bench --json`, and prints one table with the ratios Quorum/etcd
# and Quorum/ZooKeeper. Every process it started is ended on exit, whatever the exit.
#
#   --duration D   measured time of each run (default 20s)      --warmup D   unmeasured start (default 5s)
#   --system-warmup D  unmeasured load on each freshly started system before its first run: D of
#                  mixed reads and writes, then D of lock cycles, 64 clients (default 30s). Quorum
#                  and ZooKeeper run on the JVM, whose JIT compiler needs that load (and CPU) to
#                  compile their hot paths; measured cold, a 64-client put run reached a third of
#                  its warm rate here. etcd gets the same load.
#   --quick        --duration 5s --warmup 2s --system-warmup 5s  --dir DIR    data and logs (default: a new
#   --only LIST    only these workloads (W1..W5)                              directory under $TMPDIR or /tmp)
#   --tls          measure Quorum and etcd twice in this one invocation, plaintext and then with TLS,
#                  and skip ZooKeeper (it has no TLS run here; run without --tls to measure it). The
#                  TLS pass restarts each system from fresh data with TLS on its client port and
#                  mutual TLS on its peer port, client certificates required on both (Quorum:
#                  --peer-cert-file/--peer-key-file/--peer-trusted-ca-file, --cert-file/--key-file,
#                  --trusted-ca-file --client-cert-auth; etcd: --cert-file/--key-file/--trusted-ca-file
#                  --client-cert-auth, the --peer-* equivalents and https URLs), warms it up again,
#                  and runs the same workloads with `bench --cacert --cert --key`. Each system's TLS
#                  pass follows its plaintext pass, so that the two are measured close in time. A CA
#                  and certificates (EC P-256, 2 days) are made with openssl in DIR/certs: member n<i>
#                  CN=n<i> with SANs DNS:n<i>, DNS:localhost, IP:127.0.0.1 (the peer link checks the
#                  member id, HTTPS clients the address), etcd member e<i> the same names for e<i>, and
#                  a client certificate for the bench and curl. Beside the usual table (plaintext) a
#                  second one gives, per workload, Quorum with TLS over Quorum plaintext, etcd with TLS
#                  over etcd plaintext, and Quorum with TLS over etcd with TLS, and then the goal read
#                  off those ratios: TLS costs Quorum at most 15% of its throughput at 64 clients, and
#                  Quorum with TLS stays ahead of etcd with TLS on every workload. Debian's etcd (3.4)
#                  serves gRPC over TLS through Go's HTTP/2 server on the port its HTTP API shares,
#                  not through gRPC's own server as it does plaintext; etcd releases with
#                  --listen-client-http-urls can give gRPC a listener of its own.
#
# Ports (loopback): Quorum HTTP 17001-17003, Raft 17101-17103; etcd client 12371-12373, peer
# 12381-12383; ZooKeeper client 12181-12183, quorum 12881-12883, election 13881-13883.
# BENCH_JAVA_OPTS is passed to the bench client JVM, QUORUM_JAVA_OPTS to the Quorum nodes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/raft-http/target/quorum.jar"
DURATION=20s
WARMUP=5s
SYSTEM_WARMUP=30s
DIR=""
ONLY="W1,W2,W3,W4,W5"
TLS=0
PIDS=()
# The pass being measured (set_pass): the scheme of client URLs, a suffix that keeps the TLS pass's
# data and logs apart, and the --cacert/--cert/--key that curl and the bench both take.
SCHEME=http
SUFFIX=""
CLIENT_TLS=()

usage() {
    sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

die() {
    echo "compare.sh: $*" >&2
    exit 1
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --duration) [[ $# -ge 2 ]] || usage; DURATION="$2"; shift 2 ;;
        --warmup) [[ $# -ge 2 ]] || usage; WARMUP="$2"; shift 2 ;;
        --system-warmup) [[ $# -ge 2 ]] || usage; SYSTEM_WARMUP="$2"; shift 2 ;;
        --quick) DURATION=5s; WARMUP=2s; SYSTEM_WARMUP=5s; shift ;;
        --dir) [[ $# -ge 2 ]] || usage; DIR="$2"; shift 2 ;;
        --only) [[ $# -ge 2 ]] || usage; ONLY="$2"; shift 2 ;;
        --tls) TLS=1; shift ;;
        -h | --help) usage ;;
        *) echo "compare.sh: unknown option '$1'" >&2; usage ;;
    esac
done

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        local waited=0
        while kill -0 "$pid" 2>/dev/null && ((waited < 100)); do
            sleep 0.1
            waited=$((waited + 1))
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

install_missing() {
    local missing=()
    command -v etcd >/dev/null || missing+=(etcd-server)
    ((TLS)) || [[ -f /usr/share/java/zookeeper.jar ]] || missing+=(zookeeper)
    command -v fio >/dev/null || missing+=(fio)
    command -v curl >/dev/null || missing+=(curl)
    if ((TLS)); then command -v openssl >/dev/null || missing+=(openssl); fi
    if ((${#missing[@]} > 0)); then
        echo "installing ${missing[*]} (apt-get)"
        [[ "$(id -u)" == 0 ]] || die "installing ${missing[*]} needs root"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    command -v java >/dev/null || die "java (17 or newer) is needed"
}

build_if_missing() {
    if [[ ! -f "$JAR" ]]; then
        echo "building $JAR (mvn -q -B package -DskipTests)"
        (cd "$ROOT" && mvn -q -B package -DskipTests) || die "the build failed"
    fi
}

# Starts a command in the background with its output in a log; remembers its pid for cleanup.
spawn() {
    local log="$1"
    shift
    "$@" >"$log" 2>&1 </dev/null &
    PIDS+=("$!")
}

# Waits up to 60 s for a command to succeed.
await() {
    local what="$1" deadline=$((SECONDS + 60))
    shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || die "$what not ready within 60s; logs in $DIR"
        sleep 0.3
    done
}

# set_pass plain|tls: what the next start_*, warm_up and bench speak.
set_pass() {
    if [[ "$1" == tls ]]; then
        SCHEME=https
        SUFFIX=-tls
        CLIENT_TLS=(--cacert "$DIR/certs/ca.pem" --cert "$DIR/certs/client.pem" --key "$DIR/certs/client-key.pem")
    else
        SCHEME=http
        SUFFIX=""
        CLIENT_TLS=()
    fi
}

# issue NAME EKU [SAN…]: DIR/certs/NAME.pem and NAME-key.pem (EC P-256, PKCS#8), CN=NAME, by the CA.
issue() {
    local name="$1" eku="$2" certs="$DIR/certs" sans
    shift 2
    sans="$(IFS=,; echo "$*")"
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=$eku" "subjectAltName=$sans" >"$certs/$name.ext"
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$certs/$name-key.pem" &&
        openssl req -new -key "$certs/$name-key.pem" -subj "/CN=$name" -out "$certs/$name.csr" &&
        openssl x509 -req -in "$certs/$name.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca-key.pem" \
            -set_serial "0x$(openssl rand -hex 12)" -days 2 -extfile "$certs/$name.ext" -out "$certs/$name.pem"
}

# The CA, one certificate per member of Quorum and of etcd (server and client use: the same one
# accepts and dials on the peer port) and the client certificate of the bench and curl.
make_certificates() {
    mkdir -p "$DIR/certs"
    write_certificates >"$DIR/certs/openssl.log" 2>&1 || die "making the certificates failed; see $DIR/certs/openssl.log"
}

write_certificates() {
    local certs="$DIR/certs" i
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$certs/ca-key.pem" || return 1
    openssl req -x509 -new -key "$certs/ca-key.pem" -subj "/CN=quorum-bench-ca" -days 2 -out "$certs/ca.pem" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" || return 1
    for i in 1 2 3; do
        issue "n$i" serverAuth,clientAuth "DNS:n$i" DNS:localhost IP:127.0.0.1 || return 1
        issue "e$i" serverAuth,clientAuth "DNS:e$i" DNS:localhost IP:127.0.0.1 || return 1
    done
    issue client clientAuth DNS:bench-client
}

start_quorum() {
    local i members="n1=127.0.0.1:17101,n2=127.0.0.1:17102,n3=127.0.0.1:17103" opts=() tls=()
    read -r -a opts <<<"${QUORUM_JAVA_OPTS:-}"
    for i in 1 2 3; do
        if [[ "$SCHEME" == https ]]; then
            tls=(--peer-cert-file "$DIR/certs/n$i.pem" --peer-key-file "$DIR/certs/n$i-key.pem"
                --peer-trusted-ca-file "$DIR/certs/ca.pem" --cert-file "$DIR/certs/n$i.pem"
                --key-file "$DIR/certs/n$i-key.pem" --trusted-ca-file "$DIR/certs/ca.pem" --client-cert-auth)
        fi
        spawn "$DIR/quorum$SUFFIX-n$i.log" java "${opts[@]}" -jar "$JAR" server --id "n$i" \
            --data-dir "$DIR/quorum$SUFFIX/n$i" --http-addr "127.0.0.1:1700$i" --raft-addr "127.0.0.1:1710$i" \
            --members "$members" "${tls[@]}"
    done
    for i in 1 2 3; do
        await "Quorum$SUFFIX n$i" curl -fsS --max-time 2 "${CLIENT_TLS[@]}" "$SCHEME://127.0.0.1:1700$i/ready"
    done
}

etcd_healthy() {
    curl -fsS --max-time 2 "${CLIENT_TLS[@]}" "$SCHEME://127.0.0.1:1237$1/health" | grep -q '"true"'
}

start_etcd() {
    local i cluster="e1=$SCHEME://127.0.0.1:12381,e2=$SCHEME://127.0.0.1:12382,e3=$SCHEME://127.0.0.1:12383" tls=()
    for i in 1 2 3; do
        if [[ "$SCHEME" == https ]]; then
            tls=(--cert-file "$DIR/certs/e$i.pem" --key-file "$DIR/certs/e$i-key.pem"
                --trusted-ca-file "$DIR/certs/ca.pem" --client-cert-auth
                --peer-cert-file "$DIR/certs/e$i.pem" --peer-key-file "$DIR/certs/e$i-key.pem"
                --peer-trusted-ca-file "$DIR/certs/ca.pem" --peer-client-cert-auth)
        fi
        spawn "$DIR/etcd$SUFFIX-e$i.log" etcd --name "e$i" --data-dir "$DIR/etcd$SUFFIX/e$i" \
            --listen-client-urls "$SCHEME://127.0.0.1:1237$i" --advertise-client-urls "$SCHEME://127.0.0.1:1237$i" \
            --listen-peer-urls "$SCHEME://127.0.0.1:1238$i" --initial-advertise-peer-urls "$SCHEME://127.0.0.1:1238$i" \
            --initial-cluster "$cluster" --initial-cluster-token quorum-bench --initial-cluster-state new "${tls[@]}"
    done
    for i in 1 2 3; do
        await "etcd$SUFFIX e$i" etcd_healthy "$i"
    done
}

zk_mode() {
    local reply
    exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf 'srvr' >&3
    reply="$(cat <&3)"
    exec 3<&-
    grep -Eq 'Mode: (leader|follower)' <<<"$reply"
}

start_zookeeper() {
    local i
    for i in 1 2 3; do
        mkdir -p "$DIR/zookeeper/z$i"
        echo "$i" >"$DIR/zookeeper/z$i/myid"
        cat >"$DIR/zookeeper/z$i.cfg" <<CFG
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$DIR/zookeeper/z$i
clientPort=1218$i
clientPortAddress=127.0.0.1
forceSync=yes
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=srvr,ruok
server.1=127.0.0.1:12881:13881
server.2=127.0.0.1:12882:13882
server.3=127.0.0.1:12883:13883
CFG
        spawn "$DIR/zookeeper-z$i.log" java -Xmx1g -cp "/usr/share/java/zookeeper.jar:/etc/zookeeper/conf" \
            -Dzookeeper.log.dir="$DIR" org.apache.zookeeper.server.quorum.QuorumPeerMain "$DIR/zookeeper/z$i.cfg"
    done
    for i in 1 2 3; do
        await "ZooKeeper z$i" zk_mode "1218$i"
    done
}

endpoints_of() {
    local etcd_scheme=""
    [[ "$SCHEME" == https ]] && etcd_scheme="https://"
    case "$1" in
        quorum) echo "$SCHEME://127.0.0.1:17001,$SCHEME://127.0.0.1:17002,$SCHEME://127.0.0.1:17003" ;;
        etcd) echo "${etcd_scheme}127.0.0.1:12371,${etcd_scheme}127.0.0.1:12372,${etcd_scheme}127.0.0.1:12373" ;;
        zookeeper) echo "127.0.0.1:12181,127.0.0.1:12182,127.0.0.1:12183" ;;
    esac
}

# HTTP/1.1 (Quorum) carries one request at a time per connection: one connection per client. A
# ZooKeeper session pipelines its requests: up to 8 sessions shared by the clients. etcd is spoken
# to over gRPC, which multiplexes any number of outstanding calls on one HTTP/2 connection, as
# etcd's own clients do: one channel per member (3), fewer when there are fewer clients.
connections_of() {
    case "$1" in
        zookeeper) echo $(($2 < 8 ? $2 : 8)) ;;
        etcd) echo $(($2 < 3 ? $2 : 3)) ;;
        *) echo "$2" ;;
    esac
}

# bench SYSTEM LABEL WORKLOAD CLIENTS [bench options…]: one run, its JSON line appended to the results.
bench() {
    local system="$1" label="$2" workload="$3" clients="$4" opts=()
    shift 4
    read -r -a opts <<<"${BENCH_JAVA_OPTS:-}"
    echo "  $label" >&2
    java "${opts[@]}" -jar "$JAR" bench "$workload" --target "$system" --endpoints "$(endpoints_of "$system")" \
        --clients "$clients" --connections "$(connections_of "$system" "$clients")" \
        --duration "$DURATION" --warmup "$WARMUP" --label "$label" --json "${CLIENT_TLS[@]}" "$@" \
        >>"$DIR/results.jsonl" 2>>"$DIR/bench-$system$SUFFIX.log" \
        || echo "compare.sh: $system$SUFFIX $label failed; see $DIR/bench-$system$SUFFIX.log" >&2
}

wanted() { [[ ",$ONLY," == *",$1,"* ]]; }

run_workloads() {
    local system="$1" c
    echo "$system$SUFFIX:" >&2
    if wanted W1; then bench "$system" "W1 put, 1 client" put 1 --key-size 8 --value-size 256; fi
    if wanted W2; then
        for c in 16 64 256; do bench "$system" "W2 put, $c clients" put "$c" --key-size 8 --value-size 256; done
    fi
    if wanted W3; then
        for c in 1 64; do bench "$system" "W3 get, $c clients" get "$c" --key-space 1000; done
        for c in 1 64; do bench "$system" "W3 stale get, $c cl." get "$c" --key-space 1000 --stale; done
    fi
    if wanted W4; then bench "$system" "W4 lock-cycle, 64 cl." lock-cycle 64; fi
    if wanted W5; then bench "$system" "W5 lock-contended, 16" lock-contended 16; fi
}

# warm_up SYSTEM: the unmeasured load of --system-warmup; its output goes to the system's bench log.
warm_up() {
    local system="$1" workload opts=()
    read -r -a opts <<<"${BENCH_JAVA_OPTS:-}"
    echo "  warm-up: $SYSTEM_WARMUP mixed, $SYSTEM_WARMUP lock-cycle" >&2
    for workload in mixed lock-cycle; do
        java "${opts[@]}" -jar "$JAR" bench "$workload" --target "$system" --endpoints "$(endpoints_of "$system")" \
            --clients 64 --connections "$(connections_of "$system" 64)" --read-fraction 0.5 \
            --duration "$SYSTEM_WARMUP" --warmup 0s "${CLIENT_TLS[@]}" >>"$DIR/bench-$system$SUFFIX.log" 2>&1 \
            || echo "compare.sh: $system$SUFFIX warm-up ($workload) failed; see $DIR/bench-$system$SUFFIX.log" >&2
    done
}

# measure SYSTEM [plain|tls]: one system at a time; the others are stopped so that they do not
# share the CPU and disk.
measure() {
    local system="$1" before=${#PIDS[@]}
    set_pass "${2:-plain}"
    "start_$system"
    warm_up "$system"
    run_workloads "$system"
    cleanup
    PIDS=("${PIDS[@]:0:$before}")
}

fdatasync_floor() {
    fio --name=fdatasync --directory="$DIR" --rw=write --bs=4k --size=16m --ioengine=sync --fdatasync=1 \
        --runtime=10 --time_based=1 2>&1 | grep -o 'IOPS=[^,]*' | head -n 1 | cut -d= -f2
}

install_missing
build_if_missing
if [[ -z "$DIR" ]]; then
    DIR="$(mktemp -d "${TMPDIR:-/tmp}/quorum-compare.XXXXXX")"
fi
mkdir -p "$DIR"
: >"$DIR/results.jsonl"
echo "data and logs in $DIR; each system: warm-up 2 x $SYSTEM_WARMUP; each run: warmup $WARMUP, measured $DURATION; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
FLOOR="$(fdatasync_floor)"
if ((TLS)); then
    echo "--tls: Quorum and etcd plaintext, then with TLS (certificates in $DIR/certs); ZooKeeper skipped"
    make_certificates
    for system in quorum etcd; do
        measure "$system" plain
        measure "$system" tls
    done
else
    for system in quorum etcd zookeeper; do
        measure "$system"
    done
fi
echo
java -cp "$JAR" io.quorum.bench.CompareTable "$DIR/results.jsonl"
echo "disk floor (fio, 4 KiB writes each followed by fdatasync, same directory): ${FLOOR:-unknown} fdatasync/s"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
