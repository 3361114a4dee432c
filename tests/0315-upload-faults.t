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
fakes=
cleanup() {
	for p in $fakes; do kill "$p" 2>/dev/null; done
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
. "$top/tests/upload.sh"
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
# stopped while its server is killed and restarted: it sees the connection
# lost when it runs again, and retries against a server that is back,
# however long the restart takes under load
kill -STOP $pid
sh "$top/tests/servers.sh" kill-sftp
sh "$top/tests/servers.sh" restart-sftp
kill -CONT $pid
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
# stopped while its server is killed and restarted: it sees the connection
# lost when it runs again, and retries against a server that is back,
# however long the restart takes under load
kill -STOP $pid
sh "$top/tests/servers.sh" kill-ftp
sh "$top/tests/servers.sh" restart-ftp
kill -CONT $pid
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

# ---- servers that misbehave: small fakes in python3 on 127.0.0.1 ------------
if [ ! -x /usr/bin/python3 ]; then
	echo "# no /usr/bin/python3: the fake servers are not run"
	done_testing
	exit
fi
# an FTP server, one MODE: greet421 (a 421 greeting), rst (a reset at once),
# sizefail (SIZE fails), sizewrong (SIZE says one byte more), dropstor (STOR
# ends the session and the server), drop150 (STOR: 150, then the session
# ends); DELE of a file it does not hold: 550.  The commands go to LOG.
cat >fakeftp.py <<'EOF'
import os, socket, struct, sys, threading
mode, portfile, logname = sys.argv[1:4]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 0))
srv.listen(16)
with open(portfile + '.tmp', 'w') as f:
    f.write('%d\n' % srv.getsockname()[1])
os.rename(portfile + '.tmp', portfile)
log = open(logname, 'a', buffering=1)
sizes = {}

def session(c):
    cs = [c]
    say = lambda s: cs[0].sendall((s + '\r\n').encode())
    if mode == 'greet421':
        say('421 Too many users, try later.')
        c.close()
        return
    if mode == 'rst':
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        c.close()
        return
    say('220 fake server')
    pasv = None
    f = c.makefile('rb')
    while True:
        line = f.readline()
        if not line:
            break
        line = line.decode().rstrip('\r\n')
        cmd, _, arg = line.partition(' ')
        cmd = cmd.upper()
        log.write(cmd + ('' if cmd == 'PASS' else ' ' + arg) + '\n')
        if cmd == 'AUTH' and mode == 'noprot':	# TLS, but no PROT P
            say('234 Proceed with negotiation.')
            import ssl
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.environ['PKI'] + '/server.pem', os.environ['PKI'] + '/server.key')
            cs[0] = ctx.wrap_socket(c, server_side=True)
            f = cs[0].makefile('rb')
        elif cmd == 'PBSZ':
            say('200 PBSZ set to 0.')
        elif cmd == 'PROT':
            say('536 PROT P refused here.')
        elif cmd == 'USER':
            say('331 Please specify the password.')
        elif cmd == 'PASS':
            say('230 Login successful.')
        elif cmd == 'PWD':
            say('257 "/" is the current directory')
        elif cmd == 'CWD':
            say('250 Directory successfully changed.')
        elif cmd == 'TYPE':
            say('200 Switching to Binary mode.')
        elif cmd == 'EPSV':
            pasv = socket.socket()
            pasv.bind(('127.0.0.1', 0))
            pasv.listen(1)
            say('229 Entering Extended Passive Mode (|||%d|)' % pasv.getsockname()[1])
        elif cmd == 'STOR':
            if mode == 'dropstor':	# gone, and does not come back
                os._exit(0)
            say('150 Ok to send data.')
            if mode == 'drop150':
                c.close()
                return
            d, _ = pasv.accept()
            n = 0
            while True:
                b = d.recv(65536)
                if not b:
                    break
                n += len(b)
            d.close()
            pasv.close()
            sizes[arg] = n
            say('226 Transfer complete.')
        elif cmd == 'SIZE':
            if mode == 'sizefail' or arg not in sizes:
                say('550 Could not get file size.')
            else:
                say('213 %d' % (sizes[arg] + (mode == 'sizewrong')))
        elif cmd == 'RNFR':
            say('350 Ready for RNTO.')
        elif cmd == 'RNTO':
            say('250 Rename successful.')
        elif cmd == 'DELE':
            if sizes.pop(arg, None) is None:
                say('550 Delete operation failed.')
            else:
                say('250 Delete operation successful.')
        elif cmd == 'QUIT':
            say('221 Goodbye.')
            break
        else:
            say('500 Unknown command.')
    cs[0].close()

