#!/bin/sh
# sme-upload: SME_UPLOAD_TIMEOUT is what the user waits on a server that makes no progress, retries included; licence in COPYING
. "$(dirname "$0")/lib.sh"
. "$top/tests/upload.sh"
if [ ! -x /usr/bin/python3 ]; then
	echo "1..0 # SKIP no /usr/bin/python3 for the fake servers"
	exit 0
fi
fakes=
cleanup() {
	for p in $fakes; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
W='sme-upload: warning: ftp:// sends the password in clear text; prefer ftpes:// or sftp://'
SME_UPLOAD_PASSWORD=pw
export SME_UPLOAD_PASSWORD

# fake.py MODE PORTFILE LOG: a server on 127.0.0.1 that logs each
# connection (CONNECT) and each FTP command.  Modes: silent (takes the
# connection, says nothing), junk (streams junk, no SSH banner), ftpstall
# (an FTP server whose data connection stops reading after 64 kB), ftpslow
# (one that reads the data slowly, 512 kB a second, to the end)
cat >fake.py <<'EOF'
import os, socket, sys, threading, time
mode, portfile, logname = sys.argv[1:4]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 0))
srv.listen(16)
log = open(logname, 'a', buffering=1)
with open(portfile + '.tmp', 'w') as f:
    f.write('%d\n' % srv.getsockname()[1])
os.rename(portfile + '.tmp', portfile)

def ftp(c):
    say = lambda s: c.sendall((s + '\r\n').encode())
    say('220 fake server')
    f = c.makefile('rb')
    pasv = None
    sizes = {}
    while True:
        line = f.readline()
        if not line:
            return
        cmd, _, arg = line.decode().rstrip('\r\n').partition(' ')
        cmd = cmd.upper()
        log.write(cmd + ('' if cmd == 'PASS' else ' ' + arg) + '\n')
        if cmd == 'USER':
            say('331 Please specify the password.')
        elif cmd == 'PASS':
            say('230 Login successful.')
        elif cmd == 'PWD':
            say('257 "/" is the current directory')
        elif cmd in ('CWD', 'RNTO'):
            say('250 Ok.')
        elif cmd == 'TYPE':
            say('200 Ok.')
        elif cmd == 'RNFR':
            say('350 Ready for RNTO.')
        elif cmd == 'EPSV':
            pasv = socket.socket()
            pasv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
            pasv.bind(('127.0.0.1', 0))
            pasv.listen(1)
            say('229 Entering Extended Passive Mode (|||%d|)' % pasv.getsockname()[1])
        elif cmd == 'STOR':
            say('150 Ok to send data.')
            d, _ = pasv.accept()
            n = 0
            while True:
                if mode == 'ftpstall' and n >= 65536:
                    time.sleep(60)
                b = d.recv(16384)
                if not b:
                    break
                n += len(b)
                if mode == 'ftpslow':
                    time.sleep(len(b) / 524288.0)
            d.close()
            sizes[arg] = n
            say('226 Transfer complete.')
        elif cmd == 'SIZE':
            if arg in sizes:
                say('213 %d' % sizes[arg])
            else:
                say('550 Could not get file size.')
        elif cmd == 'DELE':
            say('550 Delete operation failed.')
        elif cmd == 'QUIT':
            say('221 Goodbye.')
            return
        else:
            say('500 Unknown command.')

def session(c):
    log.write('CONNECT\n')
    try:
        if mode == 'silent':
            while c.recv(4096):
                pass
        elif mode == 'junk':
            while True:
                c.sendall(b'junk before the banner\r\n' * 1000)
        else:
            ftp(c)
    except OSError:
        pass
    c.close()

while True:
    c, _ = srv.accept()
    threading.Thread(target=session, args=(c,), daemon=True).start()
