# sme tests: start the smart-me API stand-in (tests/standin.py); licence in COPYING
#
#   standin [option ...]   starts one on a free port of 127.0.0.1 and sets
#                          SME_API_URL; the next call stops the last one
# Every stand-in is stopped when the test ends.
SME_API_KEY=demo-key
SME_API_BACKOFF=0.05
export SME_API_KEY SME_API_BACKOFF
unset SME_API_URL SME_CLIENT_ID SME_CLIENT_SECRET SME_API_TIMEOUT SME_API_RETRIES \
    SME_API_MAXWAIT SME_API_MAX_VALUES SME_OAUTH_SCOPE SME_OAUTH_CLIENT_AUTH
standin_pid=
standin_stop() {
	[ -n "$standin_pid" ] && kill "$standin_pid" 2>/dev/null && wait "$standin_pid" 2>/dev/null
	standin_pid=
}
trap 'standin_stop; rm -rf "$T"' EXIT
standin() {
	standin_stop
	rm -f "$T/.port"
	/usr/bin/python3 "$top/tests/standin.py" -p "$T/.port" "$@" &
	standin_pid=$!
	_i=0
	while [ ! -s "$T/.port" ] && [ $_i -lt 100 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	[ -s "$T/.port" ] || { echo "Bail out! the API stand-in did not start"; exit 1; }
	SME_API_URL=http://127.0.0.1:$(cat "$T/.port")
	export SME_API_URL
}
