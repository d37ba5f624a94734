#!/usr/bin/env bash
# build-aux/fuzz.sh [SECONDS] — builds the libFuzzer targets (clang,
# -Dfuzzing=true, no UI) into _build-fuzz and runs each one for SECONDS
# (default 30), one at a time, on a copy of its committed seed corpus.
# Prints executions, coverage and findings per target; exits non-zero if any
# target crashed (the crashing input is kept in _build-fuzz/findings/).
# FUZZ_TARGETS="fuzz-sntp fuzz-backup" limits the run; FUZZ_JUNIT=FILE (used
# by build-aux/test.sh) also writes one result per target as a JSON line.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
build=_build-fuzz

if [ ! -f $build/build.ninja ]; then
  CC=clang meson setup $build -Dfuzzing=true -Dui=disabled >/dev/null || { echo "fuzz: meson setup failed"; exit 2; }
fi
ninja -C $build >/dev/null || { echo "fuzz: build failed"; exit 2; }

targets=${FUZZ_TARGETS:-$(sed -n "s/^ *'\(fuzz-[a-z0-9-]*\)': '\([a-z0-9-]*\)',$/\1/p" tests/fuzz/meson.build)}
# every declared target must be picked up: a name the pattern above misses
# would silently drop out of CI
declared=$(grep -c "^ *'fuzz-[^']*': '[^']*',$" tests/fuzz/meson.build)
if [ -z "${FUZZ_TARGETS:-}" ] && [ "$(wc -w <<<"$targets")" -ne "$declared" ]; then
  echo "fuzz: found $(wc -w <<<"$targets") of $declared targets in tests/fuzz/meson.build"; exit 2
fi
rc=0
printf '%-16s %10s %10s %6s %9s %s\n' target execs exec/s cov corpus findings
for t in $targets; do
  corpus_name=$(sed -n "s/^ *'$t': '\([a-z0-9-]*\)',$/\1/p" tests/fuzz/meson.build)
  work=$build/fuzz-work/$corpus_name
  findings=$build/findings/$t
  rm -rf "$work"; mkdir -p "$work" "$findings"
  cp tests/fuzz/corpus/"$corpus_name"/* "$work"/
  log=$build/fuzz-$t.log
  nice -n 10 $build/tests/fuzz/$t -max_total_time="$secs" -print_final_stats=1 \
    -artifact_prefix="$findings/" -close_fd_mask=3 -timeout=10 -rss_limit_mb=2048 "$work" >"$log" 2>&1
  trc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  n_corp=$(ls "$work" | wc -l)
  n_find=$(ls "$findings" | wc -l)
  if [ $trc -ne 0 ] || [ "$n_find" -gt 0 ]; then
    rc=1; result=FAIL
    what="CRASH (exit $trc): $(ls "$findings" | head -3 | tr '\n' ' ')— see $log"
  else
    result=OK; what=none
  fi
  printf '%-16s %10s %10s %6s %9s %s\n' "$t" "${execs:-?}" "${eps:-?}" "${cov:-?}" "$n_corp" "$what"
  if [ -n "${FUZZ_JUNIT:-}" ]; then
    printf '{"name": "fuzz-smoke-%s", "result": "%s", "duration": %s}\n' "$t" "$result" "$secs" >>"$FUZZ_JUNIT"
  fi
done
exit $rc
