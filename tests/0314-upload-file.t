#!/bin/sh
# sme-upload to file:// folders: atomic delivery, folders, a full disk; licence in COPYING
. "$(dirname "$0")/lib.sh"
full=
trap '[ -n "$full" ] && umount "$full"; rm -rf "$T"' EXIT
unset SME_UPLOAD_TIMEOUT SME_UPLOAD_BACKOFF

. "$top/tests/upload.sh"

printf 'meter;time;1-0:1.8.0*255\n3001;2026-11-01T00:15:00Z;12.5\n' >a.csv
head -c 3000000 /dev/urandom >big.bin
n=$(wc -c <a.csv)
mkdir dst
echo 'a file' >notadir

check 'two files into a folder' './up file://$T/dst/ a.csv big.bin' <<EOF
>>>
{"file":"a.csv","url":"file://$T/dst/a.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
{"file":"big.bin","url":"file://$T/dst/big.bin","bytes":3000000,"sha256":"$(sum big.bin)","seconds":S}
EOF
same a.csv dst/a.csv && same big.bin dst/big.bin && noparts dst
ok $? 'the folder holds the same bytes, no temporary file'

printf 'v2\n' >a2.csv
ino=$(stat -c %i dst/a.csv)
check 'a file name in the url; an existing file replaced' \
    './up file://localhost$T/dst/a.csv a2.csv' <<EOF
>>>
{"file":"a2.csv","url":"file://localhost$T/dst/a.csv","bytes":3,"sha256":"$(sum a2.csv)","seconds":S}
EOF
same a2.csv dst/a.csv && [ "$(stat -c %i dst/a.csv)" != "$ino" ]
ok $? 'replaced by a rename (new inode)'

check 'standard input from a pipe' 'printf "1\n2\n" | ./up -n p.csv file://$T/dst/' <<EOF
>>>
{"file":"-","url":"file://$T/dst/p.csv","bytes":4,"sha256":"$(printf '1\n2\n' | sha256sum | cut -d' ' -f1)","seconds":S}
EOF

mkfifo fifo
check 'a named pipe as a file' '(printf "fifo\n" >fifo &); ./up file://$T/dst/ fifo' <<EOF
>>>
{"file":"fifo","url":"file://$T/dst/fifo","bytes":5,"sha256":"$(printf 'fifo\n' | sha256sum | cut -d' ' -f1)","seconds":S}
EOF

check 'a missing folder without -m' './up file://$T/dst/new/sub/ a.csv' <<EOF
>>>2
sme-upload: file://$T/dst/new/sub/a.csv: folder $T/dst/new/sub/ does not exist (-m creates it)
>>>= 6
EOF

check 'a missing folder with -m' './up -m file://$T/dst/new/sub/ a.csv' <<EOF
>>>
{"file":"a.csv","url":"file://$T/dst/new/sub/a.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
EOF

check 'a file where the folder should be' './up file://$T/notadir/ a.csv' <<EOF
>>>2
sme-upload: file://$T/notadir/a.csv: $T/notadir is not a folder
>>>= 6
EOF

check 'a file where the folder should be, with -m' './up -m file://$T/notadir/x/ a.csv' <<EOF
>>>2
sme-upload: file://$T/notadir/x/a.csv: $T/notadir is not a folder
>>>= 6
EOF

check 'the example: receipts appended to a file' \
    'sme-upload -m file://$T/export/2026/ a.csv big.bin >>receipts.jsonl && wc -l <receipts.jsonl' <<EOF
>>>
2
EOF

if mkdir full && mount -t tmpfs -o size=1m tmpfs full 2>/dev/null; then
	full=$T/full
	check 'a full disk: exit 6, nothing left behind' './up file://$T/full/ big.bin' <<EOF
>>>2
sme-upload: file://$T/full/big.bin: cannot write in $T/full/: No space left on device
>>>= 6
EOF
	[ -z "$(ls -A full)" ]
	ok $? 'neither the file nor a temporary one remains'
else
	skip 'a full disk: exit 6, nothing left behind' 'cannot mount a tmpfs here'
	skip 'neither the file nor a temporary one remains' 'cannot mount a tmpfs here'
fi

done_testing
