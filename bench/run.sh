#!/bin/sh
# sme bench: throughput and peak memory of the sme stages beside peer tools; licence in COPYING
#
#   sh bench/run.sh [ARGS]    (ARGS go to bench/upload.sh when it exists)
#
# BENCH_METERS, BENCH_QUARTERS: the data set (100 x 1000 x 10 codes);
# BENCH_RUNS: runs per command, the best one counts (3);
# BENCH_BIG: factor of the memory run's input (10; 0 skips it).
LC_ALL=C
export LC_ALL
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/bench
out=$b/out
meters=${BENCH_METERS:-100}
quarters=${BENCH_QUARTERS:-1000}
runs=${BENCH_RUNS:-3}
big=${BENCH_BIG:-10}
# a peer run longer than this (ns) is not repeated
slow=5000000000

mkdir -p "$out" || exit 6
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 6; }
${CC:-cc} -O2 -o "$b/gen" "$b/gen.c" || { echo "bench: cannot build bench/gen" >&2; exit 6; }

gen() {	# gen FILE METERS QUARTERS: writes the data set, sets nrec and bytes
	"$b/gen" -m "$2" -q "$3" >"$1" || { echo "bench: cannot write $1" >&2; exit 6; }
	nrec=$(($(wc -l <"$1")))
	bytes=$(($(wc -c <"$1")))
}

measure() {	# measure RUNS INPUT COMMAND [peer]: sets wall (ns), rss (KB), rc, err
	_i=0 wall='' rss=0 rc=0 err=''
	while [ "$_i" -lt "$1" ]; do
		_i=$((_i + 1))
		_t0=$(date +%s%N)
		/usr/bin/time -f '%M' -o "$out/time" sh -c "$3" <"$2" >/dev/null 2>"$out/stderr"
		rc=$?
		_t1=$(date +%s%N)
		if [ "$rc" -ne 0 ]; then
			err=$(head -n 1 "$out/stderr")
			return
		fi
		_w=$((_t1 - _t0))
		_r=$(tail -n 1 "$out/time")
		if [ -z "$wall" ] || [ "$_w" -lt "$wall" ]; then wall=$_w; fi
		if [ "$_r" -gt "$rss" ]; then rss=$_r; fi
		if [ "$4" = peer ] && [ "$_w" -gt "$slow" ]; then break; fi
	done
}

row() {	# row STAGE TOOL: prints the last measure
	if [ "$rc" -ne 0 ]; then
		printf '%-12s %-18s  failed (exit %s): %s\n' "$1" "$2" "$rc" "$err"
		return
	fi
	awk -v s="$1" -v t="$2" -v n="$nrec" -v b="$bytes" -v w="$wall" -v r="$rss" 'BEGIN {
		w /= 1e9
		printf "%-12s %-18s %12.0f %8.1f %12.1f\n", s, t, n / w, b / 1e6 / w, r / 1024 }'
}

header() {
	printf '%-12s %-18s %12s %8s %12s\n' stage tool records/s MB/s "peak RSS MB"
	printf '%-12s %-18s %12s %8s %12s\n' ----- ---- --------- ---- -----------
}

# SME: the sme stages (name, label, command); PEERS: stage, label, command
SME="map|sme-obis -t csv|$top/sme-obis -t csv
profile|sme-obis -p|$top/sme-obis -p
csv|sme-csv|$top/sme-csv"
PEERS="floor|cat|cat
map|jq select|jq -c 'select(.obis==\"1-0:1.8.0*255\")'
map|jq rewrite|jq -c '.obis |= sub(\"^1-0\";\"1-1\")'
map|mlr put|mlr --ijsonl --ojsonl put '\$obis = sub(\$obis, \"^1-0\", \"1-1\")'
profile|mlr step|mlr --ijsonl --ojsonl step -a delta -f value -g meter,obis
csv|mlr csv|mlr --ijsonl --ocsv cat
csv|mlr reshape|mlr --ijsonl --ocsv cut -x -f mpid,unit then reshape -s obis,value"

small=$out/records.jsonl
gen "$small" "$meters" "$quarters"
echo "sme bench: $nrec records ($meters meters x $quarters quarter-hours x 10 codes), $bytes bytes, $(nproc) CPUs"
echo "best of $runs runs (a peer run over $((slow / 1000000000)) s is not repeated); input from the file, output to /dev/null"
echo
header
: >"$out/sme.tsv"
built=0
oldifs=$IFS
for stage in floor map profile csv; do
	IFS='