while True:
    c, _ = srv.accept()
    threading.Thread(target=session, args=(c,), daemon=True).start()
EOF
# fakeftp MODE: start one; its port in fport, its commands in ftp.MODE.log
fakeftp() {
	/usr/bin/python3 fakeftp.py "$1" "port.$1" "ftp.$1.log" 2>>fake.err &
	fakes="$fakes $!"
	_i=0
	while [ ! -s "port.$1" ] && [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	fport=$(cat "port.$1")
	export fport
}
# fm COMMAND...: run it; seconds, temporary names, curl's words for a lost
# connection masked
cat >fm <<'EOF'
#!/bin/sh
"$@" >.fo 2>.fe
rc=$?
sed 's/"seconds":[0-9.e+-]*/"seconds":S/' .fo
sed -e 's/\.sme-[A-Za-z0-9]\{6\}\.\(part\|old\)/.sme-XXXXXX.\1/g' \
    -e 's/connection failed: .*/connection failed: .../' .fe >&2
exit $rc
EOF
chmod +x fm
# tmps MODE: the temporary files STORed; cmds MODE VERB: the arguments of VERB
tmps() { sed -n 's/^STOR \(\.b\.csv\.sme-[A-Za-z0-9]*\.part\)$/\1/p' "ftp.$1.log"; }
cmds() { awk -v c="$2" '$1 == c { print $2 }' "ftp.$1.log"; }
FU=ftp://u@127.0.0.1
SME_UPLOAD_PASSWORD=pw
export FU SME_UPLOAD_PASSWORD
echo 'x;y' >b.csv

fakeftp greet421
check 'ftp: a 421 greeting is the server'"'"'s answer, not a timeout' \
    'sme-upload -r 1 $FU:$fport/in/b.csv b.csv' <<EOF
>>>2
$W
sme-upload: ftp://127.0.0.1:$fport/in/b.csv: the server closed the session: 421 Too many users, try later. (retry 1 of 1)
sme-upload: ftp://127.0.0.1:$fport/in/b.csv: the server closed the session: 421 Too many users, try later.
>>>= 4
EOF

fakeftp rst
check 'ftps: a connection reset in the TLS handshake is retried' \
    'sme-upload -r 1 ftps://u@127.0.0.1:$fport/in/b.csv b.csv' <<EOF
>>>2
sme-upload: ftps://127.0.0.1:$fport/in/b.csv: TLS handshake failed: the server reset the connection (retry 1 of 1)
sme-upload: ftps://127.0.0.1:$fport/in/b.csv: TLS handshake failed: the server reset the connection
>>>= 4
EOF

PKI=$SME_TEST_SERVERS_DIR/pki
export PKI
fakeftp noprot
check 'ftpes: PROT P refused: the password went over TLS, no file in clear' \
    'sme-upload -r 1 -C "$SME_TEST_CA" ftpes://u@127.0.0.1:$fport/in/b.csv b.csv' <<EOF
>>>2
sme-upload: ftpes://127.0.0.1:$fport/in/b.csv: the server refuses to protect the data connection with TLS (536 PROT P refused here.): no file is sent in clear
>>>= 5
EOF
[ "$(awk '{ print $1 }' ftp.noprot.log | tr '\n' ' ')" = "AUTH USER PASS PBSZ PROT " ]
ok $? "ftpes: PROT P refused: the login over TLS, no STOR (saw: $(awk '{ print $1 }' ftp.noprot.log | tr "\\n" " "))"

fakeftp sizefail
check 'ftp: SIZE fails: not renamed, not retried, exit 4' \
    './fm sme-upload -r 1 $FU:$fport/in/b.csv b.csv' <<EOF
>>>2
$W
sme-upload: ftp://127.0.0.1:$fport/in/b.csv: the server cannot tell the size of the file (SIZE failed: 550 Could not get file size.); not renamed
>>>= 4
EOF
t=$(tmps sizefail)
[ -n "$t" ] && [ "$(cmds sizefail SIZE)" = "$t" ] && [ "$(cmds sizefail DELE)" = "$t" ] &&
    [ -z "$(cmds sizefail RNFR)" ]
ok $? 'ftp: SIZE fails: the temporary file was removed, no RNFR'
check 'ftp -R: SIZE may fail, there is no rename to stop' \
    './fm sme-upload -R $FU:$fport/in/b.csv b.csv' <<EOF
>>>
{"file":"b.csv","url":"ftp://127.0.0.1:$fport/in/b.csv","bytes":4,"sha256":"$(sum b.csv)","seconds":S}
>>>2
$W
EOF

fakeftp sizewrong
check 'ftp: SIZE tells another size: retried, not renamed' \
    'sme-upload -r 1 $FU:$fport/in/b.csv b.csv' <<EOF
>>>2
$W
sme-upload: ftp://127.0.0.1:$fport/in/b.csv: the server holds 5 bytes, not 4 (retry 1 of 1)
sme-upload: ftp://127.0.0.1:$fport/in/b.csv: the server holds 5 bytes, not 4
>>>= 4
EOF
[ "$(tmps sizewrong | wc -l)" -eq 2 ] && [ "$(cmds sizewrong DELE)" = "$(tmps sizewrong)" ] &&
    [ -z "$(cmds sizewrong RNFR)" ]
ok $? 'ftp: SIZE tells another size: both temporary files removed, no RNFR'

fakeftp dropstor
check 'ftp: the server dies right after STOR: the temporary file is reported' \
    './fm sme-upload -r 0 $FU:$fport/in/b.csv b.csv' <<EOF
>>>2
$W
sme-upload: ftp://127.0.0.1:$fport/in/b.csv: connection failed: ...
sme-upload: ftp://127.0.0.1:$fport/in/.b.csv.sme-XXXXXX.part: temporary file may remain on the server
>>>= 4
EOF

fakeftp drop150
check 'ftp: the session dies in the transfer; DELE then says 550: gone, not reported' \
    './fm sme-upload -r 0 $FU:$fport/in/b.csv b.csv' <<EOF
>>>2
$W
sme-upload: ftp://127.0.0.1:$fport/in/b.csv: connection failed: ...
>>>= 4
EOF
t=$(tmps drop150)
[ -n "$t" ] && [ "$(cmds drop150 DELE)" = "$t" ]
ok $? 'ftp: the temporary file was removed on a new session'

# an sshd whose SFTP subsystem is a fake, in the MODE the file $SD/mode
# names: normal, nosize (no size from FSTAT or STAT), wrongsize (FSTAT: one
# byte more), dropopen (OPEN ends the SFTP session).  Requests go to a log.
P3=$((SME_TEST_SFTP_PORT + 102))
listening() {
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p="$(printf ':%04X' "$1")" '
		$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }'
}
if listening $P3; then
	ok 1 "port $P3 is free for the fake SFTP server"
	done_testing
	exit
