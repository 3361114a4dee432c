#!/bin/sh
# sme-upload when servers die mid-transfer, disks fill up, connections fail: retries, no partial files; licence in COPYING
. "$(dirname "$0")/lib.sh"
if [ -z "${SME_TEST_SERVERS_DIR:-}" ]; then
	echo "1..0 # SKIP no test servers (sh tests/servers.sh start)"
	exit 0
fi
tag=t0315-$$
FD=$SME_TEST_FTP_ROOT/upload/$tag
SD=$SME_TEST_SFTP_ROOT/upload/$tag
F=ftp://$SME_TEST_FTP_USER@127.0.0.1:$SME_TEST_FTP_PORT
S=sftp://$SME_TEST_SFTP_USER@127.0.0.1:$SME_TEST_SFTP_PORT
KH=$SME_TEST_KNOWN_HOSTS
W='sme-upload: warning: ftp:// sends the password in clear text; prefer ftpes:// or sftp://'
SME_UPLOAD_TIMEOUT=10 SME_UPLOAD_BACKOFF=0
export tag F S KH SME_UPLOAD_TIMEOUT SME_UPLOAD_BACKOFF
mounts=
cleanup() {
	for m in $mounts; do umount "$m" 2>/dev/null; done
	sh "$top/tests/servers.sh" status >/dev/null 2>&1 ||
		{ sh "$top/tests/servers.sh" restart-sftp; sh "$top/tests/servers.sh" restart-ftp; } >/dev/null 2>&1
	rm -rf "$FD" "$SD" "$T"
}
trap cleanup EXIT
mkdir -p "$FD" "$SD"
chown "$SME_TEST_FTP_USER:" "$FD"
chown "$SME_TEST_SFTP_USER:" "$SD"

# mask what differs from run to run: temporary names, libssh2's and curl's reasons
mask() {
	sed -e 's/\.sme-[A-Za-z0-9]\{6\}\.part/.sme-XXXXXX.part/g' \
	    -e 's/connection lost ([^)]*)/connection lost (...)/' \
	    -e 's/connection failed: [^(]*/connection failed: ... /' "$@"
}
sum() { sha256sum <"$1" | cut -d' ' -f1; }
same() { [ -f "$2" ] && [ "$(sum "$1")" = "$(sum "$2")" ]; }
parts() { find "$1" -name '*.part' | wc -l; }
# arrived DIR: wait until a temporary file in DIR holds more than a megabyte
arrived() {
	_i=0
	while [ $_i -lt 500 ]; do
		[ -n "$(find "$1" -name '*.part' -size +1M)" ] && return 0
		sleep 0.02
		_i=$((_i + 1))
	done
	return 1
}

truncate -s 400M huge.bin	# long enough to be killed in the middle
truncate -s 200M mid.bin
head -c 3000000 /dev/urandom >3m.bin
echo x >a.csv

# ---- the SFTP server killed mid-transfer -----------------------------------
SME_UPLOAD_PASSWORD=$SME_TEST_SFTP_PASS sme-upload -r 0 -K "$KH" "$S/upload/$tag/" huge.bin >out 2>err &
pid=$!
arrived "$SD"
ok $? 'sftp: the upload was under way'
sh "$top/tests/servers.sh" kill-sftp
wait $pid
rc=$?
sh "$top/tests/servers.sh" restart-sftp
ok $? 'sftp: the server is back'
[ $rc -eq 4 ] && [ ! -s out ] && [ ! -e "$SD/huge.bin" ]
ok $? "sftp killed: exit 4 (got $rc), no receipt, nothing under the final name"
cat >want <<EOF
sme-upload: sftp://127.0.0.1:$SME_TEST_SFTP_PORT/upload/$tag/huge.bin: upload failed: connection lost (...)
sme-upload: sftp://127.0.0.1:$SME_TEST_SFTP_PORT/upload/$tag/.huge.bin.sme-XXXXXX.part: temporary file may remain on the server
EOF
mask err | diff -u want - >&2
ok $? 'sftp killed: the failure and the temporary file are reported'
tmp=$(sed -n 's/.*upload\/'"$tag"'\/\(\.huge\.bin\.sme-[A-Za-z0-9]*\.part\): temporary.*/\1/p' err)
[ -n "$tmp" ] && [ -f "$SD/$tmp" ] && [ "$(parts "$SD")" -eq 1 ]
ok $? 'sftp killed: the reported temporary file is the one left'
rm -f "$SD"/.*.part

# killed again, then back while sme-upload waits to retry
SME_UPLOAD_BACKOFF=2 SME_UPLOAD_PASSWORD=$SME_TEST_SFTP_PASS \
    sme-upload -r 3 -K "$KH" "$S/upload/$tag/" mid.bin >out 2>err &
pid=$!
arrived "$SD"
sh "$top/tests/servers.sh" kill-sftp
sh "$top/tests/servers.sh" restart-sftp
wait $pid
rc=$?
[ $rc -eq 0 ] && same mid.bin "$SD/mid.bin" && [ "$(parts "$SD")" -eq 0 ] && [ "$(wc -l <out)" -eq 1 ]
ok $? "sftp killed and back: retried, delivered intact, the old temporary file removed (exit $rc)"
echo "sme-upload: sftp://127.0.0.1:$SME_TEST_SFTP_PORT/upload/$tag/mid.bin: upload failed: connection lost (...) (retry 1 of 3)" >want
mask err | diff -u want - >&2
ok $? 'sftp killed and back: one retry reported'

