#!/bin/sh
# sme-mscons: both releases on normal and clock-change days (golden files), validation by npm edifact, round trips
. "$(dirname "$0")/lib.sh"
. "$top/tests/mscons.sh"

S='-s 9900000000001 -R 9900000000002'
Q="'"
export Q
# asmpid: records as -d gives them back without RFF+MG (sme-mscons without
# -M): the metering point is the meter
asmpid() {
	sed -E 's/^\{"meter":"[^"]*","mpid":"([^"]*)"/{"meter":"\1","mpid":"\1"/'
}
# three metering points, one local day each: 92 (spring), 100 (autumn), 96
{
	intervals CH1008801234500000000000000113813 4711 2026-03-28T23:00:00Z 92
	intervals CH1008801234500000000000000113814 4712 2026-10-24T22:00:00Z 100
	intervals CH1008801234500000000000000113815 4713 2026-11-01T23:00:00Z 96
} >days.jsonl 2>/dev/null
[ "$(wc -l <days.jsonl)" -eq $((2 * (92 + 100 + 96))) ]
ok $? 'the fixture: 2 codes x (92 + 100 + 96) quarter-hours'

sme-mscons -r 2.2e $S -n REF0001 -N DOC0001 days.jsonl >days-22e.edi 2>err
ok $? '2.2e: exit 0'
[ ! -s err ]
ok $? '2.2e: nothing on stderr'
golden mscons-days-2.2e.edi days-22e.edi
ok $? '2.2e: the golden file (local time, +01/+02, 92/100/96 values)'
validate days-22e.edi
ok $? '2.2e: valid (npm edifact with D.04B; counts, codes, DTM, quarter-hours)'
asmpid <days.jsonl >days-mp.jsonl
sme-mscons -d days-22e.edi >back.jsonl && diff -u days-mp.jsonl back.jsonl | head -20 | sed 's/^/# /'
cmp -s days-mp.jsonl back.jsonl && ! grep -q "RFF+MG" days-22e.edi
ok $? '2.2e: records -> MSCONS -> -d gives back the same records, the metering point as the meter (no RFF+MG)'
sme-mscons -r 2.2e $S -M -n REF0001 -N DOC0001 days.jsonl >days-22e-mg.edi 2>err && [ ! -s err ]
ok $? '2.2e -M: exit 0, nothing on stderr'
check '2.2e -M: RFF+MG after DTM+164 of the period, and only there' \
    'tr "$Q" "\n" <days-22e.edi >.a; tr "$Q" "\n" <days-22e-mg.edi >.b; diff .a .b' <<EOF
>>>
13a14
> RFF+MG:4711
570c571
< UNT+568+1
---
> UNT+569+1
581a583
> RFF+MG:4712
1186c1188
< UNT+616+2
---
> UNT+617+2
1197a1200
> RFF+MG:4713
1778c1781
< UNT+592+3
---
> UNT+593+3
>>>= 1
EOF
validate -M days-22e-mg.edi
ok $? '2.2e -M: valid when RFF+MG is allowed'
sme-mscons -d days-22e-mg.edi | cmp -s - days.jsonl
ok $? '2.2e -M: round trip keeps the meter'

sme-mscons -r 2.4a $S days.jsonl >days-24a.edi 2>err
ok $? '2.4a: exit 0'
golden mscons-days-2.4a.edi days-24a.edi
ok $? '2.4a: the golden file (UTC, STS with QTY 67, references from the content)'
validate days-24a.edi
ok $? '2.4a: valid'
sme-mscons -d days-24a.edi >back.jsonl && cmp -s days-mp.jsonl back.jsonl
ok $? '2.4a: round trip (the metering point as the meter)'
sme-mscons -r 2.4a $S -M days.jsonl >days-24a-mg.edi && validate -M days-24a-mg.edi &&
    sme-mscons -d days-24a-mg.edi | cmp -s - days.jsonl
ok $? '2.4a -M: valid with RFF+MG allowed, round trip keeps the meter'
sme-mscons -r 2.4a $S <days.jsonl | cmp -s - days-24a.edi
ok $? 'deterministic: the same input gives the same bytes, into a pipe too'
sed '1s/"value":0.125/"value":0.126/' days.jsonl | sme-mscons -r 2.4a $S >other.edi
! cmp -s other.edi days-24a.edi &&
    [ "$(grep -o "UNZ+3+[A-Z0-9]*" other.edi)" != "$(grep -o "UNZ+3+[A-Z0-9]*" days-24a.edi)" ]
ok $? 'another value gives another default reference'
validate other.edi
ok $? 'another value: valid'

check 'the spring day in 2.2e: 01:45+01 is followed by 03:00+02' \
    'tr "$Q" "\n" <days-22e.edi | grep -A4 "^DTM+163:202603290145" | head -5' <<EOF
>>>
DTM+163:202603290145?+01:303
DTM+164:202603290300?+02:303
QTY+220:0.421
DTM+163:202603290300?+02:303
DTM+164:202603290315?+02:303
EOF

