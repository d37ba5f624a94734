#!/usr/bin/env bash
# bench/run.sh [RUNS] — builds a release tree (_build-release, and the
# mingw-w64 cross tree _build-win for the Wine figures) and prints
#   metric | target | measured | machine
# Not a test: nothing here fails on a missed target; the figures and their
# targets are recorded in bench/README.md. RUNS (default 20) is the number
# of time-to-verdict runs of the fast case.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
runs=${1:-20}
rel=_build-release
out=$rel/bench
machine="$(nproc) cpu, $(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo | head -1 | cut -c1-32), load $(cut -d' ' -f1 /proc/loadavg)"

if [ ! -f $rel/build.ninja ]; then
  meson setup $rel -Dbuildtype=release >/dev/null || { echo "bench: meson setup failed"; exit 1; }
fi
ninja -C $rel >/dev/null || { echo "bench: release build failed"; exit 1; }
mkdir -p $out

pc="glib-2.0 gio-2.0 jansson libsoup-3.0 gnutls"
inc="-I$rel -Icore -Icore/clock -Icore/net -Icore/port -Icore/practice -Icore/steps -Itests/clock"
cc -O2 -std=gnu11 $inc bench/bench-native.c -o $out/bench-native \
  $rel/tests/clock/libhs_test_servers.a $rel/core/libhandshake.a $rel/core/port/libhs-port.a \
  $(pkg-config --cflags --libs $pc) -lm || exit 1

have_ui=0
if [ -f $rel/ui/libhs-ui.a ]; then
  cc -O2 -std=gnu11 $inc -Iui -I$rel/ui bench/bench-ui.c -o $out/bench-ui \
    $rel/ui/libhs-ui.a $rel/core/libhandshake.a $rel/core/port/libhs-port.a \
    $(pkg-config --cflags --libs $pc gtk4 libadwaita-1) -lm && have_ui=1
fi

have_win=0
if [ ! -f _build-win/build.ninja ]; then
  meson setup _build-win --cross-file build-aux/cross-mingw-w64.txt >/dev/null
fi
if ninja -C _build-win >/dev/null 2>&1; then
  x86_64-w64-mingw32-gcc -O2 -municode -DUNICODE -D_UNICODE -D_WIN32_WINNT=0x0A00 \
    -Icore/win32 -Icore/port bench/bench-win32-creds.c -o $out/bench-win32-creds.exe \
    _build-win/core/win32/libhs-win32.a _build-win/core/port/libhs-port.a \
    -ladvapi32 -lcrypt32 -lnetapi32 -lshell32 -lole32 -luser32 -luuid && have_win=1
fi

# an Xvfb of its own on a display nobody else holds (tests/lib-xvfb.sh)
with_xvfb () { ( . "$top/tests/lib-xvfb.sh" && start_xvfb 1280x1024x24 && "$@" ); }

declare -A m
collect () { while IFS='=' read -r k v; do [ -n "$k" ] && m[$k]=$v; done; }

echo "# time to verdict and clock accuracy (loopback chronyd/nginx)" >&2
collect < <(HANDSHAKE_DATADIR=$top/data GSETTINGS_BACKEND=memory GIO_USE_VFS=local \
  no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost \
  $out/bench-native "$top/$rel/cli/handshake-cli" "$runs" | tee $out/native.txt)

if [ $have_ui = 1 ]; then
  # Handshake and a bare libadwaita window, interleaved in one run, with
  # GTK's cairo renderer (the goals are stated for it: Xvfb has no GPU, and
  # the default GL renderer runs on llvmpipe, software GL), then again with
  # the default renderer for the record.
  echo "# wizard under Xvfb, beside a bare libadwaita window" >&2
  collect < <(HANDSHAKE_DATADIR=$top/data GSETTINGS_BACKEND=memory GDK_DEBUG=default-settings \
    NO_AT_BRIDGE=1 XDG_CACHE_HOME=$top/$out/cache GSK_RENDERER=cairo \
    with_xvfb $out/bench-ui 10 | tee $out/ui-cairo.txt)
  collect < <(HANDSHAKE_DATADIR=$top/data GSETTINGS_BACKEND=memory GDK_DEBUG=default-settings \
    NO_AT_BRIDGE=1 XDG_CACHE_HOME=$top/$out/cache \
    with_xvfb $out/bench-ui 10 | sed 's/^/gl-/' | tee $out/ui-gl.txt)
fi

