#!/bin/sh
# Regenerates the README screenshots (docs/screenshots/<lang>/*.png) from
# practice mode by running the UI test that drives the real window.
#
#   build-aux/screenshots.sh [BUILD_DIR]        (default: _build)
#   SCREENSHOT_DIR=/tmp/shots build-aux/screenshots.sh    another output dir
#   SCREENSHOT_LANGS="en" build-aux/screenshots.sh        fewer languages
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$src/_build"}
out=${SCREENSHOT_DIR:-"$src/docs/screenshots"}
langs=${SCREENSHOT_LANGS:-"en ar"}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$src"
fi
ninja -C "$build" tests/ui/test-ui-wizard

run () {
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${SCREENSHOTS_USE_XVFB:-}" ]; then
    "$@"
  else
    xvfb-run -a "$@"
  fi
}

for lang in $langs; do
  rm -rf "${out:?}/$lang"
  mkdir -p "$out/$lang"
  # Same environment as the 'ui' test suite, so the pictures match CI.
  run env LANGUAGE="$lang" LC_ALL=C.UTF-8 \
      HS_SCREENSHOT_DIR="$out" \
      HANDSHAKE_DATADIR="$src/data" \
      GSETTINGS_BACKEND=memory GDK_DEBUG=default-settings NO_AT_BRIDGE=1 \
      "$build/tests/ui/test-ui-wizard" >/dev/null
  echo "$out/$lang: $(ls "$out/$lang" | wc -l) screenshots"
done
