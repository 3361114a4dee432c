#!/bin/sh
# sme-mscons: -e for gaps, -o DIR written atomically (errors, signals), -d on files written elsewhere
. "$(dirname "$0")/lib.sh"
. "$top/tests/mscons.sh"

S='-s 9900000000001 -R 9900000000002'
Q="'"
export Q
# asmpid: records as -d gives them back without RFF+MG (no -M): the
# metering point is the meter
asmpid() {
	sed -E 's/^\{"meter":"[^"]*","mpid":"([^"]*)"/{"meter":"\1","mpid":"\1"/'
}

# a gap: readings 20 to 23 of the import register are lost
readings CH1008801234500000000000000113815 4713 2026-11-01T23:00:00Z 96 |
    awk '!/1-0:1.8.0/ || ++n < 21 || n > 24' | sme-obis -p -t mscons >gap.jsonl 2>/dev/null
grep -c '"quality":"missing"' gap.jsonl | grep -qx 1
ok $? 'the fixture: one missing interval over the gap'

check '2.2e without -e: the gap is an error' "sme-mscons -r 2.2e $S gap.jsonl" <<EOF
>>>2
sme-mscons: gap.jsonl:43: meter 4713, 1-1:1.29.0*255: values missing from 2026-11-02T03:45:00Z to 2026-11-02T05:00:00Z (-e sends them anyway)
>>>= 3
EOF

check '2.2e -e: the gap goes out as one value QTY+20, and stderr says so' \
    "sme-mscons -r 2.2e $S -e gap.jsonl >gap-22e.edi; tr \"\$Q\" '\n' <gap-22e.edi | grep -A2 '^QTY+20:'" <<EOF
>>>
QTY+20:1.710
DTM+163:202611020445?+01:303
DTM+164:202611020600?+01:303
>>>2
sme-mscons: gap.jsonl:43: warning: meter 4713, 1-1:1.29.0*255: missing 2026-11-02T03:45:00Z to 2026-11-02T05:00:00Z sent as one value QTY+20 (not usable)
EOF
validate gap-22e.edi
ok $? '2.2e -e: valid, still 96 quarter-hours'
asmpid <gap.jsonl | sort >gap.sorted
sme-mscons -d gap-22e.edi | sort | cmp -s - gap.sorted
ok $? '2.2e -e: round trip, the missing interval included (in time order)'

check '2.4a -e: the gap is left out, and stderr says so' \
    "sme-mscons -r 2.4a $S -e gap.jsonl >gap-24a.edi; grep -c 'QTY+' gap-24a.edi" <<EOF
>>>
1
>>>2
sme-mscons: gap.jsonl:43: warning: meter 4713, 1-1:1.29.0*255: missing 2026-11-02T03:45:00Z to 2026-11-02T05:00:00Z left out (2.4a has no code for it)
sme-mscons: warning: 1 missing intervals were left out
EOF
check '2.4a -e: 91 + 96 values' "tr \"\$Q\" '\n' <gap-24a.edi | grep -c '^QTY+'" <<EOF
>>>
187
EOF
validate -g gap-24a.edi
ok $? '2.4a -e: valid (with the gap allowed)'
grep -v missing gap.jsonl | asmpid >nogap.jsonl
sme-mscons -d gap-24a.edi | cmp -s - nogap.jsonl
ok $? '2.4a -e: round trip gives the records without the missing one'

check '2.4a -e: nothing but missing intervals is nothing to send' "grep missing gap.jsonl | sme-mscons -r 2.4a $S -e 2>&1 >/dev/null | tail -1; exit \$?" <<EOF
>>>
sme-mscons: no values to send: every interval was missing
EOF
grep missing gap.jsonl | sme-mscons -r 2.4a $S -e >none.edi 2>/dev/null
[ $? -eq 3 ] && [ ! -s none.edi ]
ok $? '2.4a -e: nothing but missing intervals: exit 3, no interchange'

