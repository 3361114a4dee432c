#!/bin/sh
# sme-ise: the four exports, virtual tariffs, clock-change days (golden file), options, bad input
. "$(dirname "$0")/lib.sh"
. "$top/tests/mscons.sh"

{
	intervals CH1008801234500000000000000113813 4711 2026-03-28T23:00:00Z 92
	intervals CH1008801234500000000000000113814 4712 2026-10-24T22:00:00Z 100
} 2>/dev/null | sme-obis -t ise >days.jsonl
sme-ise -k profile days.jsonl >days.csv 2>err
ok $? 'profile: exit 0'
[ ! -s err ] && [ "$(wc -l <days.csv)" -eq $((1 + 2 * (92 + 100))) ]
ok $? 'profile: a header and one row per interval'
cmp -s days.csv "$top/tests/golden/ise-profile-days.csv" ||
    diff -u "$top/tests/golden/ise-profile-days.csv" days.csv | head -20 | sed 's/^/# /'
cmp -s days.csv "$top/tests/golden/ise-profile-days.csv"
ok $? 'profile: the golden file (both clock-change days, time stamp at the interval end)'

check 'profile: on the spring day 01:45 is followed by 03:00; the autumn day has 02:15 twice' \
    "grep -E ';1-1:1.29.0;(29.03.2026 0[123]:[0-5][05]|25.10.2026 02:15)' days.csv | cut -d';' -f3-5" <<EOF
>>>
1-1:1.29.0;29.03.2026 01:00:00;0.236
1-1:1.29.0;29.03.2026 01:15:00;0.273
1-1:1.29.0;29.03.2026 01:30:00;0.310
1-1:1.29.0;29.03.2026 01:45:00;0.347
1-1:1.29.0;29.03.2026 03:00:00;0.384
1-1:1.29.0;29.03.2026 03:15:00;0.421
1-1:1.29.0;29.03.2026 03:30:00;0.458
1-1:1.29.0;29.03.2026 03:45:00;0.495
1-1:1.29.0;25.10.2026 02:15:00;0.421
1-1:1.29.0;25.10.2026 02:15:00;0.169
EOF

check 'profile with %:z tells the two 02:15 apart' \
    "sme-ise -k profile -n -c time,value -t '%Y-%m-%dT%H:%M:%S%:z' days.jsonl | grep T02:15" <<EOF
>>>
2026-10-25T02:15:00+02:00;0.421
2026-10-25T02:15:00+02:00;0.003
2026-10-25T02:15:00+01:00;0.169
2026-10-25T02:15:00+01:00;0.003
EOF

R='"meter":"1001","mpid":"CH1","time":"2026-10-31T23:00:00Z"'
check 'reading: registers, reactive, heat and water' 'sme-ise' <<EOF
{$R,"obis":"1-1:1.8.0*255","value":3580.245,"unit":"kWh"}
{$R,"obis":"1-1:2.8.1*255","value":0.5,"unit":"kWh","quality":"estimated"}
{$R,"obis":"1-1:5.8.0*255","value":12,"unit":"kvarh"}
{$R,"obis":"6-1:1.0.0*255","value":77.1,"unit":"kWh"}
{"meter":"1002","time":"2026-10-31T23:00:00Z","obis":"8-1:1.0.0*255","value":12.345,"unit":"m3"}
>>>
MesspunktID;Zaehlernummer;OBIS;Zeitstempel;Wert;Einheit;Status
CH1;1001;1-1:1.8.0;01.11.2026 00:00:00;3580.245;kWh;measured
CH1;1001;1-1:2.8.1;01.11.2026 00:00:00;0.5;kWh;estimated
CH1;1001;1-1:5.8.0;01.11.2026 00:00:00;12;kvarh;measured
CH1;1001;6-1:1.0.0;01.11.2026 00:00:00;77.1;kWh;measured
;1002;8-1:1.0.0;01.11.2026 00:00:00;12.345;m3;measured
EOF

