#!/bin/sh
# sme-upload over SFTP to the test sshd: passwords, keys, host keys, folders; licence in COPYING
. "$(dirname "$0")/lib.sh"
if [ -z "${SME_TEST_SERVERS_DIR:-}" ]; then
	echo "1..0 # SKIP no test servers (sh tests/servers.sh start)"
	exit 0
fi
tag=t0313-$$
D=$SME_TEST_SFTP_ROOT/upload/$tag
RO=$SME_TEST_SFTP_ROOT/upload/$tag-ro
S=sftp://$SME_TEST_SFTP_USER@127.0.0.1:$SME_TEST_SFTP_PORT
R=sftp://127.0.0.1:$SME_TEST_SFTP_PORT
KH=$SME_TEST_KNOWN_HOSTS
FP=$SME_TEST_HOSTKEY_SHA256
SME_UPLOAD_PASSWORD=$SME_TEST_SFTP_PASS SME_UPLOAD_TIMEOUT=10 SME_UPLOAD_BACKOFF=0
export tag D S R KH FP SME_UPLOAD_PASSWORD SME_UPLOAD_TIMEOUT SME_UPLOAD_BACKOFF
pid2=
trap '[ -n "$pid2" ] && kill $pid2; rm -rf "$D" "$RO" "$T"' EXIT
LOG=$SME_TEST_SERVERS_DIR/log/sftp.out

. "$top/tests/upload.sh"
listening() {
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p="$(printf ':%04X' "$1")" '
		$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }'
}

printf 'meter;time;1-0:1.8.0*255\n3001;2026-11-01T00:15:00Z;12.5\n' >a.csv
head -c 4000000 /dev/urandom >big.bin
n=$(wc -c <a.csv)
export n

check 'a password login; two files into a new folder (-m)' \
    './up -m -K "$KH" $S/upload/$tag/ a.csv big.bin' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/a.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
{"file":"big.bin","url":"$R/upload/$tag/big.bin","bytes":4000000,"sha256":"$(sum big.bin)","seconds":S}
EOF
same a.csv "$D/a.csv" && same big.bin "$D/big.bin" && noparts "$D"
ok $? 'the server holds the same bytes (sha256), no temporary file'

# each kind of key, each with its own file name
for k in RSA_TRAD RSA_PKCS8 ED25519 ECDSA; do
	eval "key=\$SME_TEST_KEY_$k"
	SME_UPLOAD_PASSPHRASE=$SME_TEST_KEY_PASS SME_UPLOAD_PASSWORD= \
	    sme-upload -i "$key" -K "$KH" "$S/upload/$tag/$k.bin" big.bin >out 2>err
	rc=$?
	cat out err >>all.out
	[ $rc -eq 0 ] && [ ! -s err ] && same big.bin "$D/$k.bin"
	ok $? "key $k: the file arrived intact (exit $rc)"
done
printf '%s\n' "$SME_TEST_KEY_PASS" >pass
check 'the passphrase from a file (-Q)' \
    'SME_UPLOAD_PASSWORD= ./up -Q pass -i "$SME_TEST_KEY_RSA_TRAD" -K "$KH" $S/upload/$tag/q.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/q.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
EOF

check 'hashed known_hosts' './up -K "$SME_TEST_KNOWN_HOSTS_HASHED" $S/upload/$tag/h.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/h.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
EOF

mkdir -p .ssh
cp "$KH" .ssh/known_hosts
check 'known_hosts from ~/.ssh' 'HOME=$T ./up $S/upload/$tag/home.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/home.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
EOF

check 'a pinned fingerprint (-H)' './up -H "$FP" $S/upload/$tag/pin.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/pin.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
EOF

check 'standard input named with -n' 'echo piped | ./up -K "$KH" -n in.txt $S/upload/$tag/' <<EOF
>>>
{"file":"-","url":"$R/upload/$tag/in.txt","bytes":6,"sha256":"$(echo piped | sha256sum | cut -d' ' -f1)","seconds":S}
EOF
[ "$(cat "$D/in.txt")" = piped ]
ok $? 'standard input arrived'

printf 'new\n' >a2.csv
ino=$(stat -c %i "$D/a.csv")
check 'an existing file is replaced' './up -K "$KH" $S/upload/$tag/a.csv a2.csv' <<EOF
>>>
{"file":"a2.csv","url":"$R/upload/$tag/a.csv","bytes":4,"sha256":"$(sum a2.csv)","seconds":S}
EOF
same a2.csv "$D/a.csv" && [ "$(stat -c %i "$D/a.csv")" != "$ino" ] && noparts "$D"
ok $? 'replaced by a rename (new inode), nothing left over'

