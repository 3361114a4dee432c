#!/bin/sh
# sme-fetch: readings from the API stand-in: order, exact values, grid, seams, clock changes, gaps, scale
. "$(dirname "$0")/lib.sh"
. "$top/tests/standin.sh"
standin --log "$T/log"
D1=c4658dba-e558-5f13-8895-58fe59086a94
D2=df8e860e-10ef-545d-bcaa-b19538213505
DN=474635c3-bbf3-5f44-9595-7b1d4609c5bc
DB=fb49f7d6-9a6b-59d7-90d5-46f0c8bdae87
R=',"unit":"kWh"}'

check 'usage: no meter' 'sme-fetch -f 2026-11-01 -t 2026-11-02' <<EOF
>>>2
sme-fetch: no meter: give meters or -F folder
>>>= 2
EOF

check 'usage: from >= to' 'sme-fetch -f 2026-11-02 -t 2026-11-01 1001' <<EOF
>>>2
sme-fetch: -f 2026-11-02 is not before -t 2026-11-01
>>>= 2
EOF

check 'usage: the period is needed' 'sme-fetch -f 2026-11-02 1001' <<EOF
>>>2
sme-fetch: give the period with -f and -t
>>>= 2
EOF

check 'usage: a bad time' 'sme-fetch -f 2026-11-32 -t 2026-12-01 1001' <<EOF
>>>2
sme-fetch: -f: bad time "2026-11-32" (RFC 3339, or a date such as 2026-11-01)
>>>= 2
EOF

check 'usage: an interval the API cannot ask for' 'sme-fetch -i 90s -f 2026-11-01 -t 2026-11-02 1001' <<EOF
>>>2
sme-fetch: -i: "90s": the API's grid is whole minutes
>>>= 2
EOF

check 'usage: a meter that is no id and no serial' 'sme-fetch -f 2026-11-01 -t 2026-11-02 12a4' <<EOF
>>>2
sme-fetch: meter 12a4: neither a device id (UUID) nor a serial number
>>>= 2
EOF

check 'usage: an unknown zone' 'sme-fetch -z Mars/Base -f 2026-11-01 -t 2026-11-02 1001' <<EOF
>>>2
sme-fetch: -z: unknown zone "Mars/Base"
>>>= 2
EOF

check 'usage: -j out of range' 'sme-fetch -j 0 -f 2026-11-01 -t 2026-11-02 1001' <<EOF
>>>2
sme-fetch: -j: "0": 1 to 256 transfers
>>>= 2
EOF

check 'usage: credentials in the URL are refused' 'sme-fetch -a https://u:secret@api.example -f 2026-11-01 -t 2026-11-02 1001' <<EOF
>>>2
sme-fetch: -a: credentials in the URL are refused (use SME_API_KEY or -A)
>>>= 2
EOF

check 'readings: by meter (numerically: negative first, > 2^53 last), time, code; serials exact; Wh becomes kWh' \
    'sme-fetch -f 2026-11-01T00:00:00Z -t 2026-11-01T00:30:00Z 9007199254740993 1002 -231328692 2001 -i 15m' <<EOF
