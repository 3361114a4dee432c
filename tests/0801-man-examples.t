#!/bin/sh
# the EXAMPLES of sme(7) and sme-obis(1) run as printed, on the sample data
. "$(dirname "$0")/lib.sh"
ln -s "$top/examples" examples
for page in sme.7 sme-obis.1; do
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
done_testing
