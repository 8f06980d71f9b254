#!/usr/bin/env bash
# The compose file's one-shot "tls" service: makes the cluster's certificates in DIR (the "tls"
# volume) with ../tls/certs.sh the first time; later runs keep them. Two CAs, so that no client
# certificate can ever pass for a member on the Raft port:
#
#   peer-ca.pem                  signs the members' certificates (--peer-trusted-ca-file); clients
#                                check the nodes' HTTPS certificates against it (--cacert)
#   n1.pem, n2.pem, n3.pem       each node's certificate for the Raft port and HTTPS: CN n<i>, SANs
#                                DNS:n<i>, DNS:localhost, IP:127.0.0.1 (the published ports)
#   client-ca.pem                signs client certificates (--trusted-ca-file)
#   client.pem, probe.pem,       client certificates: for the CLI and curl on the host, the health
#   prometheus.pem               check (ready.sh) and Prometheus
#
# Each key (<name>-key.pem) is 0600; run as root, this gives each to the user that reads it: the
# nodes' and the probe's to 10001 (the image's user), Prometheus's to 65534 (its image's nobody).
# The CA keys stay root's.
#
#   tls-init.sh DIR
set -euo pipefail

dir="${1:?usage: tls-init.sh DIR}"
certs="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tls" && pwd)/certs.sh"

"$certs" ca "$dir" peer-ca "Quorum compose peer CA"
"$certs" ca "$dir" client-ca "Quorum compose client CA"
for node in n1 n2 n3; do
    "$certs" member "$dir" peer-ca "$node" DNS:localhost IP:127.0.0.1
done
"$certs" client "$dir" client-ca client quorum-client
"$certs" client "$dir" client-ca probe quorum-probe
"$certs" client "$dir" client-ca prometheus

if [[ "$(id -u)" == 0 ]]; then
    chown 10001:10001 "$dir"/n[1-3]-key.pem "$dir/probe-key.pem"
    chown 65534:65534 "$dir/prometheus-key.pem"
    chmod 0755 "$dir"
fi
