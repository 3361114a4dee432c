#!/bin/sh
# sme-csv: options, the main path, cells, times, quoting
. "$(dirname "$0")/lib.sh"
D=$top/tests/csv/dst.jsonl
export D
R='"unit":"kWh"'

check 'usage: bad option' 'sme-csv -x' <<EOF
>>>2
sme-csv: invalid option -- 'x'
usage: sme-csv [-c columns] [-d delimiter] [-D decimal-mark] [-z zone] [-T time-format] [-H] [-r] [-P] [file ...]
>>>= 2
EOF

check '-h prints the usage on stdout' 'sme-csv -h' <<EOF
>>>
usage: sme-csv [-c columns] [-d delimiter] [-D decimal-mark] [-z zone] [-T time-format] [-H] [-r] [-P] [file ...]
EOF

check 'usage: unknown zone' 'sme-csv -z Europe/Zurch "$D"' <<EOF
>>>2
sme-csv: -z: unknown time zone "Europe/Zurch"
>>>= 2
EOF

check 'usage: bad code in -c' 'sme-csv -c "1-0: 1.8.0 * 255; 1-0: 1.8 * 255;" "$D"' <<EOF
>>>2
sme-csv: -c: bad OBIS code "1-0: 1.8 * 255"
>>>= 2
EOF

check 'usage: -c names no code' 'sme-csv -c " ; ;" "$D"' <<EOF
>>>2
sme-csv: -c: no OBIS codes given
>>>= 2
EOF

check 'usage: a code twice in -c' 'sme-csv -c "1.8.0; 1-0:1.8.0*255" "$D"' <<EOF
>>>2
sme-csv: -c: OBIS code 1-0:1.8.0*255 given twice
>>>= 2
EOF

check 'usage: bad delimiter' 'sme-csv -d ";;" "$D"; sme-csv -d "\"" "$D"' <<EOF
>>>2
sme-csv: -d: bad delimiter ";;" (one ASCII character, not '"', CR or LF; "tab" for a tab)
sme-csv: -d: bad delimiter """ (one ASCII character, not '"', CR or LF; "tab" for a tab)
>>>= 2
EOF

check 'usage: bad decimal mark' 'sme-csv -D "|" "$D"' <<EOF
>>>2
sme-csv: -D: bad decimal mark "|" ("." or ",")
>>>= 2
EOF

check 'usage: empty time format' 'sme-csv -T "" "$D"' <<EOF
>>>2
sme-csv: -T: empty time format
>>>= 2
EOF

# the main path: codes present in code order, meters numerically, rows by
# time; 2026-10-25 has 25 hours in Europe/Zurich: 02:00-02:45 come twice;
# missing values (quality missing, no value, no record) are empty cells;
# an interval value stands at its end; digits are kept as read
check 'main path: the golden file, Europe/Zurich on the day of 25 hours; IDs for spreadsheets' 'sme-csv <"$D"' <<EOF
>>>
mpid;meter;time;1-0:1.8.0*255;1-0:1.8.1*255;1-0:2.8.0*255;1-1:5.29.0*255
;"=""20""";2026-10-25T02:30:00+02:00;0.000;;;
;"=""20""";2026-10-25T02:45:00+02:00;0.250;;;
;"=""20""";2026-10-25T02:00:00+01:00;0.500;;;
;"=""20""";2026-10-25T02:15:00+01:00;0.750;;;
"=""CH1234501234500000000000000101001""";"=""1001""";2026-10-25T02:30:00+02:00;3580.245;1234.50;-0.0015;
"=""CH1234501234500000000000000101001""";"=""1001""";2026-10-25T02:45:00+02:00;3580.439;;;
"=""CH1234501234500000000000000101001""";"=""1001""";2026-10-25T02:00:00+01:00;3580.670;;12345678901234.5678;
"=""CH1234501234500000000000000101001""";"=""1001""";2026-10-25T02:15:00+01:00;3580.938;;;0.013
EOF

check 'named file, -z UTC, -D , and -d ,: numbers with a comma are quoted' 'sme-csv -P -z UTC -D , -d , "$D"' <<EOF
>>>
mpid,meter,time,1-0:1.8.0*255,1-0:1.8.1*255,1-0:2.8.0*255,1-1:5.29.0*255
,20,2026-10-25T00:30:00+00:00,"0,000",,,
,20,2026-10-25T00:45:00+00:00,"0,250",,,
,20,2026-10-25T01:00:00+00:00,"0,500",,,
,20,2026-10-25T01:15:00+00:00,"0,750",,,
CH1234501234500000000000000101001,1001,2026-10-25T00:30:00+00:00,"3580,245","1234,50","-0,0015",
CH1234501234500000000000000101001,1001,2026-10-25T00:45:00+00:00,"3580,439",,,
CH1234501234500000000000000101001,1001,2026-10-25T01:00:00+00:00,"3580,670",,"12345678901234,5678",
CH1234501234500000000000000101001,1001,2026-10-25T01:15:00+00:00,"3580,938",,,"0,013"
EOF

