#!/bin/sh
# sme-export: examples/export/ (partner and user file, crontab line, systemd units) run as shipped
. "$(dirname "$0")/lib.sh"
ex=$top/examples/export
SME_PARTNER_CONFIG=$ex/partner.json
export SME_PARTNER_CONFIG

check 'the example config lists its shared and own entries' "sme-export -c $ex/config.json list" <<'EOF'
>>>
target  ewz-sftp              sftp://export@127.0.0.1:2222/in/  shared
target  outbox                file:///tmp/sme-outbox/
format  ewz-mscons            mscons 2.4a from 7612345000005 to 7600000000005  shared
format  ewz-ise               ise reading  shared
format  csv6                  csv 1-0:1.8.0*255;1-0:1.8.1*255;1-0:1.8.2*255;1-0:2.8.0*255;1-0:2.8.1*255;1-0:2.8.2*255;
job     m1001                 daily ewz-mscons to outbox, complete, from 2026-10-25
job     c1001                 daily csv6 to outbox, 12h-after-end, from 2026-10-25
job     i1002                 daily ewz-ise to outbox, complete, from 2026-10-25
EOF

check 'the example jobs cover the two sample days, the 25-hour day first' \
    "sme-export -c $ex/config.json -s st --now 2026-10-27T12:00:00Z -n run | grep '^#'" <<'EOF'
>>>
# m1001 2026-10-25 [2026-10-24T22:00:00Z, 2026-10-25T23:00:00Z), when sme-fetch finds every value
# m1001 2026-10-26 [2026-10-25T23:00:00Z, 2026-10-26T23:00:00Z), when sme-fetch finds every value
# c1001 2026-10-25 [2026-10-24T22:00:00Z, 2026-10-25T23:00:00Z)
# c1001 2026-10-26 [2026-10-25T23:00:00Z, 2026-10-26T23:00:00Z)
# i1002 2026-10-25 [2026-10-24T22:00:00Z, 2026-10-25T23:00:00Z), when sme-fetch finds every value
# i1002 2026-10-26 [2026-10-25T23:00:00Z, 2026-10-26T23:00:00Z), when sme-fetch finds every value
EOF

# the crontab line: five time fields, every 15 minutes, no % (cron's newline)
line=$(grep -v '^#' "$ex/crontab")
[ "$(echo "$line" | wc -l)" -eq 1 ] && [ "$(echo "$line" | cut -d' ' -f1-5)" = '*/15 * * * *' ] &&
    ! echo "$line" | grep -q %
ok $? 'crontab: one line, every 15 minutes, no %'

# its command, as cron runs it (sh -c, a bare HOME), with the example config
# moved to where sme-export looks by default and its jobs not yet due
cmd=$(echo "$line" | cut -d' ' -f6-)
mkdir -p home/.config/sme
sed 's/"start": "2026-10-25"/"start": "2099-01-01"/' "$ex/config.json" >home/.config/sme/config.json
env -i HOME="$T/home" PATH="$top:/usr/bin:/bin" SME_PARTNER_CONFIG="$ex/partner.json" sh -c "$cmd"
ok $? "crontab: the command runs from a fresh HOME (exit $?)"
[ -f home/.local/state/sme/export.jsonl ] && [ ! -s home/.local/state/sme/export.log ] &&
    [ -f home/.local/state/sme/m1001.lock ]
ok $? 'crontab: the log files are made beside the state, no message'

# the systemd units: valid for systemd, every 15 minutes, and the service's command runs
mkdir units
sed "s|^ExecStart=/usr/local/bin/sme-export|ExecStart=$top/sme-export|" "$ex/sme-export.service" >units/sme-export.service
cp "$ex/sme-export.timer" units/
if command -v systemd-analyze >/dev/null 2>&1; then
	systemd-analyze verify --man=no units/sme-export.timer units/sme-export.service >verify.out 2>&1
	rc=$?
	[ $rc -eq 0 ] && [ ! -s verify.out ]
	ok $? "systemd-analyze verify: the service and the timer are clean (exit $rc)"
	[ "$(systemd-analyze calendar "$(sed -n 's/^OnCalendar=//p' units/sme-export.timer)" |
	    sed -n 's/^ *Normalized form: //p')" = '*-*-* *:00/15:00' ]
	ok $? 'the timer fires every 15 minutes'
else
	skip 'systemd-analyze verify' 'systemd-analyze is not installed'
	skip 'the timer fires every 15 minutes' 'systemd-analyze is not installed'
