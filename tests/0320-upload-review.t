#!/bin/sh
# sme-upload: a file sent onto itself, a symbolic link at -R's final name, a whole file whose rename fails, ulimit -f; licence in COPYING
. "$(dirname "$0")/lib.sh"
. "$top/tests/standin.sh"
unset SME_UPLOAD_TIMEOUT SME_UPLOAD_BACKOFF
. "$top/tests/upload.sh"

head -c 100000 /dev/urandom >self.bin
s=$(sum self.bin)

# ---- F-M: the target is the file being sent ---------------------------------
check '-R onto its own source: refused, exit 2' './up -R file://$T/ self.bin' <<EOF
>>>2
sme-upload: self.bin: input file is output file (file://$T/self.bin): nothing sent
>>>= 2
EOF
[ "$(sum self.bin)" = "$s" ] && noparts .
ok $? '-R onto its own source: the file is whole, no temporary file'

check 'without -R onto its own source: refused too' './up file://$T/ self.bin' <<EOF
>>>2
sme-upload: self.bin: input file is output file (file://$T/self.bin): nothing sent
>>>= 2
EOF

mkdir d
ln self.bin d/self.bin
ln self.bin d/hard.bin
check 'a hard link of the source at the final name, the folder by another path' \
    './up -R file://$T/d/../d/ self.bin' <<EOF
>>>2
sme-upload: self.bin: input file is output file (file://$T/d/../d/self.bin): nothing sent
>>>= 2
EOF
check 'a hard link of the source named in the url' './up -R file://$T/d/hard.bin self.bin' <<EOF
>>>2
sme-upload: self.bin: input file is output file (file://$T/d/hard.bin): nothing sent
>>>= 2
EOF
[ "$(sum d/hard.bin)" = "$s" ] && [ "$(sum self.bin)" = "$s" ] && [ "$(stat -c %h self.bin)" = 3 ]
ok $? 'the links and the source are whole'

check 'standard input that is the target file' './up -R -n self.bin file://$T/ <self.bin' <<EOF
>>>2
sme-upload: <stdin>: input file is output file (file://$T/self.bin): nothing sent
>>>= 2
EOF

echo one >one.txt
check 'the second file is its own target: nothing at all is sent' \
    './up -R file://$T/d/ one.txt d/self.bin' <<EOF
>>>2
sme-upload: d/self.bin: input file is output file (file://$T/d/self.bin): nothing sent
>>>= 2
EOF
[ ! -e d/one.txt ]
ok $? 'the first file was not sent either'

# sme-export with a target that is its own spool folder: a failure, not "sent"
if [ -x /usr/bin/python3 ] && [ -x "$top/sme-export" ]; then
	standin --key key-$$
	cat >c.json <<EOF
{ "targets": [ {"name": "self", "url": "file://$T/st/spool/a/"} ],
  "formats": [ {"name": "csv", "type": "csv", "columns": "1-0:1.8.0*255", "plain_ids": true} ],
  "jobs": [ {"name": "a", "devices": ["1001"], "format": "csv", "target": "self",
             "interval": "daily", "start": "2026-10-25"} ] }
EOF
	SME_API_KEY=key-$$ sme-export -c c.json -s st --now 2026-10-26T13:00:00Z run >log 2>err
	rc=$?
	[ $rc -ne 0 ] && grep -q '"status":"failed"' log && ! grep -q '"sent"' log &&
	    grep -q 'input file is output file' err && [ ! -e st/a.json ]
	ok $? "sme-export into its own spool folder: failed (exit $rc), nothing recorded as sent"
	standin_stop
else
	skip 'sme-export into its own spool folder' 'no python3 or sme-export'
fi

# ---- F-N: -R and a symbolic link at the final name --------------------------
mkdir shared
echo 'precious rc' >victim
ln -s "$T/victim" shared/report.csv
echo 'report data' >report.csv
check '-R: a symbolic link at the final name is refused, exit 5' \
    './up -R file://$T/shared/ report.csv' <<EOF
>>>2
sme-upload: file://$T/shared/report.csv: $T/shared/report.csv is a symbolic link: -R does not write through it
>>>= 5
EOF
[ "$(cat victim)" = 'precious rc' ] && [ -L shared/report.csv ]
ok $? '-R: the file the link points to is untouched, the link stays'

ln -s "$T/nowhere" shared/dangling.csv
cp report.csv dangling.csv
check '-R: a dangling symbolic link is not followed either' \
    './up -R file://$T/shared/ dangling.csv' <<EOF
>>>2
sme-upload: file://$T/shared/dangling.csv: $T/shared/dangling.csv is a symbolic link: -R does not write through it
>>>= 5
EOF
[ ! -e nowhere ]
ok $? '-R: nothing made where the dangling link points'

check 'without -R the link itself is replaced' './up file://$T/shared/ report.csv' <<EOF
>>>
{"file":"report.csv","url":"file://$T/shared/report.csv","bytes":12,"sha256":"$(sum report.csv)","seconds":S}
EOF
[ "$(cat victim)" = 'precious rc' ] && [ ! -L shared/report.csv ] && same report.csv shared/report.csv
ok $? 'without -R: the victim untouched, a regular file under the name'

mkfifo shared/fifo.csv
cp report.csv fifo.csv
check '-R: a named pipe at the final name is refused, not waited on' \
    'timeout 10 ./up -R file://$T/shared/ fifo.csv' <<EOF
>>>2
sme-upload: file://$T/shared/fifo.csv: $T/shared/fifo.csv is not a regular file: -R writes only into one
>>>= 5
EOF

# ---- F-K: a whole file whose rename fails stays, named ---------------------
mkdir -p shared/ok2/sub
cp report.csv ok2
check 'file://: the rename fails: the complete temporary file stays, named, exit 6' \
    './up file://$T/shared/ ok2' <<EOF
>>>2
sme-upload: file://$T/shared/.ok2.sme-XXXXXX.part: the new ok2 stays here, complete (12 bytes)
sme-upload: file://$T/shared/ok2: cannot rename $T/shared/.ok2.sme-XXXXXX.part to $T/shared/ok2: Is a directory
>>>= 6
EOF
k=$(find shared -name '.ok2.sme-*.part')
[ -n "$k" ] && same ok2 "$k"
ok $? 'file://: the temporary file holds the whole file'

# ---- F-P: ulimit -f ---------------------------------------------------------
head -c 3000000 /dev/urandom >big.bin
mkdir lim
check 'file:// past ulimit -f: a write error, exit 6, not SIGXFSZ' \
    '(ulimit -f 200; ./up file://$T/lim/ big.bin)' <<EOF
>>>2
sme-upload: file://$T/lim/big.bin: cannot write in $T/lim/: File too large
>>>= 6
EOF
[ -z "$(ls -A lim)" ]
ok $? 'past ulimit -f: no temporary file left'
check '-R past ulimit -f: the partial file removed, exit 6' \
    '(ulimit -f 200; ./up -R file://$T/lim/ big.bin); r=$?; ls -A lim; exit $r' <<EOF
>>>2
sme-upload: file://$T/lim/big.bin: cannot write in $T/lim/: File too large
>>>= 6
EOF

check 'standard input past ulimit -f in TMPDIR: exit 6, said so' \
    '(ulimit -f 200; ./up -n big.bin file://$T/lim/ <big.bin)' <<EOF
>>>2
sme-upload: cannot hold <stdin> in $T: File too large
>>>= 6
EOF
[ -z "$(ls -A lim)" ]
ok $? 'past ulimit -f in TMPDIR: nothing in the folder'

# ---- F-G: a receipt that cannot be written ---------------------------------
mkdir rc
if [ -w /dev/full ]; then
	check 'a receipt that cannot be written: the delivered file is named, exit 6' \
	    'sme-upload file://$T/rc/ one.txt report.csv >/dev/full; r=$?; ls rc; exit $r' <<EOF
>>>
one.txt
>>>2
sme-upload: file://$T/rc/one.txt: delivered, but no receipt: write error on standard output: No space left on device
>>>= 6
EOF
else
	skip 'a receipt that cannot be written: the delivered file is named, exit 6' 'no /dev/full'
fi

# ---- F-K over FTP: RNTO refused after SIZE confirmed the file ---------------
if [ -z "${SME_TEST_SERVERS_DIR:-}" ]; then
	skip 'ftp: the rename fails: the temporary file stays, named' 'no test servers'
	skip 'ftp: the temporary file holds the whole file' 'no test servers'
	done_testing
	exit
fi
tag=t0320-$$
FD=$SME_TEST_FTP_ROOT/upload/$tag
trap 'standin_stop; rm -rf "$FD" "$T"' EXIT
mkdir -p "$FD/ok2/sub"
chown -R "$SME_TEST_FTP_USER:" "$FD"
F=ftp://$SME_TEST_FTP_USER@127.0.0.1:$SME_TEST_FTP_PORT
export F tag
check 'ftp: the rename fails: the temporary file stays, named, exit 4' \
    'SME_UPLOAD_PASSWORD=$SME_TEST_FTP_PASS ./up -r 2 $F/upload/$tag/ ok2' <<EOF
>>>2
sme-upload: warning: ftp:// sends the password in clear text; prefer ftpes:// or sftp://
sme-upload: ftp://127.0.0.1:$SME_TEST_FTP_PORT/upload/$tag/.ok2.sme-XXXXXX.part: the new ok2 stays here, complete (12 bytes)
sme-upload: ftp://127.0.0.1:$SME_TEST_FTP_PORT/upload/$tag/ok2: cannot rename the temporary file: 550 Rename failed.
>>>= 4
EOF
k=$(find "$FD" -name '.ok2.sme-*.part')
[ "$(echo "$k" | wc -l)" = 1 ] && same ok2 "$k"
ok $? 'ftp: one temporary file, holding the whole file'

done_testing
