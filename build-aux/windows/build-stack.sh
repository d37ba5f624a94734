#!/usr/bin/env bash
# build-stack.sh — cross-build the libraries the Windows port of Handshake
# links against (GLib, GTK 4, libadwaita, jansson and what they need) for
# x86_64-w64-mingw32, from the upstream tarballs of Debian bookworm source
# packages, into a cache outside the work tree.
#
# usage: build-aux/windows/build-stack.sh [-j N]
#            Build the stack, or reuse the cached one. Progress goes to
#            stderr; stdout gets one line, the absolute install prefix:
#              PREFIX=$(build-aux/windows/build-stack.sh | tail -1)
#        build-aux/windows/build-stack.sh --print-key
#            Print the cache key of the stack this machine would build.
#        build-aux/windows/build-stack.sh --setup-apt
#            Add a bookworm deb-src entry if apt has none, then apt-get update.
#
# The cache is ${HS_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/handshake-build/windows-stack}:
#   <key>/prefix/        the install prefix (bin/ holds every DLL a program needs)
#   <key>/prefix/cross-stack.ini
#                        meson [constants] fragment: stack = '<prefix>'; use it
#                        with build-aux/cross-mingw-w64-gtk.txt
#   <key>/logs/          one build log per component
#   <key>/complete       written last: a key without it is not a finished build
#   sources/             the orig tarballs apt-get source fetched
# The key hashes this script, the Debian source versions apt-cache reports for
# every component, and the mingw-w64 toolchain's package versions, so it is
# known before anything is downloaded. A build happens in .stage-<key>, reached
# through a symlink <key> -> .stage-<key> so that every path the libraries
# record is already the final one; at the end the symlink is swapped for the
# directory by a rename. The newest $KEEP keys are kept.
#
# Debian's own patches are not applied: only the upstream tarballs are used.
set -euo pipefail

readonly HOST=x86_64-w64-mingw32
readonly KEEP=3
SELF=$(readlink -f "${BASH_SOURCE[0]}")
readonly SELF
CACHE_ROOT=${HS_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/handshake-build/windows-stack}
[[ $CACHE_ROOT == /* ]] || CACHE_ROOT=$PWD/$CACHE_ROOT   # meson wants an absolute prefix
readonly CACHE_ROOT

# Components in build order, each with its Debian source package. zlib comes
# from the libz-mingw-w64-dev binary package instead of a source build.
readonly COMPONENTS=(zlib libffi pcre2 libintl glib pixman libpng libjpeg
  libtiff cairo fribidi harfbuzz pango graphene libepoxy gdk-pixbuf gtk4
  libadwaita jansson)
declare -A SRCPKG=(
  [libffi]=libffi [pcre2]=pcre2 [libintl]=gettext [glib]=glib2.0
  [pixman]=pixman [libpng]=libpng1.6 [libjpeg]=libjpeg-turbo [libtiff]=tiff
  [cairo]=cairo [fribidi]=fribidi [harfbuzz]=harfbuzz [pango]=pango1.0
  [graphene]=graphene [libepoxy]=libepoxy [gdk-pixbuf]=gdk-pixbuf
  [gtk4]=gtk4 [libadwaita]=libadwaita-1 [jansson]=jansson
)
# The upstream series each build function below is written for (a glob on
# the Debian version). Only versions in the series are taken, so a deb-src
# line for a newer release elsewhere on the machine cannot swap in, say,
# cairo 1.18 (meson, not autotools) or GTK 4.12 (other options).
declare -A SERIES=(
  [libffi]='3.4.*' [pcre2]='10.42*' [gettext]='0.21*' [glib2.0]='2.74.*'
  [pixman]='0.42.*' [libpng1.6]='1.6.*' [libjpeg-turbo]='1:2.1.*'
  [tiff]='4.5.*' [cairo]='1.16.*' [fribidi]='1.0.*' [harfbuzz]='6.0.*'
  [pango1.0]='1.50.*' [graphene]='1.10.*' [libepoxy]='1.5.*'
  [gdk-pixbuf]='2.42.*' [gtk4]='4.8.*' [libadwaita-1]='1.2.*'
  [jansson]='2.14*'
)

# Host packages the build runs. `file` is there for libtool, which inspects
# import libraries with it; gettext provides msgfmt for the translations GLib
# and GTK compile.
readonly HOST_TOOLS=(gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64
  libz-mingw-w64-dev meson ninja-build cmake pkg-config sassc gperf
  libglib2.0-dev-bin python3 xz-utils bzip2 make gcc file gettext)
# Packages whose versions go into the key besides the sources.
readonly TOOLCHAIN_PKGS=(gcc-mingw-w64-x86-64-win32 g++-mingw-w64-x86-64-win32
  mingw-w64-x86-64-dev binutils-mingw-w64-x86-64 libz-mingw-w64-dev
  libz-mingw-w64)

say() { printf '%s\n' "$*" >&2; }
die() { say "build-stack: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ---------------------------------------------------------------- apt set-up

# True when some enabled apt source already offers bookworm's source packages,
# in one-line (.list) or deb822 (.sources) form.
have_bookworm_deb_src() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    grep -Eq '^[[:space:]]*deb-src[[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+[[:space:]]+bookworm[[:space:]]' "$f" \
      && return 0
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function check() { if (types ~ /(^| )deb-src( |$)/ && suites ~ /(^| )bookworm( |$)/ && enabled != "no") found = 1 }
      /^[[:space:]]*$/ { check(); types = suites = enabled = ""; next }
      /^Types:/   { sub(/^Types:[[:space:]]*/, "");   types = $0 }
      /^Suites:/  { sub(/^Suites:[[:space:]]*/, "");  suites = $0 }
      /^Enabled:/ { sub(/^Enabled:[[:space:]]*/, ""); enabled = tolower($0) }
      END { check(); exit !found }' "$f" && return 0
  done
  return 1
}

