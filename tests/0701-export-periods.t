#!/bin/sh
# sme-export: periods in the job's zone, catch-up, triggers, -n, -p, status, state, locks, shards
. "$(dirname "$0")/lib.sh"
SME_PARTNER_CONFIG=partner.json
export SME_PARTNER_CONFIG
mkdir secret
echo 'hunter2-upload' >secret/pw
echo 'hunter2-api' >secret/api
cat >partner.json <<'EOF'
{ "targets": [ {"name": "ftp", "url": "ftp://export@127.0.0.1:2121/in/",
                "password_file": "secret/pw"} ],
  "formats": [ {"name": "m24", "type": "mscons", "release": "2.4a",
                "sender": "7612345000005", "receiver": "7600000000005"} ] }
EOF
cat >c.json <<'EOF'
{
  "api": {"url": "http://127.0.0.1:9/", "auth_file": "secret/api"},
  "targets": [ {"name": "outbox", "url": "file:///tmp/outbox/"} ],
  "formats": [ {"name": "csv", "type": "csv", "columns": "1-0:1.8.0*255", "header": false} ],
  "jobs": [
    {"name": "day", "devices": ["1001", "-231328692"], "mpid": "CH1234501234500000000000000101001",
     "format": "m24", "target": "ftp", "interval": "daily", "start": "2026-10-24"},
    {"name": "late", "folder": "/Nord/Haus 3", "format": "csv", "target": "outbox",
     "interval": "daily", "trigger": "12h-after-end", "start": "2026-10-24"},
    {"name": "hour", "devices": ["1001"], "format": "csv", "target": "outbox",
     "interval": "hourly", "start": "2026-10-25T00:00:00Z"},
    {"name": "month", "devices": ["1001"], "format": "m24", "target": "outbox",
     "interval": "monthly", "start": "2026-10-01", "zone": "UTC"}
  ]
}
EOF

check '-n: every due period, oldest first; the day of 25 hours is one period' \
    'sme-export -c c.json -s st --now 2026-10-27T12:00:00Z -n run day' <<EOF
>>>
# day 2026-10-24 [2026-10-23T22:00:00Z, 2026-10-24T22:00:00Z), when sme-fetch finds every value
sme-fetch -a http://127.0.0.1:9/ -A $T/secret/api -f 2026-10-23T22:00:00Z -t 2026-10-24T22:15:00Z -i 15m -z Europe/Zurich -m CH1234501234500000000000000101001 -- 1001 -231328692 |
    sme-obis -p -i 15m -x '1.8.1;1.8.2;1.8.3;1.8.4;2.8.1;2.8.2;2.8.3;2.8.4' -t mscons |
    sme-mscons -r 2.4a -s 7612345000005 -R 7600000000005 -z Europe/Zurich >day_20261024.edi &&
    sme-upload -P $T/secret/pw ftp://export@127.0.0.1:2121/in/ day_20261024.edi
# day 2026-10-25 [2026-10-24T22:00:00Z, 2026-10-25T23:00:00Z), when sme-fetch finds every value
sme-fetch -a http://127.0.0.1:9/ -A $T/secret/api -f 2026-10-24T22:00:00Z -t 2026-10-25T23:15:00Z -i 15m -z Europe/Zurich -m CH1234501234500000000000000101001 -- 1001 -231328692 |
    sme-obis -p -i 15m -x '1.8.1;1.8.2;1.8.3;1.8.4;2.8.1;2.8.2;2.8.3;2.8.4' -t mscons |
    sme-mscons -r 2.4a -s 7612345000005 -R 7600000000005 -z Europe/Zurich >day_20261025.edi &&
    sme-upload -P $T/secret/pw ftp://export@127.0.0.1:2121/in/ day_20261025.edi
# day 2026-10-26 [2026-10-25T23:00:00Z, 2026-10-26T23:00:00Z), when sme-fetch finds every value
sme-fetch -a http://127.0.0.1:9/ -A $T/secret/api -f 2026-10-25T23:00:00Z -t 2026-10-26T23:15:00Z -i 15m -z Europe/Zurich -m CH1234501234500000000000000101001 -- 1001 -231328692 |
    sme-obis -p -i 15m -x '1.8.1;1.8.2;1.8.3;1.8.4;2.8.1;2.8.2;2.8.3;2.8.4' -t mscons |
    sme-mscons -r 2.4a -s 7612345000005 -R 7600000000005 -z Europe/Zurich >day_20261026.edi &&
    sme-upload -P $T/secret/pw ftp://export@127.0.0.1:2121/in/ day_20261026.edi
EOF
[ ! -e st ]
ok $? '-n makes no state folder'

sme-export -c c.json -s st --now 2026-10-27T12:00:00Z -n run >all.out 2>&1
[ -s all.out ] && ! grep -q hunter2 all.out
ok $? 'no secret in any command line: only the names of the files that hold them'

