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
# German shows long words, Arabic right-to-left, Japanese and Chinese text
# without spaces in their own fonts; all use the catalogues built in
# BUILD_DIR/po, Japanese and Chinese their locales compiled into
# BUILD_DIR/tests/ui (as the UI tests do). The README shows only pictures of
# the practice scenario's fictional contoso accounts. The test writes its
# practice backups into a home of its own, removed afterwards.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$src/_build"}
out=${SCREENSHOT_DIR:-"$src/docs/screenshots"}
langs=${SCREENSHOT_LANGS:-"en de ar ja zh_CN"}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$src"
fi
# The test and the .mo files it reads (BUILD_DIR/po/<lang>/LC_MESSAGES).
ninja -C "$build" tests/ui/test-ui-wizard tests/ui/test-ui-network handshake-gmo tests/ui/ja_JP.UTF-8 tests/ui/zh_CN.UTF-8
home=$(mktemp -d)
mkdir -p "$home/home" "$home/cache" "$home/data" "$home/config"
trap 'rm -rf "$home"' EXIT

# The pictures README.md links to, per language.
keep_en="00-welcome 02-step2-problem 05-step1-fixed 09-finish 80-welcome-another-code 81-finish-network-inspected"
keep_de="02-step2-problem 22-narrow-step2-problem"
keep_ar="02-step2-problem 22-narrow-step2-problem 80-welcome-another-code 81-finish-network-inspected"
keep_ja="02-step2-problem 22-narrow-step2-problem 80-welcome-another-code 81-finish-network-inspected"
keep_zh_CN="02-step2-problem 22-narrow-step2-problem"

run () {
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${SCREENSHOTS_USE_XVFB:-}" ]; then
    "$@"
  else
    # an Xvfb of its own on a display nobody else holds (tests/lib-xvfb.sh)
    ( . "$src/tests/lib-xvfb.sh" && start_xvfb 1280x1024x24 && "$@" )
  fi
}

for lang in $langs; do
  rm -rf "${out:?}/$lang"
  mkdir -p "$out/$lang"
  case $lang in
    ja) locale=ja_JP.UTF-8 ;;
    zh_CN) locale=zh_CN.UTF-8 ;;
    *) locale=C.UTF-8 ;;
  esac
  # Same environment as the 'ui' test suite, so the pictures match CI.
  # The wizard's pages, then "Teams shows another code?" and the network
  # check of the sign-in path (issue 14; practice scenario tls-inspection).
  for t in test-ui-wizard test-ui-network; do
    run env LANGUAGE="$lang" LC_ALL="$locale" LOCPATH="$build/tests/ui" \
        HOME="$home/home" XDG_CACHE_HOME="$home/cache" XDG_DATA_HOME="$home/data" \
        XDG_CONFIG_HOME="$home/config" \
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
