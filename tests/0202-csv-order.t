#!/bin/sh
# sme-csv: any input order gives the same file; big input in bounded memory;
# a CSV library no one here wrote reads the numbers back; the man page's examples
. "$(dirname "$0")/lib.sh"
S=$top/examples/sample.jsonl

sme-csv -P "$S" >sorted.csv
ok $? 'the sample converts'
[ "$(wc -l <sorted.csv)" -eq 592 ] && [ "$(sed -n 2p sorted.csv | cut -d';' -f2,3)" = "1001;2026-10-25T00:00:00+02:00" ]
ok $? 'the sample: a header and 591 rows, the first at local midnight'
n=$(grep -c '^CH1234501234500000000000000101001;1001;2026-10-25T02:[0-5][0-9]:00+0[12]:00;' sorted.csv)
[ "$n" -eq 8 ]
ok $? "2026-10-25: 02:00-02:45 twice for meter 1001, +02:00 then +01:00 (got $n)"
shuf "$S" | sme-csv -P >shuffled.csv && cmp -s sorted.csv shuffled.csv
ok $? 'shuffled input gives the identical file'
sort -r "$S" | sme-csv -P - >reversed.csv && cmp -s sorted.csv reversed.csv
ok $? 'reversed input gives the identical file'
split -l 1000 "$S" part. && sme-csv -P part.ac part.aa part.ab >parts.csv && cmp -s sorted.csv parts.csv
ok $? 'the input split into files given out of order gives the identical file'

# 400,000 register readings: 100 meters x 400 quarter-hours x 10 codes,
# more than the sort holds in memory: sorted (written and read back) and
# shuffled (sorted runs, merged)
awk 'BEGIN {
	split("1.8.0 1.8.1 1.8.2 2.8.0 2.8.1 2.8.2 5.8.0 6.8.0 7.8.0 8.8.0", c, " ")
	t0 = 1792879200	# 2026-10-24T22:00:00Z
	for (m = 1; m <= 100; m++)
		for (q = 0; q < 400; q++) {
			s = t0 + 900 * q
			ts = sprintf("2026-10-%02dT%02d:%02d:00Z", 24 + int((s - 1792800000) / 86400),
			    int((s % 86400) / 3600), int((s % 3600) / 60))
			for (k = 1; k <= 10; k++)
				printf "{\"meter\":\"%d\",\"mpid\":\"CH%031d\",\"obis\":\"1-0:%s*255\",\"time\":\"%s\",\"value\":%d.%03d,\"unit\":\"kWh\"}\n",
				    12000000 + m, m, c[k], ts, m * 1000 + q * k, (q * 7 + k) % 1000
		}
}' >big.jsonl
[ "$(wc -l <big.jsonl)" -eq 400000 ]
ok $? 'generated 400,000 records'

mem() {	# mem OUT FILE: runs sme-csv, prints its peak memory in KiB
	/usr/bin/time -f %M -o mem.txt sme-csv -P "$2" >"$1" && cat mem.txt
}
if grep -q __asan_init "$top/sme-csv"; then
	sme-csv -P big.jsonl >big.csv; ok $? 'big sorted input converts'
	skip 'peak memory, sorted' 'built with SANITIZE=1'
	shuf big.jsonl >bigshuf.jsonl
	sme-csv -P bigshuf.jsonl >bigshuf.csv; ok $? 'big shuffled input converts'
	skip 'peak memory, shuffled' 'built with SANITIZE=1'
elif [ -x /usr/bin/time ]; then
	m1=$(mem big.csv big.jsonl)
	ok $? 'big sorted input converts'
	[ "$m1" -lt 20480 ]
	ok $? "peak memory for sorted input below 20 MiB (got $m1 KiB)"
	shuf big.jsonl >bigshuf.jsonl
	m2=$(mem bigshuf.csv bigshuf.jsonl)
	ok $? 'big shuffled input converts'
	[ "$m2" -lt 20480 ]
	ok $? "peak memory for shuffled input below 20 MiB (got $m2 KiB)"