check '12h-after-end: not due at end + 11 h 59 min' \
    'sme-export -c c.json -s st --now 2026-10-25T09:59:00Z -n run late' <<'EOF'
EOF

check '12h-after-end: due at end + 12 h, exported with what exists' \
    'sme-export -c c.json -s st --now 2026-10-25T10:00:00Z -n run late' <<EOF
>>>
# late 2026-10-24 [2026-10-23T22:00:00Z, 2026-10-24T22:00:00Z)
sme-fetch -a http://127.0.0.1:9/ -A $T/secret/api -f 2026-10-23T22:00:00Z -t 2026-10-24T22:00:00Z -i 15m -z Europe/Zurich -F '/Nord/Haus 3' |
    sme-obis -k 1.8.0 -t csv |
    sme-csv -c '1-0:1.8.0*255' -z Europe/Zurich -H >late_20261024.csv &&
    sme-upload file:///tmp/outbox/ late_20261024.csv
EOF

check 'hourly: the hour the clock goes back twice has two periods and two file names' \
    'sme-export -c c.json -s st --now 2026-10-25T02:00:00Z -n run hour | grep "^#\|>"' <<'EOF'
>>>
# hour 2026-10-25T02:00+02:00 [2026-10-25T00:00:00Z, 2026-10-25T01:00:00Z), when sme-fetch finds every value
    sme-csv -c '1-0:1.8.0*255' -z Europe/Zurich -H >hour_20261025T0000Z.csv &&
# hour 2026-10-25T02:00+01:00 [2026-10-25T01:00:00Z, 2026-10-25T02:00:00Z), when sme-fetch finds every value
    sme-csv -c '1-0:1.8.0*255' -z Europe/Zurich -H >hour_20261025T0100Z.csv &&
EOF

check 'monthly in UTC: calendar months' \
    'sme-export -c c.json -s st --now 2026-12-01T00:00:00Z -n run month | grep "^#"' <<'EOF'
>>>
# month 2026-10-01 [2026-10-01T00:00:00Z, 2026-11-01T00:00:00Z), when sme-fetch finds every value
# month 2026-11-01 [2026-11-01T00:00:00Z, 2026-12-01T00:00:00Z), when sme-fetch finds every value
EOF

check '-p: the next period as a shell pipeline' 'sme-export -c c.json -s st -p month' <<EOF
>>>
sme-fetch -a http://127.0.0.1:9/ -A $T/secret/api -f 2026-10-01T00:00:00Z -t 2026-11-01T00:15:00Z -i 15m -z UTC 1001 |
    sme-obis -p -i 15m -x '1.8.1;1.8.2;1.8.3;1.8.4;2.8.1;2.8.2;2.8.3;2.8.4' -t mscons |
    sme-mscons -r 2.4a -s 7612345000005 -R 7600000000005 -z UTC >month_20261001.edi &&
    sme-upload file:///tmp/outbox/ month_20261001.edi
EOF

check 'status without state: nothing sent, the next period and when it is due' \
    'sme-export -c c.json -s st --now 2026-10-24T12:00:00Z status day late' <<'EOF'
>>>
day: nothing sent yet
day: next 2026-10-24 [2026-10-23T22:00:00Z, 2026-10-24T22:00:00Z), due at 2026-10-24T22:00:00Z once every value is there
late: nothing sent yet
late: next 2026-10-24 [2026-10-23T22:00:00Z, 2026-10-24T22:00:00Z), due at 2026-10-25T10:00:00Z
EOF

mkdir st
cat >st/day.json <<'EOF'
{
 "job": "day",
 "start": "2026-10-24",
 "next": "2026-10-25T23:00:00Z",
 "last": {
  "period": "2026-10-25",
  "file": "day_20261025.edi",
  "url": "ftp://127.0.0.1:2121/in/day_20261025.edi",
  "sha256": "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
  "sent": "2026-10-27T00:05:00Z"
 },
 "waiting": {
  "period": "2026-10-26",
  "status": "waiting",
  "why": "sme-fetch: meter 1001: no values from 2026-10-26T20:00:00Z",
  "since": "2026-10-27T00:05:00Z"
 }
}
EOF
check 'status: last sent, next, and since when and why it waits' \
    'sme-export -c c.json -s st --now 2026-10-27T12:00:00Z status day' <<'EOF'
>>>
day: last sent 2026-10-25 as day_20261025.edi at 2026-10-27T00:05:00Z
day: next 2026-10-26 [2026-10-25T23:00:00Z, 2026-10-26T23:00:00Z), due since 2026-10-26T23:00:00Z once every value is there
day: waiting since 2026-10-27T00:05:00Z: sme-fetch: meter 1001: no values from 2026-10-26T20:00:00Z
>>>= 1
EOF