# One field of the stanza of debian.sources that serves plain "bookworm".
debian_sources_field() {
  awk -v want="$1" '
    function flush() { if (!done && suites ~ /(^| )bookworm( |$)/) { print val; done = 1 } }
    /^[[:space:]]*$/ { flush(); suites = val = ""; next }
    /^Suites:/ { s = $0; sub(/^Suites:[[:space:]]*/, "", s); suites = s }
    $0 ~ "^" want ":" { v = $0; sub("^" want ":[[:space:]]*", "", v); val = v }
    END { flush() }' /etc/apt/sources.list.d/debian.sources 2>/dev/null
}

setup_apt() {
  if have_bookworm_deb_src; then
    return 0
  fi
  local uris signed_by file=/etc/apt/sources.list.d/handshake-deb-src.sources
  uris=$(debian_sources_field URIs)
  signed_by=$(debian_sources_field Signed-By)
  uris=${uris:-http://deb.debian.org/debian}
  signed_by=${signed_by:-/usr/share/keyrings/debian-archive-keyring.gpg}
  say "build-stack: adding $file (deb-src for bookworm) and updating apt"
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: %s\n' \
    "$uris" "$signed_by" | as_root tee "$file" >/dev/null
  as_root apt-get update -qq >&2
}

ensure_host_tools() {
  local p missing=()
  for p in "${HOST_TOOLS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "build-stack: installing ${missing[*]}"
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
    --no-install-recommends "${missing[@]}")
  if ! as_root "${install[@]}" >&2; then
    as_root apt-get update -qq >&2   # package lists may be stale or absent
    as_root "${install[@]}" >&2
  fi
}

# ----------------------------------------------------------- versions, key

declare -A SRCVER=()
SHOWSRC_DIR=""

# The highest version of a source package, within its series, that
# apt-cache knows in any suite.
resolve_version() {
  local pkg=$1 v best=""
  apt-cache showsrc --only-source "$pkg" 2>/dev/null >"$SHOWSRC_DIR/$pkg" || true
  while read -r v; do
    # shellcheck disable=SC2053  # the series is a glob on purpose
    [[ $v == ${SERIES[$pkg]} ]] || continue
    if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
  done < <(awk '/^Version:/ { print $2 }' "$SHOWSRC_DIR/$pkg")
  printf '%s' "$best"
}

