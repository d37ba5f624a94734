#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite: the meson
# suites (core, clock, CLI, and the UI under Xvfb) and the Wine suites of the
# Windows layer (cross-compiled with mingw-w64). Ends with one line
# "N passed, N failed, N skipped" over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD

bash build-aux/install-deps.sh || { echo "could not install dependencies"; echo "0 passed, 1 failed"; exit 1; }

status=0
logs=()

run_suite () {
  local name=$1 dir=$2; shift 2
  echo "=== $name ==="
  if ! "$@"; then status=1; fi
  [ -f "$dir/meson-logs/testlog.json" ] && logs+=("$dir/meson-logs/testlog.json")
}

# Native build: core, CLI, clock against real chrony/nginx, UI under Xvfb.
if [ ! -f _build/build.ninja ]; then
  meson setup _build || { echo "0 passed, 1 failed"; exit 1; }
fi
if ninja -C _build; then
  run_suite "native" _build xvfb-run -a -s "-screen 0 1280x1024x24" \
    meson test -C _build --print-errorlogs --num-processes 2
else
  echo "native build failed"; status=1; build_failed=1
fi

# Cross build of the Windows layer, tested under Wine.
if [ ! -f _build-win/build.ninja ]; then
  meson setup _build-win --cross-file build-aux/cross-mingw-w64.txt || status=1
fi
if [ -f _build-win/build.ninja ] && ninja -C _build-win; then
  run_suite "wine" _build-win meson test -C _build-win --print-errorlogs --num-processes 1
else
  echo "Windows cross build failed"; status=1; build_failed=1
fi

python3 - "${build_failed:-0}" "${logs[@]}" <<'PY'
import json, sys
build_failed = int(sys.argv[1])
passed = failed = skipped = 0
for path in sys.argv[2:]:
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line).get("result")
            if r in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif r == "SKIP":
                skipped += 1
            else:
                failed += 1
failed += build_failed
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
