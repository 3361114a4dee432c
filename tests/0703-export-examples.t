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
job     i2002                 daily ewz-ise to outbox, complete, from 2026-10-25
EOF

check 'the example jobs cover the two sample days, the 25-hour day first' \
    "sme-export -c $ex/config.json -s st --now 2026-10-27T12:00:00Z -n run | grep '^#'" <<'EOF'
>>>
# m1001 2026-10-25 [2026-10-24T22:00:00Z, 2026-10-25T23:00:00Z), when sme-fetch finds every value
# m1001 2026-10-26 [2026-10-25T23:00:00Z, 2026-10-26T23:00:00Z), when sme-fetch finds every value
# c1001 2026-10-25 [2026-10-24T22:00:00Z, 2026-10-25T23:00:00Z)
# c1001 2026-10-26 [2026-10-25T23:00:00Z, 2026-10-26T23:00:00Z)
# i2002 2026-10-25 [2026-10-24T22:00:00Z, 2026-10-25T23:00:00Z), when sme-fetch finds every value
# i2002 2026-10-26 [2026-10-25T23:00:00Z, 2026-10-26T23:00:00Z), when sme-fetch finds every value
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
done_testing
