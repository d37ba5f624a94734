# lib.sh — helpers for the Wine suites (sourced by run-wine-test.sh).
# Paths: unix paths map to Z:\… in Wine; C:\ is $WINEPREFIX/drive_c.

winpath() {  # unix path -> Windows path through the Z: drive
  local p="$1"
  case "$p" in
    "$WINEPREFIX/drive_c"/*) p="C:${p#"$WINEPREFIX/drive_c"}" ;;
    *) p="Z:$p" ;;
  esac
  printf '%s' "${p//\//\\}"
}
SYS32="$WINEPREFIX/drive_c/windows/system32"
WINDIR="$WINEPREFIX/drive_c/windows"

probe() { wine "$HS_PROBE" "$@"; }
tool() { wine "$HS_TOOL" "$@"; }

fails=0
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() {  # check DESCRIPTION COMMAND... : passes when COMMAND succeeds
  local d="$1"; shift
  if "$@"; then pass "$d"; else fail "$d"; fi
}
finish() {
  if [ "$fails" -ne 0 ]; then echo "$fails assertion(s) failed"; exit 1; fi
  echo "all assertions passed"; exit 0
}

# field RECORD KEY: value of KEY= in a tab-separated record (escapes kept)
field() { printf '%s\n' "$1" | tr '\t' '\n' | sed -n "s/^$2=//p" | head -n1; }

# install_standin DEST_EXE CFG_TEXT: copy the stand-in to DEST_EXE, with
# hs-standin.cfg next to it
install_standin() {
  mkdir -p "$(dirname "$1")"
  rm -f "$1"; cp "$HS_STANDIN" "$1"
  printf '%s\n' "$2" > "$(dirname "$1")/hs-standin.cfg"
}

PS="$SYS32/WindowsPowerShell/v1.0/powershell.exe"
W32TM="$SYS32/w32tm.exe"
LOG="$HS_TMP/standin.log"
# cmdlines LOG: the CMDLINE entries of a stand-in log
cmdlines() { sed -n 's/^CMDLINE\t//p' "${1:-$LOG}" 2>/dev/null; }

# free_port: a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# nginx_conf FOREGROUND SERVERS: writes $HS_TMP/nginx.conf for an nginx on
# loopback whose files all live under $HS_TMP; SERVERS are its server { }
# blocks. FOREGROUND "on": "daemon off" (for a test that starts it with &).
nginx_conf() {
  mkdir -p "$HS_TMP/nginx-tmp"
  {
    [ "$1" = on ] && echo "daemon off;"
    cat <<EOC
worker_processes 1;
pid $HS_TMP/nginx.pid;
error_log $HS_TMP/nginx-error.log;
user $(id -un);
events { worker_connections 64; }
http {
  client_body_temp_path $HS_TMP/nginx-tmp;
  proxy_temp_path $HS_TMP/nginx-tmp;
  fastcgi_temp_path $HS_TMP/nginx-tmp;
  uwsgi_temp_path $HS_TMP/nginx-tmp;
  scgi_temp_path $HS_TMP/nginx-tmp;
  access_log $HS_TMP/access.log;
$2
}
EOC
  } > "$HS_TMP/nginx.conf"
}

# wait_port PORT: until something accepts on 127.0.0.1:PORT (5 s at most).
wait_port() {
  for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# ie_proxy PROXY: the user's manual proxy in the IE settings (PROXY is
# host:port; "" sets a direct connection again). Wine's WinHttpGetIEProxyConfigForCurrentUser reads what
# WinINet writes on Windows: the DefaultConnectionSettings blob (magic 0x46,
# a counter, flags 1 direct | 2 manual proxy, then length-prefixed proxy,
# bypass and PAC URL).
le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
hexstr() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
ie_proxy() {
  local blob flags=3
  [ -n "$1" ] || flags=1
  blob="$(le32 0x46)$(le32 1)$(le32 $flags)$(le32 ${#1})$(hexstr "$1")$(le32 0)$(le32 0)"
  blob="${blob}0000000000000000000000000000000000000000000000000000000000000000"
  wine reg add 'HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings\Connections' \
    /v DefaultConnectionSettings /t REG_BINARY /d "$blob" /f >/dev/null 2>&1
}

# start_py MODE PORT [ARGS]: one of loopback-servers.py's servers, in the
# background until the suite ends (cleanup kills started_pids; the newest
# is ${started_pids[-1]}); fails when nothing accepts on PORT within 5 s.
started_pids=()
start_py() {
  python3 "$HS_TESTS_DIR/loopback-servers.py" "$@" 2>>"$HS_TMP/servers.log" &
  started_pids+=($!)
  wait_port "$2"
}
