#!/bin/sh
# sme-upload: a name server that does not answer costs SME_UPLOAD_TIMEOUT, not the resolver's minutes; licence in COPYING
. "$(dirname "$0")/lib.sh"
sink=
cleanup() {
	[ -n "$sink" ] && kill "$sink" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
SME_UPLOAD_PASSWORD=pw SME_UPLOAD_TIMEOUT=2 SME_UPLOAD_BACKOFF=0.5
export SME_UPLOAD_PASSWORD SME_UPLOAD_TIMEOUT SME_UPLOAD_BACKOFF

# a name server on 127.0.0.1:53 that takes every query and never answers,
# and a resolv.conf that waits 30 s for it, 3 times, seen by sme-upload
# alone (a mount namespace of its own): 90 s a lookup without a deadline
cat >sink.py <<'PY'
import os, socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(('127.0.0.1', 53))
t = socket.socket()
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(('127.0.0.1', 53))
t.listen(8)
open(sys.argv[1] + '.tmp', 'w').close()
os.rename(sys.argv[1] + '.tmp', sys.argv[1])
n = 0
while True:
    u.recvfrom(4096)
    n += 1
    with open(sys.argv[2], 'w') as f:
        f.write('%d\n' % n)
PY
printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:3\n' >resolv.conf
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	skip 'a silent name server' 'needs root and unshare -m (a mount namespace)'
	done_testing
	exit
fi
python3 sink.py ready queries 2>sink.err &
sink=$!
i=0
while [ ! -e ready ] && kill -0 $sink 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
if [ ! -e ready ]; then
	skip 'a silent name server' "cannot listen on 127.0.0.1:53: $(tail -n 1 sink.err)"
	done_testing
	exit
fi
echo data >f.txt

# ns SCHEME: sme-upload -r 3 to a name only the silent server could resolve
ns() {
	t0=$(date +%s%N)
	unshare -m sh -c "mount --bind '$T/resolv.conf' /etc/resolv.conf &&
	    exec sme-upload -r 3 $1://u@nowhere.invalid/d/ f.txt" >out 2>err
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
}

rm -f queries
ns sftp
[ $rc -eq 4 ] && [ $ms -lt 6000 ] && [ -s queries ] && [ ! -s out ] &&
    [ "$(cat err)" = "sme-upload: sftp://nowhere.invalid/d/f.txt: cannot resolve host nowhere.invalid: no answer within 2 s (a retry would begin past 2 s without progress: giving up after 0 of 3 retries)" ]
ok $? "sftp: the lookup gives up at the deadline, with the retries (exit $rc after $ms ms, $(cat queries 2>/dev/null) queries)"
grep -q '^sme-upload: ' err || sed 's/^/# /' err

rm -f queries
ns ftpes
[ $rc -eq 4 ] && [ $ms -lt 6000 ] && [ -s queries ] && [ ! -s out ] &&
    [ "$(cat err)" = "sme-upload: ftpes://nowhere.invalid/d/f.txt: cannot resolve host nowhere.invalid: no answer within 2 s (a retry would begin past 2 s without progress: giving up after 0 of 3 retries)" ]
ok $? "ftpes: the same through libcurl, whose lookup thread is not waited for (exit $rc after $ms ms)"
grep -q '^sme-upload: ' err || sed 's/^/# /' err
done_testing