check '-c in the product syntax: its columns, in its order; others ignored with one warning' \
    'sme-csv -P -D , -c "1-0: 2.8.0 * 255; 1-0: 1.8.0 * 255; 1-0 : 2.8.1 * 255; " "$D"' <<EOF
>>>
mpid;meter;time;1-0:2.8.0*255;1-0:1.8.0*255;1-0:2.8.1*255
;20;2026-10-25T02:30:00+02:00;;0,000;
;20;2026-10-25T02:45:00+02:00;;0,250;
;20;2026-10-25T02:00:00+01:00;;0,500;
;20;2026-10-25T02:15:00+01:00;;0,750;
CH1234501234500000000000000101001;1001;2026-10-25T02:30:00+02:00;-0,0015;3580,245;
CH1234501234500000000000000101001;1001;2026-10-25T02:45:00+02:00;;3580,439;
CH1234501234500000000000000101001;1001;2026-10-25T02:00:00+01:00;12345678901234,5678;3580,670;
CH1234501234500000000000000101001;1001;2026-10-25T02:15:00+01:00;;3580,938;
>>>2
sme-csv: warning: ignored 3 records with codes not in -c: 1-0:1.8.1*255 (2), 1-1:5.29.0*255 (1)
EOF

check '-c short forms; a row only with ignored codes is not written' 'sme-csv -P -c "1.8.1,5.29.0"' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":1,$R}
{"meter":"7","obis":"1.8.1","time":"2026-01-01T00:15:00Z","value":2,$R}
>>>
mpid;meter;time;1-0:1.8.1*255;1-0:5.29.0*255
;7;2026-01-01T01:15:00+01:00;2;
>>>2
sme-csv: warning: ignored 1 records with codes not in -c: 1-0:1.8.0*255 (1)
EOF

check '-H -r: no header, CRLF line ends' 'sme-csv -P -H -r -z UTC | sed -n l' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":1,$R}
{"meter":"7","obis":"1.8.0","time":"2026-01-01T00:15:00Z","value":2,$R}
>>>
;7;2026-01-01T00:00:00+00:00;1\\r$
;7;2026-01-01T00:15:00+00:00;2\\r$
EOF

check '-r: the header ends in CRLF too' 'sme-csv -P -r | sed -n l' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":1,$R}
>>>
mpid;meter;time;1-0:1.8.0*255\\r$
;7;2026-01-01T01:00:00+01:00;1\\r$
EOF

check '-T: strftime in the zone, no offset unless %z' \
    'sme-csv -P -H -c 1.8.0 -T "%d.%m.%Y %H:%M" "$D" | cut -d";" -f2-3; sme-csv -P -H -c 1.8.0 -z America/New_York -T "%F %T %z %Z" "$D" | sed -n 1p' <<EOF
>>>
20;25.10.2026 02:30
20;25.10.2026 02:45
20;25.10.2026 02:00
20;25.10.2026 02:15
1001;25.10.2026 02:30
1001;25.10.2026 02:45
1001;25.10.2026 02:00
1001;25.10.2026 02:15
;20;2026-10-24 20:30:00 -0400 EDT;0.000
>>>2
sme-csv: warning: ignored 6 records with codes not in -c: 1-0:1.8.1*255 (2), 1-0:2.8.0*255 (3), 1-1:5.29.0*255 (1)
sme-csv: warning: ignored 6 records with codes not in -c: 1-0:1.8.1*255 (2), 1-0:2.8.0*255 (3), 1-1:5.29.0*255 (1)
EOF

check 'the day the clock goes forward: 23 hours, +01:00 then +02:00' 'sme-csv -P -H' <<EOF
{"meter":"1","obis":"1.8.0","time":"2026-03-29T00:45:00Z","value":1,$R}
{"meter":"1","obis":"1.8.0","time":"2026-03-29T01:00:00Z","value":2,$R}
>>>
;1;2026-03-29T01:45:00+01:00;1
;1;2026-03-29T03:00:00+02:00;2
EOF

check 'RFC 4180: fields with the delimiter, quotes, CR or LF are quoted; UTF-8 kept' 'sme-csv -P -z UTC | tr "\\r" @' <<EOF
{"meter":"A;1","mpid":"say \"hi\"","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":1,$R}
{"meter":"Zähler\r\n2","mpid":"CH-ü","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":2,$R}
{"meter":"-5","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":3,$R}
>>>
mpid;meter;time;1-0:1.8.0*255
;-5;2026-01-01T00:00:00+00:00;3
"say ""hi""";"A;1";2026-01-01T00:00:00+00:00;1
CH-ü;"Zähler@
2";2026-01-01T00:00:00+00:00;2
EOF

