# If the backup cannot be written, nothing is deleted and the probe says why
# (HS_PORT_IO): backup "directory" is an existing file, lies under a file, or
# is on a drive that does not exist.
tool plant-creds 200 "$(winpath "$HS_TMP/manifest.tsv")" >/dev/null || { echo "FAIL: planting"; exit 1; }
tool snapshot "$(winpath "$HS_TMP/before.tsv")" >/dev/null
echo "I am a file" > "$HS_TMP/a-file"
for dir in "$(winpath "$HS_TMP/a-file")" "$(winpath "$HS_TMP/a-file")\\sub\\dir" 'Q:\no\such\drive' ; do
  out=$(probe creds delete --backup "$dir" 2>&1); rc=$?
  check "backup dir $dir: exit 1" [ "$rc" -eq 1 ]
  check "backup dir $dir: error=io_error reported" grep -q $'^error=io_error\t' <<<"$out"
  check "backup dir $dir: no result=deleted line" bash -c "! grep -q 'result=deleted' <<<'$out'"
  tool snapshot "$(winpath "$HS_TMP/after.tsv")" >/dev/null
  if cmp -s "$HS_TMP/before.tsv" "$HS_TMP/after.tsv"; then pass "backup dir $dir: vault unchanged"
  else fail "backup dir $dir: vault changed"; fi
done
check "the blocking file is untouched" [ "$(cat "$HS_TMP/a-file")" = "I am a file" ]
# a backup file name that is taken by a directory cannot be replaced either:
# (MoveFileEx onto a directory fails) -> still nothing deleted
finish
