#!/bin/sh
# sme-upload over plain FTP to the test vsftpd: what arrives on its disk, and each way it can fail; licence in COPYING
. "$(dirname "$0")/lib.sh"
if [ -z "${SME_TEST_SERVERS_DIR:-}" ]; then
	echo "1..0 # SKIP no test servers (sh tests/servers.sh start)"
	exit 0
fi
tag=t0311-$$
D=$SME_TEST_FTP_ROOT/upload/$tag
RO=$SME_TEST_FTP_ROOT/upload/$tag-ro
F=ftp://$SME_TEST_FTP_USER@127.0.0.1:$SME_TEST_FTP_PORT
R=ftp://127.0.0.1:$SME_TEST_FTP_PORT
W='sme-upload: warning: ftp:// sends the password in clear text; prefer ftpes:// or sftp://'
SME_UPLOAD_PASSWORD=$SME_TEST_FTP_PASS SME_UPLOAD_TIMEOUT=10 SME_UPLOAD_BACKOFF=0
export tag D F R SME_UPLOAD_PASSWORD SME_UPLOAD_TIMEOUT SME_UPLOAD_BACKOFF
trap 'rm -rf "$D" "$RO" "$T"' EXIT
LOG=$SME_TEST_SERVERS_DIR/log/ftp.log

. "$top/tests/upload.sh"

printf 'meter;time;1-0:1.8.0*255\n3001;2026-11-01T00:15:00Z;12.5\n' >a.csv
head -c 5000000 /dev/urandom >big.bin
: >empty.csv
printf 'x\n' >'a b%.csv'

# the commands and replies of the FTP session that wrote FILE's temporary
# file into this run's folder, from the lines of ftp.log after line $n0
session() {
	tail -n +$((n0 + 1)) "$LOG" >ftp.this
	_pid=$(grep -F "OK UPLOAD: Client \"127.0.0.1\", \"$D/.$1.sme-" ftp.this |
	    sed -n '1s/.*\[pid \([0-9]*\)\].*/\1/p')
	[ -n "$_pid" ] && grep -F "[pid $_pid] " ftp.this |
	    sed -n 's/.*FTP \(command\|response\): Client "127.0.0.1", "\(.*\)"$/\2/p'
}
n0=$(wc -l <"$LOG")
check 'two files into a new folder (-m): receipts, with a warning' \
    './up -m $F/upload/$tag/ a.csv big.bin' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/a.csv","bytes":$(wc -c <a.csv),"sha256":"$(sum a.csv)","seconds":S}
{"file":"big.bin","url":"$R/upload/$tag/big.bin","bytes":5000000,"sha256":"$(sum big.bin)","seconds":S}
>>>2
$W
EOF
same a.csv "$D/a.csv" && same big.bin "$D/big.bin"
ok $? 'the server holds the same bytes (sha256)'
noparts "$D"
ok $? 'no temporary file is left'
session big.bin | awk '
	/^STOR \.big\.bin\.sme-[A-Za-z0-9]+\.part$/ && !t { t = substr($0, 6); s = NR }
	t && $0 == "SIZE " t { z = NR }
	z && NR == z + 1 && $0 == "213 5000000" { zz = NR }
	t && $0 == "RNFR " t { r = NR }
	$0 == "RNTO big.bin" { o = NR }
	END { exit !(s && s < z && zz && zz < r && r < o) }'
ok $? 'this run: STOR of the temporary file, SIZE answered 5000000, then RNFR and RNTO'

check 'an empty file' './up $F/upload/$tag/ empty.csv' <<EOF
>>>
{"file":"empty.csv","url":"$R/upload/$tag/empty.csv","bytes":0,"sha256":"$(sum empty.csv)","seconds":S}
>>>2
$W
EOF
[ -f "$D/empty.csv" ] && [ ! -s "$D/empty.csv" ]
ok $? 'the empty file arrived empty'

check 'a name with a space and a percent sign' './up $F/upload/$tag/ "a b%.csv"' <<EOF
>>>
{"file":"a b%.csv","url":"$R/upload/$tag/a%20b%25.csv","bytes":2,"sha256":"$(sum 'a b%.csv')","seconds":S}
>>>2
$W
EOF
same 'a b%.csv' "$D/a b%.csv"
ok $? 'the file kept its name on the server'

