#!/bin/sh
# sme bench: sme-fetch -j 1/8/32 against the API stand-in beside curl doing the same requests; licence in COPYING
#
#   sh bench/fetch.sh        (called by bench/run.sh; BENCH_OUT: where to work)
#
# BENCH_FETCH_METERS: meters (1000); BENCH_FETCH_LATENCY: seconds the
# stand-in waits before each reply (0.05); BENCH_FETCH_SMALL: meters of
# the second memory run (100).  One day of 15-minute values each.
LC_ALL=C
export LC_ALL
unset http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY no_proxy NO_PROXY
top=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$top/bench/out}/fetch
meters=${BENCH_FETCH_METERS:-1000}
small=${BENCH_FETCH_SMALL:-100}
lat=${BENCH_FETCH_LATENCY:-0.05}
P='-F /Bench -f 2026-11-01 -t 2026-11-02'
mkdir -p "$out" || exit 6
[ -x "$top/sme-fetch" ] || { echo "fetch: sme-fetch is not built"; exit 0; }
[ -x /usr/bin/time ] || { echo "fetch: /usr/bin/time missing" >&2; exit 6; }

pid=
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=; }
trap stop EXIT INT TERM
start() {	# start METERS: a stand-in with the Bench folder, logging requests
	stop
	rm -f "$out/port"
	: >"$out/log"
	/usr/bin/python3 "$top/tests/standin.py" -p "$out/port" --meters "$1" \
	    --latency "$lat" --log "$out/log" &
	pid=$!
	i=0
	while [ ! -s "$out/port" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	[ -s "$out/port" ] || { echo "fetch: the stand-in did not start" >&2; exit 6; }
	SME_API_URL=http://127.0.0.1:$(cat "$out/port")
	export SME_API_URL
}

# run LABEL COMMAND: wall and CPU seconds, peak RSS; a row of the table
run() {
	/usr/bin/time -f '%e %U %S %M' -o "$out/time" sh -c "$2" >/dev/null 2>"$out/err"
	rc=$?
	set -- "$1" $(tail -n 1 "$out/time")
	if [ $rc -ne 0 ]; then
		printf '%-22s failed (exit %s): %s\n' "$1" "$rc" "$(head -n 1 "$out/err")"
		eval "w_$(echo "$1" | tr -c 'a-z0-9\n' _)=0"
		return
	fi
	awk -v l="$1" -v w="$2" -v u="$3" -v s="$4" -v m="$5" 'BEGIN {
		printf "%-22s %8.2f %8.2f %7.1f %% %10.1f\n", l, w, u + s, (w > 0 ? (u + s) / w * 100 : 0), m / 1024 }'
	key=$(echo "$1" | tr -c 'a-z0-9\n' _)
	eval "w_$key=$2 c_$key=$(awk -v u="$3" -v s="$4" 'BEGIN { print u + s }') m_$key=$5"
}

SME_API_KEY=demo-key
export SME_API_KEY
start "$meters"
# the requests sme-fetch makes, for curl to make the same
"$top/sme-fetch" -j 32 $P >"$out/records" 2>"$out/err" ||
    { echo "fetch: sme-fetch failed: $(head -n 1 "$out/err")"; exit 0; }
awk -v u="$SME_API_URL" '{ print u $2 }' "$out/log" >"$out/urls"
n=$(wc -l <"$out/urls")
printf 'header = "Authorization: ApiKey %s"\nheader = "Accept: application/json"\nsilent\nfail\n' \
    "$SME_API_KEY" >"$out/curl.cfg"
{ cat "$out/curl.cfg"; awk '{ printf "url = \"%s\"\noutput = \"/dev/null\"\n", $0 }' "$out/urls"; } >"$out/parallel.cfg"

echo "fetch: $meters meters x 1 day of 15-minute values from the API stand-in, $lat s latency a request,"
echo "$n requests ($(wc -l <"$out/records") records), $(nproc) CPUs"
printf '%-22s %8s %8s %9s %10s\n' tool "wall s" "CPU s" "CPU/wall" "peak RSS MB"
printf '%-22s %8s %8s %9s %10s\n' ---- ------ ----- -------- -----------
for j in 1 8 32; do
	run "sme-fetch -j $j" "'$top/sme-fetch' -j $j $P"
done
run "curl loop" "while read -r u; do curl -K '$out/curl.cfg' -o /dev/null \"\$u\" || exit 4; done <'$out/urls'"
run "curl --parallel 32" "curl --parallel --parallel-max 32 -K '$out/parallel.cfg'"

# memory: the same run with fewer meters
start "$small"
run "sme-fetch -j 32 ($small)" "'$top/sme-fetch' -j 32 $P" >"$out/small"
cat "$out/small"
ms=$(awk '{ print $NF * 1024 }' "$out/small")
stop

echo
awk -v j32="$w_sme_fetch__j_32" -v loop="$w_curl_loop" -v par="$w_curl___parallel_32" \
    -v cpu="$c_sme_fetch__j_32" -v m1="$m_sme_fetch__j_32" -v ms="$ms" -v n="$meters" -v s="$small" 'BEGIN {
	if (j32 <= 0) { print "targets: NOT MET: sme-fetch -j 32 failed"; exit }
	x = loop / j32
	printf "target -j 32 >= 20x the curl loop: %s (%.1fx)\n", (x >= 20 ? "met" : "NOT MET"), x
	printf "target -j 32 no slower than curl --parallel: %s (%.2f s vs %.2f s)\n",
	    (j32 <= par * 1.05 ? "met" : "NOT MET"), j32, par
	printf "target CPU < 10 %% of wall: %s (%.1f %%)\n", (cpu / j32 < 0.1 ? "met" : "NOT MET"), cpu / j32 * 100
	printf "target memory flat: %s (%.1f MB for %d meters, %.1f MB for %d)\n",
	    (m1 <= ms * 1.2 + 2048 ? "met" : "NOT MET"), ms / 1024, s, m1 / 1024, n
}'
