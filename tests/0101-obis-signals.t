#!/bin/sh
# sme-obis: TERM, INT and HUP leave no partial output in a file; input = output is refused
. "$(dirname "$0")/lib.sh"

# 40000 records, about 4 MB: more than out.c writes at once
awk 'BEGIN { for (i = 0; i < 40000; i++)
	printf "{\"meter\":\"%d\",\"obis\":\"1-0:1.8.0*255\",\"time\":\"2026-11-01T00:00:00Z\",\"value\":%d.5,\"unit\":\"kWh\"}\n", i, i }' >big.jsonl
echo 'old content' >old.txt
oldsize=$(wc -c <old.txt)

# sig SIGNAL REDIR: sme-obis reads big.jsonl from a FIFO kept open, so that
# it has written into the file and still waits for input when SIGNAL comes
sig() {
	rm -f fifo out
	[ "$2" = '>>' ] && cp old.txt out
	mkfifo fifo
	# a background job of sh starts with SIGINT and SIGQUIT ignored: give them back
	if [ "$2" = '>>' ]; then
		env --default-signal=INT,QUIT sme-obis -t csv <fifo >>out 2>err &
	else
		env --default-signal=INT,QUIT sme-obis -t csv <fifo >out 2>err &
	fi
	pid=$!
	exec 3>fifo
	cat big.jsonl >&3
	want=$([ "$2" = '>>' ] && echo "$oldsize" || echo 0)
	i=0
	while [ "$(wc -c <out)" -le "$want" ] && [ "$i" -lt 300 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	grew=$(wc -c <out)
	kill -s "$1" "$pid"
	{ wait "$pid"; } 2>/dev/null
	rc=$?
	exec 3>&-
	ok $([ "$grew" -gt "$want" ] && echo 0 || echo 1) \
	    "$1, $2: sme-obis had written into the file ($grew bytes)"
	ok $([ "$(wc -c <out)" -eq "$want" ] && echo 0 || echo 1) \
	    "$1, $2: the file is back to its old size $want (is $(wc -c <out))"
	if [ "$2" = '>>' ]; then
		cmp -s old.txt out
		ok $? "$1, $2: the old content is intact"
	fi
	case $1 in TERM) n=15 ;; INT) n=2 ;; HUP) n=1 ;; QUIT) n=3 ;; ALRM) n=14 ;;
	USR1) n=10 ;; USR2) n=12 ;; XCPU) n=24 ;; esac
	ok $([ "$rc" -eq $((128 + n)) ] && echo 0 || echo 1) \
	    "$1, $2: the exit status says the signal ($rc, want $((128 + n)))"
	ok $([ ! -s err ] && echo 0 || echo 1) "$1, $2: nothing on stderr"
}

for s in TERM INT HUP; do
	sig $s '>'
	sig $s '>>'
done
# the other signals whose default ends a program (timeout -s, kill -USR1,
# Ctrl-\, ulimit -t) leave no partial file either
ulimit -c 0
for s in QUIT ALRM USR1 USR2 XCPU; do
	sig $s '>'
done

# nohup: a signal ignored at the start stays ignored
rm -f fifo out
mkfifo fifo
sh -c 'trap "" HUP; exec sme-obis -t csv <fifo >out' &
pid=$!
exec 3>fifo
cat big.jsonl >&3
kill -s HUP "$pid" 2>/dev/null
sleep 0.2
exec 3>&-
wait "$pid"
ok $? 'HUP ignored at the start (nohup) stays ignored: the output is complete'
ok $([ "$(wc -l <out)" -eq 40000 ] && echo 0 || echo 1) 'nohup: all 40000 records out'

# input file = output file, as cat(1) refuses it
R='"unit":"kWh"'
echo "{\"meter\":\"1\",\"obis\":\"1.8.0\",\"time\":\"2026-11-01T00:00:00Z\",\"value\":1,$R}" >f.jsonl
cp f.jsonl f.orig
check 'input file = output file (>>) is refused' 'sme-obis f.jsonl >>f.jsonl' <<EOF
>>>2
sme-obis: f.jsonl: input file is output file
>>>= 2
EOF
cmp -s f.jsonl f.orig
ok $? 'input file = output file: the file is unchanged'
check 'stdin = output file is refused' 'sme-obis <f.jsonl >>f.jsonl' <<EOF
>>>2
sme-obis: <stdin>: input file is output file
>>>= 2
EOF
check 'input = output as the second file: nothing written' 'sme-obis f.orig f.jsonl >>f.jsonl; echo $?; cmp f.jsonl f.orig' <<EOF
>>>
2
>>>2
sme-obis: f.jsonl: input file is output file
EOF
check 'sme-csv: input file = output file (1<>) is refused' 'sme-csv f.jsonl 1<>f.jsonl' <<EOF
>>>2
sme-csv: f.jsonl: input file is output file
>>>= 2
EOF
check 'the same file as input and stderr is fine' 'sme-obis f.jsonl 2>>f.jsonl | wc -l' <<EOF
>>>
1
EOF
done_testing