printf 'second version\n' >a2.csv
ino=$(stat -c %i "$D/a.csv")
check 'an existing file is replaced' './up $F/upload/$tag/a.csv a2.csv' <<EOF
>>>
{"file":"a2.csv","url":"$R/upload/$tag/a.csv","bytes":15,"sha256":"$(sum a2.csv)","seconds":S}
>>>2
$W
EOF
same a2.csv "$D/a.csv" && [ "$(stat -c %i "$D/a.csv")" != "$ino" ]
ok $? 'the new version replaced the old one by a rename (new inode)'

check 'standard input named with -n' 'printf "from stdin\n" | ./up -n in.csv $F/upload/$tag/' <<EOF
>>>
{"file":"-","url":"$R/upload/$tag/in.csv","bytes":11,"sha256":"$(printf 'from stdin\n' | sha256sum | cut -d' ' -f1)","seconds":S}
>>>2
$W
EOF
[ "$(cat "$D/in.csv")" = 'from stdin' ]
ok $? 'standard input arrived'

check 'an absolute path (two slashes)' './up -m $F/$D/abs/ a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/$D/abs/a.csv","bytes":$(wc -c <a.csv),"sha256":"$(sum a.csv)","seconds":S}
>>>2
$W
EOF
same a.csv "$D/abs/a.csv"
ok $? 'the file arrived in the absolute folder'

check 'an absolute path with %2F' './up $F/%2F${D#/}/abs/pct.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/$D/abs/pct.csv","bytes":$(wc -c <a.csv),"sha256":"$(sum a.csv)","seconds":S}
>>>2
$W
EOF
same a.csv "$D/abs/pct.csv"
ok $? 'the file arrived under the %2F path'

n0=$(wc -l <"$LOG")
check '-R writes under the final name' './up -R $F/upload/$tag/direct.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/direct.csv","bytes":$(wc -c <a.csv),"sha256":"$(sum a.csv)","seconds":S}
>>>2
$W
EOF
tail -n +$((n0 + 1)) "$LOG" >ftp.this
same a.csv "$D/direct.csv" &&
    grep -qF "OK UPLOAD: Client \"127.0.0.1\", \"$D/direct.csv\"" ftp.this &&
    ! grep -qF "$D/.direct.csv.sme-" ftp.this
ok $? 'with -R the file was stored under its name, with no temporary name'

i=0
while [ $i -lt 40 ]; do
	echo "file $i" >"m$i.txt"
	i=$((i + 1))
done
sme-upload -m $F/upload/$tag/many/ m*.txt >many.out 2>many.err
ok $? 'forty files in one run'
cat many.out many.err >>all.out
n=$(grep -F "OK UPLOAD: Client \"127.0.0.1\", \"$D/many/" "$LOG" | sed 's/.*\[pid \([0-9]*\)\].*/\1/' | sort -u | wc -l)
[ "$(ls "$D/many" | wc -l)" -eq 40 ] && [ "$(wc -l <many.out)" -eq 40 ] && [ "$n" -eq 1 ]
ok $? "forty files, forty receipts, one connection (got $n)"

printf 'machine 127.0.0.1 login %s password %s\n' "$SME_TEST_FTP_USER" "$SME_TEST_FTP_PASS" >.netrc
chmod 600 .netrc
check 'user and password from ~/.netrc' \
    'HOME=$T SME_UPLOAD_PASSWORD= ./up $R/upload/$tag/netrc.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/netrc.csv","bytes":$(wc -c <a.csv),"sha256":"$(sum a.csv)","seconds":S}
>>>2
$W
EOF
same a.csv "$D/netrc.csv"
ok $? 'the ~/.netrc upload arrived'

# a comment ends an entry's line; read as words it would give a wrong login
printf 'machine 127.0.0.1 login %s password %s # login nobody password wrong\n' \
    "$SME_TEST_FTP_USER" "$SME_TEST_FTP_PASS" >.netrc
