# The clock fallback's HTTPS Date request through WinHTTP
# (hs_win32_https_date, probe "https-date"), against loopback servers this
# test starts: nginx (Debian's nginx-light) for real TLS servers, a small
# Python script for servers that misbehave and for a CONNECT proxy.
# Certificates come from a test CA made here with openssl; the probe trusts
# it only through --ca (the Windows store of the prefix does not know it).
#
# What Wine 8 does differently, and how this test deals with it (see also
# core/win32/README.md, "HTTPS Date through WinHTTP"):
#  - WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY: Wine's WinHttpOpen accepts it and
#    then connects directly, ignoring every proxy setting (checked: with that
#    path forced, the two proxy assertions below fail). Under Wine the code
#    takes the explicit path (the user's IE settings, WinHttpGetProxyForUrl
#    auto-detection, then the manual proxy), and the proxy case checks that
#    path; the AUTOMATIC_PROXY path itself only runs on Windows.
#  - A CERT_CHAIN_ENGINE_CONFIG of the Windows 8 size is refused; the
#    Windows 7 size with hExclusiveRoot works (the code tries both).
#  - Closing the request in the SENDING_REQUEST callback does not stop Wine
#    from writing the queued HEAD, so nothing here asserts that a rejected
#    server never sees a request; it asserts that its answer is not used.
#  - WinHttpTimeToSystemTime leaves "now" in place of what it cannot parse
#    (the garbage-Date case below shows the code does not fall for it).
# Everything else used (async mode, SENDING_REQUEST with the server's
# certificate context, HANDLE_CLOSING, the SSL chain policy, the timeouts)
# is real in Wine 8. Timings: the baseline Wine start is measured first and
# printed; the deadline checks use the call's own elapsed_ms plus a wall
# bound with slack.
set -u
PKI="$HS_TMP/pki"
mkdir -p "$PKI/newcerts"
: > "$PKI/index.txt"
echo 1000 > "$PKI/serial"
cleanup_servers() {
  for p in "${started_pids[@]}"; do kill "$p" 2>/dev/null; done
  [ -f "$HS_TMP/nginx.pid" ] && kill "$(cat "$HS_TMP/nginx.pid")" 2>/dev/null
  return 0
}
trap cleanup_servers EXIT

