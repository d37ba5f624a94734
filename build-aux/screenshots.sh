#!/bin/sh
# Regenerates the README screenshots (docs/screenshots/<lang>/*.png) from
# practice mode by running the UI test that drives the real window.
#
#   build-aux/screenshots.sh [BUILD_DIR]        (default: _build)
#   SCREENSHOT_DIR=/tmp/shots build-aux/screenshots.sh    another output dir
#   SCREENSHOT_LANGS="en" build-aux/screenshots.sh        fewer languages
#   SCREENSHOTS_ALL=1 build-aux/screenshots.sh            keep every picture, not
#                                                         only the README's
#
# German shows long words, Arabic right-to-left; both use the catalogues
# built in BUILD_DIR/po. The README shows only pictures of the practice
# scenario's fictional contoso accounts.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$src/_build"}
out=${SCREENSHOT_DIR:-"$src/docs/screenshots"}
langs=${SCREENSHOT_LANGS:-"en de ar ja"}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$src"
fi
# The test and the .mo files it reads (BUILD_DIR/po/<lang>/LC_MESSAGES).
ninja -C "$build" tests/ui/test-ui-wizard tests/ui/test-ui-network handshake-gmo

# The pictures README.md links to, per language.
keep_en="00-welcome 02-step2-problem 05-step1-fixed 09-finish 80-welcome-another-code 81-finish-network-inspected"
keep_de="02-step2-problem 22-narrow-step2-problem"
keep_ar="02-step2-problem 22-narrow-step2-problem 80-welcome-another-code 81-finish-network-inspected"
keep_ja="80-welcome-another-code 81-finish-network-inspected"

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
  # The wizard's pages, then "Teams shows another code?" and the network
  # check of the sign-in path (issue 14; practice scenario tls-inspection).
  for t in test-ui-wizard test-ui-network; do
    run env LANGUAGE="$lang" LC_ALL=C.UTF-8 \
        HS_SCREENSHOT_DIR="$out" \
        HANDSHAKE_DATADIR="$src/data" \
        GSETTINGS_BACKEND=memory GDK_DEBUG=default-settings NO_AT_BRIDGE=1 \
        "$build/tests/ui/$t" >/dev/null
  done
  if [ -z "${SCREENSHOTS_ALL:-}" ]; then
    eval "keep=\${keep_$lang:-}"
    for f in "$out/$lang"/*.png; do
      name=$(basename "$f" .png)
      case " $keep " in
        *" $name "*) ;;
        *) rm -f "$f" ;;
      esac
    done
  fi
  echo "$out/$lang: $(ls "$out/$lang" | wc -l) screenshots"
done
