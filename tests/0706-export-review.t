#!/bin/sh
# sme-export: the review's findings (spool links, spool race, names equal but for case, raw text in messages)
. "$(dirname "$0")/lib.sh"
. "$top/tests/export.sh"
if ! export_setup; then
	ok 1 "sme-export review: $export_missing"
	done_testing
	exit
fi
NOW=2026-10-26T12:00:00Z
mkdir outbox
cat >c.json <<EOF
{ "targets": [ {"name": "outbox", "url": "file://$T/outbox/"} ],
  "formats": [ {"name": "csv", "type": "csv", "columns": "1-0:1.8.0*255"} ],
  "jobs": [ {"name": "d", "devices": ["$M1"], "format": "csv", "target": "outbox",
             "interval": "daily", "start": "2026-10-25"},
            {"name": "d-b", "devices": ["$M1"], "format": "csv", "target": "outbox",
             "interval": "daily", "start": "2026-10-25"} ] }
EOF

# F-D: a symbolic link (or a file) at statedir/spool/job or statedir/spool is
# refused: nothing in its target removed or written, the period failed (6)
mkdir -p victim st1/spool
echo precious >victim/precious.txt
ln -s ../../victim st1/spool/d
sme-export -c c.json -s st1 --now $NOW run d >log1 2>err1
rc=$?
[ $rc -eq 6 ] && [ "$(cat victim/precious.txt)" = precious ] && [ "$(ls -A victim)" = precious.txt ] &&
    [ -L st1/spool/d ] && [ -z "$(ls -A outbox)" ] && [ ! -e st1/d.json ]
ok $? "a link at statedir/spool/job: refused, its folder's files untouched, nothing sent (exit $rc)"
[ "$(cat err1)" = "sme-export: d 2026-10-25: failed: st1/spool/d: a symbolic link or not a folder: refused (the spool must be a folder sme-export made)" ] &&
    grep -q '^{"job":"d","period":"2026-10-25",.*"status":"failed",.*"why":"st1/spool/d: a symbolic link or not a folder: refused' log1 &&
    [ "$(grep -c . log1)" = 1 ]
ok $? 'it says so, on stderr and in one failed JSON line'
mkdir -p st2
ln -s ../victim st2/spool
sme-export -c c.json -s st2 --now $NOW run d >log2 2>err2
rc=$?
[ $rc -eq 6 ] && [ "$(ls -A victim)" = precious.txt ] && [ -L st2/spool ] &&
    grep -q '^sme-export: d 2026-10-25: failed: st2/spool: a symbolic link or not a folder: refused' err2
ok $? "a link at statedir/spool: refused likewise, nothing made in its target (exit $rc)"
mkdir -p st3/spool
echo x >st3/spool/d
sme-export -c c.json -s st3 --now $NOW run d >log3 2>err3
rc=$?
[ $rc -eq 6 ] && [ "$(cat st3/spool/d)" = x ] &&
    grep -q '^sme-export: d 2026-10-25: failed: st3/spool/d: a symbolic link or not a folder: refused' err3
ok $? "a file at statedir/spool/job: refused, left as it is (exit $rc)"
# what a killed run left (regular files) goes; a link in the folder is not followed
mkdir -p st4/spool/d
echo left >st4/spool/d/d_20261025.csv
echo left >st4/spool/d/.d_20261025.csv.part
ln -s ../../../victim/precious.txt st4/spool/d/link
sme-export -c c.json -s st4 --now $NOW run d >log4 2>err4
rc=$?
[ $rc -eq 0 ] && [ "$(cat victim/precious.txt)" = precious ] && [ "$(ls -A st4/spool/d)" = link ] &&
    [ "$(ls outbox)" = d_20261025.csv ] && [ "$(grep -c left outbox/d_20261025.csv)" = 0 ]
