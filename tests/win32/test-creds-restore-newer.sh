# Issue 11, point 8: a restore never writes over an entry that was written
# after the backup (the user signed in again meanwhile); it says so per
# entry, and writes it only with --overwrite-newer. Entries whose secret
# Windows withholds are marked restorable=no in the listing (under Wine
# every secret reads back, so they are all restorable here; the Windows
# behaviour is unit-tested over the withhold_domain_secrets seam).
GONE="msteams_adalsso/adal_context_91"
tool plant-creds 60 "$(winpath "$HS_TMP/manifest.tsv")" >/dev/null || { echo "FAIL: planting"; exit 1; }
tool plant-secret "$GONE" "old-secret" || { echo "FAIL: planting the secret"; exit 1; }
out=$(probe creds list); rc=$?
check "creds list exits 0" [ "$rc" -eq 0 ]
check "every entry says whether it is restorable" [ "$(grep -c $'\trestorable=\(yes\|no\)$' <<<"$out")" -eq "$(wc -l <<<"$out")" ]
check "a domain password is restorable under Wine (Wine hands out its secret)" \
  grep -qP '^target=TERMSRV/host\ttype=domain_password\t.*\trestorable=yes$' <<<"$out"
probe creds delete --backup "$(winpath "$HS_TMP/bk")" > "$HS_TMP/del.tsv"; rc=$?
check "delete exits 0" [ "$rc" -eq 0 ]
n=$(grep -c $'\tresult=deleted$' "$HS_TMP/del.tsv")
backup="$HS_TMP/bk/$(ls "$HS_TMP/bk")"
sleep 1
tool plant-secret "$GONE" "new-secret"   # signed in again after the backup
out=$(probe creds restore "$(winpath "$backup")"); rc=$?
echo "$out" | tail -n 3
check "restore with a newer entry: exit 0 (skipped is not a failure)" [ "$rc" -eq 0 ]
check "the newer entry is skipped and says why" \
  grep -qP "^target=$GONE\ttype=generic\tresult=skipped:newer_exists$" <<<"$out"
check "every other entry is restored" [ "$(grep -c $'\tresult=restored$' <<<"$out")" -eq $((n - 1)) ]
check "summary line: restored=$((n - 1)) skipped=1 failed=0" \
  grep -qx "restored=$((n - 1))	skipped=1	failed=0" <<<"$out"
tool check-secret "$GONE" "new-secret"
check "the newer secret is still there" [ $? -eq 0 ]
out=$(probe creds restore "$(winpath "$backup")" --overwrite-newer); rc=$?
check "--overwrite-newer writes it" [ "$rc" -eq 0 ] && grep -qP "^target=$GONE\t.*result=restored$" <<<"$out"
tool check-secret "$GONE" "old-secret"
check "and the backed-up secret is back" [ $? -eq 0 ]
finish
