#!/bin/sh
# sme-fetch: API key, OAuth2 client credentials (reuse, expiry, refresh), Basic, the auth file; no secret shown
. "$(dirname "$0")/lib.sh"
. "$top/tests/standin.sh"
standin --log "$T/log" --key 'k3y-S3cret' --client 'cid:c-S3cret' --user 'u:p-S3cret'
P='-f 2026-11-01 -t 2026-11-01T02:00:00Z'
unset SME_API_KEY
nosecret() {	# nosecret FILE...: none of the secrets appears in them
	! grep -q 'S3cret' "$@"
}

check 'no credentials at all' "sme-fetch $P 1001" <<EOF
>>>2
sme-fetch: no credentials: set SME_API_KEY, SME_CLIENT_ID and SME_CLIENT_SECRET, or SME_USER and SME_PASSWORD, or give -A file
>>>= 2
EOF

check 'a wrong API key: exit 5 at once, the key not shown' \
    "SME_API_KEY=wrong-S3cret sme-fetch $P 1001 2>&1 | sed 's|/FolderMenu:|/DeviceBySerial?serial=1001:|'; grep -q ' 200$' '$T/log' || echo no 200" <<EOF
>>>
sme-fetch: $SME_API_URL/DeviceBySerial?serial=1001: HTTP 401: the credentials were refused
no 200
EOF
SME_API_KEY=wrong-S3cret sme-fetch $P 1001 >/dev/null 2>&1
ok $(($? != 5)) "... and exits 5"

SME_API_KEY=k3y-S3cret sme-fetch $P 1001 >key.out 2>key.err
ok $? "the API key is sent as Authorization: ApiKey"
[ "$(wc -l <key.out)" -eq 72 ] && [ ! -s key.err ] && grep -q 'ValuesInPast.* ApiKey 200$' "$T/log"
ok $? "... and reads 72 records"

: >"$T/log"
SME_CLIENT_ID=cid SME_CLIENT_SECRET=c-S3cret sme-fetch $P 1001 1002 -231328692 >oauth.out 2>oauth.err
ok $? "OAuth client credentials"
[ "$(grep -c '"meter":"1001"' oauth.out)" -eq 72 ] && grep '"meter":"1001"' oauth.out | cmp -s - key.out
ok $? "... read the same records"
[ "$(grep -c '^POST /oauth/token token 200$' "$T/log")" -eq 1 ] &&
    [ "$(grep -c ' Bearer 200$' "$T/log")" -ge 8 ] && ! grep -q ' 401$' "$T/log"
ok $? "... one token for all $(grep -c ' Bearer ' "$T/log") requests"

: >"$T/log"
SME_OAUTH_CLIENT_AUTH=body SME_CLIENT_ID=cid SME_CLIENT_SECRET=c-S3cret sme-fetch $P 1001 >/dev/null 2>body.err
ok $? "SME_OAUTH_CLIENT_AUTH=body sends id and secret in the form"

check 'a wrong client secret: exit 5, nothing shown' \
    "SME_CLIENT_ID=cid SME_CLIENT_SECRET=bad-S3cret sme-fetch $P 1001" <<EOF
>>>2
sme-fetch: $SME_API_URL/oauth/token: the client id or secret was refused (HTTP 401)
>>>= 5
EOF

check 'a client id without its secret' "SME_CLIENT_ID=cid sme-fetch $P 1001" <<EOF
>>>2
sme-fetch: the environment has SME_CLIENT_ID but not SME_CLIENT_SECRET
>>>= 2
EOF

# a token that expires while the run goes on is fetched again, before use
standin --log "$T/log" --client 'cid:c-S3cret' --token-ttl 1 --latency 0.15
: >"$T/log"
SME_CLIENT_ID=cid SME_CLIENT_SECRET=c-S3cret sme-fetch -j 1 $P 1001 1002 -231328692 >exp.out 2>exp.err
rc=$?
n=$(grep -c '^POST /oauth/token token 200$' "$T/log")
[ $rc -eq 0 ] && [ "$n" -ge 2 ] && [ "$(grep -c '"meter":"1002"' exp.out)" -eq 36 ]
ok $? "an expiring token is renewed before it runs out ($n tokens, exit $rc)"

# the server drops a token early: one new token, the request again
standin --log "$T/log" --client 'cid:c-S3cret' --fault 401:/ValuesInPastMultiple:1
: >"$T/log"
SME_CLIENT_ID=cid SME_CLIENT_SECRET=c-S3cret sme-fetch $P 1001 >re.out 2>re.err
rc=$?
[ $rc -eq 0 ] && [ "$(grep -c '^POST /oauth/token' "$T/log")" -eq 2 ] && cmp -s re.out key.out
ok $? "a 401 on a token gets one new token and the request is sent again (exit $rc)"

standin --log "$T/log" --client 'cid:c-S3cret' --fault 401:/ValuesInPastMultiple
check 'a 401 again after the new token: exit 5' \
    "SME_CLIENT_ID=cid SME_CLIENT_SECRET=c-S3cret sme-fetch $P 1001 2>&1 | sed 's/=[^&]*&/=X\\&/g'" <<EOF
>>>
sme-fetch: $SME_API_URL/ValuesInPastMultiple/c4658dba-e558-5f13-8895-58fe59086a94?startDate=X&endDate=X&interval=15: HTTP 401: the credentials were refused
EOF

