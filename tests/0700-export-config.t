#!/bin/sh
# sme-export: the partner and user files, every error with file, line and field; list
. "$(dirname "$0")/lib.sh"
SME_PARTNER_CONFIG=partner.json
export SME_PARTNER_CONFIG

cat >partner.json <<'EOF'
{
  "targets": [
    {"name": "ewz-sftp", "url": "sftp://export@127.0.0.1:2222/in/",
     "key": "keys/ewz", "known_hosts": "keys/known_hosts"}
  ],
  "formats": [
    {"name": "ewz-mscons", "type": "mscons", "release": "2.4a",
     "sender": "7612345000005", "receiver": "7600000000005"}
  ]
}
EOF
cat >good.json <<'EOF'
{
  "targets": [
    {"name": "outbox", "url": "file:///tmp/outbox/"}
  ],
  "formats": [
    {"name": "ise-tariffs", "type": "ise", "kind": "reading"},
    {"name": "csv6", "type": "csv", "columns": "1-0:1.8.0*255;1-0:2.8.0*255;",
     "decimal": ","}
  ],
  "jobs": [
    {"name": "haus3", "folder": "/Nord/Haus 3", "format": "ewz-mscons",
     "target": "ewz-sftp", "interval": "daily", "start": "2026-11-01"},
    {"name": "tarife", "folder": "/Nord", "format": "ise-tariffs",
     "target": "outbox", "interval": "monthly", "trigger": "12h-after-end",
     "start": "2026-11-01", "values": "virtual-tariffs",
     "tariffs": {"Solar": 1, "Netz": 2}}
  ]
}
EOF

check 'list: targets, formats, jobs; the partner entries are shared' \
    'sme-export -c good.json list' <<'EOF'
>>>
target  ewz-sftp              sftp://export@127.0.0.1:2222/in/  shared
target  outbox                file:///tmp/outbox/
format  ewz-mscons            mscons 2.4a from 7612345000005 to 7600000000005  shared
format  ise-tariffs           ise reading
format  csv6                  csv 1-0:1.8.0*255;1-0:2.8.0*255;
job     haus3                 daily ewz-mscons to ewz-sftp, complete, from 2026-11-01, folder /Nord/Haus 3
job     tarife                monthly ise-tariffs to outbox, 12h-after-end, from 2026-11-01, virtual tariffs, folder /Nord
EOF

check 'list -j: JSON lines with a shared member' 'sme-export -c good.json list -j' <<'EOF'
>>>
{"entry":"target","name":"ewz-sftp","url":"sftp://export@127.0.0.1:2222/in/","shared":true}
{"entry":"target","name":"outbox","url":"file:///tmp/outbox/","shared":false}
{"entry":"format","name":"ewz-mscons","type":"mscons","release":"2.4a","shared":true}
{"entry":"format","name":"ise-tariffs","type":"ise","kind":"reading","shared":false}
{"entry":"format","name":"csv6","type":"csv","shared":false}
{"entry":"job","name":"haus3","format":"ewz-mscons","target":"ewz-sftp","interval":"daily","trigger":"complete","start":"2026-11-01","shared":false}
{"entry":"job","name":"tarife","format":"ise-tariffs","target":"outbox","interval":"monthly","trigger":"12h-after-end","start":"2026-11-01","shared":false}
EOF

script -qec 'sme-export -c good.json list' /dev/null </dev/null >tty.out 2>&1
grep -q "$(printf 'shared\033\\[0m')" tty.out && grep -q "$(printf '\033\\[34mshared')" tty.out
ok $? 'list on a terminal: shared is blue'

check 'no partner file at the default place: no shared entries' \
    'SME_PARTNER_CONFIG= sme-export -c user-only.json list' <<'EOF'
>>>2
sme-export: user-only.json: No such file or directory
>>>= 3
EOF

check 'a named partner file must exist' 'SME_PARTNER_CONFIG=nope.json sme-export -c good.json list' <<'EOF'
>>>2
sme-export: nope.json: No such file or directory
>>>= 3
EOF

# bad user files: each a heredoc, its message and exit 3
bad() {	# bad DESCRIPTION EXPECTED-STDERR, the user file on stdin
	cat >bad.json
	printf '>>>2\n%s\n>>>= 3\n' "$2" >bad.want
	check "$1" 'sme-export -c bad.json list' <bad.want
}

bad 'JSON syntax: file and line' 'sme-export: bad.json:3: end of file expected near '"'"'}'"'"'' <<'EOF'
{
  "jobs": []
}}
EOF

bad 'an unknown field names file, line and field' 'sme-export: bad.json:4: targets[0].user: unknown field' <<'EOF'
{
  "targets": [
    {"name": "x", "url": "file:///tmp/x/",
     "user": "me"}
  ]
}
EOF