fi
cp "$top/tests/fakesftp.py" "$SD/fakesftp.py"
sed -e "s/^Port .*/Port $P3/" -e "s|^PidFile .*|PidFile $T/sshd3.pid|" \
    -e "s|^Subsystem .*|Subsystem sftp /usr/bin/python3 $SD/fakesftp.py $SD/mode $SD/sftp.log|" \
    "$SME_TEST_SERVERS_DIR/etc/sshd_config" >sshd3.conf
/usr/sbin/sshd -D -e -f "$T/sshd3.conf" >sshd3.log 2>&1 &
fakes="$fakes $!"
i=0
while ! listening $P3 && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
# fsftp MODE ARGS...: sme-upload to the fake in MODE, masked as by fm; then
# the requests the fake saw, temporary names masked
cat >fsftp <<EOF
#!/bin/sh
echo "\$1" >"$SD/mode"
: >"$SD/sftp.log"
: >"$SD/sftp.log.state"
chown "$SME_TEST_SFTP_USER:" "$SD/sftp.log" "$SD/sftp.log.state"
shift
SME_UPLOAD_PASSWORD=\$SME_TEST_SFTP_PASS ./fm sme-upload -H "\$SME_TEST_HOSTKEY_SHA256" "\$@"
rc=\$?
sed 's/\.sme-[A-Za-z0-9]\{6\}\.\(part\|old\)/.sme-XXXXXX.\1/g' "$SD/sftp.log"
exit \$rc
EOF
chmod +x fsftp
FS=sftp://$SME_TEST_SFTP_USER@127.0.0.1:$P3
export P3 FS SD

