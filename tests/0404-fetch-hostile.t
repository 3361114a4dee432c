#!/bin/sh
# sme-fetch: a hostile server: endless, dripping, junk, bombs, redirects, deep JSON, evil folder names, folder loops
. "$(dirname "$0")/lib.sh"
. "$top/tests/standin.sh"
P='-f 2026-11-01 -t 2026-11-01T02:00:00Z'
D1=c4658dba-e558-5f13-8895-58fe59086a94
V="ValuesInPastMultiple/$D1?startDate=2026-10-31T23:00:00Z&endDate=2026-11-01T02:00:00Z&interval=15"
SME_API_RETRIES=0
export SME_API_RETRIES

standin --fault endless:/ValuesInPastMultiple
check 'a body that never ends: exit 4 at the size limit, nothing written' "sme-fetch $P 1001" <<EOF
>>>2
sme-fetch: $SME_API_URL/$V: reply larger than 67108864 bytes
>>>= 4
EOF

standin --fault bomb:/FolderMenu
check 'a gzip bomb: the limit counts what it unpacks to' "sme-fetch -L folders" <<EOF
>>>2
sme-fetch: $SME_API_URL/FolderMenu: reply larger than 67108864 bytes
>>>= 4
EOF

standin --fault drip:/ValuesInPastMultiple
t0=$(date +%s)
SME_API_TIMEOUT=1 sme-fetch $P 1001 >out 2>err
rc=$?
t1=$(date +%s)
[ $rc -eq 4 ] && [ ! -s out ] && [ $((t1 - t0)) -le 8 ] && grep -q 'timed out' err
ok $? "a byte every 0.5 s: the overall deadline ends it (exit $rc after $((t1 - t0)) s)"

standin --fault junk:/DeviceBySerial
check 'no HTTP at all: exit 4' "sme-fetch $P 1001 2>&1 >/dev/null | sed 's/: [^:]*\$/: X/'" <<EOF
>>>
sme-fetch: $SME_API_URL/DeviceBySerial?serial=1001: X
EOF

standin --log "$T/log" --fault redirect:/DeviceBySerial
check 'a redirect to another host is not followed' "sme-fetch $P 1001; grep -c DeviceBySerial '$T/log'" <<EOF
>>>
1
>>>2
sme-fetch: $SME_API_URL/DeviceBySerial?serial=1001: HTTP 302
>>>= 0
EOF

standin --fault deep:/FolderMenu
check 'JSON nested 100000 deep: exit 4, no crash' "sme-fetch -L folders" <<EOF
>>>2
sme-fetch: $SME_API_URL/FolderMenu: malformed or truncated JSON
>>>= 4
EOF

standin --fault names:/FolderMenu
export E; E="$(printf 'H\033[2J\r\nsme-fetch: done\342\200\256')$(printf 'x%.0s' $(seq 5000))"
check 'folder names from the server are escaped and cut in messages' "sme-fetch -F \"\$E\" $P" <<EOF
>>>2
sme-fetch: -F H\\e[2J\\r\\nsme-fetch: done\\xe2\\x80\\xae$(printf 'x%.0s' $(seq 95))...: 2 folders have that name (/Nord/H\\e[2J\\r\\nsme-fetch: done\\xe2\\x80\\xae$(printf 'x%.0s' $(seq 89))..., /Sued/H\\e[2J\\r\\nsme-fetch: done\\xe2\\x80\\xae$(printf 'x%.0s' $(seq 89))...): give the path or the id
>>>= 2
EOF
sme-fetch -L folders >out 2>err && [ ! -s err ] &&
    /usr/bin/python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' out &&
    [ "$(grep -c '"name":"H\\u001B\[2J\\r\\nsme-fetch: done.*x\{5000\}"' out)" -eq 2 ]
ok $? "... and kept whole, as valid JSON, in records"

standin
sme-fetch -F /Nord $P >good 2>&1 && sme-fetch -L devices >gooddev 2>&1
standin --fault loop:/FolderMenu
sme-fetch -F /Nord $P >out 2>err && cmp -s out good && [ ! -s err ]
ok $? "a folder that holds itself: no hang, each meter read once"

standin --fault dup:/Devices
sme-fetch -L devices >out 2>err && cmp -s out gooddev && [ ! -s err ]
ok $? "a device list that repeats every device: each listed once"

done_testing
