#!/bin/sh
# examples/: every example runs and gives what it promises
. "$(dirname "$0")/lib.sh"
ex=$top/examples

sh "$ex/make-sample.sh" >sample.jsonl
cmp -s sample.jsonl "$ex/sample.jsonl"
ok $? 'examples/sample.jsonl is what make-sample.sh writes'

# the sample covers the product's codes and a day of 100 quarter-hours
codes=$(sed 's/.*"obis":"\([^"]*\)".*/\1/' "$ex/sample.jsonl" | sort -u | tr '\n' ' ')
[ "$codes" = "1-0:1.8.0*255 1-0:1.8.1*255 1-0:1.8.2*255 1-0:2.8.0*255 1-0:2.8.1*255 1-0:2.8.2*255 1-1:5.8.0*255 1-1:6.8.0*255 1-1:7.8.0*255 1-1:8.8.0*255 5-0:1.0.0*255 6-0:1.0.0*255 8-0:1.0.0*255 9-0:1.0.0*255 " ]
ok $? 'the sample has every CSV code of the product page'
n=$(grep '"meter":"3003","obis":"8-0:1.0.0\*255"' "$ex/sample.jsonl" |
    sed 's/.*"time":"\([^"]*\)".*/\1/' |
    awk '$0 >= "2026-10-24T22:00:00Z" && $0 <= "2026-10-25T23:00:00Z"' | wc -l)
[ "$n" = 101 ]
ok $? "2026-10-25 in Europe/Zurich has 100 quarter-hours, 101 readings (got $n)"

sh "$ex/load-profile.sh" >profile.jsonl 2>err
ok $? 'load-profile.sh runs'
diff -u "$top/tests/golden/load-profile.jsonl" profile.jsonl >&2
ok $? 'load-profile.sh gives the golden load profile'

# an independent check: the 15-minute values add up to the register difference
/usr/bin/python3 - "$ex/sample.jsonl" profile.jsonl <<'EOF'
import json, re, sys
from decimal import Decimal
def key(r):
    a, b, c, d, e, f = re.split("[-:.*]", r["obis"])
    return (r["meter"], a, c, e)
first, last, total = {}, {}, {}
for line in open(sys.argv[1]):
    r = json.loads(line, parse_float=Decimal, parse_int=Decimal)
    k = key(r)
    first.setdefault(k, r["value"]); last[k] = r["value"]
for line in open(sys.argv[2]):
    r = json.loads(line, parse_float=Decimal, parse_int=Decimal)
    k = key(r)
    total[k] = total.get(k, Decimal(0)) + r["value"]
bad = [k for k in total if total[k] != last[k] - first[k]]
sys.exit(1 if bad or not total else 0)
EOF
ok $? 'profile values sum exactly to each register difference (python Decimal)'

sh "$ex/virtual-tariffs.sh" >tariffs.jsonl 2>err
ok $? 'virtual-tariffs.sh runs'
diff -u "$top/tests/golden/virtual-tariffs.jsonl" tariffs.jsonl >&2
ok $? 'virtual-tariffs.sh gives 1-5:1.9.1 and 1-5:1.9.2 feeds'

sh "$ex/csv-export.sh" >export.csv 2>err
ok $? 'csv-export.sh runs'
diff -u "$top/tests/golden/csv-export.csv" export.csv >&2 && [ ! -s err ]
ok $? 'csv-export.sh gives the golden CSV (the six product columns, 197 rows), no warning'

SME_DEMO_DIR=$T/demo sh "$ex/demo.sh" >demo.out 2>&1
ok $? 'make demo: examples/demo.sh runs end to end (stand-in, fetch, MSCONS, upload)'
edi=MSCONS_TL_9900000000001_9900000000002_20261101_DEMO1.txt
cmp -s "$T/demo/outbox/$edi" "$T/demo/out/$edi" && [ -s "$T/demo/outbox/$edi" ]
ok $? 'the demo delivered its MSCONS interchange, whole, to its outbox'
node "$top/tests/edifact-check.js" "$T/demo/outbox/$edi" >valid.out 2>&1
ok $? 'the delivered interchange passes npm edifact (D.04B) and our own checks'
sme-mscons -d "$T/demo/outbox/$edi" | jq -cS 'del(.device, .meter)' >back.jsonl &&
    jq -cS 'del(.device, .meter)' "$T/demo/out/profile.jsonl" >profile.jsonl &&
    diff -u profile.jsonl back.jsonl >&2 && [ -s back.jsonl ]
ok $? 'read back with sme-mscons -d, it gives the load profile it was made of (but device and meter ids)'
grep -q '"meter":"-231328692"' "$T/demo/out/readings.jsonl" &&
    grep -q '"time":"2026-11-01T23:00:00Z"' "$T/demo/out/readings.jsonl"
ok $? 'the readings came from the stand-in, up to the reading at the end of the day'
cmp -s "$T/demo/outbox/export.csv" "$top/tests/golden/csv-export.csv"
ok $? 'the demo delivered the CSV export, whole, to its outbox'
grep -q '"url":"file://'"$T"'/demo/outbox/'"$edi"'","bytes":[1-9]' demo.out &&
    grep -q '"url":"file://'"$T"'/demo/outbox/export.csv","bytes":25119,' demo.out
ok $? 'and printed the receipts of the uploads'
node "$top/tests/edifact-check.js" "$T/demo/outbox/m1001_20261025.edi" \
    "$T/demo/outbox/m1001_20261026.edi" >valid.out 2>&1 &&
    grep -q '"job":"m1001","period":"2026-10-25",.*"status":"sent"' demo.out &&
    grep -q '"job":"m1001","period":"2026-10-26",.*"status":"sent"' demo.out
ok $? 'the demo ends with sme-export sending two valid daily MSCONS files (the 25-hour day too)'
done_testing