resolve_versions() {
  local c pkg v updated=0
  SHOWSRC_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hs-stack-showsrc.XXXXXX")
  trap 'rm -rf "$SHOWSRC_DIR"' EXIT
  for c in "${COMPONENTS[@]}"; do
    pkg=${SRCPKG[$c]:-}
    [ -n "$pkg" ] || continue
    v=$(resolve_version "$pkg")
    if [ -z "$v" ] && [ $updated -eq 0 ]; then
      # Source lists may never have been fetched on this machine.
      say "build-stack: apt-cache knows no source for $pkg; running apt-get update"
      as_root apt-get update -qq >&2
      updated=1
      v=$(resolve_version "$pkg")
    fi
    [ -n "$v" ] || die "apt-cache showsrc finds no $pkg ${SERIES[$pkg]} (try --setup-apt)"
    SRCVER[$pkg]=$v
  done
}

# The orig tarballs of PKG at VERSION, as "sha256 filename" lines.
orig_tarballs() {
  awk -v want="$2" '
    /^[[:space:]]*$/ { rec = sums = 0; next }
    /^Version:/ { rec = ($2 == want) }
    /^[^ ]/ { sums = 0 }
    /^Checksums-Sha256:/ { sums = rec; next }
    sums && $3 ~ /\.orig\.tar\.[a-z0-9]+$/ { print $1, $3 }' "$SHOWSRC_DIR/$1" | sort -u
}

key_inputs() {
  local c pkg p
  echo "script $(sha256sum <"$SELF" | cut -d' ' -f1)"
  for c in "${COMPONENTS[@]}"; do
    pkg=${SRCPKG[$c]:-}
    [ -n "$pkg" ] && echo "source $pkg ${SRCVER[$pkg]}"
  done
  echo "gcc $($HOST-gcc --version | head -n1)"
  for p in "${TOOLCHAIN_PKGS[@]}"; do
    echo "package $p $(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo none)"
  done
}

# ------------------------------------------------------------------ sources

SOURCES_DIR=$CACHE_ROOT/sources

# Fetch (if not already here) and check the orig tarballs of every component.
download_sources() {
  local c pkg ver sum file want=() dl log
  mkdir -p "$SOURCES_DIR"
  for c in "${COMPONENTS[@]}"; do
    pkg=${SRCPKG[$c]:-}
    [ -n "$pkg" ] || continue
    ver=${SRCVER[$pkg]}
    local lines
    lines=$(orig_tarballs "$pkg" "$ver")
    [ -n "$lines" ] || die "no orig tarball listed for $pkg $ver"
    local ok=1
    while read -r sum file; do
      want+=("$file")
      if ! [ -f "$SOURCES_DIR/$file" ] || ! echo "$sum  $SOURCES_DIR/$file" | sha256sum -c --status; then
        ok=0
      fi
    done <<<"$lines"
    [ $ok -eq 1 ] && continue
    # apt-get source also wants the .dsc and the Debian diff; some diffs
    # are missing from the mirror, so its status says little. What counts
    # is that the orig tarball arrived with the checksum apt-cache listed.
    dl=$(mktemp -d "$SOURCES_DIR/.dl.XXXXXX")
    chmod 755 "$dl"
    log=$SOURCES_DIR/.apt-source-$pkg.log
    say "  fetch  $pkg $ver"
    (cd "$dl" && apt-get source --download-only --only-source "$pkg=$ver") >"$log" 2>&1 || true
    while read -r sum file; do
      if [ -f "$dl/$file" ] && echo "$sum  $dl/$file" | sha256sum -c --status; then
        mv "$dl/$file" "$SOURCES_DIR/$file"
      else
        rm -rf "$dl"
        say "build-stack: could not fetch $file (log: $log)"
        tail -n 40 "$log" >&2
        exit 1
      fi
    done <<<"$lines"
    rm -rf "$dl" "$log"
  done
  printf '%s\n' "${want[@]}" >"$WORK/tarballs"
}

