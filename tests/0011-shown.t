#!/bin/sh
# sme: file names, options, record fields, config keys and server replies in messages are escaped (sme(7) Messages); licence in COPYING
. "$(dirname "$0")/lib.sh"

# names no terminal may see raw: LF, ESC, CR, TAB, C0, DEL, C1, U+202E, a
# backslash, bytes that are not UTF-8
export N1 N2 N3 N4 R1 R2 R3 D1 L U1 U2 U3 C1 C2
N1=$(printf 'a\nb\033[2Jc\351')
N2=$(printf 'a\tb\\c\302\233d\342\200\256e')
N3=$(printf 'x\001\177y')
N4=$(printf 'm\rn')

check 'sme-obis: a missing file named with LF, ESC and Latin-1' 'sme-obis "$N1"' <<'EOF'
>>>2
sme-obis: cannot open a\nb\e[2Jc\xe9: No such file or directory
>>>= 6
EOF

check 'sme-csv: TAB, a backslash, a C1 control and U+202E' 'sme-csv "$N2"' <<'EOF'
>>>2
sme-csv: cannot open a\tb\\c\xc2\x9bd\xe2\x80\xaee: No such file or directory
>>>= 6
EOF

check 'sme-ise: other C0 controls and DEL as \xHH' 'sme-ise "$N3"' <<'EOF'
>>>2
sme-ise: cannot open x\x01\x7fy: No such file or directory
>>>= 6
EOF

check 'sme-mscons: CR' 'sme-mscons -r 2.4a -s S -R R "$N4"' <<'EOF'
>>>2
sme-mscons: cannot open m\rn: No such file or directory
>>>= 6
EOF

check 'sme-mscons -d: CR' 'sme-mscons -d "$N4"' <<'EOF'
>>>2
sme-mscons: cannot open m\rn: No such file or directory
>>>= 6
EOF

L=$(printf 'long/%.0s' $(seq 150))$(printf '\033')x.jsonl
check 'a long path is shown whole, not cut' 'sme-obis "$L"' <<EOF
>>>2
sme-obis: cannot open $(printf 'long/%.0s' $(seq 150))\\ex.jsonl: No such file or directory
>>>= 6
EOF

R1=$(printf 'r\nf.jsonl')
printf '%s\n' '{"meter":"1","obis":"\u001b[2J","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}' >"$R1"
check 'sme-obis: a bad record: file:line and the field escaped' 'sme-obis "$R1"' <<'EOF'
>>>2
sme-obis: r\nf.jsonl:1: bad obis code "\e[2J"
>>>= 3
EOF

R2=$(printf 'q\033]0;t\007.jsonl')
printf '%s\n' '{"meter":"1","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh","quality":"\u009b6n"}' >"$R2"
check 'sme-csv: a bad quality, OSC in the file name' 'sme-csv "$R2"' <<'EOF'
>>>2
sme-csv: q\e]0;t\x07.jsonl:1: bad quality "\xc2\x9b6n" (measured, estimated, substituted or missing)
>>>= 3
EOF

printf 'junk\n' >"$R1"
check 'sme-mscons -d: not EDIFACT, in a file named with LF' 'sme-mscons -d "$R1"' <<'EOF'
>>>2
sme-mscons: r\nf.jsonl:1: not an EDIFACT interchange (no UNA or UNB at the start)
>>>= 3
EOF

R3=$(printf 'e\n.jsonl')
: >"$R3"
check 'sme-ise: no records in a file named with LF' 'sme-ise "$R3"' <<'EOF'
>>>2
sme-ise: e\n.jsonl: no records
>>>= 3
EOF

D1=$(printf 'd\0331.jsonl')
printf '%s\n' '{"meter":"7\u2028","obis":"1.8.0","time":"2026-11-01T00:00:00Z","value":1,"unit":"kWh"}' >"$D1"
cp "$D1" d2.jsonl
check 'sme-obis: a duplicate names the other file escaped, the meter too' 'sme-obis "$D1" d2.jsonl' <<'EOF'
>>>2
sme-obis: d2.jsonl:1: duplicate record: meter 7\xe2\x80\xa8, 1-0:1.8.0*255 at 2026-11-01T00:00:00Z (also d\e1.jsonl:1)
>>>= 3
EOF

check 'an option argument is escaped' "sme-obis -t \"\$(printf 'x\\033[2J')\"" <<'EOF'
>>>2
sme-obis: -t: unknown format "x\e[2J" (csv, ise or mscons)
>>>= 2
EOF

# the first line of stderr (then comes the usage) and the exit status
export O1 O2 O3
O1=$(printf -- '-\033[2J')
O2=$(printf -- '-\351')
O3=$(printf -- '--\033[2J=\r')
check 'getopt: an unknown option letter ESC, named by the program, not its path' \
    '"$top/sme-obis" "$O1" 2>err; r=$?; head -1 err >&2; exit $r' <<'EOF'
>>>2
sme-obis: invalid option -- '\e'
>>>= 2
EOF

check 'getopt: an unknown option byte that is not UTF-8' \
    'sme-upload "$O2" x 2>err; r=$?; head -1 err >&2; exit $r' <<'EOF'
>>>2
sme-upload: invalid option -- '\xe9'
>>>= 2
EOF

check 'getopt_long: an unknown long option, escaped whole' \
    'sme-export "$O3" run 2>err; r=$?; head -1 err >&2; exit $r' <<'EOF'
