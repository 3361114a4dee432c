#!/bin/sh
# sme-obis: messages name the limit that was met (digits, magnitude, times, NUL, options)
. "$(dirname "$0")/lib.sh"

# bad DESCRIPTION FIELDS MESSAGE: one record with FIELDS added
bad() {
	printf '{"meter":"1","obis":"1.8.0","unit":"kWh",%s}\n' "$2" >bad.jsonl
	check "$1" "sme-obis bad.jsonl" <<EOF
>>>2
sme-obis: bad.jsonl:1: $3
>>>= 3
EOF
}
T0='"time":"2026-11-01T00:00:00Z"'
bad '1e18 has one digit: the limit named is the magnitude' "$T0,\"value\":1e18" \
    'value 1e18 is too large: the magnitude must be below 10^18'
bad '19 integer digits: the magnitude' "$T0,\"value\":-1000000000000000000" \
    'value -1000000000000000000 is too large: the magnitude must be below 10^18'
bad '19 significant digits' "$T0,\"value\":1.234567890123456789" \
    'value 1.234567890123456789 cannot be represented exactly: more than 18 significant digits'
bad '19 decimal places' "$T0,\"value\":1e-19" \
    'value 1e-19 cannot be represented exactly: more than 18 decimal places'
bad 'a leap second is RFC 3339, but not used' '"time":"2016-12-31T23:59:60Z","value":1' \
    'bad time "2016-12-31T23:59:60Z": a leap second (:60) cannot be used'
bad 'the year 1677 is outside the limit' '"time":"1677-12-31T23:59:59Z","value":1' \
    'bad time "1677-12-31T23:59:59Z": the year must be from 1678 to 2261, as written and in UTC'
bad 'the year 1678 that is 1677 in UTC' '"time":"1678-01-01T00:30:00+01:00","value":1' \
    'bad time "1678-01-01T00:30:00+01:00": the year must be from 1678 to 2261, as written and in UTC'
bad 'the year 2262 is outside the limit' '"start":"2026-01-01T00:00:00Z","end":"2262-01-01T00:00:00Z","value":1' \
    'bad end "2262-01-01T00:00:00Z": the year must be from 1678 to 2261, as written and in UTC'
bad 'ten fraction digits' '"time":"2026-11-01T00:00:00.0000000001Z","value":1' \
    'bad time "2026-11-01T00:00:00.0000000001Z": finer than a nanosecond (9 fraction digits)'
bad 'not RFC 3339 stays so' '"time":"2026-11-01T24:00:00Z","value":1' \
    'bad time "2026-11-01T24:00:00Z": not an RFC 3339 time'
printf '{"meter":"1\\u0000x","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":1}\n' >nul.jsonl
check 'a NUL in a text field is refused' 'sme-obis nul.jsonl' <<EOF
>>>2
sme-obis: nul.jsonl:1: meter holds a NUL character (\u0000)
>>>= 3
EOF
printf '{"meter":"1","mpid":"CH\\u0000","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":1}\n' >nul.jsonl
check 'a NUL in mpid is refused' 'sme-obis nul.jsonl' <<EOF
>>>2
sme-obis: nul.jsonl:1: mpid holds a NUL character (\u0000)
>>>= 3
EOF
check 'the limits met exactly are fine' 'sme-obis' <<EOF
{"meter":"1","obis":"1.8.0","unit":"kWh","time":"1678-01-01T00:00:00.123456789Z","value":999999999999999999}
{"meter":"1","obis":"1.8.0","unit":"kWh","time":"2261-12-31T23:59:59.9999999990Z","value":1e-18}
{"meter":"1","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":9.99e17}
>>>
{"meter":"1","obis":"1-0:1.8.0*255","time":"1678-01-01T00:00:00.123456789Z","value":999999999999999999,"unit":"kWh"}
{"meter":"1","obis":"1-0:1.8.0*255","time":"2261-12-31T23:59:59.999999999Z","value":0.000000000000000001,"unit":"kWh"}
{"meter":"1","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":999000000000000000,"unit":"kWh"}
EOF
check 'getopt errors name the program, not the path it was run by' "$top/sme-obis -q; $top/sme-csv -q" <<EOF
>>>2
sme-obis: invalid option -- 'q'
usage: sme-obis [-t csv | ise | mscons] [-k codes] [-x codes] [-p | -f] [-i interval] [-v] [-l] [file ...]
sme-csv: invalid option -- 'q'
usage: sme-csv [-c columns] [-d delimiter] [-D decimal-mark] [-z zone] [-T time-format] [-H] [-r] [-P] [file ...]
>>>= 2
EOF
check 'getopt: a missing argument names the program' "$top/sme-obis -k" <<EOF
>>>2
sme-obis: option requires an argument -- 'k'
usage: sme-obis [-t csv | ise | mscons] [-k codes] [-x codes] [-p | -f] [-i interval] [-v] [-l] [file ...]
>>>= 2
EOF
done_testing
