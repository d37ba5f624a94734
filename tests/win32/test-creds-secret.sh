# A secret planted in the Wine vault (the blob of two credentials, one that
# step 2 deletes and one it keeps) never appears in anything the Windows
# layer prints or writes: list, delete with backup, restore, a refused
# damaged backup, and the backup file itself. Looked for as UTF-8, UTF-16LE,
# hex and base64 (every alignment), so an encoding slip is caught too. The
# secret is still there afterwards, byte for byte, where it belongs.
SECRET="HsPlanted-Secret-9f27c1d4-CorrectHorse"
GONE="msteams_adalsso/adal_context_77"
KEPT="git:https://example.com/secret-keep"
ALL="$HS_TMP/everything-printed.txt"
: > "$ALL"
# run COMMAND...: runs it with stdout and stderr appended to $ALL
run() { "$@" >> "$ALL" 2>&1; }

# leaks FILE...: prints every encoding of the secret found in the files
leaks() {
  python3 - "$SECRET" "$@" <<'EOF'
import base64, binascii, sys
secret = sys.argv[1]
forms = {}
for enc in ("utf-8", "utf-16-le"):
    raw = secret.encode(enc)
    forms[enc] = raw
    forms[enc + " hex"] = binascii.hexlify(raw)
    forms[enc + " HEX"] = binascii.hexlify(raw).upper()
    for skip in range(3):
        b = base64.b64encode(raw[skip:])
        forms["%s base64+%d" % (enc, skip)] = b[4:-4]   # alignment-independent middle
for path in sys.argv[2:]:
    data = open(path, "rb").read()
    for name, needle in forms.items():
        if needle and needle in data:
            print("%s: %s" % (path, name))
EOF
}

tool plant-creds 200 "$(winpath "$HS_TMP/manifest.tsv")" >/dev/null || { echo "FAIL: planting"; exit 1; }
tool plant-secret "$GONE" "$SECRET" && tool plant-secret "$KEPT" "$SECRET" \
  || { echo "FAIL: planting the secret"; exit 1; }
tool check-secret "$GONE" "$SECRET" && tool check-secret "$KEPT" "$SECRET"
check "the secret is in the vault before anything runs" [ $? -eq 0 ]

# a planted secret must be findable by the scanner, or the test proves nothing
printf 'x%sx' "$SECRET" > "$HS_TMP/canary.txt"
printf 'x%sx' "$SECRET" | iconv -f UTF-8 -t UTF-16LE > "$HS_TMP/canary16.txt"
printf '%s' "$SECRET" | iconv -f UTF-8 -t UTF-16LE | base64 -w0 > "$HS_TMP/canary64.txt"
check "the scanner finds the secret in plain, UTF-16LE and base64 canaries" \
  [ "$(leaks "$HS_TMP/canary.txt" "$HS_TMP/canary16.txt" "$HS_TMP/canary64.txt" | wc -l)" -ge 3 ]

run probe creds list
check "creds list names both credentials (the listing ran)" grep -q "$GONE" "$ALL"
run probe creds delete --backup "$(winpath "$HS_TMP/backups")"
backup=$(ls "$HS_TMP/backups"/* 2>/dev/null | head -n1)
check "the delete wrote one backup" [ -n "$backup" ]
tool check-secret "$GONE" "$SECRET"; r1=$?
tool check-secret "$KEPT" "$SECRET"; r2=$?
check "the Teams credential is gone, the other one untouched (rc $r1, $r2)" [ "$r1" -eq 3 -a "$r2" -eq 0 ]

# a damaged copy: refused, and its error message quotes nothing from inside
cp "$backup" "$HS_TMP/damaged.bak"
# (inside the ciphertext, counted from the end: Wine's CryptUnprotectData
# does not check every header byte of its blob, and the blob's description,
# which carries the backup's creation time, moves the ciphertext)
printf '\x00\x01\x02\x03' | dd of="$HS_TMP/damaged.bak" bs=1 seek=$(( $(stat -c %s "$backup") - 120 )) conv=notrunc 2>/dev/null
run probe creds restore "$(winpath "$HS_TMP/damaged.bak")"; rc=$?
check "a damaged backup is refused (exit $rc)" [ "$rc" -ne 0 ]
tool check-secret "$GONE" "$SECRET"
check "and restores nothing" [ $? -eq 3 ]

run probe creds restore "$(winpath "$backup")"; rc=$?
check "the backup restores (exit $rc)" [ "$rc" -eq 0 ]
tool check-secret "$GONE" "$SECRET"
check "the secret is back byte for byte" [ $? -eq 0 ]
run probe creds list
run probe creds delete --backup "$(winpath "$HS_TMP/backups2")" --target "$GONE"

found=$(leaks "$ALL" "$backup" "$HS_TMP"/backups2/* "$HS_TMP/damaged.bak")
check "no form of the secret in $(wc -l < "$ALL") lines of output or in any backup file" [ -z "$found" ]
[ -z "$found" ] || echo "$found"
finish
