# handshake.exe from the portable zip, on Wine inside Xvfb, in real mode:
# it starts, checks this (Wine) Windows, and opens at step 2 listing the
# Teams entries planted in the real Credential Manager, with no practice
# banner, in English, Arabic, Japanese and Chinese. What it shows is read from
# HANDSHAKE_DEBUG_DUMP_TEXT (GTK 4.8 has no Windows accessibility backend);
# a screenshot of each is kept (HS_SCREENSHOT_DIR, else the test folder).
. "$HS_SUITE_DIR/lib-app.sh"
unpack_zip
shots="${HS_SCREENSHOT_DIR:-$HS_TMP/shots}"
mkdir -p "$shots"
tool plant-creds 11 "$(winpath "$HS_TMP/manifest.tsv")" >/dev/null || { echo "FAIL: planting"; exit 1; }

. "$HS_SOURCE_ROOT/tests/lib-xvfb.sh"
start_xvfb 1280x1024x24 || exit 1

# run_wizard LANG [ENV=VALUE...]: starts the wizard, waits for its dump,
# screenshots it.
run_wizard() {
  local lang=$1 dump="$HS_TMP/dump-$1.txt" pid t0=$SECONDS dir=$shots
  shift
  [ $# -eq 0 ] || dir=$HS_TMP   # a run with other settings: no screenshot to keep
  rm -f "$dump"
  env "$@" LANGUAGE="$lang" HANDSHAKE_DEBUG_DUMP_TEXT="$(winpath "$dump")" wine "$APP/handshake.exe" --step 2 \
    > "$HS_TMP/gui-$lang.log" 2>&1 &
  pid=$!
  while [ ! -f "$dump" ] && [ $((SECONDS - t0)) -lt 120 ] && kill -0 $pid 2>/dev/null; do sleep 1; done
  echo "# $lang: dump after $((SECONDS - t0)) s"
  win=$(xdotool search --onlyvisible --name '^Handshake$' 2>/dev/null | head -n1)
  if [ -n "$win" ]; then
    import -display "$DISPLAY" -window "$win" "$dir/$lang-step2.png" 2>/dev/null
  else
    import -display "$DISPLAY" -window root "$dir/$lang-step2.png" 2>/dev/null
  fi
  wine taskkill /f /im handshake.exe >/dev/null 2>&1; kill $pid 2>/dev/null; wait $pid 2>/dev/null
  [ -f "$dump" ]
}

for lang in en ar ja zh_CN; do
  check "$lang: the wizard started, checked and settled (dump written)" run_wizard "$lang"
  dump="$HS_TMP/dump-$lang.txt"
  [ -f "$dump" ] || { sed -n '1,30p' "$HS_TMP/gui-$lang.log"; continue; }
  check "$lang: real mode, no practice banner" bash -c "! grep -qi 'practice\|simul' '$dump'"
  for t in msteams_adalsso/adal_context_segments msteams_adalsso/adal_context_3 'msteams_テスト'; do
    check "$lang: step 2 lists the planted $t" grep -qF "$t" "$dump"
  done
  check "$lang: Windows' own entries are not offered" bash -c "! grep -q 'SSO_POP_Device\|virtualapp/didlogical' '$dump'"
  check "$lang: the result code is shown" grep -q 'creds.stale' "$dump"
  check "$lang: a screenshot was taken" [ -s "$shots/$lang-step2.png" ]
done
check "ar: the step page is in Arabic" grep -qP '[\x{0600}-\x{06FF}]' "$HS_TMP/dump-ar.txt"
check "ja: the step page is in Japanese" grep -qP '[\x{3040}-\x{30FF}]' "$HS_TMP/dump-ja.txt"
check "zh_CN: the step page is in Chinese" grep -qP '[\x{4E00}-\x{9FFF}]' "$HS_TMP/dump-zh_CN.txt"
check "en: the step page is in English" grep -q 'Saved sign-ins' "$HS_TMP/dump-en.txt"
# A broken GPU driver must not keep the wizard from opening: cairo unless
# GSK_RENDERER says otherwise (ui/hs-ui-win32.c).
check "the safe renderer by default (GskCairoRenderer)" grep -qx '# renderer: GskCairoRenderer' "$HS_TMP/dump-en.txt"
run_wizard en-gl GSK_RENDERER=gl >/dev/null
check "GSK_RENDERER=gl is respected (GskGLRenderer)" grep -qx '# renderer: GskGLRenderer' "$HS_TMP/dump-en-gl.txt"
finish