stamp() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# ---- a test CA, an unrelated CA, and leaf certificates --------------------
cat > "$PKI/ca.cnf" <<EOF
[ ca ]
default_ca = testca
[ testca ]
dir = $PKI
database = $PKI/index.txt
new_certs_dir = $PKI/newcerts
serial = $PKI/serial
default_md = sha256
policy = policy_any
unique_subject = no
[ policy_any ]
commonName = supplied
[ req ]
distinguished_name = dn
[ dn ]
[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ leaf_localhost ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost
authorityKeyIdentifier = keyid
[ leaf_wrong ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
authorityKeyIdentifier = keyid
EOF
make_ca() {  # make_ca NAME
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/$1.key" -out "$PKI/$1.pem" \
    -subj "/CN=Handshake test $1" -days 3650 -config "$PKI/ca.cnf" -extensions ca_ext \
    2>/dev/null
}
make_leaf() {  # make_leaf NAME CA EXT START END
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$1.key" -out "$PKI/$1.csr" \
    -subj "/CN=${3#leaf_}" -config "$PKI/ca.cnf" 2>/dev/null &&
  openssl ca -batch -notext -config "$PKI/ca.cnf" -cert "$PKI/$2.pem" -keyfile "$PKI/$2.key" \
    -extensions "$3" -startdate "$4" -enddate "$5" -in "$PKI/$1.csr" -out "$PKI/$1.pem" \
    >/dev/null 2>&1
}
now_start=$(stamp '-1 day'); now_end=$(stamp '+30 days')
make_ca ca && make_ca other-ca &&
make_leaf good ca leaf_localhost "$now_start" "$now_end" &&
make_leaf expired ca leaf_localhost 20200101000000Z 20200201000000Z &&
make_leaf future ca leaf_localhost "$(stamp '+400 days')" "$(stamp '+800 days')" &&
make_leaf wrongname ca leaf_wrong "$now_start" "$now_end" &&
make_leaf untrusted other-ca leaf_localhost "$now_start" "$now_end" &&
make_leaf expired-wrongname ca leaf_wrong 20200101000000Z 20200201000000Z &&
make_leaf expired-untrusted other-ca leaf_localhost 20200101000000Z 20200201000000Z
check "test certificates made" [ -s "$PKI/expired-untrusted.pem" ]
check "the expired certificate really is expired" \
  bash -c "! openssl x509 -checkend 0 -noout -in '$PKI/expired.pem' >/dev/null"
CA=$(winpath "$PKI/ca.pem")

# ---- nginx: one server per certificate -------------------------------------
declare -A PORT
servers=""
tls_names="good expired future wrongname untrusted expired-wrongname expired-untrusted"
for name in $tls_names; do PORT[$name]=$(free_port); done
for name in $tls_names; do
  servers+="
  server {
    listen 127.0.0.1:${PORT[$name]} ssl;
    server_name localhost;
    ssl_certificate $PKI/$name.pem;
    ssl_certificate_key $PKI/$name.key;
    access_log $HS_TMP/access-$name.log;
    location / { return 200; }
    location /moved { return 302 https://localhost:${PORT[expired]}/from-redirect; }
  }"
done
nginx_conf off "$servers"
nginx -c "$HS_TMP/nginx.conf" -p "$HS_TMP" 2>"$HS_TMP/nginx-start.log"
check "nginx started ($(cat "$HS_TMP/nginx-start.log" 2>/dev/null | head -c 200))" \
  bash -c "for i in \$(seq 50); do [ -s '$HS_TMP/nginx.pid' ] && exec 3<>/dev/tcp/127.0.0.1/${PORT[good]} && exit 0; sleep 0.1; done; exit 1"

# ---- misbehaving servers (tests/win32/loopback-servers.py) ----------------
for n in silent tls-silent no-date bad-date old-date; do PORT[$n]=$(free_port); done
check "silent TCP listener started" start_py silent "${PORT[silent]}"
check "silent TLS listener started" start_py tls-silent "${PORT[tls-silent]}" "$PKI/good.pem" "$PKI/good.key"
check "TLS server without Date started" start_py answer "${PORT[no-date]}" "$PKI/good.pem" "$PKI/good.key"
check "TLS server with a garbage Date started" \
  start_py answer "${PORT[bad-date]}" "$PKI/good.pem" "$PKI/good.key" "around teatime"
check "TLS server with an RFC 850 Date started" \
  start_py answer "${PORT[old-date]}" "$PKI/good.pem" "$PKI/good.key" "Sunday, 06-Nov-94 08:49:37 GMT"

# ---- baseline: what a Wine start costs here --------------------------------
t0=$(date +%s%N); probe --help >/dev/null; base_ms=$(ms_since "$t0")
echo "# baseline: probe --help under Wine takes $base_ms ms"

# hd NAME ARGS...: runs the probe, sets $out, $rc, $ms (wall, including Wine)
hd() {
  local t0; t0=$(date +%s%N)
  out=$(probe https-date "$@" 2>&1); rc=$?
  ms=$(ms_since "$t0")
  echo "# https-date $* -> rc=$rc in $ms ms: $out"
}
url() { printf 'https://localhost:%s%s' "${PORT[$1]}" "${2:-/}"; }

# 1. a good server, trusted through --ca: answered, Date close to the host's clock
hd "$(url good)" --ca "$CA" --timeout 10000
host_now=$(date -u +%s)
d=$(field "$out" date_unix)
check "good server: answered (rc=$rc)" [ "$rc" -eq 0 -a "$(field "$out" answered)" = 1 ]
check "good server: Date ${d:-none} within 5 s of the host's $host_now" \
  bash -c "[ -n '$d' ] && [ \$(( $host_now - ${d:-0} )) -le 5 ] && [ \$(( ${d:-0} - $host_now )) -le 5 ]"
check "good server: raw Date header kept ($(field "$out" date))" \
  bash -c "[[ '$(field "$out" date)' =~ ^[A-Z][a-z][a-z],\ [0-9]{2}\ [A-Z][a-z][a-z]\ [0-9]{4}\ [0-9:]{8}\ GMT$ ]]"
check "good server: the raw Date and date_unix agree" \
  [ "$(date -u -d "$(field "$out" date)" +%s 2>/dev/null)" = "$d" ]
check "good server: tls_dates_only=0" [ "$(field "$out" tls_dates_only)" = 0 ]
check "good server: HTTP status 200" [ "$(field "$out" http_status)" = 200 ]
s_us=$(field "$out" send_usec); r_us=$(field "$out" recv_usec)
check "good server: send <= recv stamps, both set ($s_us, $r_us)" \
  bash -c "[ ${s_us:-0} -gt 0 ] && [ ${r_us:-0} -ge ${s_us:-1} ]"
check "good server: the server's second lies within the send/recv bracket (+-1 s)" \
  bash -c "[ -n '$d' ] && [ -n '$s_us' ] && [ -n '$r_us' ] && [ $d -ge \$(( $s_us / 1000000 - 1 )) ] && [ $d -le \$(( $r_us / 1000000 + 1 )) ]"
check "good server: the request was a HEAD" grep -q '"HEAD / HTTP/1.1" 200' "$HS_TMP/access-good.log"

# 2. the same CA, expired / not yet valid certificate: answered, tls_dates_only=1
hd "$(url expired)" --ca "$CA" --timeout 10000
check "expired certificate: answered with tls_dates_only=1" \
  [ "$rc" -eq 0 -a "$(field "$out" answered)" = 1 -a "$(field "$out" tls_dates_only)" = 1 ]
hd "$(url future)" --ca "$CA" --timeout 10000
check "not-yet-valid certificate: answered with tls_dates_only=1" \
  [ "$rc" -eq 0 -a "$(field "$out" tls_dates_only)" = 1 ]

# 3. anything else wrong with the certificate: failure naming TLS and why
expect_tls_failure() {  # expect_tls_failure WHAT NAME PATTERN [ARGS]
  local what="$1" name="$2" pat="$3"; shift 3
  hd "$(url "$name")" "$@" --timeout 10000
  local detail; detail=$(field "$out" detail)
  check "$what: failed (rc=$rc, error=$(field "$out" error))" \
    [ "$rc" -eq 1 -a "$(field "$out" error)" = failed ]
  check "$what: detail names TLS and '$pat' ($detail)" \
    bash -c "grep -q 'TLS' <<<\"\$1\" && grep -qi -- \"\$2\" <<<\"\$1\"" _ "$detail" "$pat"
}
expect_tls_failure "wrong name" wrongname "name mismatch" --ca "$CA"
expect_tls_failure "untrusted CA" untrusted "unknown issuer" --ca "$CA"
expect_tls_failure "expired and wrong name" expired-wrongname "name mismatch" --ca "$CA"
expect_tls_failure "expired and untrusted CA" expired-untrusted "unknown issuer" --ca "$CA"
# without --ca the Windows store decides, and it does not know the test CA
expect_tls_failure "test CA unknown to the Windows store" good "unknown issuer"

# 4. redirects are not followed: the 302's own Date is the answer
hd "$(url good /moved)" --ca "$CA" --timeout 10000
check "redirect: answered with status 302 (rc=$rc)" \
  [ "$rc" -eq 0 -a "$(field "$out" http_status)" = 302 ]
check "redirect: the target was never asked" \
  bash -c "! grep -q from-redirect '$HS_TMP/access-expired.log' 2>/dev/null"

# 5. no Date header
hd "$(url no-date)" --ca "$CA" --timeout 10000
check "no Date header: failed, saying so ($(field "$out" detail))" \
  bash -c "[ $rc -eq 1 ] && [ '$(field "$out" error)' = failed ] && grep -q 'no Date header' <<<'$(field "$out" detail)'"

# 5b. a Date WinHTTP cannot turn into a time: WinHttpTimeToSystemTime starts
# from the current system time and leaves it there when it cannot parse (Wine
# says Windows does this too), which would read as "no skew at all". Only an
# IMF-fixdate that WinHTTP formats back to the same text is accepted.
hd "$(url bad-date)" --ca "$CA" --timeout 10000
check "garbage Date: failed as unparsable, not read as the local time ($(field "$out" detail))" \
  bash -c "[ $rc -eq 1 ] && [ '$(field "$out" error)' = failed ] && grep -q 'unparsable Date' <<<'$(field "$out" detail)'"
hd "$(url old-date)" --ca "$CA" --timeout 10000
check "obsolete RFC 850 Date: refused, not guessed ($(field "$out" detail))" \
  bash -c "[ $rc -eq 1 ] && grep -q 'unparsable Date' <<<'$(field "$out" detail)'"

# 6. a refused port: a connection failure, fast
closed=$(free_port)
hd "https://localhost:$closed/" --ca "$CA" --timeout 10000
check "refused port: error=unreachable, detail says it could not connect ($(field "$out" detail))" \
  bash -c "[ $rc -eq 1 ] && [ '$(field "$out" error)' = unreachable ] && grep -q 'could not connect' <<<'$(field "$out" detail)'"
check "refused port: fast ($ms ms wall < $((base_ms + 3000)))" [ "$ms" -lt $((base_ms + 3000)) ]

# 7. a server that accepts TCP and never speaks: timed out within ~2 s
hd "$(url silent)" --ca "$CA" --timeout 2000
el=$(field "$out" elapsed_ms)
check "silent server: error=timeout ($(field "$out" detail))" \
  [ "$rc" -eq 1 -a "$(field "$out" error)" = timeout ]
check "silent server: the call returned at its deadline (elapsed ${el:-?} ms in [1900, 2600])" \
  bash -c "[ ${el:-0} -ge 1900 ] && [ ${el:-99999} -le 2600 ]"
check "silent server: wall time $ms ms < 4000 + Wine start ($base_ms)" [ "$ms" -lt $((4000 + base_ms)) ]
hd "$(url tls-silent)" --ca "$CA" --timeout 2000
el=$(field "$out" elapsed_ms)
check "TLS then silence: error=timeout within the deadline (elapsed ${el:-?} ms <= 2600)" \
  bash -c "[ $rc -eq 1 ] && [ '$(field "$out" error)' = timeout ] && [ ${el:-99999} -le 2600 ]"

# 7b. cancellation is polled: a 30 s budget, cancelled after 500 ms
t0=$(date +%s%N); out=$(tool https-cancel "$(url silent)" 500); ms=$(ms_since "$t0")
echo "# https-cancel -> $out ($ms ms wall)"
el=$(field "$out" elapsed_ms)
check "cancel: code=cancelled ($(field "$out" detail))" [ "$(field "$out" code)" = cancelled ]
check "cancel: returned soon after the cancel (${el:-?} ms in [450, 1200])" \
  bash -c "[ ${el:-0} -ge 450 ] && [ ${el:-99999} -le 1200 ]"

# 8. an unresolvable name
hd "https://unresolvable.invalid/" --timeout 10000
check "unresolvable name: error=unreachable, detail 'name not resolved' ($(field "$out" detail))" \
  bash -c "[ $rc -eq 1 ] && [ '$(field "$out" error)' = unreachable ] && grep -q 'name not resolved' <<<'$(field "$out" detail)'"

# 9. input errors
hd "http://localhost:${PORT[good]}/" --timeout 2000
check "plain http:// URL refused as bad input" [ "$rc" -eq 1 -a "$(field "$out" error)" = bad_input ]
: > "$HS_TMP/empty.pem"
hd "$(url good)" --ca "$(winpath "$HS_TMP/empty.pem")" --timeout 2000
check "CA file without a certificate: bad input" [ "$rc" -eq 1 -a "$(field "$out" error)" = bad_input ]
hd "$(url good)" --ca "$(winpath "$HS_TMP/missing.pem")" --timeout 2000
check "missing CA file: io_error" [ "$rc" -eq 1 -a "$(field "$out" error)" = io_error ]

for args in "" "--timeout 0" "URL --timeout 5x" "URL --bogus" "URL --ca"; do
  err=$(probe https-date $args 2>&1 >/dev/null); rc=$?
  check "probe https-date $args -> usage error (exit $rc)" \
    bash -c "[ $rc -eq 2 ] && grep -q '^usage:' <<<\"\$1\"" _ "$err"
done

# 10. the user's proxy settings are followed (manual proxy in the Internet
# Explorer settings, HKCU; see the comment at the top about Wine)
PORT[proxy]=$(free_port)
check "CONNECT proxy started" start_py proxy "${PORT[proxy]}" "$HS_TMP/proxy.log"
# the user's proxy in the IE settings (ie_proxy, lib.sh)
ie_proxy "127.0.0.1:${PORT[proxy]}"
hd "$(url good)" --ca "$CA" --timeout 10000
check "through the proxy: answered (rc=$rc)" [ "$rc" -eq 0 -a "$(field "$out" answered)" = 1 ]
check "through the proxy: the proxy saw CONNECT localhost:${PORT[good]} ($(cat "$HS_TMP/proxy.log" 2>/dev/null))" \
  grep -q "^CONNECT localhost:${PORT[good]} " "$HS_TMP/proxy.log"
# a proxy that is configured but down: the request fails, it does not go direct
kill "${started_pids[-1]}" 2>/dev/null; wait "${started_pids[-1]}" 2>/dev/null
hits_before=$(grep -c HEAD "$HS_TMP/access-good.log")
hd "$(url good)" --ca "$CA" --timeout 10000
check "proxy down: failure, not a direct connection (rc=$rc, $(field "$out" detail))" \
  [ "$rc" -eq 1 -a "$(grep -c HEAD "$HS_TMP/access-good.log")" = "$hits_before" ]
ie_proxy ""

finish
