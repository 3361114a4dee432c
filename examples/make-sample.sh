#!/bin/sh
# sme: writes the sample data set (examples/sample.jsonl); licence in COPYING
# Three meters, two local days in Europe/Zurich (2026-10-25 has 25 hours,
# the clock goes back), a register reading every quarter-hour, all the
# OBIS codes of the product page.  Values are integers of Wh or litres
# printed with three decimals, so nothing depends on floating point.
start=$(date -u -d 2026-10-24T22:00:00Z +%s)
end=$(date -u -d 2026-10-26T23:00:00Z +%s)
t=$start
while [ "$t" -le "$end" ]; do
	printf '%s %s %s\n' "$t" "$(date -u -d "@$t" +%Y-%m-%dT%H:%M:%SZ)" \
	    "$(TZ=Europe/Zurich date -d "@$t" +%H)"
	t=$((t + 900))
done | awk '
function v(x) { return sprintf("%d.%03d", int(x / 1000), x % 1000) }
function rec(m, mp, code, unit, x) {
	printf "%s\t%d\t{\"meter\":\"%s\",%s\"obis\":\"%s\",\"time\":\"%s\",\"value\":%s,\"unit\":\"%s\"}\n",
	    m, NR * 100 + (++k), m, mp, code, iso, v(x), unit
}
BEGIN { t1 = 1234567; t2 = 2345678; e1 = 34567; e2 = 45678
	q1 = 5000; q2 = 600; q3 = 700; q4 = 8000
	heat = 45000000; cold = 12000000; cw = 456789; hw = 123456 }
{
	iso = $2; hour = $3 + 0; k = 0
	if (NR > 1) {
		day = hour >= 7 && hour < 20
		imp = 120 + (NR * 37) % 211; ex = (hour >= 9 && hour < 17) ? 50 + (NR * 13) % 97 : 0
		if (day) { t1 += imp; e1 += ex } else { t2 += imp; e2 += ex }
		q1 += 11 + NR % 7; q2 += NR % 3; q3 += NR % 2; q4 += 9 + NR % 5
		heat += 2500 + (NR * 71) % 900; cold += 100 + NR % 50
		cw += 3 + NR % 11; hw += 1 + NR % 5
	}
	mp = "\"mpid\":\"CH1234501234500000000000000101001\","
	rec("1001", mp, "1-0:1.8.0*255", "kWh", t1 + t2)
	rec("1001", mp, "1-0:1.8.1*255", "kWh", t1)
	rec("1001", mp, "1-0:1.8.2*255", "kWh", t2)
	rec("1001", mp, "1-0:2.8.0*255", "kWh", e1 + e2)
	rec("1001", mp, "1-0:2.8.1*255", "kWh", e1)
	rec("1001", mp, "1-0:2.8.2*255", "kWh", e2)
	rec("1001", mp, "1-1:5.8.0*255", "kvarh", q1)
	rec("1001", mp, "1-1:6.8.0*255", "kvarh", q2)
	rec("1001", mp, "1-1:7.8.0*255", "kvarh", q3)
	rec("1001", mp, "1-1:8.8.0*255", "kvarh", q4)
	mp = "\"mpid\":\"CH1234501234500000000000000202002\","
	rec("2002", mp, "5-0:1.0.0*255", "kWh", cold)
	rec("2002", mp, "6-0:1.0.0*255", "kWh", heat)
	rec("3003", "", "8-0:1.0.0*255", "m3", cw)
	rec("3003", "", "9-0:1.0.0*255", "m3", hw)
}' | sort -k1,1n -k2,2n | cut -f3