'
	for line in $SME; do
		IFS=$oldifs
		s=${line%%|*} rest=${line#*|}
		label=${rest%%|*} cmd=${rest#*|}
		[ "$s" = "$stage" ] || continue
		prog=${label%% *}
		if [ ! -x "$top/$prog" ]; then
			printf '%-12s %-18s  not built\n' "$s" "$label"
			continue
		fi
		built=1
		measure "$runs" "$small" "$cmd"
		row "$s" "$label"
		if [ "$rc" -eq 0 ]; then
			printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$cmd" "$wall" "$rss" "$nrec" >>"$out/sme.tsv"
		else
			printf '%s\t%s\tfailed\t0\t0\n' "$label" "$cmd" >>"$out/sme.tsv"
		fi
	done
	IFS='
'
	for line in $PEERS; do
		IFS=$oldifs
		s=${line%%|*} rest=${line#*|}
		label=${rest%%|*} cmd=${rest#*|}
		[ "$s" = "$stage" ] || continue
		if ! command -v "${cmd%% *}" >/dev/null 2>&1; then
			printf '%-12s %-18s  not installed\n' "$s" "$label"
			continue
		fi
		measure "$runs" "$small" "$cmd" peer
		row "$s" "$label"
	done
	IFS=$oldifs
done

# held output into /dev/null, a file and a pipe: median of several runs
BENCH_OUT=$out sh "$b/held.sh" "$small"

echo
echo "peer commands:"
IFS='
'
for line in $PEERS; do
	rest=${line#*|}
	printf '  %-12s %s\n' "${rest%%|*}" "${rest#*|}"
done
IFS=$oldifs

# the memory runs: the input grown once in meters, once in time
: >"$out/big.tsv"
if [ "$big" -gt 0 ] && [ "$built" -eq 1 ]; then
	bigf=$out/records-big.jsonl
	for dim in meters time; do
		if [ "$dim" = meters ]; then
			gen "$bigf" $((meters * big)) "$quarters"
		else
			gen "$bigf" "$meters" $((quarters * big))
		fi
		echo
		echo "memory: ${big}x the $dim ($nrec records, $bytes bytes), one run"
		header
		while IFS='	' read -r label cmd w r n; do
			[ "$w" = failed ] && continue
			measure 1 "$bigf" "$cmd"
			row "${big}x $dim" "$label"
			[ "$rc" -eq 0 ] && printf '%s\t%s\t%s\n' "$label" "$dim" "$rss" >>"$out/big.tsv"
		done <"$out/sme.tsv"
	done
	[ -n "$BENCH_KEEP" ] || rm -f "$bigf"
fi

echo
echo "targets: >= 1000000 records/s; peak RSS < 20 MB, not growing with the input"
while IFS='	' read -r label cmd w r n; do
	if [ "$w" = failed ]; then
		printf '%-18s NOT MET: the stage failed\n' "$label"
		continue
	fi
	awk -F '\t' -v l="$label" -v w="$w" -v r="$r" -v n="$n" -v f="$big" '
	$1 == l { big[$2] = $3 }
	END {
		rate = n / (w / 1e9)
		line = sprintf("%-18s speed %s (%.2fM records/s); memory", l,
		    rate >= 1000000 ? "met" : "NOT MET", rate / 1e6)
		mem = r / 1024 < 20
		detail = sprintf("%.1f MB", r / 1024)
		for (i = split("meters time", dims, " "); i > 0; i--) {
			d = dims[3 - i]
			if (!(d in big))
				continue
			grows = big[d] > r * 1.2 + 1024
			if (grows || big[d] / 1024 >= 20)
				mem = 0
			detail = detail sprintf(", %.1f MB with %sx %s (%s)", big[d] / 1024, f, d,
			    grows ? "GROWS" : "flat")
		}
		print line " " (mem ? "met" : "NOT MET") " (" detail ")"
	}' "$out/big.tsv"
done <"$out/sme.tsv"
[ "$built" -eq 1 ] || echo "no sme stage is built: run make first"

[ -f "$b/formats.sh" ] && sh "$b/formats.sh"

if [ -f "$b/upload.sh" ]; then
	echo
	BENCH_OUT=$out sh "$b/upload.sh" "$@"
fi
if [ -f "$b/fetch.sh" ]; then echo; BENCH_OUT=$out sh "$b/fetch.sh"; fi

echo
BENCH_OUT=$out sh "$b/export.sh"
