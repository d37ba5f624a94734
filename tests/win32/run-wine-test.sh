#!/bin/bash
# run-wine-test.sh NAME — runs tests/win32/test-NAME.sh in its own Wine prefix
# ($HS_SUITE_DIR/test-NAME.sh when set: the suites of the Windows program,
# tests/windows, share this runner and lib.sh).
#
# A template prefix is created once per build tree ($HS_WINE_ROOT/template,
# wineboot -i under an flock, so parallel tests wait for one creation). Each
# test gets a private copy: hard links for the bulk of drive_c (files are
# replaced, never written in place), real copies of the registry, the user
# profile and the few ini files Wine may rewrite. The copy is removed when
# the test passes; its wineserver is stopped either way.
set -u
name="$1"
: "${HS_WINE_ROOT:?}" "${HS_PROBE:?}" "${HS_TOOL:?}" "${HS_STANDIN:?}" "${HS_TESTS_DIR:?}"
# No display unless a suite of the wizard hands one over (HS_WINE_DISPLAY).
export WINEDEBUG=-all DISPLAY="${HS_WINE_DISPLAY:-}" WAYLAND_DISPLAY= LANG=C.UTF-8 LC_ALL=C.UTF-8
export WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=d;mshtml=d"

mkdir -p "$HS_WINE_ROOT"
template="$HS_WINE_ROOT/template"
(
  flock 9
  if [ ! -f "$template/.hs-ready" ]; then
    rm -rf "$template"
    echo "# creating the template prefix (once per build tree)"
    WINEPREFIX="$template" wineboot -i >/dev/null 2>&1
    WINEPREFIX="$template" wineserver -w
    touch "$template/.hs-ready"
  fi
) 9>"$HS_WINE_ROOT/template.lock"

pfx="$HS_WINE_ROOT/t-$name"
if [ -d "$pfx" ]; then
  WINEPREFIX="$pfx" wineserver -k 2>/dev/null
  rm -rf "$pfx"
fi
cp -al "$template" "$pfx"
for f in system.reg user.reg userdef.reg; do
  rm -f "$pfx/$f"; cp -p "$template/$f" "$pfx/$f"
done
rm -rf "$pfx/drive_c/users"; cp -a "$template/drive_c/users" "$pfx/drive_c/users"
for f in "$template"/drive_c/windows/*.ini; do
  [ -f "$f" ] && { rm -f "$pfx/drive_c/windows/${f##*/}"; cp -p "$f" "$pfx/drive_c/windows/"; }
done
export WINEPREFIX="$pfx"
export HS_TMP="$pfx/hs-test"
mkdir -p "$HS_TMP"

cleanup() {
  WINEPREFIX="$pfx" wineserver -k 2>/dev/null
}
trap cleanup EXIT
# one persistent wineserver for the whole test: every wine start is cheap
wineserver -p
wine cmd /c exit 0 >/dev/null 2>&1

# shellcheck source=lib.sh
. "$HS_TESTS_DIR/lib.sh"
start=$(date +%s)
bash -c ". '$HS_TESTS_DIR/lib.sh'; . '${HS_SUITE_DIR:-$HS_TESTS_DIR}/test-$name.sh'"
rc=$?
echo "# test $name: exit $rc after $(( $(date +%s) - start )) s"
cleanup
trap - EXIT
[ "$rc" -eq 0 ] && rm -rf "$pfx"
exit "$rc"
