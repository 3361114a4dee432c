#!/bin/sh
# sme-mscons: usage errors, and every class of bad input: exit 3, file:line, nothing on stdout
. "$(dirname "$0")/lib.sh"
. "$top/tests/mscons.sh"

M='"meter":"1","mpid":"CH1008801234500000000000000113813"'
O='"obis":"1-1:1.29.0*255"'
A='"start":"2026-11-01T23:00:00Z","end":"2026-11-01T23:15:00Z"'
B='"start":"2026-11-01T23:15:00Z","end":"2026-11-01T23:30:00Z"'
U='"unit":"kWh"'
X='sme-mscons -r 2.4a -s 9900000000001 -R 9900000000002'
USE='usage: sme-mscons -r 2.2e|2.4a -s sender[:qualifier] -R receiver[:qualifier] [-m mpid] [-P pid] [-n reference] [-N document-number] [-z zone] [-e] [-F] [-M] [-S method,reason] [-o dir] [-d] [file ...]'

check 'usage: -r, -s and -R are required' 'sme-mscons -r 2.4a -s 1' <<EOF
>>>2
$USE
>>>= 2
EOF

check 'usage: an unknown release' 'sme-mscons -r 2.3 -s 1 -R 2' <<EOF
>>>2
sme-mscons: -r: release "2.3": 2.2e or 2.4a
>>>= 2
EOF

check 'usage: a code qualifier other than 500 or 14' 'sme-mscons -r 2.4a -s 1:502 -R 2' <<EOF
>>>2
sme-mscons: -s: code qualifier "502": 500 or 14
>>>= 2
EOF

check 'usage: a sender ID over 35 characters' 'sme-mscons -r 2.4a -s 123456789012345678901234567890123456 -R 2' <<EOF
>>>2
sme-mscons: -s: ID 123456789012345678901234567890123456 has 36 characters: MSCONS allows 35
>>>= 2
EOF

check 'usage: a PID the release has no load profile for' 'sme-mscons -r 2.2e -s 1 -R 2 -P 13018' <<EOF
>>>2
sme-mscons: -P: 2.2e has no load-profile PID 13018 (13008)
>>>= 2
EOF

check 'usage: a reference over 14 characters' "$X -n 123456789012345" <<EOF
>>>2
sme-mscons: -n: reference 123456789012345 has 15 characters: MSCONS allows 1 to 14
>>>= 2
EOF

check 'usage: a lower-case reference in 2.4a' "$X -n Ref1" <<EOF
>>>2
sme-mscons: -n: reference Ref1: 2.4a allows no lower-case letters
>>>= 2
EOF

check 'usage: a document number over 35 characters' "$X -N 123456789012345678901234567890123456" <<EOF
>>>2
sme-mscons: -N: document number 123456789012345678901234567890123456 has 36 characters: MSCONS allows 1 to 35
>>>= 2
EOF

check 'usage: an unknown zone' "$X -z Europe/Nowhere" <<EOF
>>>2
sme-mscons: -z: unknown zone "Europe/Nowhere"
>>>= 2
EOF

check 'usage: -S takes two codes' "$X -S Z88" <<EOF
>>>2
sme-mscons: -S: "Z88": two codes method,reason (1 to 3 of A-Z, 0-9)
>>>= 2
EOF

check 'usage: -d takes no writing options' 'sme-mscons -d -r 2.4a' <<EOF
>>>2
$USE
>>>= 2
EOF

check 'bad input: register readings' "$X" <<EOF
{$M,"obis":"1-1:1.8.0*255","time":"2026-11-01T23:00:00Z","value":1,$U}
>>>2
sme-mscons: <stdin>:1: a register reading, not an interval: make load-profile intervals with sme-obis -p
>>>= 3
EOF

check 'bad input: empty input' "$X" <<EOF
>>>2
sme-mscons: <stdin>: no records
>>>= 3
EOF

check 'bad input: mixed units for one code' "$X" <<EOF
{$M,$O,$A,"value":1,$U}
{$M,$O,$B,"value":1,"unit":"Wh"}
>>>2
sme-mscons: <stdin>:2: mixed units for 1-1:1.29.0*255: Wh here, kWh at line 1
>>>= 3
EOF

check 'bad input: a unit the code is not sent in' "$X" <<EOF
{$M,$O,$A,"value":1,"unit":"Wh"}
>>>2
sme-mscons: <stdin>:1: unit Wh: MSCONS sends no unit, 1-1:1.29.0*255 is in kWh
>>>= 3
EOF

