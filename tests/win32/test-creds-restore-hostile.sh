# A damaged or hostile backup is refused with bad_input and nothing is written:
# bad magic, bad version, truncated, trailing bytes, flipped bit in the
# ciphertext, absurd lengths, an empty file, a missing file; a valid backup
# still restores.
tool plant-creds 40 "$(winpath "$HS_TMP/manifest.tsv")" >/dev/null || { echo "FAIL: planting"; exit 1; }
probe creds delete --backup "$(winpath "$HS_TMP/bk")" > "$HS_TMP/del.tsv" || { echo "FAIL: delete"; exit 1; }
good="$HS_TMP/bk/$(ls "$HS_TMP/bk")"
tool snapshot "$(winpath "$HS_TMP/before.tsv")" >/dev/null
size=$(stat -c %s "$good")
mk() { cp "$good" "$HS_TMP/$1"; }
mk badmagic;  printf 'XSCREDBK' | dd of="$HS_TMP/badmagic" conv=notrunc status=none
mk badver;    printf '\x02' | dd of="$HS_TMP/badver" bs=1 seek=8 conv=notrunc status=none
mk truncated; truncate -s $((size - 7)) "$HS_TMP/truncated"
mk trailing;  printf 'xyz' >> "$HS_TMP/trailing"
mk flipped;   printf '\x5a' | dd of="$HS_TMP/flipped" bs=1 seek=$((size - 40)) conv=notrunc status=none
mk hugelen;   printf '\xff\xff\xff\x7f' | dd of="$HS_TMP/hugelen" bs=1 seek=12 conv=notrunc status=none
mk zerolen;   printf '\x00\x00\x00\x00' | dd of="$HS_TMP/zerolen" bs=1 seek=12 conv=notrunc status=none
: > "$HS_TMP/empty"
head -c 16 "$good" > "$HS_TMP/headeronly"
head -c 100000 /dev/urandom > "$HS_TMP/random"
for f in badmagic badver truncated trailing flipped hugelen zerolen empty headeronly random; do
  out=$(probe creds restore "$(winpath "$HS_TMP/$f")" 2>&1); rc=$?
  check "$f: refused with exit 1 and error=bad_input" bash -c "[ $rc -eq 1 ] && grep -q \$'^error=bad_input\t' <<<'$out'"
done
out=$(probe creds restore "$(winpath "$HS_TMP/does-not-exist")" 2>&1); rc=$?
check "missing file: exit 1, error=not_found" bash -c "[ $rc -eq 1 ] && grep -q \$'^error=not_found\t' <<<'$out'"
tool snapshot "$(winpath "$HS_TMP/after.tsv")" >/dev/null
check "nothing was written by any refused restore" cmp -s "$HS_TMP/before.tsv" "$HS_TMP/after.tsv"
out=$(probe creds restore "$(winpath "$good")"); rc=$?
n=$(grep -c $'\tresult=deleted$' "$HS_TMP/del.tsv")
check "the intact backup restores $n credentials" bash -c "[ $rc -eq 0 ] && [ '$(tail -n1 <<<"$out")' = 'restored=$n	skipped=0	failed=0' ]"
finish
