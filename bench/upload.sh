#!/bin/sh
# sme: upload benchmark on 127.0.0.1: curl, OpenSSH sftp and sme-upload; licence in COPYING
#
#   sh bench/upload.sh
#
# Uploads one 100 MiB file, and 1,000 files of 20 KiB in one connection, over
# FTP, explicit FTPS, implicit FTPS and SFTP to the test servers of
# tests/servers.sh (started here, and stopped afterwards, when
# tests/run/servers.env is missing).  Peers: curl, OpenSSH sftp; ./sme-upload
# when it has been built.  Each row runs BENCH_RUNS times (default 5) and
# shows the minimum, median and maximum seconds (the rate is of the median);
# every run is checked on disk.  BENCH_PROTOS and BENCH_CASES pick rows.  sme/peer is the rate of sme-upload divided by
# the rate of that peer, for the same protocol and case: above 1, sme is faster.
# BENCH_SME_UPLOAD names another sme-upload binary to measure.  BENCH_RTT=20
# adds the SFTP rows of the big file again through bench/delay.py, a round
# trip of 20 ms (the proxy's own ceiling: its row with BENCH_RTT=0).  Exit 1
# when an sme-upload row failed.

LC_ALL=C
export LC_ALL
top=$(cd "$(dirname "$0")/.." && pwd -P) || exit 1
RUNS=${BENCH_RUNS:-5}
PROTOS=${BENCH_PROTOS:-ftp ftpes ftps sftp}	# e.g. BENCH_PROTOS=sftp
CASES=${BENCH_CASES:-big small}
SME=${BENCH_SME_UPLOAD:-$top/sme-upload}
RTT=${BENCH_RTT:-}	# e.g. BENCH_RTT=20 (ms)
BIG_MIB=100
NSMALL=1000
SMALL_KIB=20

started=
W=
DPID=
B=bench-$$	# the folder on the servers: concurrent runs do not meet
cleanup() {
	cd / || :
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null
	[ -n "$W" ] && rm -rf "$W"
	[ -n "${SME_TEST_FTP_ROOT:-}" ] && rm -rf "$SME_TEST_FTP_ROOT/upload/$B"
	[ -n "${SME_TEST_SFTP_ROOT:-}" ] && rm -rf "$SME_TEST_SFTP_ROOT/upload/$B"
	[ -n "$started" ] && sh "$top/tests/servers.sh" stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

if [ ! -f "$top/tests/run/servers.env" ]; then
	sh "$top/tests/servers.sh" start || exit 1
	started=1
elif ! sh "$top/tests/servers.sh" status >/dev/null; then
	sh "$top/tests/servers.sh" start || exit 1	# someone's; bring back what is down
fi
. "$top/tests/run/servers.env"
K=$SME_TEST_SERVERS_DIR/keys/bench_ed25519
[ -f "$K" ] || { echo "upload.sh: no $K: run sh tests/servers.sh start" >&2; exit 1; }

W=$(mktemp -d "${BENCH_OUT:-${TMPDIR:-/tmp}}/sme-bench.XXXXXX") || exit 1
echo "upload.sh: making $BIG_MIB MiB and $NSMALL x $SMALL_KIB KiB of random data in $W" >&2
head -c $((BIG_MIB * 1048576)) /dev/urandom >"$W/big.bin"
mkdir "$W/small"
head -c $((NSMALL * SMALL_KIB * 1024)) /dev/urandom >"$W/small.all"
(cd "$W/small" && split -b $((SMALL_KIB * 1024)) -a 3 -d ../small.all f)
[ "$(ls "$W/small" | wc -l)" -eq "$NSMALL" ] || { echo "upload.sh: split failed" >&2; exit 1; }
GLOB="{$(cd "$W/small" && ls | paste -sd, -)}"
printf 'machine 127.0.0.1 login %s password %s\n' "$SME_TEST_FTP_USER" "$SME_TEST_FTP_PASS" >"$W/netrc"
chmod 600 "$W/netrc"
echo "put $W/big.bin upload/$B/big.bin" >"$W/batch.big"
(cd "$W/small" && for f in f*; do echo "put $W/small/$f upload/$B/$f"; done) >"$W/batch.small"
FP=${SME_TEST_HOSTKEY_SHA256#SHA256:}
FTPU=$SME_TEST_FTP_USER@127.0.0.1
SFTPU=$SME_TEST_SFTP_USER@127.0.0.1
SP=$SME_TEST_SFTP_PORT	# the SFTP port: the server's, or the delaying proxy's
HK="-K $SME_TEST_KNOWN_HOSTS"

now() { date +%s.%N; }

# fresh PROTO: an empty upload/$B/ on the server side; prints the folder
fresh() {
	case $1 in
	sftp) _u=$SME_TEST_SFTP_USER _r=$SME_TEST_SFTP_ROOT ;;
	*) _u=$SME_TEST_FTP_USER _r=$SME_TEST_FTP_ROOT ;;
	esac
	rm -rf "$_r/upload/$B"
	mkdir "$_r/upload/$B" && chown "$_u:" "$_r/upload/$B"
	echo "$_r/upload/$B"
}