check 'bad input: overlapping intervals' "$X -e" <<EOF
{$M,$O,"start":"2026-11-01T23:00:00Z","end":"2026-11-01T23:30:00Z","value":1,$U,"quality":"missing"}
{$M,$O,$B,"value":1,$U}
>>>2
sme-mscons: <stdin>:1: warning: meter 1, 1-1:1.29.0*255: missing 2026-11-01T23:00:00Z to 2026-11-01T23:30:00Z left out (2.4a has no code for it)
sme-mscons: <stdin>:2: overlapping intervals: 1-1:1.29.0*255 2026-11-01T23:15:00Z to 2026-11-01T23:30:00Z, and the one at line 1
>>>= 3
EOF

check 'bad input: a duplicate interval' "$X" <<EOF
{$M,$O,$A,"value":1,$U}
{$M,$O,$A,"value":2,$U}
>>>2
sme-mscons: <stdin>:2: duplicate intervals: 1-1:1.29.0*255 2026-11-01T23:00:00Z to 2026-11-01T23:15:00Z, and the one at line 1
>>>= 3
EOF

check 'bad input: unsorted intervals' "$X" <<EOF
{$M,$O,$B,"value":1,$U}
{$M,"obis":"1-1:2.29.0*255",$A,"value":1,$U}
{$M,$O,$A,"value":1,$U}
>>>2
sme-mscons: <stdin>:3: unsorted intervals: 1-1:1.29.0*255 2026-11-01T23:00:00Z to 2026-11-01T23:15:00Z, after the one at line 1
>>>= 3
EOF

check 'bad input: records not grouped by metering point' "$X" <<EOF
{$M,$O,$A,"value":1,$U}
{"meter":"2","mpid":"CH1008801234500000000000000113814",$O,$A,"value":1,$U}
{$M,$O,$B,"value":1,$U}
>>>2
sme-mscons: <stdin>:3: metering point CH1008801234500000000000000113813 again after CH1008801234500000000000000113814: records must be grouped by metering point
>>>= 3
EOF

check 'bad input: an interval that is not 15 minutes' "$X" <<EOF
{$M,$O,"start":"2026-11-01T23:00:00Z","end":"2026-11-02T00:00:00Z","value":1,$U}
>>>2
sme-mscons: <stdin>:1: interval 2026-11-01T23:00:00Z to 2026-11-02T00:00:00Z is not 15 minutes
>>>= 3
EOF

check 'bad input: an interval that does not start on a quarter-hour' "$X" <<EOF
{$M,$O,"start":"2026-11-01T23:05:00Z","end":"2026-11-01T23:20:00Z","value":1,$U}
>>>2
sme-mscons: <stdin>:1: interval 2026-11-01T23:05:00Z to 2026-11-01T23:20:00Z does not start on a quarter-hour
>>>= 3
EOF

check 'bad input: a missing interval that is not whole quarter-hours, even with -e' "$X -e" <<EOF
{$M,$O,"start":"2026-11-01T23:00:00Z","end":"2026-11-01T23:20:00Z","value":1,$U,"quality":"missing"}
>>>2
sme-mscons: <stdin>:1: interval 2026-11-01T23:00:00Z to 2026-11-01T23:20:00Z is not a multiple of 15 minutes
>>>= 3
EOF

check 'bad input: no mpid' "$X" <<EOF
{"meter":"1",$O,$A,"value":1,$U}
>>>2
sme-mscons: <stdin>:1: record has no mpid (metering point ID): give one with -m
>>>= 3
EOF

check 'bad input: an empty mpid' "$X" <<EOF
{"meter":"1","mpid":"",$O,$A,"value":1,$U}
>>>2
sme-mscons: <stdin>:1: empty mpid (metering point ID)
>>>= 3
EOF

check 'bad input: an mpid over 35 characters' "$X" <<EOF
{"meter":"1","mpid":"CH10088012345000000000000001138131234",$O,$A,"value":1,$U}
>>>2
sme-mscons: <stdin>:1: mpid CH10088012345000000000000001138131234 has 37 characters: MSCONS allows 35
>>>= 3
EOF

check 'an mpid of the wrong length for its country is a warning' "$X -n R1 -N D1; echo" <<EOF
{"meter":"1","mpid":"CH123",$O,$A,"value":1,$U}
>>>
UNA:+.? 'UNB+UNOC:3+9900000000001:500+9900000000002:500+261101:2315+R1++TL'UNH+1+MSCONS:D:04B:UN:2.4a'BGM+7+D1+9'DTM+137:202611012315?+00:303'RFF+Z13:13018'NAD+MS+9900000000001::293'NAD+MR+9900000000002::293'UNS+D'NAD+DP'LOC+172+CH123'DTM+163:202611012300?+00:303'DTM+164:202611012315?+00:303'LIN+1'PIA+5+1-1?:1.29.0:SRW'QTY+220:1'DTM+163:202611012300?+00:303'DTM+164:202611012315?+00:303'UNT+17+1'UNZ+1+R1'
>>>2
sme-mscons: <stdin>:1: warning: metering point ID CH123 has 5 characters, not 33
EOF
printf '%s\n' "{\"meter\":\"1\",\"mpid\":\"CH123\",$O,$A,\"value\":1,$U}" >short.jsonl
$X short.jsonl >short.edi 2>/dev/null && validate short.edi
ok $? 'the interchange with a short ID: valid'

