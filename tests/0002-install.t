#!/bin/sh
# make install and uninstall put programs and manuals under DESTDIR/PREFIX, and take them away
. "$(dirname "$0")/lib.sh"
d=$T/dest
make -s -C "$top" install DESTDIR="$d" PREFIX=/usr >out 2>&1
ok $? 'make install runs'
missing=
for c in "$top"/cmd/sme-*.c; do
	p=$(basename "$c" .c)
	[ -x "$d/usr/bin/$p" ] || missing="$missing bin/$p"
	[ -f "$d/usr/share/man/man1/$p.1" ] || missing="$missing man1/$p.1"
done
[ -f "$d/usr/share/man/man7/sme.7" ] || missing="$missing man7/sme.7"
[ -z "$missing" ]
ok $? "programs and manuals are installed (missing:${missing:- none})"
"$d/usr/bin/sme-obis" -V | grep -q '^sme-obis '
ok $? 'the installed sme-obis runs'
make -s -C "$top" uninstall DESTDIR="$d" PREFIX=/usr >out 2>&1
left=$(find "$d" -type f | wc -l)
[ "$left" -eq 0 ]
ok $? "make uninstall removes every installed file ($left left)"
done_testing
