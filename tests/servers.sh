#!/bin/sh
# sme: the loopback test servers (4 x vsftpd, OpenSSH sshd) for make check and the bench; licence in COPYING
#
#   sh tests/servers.sh start|stop|status
#   sh tests/servers.sh kill-ftp|kill-sftp|restart-ftp|restart-sftp
#
# Runs as root, binds 127.0.0.1 only, keeps everything under tests/run/servers/
# and writes tests/run/servers.env for tests/lib.sh.  start is idempotent: a
# server that already runs is left alone; started from nothing, the users'
# home folders are emptied.  stop kills what start started and removes
# servers.env.  kill-* kill a server and its sessions at once (mid-transfer
# tests), restart-* start it again.  Ports can be changed by setting the
# SME_TEST_*_PORT variables before start.

umask 022
LC_ALL=C
export LC_ALL
top=$(cd "$(dirname "$0")/.." && pwd -P) || exit 1
S=$top/tests/run/servers
ENVFILE=$top/tests/run/servers.env

FTP_PORT=${SME_TEST_FTP_PORT:-2121}
FTPES_PORT=${SME_TEST_FTPES_PORT:-2122}
FTPS_PORT=${SME_TEST_FTPS_PORT:-2990}
BADNAME_PORT=${SME_TEST_FTPES_BADNAME_PORT:-2123}
SFTP_PORT=${SME_TEST_SFTP_PORT:-2222}
FTP_USER=smeftp FTP_PASS=sme-ftp-pass
SFTP_USER=smesftp SFTP_PASS=sme-sftp-pass
KEY_PASS=sme-key-pass
FTP_HOME=$S/home/ftp
SFTP_HOME=$S/home/sftp
FTP_SERVERS="ftp ftpes ftps ftpes-badname"
WAIT=100	# tenths of a second to wait for a port or a process

die() { echo "servers.sh: $*" >&2; exit 1; }
note() { echo "servers.sh: $*" >&2; }
run() { "$@" >>"$S/log/setup.log" 2>&1 || die "failed: $* (see $S/log/setup.log)"; }

# listening PORT: something listens on TCP PORT (from /proc: no ss needed)
listening() {
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p="$(printf ':%04X' "$1")" '
		$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }'
}

# alive PID: PID runs and is not a zombie
alive() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
	_st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$_st" ] && [ "$_st" != Z ]
}

# tree PID: PID and all its descendants
tree() {
	cat /proc/[0-9]*/stat 2>/dev/null | sed 's/ (.*) / /' | awk -v root="$1" '
		{ parent[$1] = $3 }
		END {
			want[root] = 1
			do {
				more = 0
				for (p in parent)
					if (!(p in want) && (parent[p] in want)) { want[p] = 1; more = 1 }
			} while (more)
			for (p in want) print p
		}'
}

port_of() {
	case $1 in
	ftp) echo "$FTP_PORT" ;;
	ftpes) echo "$FTPES_PORT" ;;
	ftps) echo "$FTPS_PORT" ;;
	ftpes-badname) echo "$BADNAME_PORT" ;;
	sftp) echo "$SFTP_PORT" ;;
	esac
}

conf_of() {
	case $1 in
	sftp) echo "$S/etc/sshd_config" ;;
	*) echo "$S/etc/$1.conf" ;;
	esac
}

# pid_of NAME: the saved PID of server NAME if that server still runs
pid_of() {
	_p=$(cat "$S/pids/$1.pid" 2>/dev/null) || return 1
	alive "$_p" || return 1
	tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null | grep -qF "$(conf_of "$1")" || return 1
	echo "$_p"
}

# halt NAME SIGNAL: kill server NAME and its sessions, wait until they are gone
halt() {
	_p=$(pid_of "$1") || { rm -f "$S/pids/$1.pid"; return 0; }
	_all=$(tree "$_p")
	# shellcheck disable=SC2086
	kill -s "$2" $_all 2>/dev/null
	_i=0
	while [ "$_i" -lt "$WAIT" ]; do
		_left=
		for _q in $_all; do alive "$_q" && _left="$_left $_q"; done
		[ -z "$_left" ] && break
		[ "$_i" -eq 30 ] && kill -s KILL $_left 2>/dev/null
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -z "$_left" ] || die "$1: processes$_left do not go away"
	_i=0
	while listening "$(port_of "$1")" && [ "$_i" -lt "$WAIT" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	rm -f "$S/pids/$1.pid"
}

