#!/bin/sh
# sme: install the Debian packages that the build and the tests need; licence in COPYING
# As root, missing packages are installed; otherwise the apt-get line is printed.
PKGS="gcc make pkg-config libcurl4-openssl-dev libssh2-1-dev libssl-dev libjansson-dev
 vsftpd openssh-server openssh-sftp-server openssl curl tzdata mandoc perl python3
 jq miller time clang gnumeric libreoffice-calc-nogui"
# sme-mscons tests: an independent EDIFACT parser (npm edifact) and the
# UN D.04B directory as CSV (libbusiness-edi-perl); a node from elsewhere
# (nodesource) brings its own npm, which Debian's npm package would clash with
PKGS="$PKGS nodejs libbusiness-edi-perl"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
top=$(cd "$(dirname "$0")/.." && pwd)

# npm edifact in tests/run/node (git-ignored), and the D.04B definitions
# generated from the Debian CSVs, for tests/edifact-check.js
nodedeps() {
	n=$top/tests/run/node
	data=/usr/share/perl5/Business/EDI/data/edifact
	mkdir -p "$n" || exit 1
	if ! cmp -s "$top/tests/package-lock.json" "$n/package-lock.json" ||
	    [ ! -f "$n/node_modules/edifact/package.json" ]; then
		echo "sme: installing the npm package edifact into tests/run/node" >&2
		cp "$top/tests/package.json" "$top/tests/package-lock.json" "$n/" &&
		    (cd "$n" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || {
			echo "sme: npm ci in tests/run/node failed" >&2
			rm -f "$n/package-lock.json"
			exit 1
		}
	fi
	if [ ! -f "$n/d04b.json" ] || [ "$top/tests/edifact-defs.js" -nt "$n/d04b.json" ]; then
		node "$top/tests/edifact-defs.js" "$data" "$n/d04b.json" || {
			echo "sme: cannot generate the D.04B definitions from $data" >&2
			exit 1
		}
	fi
}
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	nodedeps
	exit 0
fi
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
apt-get update -qq && DEBIAN_FRONTEND=noninteractive $line -qq >/dev/null || exit 1
nodedeps