check 'sftp: no size from FSTAT or STAT: not renamed, removed, exit 4' \
    './fsftp nosize -r 0 $FS/in/b.csv b.csv' <<EOF
>>>
OPEN in/.b.csv.sme-XXXXXX.part
FSTAT in/.b.csv.sme-XXXXXX.part
STAT in/.b.csv.sme-XXXXXX.part
REMOVE in/.b.csv.sme-XXXXXX.part
>>>2
sme-upload: sftp://127.0.0.1:$P3/in/b.csv: the server cannot tell the size of the file (FSTAT and STAT gave none); not renamed
>>>= 4
EOF

check 'sftp -R: no size is no reason to fail, there is no rename' \
    './fsftp nosize -R $FS/in/b.csv b.csv' <<EOF
>>>
{"file":"b.csv","url":"sftp://127.0.0.1:$P3/in/b.csv","bytes":4,"sha256":"$(sum b.csv)","seconds":S}
OPEN in/b.csv
FSTAT in/b.csv
STAT in/b.csv
EOF

check 'sftp: FSTAT tells another size: not renamed, removed, exit 4' \
    './fsftp wrongsize -r 0 $FS/in/b.csv b.csv' <<EOF
>>>
OPEN in/.b.csv.sme-XXXXXX.part
FSTAT in/.b.csv.sme-XXXXXX.part
REMOVE in/.b.csv.sme-XXXXXX.part
>>>2
sme-upload: sftp://127.0.0.1:$P3/in/b.csv: the server holds 5 bytes, not 4
>>>= 4
EOF

check 'sftp: the session dies right after OPEN: the temporary file is reported' \
    './fsftp dropopen -r 0 $FS/in/b.csv b.csv' <<EOF
>>>
OPEN in/.b.csv.sme-XXXXXX.part
>>>2
sme-upload: sftp://127.0.0.1:$P3/in/b.csv: cannot create a file: connection lost (the server closed the SFTP channel)
sme-upload: sftp://127.0.0.1:$P3/in/.b.csv.sme-XXXXXX.part: temporary file may remain on the server
>>>= 4
EOF

# issue 6 item 2: no posix-rename, and a RENAME that never replaces
check 'sftp: no posix-rename, RENAME fails: the old file stays, the new one is named' \
    './fsftp norename -r 0 $FS/in/b.csv b.csv; r=$?; sed "s/sme-[A-Za-z0-9]*/sme-X/" $SD/sftp.log.state; exit $r' <<EOF
>>>
OPEN in/.b.csv.sme-XXXXXX.part
FSTAT in/.b.csv.sme-XXXXXX.part
posix-rename@openssh.com in/.b.csv.sme-XXXXXX.part in/b.csv
RENAME in/.b.csv.sme-XXXXXX.part in/b.csv
RENAME in/b.csv in/.b.csv.sme-XXXXXX.old
in/.b.csv.sme-X.part 4
in/b.csv 99
>>>2
sme-upload: sftp://127.0.0.1:$P3/in/.b.csv.sme-XXXXXX.part: the new b.csv stays here, complete (4 bytes)
sme-upload: sftp://127.0.0.1:$P3/in/b.csv: cannot rename the temporary file (the server has no posix-rename, and RENAME: failure)
>>>= 4
EOF
check 'sftp: no posix-rename, RENAME does not replace: the old file goes aside, then away' \
    './fsftp v3rename -r 0 $FS/in/b.csv b.csv; cat $SD/sftp.log.state' <<EOF
