#!/bin/sh
# sme-obis: normalising, dialects, filters, profiles, feeds, bad input
. "$(dirname "$0")/lib.sh"

R='"unit":"kWh"'
check 'usage: unknown format' 'sme-obis -t xls' <<EOF
>>>2
sme-obis: -t: unknown format "xls" (csv, ise or mscons)
>>>= 2
EOF

check 'usage: bad code in -k' 'sme-obis -k "1.8.0;1.8"' <<EOF
>>>2
sme-obis: -k: bad OBIS code "1.8"
>>>= 2
EOF

check 'usage: -p and -f together' 'sme-obis -p -f' <<EOF
>>>2
usage: sme-obis [-t csv | ise | mscons] [-k codes] [-x codes] [-p | -f] [-i interval] [-v] [-l] [file ...]
>>>= 2
EOF

check 'usage: bad interval' 'sme-obis -p -i 15q' <<EOF
>>>2
sme-obis: -i: bad interval "15q" (e.g. 15m, 1h, 900)
>>>= 2
EOF

check 'usage: -l lists, it takes no input or other work' 'sme-obis -l -p' <<EOF
>>>2
usage: sme-obis [-t csv | ise | mscons] [-k codes] [-x codes] [-p | -f] [-i interval] [-v] [-l] [file ...]
>>>= 2
EOF

check 'bad input: a difference of more than 18 digits' 'sme-obis -p' <<EOF
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":-999999999999999999,$R}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":999999999999999999,$R}
>>>2
sme-obis: <stdin>:2: meter 1, 1-0:1.8.0*255: the difference cannot be represented exactly
>>>= 3
EOF

