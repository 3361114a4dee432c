#!/bin/sh
# sme tests: a short libFuzzer run of each fuzz target (fuzz/run.sh); licence in COPYING
. "$(dirname "$0")/lib.sh"

targets="record obis decimal csv"
# no skip: tests/deps.sh installs clang, and a missing fuzzer is a failure
if ! command -v clang >/dev/null 2>&1; then
	for t in $targets; do
		ok 1 "fuzz-$t: clang is not installed (make deps)"
	done
	done_testing
	exit
fi

sh "$top/fuzz/run.sh" "${SME_FUZZ_SECONDS:-10}" $targets >"$T/fuzz.out" 2>&1
rc=$?
for t in $targets; do
	if grep -q "^fuzz-$t: ok:" "$T/fuzz.out"; then
		ok 0 "fuzz-$t: $(sed -n "s/^fuzz-$t: ok: //p" "$T/fuzz.out")"
	else
		ok 1 "fuzz-$t: no crash, every input in fuzz/crashes/ passes"
		awk -v t="fuzz-$t:" '$1 == t { on = 1; print; next } /^[^ ]/ { on = 0 } on' \
		    "$T/fuzz.out" | sed 's/^/# /'
	fi
done
# a failure that names no target (a bad option, a build directory) fails too
if [ "$rc" -ne 0 ] && [ "$nfail" -eq 0 ]; then
	ok 1 "fuzz/run.sh exits 0 (got $rc)"
	sed 's/^/# /' "$T/fuzz.out"
fi
done_testing
