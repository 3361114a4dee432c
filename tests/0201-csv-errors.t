#!/bin/sh
# sme-csv: bad input exits 3 with file:line and writes nothing; a closed pipe exits 6
. "$(dirname "$0")/lib.sh"
R='"unit":"kWh"'
G='{"meter":"1","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":1,"unit":"kWh"}'

check 'malformed JSON' 'sme-csv' <<EOF
$G
{"meter":"1","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":1,$R
>>>2
sme-csv: <stdin>:2: invalid JSON: expected ',' or '}' at column 81
>>>= 3
EOF

check 'a record without obis' 'sme-csv' <<EOF
$G
{"meter":"1","time":"2026-01-01T00:00:00Z","value":1,$R}
>>>2
sme-csv: <stdin>:2: record has no obis
>>>= 3
EOF

check 'a record without value' 'sme-csv' <<EOF
$G
{"meter":"1","obis":"1.8.1","time":"2026-01-01T00:00:00Z",$R}
>>>2
sme-csv: <stdin>:2: record has no value
>>>= 3
EOF

check 'a record without unit' 'sme-csv' <<EOF
$G
{"meter":"1","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":1}
>>>2
sme-csv: <stdin>:2: record has no unit
>>>= 3
EOF

check 'a record without time' 'sme-csv' <<EOF
$G
{"meter":"1","obis":"1.8.1","value":1,$R}
>>>2
sme-csv: <stdin>:2: record has no time (nor start and end)
>>>= 3
EOF

check 'a record without meter' 'sme-csv' <<EOF
{"obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":1,$R}
>>>2
sme-csv: <stdin>:1: record has no meter
>>>= 3
EOF

check 'an unparsable code' 'sme-csv' <<EOF
$G
{"meter":"1","obis":"1-0:1.8.256*255","time":"2026-01-01T00:00:00Z","value":1,$R}
>>>2
sme-csv: <stdin>:2: bad obis code "1-0:1.8.256*255"
>>>= 3
EOF

check 'a number that is not a number: "1,5"' 'sme-csv' <<EOF
{"meter":"1","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":"1,5",$R}
>>>2
sme-csv: <stdin>:1: value "1,5" is a string, not a number
>>>= 3
EOF

check 'a number that is not a number: 1,5 unquoted' 'sme-csv' <<EOF
{"meter":"1","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":1,5,$R}
>>>2
sme-csv: <stdin>:1: invalid JSON: expected a member name at column 69
>>>= 3
EOF

check 'a number that is not a number: NaN' 'sme-csv' <<EOF
{"meter":"1","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":NaN,$R}
>>>2
sme-csv: <stdin>:1: value NaN is not a number
>>>= 3
EOF

check 'a number that is not a number: 1e999' 'sme-csv' <<EOF
{"meter":"1","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":1e999,$R}
>>>2
sme-csv: <stdin>:1: value 1e999 is too large: the magnitude must be below 10^18
>>>= 3
EOF

check 'a time that is not RFC 3339' 'sme-csv' <<EOF
$G
{"meter":"1","obis":"1.8.1","time":"2026-01-01 00:00","value":1,$R}
>>>2
sme-csv: <stdin>:2: bad time "2026-01-01 00:00": not an RFC 3339 time
>>>= 3
EOF

check 'an end that is not RFC 3339' 'sme-csv' <<EOF
{"meter":"1","obis":"1.29.0","start":"2026-01-01T00:00:00Z","end":"2026-01-01T24:00:00Z","value":1,$R}
>>>2
sme-csv: <stdin>:1: bad end "2026-01-01T24:00:00Z": not an RFC 3339 time
>>>= 3
EOF

check 'duplicate records, sorted input' 'sme-csv' <<EOF
$G
{"meter":"1","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":2,$R}
{"meter":"1","obis":"1-0:1.8.0*255","time":"2026-01-01T01:00:00+01:00","value":1,$R}
>>>2
sme-csv: <stdin>:3: duplicate record: meter 1, 1-0:1.8.0*255 at 2026-01-01T00:00:00Z (also line 1)
>>>= 3
EOF

check 'duplicate records, far apart in unsorted input' 'sme-csv' <<EOF
{"meter":"2","obis":"1.8.0","time":"2026-01-01T00:15:00Z","value":1,$R}
$G
{"meter":"2","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":1,$R}
{"meter":"2","obis":"1.8.0","time":"2026-01-01T00:15:00Z","value":1,$R}
>>>2
sme-csv: <stdin>:4: duplicate record: meter 2, 1-0:1.8.0*255 at 2026-01-01T00:15:00Z (also line 1)
>>>= 3
EOF

check 'duplicate records: a reading and an interval ending at its time' 'sme-csv' <<EOF
{"meter":"1","obis":"1.8.0","start":"2025-12-31T23:45:00Z","end":"2026-01-01T00:00:00Z","value":1,$R}
$G
>>>2
sme-csv: <stdin>:2: duplicate record: meter 1, 1-0:1.8.0*255 at 2026-01-01T00:00:00Z (also line 1)
>>>= 3
EOF

printf '%s\n' "$G" >a.jsonl
check 'duplicate records in two files' 'sme-csv a.jsonl -' <<EOF
$G
>>>2
sme-csv: <stdin>:1: duplicate record: meter 1, 1-0:1.8.0*255 at 2026-01-01T00:00:00Z (also a.jsonl:1)
>>>= 3
EOF

check 'two mpid in one row' 'sme-csv' <<EOF
{"meter":"1","mpid":"CH1","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":1,$R}
{"meter":"1","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":1,$R}
{"meter":"1","mpid":"CH2","obis":"1.8.2","time":"2026-01-01T00:00:00Z","value":1,$R}
>>>2
sme-csv: <stdin>:3: mpid "CH2" differs from "CH1" (line 1) for meter 1 at 2026-01-01T00:00:00Z
>>>= 3
EOF

check 'empty input' 'sme-csv' <<EOF
>>>2
sme-csv: <stdin>: no records
>>>= 3
EOF

: >empty.jsonl
check 'only blank lines, and an empty file' 'sme-csv; sme-csv empty.jsonl' <<EOF


>>>2
sme-csv: <stdin>: no records
sme-csv: empty.jsonl: no records
>>>= 3
EOF

check 'a file that cannot be opened' 'sme-csv nosuch.jsonl' <<EOF
>>>2
sme-csv: cannot open nosuch.jsonl: No such file or directory
>>>= 6
EOF

{ printf '%s\n' "$G"; printf '{"meter":"1","note":"'; head -c 10485760 /dev/zero | tr '\0' x
  printf '","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":1,%s}\n' "$R"; } >long.jsonl
check 'a line of 10 MB' 'sme-csv long.jsonl' <<EOF
>>>2
sme-csv: long.jsonl:2: line longer than 1048576 bytes
>>>= 3
EOF

printf '%s\n{"meter":"1\377","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":1,%s}\n' "$G" "$R" >utf8.jsonl
printf '{"meter":"1","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":1,"x":"\355\240\200",%s}\n' "$R" >>utf8.jsonl
check 'invalid UTF-8' 'sme-csv utf8.jsonl; sed 2d utf8.jsonl | sme-csv' <<EOF
>>>2
sme-csv: utf8.jsonl:2: invalid UTF-8 at column 12
sme-csv: <stdin>:2: invalid UTF-8 at column 74
>>>= 3
EOF

check 'a bad record after many good ones: nothing is written' \
    'awk "BEGIN { for (i = 0; i < 300000; i++) printf \"{\\\"meter\\\":\\\"%d\\\",\\\"obis\\\":\\\"1.8.0\\\",\\\"time\\\":\\\"2026-01-01T00:00:00Z\\\",\\\"value\\\":%d,\\\"unit\\\":\\\"kWh\\\"}\\n\", i, i; print \"{}\" }" | sme-csv | wc -c' <<EOF
>>>
0
>>>2
sme-csv: <stdin>:300001: record has no meter
EOF

# a write to a pipe whose reader is gone: exit 6, not a signal
printf '%s\n' "$G" >g.jsonl
check 'a write to a closed pipe' '"$top/tests/closedpipe" sme-csv g.jsonl' <<EOF
>>>
6
>>>2
sme-csv: write error on standard output: Broken pipe
EOF

done_testing
