#!/bin/sh
# sme-csv: virtual tariffs go to sme-ise; nothing to write is exit 3; options say their limits
. "$(dirname "$0")/lib.sh"

R='"unit":"kWh"'
check 'a tariff record is refused: use sme-ise' 'sme-csv' <<EOF
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":2,$R,"tariff":2}
>>>2
sme-csv: <stdin>:2: a virtual-tariff record (tariff 2): CSV cannot carry virtual tariffs; use sme-ise
>>>= 3
EOF
check 'the tariff examples: refused at the first record' "sme-csv $top/examples/tariffs.jsonl 2>&1 >/dev/null | sed 's|.*/examples/|examples/|'; exit \$?" <<EOF
>>>
examples/tariffs.jsonl:1: a virtual-tariff record (tariff 1): CSV cannot carry virtual tariffs; use sme-ise
EOF
check 'no rows because of -c: exit 3, no header-only file' 'sme-csv -c "1-0:1.8.0*255"' <<EOF
{"meter":"1","obis":"2.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
>>>2
sme-csv: warning: ignored 1 records with codes not in -c: 1-0:2.8.0*255 (1)
sme-csv: <stdin>: no rows: none of the 1 records has a code given in -c
>>>= 3
EOF
check 'no rows into a file: the file keeps its old content' 'echo old >out.csv; sme-csv -c 1.8.0 >>out.csv 2>/dev/null; echo $?; cat out.csv' <<EOF
{"meter":"1","obis":"2.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
>>>
3
old
EOF
check '-d: a multibyte character is not ASCII, and the message says so' 'sme-csv -d é' <<EOF
>>>2
sme-csv: -d: bad delimiter "é" (one ASCII character, not '"', CR or LF; "tab" for a tab)
>>>= 2
EOF
mkdir zi
check '-z: a missing zone database is not an unknown zone' 'TZDIR=$T/none sme-csv -z Europe/Zurich; echo $?; TZDIR=$T/zi sme-csv -z Europe/Zurich; echo $?' <<EOF
>>>
6
6
>>>2
sme-csv: -z: no zone database in $T/none (install tzdata, or set TZDIR)
sme-csv: -z: no zone database in $T/zi (install tzdata, or set TZDIR)
EOF
check '-z: an unknown zone with a database is exit 2' 'sme-csv -z Mars/Olympus' <<EOF
>>>2
sme-csv: -z: unknown time zone "Mars/Olympus"
>>>= 2
EOF
printf '{"meter":"1","mpid":"CH\\u0000","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":1}\n' >nul.jsonl
check 'a NUL in mpid never reaches the CSV' 'sme-csv nul.jsonl' <<EOF
>>>2
sme-csv: nul.jsonl:1: mpid holds a NUL character (\u0000)
>>>= 3
EOF
done_testing
