# Step 1 of handshake-cli.exe (portable zip, real mode) when no SNTP server
# answers: the fallback HTTPS Date request goes through WinHTTP. Against an
# nginx on loopback whose clock libfaketime puts 10 minutes behind, the
# program reads +600 s by "https-date"; against a server that accepts TCP
# and never speaks, it gives up within its --timeout and says it could not
# check; a certificate from an unknown CA is not believed. RSA keys: Wine
# 8's crypt32 rejects ECDSA-signed chains ("bad signature").
. "$HS_SUITE_DIR/lib-app.sh"
unpack_zip
PKI="$HS_TMP/pki"; mkdir -p "$PKI"

# A test CA and a certificate for localhost from it; another CA for the
# untrusted case.
for ca in ca other; do test_ca "$PKI" "$ca" "Handshake test $ca"; done
check "test certificates made" [ -s "$PKI/leaf-other.pem" ]

good=$(free_port); untrusted=$(free_port); silent=$(free_port)
nginx_conf on "
  server { listen 127.0.0.1:$good ssl; ssl_certificate $PKI/leaf-ca.pem;
           ssl_certificate_key $PKI/leaf-ca.key; location / { return 200; } }
  server { listen 127.0.0.1:$untrusted ssl; ssl_certificate $PKI/leaf-other.pem;
           ssl_certificate_key $PKI/leaf-other.key; location / { return 200; } }"
# faketime runs nginx as its child: stop nginx by its pid file, and keep
# both off the test's output (an orphan holding it open stalls the runner).
faketime -f -10m nginx -c "$HS_TMP/nginx.conf" -p "$HS_TMP" >"$HS_TMP/nginx-start.log" 2>&1 &
# A listener that never answers: the kernel completes the TCP handshake.
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); time.sleep(600)' "$silent" \
  >/dev/null 2>&1 &
silent_pid=$!
trap 'kill $silent_pid $(cat "$HS_TMP/nginx.pid" 2>/dev/null) 2>/dev/null' EXIT
wait_port "$good"

# No SNTP answer (a silent UDP port): only HTTPS can tell the time.
clock=(check --step 1 --time-server 127.0.0.1:9 --https-ca-file "$(winpath "$PKI/ca.pem")" --json)
cli "${clock[@]}" --https-time-url "https://localhost:$good/" --timeout 5 > "$HS_TMP/good.json"; rc=$?
offset=$(json "$HS_TMP/good.json" 'r["steps"][0]["findings"].get("offset_seconds", "none")')
echo "# offset through WinHTTP: $offset"
check "HTTPS Date through WinHTTP: method https-date" \
  [ "$(json "$HS_TMP/good.json" 'r["steps"][0]["findings"].get("method")')" = https-date ]
check "HTTPS Date: +600 s within its 1 s resolution ($offset), clock.skew, exit 1" \
  bash -c "python3 -c \"import sys; sys.exit(abs(float('$offset') - 600) > 1.6)\" && [ '$(json "$HS_TMP/good.json" 'r["steps"][0]["code"]')' = clock.skew ] && [ $rc -eq 1 ]"
check "nginx saw a HEAD request" grep -q '"HEAD / HTTP/1.1"' "$HS_TMP/access.log"

t0=$(date +%s%N)
cli "${clock[@]}" --https-time-url "https://localhost:$silent/" --timeout 2 > "$HS_TMP/silent.json"; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "# silent server: answered in $ms ms (Wine start included)"
check "a silent server: clock.unreachable, exit 3" \
  [ "$(json "$HS_TMP/silent.json" 'r["steps"][0]["code"]')" = clock.unreachable -a "$rc" -eq 3 ]
check "a silent server: the 2 s bound holds ($ms ms, under 4 s with Wine's start)" [ "$ms" -lt 4000 ]

cli "${clock[@]}" --https-time-url "https://localhost:$untrusted/" --timeout 5 > "$HS_TMP/untrusted.json"; rc=$?
check "a certificate from an unknown CA: no offset believed (clock.unreachable)" \
  [ "$(json "$HS_TMP/untrusted.json" 'r["steps"][0]["code"]')" = clock.unreachable ]
check "…and the attempt says why (certificate)" grep -qi 'certificate\|tls\|issuer' "$HS_TMP/untrusted.json"
finish
