#!/bin/sh
# sme fuzz: build the libFuzzer targets and run each for SECONDS; licence in COPYING
#
#   sh fuzz/run.sh [SECONDS [TARGET...]]     (targets: record obis decimal csv)
#
# Each target is built with clang -fsanitize=fuzzer,address,undefined from
# fuzz/fuzz-TARGET.c and the lib/ files it needs, replays the inputs kept
# in fuzz/crashes/TARGET-* (bugs found before: each must pass now), then
# fuzzes from the seeds in fuzz/corpus/TARGET/ for SECONDS.  The targets run side by side.  New
# inputs go to fuzz/out/corpus/TARGET/, crashes to fuzz/out/crashes/.
# Prints "fuzz-TARGET: ok: ..." or "fuzz-TARGET: FAILED: ..." per target;
# exits 1 when any target crashed or failed to build.
LC_ALL=C
export LC_ALL
top=$(cd "$(dirname "$0")/.." && pwd)
f=$top/fuzz
out=$f/out
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-record obis decimal csv}
CC=${FUZZ_CC:-clang}

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz: $CC not found (apt-get install clang)" >&2
	exit 2
fi
usage() {
	echo "usage: sh fuzz/run.sh [SECONDS [TARGET...]]; targets: record obis decimal csv" >&2
	exit 2
}
case $secs in
''|*[!0-9]*) usage ;;
esac

# the same feature macros as config.mk
CPPFLAGS="-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I$top/lib"
FLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"

srcs() {	# the lib/ files and libraries a target needs
	case $1 in
	record)	echo "err.c out.c sig.c decimal.c obis.c timeutil.c record.c|$(pkg-config --cflags --libs jansson)" ;;
	obis)	echo "err.c obis.c|" ;;
	decimal) echo "err.c decimal.c|" ;;
	mscons)	echo "err.c out.c sig.c decimal.c obis.c timeutil.c record.c intern.c edifact.c mscons.c msconsread.c|$(pkg-config --cflags --libs jansson) -Wl,--wrap=exit,--wrap=emalloc,--wrap=ecalloc,--wrap=erealloc,--wrap=free,--wrap=fprintf,--wrap=vfprintf,--wrap=fputc,--wrap=fputs" ;;
	csv)	echo "err.c csv.c|" ;;
	*)	return 1 ;;
	esac
}

build() {	# build TARGET: fuzz/out/fuzz-TARGET
	_s=$(srcs "$1")
	_files=
	for _c in ${_s%%|*}; do _files="$_files $top/lib/$_c"; done
	# shellcheck disable=SC2086
	$CC $FLAGS $CPPFLAGS -o "$out/fuzz-$1" "$f/fuzz-$1.c" $_files ${_s#*|} \
	    >"$out/$1.build" 2>&1
}

for t in $targets; do
	srcs "$t" >/dev/null || usage
done
mkdir -p "$out/crashes" || exit 6
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

# build the targets side by side
pids=
for t in $targets; do
	build "$t" &
	pids="$pids $!"
done
# shellcheck disable=SC2086
set -- $targets
for p in $pids; do
	wait "$p"
	echo $? >"$out/$1.built"
	shift
done

fuzz() {	# fuzz TARGET: replay kept crashes, then fuzz; statuses in out/TARGET.*
	_bin=$out/fuzz-$1
	: >"$out/$1.log"
	: >"$out/$1.known"
	for _k in "$f/crashes/$1"-*; do
		[ -f "$_k" ] || continue
		if ! "$_bin" "$_k" >"$out/$1.replay" 2>&1; then
			echo "$_k" >>"$out/$1.known"
			cat "$out/$1.replay" >>"$out/$1.log"
		fi
	done
	mkdir -p "$out/corpus/$1"
	rm -f "$out/crashes/$1"-*
	_dict=
	[ -f "$f/$1.dict" ] && _dict=-dict=$f/$1.dict
	# shellcheck disable=SC2086
	"$_bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 \
	    -artifact_prefix="$out/crashes/$1-" $_dict -print_final_stats=1 \
	    "$out/corpus/$1" "$f/corpus/$1" >>"$out/$1.log" 2>&1
	echo $? >"$out/$1.rc"
}

pids=
for t in $targets; do
	rm -f "$out/$t.rc"
	if [ "$(cat "$out/$t.built")" -ne 0 ]; then
		echo build >"$out/$t.rc"
		continue
	fi
	fuzz "$t" &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p"
done

report() {	# report TARGET: the harness's or sanitizer's message and our frames
	grep -E "^(fuzz-|==[0-9]+==ERROR|SUMMARY)|runtime error|#[0-9]+ .* $top/(lib|fuzz)/" \
	    "$out/$1.log" | sed "s|$top/||; s/ (BuildId: [0-9a-f]*)//; s/^ */    /" | head -n 30
}

fail=0
for t in $targets; do
	rc=$(cat "$out/$t.rc" 2>/dev/null)
	if [ "$rc" = build ]; then
		fail=1
		echo "fuzz-$t: FAILED: does not build (fuzz/out/$t.build):"
		sed 's/^/    /' "$out/$t.build" | head -n 20
		continue
	fi
	stats=$(awk '/^Done [0-9]+ runs in/ { runs = $2; s = $5 }
	    /^stat::new_units_added:/ { nu = $2 }
	    END { printf "%d runs in %d s (%d/s), %d new inputs", runs, s, s ? runs / s : runs, nu }' \
	    "$out/$t.log")
	if [ "$rc" = 0 ] && [ ! -s "$out/$t.known" ]; then
		echo "fuzz-$t: ok: $stats"
		continue
	fi
	fail=1
	echo "fuzz-$t: FAILED:"
	if [ -s "$out/$t.known" ]; then
		echo "    inputs kept in fuzz/crashes/ still crash it:"
		sed "s|^$top/|      |" "$out/$t.known"
	fi
	if [ "$rc" = 0 ]; then
		echo "    fuzzing found nothing new: $stats"
	else
		echo "    fuzzing crashed it (exit $rc), input in fuzz/out/crashes/:"
		for c in "$out/crashes/$t"-*; do
			[ -f "$c" ] && echo "      ${c#"$top"/}"
		done
	fi
	report "$t"
done
exit $fail