bad 'a secret in the config is refused, and the message says why' \
    'sme-export: bad.json:3: targets[0].password: unknown field (a secret does not belong in the config: name a file that holds it)' <<'EOF'
{ "targets": [
    {"name": "x", "url": "ftp://me@127.0.0.1/in/",
     "password": "hunter2"}
] }
EOF

bad 'a password in the url is refused without repeating it' \
    'sme-export: bad.json:2: targets[0].url: holds a password: put it in a file and name that file in password_file' <<'EOF'
{ "targets": [
    {"name": "x", "url": "ftp://me:hunter2@127.0.0.1/in/"}
] }
EOF

bad 'a target url must name a folder' \
    'sme-export: bad.json:1: targets[0].url: "file:///tmp/x.csv" names a file: a target is a folder, its url ends in /' <<'EOF'
{ "targets": [ {"name": "x", "url": "file:///tmp/x.csv"} ] }
EOF

bad 'an unknown top-level member' 'sme-export: bad.json:1: job: unknown field' <<'EOF'
{ "job": [] }
EOF

bad 'a job with a target that does not exist' \
    'sme-export: bad.json:4: jobs[0].target: no target "outbx" (targets: ewz-sftp)' <<'EOF'
{ "jobs": [
  {"name": "a", "devices": ["1001"], "format": "ewz-mscons",
   "interval": "daily", "start": "2026-11-01",
   "target": "outbx"}
] }
EOF

bad 'a job with a format that does not exist' \
    'sme-export: bad.json:2: jobs[0].format: no format "mscons" (formats: ewz-mscons)' <<'EOF'
{ "jobs": [
  {"name": "a", "devices": ["1001"], "format": "mscons", "target": "ewz-sftp",
   "interval": "daily", "start": "2026-11-01"}
] }
EOF

bad 'a missing required field names the entry' \
    'sme-export: bad.json:2: jobs[0]: missing field "interval"' <<'EOF'
{ "jobs": [
  {"name": "a", "devices": ["1001"], "format": "ewz-mscons", "target": "ewz-sftp",
   "start": "2026-11-01"}
] }
EOF

bad 'an unknown trigger lists the known ones' \
    'sme-export: bad.json:4: jobs[0].trigger: "never" is none of complete, 12h-after-end' <<'EOF'
{ "jobs": [
  {"name": "a", "devices": ["1001"], "format": "ewz-mscons", "target": "ewz-sftp",
   "interval": "daily", "start": "2026-11-01",
   "trigger": "never"}
] }
EOF

bad 'an unknown interval' \
    'sme-export: bad.json:3: jobs[0].interval: "15min" is none of hourly, daily, weekly, monthly, quarterly, halfyearly, yearly' <<'EOF'
{ "jobs": [
  {"name": "a", "devices": ["1001"], "format": "ewz-mscons", "target": "ewz-sftp",
   "interval": "15min", "start": "2026-11-01"}
] }
EOF

bad 'a start that does not begin a period of the interval' \
    'sme-export: bad.json:3: jobs[0].start: "2026-11-04" is not the start of a weekly period in Europe/Zurich (that period starts 2026-11-02T00:00:00+01:00)' <<'EOF'
{ "jobs": [
  {"name": "a", "devices": ["1001"], "format": "ewz-mscons", "target": "ewz-sftp",
   "interval": "weekly", "start": "2026-11-04"}
] }
EOF

bad 'a start that is no date' \
    'sme-export: bad.json:3: jobs[0].start: "2026-02-30" is neither a date (2026-11-01) nor an RFC 3339 time' <<'EOF'
{ "jobs": [
  {"name": "a", "devices": ["1001"], "format": "ewz-mscons", "target": "ewz-sftp",
   "interval": "daily", "start": "2026-02-30"}
] }
EOF

bad 'an unknown zone' 'sme-export: bad.json:4: jobs[0].zone: unknown time zone "Europe/Zürich"' <<'EOF'
{ "jobs": [
  {"name": "a", "devices": ["1001"], "format": "ewz-mscons", "target": "ewz-sftp",
   "interval": "daily", "start": "2026-11-01",
   "zone": "Europe/Zürich"}
] }
EOF

bad 'virtual tariffs with MSCONS are refused, naming IS-E' \
    'sme-export: bad.json:4: jobs[0].values: virtual tariffs go out in IS-E only, and format "ewz-mscons" is mscons: use a format of type "ise"' <<'EOF'
{ "jobs": [
  {"name": "a", "folder": "/Nord", "format": "ewz-mscons", "target": "ewz-sftp",
   "interval": "daily", "start": "2026-11-01",
   "values": "virtual-tariffs", "tariffs": {"Solar": 1}}
] }
EOF

bad 'devices and folder together' 'sme-export: bad.json:2: jobs[0]: give either "devices" or "folder"' <<'EOF'
{ "jobs": [
  {"name": "a", "devices": ["1001"], "folder": "/Nord", "format": "ewz-mscons",
   "target": "ewz-sftp", "interval": "daily", "start": "2026-11-01"}
] }
EOF