# ---- the FTP server killed mid-transfer ------------------------------------
SME_UPLOAD_PASSWORD=$SME_TEST_FTP_PASS sme-upload -r 0 "$F/upload/$tag/" huge.bin >out 2>err &
pid=$!
arrived "$FD"
ok $? 'ftp: the upload was under way'
sh "$top/tests/servers.sh" kill-ftp
wait $pid
rc=$?
sh "$top/tests/servers.sh" restart-ftp
ok $? 'ftp: the servers are back'
[ $rc -eq 4 ] && [ ! -s out ] && [ ! -e "$FD/huge.bin" ]
ok $? "ftp killed: exit 4 (got $rc), no receipt, nothing under the final name"
cat >want <<EOF
$W
sme-upload: ftp://127.0.0.1:$SME_TEST_FTP_PORT/upload/$tag/huge.bin: connection failed: ... 
sme-upload: ftp://127.0.0.1:$SME_TEST_FTP_PORT/upload/$tag/.huge.bin.sme-XXXXXX.part: temporary file may remain on the server
EOF
mask err | diff -u want - >&2
ok $? 'ftp killed: the failure and the temporary file are reported'
rm -f "$FD"/.*.part

SME_UPLOAD_BACKOFF=2 SME_UPLOAD_PASSWORD=$SME_TEST_FTP_PASS \
    sme-upload -r 3 "$F/upload/$tag/" mid.bin >out 2>err &
pid=$!
arrived "$FD"
sh "$top/tests/servers.sh" kill-ftp
sh "$top/tests/servers.sh" restart-ftp
wait $pid
rc=$?
[ $rc -eq 0 ] && same mid.bin "$FD/mid.bin" && [ "$(parts "$FD")" -eq 0 ]
ok $? "ftp killed and back: retried, delivered intact, no temporary file left (exit $rc)"
printf '%s\n%s\n' "$W" "sme-upload: ftp://127.0.0.1:$SME_TEST_FTP_PORT/upload/$tag/mid.bin: connection failed: ... (retry 1 of 3)" >want
mask err | diff -u want - >&2
ok $? 'ftp killed and back: one retry reported'

# ---- full disks on the servers ---------------------------------------------
if mkdir "$FD/full" "$SD/full" && mount -t tmpfs -o size=1m,mode=777 tmpfs "$FD/full" 2>/dev/null; then
	mounts="$FD/full"
	mount -t tmpfs -o size=1m,mode=777 tmpfs "$SD/full" && mounts="$mounts $SD/full"
	SME_UPLOAD_PASSWORD=$SME_TEST_FTP_PASS sme-upload -r 1 "$F/upload/$tag/full/" 3m.bin >out 2>err
	rc=$?
	[ $rc -eq 4 ] && [ ! -s out ] && [ -z "$(ls -A "$FD/full")" ]
	ok $? "ftp, disk full: exit 4 (got $rc), retried once, neither file nor temporary file left"
	[ "$(sed -n 1p err)" = "$W" ] && mask err | sed -n 2p |
	    grep -q '3m.bin: \(upload failed: 451 Failure writing to local file\.\|connection failed: \.\.\.\) (retry 1 of 1)$'
	ok $? 'ftp, disk full: the 451 reply (or the reset data connection) is reported and retried'

	SME_UPLOAD_PASSWORD=$SME_TEST_SFTP_PASS sme-upload -r 1 -K "$KH" "$S/upload/$tag/full/" 3m.bin >out 2>err
	rc=$?
	[ $rc -eq 4 ] && [ ! -s out ] && [ -z "$(ls -A "$SD/full")" ]
	ok $? "sftp, disk full: exit 4 (got $rc), neither file nor temporary file left"
	cat >want <<EOF
sme-upload: sftp://127.0.0.1:$SME_TEST_SFTP_PORT/upload/$tag/full/3m.bin: upload failed: the server could not write (a full disk?) (retry 1 of 1)
sme-upload: sftp://127.0.0.1:$SME_TEST_SFTP_PORT/upload/$tag/full/3m.bin: upload failed: the server could not write (a full disk?)
EOF
	diff -u want err >&2
	ok $? 'sftp, disk full: reported and retried once'
else
	for d in 'ftp, disk full' 'ftp, disk full: message' 'sftp, disk full' 'sftp, disk full: message'; do
		skip "$d" 'cannot mount a tmpfs here'
	done
fi

# ---- connections that fail ---------------------------------------------------
t0=$(date +%s%N)
check 'sftp: a refused connection, retried with backoff' \
    'SME_UPLOAD_BACKOFF=0.4 SME_UPLOAD_PASSWORD=x sme-upload -r 2 -K "$KH" sftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: sftp://127.0.0.1:1/a.csv: cannot connect: Connection refused (retry 1 of 2)
sme-upload: sftp://127.0.0.1:1/a.csv: cannot connect: Connection refused (retry 2 of 2)
sme-upload: sftp://127.0.0.1:1/a.csv: cannot connect: Connection refused
>>>= 4
EOF
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
[ $ms -ge 1200 ] && [ $ms -lt 5000 ]
ok $? "the pauses were 0.4 s and 0.8 s ($ms ms in all)"

check 'sftp: a server that never answers times out' \
    'SME_UPLOAD_TIMEOUT=2 SME_UPLOAD_PASSWORD=x sme-upload -r 0 -K "$KH" sftp://u@127.0.0.1:$SME_TEST_FTP_PORT/ a.csv' <<EOF
>>>2
sme-upload: sftp://127.0.0.1:$SME_TEST_FTP_PORT/a.csv: ssh handshake failed: no answer within 2 s
>>>= 4
EOF

done_testing