else
	sme-csv -P big.jsonl >big.csv; ok $? 'big sorted input converts'
	skip 'peak memory, sorted' 'no /usr/bin/time'
	shuf big.jsonl >bigshuf.jsonl
	sme-csv -P bigshuf.jsonl >bigshuf.csv; ok $? 'big shuffled input converts'
	skip 'peak memory, shuffled' 'no /usr/bin/time'
fi
[ "$(wc -l <big.csv)" -eq 40001 ] && [ "$(cut -d';' -f2 big.csv | uniq | wc -l)" -eq 101 ]
ok $? 'big: 40,000 rows and a header, each meter in one run of rows'
cmp -s big.csv bigshuf.csv
ok $? 'big: shuffled input gives the identical file'
sed -n 2p big.csv | grep -qx 'CH0000000000000000000000000000001;12000001;2026-10-25T00:00:00+02:00;1000.001;1000.002;1000.003;1000.004;1000.005;1000.006;1000.007;1000.008;1000.009;1000.010'
ok $? 'big: the first row'

mkdir ro && chmod 500 ro
if [ "$(id -u)" -ne 0 ]; then
	TMPDIR=$T/ro sme-csv bigshuf.jsonl >/dev/null 2>err
	rc=$?
	[ $rc -eq 6 ] && grep -q "^sme-csv: cannot create a temporary file in $T/ro: Permission denied$" err
	ok $? "no room for the sort: exit 6 (got $rc)"
else
	TMPDIR=$T/none sme-csv bigshuf.jsonl >/dev/null 2>err
	rc=$?
	[ $rc -eq 6 ] && grep -qx "sme-csv: cannot create a temporary file in $T/none: No such file or directory" err
	ok $? "no room for the sort: exit 6 (got $rc)"
fi

# Python's csv module reads the file back; every number is the one that
# went in, digit for digit, as decimal.Decimal; missing values are empty
cat >values.jsonl <<'EOF'
{"meter":"1","mpid":"CH01","obis":"1.8.0","time":"2026-10-25T00:45:00Z","value":0.1,"unit":"kWh"}
{"meter":"1","mpid":"CH01","obis":"1.8.1","time":"2026-10-25T00:45:00Z","value":1.50,"unit":"kWh"}
{"meter":"1","mpid":"CH01","obis":"2.8.0","time":"2026-10-25T00:45:00Z","value":-123456789.123456789,"unit":"kWh"}
{"meter":"1","mpid":"CH01","obis":"1.8.0","time":"2026-10-25T01:00:00Z","value":999999999999999999,"unit":"kWh"}
{"meter":"1","mpid":"CH01","obis":"1.8.1","time":"2026-10-25T01:00:00Z","value":0.000000000000000001,"unit":"kWh"}
{"meter":"1","mpid":"CH01","obis":"2.8.0","time":"2026-10-25T01:00:00Z","value":7,"unit":"kWh","quality":"missing"}
{"meter":"Zähler \"2\"; Süd","obis":"1.8.0","time":"2026-10-25T01:00:00Z","value":1250,"unit":"kWh"}
{"meter":"Zähler \"2\"; Süd","obis":"2.8.0","time":"2026-10-25T01:00:00Z","value":-0.0001,"unit":"kWh"}
EOF
cat >readback.py <<'EOF'
import csv, json, sys
from decimal import Decimal
src, out, delim, mark = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
want = {}
for line in open(src, encoding="utf-8"):
    r = json.loads(line, parse_float=Decimal, parse_int=Decimal)
    code = r["obis"] if "*" in r["obis"] else "1-0:" + r["obis"] + "*255"
    v = None if r.get("quality") == "missing" else r["value"]
    want[(r["meter"], r["time"], code)] = v
with open(out, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, delimiter=delim))
head, got, empty = rows[0], {}, 0
assert head[:3] == ["mpid", "meter", "time"], head
for row in rows[1:]:
    assert len(row) == len(head), row
    for code, cell in zip(head[3:], row[3:]):
        k = (row[1], row[2], code)
        if cell == "":
            empty += 1
            if want.get(k) is None:
                continue
        got[k] = Decimal(cell.replace(mark, "."))