if [ $have_win = 1 ]; then
  echo "# Credential Manager under Wine" >&2
  export WINEDEBUG=-all DISPLAY= WAYLAND_DISPLAY= WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=d;mshtml=d"
  export WINEPREFIX=$top/$out/wine
  rm -rf "$WINEPREFIX"; wineboot -i >/dev/null 2>&1; wineserver -p; wine cmd /c exit 0 >/dev/null 2>&1
  wine _build-win/hs-wine-tool.exe plant-creds 10000 'Z:\tmp\hs-bench-manifest.tsv' >/dev/null 2>&1 \
    || wine "$(find _build-win -name hs-wine-tool.exe | head -1)" plant-creds 10000 'Z:\tmp\hs-bench-manifest.tsv' >/dev/null
  rm -f $out/win-scan.txt
  for i in 1 2 3; do
    wine $out/bench-win32-creds.exe scan 2>/dev/null | tr -d '\r' >> $out/win-scan.txt
  done
  m[scan-ms]=$(sed -n 's/^scan-ms=//p' $out/win-scan.txt | sort -n | sed -n 2p)
  m[scanned]=$(sed -n 's/^scanned=//p' $out/win-scan.txt | tail -1)
  m[raw-ms]=$(sed -n 's/^credenumeratew-alone-ms=//p' $out/win-scan.txt | sort -n | sed -n 2p)
  m[classify-ms]=$(sed -n 's/^classify-ms=//p' $out/win-scan.txt | sort -n | sed -n 2p)
  collect < <(wine $out/bench-win32-creds.exe delete 1000 'C:\hs-bench-backups' 2>/dev/null | tr -d '\r' | tee $out/win-delete.txt)
  wineserver -k
fi