>>>2
sme-export: unrecognized option '--\e[2J=\r'
>>>= 2
EOF

check 'getopt_long: a long option without its argument: getopt'\''s words kept' \
    'sme-export --now 2>err; r=$?; head -1 err >&2; exit $r' <<'EOF'
>>>2
sme-export: option '--now' requires an argument
>>>= 2
EOF

mkdir out
U1=$(printf 'a\nb\351')
U2=$(printf 'd\ne/x.csv')
U3=$(printf 'a\nb')
echo x >"$U1"
echo y >"$U3"
check 'sme-upload: a name with LF that is not UTF-8: refused, escaped' \
    'sme-upload "file://$T/out/" "$U1"; r=$?; ls out; exit $r' <<'EOF'
>>>2
sme-upload: a\nb\xe9: the name is not UTF-8, which a receipt cannot hold: rename the file, or send it from standard input (-n name)
>>>= 2
EOF

check 'sme-upload: a missing file under a folder named with LF' \
    'sme-upload "file://$T/out/" "$U2"; r=$?; ls out; exit $r' <<'EOF'
>>>2
sme-upload: cannot open d\ne/x.csv: No such file or directory
>>>= 6
EOF

check 'sme-upload: a file named with LF cannot name a remote file' \
    'sme-upload "file://$T/out/" "$U3"; r=$?; ls out; exit $r' <<'EOF'
>>>2
sme-upload: a\nb: cannot name a remote file after it; give the name in the url
>>>= 2
EOF

# a hostile FTP server on 127.0.0.1: its refusal holds OSC, CR, a forged
# message and Latin-1; nothing of it may reach the terminal raw
cat >fakeftp.py <<'EOF'
import socket, sys
s = socket.socket()
s.settimeout(20)
s.bind(("127.0.0.1", 0))
s.listen(1)
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
__import__("os").rename(sys.argv[1] + ".tmp", sys.argv[1])
c, _ = s.accept()
c.settimeout(20)
c.sendall(b"220 ready\r\n")
for line in c.makefile("rb"):
    if line.startswith(b"USER"):
        c.sendall(b"331 password\r\n")
    elif line.startswith(b"PASS"):
        c.sendall(b"530 \x1b]0;owned\x07no\rsme-upload: done \xe9\r\n")
        break
    else:
        c.sendall(b"500 what\r\n")
c.close()
EOF
echo x >a.csv
/usr/bin/python3 fakeftp.py port &
fake=$!
i=0
while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
export FP; FP=$(cat port)
SME_UPLOAD_PASSWORD=pw
export SME_UPLOAD_PASSWORD
check 'sme-upload: a server reply with OSC, CR and Latin-1 is escaped' \
    'sme-upload -r 0 "ftp://u@127.0.0.1:$FP/d/" a.csv 2>err; r=$?; sed "s|:$FP/|:PORT/|" err >&2; exit $r' <<'EOF'
>>>2
sme-upload: warning: ftp:// sends the password in clear text; prefer ftpes:// or sftp://
sme-upload: ftp://127.0.0.1:PORT/d/a.csv: login refused for user u: 530 \e]0;owned\x07no\rsme-upload: done \xe9
>>>= 5
EOF
kill $fake 2>/dev/null
wait $fake 2>/dev/null
unset SME_UPLOAD_PASSWORD

SME_PARTNER_CONFIG=
export SME_PARTNER_CONFIG
C1=$(printf 'c\033]0;x\007.json')
C2=$(printf 'k\033[2J.json')
check 'sme-export: a missing config file named with an OSC sequence' 'sme-export -c "$C1" list' <<'EOF'
>>>2
sme-export: c\e]0;x\x07.json: No such file or directory
>>>= 3
EOF

printf '%s\n' '{"targets": [{"name": "t", "url": "file:///tmp/o/", "x\u001b[2J": 1}]}' >"$C2"
check 'sme-export: a config key with ESC, in a file named with ESC' 'sme-export -c "$C2" list' <<'EOF'
>>>2
sme-export: k\e[2J.json:1: targets[0].x\e[2J: unknown field
>>>= 3
EOF

cat >job.json <<'EOF'
{"targets": [{"name": "out", "url": "file:///tmp/o/"}],
 "formats": [{"name": "c", "type": "csv"}],
 "jobs": [{"name": "j", "devices": ["1"], "format": "c", "target": "out",
           "interval": "daily", "start": "2026-11-01"}]}
EOF
export SD; SD=$(printf 's\033[2J')
mkdir "$SD"
echo '{x' >"$SD/j.json"
check 'sme-export: a corrupt state in a folder named with ESC' \
    'sme-export -c job.json -s "$SD" --now 2026-11-03T00:00:00Z status' <<'EOF'
>>>2
sme-export: s\e[2J/j.json:1: corrupt state (string or '}' expected near 'x'); nothing was changed: repair or remove the file
>>>= 3
EOF

printf '%s\n' '{"targets": [{"name": "t", "url": "file:///tmp/a\u202eb/"}]}' >l.json
check 'sme-export list: a right-to-left override in a url is escaped; list -j keeps it, as JSON' \
    'sme-export -c l.json list; sme-export -c l.json list -j' <<'EOF'
>>>
target  t                     file:///tmp/a\xe2\x80\xaeb/
{"entry":"target","name":"t","url":"file:///tmp/a‮b/","shared":false}
EOF

done_testing