EOF
# fake MODE [NAME]: start one; its port in $fp, its log in fake.NAME.log
fake() {
	_n=${2:-$1}
	/usr/bin/python3 fake.py "$1" "port.$_n" "fake.$_n.log" 2>>fake.err &
	fakes="$fakes $!"
	_i=0
	while [ ! -s "port.$_n" ] && [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	fp=$(cat "port.$_n")
}
# timed COMMAND...: runs it; its exit status in $rc, the seconds it took in
# $el; stdout in out, stderr (temporary names masked) in err
timed() {
	_t0=$(date +%s.%N)
	"$@" >out 2>err.raw
	rc=$?
	el=$(awk -v a="$_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
	sed 's/\.sme-[A-Za-z0-9]\{6\}\.part/.sme-XXXXXX.part/g' err.raw >err
}
# below LIMIT: $el is under LIMIT seconds
below() { awk -v e="$el" -v l="$1" 'BEGIN { exit !(e < l) }'; }
above() { awk -v e="$el" -v l="$1" 'BEGIN { exit !(e >= l) }'; }
conns() { grep -c '^CONNECT$' "fake.$1.log"; }

echo 'x;y' >b.csv
truncate -s 64M big.bin
head -c 2000000 /dev/urandom >slow.bin

# With SME_UPLOAD_TIMEOUT=2, 3 retries and a first pause of 1 s, a server
# that never gets anywhere used to cost 4 attempts of 2 s and pauses of 1, 2
# and 4 s: about 15 s.  Now the first retry would begin after the stall
# deadline, so there is none: about 2 s.  (The bounds below leave room for a
# loaded machine and catch any retry.)
export SME_UPLOAD_TIMEOUT=2 SME_UPLOAD_BACKOFF=1

# ---- SFTP: a server that says nothing, one that streams junk --------------
for m in silent junk; do
	fake $m
	timed sme-upload -k -r 3 sftp://u@127.0.0.1:$fp/ b.csv
	[ $rc -eq 4 ] && [ ! -s out ] && above 2 && below 5 && [ "$(conns $m)" -eq 1 ]
	ok $? "sftp, a server that sends $m: exit 4 (got $rc) in $el s, one connection (saw $(conns $m)), no receipt"
	echo "sme-upload: sftp://127.0.0.1:$fp/b.csv: ssh handshake failed: no answer within 2 s (a retry would begin past 2 s without progress: giving up after 0 of 3 retries)" >want
	diff -u want err >&2
	ok $? "sftp, a server that sends $m: the timeout and the retries not made are said"
done

# ---- FTP: a server that never sends its 220 --------------------------------
fake silent ftpsilent
timed sme-upload -r 3 ftp://u@127.0.0.1:$fp/ b.csv
[ $rc -eq 4 ] && [ ! -s out ] && above 2 && below 5 && [ "$(conns ftpsilent)" -eq 1 ]
ok $? "ftp, no greeting: exit 4 (got $rc) in $el s, one connection (saw $(conns ftpsilent)), no receipt"
cat >want <<EOF
$W
sme-upload: ftp://127.0.0.1:$fp/b.csv: no answer within 2 s (an implicit TLS port? then use ftps://) (a retry would begin past 2 s without progress: giving up after 0 of 3 retries)
EOF
diff -u want err >&2
ok $? 'ftp, no greeting: the timeout and the retries not made are said'

# ---- FTP: the data connection stalls mid-transfer ---------------------------
fake ftpstall
timed sme-upload -r 3 ftp://u@127.0.0.1:$fp/ big.bin
[ $rc -eq 4 ] && [ ! -s out ] && above 2 && below 6 && [ "$(conns ftpstall)" -eq 1 ] &&
    [ "$(grep -c '^STOR ' fake.ftpstall.log)" -eq 1 ]
ok $? "ftp, a stalled data connection: exit 4 (got $rc) in $el s, one STOR, no receipt"
cat >want <<EOF
$W
sme-upload: ftp://127.0.0.1:$fp/big.bin: upload stalled: the server took no data for 2 s (a retry would begin past 2 s without progress: giving up after 0 of 3 retries)
sme-upload: ftp://127.0.0.1:$fp/.big.bin.sme-XXXXXX.part: temporary file may remain on the server
EOF
diff -u want err >&2
ok $? 'ftp, a stalled data connection: the timeout and the temporary file are said'
tmp=$(sed -n 's/^STOR //p' fake.ftpstall.log)
grep -q "/$tmp: temporary file may remain" err.raw
ok $? 'ftp, a stalled data connection: the file named is the one STORed'

# ---- refused connections: the retries that fit in the window are made ------
# pauses of 0.5 and 1 s fit in 2 s, the third (2 s) would not
check 'sftp, refused: two retries fit in SME_UPLOAD_TIMEOUT, the third not' \
    'SME_UPLOAD_BACKOFF=0.5 sme-upload -k -r 3 sftp://u@127.0.0.1:1/ b.csv' <<EOF
>>>2
sme-upload: sftp://127.0.0.1:1/b.csv: cannot connect: Connection refused (retry 1 of 3)
sme-upload: sftp://127.0.0.1:1/b.csv: cannot connect: Connection refused (retry 2 of 3)
sme-upload: sftp://127.0.0.1:1/b.csv: cannot connect: Connection refused (a retry would begin past 2 s without progress: giving up after 2 of 3 retries)
>>>= 4
EOF
check 'ftp, refused: two retries fit in SME_UPLOAD_TIMEOUT, the third not' \
    'SME_UPLOAD_BACKOFF=0.5 sme-upload -r 3 ftp://u@127.0.0.1:1/ b.csv' <<EOF
>>>2
$W
sme-upload: ftp://127.0.0.1:1/b.csv: cannot connect: Connection refused (retry 1 of 3)
sme-upload: ftp://127.0.0.1:1/b.csv: cannot connect: Connection refused (retry 2 of 3)
sme-upload: ftp://127.0.0.1:1/b.csv: cannot connect: Connection refused (a retry would begin past 2 s without progress: giving up after 2 of 3 retries)
>>>= 4
EOF
check 'refused, a window that holds all the retries: all are made' \
    'SME_UPLOAD_TIMEOUT=30 SME_UPLOAD_BACKOFF=0.1 sme-upload -k -r 3 sftp://u@127.0.0.1:1/ b.csv' <<EOF
>>>2
sme-upload: sftp://127.0.0.1:1/b.csv: cannot connect: Connection refused (retry 1 of 3)
sme-upload: sftp://127.0.0.1:1/b.csv: cannot connect: Connection refused (retry 2 of 3)
sme-upload: sftp://127.0.0.1:1/b.csv: cannot connect: Connection refused (retry 3 of 3)
sme-upload: sftp://127.0.0.1:1/b.csv: cannot connect: Connection refused
>>>= 4
EOF

# ---- FTP: a slow upload that keeps moving outlasts SME_UPLOAD_TIMEOUT -------
fake ftpslow
timed ./up -r 0 ftp://u@127.0.0.1:$fp/ slow.bin
cat >want <<EOF
{"file":"slow.bin","url":"ftp://127.0.0.1:$fp/slow.bin","bytes":2000000,"sha256":"$(sum slow.bin)","seconds":S}
EOF
[ $rc -eq 0 ] && diff -u want out >&2 && [ "$(cat err)" = "$W" ] && above 3
ok $? "ftp, 2 MB at 512 kB/s: delivered in $el s, more than SME_UPLOAD_TIMEOUT (exit $rc)"
[ "$(grep -c '^RNTO slow.bin$' fake.ftpslow.log)" -eq 1 ] &&
    [ "$(grep -c '^DELE ' fake.ftpslow.log)" -eq 0 ]
ok $? 'ftp, slow: renamed to its name, nothing to remove'

# ---- SFTP through sshd, its SFTP subsystem a fake (needs tests/servers.sh) --
if [ -z "${SME_TEST_SERVERS_DIR:-}" ]; then
	echo "# no test servers (sh tests/servers.sh start): the SFTP writes are not tried"
	done_testing
	exit
fi
P4=$((SME_TEST_SFTP_PORT + 104))
SD=$SME_TEST_SFTP_ROOT/upload/t0318-$$
mkdir -p "$SD"
chown "$SME_TEST_SFTP_USER:" "$SD"
cleanup() {
	for p in $fakes; do kill "$p" 2>/dev/null; done
	rm -rf "$SD" "$T"
}
listening() {
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p="$(printf ':%04X' "$1")" '
		$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }'
}
if listening $P4; then
	ok 1 "port $P4 is free for the fake SFTP server"
	done_testing
	exit
fi
# the SFTP server, in the MODE $SD/mode names: slow (each WRITE answered
# after 0.25 s), stall (the first WRITE is never answered, nothing more is
# read); what it holds, after each request, in $SD/sftp.log.state
cp "$top/tests/fakesftp.py" "$SD/fakesftp.py"
sed -e "s/^Port .*/Port $P4/" -e "s|^PidFile .*|PidFile $T/sshd4.pid|" \
    -e "s|^Subsystem .*|Subsystem sftp /usr/bin/python3 $SD/fakesftp.py $SD/mode $SD/sftp.log|" \
    "$SME_TEST_SERVERS_DIR/etc/sshd_config" >sshd4.conf
/usr/sbin/sshd -D -e -f "$T/sshd4.conf" >sshd4.log 2>&1 &
fakes="$fakes $!"
i=0
while ! listening $P4 && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
FS=sftp://$SME_TEST_SFTP_USER@127.0.0.1:$P4
# fsftp MODE ARGS...: sme-upload to the fake in MODE, timed as by timed
fsftp() {
	echo "$1" >"$SD/mode"
	: >"$SD/sftp.log.state"
	: >"$SD/sftp.log"
	chown "$SME_TEST_SFTP_USER:" "$SD/sftp.log" "$SD/sftp.log.state"
	shift
	SME_UPLOAD_PASSWORD=$SME_TEST_SFTP_PASS timed sme-upload -H "$SME_TEST_HOSTKEY_SHA256" "$@"
}
# receipts: the receipts in out, their seconds masked
receipts() { sed 's/"seconds":[0-9.e+-]*/"seconds":S/' out; }

fsftp stall -r 3 $FS/in/ big.bin
[ $rc -eq 4 ] && [ ! -s out ] && above 2 && below 5.5
ok $? "sftp, a stalled write: exit 4 (got $rc) in $el s, no receipt"
cat >want <<EOF
sme-upload: sftp://127.0.0.1:$P4/in/big.bin: upload failed: no answer within 2 s (a retry would begin past 2 s without progress: giving up after 0 of 3 retries)
sme-upload: sftp://127.0.0.1:$P4/in/.big.bin.sme-XXXXXX.part: temporary file may remain on the server
EOF
diff -u want err >&2
ok $? 'sftp, a stalled write: the timeout and the temporary file are said'
tmp=$(sed -n 's/ 0$//p' "$SD/sftp.log.state")
[ "$(wc -l <"$SD/sftp.log.state")" -eq 1 ] && grep -q "/$tmp: temporary file may remain" err.raw
ok $? "sftp, a stalled write: the file named is the one the server holds ($tmp)"

head -c 1048576 /dev/urandom >w1.bin
fsftp slow -r 0 $FS/in/ w1.bin
cat >want <<EOF
{"file":"w1.bin","url":"sftp://127.0.0.1:$P4/in/w1.bin","bytes":1048576,"sha256":"$(sum w1.bin)","seconds":S}
EOF
[ $rc -eq 0 ] && receipts | diff -u want - >&2 && [ ! -s err ] && above 3
ok $? "sftp, 1 MiB in WRITEs of 64 KiB, each answered after 0.25 s: delivered in $el s, more than SME_UPLOAD_TIMEOUT (exit $rc)"
[ "$(cat "$SD/sftp.log.state")" = "in/w1.bin 1048576" ]
ok $? 'sftp, slow: the server holds the file under its name, no temporary file'

head -c 393216 /dev/urandom >w2.bin
head -c 393216 /dev/urandom >w3.bin
head -c 393216 /dev/urandom >w4.bin
fsftp slow -r 0 $FS/in/ w2.bin w3.bin w4.bin
[ $rc -eq 0 ] && [ "$(wc -l <out)" -eq 3 ] && [ ! -s err ] && above 3 &&
    [ "$(cat "$SD/sftp.log.state")" = "$(printf 'in/w2.bin 393216\nin/w3.bin 393216\nin/w4.bin 393216')" ]
ok $? "sftp, three files of 1.5 s each: all delivered in $el s, more than SME_UPLOAD_TIMEOUT (exit $rc)"

done_testing
