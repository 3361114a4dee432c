#!/bin/sh
# sme bench: sme-mscons (2.2e, 2.4a) and sme-ise -k profile on a year of 15-minute values; licence in COPYING
#
#   sh bench/formats.sh     (bench/run.sh calls it)
#
# BENCH_POINTS (100) metering points x BENCH_QUARTERS (35040, a year) x 2
# codes = 7,008,000 interval records, made by bench/genprofile.c.  Each
# command reads the file once into /dev/null and once into a regular file
# (MSCONS completes its header in place there); wall time around it, peak
# RSS from /usr/bin/time.  Memory is bounded by one message when it stays
# flat on a tenth of the points and on one point over ten years.
LC_ALL=C
export LC_ALL
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/bench
out=${BENCH_OUT:-$b/out}
points=${BENCH_POINTS:-100}
quarters=${BENCH_QUARTERS:-35040}
mkdir -p "$out" || exit 6
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 6; }
${CC:-cc} -O2 -o "$b/genprofile" "$b/genprofile.c" || { echo "bench: cannot build bench/genprofile" >&2; exit 6; }
for p in sme-mscons sme-ise sme-obis; do
	[ -x "$top/$p" ] || { echo "bench: $p is not built: run make first" >&2; exit 6; }
done

S='-s 9900000000001 -R 9900000000002'
# the floor: the record parser alone (sme-obis keeping no code writes nothing)
CMDS="parse only|$top/sme-obis -k 0.0.0
sme-mscons 2.2e|$top/sme-mscons -r 2.2e $S
sme-mscons 2.4a|$top/sme-mscons -r 2.4a $S
sme-ise -k profile|$top/sme-ise -k profile"

run() {	# run INPUT OUTPUT COMMAND: sets wall (ns), rss (KB), cpu (s: user + system), rc
	_t0=$(date +%s%N)
	/usr/bin/time -f '%M %U %S' -o "$out/time" sh -c "exec $3" <"$1" >"$2" 2>"$out/stderr"
	rc=$?
	_t1=$(date +%s%N)
	wall=$((_t1 - _t0))
	set -- $(tail -n 1 "$out/time")
	rss=$1
	cpu=$(echo "$2 $3" | awk '{ print $1 + $2 }')
}

data=$out/profile.jsonl
"$b/genprofile" -m "$points" -q "$quarters" >"$data" || { echo "bench: cannot write $data" >&2; exit 6; }
n=$(($(wc -l <"$data")))
bytes=$(($(wc -c <"$data")))
small=$out/profile-small.jsonl
"$b/genprofile" -m $(((points + 9) / 10)) -q "$quarters" >"$small" || exit 6
long=$out/profile-long.jsonl
"$b/genprofile" -m 1 -q $((quarters * 10)) >"$long" || exit 6

echo
echo "formats: $n interval records ($points metering points x $quarters quarter-hours x 2 codes), $bytes bytes, one run each"
echo "(records/s: of wall time; CPU rec/s: of user + system time, which other load on the machine does not lower)"
printf '%-20s %-10s %12s %12s %8s %12s %12s %12s\n' tool into records/s "CPU rec/s" MB/s "peak RSS MB" "1/10 points" "1 pt x 10 y"
printf '%-20s %-10s %12s %12s %8s %12s %12s %12s\n' ---- ---- --------- --------- ---- ----------- ----------- -----------
verdict=
oldifs=$IFS
IFS='
'
for line in $CMDS; do
	IFS=$oldifs
	label=${line%%|*} cmd=${line#*|}
	for into in /dev/null file; do
		o=/dev/null
		[ "$into" = file ] && o=$out/formats.out
		run "$data" "$o" "$cmd"
		# the baseline: sme-obis parses every record and -k drops them all, which is exit 3
		[ "$label" = "parse only" ] && [ "$rc" -eq 3 ] && grep -q 'dropped by -k' "$out/stderr" && rc=0
		if [ "$rc" -ne 0 ]; then
			printf '%-20s %-10s  failed (exit %s): %s\n' "$label" "$into" "$rc" "$(head -n 1 "$out/stderr")"
			verdict="$verdict
$label: NOT MET (failed)"
			continue
		fi
		w=$wall r=$rss c=$cpu
		run "$small" "$o" "$cmd"
		rs=$rss
		run "$long" "$o" "$cmd"
		rl=$rss
		line=$(awk -v n="$n" -v b="$bytes" -v w="$w" -v c="$c" -v r="$r" -v rs="$rs" -v rl="$rl" \
		    -v l="$label" -v i="$into" 'BEGIN {
			w /= 1e9
			rate = n / w
			mb = b / 1e6 / w
			crate = c > 0 ? n / c : 0
			printf "%-20s %-10s %12.0f %12.0f %8.1f %12.1f %12.1f %12.1f", l, i, rate, crate, mb,
			    r / 1024, rs / 1024, rl / 1024
			flat = ((r <= rs * 1.2 + 1024) && (rl <= rs * 1.2 + 1024))
			printf "|%s: speed %s (%.2fM records/s into %s, %.2fM per CPU second); memory %s", l,
			    (rate >= 2000000 ? "met" : "NOT MET"), rate / 1e6, i, crate / 1e6,
			    (flat ? "met (flat: bounded by one message)" : "NOT MET (grows with the input)")
		}')
		echo "${line%%|*}"
		[ "$label" = "parse only" ] && break
		verdict="$verdict
${line#*|}"
	done
	IFS='
'
done
IFS=$oldifs
echo
echo "targets: >= 2000000 records/s; peak RSS bounded by one message (flat on 1/10 of the points and on one point over 10 years)$verdict"
rm -f "$out/formats.out" "$small" "$long"
[ -n "$BENCH_KEEP" ] || rm -f "$data"