check 'every code form becomes the full form; unknown members pass' 'sme-obis' <<EOF
{"meter":"1","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"1","obis":"1-0: 1.8.1 * 255","time":"2026-11-01T00:00:00Z","value":2,$R,"note":"x y"}
{"meter":"1","obis":"1.8.2","time":"2026-11-01T00:00:00Z","value":3.10,$R}
{"unit":"kWh","value":4,"time":"2026-11-01T01:00:00+01:00","obis":"0100020800FF","meter":1,"extra":{"a":[1,{"b":null}]}}
>>>
{"meter":"1","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}
{"meter":"1","obis":"1-0:1.8.1*255","time":"2026-11-01T00:00:00Z","value":2,"unit":"kWh","note":"x y"}
{"meter":"1","obis":"1-0:1.8.2*255","time":"2026-11-01T00:00:00Z","value":3.10,"unit":"kWh"}
{"meter":"1","obis":"1-0:2.8.0*255","time":"2026-11-01T00:00:00Z","value":4,"unit":"kWh","extra":{"a":[1,{"b":null}]}}
EOF

check '-t ise maps the channel and drops what IS-E cannot carry, with one warning' 'sme-obis -t ise' <<EOF
{"meter":"1","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"1","obis":"6-0:1.0.0*255","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"1","obis":"1-0:32.7.0*255","time":"2026-11-01T00:00:00Z","value":230,"unit":"V"}
{"meter":"1","obis":"1-0:32.7.0*255","time":"2026-11-01T00:15:00Z","value":231,"unit":"V"}
{"meter":"1","obis":"1-0:1.8.0*0","time":"2026-11-01T00:15:00Z","value":1,$R}
>>>
{"meter":"1","obis":"1-1:1.8.0*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}
{"meter":"1","obis":"6-1:1.0.0*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}
>>>2
sme-obis: warning: dropped 3 records with codes that ise cannot carry: 1-0:32.7.0*255 (2), 1-0:1.8.0*0 (1)
EOF

check '-t csv uses B=0 for active and B=1 for reactive energy' 'sme-obis -t csv' <<EOF
{"meter":"1","obis":"1-1:1.8.1","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"1","obis":"1-0:5.8.0","time":"2026-11-01T00:00:00Z","value":1,"unit":"kvarh"}
{"meter":"1","obis":"9-1:1.0.0","time":"2026-11-01T00:00:00Z","value":1,"unit":"m3"}
>>>
{"meter":"1","obis":"1-0:1.8.1*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}
{"meter":"1","obis":"1-1:5.8.0*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"kvarh"}
{"meter":"1","obis":"9-0:1.0.0*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"m3"}
EOF

check '-k keeps, -x drops; a left-out group matches anything' 'sme-obis -k "1.8.0;2.8.0" -x "1-1:1.8.0"' <<EOF
{"meter":"1","obis":"1-0:1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"1","obis":"1-1:1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"1","obis":"1-0:1.8.1","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"1","obis":"1-0:2.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
>>>
{"meter":"1","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}
{"meter":"1","obis":"1-0:2.8.0*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}
EOF

check '-p: exact differences, D=29, quality, gaps marked missing' 'sme-obis -p' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1234.123,$R}
{"meter":"8","obis":"6-0:1.0.0","time":"2026-11-01T00:00:00Z","value":10,$R}
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":1234.567,$R,"quality":"estimated"}
{"meter":"8","obis":"6-0:1.0.0","time":"2026-11-01T00:15:00Z","value":10.5,$R}
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:30:00Z","value":1234.6,$R}
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:45:00Z",$R,"quality":"missing"}
{"meter":"7","obis":"1.8.0","time":"2026-11-01T01:15:00Z","value":1240,$R}
>>>
{"meter":"7","obis":"1-0:1.29.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:15:00Z","value":0.444,"unit":"kWh","quality":"estimated"}
{"meter":"8","obis":"6-0:1.29.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:15:00Z","value":0.5,"unit":"kWh"}
{"meter":"7","obis":"1-0:1.29.0*255","start":"2026-11-01T00:15:00Z","end":"2026-11-01T00:30:00Z","value":0.033,"unit":"kWh","quality":"estimated"}
{"meter":"7","obis":"1-0:1.29.0*255","start":"2026-11-01T00:30:00Z","end":"2026-11-01T01:15:00Z","value":5.4,"unit":"kWh","quality":"missing"}
>>>2
sme-obis: warning: meter 7, 1-0:1.8.0*255: no readings between 2026-11-01T00:30:00Z and 2026-11-01T01:15:00Z
>>>= 1
EOF

check '-p -t mscons: load profile in the MSCONS dialect' 'sme-obis -p -t mscons' <<EOF
{"meter":"7","mpid":"CH1","obis":"1-0:2.8.0*255","time":"2026-11-01T00:00:00Z","value":0.1,$R}
{"meter":"7","mpid":"CH1","obis":"1-0:2.8.0*255","time":"2026-11-01T00:15:00Z","value":0.3,$R}
>>>
{"meter":"7","mpid":"CH1","obis":"1-1:2.29.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:15:00Z","value":0.2,"unit":"kWh"}
EOF

check '-p -i 1h: hourly readings are no gap' 'sme-obis -p -i 1h' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"7","obis":"1.8.0","time":"2026-11-01T01:00:00Z","value":2,$R}
>>>
{"meter":"7","obis":"1-0:1.29.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T01:00:00Z","value":1,"unit":"kWh"}
EOF

check '-f: one feed value per meter and code over the span' 'sme-obis -f -t ise' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":100.5,$R}
{"meter":"7","obis":"2.8.0","time":"2026-11-01T00:00:00Z","value":7,$R}
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":101,$R}
{"meter":"7","obis":"2.8.0","time":"2026-11-02T00:00:00Z","value":9.25,$R}
{"meter":"7","obis":"1.8.0","time":"2026-11-02T00:00:00Z","value":200.25,$R}
>>>
{"meter":"7","obis":"1-1:1.9.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-02T00:00:00Z","value":99.75,"unit":"kWh"}
{"meter":"7","obis":"1-1:2.9.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-02T00:00:00Z","value":2.25,"unit":"kWh"}
EOF

check '-f: a lone reading gives no feed, a warning and exit 1' 'sme-obis -f' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"8","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"8","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":2,$R}
>>>
{"meter":"8","obis":"1-0:1.9.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:15:00Z","value":1,"unit":"kWh"}
>>>2
sme-obis: warning: meter 7, 1-0:1.8.0*255: only one reading (2026-11-01T00:00:00Z), no feed value
>>>= 1
EOF

check '-v: virtual tariffs become 1-5:1.8.N, others are dropped with a warning' 'sme-obis -v -t ise' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R,"tariff":3}
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":2,$R}
>>>
{"meter":"7","obis":"1-5:1.8.3*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh","tariff":3}
>>>2
sme-obis: warning: dropped 1 records without a virtual tariff (-v)
EOF

check '-v -f: virtual tariff feed 1-5:1.9.N' 'sme-obis -v -f' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R,"tariff":2}
{"meter":"7","obis":"1.8.0","time":"2026-11-02T00:00:00Z","value":3.5,$R,"tariff":2}
>>>
{"meter":"7","obis":"1-5:1.9.2*255","start":"2026-11-01T00:00:00Z","end":"2026-11-02T00:00:00Z","value":2.5,"unit":"kWh","tariff":2}
EOF

check '-l -t mscons lists the MSCONS codes' 'sme-obis -l -t mscons | head -2' <<EOF
>>>
{"obis":"1-1:1.29.0*255","format":"mscons","medium":"electricity","description":"active energy total import (load profile)","unit":"kWh"}
{"obis":"1-1:2.29.0*255","format":"mscons","medium":"electricity","description":"active energy total export (load profile)","unit":"kWh"}
EOF

check '-l describes heat and water codes' 'sme-obis -l -t csv | grep "6-0:\\|9-0:"' <<EOF
>>>
{"obis":"6-0:1.0.0*255","format":"csv","medium":"heat","description":"heat energy","unit":"kWh"}
{"obis":"9-0:1.0.0*255","format":"csv","medium":"hot water","description":"hot water volume","unit":"m3"}
EOF

check '-l knows the 40 codes of the product page' 'sme-obis -l | wc -l' <<EOF
>>>
40
EOF

# bad input: exact message, exit 3, nothing on stdout
G='{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}'
bad() {	# bad DESCRIPTION LINE MESSAGE [ARGS]
	printf '%s\n%s\n' "$G" "$2" >"$T/bad.jsonl"
	check "bad input: $1" "sme-obis $4 bad.jsonl" <<EOF
>>>2
sme-obis: bad.jsonl:2: $3
>>>= 3
EOF
}
bad 'malformed JSON' '{"meter":"1","obis":"1.8.0",' "invalid JSON: expected a member name at column 29"
bad 'no obis' '{"meter":"1","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}' "record has no obis"
bad 'no value' '{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","unit":"kWh"}' "record has no value"
bad 'no unit' '{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1}' "record has no unit"
bad 'no time' '{"meter":"1","obis":"1.8.0","value":1,"unit":"kWh"}' "record has no time (nor start and end)"
bad 'unparsable code' '{"meter":"1","obis":"1.8","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}' 'bad obis code "1.8"'
bad 'a decimal comma' '{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":"1,5","unit":"kWh"}' 'value "1,5" is a string, not a number'
bad 'NaN' '{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":NaN,"unit":"kWh"}' 'value NaN is not a number'
bad '1e999' '{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1e999,"unit":"kWh"}' 'value 1e999 is too large: the magnitude must be below 10^18'
bad 'time not RFC 3339' '{"meter":"1","obis":"1.8.0","time":"01.11.2026 00:15","value":1,"unit":"kWh"}' 'bad time "01.11.2026 00:15": not an RFC 3339 time'
bad 'duplicate record' "$G" 'duplicate record: meter 1, 1-0:1.8.0*255 at 2026-11-01T00:00:00Z (also line 1)'
bad 'duplicate reading with -p' "$G" 'duplicate reading: meter 1, 1-0:1.8.0*255 at 2026-11-01T00:00:00Z (also line 1)' -p
bad 'register goes backwards' '{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":0.5,"unit":"kWh"}' \
    'register goes backwards: meter 1, 1-0:1.8.0*255: 1 at 2026-11-01T00:00:00Z (line 1), 0.5 at 2026-11-01T00:15:00Z' -p
bad 'readings out of order' '{"meter":"1","obis":"1.8.0","time":"2026-10-31T00:15:00Z","value":1,"unit":"kWh"}' \
    'readings out of order: meter 1, 1-0:1.8.0*255 at 2026-10-31T00:15:00Z comes after 2026-11-01T00:00:00Z (line 1); sort the input' -p
bad 'interval value given to -p' '{"meter":"1","obis":"1.29.0","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:15:00Z","value":1,"unit":"kWh"}' \
    'record is an interval value; -p needs register readings (time)' -p
bad 'not a register code for -p' '{"meter":"2","obis":"1-0:32.7.0","time":"2026-11-01T00:00:00Z","value":1,"unit":"V"}' \
    '1-0:32.7.0*255 is not a register code (1-x:C.8.E, or D=0 for heat, cold, gas and water)' -p
bad 'invalid UTF-8' "$(printf '{"meter":"1\377","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}')" 'invalid UTF-8 at column 12'
bad 'bad quality' '{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":1,"unit":"kWh","quality":"good"}' \
    'bad quality "good" (measured, estimated, substituted or missing)'

check 'bad input: empty input' 'sme-obis' <<EOF
>>>2
sme-obis: <stdin>: no records
>>>= 3
EOF

check 'a file that does not exist is a local failure' 'sme-obis nosuch.jsonl' <<EOF
>>>2
sme-obis: cannot open nosuch.jsonl: No such file or directory
>>>= 6
EOF

awk 'BEGIN { s = "x"; while (length(s) < 10485760) s = s s; printf "{\"meter\":\"%s\"}\n", s }' >big-line.jsonl
check 'bad input: a line of 10 MB' 'sme-obis big-line.jsonl' <<EOF
>>>2
sme-obis: big-line.jsonl:1: line longer than 1048576 bytes
>>>= 3
EOF

# more than the 4 MiB held in memory, then a bad record: still no output
awk 'BEGIN { for (i = 0; i < 60000; i++)
	printf "{\"meter\":\"%d\",\"obis\":\"1.8.0\",\"time\":\"2026-11-01T00:00:00Z\",\"value\":%d,\"unit\":\"kWh\"}\n", i, i
	print "{" }' >long.jsonl
check 'bad record after 4 MiB of output: nothing is written' 'sme-obis long.jsonl | wc -c' <<EOF
>>>
0
>>>2
sme-obis: long.jsonl:60001: invalid JSON: expected a member name at column 2
EOF

sed '$d' long.jsonl | sed 's/"obis":"1.8.0"/"obis":"1-0:1.8.0*255"/' >good.jsonl
sme-obis good.jsonl >out.jsonl
cmp -s out.jsonl good.jsonl
ok $? 'beyond 4 MiB the held output comes back whole and in order'

check 'bad record after 4 MiB into a file: the file is left empty' 'sme-obis long.jsonl >file.jsonl; echo $?; wc -c <file.jsonl' <<EOF
>>>
3
0
>>>2
sme-obis: long.jsonl:60001: invalid JSON: expected a member name at column 2
EOF

echo 'kept' >app.jsonl
check 'bad record appended to a file: the file keeps only what it had' 'sme-obis long.jsonl >>app.jsonl; cat app.jsonl' <<EOF
>>>
kept
>>>2
sme-obis: long.jsonl:60001: invalid JSON: expected a member name at column 2
EOF

check 'stdout and stderr in one file: the file holds only the message' 'sme-obis long.jsonl >both.txt 2>&1; cat both.txt' <<EOF
>>>
sme-obis: long.jsonl:60001: invalid JSON: expected a member name at column 2
EOF

sme-obis good.jsonl >file.jsonl && cmp -s file.jsonl good.jsonl
ok $? 'written straight into a file, the output is whole'
printf 'head\n' >app2.jsonl
sme-obis good.jsonl >>app2.jsonl && [ "$(head -1 app2.jsonl)" = head ] && tail -n +2 app2.jsonl | cmp -s - good.jsonl
ok $? 'appended to a file, the output follows what was there'

check 'a closed pipe is a write error, exit 6' '(sme-obis good.jsonl; echo $? >rc) | head -c 1 >/dev/null; cat rc' <<EOF
>>>
6
>>>2
sme-obis: write error on standard output: Broken pipe
EOF

check 'a full disk is a write error, exit 6' 'sme-obis good.jsonl >/dev/full' <<EOF
>>>2
sme-obis: write error on standard output: No space left on device
>>>= 6
EOF

# findings of the review: each of these once went wrong
check '-p: a reading marked missing is skipped even with a value: one gap' 'sme-obis -p' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":0,$R,"quality":"missing"}
{"meter":"7","obis":"1.8.0","time":"2026-11-01T00:30:00Z","value":3,$R}
>>>
{"meter":"7","obis":"1-0:1.29.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:30:00Z","value":2,"unit":"kWh","quality":"missing"}
>>>2
sme-obis: warning: meter 7, 1-0:1.8.0*255: no readings between 2026-11-01T00:00:00Z and 2026-11-01T00:30:00Z
>>>= 1
EOF

check '-p -i 1d: the day of 25 hours is no gap' 'sme-obis -p -i 1d' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-10-24T22:00:00Z","value":1,$R}
{"meter":"7","obis":"1.8.0","time":"2026-10-25T23:00:00Z","value":5,$R}
{"meter":"7","obis":"1.8.0","time":"2026-10-27T23:00:00Z","value":9,$R}
>>>
{"meter":"7","obis":"1-0:1.29.0*255","start":"2026-10-24T22:00:00Z","end":"2026-10-25T23:00:00Z","value":4,"unit":"kWh"}
{"meter":"7","obis":"1-0:1.29.0*255","start":"2026-10-25T23:00:00Z","end":"2026-10-27T23:00:00Z","value":4,"unit":"kWh","quality":"missing"}
>>>2
sme-obis: warning: meter 7, 1-0:1.8.0*255: no readings between 2026-10-25T23:00:00Z and 2026-10-27T23:00:00Z
>>>= 1
EOF

check '-v: only active import registers become virtual tariffs' 'sme-obis -v' <<EOF
{"meter":"7","obis":"1.8.1","time":"2026-11-01T00:00:00Z","value":1,$R,"tariff":4}
{"meter":"7","obis":"2.8.0","time":"2026-11-01T00:00:00Z","value":1,$R,"tariff":4}
{"meter":"7","obis":"32.7.0","time":"2026-11-01T00:00:00Z","value":230,"unit":"V","tariff":4}
>>>
{"meter":"7","obis":"1-5:1.8.4*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh","tariff":4}
>>>2
sme-obis: warning: dropped 2 virtual-tariff records that are not active import registers (C=1, D=8)
EOF

check 'B=0 and B=1 name one channel: the same reading twice is a duplicate' 'sme-obis -t csv' <<EOF
{"meter":"7","obis":"1-0:1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"7","obis":"1-1:1.8.0","time":"2026-11-01T00:00:00Z","value":2,$R}
>>>2
sme-obis: <stdin>:2: duplicate record: meter 7, 1-1:1.8.0*255 at 2026-11-01T00:00:00Z (also line 1)
>>>= 3
EOF

check '-p: B=0 and B=1 readings form one register' 'sme-obis -p' <<EOF
{"meter":"7","obis":"1-0:1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"7","obis":"1-1:1.8.0","time":"2026-11-01T00:15:00Z","value":2,$R}
>>>
{"meter":"7","obis":"1-1:1.29.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:15:00Z","value":1,"unit":"kWh"}
EOF

printf '%s\n' '{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}' >a.jsonl
check 'a duplicate in another file names that file' 'sme-obis -p a.jsonl a.jsonl' <<EOF
>>>2
sme-obis: a.jsonl:1: duplicate reading: meter 1, 1-0:1.8.0*255 at 2026-11-01T00:00:00Z (also line 1)
>>>= 3
EOF
cp a.jsonl b.jsonl
check 'a duplicate in a second file names the first' 'sme-obis -p a.jsonl b.jsonl' <<EOF
>>>2
sme-obis: b.jsonl:1: duplicate reading: meter 1, 1-0:1.8.0*255 at 2026-11-01T00:00:00Z (also a.jsonl:1)
>>>= 3
EOF

check '-k given twice: the lists add up' 'sme-obis -k 1.8.0 -k 2.8.0' <<EOF
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"1","obis":"2.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"1","obis":"1.8.1","time":"2026-11-01T00:00:00Z","value":1,$R}
>>>
{"meter":"1","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}
{"meter":"1","obis":"1-0:2.8.0*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}
EOF

check 'a byte order mark at the start of a file is skipped' "printf '\\357\\273\\277%s\\n' '$G' | sme-obis" <<EOF
>>>
{"meter":"1","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}
EOF

bad 'a tariff that is not a number 0 to 255' '{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":1,"unit":"kWh","tariff":256}' \
    'tariff 256 is not a tariff number (0 to 255)'
bad 'a meter that is a number but not an integer' '{"meter":1.5,"obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":1,"unit":"kWh"}' \
    'meter 1.5 is not an integer; give it as a string'
bad 'a clock code given to -p' '{"meter":"2","obis":"0-0:1.0.0","time":"2026-11-01T00:00:00Z","value":1,"unit":"s"}' \
    '0-0:1.0.0*255 is not a register code (1-x:C.8.E, or D=0 for heat, cold, gas and water)' -p

check 'sme-obis -l into a closed pipe: exit 6, not a signal' '"$top/tests/closedpipe" sme-obis -l' <<EOF
>>>
6
>>>2
sme-obis: write error on standard output: Broken pipe
EOF

check 'sme-obis -h on a full disk: exit 6' 'sme-obis -h >/dev/full' <<EOF
>>>2
sme-obis: write error on standard output: No space left on device
>>>= 6
EOF

# a register whose unit changes: converted between prefixes of one unit, else refused
U='"meter":"1","obis":"1.8.0","time":"2026-11-01T00'
check '-p: kWh then Wh: the earlier reading converted, not subtracted raw' 'sme-obis -p' <<EOF
{$U:00:00Z","value":5,"unit":"kWh"}
{$U:15:00Z","value":6000,"unit":"Wh"}
{$U:30:00Z","value":6.5,"unit":"kWh"}
>>>
{"meter":"1","obis":"1-0:1.29.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:15:00Z","value":1000,"unit":"Wh"}
{"meter":"1","obis":"1-0:1.29.0*255","start":"2026-11-01T00:15:00Z","end":"2026-11-01T00:30:00Z","value":0.500,"unit":"kWh"}
EOF
check '-f: MWh then kWh: the feed in the later unit' 'sme-obis -f' <<EOF
{$U:00:00Z","value":1.5,"unit":"MWh"}
{$U:15:00Z","value":1700,"unit":"kWh"}
>>>
{"meter":"1","obis":"1-0:1.9.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:15:00Z","value":200,"unit":"kWh"}
EOF
check '-p: kWh then m3 is refused' 'sme-obis -p' <<EOF
{$U:00:00Z","value":5,"unit":"kWh"}
{$U:15:00Z","value":6000,"unit":"m3"}
>>>2
sme-obis: <stdin>:2: unit changes from "kWh" (line 1) to "m3": meter 1, 1-0:1.8.0*255; one register's readings must be in one unit
>>>= 3
EOF
check '-f: kWh then kvarh is refused' 'sme-obis -f' <<EOF
{$U:00:00Z","value":5,"unit":"kWh"}
{$U:15:00Z","value":6,"unit":"kvarh"}
>>>2
sme-obis: <stdin>:2: unit changes from "kWh" (line 1) to "kvarh": meter 1, 1-0:1.8.0*255; one register's readings must be in one unit
>>>= 3
EOF
check '-p: Wh then MWh that cannot be held exactly is refused' 'sme-obis -p' <<EOF
{$U:00:00Z","value":1.123456789012345,"unit":"Wh"}
{$U:15:00Z","value":1,"unit":"MWh"}
>>>2
sme-obis: <stdin>:2: unit changes from "Wh" (line 1) to "MWh": meter 1, 1-0:1.8.0*255; the earlier readings cannot be converted exactly
>>>= 3
EOF
printf '%s\n' "{$U:00:00Z\",\"value\":5,\"unit\":\"kWh\"}" >u1.jsonl
printf '%s\n' "{$U:15:00Z\",\"value\":6,\"unit\":\"kwh\"}" >u2.jsonl
check 'a unit change across files names both files' 'sme-obis -p u1.jsonl u2.jsonl' <<EOF
>>>2
sme-obis: u2.jsonl:1: unit changes from "kWh" (u1.jsonl:1) to "kwh": meter 1, 1-0:1.8.0*255; one register's readings must be in one unit
>>>= 3
EOF

done_testing