check 'a delimiter that occurs in times and codes: they are quoted' 'sme-csv -P -d : -z UTC' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":1,$R}
>>>
mpid:meter:time:"1-0:1.8.0*255"
:7:"2026-01-01T00:00:00+00:00":1
EOF

check '-d tab and -d "\t"' 'sme-csv -P -H -d tab -z UTC; sme-csv -P -H -d "\t" -z UTC "$D" | sed -n 1p' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":1,$R}
>>>
	7	2026-01-01T00:00:00+00:00	1
	20	2026-10-25T00:30:00+00:00	0.000			
EOF

check 'meters: integers numerically before other names; "01" and "1" are two meters' 'sme-csv -P -H -z UTC -T x | cut -d";" -f2,4' <<EOF
{"meter":"b","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":1,$R}
{"meter":"10","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":2,$R}
{"meter":"9","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":3,$R}
{"meter":"1a","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":4,$R}
{"meter":"1","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":5,$R}
{"meter":"01","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":6,$R}
{"meter":"-3","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":7,$R}
{"meter":"18446744073709551616","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":8,$R}
>>>
-3;7
01;6
1;5
9;3
10;2
18446744073709551616;8
1a;4
b;1
EOF

check 'a row takes the mpid of the records that have one' 'sme-csv -P -H -z UTC' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":1,$R}
{"meter":"7","mpid":"CH7","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":2,$R}
{"meter":"7","mpid":"","obis":"1.8.2","time":"2026-01-01T00:00:00Z","value":3,$R}
>>>
CH7;7;2026-01-01T00:00:00+00:00;1;2;3
EOF

check 'fractions of a second, intervals and readings at one instant share a row' 'sme-csv -P -z UTC' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-01-01T00:00:00.5Z","value":1,$R}
{"meter":"7","obis":"1.29.0","start":"2025-12-31T23:45:00Z","end":"2026-01-01T00:00:00Z","value":0.25,$R}
{"meter":"7","obis":"1.8.0","time":"2026-01-01T01:00:00+01:00","value":0.75,$R}
>>>
mpid;meter;time;1-0:1.8.0*255;1-0:1.29.0*255
;7;2026-01-01T00:00:00+00:00;0.75;0.25
;7;2026-01-01T00:00:00.5+00:00;1;
EOF

check 'several files and -, in order' 'sme-csv -P -H -z UTC "$D" - | tail -1' <<EOF
{"meter":"99999","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":1,$R}
>>>
;99999;2026-01-01T00:00:00+00:00;1;;;
EOF

check 'numbers: decimal digits kept, exponents written out, no binary noise' 'sme-csv -P -H -z UTC' <<EOF
{"meter":"7","obis":"1.8.0","time":"2026-01-01T00:00:00Z","value":12.5e2,$R}
{"meter":"7","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":-0.0,$R}
{"meter":"7","obis":"1.8.2","time":"2026-01-01T00:00:00Z","value":1E+2,$R}
{"meter":"7","obis":"2.8.0","time":"2026-01-01T00:00:00Z","value":0.10,$R}
{"meter":"7","obis":"2.8.1","time":"2026-01-01T00:00:00Z","value":-5e-18,$R}
{"meter":"7","obis":"2.8.2","time":"2026-01-01T00:00:00Z","value":0.30000000000000004,$R}
>>>
;7;2026-01-01T00:00:00+00:00;1250;0.0;100;0.10;-0.000000000000000005;0.30000000000000004
EOF

check '-z: a file under zoneinfo that is no zone is refused' 'sme-csv -P -z zone.tab' <<EOF
>>>2
sme-csv: -z: unknown time zone "zone.tab"
>>>= 2
EOF

check '-c given twice: the columns add up, in order' 'sme-csv -P -c 1.8.1 -c "2.8.0;" -z UTC' <<EOF
{"meter":"7","obis":"2.8.0","time":"2026-01-01T00:00:00Z","value":2,$R}
{"meter":"7","obis":"1.8.1","time":"2026-01-01T00:00:00Z","value":1,$R}
>>>
mpid;meter;time;1-0:1.8.1*255;1-0:2.8.0*255
;7;2026-01-01T00:00:00+00:00;1;2
EOF

check '-T giving more than 511 bytes is a usage error, not empty cells' "sme-csv -P -T \"\$(printf '%0600d' 0)\"" <<EOF
{"meter":"7","obis":"2.8.0","time":"2026-01-01T00:00:00Z","value":2,$R}
>>>2
sme-csv: -T: "$(printf '%0600d' 0)" gives an empty time or one longer than 511 bytes
>>>= 2
EOF

check 'sme-csv -h on a full disk: exit 6' 'sme-csv -h >/dev/full' <<EOF
>>>2
sme-csv: write error on standard output: No space left on device
>>>= 6
EOF

done_testing