# launch NAME COMMAND...: start a server in its own session, wait for its port
launch() {
	_n=$1
	shift
	if _p=$(pid_of "$_n"); then
		return 0
	fi
	_port=$(port_of "$_n")
	listening "$_port" &&
		die "$_n: port 127.0.0.1:$_port is already in use (set SME_TEST_$(echo "$_n" |
			tr a-z- A-Z_)_PORT to another port, or stop what uses it)"
	setsid "$@" </dev/null >>"$S/log/$_n.out" 2>&1 9>&- &
	_p=$!
	echo "$_p" >"$S/pids/$_n.pid"
	_i=0
	until listening "$_port"; do
		if ! alive "$_p" || [ "$_i" -ge "$WAIT" ]; then
			tail -n 5 "$S/log/$_n.out" >&2
			die "$_n: did not start listening on 127.0.0.1:$_port (see $S/log/$_n.out)"
		fi
		sleep 0.05
		_i=$((_i + 1))
	done
	sleep 0.05
	alive "$_p" || die "$_n: exited after start (see $S/log/$_n.out)"
}

# runs_in DIR: a server started by the tests/servers.sh whose folder is DIR runs
runs_in() {
	for _n in $FTP_SERVERS sftp; do
		_p=$(cat "$1/pids/$_n.pid" 2>/dev/null) || continue
		alive "$_p" || continue
		case $_n in sftp) _c=$1/etc/sshd_config ;; *) _c=$1/etc/$_n.conf ;; esac
		tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null | grep -qF "$_c" && return 0
	done
	return 1
}

# user NAME HOME PASSWORD: a system user that can log in with PASSWORD.  The
# users are shared by every checkout on this machine: one whose home lies in
# another checkout whose servers run is not taken away from them.
user() {
	if ! id "$1" >/dev/null 2>&1; then
		run useradd -M -U -d "$2" -s /bin/bash -c "sme test user" "$1"
	fi
	_home=$(getent passwd "$1" | cut -d: -f6)
	if [ "$_home" != "$2" ] && runs_in "${_home%/home/*}"; then
		die "test user $1 belongs to the servers of another checkout, which run" \
			"(${_home%/home/*}): stop them first (sh ${_home%/tests/run/servers/home/*}/tests/servers.sh stop)"
	fi
	_cur=$(getent passwd "$1" | cut -d: -f6,7)
	[ "$_cur" = "$2:/bin/bash" ] || run usermod -d "$2" -s /bin/bash "$1"
	echo "$1:$3" | chpasswd || die "chpasswd $1 failed"
	run usermod -U -e '' "$1"
}

# home USER DIR: a fresh home folder with upload/ and a file notadir
home() {
	mkdir -p "$2"
	find "$2" -mindepth 1 -delete
	mkdir "$2/upload"
	echo "this is a file, not a folder" >"$2/notadir"
	chown -R "$1:" "$2"
	chmod 755 "$2" "$2/upload"
}

# reach USER DIR: make sure USER can get to DIR (a clone under /root is 0700)
reach() {
	runuser -u "$1" -- test -w "$2" && return 0
	_d=$2
	while [ "$_d" != / ]; do
		_d=$(dirname "$_d")
		case $(stat -c %A "$_d") in
		*[xt]) ;;
		*)	note "chmod o+x $_d so that test user $1 can reach its home"
			chmod o+x "$_d" ;;
		esac
	done
	runuser -u "$1" -- test -w "$2" || die "test user $1 cannot write to $2"
}

# leaf NAME SUBJECT SAN: a server certificate signed by the test CA
leaf() {
	run openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2"
	printf '%s\n' 'basicConstraints=critical,CA:FALSE' \
		'keyUsage=critical,digitalSignature,keyEncipherment' \
		'extendedKeyUsage=serverAuth' "subjectAltName=$3" >"$1.ext"
	run openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
		-days 825 -sha256 -extfile "$1.ext" -out "$1.pem"
	chmod 600 "$1.key"
}

