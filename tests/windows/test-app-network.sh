# The network check of the sign-in path in handshake-cli.exe (portable zip,
# real mode), under Wine: WinHTTP's proxy settings, Winsock for the name and
# the TCP connection, WinHTTP for CONNECT and TLS, CryptoAPI for the chain.
# Servers on 127.0.0.1 only: nginx with a test CA (RSA: Wine 8's crypt32
# rejects ECDSA-signed chains), a port nobody listens on, a listener that
# never speaks, proxies that refuse or pass CONNECT, and an unresolvable name.
#
# What Wine 8 cannot do, and what this suite does instead (see also
# core/win32/README.md, "The network check on Windows"):
#  - CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL_F12) is not
#    implemented (crypt32's chain.c: "unimplemented for 9", the call returns
#    FALSE): the root program check reports "unavailable". Asserted below, so
#    the day Wine implements it this suite says so.
#  - Wine has no Microsoft Root Program: no root of its store (imported
#    from the host's) carries CERT_AUTH_ROOT_SHA256_HASH_PROP_ID, so by the
#    Windows rule every root is "installed locally". The public case is
#    tested through the seam (--public-roots: the test CA counts as public);
#    the default rule runs, and is asserted, on the test CA (local).
#  - WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY is not used by the check anyway: it
#    reports and uses the proxy of the explicit lookup, which Wine does
#    (the manual proxy in the IE settings is set below).
. "$HS_SUITE_DIR/lib-app.sh"
unpack_zip
PKI="$HS_TMP/pki"; mkdir -p "$PKI"
test_ca "$PKI" ca "Handshake net test CA"
check "test certificates made" [ -s "$PKI/leaf-ca.pem" ]

good=$(free_port); silent=$(free_port); proxy=$(free_port); closed=$(free_port); fwd=$(free_port)
nginx_conf on "
  server { listen 127.0.0.1:$good ssl; ssl_certificate $PKI/leaf-ca.pem;
           ssl_certificate_key $PKI/leaf-ca.key; location / { return 200; } }"
nginx -c "$HS_TMP/nginx.conf" -p "$HS_TMP" >"$HS_TMP/nginx-start.log" 2>&1 &
trap 'kill "${started_pids[@]}" $(cat "$HS_TMP/nginx.pid" 2>/dev/null) 2>/dev/null' EXIT
# A listener that never answers, a proxy that refuses every CONNECT and one
# that passes it on (tests/win32/loopback-servers.py).
check "silent listener started" start_py silent "$silent"
check "refusing proxy started" start_py refusing-proxy "$proxy" "$HS_TMP/refusing.log"
check "forwarding proxy started" start_py proxy "$fwd" "$HS_TMP/proxy.log"
wait_port "$good"

CA=$(winpath "$PKI/ca.pem")
# net ARGS... : handshake-cli.exe check --network --json; sets $rc, $ms, $J (the file)
n=0
net() {
  n=$((n + 1)); J="$HS_TMP/net-$n.json"
  local t0; t0=$(date +%s%N)
  cli check --network --json "$@" > "$J"; rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  echo "# check --network $* -> exit $rc in $ms ms: $(json "$J" 'r["network"]["endpoints"][0]["code"]') $(json "$J" 'r["network"]["endpoints"][0]["findings"].get("reason", "")')"
}
ep() { json "$J" "r['network']['endpoints'][0]$1"; }

# Wine's own start, for the time bounds.
t0=$(date +%s%N); cli --help >/dev/null 2>&1; base_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "# baseline: handshake-cli.exe --help under Wine takes $base_ms ms"

# 1. the test CA listed as public (the seam): all good, exit 0
net --signin-url "https://localhost:$good/" --https-ca-file "$CA" --public-roots "$CA"
check "good server, public root (seam): net.ok, exit 0 ($rc)" \
  [ "$(ep "['code']")" = net.ok -a "$rc" -eq 0 ]
check "good server: root public, stage done" \
  [ "$(ep "['findings']['root']")" = public -a "$(ep "['findings']['stage']")" = done ]
check "good server: the name, the connection and TLS each timed" \
  python3 -c "import json,sys; f=json.load(open('$J'))['network']['endpoints'][0]['findings']; sys.exit(not all(k in f and f[k] >= 0 for k in ('dns_ms','connect_ms','tls_ms')))"
check "good server: resolved localhost, connected to 127.0.0.1:$good" \
  [ "$(ep "['findings']['resolved_name']")" = localhost -a "$(ep "['findings']['connected_to']")" = "127.0.0.1:$good" ]
check "nginx saw the HEAD" grep -q '"HEAD / HTTP/1.1"' "$HS_TMP/access.log"
f12=$(ep "['findings'].get('root_program', '')")
echo "# CERT_CHAIN_POLICY_SSL_F12 under Wine: $f12"
check "Wine: the root program check (SSL_F12) reports itself unavailable ($f12)" \
  bash -c "[[ '$f12' == unavailable* ]]"

# 2. the same CA, not listed: by the Windows rule (no AuthRoot property) it was
#    installed locally: inspection, naming the CA
net --signin-url "https://localhost:$good/" --https-ca-file "$CA"
check "trusted but not public: net.inspected, exit 1 ($rc)" \
  [ "$(ep "['code']")" = net.inspected -a "$rc" -eq 1 ]
