#!/bin/sh
# sme-upload over explicit (ftpes://) and implicit (ftps://) TLS: delivery and certificate checks; licence in COPYING
. "$(dirname "$0")/lib.sh"
if [ -z "${SME_TEST_SERVERS_DIR:-}" ]; then
	echo "1..0 # SKIP no test servers (sh tests/servers.sh start)"
	exit 0
fi
tag=t0312-$$
D=$SME_TEST_FTP_ROOT/upload/$tag
u=$SME_TEST_FTP_USER@127.0.0.1
ES=ftpes://127.0.0.1:$SME_TEST_FTPES_PORT
IS=ftps://127.0.0.1:$SME_TEST_FTPS_PORT
BN=ftpes://127.0.0.1:$SME_TEST_FTPES_BADNAME_PORT
SME_UPLOAD_PASSWORD=$SME_TEST_FTP_PASS SME_UPLOAD_TIMEOUT=10 SME_UPLOAD_BACKOFF=0
export tag D u ES IS BN SME_UPLOAD_PASSWORD SME_UPLOAD_TIMEOUT SME_UPLOAD_BACKOFF
ppid=
trap '[ -n "$ppid" ] && kill $ppid; rm -rf "$D" "$T"' EXIT

. "$top/tests/upload.sh"

printf 'meter;time;1-0:1.8.0*255\n3001;2026-11-01T00:15:00Z;12.5\n' >a.csv
head -c 3000000 /dev/urandom >big.bin
n=$(wc -c <a.csv)

check 'explicit TLS (ftpes://), checked against the test CA' \
    './up -m -C "$SME_TEST_CA" ftpes://$u:$SME_TEST_FTPES_PORT/upload/$tag/es/ a.csv big.bin' <<EOF
>>>
{"file":"a.csv","url":"$ES/upload/$tag/es/a.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
{"file":"big.bin","url":"$ES/upload/$tag/es/big.bin","bytes":3000000,"sha256":"$(sum big.bin)","seconds":S}
EOF
same a.csv "$D/es/a.csv" && same big.bin "$D/es/big.bin" && noparts "$D"
ok $? 'ftpes: the server holds the same bytes, no temporary file'

check 'implicit TLS (ftps://)' \
    './up -m -C "$SME_TEST_CA" ftps://$u:$SME_TEST_FTPS_PORT/upload/$tag/is/ a.csv big.bin' <<EOF
>>>
{"file":"a.csv","url":"$IS/upload/$tag/is/a.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
{"file":"big.bin","url":"$IS/upload/$tag/is/big.bin","bytes":3000000,"sha256":"$(sum big.bin)","seconds":S}
EOF
same a.csv "$D/is/a.csv" && same big.bin "$D/is/big.bin" && noparts "$D"
ok $? 'ftps: the server holds the same bytes, no temporary file'

# a proxy in the environment: sme-upload must not use it (curl would send
# the password to it and skip SIZE and RNTO); this one answers 200 to anything
cat >proxy.py <<'EOF'
import os, socket, sys, threading
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 0))
srv.listen(16)
log = open('proxy.log', 'ab', buffering=0)
with open('proxy.port.tmp', 'w') as f:
    f.write('%d\n' % srv.getsockname()[1])
os.rename('proxy.port.tmp', 'proxy.port')
def serve(c):
    c.settimeout(10)
    try:
        while True:
            b = c.recv(65536)
            if not b:
                break
            log.write(b)
            c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')
    except OSError:
        pass
    c.close()
while True:
    threading.Thread(target=serve, args=(srv.accept()[0],), daemon=True).start()
