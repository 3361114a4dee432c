#!/bin/sh
# sme: the test servers of tests/servers.sh work, shown with independent clients; licence in COPYING
. "$(dirname "$0")/lib.sh"

if [ -z "${SME_TEST_SERVERS_DIR:-}" ]; then
	ok 1 "tests/run/servers.env is present (run: sh tests/servers.sh start)"
	done_testing
	exit
fi

ftp=127.0.0.1:$SME_TEST_FTP_PORT
ftpes=127.0.0.1:$SME_TEST_FTPES_PORT
ftps=127.0.0.1:$SME_TEST_FTPS_PORT
badname=127.0.0.1:$SME_TEST_FTPES_BADNAME_PORT
sftp=127.0.0.1:$SME_TEST_SFTP_PORT
fp=${SME_TEST_HOSTKEY_SHA256#SHA256:}
tag=t0300-$$
export ftp ftpes ftps badname sftp fp tag

head -c 1000000 /dev/urandom >p.bin
sum=$(sha256sum <p.bin)
printf 'machine %s login %s password %s\n' \
	127.0.0.1 "$SME_TEST_FTP_USER" "$SME_TEST_FTP_PASS" \
	localhost "$SME_TEST_FTP_USER" "$SME_TEST_FTP_PASS" >netrc
printf 'machine 127.0.0.1 login %s password %s\n' \
	"$SME_TEST_SFTP_USER" "$SME_TEST_SFTP_PASS" >netrc.sftp
chmod 600 netrc netrc.sftp
mkdir -p home/.ssh
# first COMMAND...: run it, keep only the first line of its stderr
cat >first <<'EOF'
"$@" 2>.first; rc=$?; head -n 1 .first >&2; exit $rc
EOF
chmod +x first

check 'every variable of servers.env is set, every file exists' '
	for v in FTP_PORT FTPES_PORT FTPS_PORT FTPES_BADNAME_PORT SFTP_PORT FTP_USER FTP_PASS \
	    FTP_ROOT SFTP_USER SFTP_PASS SFTP_ROOT CA BADCA KEY_RSA_TRAD KEY_RSA_PKCS8 \
	    KEY_ED25519 KEY_ECDSA KEY_PASS KNOWN_HOSTS KNOWN_HOSTS_HASHED KNOWN_HOSTS_CHANGED \
	    HOSTKEY_SHA256 SERVERS_DIR; do
		eval "x=\${SME_TEST_$v:-}"; [ -n "$x" ] || echo "unset: $v"
	done
	for f in "$SME_TEST_CA" "$SME_TEST_BADCA" "$SME_TEST_KEY_RSA_TRAD" "$SME_TEST_KEY_RSA_PKCS8" \
	    "$SME_TEST_KEY_ED25519" "$SME_TEST_KEY_ECDSA" "$SME_TEST_KNOWN_HOSTS" \
	    "$SME_TEST_KNOWN_HOSTS_HASHED" "$SME_TEST_KNOWN_HOSTS_CHANGED" \
	    "$SME_TEST_FTP_ROOT/notadir" "$SME_TEST_SFTP_ROOT/notadir"; do
		[ -f "$f" ] || echo "no file: $f"
	done
	for d in "$SME_TEST_FTP_ROOT/upload" "$SME_TEST_SFTP_ROOT/upload"; do
		[ -d "$d" ] || echo "no folder: $d"
	done' <<EOF
EOF

check 'keys: the encrypted formats asked for, mode 600' '
	grep -c -e "^Proc-Type: 4,ENCRYPTED" -e "^DEK-Info: DES-EDE3-CBC," "$SME_TEST_KEY_RSA_TRAD"
	head -n 1 "$SME_TEST_KEY_RSA_PKCS8" "$SME_TEST_KEY_ED25519" | grep BEGIN
	ssh-keygen -y -P "" -f "$SME_TEST_KEY_ED25519" >/dev/null 2>&1 || echo ed25519 needs a passphrase
	stat -c %a "$SME_TEST_KEY_RSA_TRAD" "$SME_TEST_KEY_RSA_PKCS8" "$SME_TEST_KEY_ED25519" \
	    "$SME_TEST_KEY_ECDSA"' <<EOF
>>>
2
-----BEGIN ENCRYPTED PRIVATE KEY-----
-----BEGIN OPENSSH PRIVATE KEY-----
ed25519 needs a passphrase
600
600
600
600
EOF

check 'tls: the server certificate is signed by the CA, for 127.0.0.1 and localhost' '
	openssl verify -CAfile "$SME_TEST_CA" "$SME_TEST_SERVERS_DIR/pki/server.pem"
	openssl x509 -noout -ext subjectAltName -in "$SME_TEST_SERVERS_DIR/pki/server.pem" | tail -n 1' <<EOF
>>>
$SME_TEST_SERVERS_DIR/pki/server.pem: OK
    IP Address:127.0.0.1, DNS:localhost
EOF

check 'ftp: curl -T lands intact in the FTP home' '
	curl -sS --netrc-file netrc -T p.bin "ftp://$ftp/upload/$tag-ftp.bin" &&
	sha256sum <"$SME_TEST_FTP_ROOT/upload/$tag-ftp.bin"' <<EOF
>>>
$sum
EOF

check 'ftp: MKD, RNFR/RNTO and DELE are allowed' '
	curl -sS --netrc-file netrc --ftp-create-dirs -T p.bin "ftp://$ftp/upload/$tag/sub/p.part" \
	    -Q "-RNFR p.part" -Q "-RNTO p.bin" &&
	ls "$SME_TEST_FTP_ROOT/upload/$tag/sub" &&
	curl -sS --netrc-file netrc -o /dev/null -Q "DELE upload/$tag/sub/p.bin" "ftp://$ftp/" &&
	ls -A "$SME_TEST_FTP_ROOT/upload/$tag/sub" && echo deleted' <<EOF
>>>
p.bin
deleted
EOF

check 'ftp: a wrong password is refused' '
	./first curl -sS -u "$SME_TEST_FTP_USER:wrong" -T p.bin "ftp://$ftp/upload/$tag-x.bin"' <<EOF
>>>2
curl: (67) Access denied: 530
>>>= 67
EOF

check 'ftp: notadir/x cannot be written' '
	./first curl -sS --netrc-file netrc -T p.bin "ftp://$ftp/notadir/x"' <<EOF
>>>2
curl: (9) Server denied you to change to the given directory
>>>= 9
EOF

check 'ftpes: --ssl-reqd --cacert uploads intact, TLS 1.2' '
	curl -sS -v --netrc-file netrc --ssl-reqd --cacert "$SME_TEST_CA" -T p.bin \
	    "ftp://$ftpes/upload/$tag-ftpes.bin" 2>&1 | grep -m 1 -o "SSL connection using TLSv1.2" &&
	sha256sum <"$SME_TEST_FTP_ROOT/upload/$tag-ftpes.bin"' <<EOF
>>>
SSL connection using TLSv1.2
$sum
EOF

check 'ftpes: the certificate holds for localhost too' '
	curl -sS --netrc-file netrc --ssl-reqd --cacert "$SME_TEST_CA" -T p.bin \
	    "ftp://localhost:$SME_TEST_FTPES_PORT/upload/$tag-localhost.bin"' <<EOF
EOF

check 'ftpes: a certificate from another CA is refused' '
	./first curl -sS --netrc-file netrc --ssl-reqd --cacert "$SME_TEST_BADCA" -T p.bin \
	    "ftp://$ftpes/upload/$tag-x.bin"' <<EOF
>>>2
curl: (60) SSL certificate problem: unable to get local issuer certificate
>>>= 60
EOF

check 'ftpes: the system CAs do not trust the test CA' '
	./first curl -sS --netrc-file netrc --ssl-reqd -T p.bin "ftp://$ftpes/upload/$tag-x.bin"' <<EOF
>>>2
curl: (60) SSL certificate problem: unable to get local issuer certificate
>>>= 60
EOF

check 'ftpes: logging in without TLS is refused' '
	./first curl -sS --netrc-file netrc -T p.bin "ftp://$ftpes/upload/$tag-x.bin"' <<EOF
>>>2
curl: (67) Access denied: 530
>>>= 67
EOF

check 'ftpes-badname: a good CA but another name is refused' '
	./first curl -sS --netrc-file netrc --ssl-reqd --cacert "$SME_TEST_CA" -T p.bin \
	    "ftp://$badname/upload/$tag-x.bin"' <<EOF
>>>2
curl: (60) SSL: no alternative certificate subject name matches target host name '127.0.0.1'
>>>= 60
EOF

check 'ftpes-badname: the certificate is for otherhost.invalid' '
	curl -sS -u "$SME_TEST_FTP_USER:$SME_TEST_FTP_PASS" --ssl-reqd --cacert "$SME_TEST_CA" \
	    --resolve "otherhost.invalid:$SME_TEST_FTPES_BADNAME_PORT:127.0.0.1" -T p.bin \
	    "ftp://otherhost.invalid:$SME_TEST_FTPES_BADNAME_PORT/upload/$tag-other.bin" &&
	sha256sum <"$SME_TEST_FTP_ROOT/upload/$tag-other.bin"' <<EOF
>>>
$sum
EOF

check 'ftps: implicit TLS uploads intact' '
	curl -sS --netrc-file netrc --cacert "$SME_TEST_CA" -T p.bin "ftps://$ftps/upload/$tag-ftps.bin" &&
	sha256sum <"$SME_TEST_FTP_ROOT/upload/$tag-ftps.bin"' <<EOF
>>>
$sum
EOF

check 'ftps: a certificate from another CA is refused' '
	./first curl -sS --netrc-file netrc --cacert "$SME_TEST_BADCA" -T p.bin \
	    "ftps://$ftps/upload/$tag-x.bin"' <<EOF
>>>2
curl: (60) SSL certificate problem: unable to get local issuer certificate
>>>= 60
EOF

ls "$SME_TEST_FTP_ROOT/upload/$tag-x.bin" >/dev/null 2>&1
ok $((!$?)) 'ftp: no refused upload left a file'

check 'sftp: the fingerprint is the one ssh-keyscan sees' '
	ssh-keyscan -p "$SME_TEST_SFTP_PORT" -t ed25519 127.0.0.1 2>/dev/null |
	ssh-keygen -l -E sha256 -f - | awk "{ print \$2 }" | grep -cxF "$SME_TEST_HOSTKEY_SHA256"' <<EOF
>>>
1
EOF

check 'sftp: password and --hostpubsha256 upload intact' '
	curl -sS --netrc-file netrc.sftp --hostpubsha256 "$fp" -T p.bin "sftp://$sftp/~/upload/$tag-pw.bin" &&
	sha256sum <"$SME_TEST_SFTP_ROOT/upload/$tag-pw.bin"' <<EOF
>>>
$sum
EOF

for k in RSA_TRAD RSA_PKCS8 ED25519 ECDSA; do
	kh=$SME_TEST_KNOWN_HOSTS
	[ "$k" = ED25519 ] && kh=$SME_TEST_KNOWN_HOSTS_HASHED
	check "sftp: key $k, checked against ${kh##*/}, uploads intact" "
	cp '$kh' home/.ssh/known_hosts &&
	HOME=\$PWD/home curl -sS -u \"\$SME_TEST_SFTP_USER:\" --key \"\$SME_TEST_KEY_$k\" \\
	    --pass \"\$SME_TEST_KEY_PASS\" -T p.bin \"sftp://\$sftp/~/upload/\$tag-$k.bin\" &&
	sha256sum <\"\$SME_TEST_SFTP_ROOT/upload/\$tag-$k.bin\"" <<EOF
>>>
$sum
EOF
done

check 'sftp: a key with the wrong passphrase is refused' '
	cp "$SME_TEST_KNOWN_HOSTS" home/.ssh/known_hosts &&
	HOME=$PWD/home ./first curl -sS -u "$SME_TEST_SFTP_USER:" --key "$SME_TEST_KEY_RSA_TRAD" \
	    --pass wrong -T p.bin "sftp://$sftp/~/upload/$tag-x.bin"' <<EOF
>>>2
curl: (67) Authentication failure
>>>= 67
EOF

check 'sftp: a changed host key is refused' '
	cp "$SME_TEST_KNOWN_HOSTS_CHANGED" home/.ssh/known_hosts &&
	HOME=$PWD/home ./first curl -sS --netrc-file netrc.sftp -T p.bin "sftp://$sftp/~/upload/$tag-x.bin"' <<EOF
>>>2
curl: (60) SSL peer certificate or SSH remote key was not OK
>>>= 60
EOF

check 'sftp: a wrong fingerprint is refused' '
	./first curl -sS --netrc-file netrc.sftp --hostpubsha256 "AAAA$fp" -T p.bin \
	    "sftp://$sftp/~/upload/$tag-x.bin"' <<EOF
>>>2
curl: (60) Denied establishing ssh session: mismatch sha256 fingerprint. Remote $fp= is not equal to AAAA$fp
>>>= 60
EOF

check 'sftp: notadir/x cannot be written' '
	./first curl -sS --netrc-file netrc.sftp --hostpubsha256 "$fp" -T p.bin "sftp://$sftp/~/notadir/x"' <<EOF
>>>2
curl: (78) Upload failed: No such file or directory (2/-31)
>>>= 78
EOF

check 'sftp: rename and rm are allowed' '
	curl -sS --netrc-file netrc.sftp --hostpubsha256 "$fp" -T p.bin "sftp://$sftp/~/upload/$tag.part" \
	    -Q "-rename upload/$tag.part upload/$tag.done" &&
	ls "$SME_TEST_SFTP_ROOT/upload/$tag.done" &&
	curl -sS --netrc-file netrc.sftp --hostpubsha256 "$fp" -o /dev/null \
	    -Q "rm upload/$tag.done" "sftp://$sftp/~/upload/" &&
	{ ls "$SME_TEST_SFTP_ROOT/upload" | grep "^$tag\\." || echo removed; }' <<EOF
>>>
$SME_TEST_SFTP_ROOT/upload/$tag.done
removed
EOF

# kill-ftp and kill-sftp break a running upload; restart-* bring the server back
head -c 30000000 /dev/urandom >big.bin
for s in ftp sftp; do
	if [ "$s" = ftp ]; then
		set -- --netrc-file netrc "ftp://$ftp/upload/$tag-killed.bin"
		dir=$SME_TEST_FTP_ROOT
	else
		set -- --netrc-file netrc.sftp --hostpubsha256 "$fp" "sftp://$sftp/~/upload/$tag-killed.bin"
		dir=$SME_TEST_SFTP_ROOT
	fi
	curl -sS --limit-rate 3M --max-time 60 -T big.bin "$@" 2>/dev/null &
	cpid=$!
	i=0
	while [ ! -s "$dir/upload/$tag-killed.bin" ] && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sh "$top/tests/servers.sh" "kill-$s"
	wait "$cpid"
	rc=$?
	[ "$rc" -ne 0 ] && [ "$(wc -c <"$dir/upload/$tag-killed.bin")" -lt 30000000 ]
	ok $? "$s: kill-$s breaks a running upload (curl exit $rc)"
	sh "$top/tests/servers.sh" "restart-$s"
	curl -sS --max-time 60 -T p.bin "$@"
	ok $? "$s: restart-$s brings the server back"
done

check 'status: all servers run again' 'sh "$top/tests/servers.sh" status | cut -d, -f1' <<EOF
>>>
ftp: running
ftpes: running
ftps: running
ftpes-badname: running
sftp: running
env: $top/tests/run/servers.env
EOF

# another checkout (a copy of servers.sh elsewhere): status only looks; start
# must not take the shared test users away from the servers that run here
# (it would find their ports, from servers.env, taken too, but only later)
mkdir -p co/tests
cp "$top/tests/servers.sh" co/tests/
check 'status in a checkout without servers: all stopped, nothing created' \
    'sh co/tests/servers.sh status; r=$?; ls co/tests; exit $r' <<EOF
>>>
ftp: stopped
ftpes: stopped
ftps: stopped
ftpes-badname: stopped
sftp: stopped
env: none
servers.sh
>>>= 1
EOF

homes=$(getent passwd "$SME_TEST_FTP_USER" "$SME_TEST_SFTP_USER" | cut -d: -f6)
S0=${SME_TEST_SERVERS_DIR%/tests/run/servers}
check 'start in another checkout refuses to take the users of running servers' \
    'sh co/tests/servers.sh start' <<EOF
>>>2
servers.sh: test user $SME_TEST_FTP_USER belongs to the servers of another checkout, which run ($SME_TEST_SERVERS_DIR): stop them first (sh $S0/tests/servers.sh stop)
>>>= 1
EOF
[ "$(getent passwd "$SME_TEST_FTP_USER" "$SME_TEST_SFTP_USER" | cut -d: -f6)" = "$homes" ] &&
    [ "$homes" = "$SME_TEST_FTP_ROOT
$SME_TEST_SFTP_ROOT" ]
ok $? 'the test users kept their homes here'

rm -rf "$SME_TEST_FTP_ROOT/upload/$tag"* "$SME_TEST_SFTP_ROOT/upload/$tag"*
done_testing
