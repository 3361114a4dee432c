#!/bin/sh
# sme-export: the daily MSCONS files of a month add up to the month's register difference, and to its monthly file
. "$(dirname "$0")/lib.sh"
. "$top/tests/export.sh"
if ! export_setup || [ ! -x "$top/sme-mscons" ]; then
	ok 1 "daily files sum to the month: ${export_missing:-sme-mscons is not built}"
	done_testing
	exit
fi
mkdir outbox
cat >c.json <<EOF
{ "targets": [ {"name": "outbox", "url": "file://$T/outbox/"} ],
  "formats": [ {"name": "m", "type": "mscons", "release": "2.4a",
                "sender": "7612345000005", "receiver": "7600000000005"} ],
  "jobs": [
    {"name": "day", "devices": ["$M1"], "mpid": "CH1234501234500000000000000101001",
     "format": "m", "target": "outbox", "interval": "daily", "start": "2026-10-01"},
    {"name": "month", "devices": ["$M1"], "mpid": "CH1234501234500000000000000101001",
     "format": "m", "target": "outbox", "interval": "monthly", "start": "2026-10-01"} ] }
EOF
sme-export -c c.json -s st --now 2026-11-01T06:00:00Z run >log 2>err
ok $? "October: 31 daily files and one monthly file (exit $?)"
[ "$(ls outbox | grep -c '^day_202610[0-3][0-9]\.edi$')" = 31 ] && [ -f outbox/month_20261001.edi ]
ok $? 'named by day and by month'
for f in outbox/day_*.edi; do sme-mscons -d "$f"; done >days.jsonl
sme-mscons -d outbox/month_20261001.edi >month.jsonl
# the registers at the month's seams, as sme-fetch reads them
sme-fetch -f 2026-09-30T22:00:00Z -t 2026-10-31T23:15:00Z -i 15m "$M1" >readings.jsonl
ok $? 'the readings of the month'
/usr/bin/python3 - days.jsonl month.jsonl readings.jsonl >sums 2>&1 <<'EOF'
import json, re, sys
from decimal import Decimal
def code(o):
    a, b, c, d, e, f = re.split("[-:.*]", o)
    return (c, e)
def sums(path):
    s, n, seen = {}, {}, set()
    for line in open(path):
        r = json.loads(line, parse_float=Decimal, parse_int=Decimal)
        k = code(r["obis"])
        if (k, r["start"]) in seen:
            raise SystemExit("twice: %s %s" % (k, r["start"]))
        seen.add((k, r["start"]))
        s[k] = s.get(k, Decimal(0)) + r["value"]
        n[k] = n.get(k, 0) + 1
    return s, n
d, dn = sums(sys.argv[1])
m, mn = sums(sys.argv[2])
first, last = {}, {}
for line in open(sys.argv[3]):
    r = json.loads(line, parse_float=Decimal, parse_int=Decimal)
    if r["time"] not in ("2026-09-30T22:00:00Z", "2026-10-31T23:00:00Z"):
        continue
    k = code(r["obis"])
    (first if r["time"].startswith("2026-09") else last)[k] = r["value"]
bad = 0
for k in d:
    diff = last[k] - first[k] if k in first and k in last else None
    print(k, dn[k], mn.get(k), d[k], m.get(k), diff)
    if dn[k] != 2980 or mn.get(k) != 2980 or d[k] != m.get(k) or d[k] != diff:
        bad = 1
sys.exit(bad or len(d) != 2)
EOF
ok $? "import and export: 2980 quarter-hours each, daily sum = monthly sum = register difference ($(tr "\n" " " <sums))"
# hourly and weekly seams: the 25 hourly files of the 25-hour day add up to its
# daily file, the week from Monday 2026-10-19 to the sum of its daily files
mkdir outbox2
cat >c2.json <<EOF
{ "targets": [ {"name": "outbox", "url": "file://$T/outbox2/"} ],
  "formats": [ {"name": "m", "type": "mscons", "release": "2.4a",
                "sender": "7612345000005", "receiver": "7600000000005"} ],
  "jobs": [
    {"name": "hour", "devices": ["$M1"], "mpid": "CH1234501234500000000000000101001",
     "format": "m", "target": "outbox", "interval": "hourly", "start": "2026-10-24T22:00:00Z"},
    {"name": "week", "devices": ["$M1"], "mpid": "CH1234501234500000000000000101001",
     "format": "m", "target": "outbox", "interval": "weekly", "start": "2026-10-19"} ] }
EOF
sme-export -c c2.json -s st2 --now 2026-10-25T23:00:00Z run hour >log2 2>err2 &&
    sme-export -c c2.json -s st2 --now 2026-10-26T06:00:00Z run week >>log2 2>>err2
ok $? "the hours of 2026-10-25 and the week of 2026-10-19 (exit $?)"
[ "$(ls outbox2 | grep -c '^hour_202610[0-9T]*Z\.edi$')" = 25 ] && [ -f outbox2/week_20261019.edi ]
ok $? '25 hourly files (two for the hour the clock goes back) and one weekly file'
for f in outbox2/hour_*.edi; do sme-mscons -d "$f"; done >hours.jsonl
sme-mscons -d outbox/day_20261025.edi >day25.jsonl
for d in 19 20 21 22 23 24 25; do sme-mscons -d outbox/day_202610$d.edi; done >week_days.jsonl
sme-mscons -d outbox2/week_20261019.edi >week.jsonl
/usr/bin/python3 - hours.jsonl day25.jsonl week_days.jsonl week.jsonl >sums2 2>&1 <<'EOF'
import json, re, sys
from decimal import Decimal
def load(path):
    s, seen = {}, set()
    for line in open(path):
        r = json.loads(line, parse_float=Decimal, parse_int=Decimal)
        c = re.split("[-:.*]", r["obis"])[2]
        if (c, r["start"]) in seen:
            raise SystemExit("twice: %s %s" % (c, r["start"]))
        seen.add((c, r["start"]))
        s.setdefault(c, {})[r["start"]] = r["value"]
    return s
h, d, wd, w = (load(p) for p in sys.argv[1:5])
bad = 0
for name, a, b, n in (("hours/day", h, d, 100), ("days/week", wd, w, 7 * 96 + 4)):
    for c in sorted(set(a) | set(b)):
        x, y = a.get(c, {}), b.get(c, {})
        print(name, c, len(x), len(y), sum(x.values()), sum(y.values()))
        if len(x) != n or x != y:
            bad = 1
sys.exit(bad or len(h) != 2)
EOF
ok $? "each quarter-hour in one file only, the same values: $(tr "\n" " " <sums2)"
done_testing