EOF
if [ -x /usr/bin/python3 ]; then
	/usr/bin/python3 proxy.py 2>proxy.err &
	ppid=$!
	i=0
	while [ ! -s proxy.port ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	px=http://127.0.0.1:$(cat proxy.port)
	export px
	check 'proxy variables are ignored: straight to the server' \
	    'ftp_proxy=$px ftps_proxy=$px all_proxy=$px ALL_PROXY=$px http_proxy=$px https_proxy=$px \
	    ./up -m -C "$SME_TEST_CA" ftpes://$u:$SME_TEST_FTPES_PORT/upload/$tag/px/a.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$ES/upload/$tag/px/a.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
EOF
	same a.csv "$D/px/a.csv" && [ ! -s proxy.log ]
	ok $? 'the file arrived intact; the proxy got nothing'
	kill $ppid
	ppid=
else
	skip 'proxy variables are ignored: straight to the server' 'no /usr/bin/python3'
	skip 'the file arrived intact; the proxy got nothing' 'no /usr/bin/python3'
fi

check 'SME_UPLOAD_TLS_MAX=1.2' \
    'SME_UPLOAD_TLS_MAX=1.2 ./up -C "$SME_TEST_CA" ftps://$u:$SME_TEST_FTPS_PORT/upload/$tag/is/t12.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$IS/upload/$tag/is/t12.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
EOF

check 'a certificate the system store does not trust' \
    './up ftpes://$u:$SME_TEST_FTPES_PORT/upload/$tag/ a.csv' <<EOF
>>>2
sme-upload: $ES/upload/$tag/a.csv: certificate not trusted: SSL certificate problem: unable to get local issuer certificate
>>>= 5
EOF

check 'a certificate from another CA (-C)' \
    './up -C "$SME_TEST_BADCA" ftps://$u:$SME_TEST_FTPS_PORT/upload/$tag/ a.csv' <<EOF
>>>2
sme-upload: $IS/upload/$tag/a.csv: certificate not trusted: SSL certificate problem: unable to get local issuer certificate
>>>= 5
EOF

check 'a certificate for another name' \
    './up -C "$SME_TEST_CA" ftpes://$u:$SME_TEST_FTPES_BADNAME_PORT/upload/$tag/ a.csv' <<EOF
>>>2
sme-upload: $BN/upload/$tag/a.csv: certificate not trusted: SSL: no alternative certificate subject name matches target host name '127.0.0.1'
>>>= 5
EOF
[ ! -e "$D/a.csv" ]
ok $? 'nothing arrived past an untrusted certificate'

check '-k takes any certificate, loudly' \
    './up -k ftpes://$u:$SME_TEST_FTPES_BADNAME_PORT/upload/$tag/k.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$BN/upload/$tag/k.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
>>>2
sme-upload: warning: -k: the server's certificate is not checked; anyone on the way can read the password
EOF
same a.csv "$D/k.csv"
ok $? 'the -k upload arrived'

check 'a wrong password over TLS' \
    'SME_UPLOAD_PASSWORD=wrong ./up -C "$SME_TEST_CA" ftpes://$u:$SME_TEST_FTPES_PORT/upload/$tag/ a.csv' <<EOF
>>>2
sme-upload: $ES/upload/$tag/a.csv: login refused for user $SME_TEST_FTP_USER: 530 Login incorrect.
>>>= 5
EOF

check 'ftpes:// to a server without TLS: the password stays home' \
    './up -C "$SME_TEST_CA" ftpes://$u:$SME_TEST_FTP_PORT/upload/$tag/ a.csv' <<EOF
>>>2
sme-upload: ftpes://127.0.0.1:$SME_TEST_FTP_PORT/upload/$tag/a.csv: the server does not offer TLS (530 Please login with USER and PASS.): the password is not sent in clear
>>>= 5
EOF

check 'ftps:// (implicit) to an explicit-TLS port' \
    './up -C "$SME_TEST_CA" ftps://$u:$SME_TEST_FTPES_PORT/upload/$tag/ a.csv' <<EOF
>>>2
sme-upload: ftps://127.0.0.1:$SME_TEST_FTPES_PORT/upload/$tag/a.csv: TLS handshake failed: the server does not speak TLS there (a plain FTP port? then use ftpes://)
>>>= 4
EOF

check 'a CA file that cannot be read' \
    './up -C nosuch.pem ftpes://$u:$SME_TEST_FTPES_PORT/upload/$tag/ a.csv' <<EOF
>>>2
sme-upload: cannot read CA file nosuch.pem: No such file or directory
>>>= 6
EOF

echo 'not a certificate' >bad.pem
check 'a CA file without certificates' \
    './up -C bad.pem ftpes://$u:$SME_TEST_FTPES_PORT/upload/$tag/ a.csv' <<EOF
>>>2
sme-upload: $ES/upload/$tag/a.csv: cannot use CA file bad.pem: error setting certificate file: bad.pem
>>>= 6
EOF

check 'a missing folder over TLS' \
    './up -C "$SME_TEST_CA" ftps://$u:$SME_TEST_FTPS_PORT/upload/$tag/nosuch/ a.csv' <<EOF
>>>2
sme-upload: $IS/upload/$tag/nosuch/a.csv: cannot enter folder upload/$tag/nosuch/: 550 Failed to change directory. (-m creates missing folders)
>>>= 4
EOF

[ "$(grep -c '"sha256"' all.out)" -eq 7 ] && ! grep -F -e "$SME_TEST_FTP_PASS" all.out
ok $? 'no receipt or message of this run holds the password'

done_testing