>>>
{"meter":"-231328692","device":"$DN","mpid":"CH1234501234500000000000000104001","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":5531.792$R
{"meter":"-231328692","device":"$DN","mpid":"CH1234501234500000000000000104001","obis":"1-0:1.8.1*255","time":"2026-11-01T00:00:00Z","value":2665.379$R
{"meter":"-231328692","device":"$DN","mpid":"CH1234501234500000000000000104001","obis":"1-0:1.8.2*255","time":"2026-11-01T00:00:00Z","value":2866.413$R
{"meter":"-231328692","device":"$DN","mpid":"CH1234501234500000000000000104001","obis":"1-0:1.8.0*255","time":"2026-11-01T00:15:00Z","value":5531.822$R
{"meter":"-231328692","device":"$DN","mpid":"CH1234501234500000000000000104001","obis":"1-0:1.8.1*255","time":"2026-11-01T00:15:00Z","value":2665.379$R
{"meter":"-231328692","device":"$DN","mpid":"CH1234501234500000000000000104001","obis":"1-0:1.8.2*255","time":"2026-11-01T00:15:00Z","value":2866.443$R
{"meter":"1002","device":"$D2","mpid":"CH1234501234500000000000000101002","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":4459.465$R
{"meter":"1002","device":"$D2","mpid":"CH1234501234500000000000000101002","obis":"1-0:1.8.1*255","time":"2026-11-01T00:00:00Z","value":2210.826$R
{"meter":"1002","device":"$D2","mpid":"CH1234501234500000000000000101002","obis":"1-0:1.8.2*255","time":"2026-11-01T00:00:00Z","value":2248.639$R
{"meter":"1002","device":"$D2","mpid":"CH1234501234500000000000000101002","obis":"1-0:1.8.0*255","time":"2026-11-01T00:15:00Z","value":4459.630$R
{"meter":"1002","device":"$D2","mpid":"CH1234501234500000000000000101002","obis":"1-0:1.8.1*255","time":"2026-11-01T00:15:00Z","value":2210.826$R
{"meter":"1002","device":"$D2","mpid":"CH1234501234500000000000000101002","obis":"1-0:1.8.2*255","time":"2026-11-01T00:15:00Z","value":2248.804$R
{"meter":"2001","device":"8cc33ee1-39ab-575a-9922-49d488f9660e","obis":"8-0:1.0.0*255","time":"2026-11-01T00:00:00Z","value":2972.138,"unit":"m3"}
{"meter":"2001","device":"8cc33ee1-39ab-575a-9922-49d488f9660e","obis":"8-0:1.0.0*255","time":"2026-11-01T00:15:00Z","value":2972.148,"unit":"m3"}
{"meter":"9007199254740993","device":"$DB","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":8638.280$R
{"meter":"9007199254740993","device":"$DB","obis":"1-0:1.8.1*255","time":"2026-11-01T00:00:00Z","value":3959.657$R
{"meter":"9007199254740993","device":"$DB","obis":"1-0:1.8.2*255","time":"2026-11-01T00:00:00Z","value":4678.623$R
{"meter":"9007199254740993","device":"$DB","obis":"1-0:1.8.0*255","time":"2026-11-01T00:15:00Z","value":8638.416$R
{"meter":"9007199254740993","device":"$DB","obis":"1-0:1.8.1*255","time":"2026-11-01T00:15:00Z","value":3959.657$R
{"meter":"9007199254740993","device":"$DB","obis":"1-0:1.8.2*255","time":"2026-11-01T00:15:00Z","value":4678.759$R
EOF

check 'a device id, its serial and its folder name one meter, written once; -m sets the mpid' \
    "sme-fetch -m CH0000 -i 1h -f 2026-11-01T00:00:00Z -t 2026-11-01T01:00:00Z $D2 1002 -F '/Nord/Haus 3' | grep -c '\"mpid\":\"CH0000\"'" <<EOF
>>>
9
EOF

check '-u 1 keeps the wire number of a device that sends Wh' \
    'sme-fetch -u 1 -f 2026-11-01T00:00:00Z -t 2026-11-01T00:15:00Z 1002' <<EOF
>>>
{"meter":"1002","device":"$D2","mpid":"CH1234501234500000000000000101002","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":4459465$R
{"meter":"1002","device":"$D2","mpid":"CH1234501234500000000000000101002","obis":"1-0:1.8.1*255","time":"2026-11-01T00:00:00Z","value":2210826$R
{"meter":"1002","device":"$D2","mpid":"CH1234501234500000000000000101002","obis":"1-0:1.8.2*255","time":"2026-11-01T00:00:00Z","value":2248639$R
EOF

# the calibrated value equals the counter reading the API gives for that instant
c=$(curl -sS -H "Authorization: ApiKey demo-key" "$SME_API_URL/MeterValues/$D2?date=2026-11-01T00:00:00Z" |
    sed 's/.*"CounterReading":\([0-9.]*\),.*/\1/')
v=$(sme-fetch -f 2026-11-01T00:00:00Z -t 2026-11-01T00:15:00Z 1002 | sed -n '1s/.*"value":\([0-9.]*\),.*/\1/p')
[ -n "$c" ] && [ "$c" = "$v" ]
ok $? "the value of a Wh device is its counter reading in kWh, digit for digit ($v = $c)"

check 'a device whose values fit no scale: exit 3 naming it and both values, no output' \
    'sme-fetch -f 2026-11-01 -t 2026-11-02 1005' <<EOF
>>>2
sme-fetch: meter 1005 (device f4d51c8d-861e-5010-88c7-4cc30a56d424): no scale of 1, 0.001 or 0.000001 fits: 1-0:1.8.0*255 is 85433760 at 2026-10-31T23:00:00Z, the counter reading 8543.376 kWh (-u sets the scale)
>>>= 3
EOF

# one day of a folder, any number of transfers: the same bytes
sme-fetch -j 1 -F /Nord -f 2026-11-01 -t 2026-11-02 >j1 2>j1.err
r1=$?
sme-fetch -j 32 -F /Nord -f 2026-11-01 -t 2026-11-02 >j32 2>j32.err
r32=$?
[ $r1 -eq 0 ] && [ $r32 -eq 0 ] && [ ! -s j1.err ] && [ ! -s j32.err ] && cmp -s j1 j32 &&
    diff -u "$top/tests/golden/fetch-nord.jsonl" j32 >/dev/null
ok $? "-j 1 and -j 32 write the same bytes, the golden file ($(wc -l <j32) records)"
sme-csv j32 >/dev/null 2>csv.err && [ ! -s csv.err ]
ok $? "sme-csv takes the output as it is sorted"

# seams: 1000-value chunks and 6-value chunks give the same records
: >"$T/log"
sme-fetch -F /Nord -f 2026-03-01 -t 2026-11-01 >big 2>big.err
rb=$?
SME_API_MAX_VALUES=200 sme-fetch -F /Nord -f 2026-03-01 -t 2026-11-01 >small 2>small.err
rs=$?
n=$(grep -c '"1-0:1.8.0\*255"' big)
want=$(( ($(TZ=Europe/Zurich date -d 2026-11-01 +%s) - $(TZ=Europe/Zurich date -d 2026-03-01 +%s)) / 900 * 3 ))
[ $rb -eq 0 ] && [ $rs -eq 0 ] && cmp -s big small && [ "$n" = "$want" ] &&
    ! grep -q ' 400$' "$T/log" && [ "$(sort big | uniq -d | wc -l)" -eq 0 ]
ok $? "chunks of 1000 and of 200 values stitch to the same $n readings across both clock changes, none twice, no 400"
nq=$((want / 3))
got=$(grep -c 'ValuesInPastMultiple/'"$D1" "$T/log")
[ "$got" -eq $(( (nq + 998) / 999 + (nq + 198) / 199 )) ]
ok $? "$nq quarter-hours: 1000-value chunks overlap by one, as 200-value chunks do ($got requests)"
for d in 2026-03-28/2026-03-31 2026-10-24/2026-10-27; do
	sme-fetch -f ${d%/*} -t ${d#*/} 1001 >a 2>&1 &&
	    SME_API_MAX_VALUES=2 sme-fetch -f ${d%/*} -t ${d#*/} 1001 >b 2>&1 &&
	    cmp -s a b && [ "$(grep -c "1-0:1\.8\.0" a)" -eq $(( ($(TZ=Europe/Zurich date -d ${d#*/} +%s) - $(TZ=Europe/Zurich date -d ${d%/*} +%s)) / 900 )) ]
	ok $? "one value a request stitches the clock change of $d alike"
done

standin --cap 50
check 'a server cap lower than assumed: the 400 exits 4 naming the URL' \
    'sme-fetch -F "/Nord/Haus 4" -f 2026-11-01 -t 2026-11-02' <<EOF
>>>2
sme-fetch: $SME_API_URL/ValuesInPastMultiple/$DN?startDate=2026-10-31T23:00:00Z&endDate=2026-11-01T23:00:00Z&interval=15: HTTP 400
>>>= 4
EOF
SME_API_MAX_VALUES=50 sme-fetch -a "$SME_API_URL/api/" -F "/Nord/Haus 4" -f 2026-11-01 -t 2026-11-02 >cap50 &&
    [ "$(grep -c '"meter":"-231328692"' cap50)" -eq $((96 * 3)) ] &&
    grep '"meter":"-231328692"' j32 | cmp -s - cap50
ok $? "SME_API_MAX_VALUES follows a lower cap; the /api prefix of older hosts works"
standin

check 'a day of 25 hours has 100 quarter-hours, one of 23 has 92' \
    'sme-fetch -f 2026-10-25 -t 2026-10-26 1001 | grep -c "1-0:1[.]8[.]0"; sme-fetch -f 2026-03-29 -t 2026-03-30 1001 | grep -c "1-0:1[.]8[.]0"' <<EOF
>>>
100
92
EOF

check '-i 1h and -z: the grid starts at local midnight of the zone' \
    'sme-fetch -z UTC -i 1h -f 2026-11-01 -t 2026-11-01T03:00:00Z 2001 | cut -d, -f4' <<EOF
>>>
"time":"2026-11-01T00:00:00Z"
"time":"2026-11-01T01:00:00Z"
"time":"2026-11-01T02:00:00Z"
EOF

sme-fetch -F "/Sued/Haus 3" -f 2026-11-01 -t 2026-11-02 >gaps 2>gaps.err
echo $? >gaps.rc
check 'an offline meter and one with a hole: named with the missing period, exit 1; what exists is written' \
    'cut -d, -f1 gaps | uniq -c | sed "s/^ *//"; cat gaps.rc; cat gaps.err >&2' <<EOF
>>>
135 {"meter":"1003"
276 {"meter":"1004"
288 {"meter":"12345"
288 {"meter":"9007199254740993"
1
>>>2
sme-fetch: meter 1003: no values from 2026-11-01T10:15:00Z to 2026-11-01T23:00:00Z (last value at 2026-11-01T10:00:00.0500519Z)
sme-fetch: meter 1004: no values from 2026-11-01T12:00:00Z to 2026-11-01T13:00:00Z
EOF

standin --gaps repeat
check 'an API that repeats the last value of an offline meter: its ValueDate tells, nothing is invented' \
    'sme-fetch -f 2026-11-01 -t 2026-11-02 1003 | wc -l' <<EOF
>>>
135
>>>2
sme-fetch: meter 1003: no values from 2026-11-01T10:15:00Z to 2026-11-01T23:00:00Z (last value at 2026-11-01T10:00:00.0500519Z)
EOF
standin

check 'a folder by its id' 'sme-fetch -F ce0d21b2-af05-593e-ba9d-c45cbfb80ff7 -f 2026-11-01 -t 2026-11-02 | cut -d, -f1 | uniq' <<EOF
>>>
{"meter":"1001"
{"meter":"1002"
EOF

check 'a folder name that two folders have' 'sme-fetch -F "Haus 3" -f 2026-11-01 -t 2026-11-02' <<EOF
>>>2
sme-fetch: -F Haus 3: 2 folders have that name (/Nord/Haus 3, /Sued/Haus 3): give the path or the id
>>>= 2
EOF

check 'a folder that does not exist' 'sme-fetch -F /Nord/Haus -f 2026-11-01 -t 2026-11-02' <<EOF
>>>2
sme-fetch: -F /Nord/Haus: no such folder
>>>= 2
EOF

check 'a serial that does not exist' 'sme-fetch -f 2026-11-01 -t 2026-11-02 1001 4711' <<EOF
>>>2
sme-fetch: meter 4711: no such device
>>>= 2
EOF

check 'a device id that does not exist' 'sme-fetch -f 2026-11-01 -t 2026-11-02 00000000-0000-0000-0000-000000000000' <<EOF
>>>2
sme-fetch: meter 00000000-0000-0000-0000-000000000000: no such device
>>>= 2
EOF

check 'no value has binary-float noise or more digits than sent' \
    "grep -cE '\"value\":-?[0-9]+\\.[0-9]{4,},' big" <<EOF
>>>
0
>>>= 1
EOF

check 'the demo chain: a folder, a load profile in the MSCONS dialect (-t one reading later for 96 intervals)' \
    'sme-fetch -F /Nord -f 2026-11-01 -t 2026-11-02T00:15:00+01:00 | sme-obis -k "1.8.0;2.8.0" -p -t mscons | cut -d, -f1,4 | sort | uniq -c | sed "s/^ *//"' <<EOF
>>>
96 {"meter":"-231328692","obis":"1-1:1.29.0*255"
96 {"meter":"1001","obis":"1-1:1.29.0*255"
96 {"meter":"1001","obis":"1-1:2.29.0*255"
96 {"meter":"1002","obis":"1-1:1.29.0*255"
EOF

done_testing
