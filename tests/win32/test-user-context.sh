# Issue 11, point 4: the process's user and the session's user. Under Wine
# they are the same account (one user, one session); a different session
# user is unit-tested over the session_user seam (hs-wine-unit11.c).
out=$(probe user context); rc=$?
echo "$out"
check "user context exits 0" [ "$rc" -eq 0 ]
check "same_user=yes under Wine" [ "$(field "$out" same_user)" = yes ]
check "both names are reported" [ -n "$(field "$out" process_user)" -a -n "$(field "$out" session_user)" ]
check "the session id is a number" grep -qE '^[0-9]+$' <<<"$(field "$out" session_id)"
finish
