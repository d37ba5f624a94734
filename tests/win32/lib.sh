# lib.sh — helpers for the Wine suites (sourced by run-wine-test.sh).
# Paths: unix paths map to Z:\… in Wine; C:\ is $WINEPREFIX/drive_c.

winpath() {  # unix path -> Windows path through the Z: drive
  local p="$1"
  case "$p" in
    "$WINEPREFIX/drive_c"/*) p="C:${p#"$WINEPREFIX/drive_c"}" ;;
    *) p="Z:$p" ;;
  esac
  printf '%s' "${p//\//\\}"
}
SYS32="$WINEPREFIX/drive_c/windows/system32"
WINDIR="$WINEPREFIX/drive_c/windows"

probe() { wine "$HS_PROBE" "$@"; }
tool() { wine "$HS_TOOL" "$@"; }

fails=0
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() {  # check DESCRIPTION COMMAND... : passes when COMMAND succeeds
  local d="$1"; shift
  if "$@"; then pass "$d"; else fail "$d"; fi
}
finish() {
  if [ "$fails" -ne 0 ]; then echo "$fails assertion(s) failed"; exit 1; fi
  echo "all assertions passed"; exit 0
}

# field RECORD KEY: value of KEY= in a tab-separated record (escapes kept)
field() { printf '%s\n' "$1" | tr '\t' '\n' | sed -n "s/^$2=//p" | head -n1; }

# install_standin DEST_EXE CFG_TEXT: copy the stand-in to DEST_EXE, with
# hs-standin.cfg next to it
install_standin() {
  mkdir -p "$(dirname "$1")"
  rm -f "$1"; cp "$HS_STANDIN" "$1"
  printf '%s\n' "$2" > "$(dirname "$1")/hs-standin.cfg"
}

PS="$SYS32/WindowsPowerShell/v1.0/powershell.exe"
W32TM="$SYS32/w32tm.exe"
LOG="$HS_TMP/standin.log"
# cmdlines LOG: the CMDLINE entries of a stand-in log
cmdlines() { sed -n 's/^CMDLINE\t//p' "${1:-$LOG}" 2>/dev/null; }
