#!/bin/sh
# sme-upload: SIGTERM, SIGINT, SIGHUP mid-transfer remove the temporary file and die of the signal; licence in COPYING
. "$(dirname "$0")/lib.sh"
if [ -z "${SME_TEST_SERVERS_DIR:-}" ]; then
	echo "1..0 # SKIP no test servers (sh tests/servers.sh start)"
	exit 0
fi
tag=t0316-$$
FD=$SME_TEST_FTP_ROOT/upload/$tag
SD=$SME_TEST_SFTP_ROOT/upload/$tag
LD=$T/local
SME_UPLOAD_TIMEOUT=10 SME_UPLOAD_BACKOFF=0
export SME_UPLOAD_TIMEOUT SME_UPLOAD_BACKOFF
trap 'rm -rf "$FD" "$SD" "$T"' EXIT
mkdir -p "$FD" "$SD" "$LD"
chown "$SME_TEST_FTP_USER:" "$FD"
chown "$SME_TEST_SFTP_USER:" "$SD"
. "$top/tests/upload.sh"

# arrived DIR: a temporary file in DIR holds more than a megabyte
arrived() {
	_i=0
	while [ $_i -lt 500 ]; do
		[ -n "$(find "$1" -name '.*.part' -size +1M)" ] && return 0
		sleep 0.02
		_i=$((_i + 1))
	done
	return 1
}
truncate -s 1G huge.bin	# long enough for the signal to land in the middle
echo old >old

# one SCHEME SIGNAL DIR URL...: the old huge.bin in DIR stays as it was
one() {
	_sc=$1 _sig=$2 _dir=$3
	shift 3
	cp old "$_dir/huge.bin"
	chown --reference="$_dir" "$_dir/huge.bin"
	# sh starts background jobs with SIGINT ignored, and sme keeps a signal
	# ignored at its start ignored (as nohup expects): give INT back
	env --default-signal=INT "$@" >out 2>err &
	_pid=$!
	arrived "$_dir"
	_under=$?
	kill -"$_sig" $_pid
	wait $_pid
	_rc=$?
	case $_sig in TERM) _want=143 ;; INT) _want=130 ;; HUP) _want=129 ;; esac
	ok $_under "$_sc SIG$_sig: the upload was under way"
	[ $_rc -eq $_want ]
	ok $? "$_sc SIG$_sig: dies of the signal (exit $_rc, want $_want)"
	noparts "$_dir"
	ok $? "$_sc SIG$_sig: no temporary file remains"
	cmp -s old "$_dir/huge.bin"
	ok $? "$_sc SIG$_sig: the final name is untouched"
	[ ! -s out ] && ! grep -v 'warning: ftp:// sends the password' err >&2
	ok $? "$_sc SIG$_sig: no receipt, nothing to report"
}

for sig in TERM INT HUP; do
	SME_UPLOAD_PASSWORD=$SME_TEST_SFTP_PASS one sftp $sig "$SD" sme-upload -K "$SME_TEST_KNOWN_HOSTS" \
	    "sftp://$SME_TEST_SFTP_USER@127.0.0.1:$SME_TEST_SFTP_PORT/upload/$tag/" huge.bin
	SME_UPLOAD_PASSWORD=$SME_TEST_FTP_PASS one ftpes $sig "$FD" sme-upload -C "$SME_TEST_CA" \
	    "ftpes://$SME_TEST_FTP_USER@127.0.0.1:$SME_TEST_FTPES_PORT/upload/$tag/" huge.bin
	SME_UPLOAD_PASSWORD=$SME_TEST_FTP_PASS one ftp $sig "$FD" sme-upload \
	    "ftp://$SME_TEST_FTP_USER@127.0.0.1:$SME_TEST_FTP_PORT/upload/$tag/" huge.bin
	one file $sig "$LD" sme-upload "file://$LD/" huge.bin
done

# standard input is spooled first: a signal then leaves nothing anywhere
cp old "$LD/in.bin"
cat huge.bin | sme-upload -n in.bin "file://$LD/" >out 2>err &
pid=$!
sleep 0.3
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] && noparts "$LD" && cmp -s old "$LD/in.bin" && [ ! -s out ] && [ ! -s err ]
ok $? "standard input: SIGTERM while it is spooled (exit $rc)"

# issue 6 item 9: mid-transfer, the password is in memory once (ours) over
# SFTP, and no more than libcurl's own copies over FTP; no core dumps
cat >memscan.py <<'EOF'
import sys
pid, needle = sys.argv[1], sys.argv[2].encode()
n = 0
maps = open('/proc/%s/maps' % pid).read().splitlines()
# SANITIZE=1: the sanitizer runtime keeps its own copy of /proc/self/environ
# read before main(); that one, and only when the runtime is loaded, is not ours
asan = any('libasan' in l for l in maps)
env = b'SME_UPLOAD_PASSWORD=' + needle
with open('/proc/%s/mem' % pid, 'rb', 0) as mem:
    for l in maps:
        a, perm = l.split()[:2]
        if 'r' not in perm:
            continue
        lo, hi = (int(x, 16) for x in a.split('-'))
        # ASan's shadow (terabytes, SANITIZE=1) holds no user data
        if hi - lo > 1 << 32:
            continue
        tail = b''
        while lo < hi:
            k = min(hi - lo, 1 << 20)
            try:
                mem.seek(lo)
                b = tail + mem.read(k)
            except (OSError, ValueError, OverflowError):
                b = b''
            n += b.count(needle) - (b.count(env) if asan else 0)
            tail = b[-(len(needle) - 1):] if len(needle) > 1 else b''
            lo += k
print(n)
EOF
# copies MAX PASSWORD DIR COMMAND...: at most MAX copies of PASSWORD in the
# memory of COMMAND while it sends into DIR; its core limit is 0
copies() {
	_max=$1 _pw=$2 _dir=$3
	shift 3
	env -u SME_TEST_FTP_PASS -u SME_TEST_SFTP_PASS SME_UPLOAD_PASSWORD="$_pw" "$@" >/dev/null 2>&1 &
	_pid=$!
	arrived "$_dir"
	kill -STOP $_pid
	_n=$(/usr/bin/python3 memscan.py $_pid "$_pw")
	_core=$(awk '/^Max core file size/ { print $5, $6 }' /proc/$_pid/limits)
	kill -TERM $_pid
	kill -CONT $_pid
	wait $_pid
	[ "$_n" -le "$_max" ] && [ "$_core" = "0 0" ]
}
if [ -x /usr/bin/python3 ]; then
	copies 1 "$SME_TEST_SFTP_PASS" "$SD" sme-upload -K "$SME_TEST_KNOWN_HOSTS" \
	    "sftp://$SME_TEST_SFTP_USER@127.0.0.1:$SME_TEST_SFTP_PORT/upload/$tag/" huge.bin
	ok $? "sftp: one copy of the password in memory mid-transfer (found $_n), no core file (limit $_core)"
	copies 4 "$SME_TEST_FTP_PASS" "$FD" sme-upload -C "$SME_TEST_CA" \
	    "ftpes://$SME_TEST_FTP_USER@127.0.0.1:$SME_TEST_FTPES_PORT/upload/$tag/" huge.bin
	ok $? "ftpes: none of ours, libcurl's copies only, mid-transfer (found $_n), no core file (limit $_core)"
	noparts "$SD" && noparts "$FD"
	ok $? 'no temporary file remains'
fi

# (a signal while the server stalls, and a second one: tests/0315-upload-faults.t)
done_testing