# -o DIR
intervals CH1008801234500000000000000113815 4713 2026-11-01T23:00:00Z 96 >day.jsonl 2>/dev/null
asmpid <day.jsonl >day-mp.jsonl
mkdir out
check '-o: the file name, printed on stdout' "sme-mscons -r 2.4a $S -o out day.jsonl" <<EOF
>>>
out/MSCONS_TL_9900000000001_9900000000002_20261102_S3LC1GOTTZIWKB.txt
EOF
sme-mscons -r 2.4a $S day.jsonl | cmp -s - out/MSCONS_TL_9900000000001_9900000000002_20261102_S3LC1GOTTZIWKB.txt &&
    [ "$(ls -A out | wc -l)" -eq 1 ]
ok $? '-o: the same bytes as on stdout, no other file in the folder'
validate out/MSCONS_TL_*.txt
ok $? '-o: valid'
sme-mscons -d out/MSCONS_TL_*.txt | cmp -s - day-mp.jsonl
ok $? '-o: round trip'
[ "$(stat -c %a out/MSCONS_TL_*.txt)" = "$(umask 022; touch x; stat -c %a x)" ] ||
    [ "$(stat -c %a out/MSCONS_TL_*.txt)" = 644 ]
ok $? '-o: the file has the mode of a new file, not 0600'
check '-o 2.2e -n: the reference in the name, the local day of the end' \
    "sme-mscons -r 2.2e $S -n REF7 -o out day.jsonl" <<EOF
>>>
out/MSCONS_TL_9900000000001_9900000000002_20261103_REF7.txt
EOF
validate out/MSCONS_TL_*_REF7.txt
ok $? '-o 2.2e: valid'

echo first >app.edi
sme-mscons -r 2.4a $S day.jsonl >>app.edi && { echo first; sme-mscons -r 2.4a $S day.jsonl; } | cmp -s - app.edi
ok $? 'appending (>>) to a file: the header is completed in place, after what was there'

mkdir out2
check '-o: bad input leaves no file in the folder' "sme-mscons -r 2.4a $S -o out2 day.jsonl - ; rc=\$?; ls -A out2; exit \$rc" <<EOF
{"meter":"1","mpid":"CH1","obis":"1-1:1.29.0*255","start":"2026-11-01T23:00:00Z","end":"2026-11-01T23:15:00Z","value":-1,"unit":"kWh"}
>>>2
sme-mscons: <stdin>:1: warning: metering point ID CH1 has 3 characters, not 33
sme-mscons: <stdin>:1: negative value -1: MSCONS values are 0 or more (the direction is in the code)
sme-mscons: -o: nothing written to out2
>>>= 3
EOF
check '-o: a folder that does not exist' "sme-mscons -r 2.4a $S -o nodir day.jsonl" <<EOF
>>>2
sme-mscons: cannot create a file in nodir: No such file or directory
>>>= 6
EOF
check '-o: an ID that cannot be part of a file name' "sme-mscons -r 2.4a -s a/b -R 2 -o out2 day.jsonl" <<EOF
>>>2
sme-mscons: -o: the sender contains '/', which cannot be part of the file name
>>>= 2
EOF

# a signal while reading: the temporary file goes
mkfifo fifo
(cat day.jsonl; sleep 3) >fifo &
feeder=$!
sme-mscons -r 2.4a $S -o out2 fifo 2>err &
pid=$!
sleep 1
n=$(ls -A out2 | wc -l)
kill -TERM $pid
wait $pid 2>/dev/null
rc=$?
kill $feeder 2>/dev/null
wait $feeder 2>/dev/null
[ "$n" -eq 1 ] && [ "$rc" -eq 143 ] && [ "$(ls -A out2 | wc -l)" -eq 0 ]
ok $? "SIGTERM: the temporary file (there: $n) is removed (exit $rc, left: $(ls -A out2 | wc -l))"

