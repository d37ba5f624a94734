# lib-app.sh — helpers for the suites of the Windows program (sourced after
# tests/win32/lib.sh by each test-*.sh here). They run the packages that
# build-aux/windows/release.sh left in $HS_DIST: the portable zip, unpacked,
# or the MSI, installed by Wine's msiexec. Real mode: no --practice.
: "${HS_DIST:?}" "${HS_VERSION:?}"
ZIP="$HS_DIST/handshake-$HS_VERSION-windows-x64.zip"
MSI="$HS_DIST/handshake-$HS_VERSION-x64.msi"
for f in "$ZIP" "$MSI"; do
  [ -f "$f" ] || { echo "FAIL: $f missing: run build-aux/windows/release.sh first"; exit 1; }
done

# unpack_zip: the portable folder, as a user unzips it; sets APP.
unpack_zip() {
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$ZIP" "$HS_TMP/portable" || { echo "FAIL: unzip"; exit 1; }
  APP="$HS_TMP/portable/handshake-$HS_VERSION"
}

# Windows programs end their lines with CR LF when they write to a pipe.
cli() { wine "$APP/handshake-cli.exe" "$@" | tr -d '\r'; return "${PIPESTATUS[0]}"; }

# winenv NAME: an environment variable as the Windows side sees it.
winenv() { wine cmd /c "echo %$1%" 2>/dev/null | tr -d '\r'; }

# json FILE EXPR: a value from a report, EXPR in Python over `r`.
json() { python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# start_chrony OFFSET: a real chronyd on 127.0.0.1 serving a clock shifted by
# OFFSET (libfaketime, e.g. -5m); sets CHRONY_PORT. Stopped when the test ends.
start_chrony() {
  local dir="$HS_TMP/chrony"
  mkdir -p "$dir"
  CHRONY_PORT=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > "$dir/chrony.conf" <<EOC
port $CHRONY_PORT
bindaddress 127.0.0.1
allow 127.0.0.1
local stratum 1
cmdport 0
pidfile $dir/chronyd.pid
driftfile $dir/chronyd.drift
EOC
  # -x: never touch this machine's clock; -d: foreground; -u root: no user switch.
  faketime -f "$1" "$(command -v chronyd || echo /usr/sbin/chronyd)" -x -d -u root -f "$dir/chrony.conf" \
    > "$dir/chronyd.log" 2>&1 &
  # faketime runs chronyd as its child: stop chronyd by its pid file.
  trap "kill \$(cat '$dir/chronyd.pid' 2>/dev/null) 2>/dev/null" EXIT
  # Ready when it answers one SNTP query.
  python3 - "$CHRONY_PORT" <<'PY' || { echo "FAIL: chronyd did not answer"; cat "$dir/chronyd.log"; exit 1; }
import socket, sys, time
port = int(sys.argv[1])
deadline = time.time() + 10
while time.time() < deadline:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.2)
    try:
        s.sendto(b"\x23" + b"\0" * 47, ("127.0.0.1", port))
        if len(s.recv(48)) == 48:
            sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}

# test_ca DIR NAME CN: an RSA CA (DIR/NAME.pem, .key) called CN and a
# certificate for localhost from it (DIR/leaf-NAME.pem, .key). RSA: Wine 8's
# crypt32 rejects ECDSA-signed chains ("bad signature").
test_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 \
    -subj "/CN=$3" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign -keyout "$1/$2.key" -out "$1/$2.pem" 2>/dev/null
  openssl req -new -newkey rsa:2048 -nodes -subj /CN=localhost \
    -keyout "$1/leaf-$2.key" -out "$1/leaf-$2.csr" 2>/dev/null
  openssl x509 -req -in "$1/leaf-$2.csr" -CA "$1/$2.pem" -CAkey "$1/$2.key" -CAcreateserial \
    -days 30 -extfile <(printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n') \
    -out "$1/leaf-$2.pem" 2>/dev/null
}