standin --log "$T/log" --user 'u:p-S3cret'
check 'Basic: works, with one warning' "SME_USER=u SME_PASSWORD=p-S3cret sme-fetch $P 1001 | wc -l" <<EOF
>>>
72
>>>2
sme-fetch: warning: basic authentication is deprecated by smart-me; use an API key or OAuth client credentials
EOF

# the auth file
standin --log "$T/log" --key 'k3y-S3cret'
printf '# sme credentials\n\n  SME_API_KEY =  k3y-S3cret  \n' >auth
chmod 644 auth
check 'an auth file others can read: exit 5' "sme-fetch -A auth $P 1001" <<EOF
>>>2
sme-fetch: auth file auth: others can read it (mode 644): refused; chmod 600 it
>>>= 5
EOF
mkfifo fifo
check 'a FIFO others can read: refused as a file is, not waited on' "timeout 5 sme-fetch -A fifo $P 1001" <<EOF
>>>2
sme-fetch: auth file fifo: others can read it (mode 644): refused; chmod 600 it
>>>= 5
EOF
chmod 600 fifo
check 'a FIFO no one writes to: given up after 10 s' "timeout 30 sme-fetch -A fifo $P 1001" <<EOF
>>>2
sme-fetch: auth file fifo: no data within 10 s
>>>= 6
EOF
(printf 'SME_API_KEY = k3y-S3cret\n' >fifo) &
wpid=$!
SME_API_KEY=wrong timeout 30 sme-fetch -A fifo $P 1001 >fifo.out 2>fifo.err && cmp -s fifo.out key.out
ok $? "a FIFO with a writer is read as the auth file"
kill $wpid 2>/dev/null
wait $wpid
SME_API_KEY=wrong bash -c "timeout 30 sme-fetch -A <(printf 'SME_API_KEY = k3y-S3cret\n') $P 1001" >pipe.out 2>pipe.err && cmp -s pipe.out key.out
ok $? "a pipe, <(printf ...), is read as the auth file"
check 'a pipe whose writer does not end: given up after 10 s' \
    "bash -c \"timeout 30 sme-fetch -A <(printf 'SME_API_KEY = k3y-S3cret\\\\n'; sleep 15 2>/dev/null) $P 1001\" 2>&1 | sed 's|/dev/fd/[0-9]*|PIPE|'" <<EOF
>>>
sme-fetch: auth file PIPE: no end of the data within 10 s
EOF
check 'a folder as auth file' "sme-fetch -A . $P 1001" <<EOF
>>>2
sme-fetch: auth file .: not a regular file
>>>= 6
EOF
chmod 600 auth
SME_API_KEY=wrong sme-fetch -A auth $P 1001 >file.out 2>file.err && cmp -s file.out key.out
ok $? "an auth file (mode 600) is used, not the environment"
printf 'SME_API_KEY k3y-S3cret\n' >bad1
printf 'SME_APIKEY = k3y-S3cret\n' >bad2
printf 'k3y-S3cret\n' >bad3
chmod 600 bad1 bad2 bad3
check 'auth file lines that are no NAME = value' \
    "sme-fetch -A bad1 $P 1001; sme-fetch -A bad2 $P 1001; sme-fetch -A bad3 $P 1001" <<EOF
>>>2
sme-fetch: bad1:1: not a NAME = value line
sme-fetch: bad2:1: unknown name SME_APIKEY (SME_API_KEY, SME_CLIENT_ID, SME_CLIENT_SECRET, SME_USER or SME_PASSWORD)
sme-fetch: bad3:1: not a NAME = value line
>>>= 2
EOF

printf 'SME_API_KEY = de\rmo-S3cret\n' >cr
printf 'SME_API_KEY = de\000mo-S3cret\n' >nul
printf 'SME_API_KEY =   \r\n' >empty
printf 'SME_API_KEY = k3y-S3cret\r\n' >crlf
chmod 600 cr nul empty crlf
check 'auth file values with a CR, a NUL, or none: each named as it is, the value not shown' \
    "sme-fetch -A cr $P 1001; sme-fetch -A nul $P 1001; sme-fetch -A empty $P 1001" <<EOF
>>>2
sme-fetch: cr:1: SME_API_KEY holds a carriage return: refused
sme-fetch: nul:1: SME_API_KEY holds a NUL byte: refused
sme-fetch: empty:1: SME_API_KEY is empty: refused
>>>= 2
EOF
SME_API_KEY=wrong sme-fetch -A crlf $P 1001 >crlf.out 2>crlf.err && cmp -s crlf.out key.out
ok $? "an auth file with CRLF line ends is read (the CR before LF is no part of the key)"

# no secret anywhere: output, messages, the argv of sme-fetch
for f in key.out key.err oauth.out oauth.err body.err exp.err re.err file.err crlf.err fifo.err pipe.err; do
	nosecret "$f" || { echo "# secret in $f"; false; } || break
done
ok $? "no secret in any output or message"
standin --key 'k3y-S3cret' --latency 1
SME_API_KEY=k3y-S3cret sme-fetch -f 2026-11-01 -t 2026-11-05 -F /Nord >/dev/null 2>&1 &
pid=$!
sleep 0.5
tr '\0' ' ' </proc/$pid/cmdline >cmdline && grep -q 'sme-fetch -f' cmdline && ! grep -q S3cret cmdline
ok $? "no secret in the command line"
wait $pid
done_testing
