#!/bin/sh
# every program: -h prints the man page's SYNOPSIS, -V the version, a bad option exit 2
. "$(dirname "$0")/lib.sh"
for c in "$top"/cmd/sme-*.c; do
	p=$(basename "$c" .c)
	syn=$(mandoc -Tascii "$top/man/$p.1" 2>/dev/null | col -bx |
	    awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' | tr -s ' \n' '  ' |
	    sed 's/^ *//; s/ *$//')
	use=$("$p" -h 2>&1 | tr -s ' \n' '  ' | sed 's/^usage: //; s/ *$//')
	[ -n "$syn" ] && [ "$syn" = "$use" ]
	ok $? "$p -h equals the SYNOPSIS of $p(1)"
	[ "$syn" = "$use" ] || printf '#  man: %s\n#   -h: %s\n' "$syn" "$use"
	"$p" -h >/dev/null 2>&1
	ok $? "$p -h exits 0"
	[ "$("$p" -V)" = "$p 0.1.0" ]
	ok $? "$p -V prints the version"
	"$p" -@ >/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 2 ] && grep -q "^usage: $p " "$T/err"
	ok $? "$p with a bad option prints usage and exits 2 (got $rc)"
	mandoc -Tlint -Wwarning "$top/man/$p.1" >"$T/lint" 2>&1 && [ ! -s "$T/lint" ]
	ok $? "$p(1) is mandoc -Tlint clean"
done
done_testing
