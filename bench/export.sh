#!/bin/sh
# sme bench: sme-export catching up 100 jobs x 30 daily periods, beside the same programs run from sh; licence in COPYING
#
#   sh bench/export.sh
#
# BENCH_EXPORT_JOBS (100), BENCH_EXPORT_DAYS (6): the catch-up; the issue's
# 100 x 30 (BENCH_EXPORT_DAYS=30) takes about 10 minutes (the default: 2)
# (0.1 s a period, run twice), too long for every `make bench`;
# BENCH_OUT: where it works (bench/out).
# The jobs read the API stand-in and deliver CSV files to a file:// target.
# The same periods are then exported by a shell running the commands that
# `sme-export -n run` prints, with no state, lock or log: the difference in
# wall time is what the orchestration adds.
LC_ALL=C
export LC_ALL
top=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$top/bench/out}/export
jobs=${BENCH_EXPORT_JOBS:-100}
days=${BENCH_EXPORT_DAYS:-6}

echo "sme-export: $jobs jobs x $days daily periods of catch-up, API stand-in, file:// target"
for p in sme-export sme-fetch sme-obis sme-csv sme-upload; do
	if [ ! -x "$top/$p" ]; then
		echo "sme-export: not measured: $p is not built"
		exit 0
	fi
done
rm -rf "$out"
mkdir -p "$out/outbox" "$out/sh" || exit 6
. "$top/tests/export.sh"
bench_meters=$jobs
bench_api_start "$out" || { echo "sme-export: not measured: the API stand-in did not start"; exit 0; }
trap 'bench_api_stop' EXIT

# the config: one meter a job, daily CSV from 2026-10-01
{
	printf '{ "targets": [ {"name": "outbox", "url": "file://%s/outbox/"} ],\n' "$out"
	printf '  "formats": [ {"name": "csv", "type": "csv"} ],\n  "jobs": [\n'
	i=0
	for m in $(bench_api_meters "$jobs"); do
		[ $i -gt 0 ] && printf ',\n'
		printf '    {"name": "j%03d", "devices": ["%s"], "format": "csv", "target": "outbox", ' "$i" "$m"
		printf '"interval": "daily", "trigger": "12h-after-end", "start": "2026-10-01"}'
		i=$((i + 1))
	done
	printf '\n  ] }\n'
} >"$out/config.json"
now=$(date -u -d "2026-10-01 + $days days 13 hours" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null ||
    echo 2026-10-31T13:00:00Z)
# the last period ends at 2026-10-01 + days, local; its 12 hours have passed at +13 h
echo '{}' >"$out/partner.json"
SME_PARTNER_CONFIG=$out/partner.json
export SME_PARTNER_CONFIG

t0=$(date +%s%N)
SME_EXPORT_STATS=1 "$top/sme-export" -c "$out/config.json" -s "$out/state" --now "$now" run >"$out/log.jsonl" 2>"$out/err"
rc=$?
t1=$(date +%s%N)
sent=$(grep -c '"status":"sent"' "$out/log.jsonl")
# "... in W s; X s of it outside the programs (P %)": sme-export's own count
outside=$(tail -n 1 "$out/err" | sed -n 's/.* s; \([0-9.]*\) s of it outside the programs (\([0-9.]*\) %)$/\1 \2/p')

"$top/sme-export" -c "$out/config.json" -s "$out/state-n" --now "$now" -n run >"$out/sh/run.sh" 2>"$out/err-n"
sed -i "s|file://$out/outbox/|file://$out/sh/|" "$out/sh/run.sh"
t2=$(date +%s%N)
(cd "$out/sh" && PATH="$top:$PATH" sh -e run.sh >receipts.jsonl 2>err)
rcsh=$?
t3=$(date +%s%N)

set -- $outside
awk -v j="$jobs" -v d="$days" -v s="$sent" -v rc="$rc" -v rcsh="$rcsh" \
    -v a="$t0" -v b="$t1" -v c="$t2" -v e="$t3" -v os="${1:-0}" -v op="${2:-100}" 'BEGIN {
	w = (b - a) / 1e9; p = (e - c) / 1e9
	printf "%-36s %10s %10s\n", "", "wall s", "periods/s"
	printf "%-36s %10.2f %10.1f%s\n", "sme-export run", w, s / w, rc ? sprintf("  (exit %d)", rc) : ""
	printf "%-36s %10.2f %10.1f%s\n", "the same commands from sh -e", p, j * d / p, rcsh ? sprintf("  (exit %d)", rcsh) : ""
	printf "periods sent: %d of %d; outside the child programs: %.2f s, %.1f %% of sme-export'"'"'s wall time\n", s, j * d, os, op
	printf "(sh -e runs each pipeline concurrently and keeps no state: %+.1f %% against sme-export)\n", (w - p) / p * 100
	printf "target: orchestration adds < 5 %%: %s\n", (s == j * d && op < 5) ? "met" : "NOT MET"
}'
