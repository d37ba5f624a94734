#!/usr/bin/env bash
# Installs what Handshake needs to build and test on Debian 12 / Ubuntu.
# Does nothing when everything is already there.
set -euo pipefail

packages=(
  build-essential meson ninja-build pkg-config gettext python3
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libjansson-dev libsoup-3.0-dev
  glib-networking ca-certificates
  # tests: real servers and a real display
  chrony faketime nginx-light openssl xvfb xauth dbus-x11 at-spi2-core
  # linked into the clock test servers so GnuTLS loads at start-up (LSan)
  libgnutls28-dev
  fonts-dejavu-core fonts-noto-core fonts-noto-cjk imagemagick
  # the ja_JP and zh_CN locales the Japanese and Chinese UI tests compile
  # into the build dir with localedef (libc-bin)
  locales
  # robustness lanes: sanitizers and libFuzzer (clang), memcheck; benchmarks
  clang libclang-rt-14-dev valgrind hyperfine
  # Handshake for Windows: cross compilers, Wine, the MSI tools, and what the
  # Wine suites of the wizard use (a display, window lookup, CJK fonts Wine
  # takes from the host); build-aux/windows/build-stack.sh installs the
  # tools the GTK stack itself needs
  gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wine wine64 wixl msitools xdotool x11-utils
  # data validation
  desktop-file-utils appstream
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts chrony and nginx as system services on install: the tests
# run their own on loopback ports, so stop ours from being in the way.
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  $sudo systemctl disable --now chrony nginx >/dev/null 2>&1 || true
fi