# Remove tarballs that no component of this build uses any more.
prune_sources() {
  local f
  for f in "$SOURCES_DIR"/*; do
    [ -f "$f" ] || continue
    grep -qxF "$(basename "$f")" "$WORK/tarballs" || rm -f "$f"
  done
}

# Unpack the orig tarball of component $1 into $WORK/src/$1, return that dir.
unpack() {
  local c=$1 pkg=${SRCPKG[$1]} dir=$WORK/src/$1 file
  file=$(orig_tarballs "$pkg" "${SRCVER[$pkg]}" | head -n1 | cut -d' ' -f2)
  rm -rf "$dir"
  mkdir -p "$dir"
  tar -xf "$SOURCES_DIR/$file" -C "$dir" --strip-components=1
  printf '%s' "$dir"
}

# ------------------------------------------------------------------ helpers

write_toolchain_files() {
  cat >"$WORK/cross.ini" <<EOF
[binaries]
c = '$HOST-gcc'
cpp = '$HOST-g++'
ar = '$HOST-ar'
strip = '$HOST-strip'
windres = '$HOST-windres'
pkgconfig = 'pkg-config'
glib-compile-resources = '/usr/bin/glib-compile-resources'
glib-mkenums = '/usr/bin/glib-mkenums'
glib-genmarshal = '/usr/bin/glib-genmarshal'

[properties]
pkg_config_libdir = '$PREFIX/lib/pkgconfig:$PREFIX/share/pkgconfig'

[built-in options]
c_args = ['-I$PREFIX/include']
cpp_args = ['-I$PREFIX/include']
c_link_args = ['-L$PREFIX/lib']
cpp_link_args = ['-L$PREFIX/lib']

[host_machine]
system = 'windows'
cpu_family = 'x86_64'
cpu = 'x86_64'
endian = 'little'
EOF
  cat >"$WORK/toolchain.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(CMAKE_C_COMPILER $HOST-gcc)
set(CMAKE_CXX_COMPILER $HOST-g++)
set(CMAKE_RC_COMPILER $HOST-windres)
set(CMAKE_FIND_ROOT_PATH $PREFIX)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
EOF
}

# meson_build NAME SRCDIR [meson options...]
meson_build() {
  local name=$1 src=$2
  shift 2
  meson setup "$WORK/build/$name" "$src" --cross-file "$WORK/cross.ini" \
    --prefix "$PREFIX" --libdir lib --buildtype release --optimization 2 \
    --default-library shared --wrap-mode nodownload "$@"
  ninja -C "$WORK/build/$name" -j "$JOBS"
  meson install -C "$WORK/build/$name" --no-rebuild
}

# cmake_build NAME SRCDIR [cmake options...]. The libdir is absolute because
# libjpeg-turbo otherwise installs outside the prefix.
cmake_build() {
  local name=$1 src=$2
  shift 2
  cmake -S "$src" -B "$WORK/build/$name" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$WORK/toolchain.cmake" \
    -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_INSTALL_LIBDIR="$PREFIX/lib" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" "$@"
  ninja -C "$WORK/build/$name" -j "$JOBS"
  ninja -C "$WORK/build/$name" install
}

# autotools_configure NAME SRCDIR/configure [configure options...]; leaves
# the caller in the build directory.
autotools_configure() {
  local name=$1 configure=$2
  shift 2
  mkdir -p "$WORK/build/$name"
  cd "$WORK/build/$name"
  CFLAGS=${CFLAGS:--O2} "$configure" --host=$HOST --prefix="$PREFIX" \
    --enable-shared --disable-static "$@"
}

# ------------------------------------------------------------- components

# shellcheck disable=SC2016  # ${prefix} is meant literally, for pkg-config
build_zlib() {
  local from=/usr/$HOST
  cp "$from/lib/zlib1.dll" "$PREFIX/bin/"
  cp "$from/lib/libz.dll.a" "$PREFIX/lib/"
  cp "$from/include/zlib.h" "$from/include/zconf.h" "$PREFIX/include/"
  sed -e "s|^prefix=.*|prefix=$PREFIX|" -e 's|^exec_prefix=.*|exec_prefix=${prefix}|' \
    -e 's|^libdir=.*|libdir=${prefix}/lib|' -e 's|^sharedlibdir=.*|sharedlibdir=${prefix}/lib|' \
    -e 's|^includedir=.*|includedir=${prefix}/include|' \
    "$from/lib/pkgconfig/zlib.pc" >"$PREFIX/lib/pkgconfig/zlib.pc"
}

build_libffi() {
  local src
  src=$(unpack libffi)
  autotools_configure libffi "$src/configure" --disable-docs
  make -j "$JOBS"
  make install
}

build_pcre2() {
  local src
  src=$(unpack pcre2)
  cmake_build pcre2 "$src" -DBUILD_SHARED_LIBS=ON -DBUILD_STATIC_LIBS=OFF \
    -DPCRE2_BUILD_TESTS=OFF -DPCRE2_BUILD_PCRE2GREP=OFF \
    -DPCRE2_SUPPORT_UNICODE=ON -DPCRE2_SUPPORT_JIT=ON
}

# Only libintl from gettext-runtime; GLib's meson finds it as the compiler's
# `intl` library through the -I/-L in cross.ini.
build_libintl() {
  local src
  src=$(unpack libintl)
  autotools_configure libintl "$src/gettext-runtime/configure" \
    --disable-java --disable-csharp --disable-libasprintf --disable-openmp \
    --disable-curses --without-emacs --enable-threads=windows --disable-rpath \
    --without-libiconv-prefix --disable-c++
  make -j "$JOBS" -C intl
  make -C intl install
}

build_glib() {
  local src
  src=$(unpack glib)
  meson_build glib "$src" -Dtests=false -Dinstalled_tests=false -Dman=false \
    -Dgtk_doc=false -Dnls=enabled -Dlibelf=disabled -Dsysprof=disabled \
    -Dxattr=false -Dselinux=disabled -Dlibmount=disabled -Ddtrace=false \
    -Dsystemtap=false
}

build_pixman() {
  local src
  src=$(unpack pixman)
  meson_build pixman "$src" -Dtests=disabled -Dgtk=disabled -Dlibpng=disabled \
    -Dopenmp=disabled -Dgnuplot=false
}

build_libpng() {
  local src
  src=$(unpack libpng)
  cmake_build libpng "$src" -DPNG_SHARED=ON -DPNG_STATIC=OFF \
    -DPNG_EXECUTABLES=OFF -DPNG_TESTS=OFF
}

# No SIMD: that would need nasm.
build_libjpeg() {
  local src
  src=$(unpack libjpeg)
  cmake_build libjpeg "$src" -DENABLE_SHARED=ON -DENABLE_STATIC=OFF \
    -DWITH_TURBOJPEG=OFF -DWITH_SIMD=OFF
}

build_libtiff() {
  local src
  src=$(unpack libtiff)
  cmake_build libtiff "$src" -DBUILD_SHARED_LIBS=ON -Dtiff-tools=OFF \
    -Dtiff-tests=OFF -Dtiff-contrib=OFF -Dtiff-docs=OFF -Djpeg=OFF \
    -Dold-jpeg=OFF -Djbig=OFF -Dlerc=OFF -Dlzma=OFF -Dzstd=OFF -Dwebp=OFF \
    -Dlibdeflate=OFF -Dpixarlog=OFF -Dcxx=OFF -Dzlib=ON
}

# cairo 1.16 only has autotools. Its configure turns on _FORTIFY_SOURCE, so
# everything must link libssp; libtool only links a DLL against a library it
# can see on an explicit -L path, hence the gcc directory (without it the
# result is silently a static library). Only src/ and cairo-gobject are
# built: the rest needs freetype.
build_cairo() {
  local src
  src=$(unpack cairo)
  LIBS="-L$GCCLIB -lssp" PKG_CONFIG=pkg-config autotools_configure cairo "$src/configure" \
    --enable-win32=yes --enable-win32-font=yes --enable-png=yes \
    --enable-pdf=yes --enable-gobject=yes --disable-xlib --disable-xlib-xrender \
    --disable-xcb --disable-ft --disable-fc --disable-svg --disable-ps \
    --disable-script --disable-interpreter --disable-trace --disable-gtk-doc \
    --disable-quartz --disable-gl --disable-egl --disable-glx --disable-wgl \
    --disable-valgrind --disable-symbol-lookup --disable-full-testing
  make -j "$JOBS" -C src
  make -C src install
  make -j "$JOBS" -C util/cairo-gobject
  make -C util/cairo-gobject install
  [ -f "$PREFIX/bin/libcairo-2.dll" ] || { echo "libcairo-2.dll was not built"; return 1; }
}

build_fribidi() {
  local src
  src=$(unpack fribidi)
  meson_build fribidi "$src" -Ddocs=false
}

build_harfbuzz() {
  local src
  src=$(unpack harfbuzz)
  meson_build harfbuzz "$src" -Dglib=enabled -Dgobject=disabled -Dcairo=disabled \
    -Dchafa=disabled -Dicu=disabled -Dfreetype=disabled -Dgdi=disabled \
    -Ddirectwrite=disabled -Dtests=disabled -Dintrospection=disabled \
    -Ddocs=disabled -Dbenchmark=disabled
}

build_pango() {
  local src
  src=$(unpack pango)
  meson_build pango "$src" -Dintrospection=disabled -Dgtk_doc=false \
    -Dfontconfig=disabled -Dfreetype=disabled -Dcairo=enabled \
    -Dlibthai=disabled -Dsysprof=disabled -Dxft=disabled -Dinstall-tests=false
}

build_graphene() {
  local src
  src=$(unpack graphene)
  meson_build graphene "$src" -Dtests=false -Dinstalled_tests=false \
    -Dintrospection=disabled -Dgtk_doc=false -Dgobject_types=true -Darm_neon=false
}

# WGL only.
build_libepoxy() {
  local src
  src=$(unpack libepoxy)
  meson_build libepoxy "$src" -Ddocs=false -Dtests=false -Degl=no -Dglx=no -Dx11=false
}

# PNG is the only image loader, built into the DLL.
build_gdk_pixbuf() {
  local src
  src=$(unpack gdk-pixbuf)
  meson_build gdk-pixbuf "$src" -Dpng=enabled -Djpeg=disabled -Dtiff=disabled \
    -Dbuiltin_loaders=png -Dgtk_doc=false -Ddocs=false -Dman=false \
    -Dintrospection=disabled -Dtests=false -Dinstalled_tests=false \
    -Dnative_windows_loaders=false -Dgio_sniffing=false
}

build_gtk4() {
  local src
  src=$(unpack gtk4)
  meson_build gtk4 "$src" -Dwin32-backend=true -Dx11-backend=false \
    -Dwayland-backend=false -Dbroadway-backend=false -Dmacos-backend=false \
    -Dmedia-ffmpeg=disabled -Dmedia-gstreamer=disabled -Dprint-cups=disabled \
    -Dvulkan=disabled -Dcloudproviders=disabled -Dsysprof=disabled \
    -Dtracker=disabled -Dcolord=disabled -Dgtk_doc=false -Dman-pages=false \
    -Dintrospection=disabled -Ddemos=false -Dbuild-examples=false \
    -Dbuild-tests=false -Dinstall-tests=false
}

# libadwaita compiles with -fstack-protector-strong but does not link libssp.
build_libadwaita() {
  local src
  src=$(unpack libadwaita)
  meson_build libadwaita "$src" -Dintrospection=disabled -Dvapi=false \
    -Dgtk_doc=false -Dtests=false -Dexamples=false \
    "-Dc_link_args=['-L$PREFIX/lib','-lssp']"
}

build_jansson() {
  local src
  src=$(unpack jansson)
  cmake_build jansson "$src" -DJANSSON_BUILD_SHARED_LIBS=ON \
    -DJANSSON_BUILD_DOCS=OFF -DJANSSON_WITHOUT_TESTS=ON -DJANSSON_EXAMPLES=OFF \
    -DJANSSON_INSTALL_CMAKE_DIR="$PREFIX/lib/cmake/jansson"
}

# The mingw runtime DLLs the libraries above import.
copy_gcc_runtime() {
  cp "$GCCLIB/libgcc_s_seh-1.dll" "$GCCLIB/libssp-0.dll" "$PREFIX/bin/"
}

# ------------------------------------------------------------------- build

run_component() {
  local c=$1 t0=$SECONDS log=$WORK/logs/$1.log rc
  # Not `if ! ( ... )`: bash ignores set -e inside a tested subshell.
  set +e
  ( set -e; "build_${c//-/_}" ) >"$log" 2>&1 </dev/null
  rc=$?
  set -e
  if [ $rc -ne 0 ]; then
    say "build-stack: $c failed (status $rc) after $((SECONDS - t0))s; log: $log"
    tail -n 40 "$log" >&2
    exit 1
  fi
  say "$(printf '  %-11s %4ds   (total %ds)' "$c" $((SECONDS - t0)) $((SECONDS - BUILD_T0)))"
}

# Delete finished keys beyond the newest $KEEP, and anything an interrupted
# run left behind (the caller holds the lock, so nothing else is building).
prune_cache() {
  local d n=0
  for d in "$CACHE_ROOT"/.stage-* "$CACHE_ROOT"/.work-*; do
    [ -e "$d" ] || continue
    [ "$d" = "$CACHE_ROOT/.work-$KEY" ] || rm -rf "$d"
  done
  for d in "$CACHE_ROOT"/*; do
    [ -L "$d" ] && rm -f "$d"
  done
  while read -r d; do
    n=$((n + 1))
    [ $n -gt $KEEP ] && rm -rf "$d"
  done < <(for d in "$CACHE_ROOT"/*/complete; do
             [ -f "$d" ] && printf '%s %s\n' "$(stat -c %Y "$d")" "$(dirname "$d")"
           done | sort -rn | cut -d' ' -f2-)
  return 0
}