check 'bad input: an mpid with a character that is no printable ASCII' "$X" <<EOF
{"meter":"1","mpid":"CH\u00e41",$O,$A,"value":1,$U}
>>>2
sme-mscons: <stdin>:1: mpid "CHä1": only printable ASCII goes into an ID
>>>= 3
EOF

check 'bad input: with -M, a meter number too long for RFF+MG' "$X -M" <<EOF
{"meter":"1234567890123456789012345678901234567","mpid":"CH1008801234500000000000000113813",$O,$A,"value":1,$U}
>>>2
sme-mscons: <stdin>:1: meter "1234567890123456789012345678901234567": RFF+MG takes up to 35 printable ASCII characters
>>>= 3
EOF

printf '%s\n' "{\"meter\":\"1234567890123456789012345678901234567\",\"mpid\":\"CH1008801234500000000000000113813\",$O,$A,\"value\":1,$U}" >longmeter.jsonl
$X longmeter.jsonl >longmeter.edi 2>err && [ ! -s err ] &&
    ! grep -q "RFF+MG" longmeter.edi && grep -q "LOC+172+CH1008801234500000000000000113813'" longmeter.edi
ok $? 'without -M, the meter number is not sent, so any meter number will do'

check 'usage: a zone whose offset is not whole hours (2.2e)' "sme-mscons -r 2.2e -s 1 -R 2 -z Asia/Kolkata" <<EOF
{$M,$O,$A,"value":1,$U}
>>>2
sme-mscons: -z: the zone is 330 minutes off UTC: MSCONS 2.2e carries whole hours
>>>= 2
EOF

check 'bad input: a value with 4 decimals' "$X" <<EOF
{$M,$O,$A,"value":0.1234,$U}
>>>2
sme-mscons: <stdin>:1: value 0.1234 has 4 decimals: MSCONS allows 3
>>>= 3
EOF

check 'a fourth decimal 0 is no fourth decimal' "$X -n R1 -N D1 >zero.edi && grep -o 'QTY+220:[0-9.]*' zero.edi" <<EOF
{$M,$O,$A,"value":0.1230,$U}
>>>
QTY+220:0.123
EOF
validate zero.edi
ok $? 'a fourth decimal 0: valid'

check 'bad input: a negative value' "$X" <<EOF
{$M,$O,$A,"value":-0.5,$U}
>>>2
sme-mscons: <stdin>:1: negative value -0.5: MSCONS values are 0 or more (the direction is in the code)
>>>= 3
EOF

check 'bad input: a missing interval without -e' "$X" <<EOF
{$M,$O,$A,"value":1,$U}
{$M,$O,"start":"2026-11-01T23:15:00Z","end":"2026-11-02T00:15:00Z","value":4,$U,"quality":"missing"}
>>>2
sme-mscons: <stdin>:2: meter 1, 1-1:1.29.0*255: values missing from 2026-11-01T23:15:00Z to 2026-11-02T00:15:00Z (-e sends them anyway)
>>>= 3
EOF

check 'bad input: a virtual-tariff record' "$X" <<EOF
{$M,"obis":"1-5:1.8.1*255","time":"2026-11-01T23:00:00Z","value":1,$U,"tariff":1}
>>>2
sme-mscons: <stdin>:1: a virtual-tariff record: MSCONS cannot carry virtual tariffs, use sme-ise
>>>= 3
EOF

check 'bad input: a code MSCONS cannot carry' "$X" <<EOF
{$M,"obis":"1-0:1.8.0*255",$A,"value":1,$U}
>>>2
sme-mscons: <stdin>:1: 1-0:1.8.0*255: MSCONS cannot carry this code (load profiles: C.29.0, see sme-obis -l -t mscons)
>>>= 3
EOF

check 'bad input: a bad record names file and line' "$X in.jsonl" <<EOF
>>>2
sme-mscons: cannot open in.jsonl: No such file or directory
>>>= 6
EOF

printf '%s\n' "{$M,$O,$A,\"value\":1,$U}" "{$M,$O,$B,\"value\":1.00001,$U}" >two.jsonl
check 'bad input in a file: the file name and line' "$X two.jsonl" <<EOF
>>>2
sme-mscons: two.jsonl:2: value 1.00001 has 5 decimals: MSCONS allows 3
>>>= 3
EOF

