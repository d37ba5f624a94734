#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite: the meson
# suites (core, clock, CLI, fault, and the UI under Xvfb), each with a home
# of its own under the build dir and failing if it writes to the real one
# (build-aux/test-home-guard.py); Handshake for
# Windows, cross-built with its GTK stack, packaged, and run under Wine (the
# Windows layer's suites and the program's own); then every native
# suite again, the UI under Xvfb included, under AddressSanitizer + UBSan
# (_build-asan-ui, clang; build-aux/lsan-ui.supp), the core suite under
# valgrind memcheck, and a 30 s libFuzzer smoke run per fuzz target
# (build-aux/fuzz.sh). Ends with one line
# "N passed, N failed, N skipped" over all of them.
# HS_TEST_LANES="native windows asan valgrind fuzz" picks lanes (default: all).
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD

bash build-aux/install-deps.sh || { echo "could not install dependencies"; echo "0 passed, 1 failed"; exit 1; }

status=0
logs=()
durations=()
lanes=" ${HS_TEST_LANES:-native windows asan valgrind fuzz} "
lanes=${lanes/ wine / windows }   # the lane's former name
lane () { [[ $lanes == *" $1 "* ]]; }
# Each lane's results are copied here: meson rewrites testlog.json per run.
mkdir -p _build-logs && rm -f _build-logs/*.json

# with_xvfb CMD...: CMD with an Xvfb of its own on a display nobody else
# holds (tests/lib-xvfb.sh; xvfb-run -a checks lock files only, and where
# containers share a network namespace the abstract X socket of that number
# may be another machine's).
with_xvfb () {
  ( . "$top/tests/lib-xvfb.sh" && start_xvfb 1280x1024x24 && "$@" )
}

run_suite () {
  local name=$1 dir=$2 log=${LOG_NAME:-testlog.json}; shift 2
  echo "=== $name ==="
  local t0=$SECONDS
  rm -f "$dir/meson-logs/$log"
  if ! "$@"; then status=1; fi
  if [ -f "$dir/meson-logs/$log" ]; then
    cp "$dir/meson-logs/$log" "_build-logs/$name.json"
    logs+=("_build-logs/$name.json")
  fi
  durations+=("$name: $((SECONDS - t0)) s")
}

# Native build: core, CLI, clock against real chrony/nginx, UI under Xvfb.
if [ ! -f _build/build.ninja ]; then
  meson setup _build || { echo "0 passed, 1 failed"; exit 1; }
fi
if ! lane native; then
  ninja -C _build >/dev/null || { echo "native build failed"; status=1; build_failed=1; }
elif ninja -C _build; then
  run_suite "native" _build with_xvfb \
    meson test -C _build --print-errorlogs --num-processes 2
else
  echo "native build failed"; status=1; build_failed=1
fi

# Handshake for Windows: the GTK stack cross-built from Debian's source
# packages (build-aux/windows/build-stack.sh, cached outside the tree and
# keyed by what went into it), the whole program cross-built against it,
# the portable zip and the per-user MSI (release.sh), then every Wine suite
# in that build: the Windows layer's (core/win32) and the program's own
# (tests/windows: the zip unpacked, the MSI installed, the wizard in Xvfb).
if lane windows; then
  t0=$SECONDS
  echo "=== windows: stack, build, packages ==="
  if HS_WINDOWS_BUILD=_build-windows bash build-aux/windows/release.sh; then
    durations+=("windows build and packages (stack included when not cached): $((SECONDS - t0)) s")
    run_suite "windows" _build-windows meson test -C _build-windows --print-errorlogs \
      --num-processes 1 --suite wine
  else
    echo "Windows build or packages failed"; status=1; build_failed=$(( ${build_failed:-0} + 1 ))
  fi
fi

# AddressSanitizer + UndefinedBehaviorSanitizer over every native suite, the
# UI under Xvfb included: one clang build (_build-asan-ui, -Dui=enabled so the
# UI cannot silently drop out of it). Leaks are errors (detect_leaks=1); so is
# any UBSan report. G_SLICE=always-malloc: GLib 2.74's slice allocator would
# otherwise hide use-after-free and leaks of GObjects and GLists from ASan.
# build-aux/lsan-ui.supp suppresses third-party false positives only
# (fontconfig's offset-encoded pointers; see the file), never Handshake code.
# GTK draws with cairo here (GDK_DEBUG=gl-disable, set by tests/ui/meson.build
# for sanitizer builds): GDK loads Mesa's software driver to probe EGL and
# unloads it, and its allocations then leak from an "<unknown module>" that
# no suppression can name. The native lane keeps the GL renderer.
# The old _build-asan tree (UI disabled) is no longer used.
if lane asan; then
  t0=$SECONDS
  echo "=== asan build ==="
  if [ ! -f _build-asan-ui/build.ninja ]; then
    CC=clang meson setup _build-asan-ui -Db_sanitize=address,undefined -Db_lundef=false \
      -Dui=enabled >/dev/null || status=1
  fi
  if [ -f _build-asan-ui/build.ninja ] && ninja -C _build-asan-ui >/dev/null; then
    # glibc 2.36 registers rseq for every thread; LLVM 14's LeakSanitizer
    # then intermittently cannot stop the world ("Tracer caught signal 11")
    # or misses pointers held by other threads (spurious 120-byte "leaks").
    # Timeouts doubled for the sanitizer overhead; the slowest UI test,
    # ui-wizard-ar, takes 30-45 s of its 300 s on the 2-core CI machine.
    G_SLICE=always-malloc \
    GLIBC_TUNABLES=glibc.pthread.rseq=0 \
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
    LSAN_OPTIONS=suppressions=$top/build-aux/lsan-ui.supp:print_suppressions=0 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      run_suite "asan" _build-asan-ui with_xvfb \
        meson test -C _build-asan-ui --print-errorlogs --num-processes 2 \
          --timeout-multiplier 2
  else
    echo "ASan build failed"; status=1; build_failed=$(( ${build_failed:-0} + 1 ))
  fi
  durations+=("asan lane with build: $((SECONDS - t0)) s")
fi

# valgrind memcheck over the core suite: zero "definitely lost" blocks and no
# memory errors. GLib's suppressions plus build-aux/sanitizers.supp (GLib
# internals only; see that file). The test setup 'valgrind' (meson.build)
# runs memcheck inside the guard every test runs in (its own home, nothing
# written to the real one), which a --wrap would replace.
if lane valgrind; then
  G_DEBUG=gc-friendly LOG_NAME=testlog-valgrind.json \
    run_suite "valgrind" _build meson test -C _build --print-errorlogs --suite core \
      --num-processes 2 --setup valgrind
fi

# libFuzzer smoke run: 30 s per target, one result per target (pass: no
# crash). Longer runs: build-aux/fuzz.sh SECONDS.
if lane fuzz; then
  t0=$SECONDS
  echo "=== fuzz ==="
  rm -f _build-logs/fuzz.json
  FUZZ_JUNIT=_build-logs/fuzz.json bash build-aux/fuzz.sh "${HS_FUZZ_SECONDS:-30}" || status=1
  if [ -s _build-logs/fuzz.json ]; then logs+=(_build-logs/fuzz.json); else
    echo "fuzz build failed"; status=1; build_failed=$(( ${build_failed:-0} + 1 )); fi
  durations+=("fuzz: $((SECONDS - t0)) s (with build)")
fi

echo "=== lane durations ==="
printf '  %s\n' "${durations[@]}"

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