pki() {
	[ -f "$S/pki/.done" ] &&
		openssl x509 -checkend 86400 -noout -in "$S/pki/server.pem" >/dev/null 2>&1 &&
		return 0
	rm -rf "$S/pki"
	mkdir -p "$S/pki"
	cd "$S/pki" || exit 1
	for _ca in ca:"sme test CA" badca:"sme untrusted test CA"; do
		run openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
			-keyout "${_ca%%:*}.key" -out "${_ca%%:*}.pem" -subj "/CN=${_ca#*:}" \
			-addext basicConstraints=critical,CA:TRUE \
			-addext keyUsage=critical,keyCertSign,cRLSign
	done
	leaf server /CN=127.0.0.1 IP:127.0.0.1,DNS:localhost
	leaf otherhost /CN=otherhost.invalid DNS:otherhost.invalid
	chmod 600 ./*.key
	touch .done
	cd / || exit 1
}

keys() {
	[ -f "$S/keys/.done" ] && return 0
	rm -rf "$S/keys"
	mkdir -p "$S/keys"
	cd "$S/keys" || exit 1
	# the product's recipe: a traditional PEM RSA key encrypted with DES-EDE3-CBC
	run openssl genrsa -out rsa_plain.pem 2048
	run openssl rsa -in rsa_plain.pem -DES-EDE3-CBC -traditional \
		-passout "pass:$KEY_PASS" -out rsa_trad.pem
	ssh-keygen -y -f rsa_plain.pem >rsa_trad.pem.pub || die "ssh-keygen -y failed"
	run openssl genrsa -out rsa2.pem 2048
	run openssl pkcs8 -topk8 -v2 aes-256-cbc -in rsa2.pem \
		-passout "pass:$KEY_PASS" -out rsa_pkcs8.pem
	ssh-keygen -y -f rsa2.pem >rsa_pkcs8.pem.pub || die "ssh-keygen -y failed"
	rm -f rsa2.pem
	run ssh-keygen -q -t ed25519 -N "$KEY_PASS" -C sme-test-ed25519 -f ed25519
	run ssh-keygen -q -t ecdsa -b 256 -m PEM -N '' -C sme-test-ecdsa -f ecdsa
	run ssh-keygen -q -t ed25519 -N '' -C sme-bench -f bench_ed25519
	run ssh-keygen -q -t ed25519 -N '' -C sme-test-host -f host_ed25519
	run ssh-keygen -q -t ed25519 -N '' -C sme-other-host -f other_host_ed25519
	chmod 600 rsa_plain.pem rsa_trad.pem rsa_pkcs8.pem ed25519 ecdsa bench_ed25519 \
		host_ed25519 other_host_ed25519
	touch .done
	cd / || exit 1
}

# ssh_files: authorized keys, known_hosts variants and the fingerprint
ssh_files() {
	K=$S/keys
	mkdir -p "$S/auth"
	cat "$K/rsa_trad.pem.pub" "$K/rsa_pkcs8.pem.pub" "$K/ed25519.pub" "$K/ecdsa.pub" \
		"$K/bench_ed25519.pub" >"$S/auth/$SFTP_USER.tmp"
	chmod 644 "$S/auth/$SFTP_USER.tmp"
	mv -f "$S/auth/$SFTP_USER.tmp" "$S/auth/$SFTP_USER"
	chmod 755 "$S/auth"
	echo "[127.0.0.1]:$SFTP_PORT $(cut -d' ' -f1,2 "$K/host_ed25519.pub")" >"$K/known_hosts"
	echo "[127.0.0.1]:$SFTP_PORT $(cut -d' ' -f1,2 "$K/other_host_ed25519.pub")" \
		>"$K/known_hosts_changed"
	cp "$K/known_hosts" "$K/known_hosts_hashed"
	run ssh-keygen -q -H -f "$K/known_hosts_hashed"
	rm -f "$K/known_hosts_hashed.old"
	chmod 644 "$K/known_hosts" "$K/known_hosts_hashed" "$K/known_hosts_changed"
	HOSTKEY_SHA256=$(ssh-keygen -l -E sha256 -f "$K/host_ed25519.pub" | awk '{ print $2 }')
	case $HOSTKEY_SHA256 in SHA256:?*) ;; *) die "no host key fingerprint" ;; esac
}

# vsftpd_conf NAME PORT PASVMIN [CERT]: a vsftpd configuration, TLS if CERT given
vsftpd_conf() {
	{
		cat <<EOF
# written by tests/servers.sh; edits are lost
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$2
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
chroot_local_user=NO
pam_service_name=vsftpd
secure_chroot_dir=$S/empty
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=$3
pasv_max_port=$(($3 + 99))
port_enable=YES
connect_from_port_20=NO
seccomp_sandbox=NO
dirmessage_enable=NO
ftpd_banner=sme test server $1
xferlog_enable=YES
xferlog_std_format=NO
log_ftp_protocol=YES
vsftpd_log_file=$S/log/$1.log
EOF
		[ -n "${4:-}" ] && cat <<EOF
ssl_enable=YES
rsa_cert_file=$S/pki/$4.pem
rsa_private_key_file=$S/pki/$4.key
allow_anon_ssl=NO
force_local_logins_ssl=YES
force_local_data_ssl=YES
ssl_sslv2=NO
ssl_sslv3=NO
ssl_tlsv1=YES
ssl_ciphers=HIGH
EOF
		[ "$1" = ftps ] && echo implicit_ssl=YES
	} >"$S/etc/$1.conf.tmp"
	chown root:root "$S/etc/$1.conf.tmp"
	chmod 644 "$S/etc/$1.conf.tmp"
	mv -f "$S/etc/$1.conf.tmp" "$S/etc/$1.conf"
}

configs() {
	mkdir -p "$S/etc" "$S/empty"
	chown root:root "$S/empty"
	chmod 755 "$S/empty"
	vsftpd_conf ftp "$FTP_PORT" 30000
	vsftpd_conf ftpes "$FTPES_PORT" 30100 server
	vsftpd_conf ftps "$FTPS_PORT" 30200 server
	vsftpd_conf ftpes-badname "$BADNAME_PORT" 30300 otherhost
	# vsftpd 3.0.3 over TLS 1.3 fails now and then with 426: hold it to TLS 1.2
	cat >"$S/etc/openssl-tls12.cnf" <<EOF
openssl_conf = default_conf
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MaxProtocol = TLSv1.2
EOF
	cat >"$S/etc/sshd_config" <<EOF
# written by tests/servers.sh; edits are lost
Port $SFTP_PORT
ListenAddress 127.0.0.1
HostKey $S/keys/host_ed25519
PidFile $S/run/sshd.pid
AuthorizedKeysFile $S/auth/%u
StrictModes no
UsePAM no
UseDNS no
PasswordAuthentication yes
PermitEmptyPasswords no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PubkeyAcceptedAlgorithms +ssh-rsa
PermitRootLogin no
AllowUsers $SFTP_USER
MaxAuthTries 10
MaxStartups 100:30:200
LoginGraceTime 30
PrintMotd no
LogLevel VERBOSE
Subsystem sftp internal-sftp
EOF
	mkdir -p /run/sshd "$S/run"
	chmod 755 /run/sshd
	/usr/sbin/sshd -t -f "$S/etc/sshd_config" >>"$S/log/setup.log" 2>&1 ||
		die "sshd_config is not valid (see $S/log/setup.log)"
}

envfile() {
	cat >"$ENVFILE.tmp" <<EOF
# written by tests/servers.sh start; removed by stop
export SME_TEST_FTP_PORT='$FTP_PORT'
export SME_TEST_FTPES_PORT='$FTPES_PORT'
export SME_TEST_FTPS_PORT='$FTPS_PORT'
export SME_TEST_FTPES_BADNAME_PORT='$BADNAME_PORT'
export SME_TEST_SFTP_PORT='$SFTP_PORT'
export SME_TEST_FTP_USER='$FTP_USER'
export SME_TEST_FTP_PASS='$FTP_PASS'
export SME_TEST_FTP_ROOT='$FTP_HOME'
export SME_TEST_SFTP_USER='$SFTP_USER'
export SME_TEST_SFTP_PASS='$SFTP_PASS'
export SME_TEST_SFTP_ROOT='$SFTP_HOME'
export SME_TEST_CA='$S/pki/ca.pem'
export SME_TEST_BADCA='$S/pki/badca.pem'
export SME_TEST_KEY_RSA_TRAD='$S/keys/rsa_trad.pem'
export SME_TEST_KEY_RSA_PKCS8='$S/keys/rsa_pkcs8.pem'
export SME_TEST_KEY_ED25519='$S/keys/ed25519'
export SME_TEST_KEY_ECDSA='$S/keys/ecdsa'
export SME_TEST_KEY_PASS='$KEY_PASS'
export SME_TEST_KNOWN_HOSTS='$S/keys/known_hosts'
export SME_TEST_KNOWN_HOSTS_HASHED='$S/keys/known_hosts_hashed'
export SME_TEST_KNOWN_HOSTS_CHANGED='$S/keys/known_hosts_changed'
export SME_TEST_HOSTKEY_SHA256='$HOSTKEY_SHA256'
export SME_TEST_SERVERS_DIR='$S'
EOF
	mv -f "$ENVFILE.tmp" "$ENVFILE"
}

start_ftp() {
	launch ftp /usr/sbin/vsftpd "$S/etc/ftp.conf"
	for _n in ftpes ftps ftpes-badname; do
		launch "$_n" env OPENSSL_CONF="$S/etc/openssl-tls12.cnf" \
			/usr/sbin/vsftpd "$S/etc/$_n.conf"
	done
}

start_sftp() {
	launch sftp /usr/sbin/sshd -D -e -f "$S/etc/sshd_config"
}

start() {
	[ "$(id -u)" -eq 0 ] || die "start needs root (system users, vsftpd, sshd)"
	for _b in /usr/sbin/vsftpd /usr/sbin/sshd; do
		[ -x "$_b" ] || die "$_b is missing: run sh tests/deps.sh as root"
	done
	for _b in openssl ssh-keygen chpasswd useradd runuser setsid; do
		command -v "$_b" >/dev/null || die "$_b is missing: run sh tests/deps.sh as root"
	done
	mkdir -p "$S/log" "$S/pids" "$S/home"
	chmod 755 "$top/tests/run" "$S" "$S/home"
	: >"$S/log/setup.log"
	_running=
	for _n in $FTP_SERVERS sftp; do
		pid_of "$_n" >/dev/null && _running="$_running $_n"
	done
	user "$FTP_USER" "$FTP_HOME" "$FTP_PASS"
	user "$SFTP_USER" "$SFTP_HOME" "$SFTP_PASS"
	pki
	keys
	ssh_files
	configs
	if [ -z "$_running" ] || [ ! -d "$FTP_HOME/upload" ] || [ ! -d "$SFTP_HOME/upload" ]; then
		home "$FTP_USER" "$FTP_HOME"
		home "$SFTP_USER" "$SFTP_HOME"
	fi
	reach "$FTP_USER" "$FTP_HOME/upload"
	reach "$SFTP_USER" "$SFTP_HOME/upload"
	runuser -u "$SFTP_USER" -- test -r "$S/auth/$SFTP_USER" ||
		die "test user $SFTP_USER cannot read $S/auth/$SFTP_USER"
	start_ftp
	start_sftp
	envfile
}

stop() {
	for _n in $FTP_SERVERS sftp; do
		halt "$_n" TERM
	done
	rm -f "$ENVFILE"
}

status() {
	_rc=0
	for _n in $FTP_SERVERS sftp; do
		_port=$(port_of "$_n")
		if _p=$(pid_of "$_n"); then
			if listening "$_port"; then
				echo "$_n: running, pid $_p, 127.0.0.1:$_port"
			else
				echo "$_n: pid $_p runs but 127.0.0.1:$_port does not listen"
				_rc=1
			fi
		else
			echo "$_n: stopped"
			_rc=1
		fi
	done
	[ -f "$ENVFILE" ] && echo "env: $ENVFILE" || echo "env: none"
	return "$_rc"
}

[ "$(id -u)" -eq 0 ] || case ${1:-} in status) ;; *) die "${1:-start} needs root" ;; esac
# one start, stop, kill or restart at a time (servers must not inherit the lock);
# status only looks
if [ "${1:-}" != status ]; then
	mkdir -p "$S/log" "$S/pids" || exit 1
	exec 9>"$S/.lock" || exit 1
	flock -w 60 9 || die "another tests/servers.sh holds $S/.lock"
fi
case ${1:-} in
start) start ;;
stop) stop ;;
status) status ;;
kill-ftp) for n in $FTP_SERVERS; do halt "$n" KILL; done ;;
kill-sftp) halt sftp KILL ;;
restart-ftp) for n in $FTP_SERVERS; do halt "$n" TERM; done; start_ftp ;;
restart-sftp) halt sftp TERM; start_sftp ;;
*) echo "usage: sh tests/servers.sh start|stop|status|kill-ftp|kill-sftp|restart-ftp|restart-sftp" >&2
   exit 2 ;;
esac
