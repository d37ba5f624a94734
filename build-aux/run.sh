#!/usr/bin/env bash
# Installs what is missing, builds, and launches the wizard.
# Off Windows it opens in practice mode on a simulated computer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash build-aux/install-deps.sh
[ -f _build/build.ninja ] || meson setup _build >/dev/null
ninja -C _build >/dev/null
export HANDSHAKE_DATADIR="$PWD/data"
exec _build/ui/handshake "$@"
