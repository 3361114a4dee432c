# sme tests: what the sme-export run tests share: the API stand-in and its meters; licence in COPYING
#
# export_setup [stand-in option ...]: 1 (the reason in export_missing) when
# a program of the chain or the stand-in is not there; else starts the
# stand-in (tests/standin.sh) with the key $API_KEY and sets M1, a meter of
# it.  slow_api SECONDS restarts it with that latency per reply; fast_api
# without.
export_setup() {
	for p in sme-fetch sme-obis sme-csv sme-upload; do
		if [ ! -x "$top/$p" ]; then
			export_missing="$p is not built yet"
			return 1
		fi
	done
	if [ ! -f "$top/tests/standin.sh" ]; then
		export_missing='the API stand-in (tests/standin.sh) is not there yet'
		return 1
	fi
	. "$top/tests/standin.sh"
	API_KEY=sme-test-key-$$
	M1=1001
	export M1 API_KEY
	standin --key "$API_KEY" "$@"
	SME_API_KEY=$API_KEY
	export SME_API_KEY
}
slow_api() { standin --key "$API_KEY" --latency "$1"; }
fast_api() { standin --key "$API_KEY"; }

# for bench/export.sh: bench_api_start DIR (1: cannot), bench_api_meters N, bench_api_stop
bench_api_start() {
	[ -f "$top/tests/standin.py" ] || return 1
	rm -f "$1/port"
	/usr/bin/python3 "$top/tests/standin.py" -p "$1/port" --meters "$bench_meters" \
	    --key bench-key >"$1/standin.err" 2>&1 &
	bench_api_pid=$!
	_i=0
	while [ ! -s "$1/port" ] && [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	[ -s "$1/port" ] || return 1
	SME_API_URL=http://127.0.0.1:$(cat "$1/port")
	SME_API_KEY=bench-key
	export SME_API_URL SME_API_KEY
}
bench_api_stop() { [ -n "$bench_api_pid" ] && kill "$bench_api_pid" 2>/dev/null; }
bench_api_meters() { seq 100000 $((100000 + $1 - 1)); }
