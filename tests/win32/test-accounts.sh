# Accounts: with nothing planted the list is empty and that is not an error;
# then accounts planted in the registry (CloudDomainJoin, WorkplaceJoin,
# IdentityCRL, Office identities) and .tbacct files are found, duplicates
# folded case-insensitively with their sources merged, work vs personal right.
out=$(probe accounts list); rc=$?
check "no keys, no files: exit 0" [ "$rc" -eq 0 ]
check "no keys, no files: no account" [ -z "$out" ]
tool plant-accounts >/dev/null || { echo "FAIL: planting"; exit 1; }
probe accounts list > "$HS_TMP/acc.tsv"; rc=$?
cat "$HS_TMP/acc.tsv"
check "exit 0" [ "$rc" -eq 0 ]
rec() { grep -i -P "^email=$1\t" "$HS_TMP/acc.tsv"; }
check "alice folded into one record (3 spellings, 3 sources)" [ "$(grep -ci '^email=alice@contoso.com' "$HS_TMP/acc.tsv")" -eq 1 ]
r=$(rec alice@contoso.com)
check "alice is work" [ "$(field "$r" kind)" = work ]
check "alice sources aad_join,workplace_join,office" [ "$(field "$r" sources)" = "aad_join,workplace_join,office" ]
r=$(rec bob@fabrikam.com)
check "bob: workplace_join + tbacct, work" [ "$(field "$r" sources)" = "workplace_join,tbacct" -a "$(field "$r" kind)" = work ]
r=$(rec carol@outlook.com)
check "carol: identitycrl + office (LiveId), personal" [ "$(field "$r" sources)" = "identitycrl,office" -a "$(field "$r" kind)" = personal ]
r=$(rec dave@tailspin.com)
check "dave: office SignInName with ProviderId OrgId, work" [ "$(field "$r" sources)" = "office" -a "$(field "$r" kind)" = work ]
r=$(rec erin@northwind.com)
check "erin: UPN found in a UTF-16 .tbacct, work" [ "$(field "$r" sources)" = "tbacct" -a "$(field "$r" kind)" = work ]
check "non-address subkey names are ignored" bash -c "! grep -q not-an-email '$HS_TMP/acc.tsv'"
check "exactly 5 accounts" [ "$(wc -l < "$HS_TMP/acc.tsv")" -eq 5 ]
# issue 11, point 9: the e-mail of a device join record is the account that
# joined the device (often IT's); alone it shows no signed-in account
wine reg add 'HKLM\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\JoinInfo\FEDCBA9876' /v UserEmail /t REG_SZ /d it-enrol@contoso.com /f >/dev/null 2>&1
probe accounts list > "$HS_TMP/acc2.tsv"
r=$(grep -i -P "^email=it-enrol@contoso.com\t" "$HS_TMP/acc2.tsv")
check "an address only in a join record: join_record_only=yes" [ "$(field "$r" sources)" = aad_join -a "$(field "$r" join_record_only)" = yes ]
r=$(grep -i -P "^email=alice@contoso.com\t" "$HS_TMP/acc2.tsv")
check "alice is also signed in elsewhere: join_record_only=no" [ "$(field "$r" join_record_only)" = no ]
check "work accounts live on ms-settings:workplace" [ "$(field "$r" settings_page)" = ms-settings:workplace ]
r=$(grep -i -P "^email=carol@outlook.com\t" "$HS_TMP/acc2.tsv")
check "personal accounts on ms-settings:emailandaccounts" [ "$(field "$r" settings_page)" = ms-settings:emailandaccounts ]
finish