check 'reading: virtual tariffs from sme-obis -v go out as 1-5:1.8.n' \
    'sme-obis -v -t ise | sme-ise -k reading' <<EOF
{$R,"obis":"1-0:1.8.0*255","value":100.5,"unit":"kWh","tariff":3}
{$R,"obis":"1-0:1.8.0*255","value":7,"unit":"kWh","tariff":12}
>>>
MesspunktID;Zaehlernummer;OBIS;Zeitstempel;Wert;Einheit;Status
CH1;1001;1-5:1.8.3;01.11.2026 00:00:00;100.5;kWh;measured
CH1;1001;1-5:1.8.12;01.11.2026 00:00:00;7;kWh;measured
EOF

F='"meter":"1001","mpid":"CH1","start":"2026-10-31T23:00:00Z","end":"2026-11-30T23:00:00Z"'
check 'feed: .9. codes and virtual tariffs as 1-5:1.9.n, at the end of the period' 'sme-ise -k feed' <<EOF
{$F,"obis":"1-1:1.9.0*255","value":321.5,"unit":"kWh"}
{$F,"obis":"1-0:1.8.0*255","value":21.5,"unit":"kWh","tariff":2}
>>>
MesspunktID;Zaehlernummer;OBIS;Zeitstempel;Wert;Einheit;Status
CH1;1001;1-1:1.9.0;01.12.2026 00:00:00;321.5;kWh;measured
CH1;1001;1-5:1.9.2;01.12.2026 00:00:00;21.5;kWh;measured
EOF

check 'feed: from sme-obis -f, end to end' \
    'sme-obis -f -i 1h -t ise | sme-ise -k feed -n -c meter,obis,start,end,value -t "%H:%M"' <<EOF
{"meter":"7","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":10,"unit":"kWh"}
{"meter":"7","obis":"1-0:1.8.0*255","time":"2026-11-01T01:00:00Z","value":12.5,"unit":"kWh"}
>>>
7;1-1:1.9.0;01:00;02:00;2.5
EOF

check 'peak: maximum demand and virtual tariffs as 1-5:1.6.n' 'sme-ise -k peak -n' <<EOF
{$R,"obis":"1-0:1.6.0*255","value":12.5,"unit":"kW"}
{$R,"obis":"1-0:1.6.0*255","value":9.75,"unit":"kW","tariff":1}
>>>
CH1;1001;1-1:1.6.0;01.11.2026 00:00:00;12.5;kW;measured
CH1;1001;1-5:1.6.1;01.11.2026 00:00:00;9.75;kW;measured
EOF

P='"meter":"1001","mpid":"CH1"'
check 'profile -b: kWh only, stderr says how many were left out' 'sme-ise -k profile -b -n' <<EOF
{$P,"obis":"1-1:1.29.0*255","start":"2026-10-31T23:00:00Z","end":"2026-10-31T23:15:00Z","value":0.25,"unit":"kWh"}
{$P,"obis":"1-1:5.29.0*255","start":"2026-10-31T23:00:00Z","end":"2026-10-31T23:15:00Z","value":0.1,"unit":"kvarh"}
>>>
CH1;1001;1-1:1.29.0;01.11.2026 00:15:00;0.25;kWh;measured
>>>2
sme-ise: -b: left out 1 records that are not in kWh
EOF

check 'profile: a gap is one row per quarter-hour without a value' 'sme-ise -k profile -n' <<EOF
{$P,"obis":"1-1:1.29.0*255","start":"2026-10-31T23:00:00Z","end":"2026-10-31T23:45:00Z","value":0.75,"unit":"kWh","quality":"missing"}
>>>
CH1;1001;1-1:1.29.0;01.11.2026 00:15:00;;kWh;missing
CH1;1001;1-1:1.29.0;01.11.2026 00:30:00;;kWh;missing
CH1;1001;1-1:1.29.0;01.11.2026 00:45:00;;kWh;missing
EOF

