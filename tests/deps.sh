#!/bin/sh
# sme: install the Debian packages that the build and the tests need; licence in COPYING
# As root, missing packages are installed; otherwise the apt-get line is printed.
PKGS="gcc make pkg-config libcurl4-openssl-dev libssh2-1-dev libssl-dev libjansson-dev
 vsftpd openssh-server openssh-sftp-server openssl curl tzdata mandoc perl python3
 jq miller time clang gnumeric"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
line="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "sme: missing packages; as root run: apt-get update && $line" >&2
	exit 1
fi
# packages must not start vsftpd or sshd on all addresses when installed
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
echo "sme: installing:$missing" >&2
apt-get update -qq && DEBIAN_FRONTEND=noninteractive $line -qq >/dev/null