check 'an absolute path' './up -m -K "$KH" $S/$D/abs/ a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/$D/abs/a.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
EOF
same a.csv "$D/abs/a.csv"
ok $? 'the file arrived in the absolute folder'

check '-R writes under the final name' './up -R -K "$KH" $S/upload/$tag/direct.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/direct.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
EOF
same a.csv "$D/direct.csv"
ok $? 'the -R upload arrived'

i=0
while [ $i -lt 40 ]; do
	echo "file $i" >"m$i.txt"
	i=$((i + 1))
done
before=$(grep -ac 'Accepted publickey for .* ECDSA' "$LOG")
SME_UPLOAD_PASSWORD= sme-upload -m -i "$SME_TEST_KEY_ECDSA" -K "$KH" $S/upload/$tag/many/ m*.txt >many.out 2>many.err
ok $? 'forty files in one run'
cat many.out many.err >>all.out
after=$(grep -ac 'Accepted publickey for .* ECDSA' "$LOG")
[ "$(ls "$D/many" | wc -l)" -eq 40 ] && [ "$(wc -l <many.out)" -eq 40 ] && [ $((after - before)) -eq 1 ]
ok $? "forty files, forty receipts, one login ($((after - before)))"

check '-k skips the host key check, loudly' './up -k $S/upload/$tag/k.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/k.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
>>>2
sme-upload: warning: -k: the host key of $R is not checked (ssh-ed25519 $FP)
EOF

: >empty_kh
check 'an unknown host key: exit 5 with the fingerprint' './up -K empty_kh $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: unknown host key ssh-ed25519 $FP (not in empty_kh for [127.0.0.1]:$SME_TEST_SFTP_PORT): check this fingerprint, then add the key to empty_kh or pin it with -H
>>>= 5
EOF

check 'no ~/.ssh/known_hosts: unknown host key' 'HOME=$T/none ./up $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: unknown host key ssh-ed25519 $FP (not in $T/none/.ssh/known_hosts for [127.0.0.1]:$SME_TEST_SFTP_PORT): check this fingerprint, then add the key to $T/none/.ssh/known_hosts or pin it with -H
>>>= 5
EOF

check 'a changed host key: exit 5' './up -K "$SME_TEST_KNOWN_HOSTS_CHANGED" $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: host key changed: the server shows ssh-ed25519 $FP, which $SME_TEST_KNOWN_HOSTS_CHANGED does not hold; if the change is expected, check the fingerprint and update $SME_TEST_KNOWN_HOSTS_CHANGED, else someone may be in the middle
>>>= 5
EOF

