#!/usr/bin/env bash
# release.sh — Handshake for Windows, from a Linux machine, in one command:
#
#   build-aux/windows/release.sh
#
# builds (or takes from the cache) the GTK stack for x86_64-w64-mingw32 from
# Debian's source packages (build-stack.sh), cross-builds Handshake against
# it, and leaves in dist/:
#   handshake-VERSION-windows-x64.zip   portable: unzip, double-click handshake.exe
#   handshake-VERSION-x64.msi           per-user installer (no administrator)
# HS_WINDOWS_BUILD names the build folder (default _build-windows).
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
build=${HS_WINDOWS_BUILD:-_build-windows}

t0=$SECONDS
prefix=$(bash build-aux/windows/build-stack.sh | tail -n 1)
[ -f "$prefix/cross-stack.ini" ] || { echo "release.sh: no stack at '$prefix'" >&2; exit 1; }
echo "stack: $prefix"

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --cross-file "$prefix/cross-stack.ini" \
    --cross-file build-aux/cross-mingw-w64-gtk.txt \
    --buildtype=release --prefix=/ -Dui=enabled
fi
ninja -C "$build"

version=$(meson introspect --projectinfo "$build" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
install=$build/install-root
rm -rf "$install"
meson install -C "$build" --no-rebuild --destdir "$top/$install" >/dev/null
python3 build-aux/windows/package.py --install "$install" --stack "$prefix" \
  --out dist --version "$version" --work "$build/package-root"
echo "release.sh: done in $((SECONDS - t0)) s"
