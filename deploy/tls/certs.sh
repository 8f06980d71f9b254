#!/usr/bin/env bash
# Certificates for Quorum, made with openssl: CAs, member certificates and client certificates,
# all EC P-256 with unencrypted PKCS#8 keys created 0600 (umask 077).
#
#   deploy/tls/certs.sh ca DIR NAME [CN]           DIR/NAME.pem and DIR/NAME-key.pem: a CA valid 10 years,
#                                                  subject CN (default NAME)
#   deploy/tls/certs.sh member DIR CA ID [SAN...]  DIR/ID.pem and DIR/ID-key.pem, issued by DIR/CA.pem: subject
#                                                  CN ID, SANs DNS:ID and each SAN given (DNS:name or
#                                                  IP:address), extended key usage serverAuth and clientAuth
#   deploy/tls/certs.sh client DIR CA NAME [CN]    DIR/NAME.pem and DIR/NAME-key.pem, issued by DIR/CA.pem:
#                                                  subject CN (default NAME), extended key usage clientAuth
#
# A member certificate names its member id as CN and DNS SAN: that is what a node checks on the
# Raft port (--peer-cert-file). A node presents it both when it accepts and when it dials, hence
# serverAuth and clientAuth. The same certificate can serve HTTPS (--cert-file) when its SANs
# name every host and address clients use.
#
# Each file is made only when missing: running the same command again keeps what exists. A
# certificate that no longer verifies against its CA (the CA was made anew, or it expired) is
# issued again. Leaf certificates are valid 825 days.
set -euo pipefail

usage() {
    sed -n '4,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

die() {
    echo "certs.sh: $*" >&2
    exit 1
}

# Runs openssl quietly; on failure dies with what it printed.
run_openssl() {
    local output
    output="$(openssl "$@" 2>&1)" || die "openssl $1 failed: $output"
}

new_key() {
    (umask 077 && run_openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1")
}

# A minimal request config, so that no system openssl.cnf is needed.
request_config() {
    printf '%s\n' "[req]" "distinguished_name = dn" "prompt = no" "[dn]" "[ca]" \
        "basicConstraints = critical, CA:TRUE" "keyUsage = critical, keyCertSign, cRLSign" \
        "subjectKeyIdentifier = hash" >"$1"
}

make_ca() {
    local dir="$1" name="$2" common_name="${3:-$2}" work
    (umask 077 && mkdir -p "$dir")
    if [[ -f "$dir/$name.pem" && -f "$dir/$name-key.pem" ]]; then
        return 0
    fi
    work="$(mktemp -d)"
    request_config "$work/req.cnf"
    new_key "$dir/$name-key.pem"
    run_openssl req -x509 -new -config "$work/req.cnf" -extensions ca -key "$dir/$name-key.pem" \
        -subj "/CN=$common_name" -days 3650 -sha256 -out "$work/$name.pem"
    mv "$work/$name.pem" "$dir/$name.pem"
    rm -rf "$work"
    echo "created $dir/$name.pem (CA, CN $common_name) and $dir/$name-key.pem"
}

# Issues DIR/NAME.pem and DIR/NAME-key.pem from DIR/CA.pem unless a pair exists that the CA
# verifies. The certificate is written last, under a temporary name, so that an interrupted run
# leaves no pair that looks complete.
issue() {
    local dir="$1" ca="$2" name="$3" common_name="$4" extensions="$5" work
    [[ -f "$dir/$ca.pem" && -f "$dir/$ca-key.pem" ]] || die "no CA $dir/$ca.pem with its key $dir/$ca-key.pem (make it with: $0 ca $dir $ca)"
    if [[ -f "$dir/$name.pem" && -f "$dir/$name-key.pem" ]] \
        && openssl verify -CAfile "$dir/$ca.pem" "$dir/$name.pem" >/dev/null 2>&1; then
        return 0
    fi
    work="$(mktemp -d)"
    request_config "$work/req.cnf"
    printf '%s\n' "basicConstraints = critical, CA:FALSE" "keyUsage = critical, digitalSignature, keyAgreement" \
        "$extensions" >"$work/ext.cnf"
    new_key "$dir/$name-key.pem"
    run_openssl req -new -config "$work/req.cnf" -key "$dir/$name-key.pem" -subj "/CN=$common_name" -out "$work/req.csr"
    run_openssl x509 -req -in "$work/req.csr" -CA "$dir/$ca.pem" -CAkey "$dir/$ca-key.pem" \
        -set_serial "0x$(openssl rand -hex 16)" -days 825 -sha256 -extfile "$work/ext.cnf" -out "$work/cert.pem"
    mv "$work/cert.pem" "$dir/$name.pem"
    rm -rf "$work"
    echo "created $dir/$name.pem (CN $common_name, issued by $ca) and $dir/$name-key.pem"
}

member() {
    local dir="$1" ca="$2" id="$3" sans san
    shift 3
    sans="DNS:$id"
    for san in "$@"; do
        [[ "$san" =~ ^(DNS|IP):[^,[:space:]]+$ ]] || die "a SAN is DNS:name or IP:address, not '$san'"
        sans+=", $san"
    done
    issue "$dir" "$ca" "$id" "$id" "extendedKeyUsage = serverAuth, clientAuth
subjectAltName = $sans"
}

client() {
    local dir="$1" ca="$2" name="$3" common_name="${4:-$3}"
    issue "$dir" "$ca" "$name" "$common_name" "extendedKeyUsage = clientAuth"
}

command -v openssl >/dev/null || die "openssl is not installed: install it (Debian/Ubuntu: apt-get install openssl;" \
    "macOS: brew install openssl) and run this again"
case "${1:-}" in
    ca) [[ $# -ge 3 && $# -le 4 ]] || usage; shift; make_ca "$@" ;;
    member) [[ $# -ge 4 ]] || usage; shift; member "$@" ;;
    client) [[ $# -ge 4 && $# -le 5 ]] || usage; shift; client "$@" ;;
    *) usage ;;
esac