check '-d, -z and quoting: a field with the delimiter is quoted' \
    "sme-ise -d , -z UTC -t '%Y-%m-%d %H:%M %z'" <<EOF
{"meter":"a,b","mpid":"CH \"1\"","time":"2026-10-31T23:00:00Z","obis":"1-1:1.8.0*255","value":1,"unit":"kWh"}
>>>
MesspunktID,Zaehlernummer,OBIS,Zeitstempel,Wert,Einheit,Status
"CH ""1""","a,b",1-1:1.8.0,2026-10-31 23:00 +0000,1,kWh,measured
EOF

check '-d " ": a time stamp with the delimiter in it is quoted' "sme-ise -d ' ' -n -c meter,time,value" <<EOF
{"meter":"1","time":"2026-10-31T23:00:00Z","obis":"1-1:1.8.0*255","value":1,"unit":"kWh"}
>>>
1 "01.11.2026 00:00:00" 1
EOF

check 'usage: an unknown export' 'sme-ise -k load' <<EOF
>>>2
sme-ise: -k: unknown export "load" (reading, feed, profile or peak)
>>>= 2
EOF

check 'usage: -b is for load profiles' 'sme-ise -b' <<EOF
>>>2
sme-ise: -b: basic data (kWh only) is for -k profile
>>>= 2
EOF

check 'usage: a delimiter of two characters' 'sme-ise -d ";;"' <<EOF
>>>2
sme-ise: -d: the delimiter is one character (not a quote or a line end)
>>>= 2
EOF

check 'usage: a bad time format' "sme-ise -t '%d.%m.%y'" <<EOF
>>>2
sme-ise: -t: bad time format "%d.%m.%y" (%Y %m %d %H %M %S %z %:z %%, up to 64 bytes)
>>>= 2
EOF

check 'usage: an unknown column' 'sme-ise -c "obis;zeit"' <<EOF
>>>2
sme-ise: -c: unknown column "zeit" (mpid, meter, obis, time, start, end, value, unit, status; at most 16)
>>>= 2
EOF

check 'bad input: empty input' 'sme-ise' <<EOF
>>>2
sme-ise: <stdin>: no records
>>>= 3
EOF

check 'bad input: an interval in a reading export' 'sme-ise' <<EOF
{$P,"obis":"1-1:1.29.0*255","start":"2026-10-31T23:00:00Z","end":"2026-10-31T23:15:00Z","value":0.25,"unit":"kWh"}
>>>2
sme-ise: <stdin>:1: an interval, not a register reading: -k reading takes readings
>>>= 3
EOF

check 'bad input: a reading in a load profile' 'sme-ise -k profile' <<EOF
{$R,"obis":"1-1:1.8.0*255","value":1,"unit":"kWh"}
>>>2
sme-ise: <stdin>:1: a register reading, not an interval: -k profile takes intervals (sme-obis -p)
>>>= 3
EOF

check 'bad input: a code IS-E cannot carry' 'sme-ise' <<EOF
{$R,"obis":"1-0:32.7.0*255","value":230,"unit":"V"}
>>>2
sme-ise: <stdin>:1: 1-0:32.7.0*255: IS-E cannot carry this code (see sme-obis -l -t ise)
>>>= 3
EOF

check 'bad input: a code that is not the export'"'"'s' 'sme-ise -k feed' <<EOF
{$F,"obis":"1-1:1.29.0*255","value":1,"unit":"kWh"}
>>>2
sme-ise: <stdin>:1: 1-1:1.29.0*255 is no code for -k feed (feeds C.9.E: sme-obis -f)
>>>= 3
EOF

check 'bad input: a load-profile interval that is not 15 minutes' 'sme-ise -k profile' <<EOF
{$P,"obis":"1-1:1.29.0*255","start":"2026-10-31T23:00:00Z","end":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}
>>>2
sme-ise: <stdin>:1: interval 2026-10-31T23:00:00Z to 2026-11-01T00:00:00Z is not 15 minutes
>>>= 3
EOF

check 'bad input: a virtual tariff in a load profile' 'sme-ise -k profile' <<EOF
{$P,"obis":"1-1:1.29.0*255","start":"2026-10-31T23:00:00Z","end":"2026-10-31T23:15:00Z","value":1,"unit":"kWh","tariff":1}
>>>2
sme-ise: <stdin>:1: a virtual-tariff record in a load profile: use -k reading, feed or peak
>>>= 3
EOF