check '~/.netrc: a comment after an entry is no part of it' \
    'HOME=$T SME_UPLOAD_PASSWORD= ./up $R/upload/$tag/netrc2.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/netrc2.csv","bytes":$(wc -c <a.csv),"sha256":"$(sum a.csv)","seconds":S}
>>>2
$W
EOF

printf '%s\n' "$SME_TEST_FTP_PASS" >pw
check 'the password from a file (-P) wins over the environment' \
    'SME_UPLOAD_PASSWORD=wrong ./up -P pw $F/upload/$tag/pfile.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/pfile.csv","bytes":$(wc -c <a.csv),"sha256":"$(sum a.csv)","seconds":S}
>>>2
$W
EOF

# -R: when the server refuses STOR, the old file under the name stays as it was
mkdir -p "$D/keep" && chown "$SME_TEST_FTP_USER" "$D/keep"
echo old >"$D/keep/k.csv" && chmod 444 "$D/keep/k.csv"
check '-R and a file the server will not overwrite: refused, not deleted' \
    './up -R -r 0 $F/upload/$tag/keep/k.csv a.csv' <<EOF
>>>2
$W
sme-upload: $R/upload/$tag/keep/k.csv: cannot create a file in upload/$tag/keep/: 553 Could not create file.
>>>= 4
EOF
[ "$(cat "$D/keep/k.csv")" = old ]
ok $? 'the old file is still there, whole'

check 'a wrong password: exit 5, not retried' \
    'SME_UPLOAD_PASSWORD=wrong ./up $F/upload/$tag/wrong.csv a.csv' <<EOF
>>>2
$W
sme-upload: $R/upload/$tag/wrong.csv: login refused for user $SME_TEST_FTP_USER: 530 Login incorrect.
>>>= 5
EOF
[ ! -e "$D/wrong.csv" ]
ok $? 'nothing arrived with the wrong password'

check 'a missing remote folder without -m' './up $F/upload/$tag/nosuch/ a.csv' <<EOF
>>>2
$W
sme-upload: $R/upload/$tag/nosuch/a.csv: cannot enter folder upload/$tag/nosuch/: 550 Failed to change directory. (-m creates missing folders)
>>>= 4
EOF

check 'a file where the folder should be, even with -m' './up -m $F/notadir/x/ a.csv' <<EOF
>>>2
$W
sme-upload: $R/notadir/x/a.csv: cannot enter folder notadir/x/: 550 Failed to change directory.
>>>= 4
EOF

mkdir -p "$RO"	# owned by root: the FTP user cannot write there
check 'no write permission' './up $F/upload/$tag-ro/ a.csv' <<EOF
>>>2
$W
sme-upload: $R/upload/$tag-ro/a.csv: cannot create a file in upload/$tag-ro/: 553 Could not create file.
>>>= 4
EOF
[ -z "$(ls -A "$RO")" ]
ok $? 'nothing was left in the folder that refused'

check 'a refused connection is retried -r times' './up -r 2 ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
$W
sme-upload: ftp://127.0.0.1:1/a.csv: cannot connect: Connection refused (retry 1 of 2)
sme-upload: ftp://127.0.0.1:1/a.csv: cannot connect: Connection refused (retry 2 of 2)
sme-upload: ftp://127.0.0.1:1/a.csv: cannot connect: Connection refused
>>>= 4
EOF

t0=$(date +%s)
check 'plain FTP to the implicit-TLS port times out, with a hint' \
    'SME_UPLOAD_TIMEOUT=2 ./up -r 0 ftp://u@127.0.0.1:$SME_TEST_FTPS_PORT/upload/ a.csv' <<EOF
>>>2
$W
sme-upload: ftp://127.0.0.1:$SME_TEST_FTPS_PORT/upload/a.csv: no answer within 2 s (an implicit TLS port? then use ftps://)
>>>= 4
EOF
t1=$(date +%s)
[ $((t1 - t0)) -lt 10 ]
ok $? "no hang: it took $((t1 - t0)) s"

[ "$(grep -c '"sha256"' all.out)" -eq 52 ] && ! grep -F -e "$SME_TEST_FTP_PASS" all.out
ok $? 'no receipt or message of this run holds the password'

done_testing
