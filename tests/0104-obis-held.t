#!/bin/sh
# sme-obis: held output that fails or is interrupted while it goes into a file leaves the old file (2>&1, nohup.out, ulimit -f)
. "$(dirname "$0")/lib.sh"

# 80000 records, about 8 MB of output: more than the 4 MiB held in memory,
# so the rest is spooled and copied out at the end
awk 'BEGIN { for (i = 0; i < 80000; i++)
	printf "{\"meter\":\"%d\",\"obis\":\"1-0:1.8.0*255\",\"time\":\"2026-11-01T00:00:00Z\",\"value\":%d.5,\"unit\":\"kWh\"}\n", i, i }' >in.jsonl
sme-obis -t csv in.jsonl >want.jsonl || exit 1
# 3 MB of old content that >> must keep
awk 'BEGIN { for (i = 0; i < 30000; i++) printf "%099d\n", i }' >old.txt
oldsize=$(wc -c <old.txt)
# ulimit -f counts blocks of 512 bytes in some shells, 1024 in others
sh -c 'ulimit -f 1; head -c 2000 /dev/zero >probe' 2>/dev/null
blk=$(wc -c <probe)
n=$(wc -c <want.jsonl)
lim=$(((n + oldsize / 2) / blk))	# the spool (about n) fits, old + new does not

# the file stderr shares (>>out 2>&1, as nohup.out): output is held and
# copied at the end; the copy runs past the limit
cp old.txt out
sh -c "ulimit -f $lim; exec sme-obis -t csv in.jsonl >>out 2>&1"
rc=$?
ok $([ "$rc" -eq 6 ] && echo 0 || echo 1) ">>out 2>&1 past ulimit -f: exit 6, not killed by SIGXFSZ (exit $rc)"
head -c "$oldsize" out | cmp -s - old.txt
ok $? '>>out 2>&1 past ulimit -f: the old content is intact'
tail -c +$((oldsize + 1)) out >msg
printf 'sme-obis: write error on standard output: File too large\n' | cmp -s - msg
ok $? ">>out 2>&1 past ulimit -f: none of the new output remains, only the message after the old content ($(head -c 100 msg))"

# a file of its own, written in place: cut back, exit 6, no SIGXFSZ
cp old.txt out
sh -c "ulimit -f $(((oldsize + n / 2) / blk)); exec sme-obis -t csv in.jsonl >>out 2>err"
rc=$?
ok $( ([ "$rc" -eq 6 ] && cmp -s out old.txt) && echo 0 || echo 1) ">>out past ulimit -f: exit 6, the file back to its old content ($rc, $(wc -c <out) bytes)"
check '>>out past ulimit -f: the message' 'cat err' <<'EOF'
>>>
sme-obis: write error on standard output: File too large
EOF

# a signal while the held output is copied into the file stderr shares:
# the file is either complete (the copy was done) or back to its old
# content, never cut in between
big() {
	awk 'BEGIN { for (i = 0; i < 400000; i++)
		printf "{\"meter\":\"%d\",\"obis\":\"1-0:1.8.0*255\",\"time\":\"2026-11-01T00:00:00Z\",\"value\":%d.5,\"unit\":\"kWh\"}\n", i, i }'
}
big >big.jsonl
sme-obis -t csv big.jsonl >bigwant || exit 1
hits=0
for s in TERM INT HUP TERM INT HUP; do
	# >> after old content, and > (the message-free file is then empty)
	case $s in TERM|HUP) r='>>' ;; *) r='>' ;; esac
	cp old.txt out
	if [ "$r" = '>>' ]; then
		env --default-signal=INT sme-obis -t csv big.jsonl >>out 2>&1 &
		keep=$oldsize
	else
		env --default-signal=INT sme-obis -t csv big.jsonl >out 2>&1 &
		keep=0
	fi
	pid=$!
	while [ "$(wc -c <out)" -le "$keep" ] && kill -0 "$pid" 2>/dev/null; do :; done
	kill -s "$s" "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	rc=$?
	case $s in TERM) n=15 ;; INT) n=2 ;; HUP) n=1 ;; esac
	# never a part: the old content (the signal came during the copy) or
	# all of it (after; the status may still say the signal)
	if head -c "$keep" old.txt | cmp -s - out; then
		hits=$((hits + 1))
		ok $([ "$rc" -eq $((128 + n)) ] && echo 0 || echo 1) \
		    "$s during the copy into ${r}out 2>&1: back to what it held, $keep bytes (exit $rc)"
	else
		{ head -c "$keep" old.txt; cat bigwant; } | cmp -s - out
		ok $( ([ $? -eq 0 ] && { [ "$rc" -eq 0 ] || [ "$rc" -eq $((128 + n)) ]; }) && echo 0 || echo 1) \
		    "$s after the copy into ${r}out 2>&1: complete (exit $rc, $(wc -c <out) bytes)"
	fi
done
echo "# $hits of 6 signals came during the copy"
done_testing
