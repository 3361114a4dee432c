# sme tests: TAP helpers sourced by every tests/NNNN-name.t; licence in COPYING
#
#   check 'what it tests' 'command' <<'EOF'
#   input lines (stdin of the command)
#   >>>
#   expected stdout
#   >>>2
#   expected stderr
#   >>>= 3
#   EOF
#
# A section that is left out must be empty (exit status: 0).  The command
# runs with sh -c in a fresh directory $T with the programs first on PATH.

LC_ALL=C
export LC_ALL
unset TZ SME_API_KEY SME_USER SME_PASSWORD SME_UPLOAD_PASSWORD SME_UPLOAD_PASSPHRASE
# peers such as curl must not go through a proxy of the machine
unset http_proxy https_proxy ftp_proxy ftps_proxy all_proxy no_proxy \
    HTTP_PROXY HTTPS_PROXY FTP_PROXY ALL_PROXY NO_PROXY
top=$(cd "$(dirname "$0")/.." && pwd)
PATH="$top:$PATH"
export PATH top
T=$(mktemp -d "${TMPDIR:-/tmp}/sme-test.XXXXXX")
TMPDIR=$T
export TMPDIR T
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
[ -f "$top/tests/run/servers.env" ] && . "$top/tests/run/servers.env"

ntest=0
nfail=0

plan() { echo "1..$1"; }

ok() {	# ok CONDITION-STATUS DESCRIPTION
	ntest=$((ntest + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $ntest - $2"
	else
		echo "not ok $ntest - $2"
		nfail=$((nfail + 1))
	fi
}

skip() {	# skip DESCRIPTION REASON: a test that cannot run here
	ntest=$((ntest + 1))
	echo "ok $ntest - $1 # SKIP $2"
}

check() {	# check DESCRIPTION COMMAND, heredoc on stdin
	_d=$1 _c=$2
	awk -v dir="$T" '
		BEGIN { f = dir "/.in"; printf "" > (dir "/.in"); printf "" > (dir "/.out");
			printf "" > (dir "/.err"); print 0 > (dir "/.rc"); close(dir "/.rc") }
		/^>>>2$/ { f = dir "/.err"; next }
		/^>>>=/ { sub(/^>>>= */, ""); print > (dir "/.rc"); next }
		/^>>>$/ { f = dir "/.out"; next }
		{ print > f }' || exit 1
	(sh -c "$_c") <"$T/.in" >"$T/.gotout" 2>"$T/.goterr"
	_rc=$?
	_want=$(cat "$T/.rc")
	_bad=
	diff -u "$T/.out" "$T/.gotout" >"$T/.diff" 2>&1 || _bad="stdout"
	diff -u "$T/.err" "$T/.goterr" >>"$T/.diff" 2>&1 || _bad="$_bad stderr"
	[ "$_rc" = "$_want" ] || _bad="$_bad exit $_rc (want $_want)"
	if [ -z "$_bad" ]; then
		ok 0 "$_d"
	else
		ok 1 "$_d"
		echo "# $_c: $_bad" | sed 's/^/# /'
		sed 's/^/#   /' "$T/.diff"
	fi
}

done_testing() {
	echo "1..$ntest"
	[ "$nfail" -eq 0 ]
}
