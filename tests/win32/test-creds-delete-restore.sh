# Back up then delete the required credentials among 5,000: exactly those go,
# every other one is byte-identical afterwards (blob, user, comment, alias,
# persist, type, flags, attributes); the backup is one encrypted file; restore
# brings the deleted ones back byte-identical. Then a named-target delete,
# including one that does not exist (not_found, the others continue).
N=5000
tool plant-creds $N "$(winpath "$HS_TMP/manifest.tsv")" >/dev/null || { echo "FAIL: planting"; exit 1; }
tool snapshot "$(winpath "$HS_TMP/before.tsv")" >/dev/null
LC_ALL=C sort -o "$HS_TMP/before.tsv" "$HS_TMP/before.tsv"
n_required=$(grep -c '^required' "$HS_TMP/manifest.tsv")

t0=$(date +%s)
probe creds delete --backup "$(winpath "$HS_TMP/backups")" > "$HS_TMP/delete.tsv"; rc=$?
echo "# delete of $n_required credentials took $(( $(date +%s) - t0 )) s"
check "creds delete exits 0" [ "$rc" -eq 0 ]
backup=$(head -n1 "$HS_TMP/delete.tsv" | sed -n 's/^backup=//p')
check "first line names the backup file ($backup)" [ -n "$backup" ]
files=$(ls "$HS_TMP/backups")
check "exactly one backup file, no temp file left" [ "$(printf '%s\n' "$files" | wc -l)" -eq 1 -a -z "$(ls "$HS_TMP/backups" | grep '\.tmp$')" ]
check "the backup is encrypted (no target name in clear)" bash -c "! grep -aq msteams_adalsso '$HS_TMP/backups/'* && ! LC_ALL=C grep -aq 'm.s.t.e.a.m.s._' '$HS_TMP/backups/'*"
check "one line per required credential, all deleted" [ "$(grep -c $'\tresult=deleted$' "$HS_TMP/delete.tsv")" -eq "$n_required" -a "$(wc -l < "$HS_TMP/delete.tsv")" -eq $((n_required + 1)) ]

tool snapshot "$(winpath "$HS_TMP/after.tsv")" >/dev/null
LC_ALL=C sort -o "$HS_TMP/after.tsv" "$HS_TMP/after.tsv"
# expected: before minus the required targets
awk -F'\t' 'NR == FNR { if ($1 == "required") req[$3 "\t" ($2 == "generic" ? 1 : 2)] = 1; next }
            !(($1 "\t" $2) in req)' "$HS_TMP/manifest.tsv" "$HS_TMP/before.tsv" > "$HS_TMP/expected-after.tsv"
check "$(wc -l < "$HS_TMP/after.tsv") credentials left = $N - $n_required" [ "$(wc -l < "$HS_TMP/after.tsv")" -eq $((N - n_required)) ]
if cmp -s "$HS_TMP/expected-after.tsv" "$HS_TMP/after.tsv"; then
  pass "every credential not chosen is byte-identical afterwards"
else
  fail "credentials not chosen changed"; diff "$HS_TMP/expected-after.tsv" "$HS_TMP/after.tsv" | head
fi

probe creds restore "$(winpath "$HS_TMP/backups/$(ls "$HS_TMP/backups")")" > "$HS_TMP/restore.tsv"; rc=$?
check "creds restore exits 0" [ "$rc" -eq 0 ]
check "restored=$n_required, none skipped or failed" grep -qx "restored=$n_required	skipped=0	failed=0" "$HS_TMP/restore.tsv"
check "one line per entry, each restored" [ "$(grep -c $'\tresult=restored$' "$HS_TMP/restore.tsv")" -eq "$n_required" ]
tool snapshot "$(winpath "$HS_TMP/restored.tsv")" >/dev/null
LC_ALL=C sort -o "$HS_TMP/restored.tsv" "$HS_TMP/restored.tsv"
if cmp -s "$HS_TMP/before.tsv" "$HS_TMP/restored.tsv"; then
  pass "after restore the vault is byte-identical to before"
else
  fail "restored vault differs"; diff "$HS_TMP/before.tsv" "$HS_TMP/restored.tsv" | head
fi

# named targets, one of them missing
probe creds delete --backup "$(winpath "$HS_TMP/backups2")" --target git:https://example.com \
  --target 'msteams_テスト' --target no-such-credential > "$HS_TMP/named.tsv"; rc=$?
check "named delete exits 0" [ "$rc" -eq 0 ]
check "git:https://example.com deleted" grep -qP '^target=git:https://example.com\ttype=generic\tresult=deleted$' "$HS_TMP/named.tsv"
check "msteams_テスト deleted" grep -qP '^target=msteams_テスト\ttype=generic\tresult=deleted$' "$HS_TMP/named.tsv"
check "a missing credential is not_found, not fatal" grep -qP '^target=no-such-credential\t.*result=not_found$' "$HS_TMP/named.tsv"
tool snapshot "$(winpath "$HS_TMP/after2.tsv")" >/dev/null
check "exactly two credentials fewer" [ "$(wc -l < "$HS_TMP/after2.tsv")" -eq $((N - 2)) ]
finish
