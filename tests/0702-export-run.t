#!/bin/sh
# sme-export run: the whole chain against the API stand-in and file:// targets; faults, signals, locks, secrets
. "$(dirname "$0")/lib.sh"
. "$top/tests/export.sh"
if ! export_setup; then
	ok 1 "sme-export run end to end: $export_missing"
	done_testing
	exit
fi

# one daily MSCONS job and one CSV job over the two sample days
cat >c.json <<EOF
{ "targets": [ {"name": "outbox", "url": "file://$T/outbox/"},
               {"name": "pw", "url": "file://$T/outbox2/", "comment": "a password_file is passed as -P"} ],
  "formats": [ {"name": "csv", "type": "csv", "columns": "1-0:1.8.0*255;1-0:2.8.0*255", "plain_ids": true} ],
  "jobs": [ {"name": "d", "devices": ["$M1"], "format": "csv", "target": "outbox",
             "interval": "daily", "start": "2026-10-25"} ] }
EOF
mkdir outbox
NOW=2026-10-27T12:00:00Z

sme-export -c c.json -s st --now $NOW run >log 2>err
ok $? "run: both due days sent (exit $?)"
[ "$(ls outbox)" = "$(printf 'd_20261025.csv\nd_20261026.csv')" ]
ok $? 'one file per period, named by job and day'
n=$(grep -c '"status":"sent"' log)
[ "$n" = 2 ] && [ "$(wc -l <err)" = 2 ]
ok $? 'a JSON line per period on stdout, a human line on stderr'
good=0
for f in d_20261025.csv d_20261026.csv; do
	sum=$(sha256sum "outbox/$f" | cut -d' ' -f1)
	grep -q "\"file\":\"$f\".*\"sha256\":\"$sum\"" log && good=$((good + 1))
done
[ "$good" = 2 ]
ok $? "the log's sha256 is the delivered file's ($good of 2)"
[ -d st/spool ] && [ ! -e st/spool/d ] && [ -z "$(ls -A st/spool)" ]
ok $? 'nothing left in the spool: the job'"'"'s folder is gone, statedir/spool empty'
tail -q -n +2 outbox/d_20261025.csv outbox/d_20261026.csv | cut -d';' -f2,3 >rows
[ "$(wc -l <rows)" = 196 ] && [ -z "$(sort rows | uniq -d)" ] &&
    [ "$(head -n 1 rows)" = "$M1;2026-10-25T00:00:00+02:00" ] && [ "$(tail -n 1 rows)" = "$M1;2026-10-26T23:45:00+01:00" ]
ok $? 'readings: 100 + 96 rows, each in one file only, 00:00 to 23:45 of each day'
grep -q '"next": "2026-10-26T23:00:00Z"' st/d.json
ok $? 'the state is past the last period sent'

check 'the next run: nothing due, nothing done' "sme-export -c c.json -s st --now $NOW run" <<'EOF'
EOF

