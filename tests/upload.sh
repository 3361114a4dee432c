# sme tests: helpers for the sme-upload tests, sourced after tests/lib.sh; licence in COPYING

# ./up ARGS: sme-upload with the receipts' seconds and temporary names
# masked; everything it printed is also kept in all.out (for secret scans)
cat >up <<'EOF'
#!/bin/sh
sme-upload "$@" >.o 2>.e
rc=$?
cat .o .e >>all.out
sed 's/"seconds":[0-9.e+-]*/"seconds":S/' .o
sed 's/\.sme-[A-Za-z0-9]\{6\}\.part/.sme-XXXXXX.part/g' .e >&2
exit $rc
EOF
chmod +x up

sum() { sha256sum <"$1" | cut -d' ' -f1; }
# same LOCAL REMOTE: the bytes on the server's disk are the local ones
same() { [ -f "$2" ] && [ "$(sum "$1")" = "$(sum "$2")" ]; }
# noparts DIR: no temporary file is left in DIR
noparts() { [ -z "$(find "$1" -name '*.part' 2>/dev/null)" ]; }