usage() {
  sed -n '/^# usage:/,/^#$/{s/^# \{0,1\}//;p}' "$SELF" >&2
  exit "${1:-2}"
}

main() {
  local mode=build
  JOBS=$(nproc)
  while [ $# -gt 0 ]; do
    case $1 in
      --print-key) mode=key ;;
      --setup-apt) mode=apt ;;
      -j) [ $# -ge 2 ] || usage; JOBS=$2; shift ;;
      -j*) JOBS=${1#-j} ;;
      -h|--help) usage 0 ;;
      *) usage ;;
    esac
    shift
  done
  [[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "-j wants a positive number"

  setup_apt
  [ "$mode" = apt ] && return 0
  ensure_host_tools

  # Nothing from the caller's environment leaks into the compilers.
  unset CFLAGS CXXFLAGS CPPFLAGS LDFLAGS LIBS PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
  export LC_ALL=C.UTF-8

  resolve_versions
  KEY=$(key_inputs | sha256sum | cut -c1-16)
  if [ "$mode" = key ]; then
    printf '%s\n' "$KEY"
    return 0
  fi

  local keydir=$CACHE_ROOT/$KEY
  PREFIX=$keydir/prefix
  if [ -d "$keydir" ] && ! [ -L "$keydir" ] && [ -f "$keydir/complete" ]; then
    printf '%s\n' "$PREFIX"
    return 0
  fi

  mkdir -p "$CACHE_ROOT"
  exec 9>"$CACHE_ROOT/.lock"
  if ! flock -n 9; then
    say "build-stack: another build holds $CACHE_ROOT/.lock; waiting"
    flock 9
  fi
  if [ -d "$keydir" ] && ! [ -L "$keydir" ] && [ -f "$keydir/complete" ]; then
    printf '%s\n' "$PREFIX"   # another run built it meanwhile
    return 0
  fi

  local stage=$CACHE_ROOT/.stage-$KEY
  WORK=$CACHE_ROOT/.work-$KEY
  rm -rf "$keydir" "$stage" "$WORK"
  mkdir -p "$stage/prefix"/{bin,include,lib/pkgconfig,share/pkgconfig} "$WORK"/{logs,src,build}
  ln -s ".stage-$KEY" "$keydir"
  key_inputs >"$stage/key-inputs.txt"

  GCCLIB=$(dirname "$($HOST-gcc -print-libgcc-file-name)")
  export PKG_CONFIG_LIBDIR=$PREFIX/lib/pkgconfig:$PREFIX/share/pkgconfig
  write_toolchain_files

  say "build-stack: building stack $KEY into $PREFIX (-j $JOBS); logs in $WORK/logs"
  BUILD_T0=$SECONDS
  download_sources
  say "  sources ready in $((SECONDS - BUILD_T0))s"
  local c
  for c in "${COMPONENTS[@]}"; do
    run_component "$c"
  done
  copy_gcc_runtime

  # Every path recorded in the prefix should be the final one; a tool that
  # resolved the symlink would have written the stage path instead.
  local f
  while read -r f; do
    [ -n "$f" ] || continue
    say "build-stack: rewriting stage path in ${f#"$stage/"}"
    sed -i "s|$stage|$keydir|g" "$f"
  done < <(grep -rlI -F "$stage" "$stage/prefix" || true)

  printf "[constants]\nstack = '%s'\n" "$PREFIX" >"$stage/prefix/cross-stack.ini"
  mv "$WORK/logs" "$stage/logs"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$stage/complete"
  rm -f "$keydir"
  mv -T "$stage" "$keydir"

  prune_sources
  rm -rf "$WORK"
  prune_cache
  say "build-stack: cold build took $((SECONDS - BUILD_T0))s"
  printf '%s\n' "$PREFIX"
}

main "$@"