check 'bad input: peak takes maximum demand only' 'sme-ise -k peak' <<EOF
{$R,"obis":"1-1:1.8.0*255","value":1,"unit":"kWh"}
>>>2
sme-ise: <stdin>:1: 1-1:1.8.0*255: a peak export carries maximum demand (C.6.E) and virtual tariffs
>>>= 3
EOF

# duplicates over the whole input, as sme-csv and sme-mscons refuse them
check 'bad input: the same reading twice, not adjacent, values differ' 'sme-ise' <<EOF
{$R,"obis":"1-1:1.8.0*255","value":1,"unit":"kWh"}
{"meter":"1002","mpid":"CH2","time":"2026-10-31T23:00:00Z","obis":"1-1:1.8.0*255","value":3,"unit":"kWh"}
{$R,"obis":"1-1:1.8.0*255","value":7,"unit":"kWh"}
>>>2
sme-ise: <stdin>:3: duplicate record: meter 1001, 1-1:1.8.0*255 at 2026-10-31T23:00:00Z (also line 1)
>>>= 3
EOF

check 'bad input: B=0 and B=1 are one channel for duplicates' 'sme-ise' <<EOF
{$R,"obis":"1-1:1.8.0*255","value":1,"unit":"kWh"}
{$R,"obis":"1-0:1.8.0*255","value":1,"unit":"kWh"}
>>>2
sme-ise: <stdin>:2: duplicate record: meter 1001, 1-0:1.8.0*255 at 2026-10-31T23:00:00Z (also line 1)
>>>= 3
EOF

check 'the same time for two tariffs or two codes is no duplicate' 'sme-ise -n -c "meter;obis;value"' <<EOF
{$R,"obis":"1-5:1.8.1*255","value":1,"unit":"kWh","tariff":1}
{$R,"obis":"1-5:1.8.1*255","value":2,"unit":"kWh","tariff":2}
{$R,"obis":"1-1:2.8.0*255","value":3,"unit":"kWh"}
>>>
1001;1-5:1.8.1;1
1001;1-5:1.8.2;2
1001;1-1:2.8.0;3
EOF

check 'bad input: one quarter-hour twice in a load profile' 'sme-ise -k profile' <<EOF
{$P,"obis":"1-1:1.29.0*255","start":"2026-10-31T23:00:00Z","end":"2026-10-31T23:15:00Z","value":1,"unit":"kWh"}
{$P,"obis":"1-1:1.29.0*255","start":"2026-10-31T23:15:00Z","end":"2026-10-31T23:30:00Z","value":1,"unit":"kWh"}
{$P,"obis":"1-1:1.29.0*255","start":"2026-10-31T23:00:00Z","end":"2026-10-31T23:15:00Z","value":1,"unit":"kWh"}
>>>2
sme-ise: <stdin>:3: duplicate record: meter 1001, 1-1:1.29.0*255 2026-10-31T23:00:00Z to 2026-10-31T23:15:00Z (also line 1)
>>>= 3
EOF

printf '%s\n' "{$F,\"obis\":\"1-1:1.9.0*255\",\"value\":1,\"unit\":\"kWh\"}" >f1.jsonl
printf '%s\n' "{$P,\"obis\":\"1-1:1.9.0*255\",\"start\":\"2026-11-15T23:00:00Z\",\"end\":\"2026-12-15T23:00:00Z\",\"value\":1,\"unit\":\"kWh\"}" >f2.jsonl
check 'bad input: overlapping feed intervals in two files' 'sme-ise -k feed f1.jsonl f2.jsonl' <<EOF
>>>2
sme-ise: f2.jsonl:1: overlapping intervals: meter 1001, 1-1:1.9.0*255 2026-11-15T23:00:00Z to 2026-12-15T23:00:00Z and 2026-10-31T23:00:00Z to 2026-11-30T23:00:00Z (f1.jsonl:1)
>>>= 3
EOF

done_testing