bad 'a user entry with the name of a shared one names both files' \
    'sme-export: bad.json:2: targets[0].name: "ewz-sftp" is also a shared target (partner.json:3): choose another name' <<'EOF'
{ "targets": [
    {"name": "ewz-sftp", "url": "file:///tmp/x/"}
] }
EOF

bad 'two jobs of one name' 'sme-export: bad.json:4: jobs[1].name: a second job named "a" (the first: line 2)' <<'EOF'
{ "jobs": [
  {"name": "a", "devices": ["1001"], "format": "ewz-mscons", "target": "ewz-sftp",
   "interval": "daily", "start": "2026-11-01"},
  {"name": "a", "devices": ["1002"], "format": "ewz-mscons", "target": "ewz-sftp",
   "interval": "daily", "start": "2026-11-01"}
] }
EOF

bad 'a job name that cannot be a file name' \
    'sme-export: bad.json:2: jobs[0].name: "../a" is not a name of letters, digits, . _ - (at most 64)' <<'EOF'
{ "jobs": [
  {"name": "../a", "devices": ["1001"], "format": "ewz-mscons", "target": "ewz-sftp",
   "interval": "daily", "start": "2026-11-01"}
] }
EOF

bad 'a control character in a value (it would reach terminals and logs)' \
    'sme-export: bad.json:2: jobs[0].folder: holds a control character' <<'EOF'
{ "jobs": [
  {"name": "a", "folder": "/Nord\u001b[2J", "format": "ewz-mscons", "target": "ewz-sftp",
   "interval": "daily", "start": "2026-11-01"}
] }
EOF

bad 'a device that is no id and no serial' \
    'sme-export: bad.json:2: jobs[0].devices[1]: "-a" is neither a device id (UUID) nor a serial number' <<'EOF'
{ "jobs": [
  {"name": "a", "devices": ["c4658dba-e558-5f13-8895-58fe59086a94", "-a"], "format": "ewz-mscons",
   "target": "ewz-sftp", "interval": "daily", "start": "2026-11-01"}
] }
EOF

bad 'a key for an ftp target' 'sme-export: bad.json:2: targets[0]: key, known_hosts and passphrase_file are for sftp:// targets only' <<'EOF'
{ "targets": [
    {"name": "x", "url": "ftp://me@127.0.0.1/in/", "key": "k"}
] }
EOF

bad 'a bad CSV column' 'sme-export: bad.json:2: formats[0].columns: not an OBIS code: "1.8"' <<'EOF'
{ "formats": [
    {"name": "c", "type": "csv", "columns": "1.8.0;1.8"}
] }
EOF

bad 'a field of another format type' 'sme-export: bad.json:2: formats[0].kind: not a field of a mscons format' <<'EOF'
{ "formats": [
    {"name": "m", "type": "mscons", "kind": "feed", "release": "2.2e", "sender": "1", "receiver": "2"}
] }
EOF

bad 'a duplicate member' 'sme-export: bad.json:1: duplicate object key near '"'"'"jobs"'"'"'' <<'EOF'
{ "jobs": [], "jobs": [] }
EOF

cat >p2.json <<'EOF'
{ "jobs": [] }
EOF
check 'jobs do not belong in the partner file' 'SME_PARTNER_CONFIG=p2.json sme-export -c good.json list' <<'EOF'
>>>2
sme-export: p2.json:1: jobs: unknown field
>>>= 3
EOF

mkdir cfgdir
check 'a folder named as the config: bad input, exit 3' 'sme-export -c cfgdir list' <<'EOF'
>>>2
sme-export: cfgdir: a folder, not a config file
>>>= 3
EOF

check 'a named job that is not in the config is a usage error' \
    'sme-export -c good.json -s st status nojob' <<'EOF'
>>>2
sme-export: no job named "nojob" in good.json
>>>= 2
EOF

check 'usage: no command' 'sme-export -c good.json' <<'EOF'
>>>2
usage: sme-export [-c config] [-s statedir] [--now time] [-n] [--shard k/n] run [job ...]
       sme-export [-c config] [-s statedir] [--now time] status [job ...]
       sme-export [-c config] list [-j]
       sme-export [-c config] [-s statedir] [--now time] -p job
>>>= 2
EOF

check 'usage: a bad --now' 'sme-export -c good.json --now yesterday run' <<'EOF'
>>>2
sme-export: --now yesterday: not an RFC 3339 time (2026-11-05T01:00:00Z)
>>>= 2
EOF

check 'usage: a bad --shard' 'sme-export -c good.json --shard 3/3 run' <<'EOF'
>>>2
sme-export: --shard 3/3: k/n with 0 <= k < n
>>>= 2
EOF
done_testing