# the upload fails on the first of three due periods: nothing moves, the next run sends all three
sed "s|file://$T/outbox/|file://$T/later/|" c.json >c2.json
sme-export -c c2.json -s st2 --now 2026-10-28T12:00:00Z run >log2 2>err2
rc=$?
[ $rc -eq 6 ] && grep -q '"status":"failed"' log2 && [ "$(grep -c . log2)" = 1 ]
ok $? "an upload that fails: exit 6, one failed line, the job stops there (exit $rc)"
grep -q '^sme-export: d 2026-10-25: failed: sme-upload: .*later/ does not exist' err2
ok $? 'and the message says why'
[ ! -e st2/d.json ] && [ ! -e st2/spool/d ] && [ -z "$(ls -A st2/spool)" ]
ok $? 'the state did not move; no file left behind'
mkdir later
sme-export -c c2.json -s st2 --now 2026-10-28T12:00:00Z run >log2 2>err2
ok $? 'the next run, with the folder there, succeeds'
[ "$(ls later | tr '\n' ' ')" = "d_20261025.csv d_20261026.csv d_20261027.csv " ] &&
    [ "$(grep -c '"sent"' log2)" = 3 ] && [ "$(sed -n 's/.*"period":"\([^"]*\)".*/\1/p' log2 | tr '\n' ' ')" = "2026-10-25 2026-10-26 2026-10-27 " ]
ok $? 'and sends all three, the failed one first'
cmp -s later/d_20261025.csv outbox/d_20261025.csv
ok $? 'the same bytes as a run that never failed'

# stopped between upload and state write (the state cannot be written):
# the next run sends the same period again, under the same name
mkdir -p st3/d.json.tmp outbox3
sed "s|file://$T/outbox/|file://$T/outbox3/|" c.json >c3.json
sme-export -c c3.json -s st3 --now $NOW run >log3 2>err3
rc=$?
[ $rc -eq 6 ] && grep -q 'st3/d.json: cannot write the state (the period was delivered and will be sent again, under the same name): Is a directory' err3
ok $? "a state that cannot be written after the upload: exit 6, and it says what happens (exit $rc)"
[ "$(ls outbox3)" = d_20261025.csv ] && [ ! -e st3/d.json ]
ok $? 'the file was delivered, the state did not move'
cp outbox3/d_20261025.csv first.csv
rmdir st3/d.json.tmp
sme-export -c c3.json -s st3 --now $NOW run >log3 2>err3
ok $? 'the next run succeeds'
[ "$(ls outbox3 | tr '\n' ' ')" = "d_20261025.csv d_20261026.csv " ] && cmp -s first.csv outbox3/d_20261025.csv &&
    [ "$(grep -c '"sent"' log3)" = 2 ]
ok $? 'it sent the period again under the same name: nothing lost, no second name'

# killed (SIGKILL, by strace) at the rename of the state's temporary file, after the upload:
# the next run sends the period again under the same name
mkdir outbox10
sed "s|file://$T/outbox/|file://$T/outbox10/|" c.json >c10.json
ASAN_OPTIONS=detect_leaks=0 strace -qq -o /dev/null -P st10/d.json.tmp -e trace=rename,renameat,renameat2 -e inject=rename,renameat,renameat2:signal=SIGKILL:when=1 \
    sme-export -c c10.json -s st10 --now $NOW run >log10 2>err10
rc=$?
[ $rc -eq 137 ] && [ "$(ls outbox10)" = d_20261025.csv ] && [ ! -e st10/d.json ] && [ -e st10/d.json.tmp ]
ok $? "killed between upload and state write: the file is there, the state is not (exit $rc)"
cp outbox10/d_20261025.csv killed.csv
sme-export -c c10.json -s st10 --now $NOW run >log10 2>err10
ok $? 'the next run succeeds'
[ "$(ls outbox10 | tr '\n' ' ')" = "d_20261025.csv d_20261026.csv " ] && cmp -s killed.csv outbox10/d_20261025.csv &&
    [ "$(sed -n 's/.*"period":"\([^"]*\)".*/\1/p' log10 | tr '\n' ' ')" = "2026-10-25 2026-10-26 " ]
ok $? 'it sent the killed period again, under the same name, and the next one: nothing lost, no second name'

# killed (SIGKILL) while sme-upload runs: the children go with it and hold the
# job's lock until they are gone, so that no orphan uploads beside the next run
mkdir outbox11 bin11
sed "s|file://$T/outbox/|file://$T/outbox11/|" c.json >c11.json
cp "$top/sme-export" bin11/
for p in sme-fetch sme-obis sme-csv; do ln -s "$top/$p" bin11/$p; done
cat >bin11/sme-upload <<EOF
#!/bin/sh
echo start >>$T/uploads11
sleep 2
echo upload >>$T/uploads11
exec "$top/sme-upload" "\$@"
EOF
chmod +x bin11/sme-upload
bin11/sme-export -c c11.json -s st11 --now $NOW run >log11 2>err11 &
pid=$!
i=0
while [ ! -s uploads11 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -KILL $pid
wait $pid
rc=$?
bin11/sme-export -c c11.json -s st11 --now $NOW run >log11b 2>err11b
rcb=$?
[ $rc -eq 137 ] && [ $rcb -eq 0 ] && grep -q '^sme-export: d: another run holds its lock: skipped$' err11b &&
    [ ! -s log11b ]
ok $? "killed during the upload: the next run at once finds the job locked by the children ($rc, $rcb)"
sleep 2.5
[ "$(cat uploads11)" = start ] && [ -z "$(ls -A outbox11)" ] && [ ! -e st11/d.json ]
ok $? 'the orphaned upload went with sme-export: nothing delivered behind the state'
[ "$(ls -A st11/spool/d)" = d_20261025.csv ]
ok $? 'the killed run left its file in the job'"'"'s spool folder'

bin11/sme-export -c c11.json -s st11 --now $NOW run >log11 2>err11
rc=$?
[ $rc -eq 0 ] && [ "$(ls outbox11 | tr '\n' ' ')" = "d_20261025.csv d_20261026.csv " ] &&
    [ "$(grep -c '"sent"' log11)" = 2 ] && [ "$(grep -c upload uploads11)" = 2 ]
ok $? "then a run sends both periods, once each (exit $rc)"
[ ! -e st11/spool/d ] && [ -z "$(ls -A st11/spool)" ]
ok $? 'and removes what the killed run left in the spool'


# SIGTERM while a child runs: the children go, no partial file, the state stays
mkdir outbox4
sed "s|file://$T/outbox/|file://$T/outbox4/|" c.json >c4.json
slow_api 3
sme-export -c c4.json -s st4 --now $NOW run >log4 2>err4 &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
rc=$?
fast_api
[ $rc -eq 143 ]
ok $? "SIGTERM: sme-export dies of the signal (exit $rc)"
[ "$(cat err4)" = "sme-export: d 2026-10-25: stopped: signal 15: the next run does the period again
sme-export: stopped by signal 15: the state is at the last period delivered; the next run goes on from there, and does again a period that was under way" ] &&
    [ "$(grep -c . log4)" = 1 ] && grep -q '^{"job":"d","period":"2026-10-25",.*"status":"stopped",.*"why":"signal 15: the next run does the period again"}$' log4
ok $? 'it says so, and logs the period it stopped as "stopped"'
[ -z "$(ls -A outbox4)" ] && [ ! -e st4/spool/d ] && [ -z "$(ls -A st4/spool)" ] && [ ! -e st4/d.json ]
ok $? 'no file delivered or left, the state not written'
sleep 0.2
! pgrep -s 0 -f "sme-fetch.*$M1" >/dev/null
ok $? 'no child is left running'

# SIGHUP and SIGINT likewise (sh starts & with SIGINT ignored: a python3 exec puts it back)
dfl='import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])'
for sig in HUP INT; do
	rm -rf st4 && mkdir -p st4 && rm -f outbox4/*
	slow_api 3
	/usr/bin/python3 -c "$dfl" sme-export -c c4.json -s st4 --now $NOW run >log4 2>err4 &
	pid=$!
	sleep 1
	kill -$sig $pid
	wait $pid
	rc=$?
	[ $rc -gt 128 ] && grep -q "stopped by signal" err4 && [ -z "$(ls -A outbox4)" ] &&
	    [ ! -e st4/spool/d ] && [ -z "$(ls -A st4/spool)" ] && [ ! -e st4/d.json ]
	ok $? "SIG$sig: stopped, nothing delivered or left, no state (exit $rc)"
done
fast_api

# what was ignored at the start stays ignored (nohup)
rm -rf st4 && mkdir -p st4 && rm -f outbox4/*
slow_api 1
(trap '' HUP; exec sme-export -c c4.json -s st4 --now $NOW run >log4 2>err4) &
pid=$!
sleep 0.5
kill -HUP $pid
wait $pid
rc=$?
fast_api
[ $rc -eq 0 ] && [ "$(ls outbox4 | wc -l)" = 2 ]
ok $? "an ignored SIGHUP (nohup) does not stop the run (exit $rc)"

# two runs at once: the second skips the locked job; each period once
mkdir outbox5
sed "s|file://$T/outbox/|file://$T/outbox5/|" c.json >c5.json
slow_api 1
sme-export -c c5.json -s st5 --now $NOW run >log5a 2>err5a &
pid=$!
sleep 0.5
sme-export -c c5.json -s st5 --now $NOW run >log5b 2>err5b
rcb=$?
wait $pid
rca=$?
fast_api
[ $rca -eq 0 ] && [ $rcb -eq 0 ] && grep -q '^sme-export: d: another run holds its lock: skipped$' err5b && [ ! -s log5b ]
ok $? "two runs at once: the second skips the locked job and says so ($rca, $rcb)"
[ "$(cat log5a log5b | grep -c '"sent"')" = 2 ] && [ "$(ls outbox5 | wc -l)" = 2 ]
ok $? 'each period was exported once'

# no secret in any child's argv, log line, message or state file
mkdir outbox6
sed "s|file://$T/outbox/|file://$T/outbox6/|" c.json >c6.json
# (LeakSanitizer cannot run under ptrace: a SANITIZE=1 build would fail for that alone)
SME_API_KEY=$API_KEY ASAN_OPTIONS=detect_leaks=0 strace -f -qq -s 4096 -e trace=execve -o trace sme-export -c c6.json -s st6 --now $NOW run >log6 2>err6
ok $? 'a run under strace'
[ "$(grep -c 'execve("[^"]*/sme-\(fetch\|obis\|csv\|upload\)"' trace)" -ge 8 ]
ok $? 'strace saw the children start'
[ -s trace ] && [ -f st6/d.json ] && ! grep -q "$API_KEY" trace log6 err6 st6/*.json
ok $? 'the API key is in no argv, log line, message or state'

# complete: a meter that went offline keeps the job waiting, and status says why
cat >c7.json <<EOF
{ "targets": [ {"name": "outbox", "url": "file://$T/outbox7/"} ],
  "formats": [ {"name": "csv", "type": "csv", "columns": "1-0:1.8.0*255"},
               {"name": "m", "type": "mscons", "release": "2.2e", "sender": "7612345000005", "receiver": "7600000000005"} ],
  "jobs": [ {"name": "off", "devices": ["1003"], "format": "csv", "target": "outbox",
             "interval": "daily", "start": "2026-10-31"},
            {"name": "off12", "devices": ["1003"], "format": "csv", "target": "outbox",
             "interval": "daily", "trigger": "12h-after-end", "start": "2026-11-01"},
            {"name": "skip", "devices": ["1003"], "format": "csv", "target": "outbox",
             "interval": "daily", "trigger": "12h-after-end", "start": "2026-10-31", "on_empty": "skip"},
            {"name": "gone", "devices": ["1003"], "format": "csv", "target": "outbox",
             "interval": "daily", "start": "2026-11-05"} ] }
EOF
mkdir outbox7
sme-export -c c7.json -s st7 --now 2026-11-03T06:00:00Z run off >log7 2>err7
rc=$?
[ $rc -eq 1 ] && [ "$(sed -n 's/.*"period":"\([^"]*\)","start.*"status":"\([a-z]*\)".*/\1 \2/p' log7 | tr '\n' ' ')" = "2026-10-31 sent 2026-11-01 waiting " ]
ok $? "complete: the day before is sent, the day the meter went offline waits (exit $rc)"
grep -q '"status":"waiting".*"why":"sme-fetch: .*1003' log7
ok $? 'the log line says which meter lacks values'
sme-export -c c7.json -s st7 --now 2026-11-03T06:00:00Z status off >status7
rc=$?
[ $rc -eq 1 ] && grep -q '^off: last sent 2026-10-31 as off_20261031.csv at 2026-11-03T06:00:00Z$' status7 &&
    grep -q '^off: waiting since 2026-11-03T06:00:00Z: sme-fetch: .*1003' status7
ok $? "status: last sent, and waiting since when and why (exit $rc)"
sme-export -c c7.json -s st7 --now 2026-11-04T06:00:00Z run off >log7 2>err7
sme-export -c c7.json -s st7 --now 2026-11-04T06:00:00Z status off >status7b
grep -q '^off: waiting since 2026-11-03T06:00:00Z: ' status7b
ok $? 'a trigger that never holds: still waiting, since the first time'

sme-export -c c7.json -s st7 --now 2026-11-02T12:00:00Z run off12 >log7 2>err7
rc=$?
[ $rc -eq 0 ] && grep -q '"status":"sent".*"missing":true' log7 && grep -q 'sent off12_20261101.csv (.*) to outbox, with values missing$' err7
ok $? "12h-after-end: sent with what exists, the log says values were missing (exit $rc)"
[ "$(tail -n +2 outbox7/off12_20261101.csv | wc -l)" -lt 96 ] && [ "$(tail -n +2 outbox7/off12_20261101.csv | wc -l)" -gt 0 ]
ok $? 'with the readings that exist, none invented'

sme-export -c c7.json -s st7 --now 2026-11-06T12:00:00Z run gone >log7 2>err7
rc=$?
[ $rc -eq 1 ] && grep -q '"period":"2026-11-05".*"status":"empty"' log7 && [ "$(grep -c . log7)" = 1 ] &&
    grep -q '^sme-export: gone 2026-11-05: empty: no records; the job waits here$' err7
ok $? "a period without records: not delivered, logged as empty, the job waits (exit $rc)"
[ -z "$(ls outbox7 | grep gone)" ] && grep -q '"status": "empty"' st7/gone.json
ok $? 'no file, and the state says so'
sme-export -c c7.json -s st7 --now 2026-11-04T13:00:00Z run skip >log7 2>err7
rc=$?
[ $rc -eq 0 ] && [ "$(sed -n 's/.*"period":"\([^"]*\)".*"status":"\([a-z]*\)".*/\1 \2/p' log7 | tr '\n' ' ')" = "2026-10-31 sent 2026-11-01 sent 2026-11-02 empty 2026-11-03 empty " ] &&
    [ "$(ls outbox7 | grep skip | tr '\n' ' ')" = "skip_20261031.csv skip_20261101.csv " ] &&
    grep -q '"next": "2026-11-03T23:00:00Z"' st7/skip.json
ok $? "on_empty skip: the empty days are passed over and the state moves on (exit $rc)"
# virtual tariffs: IS-E readings and feeds of the folder's tariffs, numbered by the job
mkdir outbox8
cat >c8.json <<EOF
{ "targets": [ {"name": "outbox", "url": "file://$T/outbox8/"} ],
  "formats": [ {"name": "ise", "type": "ise", "kind": "reading"},
               {"name": "feed", "type": "ise", "kind": "feed"} ],
  "jobs": [ {"name": "vt", "folder": "/Nord", "format": "ise", "target": "outbox",
             "interval": "daily", "start": "2026-10-25", "values": "virtual-tariffs",
             "tariffs": {"Solar": 1, "Netz HT": 2, "Netz NT": 3}},
            {"name": "vf", "folder": "/Nord", "format": "feed", "target": "outbox",
             "interval": "daily", "start": "2026-10-25", "values": "virtual-tariffs",
             "tariffs": {"Solar": 1, "Netz HT": 2, "Netz NT": 3}} ] }
EOF
sme-export -c c8.json -s st8 --now 2026-10-26T06:00:00Z run >log8 2>err8
ok $? "virtual tariffs: a reading and a feed job run (exit $?)"
[ "$(cut -d';' -f3 outbox8/vt_20261025.csv | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')" = "1-5:1.8.1=100 1-5:1.8.2=100 1-5:1.8.3=100 OBIS=1 " ]
ok $? 'readings: 1-5:1.8.<tariff> for each of the 100 quarter-hours of the day'
[ "$(cut -d';' -f3 outbox8/vf_20261025.csv | sort | tr '\n' ' ')" = "1-5:1.9.1 1-5:1.9.2 1-5:1.9.3 OBIS " ]
ok $? 'feeds: one 1-5:1.9.<tariff> each for the day'
# -p: the printed pipeline, run by hand in sh, gives the bytes run uploads
# (MSCONS, CSV and IS-E load profile; daily and hourly over the 25-hour day)
mkdir outbox12 hand12
cat >c12.json <<EOF
{ "targets": [ {"name": "outbox", "url": "file://$T/outbox12/"} ],
  "formats": [ {"name": "m", "type": "mscons", "release": "2.4a",
                "sender": "7612345000005", "receiver": "7600000000005"},
               {"name": "csv", "type": "csv", "delimiter": ",", "decimal": ","},
               {"name": "ise", "type": "ise", "kind": "profile"} ],
  "jobs": [ {"name": "pm", "devices": ["$M1"], "mpid": "CH1234501234500000000000000101001",
             "format": "m", "target": "outbox", "interval": "daily", "start": "2026-10-25"},
            {"name": "pc", "devices": ["$M1"], "format": "csv", "target": "outbox",
             "interval": "daily", "start": "2026-10-25"},
            {"name": "pi", "devices": ["$M1"], "format": "ise", "target": "outbox",
             "interval": "daily", "start": "2026-10-25", "trigger": "12h-after-end"},
            {"name": "ph", "devices": ["$M1"], "mpid": "CH1234501234500000000000000101001",
             "format": "m", "target": "outbox", "interval": "hourly",
             "start": "2026-10-25T01:00:00Z"} ] }
EOF
same=0
for j in pm pc pi ph; do
	sme-export -c c12.json -s st12 -p $j | sed "s|file://$T/outbox12/|file://$T/hand12/|" >p12.sh
	(cd hand12 && sh ../p12.sh >/dev/null 2>&1)
done
sme-export -c c12.json -s st12 --now 2026-10-26T12:00:00Z run pm pc pi >log12 2>err12 &&
    sme-export -c c12.json -s st12 --now 2026-10-25T02:00:00Z run ph >>log12 2>>err12
rc=$?
for f in pm_20261025.edi pc_20261025.csv pi_20261025.csv ph_20261025T0100Z.edi; do
	[ -s "hand12/$f" ] && cmp -s "hand12/$f" "outbox12/$f" && same=$((same + 1))
done
[ $rc -eq 0 ] && [ $same = 4 ]
ok $? "-p by hand in sh gives byte for byte what run uploads ($same of 4, exit $rc)"

# a full disk (tmpfs of 64 KB) for the state folder, then for TMPDIR: exit 6,
# a message that says what is full, the state as it was, nothing delivered
mkdir outbox13 full13 tmp13
sed "s|file://$T/outbox/|file://$T/outbox13/|" c.json >c13.json
if mount -t tmpfs -o size=64k tmpfs full13 2>/dev/null && mount -t tmpfs -o size=64k tmpfs tmp13; then
	sme-export -c c13.json -s full13/st --now 2026-10-26T12:00:00Z run >log13 2>err13 &&
	    cp full13/st/d.json d13.before && dd if=/dev/zero of=full13/fill bs=1k count=64 2>/dev/null
	sme-export -c c13.json -s full13/st --now $NOW run >log13 2>err13
	rc=$?
	[ $rc -eq 6 ] && grep -q '"status":"failed".*"why":".*sme-csv: .*No space left on device' log13 &&
	    cmp -s d13.before full13/st/d.json && [ "$(ls outbox13)" = d_20261025.csv ] &&
	    [ ! -e full13/st/spool/d ] && [ -z "$(ls -A full13/st/spool)" ]
	ok $? "a full state folder: exit 6, the formatter's message, the state as it was ($rc)"
	rm full13/fill
	dd if=/dev/zero of=tmp13/fill bs=1k count=64 2>/dev/null
	TMPDIR=$T/tmp13 sme-export -c c13.json -s full13/st --now $NOW run >log13 2>err13
	rc=$?
	[ $rc -eq 6 ] && grep -q "^sme-export: d 2026-10-26: failed: a temporary file in $T/tmp13: No space left on device\$" err13 &&
	    cmp -s d13.before full13/st/d.json && [ "$(ls outbox13)" = d_20261025.csv ]
	ok $? "a full TMPDIR: exit 6 before anything is sent, and it says so ($rc)"
	umount full13 tmp13
else
	umount full13 2>/dev/null
	skip 'a full state folder' 'cannot mount a tmpfs here (not root)'
	skip 'a full TMPDIR' 'cannot mount a tmpfs here (not root)'
fi

# a reader of the log that goes away (| head): every period still sent and
# written down, and exit 6 for the write error
mkdir outbox14
sed "s|file://$T/outbox/|file://$T/outbox14/|" c.json >c14.json
{ sme-export -c c14.json -s st14 --now $NOW run 2>err14; echo $? >rc14; } | head -c 1 >/dev/null
sleep 1
[ "$(cat rc14)" = 6 ] && [ "$(ls outbox14 | wc -l)" = 2 ] && grep -q '"next": "2026-10-26T23:00:00Z"' st14/d.json &&
    grep -q '^sme-export: write error on standard output: Broken pipe$' err14
ok $? "a closed log pipe: both periods sent and written down, exit $(cat rc14)"

# a closed standard output: nothing lands in a lock or state file by its number
mkdir outbox9
sed "s|file://$T/outbox/|file://$T/outbox9/|" c.json >c9.json
sme-export -c c9.json -s st9 --now $NOW run >&- 2>err9
ok $? "run with standard output closed (exit $?)"
[ ! -s st9/d.lock ] && grep -q '"next": "2026-10-26T23:00:00Z"' st9/d.json && [ "$(ls outbox9 | wc -l)" = 2 ]
ok $? 'the lock file is empty, the state whole, both files delivered'
done_testing