# arrived CASE DIR: the files are all there, byte for byte
arrived() {
	if [ "$1" = big ]; then
		cmp -s "$W/big.bin" "$2/big.bin"
	else
		[ "$(ls "$2" | wc -l)" -eq "$NSMALL" ] && cat "$2"/f* | cmp -s "$W/small.all" -
	fi
}

# files CASE: the local files of a case, for sme-upload
files() { if [ "$1" = big ]; then echo big.bin; else (cd "$W/small" && echo f*); fi; }

# upload TOOL PROTO CASE: one upload, from the folder of the case's files
upload() {
	if [ "$3" = big ]; then _src=big.bin _d=$W; else _src=$GLOB _d=$W/small; fi
	cd "$_d" || return 1
	case $1.$2 in
	curl.ftp) curl -sS --netrc-file "$W/netrc" -T "$_src" \
		"ftp://127.0.0.1:$SME_TEST_FTP_PORT/upload/$B/" ;;
	curl.ftpes) curl -sS --netrc-file "$W/netrc" --ssl-reqd --cacert "$SME_TEST_CA" -T "$_src" \
		"ftp://127.0.0.1:$SME_TEST_FTPES_PORT/upload/$B/" ;;
	curl.ftps) curl -sS --netrc-file "$W/netrc" --cacert "$SME_TEST_CA" -T "$_src" \
		"ftps://127.0.0.1:$SME_TEST_FTPS_PORT/upload/$B/" ;;
	curl.sftp) curl -sS -u "$SME_TEST_SFTP_USER:" --key "$K" --pubkey "$K.pub" \
		--hostpubsha256 "$FP" -T "$_src" "sftp://127.0.0.1:$SP/~/upload/$B/" ;;
	openssh.sftp) sftp -q -F /dev/null -b "$W/batch.$3" -i "$K" -P "$SP" \
		-o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes \
		-o HostKeyAlias="[127.0.0.1]:$SME_TEST_SFTP_PORT" \
		-o UserKnownHostsFile="$SME_TEST_KNOWN_HOSTS" "$SFTPU" >/dev/null ;;
	sme.ftp) SME_UPLOAD_PASSWORD=$SME_TEST_FTP_PASS "$SME" \
		"ftp://$FTPU:$SME_TEST_FTP_PORT/upload/$B/" $(files "$3") >"$W/receipts" ;;
	sme.ftpes) SME_UPLOAD_PASSWORD=$SME_TEST_FTP_PASS "$SME" -C "$SME_TEST_CA" \
		"ftpes://$FTPU:$SME_TEST_FTPES_PORT/upload/$B/" $(files "$3") >"$W/receipts" ;;
	sme.ftps) SME_UPLOAD_PASSWORD=$SME_TEST_FTP_PASS "$SME" -C "$SME_TEST_CA" \
		"ftps://$FTPU:$SME_TEST_FTPS_PORT/upload/$B/" $(files "$3") >"$W/receipts" ;;
	sme.sftp) "$SME" $HK -i "$K" \
		"sftp://$SFTPU:$SP/upload/$B/" $(files "$3") >"$W/receipts" ;;
	esac
}