ok $? "leftovers removed, a link in the job's folder not followed (exit $rc)"
rm -rf outbox/* st4

# F-E: statedir/spool stays (another job's run may be between making it and
# making its own folder in it); only the job's own folder goes
sme-export -c c.json -s st5 --now $NOW run d >log5 2>err5
rc=$?
[ $rc -eq 0 ] && [ -d st5/spool ] && [ ! -L st5/spool ] && [ ! -e st5/spool/d ] && [ -z "$(ls -A st5/spool)" ]
ok $? "after a run: statedir/spool there and empty, the job's folder gone (exit $rc)"
# run B (job d-b) stops 3 s right after making statedir/spool; run A (job d)
# goes from start to end meanwhile: B must not find statedir/spool gone
rm -rf outbox/* st5
ASAN_OPTIONS=detect_leaks=0 strace -qq -o /dev/null -P st5/spool -P "$T/st5/spool" -e trace=mkdir,mkdirat -e inject=mkdir,mkdirat:delay_exit=3000000:when=1 \
    sme-export -c c.json -s st5 --now $NOW run d-b >log5b 2>err5b &
pid=$!
i=0
while [ ! -d st5/spool ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sme-export -c c.json -s st5 --now $NOW run d >log5a 2>err5a
rca=$?
wait $pid
rcb=$?
[ $rca -eq 0 ] && [ $rcb -eq 0 ] && [ "$(ls outbox | tr '\n' ' ')" = "d-b_20261025.csv d_20261025.csv " ] &&
    [ -d st5/spool ] && [ -z "$(ls -A st5/spool)" ]
ok $? "two runs of two jobs on one statedir: both succeed ($rca, $rcb: $(cat err5b))"

# F-L: job names equal but for case are one name on a case-insensitive target
cat >case.json <<EOF
{ "targets": [ {"name": "outbox", "url": "file://$T/outbox/"} ],
  "formats": [ {"name": "csv", "type": "csv"} ],
  "jobs": [ {"name": "a", "devices": ["1001"], "format": "csv", "target": "outbox",
             "interval": "daily", "start": "2026-10-25"},
            {"name": "A", "devices": ["1002"], "format": "csv", "target": "outbox",
             "interval": "daily", "start": "2026-10-25"} ] }
EOF
check 'two jobs whose names differ only in case: a config error naming both lines' 'sme-export -c case.json list' <<'EOF'
>>>2
sme-export: case.json:5: jobs[1].name: job "A" differs from "a" (line 3) only in case: its files would overwrite that job's where case is ignored
>>>= 3
EOF

# F-C: status shows the state file's text escaped as in messages: a period
# or file name with ESC, BEL, U+202E, U+0085; a why with a line feed (and a
# backslash the child escaped already, kept as it is)
sme-export -c c.json -s st6 --now $NOW run d >log6 2>err6
/usr/bin/python3 -c '
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["last"]["file"] += "\x1b[2J\u202e\x85"
d["last"]["period"] += "\x1b]0;pwned\x07"
d["waiting"] = {"period": "2026-10-26", "status": "waiting\x1b[1m",
    "why": "sme-fetch: 1001 lacks \\e values\nd: forged line", "since": d["last"]["sent"]}
open(p, "w").write(json.dumps(d))' st6/d.json
check 'status: the state file'"'"'s text escaped, a child'"'"'s backslash kept' "sme-export -c c.json -s st6 --now $NOW status d" <<'EOF'
>>>
d: last sent 2026-10-25\e]0;pwned\x07 as d_20261025.csv\e[2J\xe2\x80\xae\xc2\x85 at 2026-10-26T12:00:00Z
d: next 2026-10-26 [2026-10-25T23:00:00Z, 2026-10-26T23:00:00Z), due at 2026-10-26T23:00:00Z once every value is there
d: waiting\e[1m since 2026-10-26T12:00:00Z: sme-fetch: 1001 lacks \e values\nd: forged line
>>>= 1
EOF

# F-J: a child that is not ours (from PATH, a wrapper) writes raw bytes on
# its stderr: sme-export shows them escaped, in its own lines and the
# JSON why (as in messages, not '?'); a backslash of our children stays
mkdir bin7 outbox7
cp "$top/sme-export" bin7/
for p in sme-fetch sme-obis sme-upload; do ln -s "$top/$p" bin7/$p; done
printf '#!/bin/sh\ncat >/dev/null\nprintf "raw \\033[2J \\342\\200\\256 \\351 \\\\\\\\e line\\nsme-export: forged\\nno line feed" >&2; exit 3\n' >bin7/sme-csv
chmod +x bin7/sme-csv
sed "s|file://$T/outbox/|file://$T/outbox7/|" c.json >c7.json
bin7/sme-export -c c7.json -s st7 --now $NOW run d >log7 2>err7
rc=$?
printf '%s\n' 'raw \e[2J \xe2\x80\xae \xe9 \e line' 'sme-export: forged' 'no line feed' \
    'sme-export: d 2026-10-25: failed: raw \e[2J \xe2\x80\xae \xe9 \e line; sme-export: forged; no line feed' >want7
[ $rc -eq 3 ] && diff -u want7 err7
ok $? "a foreign child's stderr: shown escaped, in the failed line too (exit $rc)"
/usr/bin/python3 -c '
import json, sys
v = json.loads(open(sys.argv[1]).read())
sys.exit(v["why"] != r"raw \e[2J \xe2\x80\xae \xe9 \e line; sme-export: forged; no line feed")' log7
ok $? 'the JSON why holds the same text, escaped, no byte turned into ?'

# F-G: a link at the state's temporary file is not followed
mkdir -p st8
echo precious >victim8
ln -s ../victim8 st8/d.json.tmp
sme-export -c c.json -s st8 --now $NOW run d >log8 2>err8
rc=$?
[ $rc -eq 6 ] && [ "$(cat victim8)" = precious ] && [ ! -e st8/d.json ] &&
    grep -q '^sme-export: st8/d.json: cannot write the state (the period was delivered and will be sent again, under the same name): Too many levels of symbolic links$' err8
ok $? "a link at statedir/job.json.tmp: not written through, the state not moved (exit $rc)"
# F-G: a -s that is not a folder: one message, not one a job
echo x >plain
check 'a state folder that is a file: one message' 'sme-export -c c.json -s plain --now 2026-10-26T12:00:00Z status' <<'EOF'
>>>2
sme-export: plain: not a folder (the state folder)
>>>= 6
EOF
check 'run likewise' 'sme-export -c c.json -s plain --now 2026-10-26T12:00:00Z run' <<'EOF'
>>>2
sme-export: plain: not a folder (the state folder)
>>>= 6
EOF
# F-G: an unknown member written with JSON escapes, on a one-line file: its line
printf '{"formats":[{"name":"f","type":"csv","b\\u0061d\\u001b]x":1}]}' >one.json
check 'an unknown member of a one-line config, with escapes in its key: line 1' 'sme-export -c one.json list' <<'EOF'
>>>2
sme-export: one.json:1: formats[0].bad\e]x: unknown field
>>>= 3
EOF
# F-G: a child's usage error (no upload password for an ftp:// target) is
# the setup's, exit 3, not a local failure (6)
cat >ftp.json <<EOF
{ "targets": [ {"name": "ftp", "url": "ftp://u@127.0.0.1:9/in/"} ],
  "formats": [ {"name": "csv", "type": "csv", "columns": "1-0:1.8.0*255"} ],
  "jobs": [ {"name": "d", "devices": ["$M1"], "format": "csv", "target": "ftp",
             "interval": "daily", "start": "2026-10-25"} ] }
EOF
sme-export -c ftp.json -s st9 --now $NOW run >log9 2>err9
rc=$?
[ $rc -eq 3 ] && grep -q '"status":"failed"' log9 && grep -q '^sme-export: d 2026-10-25: failed: sme-upload: ' err9
ok $? "a child's usage error: exit 3 (exit $rc: $(tail -n 1 err9))"
done_testing
