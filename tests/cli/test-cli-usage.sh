#!/bin/sh
# test-cli-usage.sh CLI — every usage error of handshake-cli: exit code 2,
# nothing run (stdout empty), one line on stderr that names the bad
# argument, then at most one line pointing to --help. TAP.
CLI=${1:?usage: test-cli-usage.sh PATH-TO-handshake-cli}
. "$(dirname "$0")/lib.sh"

# usage NAMED DESCRIPTION ARGS... — a usage error whose first stderr line
# contains NAMED (fixed string).
usage () {
  named=$1 desc=$2; shift 2
  "$CLI" "$@" </dev/null >"$OUT" 2>"$ERR"
  rc=$?
  lines=$(wc -l <"$ERR")
  first=$(head -1 "$ERR")
  second=$(sed -n 2p "$ERR")
  if [ "$rc" != 2 ]; then
    echo "# exit $rc, want 2"; fail "$desc"
  elif [ -s "$OUT" ]; then
    echo "# something ran: stdout not empty"; fail "$desc"
  elif [ "$lines" -gt 2 ]; then
    echo "# $lines lines on stderr, want at most 2"; fail "$desc"
  elif ! printf '%s\n' "$first" | grep -qF -- "$named"; then
    echo "# first line does not name \"$named\""; fail "$desc"
  elif [ -n "$second" ] && ! printf '%s\n' "$second" | grep -qF -- "--help"; then
    echo "# second line is not the pointer to --help"; fail "$desc"
  else
    ok "$desc"
  fi
}

# 1. --step
usage "--step" "--step 0 is refused like --step 9" check --step 0 --practice
usage "--step" "--step 9" check --step 9 --practice
usage "--step" "--step -1" check --step -1 --practice
usage "--step" "--step 2x" check --step 2x --practice
usage "--step" "fix --step 0" fix --step 0 --practice --yes
run 1 "--step 2 still works" check --step 2 --practice

# 2. --timeout
for t in nan NaN inf -inf infinity 1e999 3x "3 " "" 121 -1 0x10; do
  usage "--timeout" "--timeout '$t'" check --step 2 --practice --timeout "$t"
done
run 1 "--timeout 0.5 still works" check --step 2 --practice --timeout 0.5
run 1 "--timeout=2 still works" check --step 2 --practice --timeout=2

# 3. time sources: a malformed one is a usage error, never a measurement
usage "--time-server" "--time-server ''" check --step 1 --time-server ''
usage "host:99999" "--time-server host:99999" check --step 1 --time-server host:99999
usage "host:0" "--time-server host:0" check --step 1 --time-server host:0
usage "[::1" "--time-server '[::1'" check --step 1 --time-server '[::1'
usage "a b" "--time-server 'a b'" check --step 1 --time-server 'a b'
usage "bad:port" "second --time-server bad" check --step 1 --time-server 127.0.0.1:9 --time-server bad:port
usage "ftp://x" "--https-time-url ftp://x" check --step 1 --https-time-url ftp://x
usage "http://127.0.0.1/" "--https-time-url http:// (not HTTPS)" check --step 1 --https-time-url http://127.0.0.1/
usage "https://" "--https-time-url https:// without a host" check --step 1 --https-time-url https://
usage "https://h:99999/" "--https-time-url with a bad port" check --step 1 --https-time-url https://h:99999/
# '' still turns the fallback off (documented); a well-formed source runs.
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run 3 "--https-time-url '' is off, well-formed server runs" check --step 1 --time-server "127.0.0.1:$PORT" --https-time-url '' --timeout 0.3
run 3 "[::1]:PORT is well-formed" check --step 1 --time-server "[::1]:$PORT" --https-time-url '' --timeout 0.3

# commands and arguments
usage "frobnicate" "unknown command named" frobnicate --practice
usage "extra" "extra argument named" check extra --practice
usage "restore" "restore without a file" restore --practice
usage "--elevated-action" "--elevated-action off Windows" --elevated-action resync
# 6. --practice takes its value only with "=": a word after it is an
# argument, and the message says how to name a scenario.
usage "--practice=healthy" "check --practice healthy: says to write --practice=healthy" check --practice healthy
run 0 "check --practice=healthy" check --practice=healthy
usage "nope" "--practice=nope names the scenario" check --practice=nope

# 9. a scenario that says nothing is not a healthy computer
EMPTY=$(mktemp --suffix=.ini)
usage "$EMPTY" "--practice=EMPTY-FILE" check --practice="$EMPTY"
printf '# nothing\n[scenario]\n' >"$EMPTY"
usage "$EMPTY" "--practice=FILE with no key" check --practice="$EMPTY"
rm -f "$EMPTY"

# 10. --version
run 0 "--version" --version
if grep -qE '^handshake-cli [0-9]+\.[0-9]+\.[0-9]+$' "$OUT" && [ ! -s "$ERR" ]; then ok "--version prints the version"; else fail "--version prints the version"; fi

# The network check and explain (issue 14) follow the same rule.
usage "--signin-url" "--signin-url http:// is refused" check --network --signin-url http://login.example.test/ --practice
usage "--signin-url" "--signin-url without a host" check --network --signin-url https:// --practice
usage "--step" "check --network takes no --step" check --network --step 1 --practice
usage "explain" "explain without a code" explain --practice
usage "unexpected argument" "explain with two codes" explain 0xCAA20003 0xCAA20004 --practice

finish