check 'the autumn day in 2.2e: 02:45+02 to 02:00+01, then 02:00+01' \
    'tr "$Q" "\n" <days-22e.edi | grep -B1 -A3 "^DTM+163:202610250245?+02" | head -5' <<EOF
>>>
QTY+220:0.132
DTM+163:202610250245?+02:303
DTM+164:202610250200?+01:303
QTY+220:0.169
DTM+163:202610250200?+01:303
EOF

check 'the UNT and UNZ counts' 'tr "$Q" "\n" <days-24a.edi | grep -E "^(UNT|UNZ)"' <<EOF
>>>
UNT+600+1
UNT+652+2
UNT+628+3
UNZ+3+S38QFR44WKUBR2
EOF

# the validator can fail: broken copies of the good file
nok() {	# nok FILE WHAT: the validator rejects FILE with a message containing WHAT
	handmade "$1"
	node "$top/tests/edifact-check.js" "$1" >valid 2>&1
	[ $? -eq 1 ] && grep -qF "$2" valid
	_r=$?
	sed 's/^/# /' valid
	return $_r
}
sed 's/1-1?:1.29.0/1-1:1.29.0/' days-22e.edi >bad1.edi
nok bad1.edi 'Could not accept 1.29.0'
ok $? 'the validator rejects an unescaped colon in the OBIS code (npm edifact, D.04B)'
sed 's/UNT+568+1/UNT+567+1/' days-22e.edi >bad2.edi
nok bad2.edi 'UNT says 567 segments, counted 568'
ok $? 'the validator rejects a wrong UNT count'
nok days-22e-mg.edi 'RFF in SG7 (meter number): not in MIG 2.2e or AHB 2.4a 13018'
ok $? 'the validator rejects RFF+MG (sme-mscons -M) unless told it is allowed'
sed 's/DTM+163:202603290300?+02/DTM+163:202603290300?+01/' days-22e.edi >bad3.edi
nok bad3.edi 'in Europe/Zurich that instant is'
ok $? 'the validator rejects a wrong UTC offset in 2.2e'
sed "s/UNS+D'//" days-24a.edi >bad4.edi
nok bad4.edi 'A mandatory segment UNS is missing'
ok $? 'the validator rejects a missing UNS (segment table of D.04B)'
sed 's/QTY+220:0.125/QTY+220:0.1250/' days-24a.edi >bad5.edi
nok bad5.edi 'at most 3 decimals'
ok $? 'the validator rejects a fourth decimal'
sed 's/STS+Z32++Z92/STS+Z32++Z99/' days-24a.edi >bad6.edi
nok bad6.edi 'STS+Z32 method Z99: not in the AHB list'
ok $? 'the validator rejects a substitution method that AHB 13018 does not list'

# -F: the F group in PIA; -S: the STS codes of substituted values
sme-mscons -r 2.4a $S -F -S Z89,Z76 days.jsonl >fs.edi
ok $? '-F -S: exit 0'
grep -q "PIA+5+1-1?:1.29.0\*255:SRW$Q" fs.edi && grep -q "STS+Z32++Z89${Q}STS+Z40++Z76$Q" fs.edi &&
    ! grep -q "Z92" fs.edi
ok $? '-F -S: PIA with *255, STS with the codes given'
validate fs.edi
ok $? '-F -S: valid'
sme-mscons -d fs.edi | cmp -s - days-mp.jsonl
ok $? '-F -S: round trip'

# -P 13025: BGM Z48, an 11-digit Marktlokation ID
grep 113815 days.jsonl | sed 's/"mpid":"CH1008801234500000000000000113815"/"mpid":"51238696781"/' >malo.jsonl
sme-mscons -r 2.4a $S -P 13025 malo.jsonl >malo.edi 2>err
ok $? '-P 13025: exit 0'
asmpid <malo.jsonl >malo-mp.jsonl
grep -q "BGM+Z48+" malo.edi && grep -q "RFF+Z13:13025$Q" malo.edi && [ ! -s err ]
ok $? '-P 13025: BGM+Z48, RFF+Z13:13025, no warning for an 11-digit ID'
validate malo.edi
ok $? '-P 13025: valid'
sme-mscons -d malo.edi | cmp -s - malo-mp.jsonl
ok $? '-P 13025: round trip'

# escaping: ? ' + : in every data element, ? first
cat >esc.jsonl <<EOF
{"meter":"m?1+","mpid":"CH+1:2${Q}3??","obis":"1-1:1.29.0*255","start":"2026-11-01T23:00:00Z","end":"2026-11-01T23:15:00Z","value":1,"unit":"kWh"}
EOF
sme-mscons -r 2.4a -s "A?B${Q}C+D:14" -R "X:Y:500" -n "R+1:" -N "D:1${Q}?" esc.jsonl >esc.edi 2>err
ok $? 'escaping: exit 0'
check 'escaping: sender, receiver, references, metering point, meter, OBIS, offset' \
    'cat esc.edi; echo; cat err' <<EOF