# -d: interchanges that are not right
H="UNA:+.? 'UNB+UNOC:3+1:500+2:500+261101:2315+R1++TL'UNH+1+MSCONS:D:04B:UN:2.4a'BGM+7+D1+9'DTM+137:202611012315?+00:303'RFF+Z13:13018'NAD+MS+1::293'NAD+MR+2::293'UNS+D'NAD+DP'LOC+172+CH1'DTM+163:202611012300?+00:303'DTM+164:202611012315?+00:303'LIN+1'PIA+5+1-1?:1.29.0:SRW'QTY+220:1'DTM+163:202611012300?+00:303'DTM+164:202611012315?+00:303'"
V='{"meter":"CH1","mpid":"CH1","obis":"1-1:1.29.0*255","start":"2026-11-01T23:00:00Z","end":"2026-11-01T23:15:00Z","value":1,"unit":"kWh"}'
check '-d: a wrong UNT count is the producer'"'"'s bug: a warning, the values are read' 'sme-mscons -d' <<EOF
${H}UNT+18+1'UNZ+1+R1'
>>>
$V
>>>2
sme-mscons: <stdin>:1: warning: segment 18 (UNT): UNT counts 18 segments, the message has 17
EOF

check '-d: a wrong UNZ count and reference: warnings' 'sme-mscons -d' <<EOF
${H}UNT+17+1'UNZ+2+R2'
>>>
$V
>>>2
sme-mscons: <stdin>:1: warning: segment 19 (UNZ): UNZ counts 2 messages, the interchange has 1
sme-mscons: <stdin>:1: warning: segment 19 (UNZ): UNZ reference R2 is not the UNB's R1
EOF

check '-d: no UNT at the end' 'sme-mscons -d' <<EOF
${H}
>>>2
sme-mscons: <stdin>: the interchange ends without UNT
>>>= 3
EOF

check '-d: a truncated interchange' 'sme-mscons -d' <<EOF
${H}UNT+17+1'UNZ+1+R
>>>2
sme-mscons: <stdin>:2: segment 19: the interchange ends inside a segment
>>>= 3
EOF

check '-d: an unknown QTY qualifier' 'sme-mscons -d' <<EOF
$(echo "$H" | sed 's/QTY+220/QTY+187/')UNT+17+1'UNZ+1+R1'
>>>2
sme-mscons: <stdin>:1: segment 15 (QTY): QTY qualifier "187" is no load-profile value read here (220, 67, 201, Z18, 20)
>>>= 3
EOF

check '-d: not an interchange' 'sme-mscons -d' <<EOF
{"meter":"1"}
>>>2
sme-mscons: <stdin>:1: not an EDIFACT interchange (no UNA or UNB at the start)
>>>= 3
EOF

# the day of the values and the metering point changed by hand
H0=${H%%LOC+172+CH1*}
L="DTM+163:202611012300?+00:303'DTM+164:202611012315?+00:303'LIN+1'PIA+5+1-1?:1.29.0:SRW'QTY+220:1'"
check '-d: a byte that is not printable ASCII in the metering point (UNOC is Latin-1, JSON UTF-8)' 'sme-mscons -d' <<EOF
${H0}LOC+172+CH$(printf '\351')'${L}DTM+163:202611012300?+00:303'DTM+164:202611012315?+00:303'UNT+17+1'UNZ+1+R1'
>>>2
sme-mscons: <stdin>:1: segment 10 (LOC): metering point: only printable ASCII is read into an ID
>>>= 3
EOF

check '-d: a day that does not exist (30 February)' 'sme-mscons -d' <<EOF
${H0}LOC+172+CH1'${L}DTM+163:202602302300?+00:303'DTM+164:202611012315?+00:303'UNT+17+1'UNZ+1+R1'
>>>2
sme-mscons: <stdin>:1: segment 16 (DTM): bad date "202602302300+00"
>>>= 3
EOF

check '-d: an interval that ends before it starts: the message names its QTY' 'sme-mscons -d' <<EOF
${H0}LOC+172+CH1'${L}DTM+163:202611012300?+00:303'DTM+164:202611012245?+00:303'UNT+17+1'UNZ+1+R1'
>>>2
sme-mscons: <stdin>:1: segment 18 (UNT): the value of segment 15 (QTY): its interval ends before it starts
>>>= 3
EOF

check '-d: a year sme cannot hold (format 203)' 'sme-mscons -d' <<EOF
${H0}LOC+172+CH1'${L}DTM+163:000012312300:203'DTM+164:202611012315?+00:303'UNT+17+1'UNZ+1+R1'
>>>2
sme-mscons: <stdin>:1: segment 16 (DTM): date "000012312300": year 0 is outside 1679 to 2260
>>>= 3
EOF

validate_rest
done_testing
