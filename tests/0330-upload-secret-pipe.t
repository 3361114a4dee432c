#!/bin/sh
# sme-upload: -P and -Q read a pipe or FIFO (<(pass show x)) to its end, within 10 s; no server needed; licence in COPYING
. "$(dirname "$0")/lib.sh"
unset SME_UPLOAD_TIMEOUT SME_UPLOAD_BACKOFF SME_UPLOAD_PASSWORD SME_UPLOAD_PASSPHRASE
HOME=$T
export HOME
echo 'a;b' >a.csv
W='sme-upload: warning: ftp:// sends the password in clear text; prefer ftpes:// or sftp://'

# a password read from a pipe gets as far as the connection (port 1: refused)
check '-P <(printf pw): the pipe is read, the upload goes on' \
    "bash -c \"sme-upload -P <(printf 'pw\\\\n') -r 0 ftp://u@127.0.0.1:1/ a.csv\"" <<EOF
>>>2
$W
sme-upload: ftp://127.0.0.1:1/a.csv: cannot connect: Connection refused
>>>= 4
EOF
check '-P /dev/stdin from a pipe' "printf 'pw\\n' | sme-upload -P /dev/stdin -r 0 ftp://u@127.0.0.1:1/ a.csv" <<EOF
>>>2
$W
sme-upload: ftp://127.0.0.1:1/a.csv: cannot connect: Connection refused
>>>= 4
EOF
check '-P <(...): a CR in the password read from the pipe is refused' \
    "bash -c \"sme-upload -P <(printf 'pw\\\\rDELE x\\\\n') -r 0 ftp://u@127.0.0.1:1/ a.csv\" 2>&1 | sed 's|/dev/fd/[0-9]*|PIPE|'" <<EOF
>>>
sme-upload: password file PIPE: the password holds a carriage return or NUL: refused
EOF
mkfifo fifo
(printf 'pw\n' >fifo) &
wpid=$!
check '-P fifo with a writer' 'timeout 30 sme-upload -P fifo -r 0 ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
$W
sme-upload: ftp://127.0.0.1:1/a.csv: cannot connect: Connection refused
>>>= 4
EOF
kill $wpid 2>/dev/null
wait $wpid
check '-P fifo no one writes to: given up after 10 s' 'timeout 30 sme-upload -P fifo -r 0 ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: password file fifo: no data within 10 s
>>>= 6
EOF
check '-Q fifo no one writes to: given up after 10 s' 'timeout 30 sme-upload -i a.csv -Q fifo -r 0 sftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: passphrase file fifo: no data within 10 s
>>>= 6
EOF
check '-P <(true): no password' "bash -c \"sme-upload -P <(true) -r 0 ftp://u@127.0.0.1:1/ a.csv\" 2>&1 | sed 's|/dev/fd/[0-9]*|PIPE|'" <<EOF
>>>
sme-upload: password file PIPE: no password on its first line
EOF
check '-P a folder: refused' 'sme-upload -P . -r 0 ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: password file .: not a regular file
>>>= 6
EOF

done_testing