>>>
{"file":"b.csv","url":"sftp://127.0.0.1:$P3/in/b.csv","bytes":4,"sha256":"$(sum b.csv)","seconds":S}
OPEN in/.b.csv.sme-XXXXXX.part
FSTAT in/.b.csv.sme-XXXXXX.part
posix-rename@openssh.com in/.b.csv.sme-XXXXXX.part in/b.csv
RENAME in/.b.csv.sme-XXXXXX.part in/b.csv
RENAME in/b.csv in/.b.csv.sme-XXXXXX.old
RENAME in/.b.csv.sme-XXXXXX.part in/b.csv
REMOVE in/.b.csv.sme-XXXXXX.old
in/b.csv 4
>>>2
sme-upload: warning: sftp://127.0.0.1:$P3: the server cannot replace files atomically (no posix-rename): the old b.csv was moved aside, then removed
EOF
check 'sftp: the new file cannot take the name: the old one is moved back' \
    './fsftp stuck -r 0 $FS/in/b.csv b.csv; r=$?; sed "s/sme-[A-Za-z0-9]*/sme-X/" $SD/sftp.log.state; exit $r' <<EOF
>>>
OPEN in/.b.csv.sme-XXXXXX.part
FSTAT in/.b.csv.sme-XXXXXX.part
posix-rename@openssh.com in/.b.csv.sme-XXXXXX.part in/b.csv
RENAME in/.b.csv.sme-XXXXXX.part in/b.csv
RENAME in/b.csv in/.b.csv.sme-XXXXXX.old
RENAME in/.b.csv.sme-XXXXXX.part in/b.csv
RENAME in/.b.csv.sme-XXXXXX.old in/b.csv
in/.b.csv.sme-X.part 4
in/b.csv 99
>>>2
sme-upload: sftp://127.0.0.1:$P3/in/.b.csv.sme-XXXXXX.part: the new b.csv stays here, complete (4 bytes)
sme-upload: sftp://127.0.0.1:$P3/in/b.csv: cannot rename the temporary file (the server has no posix-rename, and RENAME: failure)
>>>= 4
EOF
check 'sftp: the link breaks while the old file is moved aside: where it may be is named' \
    './fsftp dropaside -r 0 $FS/in/b.csv b.csv; r=$?; sed "s/sme-[A-Za-z0-9]*/sme-X/" $SD/sftp.log.state | LC_ALL=C sort; exit $r' <<EOF
>>>
OPEN in/.b.csv.sme-XXXXXX.part
FSTAT in/.b.csv.sme-XXXXXX.part
posix-rename@openssh.com in/.b.csv.sme-XXXXXX.part in/b.csv
RENAME in/.b.csv.sme-XXXXXX.part in/b.csv
RENAME in/b.csv in/.b.csv.sme-XXXXXX.old
in/.b.csv.sme-X.old 99
in/.b.csv.sme-X.part 4
>>>2
sme-upload: sftp://127.0.0.1:$P3/in/.b.csv.sme-XXXXXX.old: the old b.csv may be here: the connection was lost while it was moved aside
sme-upload: sftp://127.0.0.1:$P3/in/b.csv: cannot rename the temporary file (the server has no posix-rename, and RENAME: connection lost)
sme-upload: sftp://127.0.0.1:$P3/in/.b.csv.sme-XXXXXX.part: temporary file may remain on the server
>>>= 4
EOF

# issue 6 item 11: a stalled write gives up after SME_UPLOAD_TIMEOUT, not
# three times that
truncate -s 64M stall.bin
start=$(date +%s.%N)
SME_UPLOAD_TIMEOUT=2 ./fsftp stall -r 0 $FS/in/ stall.bin >out 2>err
rc=$?
el=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
# (the bound leaves room for a loaded machine's connection and login while
# still catching three times the timeout)
[ $rc -eq 4 ] && awk -v e="$el" 'BEGIN { exit !(e >= 2 && e < 5.5) }'
ok $? "sftp: a stalled write: exit 4 (got $rc) after the timeout of 2 s (took $el s)"
cat >want <<EOF
sme-upload: sftp://127.0.0.1:$P3/in/stall.bin: upload failed: no answer within 2 s
sme-upload: sftp://127.0.0.1:$P3/in/.stall.bin.sme-XXXXXX.part: temporary file may remain on the server
OPEN in/.stall.bin.sme-XXXXXX.part
EOF
cat err out | diff -u want - >&2
ok $? 'sftp: a stalled write: the timeout and the temporary file are reported'

# issue 6 item 19: WRITEs as large as limits@openssh.com allows, else 64 KiB
head -c 100000 /dev/urandom >w.bin
check 'sftp: WRITEs no larger than the server'"'"'s max-write-length' \
    './fsftp limits -r 0 $FS/in/w.bin w.bin | grep WRITE' <<EOF
