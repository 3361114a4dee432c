#!/bin/sh
# sme-fetch: a hostile or failing server: down, 429, 5xx, reset mid-body, truncated JSON, HTML, slow; signals
. "$(dirname "$0")/lib.sh"
. "$top/tests/standin.sh"
P='-f 2026-11-01 -t 2026-11-01T02:00:00Z'
D1=c4658dba-e558-5f13-8895-58fe59086a94
V="ValuesInPastMultiple/$D1?startDate=2026-10-31T23:00:00Z&endDate=2026-11-01T02:00:00Z&interval=15"
standin
sme-fetch $P 1001 >good 2>&1 && [ "$(wc -l <good)" -eq 72 ]
ok $? "the readings without faults"

standin --log "$T/log" --fault 429:/ValuesInPastMultiple:1 --retry-after 1
t0=$(date +%s%N)
sme-fetch $P 1001 >out 2>err
rc=$?
t1=$(date +%s%N)
[ $rc -eq 0 ] && cmp -s out good && [ ! -s err ] && [ $((t1 - t0)) -ge 1000000000 ] &&
    [ "$(grep -c "ValuesInPastMultiple.* 429$" "$T/log")" -eq 1 ]
ok $? "a 429 is retried after its Retry-After of 1 s ($(((t1 - t0) / 1000000)) ms)"

standin --log "$T/log" --fault 503:/ValuesInPastMultiple
check '503 every time: exit 4 after the retries, naming the URL' \
    "SME_API_RETRIES=2 sme-fetch $P 1001; grep -c ' 503$' '$T/log'" <<EOF
>>>
3
>>>2
sme-fetch: $SME_API_URL/$V: HTTP 503, after retries
>>>= 0
EOF

standin --fault 500:/DeviceBySerial:2
sme-fetch $P 1001 >out 2>err && cmp -s out good && [ ! -s err ]
ok $? "two 500s, then an answer: the readings"

standin --fault reset:/ValuesInPastMultiple:1
sme-fetch $P 1001 >out 2>err && cmp -s out good && [ ! -s err ]
ok $? "a connection reset mid-body is retried"

standin --fault reset:/ValuesInPastMultiple
check 'reset every time: exit 4 with the reason, nothing written' \
    "SME_API_RETRIES=1 sme-fetch $P 1001 2>&1 >out | sed 's/with [0-9]* bytes/with N bytes/'; wc -c <out" <<EOF
>>>
sme-fetch: $SME_API_URL/$V: transfer closed with N bytes remaining to read
0
EOF

standin --fault truncated:/ValuesInPastMultiple
check 'truncated JSON: exit 4 naming the URL' "sme-fetch $P 1001" <<EOF
>>>2
sme-fetch: $SME_API_URL/$V: malformed or truncated JSON
>>>= 4
EOF

standin --fault html:/FolderMenu
check 'a 200 with an HTML page: exit 4' "sme-fetch $P 1001" <<EOF
>>>2
sme-fetch: $SME_API_URL/FolderMenu: the reply is not JSON (content-type text/html)
>>>= 4
EOF

standin --fault slow:/MeterValues
check 'a server that does not answer: the timeout, exit 4' \
    "SME_API_TIMEOUT=1 SME_API_RETRIES=0 sme-fetch $P 1001" <<EOF
>>>2
sme-fetch: $SME_API_URL/MeterValues/$D1?date=2026-10-31T23:00:00Z: Operation too slow. Less than 1 bytes/sec transferred the last 1 seconds
>>>= 4
EOF

# the stand-in is stopped: nothing listens on its port any more
url=$SME_API_URL
standin_stop
check 'the server is down: exit 4 after the retries' \
    "SME_API_RETRIES=1 sme-fetch -a $url $P 1001 2>&1 | sed 's/after [0-9]* ms/after N ms/; s|$url/[^:]*:|URL:|'" <<EOF
>>>
sme-fetch: URL: Failed to connect to 127.0.0.1 port ${url##*:} after N ms: Couldn't connect to server
EOF

standin
http_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 all_proxy=http://127.0.0.1:9 \
    sme-fetch $P 1001 >out 2>err && cmp -s out good
ok $? "proxies in the environment are not used (they would see the key)"

standin --latency 0.5
mkfifo fifo
cat fifo >piped &
cpid=$!
sme-fetch -F /Nord -f 2026-10-01 -t 2026-12-01 >fifo 2>/dev/null &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
rc=$?
wait $cpid
[ $rc -eq 143 ] && [ ! -s piped ]
ok $? "SIGTERM during the run: it dies of the signal, nothing reaches the pipe (exit $rc)"

done_testing