check 'the state goes on where it stopped' \
    'sme-export -c c.json -s st --now 2026-10-27T12:00:00Z -n run day | grep "^#"' <<'EOF'
>>>
# day 2026-10-26 [2026-10-25T23:00:00Z, 2026-10-26T23:00:00Z), when sme-fetch finds every value
EOF

check 'a clock set back before the next period: nothing due, no error' \
    'sme-export -c c.json -s st --now 2026-10-20T00:00:00Z -n run day' <<'EOF'
EOF

sed 's/"start": "2026-10-24"/"start": "2026-10-01"/' c.json | sed 's/"interval": "daily", "start": "2026-10-01"}/&/' >c2.json
check 'a changed start in the config wins over the state (backfill, re-send)' \
    'sme-export -c c2.json -s st --now 2026-10-02T12:00:00Z -n run day | grep "^#"' <<'EOF'
>>>
# day 2026-10-01 [2026-09-30T22:00:00Z, 2026-10-01T22:00:00Z), when sme-fetch finds every value
EOF

cat >st/month.json <<'EOF'
{"job": "month", "start": "2026-10-01", "next": "2026-10-15T00:00:00Z"}
EOF
check 'a state that does not fit the interval is an error, not a guess' \
    'sme-export -c c.json -s st --now 2026-12-01T00:00:00Z -n run month' <<'EOF'
>>>2
sme-export: month: the state's next period starts 2026-10-15T00:00:00+00:00, which does not begin a monthly period in UTC: the interval or zone changed; set "start" to the next period to export
>>>= 3
EOF

rm st/month.json
printf '{"job": "late", "start": "2026-10-24", "next": ' >st/late.json
cp st/late.json late.before
check 'a corrupt state file: a clear error, the job is not run' \
    'sme-export -c c.json -s st --now 2026-10-27T12:00:00Z run late' <<'EOF'
>>>2
sme-export: st/late.json:1: corrupt state (unexpected token near end of file); nothing was changed: repair or remove the file
>>>= 3
EOF
cmp -s st/late.json late.before
ok $? 'and nothing was overwritten'

echo '{"job": "late", "start": "2026-10-24", "next": "2026-10-24T00:00:00Z", "extra": 1}' >st/late.json
check 'a state file sme-export did not write is refused too' \
    'sme-export -c c.json -s st --now 2026-10-27T12:00:00Z status late' <<'EOF'
>>>2
sme-export: st/late.json: corrupt state (not what sme-export writes); nothing was changed: repair or remove the file
>>>= 3
EOF
rm st/late.json
mkdir st/late.json
check 'a state that is not a file is refused, not read' \
    'sme-export -c c.json -s st --now 2026-10-27T12:00:00Z run late' <<'EOF'
>>>2
sme-export: st/late.json: corrupt state (not a regular file); nothing was changed: repair or remove the file
>>>= 3
EOF
rmdir st/late.json

check 'a job locked by another run is skipped, and it says so' \
    'flock st/late.lock sme-export -c c.json -s st --now 2026-10-27T12:00:00Z run late' <<'EOF'
>>>2
sme-export: late: another run holds its lock: skipped
EOF
[ ! -e st/late.json ]
ok $? 'the locked job was not touched'

echo x >notadir
check 'a state folder that cannot be made: exit 6' \
    'sme-export -c c.json -s notadir/st --now 2026-10-27T12:00:00Z run late' <<'EOF'
>>>2
sme-export: notadir/st: cannot make the state folder: Not a directory
>>>= 6
EOF

mkdir ro && chmod 555 ro && chmod -R a+rX "$T" && chmod 755 "$T"
check 'a state folder that cannot be written: exit 6, the job not run' \
    'setpriv --reuid=65534 --regid=65534 --clear-groups sme-export -c c.json -s ro --now 2026-10-27T12:00:00Z run late' <<'EOF'
>>>2
sme-export: ro/late.lock: cannot lock: Permission denied
>>>= 6
EOF

# shards: disjoint, and together every job
for k in 0 1 2; do
	sme-export -c c.json -s st --now 2026-12-01T00:00:00Z --shard $k/3 -n run |
	    sed -n 's/^# \([^ ]*\) .*/\1/p' | sort -u >shard$k
done
sort shard0 shard1 shard2 >shards
sort -u shards >shards.u
printf 'day\nhour\nlate\nmonth\n' | cmp -s - shards && cmp -s shards shards.u
ok $? '--shard k/3: every job in exactly one shard'
[ "$(sme-export -c c.json -s st --now 2026-12-01T00:00:00Z --shard 0/1 -n run | sed -n 's/^# \([^ ]*\) .*/\1/p' | sort -u | tr '\n' ' ')" = "day hour late month " ]
ok $? '--shard 0/1 is every job'
done_testing
