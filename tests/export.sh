# sme tests: what the sme-export run tests share: the API stand-in and its meters; licence in COPYING
#
# export_setup: 1 (with the reason in export_missing) when a program of the
# chain is not built; else sets M1 (a meter of the stand-in), API_KEY, and
# SME_API_URL.  slow_api SECONDS makes every answer take that long; fast_api
# undoes it.
export_setup() {
	for p in sme-fetch sme-obis sme-csv sme-upload; do
		if [ ! -x "$top/$p" ]; then
			export_missing="$p is not built yet"
			return 1
		fi
	done
	M1=1001
	API_KEY=sme-test-key-$$
	export M1 API_KEY
}
slow_api() { FAKE_SLEEP=$1; export FAKE_SLEEP; }
fast_api() { unset FAKE_SLEEP; }
# bench_api_start DIR: the stand-in for bench/export.sh (1: cannot); bench_api_meters N: N meters
bench_api_start() { return 1; }
bench_api_stop() { :; }
bench_api_meters() { seq 1001 $((1000 + $1)); }