>>>
WRITE 0 32768
WRITE 32768 32768
WRITE 65536 32768
WRITE 98304 1696
EOF
check 'sftp: without limits@openssh.com, WRITEs of 64 KiB' \
    './fsftp nolimits -r 0 $FS/in/w.bin w.bin | grep WRITE' <<EOF
>>>
WRITE 0 65536
WRITE 65536 34464
EOF

# a signal while the server stalls: a few seconds to finish, not the timeout;
# a second signal at once
sigstall() {
	echo stall >"$SD/mode"
	SME_UPLOAD_TIMEOUT=30 SME_UPLOAD_PASSWORD=$SME_TEST_SFTP_PASS \
	    sme-upload -H "$SME_TEST_HOSTKEY_SHA256" -r 0 $FS/in/ stall.bin >out 2>err &
	_pid=$!
	sleep 2
	_t0=$(date +%s.%N)
	kill -TERM $_pid
	[ "$1" = 2 ] && sleep 0.2 && kill -TERM $_pid
	wait $_pid
	_rc=$?
	_el=$(awk -v a="$_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
}
sigstall 1
[ $_rc -eq 143 ] && awk -v e="$_el" 'BEGIN { exit !(e < 5) }' &&
    grep -q 'in/\.stall\.bin\.sme-[A-Za-z0-9]*\.part: the temporary file may remain on the server$' err
ok $? "sftp: SIGTERM while the server stalls: gone in $_el s (not 30), exit $_rc, the temporary file named"
sigstall 2
[ $_rc -eq 143 ] && awk -v e="$_el" 'BEGIN { exit !(e < 1.5) }'
ok $? "sftp: a second SIGTERM ends it at once ($_el s, exit $_rc)"

check 'sftp: the fake, when it behaves, gets what sshd gets' \
    './fsftp normal $FS/in/b.csv b.csv' <<EOF
>>>
{"file":"b.csv","url":"sftp://127.0.0.1:$P3/in/b.csv","bytes":4,"sha256":"$(sum b.csv)","seconds":S}
OPEN in/.b.csv.sme-XXXXXX.part
FSTAT in/.b.csv.sme-XXXXXX.part
posix-rename@openssh.com in/.b.csv.sme-XXXXXX.part in/b.csv
EOF

# issue 6 item 11: an SSH server that streams junk before its banner, and
# one that says nothing: SME_UPLOAD_TIMEOUT is what the user waits
cat >junk.py <<'EOF'
import os, socket, sys, threading
mode, portfile = sys.argv[1:3]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 0))
srv.listen(4)
with open(portfile + '.tmp', 'w') as f:
    f.write('%d\n' % srv.getsockname()[1])
os.rename(portfile + '.tmp', portfile)
def session(c):
    try:
        if mode == 'junk':
            while True:
                c.sendall(b'junk before the banner\r\n' * 1000)
        elif mode == 'long':
            while True:
                c.sendall(b'x' * 65536)
        else:
            c.recv(100)
            threading.Event().wait(30)
    except OSError:
        pass
while True:
    c, _ = srv.accept()
    threading.Thread(target=session, args=(c,), daemon=True).start()
EOF
for m in junk long silent; do
	/usr/bin/python3 junk.py $m jport.$m 2>>fake.err &
	fakes="$fakes $!"
	i=0
	while [ ! -s jport.$m ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	jp=$(cat jport.$m)
	start=$(date +%s.%N)
	SME_UPLOAD_TIMEOUT=2 SME_UPLOAD_PASSWORD=pw sme-upload -k -r 0 sftp://u@127.0.0.1:$jp/ b.csv >out 2>err
	rc=$?
	el=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
	# (the bound leaves room for a loaded machine's connection and login while
# still catching three times the timeout)
[ $rc -eq 4 ] && awk -v e="$el" 'BEGIN { exit !(e >= 2 && e < 5.5) }'
	ok $? "sftp: a server that sends $m: exit 4 (got $rc) after 2 s (took $el s)"
	echo "sme-upload: sftp://127.0.0.1:$jp/b.csv: ssh handshake failed: no answer within 2 s" >want
	diff -u want err >&2
	ok $? "sftp: a server that sends $m: the timeout is reported"
done

done_testing