# ---- issue 6: known_hosts as OpenSSH reads it ------------------------------
KEY=$(cut -d' ' -f2- "$KH")
OKEY=$(cut -d' ' -f1-2 "$SME_TEST_SERVERS_DIR/keys/other_host_ed25519.pub")
P=$SME_TEST_SFTP_PORT
UNK="sme-upload: $R/upload/$tag/x.csv: unknown host key ssh-ed25519 $FP (not in kh for [127.0.0.1]:$P): check this fingerprint, then add the key to kh or pin it with -H"
# khok DESCRIPTION LINES: known_hosts made of LINES lets the upload through
khok() {
	printf '%s\n' "$2" >kh
	check "known_hosts: $1" './up -K kh $S/upload/$tag/k.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/k.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
EOF
}
# khno DESCRIPTION LINES: known_hosts made of LINES does not know the key
khno() {
	printf '%s\n' "$2" >kh
	check "known_hosts: $1" './up -K kh $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
$UNK
>>>= 5
EOF
}
khno 'a portless entry is for port 22 only' "127.0.0.1 $KEY"
khok '[host]:port' "[127.0.0.1]:$P $KEY"
khok 'a comma list' "other.invalid,[127.0.0.1]:$P $KEY"
khok 'wildcards * and ?' "[127.0.0.?]:$P $KEY"
khok 'a wildcard over the port' "[127.0.*]:* $KEY"
khno 'a negated pattern excludes the host' "[127.0.0.*]:$P,![127.0.0.1]:$P $KEY"
khno 'a negated pattern first excludes it too' "![127.0.0.1]:$P,[127.0.0.*]:$P $KEY"
khok 'a negated pattern for another host' "[127.0.0.*]:$P,![127.0.0.2]:$P $KEY"
khok 'names without regard to case; comments; junk lines skipped' "# a comment
junk
[127.0.0.1]:$P ssh-ed25519 not-base64
[127.0.0.1]:$P ssh-rsa ${KEY#ssh-ed25519 }
[127.0.0.1]:$P $KEY the server"
khno 'a wildcard that does not match' "[127.0.0.1?]:$P $KEY"
khno '@cert-authority lines are not supported: they trust nothing' "@cert-authority [127.0.0.1]:$P $KEY"
printf '%s\n' "[127.0.0.1]:$P $KEY" "@revoked * $KEY" >kh
check 'known_hosts: @revoked * applies to every host' './up -K kh $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: host key ssh-ed25519 $FP is marked @revoked in kh
>>>= 5
EOF
khok '@revoked for another host is not this one'"'"'s' "@revoked other.invalid $KEY
[127.0.0.1]:$P $KEY"
printf '%s\n' "[127.0.0.1]:$P $OKEY" >kh
check 'known_hosts: another key of the type: changed, exit 5' './up -K kh $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: host key changed: the server shows ssh-ed25519 $FP, which kh does not hold; if the change is expected, check the fingerprint and update kh, else someone may be in the middle
>>>= 5
EOF
khno 'the changed key of another port is not this one' "[127.0.0.1]:22 $OKEY"

{ printf '@revoked '; cut -d' ' -f1- "$KH"; } >revoked_kh
check 'a revoked host key: exit 5' './up -K revoked_kh $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: host key ssh-ed25519 $FP is marked @revoked in revoked_kh
>>>= 5
EOF

check 'another pinned fingerprint: exit 5' \
    './up -H SHA256:AAAAUJVMh/V59a5VCzAGTKsFH1td6rrBEzevzBAe504 $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: host key ssh-ed25519 $FP does not match the fingerprint given with -H
>>>= 5
EOF

check 'a known_hosts file that cannot be read' './up -K nosuch $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: cannot read known hosts file nosuch: No such file or directory
>>>= 6
EOF

check 'a wrong password: exit 5' 'SME_UPLOAD_PASSWORD=wrong ./up -K "$KH" $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: login refused for user $SME_TEST_SFTP_USER (password)
>>>= 5
EOF

check 'a wrong passphrase (OpenSSH ed25519 key)' \
    'SME_UPLOAD_PASSPHRASE=wrong ./up -i "$SME_TEST_KEY_ED25519" -K "$KH" $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: wrong passphrase for key file $SME_TEST_KEY_ED25519
>>>= 5
EOF

check 'a wrong passphrase (DES-EDE3-CBC RSA key)' \
    'SME_UPLOAD_PASSPHRASE=wrong ./up -i "$SME_TEST_KEY_RSA_TRAD" -K "$KH" $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: wrong passphrase for key file $SME_TEST_KEY_RSA_TRAD
>>>= 5
EOF

check 'an encrypted key without a passphrase' \
    './up -i "$SME_TEST_KEY_RSA_PKCS8" -K "$KH" $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: key file $SME_TEST_KEY_RSA_PKCS8 is encrypted: give its passphrase in SME_UPLOAD_PASSPHRASE or a file (-Q)
>>>= 2
EOF

cp "$SME_TEST_KEY_ECDSA" loose.key
chmod 644 loose.key
check 'a key file others can read' './up -i loose.key -K "$KH" $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: key file loose.key is open to others (mode 0644): chmod 600 loose.key
>>>= 5
EOF

check 'a key file that does not exist' './up -i nosuch.key -K "$KH" $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: cannot read key file nosuch.key: No such file or directory
>>>= 6
EOF

echo 'not a key' >notakey
chmod 600 notakey
check 'a key file without a key' './up -i notakey -K "$KH" $S/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/x.csv: key file notakey is not a private key (PEM or OpenSSH format)
>>>= 3
EOF

check 'a missing folder without -m' './up -K "$KH" $S/upload/$tag/nosuch/ a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag/nosuch/a.csv: folder upload/$tag/nosuch/ does not exist (-m creates it)
>>>= 4
EOF

check 'a missing folder with -m, two levels' './up -m -K "$KH" $S/upload/$tag/new/sub/ a.csv' <<EOF
>>>
{"file":"a.csv","url":"$R/upload/$tag/new/sub/a.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
EOF
same a.csv "$D/new/sub/a.csv"
ok $? 'the new folders hold the file'

check 'a file where the folder should be' './up -m -K "$KH" $S/notadir/x/ a.csv' <<EOF
>>>2
sme-upload: $R/notadir/x/a.csv: notadir is not a folder
>>>= 4
EOF

mkdir -p "$RO"	# owned by root: the SFTP user cannot write there
check 'no write permission' './up -K "$KH" $S/upload/$tag-ro/ a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag-ro/a.csv: no permission to create a file in upload/$tag-ro/
>>>= 4
EOF

check 'no permission to create a folder (-m)' './up -m -K "$KH" $S/upload/$tag-ro/sub/ a.csv' <<EOF
>>>2
sme-upload: $R/upload/$tag-ro/sub/a.csv: cannot create folder upload/$tag-ro/sub: permission denied
>>>= 4
EOF

# an sshd as OpenSSH ships it: no ssh-rsa signatures
P2=$((SME_TEST_SFTP_PORT + 100))
if listening $P2; then
	skip 'an RSA key refused by a stock sshd' "port $P2 is in use"
	skip 'an ed25519 key accepted by a stock sshd' "port $P2 is in use"
else
	sed -e "s/^Port .*/Port $P2/" -e "s|^PidFile .*|PidFile $T/sshd2.pid|" \
	    -e '/^PubkeyAcceptedAlgorithms/d' "$SME_TEST_SERVERS_DIR/etc/sshd_config" >sshd2.conf
	/usr/sbin/sshd -D -e -f "$T/sshd2.conf" >sshd2.log 2>&1 &
	pid2=$!
	i=0
	while ! listening $P2 && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	export P2
	check 'an RSA key refused by a stock sshd: what to do' \
	    'SME_UPLOAD_PASSPHRASE=$SME_TEST_KEY_PASS ./up -i "$SME_TEST_KEY_RSA_TRAD" -H "$FP" sftp://$SME_TEST_SFTP_USER@127.0.0.1:$P2/upload/$tag/x.csv a.csv' <<EOF
>>>2
sme-upload: sftp://127.0.0.1:$P2/upload/$tag/x.csv: the server refused the RSA key $SME_TEST_KEY_RSA_TRAD for user $SME_TEST_SFTP_USER: if the key is authorized there, the cause is that libssh2 1.10.0 signs with RSA only as ssh-rsa (SHA-1), which OpenSSH 8.8 and later refuse; use an ed25519 key (ssh-keygen -t ed25519), or a server that accepts ssh-rsa
>>>= 5
EOF
	check 'an ed25519 key accepted by a stock sshd' \
	    'SME_UPLOAD_PASSPHRASE=$SME_TEST_KEY_PASS ./up -i "$SME_TEST_KEY_ED25519" -H "$FP" sftp://$SME_TEST_SFTP_USER@127.0.0.1:$P2/upload/$tag/ed.csv a.csv' <<EOF
>>>
{"file":"a.csv","url":"sftp://127.0.0.1:$P2/upload/$tag/ed.csv","bytes":$n,"sha256":"$(sum a.csv)","seconds":S}
EOF
	kill $pid2
	wait $pid2 2>/dev/null
	pid2=
fi

[ "$(grep -c '"sha256"' all.out)" -ge 56 ] &&
    ! grep -F -e "$SME_TEST_SFTP_PASS" -e "$SME_TEST_KEY_PASS" all.out
ok $? 'no receipt or message of this run holds the password or the passphrase'

# the progress bar: drawn on a terminal (script(1) gives one), never into a file
head -c 100000000 /dev/zero >huge.bin
script -qec "sme-upload -m -K '$KH' $S/upload/$tag/tty/ huge.bin" /dev/null >tty.out 2>&1 </dev/null
tr '\r' '\n' <tty.out | grep -q '^huge\.bin  *[0-9]*% '
ok $? 'a progress bar on a terminal'
sme-upload -m -K "$KH" $S/upload/$tag/notty/ huge.bin >out 2>err
[ ! -s err ] && ! grep -q "$(printf '\r')" out
ok $? 'no progress bar when stderr is not a terminal'
rm -f huge.bin
done_testing