# measure TOOL PROTO CASE [LABEL]: RUNS runs; min, median and max into
# results, under LABEL for PROTO
measure() {
	_times= _st=ok _n=0
	echo "upload.sh: $1 $2 $3" >&2
	while [ "$_n" -lt "$RUNS" ]; do
		_n=$((_n + 1))
		_dir=$(fresh "$2") || { _st="FAIL mkdir"; break; }
		_t0=$(now)
		upload "$1" "$2" "$3" 2>"$W/err"
		_rc=$?
		_t1=$(now)
		if [ "$_rc" -ne 0 ]; then
			_st="FAIL exit $_rc"
			echo "$1 $2 $3: $(tail -n 1 "$W/err")" >>"$W/notes"
			break
		fi
		if ! arrived "$3" "$_dir"; then
			_st="FAIL files differ"
			break
		fi
		if [ "$1" = sme ]; then
			_want=1
			[ "$3" = small ] && _want=$NSMALL
			if [ "$(wc -l <"$W/receipts")" -ne "$_want" ]; then
				_st="FAIL receipts"
				echo "$1 $2 $3: $(wc -l <"$W/receipts") receipt lines, want $_want" >>"$W/notes"
				break
			fi
		fi
		_times="$_times $(echo "$_t0 $_t1" | awk '{ printf "%.3f", $2 - $1 }')"
	done
	_mmm=$(echo $_times | tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 }
		END { if (NR == 0) print "-|-|-"; else printf "%s|%s|%s\n", v[1], v[int((NR + 1) / 2)], v[NR] }')
	echo "$1|${4:-$2}|$3|$_mmm|$_st" >>"$W/results"
}

: >"$W/results"
: >"$W/notes"
for p in $PROTOS; do
	for c in $CASES; do
		measure curl "$p" "$c"
		[ "$p" = sftp ] && measure openssh "$p" "$c"
		[ -x "$SME" ] && measure sme "$p" "$c"
	done
done
if [ -n "$RTT" ] && case " $PROTOS " in *" sftp "*) :;; *) false;; esac; then
	python3 "$top/bench/delay.py" 0 "$SME_TEST_SFTP_PORT" "$(awk -v r="$RTT" 'BEGIN { print r / 2 }')" \
		>"$W/delay" &
	DPID=$!
	_n=0
	until SP=$(awk '$1 == "ready" { print $2 }' "$W/delay") && [ -n "$SP" ]; do
		_n=$((_n + 1))
		[ "$_n" -lt 50 ] || { echo "upload.sh: bench/delay.py did not start" >&2; exit 1; }
		sleep 0.1
	done
	HK="-H $SME_TEST_HOSTKEY_SHA256"
	for t in curl openssh sme; do
		[ "$t" = sme ] && [ ! -x "$SME" ] && continue
		measure "$t" sftp big "sftp+${RTT}ms"
	done
fi

echo
echo "upload over 127.0.0.1, $RUNS runs each (min, median, max seconds; the rate and sme/peer" \
	"from the medians); $(nproc) CPUs; $(curl -V | head -n 1 | cut -d' ' -f1-2);" \
	"$(ssh -V 2>&1 | cut -d, -f1)"
[ -x "$SME" ] || echo "(no ./sme-upload: peers only; run make first)"
awk -F'|' -v mib="$BIG_MIB" -v n="$NSMALL" -v kib="$SMALL_KIB" '
	function rate(c, s) { return c == "big" ? mib / s : n / s }
	{ tool[NR] = $1; proto[NR] = $2; cs[NR] = $3; lo[NR] = $4; sec[NR] = $5; hi[NR] = $6
	  st[NR] = $7
	  if ($1 == "sme" && $7 == "ok") sme[$2, $3] = rate($3, $5) }
	END {
		printf "%-8s %-9s %-16s %7s %7s %7s %16s %8s\n", "tool", "proto", "case", "min",
			"median", "max", "rate", "sme/peer"
		for (i = 1; i <= NR; i++) {
			what = cs[i] == "big" ? mib " MiB file" : n " x " kib " KiB"
			if (st[i] != "ok") {
				printf "%-8s %-9s %-16s %7s %7s %7s %16s %8s  %s\n", tool[i], proto[i], what,
					"-", "-", "-", "-", "-", st[i]
				continue
			}
			r = rate(cs[i], sec[i])
			unit = cs[i] == "big" ? "MiB/s" : "files/s"
			ratio = "-"
			if (tool[i] != "sme" && (proto[i], cs[i]) in sme)
				ratio = sprintf("%.2f", sme[proto[i], cs[i]] / r)
			printf "%-8s %-9s %-16s %7.3f %7.3f %7.3f %8.1f %-7s %8s\n", tool[i], proto[i], what,
				lo[i], sec[i], hi[i], r, unit, ratio
		}
	}' "$W/results"
[ -s "$W/notes" ] && sed 's/^/note: /' "$W/notes"
case $(curl -V | head -n 1) in
*libcurl/7.88.*) echo "note: libcurl 7.88 sometimes waits 1 s (a poll timeout) before an FTP data" \
	"connection: many-file FTP rows vary from run to run, for curl and for anything built on libcurl" ;;
esac
# a failed peer row is the peer's business; a failed sme row is ours
! grep -q '^sme|.*|FAIL' "$W/results"