check "net.inspected names the root ($(ep "['findings'].get('root_name')"))" \
  [ "$(ep "['findings'].get('root_name')")" = "Handshake net test CA" ]
check "net.inspected: Teams code 0xCAA70004" [ "$(ep "['teams_code']")" = 0xCAA70004 ]

# 3. without the CA: the Windows store of the prefix does not know it
net --signin-url "https://localhost:$good/"
check "unknown CA: net.tls, the root untrusted ($(ep "['findings'].get('reason')"))" \
  [ "$(ep "['code']")" = net.tls -a "$(ep "['findings'].get('root')")" = untrusted ]

# 4. a name that cannot resolve
net --signin-url "https://unresolvable.invalid/" --timeout 5
check "unresolvable: net.dns (0xCAA82EE7), exit 1" \
  [ "$(ep "['code']")" = net.dns -a "$(ep "['teams_code']")" = 0xCAA82EE7 -a "$rc" -eq 1 ]
check "unresolvable: within the 5 s bound ($ms ms < 5000 + Wine start)" [ "$ms" -lt $((5000 + base_ms + 1500)) ]

# 5. a port nobody listens on
net --signin-url "https://localhost:$closed/" --timeout 5
check "refused: net.connect (0xCAA70007), stage connect" \
  [ "$(ep "['code']")" = net.connect -a "$(ep "['findings']['stage']")" = connect ]
check "refused: fast ($ms ms < 3000 + Wine start)" [ "$ms" -lt $((3000 + base_ms)) ]

# 6. a server that accepts and never speaks: the bound holds
net --signin-url "https://localhost:$silent/" --https-ca-file "$CA" --timeout 2
check "silent: net.timeout (0xCAA82EE2)" [ "$(ep "['code']")" = net.timeout -a "$(ep "['teams_code']")" = 0xCAA82EE2 ]
check "silent: the 2 s bound holds ($ms ms < 2000 + 1500 + Wine start)" [ "$ms" -lt $((3500 + base_ms)) ]
check "silent: at least the bound ($ms ms >= 1900)" [ "$ms" -ge 1900 ]

# 7. the user's proxy (IE settings, as in tests/win32/test-https-date.sh)
#    refuses CONNECT: net.proxy, the proxy's status kept
ie_proxy "127.0.0.1:$proxy"
net --signin-url "https://login.example.test/" --timeout 5
check "proxy refuses CONNECT: net.proxy (0xCAA70004), exit 1" \
  [ "$(ep "['code']")" = net.proxy -a "$(ep "['teams_code']")" = 0xCAA70004 -a "$rc" -eq 1 ]
check "proxy: reported as http://127.0.0.1:$proxy from WinHTTP's manual setting" \
  [ "$(ep "['findings']['proxy']")" = "http://127.0.0.1:$proxy" -a "$(ep "['findings'].get('proxy_source')")" = "WinHTTP: manual" ]
check "proxy: its status 403 kept" [ "$(ep "['findings'].get('tunnel_status')")" = 403 ]
check "proxy: the name resolved is the proxy's" [ "$(ep "['findings'].get('resolved_name')")" = 127.0.0.1 ]
check "the proxy saw CONNECT login.example.test:443" grep -q "^CONNECT login.example.test:443 " "$HS_TMP/refusing.log"

# 7b. a proxy that passes CONNECT on: the whole way through it
ie_proxy "127.0.0.1:$fwd"
net --signin-url "https://localhost:$good/" --https-ca-file "$CA" --public-roots "$CA" --timeout 5
check "through a working proxy: net.ok, tunnel 200, stage done" \
  [ "$(ep "['code']")" = net.ok -a "$(ep "['findings'].get('tunnel_status')")" = 200 -a "$(ep "['findings']['stage']")" = done ]
check "through a working proxy: the proxy saw our CONNECT and WinHTTP's" \
  [ "$(grep -c "^CONNECT localhost:$good " "$HS_TMP/proxy.log")" -ge 2 ]
ie_proxy ""

# 8. the stages, in order, as the Windows layer reports them (the probe)
out=$(probe net-check "https://localhost:$good/" --ca "$CA" --public-roots "$CA" --timeout 5000)
echo "# probe: $out"
check "probe: stages proxy,dns,connect,tls in that order" [ "$(field "$out" stages)" = proxy,dns,connect,tls ]
check "probe: failure none" [ "$(field "$out" failure)" = none ]

# 9. usage: only https://; one line naming --signin-url, then at most the
# pointer to --help (the rule of every usage error, issue 12)
err=$(cli check --network --signin-url "http://localhost:$good/" 2>&1 >/dev/null); rc=$?
err=$(printf '%s' "$err" | tr -d '\r')
check "--signin-url http:// refused: exit 2, one line naming it ($err)" \
  bash -c "[ $rc -eq 2 ] && printf '%s\n' \"\$1\" | head -n1 | grep -q -- --signin-url &&
           [ \$(printf '%s\n' \"\$1\" | wc -l) -le 2 ]" _ "$err"
finish
