#!/bin/sh
# sme-obis: nothing out because of the options is exit 3; tariffs are identity; -f exact where output
. "$(dirname "$0")/lib.sh"

R='"unit":"kWh"'
one="{\"meter\":\"1\",\"obis\":\"1.8.0\",\"time\":\"2026-11-01T00:00:00Z\",\"value\":1,$R}"

check 'no records out: -k keeps none' "sme-obis -k 2.8.0" <<EOF
$one
>>>2
sme-obis: <stdin>: no records out of 1: 1 dropped by -k or -x
>>>= 3
EOF

check 'no records out: -x drops all' "sme-obis -x 1.8.0 -x 2.8.0" <<EOF
$one
>>>2
sme-obis: <stdin>: no records out of 1: 1 dropped by -k or -x
>>>= 3
EOF

check 'no records out: -p -t csv drops every record' "sme-obis -p -t csv" <<EOF
$one
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":2,$R}
>>>2
sme-obis: warning: dropped 1 records with codes that csv cannot carry: 1-0:1.29.0*255 (1)
sme-obis: <stdin>: no records out of 2: 1 with codes that -t csv cannot carry
>>>= 3
EOF

check 'no records out: -v without tariff records' "sme-obis -v" <<EOF
$one
>>>2
sme-obis: warning: dropped 1 records without a virtual tariff (-v)
sme-obis: <stdin>: no records out of 1: 1 dropped by -v
>>>= 3
EOF

check 'no records out: -p with a single reading says so' "sme-obis -p" <<EOF
$one
>>>2
sme-obis: warning: meter 1, 1-0:1.8.0*255: only one reading (2026-11-01T00:00:00Z), no interval value
sme-obis: <stdin>: no records out of 1: -p needs two readings of a meter and code
>>>= 3
EOF

check '-p: a lone reading beside a profile is a warning and exit 1' "sme-obis -p" <<EOF
$one
{"meter":"2","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R}
{"meter":"2","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":3,$R}
>>>
{"meter":"2","obis":"1-0:1.29.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:15:00Z","value":2,"unit":"kWh"}
>>>2
sme-obis: warning: meter 1, 1-0:1.8.0*255: only one reading (2026-11-01T00:00:00Z), no interval value
>>>= 1
EOF

check 'no records out into a file: the file is left as it was' "echo old >out; sme-obis -k 2.8.0 >>out; echo \$?; cat out" <<EOF
$one
>>>
3
old
>>>2
sme-obis: <stdin>: no records out of 1: 1 dropped by -k or -x
EOF

check '-f: only the difference that is output must be exact' "sme-obis -f" <<EOF
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":-5,$R}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":0,$R}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:30:00Z","value":1e-18,$R}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:45:00Z","value":0.1,$R}
>>>
{"meter":"1","obis":"1-0:1.9.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:45:00Z","value":5.1,"unit":"kWh"}
EOF

check '-f: a feed that cannot be exact names the last reading' "sme-obis -f" <<EOF
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":-5,$R}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":0,$R}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:45:00Z","value":0.100000000000000001,$R}
>>>2
sme-obis: <stdin>:3: meter 1, 1-0:1.8.0*255: the difference cannot be represented exactly
>>>= 3
EOF

check 'tariff records without -v are no duplicates: the tariff is part of the identity' \
    "sme-obis $top/examples/tariffs.jsonl | head -n 2" <<EOF
>>>
{"meter":"1001","mpid":"CH1234501234500000000000000101001","obis":"1-0:1.8.0*255","time":"2026-10-24T22:00:00Z","value":812.250,"unit":"kWh","tariff":1}
{"meter":"1001","mpid":"CH1234501234500000000000000101001","obis":"1-0:1.8.0*255","time":"2026-10-24T22:00:00Z","value":2768.000,"unit":"kWh","tariff":2}
EOF

check 'the same tariff twice is a duplicate, and the message names it' "sme-obis" <<EOF
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R,"tariff":1}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":2,$R,"tariff":2}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":3,$R}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":4,$R,"tariff":2}
>>>2
sme-obis: <stdin>:4: duplicate record: meter 1, 1-0:1.8.0*255 tariff 2 at 2026-11-01T00:00:00Z (also line 2)
>>>= 3
EOF

check '-p on tariff records without -v: one profile per tariff' "sme-obis -p" <<EOF
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,$R,"tariff":1}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":5,$R,"tariff":2}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":2,$R,"tariff":1}
{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:15:00Z","value":7,$R,"tariff":2}
>>>
{"meter":"1","obis":"1-0:1.29.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:15:00Z","value":1,"unit":"kWh","tariff":1}
{"meter":"1","obis":"1-0:1.29.0*255","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:15:00Z","value":2,"unit":"kWh","tariff":2}
EOF
done_testing