fi
grep -q '^SuccessExitStatus=1$' units/sme-export.service && grep -q '^KillMode=mixed$' units/sme-export.service
ok $? 'the service takes exit 1 (waiting) as success and signals sme-export first'
exec=$(sed -n 's/^ExecStart=//p' units/sme-export.service)
rm -rf home/.local
env -i HOME="$T/home" PATH=/usr/bin:/bin SME_PARTNER_CONFIG="$ex/partner.json" sh -c "$exec" >svc.out 2>svc.err
ok $? 'the service command runs'
[ ! -s svc.out ] && [ ! -s svc.err ] && [ -d home/.local/state/sme ]
ok $? 'and makes its state folder, with nothing due and nothing said'

# against the API stand-in: the example jobs deliver, and so do the crontab line and the service
. "$top/tests/export.sh"
if ! export_setup --now "$(date -u +%Y-%m-%dT%H:%M:%SZ)" || [ ! -x "$top/sme-mscons" ] || [ ! -x "$top/sme-ise" ]; then
	ok 1 "the example jobs against the API stand-in: ${export_missing:-sme-mscons or sme-ise is not built}"
	done_testing
	exit
fi
printf '# the stand-in\nSME_API_KEY = %s\n' "$API_KEY" >api.auth
chmod 600 api.auth
sed "s|file:///tmp/sme-outbox/|file://$T/outbox/|" "$ex/config.json" >config.json
mkdir outbox
env -u SME_API_KEY sme-export -c config.json -s st --now 2026-10-27T12:00:00Z run >log 2>err
ok $? "the example jobs run against the stand-in, the key from api.auth (exit $?)"
[ "$(ls outbox | tr '\n' ' ')" = "c1001_20261025.csv c1001_20261026.csv i1002_20261025.csv i1002_20261026.csv m1001_20261025.edi m1001_20261026.edi " ]
ok $? 'one file per job and day: MSCONS, CSV, IS-E'
sme-mscons -d outbox/m1001_20261025.edi >m.jsonl && [ "$(grep -c '"obis":"1-1:1.29.0\*255"' m.jsonl)" = 100 ] &&
    [ "$(head -n 1 m.jsonl | sed 's/.*"start":"\([^"]*\)".*/\1/')" = 2026-10-24T22:00:00Z ]
ok $? 'the MSCONS file of 2026-10-25 has its 100 quarter-hours from local midnight'
[ "$(grep -c '"status":"sent"' log)" = 6 ] && ! grep -q "$API_KEY" log err st/*.json
ok $? 'six sent lines, and the key in none of them'

# the crontab line and the service, with a HOME of their own and jobs from two days ago
rm -rf home
mkdir -p home/.config/sme outbox2
from=$(TZ=Europe/Zurich date -d '-2 day' +%Y-%m-%d)
sed "s|file:///tmp/sme-outbox/|file://$T/outbox2/|; s|\"start\": \"2026-10-25\"|\"start\": \"$from\"|" "$ex/config.json" >home/.config/sme/config.json
cp api.auth home/.config/sme/api.auth
env -i HOME="$T/home" PATH="$top:/usr/bin:/bin" SME_PARTNER_CONFIG="$ex/partner.json" SME_API_URL="$SME_API_URL" \
    ${ASAN_OPTIONS+ASAN_OPTIONS="$ASAN_OPTIONS"} \
    sh -c "$cmd"
ok $? "crontab: the command exports the due days (exit $?)"
[ "$(ls outbox2 | grep -c '^m1001_')" = 2 ] && [ "$(grep -c '"sent"' home/.local/state/sme/export.jsonl)" -ge 4 ] &&
    grep -q 'sent m1001_' home/.local/state/sme/export.log
ok $? 'two MSCONS days in the outbox, the log lines and messages beside the state'
mkdir keep
cp outbox2/* keep/
rm -rf home/.local
env -i HOME="$T/home" PATH=/usr/bin:/bin SME_PARTNER_CONFIG="$ex/partner.json" SME_API_URL="$SME_API_URL" \
    ${ASAN_OPTIONS+ASAN_OPTIONS="$ASAN_OPTIONS"} \
    sh -c "$exec" >svc.out 2>svc.err
ok $? 'the service command, from no state, exports them again'
same=0
for f in keep/m1001_* keep/i1002_*; do
	cmp -s "$f" "outbox2/${f#keep/}" && same=$((same + 1))
done
[ "$same" = 4 ] && [ "$(ls keep | tr '\n' ' ')" = "$(ls outbox2 | tr '\n' ' ')" ]
ok $? "under the same names, byte for byte ($same of 4 MSCONS and IS-E files)"
done_testing