bad = [k for k in want if want[k] is not None and
       (k not in got or got[k] != want[k] or got[k].as_tuple() != want[k].as_tuple())]
bad += [k for k in got if k not in want]
print("rows", len(rows) - 1, "values", len(got), "empty", empty, "bad", bad)
sys.exit(1 if bad else 0)
EOF
Z="-z UTC -T %Y-%m-%dT%H:%M:%SZ"
sme-csv -P -D , -r $Z values.jsonl >semi.csv && /usr/bin/python3 readback.py values.jsonl semi.csv ';' , >py.out
ok $? "python3 csv reads ';' with a decimal comma and CRLF back exactly: $(cat py.out)"
grep -qx 'rows 3 values 7 empty 2 bad \[\]' py.out
ok $? 'python3 csv: 3 rows, 7 values, the missing values empty'
sme-csv -P -d , -D , $Z values.jsonl >comma.csv && /usr/bin/python3 readback.py values.jsonl comma.csv , , >py.out
ok $? "python3 csv reads ',' with a decimal comma (quoted) back exactly: $(cat py.out)"
sme-csv -P -d , $Z values.jsonl >excel.csv && /usr/bin/python3 readback.py values.jsonl excel.csv , . >py.out
ok $? "python3 csv reads ',' with a decimal point back exactly: $(cat py.out)"

# the man page's examples run, from the top of the tree
awk '/^\.Sh EXAMPLES/ { on = 1 } /^\.Sh SEE/ { on = 0 }
	on && /^\.Ed/ { lit = 0 } on && lit { print } on && /^\.Bd -literal/ { lit = 1 }' \
	"$top/man/sme-csv.1" >examples
[ "$(wc -l <examples)" -eq 3 ]
ok $? 'sme-csv(1) has three examples'
i=0
while IFS= read -r cmd; do
	i=$((i + 1))
	(cd "$top" && eval "$cmd") >ex$i.out 2>ex$i.err
	ok $? "example $i runs: $cmd"
done <examples
[ "$(wc -l <ex1.out)" -eq 198 ] &&
    [ "$(head -1 ex1.out)" = "$(printf 'mpid;meter;time;1-0:1.8.0*255;1-0:1.8.1*255;1-0:1.8.2*255;1-0:2.8.0*255;1-0:2.8.1*255;1-0:2.8.2*255\r')" ] &&
    [ "$(sed -n 2p ex1.out)" = "$(printf '"=""CH1234501234500000000000000101001""";"=""1001""";2026-10-25T00:00:00+02:00;3580,245;1234,567;2345,678;80,245;34,567;45,678\r')" ] &&
    grep -qx 'sme-csv: warning: ignored 1576 records with codes not in -c: 1-1:5.8.0\*255 (197), 1-1:6.8.0\*255 (197), 1-1:7.8.0\*255 (197), 1-1:8.8.0\*255 (197), 5-0:1.0.0\*255 (197), 6-0:1.0.0\*255 (197), 8-0:1.0.0\*255 (197), 9-0:1.0.0\*255 (197)' ex1.err
ok $? 'example 1: the product test file, 197 rows of meter 1001, decimal comma, CRLF, one warning'
[ "$(wc -l <ex2.out)" -eq 592 ] && [ ! -s ex2.err ] &&
    [ "$(sed -n 2p ex2.out)" = '"=""CH1234501234500000000000000101001""","=""1001""",2026-10-24T22:00:00+00:00,3580.245,1234.567,2345.678,80.245,34.567,45.678,5.000,0.600,0.700,8.000,,,,' ]
ok $? 'example 2: every code, comma-separated, UTC'
[ "$(wc -l <ex3.out)" -eq 591 ] && [ ! -s ex3.err ] &&
    [ "$(sed -n 1p ex3.out | cut -f1-4)" = "$(printf 'CH1234501234500000000000000101001\t1001\t25.10.2026 00:00\t3580.245')" ]
ok $? 'example 3: no header, tabs, Swiss dates'

done_testing
