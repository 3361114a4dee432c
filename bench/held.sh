#!/bin/sh
# sme bench: held output into /dev/null, a file and a pipe; min, median, max of several runs; licence in COPYING
#
#   sh bench/held.sh INPUT      (run.sh calls it with its data set)
#
# BENCH_HELD_RUNS: runs of each case, taken in turn (5).  The output of
# sme-obis -t csv is held until the input was read and found good: into
# /dev/null nothing is held, into a regular file it is written in place
# (cut back on failure), into a pipe it is held in memory and $TMPDIR
# and sent on at the end.  Target: the pipe within 1.3x of the file.
LC_ALL=C
export LC_ALL
top=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$top/bench/out}
in=$1
runs=${BENCH_HELD_RUNS:-5}
[ -r "$in" ] || { echo "bench/held.sh: no input file $in" >&2; exit 6; }
mkdir -p "$out" || exit 6
: >"$out/held.tsv"
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	for c in null file pipe; do
		case $c in
		null) cmd="\"$top/sme-obis\" -t csv \"$in\" >/dev/null" ;;
		file) cmd="\"$top/sme-obis\" -t csv \"$in\" >\"$out/held.csv\"" ;;
		pipe) cmd="\"$top/sme-obis\" -t csv \"$in\" | cat >/dev/null" ;;
		esac
		t0=$(date +%s%N)
		sh -c "$cmd" || { echo "bench/held.sh: $c failed" >&2; exit 6; }
		t1=$(date +%s%N)
		printf '%s\t%s\n' "$c" $((t1 - t0)) >>"$out/held.tsv"
	done
done
rm -f "$out/held.csv"
n=$(($(wc -l <"$in")))
echo
echo "held output: sme-obis -t csv, $n records, $runs runs each (min / median / max wall seconds)"
awk -F '\t' -v n="$n" '
{ t[$1, ++k[$1]] = $2 / 1e9 }
function med(c,   i, j, m, v, x) {
	m = k[c]
	for (i = 1; i <= m; i++) v[i] = t[c, i]
	for (i = 2; i <= m; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) { x = v[j]; v[j] = v[j - 1]; v[j - 1] = x }
	lo[c] = v[1]; hi[c] = v[m]
	return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
}
END {
	split("null file pipe", cs, " ")
	label["null"] = "into /dev/null"; label["file"] = "into a file"; label["pipe"] = "into a pipe (| cat)"
	for (i = 1; i <= 3; i++) {
		c = cs[i]; m[c] = med(c)
		printf "  %-22s %7.3f %7.3f %7.3f  %5.2fM records/s (median)\n", label[c], lo[c], m[c], hi[c], n / m[c] / 1e6
	}
	r = m["pipe"] / m["file"]
	printf "  pipe / file %.2f (target <= 1.30: %s); pipe / null %.2f\n", r, r <= 1.3 ? "met" : "NOT MET", m["pipe"] / m["null"]
}' "$out/held.tsv"