>>>
UNA:+.? 'UNB+UNOC:3+A??B?'C?+D:14+X?:Y:500+261101:2315+R?+1?:++TL'UNH+1+MSCONS:D:04B:UN:2.4a'BGM+7+D?:1?'??+9'DTM+137:202611012315?+00:303'RFF+Z13:13018'NAD+MS+A??B?'C?+D::9'NAD+MR+X?:Y::293'UNS+D'NAD+DP'LOC+172+CH?+1?:2?'3????'DTM+163:202611012300?+00:303'DTM+164:202611012315?+00:303'LIN+1'PIA+5+1-1?:1.29.0:SRW'QTY+220:1'DTM+163:202611012300?+00:303'DTM+164:202611012315?+00:303'UNT+17+1'UNZ+1+R?+1?:'
sme-mscons: esc.jsonl:1: warning: metering point ID CH+1:2'3?? has 10 characters, not 33
EOF
validate esc.edi
ok $? 'escaping: valid'
asmpid <esc.jsonl >esc-mp.jsonl
sme-mscons -d esc.edi | cmp -s - esc-mp.jsonl
ok $? 'escaping: round trip (the metering point as the meter)'
sme-mscons -r 2.4a -s "A?B${Q}C+D:14" -R "X:Y:500" -n "R+1:" -N "D:1${Q}?" -M esc.jsonl 2>/dev/null >esc-mg.edi &&
    grep -qF "DTM+164:202611012315?+00:303${Q}RFF+MG:m??1?+${Q}LIN+1${Q}" esc-mg.edi &&
    validate -M esc-mg.edi && sme-mscons -d esc-mg.edi | cmp -s - esc.jsonl
ok $? 'escaping -M: the meter in RFF+MG, valid, round trip keeps it'

# more than 9999 values per LIN: a second message
intervals CH1008801234500000000000000113813 4711 2026-01-01T00:00:00Z 10001 >long.jsonl 2>/dev/null
sme-mscons -r 2.4a $S -n LONG long.jsonl >long.edi
ok $? '10001 quarter-hours: exit 0'
check '10001 quarter-hours: two messages, 9999 and 2 values per LIN' \
    'tr "$Q" "\n" <long.edi | grep -cE "^QTY"; tr "$Q" "\n" <long.edi | grep -E "^(UNH|UNT|UNZ|DTM\+16[34].*00:303$)" | grep -v "^DTM" ; tr "$Q" "\n" <long.edi | awk "/^UNH/ { n = 0 } /^QTY/ { n++ } /^UNT/ { print n }"' <<EOF
>>>
20002
UNH+1+MSCONS:D:04B:UN:2.4a
UNT+63646+1
UNH+2+MSCONS:D:04B:UN:2.4a
UNT+28+2
UNZ+2+LONG
19998
4
EOF
validate long.edi
ok $? '10001 quarter-hours: valid'
asmpid <long.jsonl >long-mp.jsonl
sme-mscons -d long.edi | cmp -s - long-mp.jsonl
ok $? '10001 quarter-hours: round trip'

# held output into a pipe beyond memory (4 MiB): the header is completed in the spool
intervals CH1008801234500000000000000113813 4711 2026-01-01T00:00:00Z 30000 >big.jsonl 2>/dev/null
sme-mscons -r 2.2e $S big.jsonl >big.edi && sme-mscons -r 2.2e $S <big.jsonl | cat >big-pipe.edi
[ "$(wc -c <big.edi)" -gt 4194304 ] && cmp -s big.edi big-pipe.edi && ! grep -q "000000:0000+00000000000000" big.edi
ok $? 'over 4 MiB: the same bytes into a file and into a pipe, header completed'
validate big.edi
ok $? 'over 4 MiB: valid'
asmpid <big.jsonl >big-mp.jsonl
sme-mscons -d big.edi | cmp -s - big-mp.jsonl
ok $? 'over 4 MiB: round trip'

# -m names the metering point; qualifier 14 gives the code list 9
grep 113815 days.jsonl | sed 's/,"mpid":"[^"]*"//' >nompid.jsonl
sme-mscons -r 2.2e -s 4012345678901:14 -R 4012345678902:14 -m DE0000000000000000000000000000001 nompid.jsonl >m.edi
ok $? '-m: exit 0'
grep -q "UNB+UNOC:3+4012345678901:14+4012345678902:14+" m.edi && grep -q "NAD+MS+4012345678901::9${Q}NAD+MR+4012345678902::9${Q}" m.edi &&
    grep -q "LOC+172+DE0000000000000000000000000000001${Q}" m.edi
ok $? '-m and qualifier 14: LOC from -m, UNB 14, NAD code list 9'
validate m.edi
ok $? '-m: valid'

validate_rest
done_testing
