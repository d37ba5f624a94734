#!/bin/sh
# hs-wine.sh — run a Windows program under Wine (the cross build's exe_wrapper).
#
# Uses $WINEPREFIX when it names an existing prefix; otherwise a shared prefix
# under ${TMPDIR:-/tmp}/hs-wine-<uid>/prefix, created once (wineboot -i) under
# an flock so that parallel callers wait for one creation. No display, quiet.
set -e
export WINEDEBUG="${WINEDEBUG:--all}"
export DISPLAY=
export WAYLAND_DISPLAY=
if [ -z "$WINEPREFIX" ] || [ ! -f "$WINEPREFIX/system.reg" ]; then
  if [ -z "$WINEPREFIX" ]; then
    root="${TMPDIR:-/tmp}/hs-wine-$(id -u)"
    export WINEPREFIX="$root/prefix"
  fi
  mkdir -p "$(dirname "$WINEPREFIX")"
  (
    flock 9
    if [ ! -f "$WINEPREFIX/.hs-ready" ]; then
      rm -rf "$WINEPREFIX"
      wineboot -i >/dev/null 2>&1 || true
      wineserver -w
      touch "$WINEPREFIX/.hs-ready"
    fi
  ) 9>"$WINEPREFIX.lock"
fi
exec wine "$@"