v () { echo "${m[$1]:-not measured}"; }
printf '%s\n' \
  "metric | target | measured | machine" \
  "--- | --- | --- | ---" \
  "time to verdict, 4 checks, local chronyd (in-process, median of $runs) | ≤ 150 ms | $(v verdict-engine-sntp-median-ms) ms (max $(v verdict-engine-sntp-max-ms)) | $machine" \
  "time to verdict, handshake-cli check wall time (median of $runs) | ≤ 150 ms | $(v verdict-cli-sntp-median-ms) ms (max $(v verdict-cli-sntp-max-ms)) | $machine" \
  "time to verdict, SNTP dead, HTTPS reachable (cli median) | ≤ 3.5 s | $(v verdict-cli-https-only-median-ms) ms (max $(v verdict-cli-https-only-max-ms); in-process $(v verdict-engine-https-only-median-ms)) | $machine" \
  "time to verdict, nothing reachable (cli median) | ≤ 3.5 s | $(v verdict-cli-unreachable-median-ms) ms (max $(v verdict-cli-unreachable-max-ms); in-process $(v verdict-engine-unreachable-median-ms)) | $machine" \
  "clock error vs chronyd faked +5 min / −5 min (max of 5) | ≤ 20 ms | $(v accuracy-+5m-max-error-ms) / $(v accuracy--5m-max-error-ms) ms | $machine" \
  "clock error vs chronyd faked +2 h / −2 h (max of 5) | ≤ 20 ms | $(v accuracy-+2h-max-error-ms) / $(v accuracy--2h-max-error-ms) ms | $machine" \
  "UI cold start to first frame, Handshake ÷ bare libadwaita window, same run, cairo (medians of 10) | ≤ 1.10× | $(v ui-cold-start-ratio)× ($(v ui-cold-start-ms-median) ms ÷ $(v bare-cold-start-ms-median) ms; max $(v ui-cold-start-ms-max) / $(v bare-cold-start-ms-max) ms); GL (llvmpipe): $(v gl-ui-cold-start-ratio)× ($(v gl-ui-cold-start-ms-median) ÷ $(v gl-bare-cold-start-ms-median) ms) | $machine, Xvfb" \
  "UI resident memory after the run, Handshake − bare window, cairo (medians of 10) | ≤ +20 MB | +$(v ui-rss-over-bare-mb) MB ($(v ui-rss-mb-median) − $(v bare-rss-mb-median) MB); GL: +$(v gl-ui-rss-over-bare-mb) MB ($(v gl-ui-rss-mb-median) − $(v gl-bare-rss-mb-median) MB) | $machine, Xvfb" \
  "UI longest main-loop stall from a click until its page settled, worst interaction, cairo (medians of 10) | ≤ 16 ms | $(v ui-stall-worst-interaction-ms-median) ms; GL: $(v gl-ui-stall-worst-interaction-ms-median) ms | $machine, Xvfb" \
  "— switch to step 1 (median / max of 10, cairo; GL median) | ≤ 16 ms | $(v ui-stall-switch-step1-ms-median) / $(v ui-stall-switch-step1-ms-max) ms; GL $(v gl-ui-stall-switch-step1-ms-median) ms | $machine, Xvfb" \
  "— switch to step 2 (median / max of 10, cairo; GL median) | ≤ 16 ms | $(v ui-stall-switch-step2-ms-median) / $(v ui-stall-switch-step2-ms-max) ms; GL $(v gl-ui-stall-switch-step2-ms-median) ms | $machine, Xvfb" \
  "— switch to step 3 (median / max of 10, cairo; GL median) | ≤ 16 ms | $(v ui-stall-switch-step3-ms-median) / $(v ui-stall-switch-step3-ms-max) ms; GL $(v gl-ui-stall-switch-step3-ms-median) ms | $machine, Xvfb" \
  "— switch to step 4 (median / max of 10, cairo; GL median) | ≤ 16 ms | $(v ui-stall-switch-step4-ms-median) / $(v ui-stall-switch-step4-ms-max) ms; GL $(v gl-ui-stall-switch-step4-ms-median) ms | $machine, Xvfb" \
  "— switch to the summary (median / max of 10, cairo; GL median) | ≤ 16 ms | $(v ui-stall-switch-summary-ms-median) / $(v ui-stall-switch-summary-ms-max) ms; GL $(v gl-ui-stall-switch-summary-ms-median) ms | $machine, Xvfb" \
  "— fix step 1 (clock) (median / max of 10, cairo; GL median) | ≤ 16 ms | $(v ui-stall-fix-step1-ms-median) / $(v ui-stall-fix-step1-ms-max) ms; GL $(v gl-ui-stall-fix-step1-ms-median) ms | $machine, Xvfb" \
  "— step 2: Remove selected opens the confirmation (median / max of 10, cairo; GL median) | ≤ 16 ms | $(v ui-stall-fix-step2-confirm-dialog-ms-median) / $(v ui-stall-fix-step2-confirm-dialog-ms-max) ms; GL $(v gl-ui-stall-fix-step2-confirm-dialog-ms-median) ms | $machine, Xvfb" \
  "— step 2: confirmed, removed (median / max of 10, cairo; GL median) | ≤ 16 ms | $(v ui-stall-fix-step2-ms-median) / $(v ui-stall-fix-step2-ms-max) ms; GL $(v gl-ui-stall-fix-step2-ms-median) ms | $machine, Xvfb" \
  "— fix step 3 (sign-in helper) (median / max of 10, cairo; GL median) | ≤ 16 ms | $(v ui-stall-fix-step3-ms-median) / $(v ui-stall-fix-step3-ms-max) ms; GL $(v gl-ui-stall-fix-step3-ms-median) ms | $machine, Xvfb" \
  "— step 4: open Settings (guided) (median / max of 10, cairo; GL median) | ≤ 16 ms | $(v ui-stall-fix-step4-ms-median) / $(v ui-stall-fix-step4-ms-max) ms; GL $(v gl-ui-stall-fix-step4-ms-median) ms | $machine, Xvfb" \
  "— Check again (step 1) (median / max of 10, cairo; GL median) | ≤ 16 ms | $(v ui-stall-check-again-ms-median) / $(v ui-stall-check-again-ms-max) ms; GL $(v gl-ui-stall-check-again-ms-median) ms | $machine, Xvfb" \
  "the checks: Start until the results settled (not one of the interactions above) (median / max of 10, cairo; GL median) | ≤ 16 ms | $(v ui-stall-checks-ms-median) / $(v ui-stall-checks-ms-max) ms; GL $(v gl-ui-stall-checks-ms-median) ms | $machine, Xvfb" \
  "credential scan + classification, $(v scanned) credentials (Wine, QPC, median of 3) | ≤ 300 ms | $(v scan-ms) ms (of which CredEnumerateW alone $(v raw-ms) ms, classification $(v classify-ms) ms) | $machine, Wine $(wine --version 2>/dev/null)" \
  "deletion of $(v deleted) credentials with backup (Wine, QPC) | ≤ 2 s | $(v delete-ms) ms | $machine, Wine"
