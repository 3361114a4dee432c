#!/bin/sh
# the EXAMPLES of sme(7), sme-obis(1), sme-mscons(1), sme-ise(1), and README's pipeline, run as printed
. "$(dirname "$0")/lib.sh"
ln -s "$top/examples" examples
for page in sme.7 sme-obis.1 sme-mscons.1 sme-ise.1; do
	awk '/^\.Sh EXAMPLES/ { on = 1; next } /^\.Sh / { on = 0 }
	    on && /^\.Bd -literal/ { lit = 1; next } on && /^\.Ed/ { lit = 0; print "#" ; next }
	    on && lit { sub(/^\\&/, ""); print }' "$top/man/$page" |
	awk -v RS='#\n' -v dir="$T" '{ n++; f = dir "/ex-" n; printf "%s", $0 > f; close(f) } END { print n }' >count
	i=1
	while [ "$i" -le "$(cat count)" ]; do
		cmd=$(cat "ex-$i")
		rm -f export.csv
		sh -c "$cmd" >out 2>err
		rc=$?
		[ $rc -eq 0 ] && { [ -s out ] || [ -s export.csv ]; } && ! grep -q 'usage:' err
		ok $? "$page example $i runs and writes something: $(echo "$cmd" | head -1)"
		i=$((i + 1))
	done
done
# the MSCONS files the examples wrote, checked as tests/0500-mscons.t does
for f in MSCONS_TL_*.txt; do
	node "$top/tests/edifact-check.js" "$f" >valid 2>&1
	ok $? "$f from sme-mscons(1)'s example is valid: $(cat valid)"
done
# README: the indented block after "One pipeline", with its outbox moved here
awk '/^One pipeline/ { on = 1; next } on && /^    / { sub(/^    /, ""); print; got = 1; next }
    on && got && !/^    / { exit }' "$top/README" | sed "s|file:///tmp/outbox/|file://$T/outbox/|" >readme.sh
sh readme.sh >out 2>err && cmp -s outbox/export.csv export.csv && [ -s export.csv ] &&
    grep -q '"url":"file://'"$T"'/outbox/export.csv"' out && [ ! -s err ]
ok $? "README's pipeline runs and delivers export.csv ($(wc -l <readme.sh) lines)"
done_testing