# -d on an interchange written elsewhere: UNA with a decimal comma, line
# ends, *255 in the code, no meter number, several LOCs in one message
handmade other.edi ch19.txt
cat >other.edi <<EOF
UNA:+,? '
UNB+UNOC:3+9900000000003:500+9900000000002:500+191215:0430+X1++TL'
UNH+M1+MSCONS:D:04B:UN:2.2e'
BGM+7+DOC1+9'
DTM+137:201912150430:203'
RFF+Z13:13008'
NAD+MS+9900000000003::293'
NAD+MR+9900000000002::293'
UNS+D'
NAD+DP'
LOC+172+CH1008801234500000000000000113813'
DTM+163:201912140000?+01:303'
DTM+164:201912140030?+01:303'
LIN+1'
PIA+5+1-1?:1.29.0*255:SRW'
QTY+220:0,900'
DTM+163:201912140000?+01:303'
DTM+164:201912140015?+01:303'
QTY+67:1,25:KWH'
DTM+163:201912140015?+01:303'
DTM+164:201912140030?+01:303'
STS+Z32++Z88'
LOC+172+CH1008801234500000000000000113814'
LIN+1'
PIA+5+1-1?:2.29.0:SRW'
QTY+20:0'
DTM+163:201912140000?+01:303'
DTM+164:201912140015?+01:303'
QTY+20:0'
DTM+163:201912140015?+01:303'
DTM+164:201912140030?+01:303'
UNT+30+M1'
UNZ+1+X1'
EOF
check '-d: a file from elsewhere (decimal comma, line ends, *255, two LOCs, runs of QTY+20)' 'sme-mscons -d other.edi' <<EOF
>>>
{"meter":"CH1008801234500000000000000113813","mpid":"CH1008801234500000000000000113813","obis":"1-1:1.29.0*255","start":"2019-12-13T23:00:00Z","end":"2019-12-13T23:15:00Z","value":0.900,"unit":"kWh"}
{"meter":"CH1008801234500000000000000113813","mpid":"CH1008801234500000000000000113813","obis":"1-1:1.29.0*255","start":"2019-12-13T23:15:00Z","end":"2019-12-13T23:30:00Z","value":1.25,"unit":"kWh","quality":"substituted"}
{"meter":"CH1008801234500000000000000113814","mpid":"CH1008801234500000000000000113814","obis":"1-1:2.29.0*255","start":"2019-12-13T23:00:00Z","end":"2019-12-13T23:30:00Z","value":0,"unit":"kWh","quality":"missing"}
EOF

# the Swiss 2019 files (reference section 4): no UNA, a lower-case
# reference, the header DTM+164 equal to DTM+163, UNT+109 for 26 segments
cat >ch19.txt <<EOF
UNB+UNOC:3+12X-SAK-N------6:500+12X-SAK-N------6:500+191215:0430+eslevu14572840++TL'UNH+slevu14572840D+MSCONS:D:04B:UN:2.2e'BGM+7+slevu14572840D+9'DTM+137:201912140000:203'RFF+Z13:13008'NAD+MS+12X-SAK-N------6::293'NAD+MR+12X-SAK-N------6::293'UNS+D'NAD+DP'LOC+172+CH1008801234500000000000000113813'DTM+163:201912140000?+01:303'DTM+164:201912140000?+01:303'LIN+1'PIA+5+1-1?:1.29.0*255:SRW'QTY+220:36.300'DTM+163:201912140000?+01:303'DTM+164:201912140015?+01:303'QTY+220:35.100'DTM+163:201912140015?+01:303'DTM+164:201912140030?+01:303'UNT+109+slevu14572840D'UNZ+1+eslevu14572840'
EOF
check '-d: a Swiss 2019 file, its wrong UNT count a warning' 'sme-mscons -d ch19.txt' <<EOF
>>>
{"meter":"CH1008801234500000000000000113813","mpid":"CH1008801234500000000000000113813","obis":"1-1:1.29.0*255","start":"2019-12-13T23:00:00Z","end":"2019-12-13T23:15:00Z","value":36.300,"unit":"kWh"}
{"meter":"CH1008801234500000000000000113813","mpid":"CH1008801234500000000000000113813","obis":"1-1:1.29.0*255","start":"2019-12-13T23:15:00Z","end":"2019-12-13T23:30:00Z","value":35.100,"unit":"kWh"}
>>>2
sme-mscons: ch19.txt:1: warning: segment 21 (UNT): UNT counts 109 segments, the message has 20
EOF
node "$top/tests/edifact-check.js" ch19.txt >valid 2>&1
[ $? -eq 1 ] && grep -q 'UNT says 109 segments, counted 20' valid
ok $? 'the validator rejects the Swiss 2019 file for its UNT count, as it must'

validate_rest
done_testing
